"""One uploaded or downloaded file, opened once: its workbook or its text, shared by detection and parsing."""

from __future__ import annotations

from functools import cached_property

from .decoding import decode_text, read_csv_records
from .workbook import Book, Grid, is_workbook

__all__ = ["HEAD_ROWS", "Source"]

HEAD_ROWS = 20
MAX_SHEETS_SNIFFED = 20


class Source:
    """The bytes of a file with its workbook (python-calamine) or its CSV records, read on first use."""

    def __init__(self, data: bytes, filename: str) -> None:
        self.data = data
        self.filename = filename

    @cached_property
    def is_workbook(self) -> bool:
        return is_workbook(self.data)

    @cached_property
    def book(self) -> Book:
        """The workbook; WorkbookProblem (a Japanese message) for a file that must not or cannot be read."""
        return Book(self.data)

    @cached_property
    def records(self) -> Grid:
        """Every record of a text file (UTF-8 or CP932, detected)."""
        text, _encoding = decode_text(self.data)
        return read_csv_records(text)

    @property
    def sheet_names(self) -> list[str]:
        return self.book.sheet_names if self.is_workbook else []

    def tables(self) -> list[tuple[str, Grid]]:
        """(sheet name, rows) of every sheet, or ("", records) for a text file."""
        if self.is_workbook:
            return [(name, self.book.grid(name)) for name in self.book.sheet_names]
        return [("", self.records)]

    def heads(self, rows: int = HEAD_ROWS) -> list[tuple[str, Grid]]:
        """The first rows of each sheet (at most 20 sheets): enough to recognise a layout."""
        if self.is_workbook:
            return [(name, self.book.head(name, rows)) for name in self.book.sheet_names[:MAX_SHEETS_SNIFFED]]
        return [("", self.records[:rows])]

    def close(self) -> None:
        if "book" in self.__dict__:
            self.book.close()
