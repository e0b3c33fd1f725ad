"""Answers of small, often repeated reads kept for one data version, per process.

A public page reads the same few rows on every request: the months and whether they hold sample data, the 団体
shown, the 40 steps, the business names. Each read is a query that Django builds in a fraction of a millisecond,
and a 団体's page made some twenty of them. While a request renders a public page for a reader, the middleware
that checks the data version (web.middleware.PublicPageCache: one indexed query, moved by every write) names
that version here, and the functions marked `per_version` answer from what they read at that version. Without a
version (staff pages, commands, tests inside a transaction) they read as usual.

A write commits a new version before anyone can read its data, so an answer kept under a version is never
older than that version. What is kept must not be changed by its callers: the functions marked return
immutable values (tuples, frozen dataclasses) or copies, or model instances that are only read.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

__all__ = ["at_version", "per_version"]

P = ParamSpec("P")
R = TypeVar("R")

MAX_KEPT = 4096  # answers per function and version (one per 団体 at most, for get_organization)
_version: ContextVar[str | None] = ContextVar("shinchoku_data_version", default=None)


@contextmanager
def at_version(version: str | None) -> Iterator[None]:
    """Within this block, marked functions answer from what they read at `version` (None: as usual)."""
    token = _version.set(version)
    try:
        yield
    finally:
        _version.reset(token)


def per_version(fn: Callable[P, R]) -> Callable[P, R]:
    """Keep `fn`'s answers (by its arguments, which must be hashable) for the current data version."""
    kept: dict[Any, Any] = {}
    state: list[str | None] = [None]
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        version = _version.get()
        if version is None:
            return fn(*args, **kwargs)
        key = (args, tuple(sorted(kwargs.items())))
        with lock:
            if state[0] != version:
                kept.clear()
                state[0] = version
            elif key in kept:
                return kept[key]
        value = fn(*args, **kwargs)
        with lock:
            if state[0] == version and len(kept) < MAX_KEPT:
                kept[key] = value
        return value

    return wrapper
