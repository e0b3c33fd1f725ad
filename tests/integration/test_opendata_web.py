"""/opendata/: the catalogue page, stable URLs by month and latest, files built by the builder (never in a request)."""

from __future__ import annotations

import csv
import gc
import gzip
import io
import json

import pytest
from django.utils.html import escape

from shinchoku.domain.status import Status
from shinchoku.opendata import build, builder, catalogue, revision, store
from shinchoku.progress import rollups, selectors
from shinchoku.progress import writes as services
from shinchoku.progress.models import Month, System

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def download_slots(monkeypatch):
    """Responses these tests keep unread hold their slot (a server closes every response): allow plenty."""
    import threading

    from shinchoku.opendata import views

    monkeypatch.setattr(views, "_slots", threading.BoundedSemaphore(64))


def _body(response) -> bytes:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(data) if response.get("Content-Encoding") == "gzip" else data


def _month() -> str:
    return f"{selectors.resolve_as_of(None):%Y-%m}"


def fetch(client, url: str, **kw):
    """GET; a file not built yet (503) is built by one round of the builder, as the server's builder would."""
    r = client.get(url, **kw)
    if r.status_code == 503:
        assert builder.Watcher().once()
        r = client.get(url, **kw)
    return r


def test_catalogue_page_lists_every_table_with_its_data_dictionary(client):
    r = client.get("/opendata/")
    assert r.status_code == 200
    html = r.content.decode()
    for table in catalogue.describe():
        assert table.title in html
        for column in table.columns:
            assert column.heading in html
        for fmt in catalogue.TABLE_FORMATS:
            assert f"/opendata/{_month()}/{table.name}.{fmt}" in html
    assert f"/opendata/{_month()}/all.sqlite" in html
    assert "架空のサンプルデータ" in html


def test_catalogue_json_lists_months_files_and_columns(client):
    doc = client.get("/opendata/catalogue.json").json()
    assert doc["latest"] == _month()
    assert "progress.csv" in doc["files"] and "all.sqlite" in doc["files"]
    assert {t["name"] for t in doc["tables"]} == set(catalogue.SPECS)


