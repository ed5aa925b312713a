"""Fill-in templates generated from schemas/: layout, dropdowns, formats, round trip, regeneration, LibreOffice."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from openpyxl.utils import range_boundaries

from conftest import require_program
from dangvien_data import read_roster, validate, write_template
from dangvien_data.catalogue import ROSTER as RULES
from dangvien_data.cli import main
from dangvien_data.errors import InputError, OutputPathError, SchemaFileError
from dangvien_data.issues import CATALOGUE, Severity
from dangvien_data.roster.schemas import default_schema_dir, load_roster_spec
from dangvien_data.template.writer import DATA_SHEET, FIRST_DATA_ROW, GUIDE_SHEET, HEADER_ROW, LISTS_SHEET
from strategies import AS_OF, COLUMNS, base_members, valid_rosters, with_change

CELL = "Chi bộ Đội Tổng hợp"
ORG = "ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH"
ROWS = 20
SPEC = load_roster_spec()
FIELDS = [f for f in SPEC.fields.values() if f.name != "cell"]
HAS_DOSSIER = (default_schema_dir() / "dossier.yaml").is_file()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A roster template for one cell, 20 data rows."""
    out = tmp_path_factory.mktemp("template") / "mau.xlsx"
    return write_template("roster", out, cell=CELL, organisation=ORG, rows=ROWS)


def _sheet(path: Path, name: str = DATA_SHEET) -> Any:
    return openpyxl.load_workbook(path)[name]


def _columns(ws: Any) -> dict[str, int]:
    return {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(HEADER_ROW, c).value}


def _validations(ws: Any) -> dict[str, Any]:
    """{header: its data validation}; each validation covers one column."""
    by_header = {}
    for dv in ws.data_validations.dataValidation:
        min_col, _, max_col, _ = range_boundaries(str(dv.sqref))
        assert min_col == max_col
        by_header[ws.cell(HEADER_ROW, min_col).value] = dv
    return by_header


def _range_values(wb: Any, formula: str) -> list[Any]:
    sheet, _, ref = formula.rpartition("!")
    assert sheet == f"'{LISTS_SHEET}'"
    return [row[0].value for row in wb[LISTS_SHEET][ref.replace("$", "")]]


def fill(template: Path, out: Path, members: list[Any], *, first_row: int = FIRST_DATA_ROW) -> Path:
    """Type ``members`` (strategies.Member) into the template's data rows with openpyxl, as a person would."""
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    column = _columns(ws)
    for i, member in enumerate(members):
        values = dict(zip(COLUMNS, member.row(i + 1), strict=True))
        for header, value in values.items():
            if header != "STT":
                ws.cell(first_row + i, column[header]).value = value
        status = "Chính thức" if values["Ngày chính thức"] is not None else "Dự bị"
        ws.cell(first_row + i, column["Đảng viên chính thức/dự bị"]).value = status
    wb.save(out)
    return out


def _errors(report: Any) -> list[tuple[str | None, str]]:
    return [(i.ref, i.code) for i in report.issues if i.severity == Severity.ERROR]


# --- layout -------------------------------------------------------------------------------------------


def test_sheets_title_block_and_header(template):
    """Danh sách first, Hướng dẫn, then the hidden Danh mục; the document heading; the schema's headers."""
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [DATA_SHEET, GUIDE_SHEET, LISTS_SHEET]
    assert [wb[s].sheet_state for s in wb.sheetnames] == ["visible", "visible", "hidden"]
    ws = wb[DATA_SHEET]
    texts = {c.coordinate: c.value for row in ws.iter_rows(max_row=HEADER_ROW - 1) for c in row if c.value}
    assert texts["A1"] == ORG and "ĐẢNG CỘNG SẢN VIỆT NAM" in texts.values()
    assert (texts["A2"], texts["A3"], texts["A5"]) == (CELL, "*", "DANH SÁCH ĐẢNG VIÊN")
    assert any(v.startswith("(Tính đến ngày") for v in texts.values())
    assert any("ngày" in v and "tháng" in v and "năm" in v for v in texts.values())
    assert list(_columns(ws)) == [f.header for f in FIELDS]
    assert [ws.cell(HEADER_ROW + 1, c).value for c in range(1, len(FIELDS) + 1)] == [
        f"({i})" for i in range(1, len(FIELDS) + 1)
    ]
    assert ws.freeze_panes == f"C{FIRST_DATA_ROW}"


