"""Bad inputs: each corpus file is refused with a clear message, or read with its problems as issues."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

import openpyxl
import pytest

from corpus import CORPUS, DATA_CASES, HOSTILE, LONG_NAME, REFUSED, build, run_cli
from dangvien_data import read_roster, validate
from dangvien_data.cli import main
from dangvien_data.errors import CorruptWorkbookError, DangvienError, OutputPathError
from dangvien_data.io.excel import RESULTS_SHEET, annotate
from dangvien_data.io.output import MAX_CELL_TEXT, atomic_write
from dangvien_data.issues import CATALOGUE
from strategies import AS_OF, base_members, write_roster

COMMANDS = (["read"], ["validate", "--as-of", AS_OF.isoformat()], ["summary", "--as-of", AS_OF.isoformat()])


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _codes(issues: list) -> list[tuple[str | None, str | None, str]]:
    return [(i.sheet, i.ref, i.code) for i in issues]


# --- refused inputs ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REFUSED)
def test_library_refuses_with_a_documented_error(name: str, tmp_path: Path):
    """The library raises the corpus entry's DangvienError subclass, naming the file in both languages."""
    case = CORPUS[name]
    path = build(name, tmp_path)
    with pytest.raises(DangvienError) as caught:
        read_roster(path)
    error = caught.value
    assert type(error) is case.refused
    assert str(path) in error.message("vi") and str(path) in error.message("en")
    assert case.words_vi in error.message("vi") and case.words_en in error.message("en")
    assert error.message("vi") != error.message("en")


@pytest.mark.parametrize("name", REFUSED)
def test_cli_refuses_with_exit_2_and_one_paragraph(name: str, tmp_path: Path, capsys):
    """Every command exits 2 with a one-paragraph message naming the file: Vietnamese, or English with --lang en."""
    case = CORPUS[name]
    path = build(name, tmp_path)
    before = _digest(path)
    for command in COMMANDS:
        code, out, err = _run(capsys, command[0], path, *command[1:])
        assert (code, out) == (2, ""), (command, err)
        assert err.startswith("dangvien: ") and err.count("\n") == 1 and "Traceback" not in err
        assert str(path) in err and case.words_vi in err
    code, _, err = _run(capsys, "validate", path, "--lang", "en")
    assert code == 2 and case.words_en in err and str(path) in err
    assert _digest(path) == before


def test_folder_with_a_refused_file_is_refused_not_skipped(tmp_path: Path, capsys):
    """An .xlsb among a folder's rosters stops the run: leaving it out would silently drop a cell's members."""
    write_roster(tmp_path / "chi_bo_1.xlsx", base_members())
    build("xlsb", tmp_path)
    code, _, err = _run(capsys, "read", tmp_path)
    assert code == 2 and "nhi_phan.xlsb" in err


def test_zip_bomb_is_refused_before_decompressing(tmp_path: Path, monkeypatch):
    """The zip-bomb check reads only the archive's directory: no member is opened, fastexcel is never called."""
    import zipfile

    import fastexcel

    from dangvien_data.errors import OversizedWorkbookError

    path = build("zip-bomb", tmp_path)

    def forbidden(*args, **kwargs):
        raise AssertionError("decompressed before the size check")

    monkeypatch.setattr(zipfile.ZipFile, "open", forbidden)
    monkeypatch.setattr(fastexcel, "read_excel", forbidden)
    with pytest.raises(OversizedWorkbookError, match="bom nén"):  # refused from the sizes alone, nothing inflated
        read_roster(path)


def test_encrypted_workbook_is_a_real_one(tmp_path: Path):
    """The corpus builds a real encrypted workbook (msoffcrypto-tool); with the password it decrypts to a roster."""
    msoffcrypto = pytest.importorskip("msoffcrypto")
    path = build("encrypted", tmp_path)
    plain = tmp_path / "giai_ma.xlsx"
    with path.open("rb") as source, plain.open("wb") as target:
        office = msoffcrypto.OfficeFile(source)
        office.load_key(password="matkhau")
        office.decrypt(target)
    assert len(read_roster(plain)) == 4


