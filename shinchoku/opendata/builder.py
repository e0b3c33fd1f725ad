"""The builder: one background process per installation that keeps every published month's files built.

`shinchoku serve` starts it beside the web workers (gunicorn_hooks.py); `shinchoku opendata build --watch`
runs it alone. It is the only writer of VAR_DIR/opendata (one at a time, by a lock), builds one file at a
time at low CPU priority, and never runs inside a web request. Order of work: files someone has asked for
(a 503 left a marker), then months with files not built yet, then files whose data changed, newest month
first. A cheap query (revision.gate) tells when to look at the months again; it looks every minute anyway.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import close_old_connections, connection

from shinchoku.progress.models import Month

from . import build, revision, store

log = logging.getLogger("shinchoku.opendata.builder")

POLL_SECONDS = 2.0
RECHECK_SECONDS = 60.0
FAILURE_PAUSE_SECONDS = 30.0  # after a failed build: a persistent error must not keep a core busy
LOCK_RETRY_SECONDS = 10.0
NICENESS = 10


@dataclass(frozen=True)
class Job:
    as_of: date
    names: list[str]
    why: str  # asked, missing, outdated


def published_months() -> list[date]:
    return list(Month.objects.filter(published=True).order_by("-as_of").values_list("as_of", flat=True))


def next_job(inputs: dict[date, dict[str, str]]) -> Job | None:
    """The most urgent work, or None when every published month's files are built and current."""
    by_key = {f"{m:%Y-%m}": m for m in inputs}
    asked: dict[date, list[str]] = {}
    for month, name, _since in store.wanted():
        as_of = by_key.get(month)
        if as_of is None or name not in build.BY_NAME or store.lookup(as_of, name) is not None:
            store.unwant(month, name)  # built meanwhile, or no longer published
            continue
        asked.setdefault(as_of, []).append(name)
    if asked:
        as_of, names = next(iter(asked.items()))  # the month asked for first
        return Job(as_of, names, "asked")
    newest_first = sorted(inputs, reverse=True)
    for as_of in newest_first:
        missing, _ = build.stale(as_of, inputs[as_of])
        if missing:
            return Job(as_of, missing, "missing")
    for as_of in newest_first:
        _, outdated = build.stale(as_of, inputs[as_of])
        if outdated:
            return Job(as_of, outdated, "outdated")
    return None


def run_job(job: Job, inputs: dict[str, str], *, stop: Callable[[], bool]) -> int:
    built = build.build_month(
        job.as_of, job.names, inputs=inputs, stop=stop, say=lambda m: log.info("[opendata] %s", m)
    )
    for e in built:
        store.unwant(f"{job.as_of:%Y-%m}", e.name)
    store.prune(job.as_of)
    return len(built)


class Watcher:
    """The loop of `shinchoku opendata build --watch`; `parent` ends it when that process is gone."""

    def __init__(self, *, parent: int | None = None, poll: float = POLL_SECONDS) -> None:
        self.parent, self.poll = parent, poll
        self.stopping = False
        self.gate: str | None = None
        self.checked = 0.0
        self.inputs: dict[date, dict[str, str]] = {}

    def orphaned(self) -> bool:
        return self.parent is not None and os.getppid() != self.parent

    def _between_files(self, *, yield_to_asks: bool) -> bool:
        """Between files: beat, stop for a signal, and (unless building asked-for files) yield to new asks."""
        store.heartbeat()
        return self.stopping or self.orphaned() or (yield_to_asks and bool(store.wanted()))

    def refresh(self) -> None:
        gate = revision.gate()
        if gate != self.gate or time.monotonic() - self.checked >= RECHECK_SECONDS:
            months = published_months()
            self.inputs = revision.month_inputs(months) if months else {}
            self.gate, self.checked = gate, time.monotonic()
            for as_of in months:  # files replaced more than GRACE_SECONDS ago
                store.prune(as_of)

    def once(self) -> bool:
        """Do the most urgent job; False when there was nothing to do."""
        if not connection.in_atomic_block:  # (inside a test's transaction the connection must stay)
            close_old_connections()
        self.refresh()
        job = next_job(self.inputs)
        if job is None:
            return False
        log.info("[opendata] %s (%s): %s", f"{job.as_of:%Y-%m}", job.why, ", ".join(job.names))
        # asked-for files are not interrupted by more asks: each ask waits for at most one job
        yield_to_asks = job.why != "asked"
        run_job(job, self.inputs[job.as_of], stop=lambda: self._between_files(yield_to_asks=yield_to_asks))
        self.gate = None  # what was built may have changed meanwhile: look again
        return True

    def run(self) -> None:
        os.nice(NICENESS)  # the web workers come first on a shared CPU
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        while not self.stopping and not self.orphaned():
            with store.lock(store.root() / ".builder.lock", wait=False) as mine:
                if mine:
                    self._loop()
                    return
            self._sleep(LOCK_RETRY_SECONDS)  # another server's builder has this folder: take over if it ends

    def _loop(self) -> None:
        while not self.stopping and not self.orphaned():
            store.heartbeat()
            try:
                worked = self.once()
            except Exception:  # a failed build must not end the builder: it is tried again later
                log.exception("[opendata] build failed")
                self._sleep(FAILURE_PAUSE_SECONDS)
                continue
            if not worked:
                self._sleep(self.poll)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, seconds))

    def _on_signal(self, *_: object) -> None:
        self.stopping = True