def test_header_comments_and_widths(template):
    """Each header has a comment saying required or not, the format, the code list or the digits; widths fit."""
    ws = _sheet(template)
    column = _columns(ws)
    for spec in FIELDS:
        head = ws.cell(HEADER_ROW, column[spec.header])
        text = head.comment.text
        assert text.startswith(spec.header) and ("Bắt buộc" in text or "Không bắt buộc" in text)
        if spec.required is True:
            assert "— Bắt buộc." in text
        if spec.type == "date":
            assert "dd/mm/yyyy" in text
        if spec.codes:
            assert SPEC.codes[spec.codes].title in text and LISTS_SHEET in text
        if spec.digits:
            assert f"{spec.digits[0]} chữ số" in text
        width = ws.column_dimensions[head.column_letter].width
        assert width >= max(len(w) for w in spec.header.split()) + 2
    assert "12 tháng" in ws.cell(HEADER_ROW, column["Ngày chính thức"]).comment.text
    assert "9 chữ số" in ws.cell(HEADER_ROW, column["Số CCCD"]).comment.text


def test_dropdowns_fed_from_hidden_code_lists(template):
    """Every coded field has a list validation on every data row, pointing at its code list in Danh mục."""
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    validations = _validations(ws)
    coded = [f for f in FIELDS if f.type == "code"]
    assert {f.codes for f in coded} >= {"sex", "ethnicity", "religion", "rank", "party_post", "education"}
    for spec in coded:
        dv = validations[spec.header]
        letter = openpyxl.utils.get_column_letter(_columns(ws)[spec.header])
        assert (dv.type, str(dv.sqref)) == ("list", f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + ROWS - 1}")
        assert dv.showErrorMessage and dv.allow_blank and dv.showDropDown in (None, False)  # True hides the arrow
        assert _range_values(wb, dv.formula1) == list(SPEC.codes[spec.codes].values)
        # the education list also accepts any "n/12", "n/10": a warning, not a stop
        assert dv.errorStyle == ("warning" if SPEC.codes[spec.codes].pattern else "stop")
    ranks = _range_values(wb, validations["Cấp bậc"].formula1)
    assert ranks[:3] == ["Binh nhì", "Binh nhất", "Hạ sĩ"] and ranks[-1] == "Đại tướng"


def test_dates_ids_and_text_formats(template):
    """Dates dd/mm/yyyy validated within plausible bounds; card/CCCD as text with length checks; codes as text."""
    ws = _sheet(template)
    column, validations = _columns(ws), _validations(ws)
    rows = range(FIRST_DATA_ROW, FIRST_DATA_ROW + ROWS)
    for spec in FIELDS:
        formats = {ws.cell(r, column[spec.header]).number_format for r in rows}
        expected = "dd/mm/yyyy" if spec.type == "date" else "General" if spec.name == "seq" else "@"
        assert formats == {expected}, spec.header
    birth, admitted = validations["Ngày sinh"], validations["Ngày vào Đảng"]
    assert (birth.type, birth.operator, birth.formula2) == ("date", "between", "TODAY()")
    assert birth.formula1 == "MAX(DATE(1900,1,1),DATE(YEAR(TODAY())-110,1,1))"
    assert (admitted.formula1, validations["Ngày chính thức"].formula1) == ("DATE(1930,2,3)", "DATE(1930,2,3)")
    card, cccd = validations["Số thẻ đảng viên"], validations["Số CCCD"]
    assert (card.type, card.operator, card.formula1) == ("textLength", "equal", "8")
    letter = openpyxl.utils.get_column_letter(column["Số CCCD"])
    assert (cccd.type, cccd.formula1) == (
        "custom",
        f"OR(LEN({letter}{FIRST_DATA_ROW})=12,LEN({letter}{FIRST_DATA_ROW})=9)",
    )
    assert set(validations) == {f.header for f in FIELDS if f.type in ("code", "date", "id")}


