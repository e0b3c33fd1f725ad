"""Which format a file is: 総務省 workbook, long CSV or matrix (workbook or CSV)."""

from __future__ import annotations

import csv
from collections.abc import Sequence

from shinchoku.domain.names import fold_name
from shinchoku.imports.context import ParseContext
from shinchoku.imports.decoding import decode_text, read_csv_records
from shinchoku.imports.long_csv import looks_like_long
from shinchoku.imports.rates import find_rates_layout, is_rates_sheet_name
from shinchoku.imports.soumu import SHEET_NAME, find_soumu_layout
from shinchoku.imports.workbook import Book, Cell, cell_text, is_workbook

__all__ = ["FORMATS", "detect_book", "detect_format", "detect_records"]

FORMATS = ("soumu", "rates", "long", "matrix")
_HEADER_SCAN = 5


def detect_format(data: bytes, filename: str = "") -> str:
    """ "soumu", "long" or "matrix"; ValueError (Japanese message) when the bytes are no file we read.

    Workbooks (zip / OLE2 magic) are 総務省's when they have the sheet 「業務別ステップ別進捗一覧」 or a
    header row with 都道府県名・市区町村名・業務名, else a matrix. Text is a long CSV when its header has
    全国地方公共団体コード and 作業ステップ, else a matrix. The file name is not trusted.
    """
    if not data:
        raise ValueError(f"{filename or 'ファイル'}は空です。")
    if is_workbook(data):
        try:
            book = Book(data)
        except ValueError:
            raise
        except Exception as exc:
            message = f"Excel ファイルとして読み込めませんでした（{type(exc).__name__}: {exc}）"
            raise ValueError(message) from None
        return detect_book(book)
    text, _encoding = decode_text(data)
    try:
        records = read_csv_records(text, limit=_HEADER_SCAN)
    except csv.Error as exc:
        raise ValueError(f"CSV の形式が正しくありません（{exc}）") from None
    return detect_records(records)


def detect_book(book: Book, ctx: ParseContext | None = None) -> str:
    """ "soumu" for 総務省's workbook (its 市区町村 rates sheet or its step sheet), else "long" or "matrix"."""
    wanted = fold_name(SHEET_NAME)
    if any(fold_name(name) == wanted or is_rates_sheet_name(name) for name in book.sheet_names):
        return "soumu"
    if find_soumu_layout(book) is not None:
        return "soumu"
    if ctx is not None and any(find_rates_layout(book.head(n, _HEADER_SCAN * 2), ctx) for n in book.sheet_names):
        return "soumu"
    if book.sheet_names and looks_like_long(_first_filled(book.head(book.sheet_names[0], _HEADER_SCAN))):
        return "long"
    return "matrix"


def detect_records(records: Sequence[Sequence[Cell]], ctx: ParseContext | None = None) -> str:
    """ "rates" for a CSV of published 完了率 (our compiled 総務省 figures), "long" or "matrix"."""
    if ctx is not None and find_rates_layout([list(r) for r in records[: _HEADER_SCAN * 2]], ctx) is not None:
        return "rates"
    return "long" if looks_like_long(_first_filled(records[:_HEADER_SCAN])) else "matrix"


def _first_filled(records: Sequence[Sequence[Cell]]) -> Sequence[Cell]:
    return next((r for r in records if any(cell_text(c) for c in r)), [])
