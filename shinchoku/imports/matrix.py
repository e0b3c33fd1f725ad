"""A matrix sheet for one 団体, 石巻 style (docs/formats.md §4): steps down, systems across.

First column: the step (1–40, 独自N, 「①-1」 or 「①-1 推進体制案の作成」); optionally a step-name column
next to it (needed for 独自N rows); header row: system names; cells: statuses or symbols (●, ◐, ▲, ×, 未…).
A sheet the other way round — systems down, steps across, headed 「対象システム」 in its top-left cell (the
staff grid's layout and its XLSX template) — is read transposed.
The 団体 and 基準日 come from ctx (--org / --as-of) or from cells in a block above the table
(「団体コード」「団体名」「基準日」), the 基準日 also from a title such as 「令和8年1月末時点」.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shinchoku.domain.calendar import DateError, find_wareki_month, parse_date, parse_month
from shinchoku.domain.codes import CodeError, normalize_code
from shinchoku.domain.names import fold_name
from shinchoku.imports.context import ParseContext
from shinchoku.imports.decoding import decode_text, read_csv_records
from shinchoku.imports.problems import FirstColumns, ProblemList, column_label, given_as_of
from shinchoku.imports.rows import FieldError, ParseResult, ReportRow, StatusReader, read_step, reader_failure
from shinchoku.imports.workbook import Book, Cell, Grid, cell_text, is_workbook

__all__ = ["MatrixLayout", "find_matrix_layout", "parse_matrix", "parse_matrix_grids"]

SCAN_ROWS = 60
SCAN_COLUMNS = 6
_NAME_HEADINGS = {
    fold_name(h)
    for h in (
        "作業ステップ名",
        "ステップ名",
        "作業ステップ",
        "作業項目",
        "作業内容",
        "項目",
        "内容",
        "名称",
        "手順",
        "作業",
    )
}
# Columns and rows a published sheet has besides statuses: read past them with a warning.
_SIDE_HEADINGS = {
    fold_name(h)
    for h in (
        "備考",
        "進捗率",
        "完了率",
        "合計",
        "計",
        "完了数",
        "フェーズ",
        "作業項目番号",
        "国の完了期限",
        "完了期限",
        "期限",
        "予定",
        "区分",
    )
}
_CODE_LABELS = {fold_name(h) for h in ("団体コード", "全国地方公共団体コード", "地方公共団体コード")}
_NAME_LABELS = {fold_name(h) for h in ("団体名", "地方公共団体名", "市区町村名", "自治体名")}
_DATE_LABELS = {fold_name(h) for h in ("基準日", "基準年月", "時点", "基準年月日")}
_LABEL_SPLIT = re.compile(r"[:：]")
_SYSTEM_HEADINGS = {fold_name(h) for h in ("対象システム", "対象システム名", "システム", "システム名")}


@dataclass(frozen=True)
class MatrixLayout:
    header: int  # 0-based row of system names
    step_col: int
    name_col: int | None
    systems: tuple[tuple[int, str], ...]  # (column, heading as written)
    side: tuple[tuple[int, str], ...]  # ignored columns (備考, 進捗率 …)


def parse_matrix(data: bytes, ctx: ParseContext) -> ParseResult:
    """Parse a matrix from a workbook (the sheet with the most status cells) or a CSV; never raises."""
    try:
        if is_workbook(data):
            book = Book(data)
            return parse_matrix_grids([(name, book.grid(name)) for name in book.sheet_names], ctx)
        text, _encoding = decode_text(data)
        return parse_matrix_grids([("", read_csv_records(text))], ctx)
    except csv.Error as exc:
        return reader_failure("matrix", ctx.filename, ValueError(f"CSV の形式が正しくありません（{exc}）"))
    except Exception as exc:
        return reader_failure("matrix", ctx.filename, exc)


def _step_like(cell: Cell, ctx: ParseContext) -> bool:
    if cell == "" or cell is None:
        return False
    try:
        read_step(cell, ctx)
    except FieldError:
        return False
    return True


def find_matrix_layout(grid: Grid, ctx: ParseContext) -> MatrixLayout | None:
    """The header row is the row just above the first step cell that has headings to the right."""
    for r in range(min(len(grid) - 1, SCAN_ROWS)):
        header, below = grid[r], grid[r + 1]
        for c in range(min(len(below), SCAN_COLUMNS)):
            if not _step_like(below[c], ctx) or (c < len(header) and _step_like(header[c], ctx)):
                continue
            layout = _layout_at(grid, r, c, ctx)
            if layout is not None:
                return layout
    return None


def _layout_at(grid: Grid, r: int, c: int, ctx: ParseContext) -> MatrixLayout | None:
    header = grid[r]
    name_col: int | None = None
    if c + 1 < len(header):
        heading = fold_name(cell_text(header[c + 1]))
        if heading in _NAME_HEADINGS or (not heading and _has_text_below(grid, r, c + 1)):
            name_col = c + 1
    systems: list[tuple[int, str]] = []
    side: list[tuple[int, str]] = []
    for j in range((name_col if name_col is not None else c) + 1, len(header)):
        heading = cell_text(header[j])
        if not heading:
            continue
        (side if fold_name(heading) in _SIDE_HEADINGS else systems).append((j, heading))
    if not systems:
        return None
    return MatrixLayout(r, c, name_col, tuple(systems), tuple(side))


def _has_text_below(grid: Grid, r: int, j: int) -> bool:
    """A column of free text (step names), not of statuses."""
    reader = StatusReader()
    for row in grid[r + 1 : r + 41]:
        cell = row[j] if j < len(row) else ""
        if isinstance(cell, str) and cell_text(cell) and isinstance(reader(cell), FieldError):
            return True
    return False


def _count_statuses(grid: Grid) -> int:
    reader = StatusReader()
    count = 0
    for row in grid[:200]:
        for cell in row[:60]:
            if isinstance(cell, str) and cell.strip() and not isinstance(reader(cell), FieldError):
                count += 1
    return count


def parse_matrix_grids(sheets: Sequence[tuple[str, Grid]], ctx: ParseContext) -> ParseResult:
    """Pick the sheet (the first, unless another has more status cells) and read its table."""
    problems = ProblemList(ctx.filename)
    result = ParseResult("matrix")
    chosen: tuple[str, Grid, MatrixLayout, bool] | None = None
    best = -1
    for name, original in sheets:
        grid, flipped = original, False
        layout = find_matrix_layout(grid, ctx)
        if layout is None:  # systems as rows and steps as columns (the staff grid's own layout)
            grid, flipped = _transposed(original), True
            layout = find_matrix_layout(grid, ctx)
            if layout is not None and not _system_heading(grid[layout.header][layout.step_col]):
                layout = None  # only a table headed 「対象システム」: another sheet (総務省様式) is not a matrix
        if layout is None:
            continue
        count = _count_statuses(grid)
        if count > best:
            chosen, best = (name, grid, layout, flipped), count
    if chosen is None:
        problems.error(
            "作業ステップ×システムの表が見つかりません（1列目に作業ステップ 1〜40 または 独自N、その上の行に"
            "システム名が必要です）。"
        )
        result.problems = problems.to_list()
        return result
    sheet, grid, layout, flipped = chosen
    problems.sheet = sheet
    if flipped:
        problems.warning(
            "対象システムが行、作業ステップが列の表として読みました。以下の「行」「列」は、"
            "行と列を入れ替えた表での位置です（行＝元の表の列、列＝元の表の行）。"
        )
    org, as_of = _header_block(grid, layout, sheet, ctx, problems)
    for j, heading in layout.side:
        problems.warning(
            f"列「{heading}」は状態の列ではないため取り込みません。",
            row=layout.header + 1,
            column=column_label(j, heading),
            value=heading,
        )
    systems = _systems(layout, ctx, problems)
    if problems.has_errors or org is None or as_of is None:
        result.problems = problems.to_list()
        return result
    result.rows = _read_rows(grid, layout, systems, org, as_of, sheet, ctx, problems)
    result.problems = problems.to_list()
    return result


def _system_heading(cell: Cell) -> bool:
    return fold_name(cell_text(cell)) in _SYSTEM_HEADINGS


def _transposed(grid: Grid) -> Grid:
    width = max((len(row) for row in grid), default=0)
    return [[row[j] if j < len(row) else "" for row in grid] for j in range(width)]


def _label_value(row: Sequence[Cell], j: int) -> Cell:
    """The value of a label cell: after 「：」 in the same cell, else the next non-empty cell to the right."""
    parts = _LABEL_SPLIT.split(cell_text(row[j]), maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        return parts[1].strip()
    return next((cell for cell in row[j + 1 :] if cell_text(cell)), "")


def _header_block(
    grid: Grid, layout: MatrixLayout, sheet: str, ctx: ParseContext, problems: ProblemList
) -> tuple[str | None, date | None]:
    code_cell: Cell = ""
    name_cell: Cell = ""
    date_cell: Cell = ""
    title_month: date | None = None
    for row in grid[: layout.header]:
        for j, cell in enumerate(row):
            text = cell_text(cell)
            if not text:
                continue
            label = fold_name(_LABEL_SPLIT.split(text, maxsplit=1)[0])
            if label in _CODE_LABELS and not code_cell:
                code_cell = _label_value(row, j)
            elif label in _NAME_LABELS and not name_cell:
                name_cell = _label_value(row, j)
            elif label in _DATE_LABELS and not date_cell:
                date_cell = _label_value(row, j)
            elif title_month is None and isinstance(cell, str):
                title_month = find_wareki_month(cell)
    return _org(code_cell, name_cell, ctx, problems), _as_of(date_cell, title_month, sheet, ctx, problems)


def _org(code_cell: Cell, name_cell: Cell, ctx: ParseContext, problems: ProblemList) -> str | None:
    file_code: str | None = None
    if cell_text(code_cell):
        try:
            file_code = normalize_code(cell_text(code_cell), ctx.known_codes)
        except CodeError as exc:
            problems.error(f"表の上の団体コード: {exc}", value=code_cell)
            return None
    elif cell_text(name_cell):
        match = ctx.name_index.lookup(cell_text(name_cell))
        if match.code is None:
            problems.error(
                f"表の上の団体名「{cell_text(name_cell)}」から団体を特定できません。",
                value=name_cell,
                suggestion="、".join(match.suggestions or [o.display_name for o in match.candidates]),
            )
            return None
        file_code = match.code
    if ctx.org:
        try:
            given = normalize_code(ctx.org, ctx.known_codes)
        except CodeError as exc:
            problems.error(f"指定された団体コード「{ctx.org}」: {exc}")
            return None
        if file_code is not None and file_code != given:
            problems.error(f"ファイルの団体（{file_code}）と指定された団体（{given}）が異なります。")
            return None
        return given
    if file_code is None:
        problems.error(
            "どの団体の表か分かりません。団体のページからアップロードするか（コマンドでは --org で指定）、"
            "表の上に「団体コード」欄を設けてください。"
        )
    return file_code


def _as_of(
    date_cell: Cell, title_month: date | None, sheet: str, ctx: ParseContext, problems: ProblemList
) -> date | None:
    found: date | None = None
    if cell_text(date_cell):
        try:
            found = parse_date(date_cell)
        except (DateError, ValueError):
            try:
                found = parse_month(date_cell)
            except (DateError, ValueError):
                problems.error(
                    f"表の上の基準日「{cell_text(date_cell)}」を読み取れません。",
                    value=date_cell,
                    expected="YYYY-MM-DD（例: 2026-01-31）または 令和8年1月",
                )
                return None
    found = found or title_month or find_wareki_month(sheet) or find_wareki_month(ctx.filename)
    return given_as_of(
        found,
        ctx.as_of,
        problems,
        differs=lambda found, given: (
            f"ファイルの基準日（{found.isoformat()}）ではなく、指定された基準日 {given.isoformat()} を使います。"
        ),
        unknown="基準日が分かりません。アップロード画面の「基準月」で選ぶか（コマンドでは --as-of で指定）、"
        "表の上に「基準日」欄を設けてください。",
    )


_System = tuple[int, str, int | None, str]  # (column, system name, business, column label)


def _systems(layout: MatrixLayout, ctx: ParseContext, problems: ProblemList) -> list[_System]:
    """The system columns; a repeated system is an error."""
    out: list[_System] = []
    first_columns = FirstColumns(problems, row=layout.header + 1)
    for j, heading in layout.systems:
        business = ctx.business_of(heading)
        name = ctx.business_names.get(business, heading) if business is not None else heading
        label = column_label(j, heading)
        if first_columns.repeated(fold_name(name), f"システム「{name}」の列", label, heading):
            continue
        out.append((j, name, business, label))
    return out


def _read_rows(
    grid: Grid,
    layout: MatrixLayout,
    systems: list[_System],
    org: str,
    as_of: date,
    sheet: str,
    ctx: ParseContext,
    problems: ProblemList,
) -> list[ReportRow]:
    read_status = StatusReader()
    header = grid[layout.header]
    heading = cell_text(header[layout.step_col]) if layout.step_col < len(header) else ""
    step_label = column_label(layout.step_col, heading or "作業ステップ")
    seen: dict[tuple[int | None, int | None], int] = {}
    rows: list[ReportRow] = []
    for i in range(layout.header + 1, len(grid)):
        cells = grid[i]
        excel_row = i + 1
        values = [(cells[j] if j < len(cells) else "") for j, _n, _b, _l in systems]
        filled = any(cell_text(v) for v in values)
        raw_step = cells[layout.step_col] if layout.step_col < len(cells) else ""
        if not cell_text(raw_step):
            if filled:
                problems.error("作業ステップが空の行に状態が入っています。", row=excel_row, column=step_label)
            continue
        try:
            step, own, own_name = read_step(raw_step, ctx)
        except FieldError as exc:
            # Section headings (「①推進体制の立ち上げ」) and totals rows carry no statuses of their own.
            if not filled:
                continue
            if fold_name(cell_text(raw_step)) in _SIDE_HEADINGS:
                problems.warning(
                    f"行「{cell_text(raw_step)}」は作業ステップではないため取り込みません。",
                    row=excel_row,
                    column=step_label,
                    value=raw_step,
                )
                continue
            problems.error(exc.message, row=excel_row, column=step_label, value=raw_step, expected=exc.expected)
            continue
        earlier = seen.get((step, own))
        if earlier is not None:
            problems.error(
                f"作業ステップ「{cell_text(raw_step)}」の行が {earlier}行目 にもあります。",
                row=excel_row,
                column=step_label,
                value=raw_step,
            )
            continue
        seen[(step, own)] = excel_row
        if own is not None and layout.name_col is not None and layout.name_col < len(cells):
            own_name = cell_text(cells[layout.name_col]) or own_name
        for (_j, name, business, label), value in zip(systems, values, strict=True):
            status = read_status(value)
            if isinstance(status, FieldError):
                status.report(problems, row=excel_row, column=label, value=value)
                continue
            rows.append(
                ReportRow(
                    org_code=org,
                    system_name=name,
                    business=business,
                    step=step,
                    own_step=own,
                    own_step_name=own_name if own is not None else "",
                    status=status,
                    as_of=as_of,
                    sheet=sheet,
                    row=excel_row,
                    column=label,
                )
            )
    return rows
