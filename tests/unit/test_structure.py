"""The shape of the code: no import cycle between modules or between apps, no `_private` name imported from
another module, no file that cites a design file outside the repository or an issue number, and no run of six
or more lines written twice in the package (migrations left out).

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


# --- no copied runs of lines ------------------------------------------------------------------------------

RUN = 6  # normalized lines that make a copy
LONE_PUNCTUATION = re.compile(r"[()\[\]{},:;]+")
IMPORT = re.compile(r"(from\s+\S+\s+)?import\s")
TRAILING_COMMENT = re.compile(r"\s+#[^'\"]*$")


def normalized_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line with its white space folded) of the lines that count: blank lines, comments, import
    statements (their continuation lines included) and lines of lone punctuation such as `)` or `},` are
    passed over."""
    counted: list[tuple[int, str]] = []
    in_import = False
    for number, line in enumerate(text.splitlines(), 1):
        folded = " ".join(line.split())
        if "#" in folded:
            folded = TRAILING_COMMENT.sub("", folded)
        if in_import:
            in_import = ")" not in folded
            continue
        if IMPORT.match(folded):
            in_import = folded.endswith("(")
            continue
        if folded and not folded.startswith("#") and not LONE_PUNCTUATION.fullmatch(folded):
            counted.append((number, folded))
    return counted


def copied_runs(texts: dict[str, str], run: int = RUN) -> list[str]:
    """`a.py:10-24 ~ b.py:40-54` for each run of at least `run` identical normalized lines that stands in two
    places (two files, or two places of one file that do not overlap), each run named once at its full length."""
    lines = {name: normalized_lines(text) for name, text in texts.items()}
    places: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for name, counted in lines.items():
        folded = [line for _, line in counted]
        for i in range(len(folded) - run + 1):
            places[tuple(folded[i : i + run])].append((name, i))
    starts = set()
    for found in places.values():
        for k, (a, i) in enumerate(found):
            starts |= {(a, i, b, j) for b, j in found[k + 1 :] if a != b or j - i >= run}
    copies = []
    for a, i, b, j in sorted(starts):
        if (a, i - 1, b, j - 1) in starts:
            continue  # inside a longer run, named from its start
        n = 1
        while (a, i + n, b, j + n) in starts and (a != b or j - i > n + run - 1):
            n += 1
        last = n + run - 2
        copies.append(f"{a}:{lines[a][i][0]}-{lines[a][i + last][0]} ~ {b}:{lines[b][j][0]}-{lines[b][j + last][0]}")
    return copies


def package_sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    }


def test_no_run_of_six_lines_is_written_twice_in_the_package() -> None:
    copies = copied_runs(package_sources())
    assert copies == [], "the same lines stand in two places; write them once and call them:\n" + "\n".join(copies)


SIX_LINES = """def total(rows):
    out = 0
    for row in rows:
        if row.valid:
            out += row.amount
    return out
"""


def test_the_copy_checker_finds_a_copy_of_six_lines() -> None:
    copies = copied_runs({"a.py": SIX_LINES, "b.py": "x = 1\n\n" + SIX_LINES})
    assert copies == ["a.py:1-6 ~ b.py:3-8"]


def test_the_copy_checker_lets_five_lines_pass() -> None:
    five = SIX_LINES.replace("        if row.valid:\n", "")
    assert copied_runs({"a.py": five, "b.py": five}) == []


def test_the_copy_checker_is_not_fooled_by_blank_lines_comments_spacing_imports_or_brackets() -> None:
    disguised = """import os
def total(rows):

    # the sum of the valid rows
    out  =  0
    for row in rows:  # every row
        if row.valid:
            from math import (
                fsum,
            )
            out += row.amount
    )
    return out
"""
    assert copied_runs({"a.py": SIX_LINES, "b.py": disguised}) == ["a.py:1-6 ~ b.py:2-13"]


def test_the_copy_checker_finds_a_copy_inside_one_file_and_names_a_longer_run_once() -> None:
    seven = SIX_LINES + "print(total([]))\n"
    copies = copied_runs({"a.py": seven + "y = 2\n" + seven})
    assert copies == ["a.py:1-7 ~ a.py:9-15"]


def test_the_copy_checker_does_not_count_repeated_lines_that_overlap() -> None:
    assert copied_runs({"a.py": "x += 1\n" * 11}) == []
