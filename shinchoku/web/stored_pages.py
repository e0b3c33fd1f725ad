"""Public pages rendered ahead of their readers, kept in the database for every server process.

When a newspaper links every municipality's page on the same morning, each page is asked for once: a cache
filled by requests never helps, and rendering a 団体's page takes tens of milliseconds. So the pages such a walk
asks for — each 団体's disclosure page and its progress in the API, in the latest published month — are
rendered after publishing, and after each write for the 団体 it changed (`shinchoku pages warm`, which
`shinchoku serve` runs beside its workers), and stored gzip-compressed. A request for one is answered from
the store while the page is current: rendered at the current epoch (versions.py: every write that is not
scoped to named 団体, the months' publication and this build of the code) and its 団体's current counter.
Otherwise the page is rendered as usual.

The pages of wider areas (national, prefectures, businesses, steps …) are stored too, for every published month
(`?as_of=`): readers open past months of these pages, and there are only a few hundred per month. Such a page is
current at the epoch and its month's counter (versions.months_changed), which a write scoped to named 団体 moves
for the months it refreshed and later ones.

Only anonymous GET requests are answered: for a 団体's page, without a query string; for a wider area's, with no
query but `pref=` and `as_of=` in the order the pages link them.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from shinchoku.api.cache import etag_for
from shinchoku.progress.models import Month
from shinchoku.publication.models import DataVersion, MonthVersion, OrganizationVersion, StoredPage
from shinchoku.publication.versions import EPOCH

__all__ = ["PATTERNS", "PLACEHOLDER_HOST", "Stored", "epoch", "key_of", "lookup", "organization_of", "save"]

# Pages are rendered ahead for a host not known yet: their absolute links (citation, og:url) name this one, and
# the request's own scheme and host replace it when the page is served.
PLACEHOLDER_HOST = "stored-page.invalid"
PLACEHOLDER_ORIGIN = f"http://{PLACEHOLDER_HOST}".encode()

# The pages stored: a 団体's disclosure page and its progress in the API (latest month: no query string).
PATTERNS = (
    re.compile(r"/organizations/(?P<code>\d{6})"),
    re.compile(r"/api/v1/organizations/(?P<code>\d{6})/progress"),
)
# The pages of wider areas that are stored for every published month (staticsite/pages.py lists them all; a
# test checks which are stored), and the query strings they are stored with: the month, and for some the
# prefecture, as the pages link them.
AREA_PATHS = re.compile(
    r"/|/prefectures/\d{2}|/businesses(?:/\d{1,2})?|/steps|/special-support|/vendors|/rankings|/changes"
    r"|/warnings|/forecast|/procedures|/costs|/costs/cloud"
)
AREA_QUERY = re.compile(r"(?:pref=\d{2}|pref=\d{2}&as_of=\d{4}-\d{2}|as_of=\d{4}-\d{2})?")
PACKAGE = Path(__file__).resolve().parent.parent


def organization_of(path: str) -> str | None:
    """The 団体 code of a stored kind of page, else None."""
    for pattern in PATTERNS:
        found = pattern.fullmatch(path)
        if found:
            return found["code"]
    return None


def key_of(path: str, query: str) -> str | None:
    """Where a page of this address would be stored, or None when it is never stored: a 団体's page (no query)
    or a page of a wider area (a query of `pref=` and `as_of=` only)."""
    if organization_of(path) is not None:
        return None if query else path
    if not AREA_PATHS.fullmatch(path) or not AREA_QUERY.fullmatch(query):
        return None
    return f"{path}?{query}" if query else path


@functools.cache
def build() -> str:
    """This build of the code: the names and contents of its templates, static files and Python modules, and
    the settings pages are rendered with (the same on every server of one release, whenever it was installed).
    A new release renders every page again."""
    h = hashlib.blake2b(digest_size=8)
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".csv", ".json", ".svg"):
            h.update(f"{path.relative_to(PACKAGE)}:".encode())
            h.update(path.read_bytes())
    h.update(repr((settings.STATIC_URL, settings.SECURE_PROXY_SSL_HEADER)).encode())
    return h.hexdigest()


def _epoch_sql() -> str:
    month = Month._meta.db_table
    return (
        f"(SELECT counter FROM {DataVersion._meta.db_table} WHERE id = {EPOCH}),"
        f" (SELECT COUNT(*) FROM {month} WHERE published), (SELECT MAX(published_at) FROM {month}),"
        f" (SELECT COUNT(*) FROM {month} WHERE sample_data)"
    )


def _epoch_of(parts: tuple) -> str:
    return "|".join([build(), *(str(v) for v in parts)])


def epoch() -> str:
    """What every stored page depends on besides its own 団体 or month: the epoch counter, the months'
    publication and this build (one query). A month published with its first write (SHINCHOKU_AUTO_PUBLISH)
    counts here too."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT {_epoch_sql()}")
        row = cur.fetchone()
    return _epoch_of(row)


