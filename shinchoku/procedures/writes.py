"""The primitives that write procedures data: publishing its month, one procedure of one 市区町村. Not guarded:
services.py checks the rule table and records the audit entry, then calls these."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from shinchoku.domain.calendar import to_month_end
from shinchoku.publication.months import ensure_month
from shinchoku.publication.months import publish_month as publish
from shinchoku.publication.versions import data_changed
from shinchoku.reference.models import Organization, Procedure

from . import rollups
from .models import AVAILABLE, UNAVAILABLE, UNKNOWN, ProcedureChange, ProcedureMonth, ProcedureStatus


@transaction.atomic
def publish_month(*, as_of: date, actor: str) -> ProcedureMonth:
    """Publish a month of procedures data (the operator; `shinchoku publish` calls this beside progress)."""
    was = ProcedureMonth.objects.filter(as_of=to_month_end(as_of), published=True).exists()
    month = publish(ProcedureMonth, as_of, actor=actor, what="手続の")
    if not was:
        data_changed()
    return month


@transaction.atomic
def set_available(
    *, code: str, as_of: date, number: int, available: bool, actor: str, source: str, refresh: bool = True
) -> bool:
    """Set one procedure of one 市区町村 at a 基準日 (carried forward from earlier); True when it changed."""
    as_of = to_month_end(as_of)
    org = Organization.objects.get(code=code)
    if org.is_prefecture:
        raise ValueError("手続のオンライン化は市区町村ごとに記録します")
    size = max(Procedure.objects.values_list("number", flat=True), default=0)
    if not 1 <= number <= size:
        raise ValueError(f"手続番号は1〜{size}で指定してください")
    row = ProcedureStatus.objects.select_for_update().filter(organization=org, as_of=as_of).first()
    if row is None:
        prev = ProcedureStatus.objects.filter(organization=org, as_of__lt=as_of).order_by("-as_of").first()
        row = ProcedureStatus(organization=org, as_of=as_of, codes=prev.codes if prev else "")
    codes = list(row.codes.ljust(size, UNKNOWN))
    old, new = codes[number - 1], AVAILABLE if available else UNAVAILABLE
    if old == new and row.pk is not None:
        return False
    codes[number - 1] = new
    row.codes = "".join(codes)
    row.updated_by = actor
    row.source = source
    row.save()
    if old != new:
        ProcedureChange.objects.create(
            organization=org, as_of=as_of, procedure=number, old=old, new=new, actor=actor, source=source
        )
    ensure_month(ProcedureMonth, as_of)
    if refresh:
        rollups.refresh_from(as_of)
    return old != new
