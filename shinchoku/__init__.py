"""shinchoku — 自治体DX 進捗ダッシュボード."""

__version__ = "0.1.0"
SAMPLE_LABEL = "架空のサンプルデータ"
