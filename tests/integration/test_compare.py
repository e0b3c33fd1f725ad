"""/compare: up to four 団体 side by side, with the API's numbers, peers to add and a page for any month."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

CELL = re.compile(r'data-field="([a-z_]+)" data-value="([^"]*)"')


def figures(html: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for field, value in CELL.findall(html):
        out.setdefault(field, []).append(value)
    return out


def test_compare_shows_the_api_numbers_of_each_organization_in_order(client):
    codes = ["042021", "041009", "132063"]
    response = client.get("/compare", {"codes": ",".join(codes)})
    assert response.status_code == 200
    found = figures(response.content.decode())
    for i, code in enumerate(codes):
        api = client.get(f"/api/v1/organizations/{code}/progress").json()
        s = api["summary"]
        assert float(found["completion_rate"][i]) == pytest.approx(s["completion_rate"], abs=1e-6)
        assert float(found["progress_rate"][i]) == pytest.approx(s["progress_rate"], abs=1e-6)
        assert float(found["on_schedule_share"][i]) == pytest.approx(
            s["on_schedule_systems"] / s["systems_with_steps"], abs=1e-6
        )
        assert int(found["special_support_systems"][i]) == sum(1 for x in api["systems"] if x["special_support"])
        assert int(found["systems"][i]) == s["systems"]


def test_compare_keeps_at_most_four_and_normalizes_codes(client):
    response = client.get("/compare", {"codes": "42021,041009,132063,131016,040002"})
    assert response.status_code == 302
    assert response["Location"] == "/compare?codes=042021,041009,132063,131016"
    html = client.get(response["Location"]).content.decode()
    assert len(figures(html)["completion_rate"]) == 4
    assert 'id="add"' not in html  # full: nothing more can be added


def test_compare_adds_by_name_and_suggests_peers_of_the_same_kind_and_prefecture(client):
    response = client.get("/compare", {"codes": "042021", "add": "仙台市"})
    assert response["Location"] == "/compare?codes=042021,041009"
    html = client.get("/compare", {"codes": "042021"}).content.decode()
    assert "宮城県の市" in html
    assert 'href="/compare?codes=042021,042030"' in html  # 塩竈市, another 市 of 宮城県


def test_compare_trend_table_has_a_row_per_published_month(client):
    html = client.get("/compare", {"codes": "042021,041009", "as_of": "2025-05"}).content.decode()
    months = client.get("/api/v1/months").json()
    shown = [m for m in months if m["as_of"] <= "2025-05-31"]
    assert f"（{len(shown)}か月）" in html
    assert 'href="/organizations/042021?as_of=2025-05"' in html


def test_unknown_codes_are_named_and_the_page_still_answers(client):
    response = client.get("/compare", {"codes": "042021,999999"})
    assert response.status_code == 200
    assert "見つかりませんでした：999999" in response.content.decode()


def test_organization_page_links_to_compare(client):
    html = client.get("/organizations/042021").content.decode()
    assert 'href="/compare?codes=042021"' in html


def test_adding_an_unknown_name_keeps_the_compared_organizations_and_says_so(client):
    response = client.get("/compare", {"codes": "042021", "add": "存在しない町"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "見つかりませんでした：存在しない町" in html
    assert 'data-code="042021"' in html
