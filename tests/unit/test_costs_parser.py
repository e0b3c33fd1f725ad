"""The cost CSV reader without a database: good rows, every bad row named by row and column, the workbook form."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from shinchoku import SAMPLE_LABEL
from shinchoku.costs.parser import CostRow, find_header, looks_like_costs, parse_tables
from shinchoku.imports.context import load_reference_context
from shinchoku.imports.decoding import decode_text, read_csv_records
from shinchoku.imports.workbook import Book

HEADER = "全国地方公共団体コード,年度,区分,金額（千円）,対象システム,備考"
ISHINOMAKI, SENDAI = "042021", "041009"


@pytest.fixture(scope="module")
def ctx():
    return load_reference_context("costs.csv")


def parse(ctx, text: str, *, org_systems=None, latest: int = 2026):
    records = read_csv_records(decode_text(text.encode("utf-8"))[0])
    return parse_tables([("", records)], ctx, org_systems=org_systems or {}, latest_year=latest)


def errors(parsed) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in parsed.problems if p.is_error]


def test_good_rows_become_cost_rows_and_comments(ctx):
    parsed = parse(
        ctx,
        f"""{HEADER}
042021,2018,システム利用料・保守,"150,000",,
42021,平成30年度,回線費,12000,,光回線
042021,R6年度,ガバメントクラウド利用料,８０００,,
042021,2024,保守,200000,住民記録,
042021,令和6年度,コメント,,,クラウド利用料が増えました
041009,2018,運用支援・その他,0,共通,
""",
    )
    assert parsed.ok, parsed.problems
    assert parsed.rows == [
        CostRow(ISHINOMAKI, 2018, "system_usage", "", 150000, "", 2),
        CostRow(ISHINOMAKI, 2018, "network", "", 12000, "光回線", 3),
        CostRow(ISHINOMAKI, 2024, "gov_cloud", "", 8000, "", 4),
        CostRow(ISHINOMAKI, 2024, "system_usage", "住民基本台帳", 200000, "", 5),
        CostRow(SENDAI, 2018, "operations", "共通機能", 0, "", 7),
    ]
    assert parsed.comments == {(ISHINOMAKI, 2024): "クラウド利用料が増えました"}
    assert parsed.organizations == {ISHINOMAKI, SENDAI}
    assert parsed.years == {(ISHINOMAKI, 2018), (ISHINOMAKI, 2024), (SENDAI, 2018)}
    assert not parsed.sample_data


def test_each_bad_row_is_named_by_row_and_column(ctx):
    parsed = parse(
        ctx,
        f"""{HEADER}
042021,2018,人件費,1000,,
042021,2019,回線費,-500,,
042021,2017,回線費,100,,
042022,2019,回線費,100,,
999999,2019,回線費,100,,
042021,2019,回線費,12.5,,
042021,2019,回線費,100,存在しないシステム,
""",
    )
    assert not parsed.ok
    found = errors(parsed)
    assert found[0][:2] == (2, "C列（区分）") and "区分「人件費」はありません" in found[0][2]
    assert found[1][:2] == (3, "D列（金額(千円)）") and "マイナス" in found[1][2]
    assert found[2][:2] == (4, "B列（年度）") and "基準年度より前" in found[2][2]
    assert found[3][:2] == (5, "A列（全国地方公共団体コード）") and "チェックディジット" in found[3][2]
    assert found[4][:2] == (6, "A列（全国地方公共団体コード）")
    assert found[5][:2] == (7, "D列（金額(千円)）") and "整数" in found[5][2]
    assert found[6][:2] == (8, "E列（対象システム）") and "存在しないシステム" in found[6][2]
    assert parsed.rows == []
    unknown = next(p for p in parsed.problems if p.row == 2)
    assert "システム利用料・保守" in unknown.expected and "コメント" in unknown.expected


def test_duplicates_and_comment_rows_with_amounts_are_errors(ctx):
    parsed = parse(
        ctx,
        f"""{HEADER}
042021,2019,回線費,100,,
042021,R1,回線,200,,
042021,2019,コメント,5,,理由
042021,2019,コメント,,,一つ目
042021,2019,コメント,,,二つ目
""",
    )
    messages = [m for _r, _c, m in errors(parsed)]
    assert any("2行目と3行目" in m for m in messages)
    assert any("金額を入れません" in m for m in messages)
    assert any("5行目と6行目" in m for m in messages)


def test_empty_amounts_and_empty_comments_are_skipped(ctx):
    parsed = parse(
        ctx,
        f"""{HEADER}
042021,2019,回線費,,,
042021,2019,コメント,,,
042021,2019,システム利用料・保守,100,,
042021,2019,運用支援・その他,,,メモだけ
""",
    )
    assert parsed.ok
    assert [r.category for r in parsed.rows] == ["system_usage"]
    assert parsed.comments == {}
    assert [p.row for p in parsed.problems if not p.is_error] == [5]  # a note without an amount is worth a warning


def test_missing_columns_unknown_columns_and_sample_label(ctx):
    parsed = parse(ctx, "全国地方公共団体コード,年度,金額（千円）\n042021,2019,1\n")
    assert any("必須の列がありません: 区分" in m for _r, _c, m in errors(parsed))
    parsed = parse(
        ctx,
        f"{HEADER},地方公共団体名,データ区分,メモ\n042021,2019,回線費,1,,,宮城県石巻市,{SAMPLE_LABEL},x\n",
    )
    assert parsed.ok and parsed.sample_data
    assert [p.column for p in parsed.problems] == ["I列（メモ）"]


def test_a_system_the_organization_added_is_accepted_by_its_name(ctx):
    text = f"{HEADER}\n042021,2019,システム利用料・保守,10,統合収納管理,\n"
    assert not parse(ctx, text).ok
    parsed = parse(ctx, text, org_systems={ISHINOMAKI: {"統合収納管理": "統合収納管理"}})
    assert parsed.ok and parsed.rows[0].system == "統合収納管理"


def test_a_year_after_the_latest_is_refused(ctx):
    parsed = parse(ctx, f"{HEADER}\n042021,R10,回線費,1,,\n", latest=2026)
    assert errors(parsed)[0][:2] == (2, "B列（年度）")


def test_the_header_is_recognised_and_a_workbook_reads_its_cost_sheet(ctx):
    assert looks_like_costs(["団体コード", "年度", "区分", "金額"])
    assert not looks_like_costs(["全国地方公共団体コード", "対象システム", "作業ステップ", "状態", "基準日"])
    wb = Workbook()
    ws = wb.active
    ws.title = "記入方法"
    ws.append(["説明"])
    data = wb.create_sheet("運用経費")
    data.append(["運用経費の報告"])
    data.append(["全国地方公共団体コード", "地方公共団体名", "年度", "区分", "金額（千円）", "対象システム", "備考"])
    data.append(["042021", "宮城県石巻市", 2018, "回線費", 1200.0, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    book = Book(buf.getvalue())
    tables = [(name, book.grid(name)) for name in book.sheet_names]
    assert find_header(tables[1][1]) == 1
    parsed = parse_tables(tables, ctx, org_systems={}, latest_year=2026)
    assert parsed.ok and parsed.rows == [CostRow(ISHINOMAKI, 2018, "network", "", 1200, "", 3)]
    assert [(s.name, s.status) for s in parsed.sheets] == [("記入方法", "skipped"), ("運用経費", "read")]


def test_a_file_without_a_cost_header_is_refused(ctx):
    parsed = parse(ctx, "a,b,c\n1,2,3\n")
    assert not parsed.ok and "見出し行" in parsed.problems[0].message
