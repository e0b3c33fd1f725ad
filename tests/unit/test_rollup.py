"""Rollups are additive (so any grouping agrees) and summaries average over 団体."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.progress import NATIONAL_STEPS, Counts
from shinchoku.domain.rollup import GroupSummary, Rollup, rollup_all, summarize, system_rollup
from tests.unit.deadlines import NATIONAL_DEADLINES

DEADLINES = NATIONAL_DEADLINES
AS_OF = date(2025, 1, 31)  # steps 1–30 are due

# Same 2-system 団体 as in test_progress, counted by hand:
#   A: C 30, P 4, N 2, X 4 — steps 1–30 are C → on schedule; step 40 is X → not in operation
#   B: C 10, P 6, N 20, X 4 — step 11 is P → late; 特定移行支援
SYSTEM_A = "C" * 30 + "P" * 4 + "N" * 2 + "X" * 4
SYSTEM_B = "C" * 10 + "P" * 6 + "N" * 20 + "X" * 4


@st.composite
def systems(draw: st.DrawFn) -> Rollup:
    special = draw(st.booleans())
    return system_rollup(
        codes=draw(st.text(alphabet="CPNX", max_size=NATIONAL_STEPS)),
        own_codes=draw(st.text(alphabet="CPNX", max_size=4)),
        deadlines=DEADLINES,
        as_of=draw(st.dates(min_value=date(2023, 6, 1), max_value=date(2030, 12, 31))),
        special_support=special,
        special_support_completion=draw(st.none() | st.just(date(2028, 3, 31))) if special else None,
    )


def org_a_b() -> Rollup:
    a = system_rollup(codes=SYSTEM_A, own_codes="CC", deadlines=DEADLINES, as_of=AS_OF)
    b = system_rollup(
        codes=SYSTEM_B,
        own_codes="CN",
        deadlines=DEADLINES,
        as_of=AS_OF,
        special_support=True,
        special_support_completion=date(2028, 3, 31),
    )
    return a + b


def test_two_system_organisation_rolls_up_to_the_hand_computed_figures() -> None:
    org = org_a_b()
    assert org.systems == 2
    assert org.national == Counts(completed=40, in_progress=10, not_started=22, not_applicable=8)
    assert org.own == Counts(completed=3, not_started=1)
    assert (org.on_schedule_systems, org.special_support_systems, org.systems_in_operation) == (1, 1, 0)
    assert org.completion_rate == pytest.approx(48 / 80)  # (40 + 8) ÷ (40 × 2) = 0.6
    assert org.progress_rate == pytest.approx(40 / 72)  # 40 ÷ (80 − 8)
    assert org.progress_rate_incl_own == pytest.approx(43 / 76)  # (40 + 3) ÷ (84 − 8)
    assert org.on_schedule_share == pytest.approx(0.5)


def test_system_in_operation_is_counted() -> None:
    done = system_rollup(codes="C" * 40, deadlines=DEADLINES, as_of=AS_OF)
    assert done.systems_in_operation == 1
    assert done.on_schedule_systems == 1
    assert done.completion_rate == 1.0


def test_planned_completion_only_counts_for_special_support_systems() -> None:
    late = "C" * 30 + "P" * 10
    after_deadline = date(2026, 6, 30)
    plain = system_rollup(
        codes=late, deadlines=DEADLINES, as_of=after_deadline, special_support_completion=date(2028, 3, 31)
    )
    special = system_rollup(
        codes=late,
        deadlines=DEADLINES,
        as_of=after_deadline,
        special_support=True,
        special_support_completion=date(2028, 3, 31),
    )
    assert (plain.on_schedule_systems, plain.special_support_systems) == (0, 0)
    assert (special.on_schedule_systems, special.special_support_systems) == (1, 1)


def test_more_than_forty_national_steps_is_an_error() -> None:
    with pytest.raises(ValueError, match="40"):
        system_rollup(codes="C" * 41, deadlines=DEADLINES, as_of=AS_OF)


def test_zero_rollup_is_empty_and_has_no_rates() -> None:
    zero = Rollup.zero()
    assert zero == Rollup() == rollup_all([])
    assert zero.completion_rate is None
    assert zero.progress_rate is None
    assert zero.progress_rate_incl_own is None
    assert zero.on_schedule_share is None


def test_summary_averages_over_organisations_and_skips_those_without_systems() -> None:
    # Three 団体 with 完了率 0.6 (A+B), 1.0 and 0.25; one 団体 with no systems.
    full = system_rollup(codes="C" * 40, deadlines=DEADLINES, as_of=AS_OF)
    quarter = system_rollup(codes="C" * 10, deadlines=DEADLINES, as_of=AS_OF)
    summary = summarize([org_a_b(), full, quarter, Rollup.zero()])
    # mean = (0.6 + 1.0 + 0.25) ÷ 3 = 0.6167; median = 0.6
    # systems 4; on schedule: A, full → 2 of 4; special support: B (1 団体, 1 system)
    # pooled 進捗率: C = 40 + 40 + 10 = 90; total − X = (80 + 40 + 10) − 8 = 122
    assert (summary.organizations, summary.systems, summary.systems_in_operation) == (3, 4, 1)
    assert summary.completion_rate_mean == pytest.approx((0.6 + 1.0 + 0.25) / 3)
    assert summary.completion_rate_median == pytest.approx(0.6)
    assert (summary.on_schedule_systems, summary.on_schedule_share) == (2, 0.5)
    assert (summary.special_support_organizations, summary.special_support_systems) == (1, 1)
    assert summary.progress_rate == pytest.approx(90 / 122)
    assert isinstance(summary, GroupSummary)


def test_summary_of_nothing_has_no_rates() -> None:
    summary = summarize([Rollup.zero()])
    assert summary.organizations == 0
    assert summary.completion_rate_mean is None
    assert summary.completion_rate_median is None
    assert summary.on_schedule_share is None
    assert summary.progress_rate is None


@given(st.lists(systems(), max_size=12), st.data())
def test_rollup_of_rollups_equals_rollup_of_all_systems(cells: list[Rollup], data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=len(cells)), max_size=4)))
    bounds = [0, *cuts, len(cells)]
    groups = [cells[lo:hi] for lo, hi in itertools.pairwise(bounds)]
    assert rollup_all(rollup_all(group) for group in groups) == rollup_all(cells)


@given(st.lists(systems(), max_size=12), st.randoms(use_true_random=False))
def test_rollup_does_not_depend_on_order(cells: list[Rollup], rnd: random.Random) -> None:
    shuffled = list(cells)
    rnd.shuffle(shuffled)
    assert rollup_all(shuffled) == rollup_all(cells)


@given(systems(), systems(), systems())
def test_rollup_addition_is_associative_and_commutative_with_zero(a: Rollup, b: Rollup, c: Rollup) -> None:
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a + Rollup.zero() == a == Rollup.zero() + a


@given(st.lists(systems(), max_size=12))
def test_rollup_rates_are_fractions_between_zero_and_one_or_none(cells: list[Rollup]) -> None:
    total = rollup_all(cells)
    for rate in (
        total.completion_rate,
        total.progress_rate,
        total.progress_rate_incl_own,
        total.on_schedule_share,
    ):
        assert rate is None or 0.0 <= rate <= 1.0


@given(st.lists(st.lists(systems(), max_size=4), max_size=8))
def test_summary_mean_and_median_lie_within_the_organisations_rates(orgs: list[list[Rollup]]) -> None:
    org_rollups = [rollup_all(org) for org in orgs]
    summary = summarize(org_rollups)
    rates = [r.completion_rate for r in org_rollups if r.completion_rate is not None]
    assert summary.organizations == len(rates)
    assert summary.systems == sum(r.systems for r in org_rollups)
    if rates:
        assert summary.completion_rate_mean is not None and summary.completion_rate_median is not None
        assert min(rates) - 1e-12 <= summary.completion_rate_mean <= max(rates) + 1e-12
        assert min(rates) <= summary.completion_rate_median <= max(rates)
    else:
        assert summary.completion_rate_mean is None
