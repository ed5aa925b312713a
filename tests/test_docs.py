"""The README's examples run, docs/rules.md is current, and the public API is explicit."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import dangvien_data
from dangvien_data.cli import main
from dangvien_data.report.render import rules_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs(monkeypatch, capsys):
    """The library example in the README runs and prints what its comments say."""
    monkeypatch.chdir(ROOT)
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block
    exec(compile(block.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "171" in out and "{'error': 20, 'warning': 0, 'info': 5}" in out
    assert "Danh sách E20 missing-value" in out


@pytest.mark.parametrize("line", re.findall(r"^dangvien (.+)$", README, re.M))
def test_readme_commands_run(line, monkeypatch, tmp_path, capsys):
    """Every `dangvien …` line of the README runs with exit 0 or 1 (1 = the planted errors)."""
    monkeypatch.chdir(ROOT)
    args = [a.replace("out/", f"{tmp_path}/") for a in shlex.split(line)]
    assert main(args) in (0, 1)


def test_readme_quick_start_is_two_commands():
    """The quick start is `make demo` and `make test`, and CI runs exactly the test command."""
    assert "make demo" in README and "make test" in README
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make test")


def test_rules_doc_is_current():
    """docs/rules.md is what `dangvien rules` prints (regenerate: dangvien rules > docs/rules.md)."""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_exported_members_sorted_and_complete():
    """__all__ is sorted and every name in it exists."""
    names = dangvien_data.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(dangvien_data, name), name
