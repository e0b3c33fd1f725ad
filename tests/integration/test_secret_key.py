"""No constant secret key: a value signed with the key the source code used to carry is not accepted, and a
fresh installation makes its own key on first start and keeps it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory, override_settings

OLD_CONSTANT = "shinchoku-local-development-key-change-me-in-production"
FORGED = "偽造されたお知らせ"


def _messages_cookie() -> str:
    storage = CookieStorage(RequestFactory().get("/"))
    return storage._encode([Message(constants.ERROR, FORGED)])


@pytest.mark.django_db
def test_a_cookie_signed_with_the_old_constant_is_not_accepted(settings) -> None:
    assert settings.SECRET_KEY != OLD_CONSTANT
    with override_settings(SECRET_KEY=OLD_CONSTANT):
        forged = _messages_cookie()
    client = Client()
    client.cookies["messages"] = forged
    assert FORGED not in client.get("/staff/login/").content.decode()
    client.cookies["messages"] = _messages_cookie()  # the same message signed with this installation's key
    assert FORGED in client.get("/staff/login/").content.decode()


def _key_at_start(var: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SHINCHOKU_SECRET_KEY"}
    env.update(SHINCHOKU_VAR=str(var), DJANGO_SETTINGS_MODULE="shinchoku.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_fresh_installation_makes_its_key_on_first_start_and_keeps_it(tmp_path: Path) -> None:
    var = tmp_path / "var"
    first = _key_at_start(var)
    path = var / "secret_key"
    assert path.read_text().strip() == first and first != OLD_CONSTANT and len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _key_at_start(var) == first
    assert _key_at_start(tmp_path / "elsewhere") != first
