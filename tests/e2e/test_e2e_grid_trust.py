"""The grid, keyboard only: it opens on the month being reported; a published month needs an explicit choice;
keys typed while a save is still on its way (the response held back) are all saved; undo works; axe is clean."""

from __future__ import annotations

import pytest

from tests.e2e.keyboard import login, tab_to
from tests.e2e.staff_fixtures import staff_users  # noqa: F401  (fixture)
from tests.e2e.test_staff_flow import _wait_cell, assert_axe, cell_value, press_in_cell

CODE = "042021"
ORDER = ["completed", "in_progress", "not_started", "not_applicable"]
CODES = {"completed": "C", "in_progress": "P", "not_started": "N", "not_applicable": "X"}


def _key_other_than(*values: str) -> str:
    return str(next(i for i, v in enumerate(ORDER, start=1) if v not in values))


@pytest.mark.timeout(1500)
def test_grid_month_queue_and_undo_keyboard_only(context_factory, axe_check, staff_users):  # noqa: F811
    page = context_factory().new_page()
    login(page, staff_users["municipality"], staff_users["password"])
    tab_to(page, f'a[href="/staff/orgs/{CODE}/"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#grid")
    # the month being reported, not the latest published one
    assert page.locator(".unpublished-banner").count() == 1 and page.locator("#published-lock").count() == 0
    open_month = page.eval_on_selector("#as_of", "el => el.value")

    # a published month: read-only until 「この月を訂正する」
    tab_to(page, "#as_of")
    page.keyboard.press("ArrowDown")  # newest first: the month before is published
    published = page.eval_on_selector("#as_of", "el => el.value")
    tab_to(page, ".month-picker button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**as_of={published}")
    assert page.locator("#published-lock").count() == 1 and page.locator("#grid tbody select").count() == 0
    assert_axe(axe_check, page, "published month, read-only")
    tab_to(page, "#correct-link")
    page.keyboard.press("Enter")
    page.wait_for_selector("#correcting")
    assert page.locator("#grid tbody select").count() > 0
    assert_axe(axe_check, page, "published month, correcting")

    # back to the month being reported; hold every cell response back while typing
    page.goto(f"/staff/orgs/{CODE}/?as_of={open_month}")
    page.wait_for_selector("#grid")
    ids = page.eval_on_selector_all("#grid tbody tr:nth-child(2) select", "els => els.map(e => e.id)")
    a, b = ids[2], ids[3]
    a0, b0 = cell_value(page, *a[2:].split("-", 1)), cell_value(page, *b[2:].split("-", 1))
    k1 = _key_other_than(a0)
    k2 = _key_other_than(a0, ORDER[int(k1) - 1])
    k3 = _key_other_than(b0)
    held: list = []
    holding = [True]
    page.route("**/cell/**", lambda route: held.append(route) if holding[0] else route.continue_())
    page.focus(f"#{a}")
    page.keyboard.press(k1)  # sent, its response held back: the cell is busy
    page.wait_for_function(
        "(id) => document.getElementById(id).closest('td').getAttribute('aria-busy') === 'true'", arg=a
    )
    page.keyboard.press(k2)  # typed during the save: queued, not dropped
    page.keyboard.press("ArrowRight")
    page.keyboard.press(k3)
    holding[0] = False  # later requests (the queued key) pass at once; release the held ones
    for route in held:
        route.continue_()
    _wait_settled(page, a, CODES[ORDER[int(k2) - 1]])
    _wait_settled(page, b, CODES[ORDER[int(k3) - 1]])
    assert "この画面で変更したセル：2 件" in page.inner_text("#grid-changed")

    # undo: Ctrl+Z takes back the last saved change
    page.focus(f"#{b}")
    before = cell_value(page, *b[2:].split("-", 1))
    k4 = _key_other_than(before)
    press_in_cell(page, k4, b, CODES[ORDER[int(k4) - 1]])
    page.keyboard.press("Control+z")
    _wait_cell(page, b, CODES[before])
    # a stray Enter on a finished cell changes nothing
    if before == "completed":
        page.keyboard.press("Enter")
        assert "Enter では変わりません" in page.inner_text("#grid-status")
        assert cell_value(page, *b[2:].split("-", 1)) == "completed"
    assert_axe(axe_check, page, "grid after queued keys and undo")


def _wait_settled(page, cell_id: str, status_code: str) -> None:
    page.wait_for_function(
        """([id, code]) => { const el = document.getElementById(id);
            const td = el && el.closest('td');
            return td && td.classList.contains('st-' + code) && !td.hasAttribute('aria-busy'); }""",
        arg=[cell_id, status_code],
        timeout=15_000,
    )
