"""Cost rollups: written whenever cost data changes, one per 報告月 (a month in which some report was written).

The public figures as of a published month M are the rollup of the latest 報告月 on or before M: reports are
carried forward, so nothing changes between two 報告月. Public pages read one row; they never scan reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db import transaction
from django.db.models import Sum

from shinchoku.publication.versions import data_changed
from shinchoku.reference.models import Organization

from .figures import cost_rollup
from .models import CostLine, CostReport, CostRollup

__all__ = ["data_changed", "public_organizations", "refresh_all", "states_by_month"]


def public_organizations() -> dict[str, tuple[str, str]]:
    """{code: (prefecture code, kind)} of every public 団体 (the 体験モード 団体 is never public)."""
    return {
        code: (pref, kind)
        for code, pref, kind in Organization.objects.filter(is_practice=False).values_list(
            "code", "prefecture_code", "kind"
        )
    }


def states_by_month() -> Iterator[tuple[date, dict[tuple[str, int], tuple[int, dict[str, int]]]]]:
    """(報告月, the reports in force then) for every 報告月, oldest first: one pass over all public reports."""
    reports = list(
        CostReport.objects.filter(organization__is_practice=False)
        .order_by("as_of", "id")
        .values_list("id", "organization_id", "fiscal_year", "as_of", "total")
    )
    categories: dict[int, dict[str, int]] = defaultdict(dict)
    lines = (
        CostLine.objects.filter(report__organization__is_practice=False)
        .values_list("report_id", "category")
        .annotate(s=Sum("amount"))
    )
    for report_id, category, amount in lines:
        categories[report_id][category] = int(amount or 0)
    state: dict[tuple[str, int], tuple[int, dict[str, int]]] = {}
    i = 0
    while i < len(reports):
        month = reports[i][3]
        while i < len(reports) and reports[i][3] == month:
            pk, org, fy, _as_of, total = reports[i]
            if total is None:
                state.pop((org, fy), None)
            else:
                state[(org, fy)] = (int(total), categories.get(pk, {}))
            i += 1
        yield month, dict(state)


@transaction.atomic
def refresh_all() -> int:
    """Recompute every cost rollup (a few thousand reports at most: cheaper than working out which changed)."""
    orgs = public_organizations()
    rows = [CostRollup(as_of=month, data=cost_rollup(state, orgs)) for month, state in states_by_month()]
    CostRollup.objects.all().delete()
    CostRollup.objects.bulk_create(rows)
    data_changed()
    return len(rows)
