"""End-to-end tests: Playwright drives Debian's /usr/bin/chromium against a real `shinchoku serve`.

One server per session (per pytest-xdist worker under `make test`): a fresh SQLite database in a temporary
directory, `shinchoku init` and `shinchoku demo --prefectures …` (the small fictional sample, tests/datasets.py,
seconds), then gunicorn on a free 127.0.0.1 port; the government's figures get a server of their own.
Browsers cannot be downloaded here (`playwright install` fails), so Chromium is Debian's (`make browser`).
SHINCHOKU_E2E_URL=http://127.0.0.1:PORT points the suite at a server you already run (faster while iterating).
The sample's server runs without its open data builder (SHINCHOKU_OPENDATA_BUILDER=0); the page warmer runs, for
the latest month's pages (SHINCHOKU_STORED_MONTHS=1).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.datasets import SMALL_PREFECTURES
from tests.shared_copy import backup, once

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every chart of the page drawn (an SVG inside each chart element): ECharts draws after the page's load event.
CHARTS_DRAWN = """() => [...document.querySelectorAll('.chart[data-chart]')].every(c => c.querySelector('svg'))"""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
STARTUP_SECONDS = 60
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test in this folder is e2e; without Debian's chromium there is nothing to drive.
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser` (Debian's chromium) to run e2e tests")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run(
            [sys.executable, "-m", "shinchoku.cli", *args], env=env, stdout=out, stderr=subprocess.STDOUT, timeout=600
        )
    if done.returncode != 0:
        raise RuntimeError(f"shinchoku {' '.join(args)} failed:\n{log.read_text()[-3000:]}")


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"shinchoku serve exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"shinchoku serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


def fresh_env(tmp: Path, database: str) -> dict[str, str]:
    """The environment for CLI commands and a server on a fresh SQLite database and var folder in `tmp`."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/{database}",
        "SHINCHOKU_VAR": str(tmp / "var"),
        "SHINCHOKU_HOME": str(tmp),
    }


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment the e2e server runs with (its DATABASE_URL): other fixtures use it to run CLI commands
    against the same database. With SHINCHOKU_E2E_URL, the caller's own environment."""
    if os.environ.get("SHINCHOKU_E2E_URL"):
        return dict(os.environ)
    return fresh_env(tmp_path_factory.mktemp("e2e"), "e2e.sqlite3")


def _serve(env: dict[str, str], setup: list[list[str]]) -> Iterator[str]:
    """Run the setup commands on the environment's database, then `shinchoku serve` until the session ends."""
    tmp = Path(env["SHINCHOKU_HOME"])
    log = tmp / "server.log"
    for args in setup:
        _run(args, env, log)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    with log.open("a") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "shinchoku.cli", *serve],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url + "/", proc, log)
        yield url
    finally:
        proc.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _sample_database(env: dict[str, str], shared: Path) -> list[list[str]]:
    """The setup commands of a server on the small fictional sample. Under pytest-xdist the first worker runs
    `shinchoku demo` and leaves a copy of its database in the session's shared folder; the other copies it instead
    of generating the same sample again, and only runs `init` (for its own var folder). tests/shared_copy.py."""
    demo = [["init"], ["demo", "--prefectures", ",".join(SMALL_PREFECTURES)]]
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return demo
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    setup: list[list[str]] = []

    def build(path: Path) -> None:
        for args in demo:
            _run(args, env, Path(env["SHINCHOKU_HOME"]) / "server.log")
        backup(database, path)

    def restore(path: Path) -> None:
        backup(path, database)
        setup.append(["init"])

    once(shared, "e2e-sample.sqlite3", build, restore)
    return setup


