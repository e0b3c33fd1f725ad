"""The default dataset in a browser: the pages of the government's published figures (rates only for 市区町村)
pass axe, name their source and never say 架空; /costs explains how to report costs.

Every test of the default dataset's server is in this file: a file stays on one pytest-xdist worker, so the
server (`shinchoku init` + `shinchoku load official`, a minute or more of CPU) is built once per session.
"""

from __future__ import annotations

import pytest

PAGES = [
    "/",
    "/prefectures/04",
    "/organizations/042021",
    "/organizations/040002",
    "/businesses",
    "/businesses/15",
    "/steps",
    "/special-support",
    "/special-support?pref=21",
    "/vendors",
    "/opendata/",
    "/procedures",
    "/warnings",
    "/forecast",
    "/rankings",
    "/rankings?sort=late&pref=04",
    "/compare?codes=042021,011002",
    "/changes",
    "/embed/organizations/042021",
    "/embed/prefectures/04",
]


@pytest.mark.parametrize("path", PAGES)
def test_official_page_passes_axe_names_its_source_and_is_not_fictional(official_page, axe_check, path):
    official_page.goto(path)
    assert axe_check(official_page) == ""
    text = official_page.inner_text("body")
    assert "架空" not in text
    if path != "/procedures":
        assert "出典：総務省" in text


def test_national_page_shows_the_published_mean(official_page):
    official_page.goto("/")
    text = official_page.inner_text("main")
    assert "81.6%" in text and "中央値 83.6%" in text
    assert "総務省の公表は業務ごとの完了率のみ" in text


def test_procedures_say_there_is_no_data_yet_and_how_to_import(official_page):
    official_page.goto("/procedures")
    text = official_page.inner_text("main")
    assert "まだデータがありません" in text and "shinchoku import" in text


@pytest.mark.parametrize("path", ["/costs", "/costs/cloud", "/organizations/042021"])
def test_the_default_dataset_explains_how_to_report_costs(official_page, axe_check, path):
    official_page.goto(path)
    if path not in PAGES:  # the pages in PAGES pass axe in the test above, on the same server
        assert axe_check(official_page) == ""
    text = official_page.inner_text("main")
    assert "架空" not in text
    if path == "/costs":
        assert "まだ公開された運用経費はありません" in text and "報告のしかた" in text
