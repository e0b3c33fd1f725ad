"""The shape of the code: no import cycle between modules or between apps, no `_private` name imported from
another module, and no file that cites a design file outside the repository or an issue number.

Imports are read with `ast` (nothing is imported): the statements at module level, those under `if`/`try` at
module level included and `if TYPE_CHECKING:` blocks left out. Imports inside functions are deferred on purpose
(e.g. the CLI sets Django up first) and are not edges of the import graph.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "shinchoku"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imported(module: str, path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) of each module-level import; name None for `import x`."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def walk(statements: list[ast.stmt]) -> Iterator[tuple[str, str | None]]:
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                yield from ((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                yield from ((base, alias.name) for alias in node.names)
            elif isinstance(node, ast.If | ast.Try):
                yield from walk(node.body)
                yield from walk(node.orelse)
                for handler in getattr(node, "handlers", []):
                    yield from walk(handler.body)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")).body)


def graph() -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Module → the modules of the package it imports; and the (module, name) of private names imported."""
    edges: dict[str, set[str]] = defaultdict(set)
    private: list[tuple[str, str]] = []
    for module, path in MODULES.items():
        for base, name in imported(module, path):
            target = f"{base}.{name}" if name and f"{base}.{name}" in MODULES else base
            if target not in MODULES or target == module:
                continue
            edges[module].add(target)
            if name and name.startswith("_") and not name.startswith("__"):
                private.append((module, f"{base}.{name}"))
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(set(edges) | {n for targets in edges.values() for n in targets}):
        if node not in index:
            visit(node)
    return found


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_modules() -> None:
    edges, _ = graph()
    assert cycles(edges) == []


def test_no_import_cycle_between_apps() -> None:
    edges, _ = graph()
    apps: dict[str, set[str]] = defaultdict(set)
    for module, targets in edges.items():
        apps[app_of(module)] |= {app_of(t) for t in targets if app_of(t) != app_of(module)}
    assert cycles(apps) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    _, private = graph()
    assert private == []


def test_the_checks_see_the_imports() -> None:
    """The graph is not empty: the web app imports the progress selectors and the page kit."""
    edges, _ = graph()
    assert "shinchoku.pagekit.common" in edges["shinchoku.web.views.public"]
    assert any(t.startswith("shinchoku.progress.selectors") for t in edges["shinchoku.web.views.public"])


CITATION = re.compile(r"FORMATS\.md|ARCHITECTURE\.md|PRODUCT\.md|\.\./shared/|(?i:\bissue\s*#?\d+)")


def test_no_file_cites_a_design_file_outside_the_repository_or_an_issue_number() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    cited = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".py", ".md", ".html", ".toml", ".txt", ".js", ".css", ".cfg"} and path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if CITATION.search(line) and name != "tests/unit/test_structure.py":
                    cited.append(f"{name}:{number}: {line.strip()[:100]}")
    assert cited == []
