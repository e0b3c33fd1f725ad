"""Cost files through the import pipeline: bad rows named by row and column and nothing written, the hand-computed
ratio after an import, audit and import records, export → import round trip, the staff XLSX template, the CLI."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.cli import main
from shinchoku.costs import selectors, services
from shinchoku.costs.models import CloudRollup, CostLine, CostReport, CostRollup
from shinchoku.imports.models import ImportRecord
from shinchoku.imports.services import ImportOptions, file_import
from shinchoku.opendata.costs_tables import costs_table
from shinchoku.opendata.writers import csv_bytes
from shinchoku.progress.models import Month
from tests.integration.test_staff_helpers import LATEST, make_user

pytestmark = pytest.mark.django_db

HEADER = "全国地方公共団体コード,年度,区分,金額（千円）,対象システム,備考"
SHIRAOI = "015784"  # 北海道白老町: no sample costs (checked below)


def digest() -> str:
    """Every row of cost data and its rollups."""
    h = hashlib.sha256()
    for model in (CostReport, CostLine, CostRollup, CloudRollup):
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    return h.hexdigest()


def run(data: bytes, name: str = "costs.csv", **kw) -> object:
    return file_import(
        actor=Actor.shell("tester"), data=data, options=ImportOptions(actor="tester", file_name=name, **kw)
    )


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written():
    state, audits = digest(), AuditEntry.objects.count()
    text = (
        f"{HEADER}\n"
        "042021,2019,システム利用料・保守,1000,,\n"
        "042021,2019,人件費,1000,,\n"
        "042021,2020,回線費,-1,,\n"
        "042021,平成29年度,回線費,100,,\n"
        "042022,2019,回線費,100,,\n"
    )
    outcome = run(text.encode("cp932"), "bad.csv")
    assert outcome.status == "rejected" and outcome.format == "costs"
    assert [(p.row, p.column) for p in outcome.errors] == [
        (3, "C列（区分）"),
        (4, "D列（金額(千円)）"),
        (5, "B列（年度）"),
        (6, "A列（全国地方公共団体コード）"),
    ]
    messages = [p.format() for p in outcome.errors]
    assert "区分「人件費」はありません" in messages[0] and "入力できる値: システム利用料・保守" in messages[0]
    assert "マイナス" in messages[1] and "基準年度より前" in messages[2] and "チェックディジット" in messages[3]
    assert all(m.startswith("bad.csv ") for m in messages)
    assert digest() == state and AuditEntry.objects.count() == audits
    record = ImportRecord.objects.get(pk=outcome.record_id)
    assert (record.status, record.format, len(record.errors)) == ("rejected", "costs", 4)


def test_an_import_gives_the_hand_computed_ratio_with_its_record_and_audit(client):
    assert not CostReport.objects.filter(organization_id=SHIRAOI).exists()
    text = (
        f"{HEADER}\n"
        f"{SHIRAOI},平成30年度,システム利用料・保守,100000,,\n"
        f"{SHIRAOI},2018,回線費,20000,,\n"
        f"{SHIRAOI},R6年度,システム利用料・保守,150000,,\n"
        f"{SHIRAOI},R6年度,ガバメントクラウド利用料,60000,,\n"
        f"{SHIRAOI},R6年度,回線費,15000,,\n"
        f"{SHIRAOI},R6年度,運用支援・その他,5000,,\n"
        f"{SHIRAOI},R6年度,コメント,,,クラウドの利用料が加わりました\n"
    )
    outcome = run(text.encode(), as_of=LATEST)
    assert outcome.status == "applied", [p.format() for p in outcome.errors]
    assert outcome.counts["reports_written"] == 2 and outcome.counts["months"] == ["2026-10-31"]
    record = ImportRecord.objects.get(pk=outcome.record_id)
    assert (record.status, record.format, record.as_of) == ("applied", "costs", LATEST)
    assert AuditEntry.objects.filter(action="import", organization_code=SHIRAOI, actor="tester").exists()
    assert CostReport.objects.get(organization_id=SHIRAOI, fiscal_year=2024).source == f"import:{record.pk}"
    # (150,000 + 60,000 + 15,000 + 5,000) ÷ (100,000 + 20,000) = 230,000 ÷ 120,000 = 1.91666… → 1.9167
    body = client.get(f"/api/v1/organizations/{SHIRAOI}/costs").json()
    assert body["baseline_total"] == 120_000
    fy2024 = next(y for y in body["years"] if y["fiscal_year"] == 2024)
    assert fy2024["total"] == 230_000 and fy2024["ratio_to_baseline"] == 1.9167
    assert fy2024["by_category"] == {"system_usage": 150000, "gov_cloud": 60000, "network": 15000, "operations": 5000}
    assert fy2024["comment"] == "クラウドの利用料が加わりました"
    assert body["years"][0]["by_category"]["gov_cloud"] is None  # not reported for FY2018
    # the same file again changes nothing
    again = run(text.encode(), as_of=LATEST)
    assert again.status == "applied" and again.counts["cells_changed"] == 0 and again.organizations == []


def test_a_later_file_replaces_a_year_and_keeps_its_comment_unless_it_has_one():
    year = (SHIRAOI, 2024)
    run(f"{HEADER}\n{SHIRAOI},2024,回線費,10,,\n{SHIRAOI},2024,コメント,,,最初\n".encode(), as_of=LATEST)
    run(f"{HEADER}\n{SHIRAOI},2024,運用支援・その他,7,,\n".encode(), as_of=LATEST)
    report = services.reports_at([SHIRAOI], LATEST)[year]
    assert report.lines == (services.Line("operations", "", 7, ""),) and report.comment == "最初"
    assert report.total == 7


def test_comment_only_for_a_year_without_figures_is_refused():
    state = digest()
    outcome = run(f"{HEADER}\n{SHIRAOI},2023,コメント,,,説明だけ\n".encode(), as_of=LATEST)
    assert outcome.status == "rejected" and "コメントだけでは報告できません" in outcome.errors[0].message
    assert digest() == state


def test_export_then_import_round_trips():
    month = selectors.resolve_month(None)
    before = {k: (r.total, r.lines, r.comment) for k, r in services.reports_at(None, month).items() if r.total}
    assert len(before) > 100
    data = csv_bytes(costs_table(month, True))
    assert data.startswith(b"\xef\xbb\xbf\xe5\x85\xa8")  # BOM, then 全国地方公共団体コード
    dry = run(data, "costs_export.csv", dry_run=True, as_of=month)
    assert dry.status == "dry_run" and dry.counts["cells_changed"] == 0, [p.format() for p in dry.errors]
    # into a database without cost data: the same figures come back
    for model in (CostLine, CostReport, CostRollup):
        model.objects.all().delete()
    outcome = run(data, "costs_export.csv", as_of=month)
    assert outcome.status == "applied", [p.format() for p in outcome.errors]
    after = {k: (r.total, r.lines, r.comment) for k, r in services.reports_at(None, month).items() if r.total}
    assert after == before


def test_the_staff_template_is_filled_in_and_imports_back_unchanged(client):
    user = make_user("m-template", "municipality", "042021")
    client.force_login(user)
    r = client.get("/staff/orgs/042021/costs/template.xlsx?as_of=2026-10")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["運用経費", "記入方法"]
    rows = list(wb["運用経費"].iter_rows(values_only=True))
    assert rows[0][:5] == ("全国地方公共団体コード", "地方公共団体名", "年度", "区分", "金額（千円）")
    assert any(row[2] == 2018 and row[4] for row in rows[1:])  # 石巻市's sample figures are filled in
    dry = run(r.content, "template.xlsx", dry_run=True, as_of=LATEST)
    assert dry.status == "dry_run" and dry.counts["cells_changed"] == 0, [p.format() for p in dry.errors]
    assert [s["status"] for s in dry.counts["sheets"]] == ["read", "skipped"]
    assert client.get("/staff/orgs/041009/costs/template.xlsx").status_code == 403  # 仙台市 is not theirs


def test_the_staff_upload_previews_and_applies_a_cost_file(client, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    client.force_login(make_user("m-upload", "municipality", "042021"))
    text = f"{HEADER}\n042021,2019,回線費,4321,,\n".encode()
    f = SimpleUploadedFile("costs.csv", text, content_type="text/csv")
    r = client.post("/staff/orgs/042021/upload/", {"file": f, "format": "auto", "as_of": "2026-10"})
    assert r.status_code == 200 and "costs" in r.content.decode()
    assert services.reports_at(["042021"], LATEST)[("042021", 2019)].by_category()["network"] != 4321
    digest_value = hashlib.sha256(text).hexdigest()
    r = client.post("/staff/orgs/042021/upload/confirm/", {"digest": digest_value})
    assert r.status_code == 200 and "取り込みました" in r.content.decode()
    assert services.reports_at(["042021"], LATEST)[("042021", 2019)].lines == (services.Line("network", "", 4321),)
    # a file naming another 団体 is refused before anything is read into the database
    f = SimpleUploadedFile("other.csv", f"{HEADER}\n041009,2019,回線費,1,,\n".encode(), content_type="text/csv")
    assert client.post("/staff/orgs/042021/upload/", {"file": f, "format": "auto"}).status_code == 403


def test_cli_imports_and_exports_costs(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text(f"{HEADER}\n{SHIRAOI},2018,回線費,100,,\n{SHIRAOI},2025,回線費,80,,\n", encoding="utf-8")
    assert main(["import", str(path), "--format", "costs", "--as-of", "2026-10-31", "--actor", "cli"]) == 0
    assert capsys.readouterr().out
    out = tmp_path / "costs.csv"
    assert main(["export", "costs", "--format", "csv", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert f"{SHIRAOI},北海道白老町,2025,回線費,80,,,2026-10-31,架空のサンプルデータ" in text
    assert main(["export", "cost-summary", "--format", "json", "-o", str(tmp_path / "s.json")]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n{SHIRAOI},2016,回線費,1,,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(bad), "--actor", "cli"]) == 1
    assert "2行目" in capsys.readouterr().err


def test_a_new_report_month_is_created_unpublished_with_the_sample_label():
    later = date(2026, 11, 30)
    outcome = run(f"{HEADER}\n{SHIRAOI},2018,回線費,100,,\n".encode(), as_of=later)
    assert outcome.status == "applied"
    month = Month.objects.get(as_of=later)
    assert not month.published and month.sample_data
