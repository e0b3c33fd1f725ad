"""What one 団体 adds to a month's aggregates ("parts"), and the month's running sums of them.

Every aggregate above a 団体 is either a sum of its 団体' parts (businesses, steps, 特定移行支援, vendors) or a
figure over the 団体' own rollups (means and medians of 完了率: order statistics, which no delta can update).
So a write that touches some 団体 subtracts their stored parts from the month's sums, adds their new parts
and recomputes the figures over 団体 from the stored per-団体 rows (1,741 numbers): the same numbers as a
full recompute, which builds the sums from every 団体's parts with the same functions.

Plain data only (no Django): stored as JSON on OrganizationRollup.parts and, split by split_sums, on the
MonthSumsPart rows of a month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shinchoku.domain.progress import NATIONAL_STEPS, Counts
from shinchoku.domain.rollup import GroupSummary, Rollup, completion_rate_of, summary_of

__all__ = [
    "SYSTEMS",
    "Group",
    "OrgParts",
    "add_parts",
    "empty_sums",
    "join_sums",
    "rate_of_row",
    "rollup_from_list",
    "rollup_to_list",
    "split_sums",
    "steps_of",
    "sum_rows",
    "summarize_rows",
]

STATUS_INDEX = {"C": 0, "P": 1, "N": 2, "X": 3}


# The list form of a rollup: 14 integers in this order (rollup_to_list builds it, rollup_from_list reads it back).
# Code elsewhere reads a position by these names, never by number.
ROW_FIELDS = 14
SYSTEMS = 0  # Rollup.systems
COMPLETED = 1  # national.completed (2–4: in_progress, not_started, not_applicable)
NOT_APPLICABLE = 4  # national.not_applicable (5–8: own's four counts, 9: on_schedule_systems)
SPECIAL_SUPPORT = 10  # special_support_systems (11: systems_in_operation, 12: rate_only_systems)
RATE_ONLY_DONE = 13  # rate_only_done


def rollup_to_list(r: Rollup) -> list[int]:
    """A Rollup as 14 integers (its every field): stored and summed exactly."""
    n, o = r.national, r.own
    return [
        r.systems,
        n.completed,
        n.in_progress,
        n.not_started,
        n.not_applicable,
        o.completed,
        o.in_progress,
        o.not_started,
        o.not_applicable,
        r.on_schedule_systems,
        r.special_support_systems,
        r.systems_in_operation,
        r.rate_only_systems,
        r.rate_only_done,
    ]


_new = object.__new__


def rollup_from_list(t: list[int]) -> Rollup:
    """The Rollup of 14 integers (rollup_to_list's inverse). Built without the frozen dataclasses' __init__,
    which was two thirds of the time: every write rebuilds the stored rows of all 1,788 団体. Equal field for
    field to Rollup(...) (tests/unit/test_rollup_parts.py)."""
    national, own, r = _new(Counts), _new(Counts), _new(Rollup)
    national.__dict__.update(completed=t[1], in_progress=t[2], not_started=t[3], not_applicable=t[4])
    own.__dict__.update(completed=t[5], in_progress=t[6], not_started=t[7], not_applicable=t[8])
    r.__dict__.update(
        systems=t[0],
        national=national,
        own=own,
        on_schedule_systems=t[9],
        special_support_systems=t[10],
        systems_in_operation=t[11],
        rate_only_systems=t[12],
        rate_only_done=t[13],
    )
    return r


def sum_rows(rows: Iterable[list[int]]) -> list[int]:
    """Rollups in their list form added field by field (rollup_all, without a Rollup each)."""
    return [sum(column) for column in zip(*rows, strict=True)] or [0] * ROW_FIELDS


def rate_of_row(t: list[int]) -> float | None:
    """Rollup.completion_rate of a rollup in its list form: the same arithmetic, so the same number."""
    return completion_rate_of(t[SYSTEMS], t[COMPLETED] + t[NOT_APPLICABLE] + t[RATE_ONLY_DONE])


def summarize_rows(rows: Iterable[list[int]]) -> GroupSummary:
    """summarize() over 団体 rollups in their list form: every write summarizes the country's 1,788 団体, and
    a Rollup each was most of that time."""
    group = Group()
    for t in rows:
        group.add(t, rate_of_row(t))
    return group.summary()


@dataclass
class Group:
    """The rows of a group of 団体 (rollup_to_list) with their rates, as a summary over 団体 needs them: those
    with systems (summed, their 完了率 averaged), those without (counted only in totals) and every 団体's
    特定移行支援 systems. Each row is summed once: a wider group (the nation with the prefectures) joins the sums
    of its groups instead of adding their 1,788 rows again, which every write did twice."""

    with_systems: list[list[int]] = field(default_factory=list)
    without_systems: list[list[int]] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)
    special: list[int] = field(default_factory=list)
    summed: list[int] | None = None  # the sum of with_systems, once asked for

    def add(self, t: list[int], rate: float | None) -> None:
        if t[SYSTEMS] > 0:
            self.with_systems.append(t)
            if rate is not None:
                self.rates.append(rate)
        else:
            self.without_systems.append(t)
        self.special.append(t[SPECIAL_SUPPORT])
        self.summed = None

    def systems_sum(self) -> list[int]:
        if self.summed is None:
            self.summed = sum_rows(self.with_systems)
        return self.summed

    def summary(self) -> GroupSummary:
        """summarize()'s figures: the mean and median 完了率 are over 団体 with systems (fsum and a sort: the
        same numbers in any order of the rows)."""
        return summary_of(rollup_from_list(self.systems_sum()), len(self.with_systems), self.rates, self.special)

    def total(self) -> list[int]:
        """Every row added up, those without systems too."""
        return sum_rows([self.systems_sum(), *self.without_systems])

    def joined(self, other: Group) -> Group:
        """Both groups as one, its sum from the two sums."""
        return Group(
            with_systems=self.with_systems + other.with_systems,
            without_systems=self.without_systems + other.without_systems,
            rates=self.rates + other.rates,
            special=self.special + other.special,
            summed=sum_rows([self.systems_sum(), other.systems_sum()]),
        )


def steps_of(codes: Iterable[str]) -> dict:
    """{"n": systems, "counts": 40 × [完了済み, 作業中, 未着手, 対象外]} over the given statuses strings (an empty
    string counts as a system without statuses; any other code is counted 未着手, as everywhere else)."""
    texts = list(codes)
    counts = [[0, 0, 0, 0] for _ in range(NATIONAL_STEPS)]
    whole = [t for t in texts if len(t) == NATIONAL_STEPS]
    # Each step's column of codes as one string, counted by str.count (no columns when no string is whole):
    # every write and month recompute counts each 団体's systems, a loop per code was the most of it here.
    for row, column in zip(counts, map("".join, zip(*whole, strict=True)), strict=False):
        done, doing, skipped = column.count("C"), column.count("P"), column.count("X")
        row[:] = [done, doing, len(column) - done - doing - skipped, skipped]
    for text in texts:
        if len(text) != NATIONAL_STEPS:  # shorter (or longer) strings, code by code
            for i, c in enumerate(text):
                counts[i][STATUS_INDEX.get(c, 2)] += 1
    return {"n": len(texts), "counts": counts}


@dataclass
class OrgParts:
    """One 団体's share of a month's sums.

    business: its systems' rollups per business number ("1".."20"); steps: its statuses per step (None for a
    prefecture: the step table is over 市区町村); vendors: vendor → [systems, 特定移行支援 systems];
    special: [business or None, planned completion ISO date or None] per 特定移行支援 system.
    """

    business: dict[str, list[int]] = field(default_factory=dict)
    steps: dict | None = None
    vendors: dict[str, list[int]] = field(default_factory=dict)
    special: list[list] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"business": self.business, "steps": self.steps, "vendors": self.vendors, "special": self.special}

    @classmethod
    def from_json(cls, data: Mapping) -> OrgParts:
        return cls(
            business=dict(data.get("business") or {}),
            steps=data.get("steps"),
            vendors=dict(data.get("vendors") or {}),
            special=list(data.get("special") or []),
        )


def empty_sums() -> dict:
    """A month's sums: business → prefecture → rollup list; prefectures' own systems per business; steps per
    prefecture; vendor → 団体 → [systems, special]; 団体 → its 特定移行支援 systems."""
    return {"business": {}, "prefectures_own": {}, "steps": {}, "vendors": {}, "special": {}}


# The sections of a month's sums stored as one row each; "business" is stored as one row per business number.
WHOLE_SECTIONS = ("prefectures_own", "steps", "vendors", "special")


def split_sums(sums: dict) -> dict[str, Any]:
    """A month's sums as the rows they are stored in: "business:N" per business, and the other sections whole."""
    rows: dict[str, Any] = {f"business:{number}": by_pref for number, by_pref in sums["business"].items()}
    rows.update({section: sums[section] for section in WHOLE_SECTIONS})
    return rows


