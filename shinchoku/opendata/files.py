"""Serving built open data files: the month's index (store.py) names the stored file of each download.

Web workers never build a file (the builder does, builder.py); a file not built yet is answered 503 by the
view, which leaves a marker so the builder builds it first. Text formats are stored gzip-compressed only:
sent as they are to clients that accept gzip, decompressed while sending to the others.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import date
from typing import BinaryIO

from shinchoku.progress import selectors

from . import store

CHUNK = 1024 * 1024


def open_built(as_of: date, name: str) -> tuple[store.Entry, BinaryIO] | None:
    """The current stored file of a download, opened; None when it is not built yet."""
    for _ in range(2):  # replaced between reading the index and opening it: the index names the new one
        entry = store.lookup(as_of, name)
        if entry is None:
            return None
        try:
            return entry, (store.month_dir(as_of) / entry.path).open("rb")
        except FileNotFoundError:
            continue
    return None


def gunzip(fh: BinaryIO) -> Iterator[bytes]:
    with fh, gzip.GzipFile(fileobj=fh, mode="rb") as gz:
        while chunk := gz.read(CHUNK):
            yield chunk


def published_month(text: str) -> date:
    """`latest` or YYYY-MM → the month end of a published month; NotFound otherwise."""
    if text == "latest":
        return selectors.resolve_as_of(None, published_only=True)
    if not (len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()):
        raise selectors.NotFound(f"「{text}」は YYYY-MM（例: 2026-01）または latest で指定してください")
    as_of = selectors.resolve_as_of(text, published_only=True)
    if (as_of.year, as_of.month) != (int(text[:4]), int(text[5:])):
        raise selectors.NotFound(f"{text} の公開データはありません")
    return as_of
