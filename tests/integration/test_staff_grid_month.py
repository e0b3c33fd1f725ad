"""The grid opens on the month being reported; a published month is read-only until the user explicitly chooses
to correct it (the choice says it goes public at once); viewers get a read-only page without an upload tab."""

from __future__ import annotations

from datetime import date

import pytest

from shinchoku.domain.status import Status
from tests.integration.test_staff import status_of
from tests.integration.test_staff_helpers import A, cell_post, make_user, system_of

pytestmark = pytest.mark.django_db

OPEN = date(2026, 11, 30)  # every sample month is published: the next one is being reported


def test_the_grid_opens_on_the_month_being_reported_and_is_editable(client):
    client.force_login(make_user("ishinomaki", "municipality", A))
    r = client.get(f"/staff/orgs/{A}/")
    html = r.content.decode()
    assert r.context["staff_month"].as_of == OPEN and not r.context["staff_month"].published
    assert r.context["can_edit"] and "<select" in html.split('id="grid"')[1] and "未公開" in html
    assert 'id="grid-undo"' in html and "進捗の入力" in html


def test_a_published_month_is_read_only_until_correction_is_chosen(client):
    client.force_login(make_user("ishinomaki", "municipality", A))
    r = client.get(f"/staff/orgs/{A}/?as_of=2026-10")
    html = r.content.decode()
    grid = html.split('id="grid"')[1].split("</table>")[0]
    assert not r.context["can_edit"] and r.context["locked"] and "<select" not in grid
    assert "公開済みです" in html and "?as_of=2026-10&amp;correct=1" in html
    assert "この月を訂正する（変更はすぐに公開されます）" in html
    r = client.get(f"/staff/orgs/{A}/?as_of=2026-10&correct=1")
    html = r.content.decode()
    assert r.context["can_edit"] and "公開済みの2026年10月を訂正しています" in html
    assert "correct=1" in r.context["cell_url"]


def test_a_write_to_a_published_month_without_the_choice_is_refused(client):
    client.force_login(make_user("ishinomaki", "municipality", A))
    system = system_of(A)
    code, version = status_of(system)
    new = "in_progress" if code != "P" else "completed"
    data = cell_post(system, "1", new, version, Status.from_code(code).value)
    r = client.post(f"/staff/orgs/{A}/cell/?as_of=2026-10", data, HTTP_HX_REQUEST="true")
    assert r.status_code == 409 and "公開済み" in r.content.decode()
    assert status_of(system) == (code, version)
    r = client.post(f"/staff/orgs/{A}/grid/", {"as_of": "2026-10", **data})
    assert r.status_code == 409 and status_of(system) == (code, version)
    r = client.post(f"/staff/orgs/{A}/bulk/?as_of=2026-10", {"step": "40", "status": "completed"})
    assert r.status_code == 409
    r = client.post(f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1", data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and status_of(system) == (Status(new).code, version + 1)


def test_viewers_get_a_read_only_page_without_an_upload_tab(client):
    client.force_login(make_user("viewer", "viewer", A))
    html = client.get(f"/staff/orgs/{A}/").content.decode()
    assert "進捗の状態（閲覧のみ）" in html and "進捗の入力" not in html
    assert f"/staff/orgs/{A}/upload/" not in html and "<select" not in html.split('id="grid"')[1].split("</table>")[0]


def test_column_headers_show_step_names(client):
    client.force_login(make_user("ishinomaki", "municipality", A))
    html = client.get(f"/staff/orgs/{A}/").content.decode()
    assert '<span class="step-no">①-1</span><span class="step-name">' in html