# --- readable files with data problems ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", DATA_CASES)
def test_data_problems_are_issues_not_refusals(name: str, tmp_path: Path, capsys):
    """Each readable file is read, validated, summarised and annotated; its problems come back as issues."""
    from dangvien_data.report.summary import summarise

    path = build(name, tmp_path)
    before = _digest(path)
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)
    codes = {i.code for i in report.issues}
    assert set(CORPUS[name].codes) <= codes
    assert codes <= set(CATALOGUE)
    summarise(roster, as_of=AS_OF, report=report)
    for command in COMMANDS if name != "million-rows" else COMMANDS[1:2]:  # each run reads a million rows
        code, out, err = _run(capsys, command[0], path, *command[1:], "--format", "json")
        assert code in (0, 1), (command, err)
        assert "Traceback" not in err
        json.loads(out)
    assert _digest(path) == before


@pytest.fixture(params=[False, True], ids=["quick-pass", "xml-parser"])
def large_sheets(request, monkeypatch) -> bool:
    """Run a test twice: with the quick byte pass over plain sheet parts, and with the XML parser alone."""
    if request.param:
        from dangvien_data.io import xlsx_scan as _xlsx_scan

        monkeypatch.setattr(_xlsx_scan, "_quick_scan", lambda archive, member: None)
    return bool(request.param)


def test_error_values_are_reported_at_their_cells(tmp_path: Path, large_sheets: bool):
    """#REF!, #N/A, #VALUE!, #DIV/0! and #NAME? are errors at their own cells, never "empty" or a crash."""
    roster = read_roster(build("error-values", tmp_path))
    report = validate(roster, as_of=AS_OF)
    found = [(i.ref, i.code, i.value) for i in report.issues if i.code in ("excel-error-value", "missing-value")]
    assert found == [
        ("B3", "excel-error-value", "#REF!"),
        ("C4", "excel-error-value", "#N/A"),
        ("M5", "excel-error-value", "#VALUE!"),
        ("E6", "excel-error-value", "#DIV/0!"),
        ("N6", "excel-error-value", "#NAME?"),
    ]
    assert roster.frame["full_name"].isna().tolist() == [True, False, False, False]


def test_formulas_without_values_are_reported_with_their_formula(tmp_path: Path, large_sheets: bool):
    """A formula saved with no calculated value is an error showing the formula, not a blank cell."""
    report = validate(read_roster(build("formulas-without-values", tmp_path)), as_of=AS_OF)
    found = [(i.ref, i.code, i.value) for i in report.issues if i.severity == "error"]
    assert found == [
        ("C3", "formula-without-value", "=DATE(1980,3,5)"),
        ("B4", "formula-without-value", '=CONCATENATE("Trần"," Thị Bình")'),
        ("M5", "formula-without-value", '=TEXT(1234569,"00000000")'),
    ]


