"""The prefecture's follow-up list (staff read, unpublished data included): the same rows as
`/staff/prefectures/{pref}/`. A staff session or `Authorization: Bearer TOKEN`; a 市区町村担当 gets 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status

from shinchoku.progress.followup import followup
from shinchoku.staff.followup_access import month_param, scope_for, stalled_param

from .writes import BearerToken, StaffSession

router = Router(tags=["職員用の一覧 / staff reads"], auth=[BearerToken(), StaffSession(csrf=True)])


class SpecialOut(Schema):
    name: str
    planned_completion: date | None


class FollowupOrg(Schema):
    code: str
    name: str
    prefecture_code: str
    reported: bool
    last_report: datetime | None
    systems: int
    completion_rate: float | None
    progress_rate: float | None
    late_systems: list[str]
    stalled_systems: list[str]
    late_without_explanation: list[str]
    special_support_systems: list[SpecialOut]


class FollowupOut(Schema):
    prefecture: str
    name: str
    as_of: date
    stalled_months: int
    organizations: list[FollowupOrg]


def _err(status: int, code: str, message: str) -> Status:
    return Status(status, {"error": {"code": code, "message": message, "details": None}})


@router.get(
    "/staff/prefectures/{pref}/followup",
    response={200: FollowupOut, 401: dict, 403: dict, 404: dict},
    summary="都道府県のフォローアップ一覧 / a prefecture's follow-up list (staff)",
)
def prefecture_followup(
    request: HttpRequest,
    pref: str,
    as_of: str | None = Query(None, description="YYYY-MM（省略時は報告中の月）"),
    stalled: int | None = Query(None, description="停滞とみなす月数（1〜24、既定 3）"),
) -> Any:
    try:
        scope, name = scope_for(request.user, pref)
    except PermissionDenied as e:
        return _err(403, "forbidden", str(e))
    except Http404 as e:
        return _err(404, "not_found", str(e))
    month = month_param(as_of)
    months = stalled_param(str(stalled) if stalled is not None else None)
    rows = followup(pref=scope, as_of=month, stalled_months=months)
    return {
        "prefecture": pref,
        "name": name,
        "as_of": month,
        "stalled_months": months,
        "organizations": [r.as_dict() for r in rows],
    }
