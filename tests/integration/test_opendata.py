"""Open data files (docs/formats.md §10): contents, formula safety, sample labels, round trip through the importer."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from shinchoku import SAMPLE_LABEL
from shinchoku.domain.cells import cell
from shinchoku.imports.services import ImportOptions, import_file
from shinchoku.opendata import catalogue
from shinchoku.opendata.progress_tables import progress_table
from shinchoku.opendata.tables import Column, Table
from shinchoku.opendata.writers import csv_bytes, write_json
from shinchoku.opendata.xlsx import write_xlsx
from shinchoku.progress import selectors
from shinchoku.progress.models import SystemAttributes

pytestmark = pytest.mark.django_db

LONG_CSV_HEADER = ["全国地方公共団体コード", "対象システム", "作業ステップ", "状態", "基準日"]
PERSONAL = ("updated_by", "actor", "published_by", "changed_by", "email", "user")


def _latest() -> date:
    return selectors.resolve_as_of(None)


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 BOM so Excel reads it as UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _table(values: list[str]) -> Table:
    return Table("t", "試験", [Column("v", "値", "", "str", "")], [(v,) for v in values])


def test_csv_neutralises_a_leading_equals_sign():
    rows = _rows(csv_bytes(_table(["=1+1", "+81", "-1", "@SUM(A1)", "普通", "a=b"])))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+81", "'-1", "'@SUM(A1)", "普通", "a=b"]


def test_csv_writes_numbers_dates_and_booleans_plainly():
    assert cell(0.5) == 0.5
    assert cell(-3) == -3  # numbers are not text, so never a formula
    assert cell(date(2026, 1, 31)) == "2026-01-31"
    assert cell(True) == "はい" and cell(None) == ""


def test_xlsx_stores_a_leading_equals_sign_as_text_not_a_formula(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx([_table(['=HYPERLINK("http://x")', "@A1", "普通"])], path, as_of=None, sample=False)
    ws = load_workbook(path)["試験"]
    cells = [ws.cell(row=i, column=1) for i in (2, 3, 4)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "@A1", "普通"]
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def test_a_vendor_name_starting_with_equals_is_neutralised_in_the_special_support_csv(tmp_path):
    row = SystemAttributes.objects.filter(special_support=True, as_of__lte=_latest()).order_by("-as_of").first()
    SystemAttributes.objects.filter(pk=row.pk).update(vendor="=cmd|'/c calc'!A1")
    path = tmp_path / "s.csv"
    catalogue.write_file("special-support", "csv", as_of=_latest(), sample=True, path=path)
    rows = _rows(path.read_bytes())
    vendor = rows[0].index("事業者名")
    assert "'=cmd|'/c calc'!A1" in [r[vendor] for r in rows[1:]]
    assert not any(r[vendor].startswith("=") for r in rows[1:])


def test_progress_csv_has_the_long_csv_header_and_one_row_per_system_and_step():
    as_of = _latest()
    rows = _rows(csv_bytes(progress_table(as_of, True, only={"042021"})))
    assert rows[0][:5] == LONG_CSV_HEADER
    assert rows[0][5:] == ["作業ステップ名", "事業者名", "パッケージ名", "備考"]
    body = rows[1:]
    progress = selectors.organization_progress(code="042021", as_of=as_of)
    assert len(body) == sum(len(s["steps"]) for s in progress["systems"])
    assert {r[4] for r in body} == {as_of.isoformat()}
    assert {r[8] for r in body} == {SAMPLE_LABEL}
    labels = {"completed": "完了済み", "in_progress": "作業中", "not_started": "未着手", "not_applicable": "対象外"}
    expected = {(s["name"], st["step"]): labels[st["status"]] for s in progress["systems"] for st in s["steps"]}
    assert {(r[1], r[2]): r[3] for r in body} == expected
    own = [r for r in body if r[2].startswith("独自")]
    assert own and all(r[5] for r in own)  # own steps carry their names


def test_progress_csv_reimports_with_the_long_csv_importer_and_changes_nothing():
    data = csv_bytes(progress_table(_latest(), True, only={"042021", "131059"}))
    outcome = import_file(data, ImportOptions(actor="test", file_name="progress.csv", dry_run=True))
    assert outcome.errors == []
    assert outcome.format == "long"
    assert outcome.status == "dry_run"
    counts = outcome.counts
    assert counts["cells_reported"] == data.count(b"\r\n") - 1
    assert counts["cells_changed"] == 0
    assert counts["new_systems"] == [] and counts["new_own_steps"] == {}
    assert counts["organizations"] == 2


def test_sample_files_are_labelled_in_every_format(tmp_path):
    as_of = _latest()
    for fmt in ("csv", "json", "xlsx", "parquet"):
        path = tmp_path / f"o.{fmt}"
        catalogue.write_file("prefecture-summary", fmt, as_of=as_of, sample=True, path=path)
        if fmt == "csv":
            rows = _rows(path.read_bytes())
            assert {r[rows[0].index("データ区分")] for r in rows[1:]} == {SAMPLE_LABEL}
        elif fmt == "json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            assert doc["sample_data"] is True and SAMPLE_LABEL in doc["notice"]
            assert {r["data_label"] for r in doc["records"]} == {SAMPLE_LABEL}
        elif fmt == "xlsx":
            about = load_workbook(path, read_only=True)["説明"]
            assert any(SAMPLE_LABEL in str(c.value) for row in about.iter_rows() for c in row if c.value)
        else:
            meta = pq.read_schema(path).metadata
            assert SAMPLE_LABEL in meta[b"notice"].decode()
            assert set(pq.read_table(path).column("データ区分").to_pylist()) == {SAMPLE_LABEL}


def test_summary_csvs_start_with_the_code_and_the_name():
    as_of = _latest()
    for name in ("organization-summary", "prefecture-summary", "special-support", "organizations"):
        header = _rows(csv_bytes(catalogue.SPECS[name].build(as_of, True)))[0]
        assert header[:2] == ["全国地方公共団体コード", "地方公共団体名"], name


def test_organization_summary_matches_the_api_for_a_municipality(client):
    as_of = _latest()
    rows = _rows(csv_bytes(catalogue.SPECS["organization-summary"].build(as_of, True)))
    head, ishinomaki = rows[0], next(r for r in rows if r[0] == "042021")
    api = client.get("/api/v1/organizations/042021/progress").json()["summary"]
    assert int(ishinomaki[head.index("移行対象システム数")]) == api["systems"]
    assert float(ishinomaki[head.index("完了率（総務省方式）")]) == pytest.approx(api["completion_rate"], abs=1e-6)
    assert float(ishinomaki[head.index("進捗率（石巻市方式）")]) == pytest.approx(api["progress_rate"], abs=1e-6)
    assert len(rows) - 1 == 1788


def test_prefecture_summary_matches_the_api(client):
    rows = _rows(csv_bytes(catalogue.SPECS["prefecture-summary"].build(_latest(), True)))
    head, miyagi = rows[0], next(r for r in rows if r[2] == "04")
    api = client.get("/api/v1/prefectures/04/summary").json()
    assert miyagi[0] == "040002" and miyagi[1] == "宮城県"
    assert int(miyagi[head.index("市区町村数")]) == api["organizations"]
    assert float(miyagi[head.index("完了率の平均（総務省方式）")]) == pytest.approx(
        api["completion_rate_mean"], abs=1e-6
    )


def test_special_support_list_has_every_special_support_system_of_the_month(client):
    as_of = _latest()
    doc = io.StringIO()
    write_json(catalogue.SPECS["special-support"].build(as_of, True), doc)
    records = json.loads(doc.getvalue())["records"]
    everyone = client.get("/api/v1/summary?include=prefectures").json()
    assert len(records) == everyone["special_support_systems"]
    assert len({r["code"] for r in records}) == everyone["special_support_organizations"]
    assert all(r["planned_completion"] for r in records)
    assert all(r["planned_completion_fy"] >= 2025 for r in records)
    # Both spellings of the 年度: 2027 and 令和9年度, as the page writes it.
    assert all(r["planned_completion_fy_label"] == f"令和{r['planned_completion_fy'] - 2018}年度" for r in records)


def test_public_files_have_no_personal_data_columns():
    for table in catalogue.describe():
        keys = {c.key for c in table.columns} | {c.heading for c in table.columns}
        assert not any(p in k for k in keys for p in PERSONAL), table.name


@pytest.mark.national
def test_the_sqlite_bundle_opens_with_every_table_indexed_and_labelled(tmp_path):
    path = tmp_path / "all.sqlite"
    n = catalogue.write_file("all", "sqlite", as_of=_latest(), sample=True, path=path)
    assert n > 1_000_000
    db = sqlite3.connect(path)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"organizations", "progress", "organization_summary", "prefecture_summary", "special_support"} <= names
    assert {"_metadata", "_tables", "_columns"} <= names
    meta = dict(db.execute("SELECT key, value FROM _metadata"))
    assert meta["data_label"] == SAMPLE_LABEL and meta["sample_data"] == "true"
    plan = " ".join(
        str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT * FROM progress WHERE 全国地方公共団体コード = '042021'")
    )
    assert "USING INDEX" in plan
    assert db.execute("SELECT COUNT(*) FROM organizations").fetchone()[0] == 1788
    columns = [r[1] for t in names for r in db.execute(f'PRAGMA table_info("{t}")')]
    assert not any(p in c for c in columns for p in PERSONAL)
    db.close()