def test_record_only_columns_of_formulas_are_one_warning_per_sheet(tmp_path: Path):
    """STT as "=ROW()-2" never calculated, and a "#REF!" home town: the columns only complete the record, so one
    warning per column and kind (at the first cell, with the span), no error, and every member still read."""
    from dataclasses import replace

    from conftest import ROSTER_COLUMNS, write_workbook

    sheets = {}
    for k, (sheet, cell) in enumerate((("DS1", "I. Chi bộ Đội Tổng hợp"), ("DS2", "I. Chi bộ Đội Kỹ thuật"))):
        people = [
            replace(m, card=f"{m.card[:2]}{k}{m.card[3:]}", born=m.born.replace(day=k + 1)) for m in base_members()
        ]
        rows = [ROSTER_COLUMNS, [cell]] + [m.row(i) for i, m in enumerate(people, start=1)]
        for row in rows[2:]:
            row[0] = "=ROW()-2"
        sheets[sheet] = rows
    sheets["DS2"][4][ROSTER_COLUMNS.index("Quê quán")] = "#REF!"
    path = write_workbook(tmp_path / "stt_cong_thuc.xlsx", sheets)
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)
    assert len(roster) == 2 * len(base_members())
    assert report.counts["error"] == 0
    found = [(i.sheet, i.ref, i.params["span"], i.value, i.member) for i in report.issues if i.severity == "warning"]
    assert sorted(found) == [
        ("DS1", "A3", "A3:A6", "=ROW()-2", None),
        ("DS2", "A3", "A3:A6", "=ROW()-2", None),
        ("DS2", "G5", "G5", "#REF!", "Lê Văn Cường"),
    ]
    assert {i.code for i in report.issues} == {"record-cells-without-value"}
    text = next(i for i in report.issues if i.ref == "A3" and i.sheet == "DS1").message("vi")
    assert "4 ô là công thức chưa được tính (A3:A6)" in text
    result = run_cli("validate", path, "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr


def test_date_serials_outside_excel_and_the_phantom_leap_day(tmp_path: Path):
    """Serials below 1, beyond 31/12/9999 or absurdly large are invalid dates; Excel's 29/02/1900 (serial 60),
    which the fast reader turns into 28/02/1900, is still caught by the age rules."""
    report = validate(read_roster(build("date-serials", tmp_path)), as_of=AS_OF)
    invalid = [(i.ref, i.value) for i in report.issues if i.code == "invalid-date"]
    assert invalid == [("C4", "-5"), ("C5", "2958466"), ("C6", "100000000000000000000")]
    assert any(i.row == 3 and i.severity == "error" for i in report.issues)


def test_text_dates_out_of_range(tmp_path: Path):
    """ "29/02/1900", "00/00/0000" and "01/01/10000" are invalid; "31/12/9999" is after the as-of date."""
    report = validate(read_roster(build("text-dates", tmp_path)), as_of=AS_OF)
    born = [(i.ref, i.code) for i in report.issues if i.field == "birth_date"]
    assert born == [
        ("C3", "invalid-date"),
        ("C4", "invalid-date"),
        ("C5", "date-after-as-of"),
        ("C6", "invalid-date"),
    ]


def test_header_and_no_rows_is_an_empty_roster(tmp_path: Path, capsys):
    """A header with nothing under it reads as 0 members; validate and summary run and say so."""
    from dangvien_data.report.summary import summarise

    roster = read_roster(build("header-only", tmp_path))
    assert len(roster) == 0 and roster.sources[0].header_rows == (1,)
    report = validate(roster, as_of=AS_OF)
    assert report.counts["error"] == 0
    assert int(summarise(roster, as_of=AS_OF).total["total"]) == 0
    code, out, _ = _run(capsys, "read", tmp_path / "chi_tieu_de.xlsx", "--format", "json")
    assert code == 0 and json.loads(out)["total"] == 0


def test_million_row_used_range_stays_small(tmp_path: Path):
    """One stray value at A1048576 below four members: read and validated in seconds, four members found."""
    path = build("million-rows", tmp_path)
    started = time.perf_counter()
    roster = read_roster(path)
    validate(roster, as_of=AS_OF)
    elapsed = time.perf_counter() - started
    assert len(roster) == 4
    assert elapsed < 15, f"{elapsed:.1f} s"  # measured 1.4–2.5 s and 770 MiB peak on the 2-core machine


def test_far_formatting_is_not_refused(tmp_path: Path):
    """A formatted empty cell at XFD1048576 makes the dimension huge; the values are compact, so it is read."""
    assert len(read_roster(build("far-formatting", tmp_path))) == 4


def test_duplicate_headers_read_the_first_column(tmp_path: Path):
    """A header written twice is a warning at the second one; the first column is the one read."""
    roster = read_roster(build("duplicate-headers", tmp_path))
    assert [(i.ref, i.code) for i in roster.issues if i.code == "duplicate-column"] == [
        ("O1", "duplicate-column"),
        ("P1", "duplicate-column"),
    ]
    assert "Trùng" not in roster.frame["full_name"].tolist()


def test_merged_cells_across_data_rows(tmp_path: Path):
    """Only the first row of a merged range holds the value: the others are reported empty, and the
    annotated copy marks the merged range's first cell instead of crashing on a merged cell."""
    path = build("merged-data-rows", tmp_path)
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)
    assert [(i.ref, i.code) for i in report.issues if i.severity == "error"] == [
        ("E4", "missing-value"),
        ("E5", "missing-value"),
        ("K5", "missing-value"),
        ("K6", "missing-value"),
    ]
    out = annotate(roster, report, tmp_path / "ket_qua.xlsx")
    sheet = openpyxl.load_workbook(out)["DS"]
    assert "missing-value" in sheet["E3"].comment.text and "missing-value" in sheet["K4"].comment.text


