"""API for operating costs and the ガバメントクラウド (docs/formats.md §11): one 団体's costs, the national summary,
and the cloud and vendor summary. Published months only; amounts in 千円, ratios to FY2018 as plain numbers.

Mounted at "/" of the API, so the paths are /api/v1/organizations/{code}/costs, /api/v1/costs/summary and
/api/v1/cloud/summary.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from shinchoku.api import params
from shinchoku.api.routes import public_get
from shinchoku.api.schemas import (
    OrgCode,
    OrgKind,
    OrgName,
    PrefCode,
    PrefName,
    PublishedAsOf,
    SampleData,
    attributes,
    d,
)
from shinchoku.costs import cloud_selectors, selectors
from shinchoku.costs.domain import BINS, CATEGORY_KEYS, Group

router = Router(tags=["costs"])

AMOUNT = "千円"
T = TypeVar("T")

FiscalYear = Annotated[
    int, Field(description=d("年度（2024 は令和6年度）", "fiscal year starting in April, e.g. 2024"))
]
BaselineYear = Annotated[int, Field(description=d("基準年度（2018＝平成30年度）", "baseline fiscal year (2018)"))]
BaselineTotal = Annotated[T, Field(description=d("基準年度の合計（千円）", "total of FY2018, k yen"))]
Systems = Annotated[int, Field(description=d("システム数", "systems"))]
Organizations = Annotated[int, Field(description=d("団体数", "local governments"))]
VendorName = Annotated[str, Field(description=d("事業者名", "vendor"))]


class ByCategory(Schema):
    system_usage: int | None = Field(
        description=d("システム利用料・保守（千円）", "system usage and maintenance, k yen")
    )
    gov_cloud: int | None = Field(description=d("ガバメントクラウド利用料（千円）", "Government Cloud fees, k yen"))
    network: int | None = Field(description=d("回線費（千円）", "network lines, k yen"))
    operations: int | None = Field(description=d("運用支援・その他（千円）", "operations support and other, k yen"))


class SystemAmountOut(Schema):
    category: str = Field(description=d("区分（by_category のキー）", "category key"))
    system: str = Field(description=d("対象システム", "system"))
    amount: int = Field(description=d("金額（千円）", "amount, k yen"))


class YearOut(Schema):
    fiscal_year: FiscalYear
    total: int = Field(description=d("合計（千円）", "total, k yen"))
    by_category: ByCategory = Field(
        description=d("区分別（報告のない区分は null）", "by category; null if not reported")
    )
    ratio_to_baseline: float | None = Field(
        description=d("平成30年度（2018年度）の合計に対する比（0.7 以下が国の目標）", "ratio to FY2018; target ≤ 0.7")
    )
    comment: str = Field(description=d("団体のコメント", "the 団体's comment"))
    reported_as_of: date = Field(description=d("この数値を報告した月（月末日）", "month the figures were reported"))
    by_system: list[SystemAmountOut] = Field(description=d("対象システム別の内訳（あれば）", "per-system lines"))


class OrganizationCostsOut(Schema):
    code: OrgCode
    name: OrgName
    kind: OrgKind
    as_of: PublishedAsOf
    sample_data: SampleData
    baseline_year: BaselineYear
    baseline_total: BaselineTotal[int | None]
    years: list[YearOut] = Field(description=d("年度ごとの運用経費", "operating cost per fiscal year"))


class GroupOut(Schema):
    organizations: int = Field(description=d("集計した団体数（基準年度とその年度の両方を報告）", "団体 counted"))
    mean_ratio: float | None = Field(description=d("基準年度比の平均", "mean ratio to FY2018"))
    median_ratio: float | None = Field(description=d("基準年度比の中央値", "median ratio"))
    weighted_ratio: float | None = Field(description=d("合計÷基準年度の合計", "sum ÷ sum of baselines"))
    min_ratio: float | None = Field(description=d("最小", "minimum ratio"))
    max_ratio: float | None = Field(description=d("最大", "maximum ratio"))
    met_target: int = Field(description=d("0.7 以下（3割削減を達成）の団体数", "団体 with ratio ≤ 0.7"))
    met_target_share: float | None = Field(description=d("目標を達成した団体の割合（0〜1）", "share meeting it"))
    above_baseline: int = Field(description=d("基準年度より増えた（1.0 超）団体数", "団体 above the baseline"))
    total: int = Field(description=d("その年度の合計（千円）", "total of the year, k yen"))
    baseline_total: BaselineTotal[int]
    by_category: ByCategory = Field(description=d("区分別の合計（千円）", "totals by category, k yen"))
    distribution: list[int] = Field(description=d("倍率の階級ごとの団体数（bins の順）", "団体 per ratio class"))


class KindGroupOut(GroupOut):
    kind: OrgKind


class PrefectureGroupOut(GroupOut):
    code: PrefCode
    name: PrefName


class TrendOut(GroupOut):
    fiscal_year: FiscalYear


class ReferenceLineOut(Schema):
    key: str = Field(description=d("識別子", "key"))
    ratio: float = Field(description=d("基準年度比", "ratio"))
    label: str = Field(description=d("説明", "label"))
    source: str = Field(description=d("出典", "source"))


class BinOut(Schema):
    label: str = Field(description=d("階級", "class"))
    upper: float | None = Field(description=d("上限（この値を含む。null は上限なし）", "upper bound, inclusive"))


class CostSummaryOut(Schema):
    as_of: PublishedAsOf
    sample_data: SampleData
    baseline_year: BaselineYear
    target_ratio: float = Field(description=d("国の目標（基準年度比 0.7 以下）", "national target ratio"))
    fiscal_year: int | None = Field(description=d("集計した年度", "fiscal year summarised"))
    fiscal_years: list[int] = Field(description=d("数値のある年度", "fiscal years with figures"))
    reported_organizations: int = Field(description=d("運用経費を公開した団体数", "団体 with published costs"))
    nation: GroupOut | None = Field(description=d("全国（市区町村）", "nation (municipalities)"))
    by_kind: list[KindGroupOut] = Field(description=d("団体区分別（都道府県を含む）", "by kind"))
    by_prefecture: list[PrefectureGroupOut] = Field(description=d("都道府県別（管内の市区町村）", "by prefecture"))
    trend: list[TrendOut] = Field(description=d("年度ごとの全国の数値", "national figures per year"))
    reference_lines: list[ReferenceLineOut] = Field(description=d("目標と公表された調査の数値", "reference lines"))
    bins: list[BinOut] = Field(description=d("distribution の階級", "classes of distribution"))


class ProviderOut(Schema):
    key: str = Field(description=d("事業者（aws, azure, google, oracle, sakura。空は報告なし）", "provider key"))
    label: str = Field(description=d("事業者名", "provider"))
    systems: Systems
    share: float | None = Field(description=d("ガバメントクラウド上のシステムに占める割合", "share of cloud systems"))


class CloudAreaOut(Schema):
    code: str = Field(description=d("都道府県コード（全国は空）", "prefecture code; empty for the nation"))
    name: str = Field(description=d("名前", "name"))
    systems: int = Field(description=d("対象システム数", "systems"))
    reported: int = Field(description=d("利用の有無が分かるシステム数", "systems with a known answer"))
    on_cloud: int = Field(description=d("ガバメントクラウドを利用するシステム数", "systems on the Government Cloud"))
    off_cloud: int = Field(description=d("利用しないシステム数", "systems not on it"))
    on_cloud_share: float | None = Field(description=d("利用する割合＝利用÷分かるシステム", "on_cloud ÷ reported"))
    providers: list[ProviderOut] = Field(description=d("事業者別", "by provider"))


class VendorOut(Schema):
    name: VendorName
    systems: Systems
    organizations: Organizations
    share: float | None = Field(description=d("事業者の分かるシステムに占める割合", "share of systems"))


class FlowOut(Schema):
    before: str = Field(description=d("移行前の事業者", "vendor left"))
    after: str = Field(description=d("移行後の事業者", "vendor joined"))
    systems: Systems
    organizations: Organizations


class BalanceOut(Schema):
    name: VendorName
    joined_systems: int = Field(description=d("移ってきたシステム数", "systems joined"))
    left_systems: int = Field(description=d("離れたシステム数", "systems left"))
    joined_organizations: int = Field(description=d("移ってきた団体数", "団体 joined"))
    left_organizations: int = Field(description=d("離れた団体数", "団体 left"))
    net_systems: int = Field(description=d("差し引き", "net"))


class CloudSummaryOut(Schema):
    as_of: PublishedAsOf
    sample_data: SampleData
    nation: CloudAreaOut = Field(description=d("全国（都道府県自身のシステムを含む）", "nation"))
    by_prefecture: list[CloudAreaOut] = Field(description=d("都道府県別", "by prefecture"))
    vendor_systems: int = Field(description=d("事業者の分かるシステム数", "systems with a vendor"))
    vendors: list[VendorOut] = Field(description=d("事業者別のシステム数", "systems per vendor"))
    changed_systems: int = Field(description=d("事業者が変わったシステム数（基準日まで）", "systems that changed"))
    changed_organizations: int = Field(description=d("事業者が変わった団体数", "団体 with a change"))
    flows: list[FlowOut] = Field(description=d("どの事業者からどの事業者へ", "from → to"))
    by_vendor: list[BalanceOut] = Field(description=d("事業者ごとの増減", "joined and left per vendor"))


def _categories(amounts: dict[str, int], reported: tuple[str, ...] | None = None) -> dict[str, int | None]:
    return {k: amounts.get(k, 0) if reported is None or k in reported else None for k in CATEGORY_KEYS}


def group_dict(g: Group) -> dict:
    return {**g.as_dict(), "by_category": _categories(g.by_category)}


def organization_dict(c: selectors.OrganizationCosts) -> dict:
    return {
        **attributes(c, "code", "name", "kind", "as_of", "sample_data", "baseline_year", "baseline_total"),
        "years": [
            {
                **attributes(y, "fiscal_year", "total"),
                "by_category": _categories(dict(y.by_category), y.categories_reported),
                **attributes(y, "ratio_to_baseline", "comment", "reported_as_of"),
                "by_system": [attributes(x, "category", "system", "amount") for x in y.by_system],
            }
            for y in c.years
        ],
    }


def summary_dict(s: selectors.CostSummary) -> dict:
    return {
        **attributes(s, "as_of", "sample_data", "baseline_year", "target_ratio", "fiscal_year"),
        "fiscal_years": list(s.fiscal_years),
        "reported_organizations": s.reported_organizations,
        "nation": group_dict(s.nation) if s.nation else None,
        "by_kind": [{"kind": k, **group_dict(g)} for k, g in s.by_kind],
        "by_prefecture": [{"code": p, "name": n, **group_dict(g)} for p, n, g in s.by_prefecture],
        "trend": [{"fiscal_year": fy, **group_dict(g)} for fy, g in s.trend],
        "reference_lines": [attributes(r, "key", "ratio", "label", "source") for r in s.reference_lines],
        "bins": [{"label": label, "upper": upper} for label, upper in BINS],
    }


def cloud_dict(c: cloud_selectors.CloudSummary) -> dict:
    def area(a: cloud_selectors.CloudArea) -> dict:
        return {
            **attributes(a, "code", "name", "systems", "reported", "on_cloud", "off_cloud", "on_cloud_share"),
            "providers": [attributes(p, "key", "label", "systems", "share") for p in a.providers],
        }

    return {
        **attributes(c, "as_of", "sample_data"),
        "nation": area(c.nation),
        "by_prefecture": [area(a) for a in c.by_prefecture],
        "vendor_systems": c.vendor_systems,
        "vendors": [vars(v) for v in c.vendors],
        **attributes(c, "changed_systems", "changed_organizations"),
        "flows": [vars(f) for f in c.flows],
        "by_vendor": [vars(b) for b in c.balances],
    }


@public_get(
    router,
    "/organizations/{code}/costs",
    OrganizationCostsOut,
    "団体の運用経費 / operating costs of one local government",
)
def organization(request: HttpRequest, code: params.CodePath, as_of: params.AsOfQuery = None):
    """年度ごとの運用経費（千円）と平成30年度比。公開された月の報告だけ。
    / Operating cost per fiscal year (k yen) and its ratio to FY2018; published reports only."""
    return organization_dict(selectors.organization_costs(params.org_code(code), params.as_of(as_of)))


@public_get(
    router,
    "/costs/summary",
    CostSummaryOut,
    "運用経費の全国・団体区分別・都道府県別の集計 / national summary of operating costs",
)
def summary(
    request: HttpRequest,
    as_of: params.AsOfQuery = None,
    fiscal_year: int | None = Query(None, description=d("年度（省略時は最新）", "fiscal year; default the latest")),
):
    """平成30年度比の平均・中央値・分布。基準年度とその年度の両方を公開した団体が対象。
    / Mean, median and distribution of the ratio to FY2018 over 団体 that published both years."""
    found = selectors.cost_summary(params.as_of(as_of), fiscal_year)
    if fiscal_year is not None and found.fiscal_years and fiscal_year not in found.fiscal_years:
        years = "、".join(str(y) for y in found.fiscal_years)
        raise params.BadParameter(f"{fiscal_year}年度の数値はありません（数値のある年度: {years}）")
    return summary_dict(found)


@public_get(
    router,
    "/cloud/summary",
    CloudSummaryOut,
    "ガバメントクラウドの利用と事業者 / Government Cloud use, providers and vendors",
)
def cloud(request: HttpRequest, as_of: params.AsOfQuery = None):
    """ガバメントクラウドを利用するシステムの割合（事業者別・都道府県別）、事業者のシェアと変更。
    / Share of systems on the Government Cloud by provider and prefecture; vendor shares and changes."""
    return cloud_dict(cloud_selectors.cloud_summary(params.as_of(as_of)))
