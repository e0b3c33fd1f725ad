"""The read endpoints of docs/formats.md §9 beyond the original three: lists, areas, steps, months; headers, cache."""

from __future__ import annotations

import re
from datetime import date

import pytest

from shinchoku.api import cache, middleware
from shinchoku.domain.status import Status
from shinchoku.progress import rollups
from shinchoku.progress.models import AreaRollup, Month, System
from tests.integration.cells import set_cell

pytestmark = pytest.mark.django_db

READ_URLS = [
    "/api/v1/summary",
    "/api/v1/months",
    "/api/v1/prefectures",
    "/api/v1/prefectures/04/summary",
    "/api/v1/businesses",
    "/api/v1/businesses/1/summary",
    "/api/v1/steps/summary",
    "/api/v1/steps/summary?prefecture=04",
    "/api/v1/organizations?prefecture=04",
    "/api/v1/organizations/042021",
    "/api/v1/organizations/042021/progress",
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_organization_list_filters_by_prefecture_and_kind_and_reports_the_total(client):
    r = client.get("/api/v1/organizations?prefecture=04&kind=市")
    body = r.json()
    assert isinstance(body, list)
    assert {o["prefecture_code"] for o in body} == {"04"}
    assert {o["kind"] for o in body} == {"市"}
    assert int(r.headers["X-Total-Count"]) == len(body) == 13


def test_organization_list_pages_with_limit_and_offset_in_code_order(client):
    everything = client.get("/api/v1/organizations").json()
    page = client.get("/api/v1/organizations?limit=10&offset=20")
    assert page.headers["X-Total-Count"] == "1788"
    assert [o["code"] for o in page.json()] == [o["code"] for o in everything[20:30]]
    assert [o["code"] for o in everything] == sorted(o["code"] for o in everything)


def test_organization_list_rejects_an_unknown_prefecture_in_japanese(client):
    r = client.get("/api/v1/organizations?prefecture=99")
    assert r.status_code == 400
    assert "都道府県コード" in r.json()["error"]["message"]


def test_a_limit_out_of_range_is_a_422_in_the_error_format(client):
    r = client.get("/api/v1/organizations?limit=5000")
    assert r.status_code == 422
    assert set(r.json()["error"]) == {"code", "message", "details"}


@pytest.mark.national
def test_prefecture_list_has_all_47_with_the_sample_flag(client):
    body = client.get("/api/v1/prefectures").json()
    assert body["sample_data"] is True
    assert [p["code"] for p in body["prefectures"]] == [f"{n:02d}" for n in range(1, 48)]
    assert sum(p["organizations"] for p in body["prefectures"]) == 1741
    miyagi = body["prefectures"][3]
    assert miyagi["name"] == "宮城県" and miyagi["organization_code"] == "040002"


@pytest.mark.national
def test_business_summary_adds_up_over_prefectures(client):
    body = client.get("/api/v1/businesses/1/summary").json()
    assert body["name"] == "住民基本台帳"
    assert body["sample_data"] is True
    assert len(body["by_prefecture"]) == 47
    assert sum(p["systems"] for p in body["by_prefecture"]) == body["systems"]
    assert sum(p["completed"] for p in body["by_prefecture"]) == body["completed"]
    assert 0 <= body["completion_rate"] <= 1


def test_unknown_business_is_a_404_in_japanese(client):
    r = client.get("/api/v1/businesses/21/summary")
    assert r.status_code == 404
    assert "業務番号" in r.json()["error"]["message"]


def test_steps_summary_counts_every_municipal_system_at_every_step(client):
    body = client.get("/api/v1/steps/summary").json()
    national = client.get("/api/v1/summary").json()
    assert body["prefecture"] is None
    assert body["systems"] == national["systems"]
    assert [s["step"] for s in body["steps"]] == list(range(1, 41))
    for s in body["steps"]:
        assert s["completed"] + s["in_progress"] + s["not_started"] + s["not_applicable"] == body["systems"]
        assert s["completed_share"] == pytest.approx(s["completed"] / body["systems"], abs=1e-6)
    # early steps are further along than the last one (go-live)
    assert body["steps"][0]["done_share"] >= body["steps"][-1]["done_share"]


def test_steps_summary_for_a_prefecture_counts_its_municipal_systems_only(client):
    body = client.get("/api/v1/steps/summary?prefecture=04").json()
    pref = client.get("/api/v1/prefectures/04/summary").json()
    assert body["prefecture_name"] == "宮城県"
    assert body["systems"] == pref["systems"]


def test_months_lists_published_months_only_and_as_of_skips_unpublished_ones(client):
    months = [m["as_of"] for m in client.get("/api/v1/months").json()]
    assert months == sorted(months)
    latest = date.fromisoformat(months[-1])
    Month.objects.filter(as_of=latest).update(published=False)
    after = [m["as_of"] for m in client.get("/api/v1/months").json()]
    assert after == months[:-1]
    assert client.get(f"/api/v1/summary?as_of={latest:%Y-%m}").json()["as_of"] == months[-2]


def test_json_is_utf8_text_without_unicode_escapes(client):
    r = client.get("/api/v1/prefectures/04/summary")
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "宮城県".encode() in r.content
    assert b"\\u" not in r.content


@pytest.mark.parametrize("url", READ_URLS)
def test_every_read_endpoint_has_etag_cache_control_and_cors_and_answers_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "max-age" in first.headers["Cache-Control"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_an_unknown_api_path_is_a_json_404_in_japanese(client):
    r = client.get("/api/v1/no/such/thing")
    assert r.status_code == 404
    assert JAPANESE.search(r.json()["error"]["message"])


def test_cors_preflight_allows_reads_only(client):
    r = client.options("/api/v1/summary", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert r.status_code == 204
    assert "GET" in r["Access-Control-Allow-Methods"]
    assert "PUT" not in r["Access-Control-Allow-Methods"]


def _read_schemas(spec: dict) -> set[str]:
    """Names of the component schemas that GET operations reach."""
    seen: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    walk(spec["components"]["schemas"][name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for ops in spec["paths"].values():
        if "get" in ops:
            walk(ops["get"])
    return seen


def test_openapi_describes_every_read_field_in_japanese_and_english(client):
    spec = client.get("/api/v1/openapi.json").json()
    names = _read_schemas(spec)
    assert {"OrganizationProgress", "BusinessSummary", "StepsSummary", "PrefectureList"} <= names
    undocumented = [
        f"{name}.{prop}"
        for name in sorted(names)
        for prop, p in spec["components"]["schemas"][name].get("properties", {}).items()
        if not (JAPANESE.search(p.get("description", "")) and re.search(r"[A-Za-z]{3}", p.get("description", "")))
    ]
    assert undocumented == []
    for path, ops in spec["paths"].items():
        for p in ops.get("get", {}).get("parameters", []):
            assert JAPANESE.search(p.get("description", "")), f"{path} {p['name']}"


def test_the_response_cache_serves_a_write_at_once(client, monkeypatch):
    """Outside a transaction the middleware keeps responses per data version; a write changes the version."""
    monkeypatch.setattr(middleware, "_bypass", lambda request: False)
    cache.responses.clear()
    url = "/api/v1/organizations/042021/progress"
    first = client.get(url).json()
    assert len(cache.responses) == 1
    assert client.get(url).json() == first  # served from the cache
    system = System.objects.get(organization_id="042021", business_id=1)
    as_of = date.fromisoformat(first["as_of"])
    set_cell(system, as_of, 40, Status.NOT_APPLICABLE)
    after = client.get(url).json()
    step40 = next(s for s in after["systems"] if s["name"] == system.name)["steps"][39]
    assert step40["status"] == "not_applicable"
    cache.responses.clear()


def test_a_republished_month_changes_the_data_version(client):
    from shinchoku.opendata import revision

    before = revision.current()
    latest = Month.objects.filter(published=True).order_by("-as_of").first()
    rollups.refresh_months([latest.as_of])
    assert AreaRollup.objects.filter(as_of=latest.as_of).exists()
    assert revision.current() != before


def test_head_answers_like_get_without_a_body(client):
    get = client.get("/api/v1/prefectures/04/summary")
    head = client.head("/api/v1/prefectures/04/summary")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))


def test_a_wrong_method_is_a_json_405_in_japanese(client):
    r = client.post("/api/v1/summary")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
    assert JAPANESE.search(r.json()["error"]["message"])