def test_invisible_characters_are_removed_and_reported(tmp_path: Path):
    """Control, zero-width and right-to-left characters are removed from names, each removal an info issue."""
    roster = read_roster(build("odd-text", tmp_path))
    names = roster.frame["full_name"].tolist()
    assert names[1:] == ["Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng"]
    assert names[0] == LONG_NAME
    found = [(i.ref, i.code, dict(i.params)["chars"]) for i in roster.issues if i.code.startswith("invisible")]
    assert found == [
        ("B4", "invisible-characters-removed", "U+0001, U+0007, U+001F"),
        ("B5", "invisible-characters-removed", "U+200B, U+200D, U+FEFF"),
        ("B6", "invisible-characters-removed", "U+200F, U+202C, U+202E"),
    ]


def test_annotate_refuses_a_file_openpyxl_cannot_parse(tmp_path: Path, capsys):
    """Raw control characters make the XML invalid for openpyxl: --annotate exits 2 with a message, not a traceback."""
    path = build("odd-text", tmp_path)
    roster = read_roster(path)
    with pytest.raises(CorruptWorkbookError, match="openpyxl"):
        annotate(roster, validate(roster, as_of=AS_OF), tmp_path / "ket_qua.xlsx")
    code, _, err = _run(capsys, "validate", path, "--annotate", tmp_path / "ket_qua.xlsx", "--lang", "en")
    assert code == 2 and "annotated copy" in err and "Traceback" not in err
    assert not (tmp_path / "ket_qua.xlsx").exists() and not list(tmp_path.glob(".*.tmp"))


def test_long_and_odd_values_are_written_safely(tmp_path: Path):
    """Values reaching the annotated copy are cut to Excel's 32,767 characters and lose XML-illegal characters."""
    members = base_members()
    path = write_roster(tmp_path / "dai.xlsx", members)
    wb = openpyxl.load_workbook(path)
    wb["DS"]["E3"] = "K" * 100_000  # an ethnicity no code list has: reported with its value
    wb["DS"]["E4"] = "Kinh_x0001_x"  # Excel's escape for a control character, read back as "\x01"
    wb.save(path)
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)
    out = annotate(roster, report, tmp_path / "ket_qua.xlsx")
    results = openpyxl.load_workbook(out)[RESULTS_SHEET]
    values = [results.cell(row=r, column=7).value or "" for r in range(2, results.max_row + 1)]
    assert max(len(v) for v in values) == MAX_CELL_TEXT
    assert not any(ch in v for v in values for ch in "\x01\x07")


# --- outputs -----------------------------------------------------------------------------------------------------
def test_output_equal_to_input_is_refused_by_every_name(tmp_path: Path, capsys, monkeypatch):
    """The input reached as itself, relatively, through a symbolic link or a hard link is never overwritten."""
    path = write_roster(tmp_path / "ds.xlsx", base_members())
    before = _digest(path)
    (tmp_path / "lien_ket.xlsx").symlink_to(path)
    os.link(path, tmp_path / "lien_ket_cung.xlsx")
    monkeypatch.chdir(tmp_path)
    for out in (path, "ds.xlsx", "./ds.xlsx", tmp_path / "x" / ".." / "ds.xlsx", "lien_ket.xlsx", "lien_ket_cung.xlsx"):
        code, _, err = _run(capsys, "validate", path, "--as-of", AS_OF.isoformat(), "--annotate", out)
        assert code == 2 and "trùng với tệp đầu vào" in err, out
    assert _digest(path) == before


