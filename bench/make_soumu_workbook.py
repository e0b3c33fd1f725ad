"""Generate a workbook in the layout of 総務省's monthly progress workbook (fictional statuses).

Sheet 「業務別ステップ別進捗一覧」: a title row, a blank row, the header row (都道府県名, 市区町村名,
業務名 and the 40 step headings), then one row per 団体 × business. The full national file has
1,741 市区町村 × 20 businesses + 47 都道府県 × 2 (児童扶養手当, 生活保護) = 34,914 rows of 40 status cells.

    python bench/make_soumu_workbook.py -o /tmp/national.xlsx --seed 0
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook

DATA_DIR = Path(__file__).resolve().parents[1] / "shinchoku" / "reference" / "data"
SHEET_NAME = "業務別ステップ別進捗一覧"
TITLE = "市区町村の標準化・共通化に係る手順書の各ステップの進捗状況（{label}末時点）"
PREFECTURE_BUSINESSES = ("児童扶養手当", "生活保護")
COMPLETED, IN_PROGRESS, NOT_STARTED, NOT_APPLICABLE = "完了済み", "作業中", "未着手", "対象外"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def step_headings() -> list[str]:
    """The 40 step headings as the workbook writes them: 「①-1 推進体制案の作成」."""
    return [f"{r['作業項目番号']} {r['作業ステップ名']}" for r in _read_csv("standard_steps.csv")]


def business_names() -> list[str]:
    return [r["業務名"] for r in _read_csv("businesses.csv")]


def national_orgs() -> list[tuple[str, str]]:
    """(都道府県名, 市区町村名) for every 団体 in municipalities.csv; 市区町村名 is "-" for a prefecture."""
    return [(r["都道府県名"], r["市区町村名"] or "-") for r in _read_csv("municipalities.csv")]


def plausible_statuses(rng: random.Random, steps: int = 40) -> list[str]:
    """Earlier steps more complete: a progress point, a few steps in progress after it, some 対象外."""
    reached = min(steps, int(steps * rng.betavariate(6.0, 1.2)) + rng.randint(0, 2))
    out: list[str] = []
    for i in range(steps):
        if rng.random() < 0.02:
            out.append(NOT_APPLICABLE)
        elif i < reached:
            out.append(COMPLETED)
        elif i < reached + rng.randint(0, 3):
            out.append(IN_PROGRESS)
        else:
            out.append(NOT_STARTED)
    return out


def _data_rows(
    orgs: Iterable[tuple[str, str]], businesses: Sequence[str] | None, rng: random.Random
) -> Iterable[list[str]]:
    all_businesses = businesses or business_names()
    for prefecture, name in orgs:
        is_prefecture = name.strip() in ("", "-")
        names = [b for b in all_businesses if b in PREFECTURE_BUSINESSES] if is_prefecture else all_businesses
        for business in names:
            yield [prefecture, "-" if is_prefecture else name, business, *plausible_statuses(rng)]


def write_national_workbook(
    path: str | Path,
    *,
    as_of_label: str = "令和8年1月",
    seed: int = 0,
    orgs: Sequence[tuple[str, str]] | None = None,
    businesses: Sequence[str] | None = None,
    summary_sheet: bool = True,
) -> int:
    """Write the workbook to `path`; returns the number of data rows.

    `orgs`: (都道府県名, 市区町村名) pairs (市区町村名 "-" or "" for the prefecture's own rows, which get
    only 児童扶養手当 and 生活保護); default every 団体 in municipalities.csv. `businesses`: a subset of
    business names.
    """
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    ws.append([TITLE.format(label=as_of_label)])
    ws.append([])
    ws.append(["都道府県名", "市区町村名", "業務名", *step_headings()])
    count = 0
    for row in _data_rows(orgs if orgs is not None else national_orgs(), businesses, rng):
        ws.append(row)
        count += 1
    if summary_sheet:
        summary = wb.create_sheet(f"{as_of_label}_進捗状況")
        summary.append([f"都道府県別の進捗状況（{as_of_label}末時点）"])
        summary.append(["都道府県名", "団体数", "平均完了率"])
        summary.append(["（この表は取り込みには使いません）"])
    wb.save(str(path))
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="総務省形式の進捗ワークブック（架空データ）を生成します")
    parser.add_argument("-o", "--output", required=True, help="出力先の .xlsx")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--as-of-label", default="令和8年1月", help="タイトルに入れる年月（例: 令和8年1月）")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = write_national_workbook(args.output, as_of_label=args.as_of_label, seed=args.seed)
    print(f"{args.output}: {count} 行 ({time.perf_counter() - started:.1f} 秒)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
