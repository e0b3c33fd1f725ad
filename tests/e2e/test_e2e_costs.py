"""Operating costs in Chromium: /costs and /costs/cloud pass axe with their charts drawn (and the reference lines
described), the staff cost form passes axe in every state and totals while typing (keyboard only). The default dataset's
/costs is tested with the other pages of the government's figures (test_e2e_official.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import CHARTS_DRAWN, ConsoleWatch
from tests.e2e.keyboard import login, press_on, retype, tab_to
from tests.e2e.staff_fixtures import staff_users  # noqa: F401  (fixture)
from tests.e2e.test_staff_flow import assert_axe

# /costs and /costs/cloud themselves are among the pages of test_e2e_pages.py (the same checks: charts drawn, one h1,
# the sample's label, axe; and the reflow at 320 px); here their other years and months.
PAGES = ["/costs?fy=2023", "/costs?as_of=2024-07", "/costs/cloud?as_of=2024-03"]
CODE = "042021"


@pytest.mark.parametrize("path", PAGES)
def test_cost_pages_pass_axe_with_their_charts(reader, axe_check, path):
    page = reader()
    response = page.goto(path)
    assert response is not None and response.status == 200
    page.wait_for_function(CHARTS_DRAWN)
    assert page.locator("h1").count() == 1
    assert "架空のサンプルデータ" in page.inner_text("body")
    assert axe_check(page) == ""


def test_the_ratio_chart_describes_its_reference_lines(reader):
    page = reader()
    page.goto("/costs")
    page.wait_for_function(CHARTS_DRAWN)
    label = page.locator('[data-chart="trend-chart"]').get_attribute("aria-label") or ""
    assert "基準線：国の目標" in label and "0.7倍" in label and "2.3倍" in label
    assert page.locator("#reference-caption").is_visible()


def test_cost_pages_work_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/costs")
    assert pg.locator("#trend-caption").is_visible() and pg.locator(".chart").first.is_hidden()
    pg.locator("#fy").select_option("2023")
    pg.get_by_role("button", name="表示", exact=True).last.click()
    pg.wait_for_url("**fy=2023**")
    assert "2023年度" in pg.locator("#headline").inner_text()


@pytest.mark.timeout(300)
def test_staff_cost_form_keyboard_only_passes_axe(context_factory, axe_check, staff_users):  # noqa: F811
    page = context_factory().new_page()
    watch = ConsoleWatch(page)
    login(page, staff_users["municipality"], staff_users["password"])
    page.goto(f"/staff/orgs/{CODE}/")
    press_on(page, f'.org-tabs a[href^="/staff/orgs/{CODE}/costs/"]')
    page.wait_for_selector("#cost-form-heading")
    assert_axe(axe_check, page, "cost form")
    tab_to(page, "#id_fiscal_year")
    page.select_option("#id_fiscal_year", "2024")
    for field, value in (("#id_system_usage", "１，０００"), ("#id_gov_cloud", "250"), ("#id_network", "")):
        retype(page, field, value)
    retype(page, "#id_operations", "-5")
    press_on(page, ".cost-form button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert "マイナス" in page.inner_text("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_axe(axe_check, page, "cost form errors")
    retype(page, "#id_operations", "50")
    page.wait_for_function("() => document.getElementById('cost-total').textContent === '1,300'")
    press_on(page, ".cost-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('main').innerText.includes('保存しました')")
    assert_axe(axe_check, page, "cost form saved")
    # the refused form answers 400 on purpose (the browser logs that); nothing else may go wrong
    unexpected = [p for p in watch.problems if "400" not in p]
    assert unexpected == [] and len(watch.problems) == 2, "\n".join(watch.problems)
