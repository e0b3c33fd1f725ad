"""団体: list, one, progress."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from shinchoku.progress import selectors
from shinchoku.reference.models import Organization

from . import params
from .schemas import ErrorOut, OrganizationOut, OrganizationProgress

router = Router(tags=["organizations"])


@router.get("", response=list[OrganizationOut], summary="団体一覧 / organisations")
def list_organizations(
    request: HttpRequest,
    prefecture: Query[str | None] = None,
    kind: Query[str | None] = None,
    limit: Query[int] = 2000,
    offset: Query[int] = 0,
):
    """都道府県コード・団体区分で絞り込み。 / Filter by prefecture code and kind."""
    qs = Organization.objects.filter(is_practice=False).order_by("code")
    if prefecture:
        qs = qs.filter(prefecture_code=prefecture.zfill(2))
    if kind:
        qs = qs.filter(kind=kind)
    limit = max(0, min(limit, 2000))
    offset = max(0, offset)
    return list(qs[offset : offset + limit])


@router.get("/{code}", response={200: OrganizationOut, 404: ErrorOut}, summary="団体 / one organisation")
def get_organization(request: HttpRequest, code: str):
    return selectors.get_organization(params.org_code(code))


@router.get(
    "/{code}/progress",
    response={200: OrganizationProgress, 400: ErrorOut, 404: ErrorOut},
    summary="団体の進捗 / progress of one organisation",
)
def progress(request: HttpRequest, code: str, as_of: Query[str | None] = None):
    """対象システム×作業ステップの状態と両方の率。 / Statuses of systems × steps and both rates."""
    month = params.as_of(as_of)
    return selectors.organization_progress(code=params.org_code(code), as_of=month)
