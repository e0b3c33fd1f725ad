"""The long CSV, the interchange format (docs/formats.md §2): one row per 団体 × system × step.

    全国地方公共団体コード,対象システム,作業ステップ,状態,基準日[,作業ステップ名,事業者名,パッケージ名,備考]

The same table saved as a workbook (first sheet) is read the same way.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from shinchoku.domain.calendar import DateError, parse_date
from shinchoku.domain.codes import CodeError, normalize_code
from shinchoku.domain.names import fold_name
from shinchoku.imports.context import ParseContext
from shinchoku.imports.decoding import decode_text, read_csv_records
from shinchoku.imports.problems import FirstRows, ProblemList, has_columns, header_index, read_header
from shinchoku.imports.rows import (
    FieldError,
    ParseResult,
    ReportRow,
    StatusReader,
    read_step,
    reader_failure,
)
from shinchoku.imports.workbook import Book, Cell, cell_text, is_workbook
from shinchoku.ops.collector import collector_paused

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "looks_like_long", "parse_long_csv", "parse_long_records"]

CODE, SYSTEM, STEP, STATUS, AS_OF = "全国地方公共団体コード", "対象システム", "作業ステップ", "状態", "基準日"
STEP_NAME, VENDOR, PACKAGE, NOTE = "作業ステップ名", "事業者名", "パッケージ名", "備考"
REQUIRED_COLUMNS = (CODE, SYSTEM, STEP, STATUS, AS_OF)
OPTIONAL_COLUMNS = (STEP_NAME, VENDOR, PACKAGE, NOTE)
# Columns our own exports add beside the code (docs/formats.md §10); read without a warning, not used.
_INFORMATIONAL = ("地方公共団体名", "団体名", "都道府県名", "市区町村名", "業務名")
_ALIASES = {"団体コード": CODE, "地方公共団体コード": CODE, "システム名": SYSTEM, "ステップ": STEP}
_KNOWN = {fold_name(c): c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *_INFORMATIONAL)}
_KNOWN.update({fold_name(alias): column for alias, column in _ALIASES.items()})


def looks_like_long(header: Sequence[Cell]) -> bool:
    """True for a header row naming at least 全国地方公共団体コード and 作業ステップ."""
    names = {_KNOWN.get(fold_name(cell_text(c))) for c in header}
    return CODE in names and STEP in names


def parse_long_csv(data: bytes, ctx: ParseContext) -> ParseResult:
    """Parse a long CSV (or the same table as a workbook); never raises."""
    try:
        if is_workbook(data):
            book = Book(data)
            sheet = book.sheet_names[0] if book.sheet_names else ""
            return parse_long_records(book.grid(sheet) if sheet else [], ctx, sheet=sheet)
        text, _encoding = decode_text(data)
        return parse_long_records(read_csv_records(text), ctx)
    except csv.Error as exc:
        return reader_failure("long", ctx.filename, ValueError(f"CSV の形式が正しくありません（{exc}）"))
    except Exception as exc:
        return reader_failure("long", ctx.filename, exc)


@dataclass(frozen=True)
class _Columns:
    index: dict[str, int]  # canonical column name → 0-based column
    labels: dict[str, str]  # canonical column name → 「C列（作業ステップ）」
    width: int


def _read_header(header: Sequence[Cell], header_row: int, problems: ProblemList) -> _Columns | None:
    index, labels = read_header(header, header_row, _KNOWN, problems)
    if not has_columns(index, REQUIRED_COLUMNS, header_row, problems, header=REQUIRED_COLUMNS):
        return None
    return _Columns(index, labels, max(index.values()) + 1)


def parse_long_records(records: Sequence[Sequence[Cell]], ctx: ParseContext, sheet: str = "") -> ParseResult:
    """Validate records (the first non-empty one is the header) into rows and problems."""
    problems = ProblemList(ctx.filename, sheet)
    result = ParseResult("long")
    start = header_index(records, problems)
    if start is not None:
        columns = _read_header(records[start], start + 1, problems)
        if columns is not None and not problems.has_errors:
            with collector_paused():
                result.rows = _read_rows(records, start + 1, columns, ctx, problems, sheet)
    result.problems = problems.to_list()
    return result


def _read_rows(
    records: Sequence[Sequence[Cell]],
    first: int,
    columns: _Columns,
    ctx: ParseContext,
    problems: ProblemList,
    sheet: str,
) -> list[ReportRow]:
    idx, labels = columns.index, columns.labels
    optional = {c: idx.get(c) for c in OPTIONAL_COLUMNS}
    # Long files repeat the same codes, systems, steps and dates row after row: each is read once.
    code_of = cache(lambda raw: _code(raw, ctx))
    system_of = cache(lambda raw: _system(raw, ctx))
    step_of = cache(lambda raw: _step(raw, ctx))
    date_of = cache(_date)
    read_status = StatusReader()
    first_rows = FirstRows(problems, "同じ団体・対象システム・作業ステップ・基準日")
    rows: list[ReportRow] = []
    for i in range(first, len(records)):
        record = records[i]
        if len(record) < columns.width:
            record = [*record, *([""] * (columns.width - len(record)))]
        excel_row = i + 1
        if not any(c != "" and cell_text(c) for c in record):
            continue
        ok = True

        raw_code = cell_text(record[idx[CODE]])
        code = code_of(raw_code)
        if isinstance(code, CodeError):
            problems.error(str(code), row=excel_row, column=labels[CODE], value=raw_code)
            ok = False

        raw_system = _free_text(record[idx[SYSTEM]])
        system = system_of(raw_system)
        if not raw_system:
            problems.error(
                "対象システムが空です。",
                row=excel_row,
                column=labels[SYSTEM],
                expected="業務名（例: 住民基本台帳）またはシステム名",
            )
            ok = False

        raw_step = cell_text(record[idx[STEP]])
        step = step_of(raw_step)
        if isinstance(step, FieldError):
            problems.error(step.message, row=excel_row, column=labels[STEP], value=raw_step, expected=step.expected)
            ok = False

        raw_status = record[idx[STATUS]]
        status = read_status(cell_text(raw_status))
        if isinstance(status, FieldError):
            status.report(problems, row=excel_row, column=labels[STATUS], value=raw_status)
            ok = False

        raw_date = record[idx[AS_OF]]
        as_of = date_of(raw_date)
        if isinstance(as_of, DateError):
            problems.error(
                str(as_of),
                row=excel_row,
                column=labels[AS_OF],
                value=raw_date,
                expected="YYYY-MM-DD（例: 2024-10-31）、R6.10.31、令和6年10月31日",
            )
            ok = False

        if not ok:
            continue
        assert isinstance(code, str) and isinstance(step, tuple) and isinstance(as_of, date)
        assert not isinstance(status, FieldError)
        number, own, own_name = step
        key = (code, fold_name(system[0]), number, own, as_of)
        if first_rows.repeated(key, excel_row, column=labels[STEP], value=raw_step):
            continue
        extra = {c: (_free_text(record[j]) if j is not None else "") for c, j in optional.items()}
        rows.append(
            ReportRow(
                org_code=code,
                system_name=system[0],
                business=system[1],
                step=number,
                own_step=own,
                own_step_name=(extra[STEP_NAME] or own_name) if own is not None else "",
                status=status,
                as_of=as_of,
                vendor=extra[VENDOR],
                package=extra[PACKAGE],
                note=extra[NOTE],
                sheet=sheet,
                row=excel_row,
                column=labels[STATUS],
            )
        )
    return rows


def _code(raw: str, ctx: ParseContext) -> str | CodeError:
    if not raw:
        return CodeError("全国地方公共団体コードが空です。")
    try:
        return normalize_code(raw, ctx.known_codes)
    except CodeError as exc:
        return exc


def _system(raw: str, ctx: ParseContext) -> tuple[str, int | None]:
    """(the name to show, the business number or None) of a 対象システム cell."""
    business = ctx.business_of(raw) if raw else None
    return (ctx.business_names.get(business, raw) if business is not None else raw), business


def _step(raw: str, ctx: ParseContext) -> tuple[int | None, int | None, str] | FieldError:
    try:
        return read_step(raw, ctx)
    except FieldError as exc:
        return exc


def _date(raw: Cell) -> date | DateError:
    try:
        return parse_date(raw if not isinstance(raw, str) else cell_text(raw))
    except DateError as exc:
        return exc
    except (ValueError, TypeError, OverflowError):
        return DateError(f"日付を読み取れません: {cell_text(raw)}")


def _free_text(cell: Cell) -> str:
    """cell_text, undoing the export's formula guard: 「'=…」 (also + - @) was written for 「=…」."""
    text = cell_text(cell)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text
