"""Who may read a prefecture's follow-up view (the staff page and its API share this).

A prefecture's staff and viewers scoped to it read their prefecture; operators read every prefecture and the
whole country (`all`); a 市区町村担当 is refused.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shinchoku.accounts.rules import ALL, RULES, Action, profile_of, require
from shinchoku.domain.calendar import DateError, parse_month, to_month_end
from shinchoku.domain.kinds import PREFECTURE
from shinchoku.progress.followup import DEFAULT_STALLED_MONTHS, MAX_STALLED_MONTHS, open_month
from shinchoku.reference.models import Organization

COUNTRY = "all"


def is_operator_reader(user: User | AnonymousUser) -> bool:
    profile = profile_of(user)
    return profile is not None and ALL in RULES.get(profile.role, {}).get(Action.READ, ())


def scope_for(user: User | AnonymousUser, pref: str) -> tuple[str | None, str]:
    """(prefecture code or None for the country, its name), or PermissionDenied / Http404."""
    if pref == COUNTRY:
        if not is_operator_reader(user):
            raise PermissionDenied("全国の一覧は運用者が見られます。")
        return None, "全国"
    org = Organization.objects.filter(prefecture_code=pref, kind=PREFECTURE, is_practice=False).first()
    if org is None:
        raise Http404("都道府県が見つかりません")
    require(user, Action.READ, org)
    profile = profile_of(user)
    home = profile.organization if profile else None
    if not is_operator_reader(user) and (home is None or not home.is_prefecture):
        raise PermissionDenied("都道府県のフォローアップ一覧は、都道府県の職員と運用者が見られます。")
    return pref, org.display_name


def month_param(value: str | None) -> date:
    """`YYYY-MM`, else the open month (the month being reported)."""
    if value:
        try:
            return to_month_end(parse_month(value))
        except DateError:
            pass
    return open_month()


def stalled_param(value: str | None) -> int:
    try:
        n = int(value or DEFAULT_STALLED_MONTHS)
    except ValueError:
        return DEFAULT_STALLED_MONTHS
    return min(max(n, 1), MAX_STALLED_MONTHS)
