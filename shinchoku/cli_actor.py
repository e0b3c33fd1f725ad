"""The operator at the server's shell, as every CLI write names them in the audit trail."""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI module is imported before Django is set up: the models come in at call time
    from shinchoku.accounts.actor import Actor


def shell_name(args: argparse.Namespace | None = None) -> str:
    """`--actor NAME` when given, else cli:<OS user> (cli where the container has no login name)."""
    given = getattr(args, "actor", None) if args is not None else None
    if given:
        return str(given)
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def shell_actor(args: argparse.Namespace | None = None) -> Actor:
    from shinchoku.accounts.actor import Actor

    return Actor.shell(shell_name(args))
