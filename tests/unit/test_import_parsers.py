"""The file parsers for progress-report imports (pure Python; no database)."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from bench.make_soumu_workbook import SHEET_NAME, write_national_workbook
from shinchoku.domain.status import Status
from shinchoku.imports.context import ParseContext, load_reference_context
from shinchoku.imports.decoding import DecodeProblem, decode_text
from shinchoku.imports.detect import detect_format
from shinchoku.imports.parse import parse, parse_long_csv, parse_matrix, parse_soumu
from shinchoku.imports.problems import MAX_STORED, Problem, ProblemList, column_label, errors, warnings
from shinchoku.imports.rows import ParseResult, ReportRow, fast_step_row, read_step, row_template
from tests.unit.soumu_sheet import HEADINGS, soumu_rows, statuses

LONG_HEADER = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日"


@pytest.fixture(scope="module")
def base_ctx() -> ParseContext:
    return load_reference_context("sample.xlsx")


def make_ctx(base: ParseContext, filename: str = "sample.xlsx", **kw: object) -> ParseContext:
    return dataclasses.replace(base, filename=filename, **kw)  # type: ignore[arg-type]


def xlsx_bytes(rows: Sequence[Sequence[object]], title: str = SHEET_NAME, extra_sheets: int = 0) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for n in range(extra_sheets):
        wb.create_sheet(f"空{n}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def messages(result: ParseResult) -> list[str]:
    return [p.format() for p in result.problems]


# ---- 総務省 workbook ------------------------------------------------------------------------------


def test_soumu_generated_subset_parses(base_ctx: ParseContext, tmp_path: Path) -> None:
    path = tmp_path / "progress.xlsx"
    orgs = [
        ("宮城県", "石巻市"),
        ("宮城県", "-"),
        ("東京都", "府中市"),
        ("広島県", "府中市"),
        ("高知県", "檮原町"),
    ]
    count = write_national_workbook(path, orgs=orgs, businesses=["住民基本台帳", "児童扶養手当", "生活保護"])
    assert count == 4 * 3 + 2
    data = path.read_bytes()
    assert detect_format(data, path.name) == "soumu"
    result = parse(data, make_ctx(base_ctx, path.name))
    assert result.ok, messages(result)
    assert result.format == "soumu"
    assert len(result.rows) == count * 40
    pairs = {(r.org_code, r.system_name) for r in result.rows}
    assert ("132063", "住民基本台帳") in pairs and ("342084", "住民基本台帳") in pairs  # 府中市 ×2
    assert ("394050", "生活保護") in pairs  # 檮原町 = 梼原町
    assert ("040002", "児童扶養手当") in pairs and ("040002", "住民基本台帳") not in pairs
    assert {r.as_of for r in result.rows} == {date(2026, 1, 31)}
    assert all(r.step is not None and r.own_step is None for r in result.rows)
    assert {r.step for r in result.rows} == set(range(1, 41))


def test_soumu_names_aliases_prefecture_rows_and_as_of(base_ctx: ParseContext) -> None:
    data = xlsx_bytes(
        soumu_rows(
            [
                ["東京都", "府中市", "住民記録", *statuses()],
                ["広島県", "府中市", "戸籍附票", *statuses("未", s1="完了済み")],
                ["高知県", "檮原町", "国民年金", *statuses("対象外")],
                ["宮城県", "-", "生活保護", *statuses("作業中")],
                ["宮城県", None, "児童扶養手当", *statuses()],
                [],
                ["宮城県", "石巻市", "住民基本台帳", *statuses(s40="未着手")],
            ]
        )
    )
    result = parse_soumu(data, make_ctx(base_ctx))
    assert result.ok, messages(result)
    by = {(r.org_code, r.system_name, r.step): r for r in result.rows}
    assert by[("132063", "住民基本台帳", 1)].business == 1
    assert by[("342084", "戸籍の附票", 2)].status is Status.NOT_STARTED
    assert by[("342084", "戸籍の附票", 1)].status is Status.COMPLETED
    assert by[("394050", "国民年金", 5)].status is Status.NOT_APPLICABLE
    assert by[("040002", "生活保護", 3)].status is Status.IN_PROGRESS
    assert ("040002", "児童扶養手当", 1) in by
    row = by[("042021", "住民基本台帳", 40)]
    assert row.status is Status.NOT_STARTED and row.as_of == date(2026, 1, 31)
    assert row.row == 10 and row.sheet == SHEET_NAME and row.column == "AQ列（⑱-1 運用開始ステータス）"


def test_soumu_header_not_first_row_multiline_headings_and_extra_column(base_ctx: ParseContext) -> None:
    headings = [h.replace(" ", "\n", 1) for h in HEADINGS]
    rows = soumu_rows([["宮城県", "石巻市", "住民基本台帳", *statuses(), "メモ"]], headings=[*headings, "備考"])
    rows.insert(0, ["資料1"])
    result = parse(xlsx_bytes(rows), make_ctx(base_ctx))
    assert result.ok, messages(result)
    assert len(result.rows) == 40
    assert [p.severity for p in result.problems] == ["warning"]
    assert "備考" in result.problems[0].format()


def test_soumu_two_row_header(base_ctx: ParseContext) -> None:
    items = [h.split(" ")[0].split("-")[0] for h in HEADINGS]  # 「①」 above 「推進体制案の作成」
    names = [h.split(" ", 1)[1] for h in HEADINGS]
    rows = [
        ["令和8年1月"],
        ["都道府県名", "市区町村名", "業務名", *items],
        ["", "", "", *names],
        ["宮城県", "石巻市", "戸籍", *statuses(s2="作業中")],
    ]
    result = parse(xlsx_bytes(rows), make_ctx(base_ctx))
    assert result.ok, messages(result)
    assert [(r.row, r.step, r.status) for r in result.rows][:2] == [
        (4, 1, Status.COMPLETED),
        (4, 2, Status.IN_PROGRESS),
    ]


def test_soumu_as_of_from_context_or_error(base_ctx: ParseContext) -> None:
    data = xlsx_bytes(soumu_rows([["宮城県", "石巻市", "住民基本台帳", *statuses()]], title=""))
    missing = parse_soumu(data, make_ctx(base_ctx, "progress.xlsx"))
    assert not missing.ok and "基準日" in missing.errors[0].message
    given = parse_soumu(data, make_ctx(base_ctx, "progress.xlsx", as_of=date(2025, 12, 31)))
    assert given.ok and {r.as_of for r in given.rows} == {date(2025, 12, 31)}
    from_name = parse_soumu(data, make_ctx(base_ctx, "進捗_令和7年11月.xlsx"))
    assert from_name.ok and from_name.rows[0].as_of == date(2025, 11, 30)


def test_soumu_missing_step_column_is_an_error(base_ctx: ParseContext) -> None:
    data = xlsx_bytes(soumu_rows([["宮城県", "石巻市", "住民基本台帳", *statuses()[:39]]], headings=HEADINGS[:39]))
    result = parse(data, make_ctx(base_ctx))
    assert not result.ok
    assert any("作業ステップ 40 の列が見つかりません" in m for m in messages(result))


def test_soumu_bad_rows_name_row_and_column(base_ctx: ParseContext) -> None:
    data = xlsx_bytes(
        soumu_rows(
            [
                ["宮城県", "石巻市", "住民基本台帳", *statuses(s5="未着")],
                ["宮城県", "石巻氏", "住民基本台帳", *statuses()],
                ["宮城県", "石巻市", "住民基本台長", *statuses()],
                ["宮城", "府中市", "戸籍", *statuses()],
                ["", "府中市", "戸籍", *statuses()],
                ["宮城県", "石巻市", "住民基本台帳", *statuses()],
            ]
        )
    )
    result = parse(data, make_ctx(base_ctx))
    assert not result.ok
    by_row = {p.row: p for p in result.errors}
    status = by_row[4]
    assert status.column == "H列（②-2 連携一覧の調査・作成）" and status.value == "未着"
    assert status.suggestion == "未着手"
    assert status.format().startswith(f"sample.xlsx シート「{SHEET_NAME}」 4行目 H列（②-2 連携一覧の調査・作成）: ")
    assert by_row[5].column == "B列（市区町村名）" and "宮城県 石巻市" in by_row[5].suggestion
    assert by_row[6].format() == (
        f"sample.xlsx シート「{SHEET_NAME}」 6行目 C列（業務名）: "
        "「住民基本台長」は業務名として登録されていません。候補: 住民基本台帳"
    )
    assert "府中市" in by_row[7].message  # no 府中市 in 宮城県
    assert "132063" in by_row[8].message and "342084" in by_row[8].message  # ambiguous without prefecture
    assert "4行目" in by_row[9].message  # duplicate 団体 × 業務
    # A row with any bad cell is left out whole; the service applies nothing unless result.ok anyway.
    assert {r.row for r in result.rows} == set()


# ---- long CSV ------------------------------------------------------------------------------------

LONG_VALID = f"""{LONG_HEADER},作業ステップ名,事業者名,パッケージ名,備考
042021,住民基本台帳,1,完了済み,2024-10-31,,ベンダーA,パッケージX,
042021,住民記録,2,●,2024/10/31,,,,
42021,戸籍附票,3,作業中,R6.10.31,,,,
０４２０２,統合収納管理,12,対象外,令和6年10月31日,,,,'=1+1
132063,住民基本台帳,独自1,完了,2024-10-31,庁内説明会,,,
342084,住民基本台帳,独自２,未,2024-10-31,,,,
394050,国民年金,40,,2024-10-31,,,,
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_long_csv_encodings(base_ctx: ParseContext, encoding: str) -> None:
    data = LONG_VALID.encode(encoding)
    assert detect_format(data, "progress.csv") == "long"
    assert decode_text(data)[0].startswith("全国地方公共団体コード")
    result = parse(data, make_ctx(base_ctx, "progress.csv"))
    assert result.ok, messages(result)
    assert result.format == "long"
    rows = result.rows
    assert len(rows) == 7
    assert rows[0] == ReportRow(
        "042021",
        "住民基本台帳",
        1,
        1,
        None,
        "",
        Status.COMPLETED,
        date(2024, 10, 31),
        vendor="ベンダーA",
        package="パッケージX",
        row=2,
        column="D列（状態）",
    )
    assert (rows[1].system_name, rows[1].business) == ("住民基本台帳", 1)
    assert (rows[2].org_code, rows[2].system_name, rows[2].business) == ("042021", "戸籍の附票", 3)
    assert (rows[3].system_name, rows[3].business, rows[3].note) == ("統合収納管理", None, "=1+1")
    assert (rows[4].step, rows[4].own_step, rows[4].own_step_name) == (None, 1, "庁内説明会")
    assert (rows[5].org_code, rows[5].own_step, rows[5].status) == ("342084", 2, Status.NOT_STARTED)
    assert (rows[6].org_code, rows[6].status) == ("394050", Status.NOT_STARTED)


