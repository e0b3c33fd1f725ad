"""Matching 団体 by name: government files often carry names, not codes, and spell them variously."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from shinchoku.domain.codes import prefecture_org_code

__all__ = [
    "NameIndex",
    "NameMatch",
    "OrgRef",
    "fold_kana",
    "fold_name",
    "fold_prefecture",
    "org_refs_from_rows",
]

# 異体字 → the form the code list uses; only folds that cannot merge two real 団体 (see test_names).
_VARIANTS = str.maketrans(
    {
        "檮": "梼",
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "邊": "辺",
        "邉": "辺",
        "濵": "浜",
        "濱": "浜",
        "德": "徳",
        "槗": "橋",
        "𠮷": "吉",
        "鯵": "鰺",
        "桧": "檜",
        "篭": "籠",
        "冨": "富",
        "曾": "曽",
        "澤": "沢",
        "瀨": "瀬",
        "萬": "万",
        "禰": "祢",
        "穗": "穂",
        "栁": "柳",
        "眞": "真",
        "靜": "静",
        "ヶ": "ケ",
        "ヵ": "ケ",
        "ゖ": "ケ",
        "ゕ": "ケ",
    }
)
_KANJI = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# 龍が崎 / 山の内: the connecting kana between two kanji is written several ways.
_CONNECTORS = {"が": "ケ", "ノ": "の"}
_CONNECTOR = re.compile(f"(?<=[{_KANJI}])([がノ])(?=[{_KANJI}])")
_PREFECTURE_SUFFIXES = ("都", "道", "府", "県")
_MUNICIPAL_SUFFIXES = ("市", "区", "町", "村")
# Cells that mean "no municipality": the row is the prefecture's own.
_SELF_MARKERS = frozenset({"", "-", "ー", "―", "‐", "−", "—", "–"})
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_MAX_SUGGESTIONS = 3


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split()).translate(_VARIANTS)
    return _CONNECTOR.sub(lambda m: _CONNECTORS[m.group(1)], text)


def fold_name(text: str) -> str:
    """A comparison key for a 団体 name: width, spacing and variant characters folded away."""
    return _fold_name_cached(str(text))


# Imports fold the same few thousand names once per row; caching keeps a 35,000-row workbook fast.
@lru_cache(maxsize=16384)
def _fold_name_cached(text: str) -> str:
    folded = text
    # Repeat to a fixed point: removing a space can let NFKC compose what it left apart.
    for _ in range(8):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def fold_prefecture(text: str) -> str:
    """fold_name without the 都/道/府/県 suffix, so 「東京」 and 「東京都」 compare equal."""
    folded = fold_name(text)
    # 「京都」 is a prefecture without its suffix, not 「京」 with one.
    if len(folded) > 2 and folded.endswith(_PREFECTURE_SUFFIXES):
        return folded[:-1]
    return folded


def fold_kana(text: str) -> str:
    """Katakana with small kana enlarged: the code list writes both ジョウ and ジヨウ."""
    folded = "".join(unicodedata.normalize("NFKC", str(text)).split())
    katakana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in folded)
    return katakana.translate(_SMALL_KANA)


def _stem(folded: str) -> str:
    # 「石巻」 for 「石巻市」: people often leave the 市/町/村 off.
    if len(folded) > 1 and folded.endswith(_MUNICIPAL_SUFFIXES):
        return folded[:-1]
    return folded


@dataclass(frozen=True)
class OrgRef:
    """A 団体 as the matcher sees it; name is "" for a prefecture itself."""

    code: str
    prefecture: str
    name: str
    kana: str = ""

    @property
    def is_prefecture(self) -> bool:
        return self.name == ""

    @property
    def display_name(self) -> str:
        """「宮城県 石巻市」, or just 「宮城県」 for the prefecture."""
        return self.prefecture if self.is_prefecture else f"{self.prefecture} {self.name}"


@dataclass(frozen=True)
class NameMatch:
    """The outcome of a name lookup; code is set only when exactly one 団体 matched."""

    status: Literal["found", "ambiguous", "not_found"]
    code: str | None
    candidates: tuple[OrgRef, ...]
    suggestions: tuple[str, ...]


def _result(orgs: Iterable[OrgRef]) -> NameMatch | None:
    unique = tuple(sorted(set(orgs), key=lambda o: o.code))
    if not unique:
        return None
    if len(unique) == 1:
        return NameMatch("found", unique[0].code, unique, ())
    return NameMatch("ambiguous", None, unique, ())


def org_refs_from_rows(rows: Iterable[Mapping[str, str]]) -> list[OrgRef]:
    """OrgRefs from rows shaped like municipalities.csv (prefecture rows have an empty 市区町村名)."""
    refs = []
    for row in rows:
        name = (row.get("市区町村名") or "").strip()
        kana_column = "市区町村名_カナ" if name else "都道府県名_カナ"
        refs.append(
            OrgRef(
                code=row["全国地方公共団体コード"].strip(),
                prefecture=row["都道府県名"].strip(),
                name=name,
                kana=(row.get(kana_column) or "").strip(),
            )
        )
    return refs


class NameIndex:
    """All 団体 indexed by folded names, for imports that carry names instead of codes."""

    def __init__(self, orgs: Iterable[OrgRef]) -> None:
        self._orgs: list[OrgRef] = sorted(set(orgs), key=lambda o: o.code)
        self._prefectures: dict[str, OrgRef] = {}
        self._by_name: dict[str, list[OrgRef]] = {}
        self._by_stem: dict[str, list[OrgRef]] = {}
        self._in_prefecture: dict[str, list[OrgRef]] = {}
        self._names_in: dict[str, dict[str, list[OrgRef]]] = {}
        self._stems_in: dict[str, dict[str, list[OrgRef]]] = {}
        for org in self._orgs:
            if org.is_prefecture:
                self._prefectures[fold_prefecture(org.prefecture)] = org
        for org in self._orgs:
            if org.is_prefecture:
                continue
            pref_key = fold_prefecture(org.prefecture)
            # A list without the prefecture's own row still needs the prefecture to be findable.
            if pref_key not in self._prefectures:
                self._prefectures[pref_key] = OrgRef(prefecture_org_code(org.code[:2]), org.prefecture, "")
            folded = fold_name(org.name)
            self._by_name.setdefault(folded, []).append(org)
            self._by_stem.setdefault(_stem(folded), []).append(org)
            self._in_prefecture.setdefault(pref_key, []).append(org)
            self._names_in.setdefault(pref_key, {}).setdefault(folded, []).append(org)
            self._stems_in.setdefault(pref_key, {}).setdefault(_stem(folded), []).append(org)
        # Longest first, so 「神奈川県」 is never read as a shorter prefix.
        self._full_prefix = sorted(
            ((fold_name(p.prefecture), p) for p in self._prefectures.values()), key=lambda t: -len(t[0])
        )
        self._stem_prefix = sorted(self._prefectures.items(), key=lambda t: -len(t[0]))
        # (org, own name, name without 都道府県, kana, 「県＋市」), all folded once for search().
        self._search_keys = [
            (
                org,
                fold_name(org.name or org.prefecture),
                fold_prefecture(org.prefecture) if org.is_prefecture else fold_name(org.name),
                fold_kana(org.kana),
                fold_name(org.prefecture + org.name),
            )
            for org in [*self._prefectures.values(), *(o for o in self._orgs if not o.is_prefecture)]
        ]

    def __len__(self) -> int:
        return len(self._orgs)

    def prefecture(self, text: str) -> OrgRef | None:
        """A prefecture by name (「宮城」「宮城県」「ミヤギケン」) or by its 2-digit code."""
        folded = fold_name(text)
        if re.fullmatch(r"[0-9]{1,2}", folded):
            return next((p for p in self._prefectures.values() if p.code[:2] == folded.zfill(2)), None)
        found = self._prefectures.get(fold_prefecture(folded))
        if found is None and folded:
            kana = fold_kana(folded)
            found = next((p for p in self._prefectures.values() if p.kana and fold_kana(p.kana) == kana), None)
        return found

    def lookup(self, name: str, prefecture: str | None = None) -> NameMatch:
        """The 団体 a (prefecture, name) pair or a combined 「宮城県石巻市」 names."""
        folded = fold_name(name)
        if prefecture is not None and fold_name(prefecture):
            return self._lookup_in_prefecture(folded, prefecture)
        exact = _result(self._by_name.get(folded, ()))
        if exact is not None:
            return exact
        as_prefecture = self._prefectures.get(fold_prefecture(folded)) if folded else None
        if as_prefecture is not None and folded == fold_name(as_prefecture.prefecture):
            return NameMatch("found", as_prefecture.code, (as_prefecture,), ())
        combined = self._split_combined(folded, self._full_prefix)
        if combined is not None:
            return combined
        loose = list(self._by_stem.get(folded, ()))
        if as_prefecture is not None:
            loose.append(as_prefecture)
        # 「宮城石巻市」: the prefecture without its suffix is tried last, as it is the least certain.
        return _result(loose) or self._split_combined(folded, self._stem_prefix) or self._not_found(folded, self._orgs)

    def _split_combined(self, folded: str, prefixes: list[tuple[str, OrgRef]]) -> NameMatch | None:
        for prefix, pref in prefixes:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                within = self._match_within(folded[len(prefix) :], pref)
                if within is not None:
                    return within
        return None

    def _lookup_in_prefecture(self, folded: str, prefecture: str) -> NameMatch:
        pref = self.prefecture(prefecture)
        if pref is None:
            suggestions = self._suggest(fold_prefecture(prefecture), list(self._prefectures.values()))
            return NameMatch("not_found", None, (), suggestions)
        # Some files repeat the prefecture in the municipality column.
        prefix = fold_name(pref.prefecture)
        if folded.startswith(prefix) and len(folded) > len(prefix):
            folded = folded[len(prefix) :]
        within = self._match_within(folded, pref)
        if within is not None:
            return within
        return self._not_found(folded, [pref, *self._in_prefecture.get(fold_prefecture(pref.prefecture), [])])

    def _match_within(self, folded: str, pref: OrgRef) -> NameMatch | None:
        if folded in _SELF_MARKERS or folded in (
            fold_name(pref.prefecture),
            fold_prefecture(pref.prefecture),
        ):
            return NameMatch("found", pref.code, (pref,), ())
        pref_key = fold_prefecture(pref.prefecture)
        exact = _result(self._names_in.get(pref_key, {}).get(folded, ()))
        if exact is not None:
            return exact
        # Only a name missing its suffix is completed; 「府中村」 is not silently read as 府中市.
        return _result(self._stems_in.get(pref_key, {}).get(folded, ()))

    def _not_found(self, folded: str, pool: Iterable[OrgRef]) -> NameMatch:
        return NameMatch("not_found", None, (), self._suggest(folded, list(pool)))

    @staticmethod
    def _suggest(folded: str, pool: list[OrgRef]) -> tuple[str, ...]:
        if not folded:
            return ()
        keyed: dict[str, list[OrgRef]] = {}
        for org in pool:
            keyed.setdefault(fold_name(org.name or org.prefecture), []).append(org)
            if not org.is_prefecture:
                # Lets 「宮城石巻市」-style misspellings of combined names find their 団体 too.
                keyed.setdefault(fold_name(org.prefecture + org.name), []).append(org)
        labels: list[str] = []
        for key in difflib.get_close_matches(folded, list(keyed), n=_MAX_SUGGESTIONS * 2, cutoff=0.5):
            for org in keyed[key]:
                if org.display_name not in labels:
                    labels.append(org.display_name)
        return tuple(labels[:_MAX_SUGGESTIONS])

    def search(self, query: str, limit: int = 20) -> list[OrgRef]:
        """団体 whose name, 「県＋市」 name or kana contains the query; closest matches first."""
        folded = fold_name(query)
        if not folded or limit <= 0:
            return []
        kana = fold_kana(folded)
        ranked: list[tuple[int, str, OrgRef]] = []
        for org, own, short, kana_key, combined in self._search_keys:
            rank: int | None = None
            if folded in (own, short):
                rank = 0
            elif own.startswith(folded):
                rank = 1
            elif folded in own:
                rank = 2
            elif kana_key and kana in kana_key:
                rank = 3
            elif folded in combined:
                rank = 4
            if rank is not None:
                ranked.append((rank, org.code, org))
        ranked.sort(key=lambda t: (t[0], t[1]))
        return [org for _, _, org in ranked[:limit]]
