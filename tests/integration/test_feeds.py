"""Atom feeds: valid Atom (parsed with feedparser), one entry per published month, linked from the pages."""

from __future__ import annotations

import feedparser
import pytest

pytestmark = pytest.mark.django_db


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("/feeds/national.atom", "/"),
        ("/feeds/prefectures/04.atom", "/prefectures/04"),
        ("/feeds/organizations/042021.atom", "/organizations/042021"),
    ],
)
def test_feed_is_atom_with_one_entry_per_published_month_and_linked_from_its_page(client, url, page):
    feed = parse(client, url)
    months = [m["as_of"][:7] for m in client.get("/api/v1/months").json()]
    assert len(feed.entries) == len(months)
    newest = feed.entries[0]
    assert newest.link.endswith(f"{page}?as_of={months[-1]}")
    assert newest.id.startswith("urn:shinchoku:")
    assert len({e.id for e in feed.entries}) == len(months)
    assert "前の月から" in newest.summary
    assert "架空のサンプルデータ" in newest.summary  # the test database holds the fictional sample
    html = client.get(page).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html and f'href="{url}"' in html


def test_organization_feed_entry_states_the_api_completion_rate(client):
    feed = parse(client, "/feeds/organizations/042021.atom")
    months = [m["as_of"][:7] for m in client.get("/api/v1/months").json()]
    rate = client.get("/api/v1/organizations/042021/progress", {"as_of": months[-1]}).json()["summary"]
    assert f"完了率（総務省方式）：{rate['completion_rate'] * 100:.1f}%" in feed.entries[0].summary


def test_feeds_of_unknown_areas_are_404(client):
    assert client.get("/feeds/prefectures/99.atom").status_code == 404
    assert client.get("/feeds/organizations/999999.atom").status_code == 404
