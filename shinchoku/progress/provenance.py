"""Which official sources a progress month's figures come from, and the 出典 line naming them."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.calendar import wareki_month_label
from shinchoku.publication.memo import per_version
from shinchoku.publication.provenance import source_line

from .models import Month, SpecialSupportList

__all__ = ["list_in_force", "list_source", "month_row", "month_source", "month_sources"]


@per_version
def list_in_force(as_of: date) -> SpecialSupportList | None:
    """The 特定移行支援 list whose date is the latest on or before the month."""
    return SpecialSupportList.objects.filter(as_of__lte=as_of).order_by("-as_of").first()


@per_version
def month_row(as_of: date) -> Month | None:
    """The month's row (None: no such month)."""
    return Month.objects.filter(as_of=as_of).first()


def list_source(lst: SpecialSupportList) -> dict[str, str]:
    return {
        "publisher": lst.publisher or "デジタル庁",
        "title": "特定移行支援システムの該当見込み一覧",
        "edition": f"{wareki_month_label(lst.as_of)}末時点",
    }


def month_sources(as_of: date, *, month: Month | bool | None = False) -> list[dict[str, str]]:
    """The month's own sources (総務省's workbook …) and that of the 特定移行支援 list in force; [] for sample data.

    `month`: the Month row when the caller has already read it (None: there is none)."""
    row = month_row(as_of) if isinstance(month, bool) else month
    if row is None or row.sample_data:
        return []
    sources = [dict(s) for s in row.sources or []]
    lst = list_in_force(as_of)
    if lst is not None and not lst.sample_data:
        sources.append(list_source(lst))
    return sources


def month_source(as_of: date, *, month: Month | bool | None = False) -> str | None:
    """「出典：…」 for a month with official figures, else None."""
    return source_line(month_sources(as_of, month=month)) or None
