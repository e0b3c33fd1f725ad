"""Data versions: tokens that change whenever public data may have changed.

`current` keys the API's response cache (one indexed query per request): any write, rollup refresh or
(re)publication shows on the next request in every worker. The open data files of a month are versioned
by `month_inputs`/`file_token` instead, which depend on that month's public data only: an edit
of an unpublished or a later month, a delay explanation or a no-op import leaves them as they are.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from shinchoku.imports.models import ImportRecord
from shinchoku.procedures.models import ProcedureMonth, ProcedureStatus
from shinchoku.progress.models import Month, OrganizationRollup, OwnStep, System
from shinchoku.publication.models import DataVersion
from shinchoku.reference.models import Business, NationalStep, Organization, Procedure

# Bump when a table's columns or a file's layout change, so files cached on disk are regenerated.
FORMAT_VERSION = 2


def _tables() -> dict[str, str]:
    return {
        "rollup": OrganizationRollup._meta.db_table,
        "month": Month._meta.db_table,
        "revision": DataVersion._meta.db_table,
    }


_local = threading.local()


def _sqlite_file() -> str | None:
    """The SQLite database file, when the default database is one (not an in-memory test database)."""
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if db["ENGINE"] != "django.db.backends.sqlite3" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return name


def _version_row(sql: str) -> tuple:
    """Run the version query on a per-thread SQLite connection kept open.

    Django opens a new SQLite connection per request (CONN_MAX_AGE 0), about 1 ms with its PRAGMAs, which is
    most of the cost of a cached API response; a kept connection in autocommit mode still sees every commit.
    Inside a transaction (tests) or on PostgreSQL, Django's own connection is used.
    """
    path = _sqlite_file()
    if path is None or connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute(sql)
            return tuple(cur.fetchone())
    con = getattr(_local, "con", None)
    if con is None or getattr(_local, "path", None) != path:
        con = _local.con = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
        _local.path = path
    return tuple(con.execute(sql).fetchone())


def current() -> str:
    """The version of everything public (one indexed query): rollup ids only grow, months are few."""
    t = _tables()
    sql = (
        f"SELECT (SELECT MAX(id) FROM {t['rollup']}),"
        f" (SELECT COUNT(*) FROM {t['month']} WHERE published),"
        f" (SELECT MAX(published_at) FROM {t['month']}),"
        f" (SELECT COUNT(*) FROM {t['month']} WHERE sample_data),"
        f" (SELECT MAX(counter) FROM {t['revision']})"
    )
    return ".".join(str(v) for v in _version_row(sql))


# --- Versions of a month's open data files: only that month's public data goes into them ---

# Which inputs each kind of file is made from (a kind not listed here is made from all of them).
PROGRESS_INPUTS = ("month", "rollups", "organizations", "systems")
PROCEDURES_INPUTS = ("procedures", "organizations", "procedure_list")
KIND_INPUTS = {
    "organizations": ("organizations",),
    "progress": PROGRESS_INPUTS,
    "special-support": PROGRESS_INPUTS,
    "system-summary": PROGRESS_INPUTS,
    "organization-summary": ("month", "rollups", "organizations"),
    "prefecture-summary": ("month", "rollups", "organizations"),
    "procedures": PROCEDURES_INPUTS,
    "procedures-summary": PROCEDURES_INPUTS,
    "procedure-availability": PROCEDURES_INPUTS,
}
ALL_INPUTS = ("month", "rollups", "procedures", "organizations", "systems", "procedure_list")


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def reference_digests() -> dict[str, str]:
    """Digests of the data every month shows as it is now: 団体, systems with their own steps, procedures."""
    public = {"organization__is_practice": False}
    return {
        "organizations": _digest(list(Organization.objects.filter(is_practice=False).order_by("pk").values_list())),
        "systems": _digest(
            list(System.objects.filter(**public).order_by("pk").values_list()),
            list(OwnStep.objects.filter(**public).order_by("pk").values_list()),
            list(NationalStep.objects.order_by("pk").values_list()),
            list(Business.objects.order_by("pk").values_list()),
        ),
        "procedure_list": _digest(list(Procedure.objects.order_by("pk").values_list())),
    }


def _procedure_digests() -> dict[date, str]:
    """Per published procedures month: a digest of every 団体's codes in effect then (carried forward)."""
    published = sorted(
        ProcedureMonth.objects.filter(published=True).values_list("as_of", "published_at", "sample_data")
    )
    rows = ProcedureStatus.objects.order_by("as_of").values_list("as_of", "organization_id", "codes")
    effective: dict[str, str] = {}
    out: dict[date, str] = {}
    it = iter(rows.iterator(chunk_size=5000))
    pending = next(it, None)
    for as_of, published_at, sample in published:
        while pending is not None and pending[0] <= as_of:
            effective[pending[1]] = pending[2]
            pending = next(it, None)
        out[as_of] = _digest(as_of, published_at, sample, sorted(effective.items()))
    return out


def _procedures_for(months: list[date], digests: dict[date, str]) -> dict[date, str]:
    """The procedures tables of a progress month show the latest published procedures month on or before it."""
    ordered = sorted(digests)
    out = {}
    for m in months:
        earlier = [p for p in ordered if p <= m]
        out[m] = digests[earlier[-1]] if earlier else "none"
    return out


def month_inputs(months: list[date] | None = None) -> dict[date, dict[str, str]]:
    """For each progress month (default: the published ones), a token per input of its files.

    rollups: the month's rollup rows are rewritten (new ids) exactly when a write changes what the month
    shows, carried-forward months included (progress.rollups.months_affected_from); an edit of a later or
    an unpublished month rewrites none of an earlier month's rows. Procedures are compared by content.
    """
    rows = Month.objects.order_by("as_of").values_list("as_of", "published", "published_at", "sample_data")
    month_rows = {m: (published, published_at, sample) for m, published, published_at, sample in rows}
    if months is None:
        months = [m for m, (published, _at, _s) in month_rows.items() if published]
    rollup_ids = dict(
        OrganizationRollup.objects.filter(as_of__in=months)
        .values("as_of")
        .annotate(m=Max("id"))
        .values_list("as_of", "m")
    )
    refs = reference_digests()
    procedures = _procedures_for(months, _procedure_digests())
    return {
        m: {
            "month": _digest(m, month_rows.get(m)),
            "rollups": _digest(m, rollup_ids.get(m)),
            "procedures": procedures[m],
            **refs,
        }
        for m in months
    }


def file_token(inputs: dict[str, str], kind: str) -> str:
    """The version of one kind of file of a month, from the month's input tokens."""
    names = KIND_INPUTS.get(kind, ALL_INPUTS)
    return _digest(FORMAT_VERSION, kind, [inputs[n] for n in names])


def for_month(as_of: date) -> str:
    """A short, file-name-safe version of one month's public data (every kind of file)."""
    return file_token(month_inputs([as_of])[as_of], "all")


def gate() -> str:
    """Cheap: changes whenever anything month_inputs reads may have changed (the builder polls it)."""
    procedures = ProcedureStatus.objects.aggregate(n=Count("id"), u=Max("updated_at"))
    procedure_months = ProcedureMonth.objects.filter(published=True).aggregate(n=Count("as_of"), u=Max("published_at"))
    imports = ImportRecord.objects.aggregate(m=Max("id"))
    return _digest(current(), procedures, procedure_months, imports)
