"""The 26 procedures end to end: sample data, imports (all or nothing, recorded), API, pages, open data."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

import pytest
from openpyxl import Workbook

from shinchoku.cli import main
from shinchoku.imports.models import ImportRecord
from shinchoku.imports.services import ImportOptions, import_file
from shinchoku.opendata.writers import csv_bytes
from shinchoku.procedures import selectors
from shinchoku.procedures.models import ProcedureMonth, ProcedureRollup, ProcedureStatus
from shinchoku.procedures.opendata import procedure_availability_table, procedures_summary_table, procedures_table
from shinchoku.procedures.rollups import availability_at, is_complete
from shinchoku.progress.models import Month
from shinchoku.reference.models import Organization, Procedure
from shinchoku.web.templatetags.shinchoku_tags import pct

pytestmark = pytest.mark.django_db

ISHINOMAKI = "042021"


def digest() -> str:
    h = hashlib.sha256()
    for model in (ProcedureStatus, ProcedureMonth, ProcedureRollup):
        for row in model.objects.order_by("pk").values_list():
            h.update(repr(row).encode())
    return h.hexdigest()


def latest() -> date:
    return selectors.resolve_as_of(None)


def names() -> list[str]:
    return list(Procedure.objects.order_by("number").values_list("name", flat=True))


def run_import(data: bytes, name: str, **kw) -> object:
    return import_file(data, ImportOptions(actor="tester", file_name=name, **kw))


def table_rows(table) -> list[dict[str, str]]:
    text = csv_bytes(table).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.national
def test_sample_covers_every_municipality_for_the_progress_sample_months():
    months = list(ProcedureMonth.objects.values_list("as_of", "published", "sample_data"))
    progress = list(Month.objects.filter(sample_data=True).values_list("as_of", flat=True))
    assert [m for m, _, _ in months] == progress
    assert all(published and sample for _, published, sample in months)
    municipalities = Organization.objects.filter(is_practice=False).exclude(kind="都道府県").count()
    states = availability_at(latest())
    assert len(states) == municipalities == 1741
    assert not ProcedureStatus.objects.filter(organization__kind="都道府県").exists()
    complete = sum(is_complete(c, list(range(1, 27))) for c in states.values())
    assert 0.15 <= complete / municipalities <= 0.30
    # carried forward: not every 団体 has a row in every month
    assert ProcedureStatus.objects.count() < municipalities * len(months)


@pytest.mark.national
def test_national_share_is_equal_on_page_api_and_csv(client):
    as_of = latest()
    states = availability_at(as_of)
    municipalities = Organization.objects.filter(is_practice=False).exclude(kind="都道府県").count()
    completed = sum(is_complete(c, list(range(1, 27))) for c in states.values())
    expected = round(completed / municipalities, 6)

    api = client.get("/api/v1/procedures/summary").json()
    assert api["as_of"] == as_of.isoformat() and api["sample_data"] is True
    assert (api["municipalities"], api["completed_municipalities"], api["completed_share"]) == (
        municipalities,
        completed,
        expected,
    )
    rows = table_rows(procedures_summary_table(as_of))
    nation = next(r for r in rows if r["集計区分"] == "全国")
    assert float(nation["完了した市区町村の割合"]) == expected
    assert int(nation["完了した市区町村数"]) == completed
    assert nation["データ区分"] == "架空のサンプルデータ"

    page = client.get("/procedures").content.decode()
    assert f'data-value="{expected}"' in page
    assert pct(expected) in page
    assert f"{completed:,} / {municipalities:,}" in page

    # by 団体区分 and by prefecture: the same numbers in API, CSV and on the page
    kinds = {k["kind"]: k for k in api["by_kind"]}
    for r in rows:
        if r["集計区分"] == "団体区分":
            assert float(r["完了した市区町村の割合"]) == kinds[r["集計対象"]]["completed_share"]
    prefs = {p["name"]: p for p in api["by_prefecture"]}
    miyagi = next(r for r in rows if r["集計対象"] == "宮城県")
    assert miyagi["全国地方公共団体コード"] == "040002"
    assert float(miyagi["完了した市区町村の割合"]) == prefs["宮城県"]["completed_share"]
    in_miyagi = [c for c in Organization.objects.filter(prefecture_code="04").exclude(kind="都道府県")]
    done = sum(is_complete(states.get(o.code, ""), list(range(1, 27))) for o in in_miyagi)
    assert prefs["宮城県"]["completed_municipalities"] == done
    assert prefs["宮城県"]["municipalities"] == len(in_miyagi)
    assert f'<th scope="row">宮城県</th><td class="num">{pct(prefs["宮城県"]["completed_share"])}</td>' in page

    availability = table_rows(procedure_availability_table(as_of))
    assert [float(r["できる市区町村の割合"]) for r in availability] == [
        p["available_share"] for p in api["by_procedure"]
    ]


def test_api_procedures_list_and_organization(client):
    listed = client.get("/api/v1/procedures").json()
    assert len(listed) == 26 and listed[0] == {"number": 1, "field": "子育て", "name": names()[0]}
    assert {p["field"] for p in listed} == {"子育て", "介護"}

    response = client.get(f"/api/v1/organizations/{ISHINOMAKI}/procedures")
    assert response.status_code == 200 and response.has_header("ETag")
    data = response.json()
    codes = availability_at(latest())[ISHINOMAKI]
    assert data["available_count"] == codes.count("1") == sum(p["available"] for p in data["procedures"])
    assert data["completed"] is (codes == "1" * 26)
    assert data["sample_data"] is True and len(data["procedures"]) == 26
    assert data["procedures"][0]["available_label"] in ("できる", "できない")

    first = ProcedureMonth.objects.order_by("as_of").first().as_of
    early = client.get(f"/api/v1/organizations/42021/procedures?as_of={first:%Y-%m}").json()
    assert early["as_of"] == first.isoformat() and early["available_count"] <= data["available_count"]

    for url, status in (
        ("/api/v1/organizations/040002/procedures", 404),  # a prefecture
        ("/api/v1/organizations/042022/procedures", 404),  # wrong check digit
        ("/api/v1/procedures/summary?as_of=2001-01", 404),
        ("/api/v1/procedures/summary?as_of=yesterday", 400),
    ):
        r = client.get(url)
        assert r.status_code == status, url
        assert set(r.json()["error"]) == {"code", "message", "details"}


def test_openapi_describes_fields_in_japanese_and_english(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/procedures", "/api/v1/procedures/summary", "/api/v1/organizations/{code}/procedures"):
        assert path in schema["paths"]
    field = schema["components"]["schemas"]["ProceduresSummary"]["properties"]["completed_share"]
    assert " / " in field["description"] and "割合" in field["description"]


def test_organization_page_lists_what_can_and_cannot_be_done_online(client):
    data = selectors.organization_procedures(ISHINOMAKI)
    page = client.get(f"/procedures/{ISHINOMAKI}").content.decode()
    assert '<html lang="ja">' in page
    assert f"26 の手続のうち {data['available_count']} の手続ができます" in page
    can, _, cannot = page.partition('id="proc-cannot"')
    for p in data["procedures"]:
        assert p["plain"] in (can if p["available"] else cannot), p["number"]
    assert "架空のサンプルデータ" in page
    assert "<caption" in page


def test_search_by_name_or_code(client):
    assert client.get("/procedures/search?q=石巻市")["Location"] == f"/procedures/{ISHINOMAKI}"
    assert client.get("/procedures/search?q=04202")["Location"] == f"/procedures/{ISHINOMAKI}"
    both = client.get("/procedures/search?q=府中市").content.decode()
    assert "/procedures/132063" in both and "/procedures/342084" in both
    assert "見つかりません" in client.get("/procedures/search?q=存在しない村").content.decode()
    assert client.get("/procedures/040002").status_code == 404
    assert client.get("/procedures").status_code == 200


def test_long_csv_import_applies_records_and_refreshes_rollups():
    as_of = latest()
    before = selectors.national_summary(as_of=as_of)
    complete = next(c for c, codes in availability_at(as_of).items() if codes == "1" * 26)
    text = "全国地方公共団体コード,手続番号,オンライン対応,基準日\n" + "".join(
        f"{complete},{n},{'×' if n == 9 else '○'},{as_of.isoformat()}\n" for n in range(1, 27)
    )
    outcome = run_import(text.encode("cp932"), "procedures.csv")
    assert outcome.status == "applied", [p.format() for p in outcome.errors]
    assert outcome.format == "procedures" and outcome.counts["cells_changed"] == 1
    record = ImportRecord.objects.get(pk=outcome.record_id)
    assert (record.status, record.format, record.as_of, record.actor) == ("applied", "procedures", as_of, "tester")
    assert ProcedureStatus.objects.get(organization_id=complete, as_of=as_of).source == f"import:{record.pk}"
    after = selectors.national_summary(as_of=as_of)
    assert after["completed_municipalities"] == before["completed_municipalities"] - 1
    assert selectors.organization_procedures(complete, as_of)["available_count"] == 25


def test_bad_long_csv_is_rejected_whole_and_recorded():
    state = digest()
    text = (
        "全国地方公共団体コード,手続番号,オンライン対応,基準日\n"
        "042021,1,できる,2026-01-31\n"
        "042021,27,できる,2026-01-31\n"
        "042021,2,たぶん,2026-01-31\n"
    )
    outcome = run_import(text.encode(), "bad.csv", format="procedures")
    assert outcome.status == "rejected"
    assert digest() == state
    record = ImportRecord.objects.get(pk=outcome.record_id)
    assert record.status == "rejected" and record.format == "procedures"
    assert [(e["row"], e["column"]) for e in record.errors] == [(3, "B列（手続番号）"), (4, "C列（オンライン対応）")]
    assert all(e["file"] == "bad.csv" for e in record.errors)


def test_wide_sheet_imports_and_bad_rows_reject_it_via_cli(tmp_path, capsys):
    header = ["都道府県名", "市区町村名", *names()]
    good = workbook(
        [
            ["子育て・介護関係26手続のオンライン化状況（令和8年1月末時点）"],
            header,
            ["宮城県", "石巻市", *(["○"] * 26)],
            ["高知県", "檮原町", *(["×"] * 26)],
        ]
    )
    path = tmp_path / "wide.xlsx"
    path.write_bytes(good)
    assert main(["import", str(path), "--actor", "tester"]) == 0, capsys.readouterr().err
    jan = date(2026, 1, 31)
    assert ProcedureStatus.objects.get(organization_id=ISHINOMAKI, as_of=jan).codes == "1" * 26
    assert ProcedureStatus.objects.get(organization_id="394050", as_of=jan).codes == "0" * 26
    assert selectors.organization_procedures(ISHINOMAKI, jan)["completed"] is True

    state = digest()
    bad = workbook([header, ["宮城県", "石巻市", *(["○"] * 25), "△"], ["宮城県", "どこか町", *(["○"] * 26)]])
    path.write_bytes(bad)
    capsys.readouterr()
    assert main(["import", str(path), "--actor", "tester", "--as-of", "2026-01-31"]) == 1
    err = capsys.readouterr().err
    assert "2行目" in err and "AB列" in err and "3行目" in err and "何も書き込んでいません" in err
    assert digest() == state
    assert ImportRecord.objects.latest("id").status == "rejected"


@pytest.mark.national
def test_dry_run_writes_nothing_and_export_imports_back_unchanged():
    as_of = latest()
    state = digest()
    table = procedures_table(as_of)
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf\xe5\x85\xa8")  # BOM, then 全国地方公共団体コード
    rows = table_rows(procedures_table(as_of))
    assert len(rows) == 1741 * 26
    records = ImportRecord.objects.count()
    dry = run_import(data, "procedures_export.csv", dry_run=True)
    assert dry.status == "dry_run" and dry.counts["cells_changed"] == 0, [p.format() for p in dry.errors]
    assert digest() == state and ImportRecord.objects.count() == records


def test_import_into_a_new_month_carries_forward_and_is_unpublished_until_published():
    as_of = latest()
    later = date(as_of.year + 1, 1, 31)
    outcome = run_import(
        f"全国地方公共団体コード,手続番号,オンライン対応,基準日\n{ISHINOMAKI},1,できない,{later}\n".encode(), "n.csv"
    )
    assert outcome.status == "applied"
    assert selectors.resolve_as_of(None) == as_of  # not published yet
    month = ProcedureMonth.objects.get(as_of=later)
    # in a database of sample data the new month carries fictional data forward, so it is labelled 架空
    assert not month.published and month.sample_data
    carried = ProcedureStatus.objects.get(organization_id=ISHINOMAKI, as_of=later).codes
    before = availability_at(as_of)[ISHINOMAKI]
    assert carried[0] == "0" and carried[1:] == before[1:]
    rollup = ProcedureRollup.objects.get(as_of=later).data
    assert rollup["municipalities"] == 1741
