"""Matching 団体 by name: variant characters, duplicate names, combined 「県＋市」 names."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.names import (
    NameIndex,
    NameMatch,
    OrgRef,
    fold_kana,
    fold_name,
    fold_prefecture,
    org_refs_from_rows,
)


def codes(match: NameMatch) -> list[str]:
    return [org.code for org in match.candidates]


# --- fold_name ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "listed"),
    [
        ("檮原町", "梼原町"),
        ("髙森町", "高森町"),
        ("御前﨑市", "御前崎市"),
        ("渡邊町", "渡辺町"),
        ("渡邉町", "渡辺町"),
        ("濵松市", "浜松市"),
        ("德島市", "徳島市"),
        ("槗本市", "橋本市"),
        ("龍ヶ崎市", "龍ケ崎市"),
        ("龍ヵ崎市", "龍ケ崎市"),
        ("龍が崎市", "龍ケ崎市"),
        ("山の内町", "山ノ内町"),
        ("\ufa10原市", "塚原市"),  # CJK compatibility ideograph 塚, folded by NFKC
        ("ｲｼﾉﾏｷ", "イシノマキ"),
        ("石巻　市", "石巻市"),
        (" 石 巻 市 ", "石巻市"),
    ],
)
def test_variant_spellings_fold_to_the_same_key(variant: str, listed: str) -> None:
    assert fold_name(variant) == fold_name(listed)


def test_kana_between_non_kanji_is_left_alone() -> None:
    # かすみがうら市: が here is part of the name, not a connector between two kanji.
    assert fold_name("かすみがうら市") == "かすみがうら市"


def test_different_names_stay_different() -> None:
    assert fold_name("府中市") != fold_name("府中町")
    assert fold_name("鹿嶋市") != fold_name("鹿島市")  # two real cities (茨城県, 佐賀県)


@given(st.text(max_size=30))
def test_fold_name_is_idempotent(text: str) -> None:
    once = fold_name(text)
    assert fold_name(once) == once


@given(st.text(alphabet="檮梼髙高﨑崎邊邉辺ヶケが龍原町市 　", max_size=12))
def test_fold_name_is_idempotent_on_variant_heavy_names(text: str) -> None:
    once = fold_name(text)
    assert fold_name(once) == once
    assert not any(c.isspace() for c in once)


def test_folding_never_merges_two_real_municipalities(municipality_rows: list[dict[str, str]]) -> None:
    keys = Counter((fold_prefecture(r["都道府県名"]), fold_name(r["市区町村名"])) for r in municipality_rows)
    assert [key for key, n in keys.items() if n > 1] == []


@pytest.mark.parametrize(
    ("short", "full"),
    [("東京", "東京都"), ("北海", "北海道"), ("大阪", "大阪府"), ("京都", "京都府"), ("宮城", "宮城県")],
)
def test_prefecture_suffix_is_optional(short: str, full: str) -> None:
    assert fold_prefecture(short) == fold_prefecture(full) == short


def test_folded_prefecture_names_are_distinct(municipality_rows: list[dict[str, str]]) -> None:
    names = {r["都道府県名"] for r in municipality_rows}
    assert len({fold_prefecture(n) for n in names}) == len(names) == 47


def test_kana_folding_ignores_script_and_small_kana() -> None:
    # The code list writes 本庄市 as ホンジヨウシ, people type ほんじょう.
    assert fold_kana("ほんじょう") == fold_kana("ホンジヨウ") == "ホンジヨウ"


# --- NameIndex on the real reference list -------------------------------------


def test_duplicate_name_without_prefecture_is_ambiguous_with_both_candidates(name_index: NameIndex) -> None:
    match = name_index.lookup("府中市")
    assert match.status == "ambiguous"
    assert match.code is None
    assert codes(match) == ["132063", "342084"]


def test_date_city_is_ambiguous_between_hokkaido_and_fukushima(name_index: NameIndex) -> None:
    match = name_index.lookup("伊達市")
    assert match.status == "ambiguous"
    assert codes(match) == ["012335", "072133"]


def test_prefecture_settles_a_duplicate_name(name_index: NameIndex) -> None:
    assert name_index.lookup("府中市", "東京都").code == "132063"
    assert name_index.lookup("府中市", "広島").code == "342084"
    assert name_index.lookup("伊達市", "北海道").code == "012335"


def test_variant_character_in_boundary_data_finds_the_listed_town(name_index: NameIndex) -> None:
    # The code list spells it 梼原町; the national boundary data 檮原町.
    match = name_index.lookup("檮原町", "高知県")
    assert match.status == "found"
    assert match.code == "394050"
    assert match.candidates[0].name == "梼原町"


def test_combined_prefecture_and_municipality_is_accepted(name_index: NameIndex) -> None:
    assert name_index.lookup("宮城県石巻市").code == "042021"
    assert name_index.lookup("宮城県　石巻市").code == "042021"
    assert name_index.lookup("東京都府中市").code == "132063"
    assert name_index.lookup("北海道伊達市").code == "012335"


def test_combined_name_repeated_in_the_municipality_column_is_accepted(name_index: NameIndex) -> None:
    assert name_index.lookup("宮城県石巻市", "宮城県").code == "042021"


@pytest.mark.parametrize("marker", ["", "-", "－", "ー", "―", "　"])
def test_dash_or_empty_municipality_means_the_prefecture_itself(name_index: NameIndex, marker: str) -> None:
    match = name_index.lookup(marker, "宮城県")
    assert match.status == "found"
    assert match.code == "040002"
    assert match.candidates[0].is_prefecture


def test_prefecture_name_alone_finds_the_prefecture(name_index: NameIndex) -> None:
    assert name_index.lookup("宮城県").code == "040002"
    assert name_index.lookup("東京").code == "130001"


def test_name_without_its_suffix_is_matched_when_unique(name_index: NameIndex) -> None:
    assert name_index.lookup("石巻", "宮城県").code == "042021"
    assert name_index.lookup("石巻").code == "042021"


def test_name_without_its_suffix_is_ambiguous_when_several_fit(name_index: NameIndex) -> None:
    # 広島県 has both 府中市 and 府中町.
    assert codes(name_index.lookup("府中", "広島県")) == ["342084", "343021"]
    # 山形 is a prefecture, a city and a village in 長野県.
    match = name_index.lookup("山形")
    assert match.status == "ambiguous"
    assert {"060003", "062014"} <= set(codes(match))


def test_unknown_name_gets_suggestions_formatted_with_the_prefecture(name_index: NameIndex) -> None:
    match = name_index.lookup("石巻まち", "宮城県")
    assert match.status == "not_found"
    assert match.code is None
    assert match.candidates == ()
    assert match.suggestions[0] == "宮城県 石巻市"
    assert len(match.suggestions) <= 3


def test_suggestions_stay_within_the_given_prefecture(name_index: NameIndex) -> None:
    match = name_index.lookup("府中村", "東京都")
    assert match.status == "not_found"
    assert match.suggestions
    assert all(s.startswith("東京都") for s in match.suggestions)


def test_nationwide_suggestions_list_at_most_three(name_index: NameIndex) -> None:
    match = name_index.lookup("石ノ巻市")
    assert match.status == "not_found"
    assert "宮城県 石巻市" in match.suggestions
    assert len(match.suggestions) <= 3


def test_unknown_prefecture_suggests_a_prefecture(name_index: NameIndex) -> None:
    match = name_index.lookup("石巻市", "宮城件")
    assert match.status == "not_found"
    assert "宮城県" in match.suggestions


def test_prefecture_is_found_by_name_code_or_kana(name_index: NameIndex) -> None:
    for text in ("宮城県", "宮城", "04", "4", "ミヤギケン", "みやぎけん"):
        found = name_index.prefecture(text)
        assert found is not None, text
        assert found.code == "040002"
    assert name_index.prefecture("アトランティス") is None


def test_search_finds_a_town_by_kana(name_index: NameIndex) -> None:
    assert [o.code for o in name_index.search("いしのまき")] == ["042021"]


def test_search_ranks_exact_and_prefix_matches_first(name_index: NameIndex) -> None:
    results = name_index.search("府中")
    assert [o.code for o in results] == ["132063", "342084", "343021"]


def test_search_respects_the_limit_and_ignores_empty_queries(name_index: NameIndex) -> None:
    assert len(name_index.search("市", limit=5)) == 5
    assert name_index.search("") == []
    assert name_index.search("   ") == []


def test_search_by_prefecture_lists_the_prefecture_first(name_index: NameIndex) -> None:
    results = name_index.search("宮城", limit=3)
    assert results[0].code == "040002"
    assert all(o.prefecture == "宮城県" for o in results)


# --- building an index ------------------------------------------------------


def test_rows_become_org_refs_with_the_right_kana(municipality_rows: list[dict[str, str]]) -> None:
    refs = {ref.code: ref for ref in org_refs_from_rows(municipality_rows)}
    assert refs["040002"] == OrgRef("040002", "宮城県", "", "ミヤギケン")
    assert refs["042021"] == OrgRef("042021", "宮城県", "石巻市", "イシノマキシ")
    assert refs["042021"].display_name == "宮城県 石巻市"
    assert refs["040002"].display_name == "宮城県"


def test_index_without_prefecture_rows_still_knows_the_prefectures() -> None:
    index = NameIndex([OrgRef("042021", "宮城県", "石巻市"), OrgRef("132063", "東京都", "府中市")])
    assert len(index) == 2
    assert index.lookup("-", "宮城県").code == "040002"
    assert index.lookup("府中市").code == "132063"
