"""Problems found while reading a file: Japanese messages that say where (file, sheet, row, column)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypedDict

from typing_extensions import Unpack

from shinchoku.domain.names import fold_name
from shinchoku.imports.workbook import Cell, cell_text, first_filled

__all__ = ["MAX_STORED", "FirstRows", "Problem", "ProblemList", "column_label", "column_letter", "errors", "warnings"]

Severity = Literal["error", "warning"]
# A file of 100,000 bad rows must stay cheap to report: keep the first ones and count the rest.
MAX_STORED = 1000


@dataclass(frozen=True)
class Problem:
    """One error or warning; row is 1-based as Excel shows it, column 「C列（業務名）」."""

    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    expected: str = ""
    suggestion: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """「sample.xlsx シート「一覧」 12行目 C列（業務名）」 — the parts that are known."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"シート「{self.sheet}」")
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column:
            parts.append(self.column)
        return " ".join(parts)

    def format(self) -> str:
        """One line: location, message, what is expected and the suggestion."""
        text = self.message
        if self.expected:
            text += f"（入力できる値: {self.expected}）"
        if self.suggestion:
            text += f"候補: {self.suggestion}"
        where = self.location()
        line = f"{where}: {text}" if where else text
        return " ".join(line.splitlines())

    def __str__(self) -> str:
        return self.format()


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    n = index + 1
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_label(index: int, heading: object = "") -> str:
    """「C列（業務名）」; the heading is flattened to one line."""
    text = " ".join(str(heading or "").split())
    letter = f"{column_letter(index)}列"
    return f"{letter}（{text}）" if text else letter


@dataclass(frozen=True, kw_only=True)
class ReadFrom:
    """Where a value was read: the sheet ("" for a CSV or the list's own sheet), the 1-based row, the column's
    label (「C列（見出し）」)."""

    sheet: str = ""
    row: int | None = None
    column: str = ""


class Where(TypedDict, total=False):
    """Where a problem is and what would be right (all optional; sheet None: the list's own sheet)."""

    sheet: str | None
    row: int | None
    column: str
    value: object
    expected: str
    suggestion: str


def _where(where: Where) -> dict[str, Any]:
    return {"sheet": None, "row": None, "column": "", "value": "", "expected": "", "suggestion": "", **where}


class ProblemList:
    """Collects problems for one file, storing at most MAX_STORED of each severity."""

    def __init__(self, file: str = "", sheet: str = "", limit: int = MAX_STORED) -> None:
        self.file = file
        self.sheet = sheet
        self.limit = limit
        self._items: list[Problem] = []
        self._stored = {"error": 0, "warning": 0}
        self._dropped = {"error": 0, "warning": 0}

    @property
    def error_count(self) -> int:
        return self._stored["error"] + self._dropped["error"]

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def full(self) -> bool:
        """True once errors are only counted: callers may skip building expensive messages."""
        return self._stored["error"] >= self.limit

    def add(self, problem: Problem) -> None:
        if self._stored[problem.severity] >= self.limit:
            self._dropped[problem.severity] += 1
            return
        self._stored[problem.severity] += 1
        self._items.append(problem)

    def _make(
        self,
        severity: Severity,
        message: str,
        *,
        sheet: str | None,
        row: int | None,
        column: str,
        value: object,
        expected: str,
        suggestion: str,
    ) -> None:
        if self._stored[severity] >= self.limit:
            self._dropped[severity] += 1
            return
        self.add(
            Problem(
                severity,
                message,
                file=self.file,
                sheet=self.sheet if sheet is None else sheet,
                row=row,
                column=column,
                value=_value_text(value),
                expected=expected,
                suggestion=suggestion,
            )
        )

    def error(self, message: str, **where: Unpack[Where]) -> None:
        """An error at sheet / row / column (keywords of Problem: value, expected, suggestion too)."""
        self._make("error", message, **_where(where))

    def warning(self, message: str, **where: Unpack[Where]) -> None:
        self._make("warning", message, **_where(where))

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def to_list(self) -> list[Problem]:
        """The stored problems, followed by 「ほか N 件のエラー」 summaries when some were dropped."""
        out = list(self._items)
        severities: tuple[Severity, ...] = ("error", "warning")
        labels = {"error": "エラー", "warning": "警告"}
        for severity in severities:
            dropped = self._dropped[severity]
            if dropped:
                out.append(
                    Problem(
                        severity,
                        f"ほか {dropped} 件の{labels[severity]}（最初の {self.limit} 件だけを表示しています）",
                        file=self.file,
                    )
                )
        return out


