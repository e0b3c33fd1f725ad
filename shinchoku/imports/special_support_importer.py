"""デジタル庁's 特定移行支援システムの該当見込み一覧 through the import pipeline (docs/formats.md).

Importing a list stores that edition and sets, from its date on, which systems of each 団体 are 特定移行支援
(a 団体 or system absent from a later list is no longer designated from that list's date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.calendar import wareki_month_label
from shinchoku.progress import rollups
from shinchoku.progress.models import Month, SpecialSupportList
from shinchoku.progress.provenance import list_in_force
from shinchoku.progress.special_support import ListEdition, store_list

from .context import ParseContext
from .importer import DeclaredImporter, ImportOptions
from .problems import Problem, ProblemList
from .rows import SheetReport
from .source import Source
from .special_list import SHEET_NAME, SpecialList, SpecialListLayout, find_special_layout, read_special_list

__all__ = ["FORMAT", "SpecialSupportImporter"]

FORMAT = "special-support"
PUBLISHER = "デジタル庁"
TITLE = "特定移行支援システムの該当見込み一覧"


@dataclass
class ParsedList:
    format: str = FORMAT
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    found: SpecialList | None = None
    replaced: set[str] = field(default_factory=set)  # 団体 of the list in force, whose flags may be cleared

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def empty(self) -> bool:
        return self.found is None or not self.found.organizations

    @property
    def organizations(self) -> set[str]:
        listed = self.found.organizations if self.found else set()
        return listed | self.replaced


@dataclass
class ListPlan:
    edition: ListEdition
    added: int
    removed: int
    replaces: date | None
    problems: list[Problem] = field(default_factory=list)
    organizations: set[str] = field(default_factory=set)

    @property
    def months(self) -> set[date]:
        return {self.edition.as_of}

    def counts(self) -> dict:
        return {
            "list_as_of": self.edition.as_of.isoformat(),
            "organizations": len({org for org, _b in self.edition.entries}),
            "systems": len(self.edition.entries),
            "systems_added": self.added,
            "systems_removed": self.removed,
            "compared_with": self.replaces.isoformat() if self.replaces else None,
            "months": [self.edition.as_of.isoformat()],
        }

    def changed_organizations(self) -> set[str]:
        return self.organizations


def _layouts(source: Source, ctx: ParseContext) -> list[tuple[str, SpecialListLayout]]:
    found: list[tuple[str, SpecialListLayout]] = []
    for name, head in source.heads():
        layout = find_special_layout(head, ctx)
        if layout is not None:
            found.append((name, layout))
    return found


class SpecialSupportImporter(DeclaredImporter, name="special-support", formats=(FORMAT,), official=True):
    def detect(self, source: Source, ctx: ParseContext) -> bool:
        if source.is_workbook and SHEET_NAME in source.sheet_names:
            return True
        return bool(_layouts(source, ctx))

    def parse(self, source: Source, ctx: ParseContext, options: ImportOptions) -> ParsedList:
        parsed = ParsedList()
        problems = ProblemList(ctx.filename)
        tables = source.tables()
        chosen = None
        for name, grid in tables:
            layout = find_special_layout(grid, ctx) if chosen is None else None
            if layout is None:
                reason = "特定移行支援の一覧の形式ではないため読み込みません" if name else ""
                if name:
                    parsed.sheets.append(SheetReport(name, "skipped", reason))
                continue
            chosen = read_special_list(grid, name, layout, ctx, problems)
            parsed.sheets.append(SheetReport(name or "", "read", TITLE, len(chosen.organizations)))
        if chosen is None:
            listed = "、".join(f"「{n}」" for n, _g in tables if n)
            problems.error(
                "特定移行支援の一覧の見出し行（団体コード・自治体名・20業務・共通機能）が見つかりません"
                + (f"（シート: {listed}）。" if listed else "。")
            )
        parsed.found = chosen
        if chosen is not None and chosen.as_of is not None:
            before = list_in_force(chosen.as_of)
            if before is not None and before.as_of != chosen.as_of:
                parsed.replaced = set(before.entries.values_list("organization_id", flat=True))
        parsed.problems = problems.to_list()
        return parsed

    def plan(self, parsed: ParsedList, options: ImportOptions) -> ListPlan:
        found = parsed.found
        assert found is not None and found.as_of is not None
        entries = frozenset((e.org_code, e.business) for e in found.entries)
        edition = ListEdition(
            as_of=found.as_of,
            title=found.title or f"{TITLE}（{wareki_month_label(found.as_of)}末時点）",
            publisher=PUBLISHER,
            entries=entries,
            file_name=options.file_name,
        )
        previous = SpecialSupportList.objects.filter(as_of__lte=found.as_of).order_by("-as_of").first()
        before: set[tuple[str, int | None]] = set()
        if previous is not None:
            before = set(previous.entries.values_list("organization_id", "business_id"))
        return ListPlan(
            edition=edition,
            added=len(entries - before),
            removed=len(before - entries),
            replaces=previous.as_of if previous else None,
            organizations={org for org, _b in entries ^ before},
        )

    def apply(self, planned: ListPlan, parsed: ParsedList, options: ImportOptions, *, source: str) -> None:
        store_list(planned.edition, actor=options.actor)
        months = list(Month.objects.filter(as_of__gte=planned.edition.as_of).values_list("as_of", flat=True))
        options.stage("集計を更新しています…")
        rollups.refresh_months(months)
