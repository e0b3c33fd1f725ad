"""Public pages rendered by Django's test client over the session's fictional national sample."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shinchoku.progress.models import Month
from tests.datasets import DATA_PAGES

pytestmark = pytest.mark.django_db

SAMPLE = "架空のサンプルデータ"
# Pages that must answer from rollups and small tables alone (never the status history).
ROLLUP_ONLY = ["/", "/businesses", "/businesses/1", "/steps", "/steps?pref=04", "/special-support", "/vendors"]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_national_page_shows_the_figures_and_the_sample_label(client):
    html = html_of(client, "/")
    assert '<html lang="ja">' in html
    assert SAMPLE in html
    assert "完了率" in html and "総務省方式" in html
    assert "特定移行支援" in html
    assert "データ基準日" in html


def test_national_page_takes_a_past_month(client):
    html = html_of(client, "/?as_of=2025-05")
    assert "2025年5月31日" in html
    assert 'href="/prefectures/04?as_of=2025-05"' in html  # time travel survives a click


def test_national_page_falls_back_when_the_month_is_unknown(client):
    html = html_of(client, "/?as_of=1999-01")
    assert "最新の月を表示" in html


@pytest.mark.parametrize("url", DATA_PAGES)
def test_every_data_page_shows_its_month_and_the_sample_label(client, url):
    html = html_of(client, url)
    assert "データ基準日" in html
    assert SAMPLE in html
    assert 'id="page-summary"' in html  # what 読み上げ reads
    assert html.count("<h1") == 1


@pytest.mark.parametrize("url", DATA_PAGES)
def test_pages_have_no_inline_script(client, url):
    # CSP allows only external scripts; chart data travels as json_script (type=application/json).
    html = html_of(client, url)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html


@pytest.mark.parametrize("url", ROLLUP_ONLY)
def test_public_pages_never_read_the_status_history(client, url):
    with CaptureQueriesContext(connection) as queries:
        html_of(client, url)
    assert not [q["sql"] for q in queries if "statussnapshot" in q["sql"].lower()]
    assert len(queries) <= 15, [q["sql"][:120] for q in queries]


def test_tile_map_has_47_named_links_and_a_table(client):
    html = html_of(client, "/")
    links = re.findall(r'<a href="/prefectures/(\d\d)" aria-label="([^"]+)">', html)
    assert len(links) == 47
    assert ("04", "宮城県 完了率の平均 " + links[3][1].split(" ")[-1]) == links[3]
    assert 'id="pref-table-caption"' in html


def test_disclosure_numbers_equal_the_api(client):
    html = html_of(client, "/organizations/042021?as_of=2025-05")
    api = client.get("/api/v1/organizations/042021/progress?as_of=2025-05").json()
    s = api["summary"]
    national, with_own = (float(v) for v in re.findall(r'<td class="num" data-value="([0-9.]+)">', html))
    completion = float(re.search(r'class="big" data-value="([0-9.]+)"', html).group(1))
    assert abs(national - s["progress_rate"]) < 1e-6
    assert abs(with_own - s["progress_rate_incl_own_steps"]) < 1e-6
    assert abs(completion - s["completion_rate"]) < 1e-6
    assert f'<td class="num">{s["systems"] * 40:,}</td>' in html  # ③ national steps


def test_disclosure_page_has_matrix_legend_rates_and_delays(client):
    html = html_of(client, "/organizations/042021")
    for label in ("①移行対象システム", "②作業ステップ", "③総作業ステップ", "④完了済み", "⑤実施しない", "⑥進捗率"):
        assert label in html
    for symbol, label in (("●", "完了済み"), ("◐", "作業中"), ("○", "未着手"), ("－", "対象外")):
        assert f'aria-hidden="true">{symbol}</span>{label}' in html
    assert "独自1" in html and "国の作業ステップのみ" in html and "独自ステップを含む" in html
    assert html.count("<tr") > 44


def test_disclosure_page_shows_a_delay_explanation_when_there_is_one(client):
    from shinchoku.progress.models import DelayExplanation

    delay = DelayExplanation.objects.select_related("system__organization").first()
    html = html_of(client, f"/organizations/{delay.system.organization_id}")
    assert "遅延の説明" in html
    assert delay.department in html and delay.reason.split("。")[0] in html
    assert "今後の実施スケジュール" in html


@pytest.mark.parametrize("code", ["42021", "０４２０２１", " 042021 "])
def test_any_code_form_redirects_to_the_canonical_url(client, code):
    response = client.get(f"/organizations/{code}?as_of=2025-05")
    assert response.status_code == 301
    assert response["Location"] == "/organizations/042021?as_of=2025-05"


def test_a_wrong_check_digit_is_a_404_that_suggests_the_right_organization(client):
    response = client.get("/organizations/042022")
    assert response.status_code == 404
    html = response.content.decode()
    assert "チェックディジット" not in html
    assert "お探しの団体はこちらですか" in html and 'href="/organizations/042021"' in html


def test_prefecture_code_without_zero_redirects_and_unknown_is_404(client):
    assert client.get("/prefectures/4")["Location"] == "/prefectures/04"
    assert client.get("/prefectures/48").status_code == 404
    assert client.get("/businesses/21").status_code == 404


def _rows(html: str) -> list[tuple[str, str, float | None]]:
    body = html.split('id="orgs-caption"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a></th><td>([^<]+)</td><td class="num">([^<]+)</td>', body)
    return [(name, kind, None if rate == "—" else float(rate.rstrip("%"))) for name, kind, rate in rows]


def test_prefecture_list_sorts_by_rate_and_filters_by_kind_and_special_support(client):
    rows = _rows(html_of(client, "/prefectures/04?sort=rate&order=asc"))
    rates = [r for _, _, r in rows if r is not None]
    assert len(rows) == 35 and rates == sorted(rates)
    rows = _rows(html_of(client, "/prefectures/04?kind=町&special=1"))
    assert rows and {k for _, k, _ in rows} == {"町"}
    html = html_of(client, "/prefectures/04?kind=町&special=1")
    assert 'aria-sort="ascending"' in html
    assert "宮城県自身のシステム" in html and "児童扶養手当" in html


def test_prefecture_list_sorts_by_kana(client):
    names = [n for n, _, _ in _rows(html_of(client, "/prefectures/04?sort=name"))]
    assert names[0] == "石巻市"  # イシノマキ comes first in 宮城県's kana order


def test_search_goes_straight_to_a_unique_match_and_lists_ambiguous_ones(client):
    assert client.get("/search?q=石巻")["Location"] == "/organizations/042021"
    assert client.get("/search?q=42021")["Location"] == "/organizations/042021"
    html = html_of(client, "/search?q=府中")
    assert "東京都 府中市" in html and "広島県 府中町" in html
    assert "見つかりません" in html_of(client, "/search?q=存在しない町")


def test_steps_page_compares_a_prefecture_with_the_nation(client):
    html = html_of(client, "/steps?pref=04")
    assert "済み（宮城県）" in html and "ポイント" in html
    assert "①-1" in html and "⑱-1" in html


def test_special_support_page_groups_by_fiscal_year(client):
    html = html_of(client, "/special-support?pref=04")
    assert "令和" in html and "年度" in html
    assert "宮城県で特定移行支援システムがある団体" in html


def test_vendors_page_says_what_its_rate_means(client):
    html = html_of(client, "/vendors")
    assert "（架空）" in html
    assert "システム数で重み付けした平均" in html


def test_glossary_and_accessibility_pages(client):
    html = html_of(client, "/glossary")
    words = ("Fit&amp;Gap分析", "RFI", "RFP", "ガバメントクラウド", "特定移行支援", "標準準拠システム", "対象外")
    for word in words:
        assert word in html, word
    html = html_of(client, "/accessibility")
    assert "WCAG" in html and "2.2" in html and "JIS X 8341-3" in html


def test_pages_say_so_before_any_month_is_published(client):
    Month.objects.update(published=False)
    html = html_of(client, "/prefectures/04")
    assert "まだ公開されているデータがありません" in html


def test_disclosure_page_lists_which_procedures_can_and_cannot_be_done_online(client):
    html = client.get("/organizations/042021").content.decode()
    assert "子育て・介護の手続をオンラインでできるか" in html
    assert "の手続ができます" in html


def test_prefecture_disclosure_page_has_no_procedures_section(client):
    html = client.get("/organizations/040002").content.decode()
    assert "子育て・介護の手続をオンラインでできるか" not in html
