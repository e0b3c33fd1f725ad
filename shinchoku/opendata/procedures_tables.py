"""Open data tables for the 26 procedures (docs/formats.md §10), for the open data engineer to wire into exports.

    procedures_table(as_of)              — long, one row per 市区町村 × procedure (importable, docs/formats.md §5)
    procedures_summary_table(as_of)      — 全国, 団体区分 and 都道府県 rows: share of 市区町村 that are 完了
    procedure_availability_table(as_of)  — one row per procedure: share of 市区町村 offering it

`as_of` is any date: the latest published procedures month on or before it is used (Table.as_of says which).
The shares are the rollups' numbers, the same the page and the API show.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from shinchoku.procedures import selectors
from shinchoku.procedures.models import AVAILABLE, UNAVAILABLE
from shinchoku.procedures.rollups import PREFECTURE_KIND, availability_at
from shinchoku.reference.models import Organization

from .tables import (
    AS_OF,
    CODE_NAME,
    DATA_LABEL,
    SCOPE_COLUMNS,
    Column,
    MonthTable,
    Table,
    data_label,
    full_name,
    month_layout,
)

NUMBER = Column("procedure_number", "手続番号", "子育て・介護26手続の番号（1〜26）", "int", "12")
NAME = Column("procedure_name", "手続名", "", "str", "保育施設等の利用申込")
FIELD = Column("field", "分野", "子育て／介護", "str", "子育て")
COMPLETED_SHARE = Column(
    "completed_share",
    "完了した市区町村の割合",
    "26手続すべてオンラインでできる市区町村の数÷市区町村の数（報告のない市区町村も分母に含む）",
    "float",
    "0.193567",
)


PROCEDURES_COLUMNS = [
    *CODE_NAME,
    NUMBER,
    NAME,
    Column("available", "オンライン対応", "マイナポータルからオンラインで「できる」か「できない」か", "str", "できる"),
    AS_OF,
    DATA_LABEL,
]

SUMMARY_COLUMNS = month_layout(
    SCOPE_COLUMNS,
    Column("municipalities", "市区町村数", "集計対象の市区町村の数（都道府県は含まない）", "int", "35"),
    Column("completed_municipalities", "完了した市区町村数", "26手続すべてオンラインでできる市区町村の数", "int", "7"),
    COMPLETED_SHARE,
    Column(
        "available_mean",
        "できる手続数の平均",
        "オンラインでできる手続の数の平均（報告のない市区町村は0）",
        "float",
        "22.5",
    ),
)

AVAILABILITY_COLUMNS = month_layout(
    [NUMBER, FIELD, NAME],
    Column("available_municipalities", "できる市区町村数", "その手続をオンラインでできる市区町村の数", "int", "1200"),
    Column("municipalities", "市区町村数", "全市区町村の数", "int", "1741"),
    Column("available_share", "できる市区町村の割合", "できる市区町村数÷市区町村数", "float", "0.689259"),
)


class ProceduresTable(MonthTable):
    """A table at the latest procedures month on or before `as_of` (any date), its sample flag that month's unless
    given; without rows when there is none."""

    def __call__(self, as_of: date | str | None = None, sample: bool | None = None) -> Table:
        try:
            month = selectors.resolve_as_of(as_of)
        except selectors.NotFound:
            return self.table(None, False, ())
        sample = selectors.is_sample(month) if sample is None else sample
        return self.table(month, sample, self.rows(month, sample))


def _procedure_rows(month: date, sample: bool) -> Iterator[tuple]:
    states = availability_at(month)
    procedures = selectors.procedure_list()
    label = data_label(sample)
    orgs = Organization.objects.filter(is_practice=False).exclude(kind=PREFECTURE_KIND).order_by("code")
    for o in orgs.only("code", "prefecture_name", "name").iterator(chunk_size=2000):
        codes = states.get(o.code)
        if not codes:
            continue
        name = full_name(o.prefecture_name, o.name)
        for p in procedures:
            c = codes[p.number - 1] if len(codes) >= p.number else ""
            if c in (AVAILABLE, UNAVAILABLE):
                yield (o.code, name, p.number, p.name, "できる" if c == AVAILABLE else "できない", month, label)


def _summary_rows(month: date, sample: bool) -> Iterator[tuple]:
    s = selectors.national_summary(as_of=month)
    label = data_label(sample)
    pref_codes = dict(Organization.objects.filter(kind=PREFECTURE_KIND).values_list("prefecture_code", "code"))

    def figures(g: dict) -> tuple:
        return (g["municipalities"], g["completed_municipalities"], g["completed_share"], g["available_mean"])

    yield ("", "全国", "全国", month, *figures(s), label)
    for k in s["by_kind"]:
        yield ("", "団体区分", k["kind"], month, *figures(k), label)
    for p in s["by_prefecture"]:
        yield (pref_codes.get(p["code"], ""), "都道府県", p["name"], month, *figures(p), label)


def _availability_rows(month: date, sample: bool) -> Iterator[tuple]:
    s = selectors.national_summary(as_of=month)
    label = data_label(sample)
    for p in s["by_procedure"]:
        yield (
            p["number"],
            p["field"],
            p["name"],
            month,
            p["available_municipalities"],
            s["municipalities"],
            p["available_share"],
            label,
        )


# The tables of this module, each declared once: KIND, title, columns, how its rows are read, description.
procedures_table = ProceduresTable(
    "procedures",
    "子育て・介護26手続のオンライン対応（市区町村別）",
    PROCEDURES_COLUMNS,
    _procedure_rows,
    description=(
        "市区町村ごとに、子育て・介護の26手続をマイナポータルからオンラインでできるか。基準日より前の最新の報告を"
        "引き継いでいます。報告のない手続の行はありません。この形式のまま取り込み（shinchoku import）に使えます。"
    ),
)

procedures_summary_table = ProceduresTable(
    "procedures-summary",
    "子育て・介護26手続のオンライン化の集計（全国・団体区分別・都道府県別）",
    SUMMARY_COLUMNS,
    _summary_rows,
    description="26手続すべてをオンラインでできる市区町村（完了）の数と割合。分母は全市区町村です。",
)

procedure_availability_table = ProceduresTable(
    "procedure-availability",
    "子育て・介護26手続ごとのオンライン対応の割合",
    AVAILABILITY_COLUMNS,
    _availability_rows,
    description="手続ごとに、マイナポータルからオンラインでできる市区町村の数と割合。",
)
