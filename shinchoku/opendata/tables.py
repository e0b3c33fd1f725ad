"""Tables for open data and exports: Japanese column headings, typed values, one row per record.

Rows hold Python values (str, int, float, date, bool, None); each writer turns them into its format's cells.
Every table built from progress data ends with the sample-data label: the column データ区分, or 備考 in the
long progress table, whose columns are fixed by the long-CSV contract (docs/formats.md §2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

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


CODE = Column("code", "全国地方公共団体コード", "6桁の団体コード（検査数字付き）", "str", "042021")
FULL_NAME = Column("organization_name", "地方公共団体名", "都道府県名と市区町村名", "str", "宮城県石巻市")
PREF_CODE = Column("prefecture_code", "都道府県コード", "2桁", "str", "04")
KIND = Column("kind", "団体区分", "都道府県／政令指定都市／中核市／市／町／村／特別区", "str", "市")
AS_OF = Column("as_of", "基準日", "データの基準日（月末日）", "date", "2026-01-31")
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
PREFECTURE_KEY = [
    CODE.described("都道府県の団体コード（6桁）", "130001"),
    FULL_NAME.described("都道府県名", "東京都"),
    PREF_CODE,
]

ORGANIZATION_COLUMNS = [
    *ORGANIZATION_KEY,
    Column("prefecture_name", "都道府県名", "", "str", "宮城県"),
    Column("name", "市区町村名", "都道府県は空欄", "str", "石巻市"),
    Column("prefecture_kana", "都道府県名_カナ", "全角カナ", "str", "ミヤギケン"),
    Column("kana", "市区町村名_カナ", "全角カナ", "str", "イシノマキシ"),
    KIND,
]

# The first columns of a summary table's row: the nation, a 団体区分 or a prefecture.
SCOPE_COLUMNS = [
    Column("code", "全国地方公共団体コード", "都道府県の行はその都道府県の団体コード、ほかは空欄", "str", "040002"),
    Column("scope", "集計区分", "全国／団体区分／都道府県", "str", "都道府県"),
    Column("scope_name", "集計対象", "全国、団体区分名または都道府県名", "str", "宮城県"),
]


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
