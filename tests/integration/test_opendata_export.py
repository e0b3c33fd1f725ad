"""`shinchoku export KIND --format …`: the same files as /opendata/, to a file or standard output."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from shinchoku.cli import main
from shinchoku.opendata import catalogue
from shinchoku.progress import selectors

pytestmark = pytest.mark.django_db


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_writes_a_table_in_every_format(capsys, tmp_path):
    for fmt in ("csv", "json", "xlsx", "parquet", "sqlite"):
        target = tmp_path / f"pref.{fmt}"
        code, _, err = run(capsys, "export", "prefecture-summary", "--format", fmt, "-o", str(target))
        assert code == 0, err
        assert target.stat().st_size > 0
    assert json.loads((tmp_path / "pref.json").read_text(encoding="utf-8"))["name"] == "prefecture-summary"
    assert load_workbook(tmp_path / "pref.xlsx", read_only=True).sheetnames == ["説明", "都道府県別の集計"]
    assert pq.read_table(tmp_path / "pref.parquet").num_rows == 47
    db = sqlite3.connect(tmp_path / "pref.sqlite")
    assert db.execute("SELECT COUNT(*) FROM prefecture_summary").fetchone()[0] == 47
    db.close()


def test_export_to_a_directory_uses_the_dated_file_name(capsys, tmp_path):
    code, _, _ = run(capsys, "export", "special-support", "--format", "csv", "-o", str(tmp_path))
    month = f"{selectors.resolve_as_of(None):%Y-%m}"
    assert code == 0
    assert (tmp_path / f"special-support_{month}.csv").exists()


def test_export_csv_to_standard_output(capsysbinary):
    assert main(["export", "prefecture-summary", "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    assert rows[0][0] == "全国地方公共団体コード" and len(rows) == 48


def test_export_of_a_past_month_has_that_months_base_date(capsys, tmp_path):
    target = tmp_path / "o.json"
    assert (
        run(capsys, "export", "organization-summary", "--format", "json", "--as-of", "2024-03", "-o", str(target))[0]
        == 0
    )
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["as_of"] == "2024-03-31"


def test_export_all_as_parquet_is_one_zip_with_a_file_per_table(capsys, tmp_path):
    target = tmp_path / "all.zip"
    assert run(capsys, "export", "all", "--format", "parquet", "-o", str(target))[0] == 0
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
    month = f"{selectors.resolve_as_of(None):%Y-%m}"
    assert sorted(names) == sorted(f"{n}_{month}.parquet" for n in catalogue.SPECS)
    assert len(names) == len(catalogue.SPECS) > 0


def test_export_command_offers_every_catalogue_kind_and_format(capsys):
    for kind in catalogue.KINDS:
        with pytest.raises(SystemExit):
            run(capsys, "export", kind, "--format", "nope")
        assert "invalid choice: 'nope'" in capsys.readouterr().err  # the kind itself was accepted
    for fmt in catalogue.FORMATS:
        with pytest.raises(SystemExit):
            run(capsys, "export", "nope", "--format", fmt)
        assert "argument kind: invalid choice: 'nope'" in capsys.readouterr().err


def test_procedures_summary_csv_has_the_same_national_share_as_the_api(capsys, tmp_path, client):
    target = tmp_path / "p.csv"
    code, _, err = run(capsys, "export", "procedures-summary", "--format", "csv", "-o", str(target))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    nation = next(r for r in rows if r["集計区分"] == "全国")
    api = client.get("/api/v1/procedures/summary").json()
    assert float(nation["完了した市区町村の割合"]) == pytest.approx(api["completed_share"], abs=1e-6)
    assert int(nation["完了した市区町村数"]) == api["completed_municipalities"]


def test_export_of_a_month_before_any_data_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "export", "organization-summary", "--as-of", "2019-01", "-o", str(tmp_path / "x.csv"))
    assert code == 1
    assert "データはありません" in err