def test_guide_lists_the_rule_catalogue(template):
    """Hướng dẫn lists every error and warning rule with its Vietnamese title and fix, no template braces."""
    ws = _sheet(template, GUIDE_SHEET)
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    by_code = {row[1]: row for row in rows if len(row) >= 6 and isinstance(row[1], str) and "-" in row[1]}
    for rule in RULES:
        if rule.severity == Severity.INFO:
            assert rule.code not in by_code
        else:
            assert by_code[rule.code][2] == {"error": "Lỗi", "warning": "Cảnh báo"}[str(rule.severity)]
            assert rule.title_vi in by_code[rule.code]
    assert {"missing-column", "cell-unknown"} <= set(by_code)
    text = " ".join(str(c) for row in rows for c in row)
    assert "{" not in text and "dangvien validate" in text and "Họ và tên" in text


# --- reading back ---------------------------------------------------------------------------------------


def test_empty_template_reads_as_zero_members(template):
    """STT is prefilled on every data row, yet an empty template is zero members and no error."""
    ws = _sheet(template)
    assert [ws.cell(r, 1).value for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + ROWS)] == list(range(1, ROWS + 1))
    roster = read_roster(template)
    assert len(roster) == 0 and [s.sheet for s in roster.sources] == [DATA_SHEET]
    assert roster.sources[0].header_rows == (HEADER_ROW,) and roster.sources[0].cell == CELL
    report = validate(roster, as_of=AS_OF)
    assert report.ok and report.counts["warning"] == 0
    # the visible guide sheet is noted as skipped; the hidden code-list sheet is skipped silently
    assert sorted((i.code, i.sheet) for i in report.issues) == [("sheet-skipped", GUIDE_SHEET)]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members=valid_rosters())
def test_filled_template_passes_validation(template, members):
    """A template filled with generated valid members reads back with every member, in the cell, no error."""
    with tempfile.TemporaryDirectory() as folder:
        roster = read_roster(fill(template, Path(folder) / "filled.xlsx", members))
        report = validate(roster, as_of=AS_OF)
    assert _errors(report) == []
    assert len(roster) == len(members)
    assert set(roster.frame["cell"]) == {CELL}
    assert list(roster.frame["card_number"]) == [m.card for m in members]
    assert list(roster.frame["row"]) == list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(members)))


def test_values_pasted_past_the_dropdowns_are_caught(template, tmp_path):
    """Excel's validation is advice: "Kinhh" and a 7-digit card written anyway are errors at their cells."""
    path = fill(template, tmp_path / "pasted.xlsx", with_change(base_members(), 1, ethnicity="Kinhh"))
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    column = _columns(ws)
    ws.cell(FIRST_DATA_ROW + 2, column["Số thẻ đảng viên"]).value = "1234567"
    wb.save(path)
    report = validate(read_roster(path), as_of=AS_OF)
    ethnicity = openpyxl.utils.get_column_letter(column["Dân tộc"])
    card = openpyxl.utils.get_column_letter(column["Số thẻ đảng viên"])
    assert _errors(report) == [
        (f"{ethnicity}{FIRST_DATA_ROW + 1}", "unknown-ethnicity"),
        (f"{card}{FIRST_DATA_ROW + 2}", "invalid-card-number"),
    ]
    assert 'Có phải là "Kinh"?' in next(i for i in report.issues if i.code == "unknown-ethnicity").message()


def test_without_cell_a_section_row_names_the_cell(tmp_path):
    """Without --cell, a "Chi bộ …" row typed over an STT names the cell of the rows below it."""
    path = write_template("roster", tmp_path / "mau.xlsx", rows=10)
    wb = openpyxl.load_workbook(path)
    assert wb[DATA_SHEET]["A2"].value == "*" and wb[DATA_SHEET]["A1"].value.startswith("ĐẢNG BỘ")
    wb[DATA_SHEET].cell(FIRST_DATA_ROW, 1).value = "Chi bộ Đội Cảnh sát giao thông"
    wb.save(path)
    filled = fill(path, tmp_path / "filled.xlsx", base_members(), first_row=FIRST_DATA_ROW + 1)
    roster = read_roster(filled)
    assert set(roster.frame["cell"]) == {"Chi bộ Đội Cảnh sát giao thông"} and len(roster) == 4
    assert _errors(validate(roster, as_of=AS_OF)) == []


# --- regeneration, arguments, command line ----------------------------------------------------------------


def _snapshot(path: Path) -> list[Any]:
    wb = openpyxl.load_workbook(path)
    out: list[Any] = []
    for ws in wb.worksheets:
        out.append((ws.title, ws.sheet_state, [[c.value for c in row] for row in ws.iter_rows()]))
        out.append([(dv.type, dv.formula1, dv.formula2, str(dv.sqref)) for dv in ws.data_validations.dataValidation])
    return out


