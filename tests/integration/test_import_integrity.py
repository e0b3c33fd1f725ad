"""An import is planned and applied under one lock, with its audit entries in its own transaction, and is
authorized for every 団体 its file names."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.imports.models import ImportRecord
from shinchoku.imports.services import ImportOptions, file_import, import_file
from shinchoku.procedures.models import ProcedureRollup, ProcedureStatus
from tests.integration.live import cli, cli_ok, scratch_env
from tests.integration.test_staff_helpers import A, C, make_user, state

pytestmark = pytest.mark.django_db

HEADER = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n"
NEW_MONTH = "2026-12-31"
# Imports one file; after planning it waits before writing, so a second import can try to plan meanwhile.
IMPORTER = textwrap.dedent(
    """
    import os, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinchoku.settings")
    import django
    django.setup()
    from shinchoku.accounts.actor import Actor
    from shinchoku.imports.services import ImportOptions, file_import

    def stage(message):
        if message.startswith("書き込んで"):
            time.sleep(float(sys.argv[2]))

    path = sys.argv[1]
    options = ImportOptions(actor="race", file_name=os.path.basename(path), on_stage=stage)
    outcome = file_import(actor=Actor.shell("race"), data=open(path, "rb").read(), options=options)
    print(outcome.status, [p.message for p in outcome.errors])
    sys.exit(0 if outcome.status == "applied" else 1)
    """
)


def test_two_imports_into_a_new_month_are_serialised_and_both_apply(tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    first.write_text(HEADER + "".join(f"042021,住民基本台帳,{n},完了済み,{NEW_MONTH}\n" for n in range(1, 21)))
    second.write_text(HEADER + "".join(f"042021,住民基本台帳,{n},作業中,{NEW_MONTH}\n" for n in range(21, 41)))
    script = tmp_path / "race.py"
    script.write_text(IMPORTER)
    with scratch_env(tmp_path) as env:
        cli_ok(env, "init")
        slow = subprocess.Popen(
            [sys.executable, str(script), str(first), "3"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(1.5)  # the second starts while the first, having planned, holds its writes
        fast = subprocess.run(
            [sys.executable, str(script), str(second), "0"], env=env, capture_output=True, text=True, timeout=120
        )
        out, err = slow.communicate(timeout=120)
        assert slow.returncode == 0, (out, err)
        assert fast.returncode == 0, (fast.stdout, fast.stderr)
        progress = cli(env, "progress", "042021", "--as-of", NEW_MONTH, "--json")
        assert progress.returncode == 0, progress.stderr
        system = next(s for s in json.loads(progress.stdout)["systems"] if s["name"] == "住民基本台帳")
        statuses = [st["status"] for st in system["steps"][:40]]
        # neither import lost the other's cells
        assert statuses == ["completed"] * 20 + ["in_progress"] * 20


def test_an_import_whose_audit_fails_writes_nothing() -> None:
    """The audit entries are written in the import's transaction: if they fail, the data is not applied."""
    before, records = state(), ImportRecord.objects.count()

    def broken_audit(_outcome: object) -> None:
        raise RuntimeError("audit trail unavailable")

    options = ImportOptions(actor="op", file_name="a.csv", audit=broken_audit)
    with pytest.raises(RuntimeError):
        import_file((HEADER + "042021,住民基本台帳,1,対象外,2026-10-31\n").encode(), options)
    assert state() == before and ImportRecord.objects.count() == records


def test_an_applied_import_and_its_audit_entries_commit_together(capsys) -> None:
    from shinchoku.cli import main

    path = Path(__file__).with_name("__audit_probe.csv")
    try:
        path.write_text(HEADER + "042021,住民基本台帳,2,対象外,2026-10-31\n", encoding="utf-8")
        assert main(["import", str(path), "--actor", "auditor-x"]) == 0
    finally:
        path.unlink(missing_ok=True)
    record = ImportRecord.objects.order_by("-id").first()
    assert record is not None and record.status == "applied"
    assert AuditEntry.objects.filter(
        action="import", actor="auditor-x", target__contains=f"取り込み記録 {record.pk}"
    ).exists()


def test_a_procedures_file_is_authorized_for_every_organisation_it_names() -> None:
    """A viewer's file that would change nothing is still refused: the file names 団体 it may not edit."""
    viewer = make_user("viewer-p", "viewer", A, password=False)
    codes = ProcedureStatus.objects.filter(organization_id=C).order_by("-as_of").first()
    assert codes is not None
    as_of = codes.as_of.isoformat()
    same = "".join(
        f"{C},{n},{'できる' if c == '1' else 'できない'},{as_of}\n"
        for n, c in enumerate(codes.codes, start=1)
        if c in "10"
    )
    data = ("全国地方公共団体コード,手続番号,オンライン対応,基準日\n" + same).encode()
    records = ImportRecord.objects.count()
    rollups = list(ProcedureRollup.objects.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(PermissionDenied):
        file_import(actor=Actor.of(viewer, "api"), data=data, options=ImportOptions(actor="", file_name="p.csv"))
    assert ImportRecord.objects.count() == records
    assert list(ProcedureRollup.objects.order_by("pk").values_list("pk", flat=True)) == rollups
