"""Procedures files through the one import pipeline (imports.importer.Importer): validate everything, then
write all of it or nothing; the pipeline records the attempt."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.names import NameIndex
from shinchoku.imports.context import ParseContext
from shinchoku.imports.importer import DeclaredImporter, ImportOptions
from shinchoku.imports.problems import Problem
from shinchoku.imports.rows import SheetReport
from shinchoku.imports.source import Source
from shinchoku.imports.workbook import cell_text
from shinchoku.publication.months import ensure_month
from shinchoku.reference.lookup import known_codes, name_index
from shinchoku.reference.models import Organization, Procedure

from . import rollups
from .models import AVAILABLE, UNAVAILABLE, UNKNOWN, ProcedureMonth, ProcedureStatus
from .parsers import ParsedProcedures, ProcedureContext, ProcedureRow, looks_like_procedures_long
from .parsers_wide import find_header
from .reading import parse_procedures_source

FORMAT = "procedures"
SNIFF_ROWS = 15


def procedures_context(*, filename: str, as_of: date | None = None) -> ProcedureContext:
    return ProcedureContext(
        filename=filename,
        name_index=name_index(),
        known_codes=known_codes(),
        prefecture_codes=frozenset(Organization.objects.filter(kind=PREFECTURE).values_list("code", flat=True)),
        procedures=dict(Procedure.objects.order_by("number").values_list("number", "name")),
        as_of=as_of,
    )


def is_procedures_file(heads: list[list[list]]) -> bool:
    """True when the first rows of some sheet (or of a CSV) are a procedures file: a long header with
    手続番号, or a header naming procedures. Never raises (a file it cannot read is left to the caller)."""
    try:
        ctx = ProcedureContext(
            filename="",
            name_index=NameIndex([]),
            known_codes=frozenset(),
            prefecture_codes=frozenset(),
            procedures=dict(Procedure.objects.values_list("number", "name")),
        )
        for records in heads:
            start = next((i for i, r in enumerate(records) if any(cell_text(c) for c in r)), None)
            if start is not None and looks_like_procedures_long(records[start]):
                return True
            if find_header(records, ctx) is not None:
                return True
    except Exception:
        return False
    return False


@dataclass
class ProceduresPlan:
    """The rows to write: (org, month) → the full codes string, and what changes."""

    writes: dict[tuple[str, date], str] = field(default_factory=dict)
    existing: dict[tuple[str, date], int] = field(default_factory=dict)  # row ids to update
    cells_reported: int = 0
    cells_changed: int = 0
    transitions: Counter = field(default_factory=Counter)
    months: set[date] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def changed_organizations(self) -> set[str]:
        return {org for org, _m in self.writes}

    layout: str = ""

    def counts(self) -> dict:
        # The keys of the progress import's counts, so `shinchoku import` and `imports` print them alike.
        return {
            "layout": self.layout,
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


def plan_procedures(rows: list[ProcedureRow], size: int) -> ProceduresPlan:
    plan = ProceduresPlan()
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


@dataclass
class ParsedFile:
    """ParsedProcedures as the pipeline reads it."""

    parsed: ParsedProcedures
    ctx: ProcedureContext
    format: str = FORMAT
    sheets: list[SheetReport] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.problems

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def empty(self) -> bool:
        return not self.parsed.rows

    @property
    def organizations(self) -> set[str]:
        """Every 市区町村 in the file: permission is checked for all of them, changed or not."""
        return {r.org_code for r in self.parsed.rows}


class ProceduresImporter(DeclaredImporter, name="procedures", formats=(FORMAT,)):
    """The 26 procedures' online availability (long CSV or デジタル庁's wide sheet) through the pipeline."""

    def detect(self, source: Source, ctx: ParseContext) -> bool:
        from shinchoku.imports.soumu import SHEET_NAME

        # The national progress workbook is recognised by its sheet name without reading any sheet.
        if SHEET_NAME in source.sheet_names:
            return False
        return is_procedures_file([grid for _name, grid in source.heads(SNIFF_ROWS)])

    def parse(self, source: Source, ctx: ParseContext, options: ImportOptions) -> ParsedFile:
        pctx = procedures_context(filename=options.file_name, as_of=options.as_of)
        return ParsedFile(parse_procedures_source(source, pctx), pctx)

    def plan(self, parsed: ParsedFile, options: ImportOptions) -> ProceduresPlan:
        plan = plan_procedures(parsed.parsed.rows, max(parsed.ctx.procedures))
        plan.layout = parsed.parsed.layout
        return plan

    def apply(self, planned: ProceduresPlan, parsed: ParsedFile, options: ImportOptions, *, source: str) -> None:
        apply_plan(planned, options, source=source)


def apply_plan(plan: ProceduresPlan, options: ImportOptions, *, source: str) -> None:
    if not plan.writes:
        return  # a file that changes nothing writes nothing and recomputes nothing
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
        month = ensure_month(ProcedureMonth, m, auto_publish=auto, actor=options.actor)
        if options.publish and not month.published:
            ProcedureMonth.objects.filter(pk=month.pk).update(
                published=True, published_at=now, published_by=options.actor
            )
    rollups.refresh_from(min(plan.months))
