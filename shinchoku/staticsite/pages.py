"""The pages of the static export, as one table: a URL pattern and how to list its parameters.

A new public page is one line here: `Page("/rankings")`, or `Page("/compare/{pref}", prefectures)` with an
enumerator that yields the pattern's parameters for the export's scope. `monthly=False` for pages that take
no `?as_of=` (the glossary). A pattern may carry a query (`/steps?pref={pref}`): such a variant is exported as
a page of its own (see paths.py for the file it goes to). Pages that answer anything but 200 (a 団体 without
data in the month, an open data file not built yet) are left out, and links to them go to the live site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from shinchoku.domain.codes import prefecture_org_code
from shinchoku.progress import selectors

__all__ = ["PAGES", "Page", "Scope", "urls"]


@dataclass(frozen=True)
class Scope:
    """What is exported: one published month, all prefectures or some (`--prefectures 04,13`)."""

    as_of: date
    latest: bool  # the newest published month: the export's links need no ?as_of=
    prefectures: frozenset[str] | None = None

    @property
    def month(self) -> str:
        return f"{self.as_of:%Y-%m}"

    @property
    def drop(self) -> dict[str, str]:
        """Query parameters links may carry that the export already fixes: its own month."""
        return {"as_of": self.month}

    def prefecture_codes(self) -> list[str]:
        codes = selectors.prefecture_names()
        return [c for c in codes if self.prefectures is None or c in self.prefectures]


Params = Callable[[Scope], Iterable[dict[str, str]]]


@dataclass(frozen=True)
class Page:
    pattern: str
    params: Params | None = None
    monthly: bool = True

    def urls(self, scope: Scope) -> Iterator[str]:
        if self.params is None:
            yield self.pattern
            return
        for values in self.params(scope):
            yield self.pattern.format(**values)


def prefectures(scope: Scope) -> Iterator[dict[str, str]]:
    for code in scope.prefecture_codes():
        yield {"pref": code}


def organizations(scope: Scope) -> Iterator[dict[str, str]]:
    """Every 団体 with figures in the month: each prefecture's 市区町村 and the prefecture itself."""
    for pref in scope.prefecture_codes():
        yield {"code": prefecture_org_code(pref)}
        yield from municipalities(scope, [pref])


def municipalities(scope: Scope, prefs: list[str] | None = None) -> Iterator[dict[str, str]]:
    """The 市区町村 with figures in the month (the 26 procedures are theirs, not the prefectures')."""
    for pref in scope.prefecture_codes() if prefs is None else prefs:
        for row in selectors.organizations_in(pref=pref, as_of=scope.as_of):
            yield {"code": row.code}


def businesses(scope: Scope) -> Iterator[dict[str, str]]:
    for b in selectors.business_list():
        yield {"number": str(b["number"])}


def opendata_files(scope: Scope) -> Iterator[dict[str, str]]:
    """The month's open data files that are built (`shinchoku opendata build`), also under /latest/ when the
    month is the newest."""
    from shinchoku.opendata import catalogue, store

    names = {f"{kind}.{catalogue.extension(kind, fmt)}" for kind, fmt in catalogue.WEB_FILES}
    built = sorted(name for name in store.entries(scope.as_of) if name in names)
    for month in [scope.month, *(["latest"] if scope.latest else [])]:
        for name in built:
            yield {"month": month, "filename": name}


PAGES: list[Page] = [
    Page("/"),
    Page("/prefectures/{pref}", prefectures),
    Page("/organizations/{code}", organizations),
    Page("/businesses"),
    Page("/businesses/{number}", businesses),
    Page("/steps"),
    Page("/steps?pref={pref}", prefectures),
    Page("/special-support"),
    Page("/special-support?pref={pref}", prefectures),
    Page("/vendors"),
    Page("/rankings"),
    Page("/changes"),
    Page("/warnings"),
    Page("/warnings?pref={pref}", prefectures),
    Page("/forecast"),
    Page("/forecast?pref={pref}", prefectures),
    Page("/procedures"),
    Page("/procedures/{code}", municipalities),
    Page("/costs"),
    Page("/costs/cloud"),
    Page("/glossary", monthly=False),
    Page("/accessibility", monthly=False),
    Page("/opendata/"),
    Page("/opendata/catalogue.json", monthly=False),
    Page("/opendata/{month}/{filename}", opendata_files, monthly=False),
]


def urls(scope: Scope, pages: list[Page] = PAGES) -> Iterator[tuple[str, bool]]:
    """(url, monthly) of every page of the export, each once."""
    seen: set[str] = set()
    for page in pages:
        for url in page.urls(scope):
            if url not in seen:
                seen.add(url)
                yield url, page.monthly
