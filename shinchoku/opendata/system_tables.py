"""The system-summary table: each public system's completion rate at a month, from its statuses or, for a
system 総務省 published only a rate for, that rate (no step statuses are made up)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from shinchoku.domain.progress import NATIONAL_STEPS, Counts, completion_rate, is_on_schedule, progress_rate
from shinchoku.progress.rollups import national_deadlines
from shinchoku.progress.selectors.common import BASIS_PUBLISHED_RATE, BASIS_STEPS

from .progress_tables import round6, systems_at
from .system_columns import BASIS_LABELS
from .tables import AS_OF, CODE_NAME, DATA_LABEL, MonthTable, columns, data_label

SYSTEM_SUMMARY_COLUMNS = [
    *CODE_NAME,
    *columns(
        "system-summary.system",
        "system-summary.business_number",
        "system-summary.basis",
        "completion_rate",
        "system-summary.published_completion_rate",
        "progress_rate",
        "on_schedule",
        "system-summary.special_support",
        "vendor",
    ),
    AS_OF,
    DATA_LABEL,
]


def _system_summary_rows(as_of: date, sample: bool) -> Iterator[tuple]:
    deadlines = national_deadlines()
    label = data_label(sample)
    for s, info, org_name in systems_at(as_of):
        published = round6(s.published_done / NATIONAL_STEPS) if s.published_done is not None else None
        if s.codes:
            counts = Counts.from_codes(s.codes)
            planned = s.planned_completion if s.special_support else None
            on_schedule = is_on_schedule(
                codes=s.codes, deadlines=deadlines, as_of=as_of, special_support_completion=planned
            )
            figures: tuple = (
                BASIS_LABELS[BASIS_STEPS],
                round6(completion_rate(counts)),
                published,
                round6(progress_rate(counts)),
                on_schedule,
            )
        else:
            figures = (BASIS_LABELS[BASIS_PUBLISHED_RATE], published, published, None, None)
        yield (
            info.org,
            org_name,
            info.name,
            info.business,
            *figures,
            s.special_support,
            info.vendor,
            as_of,
            label,
        )


system_summary_table = MonthTable(
    "system-summary",
    "対象システム別の集計",
    SYSTEM_SUMMARY_COLUMNS,
    _system_summary_rows,
    description=(
        "団体・対象システムごとの完了率。作業ステップの状態があるシステムはそこから計算し、"
        "総務省が業務ごとの完了率だけを公表しているシステムはその値を載せます（ステップの状態は作りません）。"
    ),
)
