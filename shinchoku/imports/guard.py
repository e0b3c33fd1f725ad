"""What a workbook must pass before any reader sees it: a spreadsheet's magic bytes, no zip bomb, no sheet that
reaches further than MAX_CELLS (calamine allocates a sheet densely and aborts on failure)."""

from __future__ import annotations

import functools
import io
import zipfile
import zlib
from collections.abc import Iterator

from . import extent

__all__ = [
    "BOMB_BYTES",
    "BOMB_RATIO",
    "MAX_CELLS",
    "WorkbookProblem",
    "check_workbook_bytes",
    "is_ole2",
    "is_workbook",
    "is_zip",
]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMB_RATIO = 20
BOMB_BYTES = 200 * 1024 * 1024
# calamine allocates a sheet densely from A1 to its last cell: one cell at XFD1048576 would mean 17 billion
# cells and abort the process (a Rust allocation failure is not an exception). The national file is 1.5 M.
MAX_CELLS = 10_000_000


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
            ods = "content.xml" in names and not names & {"xl/workbook.xml", "xl/workbook.bin"}
            for info in infos:
                if ods and info.filename == "content.xml":
                    _refuse_extent(*extent.ods_extent(_chunks(archive, info)))
                elif not ods and _is_xml(archive, info):  # a sheet may live at any path its relationship names
                    _refuse_extent(*extent.xlsx_extent(functools.partial(_chunks, archive, info)))
    except extent.MalformedSheet as exc:
        raise WorkbookProblem(f"Excel ファイルが壊れています（{exc}）") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise WorkbookProblem(f"Excel ファイルが壊れています（zip として読めません: {exc}）") from None


def _is_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """By content, not by name: XML starts with "<" (after a BOM and white space); images and .bin do not."""
    if info.is_dir():
        return False
    with archive.open(info) as member:
        head = member.read(64)
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in 4 MB pieces."""
    with archive.open(info) as member:
        while chunk := member.read(1 << 22):
            yield chunk


def _refuse_extent(rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS:
        raise WorkbookProblem(
            f"シートの範囲が大きすぎるため読み込みません（{rows:,} 行 × {columns:,} 列。離れたセルに値や"
            "書式が残っていないか確認してください）"
        )
