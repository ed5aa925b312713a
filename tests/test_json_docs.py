"""docs/json.md documents the keys of every command's JSON: each command is run and its keys compared."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dangvien_data.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
DOC = ROOT / "docs" / "json.md"
COMMANDS = {
    "read": ["read", str(SAMPLE / "danh_sach_dang_vien.xlsx")],
    "validate": ["validate", str(SAMPLE / "danh_sach_dang_vien_loi.xlsx"), "--as-of", "2020-03-31"],
    # the planted roster has rows whose status and sex cannot be told, and the declared sheet differs
    "summary": ["summary", str(SAMPLE / "danh_sach_dang_vien_loi.xlsx"), "--as-of", "2020-03-31",
                "--declared", str(SAMPLE / "bao_cao_so_luong.xlsx")],
    "reconcile": ["reconcile", "--before", str(SAMPLE / "danh_sach_dang_vien.xlsx"), "--after",
                  str(SAMPLE / "danh_sach_2020_09_30.xlsx"), "--movements", str(SAMPLE / "bien_dong.xlsx")],
    "dossier": ["dossier", str(SAMPLE / "ho_so_nhan_su.xlsx"), "--roster", str(SAMPLE / "danh_sach_dang_vien.xlsx"),
                "--congress-date", "2020-06-15", "--seats", "12"],
}  # fmt: skip


def documented() -> dict[str, set[str]]:
    """Section ("summary.cells[]") -> the keys its table lists."""
    sections: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if heading := re.fullmatch(r"## `([^`]+)`", line):
            current = heading.group(1)
            sections[current] = set()
        elif current and (row := re.match(r"\| `([a-z0-9_]+)` \|", line)):
            sections[current].add(row.group(1))
    return sections


@pytest.fixture(scope="module")
def outputs():
    """Each command's JSON on the sample data."""
    import contextlib
    import io

    out = {}
    for name, argv in COMMANDS.items():
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main([*argv, "--format", "json"])
        assert code in (0, 1), name
        out[name] = json.loads(buffer.getvalue())
    return out


def _actual(outputs, section: str) -> list[set[str]]:
    """The key sets the section describes, one per record found."""
    if section == "issues[]":
        return [set(i) for data in outputs.values() for i in data["issues"]]
    if section == "counts":
        return [set(data["counts"]) for data in outputs.values() if "counts" in data]
    command, _, part = section.partition(".")
    data = outputs[command]
    if not part:
        return [set(data)]
    records = data[part.removesuffix("[]")]
    return [set(r) for r in records]


def test_every_command_is_documented():
    """Each command has its section, and the shared records theirs."""
    assert {"issues[]", "counts", *COMMANDS} <= set(documented())


@pytest.mark.parametrize("section", sorted(documented()))
def test_documented_keys_are_the_real_keys(outputs, section):
    """The keys a section lists are exactly those of the command's output (for dossier: at least those)."""
    keys = documented()[section]
    found = _actual(outputs, section)
    assert found, f"{section}: no record in the sample output to compare with"
    for actual in found:
        if section.startswith("dossier"):
            assert keys <= actual, (section, keys - actual)
        else:
            assert actual == keys, (section, sorted(actual - keys), sorted(keys - actual))


def test_rows_are_sheet_rows(outputs):
    """Every issue's row is the row of its ref, and roll-forward rows match their places, as the sheets number them."""
    for data in outputs.values():
        for issue in data["issues"]:
            if issue["ref"] and issue["row"] is not None:
                assert re.sub(r"\D", "", issue["ref"]) == str(issue["row"]), issue
    for change in outputs["reconcile"]["changes"]:
        for side in ("before", "after"):
            if change[f"place_{side}"]:
                assert change[f"place_{side}"].endswith(str(change[f"row_{side}"]))
        if change["movement_place"]:
            assert change["movement_place"].endswith(str(change["movement"]))


def test_summary_status_adds_up_and_lists_the_rows(outputs):
    """official + probationary + status_unknown = total on every line; the undetermined rows are listed."""
    data = outputs["summary"]
    for line in [*data["cells"], data["total"]]:
        assert line["official"] + line["probationary"] + line["status_unknown"] == line["total"]
    listed = data["undetermined"]
    assert sum(r["unknown"].count("status") for r in listed) == data["total"]["status_unknown"] > 0
    assert sum(r["unknown"].count("sex") for r in listed) == data["total"]["sex_unknown"] > 0
    assert data["ok"] is False and data["counts"]["error"] == len(data["reconciliation"])
    assert all(re.fullmatch(r"[a-z0-9-]+", k) for line in data["cells"] for g in line["groups"].values() for k in g)
    assert data["group_labels"]["rank"]["cap-uy"] == "Cấp úy"
