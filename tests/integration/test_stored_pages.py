"""Pages rendered ahead of readers: served while current, equal to a fresh render, never stale.

A 団体's page is current while the epoch (writes of wider scope, publication, the build) and its 団体's own
counter are. So the writes that move only one 団体's counter must change no other 団体's page: checked here page
by page, for every such write. A wider area's page of one month is current while the epoch and its month's
counter are: the same writes must change no such page of a month whose counter they leave, checked likewise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.audit import ORGANIZATION_ONLY
from shinchoku.cli import main
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.attributes import attributes_of
from shinchoku.progress.models import StatusSnapshot
from shinchoku.progress.selectors import published_months
from shinchoku.publication.models import StoredPage
from shinchoku.publication.versions import month_counters, organization_counter
from shinchoku.reference.models import Organization
from shinchoku.staticsite import pages as site_pages
from shinchoku.staticsite import warm as warm_module
from shinchoku.staticsite.pages_status import pages_status
from shinchoku.staticsite.warm import AREA_PAGES, area_pages, targets, warm
from shinchoku.web import middleware, stored_pages
from tests.integration.test_staff_helpers import LATEST, make_user, system_of

pytestmark = pytest.mark.django_db

ISHINOMAKI, SENDAI, MIYAGI = "042021", "041009", "040002"


def _operator() -> Actor:
    return Actor.of(make_user("op-stored", "operator"), "ui")


def _flip(system, as_of: date = LATEST) -> Status:
    """A status for step 7 of the system that differs from the one it has in the month."""
    snap = StatusSnapshot.objects.filter(system=system, as_of__lte=as_of).order_by("-as_of").first()
    return Status.COMPLETED if snap is None or snap.codes[6] != "C" else Status.NOT_STARTED


def _status(actor: Actor, as_of: date = LATEST) -> None:
    system = system_of(ISHINOMAKI)
    services.status_set(actor=actor, system=system, as_of=as_of, step="7", status=_flip(system, as_of), version=None)


def _bulk(actor: Actor, as_of: date = LATEST) -> None:
    org = Organization.objects.get(code=ISHINOMAKI)
    services.status_bulk_set(actor=actor, org=org, as_of=as_of, step="9", status=Status.NOT_APPLICABLE)


def _delay(actor: Actor, as_of: date = LATEST) -> None:
    values = {"reason": "事業者の繁忙により遅れています", "department": "情報政策課"}
    services.delay_save(actor=actor, system=system_of(ISHINOMAKI), as_of=as_of, values=values)


def _system(actor: Actor, as_of: date = LATEST) -> None:
    system = system_of(ISHINOMAKI)
    on = attributes_of(system, as_of).uses_gov_cloud
    values = {"uses_gov_cloud": False} if on else {"uses_gov_cloud": True, "cloud_provider": "sakura"}
    assert services.system_update(actor=actor, system=system, as_of=as_of, values=values)


WRITES: dict[str, Callable[..., None]] = {
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
    codes = sorted({target.code for target in targets(months=0).values()})
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


def _months() -> list[date]:
    return sorted(m["as_of"] for m in published_months())


def _render(client, paths: list[str]) -> dict[str, bytes]:
    out = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200 and not response.has_header("X-Stored-Page"), path
        out[path] = response.content
    return out


def _ours(path: str, business: int) -> bool:
    """A page of 宮城県, of the nation, or of 石巻市's business or business 1."""
    pref = re.search(r"(?:prefectures/|pref=)(\d{2})", path)
    number = re.search(r"/businesses/(\d+)", path)
    return (pref is None or pref[1] == "04") and (number is None or int(number[1]) in (1, business))


