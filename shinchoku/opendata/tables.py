"""Tables for open data and exports: Japanese column headings, typed values, one row per record.

Rows hold Python values (str, int, float, date, bool, None); each writer turns them into its format's cells.
Every table built from progress data ends with the sample-data label: the column データ区分, or 備考 in the
long progress table, whose columns are fixed by the long-CSV contract (docs/formats.md §2).

The wording of the columns (the data dictionary: 見出し・意味・型・例) is data, in dictionary.csv next to this
file, so that the people who review it can edit it without reading Python. One row per column:

    name          how a table asks for the column: the key for a column several tables share in the same words
                  (code, as_of, system, …); otherwise <table>.<key>, the table's KIND as prefix (warnings.since,
                  cost-summary.mean_ratio), or for a wording a family of tables shares, the family's name
                  (scope.code: the first column of the summary tables; costs.as_of: the costs tables' 基準日)
    key           the English key (JSON field name)
    heading       the Japanese heading (CSV, XLSX, Parquet and SQLite column name)
    meaning       what the column holds (意味)
    kind          str, int, float, date or bool (shown as 型: 文字列, 整数, 小数（0〜1）, 日付, 真偽)
    example       an example value (例)
    real_meaning  the meaning in a database of real data, where it differs (empty: the same as for sample data)
    real_example  the example in a database of real data, where it differs (empty: the same; so an empty real
                  example, as 備考's in the progress table, is written in Python)

A row with an empty heading and kind is a shared column as one table describes it (Column.described): it takes
the heading, kind and real-data wording of the row named by its key (which must come earlier), and its meaning
and example where its own cells are empty. Each table lists its columns by name (columns(...)); a name the file
does not have fails at import. Wording computed in Python (over SAMPLE_LABEL, the cost categories, the cloud
providers, the warning kinds, the 40 step headings) stays in the table modules. For the staff who edit the
file: docs/opendata.md「データ辞書（列の見出し・意味・型・例）の直し方」.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal, cast

from shinchoku import SAMPLE_LABEL
from shinchoku.reference.models import Organization

Kind = Literal["str", "int", "float", "date", "bool"]
TYPE_LABELS: dict[str, str] = {
    "str": "文字列",
    "int": "整数",
    "float": "小数（0〜1）",
    "date": "日付（YYYY-MM-DD）",
    "bool": "真偽（はい／いいえ）",
}
OFFICIAL_LABEL = "公表データ"


@dataclass(frozen=True)
class Column:
    key: str  # English key: JSON field name
    heading: str  # Japanese heading: CSV, XLSX, Parquet and SQLite column name
    meaning: str
    kind: Kind
    example: str
    # How the column reads in a database of real data, where no row is fictional (when it differs)
    real_meaning: str | None = None
    real_example: str | None = None

    @property
    def type(self) -> str:
        return TYPE_LABELS[self.kind]

    def for_data(self, sample: bool) -> Column:
        """The column as its data dictionary describes it for sample or real data."""
        if sample or (self.real_meaning is None and self.real_example is None):
            return self
        meaning = self.meaning if self.real_meaning is None else self.real_meaning
        return replace(self, meaning=meaning, example=self.example if self.real_example is None else self.real_example)

    def described(self, meaning: str | None = None, example: str | None = None) -> Column:
        """The same column (key, heading, type) as another table describes it: its own meaning or example."""
        return replace(self, meaning=meaning or self.meaning, example=self.example if example is None else example)


DICTIONARY = Path(__file__).with_name("dictionary.csv")
DICTIONARY_FIELDS = ("name", "key", "heading", "meaning", "kind", "example", "real_meaning", "real_example")


class DictionaryError(Exception):
    """dictionary.csv is malformed, or a table asks for a column it does not have."""


def read_dictionary(path: Path) -> dict[str, Column]:
    """Every column of a data dictionary file by name, in file order (the format: this module's docstring)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:  # a BOM (Excel's "CSV UTF-8") is allowed
        reader = csv.DictReader(fh, strict=True)
        if tuple(reader.fieldnames or ()) != DICTIONARY_FIELDS:
            raise DictionaryError(f"{path.name}: the header row must be {','.join(DICTIONARY_FIELDS)}")
        rows = list(enumerate(reader, start=2))
    out: dict[str, Column] = {}
    for line, row in rows:
        where = f"{path.name} line {line}"
        if None in row or None in row.values():
            raise DictionaryError(f"{where}: {len(DICTIONARY_FIELDS)} cells expected")
        name, key, heading, kind = row["name"], row["key"], row["heading"], row["kind"]
        if not name or not key:
            raise DictionaryError(f"{where}: name and key must not be empty")
        if name in out:
            raise DictionaryError(f"{where}: the name {name!r} is used twice")
        real_meaning, real_example = row["real_meaning"] or None, row["real_example"] or None
        if heading or kind:
            if not heading or kind not in TYPE_LABELS:
                raise DictionaryError(f"{where} ({name}): a heading and a kind ({', '.join(TYPE_LABELS)}) are needed")
            out[name] = Column(
                key, heading, row["meaning"], cast(Kind, kind), row["example"], real_meaning, real_example
            )
            continue
        base = out.get(key)
        if base is None:
            raise DictionaryError(
                f"{where} ({name}): without a heading the row describes the shared column named {key!r}, "
                "which must come earlier in the file"
            )
        if real_meaning or real_example:
            raise DictionaryError(f"{where} ({name}): the real-data wording is the shared column's ({key})")
        out[name] = base.described(row["meaning"] or None, row["example"] or None)
    return out


