"""The government's files in their published layouts, imported as an operator would (no --format, no --as-of),
into a database of real data: the API then gives the published national figures.

The session database holds the fictional sample; this module empties it inside one transaction (rolled back
at the end) so real and fictional data never meet, as in a real installation.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.db import transaction

from shinchoku.domain.status import parse_status
from shinchoku.imports.services import ImportOptions, import_file
from shinchoku.procedures.models import ProcedureChange, ProcedureMonth, ProcedureRollup, ProcedureStatus
from shinchoku.progress.models import SpecialSupportList
from shinchoku.publication.models import Dataset
from shinchoku.reference.official import OFFICIAL_DIR
from shinchoku.sample.loader import PROGRESS_TABLES
from tests.official_files import digital_list, read_official, soumu_workbook

AS_OF = "2026-01-31"


def empty_progress_data() -> None:
    """Remove every progress row (the sample) inside the caller's transaction."""
    for model in (
        SpecialSupportList,  # its entries point to systems
        *PROGRESS_TABLES,
        ProcedureRollup,
        ProcedureChange,
        ProcedureStatus,
        ProcedureMonth,
        Dataset,
    ):
        model.objects.all().delete()


def operator_options(name: str, **kw: object) -> ImportOptions:
    return ImportOptions(actor="operator", file_name=name, source="cli", **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def official(django_db_setup, django_db_blocker):
    """The two official files imported into an otherwise empty database; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        empty_progress_data()
        soumu = import_file(soumu_workbook(), operator_options("進捗状況.xlsx", publish=True))
        special = import_file(digital_list(), operator_options("特定移行支援システムの該当見込み一覧.xlsx"))
        yield {"soumu": soumu, "special": special}
        transaction.set_rollback(True)


def close(value: float | None, expected: float, tolerance: float = 0.0005) -> bool:
    return value is not None and abs(value - expected) <= tolerance


@pytest.mark.django_db
def test_both_official_layouts_import_without_format_or_date(official) -> None:
    soumu, special = official["soumu"], official["special"]
    assert soumu.status == "applied", [p.format() for p in soumu.errors]
    assert soumu.format == "soumu"
    assert soumu.counts["months"] == [AS_OF]
    assert soumu.counts["rates_reported"] == 1741 * 20
    sheets = {s["sheet"]: s for s in soumu.counts["sheets"]}
    assert sheets["令和8年1月_進捗状況"]["status"] == "read" and sheets["令和8年1月_進捗状況"]["rows"] == 1741
    assert sheets["業務別ステップ別進捗一覧"]["status"] == "read" and sheets["業務別ステップ別進捗一覧"]["rows"] == 94
    # every other sheet is listed with its reason, never silently ignored
    assert sheets["都道府県別"]["status"] == "skipped" and "都道府県別の集計" in sheets["都道府県別"]["reason"]
    assert sheets["注記"]["status"] == "skipped" and sheets["注記"]["reason"]
    assert special.status == "applied", [p.format() for p in special.errors]
    assert special.format == "special-support"
    assert special.counts["organizations"] == 935 and special.counts["systems"] == 8956


@pytest.mark.django_db
def test_national_figures_equal_the_published_ones(official, client) -> None:
    data = client.get("/api/v1/summary").json()
    assert data["as_of"] == AS_OF and data["sample_data"] is False
    assert close(data["completion_rate_mean"], 0.8157) and close(data["completion_rate_median"], 0.8363)
    assert data["organizations"] == 1741 and data["systems"] == 34820
    assert data["basis"] == "published_rate" and data["systems_with_steps"] == 0
    # figures that need step statuses are not invented from rates
    assert data["systems_in_operation"] is None and data["on_schedule_share"] is None
    assert data["special_support_organizations"] == 935 and data["special_support_systems"] == 8956
    assert data["source"].startswith("出典：総務省") and "デジタル庁" in data["source"]


@pytest.mark.django_db
def test_prefecture_and_business_figures(official, client) -> None:
    assert close(client.get("/api/v1/prefectures/10/summary").json()["completion_rate_mean"], 0.9422)
    assert close(client.get("/api/v1/prefectures/16/summary").json()["completion_rate_mean"], 0.6996)
    gifu = client.get("/api/v1/prefectures/21/summary").json()
    assert (gifu["special_support_organizations"], gifu["special_support_systems"]) == (39, 644)
    welfare = client.get("/api/v1/businesses/15/summary").json()
    assert close(welfare["completion_rate"], 0.9052)
    assert welfare["systems"] == 1741 and welfare["prefectures_own"]["systems"] == 47


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["394050", "132063", "342084", "011002"])
def test_each_organisation_has_the_published_rates(official, client, code: str) -> None:
    """梼原町 (written 檮原町), both 府中市 (written 「府中市　」) and 札幌市 (rates written as text)."""
    row = next(
        r for r in read_official("soumu_municipal_business_rates_2026-01.csv") if r["全国地方公共団体コード"] == code
    )
    data = client.get(f"/api/v1/organizations/{code}/progress").json()
    assert data["summary"]["basis"] == "published_rate"
    assert close(data["summary"]["completion_rate"], float(row["完了率（全体）"]), 0.00005)
    by_business = {s["business"]: s for s in data["systems"]}
    for business, rate in row.items():
        if business in by_business:
            system = by_business[business]
            assert system["completion_rate"] == pytest.approx(float(rate))
            assert system["steps"] is None and system["counts"] is None and system["on_schedule"] is None


@pytest.mark.django_db
def test_prefecture_own_systems_equal_their_step_statuses(official, client) -> None:
    expected: dict[str, Counter[str]] = {}
    with (OFFICIAL_DIR / "soumu_prefecture_steps_2026-01.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["全国地方公共団体コード"] == "040002":
                # the CSV writes statuses as published (未 for 未着手): read them as an import would
                expected.setdefault(r["対象システム"], Counter())[parse_status(r["状態"]).label] += 1
    data = client.get("/api/v1/organizations/040002/progress").json()
    assert data["summary"]["basis"] == "steps"
    labels = {"completed": "完了済み", "in_progress": "作業中", "not_started": "未着手", "not_applicable": "対象外"}
    for system in data["systems"]:
        counts = {labels[k]: v for k, v in system["counts"].items() if v}
        assert counts == dict(expected[system["name"]])
        statuses = Counter(s["status_label"] for s in system["steps"])
        assert statuses == expected[system["name"]]


@pytest.mark.django_db
def test_pages_name_the_source_and_never_say_fictional(official, client) -> None:
    pages = ("/", "/prefectures/04", "/organizations/042021", "/businesses/15", "/steps", "/special-support")
    for url in (*pages, "/vendors", "/opendata/"):
        body = client.get(url).content.decode()
        assert "出典：総務省" in body, url
        assert "架空" not in body, url
    national = client.get("/").content.decode()
    assert "81.6%" in national
    assert "総務省の公表は業務ごとの完了率のみ" in client.get("/steps").content.decode()


@pytest.mark.django_db
def test_reimporting_the_same_files_changes_nothing(official) -> None:
    again = import_file(soumu_workbook(), operator_options("進捗状況.xlsx"))
    assert again.status == "applied"
    assert again.counts["cells_changed"] == 0 and again.counts["rates_changed"] == 0
    special = import_file(digital_list(), operator_options("list.xlsx"))
    assert special.counts["systems_added"] == 0 and special.counts["systems_removed"] == 0


@pytest.mark.django_db
def test_reported_statuses_win_and_the_published_rate_is_shown_beside(official, client) -> None:
    long_csv = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n" + "".join(
        f"011002,住民基本台帳,{n},完了済み,{AS_OF}\n" for n in range(1, 41)
    )
    outcome = import_file(long_csv.encode(), operator_options("sapporo.csv"))
    assert outcome.status == "applied", [p.format() for p in outcome.errors]
    data = client.get("/api/v1/organizations/011002/progress").json()
    system = next(s for s in data["systems"] if s["business"] == "住民基本台帳")
    assert system["basis"] == "steps" and system["completion_rate"] == 1.0
    assert system["published_completion_rate"] is not None and system["published_completion_rate"] < 1.0
    assert data["summary"]["basis"] == "mixed" and data["summary"]["systems_with_steps"] == 1
    page = client.get("/organizations/011002").content.decode()
    assert "総務省の公表値 65.0%" in page


@pytest.mark.django_db
def test_a_later_list_replaces_the_designations_from_its_date_on(official, client) -> None:
    march = "2026-03-31"
    report = f"全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n011002,住民基本台帳,1,完了済み,{march}\n"
    assert import_file(report.encode(), operator_options("march.csv", publish=True)).status == "applied"
    rows = read_official("digital_special_support_2025-12.csv")[:10]  # a much shorter list, later
    later = import_file(digital_list(rows=rows, title_date="令和8年3月末時点"), operator_options("list-2026-03.xlsx"))
    assert later.status == "applied", [p.format() for p in later.errors]
    assert later.counts["list_as_of"] == march and later.counts["systems_removed"] > 0
    listed = sum(1 for r in rows for k, v in r.items() if v == "●")
    march_summary = client.get("/api/v1/summary?as_of=2026-03").json()
    assert (march_summary["special_support_organizations"], march_summary["special_support_systems"]) == (10, listed)
    # 2026-01 still shows the list in force then
    assert client.get("/api/v1/summary?as_of=2026-01").json()["special_support_systems"] == 8956
    history = client.get("/special-support?as_of=2026-03").content.decode()
    assert "一覧の推移" in history and "2026年3月末" in history.replace("\n", "")


@pytest.mark.django_db
def test_a_workbook_with_no_known_sheet_is_refused_naming_its_sheets() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "メモ"
    wb.active.append(["関係ない表"])
    wb.create_sheet("集計")
    import io

    out = io.BytesIO()
    wb.save(out)
    outcome = import_file(out.getvalue(), operator_options("other.xlsx", format="soumu"))
    assert outcome.status == "rejected"
    assert any("「メモ」" in p.message and "「集計」" in p.message for p in outcome.errors)
