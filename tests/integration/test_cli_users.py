"""Account management from the shell: disable / enable, reset-password; each write in the audit trail
with the operator (cli:<OS user>) as actor."""

from __future__ import annotations

import getpass
import io
import sys

import pytest
from django.contrib.auth.models import User
from django.test import Client

from shinchoku.accounts import tokens
from shinchoku.accounts.models import AuditEntry
from shinchoku.cli import main
from tests.integration.test_staff_helpers import PASSWORD, A, make_user

pytestmark = pytest.mark.django_db
ACTOR = f"cli:{getpass.getuser()}"
NEW_PASSWORD = "another-long-passphrase-77"


def _can_log_in(name: str, password: str) -> bool:
    client = Client()
    client.post("/staff/login/", {"username": name, "password": password})
    return "_auth_user_id" in client.session


def test_a_disabled_account_can_neither_log_in_nor_use_its_token(capsys) -> None:
    user = make_user("kaori", "municipality", A)
    token = tokens.issue(user)[1]
    session = Client()
    session.force_login(user)
    assert session.get("/staff/").status_code == 200
    assert main(["user", "disable", "kaori"]) == 0
    assert not User.objects.get(pk=user.pk).is_active
    assert not _can_log_in("kaori", PASSWORD)
    assert tokens.authenticate(token) is None
    assert session.get("/staff/").status_code == 302  # the open session ends with it
    entry = AuditEntry.objects.get(action="disable_user", target="kaori")
    assert entry.actor == ACTOR and entry.source == "cli" and entry.after == {"is_active": False}
    assert main(["user", "enable", "kaori"]) == 0
    assert _can_log_in("kaori", PASSWORD) and tokens.authenticate(token) == user
    assert AuditEntry.objects.filter(action="enable_user", target="kaori", actor=ACTOR).exists()
    assert main(["user", "disable", "nobody"]) == 1


def test_reset_password_from_stdin(monkeypatch, capsys) -> None:
    make_user("kaori", "municipality", A)
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["user", "reset-password", "kaori", "--password-stdin"]) == 2
    assert "弱すぎます" in capsys.readouterr().err
    assert _can_log_in("kaori", PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert main(["user", "reset-password", "kaori", "--password-stdin"]) == 0
    assert not _can_log_in("kaori", PASSWORD) and _can_log_in("kaori", NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="reset_password", target="kaori")
    assert entry.actor == ACTOR and NEW_PASSWORD not in repr((entry.before, entry.after))


def test_user_add_is_attributed_to_the_operator(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "sato", "--role", "viewer", "--org", A, "--password-stdin"]) == 0
    assert AuditEntry.objects.get(action="add_user", target="sato").actor == ACTOR
