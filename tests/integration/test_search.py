"""「わたしのまち」 search on the reference data: romaji and kana, exact and prefix first, whole prefectures."""

from __future__ import annotations

import pytest

from shinchoku.reference.models import Organization

pytestmark = pytest.mark.django_db


def suggestions(client, q: str) -> list[dict]:
    response = client.get("/search/suggest", {"q": q})
    assert response.status_code == 200
    assert response.json()["query"] == q
    return response.json()["suggestions"]


@pytest.mark.parametrize("q", ["ishinomaki", "いしのまき", "石巻", "Ishinomaki", "イシノマキ"])
def test_suggestions_put_ishinomaki_first_however_it_is_typed(client, q):
    first = suggestions(client, q)[0]
    assert first["code"] == "042021"
    assert first["name"] == "宮城県 石巻市"
    assert first["url"] == "/organizations/042021"


def test_suggestions_rank_a_prefix_of_the_reading_before_a_reading_that_contains_it(client):
    names = [s["name"] for s in suggestions(client, "いし")]
    assert "宮城県 石巻市" in names
    assert not any("留萌" in n for n in names[: names.index("宮城県 石巻市")])


def test_a_code_suggests_its_organization(client):
    assert [s["code"] for s in suggestions(client, "042021")] == ["042021"]


def test_empty_and_unknown_queries_suggest_nothing(client):
    assert suggestions(client, "") == []
    assert suggestions(client, "zzzqqq") == []


@pytest.mark.parametrize("q", ["宮城", "みやぎ", "miyagi"])
def test_results_page_lists_every_organization_of_a_named_prefecture(client, q):
    html = client.get("/search", {"q": q}).content.decode()
    miyagi = Organization.objects.filter(prefecture_code="04", is_practice=False).values_list("code", flat=True)
    assert len(miyagi) == 36  # 宮城県 and its 35 市区町村
    for code in miyagi:
        assert f'href="/organizations/{code}"' in html, code
    assert "表示しています" not in html  # nothing cut off


def test_romaji_search_goes_straight_to_a_single_match(client):
    assert client.get("/search", {"q": "ishinomaki"})["Location"] == "/organizations/042021"
    assert client.get("/search", {"q": "ishinomaki", "as_of": "2025-05"})["Location"] == (
        "/organizations/042021?as_of=2025-05"
    )


def test_results_page_puts_exact_and_prefix_matches_first(client):
    html = client.get("/search", {"q": "府中"}).content.decode()
    fuchu = [html.index(f'href="/organizations/{c}"') for c in ("132063", "342084", "343021")]
    assert fuchu == sorted(fuchu)
    assert "見つかりました" in html
