"""Reading a procedures file of either layout (the long CSV or デジタル庁's wide sheet), detected."""

from __future__ import annotations

import csv

from shinchoku.imports.problems import Problem
from shinchoku.imports.source import Source
from shinchoku.imports.workbook import first_filled

from .parsers import ParsedProcedures, ProcedureContext, looks_like_procedures_long, parse_long
from .parsers_wide import parse_wide_sheets

__all__ = ["parse_procedures", "parse_procedures_source"]


def parse_procedures(data: bytes, ctx: ProcedureContext) -> ParsedProcedures:
    """Read a procedures file of either layout (detected); never raises."""
    return parse_procedures_source(Source(data, ctx.filename), ctx)


def parse_procedures_source(source: Source, ctx: ProcedureContext) -> ParsedProcedures:
    """parse_procedures over a Source that detection may already have opened."""
    try:
        if source.is_workbook:
            book = source.book
            sheets = [(name, book.grid(name)) for name in book.sheet_names]
            first = next((s for s in sheets if first_filled(s[1]) is not None), None)
            if first is not None and looks_like_procedures_long(first[1][first_filled(first[1]) or 0]):
                return parse_long(first[1], ctx, sheet=first[0])
            return parse_wide_sheets(sheets, ctx)
        records = source.records
        start = first_filled(records)
        if start is not None and looks_like_procedures_long(records[start]):
            return parse_long(records, ctx)
        return parse_wide_sheets([("", records)], ctx)
    except csv.Error as exc:
        return _failed(ctx, f"CSV の形式が正しくありません（{exc}）")
    except ValueError as exc:
        if type(exc).__module__.startswith("shinchoku."):
            return _failed(ctx, str(exc))
        return _failed(ctx, f"ファイルを読み込めませんでした（{type(exc).__name__}: {exc}）")
    except Exception as exc:
        return _failed(
            ctx, f"ファイルを読み込めませんでした（{type(exc).__name__}: {' '.join(str(exc).split())[:300]}）"
        )


def _failed(ctx: ProcedureContext, message: str) -> ParsedProcedures:
    return ParsedProcedures("unknown", [], [Problem("error", message, file=ctx.filename)])
