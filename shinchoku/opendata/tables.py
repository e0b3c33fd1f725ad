"""Tables for open data and exports: Japanese column headings, one row per record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from shinchoku.reference.models import Organization


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    meaning: str
    type: str
    example: str


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: Iterator[tuple] | list[tuple]
    as_of: date | None = None
    sample_data: bool = False

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


ORGANIZATION_COLUMNS = [
    Column("code", "全国地方公共団体コード", "6桁の団体コード（検査数字付き）", "文字列", "042021"),
    Column("full_name", "地方公共団体名", "都道府県名と市区町村名", "文字列", "宮城県石巻市"),
    Column("prefecture_code", "都道府県コード", "2桁", "文字列", "04"),
    Column("prefecture_name", "都道府県名", "", "文字列", "宮城県"),
    Column("name", "市区町村名", "都道府県は空欄", "文字列", "石巻市"),
    Column("prefecture_kana", "都道府県名_カナ", "全角カナ", "文字列", "ミヤギケン"),
    Column("kana", "市区町村名_カナ", "全角カナ", "文字列", "イシノマキシ"),
    Column("kind", "団体区分", "都道府県／政令指定都市／中核市／市／町／村／特別区", "文字列", "市"),
]


def organizations_table() -> Table:
    rows = (
        (
            o.code,
            o.prefecture_name + o.name,
            o.prefecture_code,
            o.prefecture_name,
            o.name,
            o.prefecture_kana,
            o.kana,
            o.kind,
        )
        for o in Organization.objects.filter(is_practice=False).order_by("code").iterator()
    )
    return Table("organizations", "団体一覧", ORGANIZATION_COLUMNS, rows)
