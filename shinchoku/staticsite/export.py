"""Render every page of `pages.PAGES` through Django itself (the test client: the real URLconf, middleware and
views), rewrite its links (rewrite.py) and write it under the export folder — only when its bytes changed.

A manifest (`.shinchoku-site.json`) keeps each written file's SHA-256: a second export compares hashes and
leaves unchanged files alone (their mtime too), and deletes the files of pages no longer exported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import override_settings

from shinchoku.progress import selectors

from . import pages as site_pages
from .paths import file_for, normalize
from .rewrite import rewrite_page

__all__ = ["MANIFEST", "ExportError", "Report", "export_site"]

MANIFEST = ".shinchoku-site.json"


class ExportError(Exception):
    pass


@dataclass
class Report:
    month: str
    pages: int = 0  # HTML pages exported
    files: int = 0  # other files (open data, JSON catalogue, assets)
    written: list[str] = field(default_factory=list)  # files whose content changed (or are new)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)  # files of an earlier export no longer exported
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (url, status) left out
    external_links: int = 0  # distinct pages linked to but not exported
    bytes: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return (self.pages + self.files) / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (
            f"{self.month} のページ {self.pages} 件とファイル {self.files} 件を書き出しました"
            f"（書き換え {len(self.written)}、変更なし {self.unchanged}、削除 {len(self.deleted)}、"
            f"対象外 {len(self.skipped)}）。合計 {self.bytes / 1e6:.1f} MB、{self.seconds:.1f} 秒"
            f"（{self.per_second:.0f} 件/秒）"
        )


class _Writer:
    """Writes files under the root only when their SHA-256 differs from the manifest's."""

    def __init__(self, root: Path, report: Report) -> None:
        self.root = root
        self.report = report
        path = root / MANIFEST
        self.old: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.new: dict[str, str] = {}

    def write(self, name: str, content: bytes) -> None:
        sha = hashlib.sha256(content).hexdigest()
        self.new[name] = sha
        self.report.bytes += len(content)
        target = self.root / name
        if self.old.get(name) == sha and target.is_file() and target.stat().st_size == len(content):
            self.report.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)
        self.report.written.append(name)

    def finish(self) -> None:
        for name in sorted(set(self.old) - set(self.new)):
            (self.root / name).unlink(missing_ok=True)
            self.report.deleted.append(name)
        (self.root / MANIFEST).write_text(json.dumps(self.new, indent=0, sort_keys=True), encoding="utf-8")


def _month(as_of: str | None) -> tuple[date, bool]:
    try:
        latest = selectors.resolve_as_of(None, published_only=True)
        month = selectors.resolve_as_of(as_of, published_only=True) if as_of else latest
    except (selectors.NotFound, ValueError) as e:
        raise ExportError(str(e)) from None
    return month, month == latest


def _body(response: HttpResponseBase) -> bytes:
    """The response's bytes. The test client closes a response itself (a streaming one once read to the end):
    closing it again would send request_finished, which closes the database connection mid-transaction."""
    return b"".join(response.streaming_content) if response.streaming else response.content


@dataclass
class _Rendered:
    html: dict[str, bytes] = field(default_factory=dict)  # key → compressed page, rewritten once all are known
    exported: set[str] = field(default_factory=set)  # keys of every page and file of the export


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Thousands of internal requests are not visitors (access log), and a page left out is no error (the
    404 of a 団体 without data in the month is counted in the report instead)."""
    logs = {logging.getLogger("shinchoku.access"): logging.WARNING, logging.getLogger("django.request"): logging.ERROR}
    levels = {log: log.level for log in logs}
    for log, level in logs.items():
        log.setLevel(level)
    try:
        yield
    finally:
        for log, level in levels.items():
            log.setLevel(level)


def _render(
    scope: site_pages.Scope, table: list[site_pages.Page], writer: _Writer, say: Callable[[str], None]
) -> _Rendered:
    """Every page through Django: HTML kept (compressed) for rewriting, other files written at once."""
    report = writer.report
    query = "" if scope.latest else f"as_of={scope.month}"
    out = _Rendered()
    client = Client()
    with quiet_logs(), override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for url, monthly in site_pages.urls(scope, table):
            request_url = url + (("&" if "?" in url else "?") + query if monthly and query else "")
            response = client.get(request_url)
            if response.status_code != 200:
                _body(response)
                report.skipped.append((url, response.status_code))
                continue
            key = normalize(url, drop=scope.drop)
            out.exported.add(key)
            if response.headers.get("Content-Type", "").startswith("text/html"):
                out.html[key] = zlib.compress(_body(response), 3)
            else:
                writer.write(file_for(key), _body(response))
                report.files += 1
            done = len(out.html) + report.files
            if done % 500 == 0:
                say(f"{done} 件を描画しました…")
    return out


def export_site(
    root: Path,
    *,
    as_of: str | None = None,
    base_url: str | None = None,
    prefectures: frozenset[str] | None = None,
    page_table: list[site_pages.Page] | None = None,
    say: Callable[[str], None] = lambda _line: None,
) -> Report:
    """Export the public site of one published month (default: the newest) into `root`."""
    started = time.perf_counter()
    month, latest = _month(as_of)
    scope = site_pages.Scope(as_of=month, latest=latest, prefectures=prefectures)
    report = Report(month=scope.month)
    root.mkdir(parents=True, exist_ok=True)
    writer = _Writer(root, report)
    rendered = _render(scope, page_table or site_pages.PAGES, writer, say)
    assets: set[str] = set()
    external: set[str] = set()
    for key, packed in rendered.html.items():
        text, links = rewrite_page(
            zlib.decompress(packed).decode("utf-8"),
            page_key=key,
            exported=rendered.exported.__contains__,
            static_url=settings.STATIC_URL,
            base_url=base_url,
            drop=scope.drop,
        )
        writer.write(file_for(key), text.encode("utf-8"))
        assets |= links.assets
        external |= links.external
        report.pages += 1
    for asset in sorted(assets):
        found = finders.find(asset)
        if not found:
            raise ExportError(f"静的ファイル {asset} が見つかりません（make static を実行してください）")
        writer.write(f"static/{asset}", Path(str(found)).read_bytes())
        report.files += 1
    writer.finish()
    report.external_links = len(external)
    report.seconds = time.perf_counter() - started
    return report
