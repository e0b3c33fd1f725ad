"""Tables read from the rollups: per 団体 and per prefecture figures of a month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.progress.models import AreaRollup, OrganizationRollup
from shinchoku.progress.selectors.common import basis
from shinchoku.reference.models import Organization

from .system_columns import basis_label
from .tables import KIND, ORGANIZATION_KEY, PREFECTURE_KEY, MonthTable, columns, data_label, full_name, month_layout

ORGANIZATION_SUMMARY_COLUMNS = month_layout(
    [*ORGANIZATION_KEY, KIND],
    *columns(
        "organization-summary.systems",
        "organization-summary.completed",
        "organization-summary.in_progress",
        "organization-summary.not_started",
        "organization-summary.not_applicable",
        "organization-summary.completion_rate",
        "organization-summary.progress_rate",
        "organization-summary.progress_rate_incl_own",
        "organization-summary.own_steps",
        "organization-summary.on_schedule_systems",
        "organization-summary.systems_in_operation",
        "special_support_systems",
        "organization-summary.systems_with_steps",
        "basis",
    ),
)

PREFECTURE_SUMMARY_COLUMNS = month_layout(
    PREFECTURE_KEY,
    *columns(
        "prefecture-summary.organizations",
        "prefecture-summary.systems",
        "prefecture-summary.completion_rate_mean",
        "prefecture-summary.completion_rate_median",
        "prefecture-summary.progress_rate",
        "systems_in_operation",
        "on_schedule_systems",
        "prefecture-summary.on_schedule_share",
        "prefecture-summary.special_support_organizations",
        "prefecture-summary.special_support_systems",
        "prefecture-summary.own_systems",
        "prefecture-summary.own_completion_rate",
    ),
)


def _round(value: object) -> object:
    return round(value, 6) if isinstance(value, float) else value


def _organization_rows(as_of: date, sample: bool) -> Iterator[tuple]:
    rollups = {r.organization_id: r for r in OrganizationRollup.objects.filter(as_of=as_of)}
    label = data_label(sample)
    for o in Organization.objects.filter(is_practice=False).order_by("code"):
        r = rollups.get(o.code)
        figures: tuple = (0, 0, 0, 0, 0, None, None, None, 0, 0, 0, 0, 0, None)
        if r is not None:
            with_steps = r.systems - r.rate_only_systems

            def step(value: int, with_steps: int = with_steps) -> int | None:
                return value if with_steps else None  # a published 完了率 alone has no step counts

            figures = (
                r.systems,
                step(r.completed),
                step(r.in_progress),
                step(r.not_started),
                step(r.not_applicable),
                _round(r.completion_rate),
                _round(r.progress_rate),
                _round(r.progress_rate_incl_own),
                r.own_steps,
                step(r.on_schedule_systems),
                step(r.systems_in_operation),
                r.special_support_systems,
                with_steps,
                basis_label(basis(r.systems, with_steps)),
            )
        yield (o.code, full_name(o.prefecture_name, o.name), o.prefecture_code, o.kind, as_of, *figures, label)


def _prefecture_rows(as_of: date, sample: bool) -> Iterator[tuple]:
    areas = dict(AreaRollup.objects.filter(as_of=as_of, scope__startswith="pref:").values_list("scope", "data"))
    own = {r.organization_id: r for r in OrganizationRollup.objects.filter(as_of=as_of, organization__kind=PREFECTURE)}
    label = data_label(sample)
    for o in Organization.objects.filter(is_practice=False, kind=PREFECTURE).order_by("code"):
        data = areas.get(f"pref:{o.prefecture_code}") or {}
        mine = own.get(o.code)
        yield (
            o.code,
            o.prefecture_name,
            o.prefecture_code,
            as_of,
            data.get("organizations", 0),
            data.get("systems", 0),
            _round(data.get("completion_rate_mean")),
            _round(data.get("completion_rate_median")),
            _round(data.get("progress_rate")),
            data.get("systems_in_operation", 0) if data.get("systems_with_steps", 1) else None,
            data.get("on_schedule_systems", 0) if data.get("systems_with_steps", 1) else None,
            _round(data.get("on_schedule_share")),
            data.get("special_support_organizations", 0),
            data.get("special_support_systems", 0),
            mine.systems if mine else 0,
            _round(mine.completion_rate) if mine else None,
            label,
        )


# The tables of this module, each declared once: KIND, title, columns, how its rows are read, description.
organization_summary_table = MonthTable(
    "organization-summary",
    "団体別の集計",
    ORGANIZATION_SUMMARY_COLUMNS,
    _organization_rows,
    description=(
        "団体ごとの移行対象システム数、ステップの状態別件数、完了率（総務省方式）と進捗率（石巻市方式）。"
        "①〜⑤は石巻市が公表している表の番号です。報告のない団体は数値が空欄です。"
    ),
)

prefecture_summary_table = MonthTable(
    "prefecture-summary",
    "都道府県別の集計",
    PREFECTURE_SUMMARY_COLUMNS,
    _prefecture_rows,
    description=(
        "都道府県ごとの管内市区町村の集計（平均・中央値は市区町村ごとの率から、総務省の公表と同じ方法）と、"
        "都道府県自身のシステムの完了率。"
    ),
)
