"""Open data tables of operating costs and the ガバメントクラウド (listed in shinchoku/opendata/catalogue.py):

    costs_table(as_of)           — long, one row per 団体 × 年度 × 区分 (× system): importable as the cost CSV
    cost_summary_table(as_of)    — 年度 × 全国 / 団体区分 / 都道府県: the ratio to FY2018 (the API's numbers)
    cloud_summary_table(as_of)   — 全国 / 都道府県: ガバメントクラウド use by provider
    vendor_changes_table(as_of)  — which vendors systems left and joined, up to the month

`as_of` is a published progress month; the figures are those in force then (selectors.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from shinchoku.costs import cloud_selectors, selectors
from shinchoku.costs.domain import BASELINE_YEAR, CATEGORIES, CATEGORY_LABELS, Group
from shinchoku.costs.parser import CATEGORY, COMMENT_CATEGORIES
from shinchoku.costs.services import reports_at
from shinchoku.progress.models import CLOUD_PROVIDERS
from shinchoku.reference.models import Organization

from .tables import (
    CODE_NAME,
    DATA_LABEL,
    SCOPE_COLUMNS,
    Column,
    MonthTable,
    Table,
    columns,
    data_label,
    full_name,
    month_layout,
)

[AS_OF] = columns("costs.as_of")

# The long table's headings are the cost CSV's (importable: shinchoku.costs.parser); the categories, the domain's.
COST_COLUMNS = [
    *CODE_NAME,
    *columns("costs.fiscal_year"),
    Column("category", CATEGORY, "、".join([c.label for c in CATEGORIES]) + "、またはコメント", "str", "回線費"),
    *columns("costs.amount", "costs.system", "costs.note", "costs.reported_as_of"),
    DATA_LABEL,
]

SUMMARY_COLUMNS = month_layout(
    [*SCOPE_COLUMNS, *columns("cost-summary.fiscal_year")],
    *columns(
        "cost-summary.organizations",
        "cost-summary.mean_ratio",
        "cost-summary.median_ratio",
        "cost-summary.weighted_ratio",
        "cost-summary.min_ratio",
        "cost-summary.max_ratio",
        "cost-summary.met_target",
        "cost-summary.met_target_share",
        "cost-summary.above_baseline",
        "cost-summary.total",
        "cost-summary.baseline_total",
    ),
    *[Column(c.key, f"{c.label}（千円）", f"その年度の{c.label}の合計", "int", "1000") for c in CATEGORIES],
    as_of=AS_OF,
)

PROVIDER_COLUMNS = [Column(key, label, f"{label}を使うシステム数", "int", "120") for key, label in CLOUD_PROVIDERS]

CLOUD_COLUMNS = month_layout(
    SCOPE_COLUMNS,
    *columns(
        "cloud-summary.systems",
        "cloud-summary.reported",
        "cloud-summary.on_cloud",
        "cloud-summary.off_cloud",
        "cloud-summary.on_cloud_share",
    ),
    *PROVIDER_COLUMNS,
    *columns("cloud-summary.unknown_provider"),
    as_of=AS_OF,
)

FLOW_COLUMNS = month_layout(
    [],
    *columns("vendor-changes.before", "vendor-changes.after", "vendor-changes.systems", "vendor-changes.organizations"),
    as_of=AS_OF,
)


class CostsTable(MonthTable):
    """A table at the published month `as_of` names (the figures in force then); without rows when there is none."""

    def __call__(self, as_of: date | str | None = None, sample: bool = False) -> Table:
        try:
            month = selectors.resolve_month(as_of)
        except selectors.NotFound:
            return self.table(None, sample, ())
        return self.table(month, sample, self.rows(month, sample))


def _cost_rows(month: date, sample: bool) -> Iterator[tuple]:
    label = data_label(sample)
    names = {o.code: full_name(o.prefecture_name, o.name) for o in Organization.objects.filter(is_practice=False)}
    order = {c.key: i for i, c in enumerate(CATEGORIES)}
    for (org, fy), r in sorted(reports_at(None, month).items()):
        if org not in names or r.total is None:
            continue
        for x in sorted(r.lines, key=lambda x: (order[x.category], x.system)):
            yield (org, names[org], fy, CATEGORY_LABELS[x.category], x.amount, x.system, x.note, r.as_of, label)
        if r.comment:
            yield (org, names[org], fy, COMMENT_CATEGORIES[0], None, "", r.comment, r.as_of, label)


def _group_row(scope: tuple[str, str, str], fy: int, month: date, g: Group, label: str) -> tuple:
    return (
        *scope,
        fy,
        month,
        g.organizations,
        g.mean_ratio,
        g.median_ratio,
        g.weighted_ratio,
        g.min_ratio,
        g.max_ratio,
        g.met_target,
        g.met_target_share,
        g.above_baseline,
        g.total,
        g.baseline_total,
        *[g.by_category.get(c.key, 0) for c in CATEGORIES],
        label,
    )


def _summary_rows(month: date, sample: bool) -> Iterator[tuple]:
    label = data_label(sample)
    pref_codes = dict(Organization.objects.filter(kind="都道府県").values_list("prefecture_code", "code"))
    for fy in selectors.cost_summary(month).fiscal_years:
        s = selectors.cost_summary(month, fy)
        if s.nation is not None:
            yield _group_row(("", "全国", "全国"), fy, month, s.nation, label)
        for kind, g in s.by_kind:
            yield _group_row(("", "団体区分", kind), fy, month, g, label)
        for pref, name, g in s.by_prefecture:
            yield _group_row((pref_codes.get(pref, ""), "都道府県", name), fy, month, g, label)


def _cloud_row(scope: tuple[str, str, str], month: date, a: cloud_selectors.CloudArea, label: str) -> tuple:
    counts = {p.key: p.systems for p in a.providers}
    return (
        *scope,
        month,
        a.systems,
        a.reported,
        a.on_cloud,
        a.off_cloud,
        a.on_cloud_share,
        *[counts.get(key, 0) for key, _label in CLOUD_PROVIDERS],
        counts.get("", 0),
        label,
    )


def _cloud_rows(month: date, sample: bool) -> Iterator[tuple]:
    label = data_label(sample)
    s = cloud_selectors.cloud_summary(month)
    pref_codes = dict(Organization.objects.filter(kind="都道府県").values_list("prefecture_code", "code"))
    yield _cloud_row(("", "全国", "全国"), month, s.nation, label)
    for a in s.by_prefecture:
        yield _cloud_row((pref_codes.get(a.code, ""), "都道府県", a.name), month, a, label)


def _flow_rows(month: date, sample: bool) -> Iterator[tuple]:
    label = data_label(sample)
    for f in cloud_selectors.cloud_summary(month).flows:
        yield (month, f.before, f.after, f.systems, f.organizations, label)


# The tables of this module, each declared once: KIND, title, columns, how its rows are read, description.
costs_table = CostsTable(
    "costs",
    "運用経費（団体別・年度別・区分別、千円）",
    COST_COLUMNS,
    _cost_rows,
    description=f"団体が公開した基幹業務システムの運用経費（千円）。{BASELINE_YEAR}年度（平成30年度）が基準年度です。"
    "基準日に有効な報告（その年度の最新の報告）です。この形式のまま取り込み（shinchoku import）に使えます。",
)

cost_summary_table = CostsTable(
    "cost-summary",
    "運用経費の平成30年度比（全国・団体区分別・都道府県別、年度別）",
    SUMMARY_COLUMNS,
    _summary_rows,
    description=(
        "平成30年度とその年度の両方を公開した団体の、運用経費の平成30年度比。国の目標は 0.7 以下（3割削減）。"
        "全国と都道府県は市区町村の集計で、都道府県自身は団体区分「都道府県」の行にあります。"
    ),
)

cloud_summary_table = CostsTable(
    "cloud-summary",
    "ガバメントクラウドの利用（全国・都道府県別、事業者別）",
    CLOUD_COLUMNS,
    _cloud_rows,
    description="対象システムのうちガバメントクラウドを利用するシステムの数と割合、クラウド事業者別のシステム数。",
)

vendor_changes_table = CostsTable(
    "vendor-changes",
    "事業者の変更（移行前の事業者→移行後の事業者）",
    FLOW_COLUMNS,
    _flow_rows,
    description="システムの事業者が変わった件数を、離れた事業者と移った事業者の組ごとに数えます（基準日まで）。",
)
