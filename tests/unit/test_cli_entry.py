"""The installed command starts before Django is set up: every subcommand's module imports no models at load."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shinchoku.cli import build_parser


def _subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return sorted(actions[0].choices) if actions else []


def test_cli_lists_its_subcommands():
    assert {"init", "demo", "import", "serve", "load"} <= set(_subcommands())


@pytest.mark.parametrize(
    "args", [["--help"], ["demo", "--help"], ["import", "--help"], ["user", "--help"], ["publish", "--help"]]
)
def test_cli_help_runs_in_a_fresh_process(args):
    done = subprocess.run(
        [sys.executable, "-m", "shinchoku.cli", *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout
