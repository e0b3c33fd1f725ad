"""Cost files through the one import pipeline (shinchoku.imports.importer.Importer): the cost CSV and the same
table in a workbook (the staff XLSX template). Validate everything, then write all of it or nothing; the pipeline
takes the lock, records the attempt and writes the audit entries in the same transaction.

A file reports each (団体, 年度) it names completely: its amount rows replace that 年度's figures from the 報告月
on (`--as-of`, else the latest progress month). A 「コメント」 row sets the 年度's comment; without one the comment
in force is kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from shinchoku.domain.calendar import fiscal_year, to_month_end
from shinchoku.domain.names import fold_name
from shinchoku.imports.context import ParseContext
from shinchoku.imports.importer import DeclaredImporter, ImportOptions
from shinchoku.imports.problems import Problem
from shinchoku.imports.reference_context import database_context
from shinchoku.imports.source import Source
from shinchoku.progress.models import System

from . import rollups, services
from .parser import FORMAT_NAME, ParsedCosts, find_header, parse_tables
from .services import Line, YearReport

__all__ = ["CostPlan", "CostsImporter", "latest_year", "org_systems"]


def latest_year() -> int:
    """The last 年度 a report may name: the current one and the next (a budget)."""
    return fiscal_year(date.today()) + 1


def org_systems() -> dict[str, dict[str, str]]:
    """{団体: {folded name: name}} of the systems 団体 added themselves (the 20 businesses are known by name)."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for org, name in System.objects.filter(business__isnull=True).values_list("organization_id", "name"):
        out[org][fold_name(name)] = name
    return out


@dataclass
class CostPlan:
    as_of: date
    writes: dict[tuple[str, int], tuple[tuple[Line, ...], str]] = field(default_factory=dict)
    cells_reported: int = 0
    cells_changed: int = 0
    organizations: set[str] = field(default_factory=set)
    fiscal_years: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    sample_data: bool = False

    @property
    def months(self) -> set[date]:
        return {self.as_of}

    def changed_organizations(self) -> set[str]:
        return {org for org, _fy in self.writes}

    def counts(self) -> dict:
        # The keys of the progress import's counts, so `shinchoku import`, the upload page and the audit read them.
        return {
            "layout": FORMAT_NAME,
            "cells_reported": self.cells_reported,
            "cells_changed": self.cells_changed,
            "transitions": {},
            "reports_written": len(self.writes),
            "snapshots_written": len(self.writes),  # the rows `shinchoku import` reports as 記録した月別行
            "new_systems": [],
            "new_own_steps": {},
            "organizations": len(self.organizations),
            "fiscal_years": sorted(self.fiscal_years),
            "months": [self.as_of.isoformat()],
        }


def _changed_lines(old: tuple[Line, ...], new: tuple[Line, ...]) -> int:
    before = {(x.category, x.system): x for x in old}
    after = {(x.category, x.system): x for x in new}
    return sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def build_plan(parsed: ParsedCosts, as_of: date, current: dict[tuple[str, int], YearReport]) -> CostPlan:
    plan = CostPlan(as_of=as_of, sample_data=parsed.sample_data, organizations=parsed.organizations)
    lines: dict[tuple[str, int], list[Line]] = defaultdict(list)
    for r in parsed.rows:
        lines[(r.org, r.fiscal_year)].append(Line(r.category, r.system, r.amount, r.note))
    plan.cells_reported = len(parsed.rows)
    for key in sorted(parsed.years):
        org, fy = key
        plan.fiscal_years.add(fy)
        report = current.get(key)
        in_force = report is not None and report.total is not None
        new = tuple(sorted(lines[key])) if key in lines else (report.lines if report and in_force else None)
        if new is None:
            plan.problems.append(
                Problem(
                    "error",
                    f"{org} の{fy}年度は金額の行がなく、コメントだけでは報告できません（金額の行を加えてください）。",
                )
            )
            continue
        comment = parsed.comments.get(key, report.comment if report and in_force else "")
        old = report.lines if report and in_force else ()
        changed = _changed_lines(old, new) + (1 if in_force and report and report.comment != comment else 0)
        if not in_force or changed:
            plan.writes[key] = (new, comment)
            plan.cells_changed += changed or len(new)
    return plan


class CostsImporter(DeclaredImporter, name="costs", formats=(FORMAT_NAME,)):
    def detect(self, source: Source, ctx: ParseContext) -> bool:
        return any(find_header(grid) is not None for _name, grid in source.heads())

    def parse(self, source: Source, ctx: ParseContext, options: ImportOptions) -> ParsedCosts:
        context = database_context(filename=options.file_name, include_practice=options.include_practice)
        return parse_tables(source.tables(), context, org_systems=org_systems(), latest_year=latest_year())

    def plan(self, parsed: ParsedCosts, options: ImportOptions) -> CostPlan:
        as_of = to_month_end(options.as_of) if options.as_of else services.default_report_month()
        return build_plan(parsed, as_of, services.reports_at(parsed.organizations, as_of))

    def apply(self, planned: CostPlan, parsed: ParsedCosts, options: ImportOptions, *, source: str) -> None:
        for (org, fy), (lines, comment) in sorted(planned.writes.items()):
            services.write_report(org, fy, planned.as_of, lines, comment, actor=options.actor, source=source)
        auto = bool(getattr(settings, "SHINCHOKU_AUTO_PUBLISH", False)) or options.publish
        services.ensure_report_month(planned.as_of, auto_publish=auto, publish=options.publish, actor=options.actor)
        if planned.writes:
            options.stage("集計を更新しています…")
            rollups.refresh_all()
