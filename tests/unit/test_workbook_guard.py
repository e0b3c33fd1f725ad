"""Far-reaching workbooks are refused before calamine reads them, and a reader that dies, hangs or runs out
of memory is a child process whose death becomes a Japanese refusal — never the end of this process."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from shinchoku.imports import extent, isolation
from shinchoku.imports.context import load_reference_context
from shinchoku.imports.parse import parse
from shinchoku.imports.workbook import Book, WorkbookProblem, check_workbook_bytes
from tests.crafted_workbooks import FAR_SHEETS, ODS_FAR, sheet, unnumbered_cells, xlsx

CTX = load_reference_context("crafted.xlsx")
TOO_FAR = "シートの範囲が大きすぎる"


@pytest.mark.parametrize("name", sorted(FAR_SHEETS))
def test_far_cells_in_any_spelling_are_refused_before_reading(name: str) -> None:
    with pytest.raises(WorkbookProblem, match=TOO_FAR):
        check_workbook_bytes(xlsx(FAR_SHEETS[name]))


@pytest.mark.parametrize("name", sorted(FAR_SHEETS))
def test_parse_reports_far_cells_as_an_error_and_this_process_lives_on(name: str) -> None:
    result = parse(xlsx(FAR_SHEETS[name]), CTX)
    assert not result.ok
    assert TOO_FAR in result.problems[0].message


def test_unnumbered_cells_are_counted_as_calamine_numbers_them() -> None:
    # 16,384 cells without r in row 1,048,576: far, although no r names a far cell
    with pytest.raises(WorkbookProblem, match=TOO_FAR):
        check_workbook_bytes(xlsx(unnumbered_cells(1_048_576, 16_384)))
    check_workbook_bytes(xlsx(unnumbered_cells(500, 40)))  # a small sheet written that way is fine


def test_a_sheet_at_an_unusual_path_is_measured_too() -> None:
    data = xlsx(FAR_SHEETS["single quotes"], sheet_path="xl/data/cells.png")
    with pytest.raises(WorkbookProblem, match=TOO_FAR):
        check_workbook_bytes(data)


def test_ods_repetitions_in_single_quotes_are_counted() -> None:
    with pytest.raises(WorkbookProblem, match=TOO_FAR):
        check_workbook_bytes(ODS_FAR)


def test_entity_declarations_are_refused() -> None:
    doctype = '<!DOCTYPE worksheet [<!ENTITY far "XFD1048576">]>'
    data = xlsx(sheet('<row r="2"><c r="&far;"/></row>').replace("?>", "?>" + doctype, 1))
    with pytest.raises(WorkbookProblem, match="DTD"):
        check_workbook_bytes(data)


def _openpyxl_sheet_xml() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in range(1, 30):
        ws.cell(row=r, column=5, value=f"値{r}")
    buf = io.BytesIO()
    wb.save(buf)
    return zipfile.ZipFile(buf).read("xl/worksheets/sheet1.xml")


def test_ordinary_sheets_take_the_fast_path_and_odd_ones_are_measured_exactly() -> None:
    ordinary = _openpyxl_sheet_xml()
    assert extent._fast_extent([ordinary]) == extent.FAST_LIMIT
    odd = ordinary.replace(b' r="E29"', b" r = 'E29'")
    assert extent._fast_extent([odd]) is None
    assert extent.xlsx_extent(lambda: [odd]) == (29, 5)


# Run in a small fresh process: in a long test session, memory the process freed earlier can be reused by the
# forked child without growing its address space, so the limit might not be reached.
_ABORT_SCRIPT = """
import sys
from shinchoku.imports import isolation
from shinchoku.imports.context import load_reference_context
from shinchoku.imports.parse import parse
from shinchoku.imports.workbook import Book

data = open(sys.argv[1], "rb").read()
isolation.MEMORY_BYTES = 16 * 1024 * 1024
try:
    Book(data)
except isolation.ReadFailed as e:
    print("refused:", e)
print("parse:", parse(data, load_reference_context("big.xlsx")).problems[0].message)
"""


def test_a_reader_that_aborts_becomes_a_refusal(tmp_path: Path) -> None:
    # 1,048,576 rows of one cell: calamine needs more than 16 MB, its allocation fails and Rust aborts the child
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx(sheet("".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in (2, 1_048_576)))))
    done = subprocess.run([sys.executable, "-c", _ABORT_SCRIPT, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]  # the process that asked is alive and well
    refused, parsed = done.stdout.splitlines()
    assert refused.startswith("refused: ファイルを読み込めませんでした")
    assert parsed.startswith("parse: ファイルを読み込めませんでした")


def test_a_reader_past_its_time_is_stopped() -> None:
    rows = "".join("<row><c><v>1</v></c></row>" for _ in range(400_000))  # unnumbered: read exactly, slowly
    data = xlsx(sheet(rows))
    with isolation.time_limit(0.2), pytest.raises(isolation.ReadFailed, match="秒以内に読み終わりませんでした"):
        Book(data)


def test_the_reader_returns_plain_values() -> None:
    data = xlsx(sheet('<row r="2"><c r="B2"><v>3.5</v></c><c r="C2" t="inlineStr"><is><t>完了済み</t></is></c></row>'))
    book = Book(data)
    assert book.sheet_names == ["Sheet1"]
    assert book.grid("Sheet1") == [["作業ステップ", "", ""], ["", 3.5, "完了済み"]]
