"""The 26 procedures, pure parts: file readers (long CSV, wide sheet), the rollup arithmetic, the sample."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from shinchoku.domain.calendar import month_range
from shinchoku.procedures.parsers import ProcedureContext, fold_procedure, read_availability
from shinchoku.procedures.reading import parse_procedures
from shinchoku.procedures.rollups import compute_month, share
from shinchoku.procedures.sample import Municipality, generate

REFERENCE = Path(__file__).resolve().parents[2] / "shinchoku" / "reference" / "data"
JAN = date(2026, 1, 31)


@pytest.fixture(scope="module")
def procedures() -> dict[int, str]:
    with (REFERENCE / "procedures_26.csv").open(encoding="utf-8-sig", newline="") as f:
        return {int(r["番号"]): r["手続名"] for r in csv.DictReader(f)}


@pytest.fixture
def ctx(name_index, known_codes, municipality_rows, procedures) -> ProcedureContext:
    prefs = frozenset(r["全国地方公共団体コード"] for r in municipality_rows if not r["市区町村名"])
    return ProcedureContext("test.csv", name_index, known_codes, prefs, procedures)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def xlsx(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("できる", True),
        ("○", True),
        ("〇", True),
        ("1", True),
        (1.0, True),
        ("できない", False),
        ("×", False),
        ("0", False),
        ("ｘ", False),
        ("", None),
        ("たぶん", None),
    ],
)
def test_availability_values(cell, expected):
    assert read_availability(cell) is expected


def test_procedure_names_numbers_and_variants(ctx, procedures):
    assert ctx.procedure_of("12") == 12
    assert ctx.procedure_of("１２") == 12
    assert ctx.procedure_of("⑫") == 12
    assert ctx.procedure_of("No.12") == 12
    assert ctx.procedure_of("保育施設等の利用申込") == 12
    assert ctx.procedure_of("12 保育施設等の利用申込") == 12
    assert ctx.procedure_of("居宅(介護予防)サービス計画作成(変更)依頼の届出") == 19  # half-width brackets
    assert ctx.procedure_of("27") is None
    assert ctx.procedure_of("12 妊娠の届出") is None  # number and name disagree
    assert "保育施設等の利用申込" in ctx.suggest_procedure("保育施設の利用申し込み")
    assert fold_procedure("氏名変更／住所変更等の届出") == fold_procedure("氏名変更/住所変更等の届出")


def test_long_csv_in_cp932_with_names_symbols_and_short_codes(ctx):
    text = (
        "全国地方公共団体コード,手続番号,オンライン対応,基準日\n"
        "042021,1,できる,2026-01-31\n"
        "42021,妊娠の届出,○,R8.1.31\n"
        "04202,26,×,令和8年1月15日\n"
        "132063,12,0,2026/01/31\n"
    )
    parsed = parse_procedures(csv_bytes(text, "cp932"), ctx)
    assert parsed.ok, parsed.problems
    assert parsed.layout == "long"
    got = {(r.org_code, r.number, r.available, r.as_of) for r in parsed.rows}
    assert got == {
        ("042021", 1, True, JAN),
        ("042021", 15, True, JAN),
        ("042021", 26, False, JAN),
        ("132063", 12, False, JAN),
    }


def test_long_csv_with_bom_reads_our_own_export_columns(ctx):
    text = (
        "\ufeff全国地方公共団体コード,地方公共団体名,手続番号,手続名,オンライン対応,基準日,データ区分\n"
        "042021,宮城県石巻市,3,氏名変更／住所変更等の届出,できない,2026-01-31,架空のサンプルデータ\n"
    )
    parsed = parse_procedures(csv_bytes(text), ctx)
    assert parsed.ok and not parsed.problems, parsed.problems
    assert parsed.rows[0].number == 3 and parsed.rows[0].available is False


def test_long_csv_bad_rows_name_row_column_and_value_in_japanese(ctx):
    text = (
        "全国地方公共団体コード,手続番号,オンライン対応,基準日\n"
        "042021,1,できる,2026-01-31\n"
        "042022,2,できる,2026-01-31\n"
        "040002,2,できる,2026-01-31\n"
        "042021,27,できる,2026-01-31\n"
        "042021,保育施設の利用申し込み,できる,2026-01-31\n"
        "042021,3,たぶん,2026-01-31\n"
        "042021,4,できる,2026-02-30\n"
        "042021,1,できない,2026-01-31\n"
    )
    parsed = parse_procedures(csv_bytes(text), ctx)
    assert not parsed.ok
    by_row = {p.row: p for p in parsed.problems if p.severity == "error"}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9}
    assert "チェックディジット" in by_row[3].message and by_row[3].column == "A列（全国地方公共団体コード）"
    assert "都道府県" in by_row[4].message
    assert by_row[5].column == "B列（手続番号）" and by_row[5].value == "27"
    assert "保育施設等の利用申込" in by_row[6].suggestion
    assert by_row[7].column == "C列（オンライン対応）" and "できる" in by_row[7].expected
    assert by_row[8].column == "D列（基準日）" and "存在しない日付" in by_row[8].message
    assert "2行目" in by_row[9].message
    assert "9行目" in by_row[9].format() and "B列" in by_row[9].format()


def test_long_csv_missing_columns(ctx):
    parsed = parse_procedures(csv_bytes("全国地方公共団体コード,手続番号,基準日\n042021,1,2026-01-31\n"), ctx)
    assert not parsed.ok
    assert "オンライン対応" in parsed.problems[0].message and parsed.problems[0].row == 1


def wide_rows(procedures: dict[int, str]) -> list[list[object]]:
    names = [procedures[n] for n in sorted(procedures)]
    return [
        ["子育て・介護関係手続のオンライン化の状況（令和8年1月末時点）"],
        [],
        ["都道府県名", "市区町村名", *names, "対応手続数"],
        ["宮城県", "石巻市", *(["○"] * 26), 26],
        ["東京都", "府中市", *(["○"] * 13 + ["×"] * 13), 13],
        ["広島県", "府中市", *(["できない"] * 26), 0],
        ["高知県", "檮原町", *(["○", "×"] * 13), 13],
        ["合計", "", *([""] * 26), ""],
    ]


def test_wide_sheet_matches_names_with_variants_and_duplicates(ctx, procedures):
    parsed = parse_procedures(xlsx(wide_rows(procedures)), ctx)
    assert parsed.ok, [p.format() for p in parsed.problems]
    assert parsed.layout == "wide"
    by_org: dict[str, dict[int, bool]] = {}
    for r in parsed.rows:
        assert r.as_of == JAN  # from the title 「令和8年1月末時点」
        by_org.setdefault(r.org_code, {})[r.number] = r.available
    assert set(by_org) == {"042021", "132063", "342084", "394050"}
    assert all(by_org["042021"].values()) and len(by_org["042021"]) == 26
    assert sum(by_org["132063"].values()) == 13
    assert not any(by_org["342084"].values())
    assert by_org["394050"][1] and not by_org["394050"][2]
    assert any("対応手続数" in p.message for p in parsed.problems if p.severity == "warning")


def test_wide_sheet_bad_rows_and_headers_are_errors_with_location(ctx, procedures):
    rows = wide_rows(procedures)
    rows[2][2 + 11] = "保育施設の利用申し込み"  # a misspelt heading: refused with a suggestion
    rows[3][1] = "石巻"  # suffix missing: still found
    rows[4][1] = "府中"  # with prefecture 東京都: found
    rows[5] = ["", "府中市", *(["○"] * 26), 26]  # ambiguous without prefecture
    rows[6][5] = "△"
    rows.append(["宮城県", "存在しない町", *(["○"] * 26), 26])
    parsed = parse_procedures(xlsx(rows, title="一覧"), ctx)
    assert not parsed.ok
    errs = [p for p in parsed.problems if p.severity == "error"]
    heading = next(p for p in errs if p.row == 3)
    assert heading.column.startswith("N列") and "保育施設等の利用申込" in heading.suggestion
    assert heading.sheet == "一覧"
    ambiguous = next(p for p in errs if p.row == 6)
    assert "複数" in ambiguous.message and "東京都 府中市" in ambiguous.suggestion
    bad_cell = next(p for p in errs if p.row == 7)
    assert bad_cell.column.startswith("F列") and bad_cell.value == "△"
    missing = next(p for p in errs if p.row == 9)
    assert "見つかりません" in missing.message
    assert {p.row for p in errs} == {3, 6, 7, 9}


def test_wide_sheet_needs_a_date(ctx, procedures):
    rows = wide_rows(procedures)[2:]
    parsed = parse_procedures(xlsx(rows), ctx)
    assert not parsed.ok and any("基準日" in p.message for p in parsed.problems if p.severity == "error")
    ctx.as_of = JAN
    assert parse_procedures(xlsx(rows), ctx).ok


def test_unrecognised_file_says_what_is_expected(ctx):
    parsed = parse_procedures(csv_bytes("a,b,c\n1,2,3\n"), ctx)
    assert not parsed.ok and "見出し行" in parsed.problems[0].message
    assert not parse_procedures(b"\xff\xfe\x00\x00junk", ctx).ok


def test_rollup_counts_all_municipalities_in_the_denominator():
    orgs = {"a": ("01", "市"), "b": ("01", "町"), "c": ("02", "市"), "d": ("02", "村")}
    numbers = [1, 2, 3]
    states = {"a": "111", "b": "110", "c": "111"}  # d has not reported
    data = compute_month(states=states, orgs=orgs, numbers=numbers)
    assert (data["municipalities"], data["completed"], data["reported"]) == (4, 2, 3)
    assert data["completed_share"] == share(2, 4) == 0.5
    assert data["by_kind"]["市"]["completed_share"] == 1.0
    assert data["by_kind"]["村"]["completed"] == 0
    assert data["by_prefecture"]["01"]["completed"] == 1 and data["by_prefecture"]["01"]["available"] == [2, 2, 1]
    assert [p["available"] for p in data["by_procedure"]] == [3, 3, 2]
    assert data["by_procedure"][2]["available_share"] == 0.5
    assert list(data["by_kind"]) == ["市", "町", "村"]


def test_sample_is_plausible_deterministic_and_monotone(municipality_rows):
    munis = [
        Municipality(r["全国地方公共団体コード"], r["都道府県コード"], r["団体区分"])
        for r in municipality_rows
        if r["市区町村名"]
    ]
    months = month_range(date(2023, 4, 30), date(2026, 10, 31))
    numbers = list(range(1, 27))
    history = generate(munis, months, numbers, seed=0)
    assert history == generate(munis, months, numbers, seed=0)
    assert len(history) == 1741
    last = {code: rows[-1][1] for code, rows in history.items()}
    data = compute_month(states=last, orgs={m.code: (m.prefecture_code, m.kind) for m in munis}, numbers=numbers)
    assert 0.15 <= data["completed_share"] <= 0.30
    shares = sorted(p["available_share"] for p in data["by_procedure"])
    assert shares[-1] > 0.95 and shares[0] < 0.5  # some procedures lag far behind
    assert data["available_mean"] > 20  # most municipalities offer most procedures
    for rows in history.values():
        assert rows[0][0] == months[0]
        for (_, before), (_, after) in itertools.pairwise(rows):
            assert all(not (b == "1" and a == "0") for b, a in zip(before, after, strict=True))