@pytest.mark.parametrize("kind", ["missing-folder", "file-as-folder", "folder-as-output", "read-only-folder"])
def test_unwritable_output_is_refused(kind: str, tmp_path: Path, capsys):
    """An output in a missing folder, under a file, equal to a folder, or in a read-only folder: exit 2, one message."""
    path = write_roster(tmp_path / "ds.xlsx", base_members())
    if kind == "missing-folder":
        out = tmp_path / "khong_co" / "ket_qua.xlsx"
    elif kind == "file-as-folder":
        out = path / "ket_qua.xlsx"
    elif kind == "folder-as-output":
        out = tmp_path
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders; see test_write_failure_is_an_output_error")
        folder = tmp_path / "chi_doc"
        folder.mkdir()
        folder.chmod(0o500)
        out = folder / "ket_qua.xlsx"
    code, _, err = _run(capsys, "validate", path, "--as-of", AS_OF.isoformat(), "--annotate", out)
    assert (code == 2 and "Traceback" not in err and "ket_qua" in err) or str(out) in err
    code, _, err = _run(capsys, "validate", path, "--annotate", out, "--lang", "en")
    assert code == 2 and ("Cannot write" in err or "is a folder" in err)


def test_write_failure_is_an_output_error(tmp_path: Path, monkeypatch):
    """An OS refusal while writing (permissions, full disk) becomes OutputPathError, leaving nothing behind."""
    import tempfile

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    with pytest.raises(OutputPathError, match="No space left"):
        atomic_write(tmp_path / "ket_qua.xlsx", lambda tmp: tmp.write_bytes(b"x"))
    monkeypatch.undo()

    def write_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputPathError):
        atomic_write(tmp_path / "ket_qua.xlsx", write_then_fail)
    assert list(tmp_path.iterdir()) == []


# --- hostile files, in a child process with a memory cap ----------------------------------------------------------
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_in_bounded_memory(name: str, tmp_path: Path):
    """Each file that made the fast reader abort (a far cell in any XML spelling, a forged dimension, cells without
    a reference, repeated .ods cells, a forged .xls record, a broken OLE header) ends with exit 2 and one paragraph
    naming the file, within 3 GiB of address space and a timeout."""
    case = CORPUS[name]
    path = build(name, tmp_path)
    for lang, words in (("vi", case.words_vi), ("en", case.words_en)):
        done = run_cli("read", path, "--lang", lang)
        err = done.stderr.decode()
        assert done.returncode == 2, (name, done.returncode, err[-500:])
        assert done.stdout == b"" and err.count("\n") == 1 and err.startswith("dangvien: "), err
        assert str(path) in err and words in err and "Traceback" not in err


def test_real_xls_and_ods_are_read(tmp_path: Path):
    """An honest .xls (written by xlwt) and .ods pass the used-range pass and are read whole."""
    from corpus import _ods, _ods_cell, _xls
    from strategies import COLUMNS

    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"], *(m.row(i) for i, m in enumerate(base_members(), start=1))]
    as_text = [[v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in row] for row in rows]
    xls = _xls(tmp_path / "cu.xls", {(r, c): v for r, row in enumerate(as_text) for c, v in enumerate(row) if v})
    table = "".join(
        "<table:table-row>"
        + "".join(_ods_cell(str(v)) if v else "<table:table-cell/>" for v in row)
        + "</table:table-row>"
        for row in as_text
    )
    ods = _ods(tmp_path / "mo.ods", table)
    for path in (xls, ods):
        roster = read_roster(path)
        assert roster.frame["full_name"].tolist() == [m.name for m in base_members()], path


