"""Columns about a system and its progress figures that several tables share, each declared once.

A table that says more about one of them keeps its key, heading and type and gives its own meaning
(Column.described), so a figure has one name in every file.
"""

from __future__ import annotations

from shinchoku.progress.selectors.common import BASIS_MIXED, BASIS_PUBLISHED_RATE, BASIS_STEPS

from .tables import Column

SYSTEM = Column("system", "対象システム", "業務名または団体独自のシステム名", "str", "住民基本台帳")
BUSINESS_NUMBER = Column("business_number", "業務番号", "20業務の番号（団体独自のシステムは空欄）", "int", "1")
VENDOR = Column("vendor", "事業者名", "システムの事業者", "str", "さくら電算サービス")
PACKAGE = Column("package", "パッケージ名", "標準準拠システムのパッケージ名", "str", "さくらクラウド行政")
BASIS = Column(
    "basis", "数値の根拠", "作業ステップの状態／総務省の公表値（完了率のみ）／両方", "str", "作業ステップの状態"
)
COMPLETION_RATE = Column(
    "completion_rate", "完了率（総務省方式）", "(完了済み＋対象外)÷40、または総務省の公表値", "float", "0.825"
)
PROGRESS_RATE = Column(
    "progress_rate", "進捗率（石巻市方式）", "完了済み÷(40−対象外)（状態がなければ空欄）", "float", "0.794872"
)
ON_SCHEDULE = Column(
    "on_schedule", "スケジュール通り", "国の期限までのステップを終えているか（状態がなければ空欄）", "bool", "はい"
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
