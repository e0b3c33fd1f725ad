"""Rendered public API responses, kept per worker and keyed by the data version.

Public reads depend only on published data, so a response rendered once can be served again until the data
version (opendata.revision.current: one indexed query per request) changes; then the cache is emptied.
Only 200 responses of operations marked with `public_read` are kept, and never for a request that carries
credentials.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, get_type_hints

from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])

# SHINCHOKU_API_CACHE=0 turns the cache off (the serving benchmark measures both).
ENABLED = os.environ.get("SHINCHOKU_API_CACHE", "1") != "0"
MAX_BYTES = 32 * 1024 * 1024  # per worker; a 団体's progress is about 60 KB
MIN_GZIP_BYTES = 200  # Django's GZipMiddleware leaves smaller bodies alone too
KEPT_HEADERS = ("Content-Type", "X-Total-Count")


def public_read(view: F) -> F:
    """Mark an API operation as a public read whose 200 responses may be cached."""
    # ninja reads the wrapper's annotations in this module's namespace: resolve them in the view's own first
    view.__annotations__ = get_type_hints(view, include_extras=True)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        request.shinchoku_public_read = True
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def etag_for(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


@dataclass
class Entry:
    body: bytes
    headers: dict[str, str]
    etag: str
    gz: bytes | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gz or b"") + 200

    def response(self, *, gzip_ok: bool) -> HttpResponse:
        if gzip_ok and len(self.body) >= MIN_GZIP_BYTES:
            if self.gz is None:
                self.gz = gzip.compress(self.body, compresslevel=6, mtime=0)
            response = HttpResponse(self.gz)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(self.body)
        for name, value in self.headers.items():
            response[name] = value
        response["ETag"] = self.etag
        response["Vary"] = "Accept-Encoding"
        response["Content-Length"] = str(len(response.content))
        return response


class ResponseCache:
    """A thread-safe LRU of rendered responses for one data version."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._version: str | None = None
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, version: str) -> Entry | None:
        with self._lock:
            if version != self._version:
                self._reset(version)
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, version: str, entry: Entry) -> None:
        if entry.size > self.max_bytes // 4:
            return
        with self._lock:
            if version != self._version:
                self._reset(version)
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._reset(None)

    def _reset(self, version: str | None) -> None:
        self._entries.clear()
        self._bytes = 0
        self._version = version

    def __len__(self) -> int:
        return len(self._entries)


responses = ResponseCache()


def entry_from(response: HttpResponse) -> Entry:
    body = bytes(response.content)
    headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
    return Entry(body=body, headers=headers, etag=etag_for(body))
