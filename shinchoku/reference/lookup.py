"""Find 団体 by code or name, using the domain's normalisation and folding over the stored reference data."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from shinchoku.domain.codes import CodeError, clean_digits, normalize_code
from shinchoku.domain.names import NameIndex, OrgRef

from .models import Organization


class LookupFailed(LookupError):
    """Nothing (or nothing unique) matched; the message is Japanese and may carry suggestions."""


def _organizations(include_practice: bool):
    qs = Organization.objects.all()
    return qs if include_practice else qs.filter(is_practice=False)


def sample_organizations(prefectures: Collection[str] | None = None) -> QuerySet[Organization]:
    """The 団体 a fictional sample covers: all but the practice 団体, or those of the given prefectures."""
    orgs = _organizations(False)
    return orgs.filter(prefecture_code__in=list(prefectures)) if prefectures else orgs


def known_codes(*, include_practice: bool = False) -> frozenset[str]:
    return frozenset(_organizations(include_practice).values_list("code", flat=True))


def name_index() -> NameIndex:
    """Real 団体 only: the practice 団体 (prefecture 99, which does not exist) is addressed by its code."""
    return NameIndex(
        OrgRef(code=o.code, prefecture=o.prefecture_name, name=o.name, kana=o.kana)
        for o in _organizations(False).only("code", "prefecture_name", "name", "kana")
    )


def _looks_like_code(value: str) -> bool:
    try:
        clean_digits(value)
    except CodeError:
        return False
    return True


def find(value: str) -> list[Organization]:
    """One or more 団体 for a code (any accepted form) or a name; several only when a name is ambiguous."""
    value = value.strip()
    if _looks_like_code(value):
        try:
            code = normalize_code(value, known_codes())
        except CodeError as e:
            raise LookupFailed(str(e)) from e
        return [Organization.objects.get(code=code)]
    match = name_index().lookup(value)
    if match.status == "found" and match.code:
        return [Organization.objects.get(code=match.code)]
    if match.status == "ambiguous":
        return list(Organization.objects.filter(code__in=[c.code for c in match.candidates]).order_by("code"))
    hint = f"（候補: {'、'.join(match.suggestions)}）" if match.suggestions else ""
    raise LookupFailed(f"「{value}」に該当する団体が見つかりません{hint}")
