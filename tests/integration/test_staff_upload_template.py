"""Uploads from a 団体's page: the pre-filled template re-uploads with 0 changes; a matrix with systems as rows
and no 団体コード or 基準日 inside is read with the page's 団体 and 基準月; the preview lists the changed cells and
flags a regression, which needs a reason; after applying, the page says the change is not public yet."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from shinchoku.accounts.models import AuditEntry
from shinchoku.progress.models import System
from shinchoku.progress.selectors import effective_snapshots
from shinchoku.reference.models import NationalStep
from tests.integration.test_staff_helpers import A, make_user

pytestmark = pytest.mark.django_db

OPEN = date(2026, 11, 30)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def muni(client, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    user = make_user("ishinomaki", "municipality", A)
    client.force_login(user)
    return user


def _upload(client, name: str, data: bytes, as_of: str = "2026-11"):
    f = SimpleUploadedFile(name, data, content_type=XLSX)
    return client.post(f"/staff/orgs/{A}/upload/", {"file": f, "format": "auto", "as_of": as_of})


def test_the_template_has_statuses_step_names_and_a_dropdown(client, muni):
    r = client.get(f"/staff/orgs/{A}/template.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith(f'progress_{A}_2026-11.xlsx"')
    ws = load_workbook(io.BytesIO(r.content))["進捗"]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    first = NationalStep.objects.get(number=1)
    assert header[0] == "対象システム" and header[1] == f"{first.item_number} {first.name}"
    validation = ws.data_validations.dataValidation[0]
    assert validation.type == "list" and "完了済み" in validation.formula1 and "対象外" in validation.formula1
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows and all(v in {"完了済み", "作業中", "未着手", "対象外"} for row in rows for v in row[1:41])


def test_the_template_uploaded_unchanged_changes_nothing(client, muni):
    data = client.get(f"/staff/orgs/{A}/template.xlsx").content
    r = _upload(client, "template.xlsx", data)
    assert r.status_code == 200, r.content.decode()[:3000]
    counts = r.context["outcome"].counts
    assert counts["cells_changed"] == 0 and counts["cells_reported"] > 0 and counts["months"] == ["2026-11-30"]
    r = client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": r.context["digest"]})
    assert r.status_code == 200 and r.context["outcome"].counts["cells_changed"] == 0


def test_a_rows_as_systems_matrix_without_code_or_date_uploads_and_flags_a_regression(client, muni):
    systems = list(System.objects.filter(organization_id=A))
    effective = effective_snapshots(systems, OPEN)
    system = next(x for x in systems if x.pk in effective and {"C", "N"} <= set(effective[x.pk].codes))
    current = effective[system.pk].codes
    done = current.index("C") + 1
    other = next(i for i, c in enumerate(current, start=1) if c == "N")
    steps = {s.number: s.item_number for s in NationalStep.objects.filter(number__in=[done, other])}
    wb = Workbook()
    ws = wb.active
    ws.append(["対象システム", steps[done], steps[other]])
    ws.append([system.name, "作業中", "作業中"])
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(client, "rows.xlsx", buf.getvalue())
    assert r.status_code == 200, r.content.decode()[:3000]
    html = r.content.decode()
    counts = r.context["outcome"].counts
    assert counts["cells_changed"] == 2 and counts["regressions"] == 1
    assert "完了済み → 作業中" in html and "未着手 → 作業中" in html and "後戻り" in html
    assert f"{steps[done]} " in html  # the step's number and name, not the bare key
    assert 'name="reason"' in html
    assert "--org" not in html and "--as-of" not in html
    digest = r.context["digest"]
    r = client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": digest})
    assert r.status_code == 400 and "後戻りの理由を入力してください" in r.content.decode()
    assert effective_snapshots([system], OPEN)[system.pk].codes == current  # nothing written
    r = client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": digest, "reason": "入力の誤りを訂正"})
    html = r.content.decode()
    assert r.status_code == 200 and "取り込みました" in html
    assert "まだ公開されていないため、この変更は公開ページには表示されません" in html
    new = effective_snapshots([system], OPEN)[system.pk].codes
    assert new[done - 1] == "P" and new[other - 1] == "P"
    entry = AuditEntry.objects.filter(action="import", organization_code=A).latest("id")
    assert entry.after["reason"] == "入力の誤りを訂正" and entry.after["regressions"] == 1


def test_the_upload_page_describes_the_format_and_links_the_template(client, muni):
    html = client.get(f"/staff/orgs/{A}/upload/").content.decode()
    assert "行が対象システム・列が作業ステップ" in html and f"/staff/orgs/{A}/template.xlsx?as_of=2026-11" in html
    assert 'value="2026-11"' in html  # the 基準月 field starts at the month being reported
    assert "（任意）（任意）" not in html and "縦持ち" not in html
