"""Columns about a system and its progress figures that several tables share, each worded once (dictionary.csv).

A table that says more about one of them keeps its key, heading and type and gives its own meaning (a row of
dictionary.csv without a heading, e.g. system-summary.basis), so a figure has one name in every file.
"""

from __future__ import annotations

from shinchoku.progress.selectors.common import BASIS_MIXED, BASIS_PUBLISHED_RATE, BASIS_STEPS

from .tables import columns

SYSTEM, BUSINESS_NUMBER, VENDOR, PACKAGE, BASIS, COMPLETION_RATE, PROGRESS_RATE, ON_SCHEDULE = columns(
    "system", "business_number", "vendor", "package", "basis", "completion_rate", "progress_rate", "on_schedule"
)

# What a system's or a 団体's figures rest on: step statuses, 総務省's published 完了率 alone, or both
BASIS_LABELS = {
    BASIS_STEPS: "作業ステップの状態",
    BASIS_PUBLISHED_RATE: "総務省の公表値（完了率のみ）",
    BASIS_MIXED: "両方",
}


def basis_label(basis: str | None) -> str | None:
    """The words for a basis ("steps", "published_rate" or "mixed"); None for none."""
    return None if basis is None else BASIS_LABELS.get(basis, basis)
