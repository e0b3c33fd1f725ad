"""Spreadsheet reading helpers: recognising workbook bytes, refusing zip bombs, reading sheets (calamine)."""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

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

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMB_RATIO = 20
BOMB_BYTES = 200 * 1024 * 1024
# calamine allocates a sheet densely from A1 to its last cell: one cell at XFD1048576 would mean 17 billion
# cells and abort the process (a Rust allocation failure is not an exception). The national file is 1.5 M.
MAX_CELLS = 10_000_000
# A reference beyond column CZ (104) or row 99999: only then are all references measured, so ordinary
# files (up to 104 × 99,999 ≈ 10 M cells) pay one regex search over their sheet XML.
_FAR_REF = re.compile(rb' r="(?:[A-Z]{3,}[0-9]+|[D-Z][A-Z][0-9]+|[A-Z]{0,2}[0-9]{6,})"')
_ANY_REF = re.compile(rb' r="([A-Z]{0,3})([0-9]{1,7})"')
_SHEET_XML = re.compile(r"xl/worksheets/[^/]+\.xml")
# ODS writes repetition counts instead of cells; only cells with a value are expanded by calamine.
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.DOTALL)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)")
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]+)"')


class WorkbookProblem(ValueError):
    """A workbook we will not or cannot read; str(e) is a Japanese message."""


def is_zip(data: bytes) -> bool:
    return data[:4] == _ZIP_MAGIC


def is_ole2(data: bytes) -> bool:
    return data[:8] == _OLE2_MAGIC


def is_workbook(data: bytes) -> bool:
    """xlsx/ods (a zip) or xls (an OLE2 compound file), by magic bytes."""
    return is_zip(data) or is_ole2(data)


def check_workbook_bytes(data: bytes) -> None:
    """Refuse what the reader should never be handed: a broken zip, a zip that is no spreadsheet, a zip
    bomb (declared uncompressed size over 20× the file and over 200 MB), a sheet whose extent (A1 to the
    farthest cell) exceeds MAX_CELLS. xls (OLE2) files are handed over unchecked."""
    if not is_zip(data):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            if declared > BOMB_RATIO * max(len(data), 1) and declared > BOMB_BYTES:
                raise WorkbookProblem(
                    f"展開後のサイズが大きすぎるため読み込みません（{len(data):,} バイトのファイルが "
                    f"{declared:,} バイトに展開されます）"
                )
            names = {info.filename for info in infos}
            if not names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
                raise WorkbookProblem("Excel（.xlsx）や ODS のファイルではありません（別の種類の zip ファイルです）")
            for info in infos:
                if _SHEET_XML.fullmatch(info.filename):
                    _check_extent(archive, info)
                elif info.filename == "content.xml":
                    _check_ods_extent(archive.read(info))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise WorkbookProblem(f"Excel ファイルが壊れています（zip として読めません: {exc}）") from None


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in overlapping 4 MB pieces, so no reference is split between two."""
    with archive.open(info) as member:
        tail = b""
        while chunk := member.read(1 << 22):
            yield tail + chunk
            tail = chunk[-32:]


def _refuse_extent(rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS:
        raise WorkbookProblem(
            f"シートの範囲が大きすぎるため読み込みません（{rows:,} 行 × {columns:,} 列。離れたセルに値や"
            "書式が残っていないか確認してください）"
        )


def _repeat(attrs: bytes) -> int:
    found = _ODS_REPEAT.search(attrs)
    return int(found.group(1)) if found else 1


def _check_ods_extent(content: bytes) -> None:
    """The rows × columns up to the last cell with a value, counting repetitions (all sheets together)."""
    if b"-repeated=" not in content:
        return
    height = valued_height = width = 0
    for row in _ODS_ROW.finditer(content):
        height += _repeat(row.group(1))
        body = row.group(2) or b""
        if b"office:value-type" not in body:
            continue
        valued_height = height
        position = 0
        for cell in _ODS_CELL.finditer(body):
            position += _repeat(cell.group(1))
            if b"office:value-type" in cell.group(1):
                width = max(width, position)
    _refuse_extent(valued_height, width)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    if not any(_FAR_REF.search(chunk) for chunk in _chunks(archive, info)):
        return
    rows = columns = 1
    for chunk in _chunks(archive, info):
        for letters, digits in _ANY_REF.findall(chunk):
            rows = max(rows, int(digits))
            if letters:
                columns = max(columns, _column_number(letters))
    _refuse_extent(rows, columns)


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


def workbook_sheet_names(data: bytes) -> list[str]:
    """The sheet names of a workbook without reading any sheet; [] for anything that is not one."""
    if not is_workbook(data):
        return []
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return list(wb.sheet_names)
        finally:
            wb.close()
    except Exception:
        return []


class Book:
    """A workbook opened with python-calamine; sheets are read on first use and kept."""

    def __init__(self, data: bytes) -> None:
        check_workbook_bytes(data)
        from python_calamine import CalamineWorkbook

        self._wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.sheet_names: list[str] = list(self._wb.sheet_names)
        self._grids: dict[str, Grid] = {}

    def grid(self, name: str) -> Grid:
        """All rows of a sheet from A1 (index i is Excel row i + 1); "" for empty cells."""
        grid = self._grids.get(name)
        if grid is None:
            grid = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            self._grids[name] = grid
        return grid

    def head(self, name: str, nrows: int) -> Grid:
        """The first rows of a sheet. calamine reads a whole sheet either way, so the grid is kept."""
        return self.grid(name)[:nrows]

    def close(self) -> None:
        self._grids.clear()
        with contextlib.suppress(Exception):
            self._wb.close()
