"""Where a month's figures come from: fictional sample data, or real data with its official sources named.

A database holds one kind only. `shinchoku demo` claims it for sample data; loading official figures claims
it for real data; each refuses a database already claimed by the other kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .models import REAL, SAMPLE, Dataset

__all__ = [
    "REAL",
    "SAMPLE",
    "USE_TERMS",
    "DatasetMismatch",
    "claim",
    "dataset_kind",
    "holds_sample",
    "source_line",
    "source_titles",
]

USE_TERMS = "政府標準利用規約（第2.0版）に基づき利用（CC BY 4.0 互換）"


class DatasetMismatch(Exception):
    """Fictional and real data would share one database (message in Japanese)."""


_MESSAGES = {
    SAMPLE: (
        "このデータベースには実際のデータ（公表値や団体の報告）があるため、架空のサンプルデータは入れられません。"
        "別のデータベースで試してください（例: make demo）。"
    ),
    REAL: (
        "このデータベースには架空のサンプルデータがあるため、公表値は入れられません。"
        "架空のデータと実際のデータは同じデータベースに入れません。新しいデータベースに読み込んでください"
        "（例: DATABASE_URL を変えて shinchoku init）。"
    ),
}


def dataset_kind() -> str | None:
    """ "sample", "real", or None for a database without data yet."""
    return Dataset.objects.filter(pk=1).values_list("kind", flat=True).first()


def claim(kind: str, *, actor: str = "") -> None:
    """Mark the database as holding `kind`; DatasetMismatch when it already holds the other kind."""
    if kind not in (SAMPLE, REAL):
        raise ValueError(kind)
    current = dataset_kind()
    if current == kind:
        return
    if current is not None:
        raise DatasetMismatch(_MESSAGES[kind])
    Dataset.objects.get_or_create(pk=1, defaults={"kind": kind, "claimed_by": actor})


def holds_sample() -> bool:
    return dataset_kind() == SAMPLE


def source_titles(sources: Iterable[Mapping[str, str]]) -> list[str]:
    """「総務省「地方自治体システム標準化に関する進捗状況」（令和8年1月）」 for each source, without repeats."""
    seen: list[str] = []
    for s in sources:
        edition = f"（{s['edition']}）" if s.get("edition") else ""
        text = f"{s.get('publisher', '')}「{s.get('title', '')}」{edition}"
        if text not in seen:
            seen.append(text)
    return seen


def source_line(sources: Iterable[Mapping[str, str]], *, edited: bool = True) -> str:
    """The line every page with official figures shows: 「出典：…」, the month and the use terms."""
    titles = source_titles(sources)
    if not titles:
        return ""
    made = "をもとに shinchoku が集計・加工して作成" if edited else ""
    return f"出典：{'、'.join(titles)}{made}。{USE_TERMS}。"
