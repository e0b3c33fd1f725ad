"""Tables read from each system's statuses at a month: the long progress table and the 特定移行支援 list.

One query gives every system's effective statuses (the rollups' own `states_at`); the rows are expanded in
Python and streamed, so a national month (about 1.4 million rows) never sits in memory as tuples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date

from shinchoku import SAMPLE_LABEL
from shinchoku.domain.calendar import fiscal_year, fiscal_year_label
from shinchoku.domain.progress import NATIONAL_STEPS, Counts, completion_rate, is_on_schedule, progress_rate
from shinchoku.domain.status import Status
from shinchoku.progress.attributes import attributes_at
from shinchoku.progress.models import OwnStep, System
from shinchoku.progress.rollups import SystemState, national_deadlines, states_at
from shinchoku.progress.system_rollups import system_rows_at
from shinchoku.reference.models import NationalStep

from .tables import (
    AS_OF,
    CODE,
    DATA_LABEL,
    FULL_NAME,
    KIND,
    ORGANIZATION_KEY,
    Column,
    MonthTable,
    Table,
    columns,
    data_label,
    organization_names,
)

LABELS = {s.code: s.label for s in Status}

PROGRESS_SYSTEM, VENDOR, PACKAGE = columns("progress.system", "vendor", "package")
PROGRESS_COLUMNS = [
    CODE,
    PROGRESS_SYSTEM,
    *columns("progress.step", "progress.status"),
    AS_OF,
    *columns("progress.step_name"),
    VENDOR,
    PACKAGE,
    Column(
        "note",
        "備考",
        f"架空のサンプルデータの行は「{SAMPLE_LABEL}」",
        "str",
        SAMPLE_LABEL,
        real_meaning="取り込みに使う縦長CSVの備考の列（空欄）",
        real_example="",
    ),
]
# The Excel layout's last column (the steps' columns are made from the 40 steps and the 団体's own steps)
[OWN_STEP_NAMES] = columns("progress.own_step_names")

SPECIAL_SUPPORT_COLUMNS = [
    *ORGANIZATION_KEY,
    KIND,
    *columns(
        "system",
        "business_number",
        "vendor",
        "package",
        "special-support.planned_completion",
        "special-support.planned_completion_fy",
        "special-support.planned_completion_fy_label",
        "special-support.completed",
        "special-support.completion_rate",
        "progress_rate",
        "special-support.on_schedule",
    ),
    AS_OF,
    DATA_LABEL,
]


@dataclass(frozen=True)
class SystemInfo:
    org: str
    name: str
    business: int | None
    vendor: str | None
    package: str | None
    order: tuple[str, int, str]


def system_infos(as_of: date, only: Collection[str] | None = None) -> dict[int, SystemInfo]:
    """Public systems (practice 団体 never), optionally of some 団体 only, with their vendor at the month."""
    qs = System.objects.filter(organization__is_practice=False)
    if only is not None:
        qs = qs.filter(organization_id__in=list(only))
    rows = list(qs.values_list("id", "organization_id", "name", "business_id", "sort_order"))
    attrs = attributes_at(as_of, None if only is None else [r[0] for r in rows])
    out = {}
    for sid, org, name, business, order in rows:
        a = attrs.get(sid)
        vendor, package = (a.vendor or None, a.package or None) if a else (None, None)
        out[sid] = SystemInfo(org, name, business, vendor, package, (org, order, name))
    return out


def public_states(as_of: date, infos: dict[int, SystemInfo]) -> list[SystemState]:
    states = [s for s in states_at(as_of) if s.system_id in infos]
    states.sort(key=lambda s: infos[s.system_id].order)
    return states


def systems_at(as_of: date) -> Iterator[tuple[SystemState, SystemInfo, str]]:
    """Each public system's state at the month, in list order, with its info and its 団体's full name."""
    infos = system_infos(as_of)
    names = organization_names()
    for s in public_states(as_of, infos):
        info = infos[s.system_id]
        yield s, info, names.get(info.org, ("",))[0]


def own_step_names(as_of: date | None = None) -> dict[str, list[tuple[int, str]]]:
    """Each 団体's own steps shown at the month (all when as_of is None), with the name they had then."""
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for step in OwnStep.objects.order_by("organization_id", "number"):
        if as_of is None or step.shown_at(as_of):
            names[step.organization_id].append((step.number, step.name_at(as_of) if as_of else step.name))
    return dict(names)


def _progress_rows(as_of: date, sample: bool, only: Collection[str] | None = None) -> Iterator[tuple]:
    infos = system_infos(as_of, only)
    own = own_step_names(as_of)
    note = SAMPLE_LABEL if sample else None
    step_keys = [str(i) for i in range(1, NATIONAL_STEPS + 1)]
    for s in public_states(as_of, infos):
        if not s.codes:
            continue  # only a published 完了率: no step statuses to list (see the system-summary table)
        info = infos[s.system_id]
        for key, c in zip(step_keys, s.codes, strict=False):
            yield (info.org, info.name, key, LABELS.get(c, "未着手"), as_of, None, info.vendor, info.package, note)
        for number, name in own.get(info.org, ()):
            c = s.own_codes[number - 1] if number <= len(s.own_codes) else "N"
            yield (
                info.org,
                info.name,
                f"独自{number}",
                LABELS.get(c, "未着手"),
                as_of,
                name or None,
                info.vendor,
                info.package,
                note,
            )


