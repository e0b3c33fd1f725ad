"""The data version: one counter that moves with every write of public data, in the write's transaction.

It is moved one way — by the write layer itself: every audited write (accounts.audit.record), every applied
import, every rollup refresh and every publication calls data_changed(). Caches of rendered public answers
(the API's, per worker and per server) compare it on each request, so a write shows at once everywhere.
"""

from __future__ import annotations

from django.db.models import F

from .models import DataVersion

__all__ = ["counter", "data_changed"]


def data_changed() -> None:
    if DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1) == 0:
        DataVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def counter() -> int:
    return DataVersion.objects.filter(pk=1).values_list("counter", flat=True).first() or 0
