"""Every write path goes through a guarded service and leaves an audit entry naming its actor.

The test walks the URLconf and the CLI's commands: each one is either listed here as a write (and performed,
then its audit entry looked for) or as one that writes no data. A new URL or command fails the test until it
is classified, so no write path can appear without its audit entry.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from shinchoku.accounts import tokens
from shinchoku.accounts.models import AuditEntry
from shinchoku.cli import build_parser, main
from shinchoku.progress.models import Month
from shinchoku.progress.practice import ensure_practice
from shinchoku.progress.selectors import effective_snapshots
from shinchoku.reference.models import Business
from tests.integration.test_staff_helpers import (
    LATEST,
    A,
    cell_post,
    delay_form,
    long_csv,
    make_user,
    not_applicable_report,
    system_of,
)

pytestmark = pytest.mark.django_db

# Views that write no data: public pages, reads, the login (django-axes keeps its own attempts table),
# the upload preview (a dry run; the file waits in the upload folder until confirmed).
READ_ONLY_URLS = {
    "healthz",
    "openapi-json",
    "openapi-view",
    "national",
    "prefecture",
    "months",
    "prefectures",
    "businesses",
    "business_summary",
    "steps_summary",
    "list_organizations",
    "get_organization",
    "progress",
    "list_procedures",
    "summary",
    "organization",
    "api-root",
    "api-unknown",
    "catalogue",
    "catalogue-json",
    "file",
    "login",
    "logout",
    "dashboard",
    "audit",
    "grid",
    "upload",
    "search",
    "business",
    "steps",
    "special_support",
    "vendors",
    "glossary",
    "accessibility",
    "cloud",
    "staff_template",  # an XLSX filled from the 団体's figures: a download
    # the staff follow-up view of a prefecture (page, CSV, XLSX, API) and a 団体's progress template: reads
    "followup",
    "progress_template",
    "followup_xlsx",
    "followup_csv",
    "prefecture_followup",
    # the outlook (警告・見通し): pages, API and the prefecture digest read the precomputed outlook tables
    "warnings",
    "forecast",
    "list_warnings",
    "warnings_summary",
    "forecasts",
    "digest_index",
    "digest",
    "digest_xlsx",
    # the public side: search suggestions, rankings, compare, changes, feeds, embeds and images read rollups
    "search_suggest",
    "rankings",
    "compare",
    "changes",
    "embed_organization",
    "embed_prefecture",
    "og_national",
    "og_prefecture",
    "og_organization",
    "feed_national",
    "feed_prefecture",
    "feed_organization",
}


def url_names() -> set[str]:
    """Every named URL of the site, the admin left out (its writes are mirrored from LogEntry: test_audit_admin)."""

    def walk(patterns: list, prefix: str = "") -> set[str]:
        names: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin"):
                    continue
                names |= walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                names.add(p.name)
        return names

    return walk(get_resolver().url_patterns)


def staff(client: Client, role: str = "operator", org: str | None = None) -> str:
    user = make_user(f"writer-{role}", role, org, password=False)
    client.force_login(user)
    return user.get_username()


def as_municipality(write: Callable[[Client], object]) -> Callable[[Client], str]:
    """`write` done by a 市区町村担当 of A, who is logged in first; answers the actor's name."""

    def written(client: Client) -> str:
        name = staff(client, "municipality", A)
        write(client)
        return name

    return written


def w_publish(client: Client) -> str:
    name = staff(client)
    Month.objects.filter(as_of=LATEST).update(published=False)
    assert client.post("/staff/publish/", {"month": "2026-10", "confirm": "yes"}).status_code == 302
    return name


@as_municipality
def w_practice_reset(client: Client) -> None:
    ensure_practice()
    assert client.post("/staff/practice/reset/", {"confirm": "yes"}).status_code in (200, 302)


def _cell(step: str) -> dict:
    return cell_post(system_of(A), step, "not_applicable", 0, "not_started")


@as_municipality
def w_save_grid(client: Client) -> None:
    data = {"as_of": "2026-10", "correct": "1", **_cell("38")}
    assert client.post(f"/staff/orgs/{A}/grid/", data).status_code in (200, 302)