def test_long_csv_bad_rows(base_ctx: ParseContext) -> None:
    text = f"""{LONG_HEADER},担当者
042022,住民基本台帳,1,完了済み,2024-10-31,山田
042021,住民基本台帳,2,未着,2024-10-31,
042021,住民基本台帳,独自0,完了済み,2024-10-31,
042021,住民基本台帳,41,完了済み,2024-10-31,
042021,住民基本台帳,5,完了済み,2024-02-30,
999999,住民基本台帳,6,完了済み,2024-10-31,
042021,住民基本台帳,7,完了済み,2024-10-31,
042021,住民記録,7,完了済み,2024-10-31,
"""
    result = parse_long_csv(text.encode("utf-8"), make_ctx(base_ctx, "bad.csv"))
    assert not result.ok
    found = {(p.row, p.column): p for p in result.errors}
    assert "チェックディジット" in found[(2, "A列（全国地方公共団体コード）")].message
    status = found[(3, "D列（状態）")]
    assert status.suggestion == "未着手"
    assert status.format().startswith("bad.csv 3行目 D列（状態）: 「未着」は状態として読めません。")
    assert "独自0" in found[(4, "C列（作業ステップ）")].message
    assert "41" in found[(5, "C列（作業ステップ）")].message
    assert (6, "E列（基準日）") in found
    assert (7, "A列（全国地方公共団体コード）") in found
    assert "8行目" in found[(9, "C列（作業ステップ）")].message  # 住民記録 is 住民基本台帳: a duplicate
    assert [w.column for w in result.warnings] == ["F列（担当者）"]
    assert [r.row for r in result.rows] == [8]


