"""The collector's pause around bulk builds (shinchoku/ops/collector.py)."""

from __future__ import annotations

import gc

import pytest

from shinchoku.ops.collector import collector_paused


@pytest.fixture
def collector_state():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after(collector_state) -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_the_collector_on_again(collector_state) -> None:
    gc.enable()
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_state) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
