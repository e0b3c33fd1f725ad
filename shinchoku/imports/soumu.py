"""総務省's monthly progress workbook (docs/formats.md §3).

Sheet 「業務別ステップ別進捗一覧」: title rows, then a header row 都道府県名 / 市区町村名 / 業務名 / 40 step
headings (「①-1 推進体制案の作成」), then one row per 団体 × business. No codes: 団体 are matched by
prefecture + name. The national file has 34,914 rows × 43 columns, so the per-cell work is a memo lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shinchoku.domain.calendar import find_wareki_month, wareki_month_label
from shinchoku.domain.names import fold_name
from shinchoku.imports.context import ParseContext
from shinchoku.imports.names import resolve_org
from shinchoku.imports.problems import FirstColumns, FirstRows, Problem, ProblemList, column_label, given_as_of
from shinchoku.imports.rates import find_rates_layout, is_rates_sheet_name, read_rates
from shinchoku.imports.rows import (
    NATIONAL_STEPS,
    FieldError,
    ParseResult,
    SheetReport,
    StatusReader,
    SystemReport,
    failed_result,
    read_step,
    reader_failure,
)
from shinchoku.imports.workbook import Book, Cell, Grid, cell_text, is_workbook
from shinchoku.ops.collector import collector_paused

__all__ = ["SHEET_NAME", "SoumuLayout", "find_soumu_layout", "parse_soumu", "parse_soumu_book"]

SHEET_NAME = "業務別ステップ別進捗一覧"
SOUMU_TITLE = "地方自治体システム標準化に関する進捗状況"
NOT_A_WORKBOOK = "総務省形式は Excel ファイル（.xlsx）で読み込みます。このファイルは Excel ファイルではありません。"
HEADER_SCAN_ROWS = 20
_KEY_HEADINGS = {
    "prefecture": ("都道府県名", "都道府県"),
    "name": ("市区町村名", "市区町村", "団体名"),
    "business": ("業務名", "業務", "対象業務"),
}
_KEY_BY_HEADING = {fold_name(h): key for key, headings in _KEY_HEADINGS.items() for h in headings}
_KEY_LABELS = {"prefecture": "都道府県名", "name": "市区町村名", "business": "業務名"}


@dataclass(frozen=True)
class SoumuLayout:
    sheet: str
    header: int  # 0-based index of the row holding 都道府県名 / 市区町村名 / 業務名
    keys: dict[str, int]  # "prefecture" / "name" / "business" → 0-based column


def find_header_row(grid: Grid, limit: int = HEADER_SCAN_ROWS) -> tuple[int, dict[str, int]] | None:
    """The first row (within `limit`) holding the three key headings, with their columns."""
    for i, row in enumerate(grid[:limit]):
        keys: dict[str, int] = {}
        for j, cell in enumerate(row):
            if isinstance(cell, str) and cell:
                key = _KEY_BY_HEADING.get(fold_name(cell))
                if key is not None and key not in keys:
                    keys[key] = j
        if len(keys) == len(_KEY_HEADINGS):
            return i, keys
    return None


def find_soumu_layout(book: Book) -> SoumuLayout | None:
    """The sheet and header row of the progress list: 「業務別ステップ別進捗一覧」 first, then any sheet."""
    wanted = fold_name(SHEET_NAME)
    ordered = sorted(book.sheet_names, key=lambda n: fold_name(n) != wanted)
    for name in ordered:
        found = find_header_row(book.head(name, HEADER_SCAN_ROWS))
        if found is not None:
            return SoumuLayout(name, found[0], found[1])
    return None


def parse_soumu(data: bytes, ctx: ParseContext) -> ParseResult:
    """Parse 総務省's progress workbook (.xlsx/.xls/.ods); never raises."""
    if not is_workbook(data):
        return failed_result("soumu", Problem("error", NOT_A_WORKBOOK, file=ctx.filename))
    try:
        return parse_soumu_book(Book(data), ctx)
    except Exception as exc:
        return reader_failure("soumu", ctx.filename, exc)


