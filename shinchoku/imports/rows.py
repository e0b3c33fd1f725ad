"""What the parsers hand to the import service (one row per 団体 × system × step, and the problems), and
the readers for the row fields every format shares: step labels and statuses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.domain.status import Status, StatusError, parse_status
from shinchoku.imports.context import ParseContext
from shinchoku.imports.problems import Problem, ProblemList, errors, warnings
from shinchoku.imports.rates import RateReport

__all__ = [
    "NATIONAL_STEPS",
    "STATUS_EXPECTED",
    "STEP_EXPECTED",
    "FieldError",
    "ParseResult",
    "ReportRow",
    "SheetReport",
    "StatusReader",
    "fast_step_row",
    "read_step",
    "row_template",
]

STATUS_EXPECTED = "完了済み・作業中・未着手・対象外（●・◐・▲・未・× なども可）"
STEP_EXPECTED = "1〜40 または 独自N（N は1以上）"


@dataclass(frozen=True)
class ReportRow:
    """One step's status of one system of one 団体. Exactly one of step (1–40) and own_step (独自N) is set.

    system_name is the business's canonical name for a standard system (business 1–20), else the extra
    system's name as written (NFKC, stripped). sheet/row/column say where the value came from.
    """

    org_code: str
    system_name: str
    business: int | None
    step: int | None
    own_step: int | None
    own_step_name: str
    status: Status
    as_of: date
    vendor: str = ""
    package: str = ""
    note: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def step_label(self) -> str:
        """「12」 or 「独自1」, as the long CSV writes it."""
        return str(self.step) if self.step is not None else f"独自{self.own_step}"


@dataclass(frozen=True)
class SystemReport:
    """All 40 national steps of one system in one row (the 総務省 layout), as C/P/N/X codes.

    The national workbook has 34,914 such rows; keeping them whole avoids 1.4 million cell objects.
    """

    org_code: str
    system_name: str
    business: int | None
    as_of: date
    codes: str
    sheet: str = ""
    row: int | None = None
    columns: tuple[str, ...] = ()  # the column label of each step, for expanding into ReportRows

    def cells(self) -> list[ReportRow]:
        by_code = {s.code: s for s in Status}
        return [
            ReportRow(
                org_code=self.org_code,
                system_name=self.system_name,
                business=self.business,
                step=i + 1,
                own_step=None,
                own_step_name="",
                status=by_code[c],
                as_of=self.as_of,
                sheet=self.sheet,
                row=self.row,
                column=self.columns[i] if i < len(self.columns) else "",
            )
            for i, c in enumerate(self.codes)
        ]


@dataclass(frozen=True)
class SheetReport:
    """What became of one sheet of a workbook: read (with how many rows) or skipped (with the reason)."""

    name: str
    status: str  # "read" or "skipped"
    reason: str
    rows: int = 0

    def as_dict(self) -> dict:
        return {"sheet": self.name, "status": self.status, "reason": self.reason, "rows": self.rows}


@dataclass
class ParseResult:
    format: str
    cell_rows: list[ReportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    systems: list[SystemReport] = field(default_factory=list)
    # Published 完了率 without step statuses (総務省's 市区町村 sheet): never turned into statuses.
    rates: list[RateReport] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    # The publisher's name for the figures when the file is a government publication (総務省's workbook)
    official_source: dict[str, str] | None = None

    @property
    def rows(self) -> list[ReportRow]:
        """Every cell as a ReportRow (whole-system rows expanded; the import service reads them unexpanded)."""
        if not self.systems:
            return self.cell_rows
        return [*self.cell_rows, *(cell for s in self.systems for cell in s.cells())]

    @rows.setter
    def rows(self, value: list[ReportRow]) -> None:
        self.cell_rows = value

    @property
    def empty(self) -> bool:
        return not self.cell_rows and not self.systems and not self.rates

    @property
    def organizations(self) -> set[str]:
        """Every 団体 the file names (permission is checked for all of them, changed or not)."""
        return (
            {r.org_code for r in self.cell_rows} | {s.org_code for s in self.systems} | {r.org_code for r in self.rates}
        )

    @property
    def ok(self) -> bool:
        """True when nothing stops the import (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings(self.problems)


def row_template(**values: object) -> dict[str, object]:
    """The attribute dict of a ReportRow built normally: every field present, defaults applied.

    It is the instance's own dict, not a copy: CPython keeps it key-sharing (about 180 bytes instead of
    460 for a copy), and fast_step_row fills new rows from it key by key, which keeps theirs shared too.
    Do not modify it.
    """
    return vars(ReportRow(**values))  # type: ignore[arg-type]


_new = object.__new__


def fast_step_row(template: dict[str, object], step: int, status: Status, column: str) -> ReportRow:
    """Equal to ReportRow(**{**template, "step": step, "status": status, "column": column}).

    The national workbook yields 1.4 million rows; the frozen dataclass __init__ (one object.__setattr__
    per field) costs about three times as much as filling the new instance's dict directly.
    """
    row = _new(ReportRow)
    attrs = row.__dict__
    attrs.update(template)
    attrs["step"] = step
    attrs["status"] = status
    attrs["column"] = column
    return row


class FieldError(ValueError):
    """A cell that cannot be read as its field; message/expected/suggestion go into a Problem."""

    def __init__(self, message: str, expected: str = "", suggestion: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.suggestion = suggestion

    def report(self, problems: ProblemList, *, row: int, column: str, value: object) -> None:
        """This error as a problem at the cell it was read from."""
        problems.error(
            self.message, row=row, column=column, value=value, expected=self.expected, suggestion=self.suggestion
        )


_OWN_STEP = re.compile(r"独自(?:ステップ)?[-_:：]?(\d+)(.*)", re.DOTALL)
_NUMBER = re.compile(r"(?:ステップ|step|no\.?|#)?(\d+)(?:\.0+)?", re.IGNORECASE)
_ITEM_NUMBER = re.compile(r"(\d+)-(\d+)")
_CIRCLED = re.compile("[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]")


def read_step(value: object, ctx: ParseContext | None = None) -> tuple[int | None, int | None, str]:
    """(step, own_step, own_step_name) from 「12」, 12.0, 「１２」, 「独自1」, 「独自1 庁内説明会」 or,
    given a context, a heading like 「①-1 推進体制案の作成」 / 「①-1」. Raises FieldError otherwise."""
    if isinstance(value, bool):
        raise FieldError(f"「{value}」は作業ステップとして読めません。", STEP_EXPECTED)
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= value <= NATIONAL_STEPS:
            return int(value), None, ""
        raise FieldError(f"作業ステップ「{_num(value)}」は範囲外です。", STEP_EXPECTED)
    original = str(value or "")
    raw = unicodedata.normalize("NFKC", original).strip()
    compact = "".join(raw.split())
    if not compact:
        raise FieldError("作業ステップが空です。", STEP_EXPECTED)
    own = _OWN_STEP.fullmatch(raw.replace(" ", "")) if raw.startswith("独自") else None
    if own is not None:
        number = int(own.group(1))
        if number < 1:
            raise FieldError(f"独自ステップの番号は1以上です（「{raw}」）。", STEP_EXPECTED)
        name_match = re.match(r"独自(?:ステップ)?\s*[-_:：]?\s*\d+\s*[:：.、]?\s*(.*)", raw, re.DOTALL)
        return None, number, (name_match.group(1).strip() if name_match else "")
    # 「⑫」 alone is the heading of 作業項目 ⑫ (steps 30…), not step 12: NFKC would make it 「12」.
    number_match = None if _CIRCLED.search(original) else _NUMBER.fullmatch(compact)
    if number_match is not None:
        number = int(number_match.group(1))
        if 1 <= number <= NATIONAL_STEPS:
            return number, None, ""
        raise FieldError(f"作業ステップ「{raw}」は範囲外です。", STEP_EXPECTED)
    if ctx is not None:
        step = ctx.step_of_heading(raw)
        if step is None:
            item = _ITEM_NUMBER.match(ctx.fold(raw))
            if item is not None:
                step = ctx.step_headings.get(f"{item.group(1)}-{item.group(2)}")
        if step is not None:
            return step, None, ""
    raise FieldError(f"「{raw}」は作業ステップとして読めません。", STEP_EXPECTED)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class StatusReader:
    """parse_status with a memo per distinct cell string: a sheet has 1.4 million cells, a few values.

    Calling it returns the Status, or a FieldError (not raised: the hot loop checks the type).
    """

    def __init__(self) -> None:
        # Hot loops may read `memo.get(cell) or reader(cell)`: only strings are ever stored.
        self.memo: dict[object, Status | FieldError] = {}

    def __call__(self, value: object) -> Status | FieldError:
        if isinstance(value, str):
            found = self.memo.get(value)
            if found is None:
                found = self._read(value)
                if len(self.memo) < 10_000:
                    self.memo[value] = found
            return found
        return self._read(value)

    @staticmethod
    def _read(value: object) -> Status | FieldError:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            return parse_status(value)
        except StatusError as exc:
            message = f"「{exc.value}」は状態として読めません。"
            return FieldError(message, STATUS_EXPECTED, exc.suggestion or "")


def failed_result(format: str, problem: Problem) -> ParseResult:
    """A result with no rows and one error: a file that could not be read at all."""
    return ParseResult(format, [], [problem])


def reader_failure(format: str, filename: str, exc: Exception) -> ParseResult:
    """Any exception out of a reader (corrupt zip, bad XML, odd cells) as an error, never raised on."""
    if isinstance(exc, ValueError) and type(exc).__module__.startswith("shinchoku."):
        # Our own refusals (DecodeProblem, WorkbookProblem, …) already carry a message for the user.
        message = str(exc)
    elif type(exc).__name__ == "PasswordError":
        message = "パスワードで保護されたファイルは読み込めません。保護を外して保存し直してください。"
    else:
        detail = " ".join(str(exc).split())[:300]
        message = f"ファイルを読み込めませんでした（{type(exc).__name__}{': ' + detail if detail else ''}）"
    return failed_result(format, Problem("error", message, file=filename))
