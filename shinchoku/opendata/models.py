"""A revision counter for published data that rollup refreshes do not reveal (system details, explanations)."""

from __future__ import annotations

from django.db import models


class Revision(models.Model):
    """One row (id 1); its counter goes up whenever a 団体, system, own step or delay explanation is saved."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    counter = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "公開データの版"

    def __str__(self) -> str:
        return str(self.counter)
