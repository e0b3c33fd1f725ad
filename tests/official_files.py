"""Build the government's files in their published layouts from the official CSVs shipped with shinchoku.

総務省's monthly workbook (the 市区町村 sheet with two merged header rows and % formats, the step sheet of the
prefectures' own systems, a prefecture summary and a note sheet) and デジタル庁's 特定移行支援 list (title row,
header on row 3, ● marks, codes as published: 6 digits, 5 digits or a number that lost its leading zero).
Names are written as they appear in the wild: 檮原町, 鎌ヶ谷市, 「府中市　」.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from shinchoku.reference.official import OFFICIAL_DIR

# Both ministries list these 12 businesses one after the other, in this order
TAX_TO_CHILDCARE = (
    "軽自動車税",
    "就学",
    "国民年金",
    "国民健康保険",
    "後期高齢者医療",
    "介護保険",
    "障害者福祉",
    "生活保護",
    "健康管理",
    "児童手当",
    "児童扶養手当",
    "子ども・子育て支援",
)
# 総務省's order and spelling of the 20 businesses in the 市区町村 sheet
SOUMU_BUSINESSES = (
    "住民記録",
    "選挙人名簿管理",
    "固定資産税",
    "個人住民税",
    "法人住民税",
    *TAX_TO_CHILDCARE,
    "戸籍",
    "戸籍附票",
    "印鑑登録",
)
# The column of our CSV each of 総務省's names stands for
CSV_NAME = {"住民記録": "住民基本台帳", "戸籍附票": "戸籍の附票"}
# デジタル庁's order in the 結果一覧 sheet
DIGITAL_BUSINESSES = (
    "住民基本台帳",
    "印鑑登録",
    "戸籍",
    "戸籍の附票",
    "選挙人名簿管理",
    "個人住民税",
    "法人住民税",
    "固定資産税",
    *TAX_TO_CHILDCARE,
)
DIGITAL_KINDS = {"指定都市", "中核市", "一般市", "町", "村", "特別区", "都道府県"}
# Names as other files spell them: variant characters and a trailing full-width space
WILD_NAMES = {"394050": "檮原町", "122246": "鎌ヶ谷市", "132063": "府中市\u3000", "342084": "府中市\u3000"}


def read_official(name: str) -> list[dict[str, str]]:
    with (OFFICIAL_DIR / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def soumu_workbook(
    *,
    rates_as_text: frozenset[str] = frozenset({"011002", "042021"}),
    extra_sheets: bool = True,
    municipal: bool = True,
    steps: bool = True,
) -> bytes:
    """総務省's 令和8年1月 workbook rebuilt from the official CSVs (no code anywhere, as published)."""
    wb = Workbook()
    wb.remove(wb.active)
    if municipal:
        _municipal_sheet(wb, rates_as_text)
    if steps:
        _steps_sheet(wb)
    if extra_sheets:
        summary = wb.create_sheet("都道府県別")
        summary.append(["都道府県名", "完了率", "業務別完了率"])
        summary.append(["北海道", 0.8, None])
        notes = wb.create_sheet("注記")
        notes.append(["※ 完了率は、完了済み及び対象外のステップ数を40で除したもの"])
    return _save(wb)


def _municipal_sheet(wb: Workbook, rates_as_text: frozenset[str]) -> None:
    ws = wb.create_sheet("令和8年1月_進捗状況")
    ws.append(["都道府県名", "市区町村名", "完了率", "業務別完了率", *([None] * (len(SOUMU_BUSINESSES) - 1))])
    ws.append([None, None, None, *SOUMU_BUSINESSES])
    for column in ("A", "B", "C"):
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells(f"D1:{get_column_letter(3 + len(SOUMU_BUSINESSES))}1")
    # Rows are numbered here: ws.max_row and ws[row] scan every cell written so far (O(n²) over 1,741 rows).
    for number, r in enumerate(read_official("soumu_municipal_business_rates_2026-01.csv"), start=3):
        code = r["全国地方公共団体コード"]
        name = WILD_NAMES.get(code, r["市区町村名"])
        rates = [float(r[CSV_NAME.get(b, b)]) for b in SOUMU_BUSINESSES]
        overall = float(r["完了率（全体）"])
        if code in rates_as_text:
            ws.append([r["都道府県名"], name, f"{overall * 100:.2f}%", *(f"{v * 100:.1f}%" for v in rates)])
            continue
        ws.append([r["都道府県名"], name, overall, *rates])
        for column in range(3, 4 + len(rates)):
            ws.cell(row=number, column=column).number_format = "0.0%"


def _steps_sheet(wb: Workbook) -> None:
    from shinchoku.imports.context import REFERENCE_DATA_DIR

    headings = _step_headings()
    with (REFERENCE_DATA_DIR / "municipalities.csv").open(encoding="utf-8-sig", newline="") as f:
        names = {r["全国地方公共団体コード"]: (r["都道府県名"], r["市区町村名"]) for r in csv.DictReader(f)}
    ws = wb.create_sheet("業務別ステップ別進捗一覧")
    ws.append(["市区町村の標準化・共通化に係る手順書の各ステップの進捗状況（令和8年1月末時点）"])
    ws.append([])
    ws.append(["都道府県名", "市区町村名", "業務名", *headings])
    rows: dict[tuple[str, str], list[str]] = {}
    for r in read_official("soumu_prefecture_steps_2026-01.csv"):
        rows.setdefault((r["全国地方公共団体コード"], r["対象システム"]), [""] * 40)[int(r["作業ステップ"]) - 1] = r[
            "状態"
        ]
    for (code, business), statuses in sorted(rows.items()):
        prefecture = names[code][0] if code in names else code
        ws.append([prefecture, "-", business, *statuses])


def _step_headings() -> list[str]:
    from shinchoku.imports.context import REFERENCE_DATA_DIR

    with (REFERENCE_DATA_DIR / "standard_steps.csv").open(encoding="utf-8-sig", newline="") as f:
        return [f"{r['作業項目番号']} {r['作業ステップ名']}" for r in csv.DictReader(f)]


def digital_list(*, rows: list[dict[str, str]] | None = None, title_date: str = "令和7年12月末時点") -> bytes:
    """デジタル庁's 結果一覧 sheet: codes as published — every third lost its leading zero (a number),
    every third in the 5-digit form without check digit, the rest 6 digits."""
    wb = Workbook()
    ws = wb.active
    ws.title = "結果一覧"
    ws.append([f"特定移行支援システムの該当見込み一覧（{title_date}）"])
    ws.append([])
    ws.append(["団体コード", "自治体名", "自治体区分", *DIGITAL_BUSINESSES, "共通機能"])
    source = rows if rows is not None else read_official("digital_special_support_2025-12.csv")
    for i, r in enumerate(source):
        code = r["全国地方公共団体コード"]
        published: object = code
        if i % 3 == 0:
            published = int(code)
        elif i % 3 == 1:
            published = code[:5]
        ws.append(
            [
                published,
                r["地方公共団体名"],
                r["団体区分"],
                *(r[b] or None for b in DIGITAL_BUSINESSES),
                r["共通機能"] or None,
            ]
        )
    return _save(wb)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
