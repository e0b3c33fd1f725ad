"""A 団体's rollup stored as 14 integers comes back as the same Rollup, and sums over such lists equal those
over Rollups."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.progress import Counts
from shinchoku.domain.rollup import Rollup, rollup_all, summarize
from shinchoku.progress.rollup_parts import (
    COMPLETED,
    NOT_APPLICABLE,
    RATE_ONLY_DONE,
    ROW_FIELDS,
    SPECIAL_SUPPORT,
    SYSTEMS,
    Group,
    rate_of_row,
    rollup_from_list,
    rollup_to_list,
    steps_of,
    sum_rows,
    summarize_rows,
)

counts = st.builds(Counts, *[st.integers(0, 10_000)] * 4)
rollups = st.builds(Rollup, st.integers(0, 500), counts, counts, *[st.integers(0, 500)] * 5)


@given(rollups)
def test_a_rollup_comes_back_from_its_list_equal_field_for_field(r: Rollup) -> None:
    back = rollup_from_list(rollup_to_list(r))
    assert back == r
    assert vars(back) == vars(r) and vars(back.national) == vars(r.national) and vars(back.own) == vars(r.own)
    assert hash(back.national) == hash(r.national)


@given(rollups)
def test_the_named_positions_of_the_list_form_hold_their_fields(r: Rollup) -> None:
    row = rollup_to_list(r)
    assert len(row) == ROW_FIELDS
    assert row[SYSTEMS] == r.systems and row[COMPLETED] == r.national.completed
    assert row[NOT_APPLICABLE] == r.national.not_applicable and row[RATE_ONLY_DONE] == r.rate_only_done
    assert row[SPECIAL_SUPPORT] == r.special_support_systems


def test_the_rebuilt_rollup_is_still_frozen() -> None:
    back = rollup_from_list([3, 40, 20, 50, 10, 0, 0, 0, 0, 2, 1, 1, 0, 0])
    try:
        back.systems = 4  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("a rebuilt Rollup must refuse changes like any other")


@st.composite
def organization_rollups(draw: st.DrawFn) -> Rollup:
    """A 団体's rollup that could be real: its done steps fit in 40 per system."""
    systems = draw(st.integers(0, 30))
    rate_only = draw(st.integers(0, systems))
    steps = 40 * (systems - rate_only)
    completed = draw(st.integers(0, steps))
    not_applicable = draw(st.integers(0, steps - completed))
    in_progress = draw(st.integers(0, steps - completed - not_applicable))
    national = Counts(completed, in_progress, steps - completed - not_applicable - in_progress, not_applicable)
    own = draw(counts)
    rest = draw(st.tuples(*[st.integers(0, systems)] * 3))
    return Rollup(systems, national, own, *rest, rate_only, draw(st.integers(0, 40 * rate_only)))


@given(st.lists(organization_rollups(), max_size=40))
def test_summaries_of_rollup_lists_equal_those_of_rollups(group: list[Rollup]) -> None:
    rows = [rollup_to_list(r) for r in group]
    assert summarize_rows(rows) == summarize(group)
    assert sum_rows(rows) == rollup_to_list(rollup_all(group))
    assert [rate_of_row(t) for t in rows] == [r.completion_rate for r in group]


@given(st.lists(organization_rollups(), max_size=40), st.lists(organization_rollups(), max_size=40))
def test_two_groups_joined_summarize_and_total_as_their_rows_together_do(
    first: list[Rollup], second: list[Rollup]
) -> None:
    def group(rollups: list[Rollup]) -> Group:
        g = Group()
        for r in rollups:
            g.add(rollup_to_list(r), r.completion_rate)
        return g

    a, b = group(first), group(second)
    a.summary()  # a sum worked out before the join is the one the join starts from
    joined = a.joined(b)
    assert joined.summary() == summarize(first + second)
    assert joined.total() == rollup_to_list(rollup_all(first + second))
    assert a.total() == rollup_to_list(rollup_all(first))  # the join left its parts as they were
    assert b.summary() == summarize(second)


# Statuses strings as stored (40 codes), with now and then an empty one (a system known by its rate only), a short
# one, or a code that is none of C, P, N, X.
codes_40 = st.text(alphabet="CPNX", min_size=40, max_size=40)
texts = st.lists(st.one_of(codes_40, codes_40, codes_40, st.just(""), st.text(alphabet="CPNXZ", max_size=40)))


@given(texts)
def test_steps_of_counts_each_step_s_codes_as_a_loop_over_every_code_does(codes: list[str]) -> None:
    index = {"C": 0, "P": 1, "N": 2, "X": 3}
    expected = [[0, 0, 0, 0] for _ in range(40)]
    for text in codes:
        for i, c in enumerate(text):
            expected[i][index.get(c, 2)] += 1
    assert steps_of(iter(codes)) == {"n": len(codes), "counts": expected}
