"""API of the warnings and forecasts: /api/v1/warnings, /api/v1/warnings/summary, /api/v1/forecasts.

Mounted at "/" of the API. Every answer is read from the rows computed for the month (never from history).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from shinchoku.api import params
from shinchoku.api.organizations import MAX_LIMIT, TOTAL_COUNTED
from shinchoku.api.routes import public_get
from shinchoku.api.schemas import (
    AsOf,
    RateOnlySystems,
    SampleData,
    SixDigitCode,
    Source,
    SystemBusiness,
    SystemName,
    attributes,
    d,
)
from shinchoku.outlook import selectors
from shinchoku.outlook.store_forecasts import NATION, ORGANIZATION, PREFECTURE
from shinchoku.outlook.warning_rules import KIND_LABELS, KINDS
from shinchoku.progress.provenance import month_source
from shinchoku.progress.selectors import is_sample

router = Router(tags=["outlook"])

KIND_DESCRIPTION = d(
    "警告の種類: overdue（期限超過）、special_overdue（特定移行支援の移行完了予定の超過）、stalled（停滞）、"
    "regression（後戻り）、unexplained（遅延の説明なし）",
    "kind: overdue (past the national deadline, not in operation, not special-support), special_overdue (past its"
    " own planned completion), stalled (no change for N months), regression (a completed step went back, or the"
    " published rate fell), unexplained (late with no delay explanation)",
)
BASIS_DESCRIPTION = d(
    "根拠: steps（作業ステップの状態）、published_rate（総務省が公表した完了率だけ。ステップに基づく判断はしない）",
    "basis: steps (step statuses) or published_rate (only the completion rate MIC published; no step-based claim)",
)


class WarningOut(Schema):
    code: SixDigitCode
    name: str = Field(description=d("団体名（都道府県名＋市区町村名）", "name: prefecture and municipality"))
    system: SystemName
    business: SystemBusiness
    kind: str = Field(description=KIND_DESCRIPTION)
    kind_label: str = Field(description=d("種類（日本語）", "kind in Japanese"))
    since: date = Field(
        description=d(
            "いつから（期限超過などは続いている最初の月、停滞は状態が変わっていない最初の月、後戻りは戻った月）",
            "since: first month of the current run (overdue …), of the unchanged statuses (stalled), or the month"
            " a step went back (regression)",
        )
    )
    basis: str = Field(description=BASIS_DESCRIPTION)
    detail: str = Field(description=d("根拠の説明（日本語）", "the evidence, in Japanese"))
    as_of: AsOf
    sample_data: SampleData


class WarningSummary(Schema):
    as_of: AsOf
    sample_data: SampleData
    source: Source
    total: int = Field(
        description=d("警告の件数（1システムに複数のことがある）", "warnings (a system may have several)")
    )
    by_kind: dict[str, int] = Field(description=d("種類別の件数", "count by kind"))
    by_prefecture: dict[str, dict[str, int]] = Field(
        description=d("都道府県コード→種類別の件数（都道府県自身のシステムを含む）", "prefecture code → count by kind")
    )
    organizations: int = Field(description=d("警告のある団体の数", "organisations with a warning"))
    systems: int = Field(description=d("警告のあるシステムの数", "systems with a warning"))
    systems_evaluated: int = Field(description=d("この月に記録のあるシステムの数", "systems with a row this month"))
    rate_only_systems: RateOnlySystems[int]
    stall_months: int = Field(description=d("停滞とみなす月数", "months without change that count as stalled"))


class ForecastOut(Schema):
    scope: str = Field(description=d("nation（全国）、prefecture（都道府県）、organization（団体）", "scope"))
    key: str = Field(description=d("都道府県コード・団体コード（全国は空）", "prefecture or organisation code"))
    name: str = Field(description=d("名称", "name"))
    status: str = Field(
        description=d(
            "done（完了）、forecast（見通しあり）、no_pace（進んでいない：見通せません）、"
            "no_history（6か月分の記録がない：見通せません）",
            "done, forecast, no_pace (no progress: no date), no_history (less than 6 months held: no date)",
        )
    )
    completion_rate: float | None = Field(
        description=d("完了した作業ステップの割合（システム数で重み付け、0〜1）", "share of steps done, 0-1")
    )
    pace: float | None = Field(
        description=d("最近6か月のペース（完了率で1か月あたり、0〜1）", "pace over 6 months as completion rate a month")
    )
    month: date | None = Field(description=d("このままのペースなら、すべて完了する月", "month all would be done"))
    earliest: date | None = Field(description=d("最も増えた3か月のペースなら", "at the pace of the best 3 months"))
    latest: date | None = Field(
        description=d("最も増えなかった3か月のペースなら（0なら null）", "at the worst 3 months' pace; null if zero")
    )
    text: str = Field(description=d("見通しの文章（「このままのペースなら…」）", "the forecast in Japanese"))


class Forecasts(Schema):
    as_of: AsOf
    sample_data: SampleData
    source: Source
    nation: ForecastOut | None = Field(description=d("全国", "the country"))
    prefectures: list[ForecastOut] = Field(description=d("47都道府県", "the 47 prefectures"))
    organizations: list[ForecastOut] = Field(
        description=d(
            "団体（prefecture を指定したときのその都道府県の団体）", "organisations of `prefecture`, if given"
        )
    )


def _kind(value: str | None) -> str | None:
    if not value:
        return None
    if value not in KINDS:
        raise params.BadParameter(f"種類「{value}」は {'、'.join(KINDS)} のいずれかで指定してください")
    return value


@public_get(router, "/warnings", list[WarningOut], "警告の一覧 / warnings", openapi_extra=TOTAL_COUNTED)
def list_warnings(
    request: HttpRequest,
    response: HttpResponse,
    as_of: params.AsOfQuery = None,
    prefecture: params.PrefQuery = None,
    kind: str | None = Query(None, description=KIND_DESCRIPTION, enum=list(KINDS)),
    limit: int = Query(MAX_LIMIT, ge=0, le=MAX_LIMIT, description=params.d("最大件数", "page size")),
    offset: int = Query(0, ge=0, description=params.d("先頭から飛ばす件数", "items to skip")),
):
    """月ごとに計算した警告（団体コード順）。総件数は X-Total-Count ヘッダー。
    / The month's warnings, precomputed, in code order; the total is in the X-Total-Count header."""
    month = params.as_of(as_of)
    pref = params.prefecture(prefecture) if prefecture else None
    wanted = _kind(kind)
    counts = selectors.warning_counts(month)
    response["X-Total-Count"] = str(counts.count(prefecture=pref, kind=wanted) if counts else 0)
    sample = is_sample(month)
    items = selectors.warnings(month, prefecture=pref, kind=wanted, offset=offset, limit=limit)
    return [{**w.__dict__, "kind_label": KIND_LABELS[w.kind], "as_of": month, "sample_data": sample} for w in items]


