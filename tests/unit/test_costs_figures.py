"""Rollup arithmetic (costs by 年度, 団体区分 and prefecture; ガバメントクラウド; vendor changes) and the fictional
sample's calibration to the published survey figures — pure Python, by hand."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import mean

from shinchoku.costs.figures import SystemState, VendorChange, cloud_rollup, cost_rollup, vendor_changes
from shinchoku.costs.sample import LAST_YEAR, MAX_RATIO, Org, generate, report_month

ORGS = {
    "042021": ("04", "市"),
    "041009": ("04", "政令指定都市"),
    "040002": ("04", "都道府県"),
    "131016": ("13", "特別区"),
}


def test_cost_rollup_by_hand():
    state = {
        ("042021", 2018): (100, {"system_usage": 100}),
        ("042021", 2024): (250, {"system_usage": 150, "gov_cloud": 100}),
        ("041009", 2018): (1000, {"system_usage": 1000}),
        ("041009", 2024): (600, {"system_usage": 600}),
        ("040002", 2018): (50, {"system_usage": 50}),
        ("040002", 2024): (100, {"system_usage": 100}),
        ("131016", 2024): (80, {"network": 80}),  # no baseline: not in the figures
        ("999999", 2018): (1, {"network": 1}),  # not a public 団体
    }
    data = cost_rollup(state, ORGS)
    assert data["fiscal_years"] == [2018, 2024]
    assert data["reported_organizations"] == 4
    y = data["years"]["2024"]
    # national (市区町村 only): 2.5 and 0.6
    assert y["nation"]["organizations"] == 2
    assert y["nation"]["mean_ratio"] == 1.55 and y["nation"]["median_ratio"] == 1.55
    assert y["nation"]["weighted_ratio"] == round(850 / 1100, 4)
    assert y["nation"]["met_target"] == 1 and y["nation"]["above_baseline"] == 1
    assert y["nation"]["by_category"] == {"system_usage": 750, "gov_cloud": 100, "network": 0, "operations": 0}
    assert list(y["by_kind"]) == ["政令指定都市", "市", "都道府県"]
    assert y["by_kind"]["都道府県"]["mean_ratio"] == 2.0
    assert list(y["by_prefecture"]) == ["04"]  # the prefecture itself is not in its own area's figures
    assert y["by_prefecture"]["04"]["organizations"] == 2
    assert data["organizations"]["042021"] == {"baseline": 100, "years": {"2018": [100, 1.0], "2024": [250, 2.5]}}
    assert data["organizations"]["131016"] == {"baseline": None, "years": {"2024": [80, None]}}
    assert "2018" not in data["years"]


def test_vendor_changes_count_only_a_named_vendor_replacing_another():
    history = {
        1: [(date(2024, 4, 30), ""), (date(2024, 5, 31), "A"), (date(2025, 4, 30), "B"), (date(2025, 9, 30), "")],
        2: [(date(2024, 4, 30), "A"), (date(2024, 6, 30), "A"), (date(2025, 1, 31), "C"), (date(2026, 1, 31), "A")],
        3: [(date(2024, 4, 30), "B")],
        4: [(date(2024, 4, 30), "A"), (date(2025, 1, 31), "B")],  # a practice system: not public
    }
    systems = {1: ("042021", "04"), 2: ("042021", "04"), 3: ("131016", "13")}
    changes = vendor_changes(history, systems)
    assert changes == [
        VendorChange(date(2025, 1, 31), "042021", "04", 2, "A", "C"),
        VendorChange(date(2025, 4, 30), "042021", "04", 1, "A", "B"),
        VendorChange(date(2026, 1, 31), "042021", "04", 2, "C", "A"),
    ]


def test_cloud_rollup_by_hand():
    states = [
        SystemState(1, "042021", "04", "A", True, "aws"),
        SystemState(2, "042021", "04", "A", True, "aws"),
        SystemState(3, "042021", "04", "B", False, None),
        SystemState(4, "041009", "04", "B", True, None),
        SystemState(5, "131016", "13", "", None, None),
        SystemState(6, "131016", "13", "C", True, "google"),
    ]
    changes = [
        VendorChange(date(2025, 1, 31), "042021", "04", 3, "A", "B"),
        VendorChange(date(2025, 1, 31), "041009", "04", 4, "A", "B"),
        VendorChange(date(2025, 2, 28), "131016", "13", 6, "B", "C"),
    ]
    data = cloud_rollup(states, changes)
    assert (data["systems"], data["reported"], data["on_cloud"], data["off_cloud"]) == (6, 5, 4, 1)
    assert data["on_cloud_share"] == 0.8
    assert data["providers"] == {"": 1, "aws": 2, "google": 1}
    assert data["by_prefecture"]["13"]["on_cloud_share"] == 1.0
    assert data["by_prefecture"]["04"]["providers"] == {"": 1, "aws": 2}
    assert data["vendors"]["systems"] == 5
    assert data["vendors"]["list"][0] == {"name": "A", "systems": 2, "organizations": 1, "share": 0.4}
    vc = data["vendor_changes"]
    assert (vc["systems"], vc["organizations"]) == (3, 3)
    assert vc["flows"][0] == {"from": "A", "to": "B", "systems": 2, "organizations": 2}
    balance = {b["name"]: b for b in vc["by_vendor"]}
    assert (
        balance["B"]["joined_systems"] == 2 and balance["B"]["left_systems"] == 1 and balance["B"]["net_systems"] == 1
    )
    assert balance["A"]["left_organizations"] == 2 and balance["A"]["net_systems"] == -2


def _orgs() -> list[Org]:
    kinds = {"中核市": 62, "特別区": 23, "政令指定都市": 20, "市": 600, "町": 700, "村": 180, "都道府県": 47}
    return [Org(f"{kind}{i:04d}", kind) for kind, n in kinds.items() for i in range(n)]


def test_the_sample_is_calibrated_to_the_published_survey_figures():
    sample = generate(_orgs(), date(2023, 4, 30), seed=0)
    totals: dict[str, dict[int, int]] = defaultdict(dict)
    for y in sample.years:
        totals[y.org][y.fiscal_year] = y.total
    by_kind: dict[str, list[float]] = defaultdict(list)
    for org, years in totals.items():
        assert sorted(years) == list(range(2018, LAST_YEAR + 1))
        by_kind[org[:-4]].append(years[LAST_YEAR] / years[2018])
    # 中核市市長会 (January 2025): 2.3 times on average, up to 5.7 times; 東京都: 1.6 times
    assert abs(mean(by_kind["中核市"]) - 2.3) < 0.01
    assert abs(max(by_kind["中核市"]) - MAX_RATIO) < 0.001
    assert abs(mean(by_kind["特別区"]) - 1.6) < 0.01
    assert all(r <= MAX_RATIO + 0.001 for rs in by_kind.values() for r in rs)
    # part of the 団体, never all of them
    assert 0.2 < len(totals) / len(_orgs()) < 0.5


def test_the_sample_splits_costs_into_categories_and_reports_them_after_the_year():
    sample = generate(_orgs(), date(2023, 4, 30), seed=1)
    for y in sample.years:
        assert y.total == sum(a for _c, _s, a in y.lines)
        keys = {c for c, _s, _a in y.lines}
        if y.fiscal_year <= 2022:
            assert "gov_cloud" not in keys  # no ガバメントクラウド before migration
        assert y.as_of == report_month(y.fiscal_year, date(2023, 4, 30))
    assert report_month(2018, date(2023, 4, 30)) == date(2023, 4, 30)
    assert report_month(2024, date(2023, 4, 30)) == date(2025, 6, 30)


def test_the_sample_is_the_same_for_a_seed():
    a = generate(_orgs()[:200], date(2023, 4, 30), seed=3)
    b = generate(_orgs()[:200], date(2023, 4, 30), seed=3)
    assert [(y.org, y.fiscal_year, y.total) for y in a.years] == [(y.org, y.fiscal_year, y.total) for y in b.years]
