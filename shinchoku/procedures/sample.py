"""Fictional sample data (架空のサンプルデータ) for the 26 procedures: every 市区町村, the progress sample's
months, deterministic for a seed. Nothing here is real data.

Each municipality has a readiness (its prefecture and 団体区分 shift it), each procedure a difficulty; a
procedure becomes available in the month readiness overtakes difficulty (plus noise) and stays available.
Calibrated so that by the last month most municipalities offer most procedures, the 児童手当 寄附 / 学校給食費
procedures and a few others lag far behind, and about a fifth of municipalities offer all 26.
"""

from __future__ import annotations

import random
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from shinchoku.reference.lookup import sample_organizations

from .models import AVAILABLE, UNAVAILABLE, ProcedureChange, ProcedureMonth, ProcedureRollup, ProcedureStatus
from .rollups import PREFECTURE_KIND, compute_month, procedure_numbers, save_month

ACTOR = "demo"
# Months after the first sample month by which a typical municipality offers the procedure.
DIFFICULTY: dict[int, float] = {
    1: 2,
    2: 6,
    3: 6,
    4: 8,
    5: 20,
    6: 40,
    7: 44,
    8: 46,
    9: 48,
    10: 3,
    11: 10,
    12: 4,
    13: 30,
    14: 34,
    15: 1,
    16: 3,
    17: 5,
    18: 7,
    19: 12,
    20: 14,
    21: 13,
    22: 18,
    23: 20,
    24: 22,
    25: 26,
    26: 16,
}
DEFAULT_DIFFICULTY = 24.0
KIND_SHIFT = {"政令指定都市": 0.9, "中核市": 0.7, "特別区": 0.6, "市": 0.15, "町": -0.15, "村": -0.45}
READINESS_MONTHS = 11.0  # months of lead per unit of readiness
NOISE_MONTHS = 5.0


@dataclass(frozen=True)
class Municipality:
    code: str
    prefecture_code: str
    kind: str


def generate(
    municipalities: Sequence[Municipality], months: Sequence[date], numbers: Sequence[int], *, seed: int = 0
) -> dict[str, list[tuple[date, str]]]:
    """{code: [(month, codes), …]}: a row for the first month and for each month something changed."""
    rng = random.Random(f"procedures:{seed}")
    prefs = sorted({m.prefecture_code for m in municipalities})
    pref_shift = {p: rng.gauss(0.0, 0.35) for p in prefs}
    size = max(numbers, default=0)
    history: dict[str, list[tuple[date, str]]] = {}
    for m in sorted(municipalities, key=lambda x: x.code):
        readiness = rng.gauss(0.0, 1.0) + pref_shift[m.prefecture_code] + KIND_SHIFT.get(m.kind, 0.0)
        start = {
            n: DIFFICULTY.get(n, DEFAULT_DIFFICULTY) - READINESS_MONTHS * readiness + rng.gauss(0.0, NOISE_MONTHS)
            for n in numbers
        }
        rows: list[tuple[date, str]] = []
        last = ""
        for i, month in enumerate(months):
            codes = ["-"] * size
            for n in numbers:
                codes[n - 1] = AVAILABLE if start[n] <= i else UNAVAILABLE
            text = "".join(codes)
            if text != last:
                rows.append((month, text))
                last = text
        history[m.code] = rows
    return history


def sample_months() -> list[date]:
    """The progress sample's months (its Month rows marked sample)."""
    from shinchoku.progress.models import Month

    return list(Month.objects.filter(sample_data=True).order_by("as_of").values_list("as_of", flat=True))


def load_sample(*, seed: int = 0, prefectures: Collection[str] | None = None) -> int:
    """Replace all procedures data with the fictional sample; returns the number of rows written.

    Called inside shinchoku.sample.loader.load_sample's transaction (`shinchoku demo`).
    """
    started = time.perf_counter()
    months = sample_months()
    numbers = procedure_numbers()
    munis = [
        Municipality(code, pref, kind)
        for code, pref, kind in sample_organizations(prefectures)
        .exclude(kind=PREFECTURE_KIND)
        .values_list("code", "prefecture_code", "kind")
    ]
    history = generate(munis, months, numbers, seed=seed)
    now = timezone.now()
    with transaction.atomic():
        for model in (ProcedureRollup, ProcedureChange, ProcedureStatus, ProcedureMonth):
            model.objects.all().delete()
        ProcedureStatus.objects.bulk_create(
            [
                ProcedureStatus(organization_id=code, as_of=m, codes=codes, updated_by=ACTOR, source=ACTOR)
                for code, rows in history.items()
                for m, codes in rows
            ],
            batch_size=2000,
        )
        ProcedureMonth.objects.bulk_create(
            [
                ProcedureMonth(as_of=m, published=True, published_at=now, published_by=ACTOR, sample_data=True)
                for m in months
            ]
        )
        orgs = {m.code: (m.prefecture_code, m.kind) for m in munis}
        cursor = dict.fromkeys(history, 0)
        states: dict[str, str] = {}
        for m in months:
            for code, rows in history.items():
                i = cursor[code]
                while i < len(rows) and rows[i][0] <= m:
                    states[code] = rows[i][1]
                    i += 1
                cursor[code] = i
            save_month(m, compute_month(states=states, orgs=orgs, numbers=numbers))
    _ = time.perf_counter() - started
    return sum(len(rows) for rows in history.values())
