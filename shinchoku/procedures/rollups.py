"""Precomputed figures per month, written whenever procedures data changes (pages never scan history).

完了 = every procedure できる. The denominator is every 市区町村 (not only those that reported): a
municipality without data counts as not 完了. Shares are rounded once here, so page, API and open data
show the same number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.db import connection, transaction

from shinchoku.domain.kinds import MUNICIPAL_ORDER, PREFECTURE
from shinchoku.publication.versions import data_changed
from shinchoku.reference.models import Organization, Procedure

from .models import AVAILABLE, ProcedureMonth, ProcedureRollup

PREFECTURE_KIND = PREFECTURE
KIND_ORDER = MUNICIPAL_ORDER


def share(part: int, whole: int) -> float | None:
    """part ÷ whole rounded to 6 places (None when whole is 0): the one rounding everyone reads."""
    return round(part / whole, 6) if whole else None


def is_complete(codes: str, numbers: Sequence[int]) -> bool:
    return all(len(codes) >= n and codes[n - 1] == AVAILABLE for n in numbers)


def available_count(codes: str, numbers: Sequence[int]) -> int:
    return sum(1 for n in numbers if len(codes) >= n and codes[n - 1] == AVAILABLE)


def _group(municipalities: int, completed: int, available_sum: int, reported: int) -> dict:
    return {
        "municipalities": municipalities,
        "reported": reported,
        "completed": completed,
        "completed_share": share(completed, municipalities),
        "available_mean": round(available_sum / municipalities, 3) if municipalities else None,
    }


def compute_month(*, states: Mapping[str, str], orgs: Mapping[str, tuple[str, str]], numbers: Sequence[int]) -> dict:
    """Pure aggregation: states {code: codes} over the municipalities {code: (prefecture code, kind)}."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # municipalities, completed, available, reported
    per_procedure = [0] * len(numbers)
    pref_procedure: dict[str, list[int]] = defaultdict(lambda: [0] * len(numbers))
    for code, (pref, kind) in orgs.items():
        codes = states.get(code, "")
        done = is_complete(codes, numbers) if codes else False
        count = available_count(codes, numbers) if codes else 0
        for key in ("nation", f"kind:{kind}", f"pref:{pref}"):
            t = tally[key]
            t[0] += 1
            t[1] += done
            t[2] += count
            t[3] += bool(codes)
        for i, n in enumerate(numbers):
            if len(codes) >= n and codes[n - 1] == AVAILABLE:
                per_procedure[i] += 1
                pref_procedure[pref][i] += 1
    nation = _group(*tally["nation"])
    kinds = [k for k in KIND_ORDER if f"kind:{k}" in tally] + sorted(
        k[5:] for k in tally if k.startswith("kind:") and k[5:] not in KIND_ORDER
    )
    prefs = sorted(k[5:] for k in tally if k.startswith("pref:"))
    total = nation["municipalities"]
    return {
        **nation,
        "procedures": len(numbers),
        "by_kind": {k: _group(*tally[f"kind:{k}"]) for k in kinds},
        "by_prefecture": {p: {**_group(*tally[f"pref:{p}"]), "available": pref_procedure[p]} for p in prefs},
        "by_procedure": [
            {"number": n, "available": per_procedure[i], "available_share": share(per_procedure[i], total)}
            for i, n in enumerate(numbers)
        ],
    }


def municipalities() -> dict[str, tuple[str, str]]:
    return {
        code: (pref, kind)
        for code, pref, kind in Organization.objects.filter(is_practice=False)
        .exclude(kind=PREFECTURE_KIND)
        .values_list("code", "prefecture_code", "kind")
    }


def procedure_numbers() -> list[int]:
    return list(Procedure.objects.order_by("number").values_list("number", flat=True))


def availability_at(as_of: date) -> dict[str, str]:
    """Each 団体's effective codes at a month: its latest row on or before it (carried forward)."""
    sql = """
        SELECT s.organization_id, s.codes FROM procedures_procedurestatus s
        JOIN (SELECT organization_id, MAX(as_of) AS m FROM procedures_procedurestatus
              WHERE as_of <= %s GROUP BY organization_id) latest
          ON latest.organization_id = s.organization_id AND latest.m = s.as_of
    """
    with connection.cursor() as cur:
        cur.execute(sql, [as_of])
        return dict(cur.fetchall())


def save_month(as_of: date, data: dict) -> None:
    ProcedureRollup.objects.update_or_create(as_of=as_of, defaults={"data": data})


@transaction.atomic
def refresh_months(months: Iterable[date]) -> int:
    months = sorted(set(months))
    orgs = municipalities()
    numbers = procedure_numbers()
    for m in months:
        save_month(m, compute_month(states=availability_at(m), orgs=orgs, numbers=numbers))
    if months:
        data_changed()
    return len(months)


def refresh_from(as_of: date) -> int:
    """Every month on or after a write: carry-forward may change them all."""
    return refresh_months(ProcedureMonth.objects.filter(as_of__gte=as_of).values_list("as_of", flat=True))


def refresh_all() -> int:
    return refresh_months(ProcedureMonth.objects.values_list("as_of", flat=True))
