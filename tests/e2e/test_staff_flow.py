"""The whole 市区町村担当 flow, keyboard only, in Chromium: log in, edit statuses with the keyboard, upload,
preview, confirm, write a delay explanation; the operator publishes; the public disclosure page shows it.
axe (WCAG 2.2 AA tags) finds nothing on each staff page and state on the way."""

from __future__ import annotations

import re

import pytest

from tests.e2e.keyboard import login, press_on, tab_to, type_fields
from tests.e2e.staff_fixtures import logged_in, staff_users  # noqa: F401  (fixture)

CODE = "042021"


def assert_axe(axe_check, page, state: str) -> None:
    result = axe_check(page)
    assert result == "", f"{state}:\n{result}"


def cell_value(page, system_pk: str, step: str) -> str:
    return page.eval_on_selector(f"#c-{system_pk}-{step}", "el => el.value")


def press_in_cell(page, key: str, cell_id: str, status_code: str) -> None:
    """Press a key on the focused cell and wait until the swapped cell shows the status and has the focus."""
    page.keyboard.press(key)
    try:
        _wait_cell(page, cell_id, status_code)
    except Exception:
        state = page.evaluate(
            """(id) => { const el = document.getElementById(id); const td = el && el.closest('td');
                return [document.activeElement && document.activeElement.id, el && el.value, td && td.className,
                        td && td.getAttribute('aria-busy'), document.getElementById('grid-status').innerText]; }""",
            cell_id,
        )
        raise AssertionError(f"cell {cell_id} after {key}: {state}") from None


def _wait_cell(page, cell_id: str, status_code: str) -> None:
    page.wait_for_function(
        """([id, code]) => { const el = document.getElementById(id);
            return el && el.closest('td').classList.contains('st-' + code) && document.activeElement === el
              && !el.closest('td').hasAttribute('aria-busy'); }""",
        arg=[cell_id, status_code],
        timeout=10_000,
    )


