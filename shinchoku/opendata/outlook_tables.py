"""Open data tables of the month's warnings and of each 団体's forecast (read from the precomputed rows)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from shinchoku.outlook.forecasting import describe
from shinchoku.outlook.models import Forecast, SystemWarning
from shinchoku.outlook.selectors import ForecastItem
from shinchoku.outlook.store_forecasts import ORGANIZATION
from shinchoku.outlook.warning_rules import KIND_LABELS, KINDS
from shinchoku.reference.models import Business

from .system_columns import SYSTEM, basis_label
from .tables import (
    ORGANIZATION_KEY,
    Column,
    MonthTable,
    data_label,
    month_layout,
    organization_names,
)

WARNING_COLUMNS = month_layout(
    ORGANIZATION_KEY,
    SYSTEM,
    Column("business", "業務名", "20業務の名前（独自のシステム・共通機能は空欄）", "str", "住民基本台帳"),
    Column("kind", "警告の種類（記号）", "・".join(KINDS), "str", "overdue"),
    Column("kind_label", "警告の種類", "・".join(KIND_LABELS.values()), "str", "期限超過"),
    Column(
        "since",
        "いつから",
        "期限超過などは続いている最初の月、停滞は状態が変わっていない最初の月、後戻りは戻った月（月末日）",
        "date",
        "2026-04-30",
    ),
    Column("basis", "根拠", "作業ステップの状態／総務省の公表値（完了率のみ）", "str", "作業ステップの状態"),
    Column("detail", "内容", "警告の根拠の説明", "str", "国の期限（2026年3月31日）を過ぎても運用を開始していません…"),
)

FORECAST_COLUMNS = month_layout(
    ORGANIZATION_KEY,
    Column(
        "status",
        "見通しの区分",
        "完了／見通しあり／見通せません（進んでいない）／見通せません（記録が6か月に満たない）",
        "str",
        "見通しあり",
    ),
    Column(
        "completion_rate", "完了率", "完了済み＋対象外の作業ステップの割合（システム数で重み付け）", "float", "0.85"
    ),
    Column("pace", "ペース", "最近6か月に増えた完了率の1か月あたりの平均（0〜1）", "float", "0.012"),
    Column(
        "forecast_month",
        "完了の見通し",
        "このままのペースなら、すべてのシステムが完了する月（月末日）",
        "date",
        "2027-05-31",
    ),
    Column("earliest", "早ければ", "最も増えた3か月のペースなら（月末日）", "date", "2026-12-31"),
    Column("latest", "遅ければ", "最も増えなかった3か月のペースなら（0なら空欄：見通せません）", "date", "2028-02-29"),
    Column("text", "見通し", "見通しの文章", "str", "このままのペースなら2027年5月ごろにすべて完了します…"),
)
STATUS_LABELS = {
    "done": "完了",
    "forecast": "見通しあり",
    "no_pace": "見通せません（進んでいない）",
    "no_history": "見通せません（記録が6か月に満たない）",
}


def _warning_rows(as_of: date, sample: bool) -> Iterator[tuple]:
    names = organization_names()
    businesses = dict(Business.objects.values_list("number", "name"))
    label = data_label(sample)
    rows = (
        SystemWarning.objects.filter(month_id=as_of)
        .order_by("organization_id", "system_id", "kind")
        .values_list("organization_id", "system_name", "business", "kind", "since", "basis", "detail")
    )
    for code, system, business, kind, since, basis, detail in rows.iterator(chunk_size=5000):
        full, pref, _kind = names.get(code, ("", code[:2], ""))
        yield (
            code,
            full,
            pref,
            as_of,
            system,
            businesses.get(business) if business else None,
            kind,
            KIND_LABELS[kind],
            since,
            basis_label(basis),
            detail,
            label,
        )


def _forecast_rows(as_of: date, sample: bool) -> Iterator[tuple]:
    names = organization_names()
    label = data_label(sample)
    for f in Forecast.objects.filter(month_id=as_of, scope=ORGANIZATION).order_by("key"):
        full, pref, _kind = names.get(f.key, ("", f.key[:2], ""))
        item = ForecastItem(
            f.scope, f.key, full, f.status, f.done, f.total, f.pace, f.best_pace, f.worst_pace,
            f.forecast_month, f.earliest, f.latest, as_of,
        )  # fmt: skip
        yield (
            f.key,
            full,
            pref,
            as_of,
            STATUS_LABELS.get(f.status, f.status),
            round(item.rate, 6) if item.rate is not None else None,
            round(item.pace_rate, 6) if item.pace_rate is not None else None,
            f.forecast_month if item.has_date else None,
            f.earliest if item.has_date else None,
            f.latest if item.has_date else None,
            describe(item.outlook),
            label,
        )


# The tables of this module, each declared once: KIND, title, columns, how its rows are read, description.
warnings_table = MonthTable(
    "warnings",
    "警告",
    WARNING_COLUMNS,
    _warning_rows,
    description=(
        "月ごとに計算した、システムごとの警告（期限超過、特定移行支援の移行完了予定の超過、停滞、後戻り、"
        "遅延の説明なし）。1つのシステムに複数の警告が付くことがあります。総務省の公表した完了率だけのシステムは、"
        "完了率でわかる警告だけです。"
    ),
)

forecasts_table = MonthTable(
    "forecasts",
    "完了の見通し（団体別）",
    FORECAST_COLUMNS,
    _forecast_rows,
    description=(
        "団体ごとに、最近6か月のペース（完了済み・対象外の作業ステップの増え方）が続いた場合に、すべての"
        "システムが完了する月。ペースが0以下なら見通せません。予測ではなく、今のペースの延長です。"
    ),
)
