"""Reading the cost CSV (and the same table in a workbook, such as the staff XLSX template): every row checked,
every problem named by row and column, nothing written (docs/formats.md §11).

    全国地方公共団体コード,年度,区分,金額（千円）,対象システム,備考

A row whose 区分 is 「コメント」 carries the 年度's comment in 備考 (its 金額 stays empty; an empty 備考 keeps the
comment in force).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shinchoku import SAMPLE_LABEL
from shinchoku.domain.codes import CodeError, normalize_code
from shinchoku.domain.names import fold_name
from shinchoku.imports.context import ParseContext
from shinchoku.imports.problems import Problem, ProblemList, column_label
from shinchoku.imports.rows import SheetReport
from shinchoku.imports.workbook import Cell, Grid, cell_text

from .domain import (
    CATEGORIES,
    YEAR_EXAMPLES,
    AmountError,
    FiscalYearError,
    category_of,
    parse_amount,
    parse_fiscal_year,
)

__all__ = ["COLUMNS", "FORMAT_NAME", "CostRow", "ParsedCosts", "find_header", "looks_like_costs", "parse_tables"]

FORMAT_NAME = "costs"  # `shinchoku import --format costs`

CODE, YEAR, CATEGORY, AMOUNT, SYSTEM, NOTE = (
    "全国地方公共団体コード",
    "年度",
    "区分",
    "金額（千円）",
    "対象システム",
    "備考",
)
COLUMNS = (CODE, YEAR, CATEGORY, AMOUNT, SYSTEM, NOTE)
REQUIRED = (CODE, YEAR, CATEGORY, AMOUNT)
DATA_LABEL = "データ区分"
# Columns our exports add (open data): read without a warning, not used (データ区分 marks sample data).
INFORMATIONAL = ("地方公共団体名", "団体名", "都道府県名", "市区町村名", "報告月", "基準日", DATA_LABEL)
ALIASES = {
    "団体コード": CODE,
    "地方公共団体コード": CODE,
    "金額": AMOUNT,
    "金額(千円)": AMOUNT,
    "運用経費（千円）": AMOUNT,
    "経費区分": CATEGORY,
    "システム": SYSTEM,
    "対象業務": SYSTEM,
}
COMMENT_CATEGORIES = ("コメント", "年度のコメント")
COMMON_SYSTEM = "共通機能"
MAX_NOTE = 200
MAX_COMMENT = 2000
_KNOWN = {fold_name(c): c for c in (*COLUMNS, *INFORMATIONAL)}
_KNOWN.update({fold_name(a): c for a, c in ALIASES.items()})
_COMMENT = {fold_name(c) for c in COMMENT_CATEGORIES}
HEADER_ROWS = 10


@dataclass(frozen=True)
class CostRow:
    org: str
    fiscal_year: int
    category: str  # a category key
    system: str  # "" for the 団体 as a whole
    amount: int
    note: str
    row: int


@dataclass
class ParsedCosts:
    """What a cost file holds: amount rows, the comments by (団体, 年度), and what is wrong."""

    rows: list[CostRow] = field(default_factory=list)
    comments: dict[tuple[str, int], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    sample_data: bool = False  # rows marked 架空のサンプルデータ (an export of sample data)
    format: str = FORMAT_NAME

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def empty(self) -> bool:
        return not self.rows and not self.comments

    @property
    def organizations(self) -> set[str]:
        """Every 団体 the file names (permission is checked for all of them, changed or not)."""
        return {r.org for r in self.rows} | {org for org, _fy in self.comments}

    @property
    def years(self) -> set[tuple[str, int]]:
        return {(r.org, r.fiscal_year) for r in self.rows} | set(self.comments)


def _column(cell: Cell) -> str | None:
    return _KNOWN.get(fold_name(cell_text(cell)))


def looks_like_costs(header: Sequence[Cell]) -> bool:
    """A header naming 全国地方公共団体コード, 年度 and 金額（千円）."""
    names = {_column(c) for c in header}
    return CODE in names and YEAR in names and AMOUNT in names


def find_header(grid: Grid) -> int | None:
    """The 0-based index of the header row among the first rows, else None."""
    for i, row in enumerate(grid[:HEADER_ROWS]):
        if looks_like_costs(row):
            return i
    return None


def parse_tables(
    tables: Sequence[tuple[str, Grid]],
    ctx: ParseContext,
    *,
    org_systems: Mapping[str, Mapping[str, str]],
    latest_year: int,
) -> ParsedCosts:
    """The first table with a cost header (other sheets are reported as skipped); never raises."""
    parsed = ParsedCosts()
    problems = ProblemList(ctx.filename)
    chosen = False
    for name, grid in tables:
        start = None if chosen else find_header(grid)
        if start is None:
            if name:
                reason = (
                    "運用経費の表ではないため読み込みません" if not chosen else "最初の運用経費の表だけを読み込みます"
                )
                parsed.sheets.append(SheetReport(name, "skipped", reason))
            continue
        chosen = True
        reader = _Reader(grid, start, name, ctx, problems, org_systems, latest_year, parsed)
        count = reader.read()
        if name:
            parsed.sheets.append(SheetReport(name, "read", "運用経費", count))
    if not chosen:
        listed = "、".join(f"「{n}」" for n, _g in tables if n)
        problems.error(
            f"運用経費の見出し行（{','.join(COLUMNS)}）が見つかりません"
            + (f"（シート: {listed}）。" if listed else "。"),
            expected=",".join(COLUMNS),
        )
    parsed.problems = problems.to_list()
    return parsed


class _Reader:
    def __init__(
        self,
        grid: Grid,
        start: int,
        sheet: str,
        ctx: ParseContext,
        problems: ProblemList,
        org_systems: Mapping[str, Mapping[str, str]],
        latest_year: int,
        parsed: ParsedCosts,
    ) -> None:
        self.grid, self.start, self.sheet, self.ctx = grid, start, sheet, ctx
        self.problems, self.org_systems, self.latest_year, self.parsed = problems, org_systems, latest_year, parsed
        self.index: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.seen: dict[tuple[str, int, str, str], int] = {}
        self.comment_rows: dict[tuple[str, int], int] = {}

    def error(self, message: str, row: int, column: str = "", value: object = "", **kw: str) -> None:
        self.problems.error(
            message, sheet=self.sheet, row=row, column=self.labels.get(column, column), value=value, **kw
        )

    def header(self) -> bool:
        row = self.start + 1
        for j, cell in enumerate(self.grid[self.start]):
            text = cell_text(cell)
            if not text:
                continue
            label = column_label(j, text)
            column = _column(cell)
            if column is None:
                self.problems.warning(
                    f"列「{text}」は使わない列なので無視します。", sheet=self.sheet, row=row, column=label, value=text
                )
            elif column in self.index:
                self.error(f"列「{column}」が2つあります（{self.labels[column]}と{label}）。", row, label)
            else:
                self.index[column], self.labels[column] = j, label
        missing = [c for c in REQUIRED if c not in self.index]
        if missing:
            self.error(
                f"必須の列がありません: {'、'.join(missing)}（見出し行に {','.join(REQUIRED)} が必要です）。",
                row,
                expected=",".join(COLUMNS),
            )
        return not missing

    def cell(self, record: Sequence[Cell], column: str) -> Cell:
        j = self.index.get(column)
        return record[j] if j is not None and j < len(record) else ""

    def read(self) -> int:
        if not self.header():
            return 0
        count = 0
        for i in range(self.start + 1, len(self.grid)):
            record = self.grid[i]
            if not any(cell_text(c) for c in record):
                continue
            count += self.read_row(record, i + 1)
            if self.problems.full:
                break
        return count

    def read_row(self, record: Sequence[Cell], row: int) -> int:
        errors_before = self.problems.error_count
        if cell_text(self.cell(record, DATA_LABEL)) == SAMPLE_LABEL:
            self.parsed.sample_data = True
        org = self.code(record, row)
        year = self.year(record, row)
        raw_category = cell_text(self.cell(record, CATEGORY))
        note = cell_text(self.cell(record, NOTE))
        if fold_name(raw_category) in _COMMENT:
            return self.comment(record, row, org, year, note, errors_before)
        category = self.category(raw_category, row)
        amount = self.amount(record, row)
        system = self.system(record, row, org)
        if len(note) > MAX_NOTE:
            self.error(f"備考が長すぎます（{len(note)}文字。{MAX_NOTE}文字まで）。", row, NOTE, note)
        if self.problems.error_count > errors_before or org is None or year is None or category is None:
            return 0
        if amount is None:
            if note or system:
                self.problems.warning(
                    "金額が空欄のため、この行は読み込みません（報告しない区分は行ごと省けます）。",
                    sheet=self.sheet,
                    row=row,
                    column=self.labels[AMOUNT],
                )
            return 0
        key = (org, year, category, system)
        if key in self.seen:
            what = f"{year}年度・{raw_category}" + (f"・{system}" if system else "")
            self.error(f"同じ団体・{what}の行が2つあります（{self.seen[key]}行目と{row}行目）。", row, CATEGORY)
            return 0
        self.seen[key] = row
        self.parsed.rows.append(CostRow(org, year, category, system, amount, note, row))
        return 1

    def comment(
        self, record: Sequence[Cell], row: int, org: str | None, year: int | None, note: str, errors_before: int
    ) -> int:
        if cell_text(self.cell(record, AMOUNT)):
            self.error("「コメント」の行には金額を入れません（コメントは備考の列に書きます）。", row, AMOUNT)
        if not note and self.problems.error_count == errors_before:
            return 0  # an empty comment row (the template has one per 年度) keeps the comment in force
        if len(note) > MAX_COMMENT:
            self.error(f"コメントが長すぎます（{len(note)}文字。{MAX_COMMENT}文字まで）。", row, NOTE, note)
        if self.problems.error_count > errors_before or org is None or year is None:
            return 0
        if (org, year) in self.comment_rows:
            first = self.comment_rows[(org, year)]
            self.error(f"同じ団体・{year}年度のコメントの行が2つあります（{first}行目と{row}行目）。", row, CATEGORY)
            return 0
        self.comment_rows[(org, year)] = row
        self.parsed.comments[(org, year)] = note
        return 1

    def code(self, record: Sequence[Cell], row: int) -> str | None:
        value = self.cell(record, CODE)
        text = cell_text(value)
        if not text:
            self.error("全国地方公共団体コードが空欄です。", row, CODE)
            return None
        try:
            return normalize_code(text, self.ctx.known_codes)
        except CodeError as exc:
            self.error(f"全国地方公共団体コードが正しくありません（{exc}）。", row, CODE, text)
            return None

    def year(self, record: Sequence[Cell], row: int) -> int | None:
        value = self.cell(record, YEAR)
        try:
            return parse_fiscal_year(value, latest=self.latest_year)
        except FiscalYearError as exc:
            self.error(str(exc), row, YEAR, value, expected=YEAR_EXAMPLES)
            return None

    def category(self, text: str, row: int) -> str | None:
        found = category_of(text)
        if found is not None:
            return found.key
        labels = [c.label for c in CATEGORIES]
        close = difflib.get_close_matches(text, labels, n=1, cutoff=0.3)
        self.error(
            f"区分「{text}」はありません。" if text else "区分が空欄です。",
            row,
            CATEGORY,
            text,
            expected="、".join([*labels, "コメント"]),
            suggestion=close[0] if close else "",
        )
        return None

    def amount(self, record: Sequence[Cell], row: int) -> int | None:
        value = self.cell(record, AMOUNT)
        try:
            return parse_amount(value if value != "" else None)
        except AmountError as exc:
            self.error(str(exc), row, AMOUNT, value, expected="0以上の整数（千円）")
            return None

    def system(self, record: Sequence[Cell], row: int, org: str | None) -> str:
        text = cell_text(self.cell(record, SYSTEM))
        if not text:
            return ""
        number = self.ctx.business_of(text)
        if number is not None:
            return self.ctx.business_names.get(number, text)
        if fold_name(text) in (fold_name(COMMON_SYSTEM), fold_name("共通")):
            return COMMON_SYSTEM
        own = self.org_systems.get(org or "", {})
        if fold_name(text) in own:
            return own[fold_name(text)]
        suggestion = self.ctx.suggest_business(text)
        self.error(
            f"対象システム「{text}」は20業務の名前でも、この団体が登録したシステムでもありません。"
            "団体全体の経費なら空欄にします。",
            row,
            SYSTEM,
            text,
            suggestion=suggestion,
        )
        return ""
