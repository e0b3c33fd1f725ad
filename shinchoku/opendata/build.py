"""Build the open data files of a published month into the store (the builder process and the CLI).

Each table of the month is read from the database once per build and kept in memory while files still
need it (the national progress table feeds CSV, JSON, Parquet and the SQLite bundle). The cyclic garbage
collector is paused during a build: the 1.4 million row tuples hold no cycles, and rescanning them made
writing two to three times slower.
"""

from __future__ import annotations

import dataclasses
import gc
import gzip
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from shinchoku.ops.collector import collector_paused
from shinchoku.progress import selectors

from . import catalogue, revision, store
from .tables import Table

GZIP_FORMATS = frozenset({"csv", "json", "sqlite"})
GZIP_LEVEL = 6


class FileKind(NamedTuple):
    """A file of a month: its KIND and format, its file name and the keys of the tables it is written from."""

    kind: str
    fmt: str
    name: str
    tables: tuple[str, ...]

    @classmethod
    def of(cls, kind: str, fmt: str) -> FileKind:
        return cls(kind, fmt, catalogue.file_name(kind, fmt), tuple(catalogue.table_keys(kind, fmt)))


def _order(f: FileKind) -> tuple[int, str, str]:
    # small tables first (a month's most-used files are ready soonest), the progress tables and the bundle last
    heavy = {"progress": 1, catalogue.ALL: 2}.get(f.kind, 0)
    return (heavy + (2 if f.kind == "progress" and f.fmt == "xlsx" else 0), f.kind, f.fmt)


FILES: list[FileKind] = sorted((FileKind.of(k, f) for k, f in catalogue.WEB_FILES), key=_order)
BY_NAME = {f.name: f for f in FILES}


class MonthTables:
    """The tables of one month, each read once and released when no file still to build needs it."""

    def __init__(self, as_of: date, sample: bool) -> None:
        self.as_of, self.sample = as_of, sample
        self.cache: dict[str, Table] = {}

    def get(self, key: str) -> Table:
        if key not in self.cache:
            table = catalogue.build_table(key, self.as_of, self.sample)
            self.cache[key] = dataclasses.replace(table, rows=list(table.rows))
        return self.cache[key]

    def keep_only(self, keys: set[str]) -> None:
        for key in set(self.cache) - keys:
            del self.cache[key]


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def _write(f: FileKind, tables: MonthTables, folder: Path) -> tuple[Path, int]:
    """Write one file under a temporary name; returns (stored file, uncompressed size)."""
    raw = folder / f".{f.name}.{os.getpid()}.tmp"
    catalogue.write_tables(
        f.kind,
        f.fmt,
        [tables.get(k) for k in f.tables],
        as_of=tables.as_of,
        sample=tables.sample,
        path=raw,
    )
    size = raw.stat().st_size
    if f.fmt not in GZIP_FORMATS:
        return raw, size
    packed = raw.with_name(raw.name + ".gz")
    # no name and no time in the gzip header: the same data gives the same bytes, hence the same version
    with raw.open("rb") as src, packed.open("wb") as out, gzip.GzipFile("", "wb", GZIP_LEVEL, out, mtime=0) as gz:
        shutil.copyfileobj(src, gz, 1024 * 1024)
    raw.unlink()
    return packed, size


def build_month(
    as_of: date,
    names: Sequence[str] | None = None,
    *,
    inputs: dict[str, str] | None = None,
    stop: Callable[[], bool] = lambda: False,
    say: Callable[[str], None] = lambda _msg: None,
) -> list[store.Entry]:
    """Build files of a published month (default: all) and install them; `stop` is asked between files."""
    todo = [BY_NAME[n] for n in names] if names is not None else list(FILES)
    todo.sort(key=_order)
    inputs = inputs if inputs is not None else revision.month_inputs([as_of])[as_of]
    tables = MonthTables(as_of, selectors.is_sample(as_of))
    folder = store.month_dir(as_of)
    folder.mkdir(parents=True, exist_ok=True)
    built = []
    with collector_paused():
        try:
            for i, f in enumerate(todo):
                started = time.perf_counter()
                path, size = _write(f, tables, folder)
                sha = _sha(path)
                entry = store.Entry(
                    name=f.name,
                    path=f"{sha[:16]}-{f.name}{'.gz' if f.fmt in GZIP_FORMATS else ''}",
                    gz=f.fmt in GZIP_FORMATS,
                    size=size,
                    sha=sha,
                    token=revision.file_token(inputs, f.kind),
                    built_at=time.time(),
                )
                with store.month_lock(as_of):
                    built.append(store.install(as_of, path, entry))
                say(f"{as_of:%Y-%m} {f.name}: {time.perf_counter() - started:.1f} 秒")
                tables.keep_only({k for rest in todo[i + 1 :] for k in rest.tables})
                if stop():
                    break
        finally:
            tables.keep_only(set())
            for tmp in folder.glob(f".*.{os.getpid()}.tmp*"):
                tmp.unlink(missing_ok=True)
    gc.collect()
    return built


def stale(as_of: date, inputs: dict[str, str]) -> tuple[list[str], list[str]]:
    """(missing, outdated) file names of a month: not built yet, built from data that has changed since."""
    have = store.entries(as_of)
    missing = [f.name for f in FILES if f.name not in have]
    outdated = [f.name for f in FILES if f.name in have and have[f.name].token != revision.file_token(inputs, f.kind)]
    return missing, outdated
