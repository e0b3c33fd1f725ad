"""Fingerprints of database content, to prove that a refused write changed nothing."""

from __future__ import annotations

import hashlib

from django.db.models import Max

from shinchoku.progress.models import AreaRollup, Month, OrganizationRollup, OwnStep, StatusSnapshot, System


def content_digest() -> str:
    """A fingerprint of everything an import may write (progress data and rollups)."""
    h = hashlib.sha256()
    for model in (System, OwnStep, Month):
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    snaps = StatusSnapshot.objects.aggregate(n=Max("id"), u=Max("updated_at"))
    h.update(repr((StatusSnapshot.objects.count(), snaps)).encode())
    for model in (OrganizationRollup, AreaRollup):
        h.update(repr((model.objects.count(), model.objects.aggregate(m=Max("id")))).encode())
    return h.hexdigest()
