"""Who may do what — the one rule table every write path consults (web, API, uploads, CLI).

Scopes: OWN (the account's 団体), PREF (every 団体 of the account's prefecture), MUNIS (the
prefecture's municipalities, only when granted), ALL, PRACTICE (the practice 団体, open to every
logged-in account).
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from shinchoku.reference.models import Organization

from .models import Role, StaffProfile


class Action(StrEnum):
    READ = "read"  # unpublished data of a 団体
    EDIT_PROGRESS = "edit_progress"  # grid, API PUT, import
    EDIT_SYSTEMS = "edit_systems"  # system attributes, extra systems, own steps
    EDIT_DELAY = "edit_delay"  # delay explanations
    EDIT_COSTS = "edit_costs"  # operating costs: the same scopes as EDIT_PROGRESS
    PUBLISH = "publish"
    RESET_PRACTICE = "reset_practice"
    MANAGE = "manage"  # users, reference data, the whole audit trail


ALL, PREF, OWN, MUNIS, PRACTICE = "all", "pref", "own", "munis", "practice"
_EDIT = (OWN, MUNIS, PRACTICE)

# role (Role value) -> action -> scopes in which it is allowed
RULES: dict[str, dict[Action, tuple[str, ...]]] = {
    "operator": {a: (ALL,) for a in Action},
    "prefecture": {
        Action.READ: (PREF, PRACTICE),
        Action.EDIT_PROGRESS: _EDIT,
        Action.EDIT_SYSTEMS: _EDIT,
        Action.EDIT_DELAY: _EDIT,
        Action.EDIT_COSTS: _EDIT,
        Action.RESET_PRACTICE: (PRACTICE,),
    },
    "municipality": {
        Action.READ: (OWN, PRACTICE),
        Action.EDIT_PROGRESS: (OWN, PRACTICE),
        Action.EDIT_SYSTEMS: (OWN, PRACTICE),
        Action.EDIT_DELAY: (OWN, PRACTICE),
        Action.EDIT_COSTS: (OWN, PRACTICE),
        Action.RESET_PRACTICE: (PRACTICE,),
    },
    "viewer": {
        Action.READ: (OWN, PREF, PRACTICE),  # PREF applies when the viewer is scoped to a prefecture
        Action.EDIT_PROGRESS: (PRACTICE,),
        Action.EDIT_SYSTEMS: (PRACTICE,),
        Action.EDIT_DELAY: (PRACTICE,),
        Action.EDIT_COSTS: (PRACTICE,),
        Action.RESET_PRACTICE: (PRACTICE,),
    },
}


def profile_of(user: User | AnonymousUser | None) -> StaffProfile | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.staff
    except StaffProfile.DoesNotExist:
        return None


def _in_scope(scope: str, profile: StaffProfile, org: Organization | None) -> bool:
    if scope == ALL:
        return True
    if org is None:
        return False
    if scope == PRACTICE:
        return org.is_practice
    home = profile.organization
    if home is None or org.is_practice:
        return False
    if scope == OWN:
        return org.code == home.code
    if scope == PREF:
        return home.is_prefecture and org.prefecture_code == home.prefecture_code
    if scope == MUNIS:
        return (
            profile.edits_municipalities
            and home.is_prefecture
            and org.prefecture_code == home.prefecture_code
            and not org.is_prefecture
        )
    return False


def can(user: User | AnonymousUser | None, action: Action, org: Organization | None = None) -> bool:
    profile = profile_of(user)
    if profile is None:
        return False
    scopes = RULES.get(profile.role, {}).get(action, ())
    return any(_in_scope(s, profile, org) for s in scopes)


def can_somewhere(user: User | AnonymousUser | None, action: Action, *, include_practice: bool = True) -> bool:
    """Whether the account may do `action` for at least one 団体 (checked before a file is even read)."""
    profile = profile_of(user)
    if profile is None:
        return False
    scopes = RULES.get(profile.role, {}).get(action, ())
    if ALL in scopes or (include_practice and PRACTICE in scopes):
        return True
    return profile.organization is not None and bool({OWN, PREF, MUNIS} & set(scopes))


def require(user: User | AnonymousUser | None, action: Action, org: Organization | None = None) -> StaffProfile:
    """The caller's profile, or PermissionDenied with a Japanese message."""
    if not can(user, action, org):
        where = f"「{org.display_name}」の" if org is not None else ""
        raise PermissionDenied(f"{where}この操作をする権限がありません。")
    profile = profile_of(user)
    assert profile is not None
    return profile


def visible_organizations(user: User | AnonymousUser | None) -> list[Organization]:
    """The 団体 an account works on, for its dashboard (practice 団体 excluded; operators: none listed)."""
    profile = profile_of(user)
    if profile is None or profile.organization is None:
        return []
    home = profile.organization
    if home.is_prefecture and profile.role in (Role.PREFECTURE, Role.VIEWER):
        return list(Organization.objects.filter(prefecture_code=home.prefecture_code, is_practice=False))
    return [home]
