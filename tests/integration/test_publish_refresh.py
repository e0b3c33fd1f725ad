"""Publishing a month recomputes only what is behind: after incremental edits, the country's forecast and the
backtest; after edits the rollups skipped (an unpublished month), everything; else nothing. Either way the
published figures are exactly those of a full rebuild."""

from __future__ import annotations

from datetime import date

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.domain.status import Status
from shinchoku.outlook.models import Forecast, OutlookSummary, SystemWarning
from shinchoku.progress import rollups, services
from shinchoku.progress.models import AreaRollup, Month, MonthSumsPart, OrganizationRollup, StatusSnapshot, System

pytestmark = pytest.mark.django_db

ACTOR = Actor.shell("publisher")


def _latest() -> date:
    return Month.objects.filter(published=True).order_by("-as_of").values_list("as_of", flat=True).first()


def _rows(model, **where) -> list[tuple]:
    """Every column but the id, sorted (row ids change when rows are rewritten)."""
    fields = [f.attname for f in model._meta.fields if f.name != "id"]
    return sorted(model.objects.filter(**where).values_list(*fields), key=repr)


def _published_state(month: date) -> dict[str, object]:
    """Every stored figure of the month that public pages read: rollups, sums, warnings, forecasts, backtest."""
    return {
        "orgs": _rows(OrganizationRollup, as_of=month),
        "areas": dict(AreaRollup.objects.filter(as_of=month).values_list("scope", "data")),
        "sums": dict(MonthSumsPart.objects.filter(as_of=month).values_list("part", "data")),
        "warnings": _rows(SystemWarning, month_id=month),
        "forecasts": _rows(Forecast, month_id=month),
        "backtest": _rows(OutlookSummary, month_id=month),
    }


def _edit(month: date, code: str, step: int) -> None:
    system = System.objects.filter(organization_id=code).order_by("id").first()
    current = StatusSnapshot.objects.filter(system=system, as_of__lte=month).order_by("-as_of").first()
    new = Status.COMPLETED if current.codes[step - 1] != "C" else Status.NOT_STARTED
    services.status_set(actor=ACTOR, system=system, as_of=month, step=str(step), status=new, version=None)


def _republish(month: date) -> None:
    Month.objects.filter(as_of=month).update(published=False)
    services.month_publish(actor=ACTOR, as_of=month)


def _refresh_needed(month: date) -> str:
    return Month.objects.get(as_of=month).refresh_needed


def test_publishing_after_incremental_edits_gives_what_a_full_rebuild_computes() -> None:
    month = _latest()
    rollups.refresh_months([month])  # start from a full refresh
    assert _refresh_needed(month) == ""
    _edit(month, "042021", 7)  # published month: the rollups follow at once, by delta
    _edit(month, "131016", 12)
    assert _refresh_needed(month) == "outlook"  # the country's forecast and the backtest are behind
    _republish(month)
    assert _refresh_needed(month) == ""
    published = _published_state(month)
    rollups.refresh_months([month])  # the repair: everything from scratch
    assert _published_state(month) == published


def test_an_edit_the_rollups_skipped_is_computed_at_publishing() -> None:
    month = _latest()
    Month.objects.filter(as_of=month).update(published=False)
    before = OrganizationRollup.objects.get(as_of=month, organization_id="042021").completed
    _edit(month, "042021", 3)  # an unpublished month: no rollups now
    assert _refresh_needed(month) == "full"
    assert OrganizationRollup.objects.get(as_of=month, organization_id="042021").completed == before
    services.month_publish(actor=ACTOR, as_of=month)
    assert _refresh_needed(month) == ""
    after = OrganizationRollup.objects.get(as_of=month, organization_id="042021").completed
    assert abs(after - before) == 1
    published = _published_state(month)
    rollups.refresh_months([month])
    assert _published_state(month) == published


def test_publishing_a_current_month_recomputes_nothing() -> None:
    month = _latest()
    rollups.refresh_months([month])
    rows = sorted(OrganizationRollup.objects.filter(as_of=month).values_list("id", flat=True))
    forecasts = sorted(Forecast.objects.filter(month_id=month).values_list("id", flat=True))
    _republish(month)
    assert sorted(OrganizationRollup.objects.filter(as_of=month).values_list("id", flat=True)) == rows
    assert sorted(Forecast.objects.filter(month_id=month).values_list("id", flat=True)) == forecasts
    assert Month.objects.get(as_of=month).published


def _warning_counts(month: date) -> dict:
    return OutlookSummary.objects.get(month_id=month, scope="warnings").data


def test_warning_counts_after_edits_are_those_of_counting_every_row_again() -> None:
    """Edits rewrite a few systems' warnings and adjust the month's counts by delta: the counts equal a full
    recount, also when a 団体's last warning goes or a kind or basis falls to nothing."""
    month = _latest()
    rollups.refresh_months([month])
    systems = list(System.objects.filter(organization_id__in=["042021", "041009"]).order_by("id")[:6])
    for i, system in enumerate(systems):
        for step in (1, 35, 40 - i):  # completed steps undone (regressions) and open steps done
            current = StatusSnapshot.objects.filter(system=system, as_of__lte=month).order_by("-as_of").first()
            new = Status.IN_PROGRESS if current.codes[step - 1] == "C" else Status.COMPLETED
            services.status_set(actor=ACTOR, system=system, as_of=month, step=str(step), status=new, version=None)
    values = {"department": "情報政策課", "expected_completion": "令和9年3月", "reason": "事業者の提供時期のため。"}
    services.delay_save(actor=ACTOR, system=systems[0], as_of=month, values=values)
    incremental = _warning_counts(month)
    assert incremental["by_kind"]["regression"] >= 1
    rollups.refresh_months([month])  # every system's warnings from scratch
    assert _warning_counts(month) == incremental
