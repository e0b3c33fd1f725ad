"""The installation's secret key: random, created once with mode 600, the same for every process."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest

from shinchoku.ops.secret import SecretKeyError, installation_key

OLD_CONSTANT = "shinchoku-local-development-key-change-me-in-production"


def test_the_key_is_created_private_and_reused(tmp_path: Path) -> None:
    var = tmp_path / "var"
    key = installation_key(var)
    path = var / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 50 and key != OLD_CONSTANT
    assert installation_key(var) == key
    assert installation_key(tmp_path / "other") != key  # another installation, another key
    assert [p.name for p in var.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        keys = pool.map(installation_key, [tmp_path] * 8)
    assert len(set(keys)) == 1 and (tmp_path / "secret_key").read_text().strip() == keys[0]


def test_an_empty_key_file_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(SecretKeyError, match="短すぎるか空"):
        installation_key(tmp_path)
