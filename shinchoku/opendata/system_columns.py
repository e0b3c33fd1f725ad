"""The words the tables about systems use for what a figure rests on (the 数値の根拠 column's values).

The columns about a system and its progress figures that several tables share (system, vendor, completion_rate,
…) are worded once in dictionary.csv; a table that says more about one of them has its own row without a
heading there (e.g. system-summary.basis), so a figure has one name in every file.
"""

from __future__ import annotations

from shinchoku.progress.selectors.common import BASIS_MIXED, BASIS_PUBLISHED_RATE, BASIS_STEPS

# What a system's or a 団体's figures rest on: step statuses, 総務省's published 完了率 alone, or both
BASIS_LABELS = {
    BASIS_STEPS: "作業ステップの状態",
    BASIS_PUBLISHED_RATE: "総務省の公表値（完了率のみ）",
    BASIS_MIXED: "両方",
}


def basis_label(basis: str | None) -> str | None:
    """The words for a basis ("steps", "published_rate" or "mixed"); None for none."""
    return None if basis is None else BASIS_LABELS.get(basis, basis)
