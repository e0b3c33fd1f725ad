"""Rendering public pages ahead of their readers (web/stored_pages.py): `shinchoku pages warm [--watch]`.

One pass renders every stored kind of page that is missing or no longer current, and removes the stored pages
no longer wanted: each 団体's page and API progress in the latest published month (about 3,600 in the whole
country), then the pages of wider areas (national, prefectures, businesses, steps …: about 270 per month) of
every published month, newest first (`SHINCHOKU_STORED_MONTHS` limits how many months). After publishing that
is every page; after a staff edit, the two pages of the 団体 it changed and the wider areas' pages of the months
it changed. `--watch` repeats the pass whenever something changed; `shinchoku serve` runs it beside its workers,
at a lower CPU priority.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import override_settings

from shinchoku.progress import selectors
from shinchoku.publication.models import OrganizationVersion, StoredPage
from shinchoku.publication.versions import month_counters
from shinchoku.web import stored_pages

from . import pages as site_pages
from .export import quiet_logs

__all__ = ["State", "Target", "WarmReport", "targets", "warm", "watch"]

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0
SETTLE_SECONDS = 3.0
NICENESS = 10
_NOTHING = object()
# How many published months' pages of wider areas to keep rendered, newest first (unset: every month).
STORED_MONTHS = os.environ.get("SHINCHOKU_STORED_MONTHS")


@dataclass
class WarmReport:
    rendered: int = 0
    current: int = 0
    removed: int = 0
    skipped: int = 0  # not 200 (a 団体 without data in the month)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"事前に描画したページ: 新たに {self.rendered} 件、最新のまま {self.current} 件、"
            f"削除 {self.removed} 件、対象外 {self.skipped} 件（{self.seconds:.1f} 秒）"
        )


@dataclass(frozen=True)
class Target:
    """A page to keep stored: a 団体's (code) or a wider area's page of one month (code "", month)."""

    code: str
    month: date | None = None


def targets(only: Collection[str] | None = None, *, months: int | None = None) -> dict[str, Target]:
    """{path: target} of every page to keep stored: the latest published month's 団体 pages and API (of the
    `only` 団体, when given), then the wider areas' pages of the newest `months` published months (all when
    None), in that order."""
    try:
        latest = selectors.resolve_as_of(None, published_only=True)
    except selectors.NotFound:
        return {}
    scope = site_pages.Scope(as_of=latest, latest=True)
    out: dict[str, Target] = {}
    for values in site_pages.organizations(scope):
        code = values["code"]
        if only is not None and code not in only:
            continue
        out[f"/organizations/{code}"] = Target(code)
        out[f"/api/v1/organizations/{code}/progress"] = Target(code)
    published = sorted((m["as_of"] for m in selectors.published_months()), reverse=True)
    for as_of in published if months is None else published[:months]:
        out.update(area_pages(site_pages.Scope(as_of=as_of, latest=as_of == latest)))
    return out


# The export's monthly pages but those of one 団体 (one per 団体 and month: too many to keep for every month)
# and the open data page (its files are built by a process of their own, after the data).
AREA_PAGES = [
    page
    for page in site_pages.PAGES
    if page.monthly
    and page.params not in (site_pages.organizations, site_pages.municipalities)
    and not page.pattern.startswith("/opendata")
]


def area_pages(scope: site_pages.Scope) -> dict[str, Target]:
    """The month's stored pages of wider areas: each with `?as_of=`, and in the latest month also without."""
    out: dict[str, Target] = {}
    for url, _monthly in site_pages.urls(scope, AREA_PAGES):
        dated = f"{url}{'&' if '?' in url else '?'}as_of={scope.month}"
        for path in [dated, *([url] if scope.latest else [])]:
            base, _, query = path.partition("?")
            if stored_pages.key_of(base, query) == path:
                out[path] = Target("", scope.as_of)
    return out


