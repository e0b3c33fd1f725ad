"""Atom feeds (Django's syndication framework): one entry per published month with what changed.

/feeds/national.atom, /feeds/prefectures/{pref}.atom and /feeds/organizations/{code}.atom. Each entry links to
the page of that month (?as_of=YYYY-MM) and says 出典 or 「架空のサンプルデータ」 as the month holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed

from shinchoku.domain.changes import Change
from shinchoku.progress import selectors
from shinchoku.progress.provenance import month_source
from shinchoku.web.changes import area_changes, organization_changes
from shinchoku.web.templatetags.shinchoku_tags import num, pct, points, signed
from shinchoku.web.views.lookups import organization_or_404, prefecture_name_or_404

JST = ZoneInfo("Asia/Tokyo")
SAMPLE_LABEL = "架空のサンプルデータ"

__all__ = ["NationalFeed", "OrganizationFeed", "PrefectureFeed"]


@dataclass(frozen=True)
class Entry:
    key: str
    as_of: date
    path: str
    title: str
    text: str


@dataclass(frozen=True)
class Subject:
    key: str  # "national", "pref:04", "org:042021"
    name: str
    path: str


def _describe(change: Change) -> str:
    f = change.field
    if f.percent:
        now, prev, year = pct(change.now), points(change.since_previous), points(change.since_year_ago)
    else:
        now, prev, year = num(change.now), signed(change.since_previous), signed(change.since_year_ago)
    return f"{f.label}：{now}（前の月から {prev}、12か月前から {year}）"


def _provenance(as_of: date) -> str:
    if selectors.is_sample(as_of):
        return f"これは{SAMPLE_LABEL}です。"
    return month_source(as_of) or ""


def _entries(subject: Subject, series: list, changes_of) -> list[Entry]:
    months = [m for m, *_ in series]
    out = []
    for m in reversed(months):
        change = changes_of([row for row in series if row[0] <= m], m)
        lines = [_describe(c) for c in change["rows"] if c.now is not None]
        prev = change["previous"]
        head = f"{subject.name}の{m.year}年{m.month}月末の状況" + (
            f"（前の月は{prev.year}年{prev.month}月末）。" if prev else "（最初に公表された月）。"
        )
        out.append(
            Entry(
                key=subject.key.replace(":", "-"),
                as_of=m,
                path=f"{subject.path}?as_of={m:%Y-%m}",
                title=f"{subject.name}：{m.year}年{m.month}月末の進捗",
                text=head + "\n" + "\n".join(lines) + "\n" + _provenance(m),
            )
        )
    return out


class _ProgressFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def subject(self, request: HttpRequest, *args: str) -> Subject:
        raise NotImplementedError

    def series(self, subject: Subject) -> tuple[list, object]:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Subject:
        return self.subject(request, *kwargs.values())

    def title(self, obj: Subject) -> str:
        return f"{obj.name}の進捗（自治体DX 進捗ダッシュボード）"

    def link(self, obj: Subject) -> str:
        return obj.path

    def subtitle(self, obj: Subject) -> str:
        return (
            f"{obj.name}の基幹業務システム標準化の進捗。公表された月ごとに1件、前の月・12か月前からの変化を載せます。"
        )

    def items(self, obj: Subject) -> list[Entry]:
        series, changes_of = self.series(obj)
        return _entries(obj, series, changes_of)

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.text

    def item_link(self, item: Entry) -> str:
        return item.path

    def item_guid(self, item: Entry) -> str:
        # A stable id that does not depend on the host the site is served from.
        return f"urn:shinchoku:{item.key}:{item.as_of:%Y-%m}"

    def item_updateddate(self, item: Entry) -> datetime:
        return datetime.combine(item.as_of, time(), JST)

    def item_pubdate(self, item: Entry) -> datetime:
        return self.item_updateddate(item)


def _published() -> list[date]:
    return selectors.months()


class NationalFeed(_ProgressFeed):
    def subject(self, request: HttpRequest, *args: str) -> Subject:
        return Subject("nation", "全国", "/")

    def series(self, subject: Subject) -> tuple[list, object]:
        return selectors.series(scope="nation", months=_published()), area_changes


class PrefectureFeed(_ProgressFeed):
    def subject(self, request: HttpRequest, *args: str) -> Subject:
        pref = args[0] if args else ""
        return Subject(f"pref:{pref}", prefecture_name_or_404(pref), f"/prefectures/{pref}")

    def series(self, subject: Subject) -> tuple[list, object]:
        return selectors.series(scope=subject.key, months=_published()), area_changes


class OrganizationFeed(_ProgressFeed):
    def subject(self, request: HttpRequest, *args: str) -> Subject:
        org = organization_or_404(args[0] if args else "")
        return Subject(f"org:{org.code}", org.display_name, f"/organizations/{org.code}")

    def series(self, subject: Subject) -> tuple[list, object]:
        months = _published()
        if not months:
            return [], organization_changes
        code = subject.key.removeprefix("org:")
        return selectors.organization_trend(code=code, until=months[-1]), organization_changes
