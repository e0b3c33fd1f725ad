"""Spreadsheet reading helpers: recognising workbook bytes, refusing zip bombs and far-reaching sheets,
reading sheets (calamine, in a child process: isolation.py)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from .guard import WorkbookProblem, check_workbook_bytes, is_ole2, is_workbook, is_zip

__all__ = [
    "Book",
    "Cell",
    "Grid",
    "WorkbookProblem",
    "cell_text",
    "check_workbook_bytes",
    "is_ole2",
    "is_workbook",
    "is_zip",
    "norm_text",
]

Cell = Any  # str | float | int | bool | date | datetime | time | timedelta, "" for an empty cell
Grid = list[list[Cell]]

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060"), None)


def norm_text(value: str) -> str:
    """NFKC; surrounding whitespace (incl. U+3000) and stray BOM / zero-width characters removed."""
    return unicodedata.normalize("NFKC", value).translate(_INVISIBLE).strip()


def cell_text(value: Cell) -> str:
    """A cell as text: "" for empty, 12 for 12.0, ISO for dates; strings NFKC-normalised and stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return norm_text(value) if value else ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return norm_text(str(value))


def first_filled(records: Sequence[Sequence[Cell]]) -> int | None:
    """The index of the first record with any text in it (the header of a long table), None when all are empty."""
    return next((i for i, r in enumerate(records) if any(cell_text(c) for c in r)), None)


def workbook_sheet_names(data: bytes) -> list[str]:
    """The sheet names of a workbook without reading any sheet; [] for anything that is not one."""
    if not is_workbook(data):
        return []
    from .isolation import read_book

    try:
        return read_book(data, names_only=True)[0]
    except Exception:
        return []


class Book:
    """A workbook's sheets, read by calamine in a child process (see isolation.py) and checked there first
    (check_workbook_bytes). Raises WorkbookProblem for a file it will not or cannot read."""

    def __init__(self, data: bytes) -> None:
        from .isolation import read_book

        self.sheet_names, self._grids = read_book(data)

    def grid(self, name: str) -> Grid:
        """All rows of a sheet from A1 (index i is Excel row i + 1); "" for empty cells."""
        return self._grids[name]

    def head(self, name: str, nrows: int) -> Grid:
        """The first rows of a sheet."""
        return self.grid(name)[:nrows]

    def close(self) -> None:
        self._grids.clear()
