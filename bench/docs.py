"""Keep each benchmark's section of docs/performance.md up to date without touching the others.

A section holds the measured figures only; what a benchmark does and how to read its figures is written by
hand above the section's markers.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
HEADER = "# 性能 / Performance\n\n`make bench` runs every benchmark in `bench/` and rewrites its section below.\n\n"


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def arguments(doc: str) -> argparse.ArgumentParser:
    """A benchmark's command line: described by the first line of its module's docstring, with --no-docs."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    return p


def publish(name: str, text: str, *, write: bool = True) -> None:
    """Print a benchmark's figures and, with `write`, put them in its section of docs/performance.md."""
    print(text, flush=True)
    if write:
        write_section(name, text)
