"""総務省's 市区町村 sheet 「令和N年M月_進捗状況」: each 市区町村's 完了率 and its 20 business 完了率 (docs/formats.md).

Rates only — no step statuses. Two header rows with merged cells (都道府県名, 市区町村名, 完了率 spanning both;
「業務別完了率」 over the business names in the second row); columns are found by their text, never by
position. Our own compiled CSV of the same figures (one header row, with 全国地方公共団体コード and 基準日)
is read by the same code. Each rate is k/40 and is kept as k.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.calendar import DateError, find_wareki_month, parse_date, to_month_end
from shinchoku.domain.codes import CodeError, normalize_code
from shinchoku.domain.names import fold_name
from shinchoku.domain.progress import NATIONAL_STEPS

from .context import ParseContext
from .names import resolve_org
from .problems import FirstRows, ProblemList, ReadFrom, column_label
from .workbook import Cell, Grid, cell_text

__all__ = ["RateReport", "RatesLayout", "find_rates_layout", "is_rates_sheet_name", "read_rate", "read_rates"]

HEADER_SCAN_ROWS = 10
# 「令和8年1月_進捗状況」: the sheet 総務省 names after the month.
_SHEET_NAME = re.compile(r"(令和|平成|R|H)?\s*\d+\s*年\s*\d+\s*月.*進捗状況")
_PREF = {fold_name(h) for h in ("都道府県名", "都道府県")}
_NAME = {fold_name(h) for h in ("市区町村名", "市区町村", "団体名", "地方公共団体名")}
_CODE = {fold_name(h) for h in ("全国地方公共団体コード", "団体コード", "地方公共団体コード")}
_AS_OF = {fold_name(h) for h in ("基準日", "時点")}
_OVERALL = re.compile(r"^完了率(（全体）|\(全体\)|（団体）|全体)?$")
RATE_EXPECTED = "0〜1 の数（% の書式）、または「65.0%」のような文字。1/40（2.5%）の倍数"
# Published overall rates have 4 decimals; a larger gap to the mean of the businesses is worth a warning.
OVERALL_TOLERANCE = 0.0006


@dataclass(frozen=True)
class RateReport(ReadFrom):
    """The published 完了率 of one business of one 団体 for a month, as k of the 40 steps."""

    org_code: str
    business: int
    system_name: str
    as_of: date
    done: int


@dataclass(frozen=True)
class RatesLayout:
    header: int  # 0-based row holding 都道府県名 / 市区町村名
    first_data: int
    prefecture: int | None
    name: int | None
    code: int | None
    as_of: int | None
    overall: int | None
    businesses: dict[int, int] = field(default_factory=dict)  # column → business number


def is_rates_sheet_name(name: str) -> bool:
    return bool(_SHEET_NAME.search(cell_text(name)))


def _text(cell: Cell) -> str:
    return cell_text(cell) if isinstance(cell, str) else ""


def find_rates_layout(grid: Grid, ctx: ParseContext) -> RatesLayout | None:
    """The header of a rates sheet: a row naming the 団体 (or their codes) with 10 or more business columns
    in it or in the row below (the two-row header with merged cells)."""
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys: dict[str, int] = {}
        for j, cell in enumerate(row):
            folded = fold_name(_text(cell))
            if not folded:
                continue
            for key, names in (("pref", _PREF), ("name", _NAME), ("code", _CODE), ("as_of", _AS_OF)):
                if folded in names and key not in keys:
                    keys[key] = j
            if "overall" not in keys and _OVERALL.match(_text(cell).replace(" ", "")):
                keys["overall"] = j
        if not ({"name", "code"} & set(keys)):
            continue
        below = grid[i + 1] if i + 1 < len(grid) else []
        businesses, second = _business_columns(row, ctx, keys), False
        if len(businesses) < 10:
            businesses, second = _business_columns(below, ctx, keys), True
        if len(businesses) >= 10:
            return RatesLayout(
                header=i,
                first_data=i + (2 if second else 1),
                prefecture=keys.get("pref"),
                name=keys.get("name"),
                code=keys.get("code"),
                as_of=keys.get("as_of"),
                overall=keys.get("overall"),
                businesses=businesses,
            )
    return None


def _business_columns(row: list[Cell], ctx: ParseContext, keys: dict[str, int]) -> dict[int, int]:
    used = set(keys.values())
    found: dict[int, int] = {}
    for j, cell in enumerate(row):
        text = _text(cell)
        if j in used or not text:
            continue
        number = ctx.business_of(text)
        if number is not None and number not in found.values():
            found[j] = number
    return found


def read_rate(value: Cell) -> float | None:
    """A rate cell as a fraction: 0.65, 「65.0%」, 「65%」; None for an empty cell or 「-」. ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = cell_text(value).replace(",", "")
        if text in ("", "-", "－", "—", "―"):
            return None
        percent = text.endswith("%")
        try:
            number = float(text.rstrip("%").strip())
        except ValueError:
            raise ValueError(text) from None
        if percent:
            number /= 100
    if not 0 <= number <= 1:
        raise ValueError(cell_text(value))
    return number


def _done(rate: float) -> int | None:
    """k when rate is k/40 (rounding as published allows), else None."""
    k = round(rate * NATIONAL_STEPS)
    return k if abs(rate * NATIONAL_STEPS - k) <= 0.02 else None


