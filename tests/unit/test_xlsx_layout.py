"""XLSX downloads read well in Excel: column widths, an autofilter, a frozen header, rates shown as %."""

from __future__ import annotations

from openpyxl import load_workbook

from shinchoku.opendata.tables import Column, Table
from shinchoku.opendata.xlsx import write_xlsx

COLUMNS = [
    Column("organization_code", "全国地方公共団体コード", "", "str", "042021"),
    Column("organization_name", "団体名", "", "str", "宮城県石巻市"),
    Column("completion_rate", "完了率（総務省方式）", "", "float", "0.825"),
    Column("systems", "対象システム数", "", "int", "20"),
]


def test_xlsx_sheets_have_widths_an_autofilter_a_frozen_header_and_percent_rates(tmp_path):
    rows = [("042021", "宮城県石巻市", 0.825, 20), ("041009", "宮城県仙台市", None, 22)]
    second = Table("s2", "二つ目", COLUMNS, [("131016", "東京都千代田区", 0.5, 19)])
    path = tmp_path / "t.xlsx"
    write_xlsx([Table("s1", "一つ目", COLUMNS, rows), second], path, as_of=None, sample=False)
    wb = load_workbook(path)
    ws = wb["一つ目"]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws.column_dimensions["A"].width >= 2 * len("全国地方公共団体コード")
    rate = ws["C2"]
    assert rate.value == 0.825 and rate.number_format == "0.0%"  # the value stays a fraction
    assert ws["D2"].number_format == "General"
    other = wb["二つ目"]
    assert other["A2"].value == "131016"  # each sheet's rows start under its own header
    assert other.auto_filter.ref == "A1:D2"
