"""Test cases written grouped by what they should give (no tests here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def by_outcome(groups: Iterable[Sequence]) -> list[tuple]:
    """One case a value: each group `(*outcome, values)` gives `(*outcome, value)` for every one of its values."""
    return [(*group[:-1], value) for group in groups for value in group[-1]]


def function_name(value: object) -> str | None:
    """Test ids: a function (or a class) by its name; other values keep pytest's own ids."""
    return getattr(value, "__name__", None)