@dataclass(frozen=True)
class Stored:
    body: bytes = field(compare=False, repr=False)  # gzip; the ETag names its content
    etag: str
    content_type: str
    has_origin: bool

    def for_origin(self, origin: str, *, compressed: bool) -> bytes:
        """The page for a request to `origin` (scheme and host), gzip-compressed or not. A page with absolute
        links is rewritten once per worker, ETag and origin (the national page takes milliseconds)."""
        if not self.has_origin:
            return self.body if compressed else gzip.decompress(self.body)
        return _rewritten(self, origin, compressed)


@functools.lru_cache(maxsize=256)  # per worker: the pages most recently served (mostly gzip, tens of KB each)
def _rewritten(page: Stored, origin: str, compressed: bool) -> bytes:
    plain = gzip.decompress(page.body).replace(PLACEHOLDER_ORIGIN, origin.encode())
    return gzip.compress(plain, compresslevel=1, mtime=0) if compressed else plain


def lookup(key: str) -> Stored | None:
    """The page stored at `key` (key_of) when it is current, else None (one query, by primary keys). Its counter
    is its 団体's, or for a wider area's page its month's."""
    pages, orgs, months = StoredPage._meta.db_table, OrganizationVersion._meta.db_table, MonthVersion._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT p.body, p.etag, p.content_type, p.has_origin, p.epoch,"
            f" p.counter = COALESCE(v.counter, m.counter, 0), {_epoch_sql()} FROM {pages} p"
            f" LEFT JOIN {orgs} v ON v.code = p.organization_code"
            f" LEFT JOIN {months} m ON m.as_of = p.month"
            f" WHERE p.path = %s",
            [key],
        )
        row = cur.fetchone()
    if row is None:
        return None
    body, etag, content_type, has_origin, rendered_at, counter_current, *now = row
    if not counter_current or rendered_at != _epoch_of(tuple(now)):
        return None
    return Stored(bytes(body), etag, content_type, bool(has_origin))


def save(
    path: str, code: str, *, month: date | None = None, epoch_at: str, counter_at: int, body: bytes, content_type: str
) -> None:
    """Store a page rendered at `epoch_at` and `counter_at` (its 団体's, or its month's for a wider area's page
    of `month`; `code` is then ""), both read before it was rendered."""
    page = StoredPage(
        path=path,
        organization_code=code,
        month=month,
        epoch=epoch_at,
        counter=counter_at,
        content_type=content_type,
        etag=etag_for(body),
        body=gzip.compress(body, compresslevel=6, mtime=0),
        size=len(body),
        has_origin=PLACEHOLDER_ORIGIN in body,
        rendered_at=timezone.now(),
    )
    # one upsert: two warmers (two servers) storing the same page never collide
    StoredPage.objects.bulk_create([page], update_conflicts=True, unique_fields=["path"], update_fields=UPDATED)


UPDATED = [
    "organization_code",
    "month",
    "epoch",
    "counter",
    "content_type",
    "etag",
    "body",
    "size",
    "has_origin",
    "rendered_at",
]
