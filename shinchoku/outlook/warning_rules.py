"""Early-warning rules over one system's monthly history (pure Python: no Django).

A system's history is the rows it was reported with (`Reading`: statuses of the 40 national steps, or only
総務省's published 完了率 as k of 40) and the attributes in force from a month on (`Designation`: 特定移行支援 and
its planned completion). Rows are carried forward: a month without a row shows the latest earlier one.

For every held month the rules give the warnings that apply then (docs/outlook.md):

- ``overdue``: after the national deadline, not in operation (step 40 not 完了済み) and not 特定移行支援;
  with only a published rate: the rate is below 100%.
- ``special_overdue``: 特定移行支援 and past its own planned completion, not in operation (rate below 100%).
- ``stalled``: statuses unchanged for N months (default 3) while not finished; with a rate: the rate unchanged.
- ``regression``: a national step that was 完了済み is back to 作業中/未着手 (and has not been completed again);
  with only a rate: the published rate fell below an earlier one (never a step-based claim).
- ``unexplained``: overdue or special_overdue with no delay explanation on or before the month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from shinchoku.domain.calendar import month_end
from shinchoku.domain.progress import FINAL_DEADLINE, NATIONAL_STEPS

__all__ = [
    "BASIS_RATE",
    "BASIS_STEPS",
    "DEFAULT_STALL_MONTHS",
    "KINDS",
    "KIND_LABELS",
    "Designation",
    "Finding",
    "Reading",
    "add_months",
    "done_of",
    "evaluate",
    "is_finished",
    "months_between",
    "statuses_equal",
]

OVERDUE, SPECIAL_OVERDUE, STALLED, REGRESSION, UNEXPLAINED = (
    "overdue",
    "special_overdue",
    "stalled",
    "regression",
    "unexplained",
)
KINDS = (OVERDUE, SPECIAL_OVERDUE, STALLED, REGRESSION, UNEXPLAINED)
KIND_LABELS = {
    OVERDUE: "期限超過",
    SPECIAL_OVERDUE: "移行完了予定の超過（特定移行支援）",
    STALLED: "停滞",
    REGRESSION: "後戻り",
    UNEXPLAINED: "遅延の説明なし",
}
DEFAULT_STALL_MONTHS = 3
BASIS_STEPS = "steps"
BASIS_RATE = "published_rate"
STATUS_LABELS = {"C": "完了済み", "P": "作業中", "N": "未着手", "X": "対象外"}


class Reading(NamedTuple):
    """A system's row from `as_of` on: 40 status codes, or "" with the published 完了率 as k of 40."""

    as_of: date
    codes: str = ""
    published_done: int | None = None
    own_codes: str = ""

    @property
    def rate_only(self) -> bool:
        return not self.codes


@dataclass(frozen=True)
class Designation:
    """The 特定移行支援 attributes in force from `as_of` on."""

    as_of: date
    special: bool = False
    planned_completion: date | None = None


@dataclass(frozen=True)
class Finding:
    kind: str
    as_of: date
    since: date
    basis: str
    detail: str
    evidence: dict = field(default_factory=dict, compare=False)


def months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@lru_cache(maxsize=4096)
def add_months(d: date, n: int) -> date:
    """The month end n months after (before, when negative) the month of d."""
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return month_end(y, m + 1)


def done_of(r: Reading) -> int:
    """Steps counted by the 完了率 (完了済み + 対象外), from statuses or the published k."""
    if r.codes:
        return r.codes.count("C") + r.codes.count("X")
    return r.published_done or 0


def is_finished(r: Reading) -> bool:
    """In operation (step 40 完了済み) or every step done; with only a rate: 100%."""
    if r.codes:
        return r.codes[NATIONAL_STEPS - 1] == "C" or done_of(r) == NATIONAL_STEPS
    return done_of(r) >= NATIONAL_STEPS


