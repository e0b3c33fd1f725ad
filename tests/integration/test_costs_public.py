"""Operating costs and the ガバメントクラウド in public: pages, API and open data agree; unpublished figures never show;
the staff form (audited, guarded); cloud providers and vendor changes; the explanation when there are no figures."""

from __future__ import annotations

import csv
import io
from datetime import date
from statistics import mean, median

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.costs import cloud, cloud_selectors, selectors, services
from shinchoku.costs.models import CloudRollup, CostLine, CostReport, CostRollup
from shinchoku.domain.status import Status
from shinchoku.imports.services import ImportOptions, file_import
from shinchoku.opendata.costs_tables import cloud_summary_table, cost_summary_table, costs_table, vendor_changes_table
from shinchoku.opendata.writers import csv_bytes
from shinchoku.progress.attributes import attributes_of
from shinchoku.progress.models import Month, SystemAttributes
from shinchoku.progress.services import month_publish, status_set, system_update
from shinchoku.reference.models import Organization
from tests.integration.test_staff_helpers import LATEST, make_user, system_of

pytestmark = pytest.mark.django_db

HEADER = "全国地方公共団体コード,年度,区分,金額（千円）,対象システム,備考"
SHIRAOI = "015784"


def rows_of(table) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_bytes(table).decode("utf-8-sig"))))


@pytest.mark.national
def test_the_sample_has_labelled_costs_for_part_of_the_organizations(client):
    reported = CostReport.objects.values("organization_id").distinct().count()
    assert 300 < reported < 1000
    body = client.get("/api/v1/costs/summary").json()
    assert body["sample_data"] is True and body["fiscal_year"] == 2025 and body["baseline_year"] == 2018
    kinds = {k["kind"]: k for k in body["by_kind"]}
    assert kinds["中核市"]["mean_ratio"] == pytest.approx(2.3, abs=0.01) and kinds["中核市"]["max_ratio"] <= 5.7
    assert [r["ratio"] for r in body["reference_lines"]] == [0.7, 1.6, 2.3, 5.7]
    r = client.get("/api/v1/costs/summary?fiscal_year=2018")  # the baseline itself has no ratio to show
    assert r.status_code == 400 and "2018年度の数値はありません" in r.json()["error"]["message"]
    html = client.get("/costs").content.decode()
    assert "架空のサンプルデータ" in html and "中核市市長会" in html and "東京都" in html


def test_national_and_prefecture_summaries_equal_the_api_the_open_data_and_the_reports(client):
    month = selectors.resolve_month(None)
    body = client.get("/api/v1/costs/summary?fiscal_year=2024").json()
    assert body["fiscal_year"] == 2024
    table = {(r["集計区分"], r["集計対象"]): r for r in rows_of(cost_summary_table(month, True)) if r["年度"] == "2024"}
    nation = table[("全国", "全国")]
    assert int(nation["団体数"]) == body["nation"]["organizations"]
    assert float(nation["平成30年度比の平均"]) == body["nation"]["mean_ratio"]
    assert float(nation["平成30年度比の中央値"]) == body["nation"]["median_ratio"]
    assert int(nation["合計（千円）"]) == body["nation"]["total"]
    for p in body["by_prefecture"]:
        row = table[("都道府県", p["name"])]
        assert (int(row["団体数"]), float(row["平成30年度比の平均"])) == (p["organizations"], p["mean_ratio"])
        assert (
            row["全国地方公共団体コード"] == Organization.objects.get(prefecture_code=p["code"], kind="都道府県").code
        )
    # the same numbers from the reports themselves (市区町村 with FY2018 and FY2024)
    reports = {k: r for k, r in services.reports_at(None, month).items() if r.total is not None}
    kinds = dict(Organization.objects.values_list("code", "kind"))
    ratios = [
        reports[(org, 2024)].total / reports[(org, 2018)].total
        for (org, fy) in reports
        if fy == 2018 and (org, 2024) in reports and kinds[org] != "都道府県"
    ]
    assert body["nation"]["organizations"] == len(ratios)
    assert body["nation"]["mean_ratio"] == pytest.approx(mean(ratios), abs=1e-3)
    assert body["nation"]["median_ratio"] == pytest.approx(median(ratios), abs=1e-3)
    html = client.get("/costs?fy=2024").content.decode()
    assert f'data-value="{body["nation"]["mean_ratio"]}"' in html


