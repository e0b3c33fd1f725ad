"""The prefecture follow-up view in Chromium: axe finds nothing, filtering and sorting work by keyboard (a GET form),
a 市区町村担当 gets 403."""

from __future__ import annotations

from tests.e2e.keyboard import press_on
from tests.e2e.staff_fixtures import logged_in, staff_users  # noqa: F401  (fixture)
from tests.e2e.test_staff_flow import assert_axe


def test_operator_reads_and_filters_the_followup_view_by_keyboard(context_factory, axe_check, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "operator")  # axe runs as JavaScript; the page needs none
    page.goto("/staff/prefectures/04/")
    assert "宮城県 フォローアップ一覧" in page.locator("h1").inner_text()
    assert page.locator("#followup-caption").count() == 1
    assert_axe(axe_check, page, "followup")
    press_on(page, "#f-sort", "End")  # the last sort key
    press_on(page, "#f-order", "End")  # 大きい順
    press_on(page, ".filters button")
    page.wait_for_url("**order=desc**")
    assert_axe(axe_check, page, "followup sorted")
    assert page.get_by_role("link", name="Excel（XLSX）でダウンロード").count() == 1


def test_municipality_staff_cannot_open_the_followup_view(context_factory, axe_check, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "municipality")
    response = page.goto("/staff/prefectures/04/")
    assert response is not None and response.status == 403
    assert_axe(axe_check, page, "followup 403")
