"""A write refreshes the rollups of the 団体 it touches and the aggregates above them by delta; the repair
(`shinchoku rollups rebuild`, a full recompute) gives exactly the same rows after any sequence of edits."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.cli import main
from shinchoku.costs.models import CloudRollup
from shinchoku.domain.status import Status
from shinchoku.outlook.models import OutlookSummary
from shinchoku.outlook.special_timeline import SPECIAL_SCOPE
from shinchoku.progress import rollups, services, sums_parts
from shinchoku.progress.models import AreaRollup, Month, MonthSumsPart, OrganizationRollup, StatusSnapshot, System

pytestmark = pytest.mark.django_db

ACTOR = Actor.shell("hypothesis")
ORGS = ("042021", "041009", "040002", "131016", "132063")  # 石巻市, 仙台市, 宮城県, 千代田区, 府中市
RATE_ONLY_ORG = "132063"  # a few of its systems are known only by a published 完了率 (as 総務省's data)


def _months() -> list[date]:
    return list(Month.objects.filter(published=True).order_by("-as_of").values_list("as_of", flat=True)[:2])[::-1]


def _state(months: list[date]) -> dict:
    """Every stored rollup row of the months: 団体 rows (with their parts), area rows and the month's sums; and
    the figures other apps refresh with them from attributes (ガバメントクラウド and vendors, the 特定移行支援
    timeline), which an edit of other attributes leaves as they are."""
    org_fields = [f.name for f in OrganizationRollup._meta.fields if f.name != "id"]
    return {
        "orgs": sorted(
            OrganizationRollup.objects.filter(as_of__in=months).values_list(*org_fields),
            key=lambda row: (str(row[0]), str(row[1])),
        ),
        "areas": {
            (a, s): d for a, s, d in AreaRollup.objects.filter(as_of__in=months).values_list("as_of", "scope", "data")
        },
        "sums": {
            (a, p): d for a, p, d in MonthSumsPart.objects.filter(as_of__in=months).values_list("as_of", "part", "data")
        },
        "cloud": dict(CloudRollup.objects.filter(as_of__in=months).values_list("as_of", "data")),
        "special": dict(
            OutlookSummary.objects.filter(month_id__in=months, scope=SPECIAL_SCOPE).values_list("month_id", "data")
        ),
    }


def _make_rate_only(months: list[date]) -> None:
    """Two systems of a 団体 become rate-only in the latest month (codes "" and a published k of 40)."""
    latest = months[-1]
    for i, system in enumerate(System.objects.filter(organization_id=RATE_ONLY_ORG).order_by("id")[:2]):
        StatusSnapshot.objects.update_or_create(
            system=system, as_of=latest, defaults={"codes": "", "own_codes": "", "published_done": 10 + i}
        )


edits = st.lists(
    st.one_of(
        st.tuples(
            st.just("status"),
            st.sampled_from(ORGS),
            st.integers(0, 30),
            st.integers(0, 1),
            st.integers(1, 40),
            st.sampled_from(list(Status)),
        ),
        st.tuples(
            st.just("bulk"), st.sampled_from(ORGS), st.integers(0, 1), st.integers(1, 40), st.sampled_from(list(Status))
        ),
        st.tuples(
            st.just("system"),
            st.sampled_from(ORGS),
            st.integers(0, 30),
            st.integers(0, 1),
            st.sampled_from(["架空ベンダーA", "架空ベンダーB", ""]),
            st.booleans(),
            st.sampled_from([("vendor",), ("special_support", "planned_completion"), ("vendor", "special_support")]),
        ),
        st.tuples(st.just("add"), st.sampled_from(ORGS), st.integers(0, 1)),
        st.tuples(st.just("own_step"), st.sampled_from(ORGS), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=6,
)


def _apply(edit: tuple, months: list[date]) -> None:
    kind, code = edit[0], edit[1]
    systems = list(System.objects.filter(organization_id=code).order_by("id"))
    if kind == "status":
        _, _, index, month, step, status = edit
        services.status_set(
            actor=ACTOR,
            system=systems[index % len(systems)],
            as_of=months[month],
            step=str(step),
            status=status,
            version=None,
        )
    elif kind == "bulk":
        _, _, month, step, status = edit
        org = systems[0].organization
        services.status_bulk_set(actor=ACTOR, org=org, as_of=months[month], step=str(step), status=status)
    elif kind == "add":
        services.system_add(actor=ACTOR, org=systems[0].organization, name=f"追加のシステム{len(systems)}")
    elif kind == "own_step":
        services.own_step_add(actor=ACTOR, org=systems[0].organization, name="独自の確認", as_of=months[edit[2]])
    else:
        _, _, index, month, vendor, special, fields = edit
        values = {
            "vendor": vendor,
            "special_support": special,
            "planned_completion": date(2027, 3, 31) if special else None,
        }
        values = {field: values[field] for field in fields}  # some attributes only: the rest stay as they were
        services.system_update(actor=ACTOR, system=systems[index % len(systems)], as_of=months[month], values=values)


# derandomize: CI runs the same examples every time. Each example runs in a savepoint that is rolled back, so it
# starts from the same rebuilt state and a failure replays (`--hypothesis-seed` with derandomize off to explore).
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=edits)
def test_random_edits_leave_the_rollups_a_full_rebuild_would_compute(sequence: list[tuple]) -> None:
    with transaction.atomic():
        months = _months()
        _make_rate_only(months)
        rollups.refresh_months(months)  # start from what a rebuild computes (not the sample loader's own rollups)
        for edit in sequence:
            _apply(edit, months)
        incremental = _state(months)
        rollups.refresh_months(months)  # the repair: every 団体 and area from scratch
        rebuilt = _state(months)
        transaction.set_rollback(True)
    assert rebuilt == incremental


def test_a_status_edit_rewrites_only_the_row_of_its_organization() -> None:
    months = _months()
    latest = months[-1]
    before = dict(OrganizationRollup.objects.filter(as_of=latest).values_list("organization_id", "id"))
    system = System.objects.filter(organization_id="042021").order_by("id").first()
    current = StatusSnapshot.objects.filter(system=system, as_of__lte=latest).order_by("-as_of").first()
    new = Status.COMPLETED if current.codes[4] != "C" else Status.NOT_STARTED
    services.status_set(actor=ACTOR, system=system, as_of=latest, step="5", status=new, version=None)
    after = dict(OrganizationRollup.objects.filter(as_of=latest).values_list("organization_id", "id"))
    rewritten = {code for code, row_id in after.items() if before.get(code) != row_id}
    assert rewritten == {"042021"}


def test_the_rebuild_command_recomputes_the_months_and_is_audited(capsys) -> None:
    months = _months()
    OrganizationRollup.objects.filter(as_of=months[-1], organization_id="042021").update(completion_rate=0.0)
    assert main(["rollups", "rebuild", "--from", f"{months[-1]:%Y-%m}", "--actor", "repairer"]) == 0
    assert "か月分作り直しました" in capsys.readouterr().out
    row = OrganizationRollup.objects.get(as_of=months[-1], organization_id="042021")
    assert row.completion_rate == pytest.approx(
        (row.completed + row.not_applicable + row.rate_only_done) / (40 * row.systems)
    )
    assert AuditEntry.objects.filter(action="rebuild_rollups", actor="repairer").exists()


def test_a_new_systems_first_row_counts_at_once_even_when_the_cell_keeps_its_status() -> None:
    """A system added and given 未着手 (its status before any row) now has statuses in the month: the rollups
    count it at once, as a rebuild does (found by the property above on PostgreSQL)."""
    months = _months()
    rollups.refresh_months(months)
    org = System.objects.filter(organization_id="132063").first().organization
    system = services.system_add(actor=ACTOR, org=org, name="追加のシステム")
    result = services.status_set(
        actor=ACTOR, system=system, as_of=months[-1], step="38", status=Status.NOT_STARTED, version=None
    )
    assert result.wrote and not result.changed  # a row was written: audited, and the rollups follow
    incremental = _state(months)
    rollups.refresh_months(months)
    assert _state(months) == incremental


def _edit(code: str, step: int, as_of: date) -> list[str]:
    """One status edit of a 団体's first system; the SQL of the parts of the month's sums it read."""
    system = System.objects.filter(organization_id=code).order_by("id").first()
    current = StatusSnapshot.objects.filter(system=system, as_of__lte=as_of).order_by("-as_of").first()
    new = Status.COMPLETED if current.codes[step - 1] != "C" else Status.NOT_STARTED
    with CaptureQueriesContext(connection) as queries:
        services.status_set(actor=ACTOR, system=system, as_of=as_of, step=str(step), status=new, version=None)
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT part, data FROM")]


def test_a_status_edit_reads_and_rewrites_only_the_parts_of_the_sums_it_changes() -> None:
    latest = _months()[-1]
    before = dict(MonthSumsPart.objects.filter(as_of=latest).values_list("part", "id"))
    business = System.objects.filter(organization_id="042021").order_by("id").first().business_id
    sums_parts.forget()
    reads = _edit("042021", 7, latest)
    after = dict(MonthSumsPart.objects.filter(as_of=latest).values_list("part", "id"))
    rewritten = {part for part, row_id in after.items() if before.get(part) != row_id}
    assert rewritten == {f"business:{business}", "steps"}
    assert len(reads) == 1
    assert "'special'" not in reads[0] and "'vendors'" in reads[0] and "'steps'" in reads[0]


def test_the_vendors_part_is_decoded_once_for_the_same_text() -> None:
    latest = _months()[-1]
    sums_parts.forget()
    assert "'vendors'" in _edit("042021", 8, latest)[0]
    assert "'vendors'" not in _edit("041009", 8, latest)[0]  # the same text: kept decoded
    system = System.objects.filter(organization_id="041009").order_by("id").first()
    services.system_update(actor=ACTOR, system=system, as_of=latest, values={"vendor": "架空ベンダーZ"})
    assert "'vendors'" in _edit("042021", 9, latest)[0]  # another text (another digest): read again
    assert _edit("131016", 9, latest)[0].count("'vendors'") == 0
