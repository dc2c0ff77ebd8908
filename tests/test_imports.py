"""The project's modules import each other without a circle: a refresh's three steps (build,
validate, publish) sit in kumkm.refresh, above the modules that do them (kumkm.warehouse: dbt and
publishing; kumkm.audit; expectations.runner: the quality gate), none of which needs the refresh. Imports inside functions count too: they only postpone a circle;
imports for type checkers alone do not."""
from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGES = ("kumkm", "ingestion", "expectations", "orchestration")
ROOT = Path(__file__).resolve().parent.parent


def modules() -> dict[str, Path]:
    return {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def executed(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes under `node` that run, leaving out `if TYPE_CHECKING:` blocks (read by type
    checkers only)."""
    for child in ast.iter_child_nodes(node):
        if not (isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING"):
            yield child
            yield from executed(child)


def imported(path: Path, known: set[str]) -> set[str]:
    """The project's modules a module imports, wherever in it the import stands."""
    found = set()
    for node in executed(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in known}
    return found


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of imports, as the modules along it, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            if found := visit(target, path + [module]):
                return found
        done.add(module)
        return None

    return next((found for module in sorted(graph) if (found := visit(module, []))), None)


def test_no_module_imports_itself_through_others():
    found = modules()
    graph = {name: imported(path, set(found)) - {name} for name, path in found.items()}
    assert graph["kumkm.refresh"] >= {"kumkm.warehouse", "kumkm.audit", "expectations.runner"}
    assert circle(graph) is None, " -> ".join(circle(graph))


def test_the_circle_finder_finds_a_circle():
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("module", ["expectations.runner", "kumkm.warehouse", "kumkm.cli"])
def test_a_module_imports_alone(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=ROOT)
