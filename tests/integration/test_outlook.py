"""Warnings and forecasts on the fictional national sample, each checked against the raw history.

The checks read the raw rows (StatusSnapshot, SystemAttributes, DelayExplanation) with the ORM, independently
of shinchoku.outlook's own readers, and compare with the stored warnings.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shinchoku.domain.progress import FINAL_DEADLINE
from shinchoku.opendata import catalogue
from shinchoku.opendata.writers import write_csv
from shinchoku.outlook.models import Forecast, OutlookSummary, SystemWarning
from shinchoku.outlook.warning_rules import KINDS, add_months
from shinchoku.progress.models import DelayExplanation, Month, StatusSnapshot, System, SystemAttributes
from tests.integration.cells import set_cell

pytestmark = pytest.mark.django_db

LATEST = date(2026, 10, 31)
STALL = 3


def months() -> list[date]:
    return list(Month.objects.order_by("as_of").values_list("as_of", flat=True))


# --- the raw history, read independently ------------------------------------------------------------------


def snapshots(system_id: int) -> list[tuple[date, str, int | None]]:
    return list(
        StatusSnapshot.objects.filter(system_id=system_id)
        .order_by("as_of")
        .values_list("as_of", "codes", "published_done")
    )


def effective(rows: list, month: date):
    found = [r for r in rows if r[0] <= month]
    return found[-1] if found else None


def done(row) -> int:
    return row[1].count("C") + row[1].count("X") if row[1] else row[2] or 0


def finished(row) -> bool:
    return (row[1][39] == "C" or done(row) == 40) if row[1] else done(row) >= 40


def attributes(system_id: int, month: date) -> tuple[bool, date | None]:
    row = SystemAttributes.objects.filter(system_id=system_id, as_of__lte=month).order_by("-as_of").first()
    return (row.special_support, row.planned_completion) if row else (False, None)


def raw_kinds(system_id: int, month: date) -> set[str]:
    """The kinds a system should have at a month, from its raw rows."""
    rows = snapshots(system_id)
    current = effective(rows, month)
    if current is None:
        return set()
    special, planned = attributes(system_id, month)
    kinds: set[str] = set()
    if not finished(current) and month > FINAL_DEADLINE and not special:
        kinds.add("overdue")
    if not finished(current) and special and planned is not None and month > planned:
        kinds.add("special_overdue")
    start = add_months(month, -STALL)
    before = effective(rows, start)
    window = [before, *[r for r in rows if start < r[0] <= month]] if before else []

    def same(a, b) -> bool:
        return a[1] == b[1] if a[1] and b[1] else done(a) == done(b)

    if window and all(same(a, b) for a, b in itertools.pairwise(window)) and not finished(current):
        kinds.add("stalled")
    earlier = [r for r in rows if r[0] < current[0]]
    if current[1]:
        if any(current[1][i] in "PN" and any(r[1] and r[1][i] == "C" for r in earlier) for i in range(40)):
            kinds.add("regression")
    elif any(done(r) > done(current) for r in earlier):
        kinds.add("regression")
    late = kinds & {"overdue", "special_overdue"}
    if late and not DelayExplanation.objects.filter(system_id=system_id, as_of__lte=month).exists():
        kinds.add("unexplained")
    return kinds


def stored_kinds(system_id: int, month: date) -> set[str]:
    return set(SystemWarning.objects.filter(system_id=system_id, month_id=month).values_list("kind", flat=True))


# --- every kind occurs, and each one is what the raw history says -----------------------------------------


@pytest.mark.national
def test_every_kind_occurs_on_the_national_sample():
    found = set(SystemWarning.objects.values_list("kind", flat=True).distinct())
    assert found == set(KINDS)
    latest = set(SystemWarning.objects.filter(month_id=LATEST).values_list("kind", flat=True).distinct())
    assert latest == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_agrees_with_the_raw_history(kind):
    for month in (date(2026, 4, 30), date(2026, 7, 31), LATEST):
        ids = list(
            SystemWarning.objects.filter(month_id=month, kind=kind)
            .order_by("system_id")
            .values_list("system_id", flat=True)[:15]
        )
        for sid in ids:
            assert kind in raw_kinds(sid, month), (kind, sid, month)
    assert SystemWarning.objects.filter(kind=kind).exists()


SYSTEM_IDS = st.integers(min_value=0, max_value=34_000)
MONTHS = st.integers(min_value=0, max_value=42)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(SYSTEM_IDS, MONTHS)
def test_a_system_has_a_warning_iff_its_raw_history_says_so(index, month_index):
    """Property: for any system and month, the stored kinds are exactly those the raw rows give (stalled iff
    the statuses did not change in the window while not finished, and so on)."""
    ids = list(System.objects.filter(organization__is_practice=False).order_by("id").values_list("id", flat=True))
    sid = ids[index % len(ids)]
    month = months()[month_index]
    assert stored_kinds(sid, month) == raw_kinds(sid, month)


def test_stalled_systems_of_a_month_are_exactly_those_unchanged_in_the_window():
    """Over one prefecture and month, stalled ⇔ no row with different statuses in the 3 months."""
    month = date(2026, 1, 31)
    systems = list(System.objects.filter(organization__prefecture_code="04").values_list("id", flat=True))
    stored = set(
        SystemWarning.objects.filter(month_id=month, kind="stalled", system_id__in=systems).values_list(
            "system_id", flat=True
        )
    )
    expected = {sid for sid in systems if "stalled" in raw_kinds(sid, month)}
    assert stored == expected and stored


# --- counts: the page, the API and the open data file agree ------------------------------------------------


def _page_counts(html: str) -> dict[str, int]:
    return {k: int(n.replace(",", "")) for k, n in re.findall(r'data-kind="(\w+)">([\d,]+)<', html)}


def test_counts_on_the_page_equal_the_api_and_the_open_data_file(client):
    html = client.get("/warnings").content.decode()
    page = _page_counts(html)
    api = client.get("/api/v1/warnings/summary").json()
    table = catalogue.SPECS["warnings"].build(LATEST, True)
    buf = io.StringIO()
    write_csv(table, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue().lstrip("\ufeff"))))
    from_file = {k: sum(1 for r in rows if r["警告の種類（記号）"] == k) for k in KINDS}
    assert page == api["by_kind"] == from_file
    assert sum(page.values()) == api["total"] == len(rows) == SystemWarning.objects.filter(month_id=LATEST).count()
    listed = client.get("/api/v1/warnings?limit=0")
    assert int(listed["X-Total-Count"]) == api["total"]
    # one prefecture, one kind
    pref_html = client.get("/warnings?pref=04").content.decode()
    assert _page_counts(pref_html) == {k: api["by_prefecture"].get("04", {}).get(k, 0) for k in KINDS}
    response = client.get("/api/v1/warnings?prefecture=04&kind=stalled&limit=5")
    items = response.json()
    assert int(response["X-Total-Count"]) == api["by_prefecture"]["04"]["stalled"]
    assert len(items) == 5 and {i["kind"] for i in items} == {"stalled"} and all(i["code"][:2] == "04" for i in items)
    assert {"code", "name", "system", "business", "kind", "since", "detail"} <= set(items[0])
    assert items[0]["sample_data"] is True and re.fullmatch(r"\d{6}", items[0]["code"])
    pref_rows = [r for r in rows if r["都道府県コード"] == "04"]
    assert len(pref_rows) == sum(api["by_prefecture"]["04"].values())


def test_api_pages_through_the_warnings_in_a_stable_order(client):
    first = client.get("/api/v1/warnings?kind=overdue&limit=10").json()
    second = client.get("/api/v1/warnings?kind=overdue&limit=10&offset=10").json()
    both = client.get("/api/v1/warnings?kind=overdue&limit=20").json()
    assert first + second == both


def test_api_refuses_an_unknown_kind_and_prefecture(client):
    assert client.get("/api/v1/warnings?kind=late").status_code in (400, 422)
    assert client.get("/api/v1/warnings?prefecture=99").status_code == 400


def test_a_past_month_has_its_own_warnings(client):
    html = client.get("/warnings?as_of=2026-01").content.decode()
    assert "期限超過はありません" in html
    assert _page_counts(html)["overdue"] == 0
    assert client.get("/api/v1/warnings/summary?as_of=2026-01").json()["by_kind"]["overdue"] == 0


# --- pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/warnings", "/warnings?kind=stalled&pref=13", "/forecast", "/forecast?pref=04"])
def test_outlook_pages_read_precomputed_rows_only(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "架空のサンプルデータ" in html and 'id="page-summary"' in html and html.count("<h1") == 1
    sql = [q["sql"].lower() for q in queries]
    assert not [q for q in sql if "statussnapshot" in q or "systemattributes" in q]
    assert len(queries) <= 15, [q[:100] for q in sql]


def test_warnings_page_pages_without_javascript(client):
    html = client.get("/warnings?kind=stalled").content.decode()
    assert 'rel="next"' in html and "1／" in html
    second = client.get("/warnings?kind=stalled&page=2").content.decode()
    assert 'rel="prev"' in second and "2／" in second


def test_organization_page_lists_its_own_warnings_and_forecast(client):
    warning = (
        SystemWarning.objects.filter(month_id=LATEST, kind="special_overdue").select_related("organization").first()
    )
    html = client.get(f"/organizations/{warning.organization_id}").content.decode()
    section = html.split('id="outlook-heading"')[1].split("</section>")[0]
    own = SystemWarning.objects.filter(month_id=LATEST, organization_id=warning.organization_id).count()
    assert f"・{own}件）" in section
    assert warning.detail in section
    assert "このままのペースなら" in section or "見通せません" in section or "完了しています" in section
    assert "特定移行支援の指定の推移" in section


@pytest.mark.national
def test_forecast_page_explains_the_method_and_reports_the_backtest_as_fictional(client):
    html = client.get("/forecast").content.decode()
    assert "このままのペースなら" in html and "見通せません" in html
    assert "計算方法" in html and "過去のデータでの検証" in html
    assert "架空のサンプルデータで計算したもの" in html
    assert html.count("<tr>") > 47
    bt = OutlookSummary.objects.get(month_id=LATEST, scope="backtest").data["organizations"]
    assert bt["units"] == 1788 and bt["rate_mae"] is not None
    assert f"{bt['rate_mae'] * 100:.1f}ポイント" in html


@pytest.mark.national
def test_forecasts_exist_for_every_organization_prefecture_and_the_nation():
    rows = Forecast.objects.filter(month_id=LATEST)
    assert rows.filter(scope="organization").count() == 1788
    assert rows.filter(scope="prefecture").count() == 47
    nation = rows.get(scope="nation")
    assert nation.status == "forecast" and nation.forecast_month > LATEST
    assert nation.earliest <= nation.forecast_month and (
        nation.latest is None or nation.forecast_month <= nation.latest
    )
    # the first months of the sample have no 6 months of history
    assert Forecast.objects.get(month_id=date(2023, 6, 30), scope="nation").status == "no_history"


@pytest.mark.national
def test_api_forecasts(client):
    data = client.get("/api/v1/forecasts?prefecture=04").json()
    assert data["sample_data"] is True and data["nation"]["text"]
    assert len(data["prefectures"]) == 47 and all(o["key"].startswith("04") for o in data["organizations"])
    assert len(data["organizations"]) == 36  # 35 市町村 and 宮城県 itself


@pytest.mark.national
def test_special_support_page_shows_the_designation_timeline(client):
    html = client.get("/special-support").content.decode()
    assert "一覧の推移" in html and "指定が変わった月ごと" in html.replace(
        "指定や移行完了予定が変わった月ごと", "指定が変わった月ごと"
    )
    assert "移行完了予定が後ろにずれた" in html and "時点ごとの、移行完了予定の年度別のシステム数" in html
    assert "移行完了予定を過ぎても運用を開始していない特定移行支援システム" in html


# --- recomputed when data changes -------------------------------------------------------------------------


def test_a_step_set_back_in_a_published_month_becomes_a_regression():
    from shinchoku.domain.status import Status

    candidates = StatusSnapshot.objects.filter(codes="C" * 40).order_by("system_id").values_list("system_id", flat=True)
    sid = next(s for s in candidates[:500] if snapshots(s)[-1][1] == "C" * 40 and not stored_kinds(s, LATEST))
    system = System.objects.get(pk=sid)
    set_cell(system, LATEST, 35, Status.IN_PROGRESS)
    warning = SystemWarning.objects.get(system_id=sid, month_id=LATEST, kind="regression")
    assert warning.since == LATEST and warning.evidence["steps"] == [35]
    assert "作業ステップ35" in warning.detail
    counts = OutlookSummary.objects.get(month_id=LATEST, scope="warnings").data
    assert counts["by_kind"]["regression"] == SystemWarning.objects.filter(month_id=LATEST, kind="regression").count()


def test_a_delay_explanation_clears_unexplained_for_that_system_only():
    from shinchoku.accounts.actor import Actor
    from shinchoku.progress.services import delay_save
    from tests.integration.test_staff_helpers import make_user

    warning = SystemWarning.objects.filter(month_id=LATEST, kind="unexplained").order_by("system_id").first()
    system = System.objects.select_related("organization").get(pk=warning.system_id)
    before = OutlookSummary.objects.get(month_id=LATEST, scope="warnings").data
    others = SystemWarning.objects.filter(month_id=LATEST).exclude(system_id=system.pk).count()
    values = {"department": "情報政策課", "expected_completion": "令和9年3月", "reason": "事業者の提供時期のため。"}
    delay_save(actor=Actor.of(make_user("op", "operator"), "test"), system=system, as_of=LATEST, values=values)
    assert stored_kinds(system.pk, LATEST) == raw_kinds(system.pk, LATEST)
    assert "unexplained" not in stored_kinds(system.pk, LATEST)
    assert stored_kinds(system.pk, LATEST) & {"overdue", "special_overdue"}
    after = OutlookSummary.objects.get(month_id=LATEST, scope="warnings").data
    assert after["by_kind"]["unexplained"] == before["by_kind"]["unexplained"] - 1
    assert after["total"] == before["total"] - 1
    assert SystemWarning.objects.filter(month_id=LATEST).exclude(system_id=system.pk).count() == others