def parse_soumu_book(book: Book, ctx: ParseContext) -> ParseResult:
    """総務省's workbook: the 市区町村 rates sheet, the step sheet of the prefectures' own systems, and every
    other sheet listed as skipped with its reason (docs/formats.md); one all-or-nothing result."""
    result = ParseResult("soumu")
    problems: list[Problem] = []
    for name in book.sheet_names:
        grid = book.grid(name)
        rates_layout = find_rates_layout(grid, ctx)
        if rates_layout is None and is_rates_sheet_name(name) and not _is_prefecture_summary(grid):
            result.sheets.append(SheetReport(name, "skipped", "見出し行が見つかりません"))
            problems.append(
                Problem(
                    "error",
                    "市区町村名と業務別完了率の見出し行が見つかりません（最初の10行を確認しました）。",
                    file=ctx.filename,
                    sheet=name,
                )
            )
            continue
        if rates_layout is not None:
            sheet_problems = ProblemList(ctx.filename, name)
            rows = read_rates(grid, name, rates_layout, ctx, sheet_problems)
            result.rates.extend(rows)
            problems += sheet_problems.to_list()
            result.sheets.append(
                SheetReport(name, "read", "市区町村別の業務別完了率（総務省）", len({r.row for r in rows}))
            )
            continue
        found = find_header_row(grid[:HEADER_SCAN_ROWS])
        if found is not None:
            systems, steps_problems = _parse_steps_sheet(book, SoumuLayout(name, found[0], found[1]), ctx)
            result.systems.extend(systems)
            problems += steps_problems
            result.sheets.append(SheetReport(name, "read", "業務別・作業ステップ別の状態", len(systems)))
            continue
        result.sheets.append(SheetReport(name, "skipped", _skip_reason(grid)))
    if result.rates:  # the 市区町村 sheet is 総務省's publication, named as its source
        month = max(r.as_of for r in result.rates)
        result.official_source = {
            "publisher": "総務省",
            "title": SOUMU_TITLE,
            "edition": wareki_month_label(month),
        }
    if not any(s.status == "read" for s in result.sheets):
        listed = "、".join(f"「{n}」" for n in book.sheet_names)
        problems.append(
            Problem(
                "error",
                f"取り込めるシートがありません（シート: {listed}）。総務省の進捗ワークブックは"
                f"「令和N年M月_進捗状況」または「{SHEET_NAME}」のシートを読みます。",
                file=ctx.filename,
            )
        )
    result.problems = problems
    return result


def _has_values(grid: Grid) -> bool:
    return any(cell_text(c) for row in grid[:HEADER_SCAN_ROWS] for c in row)


def _is_prefecture_summary(grid: Grid) -> bool:
    """A table of prefectures and their 完了率 (no 市区町村 column): a published figure, not a report."""
    head = [cell_text(c) for row in grid[:HEADER_SCAN_ROWS] for c in row if isinstance(c, str)]
    return (
        any("都道府県" in t for t in head)
        and any("完了率" in t for t in head)
        and not any(t in ("市区町村名", "市区町村") for t in head)
    )


def _skip_reason(grid: Grid) -> str:
    """Why a sheet of the workbook is not read (shown in the import report)."""
    if not _has_values(grid):
        return "空のシートです"
    if _is_prefecture_summary(grid):
        return "都道府県別の集計です。公表値との照合用で、報告としては取り込みません"
    return "進捗状況・業務別ステップ別進捗一覧のどちらの形式でもないため読み込みません"


def _parse_steps_sheet(book: Book, layout: SoumuLayout, ctx: ParseContext) -> tuple[list[SystemReport], list[Problem]]:
    """One sheet in the 業務別ステップ別進捗一覧 layout: its systems and problems."""
    problems = ProblemList(ctx.filename)
    problems.sheet = layout.sheet
    grid = book.grid(layout.sheet)
    steps, first_data = _map_step_columns(grid, layout, ctx, problems)
    as_of = _find_as_of(book, layout, grid, ctx, problems)
    if problems.has_errors or as_of is None:
        return [], problems.to_list()
    with collector_paused():
        systems = _read_rows(grid, first_data, layout, steps, as_of, ctx, problems)
    return systems, problems.to_list()


def _heading_step(cell: Cell, ctx: ParseContext) -> int | None:
    if not isinstance(cell, str) or not cell.strip():
        return None
    try:
        step, _own, _name = read_step(cell, ctx)
    except FieldError:
        return None
    return step