def test_every_write_scoped_to_one_organization_changes_only_wider_pages_of_the_months_whose_counter_it_moves(
    client,
):
    """Writes in a past month: the pages of wider areas of that month and later ones may change (their counters
    move); those of earlier months must stay byte for byte (their counters stay)."""
    *_, early, past, latest = _months()
    assert latest == LATEST
    # every kind of page, of 石巻市's prefecture and business (and one other business)
    business = system_of(ISHINOMAKI).business.number
    by_path = {
        path: target.month
        for m in (early, past, latest)
        for path, target in area_pages(site_pages.Scope(as_of=m, latest=False)).items()
        if _ours(path, business)
    }
    assert {"/?as_of=" + f"{past:%Y-%m}", f"/prefectures/04?as_of={early:%Y-%m}"} <= set(by_path)
    assert {path.partition("?")[0] for path in by_path} >= {"/costs/cloud", "/warnings", "/vendors", "/steps"}
    actor = _operator()
    before = _render(client, list(by_path))
    epoch = stored_pages.epoch()
    for action, write in WRITES.items():
        counters = month_counters()
        write(actor, past)
        moved = {m for m, n in month_counters().items() if n > counters.get(m, 0)}
        after = _render(client, list(by_path))
        changed = {by_path[path] for path in after if after[path] != before[path]}
        assert changed <= moved, (action, changed, moved)  # no page changed whose month's counter stayed
        assert moved == {past, latest}, (action, moved)  # this month and the later ones, not the earlier
        if action in ("set_status", "bulk_set_status"):
            assert changed == {past, latest}, action  # the check above has something to check
        assert stored_pages.epoch() == epoch, action
        before = after


def test_every_wider_area_page_of_the_export_is_stored_for_each_month():
    scope = site_pages.Scope(as_of=LATEST, latest=False)
    stored = area_pages(scope)
    for page in AREA_PAGES:
        assert any(
            url in stored or f"{url}?as_of={scope.month}" in stored or f"{url}&as_of={scope.month}" in stored
            for url in page.urls(scope)
        ), page.pattern
    assert all(target.code == "" and target.month == LATEST for target in stored.values())
    latest = area_pages(site_pages.Scope(as_of=LATEST, latest=True))
    assert "/" in latest and f"/?as_of={scope.month}" in latest and "/steps?pref=04" in latest
    assert len(latest) == 2 * len(stored)  # the latest month's pages, with and without ?as_of=


def test_a_wider_areas_page_is_served_for_any_month_while_its_month_is_current(client, monkeypatch):
    # a few kinds of page (every kind is listed above, and compared after writes in the test before)
    kinds = ("/", "/prefectures/{pref}", "/steps?pref={pref}", "/businesses/{number}", "/vendors")
    monkeypatch.setattr(warm_module, "AREA_PAGES", [p for p in AREA_PAGES if p.pattern in kinds])
    *_, previous, latest = _months()
    report = warm(only=[], months=2)
    pages = len(targets([], months=2))
    assert report.rendered == pages and report.skipped == 0 and pages > 40
    assert warm(only=[], months=2).rendered == 0
    paths = (
        "/",
        f"/?as_of={latest:%Y-%m}",
        f"/prefectures/04?as_of={previous:%Y-%m}",
        f"/steps?pref=04&as_of={previous:%Y-%m}",
        f"/businesses/1?as_of={previous:%Y-%m}",
        "/vendors",
    )
    for path in paths:
        stored = client.get(path)
        assert stored["X-Stored-Page"] == "1", path
        monkeypatch.setattr(middleware, "ENABLED", False)
        fresh = client.get(path)
        monkeypatch.setattr(middleware, "ENABLED", True)
        assert stored.content == fresh.content and stored["Content-Type"] == fresh["Content-Type"], path
    # a write in the latest month: its pages are rendered afresh at once; the month before is still current
    _status(_operator())
    assert not client.get(f"/?as_of={latest:%Y-%m}").has_header("X-Stored-Page")
    assert not client.get("/").has_header("X-Stored-Page")
    assert client.get(f"/?as_of={previous:%Y-%m}")["X-Stored-Page"] == "1"
    again = warm(only=[], months=2)
    assert again.rendered == len(area_pages(site_pages.Scope(as_of=latest, latest=True)))
    assert again.current == len(area_pages(site_pages.Scope(as_of=previous, latest=False)))


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
    key_of = stored_pages.key_of
    assert key_of("/", "as_of=2026-10") == "/?as_of=2026-10" and key_of("/steps", "pref=04") == "/steps?pref=04"
    assert key_of("/steps", "pref=04&as_of=2026-10") == "/steps?pref=04&as_of=2026-10"
    assert key_of("/steps", "as_of=2026-10&pref=04") is None  # not a stored form: rendered
    assert key_of(f"/organizations/{ISHINOMAKI}", "as_of=2026-10") is None
    assert key_of("/search", "q=仙台") is None and key_of("/api/v1/summary", "") is None
    assert key_of("/prefectures/04", "as_of=2026-10&x=1") is None


