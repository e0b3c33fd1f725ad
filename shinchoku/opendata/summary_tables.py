"""Tables read from the rollups: per 団体 and per prefecture figures of a month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.progress.models import AreaRollup, OrganizationRollup
from shinchoku.progress.selectors.common import basis
from shinchoku.reference.models import Organization

from .system_columns import BASIS, COMPLETION_RATE, PROGRESS_RATE, basis_label
from .tables import (
    KIND,
    ORGANIZATION_KEY,
    PREFECTURE_KEY,
    Column,
    MonthTable,
    data_label,
    full_name,
    month_layout,
)

COMPLETION = "(完了済み＋対象外)÷(40×システム数)"
PROGRESS = "完了済み÷(総作業ステップ−対象外)"

# Counts of systems in both tables: of a 団体, or of the 市区町村 of a prefecture
SYSTEMS_IN_OPERATION = Column(
    "systems_in_operation", "運用開始済みシステム数", "ステップ40が完了済みのシステム", "int", "903"
)
ON_SCHEDULE_SYSTEMS = Column(
    "on_schedule_systems", "スケジュール通りのシステム数", "国の期限までのステップを終えたシステム", "int", "1151"
)
SPECIAL_SUPPORT_SYSTEMS = Column(
    "special_support_systems", "特定移行支援システム数", "特定移行支援システムに該当する数", "int", "14"
)


ORGANIZATION_SUMMARY_COLUMNS = month_layout(
    [*ORGANIZATION_KEY, KIND],
    Column("systems", "移行対象システム数", "①基準日に報告のある対象システムの数", "int", "22"),
    Column("completed", "完了済み", "④国の40ステップのうち完了済みの数（全システムの合計）", "int", "700"),
    Column("in_progress", "作業中", "作業中のステップ数（合計）", "int", "40"),
    Column("not_started", "未着手", "未着手のステップ数（合計）", "int", "100"),
    Column("not_applicable", "対象外", "⑤対象外（実施しない）のステップ数（合計）", "int", "40"),
    COMPLETION_RATE.described(COMPLETION, "0.840909"),
    PROGRESS_RATE.described(PROGRESS + "（国のステップのみ）", "0.833333"),
    Column(
        "progress_rate_incl_own",
        "進捗率（独自ステップを含む）",
        PROGRESS + "（団体独自のステップを含む）",
        "float",
        "0.8",
    ),
    Column("own_steps", "独自ステップ数", "団体が独自に設けた作業ステップの数", "int", "4"),
    ON_SCHEDULE_SYSTEMS.described(example="15"),
    SYSTEMS_IN_OPERATION.described("ステップ40（本番稼働）が完了済みのシステム", "10"),
    SPECIAL_SUPPORT_SYSTEMS,
    Column(
        "systems_with_steps",
        "作業ステップの状態があるシステム数",
        "ステップごとの状態があるシステム。残りは総務省の公表した完了率だけで、②〜⑤・進捗率・スケジュールの計算に入りません",
        "int",
        "22",
    ),
    BASIS,
)


PREFECTURE_SUMMARY_COLUMNS = month_layout(
    PREFECTURE_KEY,
    Column("organizations", "市区町村数", "管内でシステムの報告がある市区町村の数", "int", "62"),
    Column("systems", "対象システム数", "管内市区町村の対象システムの合計", "int", "1246"),
    Column("completion_rate_mean", "完了率の平均（総務省方式）", "市区町村ごとの完了率の平均", "float", "0.952889"),
    Column("completion_rate_median", "完了率の中央値（総務省方式）", "市区町村ごとの完了率の中央値", "float", "0.955"),
    PROGRESS_RATE.described(PROGRESS + "（管内の全システム）", "0.951792"),
    SYSTEMS_IN_OPERATION,
    ON_SCHEDULE_SYSTEMS,
    Column(
        "on_schedule_share",
        "スケジュール通りの割合",
        "スケジュール通りのシステム÷対象システム",
        "float",
        "0.923756",
    ),
    Column(
        "special_support_organizations",
        "特定移行支援のある団体数",
        "特定移行支援システムのある市区町村",
        "int",
        "39",
    ),
    SPECIAL_SUPPORT_SYSTEMS.described("管内市区町村の特定移行支援システム", "374"),
    Column("own_systems", "都道府県自身のシステム数", "都道府県が自ら運用する対象システム（2業務）", "int", "2"),
    Column(
        "own_completion_rate",
        "都道府県自身の完了率",
        "都道府県自身のシステムの完了率（総務省方式）",
        "float",
        "0.95",
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
