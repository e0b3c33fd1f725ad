"""Driving a page with the keyboard only, as the staff flows do (no tests here)."""

from __future__ import annotations

import re


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only, no clicks)."""
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def press_on(page, selector: str, key: str = "Enter") -> None:
    """Tab to `selector` and press `key` there (Enter on a link or a button, Space on a check box)."""
    tab_to(page, selector)
    page.keyboard.press(key)


def type_fields(page, first: str, *texts: str) -> None:
    """Tab to the field `first` and type the texts into it and the fields that follow it in Tab order."""
    tab_to(page, first)
    for i, text in enumerate(texts):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.type(text)


def retype(page, selector: str, text: str) -> None:
    """Tab to the field `selector` and replace what it holds with `text` (nothing: the field is emptied)."""
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


def login(page, name: str, password: str) -> None:
    page.goto("/staff/login/")
    type_fields(page, "#id_username", name, password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/$"))
