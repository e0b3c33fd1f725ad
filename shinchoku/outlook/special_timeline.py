"""特定移行支援 over time: counts by list date, systems added and removed, planned completion years, slips.

An edition is a デジタル庁 list (its date) when lists are loaded; without lists (the fictional sample, or 団体
reports only) an edition is a month in which the designations or planned completions changed. What each system
is at an edition date comes from its attributes in force then (SystemAttributes, carried forward), which the
lists set (shinchoku.progress.special_support.materialize).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from datetime import date

from shinchoku.domain.calendar import fiscal_year
from shinchoku.progress.models import SpecialSupportList

from .history import SystemInfo, designations, public_systems
from .models import OutlookSummary
from .warning_rules import Designation

SPECIAL_SCOPE = "special"
State = dict[int, date | None]  # designated system -> planned completion


class _Rows:
    """Each system's designation rows (sorted by date) with their dates, to find the row in force at a date."""

    def __init__(self, rows_by_system: dict[int, list[Designation]]) -> None:
        self.rows = rows_by_system
        self.dates = {sid: [r.as_of for r in rows] for sid, rows in rows_by_system.items()}


def _state_at(rows_by_system: _Rows, as_of: date) -> State:
    out: State = {}
    dates = rows_by_system.dates
    for sid, rows in rows_by_system.rows.items():
        i = bisect.bisect_right(dates[sid], as_of) - 1
        if i >= 0 and rows[i].special:
            out[sid] = rows[i].planned_completion
    return out


def _editions(rows_by_system: _Rows) -> tuple[list[date], bool]:
    lists = list(SpecialSupportList.objects.order_by("as_of").values_list("as_of", flat=True))
    if lists:
        return lists, True
    changes = sorted({r.as_of for rows in rows_by_system.rows.values() for r in rows})
    out: list[date] = []
    previous: State = {}
    for m in changes:
        state = _state_at(rows_by_system, m)
        if state != previous:
            out.append(m)
        previous = state
    return out, False


def _edition(as_of: date, state: State, previous: State | None, systems: dict[int, SystemInfo]) -> dict:
    years = Counter(fiscal_year(p) if p else None for p in state.values())
    slipped = later = earlier = 0
    if previous is not None:
        for sid, planned in state.items():
            before = previous.get(sid)
            if sid in previous and before is not None and planned is not None:
                later += planned > before
                earlier += planned < before
        slipped = later
    return {
        "as_of": as_of.isoformat(),
        "organizations": len({systems[s].org for s in state if s in systems}),
        "systems": len(state),
        "added": None if previous is None else len(state.keys() - previous.keys()),
        "removed": None if previous is None else len(previous.keys() - state.keys()),
        "slipped": None if previous is None else slipped,
        "brought_forward": None if previous is None else earlier,
        "by_year": [
            {"fiscal_year": fy, "systems": n}
            for fy, n in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        ],
    }


def refresh_special(target: Sequence[date]) -> None:
    """The timeline of 特定移行支援 as each target month shows it (editions up to that month)."""
    start = target[0]
    OutlookSummary.objects.filter(month_id__gte=start, scope=SPECIAL_SCOPE).delete()
    systems = {s.system_id: s for s in public_systems()}
    rows_by_system = _Rows({sid: rows for sid, rows in designations(date.max).items() if sid in systems})
    editions, from_lists = _editions(rows_by_system)
    meta = {lst.as_of: lst for lst in SpecialSupportList.objects.filter(as_of__in=editions)} if from_lists else {}
    computed: list[dict] = []
    previous: State | None = None
    first_planned: dict[int, date] = {}
    for d in editions:
        state = _state_at(rows_by_system, d)
        item = _edition(d, state, previous, systems)
        lst = meta.get(d)
        if lst is not None:
            item.update(title=lst.title, publisher=lst.publisher, sample_data=lst.sample_data)
        for sid, planned in state.items():
            if planned is not None:
                first_planned.setdefault(sid, planned)
        item["slipped_since_first"] = sum(
            1 for sid, planned in state.items() if planned and first_planned.get(sid) and planned > first_planned[sid]
        )
        computed.append(item)
        previous = state
    summaries = []
    for m in target:
        shown = [e for e in computed if e["as_of"] <= m.isoformat()]
        data = {"from_lists": from_lists, "editions": shown}
        summaries.append(OutlookSummary(month_id=m, scope=SPECIAL_SCOPE, data=data))
    OutlookSummary.objects.bulk_create(summaries)
