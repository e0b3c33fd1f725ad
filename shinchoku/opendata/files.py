"""Open data files generated on demand and kept on disk under VAR_DIR/opendata/<YYYY-MM>/<version>/.

The version (revision.for_month) changes when that month's data is refreshed or republished, so the next
request writes new files and removes the old ones. One lock per month keeps workers from writing the same
file twice; text formats also get a .gz beside them, served as is to clients that accept gzip.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from shinchoku.progress import selectors

from . import catalogue, revision

GZIP_FORMATS = frozenset({"csv", "json", "sqlite"})
# A national month in every format is about 1 GB; the files of the least recently used months are removed.
MONTHS_ON_DISK = 6

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows; one process then suffices
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class File:
    path: Path
    gz: Path | None
    filename: str  # the name a download is saved under: progress_2026-01.csv
    content_type: str
    version: str


def root() -> Path:
    return Path(settings.VAR_DIR) / "opendata"


@contextlib.contextmanager
def _month_lock(month_dir: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold the month's lock; with wait=False, yield False at once when another process holds it."""
    month_dir.mkdir(parents=True, exist_ok=True)
    with (month_dir / ".lock").open("a") as fh:
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


def ensure(kind: str, fmt: str, as_of: date) -> File:
    """The file of (kind, fmt) for a published month, written first if this data version has none."""
    catalogue.check(kind, fmt)
    version = revision.for_month(as_of)
    ext = catalogue.extension(kind, fmt)
    month_dir = root() / f"{as_of:%Y-%m}"
    target = month_dir / version / f"{kind}.{ext}"
    gz = target.with_name(target.name + ".gz") if fmt in GZIP_FORMATS else None
    if not target.exists():
        with _month_lock(month_dir):
            if not target.exists():
                _generate(kind, fmt, as_of, target, gz)
                _prune(month_dir, keep=version)
        _prune_months(keep=month_dir)
    (month_dir / ".lock").touch()  # the month's last use, for _prune_months
    return File(
        path=target,
        gz=gz if gz is not None and gz.exists() else None,
        filename=f"{catalogue.file_stem(kind, as_of)}.{ext}",
        content_type=catalogue.CONTENT_TYPES[ext],
        version=version,
    )


def _generate(kind: str, fmt: str, as_of: date, target: Path, gz: Path | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        catalogue.write_file(kind, fmt, as_of=as_of, sample=selectors.is_sample(as_of), path=tmp)
        if gz is not None:
            tmp_gz = tmp.with_name(tmp.name + ".gz")
            with tmp.open("rb") as src, gzip.open(tmp_gz, "wb", compresslevel=6) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
            os.replace(tmp_gz, gz)
        os.replace(tmp, target)  # last: the target's presence means the .gz is there too
    finally:
        tmp.unlink(missing_ok=True)


def _prune(month_dir: Path, *, keep: str) -> None:
    """Remove files of older data versions (a download in progress keeps its open file)."""
    for child in month_dir.iterdir():
        if child.is_dir() and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def _prune_months(*, keep: Path) -> None:
    """Remove the files of months beyond the MONTHS_ON_DISK most recently used (never one being written)."""
    months = sorted(
        (d for d in root().iterdir() if d.is_dir() and d != keep and (d / ".lock").exists()),
        key=lambda d: (d / ".lock").stat().st_mtime,
        reverse=True,
    )
    for old in months[MONTHS_ON_DISK - 1 :]:
        with _month_lock(old, wait=False) as locked:
            if locked:
                for child in old.iterdir():
                    if child.is_dir():
                        shutil.rmtree(child, ignore_errors=True)


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