def test_budget_is_a_parameter(tmp_path: Path):
    """The cell and memory caps are parameters of the read; beyond either, the refusal names the file and limit."""
    from dangvien_data.errors import OversizedWorkbookError
    from dangvien_data.io.loader import ReadLimits, load_workbook

    path = write_roster(tmp_path / "ds.xlsx", base_members())
    assert load_workbook(path, limits=ReadLimits(max_cells=1_000)).sheets
    for limits in (ReadLimits(max_cells=20), ReadLimits(max_memory=20 * 45)):
        with pytest.raises(OversizedWorkbookError) as caught:
            load_workbook(path, limits=limits)
        assert str(path) in caught.value.message("en") and "limit 20 cells" in caught.value.message("en")


@pytest.mark.parametrize("stage", ["open", "sheet"])
def test_reader_panic_is_a_damaged_file_naming_it(stage: str, tmp_path: Path, monkeypatch):
    """A panic of the Rust reader (pyo3's PanicException derives from BaseException) is CorruptWorkbookError
    naming the file, not an internal error."""
    import fastexcel

    class PanicException(BaseException):  # the name is what pyo3 gives it
        pass

    def panic(*args, **kwargs):
        raise PanicException("index out of bounds: the len is 3 but the index is 7")

    path = write_roster(tmp_path / "ds.xlsx", base_members())
    monkeypatch.setattr(
        *((fastexcel, "read_excel") if stage == "open" else (fastexcel.ExcelReader, "load_sheet")), panic
    )
    with pytest.raises(CorruptWorkbookError) as caught:
        read_roster(path)
    assert str(path) in caught.value.message("vi") and "hỏng" in caught.value.message("vi")
    assert "damaged" in caught.value.message("en")


# --- only regular files, in natural order ------------------------------------------------------------------------
def test_pipe_in_a_folder_is_skipped_with_a_warning(tmp_path: Path):
    """A named pipe among the workbooks is skipped with a warning naming it (reading it would hang for ever);
    given by name it is refused. Both in a child process with a timeout."""
    write_roster(tmp_path / "cb_1.xlsx", base_members())
    pipe = tmp_path / "cb_2.xlsx"
    os.mkfifo(pipe)
    done = run_cli("read", tmp_path, "--format", "json", timeout=60)
    assert done.returncode == 0, done.stderr
    assert str(pipe).encode() in done.stderr and b"not a regular file" in done.stderr
    assert json.loads(done.stdout)["files"] == [str(tmp_path / "cb_1.xlsx")]
    done = run_cli("validate", pipe, "--lang", "en", timeout=60)
    assert done.returncode == 2 and b"is not a regular file" in done.stderr and str(pipe).encode() in done.stderr


def test_folder_is_read_in_natural_order(tmp_path: Path):
    """cb_2 comes before cb_10, as a person would sort them."""
    from dangvien_data.io.loader import expand_paths

    for name in ("cb_10.xlsx", "cb_2.xlsx", "CB_1.xlsx", "cb_1a.xlsx"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in expand_paths([tmp_path])] == ["CB_1.xlsx", "cb_1a.xlsx", "cb_2.xlsx", "cb_10.xlsx"]


# --- names are data ----------------------------------------------------------------------------------------------
def _odd_names(folder: Path) -> list[bytes]:
    names = [b"ds_\xff\xfe.xlsx", b"ds_\x1b[31m_\x07.xlsx"]
    paths = [os.path.join(os.fsencode(folder), name) for name in names]
    for path in paths:
        plain = write_roster(folder / "tam.xlsx", base_members())
        os.replace(plain, path)
    return paths


