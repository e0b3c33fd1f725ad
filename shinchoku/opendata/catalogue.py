"""What open data exists: the tables, the formats, and writing one (KIND, format) to a file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shinchoku.opendata.costs_tables import cloud_summary_table, cost_summary_table, costs_table, vendor_changes_table
from shinchoku.opendata.outlook_tables import forecasts_table, warnings_table
from shinchoku.opendata.procedures_tables import (
    procedure_availability_table,
    procedures_summary_table,
    procedures_table,
)
from shinchoku.progress.provenance import month_source

from .bundle import write_sqlite
from .parquet import write_parquet
from .progress_tables import progress_table, progress_wide_table, special_support_table
from .summary_tables import organization_summary_table, prefecture_summary_table
from .system_tables import system_summary_table
from .tables import Table, organizations_table
from .writers import write_csv, write_json, write_json_tables
from .xlsx import write_xlsx


class ExportError(Exception):
    """An export that cannot be made (message in Japanese)."""


@dataclass(frozen=True)
class Spec:
    name: str
    build: Callable[[date, bool], Table]


SPECS = {
    s.name: s
    for s in (
        Spec("organizations", organizations_table),
        Spec("progress", progress_table),
        Spec("organization-summary", organization_summary_table),
        Spec("system-summary", system_summary_table),
        Spec("prefecture-summary", prefecture_summary_table),
        Spec("special-support", special_support_table),
        # 子育て・介護26手続: its own published months; the tables look up their own sample flag.
        Spec("procedures", lambda as_of, _sample: procedures_table(as_of, None)),
        Spec("procedures-summary", lambda as_of, _sample: procedures_summary_table(as_of, None)),
        Spec("procedure-availability", lambda as_of, _sample: procedure_availability_table(as_of, None)),
        # 運用経費 and ガバメントクラウド: the figures in force at the published month.
        Spec("costs", costs_table),
        Spec("cost-summary", cost_summary_table),
        Spec("cloud-summary", cloud_summary_table),
        Spec("vendor-changes", vendor_changes_table),
        # warnings and forecasts, read from the rows computed for the month
        Spec("warnings", warnings_table),
        Spec("forecasts", forecasts_table),
    )
}
ALL = "all"
KINDS = (*SPECS, ALL)
FORMATS = ("csv", "json", "xlsx", "parquet", "sqlite")
FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "xlsx": "Excel (XLSX)", "parquet": "Parquet", "sqlite": "SQLite"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "sqlite": "application/vnd.sqlite3",
    "zip": "application/zip",
}
# Offered on /opendata/: each table in the four tabular formats, and everything as one SQLite file.
TABLE_FORMATS = ("csv", "json", "xlsx", "parquet")
WEB_FILES = frozenset({(name, fmt) for name in SPECS for fmt in TABLE_FORMATS} | {(ALL, "sqlite")})
_EPOCH = date(2000, 1, 31)


def describe(*, sample: bool = True) -> list[Table]:
    """Every table's title, description and columns (rows are never read: they are lazy), worded for a
    database of sample or of real data."""
    tables = [spec.build(_EPOCH, False) for spec in SPECS.values()]
    for table in tables:
        table.columns = [c.for_data(sample) for c in table.columns]
    return tables


def check(kind: str, fmt: str) -> None:
    if kind not in SPECS and kind != ALL:
        raise ExportError(f"「{kind}」という種類はありません（{'、'.join(KINDS)} のいずれか）")
    if fmt not in FORMATS:
        raise ExportError(f"形式「{fmt}」には対応していません（{'、'.join(FORMATS)} のいずれか）")


def extension(kind: str, fmt: str) -> str:
    """Several tables in CSV or Parquet go into one ZIP file (one table per member)."""
    return "zip" if kind == ALL and fmt in ("csv", "parquet") else fmt


def file_name(kind: str, fmt: str) -> str:
    return f"{kind}.{extension(kind, fmt)}"


def table_keys(kind: str, fmt: str) -> list[str]:
    """The tables a file of (kind, fmt) is written from."""
    return [table_key(name, fmt) for name in table_names(kind)]


def tables_for(kind: str, fmt: str, *, as_of: date, sample: bool) -> list[Table]:
    return [build_table(key, as_of, sample) for key in table_keys(kind, fmt)]


# Tables made from progress data: the ones that carry 総務省's and デジタル庁's figures in a real database.
OFFICIAL_TABLES = frozenset(
    {"progress", "system-summary", "organization-summary", "prefecture-summary", "special-support"}
)


def table_names(kind: str) -> list[str]:
    return list(SPECS) if kind == ALL else [kind]


def build_table(key: str, as_of: date, sample: bool) -> Table:
    """One table of a month, its data dictionary worded for sample or real data, the 出典 of official figures."""
    table = progress_wide_table(as_of, sample) if key == "progress-wide" else SPECS[key].build(as_of, sample)
    table.columns = [c.for_data(sample) for c in table.columns]
    if not sample and table.name in OFFICIAL_TABLES:
        table.source = month_source(as_of)
    return table


def file_stem(kind: str, as_of: date) -> str:
    """progress_2026-01; everything: shinchoku-opendata_2026-01."""
    return f"{'shinchoku-opendata' if kind == ALL else kind}_{as_of:%Y-%m}"


def table_key(name: str, fmt: str) -> str:
    """Which table a file of `name` in `fmt` is made from: the progress XLSX is the wide table."""
    return "progress-wide" if name == "progress" and fmt == "xlsx" else name


def write_file(kind: str, fmt: str, *, as_of: date, sample: bool, path: Path) -> int:
    """Write (kind, fmt) of a month to `path`; returns the number of data rows."""
    check(kind, fmt)
    return write_tables(
        kind, fmt, tables_for(kind, fmt, as_of=as_of, sample=sample), as_of=as_of, sample=sample, path=path
    )


def write_tables(kind: str, fmt: str, tables: list[Table], *, as_of: date, sample: bool, path: Path) -> int:
    """Write the tables of (kind, fmt) to `path` (the builder passes tables it has read once for many files)."""
    if fmt == "sqlite":
        return write_sqlite(tables, path, as_of=as_of, sample=sample)
    if fmt == "xlsx":
        return write_xlsx(tables, path, as_of=as_of, sample=sample)
    if fmt == "json" and kind == ALL:
        with path.open("w", encoding="utf-8") as fh:
            return write_json_tables(tables, fh, as_of=as_of, sample=sample)
    if kind == ALL:
        return _write_zip(tables, fmt, as_of=as_of, path=path)
    if fmt == "parquet":
        return write_parquet(tables[0], path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        return (write_csv if fmt == "csv" else write_json)(tables[0], fh)


def _write_zip(tables: list[Table], fmt: str, *, as_of: date, path: Path) -> int:
    n = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in tables:
            member = f"{file_stem(table.name, as_of)}.{fmt}"
            if fmt == "parquet":
                buf = io.BytesIO()
                n += write_parquet(table, buf)
                zf.writestr(member, buf.getvalue(), compress_type=zipfile.ZIP_STORED)
            else:
                with zf.open(member, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
                    n += write_csv(table, fh)
    return n
