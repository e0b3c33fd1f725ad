"""Load the shipped reference CSVs into the database (idempotent)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import Business, NationalStep, Organization, Procedure

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class LoadResult:
    created: dict[str, int]
    updated: dict[str, int]


def _organizations() -> list[Organization]:
    return [
        Organization(
            code=r["全国地方公共団体コード"],
            prefecture_code=r["都道府県コード"],
            prefecture_name=r["都道府県名"],
            name=r["市区町村名"],
            prefecture_kana=r["都道府県名_カナ"],
            kana=r["市区町村名_カナ"],
            kind=r["団体区分"],
        )
        for r in read_csv("municipalities.csv")
    ]


def _businesses() -> list[Business]:
    return [
        Business(
            number=int(r["業務番号"]),
            name=r["業務名"],
            aliases=r["別名"],
            ministry=r["所管府省"],
            field=r["分野"],
            prefecture_also=r["都道府県も対象"] == "はい",
        )
        for r in read_csv("businesses.csv")
    ]


def _steps() -> list[NationalStep]:
    return [
        NationalStep(
            number=int(r["ステップ番号"]),
            item_number=r["作業項目番号"],
            name=r["作業ステップ名"],
            item=r["作業項目"],
            phase=r["フェーズ"],
            deadline=date.fromisoformat(r["国の完了期限"]),
            deadline_label=r["国の完了期限_表記"],
        )
        for r in read_csv("standard_steps.csv")
    ]


def _procedures() -> list[Procedure]:
    return [
        Procedure(number=int(r["番号"]), field=r["分野"], name=r["手続名"], certainty=r["確度"])
        for r in read_csv("procedures_26.csv")
    ]


@transaction.atomic
def load_reference(*, overwrite: bool = False) -> LoadResult:
    """Insert missing rows; with overwrite, also reset edited rows to the shipped values.

    Without overwrite an operator's edits in the admin survive a second `shinchoku init`.
    """
    created: dict[str, int] = {}
    updated: dict[str, int] = {}
    for label, model, rows in (
        ("organizations", Organization, _organizations()),
        ("businesses", Business, _businesses()),
        ("steps", NationalStep, _steps()),
        ("procedures", Procedure, _procedures()),
    ):
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
