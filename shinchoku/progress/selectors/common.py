"""What the progress selectors share: the basis of a figure, rounding, prefecture names, the name index."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from shinchoku.domain.kinds import DISPLAY_ORDER, PREFECTURE
from shinchoku.domain.names import NameIndex
from shinchoku.reference import lookup
from shinchoku.reference.models import Organization

T = TypeVar("T")

__all__ = [
    "BASIS_PUBLISHED_RATE",
    "BASIS_STEPS",
    "KIND_ORDER",
    "basis",
    "kept_for",
    "name_index",
    "prefecture_names",
    "rounded",
]

BASIS_STEPS = "steps"
BASIS_PUBLISHED_RATE = "published_rate"
BASIS_MIXED = "mixed"
# The order 総務省 uses when it lists 団体区分.
KIND_ORDER = DISPLAY_ORDER


def kept_for(seconds: float) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """A decorator for a function of no arguments: its result is kept `seconds`, then built again on the next call
    (for indexes too costly to build on every request; changes show up after that)."""

    def decorate(build: Callable[[], T]) -> Callable[[], T]:
        kept: list[tuple[float, T]] = []  # [(built at, value)] once built

        @wraps(build)
        def get() -> T:
            now = time.monotonic()
            if not kept or now - kept[0][0] > seconds:
                kept[:] = [(now, build())]
            return kept[0][1]

        return get

    return decorate


# Building the name index folds 1,788 names (~0.1 s); a search box should not pay that on every request.
NAME_INDEX_SECONDS = 300


@kept_for(NAME_INDEX_SECONDS)
def name_index() -> NameIndex:
    """The reference data's NameIndex, rebuilt at most every few minutes (renames show up after that)."""
    return lookup.name_index()


def prefecture_names() -> dict[str, str]:
    """{"04": "宮城県", …} from the 47 prefecture rows of the reference data."""
    rows = Organization.objects.filter(kind=PREFECTURE, is_practice=False)
    return dict(sorted(rows.values_list("prefecture_code", "prefecture_name")))


def basis(systems: int, with_steps: int) -> str | None:
    """ "steps", "published_rate" (systems known only by 総務省's published 完了率) or "mixed"; None without systems."""
    if not systems:
        return None
    if with_steps == systems:
        return BASIS_STEPS
    return BASIS_PUBLISHED_RATE if not with_steps else BASIS_MIXED


def rounded(value: object) -> object:
    """Rates with six decimals (the API's and the files' precision); anything else as it is."""
    return round(value, 6) if isinstance(value, float) else value
