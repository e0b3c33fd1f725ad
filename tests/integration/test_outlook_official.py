"""Warnings, forecasts and the 特定移行支援 timeline on real data: 総務省's 2026-01 rates (rate-only months),
デジタル庁's 2025-12 list and a later, shorter list, and a later month of rates built from the official file.

Rate-only systems get only what their published 完了率 allows: never a step-based warning. The module empties the
session's sample inside a transaction (rolled back at the end), as tests/integration/test_official_data.py does.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import transaction

from shinchoku.imports.services import import_file
from shinchoku.outlook.models import Forecast, OutlookSummary, SystemWarning
from shinchoku.progress.attributes import attributes_at, write_attributes
from shinchoku.progress.models import SpecialSupportEntry, System
from shinchoku.reference.official import OFFICIAL_DIR, SOUMU
from tests.integration.test_official_data import empty_progress_data, operator_options
from tests.official_files import digital_list, read_official, soumu_workbook

JANUARY, MARCH, MAY = date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)
LOWERED = "011002"  # 札幌市: its 住民基本台帳 rate falls in the later month


def later_rates() -> bytes:
    """The official rates CSV as if published again for 2026-05 (unchanged but one lowered rate)."""
    with (OFFICIAL_DIR / "soumu_municipal_business_rates_2026-01.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for r in rows:
        r["基準日"] = MAY.isoformat()
        if r["全国地方公共団体コード"] == LOWERED:
            r["住民基本台帳"] = "0.6"
        writer.writerow(r)
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture(scope="module")
def real(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        empty_progress_data()
        soumu = import_file(soumu_workbook(), operator_options("進捗状況.xlsx", publish=True))
        assert soumu.status == "applied", [p.format() for p in soumu.errors]
        first = import_file(digital_list(), operator_options("list-2025-12.xlsx"))
        assert first.status == "applied", [p.format() for p in first.errors]
        # 団体 report planned completions (the lists have none); two of them later move back a year
        systems = _designated_in_both()
        december = date(2025, 12, 31)
        for sid in systems:
            current = attributes_at(december, [sid])[sid]
            assert current.special_support
            write_attributes(
                sid, december, current.changed(planned_completion=date(2027, 3, 31)), actor="t", source="t"
            )
        later = import_file(
            digital_list(rows=read_official("digital_special_support_2025-12.csv")[:10], title_date="令和8年3月末時点"),
            operator_options("list-2026-03.xlsx"),
        )
        assert later.status == "applied", [p.format() for p in later.errors]
        for sid in systems[:2]:
            current = attributes_at(MARCH, [sid])[sid]
            write_attributes(sid, MARCH, current.changed(planned_completion=date(2028, 3, 31)), actor="t", source="t")
        source = {**SOUMU, "edition": "令和8年5月（試験用に作った月）"}
        may = import_file(later_rates(), operator_options("rates-2026-05.csv", publish=True, official_source=source))
        assert may.status == "applied", [p.format() for p in may.errors]
        yield {"systems": systems}
        transaction.set_rollback(True)


def _designated_in_both() -> list[int]:
    codes = [r["全国地方公共団体コード"] for r in read_official("digital_special_support_2025-12.csv")[:10]]
    entries = SpecialSupportEntry.objects.filter(organization_id__in=codes, business__isnull=False).order_by(
        "organization_id", "business_id"
    )[:3]
    return [System.objects.get(organization_id=e.organization_id, business_id=e.business_id).pk for e in entries]


@pytest.mark.django_db
def test_january_alone_gives_no_warning_and_says_why(real, client):
    html = client.get("/warnings?as_of=2026-01").content.decode()
    assert "出典：総務省" in html and "架空" not in html
    assert "総務省の公表は業務ごとの完了率のみ" in html
    assert "この月の警告はありません" in html
    assert not SystemWarning.objects.filter(month_id=JANUARY).exists()
    assert Forecast.objects.get(month_id=JANUARY, scope="nation").status == "no_history"
    assert "見通せません" in client.get("/forecast?as_of=2026-01").content.decode()


@pytest.mark.django_db
def test_rate_only_systems_get_only_what_the_rate_allows(real, client):
    rows = SystemWarning.objects.filter(month_id=MAY).exclude(organization__kind="都道府県")
    assert rows.exists()
    assert set(rows.values_list("basis", flat=True)) == {"published_rate"}
    assert set(rows.values_list("kind", flat=True)) <= {"overdue", "stalled", "regression", "unexplained"}
    assert not any("steps" in e for e in rows.values_list("evidence", flat=True))
    assert not rows.filter(detail__contains="作業ステップ").exists()  # never a claim about a step
    stalled = rows.filter(kind="stalled").first()
    assert stalled is not None and stalled.since == JANUARY and "公表された完了率が変わっていません" in stalled.detail
    overdue = rows.filter(kind="overdue").first()
    assert overdue is not None and "公表された完了率が100%に達していません" in overdue.detail
    fallen = rows.get(kind="regression", organization_id=LOWERED)
    assert fallen.evidence == {"done": 24, "peak": 26} and fallen.since == MAY
    # the prefectures' own systems do have step statuses (総務省's step sheet): those warnings rest on steps
    own = SystemWarning.objects.filter(month_id=MAY, organization__kind="都道府県")
    assert set(own.values_list("basis", flat=True)) <= {"steps"}


@pytest.mark.django_db
def test_warnings_page_and_api_work_with_rate_only_months(real, client):
    html = client.get("/warnings").content.decode()
    assert "出典：総務省" in html and "架空" not in html
    assert "完了率でわかる警告" in html
    api = client.get("/api/v1/warnings/summary").json()
    assert api["sample_data"] is False and api["source"].startswith("出典：総務省")
    assert api["rate_only_systems"] == 34820 and api["by_kind"]["special_overdue"] == 0
    items = client.get("/api/v1/warnings?kind=regression").json()
    assert any(i["code"] == LOWERED and i["basis"] == "published_rate" for i in items)


@pytest.mark.django_db
def test_special_support_shows_the_lists_over_time_with_slips(real, client):
    data = OutlookSummary.objects.get(month_id=MAY, scope="special").data
    assert data["from_lists"] is True
    december, march = data["editions"]
    assert (december["organizations"], december["systems"]) == (935, 8956)
    assert december["added"] is None and march["removed"] > 0 and march["organizations"] == 10
    assert march["slipped"] == 2 and march["slipped_since_first"] == 2
    html = client.get("/special-support?as_of=2026-05").content.decode()
    assert "一覧の推移" in html and "デジタル庁が公表した一覧ごと" in html
    assert "2025年12月末" in html and "2026年3月末" in html
    assert "架空" not in html


@pytest.mark.django_db
def test_organization_page_shows_the_designation_history(real, client):
    sid = real["systems"][0]
    code = System.objects.get(pk=sid).organization_id
    html = client.get(f"/organizations/{code}?as_of=2026-05").content.decode()
    section = html.split('id="designation-heading"')[1].split("</section>")[0]
    assert "デジタル庁の一覧の時点ごと" in section
    assert "移行完了予定を変更：2027年3月31日 → 2028年3月31日" in section
