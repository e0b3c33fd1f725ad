"""Template filters for rates and numbers."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None, digits: int = 1) -> str:
    """0.8163 → 「81.6%」; None → 「—」."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def num(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}"
