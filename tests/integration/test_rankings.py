"""/rankings: worst first by default, filters, and the same numbers as the API."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-code="(\d{6})">(.*?)</tr>', re.S)
VALUE = re.compile(r'data-label="([^"]+)" data-value="([^"]*)"')


def ranking(client, query: str = "") -> list[tuple[str, dict[str, str]]]:
    response = client.get("/rankings" + query)
    assert response.status_code == 200
    html = response.content.decode()
    return [(code, dict(VALUE.findall(cells))) for code, cells in ROW.findall(html)]


def test_default_ranking_lists_every_municipality_worst_completion_first(client):
    rows = ranking(client)
    assert len(rows) == client.get("/api/v1/summary").json()["organizations"]
    rates = [float(v["完了率"]) for _, v in rows if v["完了率"]]
    assert rates == sorted(rates)


@pytest.mark.parametrize(
    ("sort", "label", "descending"),
    [
        ("late", "遅れているシステム", True),
        ("special", "特定移行支援システム", True),
        ("on_schedule", "スケジュール通りの割合", False),
    ],
)
def test_each_figure_sorts_worst_first(client, sort, label, descending):
    values = [float(v[label]) for _, v in ranking(client, f"?sort={sort}&pref=04") if v[label]]
    assert values == sorted(values, reverse=descending)


def test_prefecture_and_kind_filters_keep_only_matching_municipalities(client):
    codes = [c for c, _ in ranking(client, "?pref=04&kind=市")]
    listed = client.get("/api/v1/organizations", {"prefecture": "04", "kind": "市"}).json()
    assert sorted(codes) == sorted(o["code"] for o in listed)


def test_ranking_figures_agree_with_the_api(client):
    rows = dict(ranking(client, "?pref=04"))
    for code in ("042021", "041009", "043222"):
        api = client.get(f"/api/v1/organizations/{code}/progress").json()
        summary, systems = api["summary"], api["systems"]
        figures = rows[code]
        assert float(figures["完了率"]) == pytest.approx(summary["completion_rate"], abs=1e-6)
        with_steps = summary["systems_with_steps"]
        assert float(figures["スケジュール通りの割合"]) == pytest.approx(
            summary["on_schedule_systems"] / with_steps, abs=1e-6
        )
        assert int(figures["遅れているシステム"]) == with_steps - summary["on_schedule_systems"]
        assert int(figures["特定移行支援システム"]) == sum(1 for s in systems if s["special_support"])


def test_ranking_of_a_past_month_keeps_the_month_in_its_links(client):
    html = client.get("/rankings?as_of=2025-05&pref=04").content.decode()
    assert 'href="/organizations/042021?as_of=2025-05"' in html
    assert "as_of=2025-05" in re.search(r'aria-sort="ascending"><a href="([^"]+)"', html).group(1)


@pytest.mark.parametrize("sort", ["progress", "on_schedule", "operation", "special", "name", "kind", "code", "rate"])
def test_prefecture_table_sorts_by_every_column(client, sort):
    html = client.get(f"/prefectures/04?sort={sort}").content.decode()
    assert html.count("aria-sort=") == 1
    assert re.search(r'<th scope="col" aria-sort="(ascending|descending)"><a href="\?[^"]*sort=' + sort, html)
