"""Progress as a published dataset: its month table and how its pages name their source."""

from __future__ import annotations

from shinchoku.publication.pages import PublishedDataset

from .models import Month
from .provenance import month_source

PROGRESS = PublishedDataset(
    name="progress",
    month_model=Month,
    what="",
    empty_template="web/empty.html",
    source=month_source,
)
