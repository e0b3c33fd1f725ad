"""Operating costs, pure parts: 年度 and 金額 cells, categories, the ratio to FY2018 and the group figures."""

from __future__ import annotations

import json

import pytest

from shinchoku.costs.domain import (
    BINS,
    AmountError,
    FiscalYearError,
    bin_index,
    category_of,
    category_totals,
    group_from_dict,
    parse_amount,
    parse_fiscal_year,
    ratio,
    summarize,
)
from tests.unit.cases import by_outcome, function_name

# 年度 and 金額 (thousands of yen) cells as they are written, by what each parser gives for them (None: no amount)
READINGS = [
    (parse_fiscal_year, 2018, ["2018", 2018, "平成30年度", "H30", "h30年度"]),
    (parse_fiscal_year, 2019, ["平成31年度", "令和元年度", "R1", "R元年度"]),
    (
        parse_fiscal_year,
        2024,
        [2024.0, "2024.0", "2024年度", "FY2024", "fy2024", "令和6年度", "R6年度", "r6", "Ｒ６年度"],
    ),
    (parse_fiscal_year, 2025, ["２０２５", " 令和 7 年度 "]),
    (parse_amount, 1234, ["1234", "1,234", "１，２３４", "1234千円", 1234, 1234.0, "1234.0"]),
    (parse_amount, 0, [" 0 "]),
    (parse_amount, None, ["", None, "   "]),
]
# Cells refused, by the error and what it says
REFUSALS = [
    (parse_fiscal_year, FiscalYearError, "基準年度より前", ["2017", "平成29年度", "H29"]),
    (parse_fiscal_year, FiscalYearError, "空欄", ["", None]),
    (parse_fiscal_year, FiscalYearError, "読み取れません", ["来年度", "2024-04-01", True]),
    (parse_fiscal_year, FiscalYearError, "ありません", ["令和0年度", "平成32年度"]),
    (parse_amount, AmountError, "マイナス", ["-5", "−5", "△5", "▲1,000", -1, -0.5]),
    (parse_amount, AmountError, "整数", ["12.5", 12.5]),
    (parse_amount, AmountError, "千円", ["5円"]),
    (parse_amount, AmountError, "読み取れません", ["abc", "1e5", float("nan")]),
    (parse_amount, AmountError, "大きすぎます", ["99999999999"]),
]
# The cost categories by their key, and the names and aliases they are known by
CATEGORIES = [
    ("system_usage", ["システム利用料・保守", "システム利用料", "保守"]),
    ("gov_cloud", ["ガバメントクラウド利用料", "ガバクラ", "ｶﾞﾊﾞﾒﾝﾄｸﾗｳﾄﾞ利用料"]),
    ("network", ["回線費", "回線", "network"]),
    ("operations", ["運用支援・その他", "運用支援 その他", "その他"]),
]


@pytest.mark.parametrize(("parse", "expected", "value"), by_outcome(READINGS), ids=function_name)
def test_cells_are_read_in_every_usual_form(parse, expected, value):
    assert parse(value) == expected


@pytest.mark.parametrize(("parse", "error", "message", "value"), by_outcome(REFUSALS), ids=function_name)
def test_bad_cells_say_why_in_japanese(parse, error, message, value):
    with pytest.raises(error, match=message):
        parse(value)


def test_a_fiscal_year_after_the_latest_allowed_is_refused():
    assert parse_fiscal_year("R8", latest=2026) == 2026
    with pytest.raises(FiscalYearError, match="まだ始まっていません"):
        parse_fiscal_year("R9年度", latest=2026)


@pytest.mark.parametrize(("key", "text"), by_outcome(CATEGORIES))
def test_categories_are_known_by_name_alias_and_key(key, text):
    found = category_of(text)
    assert found is not None and found.key == key


@pytest.mark.parametrize("text", ["人件費", "", "合計", "システム利用料・保守・回線"])
def test_other_categories_are_unknown(text):
    assert category_of(text) is None


def test_the_ratio_is_the_year_over_fy2018_rounded_to_four_places():
    # 123,456 ÷ 98,765 = 1.24999…; 300 ÷ 1,000 = 0.3 (the target would be met)
    assert ratio(123_456, 98_765) == 1.25
    assert ratio(230_000, 100_000) == 2.3
    assert ratio(300, 1000) == 0.3
    assert ratio(100, 0) is None
    assert ratio(None, 100) is None
    assert ratio(100, None) is None


def test_ratio_classes_include_their_upper_bound():
    assert [bin_index(v) for v in (0.1, 0.7, 0.7001, 1.0, 1.5, 2.0, 2.5, 3.0, 3.01, 9.0)] == [
        0,
        0,
        1,
        1,
        2,
        3,
        4,
        4,
        5,
        5,
    ]
    assert BINS[0][0].startswith("0.7倍以下")


def test_group_figures_by_hand():
    # (this year, FY2018, by category): ratios 0.5, 1.2, 2.0, 3.5; a 団体 without a baseline is left out
    items = [
        (50, 100, {"system_usage": 50}),
        (120, 100, {"system_usage": 100, "network": 20}),
        (400, 200, {"system_usage": 300, "gov_cloud": 100}),
        (350, 100, {"gov_cloud": 350}),
        (999, 0, {"system_usage": 999}),
    ]
    g = summarize(items)
    assert g.organizations == 4
    assert g.mean_ratio == round((0.5 + 1.2 + 2.0 + 3.5) / 4, 4) == 1.8
    assert g.median_ratio == 1.6
    assert g.weighted_ratio == round(920 / 500, 4) == 1.84
    assert (g.min_ratio, g.max_ratio) == (0.5, 3.5)
    assert g.met_target == 1 and g.met_target_share == 0.25
    assert g.above_baseline == 3
    assert (g.total, g.baseline_total) == (920, 500)
    assert g.by_category == {"system_usage": 450, "gov_cloud": 450, "network": 20, "operations": 0}
    assert g.distribution == (1, 0, 1, 1, 0, 1)


def test_an_empty_group_has_no_ratios():
    g = summarize([])
    assert g.organizations == 0 and g.mean_ratio is None and g.met_target_share is None
    assert g.as_dict()["distribution"] == [0] * len(BINS)


def test_a_group_is_stored_as_json_and_read_back_unchanged():
    g = summarize([(50, 100, {"system_usage": 50}), (120, 100, {"network": 120})])
    stored = json.loads(json.dumps(g.as_dict()))
    assert list(stored) == [
        "organizations",
        "mean_ratio",
        "median_ratio",
        "weighted_ratio",
        "min_ratio",
        "max_ratio",
        "met_target",
        "met_target_share",
        "above_baseline",
        "total",
        "baseline_total",
        "by_category",
        "distribution",
    ]
    assert stored["met_target_share"] == 0.5 and stored["distribution"] == list(g.distribution)
    assert group_from_dict(stored) == g


def test_category_totals_have_every_category():
    assert category_totals([("network", 5), ("network", 7)]) == {
        "system_usage": 0,
        "gov_cloud": 0,
        "network": 12,
        "operations": 0,
    }
