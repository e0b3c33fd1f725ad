"""The public side as residents and the press use it: the API docs, search as you type, the phone layout."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from shinchoku.sample.generator import LAST_MONTH
from tests.datasets import PRINT_CASES


def test_api_docs_render_with_no_request_to_another_host(page, base_url):
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    response = page.goto("/api/v1/docs")
    assert response is not None and response.status == 200
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 5
    assert hosts == {urlsplit(base_url).netloc}


def test_search_box_suggests_ishinomaki_while_typing_and_opens_it_with_the_keyboard(page, axe_check):
    page.goto("/")
    box = page.get_by_role("combobox", name="市区町村名・都道府県名・ふりがな・ローマ字・団体コードで探す")
    box.press_sequentially("ishinomaki", delay=20)
    first = page.locator("#q-suggestions [role=option]").first
    first.wait_for()
    assert "石巻市" in first.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    assert axe_check(page) == ""
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "q-option-0"
    box.press("Enter")
    page.wait_for_url("**/organizations/042021")


def test_search_results_page_works_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/search?q=宮城")
    assert pg.locator("ul.results li").count() == 36
    pg.goto("/")
    pg.fill("#q", "いしのまき")
    pg.click("button:has-text('探す')")
    pg.wait_for_url("**/organizations/042021")


def _page_size(pg) -> tuple[int, int, int]:
    return pg.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth, document.documentElement.scrollHeight]"
    )


def test_organization_page_at_375_px_is_at_most_2_5_times_as_tall_as_at_1280_px(context_factory):
    heights = {}
    for width in (375, 1280):
        pg = context_factory(viewport={"width": width, "height": 800}).new_page()
        pg.goto("/organizations/042021")
        scroll_width, inner, heights[width] = _page_size(pg)
        assert scroll_width <= inner, f"{width}px: page is {scroll_width}px wide"
    assert heights[375] <= 2.5 * heights[1280], heights


def test_systems_table_becomes_cards_on_a_phone(context_factory):
    pg = context_factory(viewport={"width": 375, "height": 800}).new_page()
    pg.goto("/organizations/042021")
    row = pg.locator("table.cards-on-phone tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert pg.locator("table.cards-on-phone thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    assert "完了率" in row.locator("td[data-label=完了率]").evaluate("c => getComputedStyle(c, '::before').content")


def test_phone_header_folds_the_navigation_behind_a_menu_button(context_factory, axe_check):
    pg = context_factory(viewport={"width": 375, "height": 800}).new_page()
    pg.goto("/")
    nav = pg.get_by_role("navigation", name="サイト内の主なページ")
    menu = pg.get_by_role("button", name="メニュー")
    assert not nav.is_visible()
    assert pg.locator(".site-header").evaluate("h => h.getBoundingClientRect().height") < 150
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    assert axe_check(pg) == ""
    # The tile map fits the width: every prefecture (北海道 at the top right too) is on screen.
    svg = pg.locator(".tilemap-svg").bounding_box()
    assert svg is not None and svg["x"] >= 0 and svg["x"] + svg["width"] <= 375


def test_phone_header_stays_open_without_javascript(context_factory):
    pg = context_factory(viewport={"width": 375, "height": 800}, java_script_enabled=False).new_page()
    pg.goto("/")
    assert pg.get_by_role("navigation", name="サイト内の主なページ").is_visible()
    assert not pg.locator(".menu-toggle").is_visible()


NEW_PAGES = [
    "/rankings",
    "/rankings?pref=04&kind=市&sort=late",
    "/compare",
    "/compare?codes=042021,041009,132063,131016",
    "/changes",
    "/changes?as_of=2025-05&pref=04",
    "/embed/organizations/042021",
    "/embed/prefectures/04",
]


@pytest.mark.parametrize("path", NEW_PAGES)
@pytest.mark.parametrize("width", [375, 1280])
def test_new_page_passes_axe_without_horizontal_scroll(reader, axe_check, path, width):
    pg = reader(width=width, height=800)  # its console must stay clean
    response = pg.goto(path)
    assert response is not None and response.status == 200
    scroll_width, inner, _ = _page_size(pg)
    assert scroll_width <= inner, f"{path}: {scroll_width}px wide at {width}px"
    assert axe_check(pg) == ""


def test_rankings_filter_without_javascript(context_factory):
    pg = context_factory(java_script_enabled=False).new_page()
    pg.goto("/rankings")
    pg.select_option("#pref", "04")
    pg.select_option("#sort", "late")
    pg.click("form.filters button")
    pg.wait_for_url("**/rankings?*pref=04*")
    names = pg.locator("table.ranking tbody th").all_inner_texts()
    assert names and all(n.startswith("宮城県") for n in names)


def test_compare_is_reachable_from_the_organization_page_and_adds_a_peer(page):
    page.goto("/organizations/042021")
    page.get_by_role("link", name="ほかの団体と比べる").click()
    page.wait_for_url("**/compare?codes=042021")
    page.get_by_role("link", name="塩竈市 を比べる団体に加える").click()
    page.wait_for_url("**/compare?codes=042021,042030")
    assert page.locator("#trend-chart svg, .chart[data-chart] svg").count() >= 1
    assert page.locator("table.compare").first.locator("thead th").count() == 3


def test_embed_card_shows_in_an_iframe_of_another_page_and_other_pages_do_not(context_factory, base_url):
    pg = context_factory().new_page()
    # The embedding page is on another origin (localhost instead of 127.0.0.1, so Chromium's local-network
    # rules allow it): a static file with no CSP of its own, into which the test puts two iframes.
    pg.goto(base_url.replace("127.0.0.1", "localhost") + "/static/shinchoku/embed.css")
    pg.evaluate(
        """base => {
            for (const [id, path] of [["ok", "/embed/organizations/042021"], ["no", "/organizations/042021"]]) {
                const f = document.createElement("iframe");
                f.id = id; f.title = id; f.src = base + path;
                document.body.append(f);
            }
        }""",
        base_url,
    )
    embed = pg.frame_locator("#ok").locator("h1")
    embed.wait_for(state="attached")
    assert "石巻市" in (embed.text_content() or "")
    pg.wait_for_timeout(1000)  # the refused frame shows the browser's own error page, not ours
    assert "石巻市" not in (pg.frame_locator("#no").locator("body").text_content() or "")


def test_read_aloud_says_the_plain_sentence_apart_from_the_badge_and_tells_when_no_voice_is_there(context_factory):
    from .test_e2e_features import SPEECH_STUB

    ctx = context_factory()
    ctx.add_init_script(SPEECH_STUB)  # a browser that can speak but has no Japanese voice
    pg = ctx.new_page()
    pg.goto("/organizations/042021")
    summary = pg.locator("#page-summary").inner_text()
    assert (
        summary.startswith(("予定どおり進んでいます。", "移行の作業は")) or "のシステムが遅れています。" in summary[:20]
    )
    pg.get_by_role("button", name="読み上げ").click()
    spoken = pg.evaluate("window.__spoken")[0]["text"]
    assert spoken.startswith("宮城県 石巻市の進捗。架空のサンプルデータ。")
    assert summary.split("。")[0] in spoken
    assert "日本語の読み上げ音声が見つかりません" in pg.locator("[data-speak-status]").inner_text()


@pytest.mark.parametrize("code", sorted(PRINT_CASES))
def test_organization_page_prints_on_at_most_three_a4_pages_with_footer_and_every_delay_explanation(reader, code):
    """The sample's fullest 団体 pages (tests/datasets.py) at its last month, the only one with delay explanations.
    (`page.pdf` prints with the print styles for the PDF only: the kept tab stays a screen tab.)"""
    page = reader()
    import io

    from pypdf import PdfReader

    from .test_e2e_features import _plain

    month = LAST_MONTH.strftime("%Y-%m")
    page.goto(f"/organizations/{code}?as_of={month}")
    systems = page.locator(".systems-section tbody tr").count()
    delays = page.locator(".delays .delay").count()
    schedules = page.locator(".delays .delay table caption[id^=schedule]").count()
    assert page.locator(".print-note").is_hidden()  # print-only: neither shown nor read aloud on screen
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) <= 3, f"{PRINT_CASES[code]}: {len(pdf.pages)} pages"
    texts = [_plain(p.extract_text()) for p in pdf.pages]
    for text in texts:  # the footer on every page: URL with the month, print date, month, source
        assert f"/organizations/{code}?as_of={month}" in text
        assert "印刷日" in text and f"データ基準日{LAST_MONTH.year}年{LAST_MONTH.month}月末" in text
        assert "架空のサンプルデータ" in text
    whole = "".join(texts)
    assert "このページの数値(JSON)" not in whole and "この数値を引用する" not in whole
    # The first page has the whole systems table (each row names the basis of its figures).
    basis = texts[0].count(_plain("作業ステップの状態")) + texts[0].count(_plain("総務省の公表値（完了率のみ）"))
    assert systems >= 19 and basis == systems
    # Every delay explanation is printed (one 見込み each); what is left out is counted and said where to read.
    assert whole.count(_plain("移行完了時期（見込）：")) == delays
    assert _plain("印刷していないもの（画面のこのページ（下の URL）で見られます）") in whole
    if schedules:
        assert _plain(f"「今後の実施スケジュール」{schedules}件") in whole
