"""What `shinchoku serve` checks before it starts gunicorn: migrations, and settings unsafe on a network."""

from __future__ import annotations

import ipaddress
import sys

from django.conf import settings
from django.db import DatabaseError, connections

from .health import pending_migrations

# gunicorn's worker timeout: above the longest request (a web import is stopped at SHINCHOKU_WEB_IMPORT_SECONDS).
MIN_WORKER_TIMEOUT = 120


def worker_timeout() -> int:
    return max(MIN_WORKER_TIMEOUT, 2 * int(settings.SHINCHOKU_WEB_IMPORT_SECONDS))


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def security_warnings(host: str) -> list[str]:
    """Japanese warnings for settings that are unsafe once the server listens beyond this machine."""
    if is_loopback(host):
        return []
    found = []
    if settings.DEBUG:
        found.append(
            "SHINCHOKU_DEBUG=1 のままネットワークに公開しようとしています。エラーのときに設定や内部の情報が"
            "利用者に表示されます。公開するときは SHINCHOKU_DEBUG を外してください。"
        )
    if not settings.SECURE_COOKIES:
        found.append(
            "SHINCHOKU_SECURE_COOKIES=1 が設定されていません。ログインの Cookie が HTTPS 以外でも送られます。"
            "HTTPS のリバースプロキシの後ろで公開し、SHINCHOKU_SECURE_COOKIES=1 を設定してください。"
        )
    return found


def prepare(*, host: str, migrate: bool) -> int | None:
    """None when the server may start (after applying migrations if `migrate`); else the exit code."""
    try:
        pending = pending_migrations()
    except DatabaseError as exc:
        print(
            f"データベースに接続できません（{' '.join(str(exc).split())}）。DATABASE_URL を確認してください。",
            file=sys.stderr,
        )
        return 2
    if pending and not migrate:
        print(
            f"データベースの移行が済んでいないため起動しません（未適用の移行 {len(pending)} 件: "
            f"{', '.join(pending[:5])}{' ほか' if len(pending) > 5 else ''}）。\n"
            "移行してから起動するには shinchoku serve --migrate、移行だけなら shinchoku init を実行してください。",
            file=sys.stderr,
        )
        return 2
    if pending:
        from django.core.management import call_command

        from shinchoku.reference.loader import load_reference

        print(f"データベースを移行しています（{len(pending)} 件）…", file=sys.stderr, flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        load_reference(overwrite=False)
    for warning in security_warnings(host):
        print("!" * 60, file=sys.stderr)
        print(f"警告: {warning}", file=sys.stderr)
        print("!" * 60, file=sys.stderr, flush=True)
    connections.close_all()  # gunicorn's workers open their own
    return None
