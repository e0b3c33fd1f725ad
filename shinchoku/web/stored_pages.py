"""Pages of one 団体 rendered ahead of their readers, kept in the database for every server process.

When a newspaper links every municipality's page on the same morning, each page is asked for once: a cache
filled by requests never helps, and rendering a 団体's page takes tens of milliseconds. So the pages such a walk
asks for — each 団体's disclosure page and its progress in the API, in the latest published month — are
rendered after publishing, and after each write for the 団体 it changed (`shinchoku pages warm`, which
`shinchoku serve` runs beside its workers), and stored gzip-compressed. A request for one is answered from
the store while the page is current: rendered at the current epoch (versions.py: every write that is not
scoped to named 団体, the months' publication and this build of the code) and its 団体's current counter.
Otherwise the page is rendered as usual. Only anonymous GET requests without a query string are answered.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from shinchoku.api.cache import etag_for
from shinchoku.progress.models import Month
from shinchoku.publication.models import DataVersion, OrganizationVersion, StoredPage
from shinchoku.publication.versions import EPOCH

__all__ = ["PATTERNS", "PLACEHOLDER_HOST", "Stored", "epoch", "lookup", "organization_of", "save"]

# Pages are rendered ahead for a host not known yet: their absolute links (citation, og:url) name this one, and
# the request's own scheme and host replace it when the page is served.
PLACEHOLDER_HOST = "stored-page.invalid"
PLACEHOLDER_ORIGIN = f"http://{PLACEHOLDER_HOST}".encode()

# The pages stored: a 団体's disclosure page and its progress in the API (latest month: no query string).
PATTERNS = (
    re.compile(r"/organizations/(?P<code>\d{6})"),
    re.compile(r"/api/v1/organizations/(?P<code>\d{6})/progress"),
)
PACKAGE = Path(__file__).resolve().parent.parent


def organization_of(path: str) -> str | None:
    """The 団体 code of a stored kind of page, else None."""
    for pattern in PATTERNS:
        found = pattern.fullmatch(path)
        if found:
            return found["code"]
    return None


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


def epoch() -> str:
    """What every stored page depends on besides its own 団体: the epoch counter, the months' publication and
    this build (one query). A month published with its first write (SHINCHOKU_AUTO_PUBLISH) counts here too."""
    month = Month._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT counter FROM {DataVersion._meta.db_table} WHERE id = %s),"
            f" (SELECT COUNT(*) FROM {month} WHERE published), (SELECT MAX(published_at) FROM {month}),"
            f" (SELECT COUNT(*) FROM {month} WHERE sample_data)",
            [EPOCH],
        )
        row = cur.fetchone()
    return "|".join([build(), *(str(v) for v in row)])


@dataclass(frozen=True)
class Stored:
    body: bytes  # gzip
    etag: str
    content_type: str
    has_origin: bool

    def for_origin(self, origin: str, *, compressed: bool) -> bytes:
        """The page for a request to `origin` (scheme and host), gzip-compressed or not."""
        if self.has_origin:
            plain = gzip.decompress(self.body).replace(PLACEHOLDER_ORIGIN, origin.encode())
            return gzip.compress(plain, compresslevel=1, mtime=0) if compressed else plain
        return self.body if compressed else gzip.decompress(self.body)


def lookup(path: str, code: str) -> Stored | None:
    """The stored page at `path` when it is current, else None (two indexed queries)."""
    current = epoch()
    pages, versions = StoredPage._meta.db_table, OrganizationVersion._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT p.body, p.etag, p.content_type, p.has_origin FROM {pages} p"
            f" LEFT JOIN {versions} v ON v.code = p.organization_code"
            f" WHERE p.path = %s AND p.organization_code = %s AND p.epoch = %s AND p.counter = COALESCE(v.counter, 0)",
            [path, code, current],
        )
        row = cur.fetchone()
    if row is None:
        return None
    body, etag, content_type, has_origin = row
    return Stored(bytes(body), etag, content_type, bool(has_origin))


def save(path: str, code: str, *, epoch_at: str, counter_at: int, body: bytes, content_type: str) -> None:
    """Store a page rendered at `epoch_at` and its 団体's `counter_at`, both read before it was rendered."""
    page = StoredPage(
        path=path,
        organization_code=code,
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


UPDATED = ["organization_code", "epoch", "counter", "content_type", "etag", "body", "size", "has_origin", "rendered_at"]
