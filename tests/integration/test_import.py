"""Importing progress reports: three formats, all-or-nothing, idempotent, dry run, history, records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from shinchoku.cli import main
from shinchoku.imports.models import ImportRecord
from shinchoku.progress import selectors
from shinchoku.progress.models import OrganizationRollup, OwnStep, StatusSnapshot, System
from shinchoku.reference.models import NationalStep
from tests.integration.dbstate import content_digest

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 31)
LATEST = date(2026, 10, 31)


def headings() -> list[str]:
    return [f"{s.item_number} {s.name}" for s in NationalStep.objects.order_by("number")]


def soumu_workbook(path: Path, rows: list[list[str]], title: str = "進捗状況（令和8年1月末時点）") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "業務別ステップ別進捗一覧"
    ws.append([title])
    ws.append([])
    ws.append(["都道府県名", "市区町村名", "業務名", *headings()])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_soumu_workbook_matches_names_aliases_duplicates_and_prefecture_rows(tmp_path, capsys):
    done = ["完了済み"] * 40
    path = soumu_workbook(
        tmp_path / "soumu.xlsx",
        [
            ["東京都", "府中市", "住民記録", *done],
            ["広島県", "府中市", "戸籍附票", *(["未"] * 40)],
            ["高知県", "檮原町", "住民基本台帳", *(["作業中"] * 40)],
            ["宮城県", "-", "生活保護", *(["対象外"] * 40)],
            ["北海道", "伊達市", "国民年金", *done],
        ],
    )
    code, out, err = run(capsys, "import", str(path), "--actor", "tester")
    assert code == 0, err
    assert "取り込みました" in out

    def codes(org: str, business: int) -> str:
        return StatusSnapshot.objects.get(system__organization_id=org, system__business_id=business, as_of=JAN).codes

    assert codes("132063", 1) == "C" * 40
    assert codes("342084", 3) == "N" * 40
    assert codes("394050", 1) == "P" * 40
    assert codes("040002", 15) == "X" * 40
    assert codes("012335", 20) == "C" * 40
    record = ImportRecord.objects.latest("id")
    assert (record.status, record.actor, record.format, record.as_of) == ("applied", "tester", "soumu", JAN)
    assert len(record.sha256) == 64


def test_long_csv_in_cp932_imports_with_own_steps_and_registered_extra_systems(tmp_path, capsys):
    text = (
        "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日,作業ステップ名\n"
        "42021,住民基本台帳,1,完了,2026-10-31,\n"
        "042021,統合収納管理,12,対象外,R8.10.31,\n"
        "042021,住民基本台帳,独自5,完了済み,2026/10/31,移行後の振り返り\n"
    )
    path = tmp_path / "long.csv"
    path.write_bytes(text.encode("cp932"))
    code, _, err = run(capsys, "import", str(path))
    assert code == 0, err
    assert OwnStep.objects.get(organization_id="042021", number=5).name == "移行後の振り返り"
    snap = StatusSnapshot.objects.get(system__organization_id="042021", system__name="統合収納管理", as_of=LATEST)
    assert snap.codes[11] == "X"
    progress = selectors.organization_progress(code="042021", as_of=LATEST)
    first = next(s for s in progress["systems"] if s["name"] == "住民基本台帳")
    assert {"step": "独自5", "status": "completed"}.items() <= next(
        st for st in first["steps"] if st["step"] == "独自5"
    ).items()


def test_an_unregistered_extra_system_is_refused_unless_allowed(tmp_path, capsys):
    path = tmp_path / "new.csv"
    path.write_text(
        "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n011002,統合収納管理システム,1,完了済み,2026-10-31\n",
        encoding="utf-8-sig",
    )
    before = content_digest()
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "登録されていません" in err
    assert content_digest() == before
    code, _, err = run(capsys, "import", str(path), "--allow-new-systems")
    assert code == 0, err
    assert System.objects.filter(organization_id="011002", name="統合収納管理システム").exists()


def test_matrix_sheet_for_one_organization(tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["作業ステップ", "住民基本台帳", "個人住民税"])
    for n in range(1, 41):
        ws.append([n, "●", "◐" if n > 20 else "●"])
    ws.append(["独自1", "●", "×"])
    path = tmp_path / "ishinomaki.xlsx"
    wb.save(path)
    code, _, err = run(capsys, "import", str(path), "--org", "042021", "--as-of", "2026-10-31")
    assert code == 0, err
    snap = StatusSnapshot.objects.get(system__organization_id="042021", system__business_id=5, as_of=LATEST)
    assert snap.codes == "C" * 20 + "P" * 20
    assert snap.own_codes[0] == "X"


@pytest.mark.parametrize(
    ("line", "column", "needle"),
    [
        ("042022,住民基本台帳,1,完了済み,2026-10-31", "全国地方公共団体コード", "チェックディジット"),
        ("042021,住民基本台帳,1,未着,2026-10-31", "状態", "未着手"),
        ("999999,住民基本台帳,1,完了済み,2026-10-31", "全国地方公共団体コード", "団体"),
        ("042021,住民基本台帳,41,完了済み,2026-10-31", "作業ステップ", "作業ステップ"),
        ("042021,住民基本台帳,独自0,完了済み,2026-10-31", "作業ステップ", "作業ステップ"),
    ],
)
def test_one_bad_row_rejects_the_file_names_row_and_column_and_writes_nothing(tmp_path, capsys, line, column, needle):
    path = tmp_path / "bad.csv"
    path.write_text(
        "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n"
        "042021,住民基本台帳,2,完了済み,2026-10-31\n" + line + "\n",
        encoding="utf-8",
    )
    before = content_digest()
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "3行目" in err
    assert column in err
    assert needle in err
    assert content_digest() == before
    record = ImportRecord.objects.latest("id")
    assert record.status == "rejected" and record.errors


def test_unknown_organization_in_the_workbook_is_an_error_with_a_suggestion(tmp_path, capsys):
    path = soumu_workbook(tmp_path / "s.xlsx", [["宮城県", "石巻氏", "住民記録", *(["完了済み"] * 40)]])
    before = content_digest()
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "石巻市" in err
    assert content_digest() == before


def test_reimporting_the_same_file_reports_no_changes_and_adds_no_history(tmp_path, capsys):
    path = soumu_workbook(tmp_path / "s.xlsx", [["宮城県", "石巻市", "住民記録", *(["作業中"] * 40)]])
    assert run(capsys, "import", str(path))[0] == 0
    rows = StatusSnapshot.objects.count()
    code, out, _ = run(capsys, "import", str(path))
    assert code == 0
    assert "変更されたセル 0 件" in out
    assert StatusSnapshot.objects.count() == rows
    assert ImportRecord.objects.latest("id").counts["cells_changed"] == 0


def test_dry_run_reports_the_changes_and_writes_nothing(tmp_path, capsys):
    path = soumu_workbook(tmp_path / "s.xlsx", [["宮城県", "石巻市", "住民記録", *(["未着手"] * 40)]])
    before = content_digest()
    records = ImportRecord.objects.count()
    code, out, _ = run(capsys, "import", str(path), "--dry-run")
    assert code == 0
    assert "確認のみ" in out
    assert "→未着手" in out
    assert content_digest() == before
    assert ImportRecord.objects.count() == records


def test_an_older_month_imported_after_a_newer_one_keeps_history_right(tmp_path, capsys):
    system = System.objects.get(organization_id="042021", business_id=1)
    later = StatusSnapshot.objects.filter(system=system, as_of__gt=date(2024, 1, 31)).order_by("as_of").first()
    path = soumu_workbook(
        tmp_path / "old.xlsx", [["宮城県", "石巻市", "住民記録", *(["対象外"] * 40)]], title="令和6年1月末時点"
    )
    assert run(capsys, "import", str(path))[0] == 0
    assert StatusSnapshot.objects.get(system=system, as_of=date(2024, 1, 31)).codes == "X" * 40
    assert StatusSnapshot.objects.get(pk=later.pk).codes == later.codes  # a later report is untouched
    at_latest = selectors.organization_progress(code="042021", as_of=LATEST)
    assert next(s for s in at_latest["systems"] if s["name"] == "住民基本台帳")["counts"]["not_applicable"] < 40


def test_rollups_show_the_new_numbers_at_once(tmp_path, capsys):
    path = soumu_workbook(
        tmp_path / "s.xlsx", [["宮城県", "石巻市", "住民記録", *(["完了済み"] * 40)]], title="令和8年10月末時点"
    )
    before = OrganizationRollup.objects.get(organization_id="042021", as_of=LATEST).completion_rate
    assert run(capsys, "import", str(path))[0] == 0
    after = OrganizationRollup.objects.get(organization_id="042021", as_of=LATEST).completion_rate
    assert after >= before
    api = selectors.organization_progress(code="042021", as_of=LATEST)["summary"]["completion_rate"]
    assert api == pytest.approx(after, abs=1e-6)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, capsys, settings):
    settings.SHINCHOKU_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2000)
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "大きすぎます" in err


def test_imports_lists_the_records(tmp_path, capsys):
    path = soumu_workbook(tmp_path / "listed.xlsx", [["宮城県", "石巻市", "住民記録", *(["完了済み"] * 40)]])
    run(capsys, "import", str(path))
    code, out, _ = run(capsys, "imports")
    assert code == 0
    assert "listed.xlsx" in out


def test_own_steps_with_gaps_are_matched_by_number(tmp_path, capsys):
    path = tmp_path / "own.csv"
    path.write_text(
        "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日,作業ステップ名\n"
        "011002,住民基本台帳,独自3,完了済み,2026-10-31,庁内説明会\n",
        encoding="utf-8",
    )
    assert run(capsys, "import", str(path))[0] == 0
    progress = selectors.organization_progress(code="011002", as_of=LATEST)
    system = next(s for s in progress["systems"] if s["name"] == "住民基本台帳")
    own = [st for st in system["steps"] if st["step"].startswith("独自")]
    assert [(st["step"], st["status"]) for st in own] == [("独自3", "completed")]
    assert progress["summary"]["own_steps"] == 1
    rollup = OrganizationRollup.objects.get(organization_id="011002", as_of=LATEST)
    assert (rollup.own_steps, rollup.own_completed) == (1, 1)
    assert rollup.own_not_started == progress["summary"]["systems"] - 1


def test_a_cli_import_leaves_one_compact_audit_entry_per_organization(tmp_path, capsys):
    from shinchoku.accounts.models import AuditEntry

    path = soumu_workbook(
        tmp_path / "two.xlsx",
        [["宮城県", "石巻市", "住民記録", *(["完了済み"] * 40)], ["東京都", "府中市", "住民記録", *(["作業中"] * 40)]],
    )
    assert run(capsys, "import", str(path), "--actor", "auditor")[0] == 0
    entries = AuditEntry.objects.filter(action="import", actor="auditor")
    assert sorted(entries.values_list("organization_code", flat=True)) == ["042021", "132063"]
    assert all(set(e.after) <= {"cells_changed", "transitions", "months", "regressions"} for e in entries)
