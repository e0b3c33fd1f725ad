"""The four step statuses, their labels and symbols, and reading them from spreadsheets."""

from __future__ import annotations

import difflib
import unicodedata
from enum import StrEnum

__all__ = ["STATUS_CODES", "Status", "StatusError", "parse_status"]

# One character per status, in this order, is how a system's 40 steps are stored compactly.
STATUS_CODES = "CPNX"


class Status(StrEnum):
    """A step's status; the value (also str()) is the stable English name used by the API and exports."""

    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """The Japanese label 総務省's workbook uses."""
        return _LABELS[self]

    @property
    def code(self) -> str:
        return _CODES[self]

    @property
    def symbol(self) -> str:
        """A shape that tells statuses apart without colour (WCAG 1.4.1)."""
        return _SYMBOLS[self]

    @classmethod
    def from_code(cls, c: str) -> Status:
        try:
            return _BY_CODE[c.upper()]
        except (KeyError, AttributeError):
            raise StatusError(str(c), None) from None


_LABELS = {
    Status.COMPLETED: "完了済み",
    Status.IN_PROGRESS: "作業中",
    Status.NOT_STARTED: "未着手",
    Status.NOT_APPLICABLE: "対象外",
}
_CODES = {
    Status.COMPLETED: "C",
    Status.IN_PROGRESS: "P",
    Status.NOT_STARTED: "N",
    Status.NOT_APPLICABLE: "X",
}
_SYMBOLS = {
    Status.COMPLETED: "●",
    Status.IN_PROGRESS: "◐",
    Status.NOT_STARTED: "○",
    Status.NOT_APPLICABLE: "－",
}
_BY_CODE = {code: status for status, code in _CODES.items()}


class StatusError(ValueError):
    """A cell that is not a status; suggestion is the label the user probably meant."""

    def __init__(self, value: str, suggestion: str | None) -> None:
        self.value = value
        self.suggestion = suggestion
        allowed = "・".join(_LABELS.values())
        hint = f"「{suggestion}」のことですか？" if suggestion else ""
        super().__init__(f"状態「{value}」を読み取れません。{hint}（使える値: {allowed}）")


def _key(text: str) -> str:
    # NFKC turns （）, full-width letters and U+3000 into their plain forms; case never matters.
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_SYNONYMS: dict[str, Status] = {
    _key(word): status
    for status, words in {
        Status.COMPLETED: ("完了済み", "完了", "完了済", "済", "済み", "●", "C", "completed"),
        Status.IN_PROGRESS: ("作業中", "作業中（遅延）", "◐", "▲", "△", "P", "in_progress"),
        Status.NOT_STARTED: ("未着手", "未", "○", "◯", "N", "not_started"),
        Status.NOT_APPLICABLE: (
            "対象外",
            "実施しない",
            "対象外（実施しない）",
            "×",
            "✕",
            "✖",
            "X",
            "－",
            "not_applicable",
        ),
    }.items()
    for word in words
}


def parse_status(text: object) -> Status:
    """The status a spreadsheet cell means; an empty cell is 未着手 as in 総務省's workbook."""
    if isinstance(text, Status):
        return text
    if text is None:
        return Status.NOT_STARTED
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    key = _key(raw)
    if not key:
        return Status.NOT_STARTED
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    close = difflib.get_close_matches(raw, list(_LABELS.values()), n=1, cutoff=0.4)
    raise StatusError(raw, close[0] if close else None)