@public_get(router, "/warnings/summary", WarningSummary, "警告の件数 / warning counts")
def warnings_summary(request: HttpRequest, as_of: params.AsOfQuery = None):
    """種類別・都道府県別の件数（公開ページ・オープンデータと同じ数）。 / Counts by kind and prefecture."""
    month = params.as_of(as_of)
    counts = selectors.warning_counts(month)
    base = {"as_of": month, "sample_data": is_sample(month), "source": month_source(month)}
    if counts is None:
        empty = {k: 0 for k in KINDS}
        return {
            **base,
            "total": 0,
            "by_kind": empty,
            "by_prefecture": {},
            "organizations": 0,
            "systems": 0,
            "systems_evaluated": 0,
            "rate_only_systems": 0,
            "stall_months": 3,
        }
    return {**base, **{k: v for k, v in counts.__dict__.items() if k not in ("as_of", "by_basis")}}


def _forecast(f: selectors.ForecastItem) -> dict:
    return {
        **attributes(f, "scope", "key", "name", "status"),
        "completion_rate": f.rate,
        "pace": f.pace_rate,
        **attributes(f, "month", "earliest", "latest", "text"),
    }


@public_get(router, "/forecasts", Forecasts, "完了の見通し / forecasts")
def forecasts(request: HttpRequest, as_of: params.AsOfQuery = None, prefecture: params.PrefQuery = None):
    """最近6か月のペースが続いた場合の、全国・都道府県（と指定した都道府県の団体）の完了の見通し。
    / When all systems would be done at the pace of the last 6 months: nation, prefectures, organisations."""
    month = params.as_of(as_of)
    pref = params.prefecture(prefecture) if prefecture else None
    nation = selectors.forecast_of(month, NATION)
    return {
        "as_of": month,
        "sample_data": is_sample(month),
        "source": month_source(month),
        "nation": _forecast(nation) if nation else None,
        "prefectures": [_forecast(f) for f in selectors.forecasts(month, PREFECTURE)],
        "organizations": [_forecast(f) for f in selectors.forecasts(month, ORGANIZATION, prefecture=pref)]
        if pref
        else [],
    }
