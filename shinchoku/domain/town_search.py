"""「わたしのまち」 search: find a 団体 by name, kana or romaji, the closest matches first.

Ranks (lower first): the exact name or reading; a prefix of the name, reading or romaji; every 団体 of a
prefecture the query names; the name containing the query; the reading containing it; 「県＋市」 containing
it. Within a rank, prefectures and then codes order the list, so the result is stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .names import OrgRef, fold_kana, fold_name, fold_prefecture
from .romaji import hepburn, loose_key

__all__ = ["Hit", "TownIndex", "shortlist"]

EXACT, PREFIX, IN_PREFECTURE, NAME_CONTAINS, READING_CONTAINS, COMBINED = range(6)
# Suffixes people leave off: 「石巻」 for 石巻市, 「イシノマキ」 for イシノマキシ, 「ishinomaki」.
_NAME_SUFFIXES = ("市", "区", "町", "村", "都", "道", "府", "県")
_KANA_SUFFIXES = ("シ", "ク", "マチ", "チョウ", "チヨウ", "ムラ", "ソン", "ト", "ドウ", "フ", "ケン")
MIN_READING = 2  # one kana or letter inside a reading matches almost everything


@dataclass(frozen=True)
class Hit:
    org: OrgRef
    rank: int


@dataclass(frozen=True)
class _Keys:
    org: OrgRef
    names: tuple[str, ...]  # own name, without its suffix
    kana: str
    kana_stem: str
    romaji: str
    romaji_stem: str
    combined: str
    prefecture: str  # folded prefecture name without 都道府県


def _strip(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if len(text) > len(suffix) and text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _keys(org: OrgRef) -> _Keys:
    own = fold_name(org.name or org.prefecture)
    kana = fold_kana(org.kana)
    return _Keys(
        org=org,
        names=(own, _strip(own, _NAME_SUFFIXES)),
        kana=kana,
        kana_stem=_strip(kana, _KANA_SUFFIXES),
        romaji=loose_key(hepburn(org.kana)) if org.kana else "",
        romaji_stem=loose_key(hepburn(_strip(kana, _KANA_SUFFIXES))) if org.kana else "",
        combined=fold_name(org.prefecture + org.name),
        prefecture=fold_prefecture(org.prefecture),
    )


def shortlist(hits: list[Hit], limit: int) -> list[Hit]:
    """The first `limit` hits, or more when exact, prefix or whole-prefecture matches are more than that."""
    keep = max(limit, sum(1 for h in hits if h.rank <= IN_PREFECTURE))
    return hits[:keep]


class TownIndex:
    """Every 団体 with its folded name, reading and romaji, built once and searched many times."""

    def __init__(self, orgs: Iterable[OrgRef]) -> None:
        self._keys = [_keys(o) for o in sorted(set(orgs), key=lambda o: o.code)]
        self._prefectures = {k.prefecture: k for k in self._keys if k.org.is_prefecture}

    def __len__(self) -> int:
        return len(self._keys)

    def _named_prefecture(self, folded: str, kana: str, romaji: str) -> str | None:
        """The folded prefecture the whole query names (「宮城」「宮城県」「みやぎ」「miyagi」), if any."""
        for key, k in self._prefectures.items():
            if folded and folded in (key, k.names[0]):
                return key
            if kana and len(kana) >= MIN_READING and kana in (k.kana, k.kana_stem):
                return key
            if romaji and len(romaji) >= 3 and k.romaji and romaji in (k.romaji, k.romaji_stem):
                return key
        return None

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        """Matches of a query, best first; with a limit, at most that many (a prefecture's 団体 are never cut
        off by the limit: asking for 「宮城」 lists all of 宮城県)."""
        folded = fold_name(query)
        if not folded:
            return []
        kana = fold_kana(folded)
        is_reading = all("ァ" <= c <= "ヶ" or c == "ー" for c in kana)
        romaji = loose_key(folded) if folded.isascii() and folded.isalpha() else ""
        pref = self._named_prefecture(folded, kana if is_reading else "", romaji)
        hits: list[Hit] = []
        for k in self._keys:
            rank = self._rank(k, folded, kana if is_reading else "", romaji, pref)
            if rank is not None:
                hits.append(Hit(k.org, rank))
        hits.sort(key=lambda h: (h.rank, not h.org.is_prefecture, h.org.code))
        return hits if limit is None else shortlist(hits, limit)

    @staticmethod
    def _rank(k: _Keys, folded: str, kana: str, romaji: str, pref: str | None) -> int | None:
        if folded in k.names or (kana and kana in (k.kana, k.kana_stem)) or (romaji and romaji == k.romaji):
            return EXACT
        if romaji and k.romaji and len(romaji) >= MIN_READING:
            if romaji == k.romaji_stem:
                return EXACT
            if k.romaji.startswith(romaji):
                return PREFIX
        if k.names[0].startswith(folded) or (kana and k.kana.startswith(kana)):
            return PREFIX
        if pref is not None and k.prefecture == pref:
            return IN_PREFECTURE
        if folded in k.names[0]:
            return NAME_CONTAINS
        if len(folded) >= MIN_READING and ((kana and kana in k.kana) or (romaji and k.romaji and romaji in k.romaji)):
            return READING_CONTAINS
        if folded in k.combined:
            return COMBINED
        return None