@pytest.fixture(scope="session")
def base_url(server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small fictional sample (`shinchoku demo --prefectures …`, tests/datasets.py)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    if os.environ.get("SHINCHOKU_E2E_URL"):
        yield os.environ["SHINCHOKU_E2E_URL"].rstrip("/")
        return
    # Without the open data builder: it would rebuild the files of all 43 months beside the tests (minutes of CPU
    # per server, for files no test here downloads; the builder is tested in tests/integration/test_opendata_*).
    # The page warmer keeps the wider areas' pages of the latest month only (every month's are tested in
    # tests/integration/test_stored_pages.py): the tests here open past months rarely, and render them as is.
    quiet = {**server_env, "SHINCHOKU_OPENDATA_BUILDER": "0", "SHINCHOKU_STORED_MONTHS": "1"}
    yield from _serve(quiet, _sample_database(server_env, tmp_path_factory.getbasetemp().parent))


@pytest.fixture(scope="session")
def official_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The default dataset: the government's published figures (`shinchoku load official`), as `make run` serves."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    env = fresh_env(tmp_path_factory.mktemp("e2e-official"), "official.sqlite3")
    yield from _serve(env, [["init"], ["load", "official"]])


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's Chromium under Playwright, closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def chromium_browser():
    """One Chromium for the whole session: Playwright's sync API allows one instance per process."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def browser(base_url: str, chromium_browser):
    """The session's Chromium, once the fictional sample's server is up."""
    return chromium_browser


class ConsoleWatch:
    """Console errors, uncaught exceptions and failed requests of one page (all must stay empty) until `stop()`."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        self.page = page
        self.handlers = {
            "console": lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
            "pageerror": lambda e: self.problems.append(f"page error: {e}"),
            "response": lambda r: self.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        }
        for event, handler in self.handlers.items():
            page.on(event, handler)

    def stop(self) -> None:
        for event, handler in self.handlers.items():
            self.page.remove_listener(event, handler)


def new_context(browser, base_url: str, **kwargs):
    """A browser context on `base_url`: 1280×900 and Japanese unless `kwargs` say otherwise."""
    kwargs.setdefault("viewport", {"width": 1280, "height": 900})
    kwargs.setdefault("locale", "ja-JP")
    return browser.new_context(base_url=base_url, **kwargs)


def _stop_and_check(watches: list[ConsoleWatch]) -> None:
    """At a test's end (fixture teardown runs whatever the test did): stop the watches; none saw a problem."""
    for watch in watches:
        watch.stop()
    problems = [problem for watch in watches for problem in watch.problems]
    assert problems == [], "\n".join(problems)


def _watched(pg) -> Iterator:
    """Yields the page; its console must have stayed clean for the whole test."""
    watch = ConsoleWatch(pg)
    yield pg
    _stop_and_check([watch])


@pytest.fixture(scope="module")
def kept_tabs(browser):
    """tab(url, width, height) → a tab kept through the module, one per server and window size.

    For tests that only open public pages and read them (no sign-in, no preference, no init script, no print
    emulation): such a test leaves nothing behind that the next one could see but the tab's history, and a fresh
    context and tab per test cost Chromium a second or more of CPU each (a new renderer, ECharts compiled again):
    106 s of the browser session's 688 s, measured over its ~100 page checks (docs/performance.md).
    """
    tabs: dict[tuple[str, int, int], Any] = {}

    def tab(url: str, width: int, height: int):
        key = (url, width, height)
        if key not in tabs:
            tabs[key] = new_context(browser, url, viewport={"width": width, "height": height}).new_page()
        tabs[key].goto("about:blank")  # nothing of the test before is left to load or fail in this one
        return tabs[key]

    yield tab
    for pg in tabs.values():
        pg.context.close()


@pytest.fixture
def reader(kept_tabs, base_url: str):
    """reader(width=1280, height=900) → the module's kept tab of that size on the sample's server (see
    `kept_tabs` for the tests it suits); its console must stay clean for the whole test."""
    watches: list[ConsoleWatch] = []

    def open_tab(width: int = 1280, height: int = 900):
        pg = kept_tabs(base_url, width, height)
        watches.append(ConsoleWatch(pg))
        return pg

    yield open_tab
    _stop_and_check(watches)


@pytest.fixture
def context_factory(browser, base_url: str):
    contexts = []

    def make(**kwargs):
        ctx = new_context(browser, base_url, **kwargs)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(context_factory):
    """A JavaScript-enabled page whose console must stay clean for the whole test."""
    yield from _watched(context_factory().new_page())


@pytest.fixture
def official_page(kept_tabs, official_url: str):
    """The module's kept tab on the default dataset's server (the government's figures); every test of it only
    opens public pages and reads them (`kept_tabs`). Its console must stay clean for the whole test."""
    yield from _watched(kept_tabs(official_url, 1280, 900))


@pytest.fixture(scope="session")
def axe_check():
    """axe(page) → a readable list of violations (empty when the page passes every rule of AXE_TAGS)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(pg) -> str:
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        pg.evaluate(axe.axe_script)  # axe-core, as the package ships it
        # only the violations come back to Python: the whole result (every rule that passed …) costs CPU to send
        violations = pg.evaluate("options => axe.run(options).then(results => results.violations)", options)
        lines = []
        for v in violations:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {n['target']}: {n.get('failureSummary', '')[:300]}" for n in v["nodes"][:5]]
        return "\n".join(lines)

    return check