def test_organization_costs_agree_on_page_api_and_open_data(client):
    body = client.get("/api/v1/organizations/42021/costs").json()  # a 5-digit code is read too
    assert body["code"] == "042021" and body["sample_data"] is True and body["baseline_total"] > 0
    last = body["years"][-1]
    assert last["by_system"], "石巻市's sample has per-system lines"
    html = client.get("/organizations/042021").content.decode()
    assert 'id="costs-heading"' in html and f"{last['total']:,}" in html and "ガバメントクラウドと事業者" in html
    month = selectors.resolve_month(None)
    rows = [r for r in rows_of(costs_table(month, True)) if r["全国地方公共団体コード"] == "042021"]
    totals: dict[str, int] = {}
    for r in rows:
        if r["金額（千円）"]:
            totals[r["年度"]] = totals.get(r["年度"], 0) + int(r["金額（千円）"])
    assert totals == {str(y["fiscal_year"]): y["total"] for y in body["years"]}
    assert client.get("/api/v1/organizations/999999/costs").status_code == 404


def test_unpublished_figures_never_appear_publicly(client):
    later = date(2026, 11, 30)
    text = f"{HEADER}\n{SHIRAOI},2018,回線費,777777,,\n{SHIRAOI},2025,回線費,888888,,\n"
    options = ImportOptions(actor="op", file_name="c.csv", as_of=later)
    outcome = file_import(actor=Actor.shell("op"), data=text.encode(), options=options)
    assert outcome.status == "applied" and not Month.objects.get(as_of=later).published
    summary = client.get("/api/v1/costs/summary").json()
    assert summary["as_of"] == LATEST.isoformat()
    for url in (
        f"/api/v1/organizations/{SHIRAOI}/costs",
        f"/api/v1/organizations/{SHIRAOI}/costs?as_of=2026-11",
        "/costs",
        "/costs?as_of=2026-11",
        f"/organizations/{SHIRAOI}",
        f"/organizations/{SHIRAOI}?as_of=2026-11",
    ):
        content = client.get(url).content.decode()
        assert "777777" not in content and "777,777" not in content, url
    for table in (costs_table, cost_summary_table):
        assert "777777" not in csv_bytes(table(None, True)).decode("utf-8-sig")
    # the staff side sees it before publication
    client.force_login(make_user("op-costs", "operator"))
    assert "777,777" in client.get(f"/staff/orgs/{SHIRAOI}/costs/?as_of=2026-11").content.decode()
    month_publish(actor=Actor.shell("op"), as_of=later)
    body = client.get(f"/api/v1/organizations/{SHIRAOI}/costs").json()
    assert body["as_of"] == later.isoformat() and body["baseline_total"] == 777777
    assert body["years"][-1]["ratio_to_baseline"] == round(888888 / 777777, 4)
    assert client.get("/api/v1/costs/summary").json()["reported_organizations"] == summary["reported_organizations"] + 1


