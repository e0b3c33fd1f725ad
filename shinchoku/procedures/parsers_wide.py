"""The wide sheet as デジタル庁 publishes it: one row per 市区町村 named by prefecture + municipality (no
codes), one column per procedure (its name, number or both as the heading), ○/× or できる/できない in the
cells. Names are matched like the 総務省 workbook (docs/formats.md §3): prefecture + name, variants folded.
The 基準日 comes from --as-of, a 基準日 column, or a title above the header (「令和8年1月末時点」).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shinchoku.domain.calendar import DateError, find_wareki_month
from shinchoku.domain.names import fold_name
from shinchoku.imports.problems import ProblemList, column_label
from shinchoku.imports.workbook import Cell, Grid, cell_text

from .parsers import (
    AVAILABILITY_EXPECTED,
    ParsedProcedures,
    ProcedureContext,
    ProcedureRow,
    read_availability,
    read_month,
    read_org_code,
)

__all__ = ["find_header", "parse_wide_sheets"]

HEADER_SCAN = 15
MIN_PROCEDURES = 3  # a header row names at least this many procedures
MIN_NUMBERED = 20  # or numbers this many of them
_BARE_NUMBER = re.compile(r"(?:No\.?|手続)?\s*[0-9]{1,2}|[\u2460-\u2473\u3251-\u325f]")
_PREF = frozenset(fold_name(t) for t in ("都道府県名", "都道府県"))
_MUNI = frozenset(fold_name(t) for t in ("市区町村名", "市区町村", "市町村名", "市町村"))
_FULL = frozenset(fold_name(t) for t in ("団体名", "地方公共団体名", "自治体名", "団体"))
_CODE = frozenset(fold_name(t) for t in ("全国地方公共団体コード", "団体コード", "地方公共団体コード"))
_AS_OF = frozenset({fold_name("基準日")})
_TOTALS = frozenset(fold_name(t) for t in ("合計", "計", "総計", "全国", "全国計", "小計"))


@dataclass
class _Header:
    row: int  # 0-based index of the header row
    procedures: dict[int, int]  # column → 手続番号
    pref: int | None
    muni: int | None
    full: int | None
    code: int | None
    as_of: int | None
    labels: dict[int, str]


def find_header(grid: Sequence[Sequence[Cell]], ctx: ProcedureContext) -> int | None:
    """The 0-based row (within the first HEADER_SCAN) naming the most procedures, if it names enough."""
    best, best_count = None, 0
    for i, record in enumerate(grid[:HEADER_SCAN]):
        named: set[int] = set()
        numbered: set[int] = set()
        for c in record:
            text = cell_text(c)
            n = ctx.procedure_of(text)
            if n is not None:
                (numbered if _BARE_NUMBER.fullmatch(text) else named).add(n)
        # Names make a header; bare numbers only when nearly all procedures are there (a data row has 1s and 0s).
        count = len(named | numbered) if len(named) >= MIN_PROCEDURES or len(numbered) >= MIN_NUMBERED else 0
        if count > best_count:
            best, best_count = i, count
    return best


def parse_wide_sheets(sheets: Sequence[tuple[str, Grid]], ctx: ProcedureContext) -> ParsedProcedures:
    result = ParsedProcedures("wide")
    problems: list = []
    found = False
    for name, grid in sheets:
        header_row = find_header(grid, ctx)
        if header_row is None:
            continue
        found = True
        sheet_problems = ProblemList(ctx.filename, name)
        header = _read_header(grid, header_row, ctx, sheet_problems)
        if header is not None:
            as_of = _sheet_month(grid, header, name, ctx, sheet_problems)
            if as_of is not None or header.as_of is not None:
                result.rows += _read_rows(grid, header, as_of, ctx, sheet_problems, name)
        problems += sheet_problems.to_list()
    if not found:
        head = ProblemList(ctx.filename)
        head.error(
            "見出し行が見つかりません。長い形式の CSV（全国地方公共団体コード,手続番号,オンライン対応,基準日）か、"
            "手続名を列見出しにした表（1行に1団体）にしてください。",
            expected="全国地方公共団体コード,手続番号,オンライン対応,基準日",
        )
        problems += head.to_list()
    result.problems = problems
    return result


def _read_header(grid: Grid, index: int, ctx: ProcedureContext, problems: ProblemList) -> _Header | None:
    record = grid[index]
    h = _Header(index, {}, None, None, None, None, None, {})
    seen: dict[int, int] = {}
    for j, cell in enumerate(record):
        text = cell_text(cell)
        if not text:
            continue
        label = h.labels[j] = column_label(j, text)
        folded = fold_name(text)
        number = ctx.procedure_of(text)
        if number is not None:
            if number in seen:
                problems.error(
                    f"手続 {number} の列が2つあります（{h.labels[seen[number]]}と{label}）。",
                    row=index + 1,
                    column=label,
                )
            seen[number] = j
            h.procedures[j] = number
        elif folded in _PREF and h.pref is None:
            h.pref = j
        elif folded in _MUNI and h.muni is None:
            h.muni = j
        elif folded in _FULL and h.full is None:
            h.full = j
        elif folded in _CODE and h.code is None:
            h.code = j
        elif folded in _AS_OF and h.as_of is None:
            h.as_of = j
        else:
            suggestion = ctx.suggest_procedure(text)
            if suggestion:  # a misspelt procedure would silently go missing: refuse it
                problems.error(
                    f"列見出し「{text}」はどの手続か読めません。",
                    row=index + 1,
                    column=label,
                    value=text,
                    suggestion=suggestion,
                )
            else:
                problems.warning(f"列「{text}」は手続ではないので無視します。", row=index + 1, column=label, value=text)
    first_procedure = min(h.procedures)
    if h.pref is None and h.muni is None and h.full is None and h.code is None:
        # No labelled name columns: the columns before the first procedure are (prefecture, name) or a name.
        before = [j for j in range(first_procedure) if _column_has_text(grid, index + 1, j)]
        if len(before) >= 2:
            h.pref, h.muni = before[-2], before[-1]
        elif len(before) == 1:
            h.full = before[0]
    if h.muni is not None and h.pref is None and h.code is None:
        problems.error(
            "都道府県名の列がありません（同じ名前の市区町村があるため、都道府県名と市区町村名の両方が必要です）。",
            row=index + 1,
            column=h.labels.get(h.muni, ""),
        )
        return None
    if h.pref is None and h.muni is None and h.full is None and h.code is None:
        problems.error("団体名の列がありません（都道府県名と市区町村名の列が必要です）。", row=index + 1)
        return None
    missing = sorted(set(ctx.procedures) - set(h.procedures.values()))
    if missing:
        problems.warning(
            f"手続 {'、'.join(map(str, missing))} の列がありません（これらの手続は前の基準日の値のままです）。",
            row=index + 1,
        )
    return h


def _column_has_text(grid: Grid, start: int, j: int) -> bool:
    return any(j < len(r) and cell_text(r[j]) for r in grid[start : start + 20])


def _sheet_month(grid: Grid, h: _Header, sheet: str, ctx: ProcedureContext, problems: ProblemList) -> date | None:
    if ctx.as_of is not None:
        return ctx.as_of
    if h.as_of is not None:
        return None  # read per row
    texts = [cell_text(c) for r in grid[: h.row] for c in r] + [sheet, ctx.filename]
    for text in texts:
        month = find_wareki_month(text) if text else None
        if month is not None:
            return month
    problems.error(
        "基準日が分かりません。--as-of で指定するか、表の上に「令和8年1月末時点」のような見出しを入れてください。",
        row=h.row + 1,
    )
    return None


def _read_rows(
    grid: Grid, h: _Header, sheet_as_of: date | None, ctx: ProcedureContext, problems: ProblemList, sheet: str
) -> list[ProcedureRow]:
    rows: list[ProcedureRow] = []
    seen: dict[tuple[str, date], int] = {}
    width = max([*h.procedures, *(c for c in (h.pref, h.muni, h.full, h.code, h.as_of) if c is not None)]) + 1
    for i in range(h.row + 1, len(grid)):
        record = list(grid[i]) + [""] * max(0, width - len(grid[i]))
        excel_row = i + 1
        if not any(cell_text(c) for c in record):
            continue
        code = _row_org(record, h, ctx, problems, excel_row)
        if code == "":
            continue  # a total or prefecture row, skipped
        as_of = sheet_as_of
        if h.as_of is not None:
            month = read_month(record[h.as_of])
            if isinstance(month, DateError):
                problems.error(str(month), row=excel_row, column=h.labels[h.as_of], value=record[h.as_of])
                continue
            as_of = month
        values: list[tuple[int, bool, str]] = []
        for j, number in h.procedures.items():
            value = read_availability(record[j])
            if value is None:
                text = cell_text(record[j])
                problems.error(
                    f"「{text}」はオンライン対応の値として読めません。" if text else "空欄です。",
                    row=excel_row,
                    column=h.labels[j],
                    value=record[j],
                    expected=AVAILABILITY_EXPECTED,
                )
                continue
            values.append((number, value, h.labels[j]))
        if code is None or as_of is None:
            continue
        earlier = seen.get((code, as_of))
        if earlier is not None:
            problems.error(f"同じ団体の行が {earlier}行目 にもあります。", row=excel_row, value=code)
            continue
        seen[(code, as_of)] = excel_row
        rows += [ProcedureRow(code, n, v, as_of, sheet=sheet, row=excel_row, column=label) for n, v, label in values]
    return rows


def _row_org(record: list, h: _Header, ctx: ProcedureContext, problems: ProblemList, row: int) -> str | None:
    """The row's 市区町村 code; "" for a row to skip (total, prefecture); None after an error."""
    if h.code is not None and cell_text(record[h.code]):
        code = read_org_code(cell_text(record[h.code]), ctx)
        if isinstance(code, str):
            return code
        problems.error(str(code), row=row, column=h.labels[h.code], value=record[h.code])
        return None
    pref = cell_text(record[h.pref]) if h.pref is not None else None
    name_column = h.muni if h.muni is not None else h.full
    name = cell_text(record[name_column]) if name_column is not None else ""
    column = h.labels.get(name_column, "") if name_column is not None else ""
    if fold_name(name) in _TOTALS or (not name and fold_name(pref or "") in _TOTALS):
        return ""
    if not name and not pref:
        problems.error("団体名が空です。", row=row, column=column)
        return None
    match = ctx.name_index.lookup(name, pref)
    if match.status == "found" and match.code:
        if match.code in ctx.prefecture_codes:
            problems.warning(
                "都道府県の行は取り込みません（手続のオンライン化は市区町村ごとです）。", row=row, column=column
            )
            return ""
        return match.code
    shown = f"{pref} {name}".strip() if pref else name
    if match.status == "ambiguous":
        problems.error(
            f"「{shown}」に当たる団体が複数あります。都道府県名を入れてください。",
            row=row,
            column=column,
            value=name,
            suggestion="、".join(c.display_name for c in match.candidates),
        )
    else:
        problems.error(
            f"「{shown}」に当たる団体が見つかりません。",
            row=row,
            column=column,
            value=name,
            suggestion="、".join(match.suggestions),
        )
    return None