def test_month_and_latest_urls_serve_the_same_csv_with_a_dated_file_name(client):
    by_month = fetch(client, f"/opendata/{_month()}/prefecture-summary.csv")
    latest = fetch(client, "/opendata/latest/prefecture-summary.csv")
    assert by_month.status_code == latest.status_code == 200
    body = _body(by_month)
    assert body == _body(latest)
    assert f'filename="prefecture-summary_{_month()}.csv"' in by_month["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "全国地方公共団体コード" and len(rows) == 48
    assert by_month["Access-Control-Allow-Origin"] == "*"


def test_a_client_that_accepts_gzip_gets_the_precompressed_file(client):
    r = fetch(client, "/opendata/latest/organizations.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert r["Content-Encoding"] == "gzip"
    assert _body(r).startswith("\ufeff全国地方公共団体コード".encode())


def test_a_past_month_serves_that_months_figures(client):
    months = selectors.months()
    past = months[len(months) // 2]
    r = fetch(client, f"/opendata/{past:%Y-%m}/organization-summary.json")
    doc = json.loads(_body(r))
    assert doc["as_of"] == past.isoformat()
    assert {rec["as_of"] for rec in doc["records"]} == {past.isoformat()}


def test_file_downloads_answer_304_to_a_matching_etag(client):
    first = fetch(client, "/opendata/latest/prefecture-summary.json")
    again = client.get("/opendata/latest/prefecture-summary.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/opendata/1999-01/progress.csv",
        "/opendata/2026-13/progress.csv",
        "/opendata/latest/nothing.csv",
        "/opendata/latest/progress.exe",
        "/opendata/latest/all.csv",
        "/opendata/january/progress.csv",
    ],
)
def test_unknown_months_and_files_are_404(client, url):
    assert client.get(url).status_code == 404


def test_an_unpublished_month_is_not_served(client):
    latest = selectors.resolve_as_of(None)
    Month.objects.filter(as_of=latest).update(published=False)
    assert client.get(f"/opendata/{latest:%Y-%m}/prefecture-summary.csv").status_code == 404


def test_a_file_not_built_yet_is_a_503_in_japanese_and_is_built_first(client):
    as_of = selectors.resolve_as_of(None)
    r = client.get("/opendata/latest/prefecture-summary.xlsx")
    assert r.status_code == 503
    assert r["Retry-After"].isdigit()
    assert "作成中" in r.content.decode() and r["Cache-Control"] == "no-store"
    assert store.lookup(as_of, "prefecture-summary.xlsx") is None  # nothing was built inside the request
    assert [(m, n) for m, n, _ in store.wanted()] == [(f"{as_of:%Y-%m}", "prefecture-summary.xlsx")]
    job = builder.next_job(revision.month_inputs([as_of]))
    assert job == builder.Job(as_of, ["prefecture-summary.xlsx"], "asked")
    assert builder.Watcher().once()
    assert store.wanted() == []
    r = client.get("/opendata/latest/prefecture-summary.xlsx")
    assert r.status_code == 200 and _body(r).startswith(b"PK")


def test_a_client_without_gzip_gets_the_file_decompressed_with_its_length(client):
    gz = fetch(client, "/opendata/latest/organizations.json", HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get("/opendata/latest/organizations.json", HTTP_ACCEPT_ENCODING="identity")
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")
    body = b"".join(plain.streaming_content)
    assert body == _body(gz) and int(plain["Content-Length"]) == len(body)
    assert json.loads(body)["name"] == "organizations"
    assert plain["ETag"] != gz["ETag"]


def _flip_a_step(as_of) -> None:
    system = System.objects.filter(organization_id="042021", business__isnull=False).order_by("sort_order").first()
    current = selectors.organization_progress(code="042021", as_of=as_of)
    step40 = next(s for s in current["systems"] if s["name"] == system.name)["steps"][39]["status"]
    new = Status.IN_PROGRESS if step40 != "in_progress" else Status.NOT_APPLICABLE
    services.set_status(system=system, as_of=as_of, step="40", status=new, expected_version=None, actor="t", source="t")


def _rebuild(as_of, names: list[str]) -> None:
    inputs = revision.month_inputs([as_of])[as_of]
    assert sorted(build.stale(as_of, inputs)[1]) == sorted(names)
    builder.run_job(builder.Job(as_of, names, "outdated"), inputs, stop=lambda: False)


def test_changed_data_is_served_from_the_old_file_until_the_new_one_is_built_and_kept_for_a_grace_period(client):
    as_of = selectors.resolve_as_of(None)
    first = fetch(client, "/opendata/latest/prefecture-summary.csv")
    old = store.lookup(as_of, "prefecture-summary.csv")
    _flip_a_step(as_of)
    stale = client.get("/opendata/latest/prefecture-summary.csv")  # never a build inside the request
    assert stale.status_code == 200 and stale["ETag"] == first["ETag"]
    _rebuild(as_of, ["prefecture-summary.csv"])
    new = store.lookup(as_of, "prefecture-summary.csv")
    assert new.sha != old.sha and new.path != old.path
    fresh = client.get("/opendata/latest/prefecture-summary.csv")
    assert fresh["ETag"] != first["ETag"] and _body(fresh) != _body(first)
    folder = store.month_dir(as_of)
    assert (folder / old.path).exists()  # a download that read the old index entry still finds its file
    assert store.prune(as_of) == 0 and (folder / old.path).exists()
    assert store.prune(as_of, grace=0) == 1 and not (folder / old.path).exists()
    assert (folder / new.path).exists()


def test_a_rebuild_of_unchanged_data_keeps_every_file_and_version():
    as_of = selectors.resolve_as_of(None)
    names = [f"prefecture-summary.{fmt}" for fmt in catalogue.TABLE_FORMATS] + ["organizations.xlsx"]
    build.build_month(as_of, names)
    before = store.entries(as_of)
    rollups.refresh_months([as_of])  # new rollup rows with the same figures: the inputs' version changes
    _rebuild(as_of, names[:4])  # organizations.xlsx is made from no rollup: it is not even outdated
    build.build_month(as_of, ["organizations.xlsx"])  # and built again, it gives the same bytes
    after = store.entries(as_of)
    assert {n: (e.path, e.sha) for n, e in after.items()} == {n: (e.path, e.sha) for n, e in before.items()}
    assert all(after[n].token != before[n].token for n in names[:4])
    assert json.loads((store.month_dir(as_of) / "index.json").read_text())["retired"] == []


def test_the_data_dictionary_describes_the_wide_excel_layout_of_progress(client):
    html = client.get("/opendata/").content.decode()
    assert "Excel（XLSX）版の列" in html and "1,048,576" in html
    for column in catalogue.build_table("progress-wide", selectors.resolve_as_of(None), True).columns:
        assert escape(column.heading) in html


def close(response) -> None:
    """What the server does after sending a response (without closing the test's database connection)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_downloads_at_once_are_bounded_per_worker_and_a_slot_comes_back_when_the_file_is_sent(client, monkeypatch):
    import threading

    from shinchoku.opendata import views

    monkeypatch.setattr(views, "_slots", threading.BoundedSemaphore(1))
    url = "/opendata/latest/prefecture-summary.csv"
    close(fetch(client, url))
    sending = client.get(url)  # not read yet: its thread is still sending it
    assert sending.status_code == 200
    busy = client.get(url)
    assert busy.status_code == 503 and busy["Retry-After"].isdigit()
    assert "混み合って" in busy.content.decode()
    assert client.get("/api/v1/summary").status_code == 200  # pages and the API are not limited
    b"".join(sending.streaming_content)
    close(sending)
    sent = client.get(url)
    assert sent.status_code == 200
    close(sent)
    dropped = client.get(url, HTTP_IF_NONE_MATCH=sending["ETag"])  # the 304 replaces the unclosed response
    assert dropped.status_code == 304
    gc.collect()  # (the dropped response is freed at once on a server; the test client keeps cycles)
    again = client.get(url)
    assert again.status_code == 200
    close(again)
