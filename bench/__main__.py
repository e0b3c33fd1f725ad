"""`python -m bench` (`make bench`): run every benchmark module in bench/, one subprocess each.

A benchmark module is any bench/*.py with a top-level `def main(` (helpers such as docs.py and
make_soumu_workbook.py are not run). `python -m bench serving importing` runs only those.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELPERS = {"__main__", "__init__", "docs"}


def benchmark_modules() -> list[str]:
    found = []
    for path in sorted(HERE.glob("*.py")):
        if path.stem in HELPERS or path.stem.startswith(("_", "make_")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body):
            found.append(path.stem)
    return found


def main(argv: list[str]) -> int:
    names = argv or benchmark_modules()
    failed = []
    for name in names:
        print(f"=== bench.{name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)
        print(f"=== bench.{name}: {'ok' if code == 0 else f'exit {code}'} ({time.perf_counter() - started:.0f} s)")
        if code != 0:
            failed.append(name)
    if failed:
        print(f"失敗したベンチマーク: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
