"""Every public page in Chromium: axe finds nothing, the console stays clean, it reflows at 320 px, and it
still works with JavaScript off."""

from __future__ import annotations

import pytest

from tests import datasets
from tests.e2e.conftest import CHARTS_DRAWN

SAMPLE_LABEL = "架空のサンプルデータ"
DATA_PAGES = [
    *datasets.DATA_PAGES,
    "/?as_of=2025-05",
    "/prefectures/04?sort=rate&order=asc&kind=市&special=1",
    "/organizations/042021?as_of=2024-10",
    "/procedures",
    "/procedures/042021",
    "/costs",
    "/costs/cloud",
    "/warnings",
    "/warnings?kind=stalled&pref=04",
    "/forecast",
    "/forecast?pref=04",
]
OTHER_PAGES = ["/search?q=府中", "/search?q=存在しない町", "/procedures/search?q=石巻", "/glossary", "/accessibility"]
ALL_PAGES = DATA_PAGES + OTHER_PAGES


def _open(pg, path: str) -> None:
    response = pg.goto(path)
    assert response is not None and response.status == 200, path
    pg.wait_for_function(CHARTS_DRAWN)


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_has_no_axe_violations_and_no_console_errors(reader, axe_check, path):
    page = reader()
    _open(page, path)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").count() == 1
    if path in DATA_PAGES:
        body = page.locator("body").inner_text()
        assert "データ基準日" in body
        assert SAMPLE_LABEL in body  # the e2e database holds the fictional sample
    assert axe_check(page) == ""


def test_not_found_page_is_accessible_too(context_factory, axe_check):
    pg = context_factory().new_page()
    response = pg.goto("/organizations/999999")
    assert response is not None and response.status == 404
    assert "見つかりません" in pg.locator("h1").inner_text()
    assert axe_check(pg) == ""


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_reflows_at_320_css_px_without_horizontal_scrolling(reader, path):
    pg = reader(width=320, height=640)
    _open(pg, path)
    width, inner = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{path}: page is {width}px wide in a {inner}px window"


@pytest.mark.parametrize("path", ["/", "/prefectures/04", "/organizations/042021", "/steps"])
def test_page_reflows_at_320_css_px_with_the_largest_text(context_factory, path):
    ctx = context_factory(viewport={"width": 320, "height": 640})
    ctx.add_init_script("localStorage.setItem('shinchoku.textSize', 'xlarge')")
    pg = ctx.new_page()
    _open(pg, path)
    assert "text-xlarge" in pg.locator("html").get_attribute("class")
    width, inner = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{path}: page is {width}px wide in a {inner}px window"


def test_wide_tables_scroll_inside_a_focusable_labelled_region(reader):
    page = reader()
    _open(page, "/organizations/042021")
    regions = page.locator(".table-scroll")
    assert regions.count() > 3
    for i in range(regions.count()):
        region = regions.nth(i)
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")


def test_national_page_works_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/")
    assert pg.locator("svg.tilemap-svg a").count() == 47
    assert pg.locator("#pref-table-caption").is_visible()
    assert pg.locator("#trend-caption").is_visible()  # the table stays open when no chart replaces it
    assert not pg.locator("#display-tools").is_visible()  # controls that need JS are not offered
    assert pg.locator(".chart").first.is_hidden()
    pg.locator("svg.tilemap-svg a[href='/prefectures/04']").click()
    pg.wait_for_url("**/prefectures/04")
    assert "宮城県" in pg.locator("h1").inner_text()


def test_prefecture_list_sorts_and_filters_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/prefectures/04")
    pg.locator("th a", has_text="完了率").click()
    pg.wait_for_url("**sort=rate**")
    rates = [float(t.rstrip("%")) for t in pg.locator("#orgs-caption ~ tbody tr td:nth-child(3)").all_inner_texts()]
    assert rates == sorted(rates, reverse=True)
    assert pg.locator("th[aria-sort='descending']").count() == 1
    pg.locator("#kind").select_option("町")
    pg.locator("#special").check()
    pg.get_by_role("button", name="一覧を更新").click()
    pg.wait_for_url("**kind=**")
    kinds = pg.locator("#orgs-caption ~ tbody tr td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"町"}
    specials = pg.locator("#orgs-caption ~ tbody tr td:nth-child(7)").all_inner_texts()
    assert "なし" not in specials


def test_disclosure_page_and_month_picker_work_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/organizations/042021")
    assert pg.locator("table.matrix tbody tr").count() == 44  # 40 national steps + 石巻市's 4 own steps
    assert pg.locator(".status-legend").is_visible()
    assert pg.locator(".rate-table").is_visible()
    pg.locator("#as_of").select_option("2025-05")
    pg.get_by_role("button", name="表示", exact=True).click()
    pg.wait_for_url("**as_of=2025-05**")
    assert "2025年5月31日" in pg.locator(".as-of").inner_text()


def test_warnings_filter_and_page_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/warnings")
    pg.locator("#pref").select_option("13")
    pg.locator("#kind").select_option("stalled")
    pg.get_by_role("button", name="絞り込む").click()
    pg.wait_for_url("**kind=stalled**")
    kinds = set(pg.locator("#list-caption ~ tbody tr td:nth-child(3)").all_inner_texts())
    assert kinds == {"停滞"}
    names = pg.locator("#list-caption ~ tbody tr th").all_inner_texts()
    assert names and all(n.startswith("東京都") for n in names)
    pg.goto("/warnings?kind=stalled")
    pg.locator("a[rel=next]").click()
    pg.wait_for_url("**page=2**")
    assert "2／" in pg.locator("#list-count").inner_text()
    pg.goto("/forecast")
    pg.locator("#pref").select_option("04")
    pg.get_by_role("button", name="表示", exact=True).last.click()
    pg.wait_for_url("**pref=04**")
    assert "宮城県の団体" in pg.locator("#orgs-heading").inner_text()
