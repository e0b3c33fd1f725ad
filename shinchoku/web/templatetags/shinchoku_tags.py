"""Template filters for rates, numbers, dates and the plain-Japanese term disclosures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TypeVar

from django import template

from shinchoku.domain.calendar import fiscal_year, fiscal_year_label, wareki_month_label
from shinchoku.pagekit.numbers import num, pct
from shinchoku.web.glossary import BY_KEY, Term

T = TypeVar("T")

register = template.Library()
register.filter("pct", pct)
register.filter("num", num)


def _dash_filter(show: Callable[[T], str]) -> Callable[[T | None], str]:
    """Registers a filter of `show`'s name showing 「—」 for a missing value (None, or "" from a template) and
    `show(value)` otherwise."""

    @wraps(show)
    def shown(value: T | None) -> str:
        return "—" if value is None or value == "" else show(value)

    register.filter(shown)
    return shown


@_dash_filter
def points(value: float) -> str:
    """A difference of two rates in percentage points, signed: 0.012 → 「+1.2ポイント」; None → 「—」."""
    return f"{value * 100:+.1f}ポイント"


@_dash_filter
def fy(value: date) -> str:
    """A planned completion date as its 年度 (「令和9年度」); None → 「—」."""
    return fiscal_year_label(fiscal_year(value))


@_dash_filter
def ym(value: date) -> str:
    """「2026年1月（令和8年1月）」: 基準日 are month ends, so the day is noise."""
    return f"{value.year}年{value.month}月（{wareki_month_label(value)}）"


@_dash_filter
def ym_short(value: date) -> str:
    return f"{value.year}年{value.month}月"


@register.inclusion_tag("web/includes/term.html")
def term(key: str, label: str = "") -> dict:
    """A <details> that explains a term in plain Japanese, next to where the term is used (not hover-only)."""
    t: Term = BY_KEY[key]
    return {"term": t, "label": label or t.word}


@_dash_filter
def signed(value: float) -> str:
    """A difference of two counts, signed: 12 → 「+12」, 0 → 「±0」; None → 「—」."""
    return f"{int(value):+,}" if value else "±0"
