"""The two progress formulas, 石巻市's ①〜⑥ table, and on-schedule status."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shinchoku.domain.progress import (
    FINAL_DEADLINE,
    NATIONAL_STEPS,
    Counts,
    completion_rate,
    is_in_operation,
    is_on_schedule,
    progress_rate,
    rate_table,
    step_deadlines,
)
from tests.unit.deadlines import NATIONAL_DEADLINES

system_codes = st.text(alphabet="CPNX", max_size=NATIONAL_STEPS)
full_codes = st.text(alphabet="CPNX", min_size=NATIONAL_STEPS, max_size=NATIONAL_STEPS)

# A 2-system 団体, counted by hand:
#   system A (national 40): C 30, P 4, N 2, X 4;  own steps: 2, both C
#   system B (national 40): C 10, P 6, N 20, X 4; own steps: 2, one C, one N
SYSTEM_A = "C" * 30 + "P" * 4 + "N" * 2 + "X" * 4
SYSTEM_B = "C" * 10 + "P" * 6 + "N" * 20 + "X" * 4
NATIONAL = Counts(completed=40, in_progress=10, not_started=22, not_applicable=8)
OWN = Counts(completed=3, not_started=1)


def test_counts_are_read_from_a_code_string() -> None:
    assert Counts.from_codes(SYSTEM_A) == Counts(30, 4, 2, 4)
    assert Counts.from_codes(SYSTEM_A) + Counts.from_codes(SYSTEM_B) == NATIONAL


def test_unknown_code_characters_count_as_not_started() -> None:
    assert Counts.from_codes("CP?X ") == Counts(completed=1, in_progress=1, not_started=2, not_applicable=1)


def test_counts_total_and_zero() -> None:
    assert NATIONAL.total == 80
    assert Counts.zero() == Counts() == Counts.from_codes("")
    assert Counts.zero().total == 0
    assert NATIONAL + Counts.zero() == NATIONAL


def test_completion_rate_counts_not_applicable_as_done_over_forty_per_system() -> None:
    # 総務省方式: (C + X) ÷ (40 × systems) = (40 + 8) ÷ 80 = 0.6
    assert completion_rate(NATIONAL, systems=2) == pytest.approx(0.6)
    # One system alone: A = (30 + 4) ÷ 40 = 0.85, B = (10 + 4) ÷ 40 = 0.35.
    assert completion_rate(Counts.from_codes(SYSTEM_A)) == pytest.approx(0.85)
    assert completion_rate(Counts.from_codes(SYSTEM_B)) == pytest.approx(0.35)


def test_completion_rate_treats_unreported_steps_as_not_done() -> None:
    # Only 10 steps reported, all C: still 10 ÷ 40.
    assert completion_rate(Counts(completed=10)) == pytest.approx(0.25)


def test_completion_rate_of_no_systems_is_none() -> None:
    assert completion_rate(Counts.zero(), systems=0) is None


def test_completion_rate_refuses_counts_that_cannot_belong_to_the_systems() -> None:
    with pytest.raises(ValueError, match="超えています"):
        completion_rate(Counts(completed=41), systems=1)
    with pytest.raises(ValueError):
        completion_rate(Counts(), systems=-1)


def test_progress_rate_excludes_not_applicable_from_the_denominator() -> None:
    # 石巻市方式, national only: C ÷ (total − X) = 40 ÷ (80 − 8) = 40 ÷ 72 = 0.5556
    assert progress_rate(NATIONAL) == pytest.approx(40 / 72)
    # Including own steps: (40 + 3) ÷ (84 − 8) = 43 ÷ 76 = 0.5658
    assert progress_rate(NATIONAL + OWN) == pytest.approx(43 / 76)


def test_progress_rate_is_none_when_nothing_is_left_to_do() -> None:
    assert progress_rate(Counts.zero()) is None
    assert progress_rate(Counts(not_applicable=40)) is None


def test_rate_table_reproduces_the_ishinomaki_table_by_hand() -> None:
    # National steps: ① 2  ② 40  ③ 2 × 40 = 80  ④ 40  ⑤ 8  ⑥ 40 ÷ (80 − 8) = 0.5556
    national = rate_table(systems=2, steps=40, counts=NATIONAL)
    assert (national.systems, national.steps, national.total_steps) == (2, 40, 80)
    assert (national.completed, national.not_applicable, national.denominator) == (40, 8, 72)
    assert national.rate == pytest.approx(0.5556, abs=1e-4)
    # Including 2 own steps per system: ① 2  ② 42  ③ 84  ④ 43  ⑤ 8  ⑥ 43 ÷ 76 = 0.5658
    with_own = rate_table(systems=2, steps=42, counts=NATIONAL + OWN)
    assert (with_own.total_steps, with_own.completed, with_own.not_applicable) == (84, 43, 8)
    assert with_own.rate == pytest.approx(0.5658, abs=1e-4)


def test_rate_table_counts_unreported_steps_in_the_denominator() -> None:
    # ③ comes from ① × ②, not from the cells present: 5 ÷ (40 − 0) = 0.125.
    assert rate_table(systems=1, steps=40, counts=Counts(completed=5)).rate == pytest.approx(0.125)


def test_rate_table_rate_is_none_without_steps() -> None:
    assert rate_table(systems=0, steps=40, counts=Counts.zero()).rate is None
    with pytest.raises(ValueError):
        rate_table(systems=-1, steps=40, counts=Counts.zero())


def test_national_deadlines_follow_the_published_order(national_deadlines: list[date]) -> None:
    assert national_deadlines == NATIONAL_DEADLINES


def test_special_support_completion_replaces_only_the_final_deadline(national_deadlines: list[date]) -> None:
    planned = date(2028, 3, 31)
    effective = step_deadlines(national_deadlines, planned)
    assert effective[:30] == national_deadlines[:30]
    assert effective[30:] == [planned] * 10
    assert step_deadlines(national_deadlines, None) == national_deadlines


def test_on_schedule_when_every_due_step_is_done_or_not_applicable(national_deadlines: list[date]) -> None:
    as_of = date(2024, 3, 31)  # steps 1–26 are due
    assert is_on_schedule(codes="C" * 25 + "X" + "N" * 14, deadlines=national_deadlines, as_of=as_of)
    assert not is_on_schedule(codes="C" * 25 + "P" + "N" * 14, deadlines=national_deadlines, as_of=as_of)
    # The day before step 21–26's deadline, a P at step 26 is not late yet.
    day_before = date(2024, 3, 30)
    assert is_on_schedule(codes="C" * 25 + "P" + "N" * 14, deadlines=national_deadlines, as_of=day_before)


def test_missing_steps_count_as_not_started_for_the_schedule(national_deadlines: list[date]) -> None:
    assert not is_on_schedule(codes="C" * 10, deadlines=national_deadlines, as_of=date(2024, 3, 31))
    assert is_on_schedule(codes="", deadlines=national_deadlines, as_of=date(2023, 9, 29))


def test_special_support_system_is_on_schedule_past_the_original_deadline(
    national_deadlines: list[date],
) -> None:
    codes = "C" * 30 + "P" * 10
    as_of = date(2026, 4, 30)
    assert not is_on_schedule(codes=codes, deadlines=national_deadlines, as_of=as_of)
    assert is_on_schedule(
        codes=codes, deadlines=national_deadlines, as_of=as_of, special_support_completion=date(2028, 3, 31)
    )


def test_in_operation_once_step_forty_is_completed() -> None:
    assert is_in_operation("N" * 39 + "C")
    assert not is_in_operation("C" * 39 + "P")
    assert not is_in_operation("C" * 39)


@given(system_codes, st.integers(min_value=1, max_value=5))
def test_rates_are_fractions_between_zero_and_one_or_none(codes: str, systems: int) -> None:
    counts = Counts.from_codes(codes)
    for rate in (completion_rate(counts, systems), progress_rate(counts)):
        assert rate is None or 0.0 <= rate <= 1.0
    table = rate_table(systems=systems, steps=NATIONAL_STEPS, counts=counts)
    assert table.rate is None or 0.0 <= table.rate <= 1.0


@given(system_codes, system_codes)
def test_counting_is_additive(first: str, second: str) -> None:
    assert Counts.from_codes(first + second) == Counts.from_codes(first) + Counts.from_codes(second)


@given(full_codes, st.integers(min_value=0, max_value=NATIONAL_STEPS - 1))
def test_not_applicable_never_lowers_the_completion_rate(codes: str, index: int) -> None:
    assume(codes[index] != "C")
    marked = codes[:index] + "X" + codes[index + 1 :]
    before, after = completion_rate(Counts.from_codes(codes)), completion_rate(Counts.from_codes(marked))
    assert before is not None and after is not None
    assert after >= before


@given(full_codes, st.integers(min_value=0, max_value=NATIONAL_STEPS - 1))
def test_not_applicable_never_lowers_the_progress_rate_of_unfinished_work(codes: str, index: int) -> None:
    assume(codes[index] in "PN")
    marked = codes[:index] + "X" + codes[index + 1 :]
    before, after = progress_rate(Counts.from_codes(codes)), progress_rate(Counts.from_codes(marked))
    assert before is not None
    assert after is None or after >= before


@given(full_codes, st.dates(min_value=date(2023, 1, 1), max_value=date(2031, 12, 31)))
def test_all_done_is_always_on_schedule(codes: str, as_of: date) -> None:
    done = codes.replace("P", "C").replace("N", "X")
    deadlines = [date(2023, 9, 30)] * 8 + [FINAL_DEADLINE] * 32
    assert is_on_schedule(codes=done, deadlines=deadlines, as_of=as_of)
