"""「わたしのまち」 search: Hepburn from the kana, romaji queries, exact and prefix matches first, whole prefectures."""

from __future__ import annotations

import pytest

from shinchoku.domain.names import org_refs_from_rows
from shinchoku.domain.romaji import hepburn, loose_key
from shinchoku.domain.town_search import EXACT, PREFIX, TownIndex
from tests.unit.cases import by_outcome


@pytest.mark.parametrize(
    ("kana", "romaji"),
    [
        ("イシノマキシ", "ishinomakishi"),
        ("いしのまき", "ishinomaki"),
        ("センダイシ", "sendaishi"),
        ("チヨダク", "chiyodaku"),
        ("ホッカイドウ", "hokkaidou"),
        ("キョウト", "kyouto"),
        ("シンヨウ", "shin'you"),
        ("ハッチョウ", "hatchou"),
        ("ジョウエツ", "jouetsu"),
        ("トーキョー", "tookyoo"),
    ],
)
def test_hepburn_spells_the_kana_of_the_reference_data(kana, romaji):
    assert hepburn(kana) == romaji


# The loose key of each name, and the ways people type it (long vowels, Kunrei, m before b, apostrophes)
LOOSE_KEYS = [
    ("ishinomaki", ["Ishinomaki"]),
    ("hokkaido", ["Hokkaidō", "hokkaidou"]),
    ("chiba", ["Tiba"]),
    ("shinbashi", ["Shimbashi"]),
    ("shinyo", ["Shin'yō"]),
    ("", ["石巻"]),
]


@pytest.mark.parametrize(("key", "typed"), by_outcome(LOOSE_KEYS))
def test_loose_key_folds_how_people_type_romaji(key, typed):
    assert loose_key(typed) == key


@pytest.fixture(scope="module")
def towns(municipality_rows) -> TownIndex:
    return TownIndex(org_refs_from_rows(municipality_rows))


@pytest.mark.parametrize("query", ["ishinomaki", "Ishinomaki", "いしのまき", "イシノマキ", "石巻", "石巻市"])
def test_ishinomaki_comes_first_however_it_is_typed(towns, query):
    hits = towns.search(query, limit=10)
    assert hits[0].org.code == "042021"
    assert hits[0].rank in (EXACT, PREFIX)


def test_prefix_of_the_reading_ranks_before_a_reading_that_merely_contains_it(towns):
    codes = [h.org.code for h in towns.search("いし", limit=50)]
    assert "042021" in codes
    rumoi = "012122"  # 留萌市 (ルモイシ) contains イシ but does not start with it
    assert rumoi not in codes or codes.index("042021") < codes.index(rumoi)


def test_a_prefecture_name_lists_every_one_of_its_organizations_past_the_limit(towns, municipality_rows):
    miyagi = {r["全国地方公共団体コード"] for r in municipality_rows if r["全国地方公共団体コード"].startswith("04")}
    for query in ("宮城", "宮城県", "みやぎ", "miyagi"):
        codes = {h.org.code for h in towns.search(query, limit=30)}
        assert miyagi <= codes, query
    assert len(miyagi) == 36  # 宮城県 itself and its 35 市区町村


def test_romaji_prefix_suggests_while_typing(towns):
    assert towns.search("ishino", limit=5)[0].org.code == "042021"
    assert towns.search("sendai", limit=5)[0].org.code == "041009"


def test_nonsense_finds_nothing(towns):
    assert towns.search("zzzqqq") == []
    assert towns.search("") == []
