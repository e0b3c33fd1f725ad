"""The 「わたしのまち」 search index (names, kana and romaji of every real 団体), built once every few minutes."""

from __future__ import annotations

from shinchoku.domain.names import OrgRef
from shinchoku.domain.town_search import TownIndex
from shinchoku.reference.models import Organization

from .common import kept_for

__all__ = ["town_index"]

# Building the index folds 1,788 names and spells their kana in romaji (~0.1 s): not on every keystroke.
TOWN_INDEX_SECONDS = 300


@kept_for(TOWN_INDEX_SECONDS)
def town_index() -> TownIndex:
    """Real 団体 only (the practice 団体 is addressed by its code); renames show up within a few minutes."""
    rows = Organization.objects.filter(is_practice=False).only(
        "code", "prefecture_name", "prefecture_kana", "name", "kana"
    )
    # A prefecture's own row reads as its prefecture (「ミヤギケン」), so 「みやぎ」「miyagi」 find it.
    return TownIndex(
        OrgRef(code=o.code, prefecture=o.prefecture_name, name=o.name, kana=o.kana or o.prefecture_kana) for o in rows
    )
