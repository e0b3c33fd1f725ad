"""The audit page reads as Japanese sentences: step numbers with names, 「完了済み → 作業中」, the file of an import."""

from __future__ import annotations

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.domain.status import Status
from shinchoku.imports.services import ImportOptions, file_import
from shinchoku.progress import services
from shinchoku.progress.models import System
from shinchoku.progress.selectors import effective_snapshots
from shinchoku.reference.models import NationalStep
from tests.integration.test_staff_helpers import LATEST, A, long_csv, make_user, system_of

pytestmark = pytest.mark.django_db


def test_a_status_change_reads_with_the_step_name_and_the_old_status(client):
    user = make_user("ishinomaki", "municipality", A)
    systems = list(System.objects.filter(organization_id=A))
    effective = effective_snapshots(systems, LATEST)
    system = next(s for s in systems if s.pk in effective and "C" in effective[s.pk].codes)
    step = effective[system.pk].codes.index("C") + 1
    services.status_set(
        actor=Actor.of(user, "ui"), system=system, as_of=LATEST, step=str(step), status=Status.IN_PROGRESS, version=None
    )
    entry = AuditEntry.objects.filter(action="set_status", actor="ishinomaki").latest("id")
    assert entry.before["status"] == "completed" and entry.after["step"] == str(step)
    national = NationalStep.objects.get(number=step)
    client.force_login(user)
    html = client.get("/staff/audit/").content.decode()
    sentence = f"{system.name} 2026年10月 {national.item_number}「{national.name}」：完了済み → 作業中"
    assert sentence in html
    assert "状態の変更" in html and "職員用画面" in html
    assert "set_status" not in html and "{&#x27;" not in html and "ステップ " not in html


def test_an_import_reads_with_its_file_name(client):
    user = make_user("ishinomaki", "municipality", A)
    system = system_of(A)
    outcome = file_import(
        actor=Actor.of(user, "ui"),
        data=long_csv(A, system.name, "2", "作業中"),
        options=ImportOptions(actor="", file_name="石巻市_10月.csv", format="long", source="ui"),
    )
    assert outcome.ok
    client.force_login(user)
    html = client.get("/staff/audit/").content.decode()
    assert "ファイルの取り込み" in html and "ファイル「石巻市_10月.csv（取り込み記録" in html
    assert "import</td>" not in html


def test_an_old_entry_without_the_step_key_still_names_the_step(client):
    from shinchoku.accounts.audit import record

    record(
        actor="x",
        source="api",
        action="set_status",
        organization_code=A,
        target="住民記録 / ステップ 39 / 2026-10",
        before={"version": 1},
        after={"status": "completed", "version": 2},
    )
    client.force_login(make_user("op", "operator"))
    html = client.get("/staff/audit/").content.decode()
    step = NationalStep.objects.get(number=39)
    assert f"住民記録 2026年10月 {step.item_number}「{step.name}」：（変更前の状態の記録なし）→ 完了済み" in html
