"""デジタル庁's 特定移行支援システムの該当見込み一覧 (sheet 「結果一覧」), and our compiled CSV of it.

Row 1 a title naming the date (「…（令和7年12月末時点）」), row 3 the header: 団体コード, 自治体名 (prefecture +
municipality, a prefecture alone for its own systems), 自治体区分, the 20 businesses in デジタル庁's spelling
and 共通機能; 「●」 marks a system expected to need 特定移行支援. Codes may have 5 or 6 digits or have lost
their leading zero; the name settles which 団体 a code means. 共通機能 is a system of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.calendar import DateError, find_wareki_month, parse_date, to_month_end
from shinchoku.domain.codes import CodeError, code_candidates
from shinchoku.domain.names import fold_name

from .context import ParseContext
from .problems import FirstRows, ProblemList, column_label
from .workbook import Cell, Grid, cell_text

__all__ = [
    "COMMON",
    "SHEET_NAME",
    "SpecialEntry",
    "SpecialList",
    "SpecialListLayout",
    "find_special_layout",
    "read_special_list",
]

SHEET_NAME = "結果一覧"
COMMON = "共通機能"
HEADER_SCAN_ROWS = 10
_CODE = {fold_name(h) for h in ("団体コード", "全国地方公共団体コード", "地方公共団体コード")}
_NAME = {fold_name(h) for h in ("自治体名", "地方公共団体名", "団体名")}
_AS_OF = {fold_name(h) for h in ("基準日", "時点")}
_MARKS = {"●", "○", "◯", "〇", "1", "TRUE", "該当", "対象"}
_BLANKS = {"", "-", "－", "×", "0", "FALSE"}
MARK_EXPECTED = "「●」（該当）または空欄"
_TITLE_HINT = re.compile(r"特定移行支援")


@dataclass(frozen=True)
class SpecialEntry:
    org_code: str
    business: int | None  # None: 共通機能
    row: int
    column: str


@dataclass
class SpecialList:
    as_of: date | None
    title: str
    sheet: str
    entries: list[SpecialEntry] = field(default_factory=list)
    organizations: set[str] = field(default_factory=set)  # every 団体 with a row, marked or not


@dataclass(frozen=True)
class SpecialListLayout:
    header: int
    code: int | None
    name: int | None
    as_of: int | None
    common: int | None
    businesses: dict[int, int]  # column → business number


def find_special_layout(grid: Grid, ctx: ParseContext) -> SpecialListLayout | None:
    """A header row with a code or name column, 10 or more business columns and no 完了率 (that is the
    rates sheet) — the marks distinguish it further when the rows are read."""
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys: dict[str, int] = {}
        businesses: dict[int, int] = {}
        common = None
        for j, cell in enumerate(row):
            text = cell_text(cell) if isinstance(cell, str) else ""
            folded = fold_name(text)
            if not folded:
                continue
            if "完了率" in text or "業務名" in text:
                break
            for key, names in (("code", _CODE), ("name", _NAME), ("as_of", _AS_OF)):
                if folded in names and key not in keys:
                    keys[key] = j
            if folded == fold_name(COMMON):
                common = j
            number = ctx.business_of(text)
            if number is not None and number not in businesses.values():
                businesses[j] = number
        else:
            if ({"code", "name"} & set(keys)) and len(businesses) >= 10 and common is not None:
                return SpecialListLayout(i, keys.get("code"), keys.get("name"), keys.get("as_of"), common, businesses)
    return None


def _list_date(grid: Grid, layout: SpecialListLayout, sheet: str, ctx: ParseContext) -> tuple[date | None, str]:
    """--as-of, else the date in the title above the header (「令和7年12月末時点」), the sheet or file name."""
    titles = [cell_text(c) for row in grid[: layout.header] for c in row if isinstance(c, str) and cell_text(c)]
    title = next((t for t in titles if _TITLE_HINT.search(t)), titles[0] if titles else "")
    if ctx.as_of is not None:
        return ctx.as_of, title
    for text in [*titles, sheet, ctx.filename]:
        found = find_wareki_month(text)
        if found is not None:
            return found, title
    return None, title


def read_special_list(
    grid: Grid, sheet: str, layout: SpecialListLayout, ctx: ParseContext, problems: ProblemList
) -> SpecialList:
    problems.sheet = sheet
    as_of, title = _list_date(grid, layout, sheet, ctx)
    result = SpecialList(as_of=as_of, title=title, sheet=sheet)
    columns = {**layout.businesses, **({layout.common: None} if layout.common is not None else {})}
    labels = {j: column_label(j, ctx.business_names.get(b, COMMON) if b else COMMON) for j, b in columns.items()}
    first_rows = FirstRows(problems, "同じ団体")
    row_dates: set[date] = set()
    for i in range(layout.header + 1, len(grid)):
        cells = grid[i]
        row = i + 1

        def at(j: int | None, cells: list[Cell] = cells) -> str:
            return cell_text(cells[j]) if j is not None and j < len(cells) else ""

        code_text, name = at(layout.code), at(layout.name)
        marks = {j: at(j).upper() for j in columns}
        if not code_text and not name and not any(marks.values()):
            continue
        code = _org(code_text, name, layout, ctx, problems, row)
        if layout.as_of is not None and as_of is None:
            found = _row_date(at(layout.as_of), layout, problems, row)
            if found is not None:
                row_dates.add(found)
        if code is None:
            continue
        if first_rows.repeated(code, row, value=name or code_text):
            continue
        result.organizations.add(code)
        for j, business in columns.items():
            mark = marks[j]
            if mark in _MARKS:
                result.entries.append(SpecialEntry(code, business, row, labels[j]))
            elif mark not in _BLANKS:
                problems.error(
                    f"「{mark}」は該当の印として読めません。",
                    row=row,
                    column=labels[j],
                    value=mark,
                    expected=MARK_EXPECTED,
                )
    if result.as_of is None:
        if len(row_dates) == 1:
            result.as_of = row_dates.pop()
        elif len(row_dates) > 1:
            problems.error("基準日の列に複数の日付があります。1つの一覧は1つの時点です。")
        else:
            problems.error(
                "一覧の時点が分かりません。タイトル行に「令和7年12月末時点」のような年月がありません"
                "（--as-of で指定してください）。"
            )
    return result


def _org(
    code_text: str, name: str, layout: SpecialListLayout, ctx: ParseContext, problems: ProblemList, row: int
) -> str | None:
    """The 団体 a row means: its code (5 or 6 digits, or missing its leading zero), checked against its name."""
    by_name = ctx.name_index.lookup(name) if name else None
    named = by_name.code if by_name is not None and by_name.status == "found" else None
    if code_text:
        try:
            candidates = [c for c in code_candidates(code_text) if c in ctx.known_codes]
        except CodeError as exc:
            message = str(exc)
        else:
            if named is not None and named in candidates:
                return named
            if len(candidates) == 1 and (named is None or not name):
                return candidates[0]
            if candidates and named is not None:
                message = f"団体コード「{code_text}」と自治体名「{name}」が別の団体を指しています。"
            elif len(candidates) == 1:
                return candidates[0]
            else:
                message = f"団体コード「{code_text}」に当てはまる団体が見つかりません。"
        problems.error(message, row=row, column=column_label(layout.code or 0, "団体コード"), value=code_text)
        return None
    if named is not None:
        return named
    suggestion = "、".join(by_name.suggestions) if by_name is not None else ""
    problems.error(
        f"自治体名「{name}」に当てはまる団体が見つかりません。",
        row=row,
        column=column_label(layout.name or 0, "自治体名"),
        value=name,
        suggestion=suggestion,
    )
    return None


def _row_date(text: str, layout: SpecialListLayout, problems: ProblemList, row: int) -> date | None:
    try:
        return to_month_end(parse_date(text))
    except (DateError, ValueError) as exc:
        problems.error(str(exc), row=row, column=column_label(layout.as_of or 0, "基準日"), value=text)
        return None
