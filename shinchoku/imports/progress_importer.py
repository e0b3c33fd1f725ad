"""Progress reports through the import pipeline: 総務省's workbook (its 市区町村 rates sheet and its step sheet),
our rates CSV, the long CSV and a 団体's matrix. Statuses and published rates become one row per system
and month (StatusSnapshot); vendors and packages become that month's system attributes."""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from shinchoku.ops.bulk_insert import insert_rows
from shinchoku.progress import rollups
from shinchoku.progress.attributes import Attributes, attributes_at, write_attributes
from shinchoku.progress.models import Month, OwnStep, StatusSnapshot, System
from shinchoku.progress.writes import add_month_source
from shinchoku.publication.months import ensure_month
from shinchoku.reference.models import Business

from .context import ParseContext
from .detect import FORMATS
from .importer import DeclaredImporter, ImportOptions
from .parse import parse_source
from .plan import Plan, build_plan
from .rows import ParseResult
from .source import Source

__all__ = ["ProgressImporter"]

# Up to this many systems written, other apps' figures are refreshed for those systems only (a 団体's report).
SMALL_IMPORT_SYSTEMS = 500

SNAPSHOT_COLUMNS = (
    "system_id",
    "as_of",
    "codes",
    "own_codes",
    "published_done",
    "versions",
    "updated_at",
    "updated_by",
    "source",
)


class ProgressImporter(DeclaredImporter, name="progress", formats=FORMATS):
    """Progress reports; not official as a format: a 総務省 workbook says so itself (ParseResult.official_source)."""

    def detect(self, source: Source, ctx: ParseContext) -> bool:
        return True  # any table the other importers do not claim is read as a progress report

    def parse(self, source: Source, ctx: ParseContext, options: ImportOptions) -> ParseResult:
        return parse_source(source, ctx, options.format)

    def plan(self, parsed: ParseResult, options: ImportOptions) -> Plan:
        plan = build_plan(
            parsed.cell_rows,
            systems=parsed.systems,
            rates=parsed.rates,
            allow_new_systems=options.allow_new_systems,
        )
        plan.file_name = options.file_name
        return plan

    def apply(self, planned: Plan, parsed: ParseResult, options: ImportOptions, *, source: str) -> None:
        apply_plan(planned, options, source=source, official_source=parsed.official_source or options.official_source)


def apply_plan(plan: Plan, options: ImportOptions, *, source: str, official_source: dict[str, str] | None) -> None:
    if plan.new_systems:
        _create_systems(plan)
    earliest = min(plan.months) if plan.months else None
    OwnStep.objects.bulk_create(
        [
            OwnStep(organization_id=org, number=n, name=name, since=earliest)
            for org, steps in plan.new_own_steps.items()
            for n, name in sorted(steps.items())
        ]
    )
    _rename_own_steps(plan, earliest)
    _write_attributes(plan, options)
    _write_snapshots(plan, options, source)
    auto = bool(getattr(settings, "SHINCHOKU_AUTO_PUBLISH", False)) or options.publish
    now = timezone.now()
    for m in plan.months:
        month = ensure_month(Month, m, auto_publish=auto, actor=options.actor)
        if plan.sample_data and not month.sample_data:  # re-imported sample data stays labelled
            Month.objects.filter(pk=month.pk).update(sample_data=True)
        if official_source:
            add_month_source(month.as_of, official_source)
        if options.publish and not month.published:
            Month.objects.filter(pk=month.pk).update(published=True, published_at=now, published_by=options.actor)
    if plan.snapshots or plan.new_systems or plan.attributes:
        options.stage("集計を更新しています…")
        written = {plan.system_ids[s.system_key] for s in plan.snapshots}
        written |= {plan.system_ids[k] for k in plan.attributes if k in plan.system_ids}
        small = written if len(written) <= SMALL_IMPORT_SYSTEMS else None
        rollups.refresh_months(rollups.months_affected_from(min(plan.months), written), systems=small)


def _rename_own_steps(plan: Plan, month: date | None) -> None:
    """A new name for an existing own step applies from the imported month on (earlier months keep theirs)."""
    for org, steps in plan.own_step_names.items():
        for step in OwnStep.objects.filter(organization_id=org, number__in=list(steps)):
            name = steps[step.number]
            if month is None or step.name_at(month) == name or step.number in plan.new_own_steps.get(org, {}):
                continue
            step.renamed = {**step.renamed, month.isoformat(): name}
            step.save(update_fields=["renamed"])


def _write_attributes(plan: Plan, options: ImportOptions) -> None:
    """Vendor and package named in a long CSV: the system's attributes from that month on."""
    for key, (month, values) in plan.attributes.items():
        sid = plan.system_ids[key]
        current = attributes_at(month, [sid]).get(sid, Attributes())
        write_attributes(sid, month, current.changed(**values), actor=options.actor, source="import", current=current)


def _write_snapshots(plan: Plan, options: ImportOptions, source: str) -> None:
    now = timezone.now()
    inserts = []
    updates = []
    for s in plan.snapshots:
        versions = json.dumps(s.versions, separators=(",", ":"))
        sid = plan.system_ids[s.system_key]
        if s.existing_id is None:
            inserts.append((sid, s.as_of, s.codes, s.own_codes, s.published_done, versions, now, options.actor, source))
        else:
            updates.append(
                (s.codes, s.own_codes, s.published_done, versions, now, options.actor, source, s.existing_id)
            )
    # not bulk_create: the national file writes ~35,000 rows (COPY on PostgreSQL)
    insert_rows(StatusSnapshot._meta.db_table, SNAPSHOT_COLUMNS, inserts)
    with connection.cursor() as cur:
        if updates:
            cur.executemany(
                "UPDATE progress_statussnapshot SET codes = %s, own_codes = %s, published_done = %s, versions = %s,"
                " updated_at = %s, updated_by = %s, source = %s WHERE id = %s",
                updates,
            )


def _create_systems(plan: Plan) -> None:
    """Insert new systems at once and read their ids back (the first national file adds ~35,000)."""
    names = dict(Business.objects.values_list("number", "name"))
    rows = [
        (k.org, names.get(k.business, k.name) if k.business else k.name, k.business, k.business or 100)
        for k in plan.new_systems
    ]
    insert_rows(System._meta.db_table, ("organization_id", "name", "business_id", "sort_order"), rows)
    orgs = {k.org for k in plan.new_systems}
    query = System.objects.values_list("id", "organization_id", "name", "business_id")
    if len(orgs) < 900:
        query = query.filter(organization_id__in=orgs)
    by_name = {(org, name): pk for pk, org, name, _b in query}
    by_business = {(org, b): pk for pk, org, _n, b in query if b is not None}
    for k in plan.new_systems:
        plan.system_ids[(k.org, k.name)] = by_business[(k.org, k.business)] if k.business else by_name[(k.org, k.name)]
