"""Guarded writes to the 26 procedures' data: the rule table through the Actor, the write, the audit entry,
in one transaction."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action
from shinchoku.domain.calendar import to_month_end
from shinchoku.progress.models import Month
from shinchoku.progress.services import touch_month
from shinchoku.publication.months import ensure_month
from shinchoku.reference.models import Organization, Procedure

from . import rollups
from .models import AVAILABLE, UNAVAILABLE, ProcedureMonth, ProcedureStatus
from .writes import publish_month, set_available

__all__ = [
    "ProcedureEditError",
    "procedure_codes",
    "procedures_month_publish",
    "procedures_set",
    "publish_with_progress",
]

LABELS = {AVAILABLE: "できる", UNAVAILABLE: "できない"}


class ProcedureEditError(ValueError):
    """A procedures edit that cannot be applied (a prefecture, an unknown 手続番号); nothing is written."""


def procedure_codes(org: Organization, as_of: date) -> str:
    """The 団体's procedures at a 基準日 as reported (carried forward from earlier months); "" when never reported."""
    row = ProcedureStatus.objects.filter(organization=org, as_of__lte=to_month_end(as_of)).order_by("-as_of").first()
    return row.codes if row else ""


def procedures_set(*, actor: Actor, org: Organization, as_of: date, availability: dict[int, bool]) -> dict[int, bool]:
    """Which of the 26 procedures one 市区町村 offers online at a 基準日 (できる True / できない False).

    Guarded like progress (EDIT_PROGRESS on the 団体); prefectures are refused. Only procedures whose value
    differs from the current one (carried forward) are written, in one transaction with one audit entry
    holding the values before and after. Returns the changed procedures.
    """
    actor.require(Action.EDIT_PROGRESS, org)
    if org.is_prefecture:
        raise ProcedureEditError(f"{org.display_name}は都道府県です。手続のオンライン化は市区町村ごとに入力します。")
    numbers = set(Procedure.objects.values_list("number", flat=True))
    unknown = sorted(n for n in availability if n not in numbers)
    if unknown:
        raise ProcedureEditError(f"手続番号 {', '.join(map(str, unknown))} はありません")
    as_of = to_month_end(as_of)
    with transaction.atomic():
        current = procedure_codes(org, as_of)
        changed = {
            n: value
            for n, value in sorted(availability.items())
            if (current[n - 1] if len(current) >= n else "") != (AVAILABLE if value else UNAVAILABLE)
        }
        if not changed:
            return {}
        touch_month(org, as_of, actor)  # the month is listed by the month picker and on the publish page
        # a new procedures month is public at once where the month already is (as a grid edit of it would be)
        public = not org.is_practice and (
            bool(settings.SHINCHOKU_AUTO_PUBLISH) or Month.objects.filter(as_of=as_of, published=True).exists()
        )
        ensure_month(ProcedureMonth, as_of, auto_publish=public, actor=actor.name)
        for n, value in changed.items():
            set_available(code=org.code, as_of=as_of, number=n, available=value, refresh=False, **actor.writer)
        if not org.is_practice:
            rollups.refresh_from(as_of)
        actor.record(
            "set_procedures",
            organization_code=org.code,
            target=f"手続のオンライン化 / {as_of:%Y-%m}",
            before={str(n): LABELS.get(current[n - 1] if len(current) >= n else "", "情報なし") for n in changed},
            after={str(n): "できる" if value else "できない" for n, value in changed.items()},
        )
    return changed


def procedures_month_publish(*, actor: Actor, as_of: date) -> ProcedureMonth:
    """Publish a month of procedures data alone (a month with no progress data; operators)."""
    actor.require(Action.PUBLISH)
    with transaction.atomic():
        before = ProcedureMonth.objects.filter(as_of=to_month_end(as_of)).values_list("published", flat=True).first()
        month = publish_month(as_of=as_of, actor=actor.name)
        actor.record("publish", target=f"手続のオンライン化 / {month.as_of.isoformat()}", before={"published": before})
    return month


def publish_with_progress(sender: object, *, as_of: date, actor: str, **_: object) -> dict[str, tuple[bool, bool]]:
    """Receiver of publication.signals.month_published: the month's procedures data, where there is any,
    goes public with its progress (the caller records the audit entry)."""
    month = ProcedureMonth.objects.filter(as_of=as_of).first()
    if month is None:
        return {}
    if not month.published:
        publish_month(as_of=as_of, actor=actor)
    return {"procedures": (month.published, True)}
