"""The one entry point the import service calls: bytes in, ParseResult out, never an exception."""

from __future__ import annotations

import csv

from shinchoku.imports.context import ParseContext
from shinchoku.imports.detect import FORMATS, detect_book, detect_records
from shinchoku.imports.long_csv import parse_long_csv, parse_long_records
from shinchoku.imports.matrix import parse_matrix, parse_matrix_grids
from shinchoku.imports.problems import Problem, ProblemList
from shinchoku.imports.rates import find_rates_layout, read_rates
from shinchoku.imports.rows import ParseResult, SheetReport, failed_result, reader_failure
from shinchoku.imports.soumu import NOT_A_WORKBOOK, parse_soumu, parse_soumu_book
from shinchoku.imports.source import Source

__all__ = ["FORMATS", "parse", "parse_long_csv", "parse_matrix", "parse_soumu"]


def parse(data: bytes, ctx: ParseContext, format: str = "auto") -> ParseResult:
    """Read a progress report. format: "auto" (detected from the bytes), "soumu", "rates", "long" or "matrix".

    Any failure of a reader (corrupt zip, bad XML, undecodable text, odd cells) comes back as an error
    Problem; the caller checks result.ok. The size limit is the caller's; zip bombs are refused here.
    """
    return parse_source(Source(data, ctx.filename), ctx, format)


def parse_source(source: Source, ctx: ParseContext, format: str = "auto") -> ParseResult:
    """parse() over a Source that detection may already have opened."""
    try:
        return _parse(source, ctx, format)
    except csv.Error as exc:
        message = f"CSV の形式が正しくありません（{exc}）"
        return reader_failure(_name(format), ctx.filename, ValueError(message))
    except Exception as exc:
        return reader_failure(_name(format), ctx.filename, exc)


def _name(format: str) -> str:
    return format if format in FORMATS else "unknown"


def _error(format: str, ctx: ParseContext, message: str) -> ParseResult:
    return failed_result(_name(format), Problem("error", message, file=ctx.filename))


def _parse(source: Source, ctx: ParseContext, format: str) -> ParseResult:
    if format not in ("auto", *FORMATS):
        return _error(
            format, ctx, f"形式「{format}」には対応していません（auto・soumu・rates・long・matrix のいずれか）。"
        )
    if not source.data:
        return _error(format, ctx, "ファイルが空です。")
    if source.is_workbook:
        book = source.book
        if not book.sheet_names:
            return _error(format, ctx, "ワークブックにシートがありません。")
        chosen = detect_book(book, ctx) if format == "auto" else format
        if chosen in ("soumu", "rates"):
            return parse_soumu_book(book, ctx)
        if chosen == "long":
            first = book.sheet_names[0]
            result = parse_long_records(book.grid(first), ctx, sheet=first)
            result.sheets = [SheetReport(first, "read", "縦長形式", len(result.cell_rows))] + [
                SheetReport(name, "skipped", "縦長形式は最初のシートだけを読みます") for name in book.sheet_names[1:]
            ]
            return result
        result = parse_matrix_grids([(name, book.grid(name)) for name in book.sheet_names], ctx)
        result.sheets = [SheetReport(name, "read", "団体別マトリクス") for name in book.sheet_names]
        return result
    if format == "soumu":
        return _error(format, ctx, NOT_A_WORKBOOK)
    records = source.records
    chosen = detect_records(records, ctx) if format == "auto" else format
    if chosen == "rates":
        return _rates_records(records, ctx)
    if chosen == "long":
        return parse_long_records(records, ctx)
    return parse_matrix_grids([("", records)], ctx)


def _rates_records(records: list, ctx: ParseContext) -> ParseResult:
    """A CSV of published 完了率 (one header row, codes and 基準日 in columns)."""
    result = ParseResult("rates")
    problems = ProblemList(ctx.filename)
    layout = find_rates_layout(records, ctx)
    if layout is None:
        problems.error("市区町村名（または団体コード）と業務別完了率の見出し行が見つかりません。")
    else:
        result.rates = read_rates(records, "", layout, ctx, problems)
    result.problems = problems.to_list()
    return result
