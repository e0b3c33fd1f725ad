"""Built open data files on disk: VAR_DIR/opendata/<YYYY-MM>/, one index.json per month.

A file is written under a temporary name and renamed into place under a name of its own content
(`<sha>-progress.csv.gz`), then the month's index is replaced atomically to point at it: a reader sees the
old file or the new one, never a partial one. A replaced file stays on disk for GRACE_SECONDS (a download
that has read the index keeps working) before the builder removes it. Only the builder writes here; web
workers read the index, and leave a marker when they are asked for a file that is not built yet.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows; one builder process then suffices
    fcntl = None  # type: ignore[assignment]

GRACE_SECONDS = 600
HEARTBEAT_SECONDS = 30  # the builder touches its heartbeat at least this often while it runs
INDEX = "index.json"


@dataclass(frozen=True)
class Entry:
    name: str  # the file as asked for: progress.csv
    path: str  # the stored file, in the month's folder: 3fa9…-progress.csv.gz
    gz: bool  # stored gzip-compressed (csv, json, sqlite)
    size: int  # bytes of the file itself (uncompressed)
    sha: str  # of the stored bytes: the file's version (ETag)
    token: str  # revision.file_token of the data it was built from
    built_at: float


def root() -> Path:
    return Path(settings.VAR_DIR) / "opendata"


def month_dir(as_of: date) -> Path:
    return root() / f"{as_of:%Y-%m}"


@contextlib.contextmanager
def lock(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on `path`; with wait=False, yield False at once when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        if fcntl is not None:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
        try:
            yield True
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


def month_lock(as_of: date) -> contextlib.AbstractContextManager[bool]:
    return lock(month_dir(as_of) / ".lock")


_cache: dict[Path, tuple[tuple[int, int], dict]] = {}


def _read(as_of: date) -> dict:
    path = month_dir(as_of) / INDEX
    try:
        st = path.stat()
    except FileNotFoundError:
        return {"files": {}, "retired": []}
    key = (st.st_mtime_ns, st.st_size)
    hit = _cache.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    doc = json.loads(path.read_text(encoding="utf-8"))
    _cache[path] = (key, doc)
    return doc


def entries(as_of: date) -> dict[str, Entry]:
    return {name: Entry(**e) for name, e in _read(as_of)["files"].items()}


def lookup(as_of: date, name: str) -> Entry | None:
    e = _read(as_of)["files"].get(name)
    return Entry(**e) if e else None


def _write(as_of: date, doc: dict) -> None:
    path = month_dir(as_of) / INDEX
    tmp = path.with_name(f".{INDEX}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def install(as_of: date, built: Path, entry: Entry) -> Entry:
    """Put a built file in place (the caller holds the month's lock); the same content keeps its file."""
    doc = _read(as_of)
    doc = {"files": dict(doc["files"]), "retired": list(doc["retired"])}
    old = doc["files"].get(entry.name)
    if old is not None and old["sha"] == entry.sha and (month_dir(as_of) / old["path"]).exists():
        built.unlink(missing_ok=True)
        entry = Entry(**{**old, "token": entry.token, "built_at": entry.built_at})
    else:
        os.replace(built, month_dir(as_of) / entry.path)
        if old is not None and old["path"] != entry.path:
            doc["retired"].append({"path": old["path"], "since": time.time()})
    doc["files"][entry.name] = asdict(entry)
    _write(as_of, doc)
    return entry


def prune(as_of: date, *, grace: float = GRACE_SECONDS) -> int:
    """Remove files replaced more than `grace` seconds ago, and leftovers of interrupted builds."""
    folder = month_dir(as_of)
    if not folder.is_dir():
        return 0
    now, removed = time.time(), 0
    with month_lock(as_of):
        doc = _read(as_of)
        keep = []
        for r in doc["retired"]:
            if now - r["since"] >= grace:
                (folder / r["path"]).unlink(missing_ok=True)
                removed += 1
            else:
                keep.append(r)
        if len(keep) != len(doc["retired"]):
            _write(as_of, {"files": doc["files"], "retired": keep})
        for tmp in folder.glob(".*.tmp*"):
            if now - tmp.stat().st_mtime >= grace:
                tmp.unlink(missing_ok=True)
    return removed


# --- requests for files not built yet, and whether a builder is running ---


def _wanted_dir() -> Path:
    return root() / ".wanted"


def want(as_of: date, name: str) -> None:
    """Mark a file as asked for: the builder builds asked-for files first."""
    folder = _wanted_dir()
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"{as_of:%Y-%m}_{name}"
    if not marker.exists():
        marker.touch()


def wanted() -> list[tuple[str, str, float]]:
    """(YYYY-MM, file name, when first asked) of every marked file, the oldest first."""
    folder = _wanted_dir()
    if not folder.is_dir():
        return []
    out = []
    for marker in folder.iterdir():
        month, _, name = marker.name.partition("_")
        with contextlib.suppress(FileNotFoundError):
            out.append((month, name, marker.stat().st_mtime))
    return sorted(out, key=lambda w: w[2])


def unwant(month: str, name: str) -> None:
    (_wanted_dir() / f"{month}_{name}").unlink(missing_ok=True)


def heartbeat() -> None:
    path = root() / ".builder"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(os.getpid()), encoding="utf-8")


def builder_alive() -> bool:
    try:
        return time.time() - (root() / ".builder").stat().st_mtime < 2 * HEARTBEAT_SECONDS
    except FileNotFoundError:
        return False
