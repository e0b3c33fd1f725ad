"""The installation's secret key: random, made on first start, kept in var/secret_key with mode 600.

Imported by settings.py, so it uses the standard library only. Several processes may start at once (gunicorn
workers, two servers on one var/): the key is written to a private temporary file and linked into place,
which fails if another process won, so every process ends up with the same key and none reads half a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"
MIN_LENGTH = 50


class SecretKeyError(RuntimeError):
    """The key file exists but cannot be used; str(e) is a Japanese message for the operator."""


def installation_key(var_dir: Path) -> str:
    """The key stored under var_dir, created (mode 600) if there is none yet."""
    path = Path(var_dir) / FILE_NAME
    if not path.exists():
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(64) + "\n")
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process linked its key first: use that one
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(
            f"秘密鍵のファイル {path} が短すぎるか空です。ファイルを削除すると次の起動で作り直します"
            "（ログイン中のセッションは無効になります）。"
        )
    return key
