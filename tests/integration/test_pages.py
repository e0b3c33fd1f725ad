import pytest

pytestmark = pytest.mark.django_db


def test_national_page_shows_the_figures_and_the_sample_label(client):
    r = client.get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<html lang="ja">' in html
    assert "架空のサンプルデータ" in html
    assert "完了率" in html and "総務省方式" in html
    assert "特定移行支援" in html
    assert "データ基準日" in html


def test_national_page_takes_a_past_month(client):
    html = client.get("/?as_of=2025-05").content.decode()
    assert "2025年5月31日" in html


def test_national_page_falls_back_when_the_month_is_unknown(client):
    r = client.get("/?as_of=1999-01")
    assert r.status_code == 200
    assert "最新の月を表示" in r.content.decode()
