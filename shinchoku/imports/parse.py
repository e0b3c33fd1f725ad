"""The one entry point the import service calls: bytes in, ParseResult out, never an exception."""

from __future__ import annotations

import csv

from shinchoku.imports.context import ParseContext
from shinchoku.imports.decoding import decode_text, read_csv_records
from shinchoku.imports.detect import FORMATS, detect_book, detect_records
from shinchoku.imports.long_csv import parse_long_csv, parse_long_records
from shinchoku.imports.matrix import parse_matrix, parse_matrix_grids
from shinchoku.imports.problems import Problem
from shinchoku.imports.rows import ParseResult, failed_result, reader_failure
from shinchoku.imports.soumu import NOT_A_WORKBOOK, parse_soumu, parse_soumu_book
from shinchoku.imports.workbook import Book, is_workbook

__all__ = ["FORMATS", "parse", "parse_long_csv", "parse_matrix", "parse_soumu"]


def parse(data: bytes, ctx: ParseContext, format: str = "auto") -> ParseResult:
    """Read a progress report. format: "auto" (detected from the bytes), "soumu", "long" or "matrix".

    Any failure of a reader (corrupt zip, bad XML, undecodable text, odd cells) comes back as an error
    Problem; the caller checks result.ok. The size limit is the caller's; zip bombs are refused here.
    """
    try:
        return _parse(data, ctx, format)
    except csv.Error as exc:
        message = f"CSV の形式が正しくありません（{exc}）"
        return reader_failure(_name(format), ctx.filename, ValueError(message))
    except Exception as exc:
        return reader_failure(_name(format), ctx.filename, exc)


def _name(format: str) -> str:
    return format if format in FORMATS else "unknown"


def _error(format: str, ctx: ParseContext, message: str) -> ParseResult:
    return failed_result(_name(format), Problem("error", message, file=ctx.filename))


def _parse(data: bytes, ctx: ParseContext, format: str) -> ParseResult:
    if format not in ("auto", *FORMATS):
        return _error(
            format, ctx, f"形式「{format}」には対応していません（auto・soumu・long・matrix のいずれか）。"
        )
    if not data:
        return _error(format, ctx, "ファイルが空です。")
    if is_workbook(data):
        book = Book(data)
        if not book.sheet_names:
            return _error(format, ctx, "ワークブックにシートがありません。")
        chosen = detect_book(book) if format == "auto" else format
        if chosen == "soumu":
            return parse_soumu_book(book, ctx)
        if chosen == "long":
            first = book.sheet_names[0]
            return parse_long_records(book.grid(first), ctx, sheet=first)
        return parse_matrix_grids([(name, book.grid(name)) for name in book.sheet_names], ctx)
    if format == "soumu":
        return _error(format, ctx, NOT_A_WORKBOOK)
    text, _encoding = decode_text(data)
    records = read_csv_records(text)
    chosen = detect_records(records) if format == "auto" else format
    if chosen == "long":
        return parse_long_records(records, ctx)
    return parse_matrix_grids([("", records)], ctx)
