"""Schemas of the reference lists and the area summaries (prefectures, businesses, steps, months)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field

from .schemas import (
    AsOf,
    CompletionRate,
    OnScheduleShare,
    OnScheduleSystems,
    OrganizationsWithSystems,
    Out,
    OverOrganizations,
    PrefName,
    ProgressRate,
    RateOnlySystems,
    SampleData,
    SpecialSupportSystems,
    StepsInProgress,
    StepsNotApplicable,
    StepsNotStarted,
    SystemCount,
    SystemsWithSteps,
    TwoDigitPrefCode,
    d,
)

BusinessNumber = Annotated[int, Field(description=d("業務番号（1〜20）", "business number 1-20"))]
BusinessName = Annotated[str, Field(description=d("業務名", "business name"))]


class MonthOut(Out):
    as_of: date = Field(
        description=d("データ基準日（公開済みの月末日）", "as-of date of a published month (month end)")
    )
    sample_data: SampleData


class BusinessOut(Out):
    number: BusinessNumber
    name: BusinessName
    aliases: list[str] = Field(description=d("別名（取込で使える名前）", "aliases accepted by imports"))
    ministry: str = Field(description=d("所管府省", "ministry in charge"))
    field: str = Field(description=d("分野", "field"))
    prefecture_also: bool = Field(description=d("都道府県も対象の業務か", "whether prefectures also run it"))


class AreaCounts(Out):
    organizations: OrganizationsWithSystems
    systems: SystemCount


class AreaFigures(OverOrganizations, AreaCounts):
    """Figures over 団体 (means and medians are over 団体, as 総務省 publishes them)."""


class PrefectureKey(Out):
    code: TwoDigitPrefCode
    organization_code: str = Field(
        description=d("都道府県の全国地方公共団体コード（6桁）", "the prefecture's own 6-digit local government code")
    )
    name: PrefName


class PrefectureItem(AreaFigures, PrefectureKey):
    own_completion_rate: float | None = Field(
        description=d(
            "都道府県自身のシステムの完了率（総務省方式）", "completion rate (MIC) of the prefecture's own systems"
        )
    )


class PrefectureList(Out):
    as_of: AsOf
    sample_data: SampleData
    prefectures: list[PrefectureItem] = Field(
        description=d("47都道府県（管内市区町村の集計）", "the 47 prefectures (figures over their municipalities)")
    )


class SystemFigures(Out):
    """Sums over systems; rates here are over systems (every system has 40 steps)."""

    systems: int = Field(description=d("対象システム数", "number of systems"))
    systems_with_steps: SystemsWithSteps[int]
    rate_only_systems: RateOnlySystems[int]
    completed: int | None = Field(
        description=d(
            "完了済みのステップ数（状態のあるシステムの合計。なければ null）",
            "steps completed (sum over systems with statuses; null if none)",
        )
    )
    in_progress: StepsInProgress[int | None]
    not_started: StepsNotStarted[int | None]
    not_applicable: StepsNotApplicable[int | None]
    completion_rate: CompletionRate
    progress_rate: ProgressRate
    systems_in_operation: int | None = Field(description=d("運用開始済みのシステム数", "systems in operation"))
    on_schedule_systems: OnScheduleSystems
    on_schedule_share: OnScheduleShare
    special_support_systems: SpecialSupportSystems


class PrefectureName(Out):
    code: TwoDigitPrefCode
    name: PrefName


class BusinessPrefecture(SystemFigures, PrefectureName):
    pass


class BusinessKey(Out):
    as_of: AsOf
    sample_data: SampleData
    number: BusinessNumber
    name: BusinessName


class BusinessSummary(SystemFigures, BusinessKey):
    """The business's figures over 市区町村 systems (as 総務省 publishes them); prefectures' own apart."""

    by_prefecture: list[BusinessPrefecture] = Field(
        description=d("都道府県別（管内の市区町村のシステム）", "by prefecture (its municipalities' systems)")
    )
    prefectures_own: SystemFigures | None = Field(
        None, description=d("都道府県自身のシステム（この業務）", "the prefectures' own systems of this business")
    )


class StepSummary(Out):
    step: int = Field(description=d("作業ステップ番号（1〜40）", "national step number 1-40"))
    item_number: str = Field(description=d("作業項目番号（例: ①-1）", "item number, e.g. ①-1"))
    name: str = Field(description=d("作業ステップ名", "step name"))
    phase: str = Field(description=d("フェーズ", "phase"))
    deadline: date = Field(description=d("国の完了期限", "national deadline"))
    completed: int = Field(description=d("完了済みのシステム数", "systems that completed this step"))
    in_progress: int = Field(description=d("作業中のシステム数", "systems working on this step"))
    not_started: int = Field(description=d("未着手のシステム数", "systems that have not started this step"))
    not_applicable: int = Field(
        description=d("対象外（実施しない）のシステム数", "systems for which it does not apply")
    )
    completed_share: float | None = Field(
        description=d("完了済みの割合（0〜1）", "share of systems that completed the step, 0-1")
    )
    done_share: float | None = Field(
        description=d("完了済み＋対象外の割合（総務省方式、0〜1）", "share completed or not applicable (MIC), 0-1")
    )


class StepsSummary(Out):
    as_of: AsOf
    sample_data: SampleData
    prefecture: str | None = Field(
        description=d("都道府県コード（全国なら null）", "prefecture code, null for the whole country")
    )
    prefecture_name: str | None = Field(description=d("都道府県名（全国なら null）", "prefecture name or null"))
    systems: int = Field(description=d("対象システム数（市区町村のシステム）", "number of municipal systems counted"))
    steps: list[StepSummary] = Field(description=d("40の作業ステップ", "the 40 national steps"))