def test_staff_form_saves_the_year_with_an_audit_entry_and_refuses_bad_amounts(client):
    client.force_login(make_user("m-costs", "municipality", "042021"))
    page = client.get("/staff/orgs/042021/costs/?as_of=2026-10")
    assert page.status_code == 200 and "運用経費" in page.content.decode()
    before = services.reports_at(["042021"], LATEST)[("042021", 2025)]
    post = {
        "as_of": "2026-10",
        "fiscal_year": "2025",
        "system_usage": str(before.by_category()["system_usage"]),  # unchanged: its per-system lines stay
        "gov_cloud": "１２，３４５",
        "network": "",
        "operations": "100",
        "comment": "回線費は共通基盤に含めました",
    }
    r = client.post("/staff/orgs/042021/costs/", post)
    assert r.status_code == 302
    after = services.reports_at(["042021"], LATEST)[("042021", 2025)]
    assert after.as_of == LATEST and after.comment == "回線費は共通基盤に含めました"
    assert [x for x in after.lines if x.category == "system_usage"] == [
        x for x in before.lines if x.category == "system_usage"
    ]
    assert after.by_category()["gov_cloud"] == 12345 and "network" not in after.reported_categories()
    assert after.total == before.by_category()["system_usage"] + 12345 + 100
    entry = AuditEntry.objects.filter(action="set_costs", organization_code="042021").latest("id")
    assert entry.actor == "m-costs" and entry.after["total"] == after.total
    # the total shows on the public 団体 page once published (2026-10 is)
    assert f"{after.total:,}" in client.get("/organizations/042021").content.decode()
    state = CostReport.objects.count(), CostLine.objects.count()
    r = client.post("/staff/orgs/042021/costs/", {**post, "gov_cloud": "-5", "operations": "1.5"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "error-summary" in html and "マイナス" in html and "整数" in html
    assert (CostReport.objects.count(), CostLine.objects.count()) == state
    r = client.post("/staff/orgs/042021/costs/", {"as_of": "2026-10", "fiscal_year": "2025", "withdraw": "1"})
    assert r.status_code == 302
    assert services.reports_at(["042021"], LATEST)[("042021", 2025)].total is None
    assert AuditEntry.objects.filter(action="withdraw_costs", organization_code="042021").exists()
    assert client.post("/staff/orgs/041009/costs/", post).status_code == 403


def test_cloud_provider_from_the_staff_form_reaches_the_cloud_summary(client):
    operator = make_user("op-cloud", "operator")
    before = {p["key"]: p["systems"] for p in client.get("/api/v1/cloud/summary").json()["nation"]["providers"]}
    system = system_of("042021")
    system_update(
        actor=Actor.of(operator, "ui"),
        system=system,
        as_of=LATEST,
        values={"uses_gov_cloud": True, "cloud_provider": "sakura"},
    )
    after = {p["key"]: p["systems"] for p in client.get("/api/v1/cloud/summary").json()["nation"]["providers"]}
    assert sum(after.values()) - sum(before.values()) in (0, 1)
    assert after["sakura"] >= before.get("sakura", 0)
    cloud = cloud_selectors.organization_cloud("042021", LATEST)
    assert next(s for s in cloud.systems if s.name == system.name).provider == "さくらのクラウド"
    # the provider only goes with ガバメントクラウド use
    client.force_login(operator)
    r = client.post(f"/staff/orgs/042021/systems/{system.pk}/", {"uses_gov_cloud": "no", "cloud_provider": "aws"})
    assert r.status_code == 400 and "ガバメントクラウドを利用するときだけ" in r.content.decode()


def test_a_status_edit_leaves_the_cloud_figures_and_an_attribute_edit_recomputes_them():
    operator = Actor.of(make_user("op-cloud-2", "operator"), "ui")
    system = system_of("042021")

    def stored() -> dict:
        return {r.as_of: r.data for r in CloudRollup.objects.filter(as_of__gte=LATEST)}

    before = stored()
    assert before
    with CaptureQueriesContext(connection) as queries:
        status_set(actor=operator, system=system, as_of=LATEST, step="3", status=Status.COMPLETED, version=None)
    assert stored() == before == cloud.compute(list(before))  # a step status can't move them
    attributes = SystemAttributes._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if f"COUNT(*) FROM {attributes}" in q["sql"]]
    cloud_now = attributes_of(system, LATEST).uses_gov_cloud
    values = {"uses_gov_cloud": False} if cloud_now else {"uses_gov_cloud": True, "cloud_provider": "sakura"}
    assert system_update(actor=operator, system=system, as_of=LATEST, values=values)
    after = stored()
    assert after != before and after == cloud.compute(list(after))


def test_cloud_and_vendor_figures_agree_on_page_api_and_open_data(client):
    body = client.get("/api/v1/cloud/summary").json()
    nation = body["nation"]
    assert nation["on_cloud"] + nation["off_cloud"] == nation["reported"] <= nation["systems"]
    assert sum(p["systems"] for p in nation["providers"]) == nation["on_cloud"]
    assert body["changed_systems"] > 0 and body["flows"] and body["by_vendor"]
    month = selectors.resolve_month(None)
    rows = {r["集計対象"]: r for r in rows_of(cloud_summary_table(month, True))}
    assert int(rows["全国"]["利用するシステム数"]) == nation["on_cloud"]
    for a in body["by_prefecture"]:
        assert float(rows[a["name"]]["利用する割合"]) == a["on_cloud_share"]
    flows = rows_of(vendor_changes_table(month, True))
    assert sum(int(f["システム数"]) for f in flows) == sum(f["systems"] for f in body["flows"])
    html = client.get("/costs/cloud").content.decode()
    assert f'data-value="{nation["on_cloud_share"]}"' in html and "事業者の変更" in html
    changed = next(
        code
        for code in Organization.objects.filter(kind="市").values_list("code", flat=True)[:400]
        if cloud_selectors.organization_cloud(code, month).changes
    )
    assert "移行前の事業者" in client.get(f"/organizations/{changed}").content.decode()
    # earlier months show fewer changes (counted up to the month)
    early = client.get("/api/v1/cloud/summary?as_of=2024-03").json()
    assert early["changed_systems"] < body["changed_systems"]


def test_without_cost_figures_the_pages_explain_how_to_report(client):
    for model in (CostLine, CostReport, CostRollup, CloudRollup):
        model.objects.all().delete()
    html = client.get("/costs").content.decode()
    assert "まだ公開された運用経費はありません" in html and "報告のしかた" in html and "/staff/" in html
    body = client.get("/api/v1/costs/summary").json()
    assert body["nation"] is None and body["fiscal_years"] == [] and body["reported_organizations"] == 0
    assert "まだ報告はありません" in client.get("/costs/cloud").content.decode()
    assert "運用経費は、まだ公開されていません" in client.get("/organizations/042021").content.decode()
    assert client.get("/api/v1/organizations/042021/costs").json()["years"] == []


def test_openapi_describes_the_cost_endpoints_in_japanese_and_english(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/organizations/{code}/costs", "/api/v1/costs/summary", "/api/v1/cloud/summary"):
        assert path in spec["paths"], path
    schema = spec["components"]["schemas"]["YearOut"]["properties"]["ratio_to_baseline"]
    assert "平成30年度" in schema["description"] and "FY2018" in schema["description"]
