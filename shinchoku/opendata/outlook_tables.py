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

from .system_columns import basis_label
from .tables import ORGANIZATION_KEY, Column, MonthTable, columns, data_label, month_layout, organization_names

WARNING_COLUMNS = month_layout(
    ORGANIZATION_KEY,
    *columns("system", "warnings.business"),
    Column("kind", "警告の種類（記号）", "・".join(KINDS), "str", "overdue"),
    Column("kind_label", "警告の種類", "・".join(KIND_LABELS.values()), "str", "期限超過"),
    *columns("warnings.since", "warnings.basis", "warnings.detail"),
)

FORECAST_COLUMNS = month_layout(
    ORGANIZATION_KEY,
    *columns(
        "forecasts.status",
        "forecasts.completion_rate",
        "forecasts.pace",
        "forecasts.forecast_month",
        "forecasts.earliest",
        "forecasts.latest",
        "forecasts.text",
    ),
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
