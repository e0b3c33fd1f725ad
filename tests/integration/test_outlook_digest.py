"""The prefecture digest (staff side): who may read it, what it holds, and its XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from shinchoku.outlook.models import SystemWarning
from tests.integration.test_staff_helpers import LATEST, A, P, make_user

pytestmark = pytest.mark.django_db

URL = "/staff/prefectures/04/digest"


def test_prefecture_staff_read_their_digest_with_every_municipality(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "宮城県 警告と見通しのダイジェスト" in html and "架空のサンプルデータ" in html
    total = SystemWarning.objects.filter(month_id=LATEST, prefecture_code="04").count()
    assert f"合計{total:,}件" in html
    assert "石巻市" in html and "仙台市" in html and "宮城県（自身のシステム）" in html
    assert "このままのペースなら" in html or "見通せません" in html
    assert 'media="print"' in html  # printable: its own print style sheet
    assert client.get("/staff/prefectures/").headers["Location"] == URL


def test_digest_xlsx_has_the_same_figures(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    response = client.get(URL + ".xlsx?as_of=2026-10")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('digest_04_2026-10_sample.xlsx"')
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["概要", "団体別", "警告"]
    warnings = list(wb["警告"].iter_rows(min_row=2, values_only=True))
    assert len(warnings) == SystemWarning.objects.filter(month_id=LATEST, prefecture_code="04").count()
    summary = {row[0]: row[1] for row in wb["概要"].iter_rows(values_only=True) if row and row[0]}
    assert summary["データ区分"] == "架空のサンプルデータ" and summary["合計"] == len(warnings)
    orgs = list(wb["団体別"].iter_rows(min_row=2, values_only=True))
    assert len(orgs) == 36 and sum(r[-1] for r in orgs) == len(warnings)


def test_an_earlier_month_can_be_chosen(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    html = client.get(URL + "?as_of=2026-01").content.decode()
    assert "2026年1月末" in html


def test_operators_read_any_prefecture_and_choose_one(client):
    client.force_login(make_user("op", "operator"))
    assert client.get("/staff/prefectures/13/digest").status_code == 200
    index = client.get("/staff/prefectures/")
    assert index.status_code == 200 and "/staff/prefectures/47/digest" in index.content.decode()


@pytest.mark.parametrize("url", [URL, URL + ".xlsx", "/staff/prefectures/"])
def test_municipality_staff_get_403(client, url):
    client.force_login(make_user("ishinomaki", "municipality", A))
    assert client.get(url).status_code == 403


def test_other_prefecture_staff_get_403_and_anonymous_must_log_in(client):
    assert client.get(URL).status_code == 302
    client.force_login(make_user("tokyo", "prefecture", "130001"))
    assert client.get(URL).status_code == 403
    assert client.get(URL + ".xlsx").status_code == 403
    assert client.get("/staff/prefectures/99/digest").status_code == 404
