"""One sentence a non-expert understands, said before the exact figures of a summary.

「予定どおり進んでいます」, 「2つのシステムが遅れています」, or, for 総務省's rate-only figures (no schedule is
known), how far the work has come in tenths: 「移行の作業はおよそ8割終わっています」.
"""

from __future__ import annotations

__all__ = ["count_of_systems", "plain_sentence"]


def count_of_systems(n: int) -> str:
    """「1つのシステム」…「9つのシステム」, then 「12のシステム」 (つ is used up to nine)."""
    return f"{n}つのシステム" if 0 < n < 10 else f"{n:,}のシステム"


def plain_sentence(*, late_systems: int | None, completion_rate: float | None, systems: int) -> str:
    """The first sentence of a summary: whether the systems are on schedule, or how far the work has come."""
    if not systems:
        return "まだ報告がありません。"
    if late_systems is not None:
        if late_systems <= 0:
            return "予定どおり進んでいます。"
        return f"{count_of_systems(late_systems)}が遅れています。"
    if completion_rate is None:
        return "進み具合の数値はまだありません。"
    if completion_rate >= 1:
        return "移行の作業はすべて終わっています。"
    tenths = int(completion_rate * 10)
    if tenths == 0:
        return "移行の作業は始まったばかりです。"
    return f"移行の作業はおよそ{tenths}割終わっています。"
