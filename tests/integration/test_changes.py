"""Change over time: the tables on the national, prefecture and 団体 pages, and /changes for a month."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-code="(\d{6})">.*?data-value="(-?[0-9.e-]+)"', re.S)


def months(client) -> list[str]:
    return [m["as_of"][:7] for m in client.get("/api/v1/months").json()]


def in_operation(client, code: str, month: str) -> int:
    """Systems in operation as the API shows them: step 40 (運用開始) completed."""
    api = client.get(f"/api/v1/organizations/{code}/progress", {"as_of": month}).json()
    return sum(
        1 for s in api["systems"] for st in s["steps"] or [] if st["step"] == "40" and st["status"] == "completed"
    )


def late(client, code: str, month: str) -> int:
    s = client.get(f"/api/v1/organizations/{code}/progress", {"as_of": month}).json()["summary"]
    return s["systems_with_steps"] - s["on_schedule_systems"]


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_changes_page_agrees_with_the_api_for_systems_that_went_into_operation(client):
    published = months(client)
    found = None
    for month in reversed(published[1:]):
        html = client.get("/changes", {"as_of": month, "pref": "04"}).content.decode()
        rows = ROW.findall(section(html, "operation-heading"))
        if rows:
            found = (month, published[published.index(month) - 1], rows)
            break
    assert found, "the sample has systems going into operation in some month"
    month, previous, rows = found
    for code, value in rows[:3]:
        assert int(value) == in_operation(client, code, month) - in_operation(client, code, previous)


def test_changes_page_agrees_with_the_api_for_newly_late_systems(client):
    published = months(client)
    for month in reversed(published[1:]):
        html = client.get("/changes", {"as_of": month, "pref": "13"}).content.decode()
        rows = ROW.findall(section(html, "late-heading"))
        if rows:
            previous = published[published.index(month) - 1]
            for code, value in rows[:3]:
                assert int(value) == late(client, code, month) - late(client, code, previous)
            return
    pytest.fail("the sample has newly late systems in some month")


def test_first_month_has_nothing_to_compare_with(client):
    first = months(client)[0]
    html = client.get("/changes", {"as_of": first}).content.decode()
    assert "比べる前の月がありません" in html


def test_organization_page_shows_the_change_since_the_previous_month_and_a_year_earlier(client):
    published = months(client)
    month, previous, year_ago = published[-1], published[-2], published[-13]
    html = client.get("/organizations/042021", {"as_of": month}).content.decode()
    rate = {
        m: client.get("/api/v1/organizations/042021/progress", {"as_of": m}).json()["summary"]["completion_rate"]
        for m in (month, previous, year_ago)
    }
    table = section(html, "changes-heading")
    assert f"{(rate[month] - rate[previous]) * 100:+.1f}ポイント" in table
    assert f"{(rate[month] - rate[year_ago]) * 100:+.1f}ポイント" in table
    assert f'href="/changes?as_of={month}"' in table


@pytest.mark.parametrize("path", ["/", "/prefectures/04"])
def test_area_pages_show_the_change_of_the_mean_completion_rate(client, path):
    html = client.get(path).content.decode()
    table = section(html, "changes-heading")
    assert "完了率（総務省方式）の平均" in table
    assert "前の月から" in table and "12か月前から" in table
