"""What the fictional sample needs for the early warnings, beyond the calibrated base history.

Applied after generation with a random stream of their own, so the base history (and its calibration at
2025-05 and 2026-01) stays as it was. Nothing here is real data:

- a late tail: a few systems that are not 特定移行支援 stop in 2026-02 and resume months later, so they miss
  the national deadline (overdue, stalled, unexplained);
- regressions: a step that was 完了済み goes back to 作業中 (sometimes 未着手) for one to four months;
- early plans: some 特定移行支援 systems planned for FY2026 are planned for its first half (2026-06 or 2026-09),
  and the ones not finished by then are past their own planned completion.
"""

from __future__ import annotations

import random
from datetime import date

from shinchoku.domain.calendar import month_end

from .records import SystemSample

KEEP = frozenset({"042021"})  # 石巻市: the reference 団体 of the disclosure page and its tests keeps its history
LATE_TAIL_SHARE = 0.008
REGRESSION_SHARE = 0.002
EARLY_PLAN_SHARE = 0.12
PAUSE_FROM = date(2026, 1, 31)  # the last month the late tail moves before pausing (2026-01 stays calibrated)


def _expand(history: list[tuple[date, str, str]], months: list[date]) -> list[tuple[str, str]]:
    states: list[tuple[str, str]] = []
    i = 0
    for m in months:
        while i + 1 < len(history) and history[i + 1][0] <= m:
            i += 1
        states.append((history[i][1], history[i][2]))
    return states


def _compress(states: list[tuple[str, str]], months: list[date], first: date) -> list[tuple[date, str, str]]:
    out: list[tuple[date, str, str]] = []
    for m, (codes, own) in zip(months, states, strict=True):
        if m < first:
            continue
        if not out or (out[-1][1], out[-1][2]) != (codes, own):
            out.append((m, codes, own))
    return out


def _late_tail(s: SystemSample, months: list[date], rng: random.Random) -> None:
    if s.history[-1][1][-1] != "C":
        return
    first = s.history[0][0]
    states = _expand(s.history, months)
    t0 = months.index(PAUSE_FROM)
    pause = rng.randint(3, 9)
    delayed = states[: t0 + 1] + [states[max(t0, t - pause)] for t in range(t0 + 1, len(months))]
    s.history = _compress(delayed, months, first)


def _regression(s: SystemSample, months: list[date], rng: random.Random) -> None:
    first_index = months.index(s.history[0][0])
    if first_index + 6 >= len(months) - 1:
        return
    states = _expand(s.history, months)
    for _ in range(10):
        t = rng.randrange(first_index + 6, len(months) - 1)
        codes = states[t - 1][0]
        done = [i for i in range(19, 39) if codes[i] == "C" and states[t - 2][0][i] == "C"]
        if not done:
            continue
        step = rng.choice(done)
        back = "N" if rng.random() < 0.2 else "P"
        for k in range(t, min(len(months), t + rng.randint(1, 4))):
            c, own = states[k]
            if c[step] != "C":
                break
            states[k] = (c[:step] + back + c[step + 1 :], own)
        s.history = _compress(states, months, s.history[0][0])
        return


def apply(systems: list[SystemSample], months: list[date], seed: int) -> None:
    """Change a small share of the sample's systems in place (deterministic for a seed)."""
    rng = random.Random(f"shinchoku-outlook-{seed}")
    for s in systems:
        if s.org_code in KEEP or not s.history:
            continue
        roll = rng.random()
        if s.special_support:
            planned = s.planned_completion
            if planned == month_end(2027, 3) and roll < EARLY_PLAN_SHARE:
                s.planned_completion = month_end(2026, rng.choice((6, 9)))
        elif roll < LATE_TAIL_SHARE:
            _late_tail(s, months, rng)
        elif roll < LATE_TAIL_SHARE + REGRESSION_SHARE:
            _regression(s, months, rng)
