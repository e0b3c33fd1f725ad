"""Apply a progress report file: validate everything, then write all of it or nothing, and record it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shinchoku.domain.calendar import to_month_end
from shinchoku.progress import rollups
from shinchoku.progress.models import Month, OwnStep, System
from shinchoku.progress.services import ensure_month

from .models import ImportRecord
from .parse import parse
from .plan import Plan, build_plan
from .problems import Problem
from .reference_context import database_context
from .soumu import SHEET_NAME
from .workbook import workbook_sheet_names


@dataclass
class ImportOptions:
    actor: str
    file_name: str
    format: str = "auto"
    as_of: date | None = None
    org: str | None = None
    allow_new_systems: bool = False
    dry_run: bool = False
    publish: bool = False
    source: str = "cli"
    on_stage: Callable[[str], None] | None = None  # progress messages for a terminal or a web page
    # Called with the codes of every 団体 the file would write, after validation and before any write
    # (dry runs too); it raises to refuse (the staff side checks roles here, so a file is parsed once).
    authorize: Callable[[set[str]], None] | None = None
    include_practice: bool = False  # the 体験モード 団体 is known only to staff uploads

    def stage(self, message: str) -> None:
        if self.on_stage is not None:
            self.on_stage(message)


@dataclass
class ImportOutcome:
    status: str  # applied, rejected, dry_run
    format: str
    problems: list[Problem]
    counts: dict = field(default_factory=dict)
    record_id: int | None = None
    organizations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class ImportTooLarge(ValueError):
    pass


def max_bytes() -> int:
    return int(settings.SHINCHOKU_MAX_UPLOAD_BYTES)


def too_large_problem(size: int, file_name: str) -> Problem:
    limit = max_bytes()
    return Problem(
        "error",
        f"ファイルが大きすぎます（{size / 1_000_000:.1f} MB）。上限は {limit / 1_000_000:.0f} MB です。"
        "ファイルを分けて取り込んでください。",
        file=file_name,
    )


def _record(options: ImportOptions, data: bytes, outcome: ImportOutcome, as_of: date | None) -> int:
    record = ImportRecord.objects.create(
        file_name=options.file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=outcome.format,
        as_of=as_of,
        actor=options.actor,
        source=options.source,
        status=outcome.status,
        counts=outcome.counts,
        errors=[asdict(p) for p in outcome.errors],
        warnings=[asdict(p) for p in outcome.warnings],
        organization=options.org or "",
    )
    return record.pk


def reject(options: ImportOptions, data: bytes, problems: list[Problem], fmt: str = "") -> ImportOutcome:
    outcome = ImportOutcome(status="rejected", format=fmt, problems=problems, counts={})
    if not options.dry_run:  # a dry run writes nothing at all, not even its record
        outcome.record_id = _record(options, data, outcome, options.as_of)
    return outcome


def import_file(data: bytes, options: ImportOptions) -> ImportOutcome:
    """Validate and apply one file. Nothing is written unless every row is valid."""
    if len(data) > max_bytes():
        return reject(options, data, [too_large_problem(len(data), options.file_name)])
    # 子育て・介護26手続 files (issue 6) go to the procedures import, which reuses reject/_record below.
    from shinchoku.procedures import imports as procedures_import

    if _is_procedures(data, options, procedures_import.is_procedures_file):
        return procedures_import.import_procedures(data, options)
    options.stage("ファイルを読み込んで検証しています…")
    ctx = database_context(
        filename=options.file_name, as_of=options.as_of, org=options.org, include_practice=options.include_practice
    )
    result = parse(data, ctx, options.format)
    if not result.ok:
        return reject(options, data, result.problems, result.format)
    if result.empty:
        problem = Problem("error", "取り込める行がありません。", file=options.file_name)
        return reject(options, data, [*result.problems, problem], result.format)
    options.stage(f"{len(result.systems) + len(result.cell_rows):,} 行を現在のデータと照合しています…")
    plan = build_plan(result.cell_rows, systems=result.systems, allow_new_systems=options.allow_new_systems)
    problems = [*result.problems, *(_with_file(p, options.file_name) for p in plan.problems)]
    if plan.problems:
        return reject(options, data, problems, result.format)
    counts = plan.counts()
    if options.authorize is not None:
        options.authorize(set(plan.organizations))
    orgs = sorted(plan.organizations)
    if options.dry_run:
        return ImportOutcome(
            status="dry_run", format=result.format, problems=problems, counts=counts, organizations=orgs
        )
    outcome = ImportOutcome(
        status="applied", format=result.format, problems=problems, counts=counts, organizations=orgs
    )
    options.stage(f"{plan.cells_changed:,} セルの変更を書き込んでいます…")
    with transaction.atomic():
        as_of = max(plan.months) if plan.months else None
        outcome.record_id = _record(options, data, outcome, as_of)
        _apply(plan, options, source=f"import:{outcome.record_id}")
    return outcome


def _is_procedures(data: bytes, options: ImportOptions, sniff: Callable[[bytes], bool]) -> bool:
    if options.format != "auto":
        return options.format == "procedures"
    # The national progress workbook is recognised by its sheet name without reading any sheet.
    return SHEET_NAME not in workbook_sheet_names(data) and sniff(data)


def _with_file(p: Problem, file_name: str) -> Problem:
    return p if p.file else Problem(**{**asdict(p), "file": file_name})


def _apply(plan: Plan, options: ImportOptions, *, source: str) -> None:
    if plan.new_systems:
        _create_systems(plan)
    OwnStep.objects.bulk_create(
        [
            OwnStep(organization_id=org, number=n, name=name)
            for org, steps in plan.new_own_steps.items()
            for n, name in sorted(steps.items())
        ]
    )
    for org, steps in plan.own_step_names.items():
        for n, name in steps.items():
            OwnStep.objects.filter(organization_id=org, number=n).exclude(name=name).update(name=name)
    for key, attrs in plan.attributes.items():
        System.objects.filter(pk=plan.system_ids[key]).update(**attrs)
    now = timezone.now()
    inserts = []
    updates = []
    for s in plan.snapshots:
        versions = json.dumps(s.versions, separators=(",", ":"))
        sid = plan.system_ids[s.system_key]
        if s.existing_id is None:
            inserts.append((sid, s.as_of, s.codes, s.own_codes, versions, now, options.actor, source))
        else:
            updates.append((s.codes, s.own_codes, versions, now, options.actor, source, s.existing_id))
    with connection.cursor() as cur:  # raw executemany: the national file writes ~35,000 rows
        if inserts:
            cur.executemany(
                "INSERT INTO progress_statussnapshot (system_id, as_of, codes, own_codes, versions, updated_at,"
                " updated_by, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                inserts,
            )
        if updates:
            cur.executemany(
                "UPDATE progress_statussnapshot SET codes = %s, own_codes = %s, versions = %s, updated_at = %s,"
                " updated_by = %s, source = %s WHERE id = %s",
                updates,
            )
    auto = bool(getattr(settings, "SHINCHOKU_AUTO_PUBLISH", False)) or options.publish
    for m in plan.months:
        month = ensure_month(m, auto_publish=auto, actor=options.actor)
        if plan.sample_data and not month.sample_data:  # re-imported sample data stays labelled
            Month.objects.filter(pk=month.pk).update(sample_data=True)
        if options.publish and not month.published:
            Month.objects.filter(pk=month.pk).update(published=True, published_at=now, published_by=options.actor)
    if plan.snapshots or plan.new_systems:
        options.stage("集計を更新しています…")
        written = {plan.system_ids[s.system_key] for s in plan.snapshots}
        rollups.refresh_months(rollups.months_affected_from(min(plan.months), written))


def _create_systems(plan: Plan) -> None:
    """Insert new systems with one executemany and read their ids back (the first national file adds ~35,000)."""
    from shinchoku.reference.models import Business

    names = dict(Business.objects.values_list("number", "name"))
    rows = [
        (k.org, names.get(k.business, k.name) if k.business else k.name, k.business, k.business or 100)
        for k in plan.new_systems
    ]
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO progress_system (organization_id, name, business_id, sort_order, vendor, package,"
            " special_support, uses_gov_cloud) VALUES (%s, %s, %s, %s, '', '', FALSE, NULL)",
            rows,
        )
    orgs = {k.org for k in plan.new_systems}
    query = System.objects.values_list("id", "organization_id", "name", "business_id")
    if len(orgs) < 900:
        query = query.filter(organization_id__in=orgs)
    by_name = {(org, name): pk for pk, org, name, _b in query}
    by_business = {(org, b): pk for pk, org, _n, b in query if b is not None}
    for k in plan.new_systems:
        plan.system_ids[(k.org, k.name)] = by_business[(k.org, k.business)] if k.business else by_name[(k.org, k.name)]


def month_of(value: date) -> date:
    return to_month_end(value)