@pytest.mark.timeout(600)
def test_municipality_staff_flow_keyboard_only(context_factory, axe_check, staff_users, tmp_path):  # noqa: F811
    ctx = context_factory()
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    expected = "the server responded with a status of 4"  # 409, 400 and 422 are states this test visits
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and expected not in m.text else None)

    page.goto("/staff/login/")
    assert_axe(axe_check, page, "login")
    # a wrong password first: the error state
    type_fields(page, "#id_username", staff_users["municipality"], "wrong")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert_axe(axe_check, page, "login error")
    login(page, staff_users["municipality"], staff_users["password"])
    assert_axe(axe_check, page, "dashboard")

    # the grid: open the 団体, pick the next (new, unpublished) month with the keyboard
    press_on(page, f'a[href="/staff/orgs/{CODE}/"]')
    page.wait_for_selector("#grid")
    press_on(page, "#as_of", "Home")  # newest first: the month after the latest one
    month = page.eval_on_selector("#as_of", "el => el.value")
    press_on(page, ".month-picker button")
    page.wait_for_url(re.compile(rf"as_of={month}"))
    assert "未公開" in page.inner_text(".unpublished-banner")
    assert_axe(axe_check, page, "grid")

    tab_to(page, "#grid tbody select")
    first = page.evaluate("document.activeElement.id")
    _, pk, step = first.split("-", 2)
    key, want = ("3", "N") if cell_value(page, pk, step) == "completed" else ("1", "C")
    press_in_cell(page, key, first, want)
    assert "保存しました" in page.inner_text("#grid-status")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == f"c-{pk}-2"
    if cell_value(page, pk, "2") == "in_progress":
        press_in_cell(page, "4", f"c-{pk}-2", "X")
    press_in_cell(page, "2", f"c-{pk}-2", "P")
    press_in_cell(page, "Enter", f"c-{pk}-2", "C")  # 作業中 → 完了済み
    assert page.evaluate("document.activeElement.id") == f"c-{pk}-2"  # focus stays on the swapped cell
    assert_axe(axe_check, page, "grid after htmx updates")

    # a conflicting edit by someone else: the next key press on that cell gets 409 and a message
    other = logged_in(context_factory, staff_users, "operator")
    other.goto(f"/staff/orgs/{CODE}/?as_of={month}")
    other.focus(f"#c-{pk}-2")
    other.keyboard.press("4")
    other.wait_for_function("() => document.querySelector('#grid-status').innerText.includes('保存しました')")
    page.keyboard.press("3")
    page.wait_for_function("() => document.querySelector('#grid-status .alert') !== null")
    assert staff_users["operator"] in page.inner_text("#grid-status")
    assert cell_value(page, pk, "2") == "not_applicable"
    assert_axe(axe_check, page, "grid conflict message")

    # upload: a bad file (validation report), then a good one (preview), then confirm
    system_name = page.inner_text("#grid tbody tr:first-child th")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n{CODE},{system_name},3,たぶん,{month}-28\n"
    )
    good = tmp_path / "report.csv"
    good.write_text(
        f"全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n{CODE},{system_name},3,作業中,{month}-28\n"
    )
    for path, expect in ((bad, "エラーがあるため"), (good, "反映する")):
        page.goto(f"/staff/orgs/{CODE}/")
        press_on(page, f'.org-tabs a[href="/staff/orgs/{CODE}/upload/"]')
        page.wait_for_selector("#id_file")
        if path is bad:
            assert_axe(axe_check, page, "upload form")
        tab_to(page, "#id_file")
        page.set_input_files("#id_file", str(path))  # the OS file chooser is outside the page
        press_on(page, 'form[enctype] button[type="submit"]')
        page.wait_for_selector("main h1")
        assert expect in page.inner_text("main")
        assert_axe(axe_check, page, f"upload result {path.name}")
    if page.locator("#reason").count():  # the cell was 完了済み: a regression needs a reason
        type_fields(page, "#reason", "E2E：入力の訂正")
    press_on(page, 'form[action$="/upload/confirm/"] button')
    page.wait_for_function("() => document.querySelector('main').innerText.includes('取り込みました')")
    assert_axe(axe_check, page, "upload applied")

    # the 26 procedures form of the 団体
    page.goto(f"/staff/orgs/{CODE}/procedures/")
    assert_axe(axe_check, page, "procedures")

    # delay explanation for the first system, in the new month
    page.goto(f"/staff/orgs/{CODE}/systems/")
    assert_axe(axe_check, page, "systems")
    press_on(page, 'a[href*="/delay/"]')
    page.wait_for_selector("#id_department")
    save_delay = 'form[method="post"][action*="/delay/"] button[type="submit"]'
    press_on(page, save_delay)  # empty: the error state
    page.wait_for_selector("#error-summary")
    assert_axe(axe_check, page, "delay form errors")
    type_fields(page, "#id_department", "市民課（E2E）", "2027年3月", "事業者の開発が遅れているため")
    press_on(page, "#id_impact_0", "Space")
    type_fields(page, "#id_impact_reason", "半年遅れる見込み")
    type_fields(page, "#id_schedule-0-date", month, "移行テスト", "情報政策課")
    press_on(page, save_delay)
    page.wait_for_selector(".messages")
    assert "保存しました" in page.inner_text(".messages")
    assert_axe(axe_check, page, "delay saved")

    # the operator publishes the month
    other.goto("/staff/publish/")
    assert_axe(axe_check, other, "publish")
    press_on(other, f'a[href$="?month={month}"]')
    other.wait_for_selector("#publish-facts")  # the facts first: reports, changed cells, regressions, 説明なし
    assert "報告した市区町村" in other.inner_text("#publish-facts")
    assert_axe(axe_check, other, "publish confirmation")
    press_on(other, f'form:has(input[value="{month}"]) button')
    other.wait_for_selector(".messages")
    assert "公開しました" in other.inner_text(".messages")
    other.goto("/staff/audit/")
    assert_axe(axe_check, other, "audit")

    # the public disclosure page shows the explanation
    public = context_factory().new_page()
    response = public.goto(f"/organizations/{CODE}?as_of={month}")
    assert response is not None and response.status == 200
    text = public.inner_text("main")
    assert "市民課（E2E）" in text and "事業者の開発が遅れているため" in text
    assert errors == [], errors


def test_practice_mode_is_marked_and_resets(context_factory, axe_check, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "municipality")
    page.goto("/staff/orgs/999997/")
    assert "体験モード" in page.inner_text(".practice-banner")
    assert_axe(axe_check, page, "practice grid")
    page.goto("/staff/orgs/999997/systems/")
    press_on(page, 'td a[href^="/staff/orgs/999997/systems/"]:not([href*="/delay/"])')  # 情報を編集
    page.wait_for_selector("#id_vendor")
    assert "体験モード" in page.inner_text("main")
    assert_axe(axe_check, page, "system attributes form")
    page.goto("/staff/orgs/999997/")
    assert "共用" in page.inner_text(".practice-banner")  # the practice 団体 is shared, and says so
    press_on(page, "#practice-confirm", "Space")  # the reset asks for a confirmation first
    press_on(page, ".practice-reset button")
    page.wait_for_selector(".messages")
    assert "最初の状態" in page.inner_text(".messages")


def test_grid_works_without_javascript(context_factory, staff_users):  # noqa: F811
    page = logged_in(context_factory, staff_users, "municipality", java_script_enabled=False)
    page.goto(f"/staff/orgs/{CODE}/")
    sel = page.locator("#grid tbody select").nth(5)
    current = sel.input_value()
    new = "not_applicable" if current != "not_applicable" else "not_started"
    sel.select_option(new)
    page.locator("#grid-form button").click()
    page.wait_for_selector(".messages")
    assert "保存しました" in page.inner_text(".messages")
    assert page.locator("#grid tbody select").nth(5).input_value() == new
