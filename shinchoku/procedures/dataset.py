"""The 26 procedures as a published dataset: its own months, its own page while none is published."""

from __future__ import annotations

from shinchoku.publication.pages import PublishedDataset

from .models import ProcedureMonth

PROCEDURES = PublishedDataset(
    name="procedures",
    month_model=ProcedureMonth,
    what="手続のオンライン化の",
    empty_template="procedures/empty.html",
)
