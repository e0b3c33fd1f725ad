"""Reading procedures files (docs/formats.md §5) without the database: the long CSV and the wide sheet.

Long CSV: 全国地方公共団体コード,手続番号,オンライン対応,基準日 — 手続番号 1–26 or the procedure's name;
オンライン対応 できる/できない (also ○/×, 1/0). Wide sheet (as デジタル庁 publishes it): 団体 named by
prefecture + municipality on the rows, procedures on the columns (see parsers_wide).
Every problem names file, sheet, row and column; the caller writes nothing unless there is no error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.calendar import DateError, parse_date, to_month_end
from shinchoku.domain.codes import CodeError, normalize_code
from shinchoku.domain.names import NameIndex, fold_name
from shinchoku.imports.problems import (
    FirstRows,
    Problem,
    ProblemList,
    ReadFrom,
    has_columns,
    header_index,
    read_header,
)
from shinchoku.imports.workbook import Cell, cell_text

__all__ = [
    "AVAILABILITY_EXPECTED",
    "ParsedProcedures",
    "ProcedureContext",
    "ProcedureRow",
    "fold_procedure",
    "looks_like_procedures_long",
    "read_availability",
]

CODE, NUMBER, NAME, AVAILABLE, AS_OF = "全国地方公共団体コード", "手続番号", "手続名", "オンライン対応", "基準日"
AVAILABILITY_EXPECTED = "できる・できない（○・×、1・0 も可）"
_YES = frozenset(
    {"できる", "○", "〇", "◯", "◎", "1", "可", "対応", "対応済", "対応済み", "あり", "有", "TRUE", "YES", "Y"}
)
_NO = frozenset({"できない", "×", "✕", "✖", "X", "0", "不可", "未対応", "なし", "無", "-", "ー", "FALSE", "NO", "N"})
_ALIASES = {
    "団体コード": CODE,
    "地方公共団体コード": CODE,
    "番号": NUMBER,
    "手続": NAME,
    "手続き名": NAME,
    "オンライン": AVAILABLE,
    "オンライン化": AVAILABLE,
    "オンライン申請": AVAILABLE,
    "対応状況": AVAILABLE,
}
# Columns our own export writes beside the data; read without a warning, not used.
_INFORMATIONAL = ("地方公共団体名", "団体名", "都道府県名", "市区町村名", "分野", "団体区分", "データ区分")
_COLUMNS = {fold_name(c): c for c in (CODE, NUMBER, NAME, AVAILABLE, AS_OF, *_INFORMATIONAL)}
_COLUMNS.update({fold_name(a): c for a, c in _ALIASES.items()})
_PUNCT = re.compile(r"[()（）・/／、,，.．「」『』\[\]【】\s:：]")
_NUMBER_PREFIX = re.compile(r"^(?:No\.?|NO\.?|手続|手続番号)?\s*([0-9]{1,2})(?:[.．、,:：)）\s]+|$)")
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)} | {chr(0x3251 + i): i + 21 for i in range(15)}


@dataclass
class ProcedureContext:
    """What the readers need: 団体 names and codes, the procedures, and the CLI's --as-of / --org."""

    filename: str
    name_index: NameIndex
    known_codes: frozenset[str]
    prefecture_codes: frozenset[str]
    procedures: dict[int, str]  # 手続番号 → 手続名
    as_of: date | None = None
    _by_name: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {fold_procedure(name): n for n, name in self.procedures.items()}

    def procedure_of(self, text: str) -> int | None:
        """The 手続番号 a cell means: 「12」「⑫」「No.12」「手続12」, the name, or 「12 保育施設等の利用申込」."""
        raw = unicodedata.normalize("NFKC", text).strip()
        if not raw:
            return None
        if raw in _CIRCLED:
            n = _CIRCLED[raw]
            return n if n in self.procedures else None
        found = self._by_name.get(fold_procedure(raw))
        if found is not None:
            return found
        prefix = _NUMBER_PREFIX.match(raw)
        if prefix:
            n = int(prefix.group(1))
            rest = raw[prefix.end() :]
            if n in self.procedures and (not rest or self._by_name.get(fold_procedure(rest)) == n):
                return n
        return None

    def suggest_procedure(self, text: str) -> str:
        """「12 保育施設等の利用申込」 for the closest procedure name, or ""."""
        close = difflib.get_close_matches(fold_procedure(text), list(self._by_name), n=1, cutoff=0.6)
        if not close:
            return ""
        n = self._by_name[close[0]]
        return f"{n} {self.procedures[n]}"


def fold_procedure(text: str) -> str:
    """A comparison key for a procedure name: variants, width, spacing and punctuation folded away."""
    return _PUNCT.sub("", fold_name(text))


@dataclass(frozen=True)
class ProcedureRow(ReadFrom):
    """One procedure's availability for one 市区町村 at one 基準日 (month end), and where it was read."""

    org_code: str
    number: int
    available: bool
    as_of: date