def test_regenerates_identically(template, tmp_path):
    """The same schema and options give the same cells, validations and bytes."""
    again = write_template("roster", tmp_path / "again.xlsx", cell=CELL, organisation=ORG, rows=ROWS)
    assert _snapshot(again) == _snapshot(template)
    assert again.read_bytes() == template.read_bytes()
    props = openpyxl.load_workbook(again).properties
    assert props.created == props.modified == dt.datetime(2020, 1, 1)


def test_follows_the_schema(tmp_path):
    """A value added to schemas/codes/ethnicity.yaml appears in Danh mục and in the dropdown's range."""
    schemas = shutil.copytree(default_schema_dir(), tmp_path / "schemas")
    codes = schemas / "codes" / "ethnicity.yaml"
    data = yaml.safe_load(codes.read_text(encoding="utf-8"))
    data["values"].append({"value": "Người nước ngoài nhập tịch"})
    codes.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    path = write_template("roster", tmp_path / "mau.xlsx", rows=5, schema_dir=schemas)
    wb = openpyxl.load_workbook(path)
    values = _range_values(wb, _validations(wb[DATA_SHEET])["Dân tộc"].formula1)
    assert len(values) == 55 and values[-1] == "Người nước ngoài nhập tịch"


@pytest.mark.parametrize(
    ("kind", "name", "rows", "error"),
    [
        ("roster", "mau.xls", 10, InputError),
        ("party", "mau.xlsx", 10, InputError),
        ("roster", "mau.xlsx", 0, InputError),
        ("roster", "mau.xlsx", 10_001, InputError),
        ("roster", "no_such_folder/mau.xlsx", 10, OutputPathError),
    ],
)
def test_refuses_bad_arguments(tmp_path, kind, name, rows, error):
    """A wrong kind, extension, row count or folder is refused with a message; nothing is written."""
    with pytest.raises(error) as raised:
        write_template(kind, tmp_path / name, rows=rows)
    assert raised.value.message("vi") and raised.value.message("en")
    assert list(tmp_path.iterdir()) == []


def test_dossier_without_its_schema_is_refused(tmp_path):
    """`template dossier` with no schemas/dossier.yaml says so."""
    schemas = tmp_path / "schemas"
    shutil.copytree(default_schema_dir(), schemas, ignore=shutil.ignore_patterns("dossier.yaml"))
    with pytest.raises(SchemaFileError, match=r"dossier\.yaml"):
        write_template("dossier", tmp_path / "hs.xlsx", schema_dir=schemas)


@pytest.mark.skipif(not HAS_DOSSIER, reason="schemas/dossier.yaml is not there yet")
def test_dossier_template_from_its_schema(tmp_path):
    """The dossier template has the candidate list and the documents checklist, with the dossier's own lists."""
    raw = yaml.safe_load((default_schema_dir() / "dossier.yaml").read_text(encoding="utf-8"))
    path = write_template("dossier", tmp_path / "hs.xlsx", rows=5)
    wb = openpyxl.load_workbook(path)
    assert [wb[s].sheet_state for s in wb.sheetnames][-1] == "hidden" and wb.sheetnames[-2] == GUIDE_SHEET
    candidates, documents = wb.worksheets[0], wb.worksheets[1]
    fields = raw["candidate_list"]["fields"]
    expected = [f["header"] for n, f in fields.items() if n not in {"first_time", "re_election"}]
    assert list(_columns(candidates)) == expected
    for name, codes in raw.get("codes", {}).items():
        header = next(f["header"] for f in fields.values() if f.get("codes") == name)
        dv = _validations(candidates)[header]
        assert _range_values(wb, dv.formula1) == [v["value"] for v in codes["values"]]
    docs = [d["header"] for d in raw["documents"]["catalogue"].values()]
    assert list(_columns(documents))[-len(docs) :] == docs
    assert documents.cell(FIRST_DATA_ROW, len(_columns(documents))).number_format == "dd/mm/yyyy"
    guide = " ".join(str(v) for row in wb[GUIDE_SHEET].iter_rows(values_only=True) for v in row if v)
    assert "unknown-ethnicity" in guide and "secretary-missing" not in guide
    if "document-missing" in CATALOGUE or importlib.util.find_spec("dangvien_data.dossier.check"):
        assert "document-missing" in guide


