"""Reference data a parser needs: 団体 names and codes, business names, step headings, 基準日 and 団体."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shinchoku.domain.names import NameIndex, fold_name, org_refs_from_rows

__all__ = [
    "REFERENCE_DATA_DIR",
    "ParseContext",
    "business_lookup",
    "business_name_map",
    "load_reference_context",
    "step_heading_lookup",
]

REFERENCE_DATA_DIR = Path(__file__).resolve().parent.parent / "reference" / "data"


@dataclass
class ParseContext:
    """filename is used in messages only; org (a 6-digit code) and as_of are the CLI's --org / --as-of."""

    filename: str
    name_index: NameIndex
    known_codes: frozenset[str]
    businesses: dict[str, int]
    business_names: dict[int, str]
    step_headings: dict[str, int]
    as_of: date | None = None
    org: str | None = None
    # Memo for fold_name over the repetitive cells of large files; not part of the interface.
    _folded: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def fold(self, text: str) -> str:
        folded = self._folded.get(text)
        if folded is None:
            folded = fold_name(text)
            if len(self._folded) < 100_000:
                self._folded[text] = folded
        return folded

    def business_of(self, name: str) -> int | None:
        """The business number (1–20) a name or alias stands for, else None."""
        return self.businesses.get(self.fold(name))

    def suggest_business(self, name: str) -> str:
        """The canonical name of the business whose name or alias is closest to `name`, or ""."""
        close = difflib.get_close_matches(self.fold(name), list(self.businesses), n=1, cutoff=0.4)
        return self.business_names.get(self.businesses[close[0]], "") if close else ""

    def step_of_heading(self, heading: str) -> int | None:
        """The national step a heading like 「①-1 推進体制案の作成」 (or 「①-1」, or the name) stands for."""
        return self.step_headings.get(self.fold(heading))


def business_lookup(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """fold_name(業務名 or any ';'-separated 別名) → 業務番号, from rows shaped like businesses.csv."""
    lookup: dict[str, int] = {}
    for row in rows:
        number = int(str(row["業務番号"]).strip())
        names = [str(row["業務名"]), *str(row.get("別名") or "").split(";")]
        for name in names:
            key = fold_name(name)
            if key:
                lookup.setdefault(key, number)
    return lookup


def business_name_map(rows: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """業務番号 → 業務名 (the canonical name a standard system is stored under)."""
    return {int(str(row["業務番号"]).strip()): str(row["業務名"]).strip() for row in rows}


def step_heading_lookup(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Folded 「①-1 推進体制案の作成」, 「推進体制案の作成」 and 「①-1」 → 1, from standard_steps.csv rows."""
    lookup: dict[str, int] = {}
    for row in rows:
        number = int(str(row["ステップ番号"]).strip())
        item = str(row.get("作業項目番号") or "").strip()
        name = str(row.get("作業ステップ名") or "").strip()
        for text in (f"{item} {name}", name, item):
            key = fold_name(text)
            if key:
                lookup.setdefault(key, number)
    return lookup


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def load_reference_context(filename: str, data_dir: Path | None = None, **kw: Any) -> ParseContext:
    """A context from the CSVs shipped with the package (tests, bench, CLI without a database).

    Keyword arguments (as_of, org, …) are passed on to ParseContext.
    """
    base = data_dir or REFERENCE_DATA_DIR
    orgs = _read_csv(base / "municipalities.csv")
    businesses = _read_csv(base / "businesses.csv")
    steps = _read_csv(base / "standard_steps.csv")
    return ParseContext(
        filename=filename,
        name_index=NameIndex(org_refs_from_rows(orgs)),
        known_codes=frozenset(row["全国地方公共団体コード"].strip() for row in orgs),
        businesses=business_lookup(businesses),
        business_names=business_name_map(businesses),
        step_headings=step_heading_lookup(steps),
        **kw,
    )