def _heading_text(cell: Cell) -> str:
    """A heading as written (「①-1 推進体制案の作成」), on one line; not NFKC, which would turn ① into 1."""
    return " ".join(str(cell).split()) if isinstance(cell, str) else cell_text(cell)


def _map_step_columns(
    grid: Grid, layout: SoumuLayout, ctx: ParseContext, problems: ProblemList
) -> tuple[list[tuple[int, int, str]], int]:
    """[(column, step, column label)] and the index of the first data row.

    Headings are normally in the header row; a two-row header (作業項目 above, steps below, or the steps
    one row down) is read too, using the row below only for columns the header row leaves unexplained.
    """
    header = grid[layout.header]
    below = grid[layout.header + 1] if layout.header + 1 < len(grid) else []
    key_columns = set(layout.keys.values())
    found: dict[int, tuple[int, str]] = {}
    for j, top in enumerate(header):
        step = _heading_step(top, ctx) if j not in key_columns else None
        if step is not None:
            found[j] = (step, _heading_text(top))
    used_below = False
    if len({step for step, _h in found.values()}) < NATIONAL_STEPS:
        # Only text that is no bare number: the row below may be the first data row after all.
        for j, cell in enumerate(below):
            if j in key_columns or j in found or not isinstance(cell, str) or cell_text(cell).isdigit():
                continue
            top = header[j] if j < len(header) else ""
            step = _heading_step(cell, ctx) or _heading_step(f"{cell_text(top)} {cell}", ctx)
            if step is not None:
                used_below = True
                found[j] = (step, _heading_text(cell))
    columns: list[tuple[int, int, str]] = []
    first_columns = FirstColumns(problems, row=layout.header + 1)
    for j, (step, heading) in sorted(found.items()):
        label = column_label(j, heading)
        if first_columns.repeated(step, f"作業ステップ {step} の列", label, heading, cite=column_label(j)):
            continue
        columns.append((j, step, label))
    for j in range(len(header)):
        heading = _heading_text(header[j])
        if j not in key_columns and j not in found and heading:
            problems.warning(
                f"見出し「{heading}」の列は作業ステップではないため取り込みません。",
                row=layout.header + 1,
                column=column_label(j, heading),
                value=heading,
            )
    missing = [n for n in range(1, NATIONAL_STEPS + 1) if n not in first_columns.cited]
    if missing:
        problems.error(
            f"作業ステップ {'、'.join(map(str, missing))} の列が見つかりません"
            "（見出しは「①-1 推進体制案の作成」のように書きます）。",
            row=layout.header + 1,
        )
    return columns, layout.header + (2 if used_below else 1)


def _find_as_of(book: Book, layout: SoumuLayout, grid: Grid, ctx: ParseContext, problems: ProblemList) -> date | None:
    """ctx.as_of, else the month in a title row above the header, a sheet name or the file name."""
    found: date | None = None
    source = ""
    texts = [cell for row in grid[: layout.header] for cell in row if isinstance(cell, str) and cell]
    texts += [layout.sheet, *book.sheet_names, ctx.filename]
    for text in texts:
        found = find_wareki_month(text)
        if found is not None:
            source = " ".join(text.split())
            break
    return given_as_of(
        found,
        ctx.as_of,
        problems,
        differs=lambda found, given: (
            f"ファイルの年月（「{source}」→ {found.isoformat()}）と指定された基準日"
            f" {given.isoformat()} が異なります。指定された基準日を使います。"
        ),
        unknown="基準日が分かりません。タイトル行・シート名・ファイル名に「令和8年1月」のような年月がありません"
        "（--as-of で指定してください）。",
    )


_OrgResult = str | tuple[str, int, str, str]  # the code, or (message, column, value, suggestion)


def _resolve_org(pref: str, name: str, layout: SoumuLayout, ctx: ParseContext) -> _OrgResult:
    found = resolve_org(pref, name, ctx)
    if isinstance(found, str):
        return found
    message, which, value, suggestion = found
    column = layout.keys["prefecture"] if which == "prefecture" else layout.keys["name"]
    return message, column, value, suggestion