@as_municipality
def w_cell(client: Client) -> None:
    r = client.post(f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1", _cell("37"), HTTP_HX_REQUEST="true")
    assert r.status_code in (200, 409)


@as_municipality
def w_bulk(client: Client) -> None:
    client.post(f"/staff/orgs/{A}/bulk/?as_of=2026-10&correct=1", {"step": "39", "status": "not_applicable"})


@as_municipality
def w_upload_confirm(client: Client) -> None:
    preview = client.post(f"/staff/orgs/{A}/upload/", {"file": not_applicable_report(A, "36"), "format": "auto"})
    assert preview.status_code == 200
    digest = next(iter(client.session["staff_uploads"]))
    assert client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": digest}).status_code == 200


@as_municipality
def w_procedures(client: Client) -> None:
    from tests.integration.test_staff_procedures import form_data

    client.post(f"/staff/orgs/{A}/procedures/", form_data(A, flip=(1,)))


@as_municipality
def w_systems(client: Client) -> None:
    client.post(f"/staff/orgs/{A}/systems/", {"add_system": "1", "name": "監査テスト用システム"})


@as_municipality
def w_system_edit(client: Client) -> None:
    s = system_of(A)
    client.post(f"/staff/orgs/{A}/systems/{s.pk}/", {"vendor": "監査テスト事業者", "uses_gov_cloud": ""})


@as_municipality
def w_delay(client: Client) -> None:
    client.post(f"/staff/orgs/{A}/systems/{system_of(A).pk}/delay/?as_of=2026-10", delay_form("監査テスト"))


def _token(role: str = "municipality") -> tuple[str, str]:
    user = make_user(f"api-{role}", role, A, password=False)
    return user.get_username(), tokens.issue(user)[1]


def w_put_cell(client: Client) -> str:
    name, token = _token()
    s = system_of(A)
    version = effective_snapshots([s], LATEST)[s.pk].versions.get("35", 0)
    r = Client().put(
        f"/api/v1/organizations/{A}/systems/{s.name}/steps/35",
        f'{{"status": "not_applicable", "as_of": "2026-10-31", "version": {version}}}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200, r.content
    return name


def w_post_import(client: Client) -> str:
    name, token = _token()
    r = Client().post("/api/v1/imports", {"file": not_applicable_report(A, "34")}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200, r.content
    return name


@as_municipality
def w_staff_costs(client: Client) -> None:
    post = {"as_of": "2026-10", "fiscal_year": "2024", "system_usage": "123456", "comment": "監査テスト"}
    assert client.post(f"/staff/orgs/{A}/costs/", post).status_code == 302


WRITE_URLS: dict[str, Callable[[Client], str]] = {
    "staff_costs": w_staff_costs,
    "publish": w_publish,
    "practice_reset": w_practice_reset,
    "save_grid": w_save_grid,
    "cell": w_cell,
    "bulk": w_bulk,
    "upload_confirm": w_upload_confirm,
    "procedures": w_procedures,
    "systems": w_systems,
    "system_edit": w_system_edit,
    "delay": w_delay,
    "put_cell": w_put_cell,
    "post_import": w_post_import,
}


def test_every_url_is_classified_as_a_write_or_a_read() -> None:
    names = url_names()
    assert names - READ_ONLY_URLS - set(WRITE_URLS) == set(), "classify the new URL in this test"
    assert set(WRITE_URLS) <= names and names | {"business", "steps"} >= READ_ONLY_URLS


@pytest.mark.parametrize("name", sorted(WRITE_URLS))
def test_a_write_url_records_an_audit_entry_with_its_actor(client, settings, tmp_path, name: str) -> None:
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    actor = WRITE_URLS[name](client)
    entries = AuditEntry.objects.filter(id__gt=last, actor=actor)
    assert entries.exists(), f"{name}: no audit entry by {actor}"


# --- the CLI -------------------------------------------------------------------------------------------

READ_ONLY_COMMANDS = {"code", "progress", "export", "imports", "backup", "serve", "opendata", "pages"}
# (file derived from the data, `opendata` writes files, never data; `backup` reads the database; `pages` stores
# pages rendered from the data, never data)


def _cli_import(tmp_path: Path) -> list[str]:
    path = tmp_path / "w.csv"
    path.write_bytes(long_csv(A, system_of(A).name, "33", "対象外"))
    return ["import", str(path), "--actor", "shell-writer"]


def _cli_publish(tmp_path: Path) -> list[str]:
    Month.objects.filter(as_of=LATEST).update(published=False)
    return ["publish", "2026-10", "--actor", "shell-writer"]


def _cli_user(tmp_path: Path) -> list[str]:
    return ["user", "add", "shell-made", "--role", "viewer", "--org", A, "--password-stdin"]


def _cli_init(tmp_path: Path) -> list[str]:
    Business.objects.filter(number=1).update(name="住民記録（編集済み）")
    return ["init", "--overwrite-reference"]


def _cli_rollups(tmp_path: Path) -> list[str]:
    return ["rollups", "rebuild", "--from", "2026-10", "--actor", "shell-writer"]


WRITE_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "import": _cli_import,
    "rollups": _cli_rollups,
    "publish": _cli_publish,
    "user": _cli_user,
    "init": _cli_init,
}
# Checked elsewhere, too slow or destructive to run here: `load` and `demo` write through the same
# file_import / load_sample (test_official_data, the session's own sample below), `restore` (test_live_ops).
WRITES_COVERED_ELSEWHERE = {"load", "demo", "restore"}


def commands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def test_every_command_is_classified_as_a_write_or_a_read() -> None:
    assert commands() == READ_ONLY_COMMANDS | set(WRITE_COMMANDS) | WRITES_COVERED_ELSEWHERE


@pytest.mark.parametrize("name", sorted(WRITE_COMMANDS))
def test_a_write_command_records_an_audit_entry(capsys, tmp_path, monkeypatch, name: str) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-enough-password-42\n"))
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    code = main(WRITE_COMMANDS[name](tmp_path))
    assert code == 0, capsys.readouterr()
    entries = AuditEntry.objects.filter(id__gt=last, source="cli")
    assert entries.exists(), f"shinchoku {name}: no audit entry"
    assert all(e.actor for e in entries)


def test_the_sample_data_was_recorded_by_its_actor() -> None:
    """`shinchoku demo` (load_sample, which built this session's database) leaves its entry."""
    assert AuditEntry.objects.filter(action="load_sample", actor="demo").exists()
