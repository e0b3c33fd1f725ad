"""The page warmer renders after a burst of writes, not during it."""

from __future__ import annotations

from shinchoku.staticsite.warm import Settled


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _after_the_first_pass() -> tuple[Clock, Settled]:
    """A warmer that acted on the first version at once, as it does when the server starts."""
    clock = Clock()
    settled = Settled(3.0, clock)
    assert settled.due("v1")
    settled.acted()
    return clock, settled


def test_the_first_version_is_acted_on_at_once_and_only_once() -> None:
    clock, settled = _after_the_first_pass()
    clock.now += 60
    assert not settled.due("v1")


def test_a_new_version_waits_until_it_has_stayed_for_the_settling_time() -> None:
    clock, settled = _after_the_first_pass()
    clock.now += 1
    assert not settled.due("v2")
    clock.now += 2.9
    assert not settled.due("v2")
    clock.now += 0.2
    assert settled.due("v2")
    settled.acted()
    assert not settled.due("v2")


def test_writes_in_a_burst_keep_postponing_the_pass() -> None:
    clock, settled = _after_the_first_pass()
    for n in range(2, 12):  # a write every second for ten seconds
        clock.now += 1
        assert not settled.due(f"v{n}")
    clock.now += 3
    assert settled.due("v11")


def test_a_write_during_a_pass_is_acted_on_in_turn() -> None:
    clock = Clock()
    settled = Settled(3.0, clock)
    assert settled.due("v1")  # a pass starts with v1; a write (v2) comes while it renders
    clock.now += 5
    settled.acted()  # the pass acted on v1 only
    assert not settled.due("v2")  # the next poll sees v2: new, so it settles first
    clock.now += 3
    assert settled.due("v2")
