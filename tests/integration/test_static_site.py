"""`shinchoku export site`: the public pages as static files with relative links, rewritten only when changed.

Exports are limited to 宮城県 (`--prefectures 04`) to stay quick: the first test exports every page kind of
the table, the others a few kinds of it (`page_table`), enough for what they check."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.cli import main
from shinchoku.domain.status import Status
from shinchoku.progress import selectors, services
from shinchoku.staticsite.export import export_site
from shinchoku.staticsite.pages import PAGES, Page
from shinchoku.staticsite.rewrite import LINK_NOTE
from tests.integration.test_staff_helpers import system_of

pytestmark = pytest.mark.django_db

ISHINOMAKI = "042021"
MIYAGI = frozenset({"04"})
# National, prefecture and 団体 pages, and pages no 団体's data reaches (the glossary, the accessibility policy).
SOME_PAGES = [
    p
    for p in PAGES
    if p.pattern in {"/", "/prefectures/{pref}", "/organizations/{code}", "/glossary", "/accessibility"}
]
LINK = re.compile(r'\b(?:href|src|action)="([^"]*)"')


def _links(page: Path) -> list[str]:
    return LINK.findall(page.read_text(encoding="utf-8"))


def _unresolved(root: Path) -> list[str]:
    """Relative links of every exported page that point at no exported file."""
    broken = []
    for page in root.rglob("*.html"):
        here = page.relative_to(root).parent.as_posix()
        for href in _links(page):
            if href.startswith(("#", "http://", "https://", "mailto:")):
                continue
            target = posixpath.normpath(posixpath.join(here, href.split("#")[0]))
            if not (root / target).is_file():
                broken.append(f"{page.relative_to(root)} → {href}")
    return broken


def test_export_site_writes_every_page_kind_with_links_that_resolve(tmp_path, capsys) -> None:
    assert main(["export", "site", str(tmp_path), "--prefectures", "04"]) == 0
    assert "書き換え" in capsys.readouterr().out
    for page in [
        "index.html",
        "prefectures/04/index.html",
        f"organizations/{ISHINOMAKI}/index.html",
        "organizations/040002/index.html",
        "businesses/index.html",
        "businesses/1/index.html",
        "steps/index.html",
        "steps/pref=04/index.html",
        "special-support/index.html",
        "vendors/index.html",
        "warnings/index.html",
        "forecast/index.html",
        "procedures/index.html",
        "costs/index.html",
        "glossary/index.html",
        "accessibility/index.html",
        "opendata/index.html",
        "opendata/catalogue.json",
        "static/shinchoku/site.css",
    ]:
        assert (tmp_path / page).is_file(), page
    assert _unresolved(tmp_path) == []
    org = (tmp_path / f"organizations/{ISHINOMAKI}/index.html").read_text(encoding="utf-8")
    assert "架空のサンプルデータ" in org
    assert '<html lang="ja">' in org
    assert not [h for h in _links(tmp_path / "index.html") if h.startswith("/")], "absolute paths left"
    # Without --base-url, links to pages outside the export (the API, staff, other prefectures) are taken out.
    assert "/staff/" not in org and LINK_NOTE in org
    assert '<form method="get"' not in org


def test_export_site_sends_other_pages_and_forms_to_the_base_url(tmp_path) -> None:
    export_site(tmp_path, base_url="https://dx.example.jp/", prefectures=MIYAGI, page_table=[Page("/")])
    national = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="https://dx.example.jp/staff/"' in national
    assert 'href="https://dx.example.jp/prefectures/13"' in national  # 東京都 is not in this export
    assert 'href="glossary/index.html' not in national  # not exported here either
    assert 'action="https://dx.example.jp/search"' in national  # the search form asks the live site
    assert 'action="https://dx.example.jp/"' in national  # and so does the month switcher


def test_export_site_after_one_edit_rewrites_only_the_pages_it_changes(tmp_path) -> None:
    first = export_site(tmp_path, prefectures=MIYAGI, page_table=SOME_PAGES)
    assert first.pages > 30 and len(first.written) == first.pages + first.files and first.deleted == []
    glossary = tmp_path / "glossary/index.html"
    untouched = tmp_path / "organizations/041009/index.html"  # 仙台市
    before = {p: p.stat().st_mtime_ns for p in (glossary, untouched)}

    as_of = selectors.resolve_as_of(None, published_only=True)
    system = system_of(ISHINOMAKI)
    actor = Actor.shell("operator")
    result = services.status_set(
        actor=actor, system=system, as_of=as_of, step="1", status=Status.COMPLETED, version=None
    )
    if not result.changed:
        result = services.status_set(
            actor=actor, system=system, as_of=as_of, step="1", status=Status.NOT_STARTED, version=None
        )
    assert result.changed

    second = export_site(tmp_path, prefectures=MIYAGI, page_table=SOME_PAGES)
    assert {"index.html", "prefectures/04/index.html", f"organizations/{ISHINOMAKI}/index.html"} <= set(second.written)
    assert second.pages == first.pages
    assert len(second.written) < second.pages / 4, second.written
    assert second.unchanged == second.pages + second.files - len(second.written)
    assert {p: p.stat().st_mtime_ns for p in (glossary, untouched)} == before
    assert _unresolved(tmp_path) == []


def test_export_site_refuses_a_month_that_is_not_published_and_writes_nothing(tmp_path, capsys) -> None:
    assert main(["export", "site", str(tmp_path / "site"), "--as-of", "1999-01"]) == 1
    assert "1999" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
    assert main(["export", "progress", str(tmp_path / "site")]) == 2  # a folder only for `export site`
