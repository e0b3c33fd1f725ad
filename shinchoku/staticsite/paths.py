"""Where a page of the site lives in the exported folder, and the relative link from one file to another.

Pure functions (no Django). The scheme:
- `/` → `index.html`; `/prefectures/04` → `prefectures/04/index.html`; `/opendata/` → `opendata/index.html`;
- a query becomes one more folder of sorted `key=value` pairs joined by `,`:
  `/steps?pref=04` → `steps/pref=04/index.html`;
- a path whose last part has a file extension is a file of its own: `/opendata/2025-05/progress.csv`.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = ["file_for", "normalize", "relative_href", "split_fragment"]

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def normalize(url: str, *, drop: dict[str, str] | None = None) -> str:
    """A page's key: its path and sorted query, without the parameters given in `drop` (name → value)."""
    parts = urlsplit(url)
    drop = drop or {}
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if drop.get(k) != v)
    return parts.path + (f"?{urlencode(query)}" if query else "")


def split_fragment(url: str) -> tuple[str, str]:
    """('/x?a=1', '#top') from '/x?a=1#top'."""
    base, hash_, fragment = url.partition("#")
    return base, hash_ + fragment


def file_for(key: str) -> str:
    """The file, relative to the export's root, that holds the page or file with this normalized key."""
    parts = urlsplit(key)
    path = parts.path.strip("/")
    query = parse_qsl(parts.query, keep_blank_values=True)
    if query:
        folder = ",".join(f"{k}={v}" for k, v in sorted(query))
        return posixpath.join(*([path] if path else []), _safe(folder), "index.html")
    if path and _EXTENSION.search(path) and not parts.path.endswith("/"):
        return path
    return posixpath.join(path, "index.html") if path else "index.html"


def _safe(segment: str) -> str:
    """A query folder's name without characters a file system or a static host would trip on."""
    return re.sub(r"[^0-9A-Za-z=,._-]", "_", segment)


def relative_href(target_file: str, from_file: str) -> str:
    """The link written in `from_file` that reaches `target_file` (both relative to the export's root)."""
    start = posixpath.dirname(from_file) or "."
    return posixpath.relpath(target_file, start)
