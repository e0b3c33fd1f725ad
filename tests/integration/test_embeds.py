"""Embeds: small cards that other sites may frame; every other page stays unframeable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/embed/organizations/042021", "/embed/prefectures/04?as_of=2025-05"])
def test_embed_pages_allow_framing(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/organizations/042021", "/rankings", "/compare", "/changes", "/search"])
def test_other_pages_cannot_be_framed(client, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_organization_embed_shows_the_api_figures_month_label_and_link_back(client):
    html = client.get("/embed/organizations/042021?as_of=2025-05").content.decode()
    api = client.get("/api/v1/organizations/042021/progress", {"as_of": "2025-05"}).json()
    assert f"{api['summary']['completion_rate'] * 100:.1f}%" in html
    assert "2025年5月末時点" in html
    assert "架空のサンプルデータ" in html
    assert 'href="/organizations/042021?as_of=2025-05"' in html
    assert '<html lang="ja">' in html


def test_prefecture_embed_shows_the_api_mean_completion_rate(client):
    html = client.get("/embed/prefectures/04").content.decode()
    api = client.get("/api/v1/prefectures/04/summary").json()
    assert f"{api['completion_rate_mean'] * 100:.1f}%" in html


def test_unknown_embeds_are_404(client):
    assert client.get("/embed/organizations/999999").status_code == 404
    assert client.get("/embed/prefectures/99").status_code == 404
