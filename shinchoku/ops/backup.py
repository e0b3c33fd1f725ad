"""`shinchoku backup FILE` / `shinchoku restore FILE`: the whole database, consistent, while the site runs.

SQLite: sqlite3's online backup API, page by page under SQLite's own locking — a copy of the file would miss
what still sits in the WAL file. PostgreSQL: pg_dump's custom format (one snapshot) and pg_restore into the
configured database in one transaction. A restore replaces everything, accounts and audit trail included;
it then moves the data version on, so no server keeps answering from a cache of the discarded state.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; str(e) is a Japanese message. Nothing was changed."""


def engine() -> str:
    """ "sqlite" or "postgresql" for the configured database."""
    name = settings.DATABASES["default"]["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in name:
        return "postgresql"
    raise BackupError(f"このデータベース（{name}）のバックアップには対応していません。")


def backup(target: Path) -> None:
    """Write the whole database to `target` (mode 600: it holds password hashes), replacing it atomically."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"保存先のフォルダ {target.parent} がありません。")
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        partial.touch(mode=0o600)
        if engine() == "sqlite":
            _sqlite_backup(partial)
        else:
            _pg_run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}")
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(source: Path) -> None:
    """Replace the whole database with a backup made by `backup` (of the same kind of database)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"バックアップファイル {source} がありません。")
    with source.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupError(f"{source} は shinchoku backup で作ったバックアップではありません。")
    if kind != engine():
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{source} は {names[kind]} のバックアップです。設定されているデータベースは {names[engine()]} です"
            "（種類の違うデータベースには戻せません）。"
        )
    connections.close_all()
    if kind == "sqlite":
        _sqlite_restore(source)
    else:
        _pg_run(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(source)
        )
    connections.close_all()
    _move_data_version()


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # Django's own connection: also an in-memory test database
        if destination.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("バックアップの検査に失敗しました。")
    finally:
        destination.close()


def _sqlite_restore(source: Path) -> None:
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"django_migrations", "auth_user", "progress_system"} <= tables:
            raise BackupError(f"{source} は shinchoku のデータベースのバックアップではありません。")
        if backup_db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} は壊れています（検査に失敗しました）。")
        connection.ensure_connection()
        backup_db.backup(connection.connection)  # page by page under SQLite's locks, other readers wait
    except sqlite3.Error as exc:
        raise BackupError(f"復元できませんでした（{exc}）。") from None
    finally:
        backup_db.close()


def _pg_run(program: str, *arguments: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れてください。"
        )
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])  # the password travels in the environment, never on the command line
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    done = subprocess.run(
        [executable, *arguments, f"--dbname={db['NAME']}"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[-500:]
        raise BackupError(f"{program} が失敗しました（終了コード {done.returncode}）: {detail}")


def _move_data_version() -> None:
    """Past every version the discarded state may have had: caches keyed by it start afresh."""
    from django.db.models.functions import Greatest

    from shinchoku.publication.models import DataVersion
    from shinchoku.publication.versions import EPOCH, EVERYTHING

    stamp = int(time.time() * 1000)  # milliseconds: more than any run of bumps between two restores
    for pk in (EVERYTHING, EPOCH):  # the epoch too: pages stored ahead of readers are rendered again
        if DataVersion.objects.filter(pk=pk).update(counter=Greatest("counter", stamp) + 1) == 0:
            DataVersion.objects.create(pk=pk, counter=stamp)
