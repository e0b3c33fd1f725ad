"""Import procedures files with the progress import's machinery: validate everything, then write all of it or
nothing, and record the attempt (imports.service.reject / _record / ImportOutcome)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shinchoku.domain.names import NameIndex
from shinchoku.imports.decoding import decode_text, read_csv_records
from shinchoku.imports.problems import Problem
from shinchoku.imports.service import ImportOptions, ImportOutcome, _record, max_bytes, reject, too_large_problem
from shinchoku.imports.workbook import Book, cell_text, is_workbook
from shinchoku.reference.lookup import known_codes, name_index
from shinchoku.reference.models import Organization, Procedure

from . import rollups
from .models import AVAILABLE, UNAVAILABLE, UNKNOWN, ProcedureMonth, ProcedureStatus
from .parsers import ProcedureContext, ProcedureRow, looks_like_long, parse_procedures
from .parsers_wide import find_header
from .services import ensure_month

FORMAT = "procedures"
_SNIFF_ROWS = 15


def database_context(*, filename: str, as_of: date | None = None) -> ProcedureContext:
    return ProcedureContext(
        filename=filename,
        name_index=name_index(),
        known_codes=known_codes(),
        prefecture_codes=frozenset(Organization.objects.filter(kind="都道府県").values_list("code", flat=True)),
        procedures=dict(Procedure.objects.order_by("number").values_list("number", "name")),
        as_of=as_of,
    )


def is_procedures_file(data: bytes, filename: str = "") -> bool:
    """True when the bytes are a procedures file: a long header with 手続番号, or a sheet whose header names
    procedures. Reads only the first rows; never raises (a file it cannot read is left to the caller)."""
    try:
        ctx = ProcedureContext(
            filename=filename,
            name_index=NameIndex([]),
            known_codes=frozenset(),
            prefecture_codes=frozenset(),
            procedures=dict(Procedure.objects.values_list("number", "name")),
        )
        for records in _heads(data):
            start = next((i for i, r in enumerate(records) if any(cell_text(c) for c in r)), None)
            if start is not None and looks_like_long(records[start]):
                return True
            if find_header(records, ctx) is not None:
                return True
    except Exception:
        return False
    return False


def _heads(data: bytes) -> list[list[list]]:
    if is_workbook(data):
        book = Book(data)  # read in a child process (imports/isolation.py), like every workbook
        return [book.head(name, _SNIFF_ROWS) for name in book.sheet_names[:10]]
    head = data if len(data) <= 200_000 else data[:200_000].rsplit(b"\n", 1)[0]
    text, _encoding = decode_text(head)
    return [read_csv_records(text, limit=_SNIFF_ROWS)]


@dataclass
class Plan:
    """The rows to write: (org, month) → the full codes string, and what changes."""

    writes: dict[tuple[str, date], str] = field(default_factory=dict)
    existing: dict[tuple[str, date], int] = field(default_factory=dict)  # row ids to update
    cells_reported: int = 0
    cells_changed: int = 0
    transitions: Counter = field(default_factory=Counter)
    months: set[date] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)

    def counts(self, layout: str) -> dict:
        # The keys of the progress import's counts, so `shinchoku import` and `imports` print them alike.
        return {
            "layout": layout,
            "cells_reported": self.cells_reported,
            "cells_changed": self.cells_changed,
            "transitions": dict(sorted(self.transitions.items())),
            "snapshots_written": len(self.writes),
            "new_systems": [],
            "new_own_steps": {},
            "organizations": len(self.organizations),
            "months": sorted(m.isoformat() for m in self.months),
        }


_LABEL = {AVAILABLE: "できる", UNAVAILABLE: "できない", UNKNOWN: "報告なし"}


def build_plan(rows: list[ProcedureRow], size: int) -> Plan:
    plan = Plan()
    reported: dict[tuple[str, date], dict[int, bool]] = defaultdict(dict)
    for r in rows:
        reported[(r.org_code, r.as_of)][r.number] = r.available
    plan.cells_reported = len(rows)
    orgs = {org for org, _ in reported}
    history: dict[str, list[tuple[date, str, int]]] = defaultdict(list)
    qs = ProcedureStatus.objects.order_by("as_of").values_list("organization_id", "as_of", "codes", "id")
    if len(orgs) < 900:
        qs = qs.filter(organization_id__in=list(orgs))
    for org, as_of, codes, pk in qs:
        if org in orgs:
            history[org].append((as_of, codes, pk))
    # Months in order, so a file reporting two months carries the first into the second.
    for org, as_of in sorted(reported, key=lambda k: (k[0], k[1])):
        exact = next((h for h in history[org] if h[0] == as_of), None)
        before = [h for h in history[org] if h[0] < as_of]
        written_before = [(m, c) for (o, m), c in plan.writes.items() if o == org and m < as_of]
        base = exact[1] if exact else max([*((h[0], h[1]) for h in before), *written_before], default=(None, ""))[1]
        codes = list(base.ljust(size, UNKNOWN)[:size])
        old = "".join(codes)
        for number, available in reported[(org, as_of)].items():
            new = AVAILABLE if available else UNAVAILABLE
            if codes[number - 1] != new:
                plan.transitions[f"{_LABEL[codes[number - 1]]}→{_LABEL[new]}"] += 1
                plan.cells_changed += 1
                codes[number - 1] = new
        text = "".join(codes)
        plan.months.add(as_of)
        plan.organizations.add(org)
        if exact is None or text != old:
            plan.writes[(org, as_of)] = text
            if exact is not None:
                plan.existing[(org, as_of)] = exact[2]
    return plan


def import_procedures(data: bytes, options: ImportOptions) -> ImportOutcome:
    """Validate and apply one procedures file. Nothing is written unless every row is valid."""
    if len(data) > max_bytes():
        return reject(options, data, [too_large_problem(len(data), options.file_name)], FORMAT)
    if not data:
        return reject(options, data, [Problem("error", "ファイルが空です。", file=options.file_name)], FORMAT)
    ctx = database_context(filename=options.file_name, as_of=options.as_of)
    parsed = parse_procedures(data, ctx)
    if not parsed.ok:
        return reject(options, data, parsed.problems, FORMAT)
    if not parsed.rows:
        problem = Problem("error", "取り込める行がありません。", file=options.file_name)
        return reject(options, data, [*parsed.problems, problem], FORMAT)
    plan = build_plan(parsed.rows, max(ctx.procedures))
    counts = plan.counts(parsed.layout)
    if options.authorize is not None:
        options.authorize({org for org, _m in plan.writes})
    orgs = sorted({org for org, _m in plan.writes})
    if options.dry_run:
        return ImportOutcome(
            status="dry_run", format=FORMAT, problems=parsed.problems, counts=counts, organizations=orgs
        )
    outcome = ImportOutcome(
        status="applied", format=FORMAT, problems=parsed.problems, counts=counts, organizations=orgs
    )
    with transaction.atomic():
        outcome.record_id = _record(options, data, outcome, max(plan.months))
        apply_plan(plan, options, source=f"import:{outcome.record_id}")
    return outcome


def apply_plan(plan: Plan, options: ImportOptions, *, source: str) -> None:
    now = timezone.now()
    updates = [
        ProcedureStatus(pk=plan.existing[key], codes=codes, updated_at=now, updated_by=options.actor, source=source)
        for key, codes in plan.writes.items()
        if key in plan.existing
    ]
    ProcedureStatus.objects.bulk_update(updates, ["codes", "updated_at", "updated_by", "source"], batch_size=500)
    ProcedureStatus.objects.bulk_create(
        [
            ProcedureStatus(organization_id=org, as_of=m, codes=codes, updated_by=options.actor, source=source)
            for (org, m), codes in plan.writes.items()
            if (org, m) not in plan.existing
        ],
        batch_size=1000,
    )
    auto = bool(getattr(settings, "SHINCHOKU_AUTO_PUBLISH", False)) or options.publish
    for m in sorted(plan.months):
        month = ensure_month(m, auto_publish=auto, actor=options.actor)
        if options.publish and not month.published:
            ProcedureMonth.objects.filter(pk=month.pk).update(
                published=True, published_at=now, published_by=options.actor
            )
    rollups.refresh_from(min(plan.months))


def problems_as_dicts(problems: list[Problem]) -> list[dict]:
    return [asdict(p) for p in problems]
