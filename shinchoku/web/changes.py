"""The 「前の月・12か月前からの変化」 table of the national, prefecture and 団体 pages, from the series they read,
and the plain first sentence of their summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from shinchoku.domain.changes import Field, changes
from shinchoku.domain.plain import plain_sentence

AREA_FIELDS = (
    Field("completion_rate_mean", "完了率（総務省方式）の平均", percent=True),
    Field("systems_in_operation", "運用を始めたシステム", percent=False),
    Field("on_schedule_share", "スケジュール通りのシステムの割合", percent=True),
    Field("special_support_systems", "特定移行支援システム", percent=False),
)
ORGANIZATION_FIELDS = (
    Field("completion_rate", "完了率（総務省方式）", percent=True),
    Field("progress_rate", "進捗率（石巻市方式・国のステップのみ）", percent=True),
)


def _table(series: Mapping[date, Mapping], as_of: date, fields: Sequence[Field]) -> dict:
    previous, year_ago, rows = changes(series, as_of, fields)
    return {"previous": previous, "year_ago": year_ago, "rows": rows}


def area_changes(trend: Sequence[tuple[date, dict]], as_of: date) -> dict:
    """From an area's series (national or prefecture trend)."""
    return _table(dict(trend), as_of, AREA_FIELDS)


def organization_changes(trend: Sequence[tuple[date, float | None, float | None]], as_of: date) -> dict:
    """From a 団体's (month, 完了率, 進捗率) trend."""
    series = {m: {"completion_rate": c, "progress_rate": p} for m, c, p in trend}
    return _table(series, as_of, ORGANIZATION_FIELDS)


def area_sentence(data: Mapping) -> str:
    """The plain first sentence for an area's rollup data (late = systems with steps not on schedule)."""
    with_steps = data.get("systems_with_steps") or 0
    on_schedule = data.get("on_schedule_systems")
    late = with_steps - on_schedule if with_steps and on_schedule is not None else None
    return plain_sentence(
        late_systems=late, completion_rate=data.get("completion_rate_mean"), systems=data.get("systems") or 0
    )
