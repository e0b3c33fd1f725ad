"""Login lockout (django-axes) by user name and client address together, the client address from
X-Forwarded-For only behind a trusted proxy, refused logins during a lockout not counted, and
`shinchoku user unlock`."""

from __future__ import annotations

import getpass

import pytest
from axes.models import AccessAttempt
from django.test import Client

from shinchoku.accounts.models import AuditEntry
from shinchoku.cli import main
from tests.integration.test_staff_helpers import PASSWORD, A, make_user

pytestmark = pytest.mark.django_db


def _login(password: str, **meta: str) -> bool:
    client = Client()
    client.post("/staff/login/", {"username": "target", "password": password}, **meta)
    return "_auth_user_id" in client.session


def _lock(settings, **meta: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not _login("wrong-password", **meta)


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(settings) -> None:
    make_user("target", "municipality", A)
    _lock(settings, REMOTE_ADDR="10.0.0.66")
    assert not _login(PASSWORD, REMOTE_ADDR="10.0.0.66")  # locked there
    assert _login(PASSWORD, REMOTE_ADDR="10.0.0.7")  # the owner at their own desk


def test_a_correct_password_during_a_lockout_is_refused_but_not_counted(settings) -> None:
    make_user("target", "municipality", A)
    _lock(settings, REMOTE_ADDR="10.0.0.66")
    attempt = AccessAttempt.objects.get(username="target", ip_address="10.0.0.66")
    for _ in range(3):
        assert not _login(PASSWORD, REMOTE_ADDR="10.0.0.66")
    again = AccessAttempt.objects.get(pk=attempt.pk)
    assert again.failures_since_start == attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert again.attempt_time == attempt.attempt_time  # the hour of the lockout was not restarted


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(settings) -> None:
    make_user("target", "municipality", A)
    proxy = {"REMOTE_ADDR": "192.0.2.10"}
    # not trusted: X-Forwarded-For is whatever the client wrote, so the lock stays on the real address
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login("wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}", **proxy)
    assert not _login(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99", **proxy)
    AccessAttempt.objects.all().delete()
    settings.SHINCHOKU_TRUSTED_PROXIES = ["192.0.2.0/24"]
    _lock(settings, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5", **proxy)  # the proxy saw 203.0.113.5
    assert not _login(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert _login(PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)  # a colleague behind the same proxy
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_the_operator_unlocks_an_account_from_the_shell(settings, capsys) -> None:
    make_user("target", "municipality", A)
    _lock(settings)
    assert not _login(PASSWORD)
    assert main(["user", "unlock", "target"]) == 0
    assert "解除しました" in capsys.readouterr().out
    assert _login(PASSWORD)
    entry = AuditEntry.objects.get(action="unlock_user", target="target")
    assert entry.source == "cli" and entry.actor == f"cli:{getpass.getuser()}"
    assert main(["user", "unlock", "nobody"]) == 1
