"""API schemas. Every field is described in Japanese and English (OpenAPI)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from ninja import Field, Schema
from pydantic import BaseModel


def d(ja: str, en: str) -> str:
    return f"{ja} / {en}"


def attributes(obj: object, *names: str) -> dict[str, Any]:
    """The named attributes of a selector's result, as the response dict's items of the same names."""
    return {name: getattr(obj, name) for name in names}


BASIS = d(
    "数値の根拠: steps（作業ステップの状態）、"
    "published_rate（総務省が公表した完了率のみ。ステップに基づく項目は null）、"
    "mixed（両方のシステムがある。ステップに基づく項目は状態のあるシステムだけで計算）",
    "basis: steps (step statuses), published_rate (only the completion rate MIC published; step-based fields are"
    " null) or mixed (step-based fields cover the systems with statuses only)",
)
SOURCE = d(
    "公表値の出典（「出典：…」）。架空のサンプルデータや団体の報告だけの月は null",
    "source line of official figures; null for sample data or reports only",
)


T = TypeVar("T")

# Fields that many schemas share, each described once: `sample_data: SampleData`. Those that are null in some
# schemas and not in others take their type: `in_progress: StepsInProgress[int | None]`.
AsOf = Annotated[date, Field(description=d("データ基準日", "as-of date"))]
PublishedAsOf = Annotated[date, Field(description=d("データ基準日（公開月）", "as-of date (published month)"))]
SampleData = Annotated[bool, Field(description=d("架空のサンプルデータなら true", "true for fictional sample data"))]
Source = Annotated[str | None, Field(description=SOURCE)]
Basis = Annotated[str | None, Field(description=BASIS)]
OrgCode = Annotated[str, Field(description=d("全国地方公共団体コード", "local government code"))]
OrgName = Annotated[str, Field(description=d("団体名", "name"))]
OrgKind = Annotated[str, Field(description=d("団体区分", "kind"))]
PrefCode = Annotated[str, Field(description=d("都道府県コード", "prefecture code"))]
PrefName = Annotated[str, Field(description=d("都道府県名", "prefecture name"))]
SixDigitCode = Annotated[str, Field(description=d("全国地方公共団体コード（6桁）", "6-digit local government code"))]
TwoDigitPrefCode = Annotated[str, Field(description=d("都道府県コード（2桁）", "2-digit prefecture code"))]
SystemCount = Annotated[int | None, Field(description=d("対象システム数", "number of systems"))]
SystemsWithSteps = Annotated[
    T, Field(description=d("作業ステップの状態があるシステム数", "systems with step statuses"))
]
RateOnlySystems = Annotated[
    T,
    Field(
        description=d(
            "総務省が公表した完了率だけのシステム数（ステップに基づく項目から除く）",
            "systems known only by a published completion rate (left out of step-based fields)",
        )
    ),
]
StepsInProgress = Annotated[T, Field(description=d("作業中のステップ数", "steps in progress"))]
StepsNotStarted = Annotated[T, Field(description=d("未着手のステップ数", "steps not started"))]
StepsNotApplicable = Annotated[T, Field(description=d("対象外（実施しない）のステップ数", "steps not applicable"))]
CompletionRate = Annotated[
    float | None,
    Field(description=d("完了率（総務省方式）＝(完了済み＋対象外)÷(40×システム数)", "completion rate (MIC), 0-1")),
]
ProgressRate = Annotated[
    float | None,
    Field(description=d("進捗率（石巻市方式）＝完了済み÷(総ステップ−対象外)", "progress rate (Ishinomaki), 0-1")),
]
OrganizationsWithSystems = Annotated[
    int | None, Field(description=d("団体数（システムのある団体）", "organisations with systems"))
]
CompletionRateMean = Annotated[
    float | None,
    Field(
        description=d("完了率（総務省方式）の団体平均（0〜1）", "mean completion rate (MIC) over organisations, 0-1")
    ),
]
CompletionRateMedian = Annotated[
    float | None, Field(description=d("完了率（総務省方式）の団体中央値（0〜1）", "median completion rate (MIC), 0-1"))
]
OnScheduleShare = Annotated[
    float | None, Field(description=d("スケジュール通りのシステムの割合（0〜1）", "share of systems on schedule, 0-1"))
]
SystemName = Annotated[str, Field(description=d("対象システム名", "system name"))]
SystemBusiness = Annotated[
    str | None, Field(description=d("業務名（独自のシステム・共通機能は null）", "business; null if none"))
]
SystemsInOperation = Annotated[
    int | None,
    Field(description=d("運用開始済みのシステム数（ステップ40完了）", "systems in operation (step 40 completed)")),
]
OnScheduleSystems = Annotated[int | None, Field(description=d("スケジュール通りのシステム数", "systems on schedule"))]
SpecialSupportOrganizations = Annotated[
    int | None, Field(description=d("特定移行支援システムのある団体数", "organisations with special-support systems"))
]
SpecialSupportSystems = Annotated[int, Field(description=d("特定移行支援システム数", "special-support systems"))]
SpecialSupportSystemsIfAny = Annotated[
    int | None, Field(description=d("特定移行支援システム数", "special-support systems"))
]


class Out(BaseModel):
    """A response schema filled from dicts: plain pydantic validation, without ninja.Schema's attribute getter
    around every nested object (which made a 団体's progress, about 900 step objects, ten times slower)."""


class ErrorBody(Schema):
    code: str = Field(description=d("エラーの種類", "error code"))
    message: str = Field(description=d("エラーの説明（日本語）", "message in Japanese"))
    details: dict | list | None = Field(None, description=d("詳細", "details"))


class ErrorOut(Schema):
    error: ErrorBody = Field(description=d("エラーの内容", "the error"))


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class OrganizationOut(Schema):
    code: SixDigitCode
    prefecture_code: TwoDigitPrefCode
    prefecture_name: PrefName
    name: str = Field(description=d("市区町村名（都道府県は空）", "municipality name (empty for a prefecture)"))
    kana: str = Field(description=d("市区町村名（カナ）", "municipality name in katakana"))
    kind: str = Field(description=d("団体区分", "kind: 都道府県, 政令指定都市, 中核市, 市, 町, 村, 特別区"))


class StatusCounts(Out):
    completed: int = Field(description=d("完了済みのステップ数", "steps completed"))
    in_progress: StepsInProgress[int]
    not_started: StepsNotStarted[int]
    not_applicable: StepsNotApplicable[int]


class StepStatus(Out):
    step: str = Field(description=d("作業ステップ（1〜40 または 独自N）", "step: 1-40 or 独自N (own step)"))
    status: str = Field(description=d("状態", "completed, in_progress, not_started or not_applicable"))
    status_label: str = Field(description=d("状態（日本語）", "status label in Japanese"))
    version: int = Field(description=d("セルの版（書き込みごとに変わる）", "cell version; changes on every write"))


class DelayOut(Out):
    as_of: date = Field(description=d("説明の基準日", "as-of date of the explanation"))
    department: str = Field(description=d("担当課名", "department in charge"))
    expected_completion: str = Field(description=d("移行完了時期（見込）", "expected completion"))
    reason: str = Field(description=d("理由", "reason"))
    schedule: list = Field(description=d("今後の実施スケジュール（日付・作業・役割）", "schedule: date, task, role"))
    impact: bool = Field(description=d("移行完了時期への影響の有無", "whether completion is affected"))
    impact_reason: str = Field(description=d("影響の理由", "reason for the impact"))
    role_matrix: dict = Field(description=d("役割分担（役職のみ）", "role matrix (roles only)"))


class SystemProgress(Out):
    name: SystemName
    business: SystemBusiness
    basis: str = Field(description=BASIS)
    vendor: str | None = Field(description=d("事業者名", "vendor"))
    special_support: bool = Field(description=d("特定移行支援システムか", "special-support (late) system"))
    planned_completion: date | None = Field(
        description=d("移行完了予定（特定移行支援）", "planned completion of a special-support system")
    )
    counts: StatusCounts | None = Field(
        description=d(
            "40 ステップの状態別件数（公表値のみのシステムは null）", "counts over the 40 steps; null if rate only"
        )
    )
    completion_rate: CompletionRate
    published_completion_rate: float | None = Field(
        description=d(
            "総務省が公表したこの月の完了率（あれば。状態の報告と異なることがある）",
            "the completion rate MIC published for the month, if any (may differ from reported statuses)",
        )
    )
    progress_rate: ProgressRate
    on_schedule: bool | None = Field(
        description=d("国の期限どおりか（状態がなければ null）", "on schedule; null if rate only")
    )
    delay_explanation: DelayOut | None = Field(None, description=d("遅延の説明", "delay explanation"))
    steps: list[StepStatus] | None = Field(
        description=d("ステップごとの状態（公表値のみのシステムは null）", "status of each step; null if rate only")
    )


class ProgressSummary(Out):
    basis: Basis
    systems: int = Field(description=d("①移行対象システム数", "number of systems"))
    systems_with_steps: SystemsWithSteps[int]
    steps_total: int | None = Field(description=d("③総作業ステップ数（国の40ステップ）", "systems with steps × 40"))
    completed: int | None = Field(description=d("④完了済み", "steps completed"))
    in_progress: StepsInProgress[int | None]
    not_started: StepsNotStarted[int | None]
    not_applicable: int | None = Field(description=d("⑤実施しない（対象外）", "steps not applicable"))
    completion_rate: CompletionRate
    progress_rate: float | None = Field(
        description=d("⑥進捗率（石巻市方式・国のステップのみ）", "progress rate (Ishinomaki), national steps")
    )
    progress_rate_incl_own_steps: float | None = Field(
        description=d("進捗率（石巻市方式・独自ステップを含む）", "progress rate including own steps")
    )
    on_schedule_systems: OnScheduleSystems


class OrganizationProgress(Out):
    code: OrgCode
    name: OrgName
    as_of: AsOf
    sample_data: SampleData
    source: Source
    summary: ProgressSummary = Field(
        description=d("団体全体の集計（石巻市の①〜⑥の表と完了率）", "totals of the organisation (rate table and rates)")
    )
    systems: list[SystemProgress] = Field(description=d("対象システムごとの状況", "each system's progress"))


class OverOrganizations(Out):
    """The figures over 団体 of the nation and of each prefecture (means and medians are over 団体, as 総務省
    publishes them); a schema lists them after its own fields."""

    completion_rate_mean: CompletionRateMean
    completion_rate_median: CompletionRateMedian
    systems_in_operation: SystemsInOperation
    on_schedule_share: OnScheduleShare
    special_support_organizations: SpecialSupportOrganizations
    special_support_systems: SpecialSupportSystemsIfAny


class NationalCounts(Out):
    as_of: AsOf
    sample_data: SampleData
    source: Source
    basis: Basis
    organizations: OrganizationsWithSystems
    systems: SystemCount
    systems_with_steps: SystemsWithSteps[int | None]
    rate_only_systems: RateOnlySystems[int | None]


class NationalSummary(OverOrganizations, NationalCounts):
    pass


class PrefectureOrganization(Out):
    code: str = Field(description=d("全国地方公共団体コード", "code"))
    name: str = Field(description=d("市区町村名", "name"))
    kind: OrgKind
    completion_rate: CompletionRate
    progress_rate: ProgressRate
    special_support_systems: SpecialSupportSystems
    basis: Basis


class PrefectureSummary(NationalSummary):
    code: PrefCode
    name: PrefName
    organizations_detail: list[PrefectureOrganization] = Field(
        description=d("管内の市区町村", "municipalities in the prefecture")
    )
