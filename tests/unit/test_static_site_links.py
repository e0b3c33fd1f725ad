"""The static export's file scheme and link rewriting (pure functions, no database)."""

from __future__ import annotations

import pytest

from shinchoku.staticsite.paths import file_for, normalize, relative_href
from shinchoku.staticsite.rewrite import FORM_NOTE, LINK_NOTE, rewrite_page

EXPORTED = {"/", "/prefectures/04", "/organizations/042021", "/steps?pref=04", "/glossary", "/opendata/catalogue.json"}


@pytest.mark.parametrize(
    ("key", "file"),
    [
        ("/", "index.html"),
        ("/prefectures/04", "prefectures/04/index.html"),
        ("/opendata/", "opendata/index.html"),
        ("/opendata/2025-05/progress.csv", "opendata/2025-05/progress.csv"),
        ("/steps?pref=04", "steps/pref=04/index.html"),
        ("/warnings?pref=04&kind=stalled", "warnings/kind=stalled,pref=04/index.html"),
    ],
)
def test_file_for_maps_each_page_to_one_file(key, file):
    assert file_for(normalize(key)) == file


def test_normalize_drops_the_exports_own_month_only():
    assert normalize("/steps?as_of=2025-05&pref=04", drop={"as_of": "2025-05"}) == "/steps?pref=04"
    assert normalize("/steps?as_of=2025-04", drop={"as_of": "2025-05"}) == "/steps?as_of=2025-04"


def test_relative_href_climbs_out_of_the_pages_folder():
    assert relative_href("organizations/042021/index.html", "prefectures/04/index.html") == (
        "../../organizations/042021/index.html"
    )
    assert relative_href("static/shinchoku/site.css", "index.html") == "static/shinchoku/site.css"


def _rewrite(text: str, base_url: str | None = None, page: str = "/prefectures/04") -> tuple[str, object]:
    return rewrite_page(
        text, page_key=page, exported=EXPORTED.__contains__, base_url=base_url, drop={"as_of": "2025-05"}
    )


def test_links_to_exported_pages_become_relative_files_keeping_their_fragment():
    text, links = _rewrite(
        '<a href="/organizations/042021?as_of=2025-05#outlook-heading">石巻市</a>'
        '<a href="/steps?pref=04&amp;as_of=2025-05">ステップ</a><link href="/static/shinchoku/site.css">'
    )
    assert 'href="../../organizations/042021/index.html#outlook-heading"' in text
    assert 'href="../../steps/pref=04/index.html"' in text
    assert 'href="../../static/shinchoku/site.css"' in text
    assert links.assets == {"shinchoku/site.css"}  # type: ignore[attr-defined]


def test_links_outside_the_export_go_to_the_base_url_or_are_taken_out_with_a_note():
    page = '<a class="x" href="/staff/">職員</a><a href="?sort=rate">率</a><a href="#top">上へ</a><footer></footer>'
    text, _ = _rewrite(page, base_url="https://dx.example.jp/")
    assert '<a class="x" href="https://dx.example.jp/staff/">職員</a>' in text
    assert 'href="https://dx.example.jp/prefectures/04?sort=rate"' in text
    assert 'href="#top"' in text and LINK_NOTE not in text
    text, links = _rewrite(page)
    assert "<span>職員</span>" in text and "<span>率</span>" in text and 'href="#top"' in text
    assert LINK_NOTE in text and links.removed == 2  # type: ignore[attr-defined]


def test_get_forms_ask_the_base_url_or_give_way_to_a_note():
    form = '<form method="get" class="month-picker"><select name="as_of"></select></form>'
    search = '<form method="get" action="/search" role="search"><input name="q"></form>'
    text, _ = _rewrite(form + search, base_url="https://dx.example.jp")
    assert '<form method="get" class="month-picker" action="https://dx.example.jp/prefectures/04">' in text
    assert 'action="https://dx.example.jp/search"' in text
    text, _ = _rewrite(form + search)
    assert "<form" not in text and text.count(FORM_NOTE) == 2
