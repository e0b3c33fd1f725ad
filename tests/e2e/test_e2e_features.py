"""Read aloud, text size and contrast, print, keyboard-only search, charts and time travel in Chromium."""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader

from tests.e2e.conftest import CHARTS_DRAWN

SPEECH_STUB = """
window.__spoken = [];
window.__cancelled = 0;
if (typeof window.SpeechSynthesisUtterance !== 'function') {
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}
Object.defineProperty(window, 'speechSynthesis', {
  configurable: true,
  value: {
    speak(u) { window.__spoken.push({ text: u.text, lang: u.lang }); },
    cancel() { window.__cancelled += 1; },
    getVoices() { return []; },
    speaking: false, pending: false, paused: false,
  },
});
"""
NO_SPEECH = "Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: undefined });"


def test_read_aloud_speaks_the_page_summary_in_japanese_and_stops(context_factory):
    ctx = context_factory()
    ctx.add_init_script(SPEECH_STUB)
    pg = ctx.new_page()
    pg.goto("/organizations/042021")
    speak = pg.get_by_role("button", name="読み上げ")
    stop = pg.get_by_role("button", name="停止")
    assert speak.is_visible() and stop.is_disabled()
    speak.click()
    spoken = pg.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "ja-JP"
    assert "石巻市" in spoken[0]["text"] and "進捗率" in spoken[0]["text"]
    assert stop.is_enabled()
    before = pg.evaluate("window.__cancelled")
    stop.click()
    assert pg.evaluate("window.__cancelled") == before + 1
    assert stop.is_disabled()


def test_read_aloud_is_hidden_when_the_browser_cannot_speak(context_factory):
    ctx = context_factory()
    ctx.add_init_script(NO_SPEECH)
    pg = ctx.new_page()
    pg.goto("/")
    assert pg.locator("#display-tools").is_visible()  # text size and contrast still work
    assert not pg.get_by_role("button", name="読み上げ").is_visible()


def test_text_size_and_contrast_are_remembered_across_pages(page, axe_check):
    page.goto("/")
    page.get_by_role("button", name="特大").click()
    page.get_by_role("button", name="ハイコントラスト").click()
    page.goto("/prefectures/04")
    page.wait_for_function(CHARTS_DRAWN)
    classes = page.locator("html").get_attribute("class") or ""
    assert "text-xlarge" in classes and "contrast-high" in classes
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="ハイコントラスト").get_attribute("aria-pressed") == "true"
    assert axe_check(page) == ""  # the high-contrast, large-text state passes too
    page.get_by_role("button", name="標準").click()
    page.get_by_role("button", name="ハイコントラスト").click()
    page.goto("/steps")
    classes = page.locator("html").get_attribute("class") or ""
    assert "text-xlarge" not in classes and "contrast-high" not in classes


def test_disclosure_page_prints_a4_landscape_with_matrix_legend_and_both_rates(page):
    page.goto("/organizations/042021?as_of=2025-05")
    rates = page.locator(".rate-table tr.result td").all_inner_texts()
    completion = page.locator(".soumu .big").inner_text()
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    first = pdf.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape
    assert abs(float(first.mediabox.width) - 842) < 3  # A4: 297 mm
    text = _plain("".join(p.extract_text() for p in pdf.pages))
    for label in ("完了済み", "作業中", "未着手", "対象外", "凡例"):
        assert _plain(label) in text, label
    assert _plain("⑥進捗率") in text and _plain("完了率（総務省方式）") in text
    assert len(rates) == 2 and all(_plain(r) in text for r in rates), rates
    assert _plain(completion) in text
    assert _plain("①-1 推進体制案の作成") in text and _plain("独自1") in text  # the matrix rows


def _plain(text: str) -> str:
    # PDF text extraction yields CJK radicals (⾃ for 自) and spacing of its own; NFKC folds both sides alike.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_other_pages_print_without_navigation(page):
    page.goto("/")
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator("#display-tools").is_visible()
    assert page.locator("h1").is_visible()


def test_find_my_town_with_the_keyboard_only(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "本文へ移動"
    assert skip.bounding_box()["x"] >= 0  # visible when focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    for _ in range(60):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("石巻")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organizations/042021")
    assert "石巻市" in page.locator("h1").inner_text()


def test_an_ambiguous_name_lists_the_candidates(page):
    page.goto("/search?q=府中")
    links = page.locator("ul.results a")
    assert links.count() >= 2
    texts = links.all_inner_texts()
    assert any("東京都" in t for t in texts) and any("広島県" in t for t in texts)


def test_charts_are_svg_with_a_japanese_description_and_keep_their_table(page):
    page.goto("/")
    page.wait_for_function(CHARTS_DRAWN)
    chart = page.locator(".chart[data-chart='trend-chart']")
    assert chart.get_attribute("role") == "img"
    assert "推移" in (chart.get_attribute("aria-label") or "")
    assert chart.locator("svg").count() == 1
    details = page.locator("details[data-collapse-with-chart]").first
    assert details.get_attribute("open") is None  # folded, one click away
    details.locator("summary").click()
    assert page.locator("#trend-caption").is_visible()


def test_time_travel_keeps_the_month_across_links(page):
    page.goto("/?as_of=2025-05")
    assert "2025年5月31日" in page.locator(".as-of").inner_text()
    page.locator("svg.tilemap-svg a[href^='/prefectures/04']").click()
    page.wait_for_url("**/prefectures/04?as_of=2025-05")
    assert "2025年5月31日" in page.locator(".as-of").inner_text()
    page.locator("#orgs-caption ~ tbody a", has_text="石巻市").click()
    page.wait_for_url("**/organizations/042021?as_of=2025-05")
    assert "2025年5月31日" in page.locator(".as-of").inner_text()


def test_disclosure_numbers_equal_the_api(page):
    page.goto("/organizations/042021?as_of=2025-05")
    api = page.request.get("/api/v1/organizations/042021/progress?as_of=2025-05").json()["summary"]
    national, with_own = (
        float(v)
        for v in page.locator(".rate-table tr.result td").evaluate_all("cells => cells.map(c => c.dataset.value)")
    )
    completion = float(page.locator(".soumu .big").get_attribute("data-value"))
    assert abs(national - api["progress_rate"]) < 1e-6
    assert abs(with_own - api["progress_rate_incl_own_steps"]) < 1e-6
    assert abs(completion - api["completion_rate"]) < 1e-6
