"""The one import pipeline: detect the format, parse, authorize, plan and apply under the import lock, record.

Nothing is written unless every row is valid; the data, the import record and the audit entries commit in one
transaction. Two imports never plan against the same state: the second waits for the first's lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.audit import entry as audit_entry
from shinchoku.accounts.models import AuditEntry
from shinchoku.accounts.rules import Action, can_somewhere
from shinchoku.publication.provenance import REAL, SAMPLE, DatasetMismatch, claim, dataset_kind
from shinchoku.publication.versions import data_changed
from shinchoku.reference.models import Organization

from . import isolation
from .context import ParseContext
from .importer import Importer, ImportOptions, ImportOutcome, importers
from .locking import take_import_lock
from .models import ImportRecord
from .problems import Problem
from .reference_context import database_context
from .rows import reader_failure
from .source import Source

__all__ = [
    "ImportOptions",
    "ImportOutcome",
    "file_import",
    "import_file",
    "max_bytes",
    "outcome_summary",
    "record_attempt",
    "record_import",
    "reject",
    "too_large_problem",
]

BUSY_MESSAGE = (
    "別の取り込みが実行中のため、この取り込みは行いませんでした（何も書き込んでいません）。"
    "しばらくしてから、もう一度取り込んでください。"
)


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


def record_attempt(options: ImportOptions, data: bytes, outcome: ImportOutcome, as_of: date | None) -> int:
    """The ImportRecord of an attempt (applied or rejected; dry runs are not recorded)."""
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


def reject(options: ImportOptions, data: bytes, problems: list[Problem], fmt: str = "", counts: dict | None = None):
    outcome = ImportOutcome(status="rejected", format=fmt, problems=problems, counts=counts or {})
    if not options.dry_run:  # a dry run writes nothing at all, not even its record
        outcome.record_id = record_attempt(options, data, outcome, options.as_of)
    return outcome


def choose_importer(source: Source, ctx: ParseContext, fmt: str) -> Importer:
    """The importer for an explicit --format, or the first whose detect() claims the file."""
    found = importers()
    if fmt != "auto":
        for importer in found:
            if fmt in importer.formats:
                return importer
        names = "・".join(["auto", *(f for i in found for f in i.formats)])
        raise ValueError(f"形式「{fmt}」には対応していません（{names} のいずれか）。")
    for importer in found:
        if importer.detect(source, ctx):
            return importer
    raise ValueError("ファイルの形式が分かりません。")  # the progress importer takes any table


def import_file(data: bytes, options: ImportOptions) -> ImportOutcome:
    """Validate and apply one file. Nothing is written unless every row is valid."""
    if len(data) > max_bytes():
        return reject(options, data, [too_large_problem(len(data), options.file_name)])
    if not data:
        return reject(options, data, [Problem("error", "ファイルが空です。", file=options.file_name)])
    options.stage("ファイルを読み込んで検証しています…")
    source = Source(data, options.file_name)
    ctx = database_context(
        filename=options.file_name, as_of=options.as_of, org=options.org, include_practice=options.include_practice
    )
    try:
        importer = choose_importer(source, ctx, options.format)
        parsed = importer.parse(source, ctx, options)
    except Exception as exc:  # a reader that fails in detection: the same refusal as in parsing
        failed = reader_failure(options.format, options.file_name, exc)
        return reject(options, data, failed.problems, failed.format)
    finally:
        source.close()
    sheets = [s.as_dict() for s in parsed.sheets]
    if not parsed.ok:
        return reject(options, data, parsed.problems, parsed.format, {"sheets": sheets} if sheets else None)
    if parsed.empty:
        problem = Problem("error", "取り込める行がありません。", file=options.file_name)
        return reject(options, data, [*parsed.problems, problem], parsed.format, {"sheets": sheets})
    if options.authorize is not None:
        options.authorize(set(parsed.organizations))
    official = importer.official or bool(getattr(parsed, "official_source", None) or options.official_source)
    if options.dry_run:
        return _outcome("dry_run", importer, parsed, options, sheets)
    try:
        return _apply(importer, parsed, options, data, sheets, official=official)
    except DatasetMismatch as exc:
        return reject(options, data, [Problem("error", str(exc), file=options.file_name)], parsed.format)
    except OperationalError as exc:
        if "lock" not in str(exc).lower():
            raise
        return reject(options, data, [Problem("error", BUSY_MESSAGE, file=options.file_name)], parsed.format)


def _outcome(status: str, importer: Importer, parsed, options: ImportOptions, sheets: list[dict]) -> ImportOutcome:
    plan = importer.plan(parsed, options)
    problems = [*parsed.problems, *(_with_file(p, options.file_name) for p in plan.problems)]
    counts = {**plan.counts(), "sheets": sheets}
    return ImportOutcome(
        status="rejected" if plan.problems else status,
        format=parsed.format,
        problems=problems,
        counts=counts,
        organizations=sorted(plan.changed_organizations()),
    )


def _apply(importer: Importer, parsed, options: ImportOptions, data: bytes, sheets: list[dict], *, official: bool):
    rejected: ImportOutcome | None = None
    with transaction.atomic():
        take_import_lock()
        options.stage("現在のデータと照合しています…")
        plan = importer.plan(parsed, options)
        _claim_dataset(official, plan, options)
        problems = [*parsed.problems, *(_with_file(p, options.file_name) for p in plan.problems)]
        counts = {**plan.counts(), "sheets": sheets}
        if plan.problems:
            rejected = ImportOutcome("rejected", parsed.format, problems, counts)
        else:
            outcome = ImportOutcome(
                status="applied",
                format=parsed.format,
                problems=problems,
                counts=counts,
                organizations=sorted(plan.changed_organizations()),
            )
            as_of = max(plan.months) if plan.months else None
            outcome.record_id = record_attempt(options, data, outcome, as_of)
            options.stage("書き込んでいます…")
            importer.apply(plan, parsed, options, source=f"import:{outcome.record_id}")
            data_changed()
            if options.audit is not None:
                options.audit(outcome)
            return outcome
    assert rejected is not None
    rejected.record_id = record_attempt(options, data, rejected, options.as_of)
    return rejected


def _claim_dataset(official: bool, plan, options: ImportOptions) -> None:
    """Official figures need a database of real data; other files keep the kind a database already has
    (a staff member may try an upload in the demo), and decide it for an empty one."""
    if official:
        claim(REAL, actor=options.actor)
    elif dataset_kind() is None:
        claim(SAMPLE if getattr(plan, "sample_data", False) else REAL, actor=options.actor)


def _with_file(p: Problem, file_name: str) -> Problem:
    return p if p.file else Problem(**{**asdict(p), "file": file_name})


# --- The guarded entry: who may import what, within which time, with its audit entries -----------------


def file_import(*, actor: Actor, data: bytes, options: ImportOptions, include_practice: bool = False) -> ImportOutcome:
    """import_file as `actor`: the web, the API and the CLI all come through here.

    A staff account is refused (PermissionDenied, nothing written) unless it may edit every 団体 the file
    names — and before the file is read at all unless it may edit the 団体 in `options.org` or, without one,
    some 団体 (a viewer's token is refused unread). The practice 団体 counts only with `include_practice`
    (browser uploads). A staff import is bounded by SHINCHOKU_WEB_IMPORT_SECONDS. The operator at the shell
    may import anything, unbounded. The audit entries commit with the import.
    """
    options.actor, options.source = actor.name, actor.source
    options.audit = lambda outcome: record_import(outcome, options)
    if actor.user is None:
        return import_file(data, options)
    user = actor.user
    orgs = Organization.objects.all() if include_practice else Organization.objects.filter(is_practice=False)
    if options.org:
        actor.require(Action.EDIT_PROGRESS, orgs.filter(code=options.org).first())
    elif not can_somewhere(user, Action.EDIT_PROGRESS, include_practice=include_practice):
        raise PermissionDenied("ファイルを取り込む権限がありません。")

    def authorize(codes: set[str]) -> None:
        named = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        for code in sorted(codes):
            actor.require(Action.EDIT_PROGRESS, named.get(code))

    options.authorize = authorize
    options.include_practice = include_practice
    on_stage = options.on_stage

    def stage(message: str) -> None:
        isolation.check_time()
        if on_stage is not None:
            on_stage(message)

    options.on_stage = stage
    with isolation.time_limit(settings.SHINCHOKU_WEB_IMPORT_SECONDS):
        try:
            return import_file(data, options)
        except isolation.TimeLimitExceeded as e:  # raised between stages; a started write is rolled back
            return reject(options, data, [Problem("error", str(e), file=options.file_name)])


def record_import(outcome: ImportOutcome, options: ImportOptions) -> None:
    """One audit entry per 団体 an applied import wrote (the CLI and the browser alike), in one insert; called
    by the import pipeline inside its transaction, so an applied import never lacks its entries."""
    if outcome.status != "applied":
        return
    target = f"{options.file_name}（取り込み記録 {outcome.record_id}）"
    # a compact summary: the full counts of a national file list thousands of new systems
    summary = {k: outcome.counts[k] for k in ("cells_changed", "transitions", "months") if k in outcome.counts}
    # published rates and 特定移行支援 lists: their counts only when they changed something
    summary |= {
        k: outcome.counts[k]
        for k in ("rates_changed", "systems_added", "systems_removed", "regressions")
        if outcome.counts.get(k)
    }
    if options.note:
        summary["reason"] = options.note
    AuditEntry.objects.bulk_create(
        [
            audit_entry(
                actor=options.actor,
                source=options.source,
                action="import",
                organization_code=code,
                target=target,
                after=summary,
            )
            for code in outcome.organizations
        ],
        batch_size=500,
    )


def outcome_summary(outcome: ImportOutcome) -> dict[str, Any]:
    """An outcome as the API and the upload page report it."""
    return {"status": outcome.status, "counts": outcome.counts, "problems": [asdict(p) for p in outcome.problems]}
