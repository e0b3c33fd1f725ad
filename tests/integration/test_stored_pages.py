"""The 団体 pages rendered ahead of readers: served while current, equal to a fresh render, never stale.

A page is current while the epoch (writes of wider scope, publication, the build) and its 団体's own counter
are. So the writes that move only one 団体's counter must change no other 団体's page: checked here page by
page, for every such write.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.audit import ORGANIZATION_ONLY
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.attributes import attributes_of
from shinchoku.progress.models import StatusSnapshot
from shinchoku.publication.models import StoredPage
from shinchoku.publication.versions import organization_counter
from shinchoku.reference.models import Organization
from shinchoku.staticsite.warm import targets, warm
from shinchoku.web import middleware, stored_pages
from tests.integration.test_staff_helpers import LATEST, make_user, system_of

pytestmark = pytest.mark.django_db

ISHINOMAKI, SENDAI, MIYAGI = "042021", "041009", "040002"


def _operator() -> Actor:
    return Actor.of(make_user("op-stored", "operator"), "ui")


def _flip(system) -> Status:
    """A status for step 7 of the system that differs from the one it has in the latest month."""
    snap = StatusSnapshot.objects.filter(system=system, as_of__lte=LATEST).order_by("-as_of").first()
    return Status.COMPLETED if snap is None or snap.codes[6] != "C" else Status.NOT_STARTED


def _status(actor: Actor) -> None:
    system = system_of(ISHINOMAKI)
    services.status_set(actor=actor, system=system, as_of=LATEST, step="7", status=_flip(system), version=None)


def _bulk(actor: Actor) -> None:
    org = Organization.objects.get(code=ISHINOMAKI)
    services.status_bulk_set(actor=actor, org=org, as_of=LATEST, step="9", status=Status.NOT_APPLICABLE)


def _delay(actor: Actor) -> None:
    values = {"reason": "事業者の繁忙により遅れています", "department": "情報政策課"}
    services.delay_save(actor=actor, system=system_of(ISHINOMAKI), as_of=LATEST, values=values)


def _system(actor: Actor) -> None:
    system = system_of(ISHINOMAKI)
    on = attributes_of(system, LATEST).uses_gov_cloud
    values = {"uses_gov_cloud": False} if on else {"uses_gov_cloud": True, "cloud_provider": "sakura"}
    assert services.system_update(actor=actor, system=system, as_of=LATEST, values=values)


WRITES: dict[str, Callable[[Actor], None]] = {
    "set_status": _status,
    "bulk_set_status": _bulk,
    "save_delay": _delay,
    "update_system": _system,
}


def _pages(client, codes: list[str]) -> dict[str, bytes]:
    out = {}
    for code in codes:
        for path in (f"/organizations/{code}", f"/api/v1/organizations/{code}/progress"):
            response = client.get(path)
            assert response.status_code == 200 and not response.has_header("X-Stored-Page"), path
            out[path] = response.content
    return out


def test_every_write_scoped_to_one_organization_changes_no_other_organizations_page(client):
    assert set(WRITES) == ORGANIZATION_ONLY  # a new scoped write needs its check here
    # the 団体 most likely to share something with 石巻市: its prefecture's, and a few elsewhere
    codes = sorted(set(targets().values()))
    miyagi = [c for c in codes if c.startswith("04")]
    others = [c for c in codes if not c.startswith("04")][::15]
    assert ISHINOMAKI in miyagi and MIYAGI in miyagi and len(miyagi) > 30 and others
    actor = _operator()
    before = _pages(client, miyagi + others)
    epoch = stored_pages.epoch()
    for action, write in WRITES.items():
        counter = organization_counter(ISHINOMAKI)
        write(actor)
        after = _pages(client, miyagi + others)
        changed = sorted(path for path in after if after[path] != before[path])
        assert changed and all(ISHINOMAKI in path for path in changed), (action, changed)
        assert stored_pages.epoch() == epoch, action  # no page of another 団体 goes stale
        assert organization_counter(ISHINOMAKI) > counter, action
        before = after
    # the prefecture's own systems: its municipalities' pages don't show them
    system = system_of(MIYAGI)
    services.status_set(actor=actor, system=system, as_of=LATEST, step="7", status=_flip(system), version=None)
    after = _pages(client, miyagi + others)
    changed = sorted(path for path in after if after[path] != before[path])
    assert changed and all(MIYAGI in path for path in changed), changed
    assert stored_pages.epoch() == epoch


def test_a_stored_page_is_served_while_current_and_is_the_page_a_fresh_render_gives(client, monkeypatch):
    report = warm(only=[ISHINOMAKI, SENDAI])
    assert report.rendered == 4 and report.skipped == 0
    assert warm(only=[ISHINOMAKI, SENDAI]).rendered == 0  # nothing changed: nothing rendered again
    for path in (f"/organizations/{ISHINOMAKI}", f"/api/v1/organizations/{ISHINOMAKI}/progress"):
        stored = client.get(path)
        assert stored["X-Stored-Page"] == "1"
        monkeypatch.setattr(middleware, "ENABLED", False)
        fresh = client.get(path)
        monkeypatch.setattr(middleware, "ENABLED", True)
        assert not fresh.has_header("X-Stored-Page")
        assert stored.content == fresh.content  # the placeholder host became this request's own
        assert stored["Content-Type"] == fresh["Content-Type"]
    page = client.get(f"/organizations/{ISHINOMAKI}")
    assert "stored-page.invalid" not in page.content.decode() and "http://testserver/" in page.content.decode()
    assert page.has_header("Content-Security-Policy") and page["X-Frame-Options"] == "DENY"
    # compressed for a reader that accepts it, and a 304 for one that has it
    packed = client.get(f"/organizations/{ISHINOMAKI}", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and len(packed.content) < len(page.content) / 4
    again = client.get(f"/organizations/{ISHINOMAKI}", HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
    api = client.get(f"/api/v1/organizations/{ISHINOMAKI}/progress")
    assert api["Access-Control-Allow-Origin"] == "*" and api["X-Stored-Page"] == "1"


def test_a_write_makes_its_organizations_stored_pages_stale_at_once_and_no_others(client):
    warm(only=[ISHINOMAKI, SENDAI])
    system = system_of(ISHINOMAKI)
    new = _flip(system)
    services.status_set(actor=_operator(), system=system, as_of=LATEST, step="7", status=new, version=None)
    page = client.get(f"/api/v1/organizations/{ISHINOMAKI}/progress")
    assert not page.has_header("X-Stored-Page")  # rendered afresh: the write shows at once
    steps = next(s for s in page.json()["systems"] if s["name"] == system.name)["steps"]
    assert next(st["status"] for st in steps if st["step"] == "7") == new.value
    assert client.get(f"/organizations/{SENDAI}")["X-Stored-Page"] == "1"
    report = warm(only=[ISHINOMAKI, SENDAI])
    assert report.rendered == 2 and report.current == 2  # the written 団体's two pages, no other
    assert client.get(f"/api/v1/organizations/{ISHINOMAKI}/progress").json() == page.json()


def test_a_write_of_wider_scope_leaves_no_stored_page_current(client):
    warm(only=[ISHINOMAKI, SENDAI])
    services.rollups_rebuild(actor=_operator())
    for code in (ISHINOMAKI, SENDAI):
        assert not client.get(f"/organizations/{code}").has_header("X-Stored-Page")
    assert warm(only=[ISHINOMAKI, SENDAI]).rendered == 4


def test_staff_queries_and_other_pages_are_never_answered_from_the_store(client):
    warm(only=[ISHINOMAKI])
    assert not client.get(f"/organizations/{ISHINOMAKI}?as_of=2026-10").has_header("X-Stored-Page")
    assert not client.get(f"/organizations/{ISHINOMAKI}", HTTP_HX_REQUEST="true").has_header("X-Stored-Page")
    client.force_login(make_user("staff-stored", "operator"))
    assert not client.get(f"/organizations/{ISHINOMAKI}").has_header("X-Stored-Page")
    assert stored_pages.organization_of("/organizations/04202") is None
    assert stored_pages.organization_of(f"/organizations/{ISHINOMAKI}/extra") is None


def test_warm_removes_the_pages_no_longer_shown():
    warm(only=[ISHINOMAKI, SENDAI])
    report = warm(only=[SENDAI])
    assert report.removed == 2 and report.current == 2
    assert sorted(StoredPage.objects.values_list("path", flat=True)) == [
        f"/api/v1/organizations/{SENDAI}/progress",
        f"/organizations/{SENDAI}",
    ]


def test_a_public_page_is_rendered_once_per_data_version_and_worker(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(middleware, "_in_transaction", lambda: False)
    middleware.pages.clear()
    first = client.get("/prefectures/04")
    assert len(middleware.pages) == 1
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/prefectures/04")
    assert again.content == first.content and len(queries) == 1  # the data version, nothing rendered
    assert again["X-Frame-Options"] == "DENY" and again.has_header("Content-Security-Policy")
    # pages that set headers of their own, the embeds (framable), staff and logged-in readers: never kept
    embed = client.get(f"/embed/organizations/{ISHINOMAKI}")
    assert embed.status_code == 200 and not embed.has_header("X-Frame-Options")
    assert client.get(f"/embed/organizations/{ISHINOMAKI}").content == embed.content
    assert len(middleware.pages) == 1
    # a write moves the data version: the page is rendered again and shows it
    _status(_operator())
    with CaptureQueriesContext(connection) as queries:
        client.get("/prefectures/04")
    assert len(queries) > 1 and len(middleware.pages) == 1
    client.force_login(make_user("staff-page-cache", "operator"))
    client.get("/prefectures/13")
    assert len(middleware.pages) == 1
    middleware.pages.clear()
