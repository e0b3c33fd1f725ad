"""Write tables as one XLSX workbook (openpyxl write_only): a 「説明」 sheet, then one sheet per table.

Text starting with = + - @ is stored as a text cell with the quote prefix, so Excel shows it and never
evaluates it, even after the cell is edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from shinchoku import SAMPLE_LABEL, __version__

from .cells import FORMULA_PREFIXES
from .tables import Table
from .writers import NOTICE

BOLD = Font(bold=True)
RED_BOLD = Font(bold=True, color="C00000")
SHEET_TITLE_CHARS = 31
FORBIDDEN = str.maketrans({c: "＿" for c in "[]:*?/\\"})


def _sheet_title(title: str, used: set[str]) -> str:
    base = title.translate(FORBIDDEN)[:SHEET_TITLE_CHARS]
    name, n = base, 2
    while name in used:
        suffix = f"_{n}"
        name = base[: SHEET_TITLE_CHARS - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _guarded(ws: WriteOnlyWorksheet, value: str, font: Font | None = None) -> object:
    c = WriteOnlyCell(ws, value=value)
    if value.startswith(FORMULA_PREFIXES):
        c.data_type = "s"  # openpyxl would otherwise take 「=…」 for a formula
        c.quotePrefix = True
    if font is not None:
        c.font = font
    return c


def _value(ws: WriteOnlyWorksheet, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return _guarded(ws, value)
    return value


def _bold(ws: WriteOnlyWorksheet, values: Sequence[str], font: Font = BOLD) -> list[object]:
    return [_guarded(ws, v, font) for v in values]


def _about_sheet(wb: Workbook, tables: Sequence[Table], *, as_of: date | None, sample: bool) -> None:
    ws = wb.create_sheet("説明")
    ws.append(_bold(ws, ["自治体DX 進捗ダッシュボード オープンデータ"]))
    if sample:
        ws.append(_bold(ws, [NOTICE], RED_BOLD))
    ws.append(["基準日", as_of.isoformat() if as_of else "—"])
    ws.append(["データ区分", SAMPLE_LABEL if sample else "公表データ"])
    source = next((t.source for t in tables if t.source), None)
    if source:
        ws.append(["出典", _value(ws, source)])
    ws.append(["作成", f"shinchoku {__version__}"])
    ws.append(["利用条件", "出典（shinchoku と基準日）を示して自由に利用できます。個人情報は含みません。"])
    for table in tables:
        ws.append([])
        ws.append(_bold(ws, [f"シート「{table.title}」"]))
        if table.description:
            ws.append([table.description])
        ws.append(_bold(ws, ["列", "意味", "型", "例"]))
        for c in table.columns:
            ws.append([_value(ws, c.heading), _value(ws, c.meaning), c.type, _value(ws, c.example)])


def write_xlsx(tables: Sequence[Table], out: IO[bytes] | Path, *, as_of: date | None, sample: bool) -> int:
    """Returns the number of data rows written over all tables."""
    wb = Workbook(write_only=True)
    _about_sheet(wb, tables, as_of=as_of, sample=sample)
    used = {"説明"}
    n = 0
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table.title, used))
        ws.freeze_panes = "C2" if len(table.columns) > 2 and table.columns[1].key == "organization_name" else "B2"
        ws.append(_bold(ws, table.headings))
        for row in table.rows:
            ws.append([_value(ws, v) for v in row])
            n += 1
    wb.save(out)
    return n
