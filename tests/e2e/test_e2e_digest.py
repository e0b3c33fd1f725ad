"""The prefecture digest in Chromium: axe finds nothing, it works without JavaScript, a 市区町村担当 gets 403."""

from __future__ import annotations

from tests.e2e.staff_fixtures import logged_in, staff_users  # noqa: F401  (fixture)
from tests.e2e.test_staff_flow import assert_axe


def test_operator_reads_a_prefecture_digest(context_factory, axe_check, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "operator")
    page.goto("/staff/prefectures/")
    assert_axe(axe_check, page, "digest index")
    page.get_by_role("link", name="宮城県").click()
    page.wait_for_url("**/staff/prefectures/04/digest")
    assert "宮城県 警告と見通しのダイジェスト" in page.locator("h1").inner_text()
    assert "架空のサンプルデータ" in page.inner_text("main")
    assert_axe(axe_check, page, "digest")


def test_digest_month_picker_works_without_javascript(context_factory, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "operator", java_script_enabled=False)
    page.goto("/staff/prefectures/04/digest")
    page.locator("#as_of").select_option("2026-01")
    page.get_by_role("button", name="表示").click()
    page.wait_for_url("**as_of=2026-01**")
    assert "2026年1月末" in page.locator("h1").inner_text()


def test_municipality_staff_cannot_read_the_digest(context_factory, axe_check, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "municipality")
    response = page.goto("/staff/prefectures/04/digest")
    assert response is not None and response.status == 403
    assert_axe(axe_check, page, "digest 403")