def join_sums(rows: Mapping[str, Any]) -> dict:
    """The sums again from their stored rows (split_sums' inverse)."""
    sums = empty_sums()
    for key, value in rows.items():
        section, _, number = key.partition(":")
        if number:
            sums[section][number] = value
        else:
            sums[section] = value
    return sums


def _add_list(target: list[int], values: list[int], sign: int) -> None:
    for i, v in enumerate(values):
        target[i] += sign * v


def add_parts(sums: dict, code: str, pref: str, is_prefecture: bool, parts: OrgParts, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign −1) one 団体's parts; entries that fall to nothing are dropped, so the
    sums equal those built from scratch."""
    for number, values in parts.business.items():
        if is_prefecture:
            own = sums["prefectures_own"].setdefault(number, [0] * len(values))
            _add_list(own, values, sign)
            if not own[0]:
                del sums["prefectures_own"][number]
        else:
            by_pref = sums["business"].setdefault(number, {})
            entry = by_pref.setdefault(pref, [0] * len(values))
            _add_list(entry, values, sign)
            if not entry[0]:
                del by_pref[pref]
            if not by_pref:
                del sums["business"][number]
    if parts.steps is not None:
        entry = sums["steps"].setdefault(pref, {"n": 0, "counts": [[0, 0, 0, 0] for _ in range(NATIONAL_STEPS)]})
        entry["n"] += sign * parts.steps["n"]
        for row, values in zip(entry["counts"], parts.steps["counts"], strict=True):
            _add_list(row, values, sign)
        if not entry["n"]:
            del sums["steps"][pref]
    for vendor, (systems, special) in parts.vendors.items():
        orgs = sums["vendors"].setdefault(vendor, {})
        if sign > 0:
            orgs[code] = [systems, special]
        else:
            orgs.pop(code, None)
        if not orgs:
            del sums["vendors"][vendor]
    if parts.special:
        if sign > 0:
            sums["special"][code] = parts.special
        else:
            sums["special"].pop(code, None)


def special_rows(sums: dict) -> list[tuple[str, int | None, date | None]]:
    """(団体, business, planned completion) of every 特定移行支援 system in the sums, in a fixed order."""
    rows = []
    for code, items in sums["special"].items():
        for business, planned in items:
            rows.append((code, business, date.fromisoformat(planned) if planned else None))
    return sorted(rows, key=lambda r: (r[0], r[1] is None, r[1] or 0, r[2] or date.min))
