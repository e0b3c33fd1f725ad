"""Docs tested against code: every CLI command and every setting is documented in the README."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from shinchoku.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_every_cli_command_appears_in_the_readme():
    missing = [name for name in _subcommands() if f"shinchoku {name}" not in README]
    assert missing == []


def test_every_environment_setting_appears_in_the_readme():
    settings_py = (ROOT / "shinchoku" / "settings.py").read_text(encoding="utf-8")
    names = sorted(set(re.findall(r'environ(?:\.get)?\(\s*"([A-Z_]+)"', settings_py)))
    assert names, "settings read no environment variables?"
    missing = [name for name in names if name not in README]
    assert missing == []


def test_readme_shows_the_two_commands():
    assert "make run" in README and "make test" in README
