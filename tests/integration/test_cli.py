import csv
import io
import json
from collections import Counter

import pytest

from shinchoku.cli import main

pytestmark = pytest.mark.django_db


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_code_normalises_a_dropped_leading_zero(capsys):
    code, out, _ = run(capsys, "code", "42021")
    assert code == 0
    assert out.strip() == "042021 宮城県 石巻市"


def test_code_accepts_full_width_and_five_digit_forms(capsys):
    assert run(capsys, "code", "０４２０２１")[1].strip() == "042021 宮城県 石巻市"
    assert run(capsys, "code", "01100")[1].strip() == "011002 北海道 札幌市"


def test_code_with_wrong_check_digit_exits_non_zero_with_a_message(capsys):
    code, out, err = run(capsys, "code", "042022")
    assert code != 0
    assert "チェックディジット" in err
    assert out == ""


def test_ambiguous_name_lists_both_organizations(capsys):
    code, out, _ = run(capsys, "code", "府中市")
    assert code == 0
    assert "132063" in out and "342084" in out


def test_variant_character_finds_yusuhara(capsys):
    code, out, _ = run(capsys, "code", "檮原町")
    assert code == 0
    assert out.startswith("394050")


def test_unknown_name_exits_1_with_suggestions(capsys):
    code, _, err = run(capsys, "code", "石巻氏")
    assert code == 1
    assert "見つかりません" in err


def test_export_organizations_csv_has_every_organization_with_bom(capsys, tmp_path):
    target = tmp_path / "orgs.csv"
    assert run(capsys, "export", "organizations", "--format", "csv", "-o", str(target))[0] == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[0] == "全国地方公共団体コード"
    assert header[1] == "地方公共団体名"
    assert len(data) == 1788
    kinds = Counter(r[header.index("団体区分")] for r in data)
    assert [kinds[k] for k in ("都道府県", "政令指定都市", "中核市", "市", "町", "村", "特別区")] == [
        47,
        20,
        62,
        710,
        743,
        183,
        23,
    ]


def test_progress_json_is_the_api_response(capsys, client):
    code, out, _ = run(capsys, "progress", "42021", "--as-of", "2025-05-31", "--json")
    assert code == 0
    cli = json.loads(out)
    api = client.get("/api/v1/organizations/042021/progress?as_of=2025-05-31").json()
    assert cli["summary"] == api["summary"]
    assert [s["completion_rate"] for s in cli["systems"]] == [s["completion_rate"] for s in api["systems"]]
    assert cli["as_of"] == api["as_of"] == "2025-05-31"
    assert cli["sample_data"] is True


def test_progress_human_output_names_both_formulas(capsys):
    code, out, _ = run(capsys, "progress", "042021")
    assert code == 0
    assert "完了率（総務省方式）" in out and "進捗率（石巻市方式）" in out
    assert "架空のサンプルデータ" in out
