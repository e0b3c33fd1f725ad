"""A 団体's rollup stored as 14 integers comes back as the same Rollup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.progress import Counts
from shinchoku.domain.rollup import Rollup
from shinchoku.progress.rollup_parts import rollup_from_list, rollup_to_list

counts = st.builds(Counts, *[st.integers(0, 10_000)] * 4)
rollups = st.builds(Rollup, st.integers(0, 500), counts, counts, *[st.integers(0, 500)] * 5)


@given(rollups)
def test_a_rollup_comes_back_from_its_list_equal_field_for_field(r: Rollup) -> None:
    back = rollup_from_list(rollup_to_list(r))
    assert back == r
    assert vars(back) == vars(r) and vars(back.national) == vars(r.national) and vars(back.own) == vars(r.own)
    assert hash(back.national) == hash(r.national)


def test_the_rebuilt_rollup_is_still_frozen() -> None:
    back = rollup_from_list([3, 40, 20, 50, 10, 0, 0, 0, 0, 2, 1, 1, 0, 0])
    try:
        back.systems = 4  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("a rebuilt Rollup must refuse changes like any other")