def statuses_equal(a: Reading, b: Reading) -> bool:
    """Whether nothing changed between two consecutive rows (the rate alone when either has no statuses)."""
    if a.codes and b.codes:
        return a.codes == b.codes and a.own_codes == b.own_codes
    return done_of(a) == done_of(b)


def _ym(d: date) -> str:
    return f"{d.year}年{d.month}月"


def _ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _rate_text(done: int) -> str:
    return f"{done}/40（{done * 100 / NATIONAL_STEPS:.1f}%）"


def _not_done_text(r: Reading) -> str:
    if r.codes:
        step40 = STATUS_LABELS.get(r.codes[-1], "未着手")
        return f"運用を開始していません（作業ステップ40：{step40}、完了率 {_rate_text(done_of(r))}）"
    return f"公表された完了率が100%に達していません（{_rate_text(done_of(r))}）"


_C_BITS = str.maketrans("CPNX", "1000")
_PN_BITS = str.maketrans("CPNX", "0110")


@dataclass
class _State:
    """What the rules carry from month to month for one system."""

    reading: Reading | None = None
    done: int = 0
    finished: bool = False
    run_start: date | None = None  # first month of the current run of unchanged rows
    run_rate_only: bool = False  # some row of that run has only a published rate
    ever_completed: int = 0  # bit (39 − i): step i + 1 has been 完了済み in some row
    dropped: dict[int, date] = field(default_factory=dict)  # step index -> month it went back
    peak: int | None = None
    rate_drop: tuple[date, int] | None = None  # (month the rate fell, the earlier peak)

    def advance(self, r: Reading) -> None:
        prev, codes = self.reading, r.codes
        if codes:
            done = codes.count("C") + codes.count("X")
            changed = prev is None or codes != prev.codes or r.own_codes != prev.own_codes
            if changed and (prev is None or prev.codes or done != self.done):  # a rate row compares by rate
                self.run_start, self.run_rate_only = r.as_of, False
            self._steps(r)
            self.rate_drop = None
            finished = codes[NATIONAL_STEPS - 1] == "C" or done == NATIONAL_STEPS
        else:
            done = r.published_done or 0
            if prev is None or done != self.done:
                self.run_start, self.run_rate_only = r.as_of, True
            else:
                self.run_rate_only = True
            if self.peak is not None and done < self.peak:
                if self.rate_drop is None:
                    self.rate_drop = (r.as_of, self.peak)
            else:
                self.rate_drop = None
            finished = done >= NATIONAL_STEPS
        if self.peak is None or done > self.peak:
            self.peak = done
        self.reading, self.done, self.finished = r, done, finished

    def _steps(self, r: Reading) -> None:
        completed = int(r.codes.translate(_C_BITS), 2)
        ever = self.ever_completed = self.ever_completed | completed
        if ever == completed:  # every step ever completed still is: nothing went back
            if self.dropped:
                self.dropped = {}
            return
        back = ever & int(r.codes.translate(_PN_BITS), 2)
        if not back:
            if self.dropped:
                self.dropped = {}
            return
        now = [i for i in range(NATIONAL_STEPS) if back >> (NATIONAL_STEPS - 1 - i) & 1]
        self.dropped = {i: self.dropped.get(i, r.as_of) for i in now}


