"""The stored parts of a month's sums (MonthSumsPart): written whole, read whole, and the large ones kept
decoded by the process that read them.

A staff edit reads the parts it changes and the vendors part (the vendors' mean 完了率 moves with every 団体's
rate); that part lists every 団体 of every vendor (about 100 KB of JSON in the national sample) and decoding it
was a tenth of an edit. Each row carries a hash of its text, so a decoded copy is used only for exactly the
same text, whichever process or server wrote it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.db import connection

from .fields import json_text
from .models import MonthSumsPart

TABLE = MonthSumsPart._meta.db_table
KEPT = ("vendors",)  # the parts worth keeping decoded: large, and read by every edit
MAX_KEPT = 8  # a few months' worth

_kept: OrderedDict[str, Any] = OrderedDict()
_lock = threading.Lock()


def digest_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def insert(as_of: date, rows: Mapping[str, Any]) -> None:
    """Insert parts of a month (the caller deleted the old rows)."""
    values = []
    for part, data in sorted(rows.items()):
        text = json_text(data)
        values.append((as_of, part, text, digest_of(text)))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {TABLE} (as_of, part, data, digest) VALUES (%s, %s, %s, %s)", values)


def _copy(part: str, data: Any) -> Any:
    """A copy the caller may change as rollup_parts.add_parts does (it replaces entries, never edits them)."""
    if part == "vendors":
        return {vendor: dict(orgs) for vendor, orgs in data.items()}
    return data


def read(as_of: date, digests: Mapping[str, str], wanted: Collection[str]) -> dict[str, Any]:
    """The wanted parts that are stored, given every stored part's digest (read under the month's lock)."""
    names = sorted(p for p in wanted if p in digests)
    out: dict[str, Any] = {}
    with _lock:
        for part in names:
            digest = digests[part]
            if part in KEPT and digest and digest in _kept:
                _kept.move_to_end(digest)
                out[part] = _copy(part, _kept[digest])
    missing = [p for p in names if p not in out]
    if missing:
        marks = ", ".join(["%s"] * len(missing))
        with connection.cursor() as cur:
            cur.execute(f"SELECT part, data FROM {TABLE} WHERE as_of = %s AND part IN ({marks})", [as_of, *missing])
            rows = cur.fetchall()
        for part, text in rows:
            data = json.loads(text)
            digest = digests[part]
            if part in KEPT and digest == digest_of(text):
                with _lock:
                    _kept[digest] = data
                    while len(_kept) > MAX_KEPT:
                        _kept.popitem(last=False)
                data = _copy(part, data)
            out[part] = data
    return out


def forget() -> None:
    """Drop every kept part (tests; a process never needs to: a kept part is only used for its own text)."""
    with _lock:
        _kept.clear()
