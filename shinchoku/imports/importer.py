"""The one import pipeline's public interface: options, outcome, and the Importer protocol every format
(progress reports, デジタル庁's 特定移行支援 list, the 26 procedures) implements.

An importer detects its files, parses them without writing (problems name sheet, row and column), plans the
writes against the database (still no writes), and applies the plan inside the pipeline's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from .context import ParseContext
from .problems import Problem
from .rows import SheetReport
from .source import Source

__all__ = [
    "DeclaredImporter",
    "ImportOptions",
    "ImportOutcome",
    "Importer",
    "Parsed",
    "Planned",
    "importers",
    "register",
]


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
    # Called with the codes of every 団体 the file names, after parsing and before planning or any write
    # (dry runs too); it raises to refuse (the staff side checks roles here).
    authorize: Callable[[set[str]], None] | None = None
    # Called inside the import's transaction once it is applied: the audit entries commit with the data.
    audit: Callable[[ImportOutcome], None] | None = None
    include_practice: bool = False  # the 体験モード 団体 is known only to staff uploads
    note: str = ""  # the uploader's reason (e.g. for regressions), kept in the audit entry
    # The official source of the figures ({"publisher", "title", "edition"}) when the caller knows it;
    # a 総務省 workbook names its own.
    official_source: dict[str, str] | None = None

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


class Parsed(Protocol):
    """What an importer's parse returns: never raises, says what is wrong and what each sheet became."""

    @property
    def format(self) -> str: ...

    @property
    def problems(self) -> list[Problem]: ...

    @property
    def sheets(self) -> list[SheetReport]: ...

    @property
    def ok(self) -> bool: ...

    @property
    def empty(self) -> bool: ...

    @property
    def organizations(self) -> set[str]: ...


class Planned(Protocol):
    """What an importer's plan returns: the writes it would make, computed against the database."""

    @property
    def problems(self) -> list[Problem]: ...

    @property
    def months(self) -> set[date]: ...

    def counts(self) -> dict[str, Any]: ...

    def changed_organizations(self) -> set[str]: ...


class Importer(Protocol):
    name: str  # "progress", "special-support", "procedures"
    formats: tuple[str, ...]  # the --format values it answers to
    official: bool  # its files are government publications (refused in a database of sample data)

    def detect(self, source: Source, ctx: ParseContext) -> bool: ...

    def parse(self, source: Source, ctx: ParseContext, options: ImportOptions) -> Parsed: ...

    def plan(self, parsed: Any, options: ImportOptions) -> Planned: ...

    def apply(self, planned: Any, parsed: Any, options: ImportOptions, *, source: str) -> None: ...


class DeclaredImporter:
    """An importer's identity, declared once in its class statement:
    `class CostsImporter(DeclaredImporter, name="costs", formats=(FORMAT_NAME,))`; `official` defaults to False."""

    name: str
    formats: tuple[str, ...]
    official: bool

    def __init_subclass__(cls, *, name: str, formats: tuple[str, ...], official: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name, cls.formats, cls.official = name, formats, official


_REGISTRY: list[Importer] = []


def register(importer: Importer) -> None:
    """Add an importer (apps register theirs when Django starts); detection asks them in order."""
    if all(existing.name != importer.name for existing in _REGISTRY):
        _REGISTRY.append(importer)


def importers() -> list[Importer]:
    """Registered importers; the progress importer, which takes any table, is asked last."""
    return sorted(_REGISTRY, key=lambda i: i.name == "progress")
