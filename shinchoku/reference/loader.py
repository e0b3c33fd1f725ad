"""Load the shipped reference CSVs into the database (idempotent)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import models, transaction

from .models import Business, NationalStep, Organization, Procedure

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class LoadResult:
    created: dict[str, int]
    updated: dict[str, int]


_Column = str | tuple[str, Callable[[str], object]]  # a text column, or a column and how to read it

# Each reference table: its name in LoadResult, its model, the shipped CSV, and the column of each field.
_TABLES: tuple[tuple[str, type[models.Model], str, dict[str, _Column]], ...] = (
    (
        "organizations",
        Organization,
        "municipalities.csv",
        {
            "code": "全国地方公共団体コード",
            "prefecture_code": "都道府県コード",
            "prefecture_name": "都道府県名",
            "name": "市区町村名",
            "prefecture_kana": "都道府県名_カナ",
            "kana": "市区町村名_カナ",
            "kind": "団体区分",
        },
    ),
    (
        "businesses",
        Business,
        "businesses.csv",
        {
            "number": ("業務番号", int),
            "name": "業務名",
            "aliases": "別名",
            "ministry": "所管府省",
            "field": "分野",
            "prefecture_also": ("都道府県も対象", lambda text: text == "はい"),
        },
    ),
    (
        "steps",
        NationalStep,
        "standard_steps.csv",
        {
            "number": ("ステップ番号", int),
            "item_number": "作業項目番号",
            "name": "作業ステップ名",
            "item": "作業項目",
            "phase": "フェーズ",
            "deadline": ("国の完了期限", date.fromisoformat),
            "deadline_label": "国の完了期限_表記",
        },
    ),
    (
        "procedures",
        Procedure,
        "procedures_26.csv",
        {"number": ("番号", int), "field": "分野", "name": "手続名", "certainty": "確度"},
    ),
)


def _value(row: dict[str, str], column: _Column) -> object:
    if isinstance(column, str):
        return row[column]
    name, read = column
    return read(row[name])


def _rows(model: type[models.Model], filename: str, columns: dict[str, _Column]) -> list[models.Model]:
    """The shipped CSV as unsaved model instances."""
    return [model(**{field: _value(r, c) for field, c in columns.items()}) for r in read_csv(filename)]


@transaction.atomic
def load_reference(*, overwrite: bool = False) -> LoadResult:
    """Insert missing rows; with overwrite, also reset edited rows to the shipped values.

    Without overwrite an operator's edits in the admin survive a second `shinchoku init`.
    """
    created: dict[str, int] = {}
    updated: dict[str, int] = {}
    for label, model, filename, columns in _TABLES:
        rows = _rows(model, filename, columns)
        existing = set(model.objects.values_list("pk", flat=True))
        new = [r for r in rows if r.pk not in existing]
        model.objects.bulk_create(new, batch_size=500)
        created[label] = len(new)
        updated[label] = 0
        if overwrite:
            old = [r for r in rows if r.pk in existing]
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "is_practice"]
            model.objects.bulk_update(old, fields, batch_size=500)
            updated[label] = len(old)
    return LoadResult(created=created, updated=updated)
