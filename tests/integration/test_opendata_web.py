"""/opendata/: the catalogue page, stable URLs by month and latest, on-disk files keyed by the data version."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

from shinchoku.opendata import catalogue, files
from shinchoku.progress import rollups, selectors
from shinchoku.progress.models import Month

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _body(response) -> bytes:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(data) if response.get("Content-Encoding") == "gzip" else data


def _month() -> str:
    return f"{selectors.resolve_as_of(None):%Y-%m}"


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
    by_month = client.get(f"/opendata/{_month()}/prefecture-summary.csv")
    latest = client.get("/opendata/latest/prefecture-summary.csv")
    assert by_month.status_code == latest.status_code == 200
    body = _body(by_month)
    assert body == _body(latest)
    assert f'filename="prefecture-summary_{_month()}.csv"' in by_month["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "全国地方公共団体コード" and len(rows) == 48
    assert by_month["Access-Control-Allow-Origin"] == "*"


def test_a_client_that_accepts_gzip_gets_the_precompressed_file(client):
    r = client.get("/opendata/latest/organizations.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert r["Content-Encoding"] == "gzip"
    assert _body(r).startswith("\ufeff全国地方公共団体コード".encode())


def test_a_past_month_serves_that_months_figures(client):
    months = selectors.months()
    past = months[len(months) // 2]
    r = client.get(f"/opendata/{past:%Y-%m}/organization-summary.json")
    doc = json.loads(_body(r))
    assert doc["as_of"] == past.isoformat()
    assert {rec["as_of"] for rec in doc["records"]} == {past.isoformat()}


def test_file_downloads_answer_304_to_a_matching_etag(client):
    first = client.get("/opendata/latest/prefecture-summary.json")
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


def test_a_refresh_of_the_month_writes_new_files_and_removes_the_old_ones(var_dir):
    as_of = selectors.resolve_as_of(None)
    first = files.ensure("prefecture-summary", "csv", as_of)
    assert files.ensure("prefecture-summary", "csv", as_of).path == first.path  # cached on disk
    rollups.refresh_months([as_of])
    second = files.ensure("prefecture-summary", "csv", as_of)
    assert second.version != first.version
    assert second.path.exists() and not first.path.exists()
    assert second.path.is_relative_to(var_dir / "opendata" / f"{as_of:%Y-%m}")


def test_only_the_most_recently_used_months_stay_on_disk(var_dir, monkeypatch):
    monkeypatch.setattr(files, "MONTHS_ON_DISK", 2)
    months = selectors.months()[-3:]
    for m in months:
        files.ensure("prefecture-summary", "csv", m)
    kept = {d.name for d in (var_dir / "opendata").iterdir() if any(p.suffix == ".csv" for p in d.rglob("*"))}
    assert kept == {f"{m:%Y-%m}" for m in months[-2:]}
