"""Staff accounts in the e2e server's database, created through the CLI (`shinchoku user add`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.keyboard import login

PASSWORD = "e2e-correct-horse-battery-staple"
MUNICIPALITY = ("e2e-ishinomaki", "municipality", "042021")
OPERATOR = ("e2e-operator", "operator", None)


def _server_env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment the e2e server runs with: conftest's `server_env` fixture when there is one, else the
    database conftest's base_url created under the session's temporary folder (e2e*/e2e.sqlite3)."""
    try:
        return dict(request.getfixturevalue("server_env"))
    except pytest.FixtureLookupError:
        pass
    if os.environ.get("SHINCHOKU_E2E_URL"):
        if not os.environ.get("DATABASE_URL"):
            pytest.skip("SHINCHOKU_E2E_URL is set: also set DATABASE_URL to the server's database for staff tests")
        return dict(os.environ)
    found = sorted(tmp_path_factory.getbasetemp().glob("e2e*/e2e.sqlite3"))
    if not found:
        pytest.skip("the e2e server's database was not found")
    tmp = found[-1].parent
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{found[-1]}",
        "SHINCHOKU_VAR": str(tmp / "var"),
        "SHINCHOKU_HOME": str(tmp),
    }


def add_user(env: dict[str, str], name: str, role: str, org: str | None) -> None:
    args = [sys.executable, "-m", "shinchoku.cli", "user", "add", name, "--role", role, "--password-stdin"]
    if org:
        args += ["--org", org]
    done = subprocess.run(args, input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 and "既にあります" not in done.stderr:
        raise RuntimeError(f"shinchoku user add {name} failed: {done.stderr}")


@pytest.fixture(scope="session")
def staff_users(base_url: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    env = _server_env(request, tmp_path_factory)
    Path(env.get("SHINCHOKU_VAR", ".")).mkdir(parents=True, exist_ok=True)
    for name, role, org in (MUNICIPALITY, OPERATOR):
        add_user(env, name, role, org)
    return {"municipality": MUNICIPALITY[0], "operator": OPERATOR[0], "password": PASSWORD, "env": env}


def logged_in(context_factory, staff_users: dict, role: str, **options):
    """A new page (context `options` such as java_script_enabled=False) with the staff account of `role`
    ("municipality" or "operator") logged in."""
    page = context_factory(**options).new_page()
    login(page, staff_users[role], staff_users["password"])
    return page