def _rate_and_done(value: Cell) -> tuple[float, int] | str | None:
    """A cell's 完了率 and its k of 40; None for an empty cell, else the message saying why it cannot be read."""
    try:
        rate = read_rate(value)
    except ValueError:
        return f"「{cell_text(value)}」は完了率として読めません。"
    if rate is None:
        return None
    done = _done(rate)
    if done is None:
        return f"完了率 {rate:.4%} は 1/40（2.5%）の倍数ではありません（完了率＝完了・対象外のステップ数÷40）。"
    return rate, done


def _month_of(layout: RatesLayout, grid: Grid, sheet: str, ctx: ParseContext, problems: ProblemList) -> date | None:
    """--as-of, else the month in the sheet name, a title row above the header, or the file name."""
    if ctx.as_of is not None:
        return ctx.as_of
    texts = [sheet, *(c for row in grid[: layout.header] for c in row if isinstance(c, str) and c), ctx.filename]
    for text in texts:
        found = find_wareki_month(text)
        if found is not None:
            return found
    if layout.as_of is not None:
        return None  # each row names its 基準日
    problems.error(
        "基準日が分かりません。シート名・タイトル行・ファイル名に「令和8年1月」のような年月がありません"
        "（--as-of で指定してください）。"
    )
    return None


def read_rates(
    grid: Grid, sheet: str, layout: RatesLayout, ctx: ParseContext, problems: ProblemList
) -> list[RateReport]:
    """Every 市区町村 × business rate of the sheet; problems name the sheet, row and column."""
    problems.sheet = sheet
    month = _month_of(layout, grid, sheet, ctx, problems)
    if problems.has_errors:
        return []
    labels = {j: column_label(j, ctx.business_names.get(b, "")) for j, b in layout.businesses.items()}
    out: list[RateReport] = []
    first_rows = FirstRows(problems, "同じ団体")
    for i in range(layout.first_data, len(grid)):
        cells = grid[i]
        row = i + 1

        def at(j: int | None, cells: list[Cell] = cells) -> Cell:
            return cells[j] if j is not None and j < len(cells) else ""

        pref, name, code_text = cell_text(at(layout.prefecture)), cell_text(at(layout.name)), cell_text(at(layout.code))
        values = {j: at(j) for j in layout.businesses}
        if not (pref or name or code_text) and all(cell_text(v) == "" for v in values.values()):
            continue
        code = _org_code(pref, name, code_text, layout, ctx, problems, row)
        as_of = month if month is not None else _row_month(at(layout.as_of), layout, problems, row)
        if code is None or as_of is None:
            continue
        if first_rows.repeated(code, row, value=name or code_text):
            continue
        rates: list[float] = []
        for j, business in layout.businesses.items():
            read = _rate_and_done(values[j])
            if read is None:
                continue  # no such system in this 団体
            if isinstance(read, str):
                problems.error(read, row=row, column=labels[j], value=cell_text(values[j]), expected=RATE_EXPECTED)
                continue
            rate, done = read
            rates.append(rate)
            system = ctx.business_names.get(business, "")
            out.append(RateReport(code, business, system, as_of, done, sheet=sheet, row=row, column=labels[j]))
        _check_overall(at(layout.overall), rates, layout, problems, row)
    return out


def _org_code(
    pref: str, name: str, code_text: str, layout: RatesLayout, ctx: ParseContext, problems: ProblemList, row: int
) -> str | None:
    if code_text:
        try:
            code = normalize_code(code_text, ctx.known_codes)
        except CodeError as exc:
            problems.error(str(exc), row=row, column=column_label(layout.code or 0, "団体コード"), value=code_text)
            return None
        return code
    found = resolve_org(pref, name, ctx)
    if isinstance(found, str):
        return found
    message, which, value, suggestion = found
    column = layout.prefecture if which == "prefecture" else layout.name
    heading = "都道府県名" if which == "prefecture" else "市区町村名"
    problems.error(message, row=row, column=column_label(column or 0, heading), value=value, suggestion=suggestion)
    return None


def _row_month(value: Cell, layout: RatesLayout, problems: ProblemList, row: int) -> date | None:
    try:
        if isinstance(value, date):
            return to_month_end(value)
        return to_month_end(parse_date(cell_text(value)))
    except (DateError, ValueError) as exc:
        problems.error(str(exc), row=row, column=column_label(layout.as_of or 0, "基準日"), value=cell_text(value))
        return None


def _check_overall(value: Cell, rates: list[float], layout: RatesLayout, problems: ProblemList, row: int) -> None:
    """The overall 完了率 is the mean of the business rates; a mismatch is worth a look, not a refusal."""
    if layout.overall is None or not rates:
        return
    try:
        overall = read_rate(value)
    except ValueError:
        overall = None
    if overall is None:
        return
    mean = sum(rates) / len(rates)
    if abs(overall - mean) > OVERALL_TOLERANCE:
        problems.warning(
            f"完了率（全体）{overall:.2%} が業務別完了率の平均 {mean:.2%} と一致しません（業務別の値を取り込みます）。",
            row=row,
            column=column_label(layout.overall, "完了率"),
            value=cell_text(value),
        )
