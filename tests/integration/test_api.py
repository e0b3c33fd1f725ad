from datetime import date

import pytest

from shinchoku.domain.progress import Counts, completion_rate
from shinchoku.progress.models import StatusSnapshot, System

pytestmark = pytest.mark.django_db


def documented_fields(client, schema: str) -> set[str]:
    """The properties the OpenAPI document gives a response schema."""
    return set(client.get("/api/v1/openapi.json").json()["components"]["schemas"][schema]["properties"])


@pytest.mark.national
def test_summary_has_the_documented_fields_and_the_sample_flag(client):
    body = client.get("/api/v1/summary").json()
    documented = documented_fields(client, "NationalSummary")
    assert {"as_of", "sample_data", "organizations", "completion_rate_mean"} <= documented
    assert set(body) == documented
    assert body["sample_data"] is True
    assert body["organizations"] == 1741
    assert 0 <= body["completion_rate_mean"] <= 1


@pytest.mark.national
def test_summary_including_prefectures_counts_1788(client):
    assert client.get("/api/v1/summary?include=prefectures").json()["organizations"] == 1788


def test_organization_progress_has_the_documented_shape(client):
    body = client.get("/api/v1/organizations/042021/progress").json()
    assert {"code", "name", "as_of", "sample_data", "summary", "systems"} <= set(body)
    assert set(body) == documented_fields(client, "OrganizationProgress")
    assert {"steps_total", "progress_rate_incl_own_steps", "on_schedule_systems"} <= set(body["summary"])
    assert set(body["summary"]) == documented_fields(client, "ProgressSummary")
    system = body["systems"][0]
    assert {"vendor", "special_support", "planned_completion", "counts", "on_schedule", "steps"} <= set(system)
    assert set(system) == documented_fields(client, "SystemProgress")
    assert {"step", "status", "version"} <= set(system["steps"][0])
    assert {s["status"] for sys in body["systems"] for s in sys["steps"]} <= {
        "completed",
        "in_progress",
        "not_started",
        "not_applicable",
    }
    # 石巻市 has own steps in the sample, so both 進捗率 columns differ in their denominators
    assert any(s["step"].startswith("独自") for s in system["steps"])


def test_organization_rates_follow_the_formulas(client):
    body = client.get("/api/v1/organizations/042021/progress").json()
    s = body["summary"]
    assert s["steps_total"] == 40 * s["systems"]
    assert s["completion_rate"] == pytest.approx((s["completed"] + s["not_applicable"]) / s["steps_total"], abs=1e-6)
    assert s["progress_rate"] == pytest.approx(s["completed"] / (s["steps_total"] - s["not_applicable"]), abs=1e-6)


def test_past_as_of_returns_the_statuses_as_they_were(client):
    system = System.objects.filter(organization_id="042021", business_id=1).get()
    past = date(2024, 3, 31)
    snap = StatusSnapshot.objects.filter(system=system, as_of__lte=past).order_by("-as_of").first()
    body = client.get("/api/v1/organizations/042021/progress?as_of=2024-03").json()
    assert body["as_of"] == "2024-03-31"
    api_system = next(s for s in body["systems"] if s["name"] == system.name)
    assert (
        "".join(
            {"completed": "C", "in_progress": "P", "not_started": "N", "not_applicable": "X"}[st["status"]]
            for st in api_system["steps"][:40]
        )
        == snap.codes
    )
    assert api_system["completion_rate"] == pytest.approx(completion_rate(Counts.from_codes(snap.codes)), abs=1e-6)


def test_unknown_code_and_wrong_check_digit_are_json_errors(client):
    r = client.get("/api/v1/organizations/042022/progress")
    assert r.status_code in (400, 404)
    assert "チェックディジット" in r.json()["error"]["message"]
    r = client.get("/api/v1/organizations/999999/progress")
    assert r.status_code in (400, 404)
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_bad_as_of_is_a_400_in_japanese(client):
    r = client.get("/api/v1/summary?as_of=yesterday")
    assert r.status_code == 400
    assert r.json()["error"]["message"]


def test_prefecture_summary_lists_its_municipalities(client):
    body = client.get("/api/v1/prefectures/04/summary").json()
    assert body["name"] == "宮城県"
    assert len(body["organizations_detail"]) == 35
    assert all(o["code"].startswith("04") for o in body["organizations_detail"])


def test_etag_and_if_none_match_give_304(client):
    first = client.get("/api/v1/summary")
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    second = client.get("/api/v1/summary", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 304


def test_openapi_describes_fields_in_japanese_and_english(client):
    spec = client.get("/api/v1/openapi.json").json()
    props = spec["components"]["schemas"]["NationalSummary"]["properties"]
    assert "完了率" in props["completion_rate_mean"]["description"]
    assert "mean completion rate" in props["completion_rate_mean"]["description"]


def test_api_docs_page_loads_swagger_ui_from_the_site_itself(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/shinchoku/api-docs.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<script>" not in html  # the CSP forbids inline scripts: the settings travel as json_script
    assert '"url": "/api/v1/openapi.json"' in html