def evaluate(
    months: Sequence[date],
    readings: Sequence[Reading],
    designations: Sequence[Designation] = (),
    explained_from: date | None = None,
    *,
    stall_months: int = DEFAULT_STALL_MONTHS,
    deadline: date = FINAL_DEADLINE,
    start: date | None = None,
) -> list[Finding]:
    """The warnings of one system in each of `months` (sorted) from `start` on.

    `readings` and `designations` are sorted by month; `explained_from` is the month of the system's first
    delay explanation (an explanation counts from its month on).
    """
    st = _State()
    ri = di = 0
    designation = Designation(date.min)
    runs: dict[str, date] = {}
    out: list[Finding] = []
    for m in months:
        while ri < len(readings) and readings[ri].as_of <= m:
            st.advance(readings[ri])
            ri += 1
        while di < len(designations) and designations[di].as_of <= m:
            designation = designations[di]
            di += 1
        r = st.reading
        if r is None:
            continue
        if (
            not st.dropped
            and st.rate_drop is None
            and (st.finished or _quiet(m, st, designation, stall_months, deadline))
        ):
            runs = {}  # nothing can apply this month (the common case): skip building the findings
            continue
        found = _month(m, r, st, designation, explained_from, stall_months=stall_months, deadline=deadline)
        kinds = {f[0] for f in found}
        runs = {k: runs.get(k, m) for k in kinds}
        if start is not None and m < start:
            continue
        basis = BASIS_RATE if r.rate_only else BASIS_STEPS
        for kind, since, detail, evidence, own_basis in found:
            out.append(Finding(kind, m, since or runs[kind], own_basis or basis, detail, evidence))
    return out


def _quiet(m: date, st: _State, designation: Designation, stall_months: int, deadline: date) -> bool:
    """An unfinished system that is neither stalled nor late this month."""
    start = st.run_start
    if start is not None and (m.year - start.year) * 12 + m.month - start.month >= stall_months:
        return False
    if designation.special:
        planned = designation.planned_completion
        return planned is None or m <= planned
    return m <= deadline


_Found = tuple[str, date | None, str, dict, str | None]


def _month(
    m: date,
    r: Reading,
    st: _State,
    designation: Designation,
    explained_from: date | None,
    *,
    stall_months: int,
    deadline: date,
) -> list[_Found]:
    found: list[_Found] = []
    finished = st.finished
    done = st.done
    late = False
    if not finished and m > deadline and not designation.special:
        late = True
        found.append(
            (OVERDUE, None, f"国の期限（{_ymd(deadline)}）を過ぎても{_not_done_text(r)}。", {"done": done}, None)
        )
    planned = designation.planned_completion
    if not finished and designation.special and planned is not None and m > planned:
        late = True
        found.append(
            (
                SPECIAL_OVERDUE,
                None,
                f"特定移行支援システムの移行完了予定（{_ymd(planned)}）を過ぎても{_not_done_text(r)}。",
                {"done": done, "planned_completion": planned.isoformat()},
                None,
            )
        )
    if not finished and st.run_start is not None and months_between(st.run_start, m) >= stall_months:
        n = months_between(st.run_start, m)
        what = "公表された完了率" if st.run_rate_only else "作業ステップの状態"
        found.append(
            (
                STALLED,
                st.run_start,
                f"{_ym(st.run_start)}から{n}か月、{what}が変わっていません（完了率 {_rate_text(done)}）。",
                {"done": done, "months": n},
                BASIS_RATE if st.run_rate_only else BASIS_STEPS,
            )
        )
    if r.codes and st.dropped:
        steps = sorted(st.dropped)
        parts = "、".join(
            f"作業ステップ{i + 1}（{STATUS_LABELS[r.codes[i]]}、{_ym(st.dropped[i])}から）" for i in steps
        )
        found.append(
            (
                REGRESSION,
                min(st.dropped.values()),
                f"完了済みだった{parts}が完了済みに戻っていません。",
                {"steps": [i + 1 for i in steps]},
                None,
            )
        )
    elif not r.codes and st.rate_drop is not None:
        since, peak = st.rate_drop
        found.append(
            (
                REGRESSION,
                since,
                f"公表された完了率が{_rate_text(peak)}から{_rate_text(done)}に下がりました（{_ym(since)}）。",
                {"done": done, "peak": peak},
                None,
            )
        )
    if late and (explained_from is None or explained_from > m):
        found.append((UNEXPLAINED, None, "期限を過ぎていますが、遅延の説明がありません。", {"done": done}, None))
    return found
