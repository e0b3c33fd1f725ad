"""Write the fictional sample data into the database, with its rollups, in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from shinchoku.accounts.actor import Actor
from shinchoku.ops.bulk_insert import insert_rows
from shinchoku.ops.collector import collector_paused
from shinchoku.outlook.refresh import refresh_outlook
from shinchoku.progress.models import (
    AreaRollup,
    DelayExplanation,
    Month,
    MonthSumsPart,
    OrganizationRollup,
    OwnStep,
    StatusChange,
    StatusSnapshot,
    System,
    SystemAttributes,
)
from shinchoku.progress.rollups import (
    MonthInput,
    SystemState,
    compute_month,
    mark_refreshed,
    national_deadlines,
    organization_info,
    save_month,
)
from shinchoku.progress.system_rollups import SystemRow
from shinchoku.publication.provenance import SAMPLE, claim
from shinchoku.publication.versions import data_changed
from shinchoku.reference.lookup import sample_organizations
from shinchoku.reference.models import Business

from .generator import generate
from .records import OrgSpec, SampleData, SystemSample

ACTOR = "demo"


@dataclass
class DemoResult:
    systems: int
    snapshots: int
    months: int
    seconds: float


# The progress tables, in an order that deletes rows before the rows they point to.
PROGRESS_TABLES = (
    AreaRollup,
    MonthSumsPart,
    OrganizationRollup,
    StatusChange,
    DelayExplanation,
    SystemAttributes,
    StatusSnapshot,
    OwnStep,
    System,
    Month,
)


def _clear() -> None:
    for model in PROGRESS_TABLES:
        model.objects.filter(**({} if model is not System else {"organization__is_practice": False})).delete()


def attribute_rows(s: SystemSample, first_month: date) -> list[tuple[date, dict]]:
    """A sample system's attributes by month: from the first month, and again from its 特定移行支援 month and
    from the month it changes vendor."""
    changes = {d for d in (s.special_support_since, s.vendor_since) if d is not None and d > first_month}
    return [(m, _attributes_at(s, m)) for m in sorted({first_month, *changes})]


def _vendor_at(s: SystemSample, m: date) -> tuple[str, str]:
    if s.previous_vendor is not None and s.vendor_since is not None and m < s.vendor_since:
        return s.previous_vendor
    return s.vendor, s.package


def _attributes_at(s: SystemSample, m: date) -> dict:
    vendor, package = _vendor_at(s, m)
    values = {
        "vendor": vendor,
        "package": package,
        "planned_go_live": s.planned_go_live,
        "uses_gov_cloud": s.uses_gov_cloud,
        "cloud_provider": s.cloud_provider,
    }
    if _special_at(s, m):
        values |= {"special_support": True, "planned_completion": s.planned_completion}
    return values


def _special_at(s: SystemSample, m: date) -> bool:
    return s.special_support and (s.special_support_since is None or s.special_support_since <= m)


def load_sample(
    *, seed: int = 0, prefectures: Collection[str] | None = None, progress: Callable[[str], None] | None = None
) -> DemoResult:
    """Generate and store the fictional national sample; refused (DatasetMismatch) in a database of real data.

    `prefectures` (two-digit codes) limits it to those prefectures and their 市区町村: the small dataset the
    test suite and quick trials use. The national figures are then those of the chosen prefectures only.
    """
    with collector_paused():  # millions of objects that all live until the end: 30 % of the build's CPU
        return _load(seed, prefectures, progress)


def _load(seed: int, prefectures: Collection[str] | None, progress: Callable[[str], None] | None) -> DemoResult:
    started = time.perf_counter()
    claim(SAMPLE, actor=ACTOR)
    say = progress or (lambda _msg: None)
    orgs = [OrgSpec(o.code, o.prefecture_code, o.kind) for o in sample_organizations(prefectures)]
    say(f"{len(orgs)} 団体の架空データを生成しています…")
    data = generate(orgs, seed=seed)
    names = dict(Business.objects.values_list("number", "name"))
    with transaction.atomic():
        _clear()
        say("データベースに書き込んでいます…")
        systems = System.objects.bulk_create(
            [
                System(
                    organization_id=s.org_code,
                    name=s.name or names[s.business],
                    business_id=s.business,
                    sort_order=s.sort_order,
                )
                for s in data.systems
            ],
            batch_size=2000,
        )
        ids = [s.pk for s in systems]
        SystemAttributes.objects.bulk_create(
            [
                SystemAttributes(system_id=ids[i], as_of=m, updated_by=ACTOR, source=ACTOR, **values)
                for i, s in enumerate(data.systems)
                for m, values in attribute_rows(s, data.months[0])
            ],
            batch_size=2000,
        )
        OwnStep.objects.bulk_create(
            [
                OwnStep(organization_id=code, number=i, name=name)
                for code, steps in data.own_steps.items()
                for i, name in enumerate(steps, start=1)
            ]
        )
        now = timezone.now()
        rows = [
            (ids[i], m, codes, own, "{}", now, ACTOR, ACTOR)
            for i, s in enumerate(data.systems)
            for m, codes, own in s.history
        ]
        insert_rows(
            StatusSnapshot._meta.db_table,
            ("system_id", "as_of", "codes", "own_codes", "versions", "updated_at", "updated_by", "source"),
            rows,
        )
        last = data.months[-1]
        DelayExplanation.objects.bulk_create(
            [
                DelayExplanation(system_id=ids[i], as_of=last, updated_by=ACTOR, **s.delay)
                for i, s in enumerate(data.systems)
                if s.delay
            ],
            batch_size=1000,
        )
        Month.objects.bulk_create(
            [
                Month(as_of=m, published=True, published_at=now, published_by=ACTOR, sample_data=True)
                for m in data.months
            ]
        )
        say("集計（ロールアップ）を計算しています…")
        _rollups(data, ids)
        refresh_outlook(data.months)  # warnings and forecasts
        mark_refreshed(data.months, complete=True)
        # 子育て・介護26手続のオンライン化: the same months, also 架空.
        from shinchoku.procedures.sample import load_sample as load_procedures_sample

        load_procedures_sample(seed=seed, prefectures=prefectures)
        # 運用経費 and ガバメントクラウド figures: also 架空.
        from shinchoku.costs.sample import load_sample as load_costs_sample

        load_costs_sample(seed=seed, prefectures=prefectures)
        data_changed()
        Actor.shell(ACTOR, source=ACTOR).record(
            "load_sample", target=f"seed {seed}", after={"systems": len(ids), "months": len(data.months)}
        )
    return DemoResult(
        systems=len(ids), snapshots=len(rows), months=len(data.months), seconds=time.perf_counter() - started
    )


def _rollups(data: SampleData, ids: list[int]) -> None:
    """Rollups from the generated history in memory (same aggregation as after an import)."""
    orgs = organization_info()
    own_numbers = {code: tuple(range(1, len(steps) + 1)) for code, steps in data.own_steps.items()}
    deadlines = national_deadlines()
    cursor = [0] * len(data.systems)
    for m in data.months:
        states = []
        for i, s in enumerate(data.systems):
            h = s.history
            while cursor[i] + 1 < len(h) and h[cursor[i] + 1][0] <= m:
                cursor[i] += 1
            if h[cursor[i]][0] > m:
                continue
            _, codes, own = h[cursor[i]]
            special = _special_at(s, m)
            planned = s.planned_completion if special else None
            states.append(SystemState(ids[i], s.org_code, s.business, special, planned, codes, own))
        rows = [
            SystemRow(
                ids[i],
                s.org_code,
                s.org_code[:2],
                s.business,
                _vendor_at(s, m)[0],
                _special_at(s, m),
                s.planned_completion if _special_at(s, m) else None,
            )
            for i, s in enumerate(data.systems)
        ]
        save_month(
            compute_month(
                MonthInput(
                    as_of=m, states=states, orgs=orgs, own_step_numbers=own_numbers, deadlines=deadlines, systems=rows
                )
            ),
            own_numbers=own_numbers,
        )