def test_names_that_are_not_utf8_or_hold_controls_go_through_every_command(tmp_path: Path):
    """A file name with bytes that are not UTF-8, or with ESC and BEL, is read by every command, in both formats and
    languages; the name is printed escaped (\\x1b, \\xff), never raw, and nothing fails."""
    folder = tmp_path / "dau_vao"
    folder.mkdir()
    paths = _odd_names(folder)
    out = os.fsencode(tmp_path / "ket_qua_\x1b.xlsx")
    as_of = AS_OF.isoformat()
    runs = []
    for fmt in ("text", "json"):
        for lang in ("vi", "en"):
            tail = ["--format", fmt, "--lang", lang]
            runs += [
                ["read", *paths, *tail],
                ["validate", folder, "--as-of", as_of, *tail],
                ["summary", folder, "--as-of", as_of, "-o", out, *tail],
                [
                    "reconcile",
                    "--before",
                    paths[0],
                    "--after",
                    paths[1],
                    "--as-of-before",
                    as_of,
                    "--as-of-after",
                    as_of,
                    "-o",
                    out,
                    *tail,
                ],
            ]
    sample = Path(__file__).resolve().parents[2] / "sample_data"
    dossier, movements = os.fsencode(tmp_path) + b"/hs_\xff\x1b.xlsx", os.fsencode(tmp_path) + b"/bd_\x07\xff.xlsx"
    Path(os.fsdecode(dossier)).write_bytes((sample / "ho_so_nhan_su.xlsx").read_bytes())
    Path(os.fsdecode(movements)).write_bytes((sample / "bien_dong.xlsx").read_bytes())
    for fmt in ("text", "json"):
        runs.append(["dossier", dossier, "--roster", paths[0], "--congress-date", "2020-06-01", "--format", fmt])
        before, after = sample / "danh_sach_dang_vien.xlsx", sample / "danh_sach_2020_09_30.xlsx"
        runs.append(["reconcile", "--before", before, "--after", after, "--movements", movements, "--format", fmt])
    runs.append(["validate", paths[1], "--as-of", as_of, "--annotate", out])
    runs.append(["template", "roster", "--out", os.fsencode(tmp_path) + b"/mau_\x07\xff.xlsx"])
    for args in runs:
        done = run_cli(*args)
        shown = done.stdout + done.stderr
        assert done.returncode in (0, 1), (args, shown[-400:])
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", shown.replace(b"\r", b"")), (args, shown[-400:])
        assert b"Traceback" not in shown
        if args[0] in ("read", "validate") and "json" in args:
            files = json.dumps(json.loads(shown[: len(done.stdout)]))
            assert "\\u001b" in files or "\\udcff" in files
        shown.decode("utf-8")  # the output itself is valid UTF-8


# --- linear in rows, whatever the data ---------------------------------------------------------------------------
def test_pasted_blocks_stay_linear(tmp_path: Path):
    """8 members pasted 2,500 times (20,000 rows) and 5,000 secretaries in one cell: each row's issue cites at most
    a few places and counts the rest, in a child process under 3 GiB and a timeout."""
    from dataclasses import replace

    from dangvien_data.roster.rules import MAX_PLACES

    four = base_members()
    eight = [*four, *(replace(m, name=m.name + " Hai", card=f"{int(m.card) + 10:08d}") for m in four)]
    pasted = write_roster(tmp_path / "dan_lap.xlsx", eight * 2_500)
    chief = replace(four[0], post="Bí thư")
    secretaries = write_roster(
        tmp_path / "bi_thu.xlsx", [replace(chief, name=f"Lê Văn {i}", card=f"{i:08d}") for i in range(5_000)]
    )
    for path, code, total in ((pasted, "duplicate-card-number", 2_499), (secretaries, "secretary-multiple", 5_000)):
        done = run_cli("validate", path, "--as-of", AS_OF.isoformat(), "--format", "json", timeout=300)
        assert done.returncode == 1, done.stderr[-400:]
        issues = [i for i in json.loads(done.stdout)["issues"] if i["code"] == code]
        assert issues and all(len(i["message"]) < 1_000 for i in issues)
        shown = total - MAX_PLACES
        assert any(f"(+{shown})" in i["message"] or f"(+{shown + 1})" in i["message"] for i in issues), issues[0]
