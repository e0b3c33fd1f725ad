"""API for the 26 procedures (docs/formats.md §9): the list, one 市区町村, the national summary.

Mounted at "/" of the API (`api.add_router("/", procedures.router)` in shinchoku/api/app.py), so the paths are
/api/v1/procedures, /api/v1/procedures/summary and /api/v1/organizations/{code}/procedures.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema

from shinchoku.api import params
from shinchoku.api.routes import public_get
from shinchoku.api.schemas import AsOf, OrgCode, OrgKind, OrgName, PrefCode, PrefName, SampleData, d
from shinchoku.procedures import selectors

router = Router(tags=["procedures"])

ProcedureName = Annotated[str, Field(description=d("手続名", "procedure name"))]
CompletedMunicipalities = Annotated[
    int, Field(description=d("完了した市区町村数", "municipalities with all available"))
]
CompletedShare = Annotated[float | None, Field(description=d("完了した市区町村の割合（0〜1）", "share completed, 0-1"))]
AvailableMean = Annotated[
    float | None, Field(description=d("オンラインでできる手続数の平均", "mean procedures available"))
]


class ProcedureOut(Schema):
    number: int = Field(description=d("手続番号（1〜26）", "procedure number 1-26"))
    field: str = Field(description=d("分野（子育て・介護）", "field: 子育て (child-rearing) or 介護 (long-term care)"))
    name: ProcedureName


class OrganizationProcedure(ProcedureOut):
    available: bool | None = Field(
        description=d(
            "マイナポータルからオンラインでできるか（報告がなければ null）",
            "available online through Mynaportal; null when not reported",
        )
    )
    available_label: str = Field(description=d("できる／できない／情報なし", "label in Japanese"))


class OrganizationProcedures(Schema):
    code: OrgCode
    name: OrgName
    kind: OrgKind
    as_of: AsOf
    reported_as_of: date | None = Field(
        description=d(
            "この団体の最新の報告の基準日（それ以降は引き継ぎ）", "as-of date of the latest report carried forward"
        )
    )
    sample_data: SampleData
    procedures_total: int = Field(description=d("対象の手続数（26）", "number of procedures (26)"))
    available_count: int = Field(description=d("オンラインでできる手続の数", "procedures available online"))
    completed: bool = Field(
        description=d("26手続すべてできる（完了）なら true", "true when all procedures are available")
    )
    procedures: list[OrganizationProcedure] = Field(description=d("手続ごとの対応", "each procedure"))


class KindShare(Schema):
    kind: OrgKind
    municipalities: int = Field(description=d("市区町村数", "municipalities"))
    completed_municipalities: CompletedMunicipalities
    completed_share: CompletedShare
    available_mean: AvailableMean


class PrefectureShare(Schema):
    code: PrefCode
    name: PrefName
    municipalities: int = Field(description=d("管内の市区町村数", "municipalities"))
    completed_municipalities: CompletedMunicipalities
    completed_share: CompletedShare
    available_mean: AvailableMean


class ProcedureShare(Schema):
    number: int = Field(description=d("手続番号", "procedure number"))
    name: ProcedureName
    field: str = Field(description=d("分野", "field"))
    available_municipalities: int = Field(description=d("オンラインでできる市区町村数", "municipalities offering it"))
    available_share: float | None = Field(
        description=d("オンラインでできる市区町村の割合（0〜1）", "share of municipalities offering it, 0-1")
    )


class ProceduresSummary(Schema):
    as_of: AsOf
    sample_data: SampleData
    procedures: int = Field(description=d("対象の手続数（26）", "number of procedures (26)"))
    municipalities: int = Field(
        description=d("市区町村数（分母：報告のない団体も含む）", "all municipalities (denominator)")
    )
    completed_municipalities: int = Field(
        description=d("26手続すべてオンラインでできる市区町村数", "municipalities with every procedure online")
    )
    completed_share: float | None = Field(
        description=d("完了した市区町村の割合＝完了数÷市区町村数（0〜1）", "completed ÷ all municipalities, 0-1")
    )
    by_kind: list[KindShare] = Field(description=d("団体区分別", "by kind"))
    by_prefecture: list[PrefectureShare] = Field(description=d("都道府県別（管内の市区町村）", "by prefecture"))
    by_procedure: list[ProcedureShare] = Field(description=d("手続別", "by procedure"))


@public_get(router, "/procedures", list[ProcedureOut], "26手続の一覧 / the 26 procedures")
def list_procedures(request: HttpRequest):
    """マイナポータルでのオンライン化を集計する子育て・介護の26手続。 / The 26 child-rearing and care procedures."""
    return [{"number": p.number, "field": p.field, "name": p.name} for p in selectors.procedure_list()]


@public_get(
    router,
    "/procedures/summary",
    ProceduresSummary,
    "26手続のオンライン化の全国概要 / national summary of online procedures",
)
def summary(request: HttpRequest, as_of: params.AsOfQuery = None):
    """完了＝26手続すべてできる。割合の分母は全市区町村。
    / Completed = all 26 online; the denominator is every municipality."""
    return selectors.national_summary(as_of=selectors.resolve_as_of(as_of))


@public_get(
    router,
    "/organizations/{code}/procedures",
    OrganizationProcedures,
    "市区町村の26手続のオンライン対応 / procedures online in one municipality",
)
def organization(request: HttpRequest, code: params.CodePath, as_of: params.AsOfQuery = None):
    """手続ごとに、マイナポータルからオンラインでできるか。 / For each procedure, whether it can be done online."""
    data = selectors.organization_procedures(params.org_code(code), as_of)
    data["procedures"] = [{**p, "available_label": p["label"]} for p in data["procedures"]]
    return data
