"""`shinchoku export`: write open data files, the same ones /opendata/ serves, to a file or standard output."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from shinchoku.domain.calendar import DateError
from shinchoku.ops.collector import collector_paused
from shinchoku.progress import selectors

from . import catalogue
from .catalogue import ExportError

__all__ = ["ExportError", "export"]

BINARY_FORMATS = ("xlsx", "parquet", "sqlite")


def export(*, kind: str, fmt: str, as_of: str | None = None, output: str | None = None) -> Path | None:
    """Write KIND in a format for a published month (default: the latest); None when written to stdout."""
    catalogue.check(kind, fmt)
    try:
        month = selectors.resolve_as_of(as_of, published_only=True)
    except (selectors.NotFound, DateError) as exc:
        raise ExportError(str(exc)) from None
    sample = selectors.is_sample(month)
    ext = catalogue.extension(kind, fmt)
    if output in (None, "-"):
        if (fmt in BINARY_FORMATS or ext == "zip") and sys.stdout.isatty():
            raise ExportError(f"{ext} 形式は端末に表示できません。-o でファイル名を指定してください")
        with tempfile.TemporaryDirectory(prefix="shinchoku-export-") as tmp:
            path = Path(tmp) / f"{catalogue.file_stem(kind, month)}.{ext}"
            with collector_paused():
                catalogue.write_file(kind, fmt, as_of=month, sample=sample, path=path)
            with path.open("rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return None
    path = Path(output)
    if path.is_dir():
        path = path / f"{catalogue.file_stem(kind, month)}.{ext}"
    with collector_paused():
        catalogue.write_file(kind, fmt, as_of=month, sample=sample, path=path)
    return path