def _read_rows(
    grid: Grid,
    first: int,
    layout: SoumuLayout,
    steps: list[tuple[int, int, str]],
    as_of: date,
    ctx: ParseContext,
    problems: ProblemList,
) -> list[SystemReport]:
    pref_col, name_col, biz_col = layout.keys["prefecture"], layout.keys["name"], layout.keys["business"]
    width = max([pref_col, name_col, biz_col, *(j for j, _s, _l in steps)]) + 1
    biz_label = column_label(biz_col, _KEY_LABELS["business"])
    read_status = StatusReader()
    status_memo = read_status.memo.get
    orgs: dict[tuple[str, str], _OrgResult] = {}
    businesses: dict[str, int | tuple[str, str]] = {}
    first_rows = FirstRows(problems, "同じ団体・業務")
    rows: list[SystemReport] = []
    append = rows.append
    column_labels = tuple(label for _j, _s, label in sorted(steps, key=lambda t: t[1]))
    # The usual layout has the 40 steps in order in adjacent columns: then a row is one slice.
    first_col = steps[0][0] if steps else 0
    ordered = [(j, step) for j, step, _l in steps] == [(first_col + k, k + 1) for k in range(NATIONAL_STEPS)]
    contiguous = first_col if ordered else None
    code_memo: dict[object, str] = {}
    code_of = code_memo.get
    unchecked = 0
    for i in range(first, len(grid)):
        cells = grid[i]
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        excel_row = i + 1
        pref, name, biz = cell_text(cells[pref_col]), cell_text(cells[name_col]), cell_text(cells[biz_col])
        if not biz and all(cells[j] == "" or cell_text(cells[j]) == "" for j, _s, _l in steps):
            if pref or name:
                problems.warning(
                    "業務名も状態もない行は読み飛ばしました（注記などの行とみなしました）。",
                    row=excel_row,
                    value=pref or name,
                )
            continue
        org = orgs.get((pref, name))
        if org is None:
            if problems.full:
                # Past the error limit a failed name lookup (with suggestions) is not worth its cost.
                unchecked += 1
                continue
            org = orgs[(pref, name)] = _resolve_org(pref, name, layout, ctx)
        if not isinstance(org, str):
            message, col, value, suggestion = org
            heading = _KEY_LABELS["prefecture"] if col == pref_col else _KEY_LABELS["name"]
            problems.error(
                message, row=excel_row, column=column_label(col, heading), value=value, suggestion=suggestion
            )
        business = businesses.get(biz)
        if business is None:
            number = ctx.business_of(biz) if biz else None
            if number is not None:
                business = number
            elif not biz:
                business = ("業務名が空です。", "")
            else:
                business = (f"「{biz}」は業務名として登録されていません。", ctx.suggest_business(biz))
            businesses[biz] = business
        if not isinstance(business, int):
            problems.error(business[0], row=excel_row, column=biz_label, value=biz, suggestion=business[1])
        whole = isinstance(org, str) and isinstance(business, int)
        if whole and first_rows.repeated((org, business), excel_row, column=biz_label, value=biz):
            whole = False
        codes = ["N"] * NATIONAL_STEPS
        to_read = steps
        if contiguous is not None:
            fast = [code_of(v) for v in cells[contiguous : contiguous + NATIONAL_STEPS]]
            if None not in fast:  # every cell a value seen before: no per-cell work at all
                codes, to_read = fast, []  # type: ignore[assignment]
        for j, step, label in to_read:
            value = cells[j]
            status = status_memo(value) or read_status(value)
            if status.__class__ is FieldError:
                assert isinstance(status, FieldError)
                status.report(problems, row=excel_row, column=label, value=value)
                whole = False
            else:
                codes[step - 1] = code_memo[value] = status.code  # type: ignore[union-attr]
        if whole:
            append(
                SystemReport(
                    org_code=org,  # type: ignore[arg-type]
                    system_name=ctx.business_names.get(business, biz),  # type: ignore[arg-type]
                    business=business,  # type: ignore[arg-type]
                    as_of=as_of,
                    codes="".join(codes),
                    sheet=layout.sheet,
                    row=excel_row,
                    columns=column_labels,
                )
            )
    if unchecked:
        problems.error(f"エラーが多いため、ほか {unchecked} 行の団体名は確認していません。")
    return rows
