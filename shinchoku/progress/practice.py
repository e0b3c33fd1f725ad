"""体験モード: a practice 団体 any logged-in account may edit, upload to and reset.

Its code 999997 uses prefecture number 99, which no real 団体 has, so it can never collide with a
real 全国地方公共団体コード. It is `is_practice=True`: public pages, the API, rollups and exports skip it.
"""

from __future__ import annotations

from django.db import transaction

from shinchoku.reference.models import Business, Organization

from .hooks import RESET_HOOKS
from .models import DelayExplanation, OwnStep, StatusChange, StatusSnapshot, System, SystemAttributes

PRACTICE_CODE = "999997"
PRACTICE_NAME = "体験町"


@transaction.atomic
def ensure_practice() -> Organization:
    """The practice 団体 with one system per standard business (idempotent)."""
    org, _ = Organization.objects.get_or_create(
        code=PRACTICE_CODE,
        defaults={
            "prefecture_code": "99",
            "prefecture_name": "体験県",
            "name": PRACTICE_NAME,
            "kind": "町",
            "is_practice": True,
        },
    )
    if not org.is_practice:  # never let a real-looking row stand in for it
        org.is_practice = True
        org.save(update_fields=["is_practice"])
    if not System.objects.filter(organization=org).exists():
        System.objects.bulk_create(
            [
                System(organization=org, name=b.name, business=b, sort_order=b.number)
                for b in Business.objects.order_by("number")
            ]
        )
    return org


@transaction.atomic
def reset_practice() -> Organization:
    """Back to the state of a fresh practice 団体: no statuses, explanations or extra systems."""
    org = ensure_practice()
    StatusChange.objects.filter(system__organization=org).delete()
    StatusSnapshot.objects.filter(system__organization=org).delete()
    DelayExplanation.objects.filter(system__organization=org).delete()
    SystemAttributes.objects.filter(system__organization=org).delete()
    OwnStep.objects.filter(organization=org).delete()
    System.objects.filter(organization=org).delete()
    for hook in RESET_HOOKS:
        hook(org)
    return ensure_practice()