def test_long_csv_unknown_column_is_only_a_warning(base_ctx: ParseContext) -> None:
    text = f"{LONG_HEADER},担当者\n042021,住民基本台帳,1,完了済み,2024-10-31,山田\n"
    result = parse(text.encode(), make_ctx(base_ctx, "x.csv"))
    assert result.ok and len(result.rows) == 1
    assert len(warnings(result.problems)) == 1 and not errors(result.problems)
    assert "担当者" in result.problems[0].format()


def test_long_csv_missing_column_is_one_error(base_ctx: ParseContext) -> None:
    text = "全国地方公共団体コード,対象システム,作業ステップ,基準日\n042021,住民基本台帳,1,2024-10-31\n"
    result = parse_long_csv(text.encode(), make_ctx(base_ctx, "x.csv"))
    assert len(result.errors) == 1 and "状態" in result.errors[0].message and not result.rows


def test_long_csv_from_a_workbook(base_ctx: ParseContext) -> None:
    data = xlsx_bytes([LONG_HEADER.split(","), [42021, "住民記録", 3, "●", date(2024, 10, 31)]], title="Sheet1")
    result = parse(data, make_ctx(base_ctx))
    assert result.ok, messages(result)
    assert result.format == "long"
    assert (result.rows[0].org_code, result.rows[0].step, result.rows[0].sheet) == ("042021", 3, "Sheet1")