def progress_table(as_of: date, sample: bool, only: Collection[str] | None = None) -> Table:
    """Every public 団体's progress, or only that of the 団体 codes in `only`."""
    return PROGRESS.table(as_of, sample, _progress_rows(as_of, sample, only))


def _special_rows(as_of: date, sample: bool) -> Iterator[tuple]:
    """Every system that is 特定移行支援 at the month (共通機能 and systems without statuses included)."""
    infos = system_infos(as_of)
    names = organization_names()
    deadlines = national_deadlines()
    label = data_label(sample)
    states = {s.system_id: s for s in states_at(as_of)}
    special = [r for r in system_rows_at(as_of) if r.special and r.system_id in infos]
    special.sort(key=lambda r: infos[r.system_id].order)
    for row in special:
        info = infos[row.system_id]
        s = states.get(row.system_id)
        org_name, pref, kind = names.get(info.org, ("", info.org[:2], ""))
        planned = row.planned
        figures: tuple = (None, None, None, None)
        if s is not None and s.codes:
            counts = Counts.from_codes(s.codes)
            on_schedule = is_on_schedule(
                codes=s.codes, deadlines=deadlines, as_of=as_of, special_support_completion=planned
            )
            figures = (counts.completed, round6(completion_rate(counts)), round6(progress_rate(counts)), on_schedule)
        elif s is not None and s.published_done is not None:
            figures = (None, round6(s.published_done / NATIONAL_STEPS), None, None)
        yield (
            info.org,
            org_name,
            pref,
            kind,
            info.name,
            info.business,
            info.vendor,
            info.package,
            planned,
            fiscal_year(planned) if planned else None,
            fiscal_year_label(fiscal_year(planned)) if planned else None,
            *figures,
            as_of,
            label,
        )


def round6(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def step_headings() -> list[str]:
    """「①-1 推進体制案の作成」: the 40 headings 総務省's workbook uses."""
    return [f"{s.item_number} {s.name}" for s in NationalStep.objects.order_by("number")]


def progress_wide_rows(as_of: date, sample: bool, own_width: int) -> Iterator[tuple]:
    """One row per system, the 40 national steps (and 独自1..own_width) as columns: the XLSX layout."""
    own = own_step_names(as_of)
    label = data_label(sample)
    for s, info, org_name in systems_at(as_of):
        if not s.codes:
            continue  # only a published 完了率
        steps = own.get(info.org, [])
        own_cells: list[str | None] = [None] * own_width
        for number, _ in steps:
            if number <= own_width:
                c = s.own_codes[number - 1] if number <= len(s.own_codes) else "N"
                own_cells[number - 1] = LABELS.get(c, "未着手")
        own_names = "／".join(f"独自{n} {name}".rstrip() for n, name in steps) or None
        yield (
            info.org,
            org_name,
            info.name,
            info.vendor,
            info.package,
            as_of,
            *(LABELS.get(c, "未着手") for c in s.codes.ljust(NATIONAL_STEPS, "N")),
            *own_cells,
            own_names,
            label,
        )


def max_own_steps(as_of: date | None = None) -> int:
    return max((n for org in own_step_names(as_of).values() for n, _ in org), default=0)


def progress_wide_table(as_of: date, sample: bool) -> Table:
    """The progress table for Excel: one row per 団体 × system (the long table exceeds Excel's 1,048,576 rows)."""
    own_width = max_own_steps(as_of)
    step_columns = [
        Column(f"step_{i}", heading, f"国の作業ステップ {i} の状態", "str", "完了済み")
        for i, heading in enumerate(step_headings(), start=1)
    ]
    own_columns = [
        Column(f"own_{i}", f"独自{i}", f"団体独自のステップ {i} の状態（ない団体は空欄）", "str", "作業中")
        for i in range(1, own_width + 1)
    ]
    columns = [
        CODE,
        FULL_NAME,
        PROGRESS_SYSTEM,
        VENDOR,
        PACKAGE,
        AS_OF,
        *step_columns,
        *own_columns,
        OWN_STEP_NAMES,
        DATA_LABEL,
    ]
    return Table(
        "progress",
        "進捗（団体×対象システム）",
        columns,
        progress_wide_rows(as_of, sample, own_width),
        as_of=as_of,
        sample_data=sample,
        description=(
            "Excel 版の進捗表。1行が1団体の1対象システムで、"
            "40の作業ステップ（と独自ステップ）の状態を列に並べています。"
            "縦長の表（CSV など）と同じデータです。"
        ),
    )


# The tables of this module, each declared once: KIND, title, columns, how its rows are read, description.
PROGRESS = MonthTable(
    "progress",
    "進捗（団体×対象システム×作業ステップ）",
    PROGRESS_COLUMNS,
    _progress_rows,
    description=(
        "団体・対象システム・作業ステップごとの状態。進捗報告の取込に使う縦長CSVと同じ列で、"
        "そのまま取り込めます（shinchoku import）。報告のない月は直前の報告を引き継いでいます。"
    ),
)

special_support_table = MonthTable(
    "special-support",
    "特定移行支援システム一覧",
    SPECIAL_SUPPORT_COLUMNS,
    _special_rows,
    description="基準日に特定移行支援システムに該当するシステムと、その移行完了予定・進み具合。",
)