@cache
def dictionary() -> dict[str, Column]:
    """The columns of the open data's data dictionary (dictionary.csv), by name."""
    return read_dictionary(DICTIONARY)


# Every name a table has asked for (the unit tests check that each row of the file is used)
ASKED: set[str] = set()


def columns(*names: str) -> list[Column]:
    """The columns of dictionary.csv with these names, in this order; a name it does not have fails loudly."""
    known = dictionary()
    missing = [name for name in names if name not in known]
    if missing:
        raise DictionaryError(f"{DICTIONARY.name} has no column named {', '.join(map(repr, missing))}")
    ASKED.update(names)
    return [known[name] for name in names]


@dataclass
class Table:
    name: str  # the KIND of `shinchoku export` and the file name: organization-summary
    title: str
    columns: list[Column]
    rows: Iterable[tuple]
    as_of: date | None = None
    sample_data: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)
    source: str | None = None  # 「出典：…」 when the month holds official published figures

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]

    @property
    def sql_name(self) -> str:
        return self.name.replace("-", "_")


@dataclass(frozen=True)
class MonthTable:
    """One table of a month, declared once: what it is (KIND, title, columns, description) and how its rows are
    read. Called with a month and the sample flag, it gives the Table; the rows stay lazy until a writer reads them."""

    name: str
    title: str
    columns: list[Column]
    rows: Callable[[date, bool], Iterable[tuple]]
    description: str = ""

    def __call__(self, as_of: date, sample: bool) -> Table:
        return self.table(as_of, sample, self.rows(as_of, sample))

    def table(self, as_of: date | None, sample: bool, rows: Iterable[tuple]) -> Table:
        return Table(
            self.name, self.title, self.columns, rows, as_of=as_of, sample_data=sample, description=self.description
        )


def data_label(sample: bool) -> str:
    return SAMPLE_LABEL if sample else OFFICIAL_LABEL


CODE, FULL_NAME, PREF_CODE, KIND, AS_OF = columns("code", "organization_name", "prefecture_code", "kind", "as_of")
DATA_LABEL = Column(
    "data_label",
    "データ区分",
    f"「{SAMPLE_LABEL}」（動作確認用の架空の数値）または「{OFFICIAL_LABEL}」",
    "str",
    SAMPLE_LABEL,
    real_meaning=f"「{OFFICIAL_LABEL}」（公表値と団体の報告）",
    real_example=OFFICIAL_LABEL,
)


def month_layout(about: list[Column], *figures: Column, as_of: Column = AS_OF) -> list[Column]:
    """The columns of a table of a month, in their usual order: what a row is about, the 基準日, the figures,
    and the sample-data label last."""
    return [*about, as_of, *figures, DATA_LABEL]


# The columns that say which 団体 a row is about, first in the tables with a row per 団体 (or its systems).
CODE_NAME = [CODE, FULL_NAME]
ORGANIZATION_KEY = [*CODE_NAME, PREF_CODE]
# The same columns in a table with a row per prefecture
PREFECTURE_KEY = [*columns("prefecture-summary.code", "prefecture-summary.organization_name"), PREF_CODE]

ORGANIZATION_COLUMNS = [
    *ORGANIZATION_KEY,
    *columns(
        "organizations.prefecture_name", "organizations.name", "organizations.prefecture_kana", "organizations.kana"
    ),
    KIND,
]

# The first columns of a summary table's row: the nation, a 団体区分 or a prefecture.
SCOPE_COLUMNS = columns("scope.code", "scope", "scope_name")


def full_name(prefecture_name: str, name: str) -> str:
    return prefecture_name + name


def organization_names() -> dict[str, tuple[str, str, str]]:
    """code → (地方公共団体名, 都道府県コード, 団体区分) of every public 団体."""
    rows = Organization.objects.filter(is_practice=False).values_list(
        "code", "prefecture_name", "name", "prefecture_code", "kind"
    )
    return {code: (full_name(pn, n), pc, kind) for code, pn, n, pc, kind in rows}


def organizations_table(as_of: date | None = None, sample: bool = False) -> Table:
    """The 団体 reference list (real data, never sample): the same for every month."""
    rows = (
        (
            o.code,
            full_name(o.prefecture_name, o.name),
            o.prefecture_code,
            o.prefecture_name,
            o.name,
            o.prefecture_kana,
            o.kana,
            o.kind,
        )
        for o in Organization.objects.filter(is_practice=False).order_by("code").iterator(chunk_size=2000)
    )
    return Table(
        "organizations",
        "団体一覧",
        ORGANIZATION_COLUMNS,
        rows,
        as_of=as_of,
        sample_data=False,
        description="全国の都道府県と市区町村（1,788団体）。全国地方公共団体コードは検査数字付きの6桁です。",
    )
