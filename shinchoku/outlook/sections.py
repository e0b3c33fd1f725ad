"""The outlook sections other pages include: a 団体's warnings, forecast and designations; the 特定移行支援
timeline of /special-support. Read from the precomputed rows only."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.calendar import fiscal_year_label
from shinchoku.progress.selectors import get_organization
from shinchoku.publication.pages import MonthContext

from . import selectors

__all__ = ["organization_section", "special_section"]


def organization_section(code: str, month: MonthContext) -> dict:
    """What the 団体 page shows of the outlook: its warnings, its forecast and its designation history."""
    from_lists, editions = selectors.special_timeline(month.as_of)
    dates = [e.as_of for e in editions]
    name = get_organization(code).display_name  # the 団体 its page has read already
    return {
        "warnings": selectors.organization_warnings(month.as_of, code, name),
        "forecast": selectors.organization_forecast(month.as_of, code, name),
        "designations": selectors.designation_history(code, month.as_of, dates),
        "editions": dates,
        "from_lists": from_lists,
    }


def special_section(as_of: date) -> dict:
    """The 特定移行支援 timeline on /special-support (counts by list date, added, removed, years, slips)."""
    from_lists, editions = selectors.special_timeline(as_of)
    years = sorted({fy for e in editions for fy, _n in e.by_year}, key=lambda fy: (fy is None, fy or 0))
    counts = selectors.warning_counts(as_of)
    return {
        "from_lists": from_lists,
        "editions": editions,
        "years": [fiscal_year_label(fy) if fy else "未定" for fy in years],
        "year_rows": [(e, [dict(e.by_year).get(fy, 0) for fy in years]) for e in editions],
        "special_overdue": counts.by_kind.get("special_overdue", 0) if counts else None,
    }
