"""Work both pytest-xdist workers of a session need, done once: the first worker to take the lock builds and
leaves a copy in the session's shared temporary folder; the other restores the copy (no tests here).

`make test` runs each session on two workers, which built the same fictional sample each (integration tests:
reference data and the sample in the test database; e2e: `shinchoku demo` for the worker's server).
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["backup", "forget", "once"]


@contextmanager
def _locked(shared: Path, name: str) -> Iterator[Path]:
    """The copy's path, while this process alone holds its lock (the other workers wait)."""
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield shared / name


def once(shared: Path, name: str, build: Callable[[Path], object], restore: Callable[[Path], object]) -> None:
    """`build(path)` leaves the copy at `path` (the first worker); `restore(path)` reads it (the other)."""
    with _locked(shared, name) as copy:
        if copy.exists():
            restore(copy)
            return
        partial = copy.with_name(f"{name}.partial")
        build(partial)
        partial.rename(copy)  # whole or absent: a worker that failed halfway leaves no copy behind


def forget(shared: Path, name: str, remove: Callable[[Path], object]) -> None:
    """`remove(path)` and the copy's path gone, under the lock: a worker that comes later builds for itself."""
    with _locked(shared, name) as copy:
        if copy.exists():
            remove(copy)
            copy.unlink()


def backup(source: sqlite3.Connection | Path, target: sqlite3.Connection | Path) -> None:
    """A whole SQLite database copied with SQLite's backup API; a file given as a Path is opened and closed
    here, a connection is left open."""
    src = sqlite3.connect(source) if isinstance(source, Path) else source
    dst = sqlite3.connect(target) if isinstance(target, Path) else target
    try:
        src.backup(dst)
    finally:
        for conn, given in ((src, source), (dst, target)):
            if isinstance(given, Path):
                conn.close()