@dataclass
class State:
    """The pages to keep stored and the stored ones, with the versions a page is current at: what a pass of
    `warm` compares, and what `shinchoku pages status` counts."""

    epoch: str
    counters: dict[str, int]  # each 団体's
    by_month: dict[date, int]  # each month's, for the wider areas' pages
    wanted: dict[str, Target]
    stored: dict[str, tuple[str, int]]  # path: (epoch, counter) it was rendered at

    @classmethod
    def read(cls, only: Collection[str] | None = None, *, months: int | None = None) -> State:
        """`only`: of the 団体 pages, only these 団体', and no wider area's page unless `months` is given;
        `months`: the wider areas' pages of the newest so many months (default: SHINCHOKU_STORED_MONTHS, else
        every month)."""
        if months is None:
            months = 0 if only is not None else int(STORED_MONTHS) if STORED_MONTHS else None
        return cls(
            epoch=stored_pages.epoch(),
            counters=dict(OrganizationVersion.objects.values_list("code", "counter")),
            by_month=month_counters(),
            wanted=targets(only, months=months),
            stored={path: (e, c) for path, e, c in StoredPage.objects.values_list("path", "epoch", "counter")},
        )

    def counter_of(self, target: Target) -> int:
        return self.by_month.get(target.month, 0) if target.month else self.counters.get(target.code, 0)

    def is_current(self, path: str, target: Target) -> bool:
        return self.stored.get(path) == (self.epoch, self.counter_of(target))

    def unwanted(self) -> list[str]:
        return [path for path in self.stored if path not in self.wanted]


def warm(
    *,
    only: Collection[str] | None = None,
    months: int | None = None,
    say: Callable[[str], None] = lambda _line: None,
    stop: Callable[[], bool] = lambda: False,
) -> WarmReport:
    """One pass: render what is missing or stale, remove what is no longer wanted (`only` and `months`: which
    pages are wanted, as State.read says)."""
    started = time.perf_counter()
    report = WarmReport()
    now = State.read(only, months=months)  # read before rendering: a write meanwhile leaves what is rendered stale
    gone = now.unwanted()
    if gone:
        report.removed = StoredPage.objects.filter(path__in=gone).delete()[0]
    # a page that fails is left out (rendered on request, where the error is logged), not the end of the pass
    client = Client(HTTP_HOST=stored_pages.PLACEHOLDER_HOST, raise_request_exception=False)
    hosts = [*settings.ALLOWED_HOSTS, stored_pages.PLACEHOLDER_HOST]
    with quiet_logs(), override_settings(ALLOWED_HOSTS=hosts):
        for path, target in now.wanted.items():
            if now.is_current(path, target):
                report.current += 1
                continue
            if stop():
                break
            response = client.get(path, HTTP_ACCEPT_ENCODING="identity")
            if response.status_code != 200 or response.streaming:
                report.skipped += 1
                continue
            stored_pages.save(
                path,
                target.code,
                month=target.month,
                epoch_at=now.epoch,
                counter_at=now.counter_of(target),
                body=response.content,
                content_type=response["Content-Type"],
            )
            report.rendered += 1
            if report.rendered % 500 == 0:
                say(f"{report.rendered} 件を描画しました…")
    report.seconds = time.perf_counter() - started
    return report


class Settled:
    """When to act on a value that changes (the data version): at once the first time, then once it has stayed
    the same for `seconds`. A burst of writes (staff editing cell after cell) is rendered once, after it, and
    does not compete with them for the CPU and the database; its pages are rendered on request meanwhile."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self.value: object = _NOTHING
        self.since = 0.0
        self.done: object = _NOTHING

    def due(self, value: object) -> bool:
        now = self.clock()
        if value != self.value:
            self.value, self.since = value, now
        if value == self.done:
            return False
        return self.done is _NOTHING or now - self.since >= self.seconds

    def acted(self) -> None:
        """The value seen last was acted on (a write meanwhile is a new value, acted on in turn)."""
        self.done = self.value


def watch(*, parent: int | None = None, poll: float = POLL_SECONDS, settle: float = SETTLE_SECONDS) -> None:
    """A pass whenever the data version moved and then stayed for `settle` seconds, until the parent process
    is gone."""
    from shinchoku.opendata import revision

    os.nice(NICENESS)  # the web workers come first on a shared CPU
    settled = Settled(settle)
    while parent is None or os.getppid() == parent:
        if not connection.in_atomic_block:
            close_old_connections()
        try:
            if settled.due(revision.current()):
                report = warm(stop=lambda: parent is not None and os.getppid() != parent)
                if report.rendered or report.removed:
                    log.info("[pages] %s", report.summary())
                settled.acted()
        except Exception:  # a failed pass must not end the watcher: it is tried again
            log.exception("[pages] warm failed")
        time.sleep(poll)
