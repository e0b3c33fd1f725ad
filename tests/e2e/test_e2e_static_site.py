"""The static export (`shinchoku export site`) served by a plain static file server: the pages pass the same
axe check as the live ones, their charts draw, and every link inside the export reaches an exported file."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import CHARTS_DRAWN, CHROMIUM, ConsoleWatch, _free_port, _run, fresh_env

SAMPLE = [
    "index.html",
    "prefectures/04/index.html",
    "organizations/042021/index.html",
    "businesses/1/index.html",
    "special-support/index.html",
]
LINKS = """() => [...document.querySelectorAll('[href], [src]')]
  .map(e => new URL(e.getAttribute('href') || e.getAttribute('src'), document.baseURI).href)"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """宮城県's fictional sample exported to a folder, served by Python's http.server on 127.0.0.1."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    tmp = tmp_path_factory.mktemp("static-site")
    env = fresh_env(tmp, "site.sqlite3")
    log = tmp / "export.log"
    site = tmp / "site"
    for args in (["init"], ["demo", "--prefectures", "04"], ["export", "site", str(site)]):
        _run(args, env, log)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def static_browser(static_site: str, chromium_browser):
    """The session's Chromium (the exported site needs no application server)."""
    return chromium_browser


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.parametrize("path", SAMPLE)
def test_exported_page_passes_axe_and_every_link_in_the_export_resolves(static_site, static_browser, axe_check, path):
    ctx = static_browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    try:
        pg = ctx.new_page()
        watch = ConsoleWatch(pg)
        response = pg.goto(f"{static_site}/{path}")
        assert response is not None and response.status == 200
        pg.wait_for_function(CHARTS_DRAWN)
        assert pg.locator("html").get_attribute("lang") == "ja"
        assert pg.locator("h1").count() == 1
        body = pg.locator("body").inner_text()
        assert "架空のサンプルデータ" in body and "データ基準日" in body
        assert axe_check(pg) == ""
        links = {u.split("#")[0] for u in pg.evaluate(LINKS)}
        inside = sorted(u for u in links if u.startswith(static_site))
        assert len(inside) > 5
        assert [u for u in inside if _status(u) != 200] == []
        assert watch.problems == [], "\n".join(watch.problems)
    finally:
        ctx.close()
