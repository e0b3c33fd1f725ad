"""The government's published figures shipped with shinchoku (the default dataset), with their sources.

`shinchoku load official` imports them through the same import pipeline as any file; see
reference/data/official/README.md for what each file holds and the terms of use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["OFFICIAL_DIR", "OFFICIAL_FILES", "OfficialFile"]

OFFICIAL_DIR = Path(__file__).resolve().parent / "data" / "official"
SOUMU = {"publisher": "総務省", "title": "地方自治体システム標準化に関する進捗状況", "edition": "令和8年1月"}


@dataclass(frozen=True)
class OfficialFile:
    name: str
    format: str  # the import format: rates, long, special-support
    description: str
    source: dict[str, str] | None  # None: the file names its own source (デジタル庁's list)

    @property
    def path(self) -> Path:
        return OFFICIAL_DIR / self.name


OFFICIAL_FILES = (
    OfficialFile(
        "soumu_municipal_business_rates_2026-01.csv",
        "rates",
        "全市区町村の業務別完了率（総務省、令和8年1月）",
        SOUMU,
    ),
    OfficialFile(
        "soumu_prefecture_steps_2026-01.csv",
        "long",
        "都道府県自身のシステムの作業ステップ別の状態（総務省、令和8年1月）",
        SOUMU,
    ),
    OfficialFile(
        "digital_special_support_2025-12.csv",
        "special-support",
        "特定移行支援システムの該当見込み一覧（デジタル庁、令和7年12月末時点）",
        None,
    ),
)