@pytest.mark.skipif(not HAS_DOSSIER, reason="schemas/dossier.yaml is not there yet")
def test_dossier_template_round_trip(template, tmp_path):
    """Filled with three members of a filled roster, the dossier template passes check_dossier without error."""
    dossier = pytest.importorskip("dangvien_data.dossier.check")
    from dangvien_data.dossier.read import read_dossier

    members = base_members()
    roster = fill(template, tmp_path / "roster.xlsx", members)
    empty = write_template("dossier", tmp_path / "hs.xlsx", rows=5)
    wb = openpyxl.load_workbook(empty)
    candidates, documents = wb.worksheets[0], wb.worksheets[1]
    listed, checked = _columns(candidates), _columns(documents)
    for i, member in enumerate(members[:3]):
        values = dict(zip(COLUMNS, member.row(i + 1), strict=True))
        row = {
            **values,
            "Chi bộ": CELL,
            "Tham gia lần đầu/Tái cử": "Tham gia lần đầu",
            "Dự kiến chức danh": "Đảng ủy viên",
            "Lý luận chính trị": "Trung cấp",
        }
        for header, column in listed.items():
            if header in row and header not in ("STT", "Chức vụ Đảng"):
                candidates.cell(FIRST_DATA_ROW + i, column).value = row[header]
        for header, column in checked.items():
            value = row.get(header, "x") if header not in ("STT", "Chi bộ") else None
            if value is not None:
                documents.cell(FIRST_DATA_ROW + i, column).value = value
    wb.save(tmp_path / "hs_filled.xlsx")
    empty_read = read_dossier(empty)
    assert len(empty_read.candidates) == 0 and empty_read.checklist is not None and len(empty_read.checklist) == 0
    read = read_dossier(tmp_path / "hs_filled.xlsx")
    assert (len(read.candidates), len(read.checklist)) == (3, 3)
    report = dossier.check_dossier(read, roster, congress_date="2020-06-15", term="2020-2025")
    assert [(i.sheet, i.ref, i.code) for i in report.issues if i.severity != Severity.INFO] == []


def test_cli_writes_a_template(tmp_path, capsys):
    """`dangvien template roster -o … --cell … --rows 5` writes it (with "Chi bộ " added) and exits 0."""
    out = tmp_path / "mau.xlsx"
    code = main(["template", "roster", "-o", str(out), "--cell", "Đội Tổng hợp", "--rows", "5"])
    assert code == 0 and str(out) in capsys.readouterr().out
    ws = _sheet(out)
    assert ws["A2"].value == CELL and ws.cell(FIRST_DATA_ROW + 4, 1).value == 5
    assert ws.cell(FIRST_DATA_ROW + 5, 1).value is None
    assert read_roster(out).sources[0].cell == CELL


def test_cli_misuse_exits_2(tmp_path, capsys):
    """A bad --rows or extension: exit 2 with a one-paragraph message, no traceback."""
    assert main(["template", "roster", "-o", str(tmp_path / "x.xlsx"), "--rows", "0"]) == 2
    assert main(["template", "roster", "-o", str(tmp_path / "x.csv"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--rows" in err and "must end in .xlsx" in err


# --- LibreOffice --------------------------------------------------------------------------------------------


def test_libreoffice_opens_and_keeps_it(template, tmp_path):
    """LibreOffice converts the empty and the filled template; both still read back, validations kept."""
    soffice = require_program("soffice", "libreoffice")
    filled = fill(template, tmp_path / "filled.xlsx", base_members())
    empty = tmp_path / "empty.xlsx"
    shutil.copy(template, empty)
    out = tmp_path / "lo"
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(empty),
            str(filled),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    converted_empty, converted_filled = out / "empty.xlsx", out / "filled.xlsx"
    assert len(read_roster(converted_empty)) == 0
    wb = openpyxl.load_workbook(converted_empty)
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert [(dv.type, str(dv.sqref)) for dv in wb[DATA_SHEET].data_validations.dataValidation] == [
        (dv.type, str(dv.sqref)) for dv in _sheet(template).data_validations.dataValidation
    ]
    roster = read_roster(converted_filled)
    assert len(roster) == 4 and set(roster.frame["cell"]) == {CELL}
    assert list(roster.frame["card_number"]) == [m.card for m in base_members()]
    assert _errors(validate(roster, as_of=AS_OF)) == []
