"""Template filters for rates, numbers, dates and the plain-Japanese term disclosures."""

from __future__ import annotations

from datetime import date

from django import template

from shinchoku.domain.calendar import fiscal_year, fiscal_year_label, wareki_month_label
from shinchoku.pagekit.numbers import num, pct
from shinchoku.web.glossary import BY_KEY, Term

register = template.Library()
register.filter("pct", pct)
register.filter("num", num)


@register.filter
def points(value: float | None) -> str:
    """A difference of two rates in percentage points, signed: 0.012 → 「+1.2ポイント」."""
    if value is None:
        return "—"
    return f"{value * 100:+.1f}ポイント"


@register.filter
def fy(value: date | None) -> str:
    """A planned completion date as its 年度 (「令和9年度」); None → 「—」."""
    if not value:
        return "—"
    return fiscal_year_label(fiscal_year(value))


@register.filter
def ym(value: date | None) -> str:
    """「2026年1月（令和8年1月）」: 基準日 are month ends, so the day is noise."""
    if not value:
        return "—"
    return f"{value.year}年{value.month}月（{wareki_month_label(value)}）"


@register.filter
def ym_short(value: date | None) -> str:
    if not value:
        return "—"
    return f"{value.year}年{value.month}月"


@register.inclusion_tag("web/includes/term.html")
def term(key: str, label: str = "") -> dict:
    """A <details> that explains a term in plain Japanese, next to where the term is used (not hover-only)."""
    t: Term = BY_KEY[key]
    return {"term": t, "label": label or t.word}


@register.filter
def signed(value: int | None) -> str:
    """A difference of two counts, signed: 12 → 「+12」, 0 → 「±0」; None → 「—」."""
    if value is None:
        return "—"
    return f"{int(value):+,}" if value else "±0"
