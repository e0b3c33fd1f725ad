"""The prefecture's follow-up list (staff read, unpublished data included): the same rows as
`/staff/prefectures/{pref}/`. A staff session or `Authorization: Bearer TOKEN`; a 市区町村担当 gets 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from shinchoku.progress.followup import followup
from shinchoku.staff.followup_access import month_param, scope_for, stalled_param

from .schemas import TwoDigitPrefCode, d
from .writes import BearerToken, StaffSession

router = Router(tags=["職員用の一覧 / staff reads"], auth=[BearerToken(), StaffSession(csrf=True)])


class SpecialOut(Schema):
    name: str = Field(description=d("システム名", "system name"))
    planned_completion: date | None = Field(
        description=d(
            "移行完了予定（年度の末日、未定なら null）", "planned completion (end of the fiscal year; null if unknown)"
        )
    )


class FollowupOrg(Schema):
    code: str = Field(description=d("6桁の団体コード", "6-digit organization code"))
    name: str = Field(description=d("団体名", "organization name"))
    prefecture_code: TwoDigitPrefCode
    reported: bool = Field(description=d("この月に報告があれば true", "true if the organization reported this month"))
    last_report: datetime | None = Field(description=d("最後に報告した日時", "time of the last report"))
    systems: int = Field(description=d("システム数", "number of systems"))
    completion_rate: float | None = Field(description=d("完了率（0〜1）", "completion rate (0-1)"))
    progress_rate: float | None = Field(description=d("進捗率（0〜1）", "progress rate (0-1)"))
    late_systems: list[str] = Field(description=d("遅れているシステム", "systems behind schedule"))
    stalled_systems: list[str] = Field(
        description=d("停滞しているシステム（状態が変わっていない）", "stalled systems (statuses unchanged)")
    )
    late_without_explanation: list[str] = Field(
        description=d("遅れているが遅延の説明がないシステム", "late systems without a delay explanation")
    )
    special_support_systems: list[SpecialOut] = Field(
        description=d("特定移行支援システムと移行完了予定", "special-support systems and their planned completion")
    )


class FollowupOut(Schema):
    prefecture: str = Field(description=d("都道府県コード、または全国（all）", "prefecture code, or all"))
    name: str = Field(description=d("都道府県名（または全国）", "prefecture name (or 全国)"))
    as_of: date = Field(description=d("基準日（月末日）", "reference date (end of month)"))
    stalled_months: int = Field(description=d("停滞とみなす月数", "months without change that count as stalled"))
    organizations: list[FollowupOrg] = Field(description=d("市区町村ごとの行", "one row per municipality"))


def _err(status: int, code: str, message: str) -> Status:
    return Status(status, {"error": {"code": code, "message": message, "details": None}})


@router.get(
    "/staff/prefectures/{pref}/followup",
    response={200: FollowupOut, 401: dict, 403: dict, 404: dict},
    summary="都道府県のフォローアップ一覧 / a prefecture's follow-up list (staff)",
)
def prefecture_followup(
    request: HttpRequest,
    pref: str = Path(
        ...,
        description=d("都道府県コード（2桁）、または all（運用者のみ）", "2-digit prefecture code, or all (operators)"),
    ),
    as_of: str | None = Query(
        None, description=d("基準月 YYYY-MM（省略時は報告中の月）", "month YYYY-MM (default: the month being reported)")
    ),
    stalled: int | None = Query(
        None,
        description=d(
            "停滞とみなす月数（1〜24、既定 3）", "months without change counted as stalled (1-24, default 3)"
        ),
    ),
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
