"""Fixtures for the pure domain tests: the shipped reference CSVs, read without Django."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from shinchoku.domain.names import NameIndex, org_refs_from_rows

# Relative to this file, so the tests run from any working directory.
REFERENCE_DATA = Path(__file__).resolve().parents[2] / "shinchoku" / "reference" / "data"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DATA / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def municipality_rows() -> list[dict[str, str]]:
    return _read_csv("municipalities.csv")


@pytest.fixture(scope="session")
def known_codes(municipality_rows: list[dict[str, str]]) -> frozenset[str]:
    return frozenset(row["全国地方公共団体コード"] for row in municipality_rows)


@pytest.fixture(scope="session")
def name_index(municipality_rows: list[dict[str, str]]) -> NameIndex:
    return NameIndex(org_refs_from_rows(municipality_rows))


@pytest.fixture(scope="session")
def national_deadlines() -> list[date]:
    """国の完了期限 of steps 1–40, in step order."""
    rows = sorted(_read_csv("standard_steps.csv"), key=lambda r: int(r["ステップ番号"]))
    return [date.fromisoformat(r["国の完了期限"]) for r in rows]
