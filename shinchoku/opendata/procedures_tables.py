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

from .tables import DATA_LABEL, SCOPE_COLUMNS, MonthTable, Table, columns, data_label, full_name, month_layout

PROCEDURES_COLUMNS = [
    *columns("code", "organization_name", "procedure_number", "procedure_name", "procedures.available", "as_of"),
    DATA_LABEL,
]

SUMMARY_COLUMNS = month_layout(
    SCOPE_COLUMNS,
    *columns(
        "procedures-summary.municipalities",
        "procedures-summary.completed_municipalities",
        "procedures-summary.completed_share",
        "procedures-summary.available_mean",
    ),
)

AVAILABILITY_COLUMNS = month_layout(
    columns("procedure_number", "procedure-availability.field", "procedure_name"),
    *columns(
        "procedure-availability.available_municipalities",
        "procedure-availability.municipalities",
        "procedure-availability.available_share",
    ),
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
