"""団体区分: the kinds of 団体 in the reference data, and the order 総務省 lists them in."""

from __future__ import annotations

__all__ = ["DISPLAY_ORDER", "KINDS", "MUNICIPAL_ORDER", "PREFECTURE"]

PREFECTURE = "都道府県"
# The kinds of the reference data (全国地方公共団体コード with 政令指定都市 and 中核市 lists).
KINDS = (PREFECTURE, "政令指定都市", "中核市", "市", "町", "村", "特別区")
# The order 総務省 uses when it lists 団体区分 (prefectures last); municipalities only without them.
DISPLAY_ORDER = ("政令指定都市", "中核市", "市", "特別区", "町", "村", PREFECTURE)
MUNICIPAL_ORDER = DISPLAY_ORDER[:-1]
