"""The layout of docs/architecture.md holds: no private name crosses a module, no import circle between modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "dangvien_data"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("dangvien_data", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


MODULES = _modules()


def _top_level_imports(path: Path) -> list[ast.ImportFrom]:
    """``from … import …`` run when the module is imported: module level, outside ``if TYPE_CHECKING:``."""
    found: list[ast.ImportFrom] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            found += [n for n in ast.walk(node) if isinstance(n, ast.ImportFrom)]
    return found


def _target(node: ast.ImportFrom, alias: ast.alias) -> str | None:
    if not node.module or not node.module.startswith("dangvien_data"):
        return None
    sub = f"{node.module}.{alias.name}"
    return sub if sub in MODULES else node.module


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_imported_from_another_module(name):
    """A name starting with "_" belongs to its module: another module that needs it means it is public."""
    crossing = []
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dangvien_data"):
            for alias in node.names:
                is_module = f"{node.module}.{alias.name}" in MODULES
                if alias.name.startswith("_") and not alias.name.startswith("__") and not is_module:
                    crossing.append(f"{node.module}.{alias.name}")
    assert crossing == []


def test_no_import_circle():
    """Importing any module never needs a module that needs it back (module-level imports; lazy ones excepted)."""
    graph = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for node in _top_level_imports(path):
            for alias in node.names:
                target = _target(node, alias)
                if target and target != name and target in MODULES and not name.startswith(target + "."):
                    graph[name].add(target)
    # a package's __init__ importing its own submodules is not a circle
    circles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    circles.append(" → ".join([*trail, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert circles == []
