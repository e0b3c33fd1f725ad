"""団体: list, one, progress."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from shinchoku.progress import selectors
from shinchoku.reference.models import Organization

from . import params
from .routes import public_get
from .schemas import OrganizationOut, OrganizationProgress

router = Router(tags=["organizations"])

MAX_LIMIT = 2000
MAX_OFFSET = 1_000_000  # far above the 1,788 団体; a 64-bit overflow in SQL would be a 500
TOTAL_HEADER = {
    "X-Total-Count": {
        "description": params.d("絞り込み後の総件数（ページ分割の前）", "total count after filters, before paging"),
        "schema": {"type": "integer"},
        "required": True,
    }
}
TOTAL_COUNTED = {"responses": {200: {"headers": TOTAL_HEADER}}}  # openapi_extra of a paged list


@public_get(router, "", list[OrganizationOut], "団体一覧 / organisations", openapi_extra=TOTAL_COUNTED)
def list_organizations(
    request: HttpRequest,
    response: HttpResponse,
    prefecture: params.PrefQuery = None,
    kind: str | None = Query(
        None, description=params.d("団体区分（例: 市）", "kind, e.g. 市"), enum=list(params.KINDS)
    ),
    limit: int = Query(MAX_LIMIT, ge=0, le=MAX_LIMIT, description=params.d("最大件数", "page size")),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description=params.d("先頭から飛ばす件数", "items to skip")),
):
    """都道府県コード・団体区分で絞り込み、コード順。総件数は X-Total-Count ヘッダー。
    / Filter by prefecture code and kind, ordered by code; the total is in the X-Total-Count header."""
    qs = Organization.objects.filter(is_practice=False).order_by("code")
    if prefecture:
        qs = qs.filter(prefecture_code=params.prefecture(prefecture))
    if kind:
        qs = qs.filter(kind=params.kind(kind))
    response["X-Total-Count"] = str(qs.count())
    return list(qs[offset : offset + limit])


@public_get(router, "/{code}", OrganizationOut, "団体 / one organisation")
def get_organization(request: HttpRequest, code: params.CodePath):
    """団体コード・名称・区分。 / Code, names and kind of one organisation."""
    return selectors.get_organization(params.org_code(code))


@public_get(router, "/{code}/progress", OrganizationProgress, "団体の進捗 / progress of one organisation")
def progress(request: HttpRequest, code: params.CodePath, as_of: params.AsOfQuery = None):
    """対象システム×作業ステップの状態と両方の率。 / Statuses of systems × steps and both rates."""
    month = params.as_of(as_of)
    return selectors.organization_progress(code=params.org_code(code), as_of=month)
