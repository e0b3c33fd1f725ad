"""Rows of a 総務省 step sheet (業務別ステップ別進捗一覧) for the parser tests (no tests here)."""

from __future__ import annotations

from collections.abc import Sequence

from bench.make_soumu_workbook import step_headings

HEADINGS = step_headings()


def soumu_rows(
    data: Sequence[Sequence[object]], title: str = "（令和8年1月末時点）", headings: Sequence[str] = HEADINGS
) -> list[list[object]]:
    """The sheet's title row, an empty row, the header with the 40 step headings, then `data`."""
    return [
        [f"市区町村の標準化・共通化に係る手順書の各ステップの進捗状況{title}"],
        [],
        ["都道府県名", "市区町村名", "業務名", *headings],
        *[list(r) for r in data],
    ]


def statuses(fill: str = "完了済み", **at: str) -> list[str]:
    """40 statuses, all `fill` except the given 1-based steps (s12="作業中")."""
    out = [fill] * 40
    for key, value in at.items():
        out[int(key[1:]) - 1] = value
    return out
