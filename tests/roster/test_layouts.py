"""The layout gallery: every layout offices use reads as the same members, cells, counts and refs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvien_data.roster.reader import read_roster
from dangvien_data.roster.validation import validate
from layouts import GALLERY, Expected, Layout, build, members_read, office, people, with_status

AS_OF = "2020-03-31"


def _read(expected: Expected):
    return read_roster(expected.files if len(expected.files) > 1 else expected.files[0])


def check_layout(layout: Layout, folder: Path) -> None:
    """The reader recovers the layout's members with their refs, its counts, and finds no error in clean rows."""
    persons = with_status(people(9), layout)
    expected = build(layout, persons, folder)
    roster = _read(expected)
    assert members_read(roster) == sorted(expected.members)
    assert roster.per_cell().set_index("cell")["members"].to_dict() == expected.counts()
    departed = [(i.file, i.sheet, i.row) for i in roster.issues if i.code == "member-departed"]
    assert departed == expected.departed
    exempted = [i.member for i in roster.issues if i.code == "member-exempted"]
    assert exempted == expected.exempted
    report = validate(roster, as_of=AS_OF)
    errors = [(i.code, i.sheet, i.ref) for i in report.issues if i.severity == "error"]
    assert errors == []
    files = {str(p) for p in expected.files}
    assert all(i.file in files for i in report.issues)


@pytest.mark.parametrize("layout", [g for g in GALLERY if g.fmt == "xlsx"], ids=lambda g: g.name)
def test_gallery_layout(layout: Layout, tmp_path: Path):
    """Each xlsx layout of the gallery reads as its truth."""
    check_layout(layout, tmp_path)


@pytest.mark.parametrize("layout", [g for g in GALLERY if g.fmt != "xlsx"], ids=lambda g: g.name)
def test_gallery_layout_other_formats(layout: Layout, tmp_path: Path):
    """The .xls and .ods layouts (converted by LibreOffice) read as their truth."""
    if office() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    check_layout(layout, tmp_path)


def test_gallery_is_large_enough():
    """The gallery holds at least 15 layouts, each named once."""
    assert len(GALLERY) >= 15
    assert len({g.name for g in GALLERY}) == len(GALLERY)


def test_mixed_layouts_in_one_run_keep_their_own_refs(tmp_path: Path):
    """Files of one run laid out differently (Nam/Nữ birth columns, split names, abbreviations) keep their refs."""
    parts = [
        build(Layout("a", birth="sex", per="file"), people(3), tmp_path / "a"),
        build(
            Layout("b", split_name="Họ", abbreviated=True, per="file", reverse=True), people(3, seed=3), tmp_path / "b"
        ),
        build(Layout("c", per="file", title=False), people(3, seed=6), tmp_path / "c"),
    ]
    files = [f for p in parts for f in p.files]
    roster = read_roster(files)
    assert members_read(roster) == sorted(m for p in parts for m in p.members)
    report = validate(roster, as_of=AS_OF)
    assert [i for i in report.issues if i.severity == "error"] == []


features = st.builds(
    Layout,
    name=st.just("random"),
    per=st.sampled_from(["sections", "sheet", "file"]),
    title=st.booleans(),
    numbering=st.booleans(),
    split_name=st.sampled_from([None, "Họ", "Họ và tên đệm", "merged"]),
    abbreviated=st.booleans(),
    birth=st.sampled_from(["date", "sex", "year"]),
    totals=st.booleans(),
    signature=st.booleans(),
    notes=st.booleans(),
    departed=st.booleans(),
    exempted=st.booleans(),
    legacy=st.sampled_from([None, "tcvn3", "vni"]),
    caps=st.booleans(),
    reverse=st.booleans(),
    two_digit=st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=features, count=st.integers(min_value=1, max_value=7), seed=st.integers(min_value=0, max_value=50))
def test_random_layouts_read_as_their_truth(layout: Layout, count: int, seed: int, tmp_path_factory):
    """Layout features composed at random: the reader recovers the same members with the right refs."""
    folder = tmp_path_factory.mktemp("layout")
    persons = with_status(people(count, seed=seed), layout)
    expected = build(layout, persons, folder)
    roster = _read(expected)
    assert members_read(roster) == sorted(expected.members)
    assert sorted((i.file, i.sheet, i.row) for i in roster.issues if i.code == "member-departed") == sorted(
        expected.departed
    )


def test_folder_with_an_unreadable_file_exits_2_after_reading_the_others(tmp_path: Path, capsys):
    """One damaged workbook in a folder: a file-level error, exit 2, and every other file read, checked, counted."""
    import json

    from dangvien_data.api import validate_files
    from dangvien_data.cli import main

    expected = build(Layout("files", per="file"), people(6), tmp_path)
    (tmp_path / "hỏng.xlsx").write_text("not a workbook", encoding="utf-8")
    report = validate_files(tmp_path, as_of=AS_OF)
    assert [(Path(i.file).name, i.code) for i in report.issues if i.severity == "error"] == [
        ("hỏng.xlsx", "file-unreadable")
    ]
    assert main(["validate", str(tmp_path), "--as-of", AS_OF, "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert {Path(f).name for f in data["files"]} == {p.name for p in expected.files}
    assert main(["summary", str(tmp_path), "--as-of", AS_OF, "--format", "json"]) == 2
    summary = json.loads(capsys.readouterr().out)
    assert summary["total"]["total"] == len(expected.members)
    assert [Path(f).name for f in summary["unreadable"]] == ["hỏng.xlsx"]
    assert main(["read", str(tmp_path)]) == 2


def test_summary_says_who_is_left_out_and_why(tmp_path: Path):
    """Departed members are not counted and the summary says how many and why; exempted ones are counted."""
    from dangvien_data.report.summary import summarise

    layout = Layout("status", departed=True, exempted=True)
    expected = build(layout, with_status(people(6), layout), tmp_path)
    summary = summarise(_read(expected), as_of=AS_OF)
    assert int(summary.total["total"]) == len(expected.members)
    assert (dict(summary.excluded), summary.exempted) == ({"transferred": 1}, 1)
    assert summary.excluded_line("en") == (
        "Not counted: 1 member(s) who left (1 moved away). Counted, exempted from activities: 1."
    )


def test_birth_date_issue_in_a_mixed_run_names_its_own_column(tmp_path: Path):
    """With a Nam/Nữ file in the run, a bad birth date in a one-column file is at that file's column and header."""
    import openpyxl

    split = build(Layout("a", birth="sex", per="file"), people(3), tmp_path / "a")
    plain = build(Layout("b", per="file", reverse=True), people(3, seed=3), tmp_path / "b")
    *_, file, sheet, _row, _, birth_ref = plain.members[0]
    book = openpyxl.load_workbook(file)
    book[sheet][birth_ref] = "31/02/1985"
    book.save(file)
    report = validate(read_roster([*split.files, *plain.files]), as_of=AS_OF)
    found = [(i.file, i.ref, i.column) for i in report.issues if i.field == "birth_date" and i.severity == "error"]
    assert found == [(file, birth_ref, "Ngày sinh")]