def test_warm_removes_the_pages_no_longer_shown():
    warm(only=[ISHINOMAKI, SENDAI])
    report = warm(only=[SENDAI])
    assert report.removed == 2 and report.current == 2
    assert sorted(StoredPage.objects.values_list("path", flat=True)) == [
        f"/api/v1/organizations/{SENDAI}/progress",
        f"/organizations/{SENDAI}",
    ]


def test_pages_status_counts_the_current_the_stale_and_the_missing_pages(monkeypatch, capsys):
    only = [ISHINOMAKI, SENDAI]
    empty = pages_status(only, months=1)
    assert empty.wanted > 4 and empty.missing == empty.wanted and empty.current == empty.stored_bytes == 0
    report = warm(only=only, months=1)
    warmed = pages_status(only, months=1)
    assert warmed.current == report.rendered == warmed.wanted - report.skipped
    assert warmed.stale == warmed.unwanted == 0 and warmed.missing == report.skipped
    stored = StoredPage.objects.all()
    assert warmed.plain_bytes == sum(p.size for p in stored) > warmed.stored_bytes == sum(len(p.body) for p in stored)
    _status(_operator())  # one 団体's pages and the latest month's wider pages
    edited = pages_status(only, months=1)
    assert edited.stale > 2 and edited.stale_epoch == 0 and edited.current + edited.stale == warmed.current
    assert f"古い {edited.stale:,} 件" in edited.summary()
    monkeypatch.setattr(stored_pages, "build", lambda: "a new release")  # every stored page's epoch moves
    released = pages_status(only, months=1)
    assert released.current == 0 and released.stale == released.stale_epoch == warmed.current
    assert pages_status([SENDAI], months=1).unwanted == 2  # ISHINOMAKI's two pages, no longer wanted
    assert main(["pages", "status"]) == 0
    assert "保存しているページ" in capsys.readouterr().out


def test_a_public_page_is_rendered_once_per_data_version_and_worker(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(middleware, "_in_transaction", lambda: False)
    middleware.pages.clear()
    first = client.get("/prefectures/04")
    assert len(middleware.pages) == 1
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/prefectures/04")
    # the stored pages' lookup (none is stored here) and the data version, nothing rendered
    assert again.content == first.content and len(queries) == 2
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


def test_a_page_rendered_with_reads_kept_for_the_data_version_is_the_page_rendered_without(client, monkeypatch):
    """PublicPageCache names the data version to the reads kept per version (publication/memo.py): the page is
    the same as one rendered without them, and a change of version (a month unpublished) is seen at once."""
    from shinchoku.api import cache
    from shinchoku.progress.models import Month

    monkeypatch.setattr(middleware, "_in_transaction", lambda: False)
    *_, previous, latest = _months()
    paths = [f"/organizations/{ISHINOMAKI}?as_of={previous:%Y-%m}", f"/organizations/{SENDAI}?as_of={previous:%Y-%m}"]
    middleware.pages.clear()
    kept = [client.get(path).content for path in paths]  # the second reuses the first's months, steps …
    monkeypatch.setattr(cache, "ENABLED", False)
    assert [client.get(path).content for path in paths] == kept
    monkeypatch.setattr(cache, "ENABLED", True)
    Month.objects.filter(as_of=latest).update(published=False)  # the version moves with the publication
    middleware.pages.clear()
    page = client.get(paths[0]).content.decode()
    assert f'value="{latest:%Y-%m}"' not in page and f'value="{previous:%Y-%m}"' in page
    assert f'value="{latest:%Y-%m}"' in kept[0].decode()
    middleware.pages.clear()
