"""Filters of the outlook pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def abs_points(value: float | None) -> str:
    """An error of rates in percentage points, without a sign: 0.035 → 「3.5ポイント」; None → 「—」."""
    if value is None:
        return "—"
    return f"{abs(value) * 100:.1f}ポイント"