@dataclass
class ParsedProcedures:
    layout: str  # "long" or "wide"
    rows: list[ProcedureRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def read_availability(cell: Cell) -> bool | None:
    """True for できる (○, 1 …), False for できない (×, 0 …), None when unreadable or empty."""
    text = cell_text(cell).upper()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def looks_like_procedures_long(header: Sequence[Cell]) -> bool:
    """A header naming a code column and 手続番号 (or 手続名); missing columns are then reported."""
    names = {_COLUMNS.get(fold_name(cell_text(c))) for c in header}
    return CODE in names and bool(names & {NUMBER, NAME})


def read_org_code(raw: str, ctx: ProcedureContext) -> str | CodeError:
    """A 市区町村's code; prefectures are refused (the procedures are counted per 市区町村)."""
    if not raw:
        return CodeError("全国地方公共団体コードが空です。")
    try:
        code = normalize_code(raw, ctx.known_codes)
    except CodeError as exc:
        return exc
    if code in ctx.prefecture_codes:
        return CodeError(f"{code} は都道府県のコードです。手続のオンライン化は市区町村ごとに取り込みます。")
    return code


def read_month(raw: Cell) -> date | DateError:
    try:
        return to_month_end(parse_date(raw if not isinstance(raw, str) else cell_text(raw)))
    except DateError as exc:
        return exc
    except (ValueError, TypeError, OverflowError):
        return DateError(f"日付を読み取れません: {cell_text(raw)}")


def parse_long(records: Sequence[Sequence[Cell]], ctx: ProcedureContext, sheet: str = "") -> ParsedProcedures:
    """The long CSV (or the same table as the first sheet of a workbook)."""
    problems = ProblemList(ctx.filename, sheet)
    result = ParsedProcedures("long")
    start = header_index(records, problems)
    if start is not None:
        index, labels = _long_header(records[start], start + 1, ctx, problems)
        if not problems.has_errors:
            result.rows = _long_rows(records, start + 1, index, labels, ctx, problems, sheet)
    result.problems = problems.to_list()
    return result


def _long_header(
    header: Sequence[Cell], row: int, ctx: ProcedureContext, problems: ProblemList
) -> tuple[dict[str, int], dict[str, str]]:
    index, labels = read_header(header, row, _COLUMNS, problems)
    if NUMBER not in index and NAME in index:  # 手続名 alone names the procedure
        index[NUMBER], labels[NUMBER] = index[NAME], labels[NAME]
    required = [CODE, NUMBER, AVAILABLE] + ([] if ctx.as_of else [AS_OF])
    has_columns(index, required, row, problems, header=(CODE, NUMBER, AVAILABLE, AS_OF))
    return index, labels


def _long_rows(
    records: Sequence[Sequence[Cell]],
    first: int,
    index: dict[str, int],
    labels: dict[str, str],
    ctx: ProcedureContext,
    problems: ProblemList,
    sheet: str,
) -> list[ProcedureRow]:
    width = max(index.values()) + 1
    codes: dict[str, str | CodeError] = {}
    first_rows = FirstRows(problems, "同じ団体・手続・基準日")
    rows: list[ProcedureRow] = []
    for i in range(first, len(records)):
        record = list(records[i]) + [""] * max(0, width - len(records[i]))
        excel_row = i + 1
        if not any(cell_text(c) for c in record):
            continue
        raw_code = cell_text(record[index[CODE]])
        code = codes.get(raw_code)
        if code is None:
            code = codes[raw_code] = read_org_code(raw_code, ctx)
        if isinstance(code, CodeError):
            problems.error(str(code), row=excel_row, column=labels[CODE], value=raw_code)
        raw_number = cell_text(record[index[NUMBER]])
        number = ctx.procedure_of(raw_number)
        if number is None:
            problems.error(
                f"「{raw_number}」は手続として読めません。" if raw_number else "手続番号が空です。",
                row=excel_row,
                column=labels[NUMBER],
                value=raw_number,
                expected=f"手続番号 1〜{max(ctx.procedures)} または手続名",
                suggestion=ctx.suggest_procedure(raw_number) if raw_number else "",
            )
        raw_value = record[index[AVAILABLE]]
        available = read_availability(raw_value)
        if available is None:
            text = cell_text(raw_value)
            problems.error(
                f"「{text}」はオンライン対応の値として読めません。" if text else "オンライン対応が空です。",
                row=excel_row,
                column=labels[AVAILABLE],
                value=raw_value,
                expected=AVAILABILITY_EXPECTED,
            )
        as_of: date | DateError | None = ctx.as_of
        if AS_OF in index and cell_text(record[index[AS_OF]]):
            as_of = read_month(record[index[AS_OF]])
        elif as_of is None:
            as_of = DateError("基準日が空です。")
        if isinstance(as_of, DateError):
            problems.error(
                str(as_of),
                row=excel_row,
                column=labels.get(AS_OF, ""),
                value=record[index[AS_OF]] if AS_OF in index else "",
                expected="YYYY-MM-DD（例: 2026-01-31）、R8.1.31、令和8年1月31日",
            )
        if not isinstance(code, str) or number is None or available is None or not isinstance(as_of, date):
            continue
        key = (code, number, as_of)
        if first_rows.repeated(key, excel_row, column=labels[NUMBER], value=raw_number):
            continue
        rows.append(ProcedureRow(code, number, available, as_of, sheet=sheet, row=excel_row, column=labels[AVAILABLE]))
    return rows
