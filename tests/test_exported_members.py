"""The public API: one export table, every name resolvable, documented, and typed imports that agree."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import dangvien_data

INIT = Path(dangvien_data.__file__)


def test_all_is_the_export_table_sorted():
    """``__all__`` is exactly the export table plus ``__version__``, sorted."""
    assert dangvien_data.__all__ == sorted([*dangvien_data._EXPORTS, "__version__"])


def test_every_exported_name_resolves_to_its_module():
    """Each name is defined by the module the table names (no re-export of a re-export)."""
    for name, module in dangvien_data._EXPORTS.items():
        value = getattr(dangvien_data, name)
        assert value.__module__ == f"dangvien_data.{module}", name


def test_type_checking_imports_agree_with_the_table():
    """The imports that type checkers see name the same module for every exported name, and nothing else."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                for alias in imp.names:
                    seen[alias.name] = imp.module.removeprefix("dangvien_data.")
    assert seen == dangvien_data._EXPORTS


def test_every_exported_name_is_documented():
    """Every exported class and function has a docstring; functions say what they take, return and raise."""
    undocumented, incomplete = [], []
    for name in dangvien_data._EXPORTS:
        value = getattr(dangvien_data, name)
        doc = inspect.getdoc(value) or ""
        if not doc.strip():
            undocumented.append(name)
        elif inspect.isfunction(value):
            wanted = ["Returns:"] + (["Args:"] if inspect.signature(value).parameters else [])
            if "raise" in inspect.getsource(value) or name.startswith(("read_", "write_", "validate", "check_")):
                wanted.append("Raises:")
            missing = [w for w in wanted if w not in doc]
            if missing:
                incomplete.append((name, missing))
    assert undocumented == []
    assert incomplete == []


def test_import_is_cheap_and_complete_in_a_fresh_interpreter():
    """A plain ``import dangvien_data`` imports no pandas, and every exported name then resolves."""
    code = (
        "import sys, dangvien_data as d; cheap = 'pandas' not in sys.modules; "
        "[getattr(d, n) for n in d.__all__]; print(cheap)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