# ---- matrix --------------------------------------------------------------------------------------


def test_matrix_csv_with_header_block(base_ctx: ParseContext) -> None:
    text = """石巻市 標準化の進捗（令和8年1月末時点）
団体コード,042021
基準日,2026-01-31

作業ステップ,作業ステップ名,住民記録,固定資産税,独自の財務会計
1,推進体制案の作成,●,完了,完了済み
①-2 関連部局との調整・担当者名簿の作成,,◐,▲,作業中
3,,×,未,
独自1,庁内説明会,●,実施しない,未着手
"""
    data = text.encode("utf-8-sig")  # ◐ has no CP932 code
    assert detect_format(data, "m.csv") == "matrix"
    result = parse(data, make_ctx(base_ctx, "m.csv"))
    assert result.ok, messages(result)
    assert len(result.rows) == 12
    by = {(r.system_name, r.step, r.own_step): r for r in result.rows}
    assert by[("住民基本台帳", 1, None)].status is Status.COMPLETED
    assert by[("固定資産税", 2, None)].status is Status.IN_PROGRESS
    assert by[("住民基本台帳", 3, None)].status is Status.NOT_APPLICABLE
    assert by[("独自の財務会計", 3, None)].business is None
    own = by[("固定資産税", None, 1)]
    assert (own.own_step_name, own.status, own.org_code, own.as_of) == (
        "庁内説明会",
        Status.NOT_APPLICABLE,
        "042021",
        date(2026, 1, 31),
    )


def test_matrix_xlsx_needs_org_and_as_of(base_ctx: ParseContext) -> None:
    data = xlsx_bytes(
        [["ステップ", "住民基本台帳", "戸籍"], [1, "●", "×"], [2, "未着", "◐"], ["独自1", "●", "●"]],
        title="進捗",
    )
    assert detect_format(data, "m.xlsx") == "matrix"
    missing = parse(data, make_ctx(base_ctx, "m.xlsx"))
    assert not missing.ok
    assert any("--org" in m for m in messages(missing)) and any("--as-of" in m for m in messages(missing))
    result = parse_matrix(data, make_ctx(base_ctx, "m.xlsx", org="42021", as_of=date(2026, 1, 31)))
    assert not result.ok
    [bad] = result.errors
    assert (bad.row, bad.column, bad.suggestion) == (3, "B列（住民基本台帳）", "未着手")
    assert bad.format().startswith("m.xlsx シート「進捗」 3行目 B列（住民基本台帳）: ")
    assert {(r.org_code, r.step, r.own_step) for r in result.rows} >= {
        ("042021", 1, None),
        ("042021", None, 1),
    }


def test_matrix_picks_the_sheet_with_statuses(base_ctx: ParseContext) -> None:
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "説明"
    notes.append(["この表について"])
    table = wb.create_sheet("表")
    for row in (["", "住民基本台帳"], ["1", "完了済み"], ["2", "作業中"]):
        table.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    result = parse(buf.getvalue(), make_ctx(base_ctx, "m.xlsx", org="042021", as_of=date(2026, 1, 31)))
    assert result.ok, messages(result)
    assert [r.sheet for r in result.rows] == ["表", "表"]


def test_matrix_unknown_step_rows(base_ctx: ParseContext) -> None:
    text = "作業ステップ,住民基本台帳\n1,●\n41,●\n独自0,●\n進捗率,80%\n⑫ 特定個人情報保護評価,\n"
    result = parse(text.encode(), make_ctx(base_ctx, "m.csv", org="042021", as_of=date(2026, 1, 31)))
    assert [(p.row, p.column) for p in result.errors] == [
        (3, "A列（作業ステップ）"),
        (4, "A列（作業ステップ）"),
    ]
    assert [p.row for p in result.warnings] == [5]


