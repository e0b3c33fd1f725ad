"""「この数値を引用する」 on every page with figures, and the plain first sentence of the summaries."""

from __future__ import annotations

import re

import pytest

from shinchoku.domain.plain import plain_sentence

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/prefectures/04",
    "/organizations/042021",
    "/businesses",
    "/steps",
    "/special-support",
    "/rankings?pref=04",
    "/compare?codes=042021,041009",
    "/changes",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_with_figures_offer_a_citation_with_month_permalink_and_source(client, path):
    html = client.get(path).content.decode()
    assert "この数値を引用する" in html
    months = [m["as_of"][:7] for m in client.get("/api/v1/months").json()]
    link = re.search(r'<dt>固定URL[^<]*</dt><dd><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link.startswith("http://testserver/") and f"as_of={months[-1]}" in link
    assert "架空のサンプルデータ" in html.split("この数値を引用する", 1)[1].split("</details>", 1)[0]


def test_permalink_keeps_the_page_query_and_a_pinned_month(client):
    html = client.get("/rankings", {"pref": "04", "sort": "late", "as_of": "2025-05"}).content.decode()
    assert 'href="http://testserver/rankings?pref=04&amp;sort=late&amp;as_of=2025-05"' in html


def test_organization_summary_starts_with_the_plain_sentence_from_the_api_figures(client):
    s = client.get("/api/v1/organizations/042021/progress").json()["summary"]
    late = s["systems_with_steps"] - s["on_schedule_systems"]
    expected = plain_sentence(late_systems=late, completion_rate=s["completion_rate"], systems=s["systems"])
    html = client.get("/organizations/042021").content.decode()
    assert f'<p class="summary" id="page-summary">{expected}宮城県 石巻市の' in html


@pytest.mark.parametrize("path", ["/", "/prefectures/13"])
def test_area_summaries_start_with_a_plain_sentence(client, path):
    html = client.get(path).content.decode()
    first = re.search(r'id="page-summary">([^。]+。)', html).group(1)
    assert first == "予定どおり進んでいます。" or first.endswith("のシステムが遅れています。")