def _value_text(value: object) -> str:
    """A cell value as the user typed it, shortened so a huge cell cannot bloat the report."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= 100 else text[:100] + "…"


class FirstRows:
    """The row each key (団体, system, step …) was first read on; a later row with the same key is an error."""

    def __init__(self, problems: ProblemList, what: str) -> None:
        self.problems = problems
        self.what = what  # 「同じ団体・業務」
        self.rows: dict[object, int] = {}

    def repeated(self, key: object, at: int, **where: Unpack[Where]) -> bool:
        """True (and an error naming the first row) when the key was read before at row `at`; else remember it."""
        earlier = self.rows.get(key)
        if earlier is None:
            self.rows[key] = at
            return False
        located: Where = {**where, "row": at}
        self.problems.error(f"{self.what}の行が {earlier}行目 にもあります。", **located)
        return True


class FirstColumns:
    """The column each key (system, step …) was first found in; a later column with the same key is an error."""

    def __init__(self, problems: ProblemList, row: int) -> None:
        self.problems = problems
        self.row = row  # the header row (1-based) the headings stand on
        self.cited: dict[object, str] = {}  # key -> how a later error names the first column

    def repeated(self, key: object, what: str, label: str, heading: object, cite: str | None = None) -> bool:
        """True (and an error naming the first column) when the key was found before; else remember it.

        `what` names the column in the message (「システム「住民記録」の列」); `cite` is how a later error names
        this column (the label unless given).
        """
        earlier = self.cited.get(key)
        if earlier is None:
            self.cited[key] = label if cite is None else cite
            return False
        self.problems.error(f"{what}が重複しています（{earlier}と同じ）。", row=self.row, column=label, value=heading)
        return True


def header_index(records: Sequence[Sequence[Cell]], problems: ProblemList) -> int | None:
    """The index of a long table's header (its first record with any text); None, and an error, when every record
    is empty."""
    start = first_filled(records)
    if start is None:
        problems.error("ファイルに見出し行もデータもありません。")
    return start


def read_header(
    header: Sequence[Cell], row: int, known: Mapping[str, str], problems: ProblemList
) -> tuple[dict[str, int], dict[str, str]]:
    """The columns a header row names: (column name → 0-based index, column name → 「C列（見出し）」).

    `known` maps a folded heading (fold_name) to its column name; other headings are a warning, a column
    named twice an error. Whether the needed columns are all there is the caller's to check.
    """
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    for j, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        label = column_label(j, text)
        column = known.get(fold_name(text))
        if column is None:
            problems.warning(f"列「{text}」は使わない列なので無視します。", row=row, column=label, value=text)
        elif column in index:
            problems.error(f"列「{column}」が2つあります（{labels[column]}と{label}）。", row=row, column=label)
        else:
            index[column] = j
            labels[column] = label
    return index, labels


def given_as_of(
    found: date | None,
    given: date | None,
    problems: ProblemList,
    *,
    differs: Callable[[date, date], str],
    unknown: str,
) -> date | None:
    """The 基準日 to use: the one given (upload form, --as-of) over the one the file names, which when it is
    another month is a warning (differs(found, given)); neither is an error (`unknown`, naming where to put it)."""
    if given is not None:
        if found is not None and (found.year, found.month) != (given.year, given.month):
            problems.warning(differs(found, given))
        return given
    if found is None:
        problems.error(unknown)
    return found


def has_columns(
    index: Mapping[str, int], required: Sequence[str], row: int, problems: ProblemList, *, header: Sequence[str]
) -> bool:
    """True when the header has every required column; else an error naming the missing ones and the header
    expected (`header`, its columns in order)."""
    missing = [c for c in required if c not in index]
    if missing:
        problems.error(
            f"必須の列がありません: {'、'.join(missing)}（1行目は見出し行で、{','.join(header)} が必要です）。",
            row=row,
            expected=",".join(header),
        )
    return not missing