# ---- detection, decoding, problems, helpers --------------------------------------------------------


def test_detect_and_refusals(base_ctx: ParseContext) -> None:
    with pytest.raises(ValueError, match="UTF-16"):
        detect_format(LONG_VALID.encode("utf-16"), "x.csv")
    with pytest.raises(DecodeProblem):
        decode_text(b"\x00\x01binary")
    result = parse(LONG_VALID.encode("utf-16"), make_ctx(base_ctx, "x.csv"))
    assert not result.ok and "UTF-16" in result.errors[0].message
    assert not parse(b"PK\x03\x04garbage", make_ctx(base_ctx)).ok
    assert not parse(LONG_VALID.encode(), make_ctx(base_ctx), format="soumu").ok
    assert not parse(LONG_VALID.encode(), make_ctx(base_ctx), format="procedures").ok
    assert not parse(b"", make_ctx(base_ctx)).ok


def test_zip_bomb_is_refused_before_reading(base_ctx: ParseContext) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):
                sheet.write(chunk)
    result = parse(buf.getvalue(), make_ctx(base_ctx))
    assert not result.ok and "展開後のサイズ" in result.errors[0].message


def test_far_away_cells_are_refused_before_reading(base_ctx: ParseContext) -> None:
    # calamine would allocate A1:XFD1048576 densely and abort the process.
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["XFD1048576"] = "作業ステップ", "x"
    buf = io.BytesIO()
    wb.save(buf)
    result = parse(buf.getvalue(), make_ctx(base_ctx))
    assert not result.ok and "範囲が大きすぎる" in result.errors[0].message
    cell = (
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell>"
    )
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="S"><table:table-row table:number-rows-repeated="1048576">{cell}'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    result = parse(ods.getvalue(), make_ctx(base_ctx, "x.ods"))
    assert not result.ok and "範囲が大きすぎる" in result.errors[0].message


def test_problem_format_and_cap() -> None:
    problem = Problem(
        "error",
        "「住民基本台長」は業務名として登録されていません。",
        file="sample.xlsx",
        sheet=SHEET_NAME,
        row=12,
        column=column_label(2, "業務名"),
        value="住民基本台長",
        suggestion="住民基本台帳",
    )
    assert problem.format() == (
        "sample.xlsx シート「業務別ステップ別進捗一覧」 12行目 C列（業務名）: "
        "「住民基本台長」は業務名として登録されていません。候補: 住民基本台帳"
    )
    assert (
        column_label(26) == "AA列" and column_label(42, "⑱-1\n運用開始ステータス") == "AQ列（⑱-1 運用開始ステータス）"
    )
    problems = ProblemList("x.csv")
    for n in range(MAX_STORED + 5):
        problems.error(f"エラー{n}", row=n)
    problems.warning("警告")
    out = problems.to_list()
    assert len(errors(out)) == MAX_STORED + 1 and out[-1].message.startswith("ほか 5 件のエラー")
    assert problems.error_count == MAX_STORED + 5 and len(warnings(out)) == 1


def test_read_step_and_fast_rows(base_ctx: ParseContext) -> None:
    assert read_step("１２") == (12, None, "")
    assert read_step(7.0) == (7, None, "")
    assert read_step("独自１") == (None, 1, "")
    assert read_step("独自3 庁内説明会") == (None, 3, "庁内説明会")
    assert read_step("①-1 推進体制案の作成", base_ctx) == (1, None, "")
    assert read_step("⑱-1", base_ctx) == (40, None, "")
    for bad in ("独自0", "41", "0", "⑫", "", "abc"):
        with pytest.raises(ValueError):
            read_step(bad, base_ctx)
    template = row_template(
        org_code="042021",
        system_name="戸籍",
        business=9,
        step=None,
        own_step=None,
        own_step_name="",
        status=Status.NOT_STARTED,
        as_of=date(2026, 1, 31),
        row=4,
    )
    fast = fast_step_row(template, 3, Status.COMPLETED, "F列")
    assert fast == ReportRow("042021", "戸籍", 9, 3, None, "", Status.COMPLETED, date(2026, 1, 31), row=4, column="F列")
    assert hash(fast) == hash(dataclasses.replace(fast))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.step = 4  # type: ignore[misc]
