"""Fill-in workbooks generated from schemas/: headers, dropdowns, formats and the rules a filled sheet must meet.

The office sends each cell (chi bộ) a workbook built from the same ``schemas/`` the checker uses, so the two
never drift. Excel's data validation is only advice — pasted values bypass it — so a filled
template is still checked with ``dangvien validate``.

Layout of each data sheet ("Danh sách" of a roster; "Trích ngang" and "Danh mục hồ sơ" of a dossier, which also
has a CV page "Sơ yếu lý lịch", form 2C/TCTW-98, labels from schemas/dossier.yaml ``cv``)::

    1  ĐẢNG BỘ …  (organisation)                       ĐẢNG CỘNG SẢN VIỆT NAM
    2  Chi bộ …   (--cell: the reader names every row's cell from it) or "*"
    3  "*" (when row 2 holds the cell)                  ……, ngày … tháng … năm 20…
    5  DANH SÁCH ĐẢNG VIÊN            (the title, from the schema's ``form``)
    6  (Tính đến ngày ……/……/…………)
    8  the header row: the schema's headers, a comment on each
    9  the numbering row (1) (2) …
    10 … the data rows: STT prefilled, a format and a validation on every cell

then "Hướng dẫn" (the columns and the rule catalogue) and the hidden "Danh mục" (the code lists that feed
the dropdowns).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dangvien_data import options
from dangvien_data.domain.values import number as figure
from dangvien_data.domain.vntext import nfc, strip_accents
from dangvien_data.errors import InputError, SchemaFileError
from dangvien_data.io.excel import DOCUMENT_FONT, put_text, save_reproducible, write_text
from dangvien_data.io.output import atomic_write
from dangvien_data.issues import Rule, Severity
from dangvien_data.roster.model import column_letter
from dangvien_data.roster.schemas import CodeList, FieldSpec, default_schema_dir, load_roster_spec, read_yaml, slug

__all__ = ["DATA_SHEET", "DEFAULT_ROWS", "GUIDE_SHEET", "KINDS", "LISTS_SHEET", "MAX_ROWS", "write_template"]

KINDS = ("roster", "dossier")
DATA_SHEET = "Danh sách"
CANDIDATES_SHEET = "Trích ngang"
DOCUMENTS_SHEET = "Danh mục hồ sơ"
CV_SHEET = "Sơ yếu lý lịch"
CV_FORM = "Mẫu 2C/TCTW-98"
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
DEFAULT_ROWS = 200
MAX_ROWS = 10_000
HEADER_ROW = 8
FIRST_DATA_ROW = HEADER_ROW + 2  # below the numbering row
# Fixed document and zip timestamps: the same schema always gives the same bytes.
_FIXED_TIME = dt.datetime(2020, 1, 1, 0, 0, 0)
_AUTHOR = "dangvien_data"

# Fields a fill-in sheet leaves out.
# roster "cell" (a "Chi bộ" column): the cell is named once, by the title line (--cell) or by "Chi bộ …"
#   section rows, as in office rosters; a column repeating it on every row is extra typing.
# dossier "first_time"/"re_election": the two-column "x" form of "election"; the template offers the
#   one-column form, a dropdown.
_LEFT_OUT = {"roster": frozenset({"cell"}), "dossier": frozenset({"first_time", "re_election"})}

_SEVERITY_VI = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo", Severity.INFO: "Ghi chú"}
_TYPE_VI = {
    "name": "Họ và tên đầy đủ, viết có dấu (Unicode).",
    "text": "Văn bản.",
    "date": "Ngày, dạng dd/mm/yyyy (ví dụ 05/03/1985).",
    "document": 'Đã có: ghi "x" hoặc ngày nộp (dd/mm/yyyy). Chưa có: để trống.',
}
# Conditions of ``required: {when: …}`` in the schema, in words; "{months}" is rules.probation.months.
_CONDITIONS_VI = {"admitted-12-months-ago": "khi đã vào Đảng đủ {months} tháng"}
_SEQ_NOTE_VI = "Số thứ tự, đã đánh sẵn; dòng chỉ có STT không được tính."

# --lang en: the texts around the form. Column headers and code-list values stay Vietnamese: they are what the
# checker reads and what the form prescribes; each header's comment and the guide give them in English.
_SEVERITY_EN = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
_TYPE_EN = {
    "name": "Full name with Vietnamese diacritics (Unicode).",
    "text": "Text.",
    "date": "A date, as dd/mm/yyyy (e.g. 05/03/1985).",
    "document": 'Submitted: write "x" or the date (dd/mm/yyyy). Not yet: leave empty.',
}
_CONDITIONS_EN = {"admitted-12-months-ago": "once admitted {months} months ago"}
_NOTES_EN = {"seq": "Row number, prefilled; a row holding only the number is not counted."}
_FIELD_EN = {
    "seq": "No.", "full_name": "Full name", "birth_date": "Date of birth", "sex": "Sex", "ethnicity": "Ethnicity",
    "religion": "Religion", "home_town": "Home town", "education": "General education",
    "professional": "Professional qualification", "political_theory": "Political theory", "rank": "Rank",
    "position": "Position", "party_post": "Party post", "admitted_on": "Admitted to the Party on",
    "official_on": "Official member since", "card_number": "Party card number", "file_number": "Dossier number",
    "cccd": "Citizen ID number", "cell": "Party cell", "membership": "Official / probationary", "note": "Note",
}  # fmt: skip
_TITLES_EN = {"DANH SÁCH ĐẢNG VIÊN": "PARTY MEMBER ROSTER"}


def _w(lang: str, vi: str, en: str) -> str:
    """The text in the language asked."""
    return en if lang == "en" else vi


def _field_en(spec: FieldSpec) -> str:
    return _FIELD_EN.get(spec.name, spec.name.replace("_", " ").capitalize())


_WIDTH_BY_TYPE = {"name": 26, "date": 12, "text": 22, "document": 14}
_WIDTH_BY_FIELD = {"seq": 6, "home_town": 30}


@dataclass(frozen=True)
class _Sheet:
    """One data sheet of a template: its name, its title and its fields in column order."""

    name: str
    title: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class _Form:
    """What a template is generated from: data sheets, code lists, rule parameters and the rules listed."""

    kind: str
    source: str  # the schema file, for the workbook properties
    version: str
    sheets: tuple[_Sheet, ...]
    codes: Mapping[str, CodeList]
    rules: Mapping[str, Any]
    catalogue: tuple[Rule, ...]
    notes: Mapping[str, str]  # field name -> what its type alone does not say
    cv: tuple[tuple[str, bool, FieldSpec | None], ...] = ()  # CV sheet lines: label, required, the list's field


@dataclass(frozen=True)
class _Column:
    spec: FieldSpec
    index: int  # 1-based Excel column

    @property
    def letter(self) -> str:
        return column_letter(self.index - 1)


def write_template(
    kind: str,
    out: str | Path,
    *,
    cell: str | None = None,
    organisation: str | None = None,
    rows: int = DEFAULT_ROWS,
    schema_dir: str | Path | None = None,
    lang: str = "vi",
) -> Path:
    """Write a fill-in workbook for ``kind`` ("roster" or "dossier") generated from ``schemas/``.

    Each data sheet has the Party-document header block and title, the header row with the schema's
    Vietnamese headers (a comment on each explaining the field), and ``rows`` data rows with dropdown lists
    for coded fields (fed from the hidden sheet "Danh mục"), dd/mm/yyyy dates validated within plausible
    bounds, and card and CCCD columns stored as text and validated for length. A sheet "Hướng dẫn" lists the
    columns and the rules of the catalogue. The same schema always gives a byte-identical file.

    A roster template has one data sheet, "Danh sách", read by :func:`~dangvien_data.roster.reader.read_roster`;
    a dossier template (from ``schemas/dossier.yaml``) has "Trích ngang" (the candidate list) and "Danh mục
    hồ sơ" (the documents checklist).

    Args:
        kind: ``"roster"`` (danh sách đảng viên) or ``"dossier"`` (hồ sơ nhân sự dự kiến cấp ủy).
        out: the .xlsx file to write; written atomically (temporary file, then rename).
        cell: the chi bộ, written under the organisation so that the reader assigns it to every row
            ("Chi bộ " is prefixed when missing). Without it, rows are assigned by "Chi bộ …" rows.
        organisation: the Party organisation named top left (default: a dotted placeholder).
        rows: how many data rows carry formats and validations (1–10 000).
        schema_dir: the schemas folder (default :func:`~dangvien_data.roster.schemas.default_schema_dir`).
        lang: ``"en"`` for English titles, comments, input messages and guide; the column headers and code
            lists stay Vietnamese, since they are what the checker reads.

    Returns:
        The path written.

    Raises:
        InputError: an unknown ``kind``, ``rows`` out of range, or ``out`` not ending in .xlsx.
        OutputPathError: ``out`` cannot be written.
        SchemaFileError: a schema file is missing or malformed.

    Example:
        >>> write_template("roster", "mau_chi_bo.xlsx", cell="Chi bộ Đội Tổng hợp")  # doctest: +SKIP
        PosixPath('mau_chi_bo.xlsx')
    """
    kind, out = options.choice(kind, "kind", KINDS), options.output(out, "out")
    cell, organisation = options.text(cell, "cell"), options.text(organisation, "organisation")
    rows = options.integer(rows, "rows", minimum=1, maximum=MAX_ROWS)
    path = Path(out)
    _check_arguments(kind, path, rows)
    form = _load_form(kind, Path(schema_dir) if schema_dir else None)
    cell = _cell_name(cell)
    organisation = re.sub(r"\s+", " ", nfc(organisation)).strip() if organisation else None

    def _write(tmp: Path) -> None:
        wb = _build(form, cell=cell, organisation=organisation, rows=rows, lang=lang)
        save_reproducible(wb, tmp, _FIXED_TIME)

    return atomic_write(path, _write)


def _check_arguments(kind: str, path: Path, rows: int) -> None:
    if kind not in KINDS:
        msg = f'Không có loại mẫu "{kind}". Chọn một trong: {", ".join(KINDS)}.'
        raise InputError(msg, f'No template kind "{kind}". Choose one of: {", ".join(KINDS)}.')
    if not 1 <= rows <= MAX_ROWS:
        limit = figure(MAX_ROWS, "vi")  # 10.000: Vietnamese groups thousands with a dot
        msg = f"Số dòng nhập liệu {rows} phải từ 1 đến {limit}. Chọn --rows trong khoảng đó."
        raise InputError(msg, f"The number of data rows {rows} must be 1 to {MAX_ROWS:,}. Choose --rows within it.")
    if path.suffix.lower() != ".xlsx":
        msg = f"Tệp mẫu {path} phải có đuôi .xlsx (mẫu có danh sách chọn và định dạng của Excel). Đổi tên tệp."
        raise InputError(
            msg,
            f"The template {path} must end in .xlsx (it holds Excel dropdowns and formats). Rename it.",
            path=str(path),
        )


def _cell_name(cell: str | None) -> str | None:
    """The cell as the title line: whitespace tidied, "Chi bộ " prefixed so that the reader recognises it."""
    if cell is None or not cell.strip():
        return None
    text = re.sub(r"\s+", " ", nfc(cell)).strip()
    return text if "chi bo" in strip_accents(text).casefold() else f"Chi bộ {text}"


# --- the form: sheets, fields, code lists and rules of one kind -------------------------------------------


def _load_form(kind: str, directory: Path | None) -> _Form:
    directory = directory or default_schema_dir()
    return _roster_form(directory) if kind == "roster" else _dossier_form(directory)


def _titles(raw: Mapping[str, Any], defaults: Sequence[str]) -> list[str]:
    """One title per sheet from the schema's ``form`` ("…; danh mục hồ sơ; …"), in capitals, no "(theo mẫu …)"."""
    parts = [p.split("(")[0].strip().upper() for p in str(raw.get("form") or "").split(";")]
    return [part or default for part, default in zip([*parts, *[""] * len(defaults)], defaults, strict=False)]


def _kept(kind: str, fields: Iterable[FieldSpec]) -> tuple[FieldSpec, ...]:
    return tuple(f for f in fields if f.name not in _LEFT_OUT[kind])


def _without_info(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    # Errors must be fixed and warnings looked at; notes (info) are not requirements of a filled sheet.
    return tuple(r for r in rules if r.severity != Severity.INFO)


def _roster_form(directory: Path) -> _Form:
    from dangvien_data.catalogue import READING, ROSTER

    spec = load_roster_spec(directory)
    raw = read_yaml(spec.directory / "roster.yaml")
    sheet = _Sheet(DATA_SHEET, _titles(raw, ["DANH SÁCH ĐẢNG VIÊN"])[0], _kept("roster", spec.fields.values()))
    return _Form(
        "roster",
        "schemas/roster.yaml",
        str(raw.get("version", "")),
        (sheet,),
        spec.codes,
        spec.rules,
        _without_info((*READING, *ROSTER)),
        {"seq": _SEQ_NOTE_VI},
    )


def _schema_level(fields: Iterable[FieldSpec]) -> list[str]:
    """The codes the compiled schema (schemas.CHECK_CODES) can raise on ``fields``, in CHECK_CODES order."""
    codes: list[str] = []
    for spec in fields:
        if spec.required is True:
            codes.append("missing-value")
        if spec.type == "code" and spec.codes:
            codes.append(f"unknown-{slug(spec.name)}")
        if spec.type == "id" and spec.digits:
            codes.append(f"invalid-{slug(spec.name)}")
        if spec.type == "date":
            codes += ["invalid-date", "date-after-as-of", "date-implausible"]
    return list(dict.fromkeys(codes))


def _dossier_form(directory: Path) -> _Form:
    path = directory / "dossier.yaml"
    if not path.is_file():
        msg = (
            f'Chưa có lược đồ hồ sơ nhân sự {path}, nên chưa tạo được mẫu hồ sơ. Dùng "template roster", '
            "hoặc thêm schemas/dossier.yaml."
        )
        raise SchemaFileError(
            msg,
            f"There is no dossier schema {path}, so no dossier template can be made. "
            'Use "template roster", or add schemas/dossier.yaml.',
            path=str(path),
        )
    # The dossier reader's own loader, so that the template and read_dossier agree on every header.
    from dangvien_data.catalogue import CATALOGUE, DOSSIER
    from dangvien_data.dossier.read import load_dossier_spec

    spec = load_dossier_spec(directory)
    candidates = _kept("dossier", spec.candidates.fields.values())
    checklist = []
    notes = {"seq": _SEQ_NOTE_VI}
    for field in spec.checklist.fields.values():
        if field.name not in spec.documents:
            checklist.append(field)
            continue
        terms = [term for term, keys in spec.required_documents.items() if field.name in keys]
        checklist.append(replace(field, type="document", required=bool(terms)))
        notes[field.name] = f"Bắt buộc trong nhiệm kỳ {', '.join(terms)}." if terms else ""
        if spec.due_working_days:
            notes[field.name] += f" Nộp chậm nhất {spec.due_working_days} ngày làm việc trước đại hội."
    raw = read_yaml(path)
    titles = _titles(raw, ["DANH SÁCH TRÍCH NGANG NHÂN SỰ DỰ KIẾN CẤP ỦY", "DANH MỤC HỒ SƠ"])
    sheets = (_Sheet(CANDIDATES_SHEET, titles[0], candidates), _Sheet(DOCUMENTS_SHEET, titles[1], tuple(checklist)))
    # The schema's own checks on the candidate list, then the dossier rules.
    listed = [CATALOGUE[c] for c in _schema_level(candidates) if c in CATALOGUE]
    listed += [r for r in DOSSIER if r not in listed]
    return _Form(
        "dossier",
        "schemas/dossier.yaml",
        str(raw.get("version", "")),
        sheets,
        spec.candidates.codes,
        spec.roster.rules,
        _without_info(listed),
        notes,
        tuple((f.labels[0], f.required, spec.candidates.fields.get(f.name)) for f in spec.cv_fields.values()),
    )


# --- building the workbook -------------------------------------------------------------------------


def _build(form: _Form, *, cell: str | None, organisation: str | None, rows: int, lang: str = "vi") -> Any:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    last_row = FIRST_DATA_ROW + rows - 1
    layouts = [(sheet, [_Column(spec, i) for i, spec in enumerate(sheet.fields, start=1)]) for sheet in form.sheets]
    lists = _lists_sheet(wb, form, [c for _, columns in layouts for c in columns])
    for position, (sheet, columns) in enumerate(layouts):
        ws = wb.create_sheet(sheet.name, position)
        _title_block(ws, sheet.title, len(columns), cell, organisation, lang)
        _header(ws, form, columns, lang)
        _data_rows(ws, columns, last_row)
        _validations(ws, form, columns, lists, last_row, lang)
    if form.cv:
        _cv_sheet(wb.create_sheet(CV_SHEET, len(layouts)), form, lists)
    _guide_sheet(wb, form, layouts, last_row, cell, lang)
    wb.move_sheet(GUIDE_SHEET, offset=-1)  # data sheets, the CV, Hướng dẫn, then the hidden Danh mục
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = _AUTHOR
    title = form.sheets[0].title
    if lang == "en":
        props.title = f"Fill-in form: {_TITLES_EN.get(title, title).capitalize()}"
        props.description = f"Made from {form.source} (version {form.version}) by dangvien template {form.kind}."
    else:
        props.title = f"Mẫu nhập liệu: {title.capitalize()}"
        props.description = f"Sinh từ {form.source} (version {form.version}) bằng lệnh dangvien template {form.kind}."
    props.created = props.modified = _FIXED_TIME
    return wb


def _title_block(ws: Any, title: str, width: int, cell: str | None, organisation: str | None, lang: str = "vi") -> None:
    side = max(1, width // 3)
    right = max(side + 1, width - side + 1)
    placeholder = _w(lang, "ĐẢNG BỘ ……………………", "PARTY ORGANISATION ……………………")
    put_text(ws, 1, 1, organisation or placeholder, bold=True, merge_to=side)
    put_text(ws, 1, right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, merge_to=max(width, right))
    if cell:
        # Read back as the cell of every row (workbook._title_cell). Kept in the case given: the reader
        # re-cases an all-capitals name.
        put_text(ws, 2, 1, cell, bold=True, merge_to=side)
    put_text(ws, 3 if cell else 2, 1, "*", merge_to=side)
    date = _w(lang, "……………, ngày …… tháng …… năm 20……", "……………, date ……/……/20……")
    put_text(ws, 3, right, date, italic=True, merge_to=max(width, right))
    shown = _TITLES_EN.get(title, title) if lang == "en" else title
    put_text(ws, 5, 1, shown, bold=True, size=14, merge_to=max(width, right))
    put_text(
        ws, 6, 1, _w(lang, "(Tính đến ngày ……/……/…………)", "(As of ……/……/…………)"), italic=True, merge_to=max(width, right)
    )
    for row in (1, 2, 3):
        ws.row_dimensions[row].height = 18
    ws.row_dimensions[5].height = 22


def _cv_sheet(ws: Any, form: _Form, lists: Mapping[str, str]) -> None:
    """One CV page (sơ yếu lý lịch, form 2C/TCTW-98): "n) label:" in A, the value in B, as the reader expects
    (dossier.read: a label ending in ":" with its value in the next cell to the right)."""
    from openpyxl.styles import Border, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    put_text(ws, 1, 3, CV_FORM, italic=True, size=11, align="right")
    put_text(ws, 3, 1, "SƠ YẾU LÝ LỊCH", bold=True, size=14, merge_to=3)
    note = "(Mỗi nhân sự một trang: sao chép trang này cho từng người, ghi ở cột B; nhãn cột A giữ nguyên.)"
    put_text(ws, 4, 1, note, italic=True, size=10, merge_to=3)
    dotted = Border(bottom=Side(style="dotted"))
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for number, (label, required, spec) in enumerate(form.cv, start=1):
        row = 5 + number
        put_text(ws, row, 1, f"{number}) {label}:", size=12, align="left", wrap=False)
        value = put_text(ws, row, 2, None, size=12, align="left")
        value.border = dotted
        value.number_format = _number_format(spec) if spec else "@"
        if required:
            value.fill = required_fill
        if spec is not None and spec.type == "code" and spec.codes in lists:
            dv = DataValidation(type="list", formula1=lists[str(spec.codes)], allow_blank=True)
            dv.errorStyle = "warning"
            dv.add(f"B{row}")
            ws.add_data_validation(dv)
        ws.row_dimensions[row].height = 20
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 18
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _required_vi(spec: FieldSpec, form: _Form, lang: str = "vi") -> str:
    if spec.required is True:
        return _w(lang, "Bắt buộc", "Required")
    if spec.required:
        months = form.rules.get("probation", {}).get("months", 12)
        conditions = _CONDITIONS_EN if lang == "en" else _CONDITIONS_VI
        condition = conditions.get(str(spec.required), _w(lang, "khi: ", "when: ") + str(spec.required))
        return _w(lang, "Bắt buộc ", "Required ") + condition.format(months=months)
    return _w(lang, "Không bắt buộc", "Optional")


def _digits_text(digits: Iterable[int], lang: str = "vi") -> str:
    return (" or " if lang == "en" else " hoặc ").join(str(d) for d in digits)


def _describe(spec: FieldSpec, form: _Form, lang: str = "vi") -> str:
    """How to fill a field, from its schema entry (header comment and guide sheet)."""
    if lang == "en":
        return _describe_en(spec, form)
    parts = []
    if spec.type == "code" and spec.codes:
        codes = form.codes[spec.codes]
        order = ", xếp từ thấp đến cao" if codes.ordered else ""
        parts.append(
            f'Chọn trong danh sách thả xuống: danh mục "{codes.title}" ({len(codes.values)} giá trị'
            f'{order}, xem trang "{LISTS_SHEET}").'
        )
        if codes.pattern:
            examples = ", ".join(codes.values[:2])
            parts.append(f"Giá trị khác cùng dạng (như {examples}) cũng được chấp nhận. Ô định dạng Văn bản.")
    elif spec.type == "id":
        parts.append(f"Chỉ gồm chữ số, đúng {_digits_text(spec.digits)} chữ số; ô định dạng Văn bản để giữ số 0 ở đầu.")
        if spec.legacy_digits:
            parts.append(f"Số cũ {_digits_text(spec.legacy_digits)} chữ số (CMND) vẫn được chấp nhận.")
    elif not (spec.type == "text" and form.notes.get(spec.name)):  # a note says more than "Văn bản."
        parts.append(_TYPE_VI.get(spec.type, "Văn bản."))
    if form.notes.get(spec.name):
        parts.append(form.notes[spec.name].strip())
    return " ".join(parts)


def _describe_en(spec: FieldSpec, form: _Form) -> str:
    parts = []
    if spec.type == "code" and spec.codes:
        codes = form.codes[spec.codes]
        order = ", lowest to highest" if codes.ordered else ""
        parts.append(
            f'Choose from the dropdown: the "{codes.title}" list ({len(codes.values)} values{order}, on sheet '
            f'"{LISTS_SHEET}").'
        )
        if codes.pattern:
            examples = ", ".join(codes.values[:2])
            parts.append(f"Other values of the same form (such as {examples}) are accepted too. Text cell.")
    elif spec.type == "id":
        digits = _digits_text(spec.digits, "en")
        parts.append(f"Digits only, exactly {digits}; a Text cell, so that leading zeros are kept.")
        if spec.legacy_digits:
            legacy = _digits_text(spec.legacy_digits, "en")
            parts.append(f"An old {legacy}-digit number (CMND) is accepted too.")
    elif not (spec.type == "text" and spec.name in _NOTES_EN):
        parts.append(_TYPE_EN.get(spec.type, "Text."))
    if spec.name in _NOTES_EN:
        parts.append(_NOTES_EN[spec.name])
    return " ".join(parts)


def _width(spec: FieldSpec, form: _Form) -> float:
    header = max(max(len(w) for w in spec.header.split()) + 2, math.ceil(len(spec.header) / 2) + 2)
    if spec.name in _WIDTH_BY_FIELD:
        content = _WIDTH_BY_FIELD[spec.name]
    elif spec.type == "code" and spec.codes:
        content = max(len(v) for v in form.codes[spec.codes].values) + 4  # room for the dropdown arrow
    elif spec.type == "id":
        content = max((*spec.digits, *spec.legacy_digits, 8)) + 3
    else:
        content = _WIDTH_BY_TYPE.get(spec.type, 20)
    return float(min(max(header, content), 40))


def _box() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _header(ws: Any, form: _Form, columns: Sequence[_Column], lang: str = "vi") -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    required_fill = PatternFill("solid", fgColor="FCE4D6")
    optional_fill = PatternFill("solid", fgColor="EDEDED")
    for col in columns:
        head = put_text(ws, HEADER_ROW, col.index, col.spec.header, bold=True, size=11)
        head.fill = required_fill if col.spec.required else optional_fill
        head.border = _box()
        name = f"{col.spec.header} ({_field_en(col.spec)})" if lang == "en" else col.spec.header
        text = f"{name} — {_required_vi(col.spec, form, lang)}.\n{_describe(col.spec, form, lang)}"
        comment = Comment(text, _AUTHOR)
        comment.width, comment.height = 320, 140
        head.comment = comment
        put_text(ws, HEADER_ROW + 1, col.index, f"({col.index})", italic=True, size=10).border = _box()
        ws.column_dimensions[col.letter].width = _width(col.spec, form)
    ws.row_dimensions[HEADER_ROW].height = 48
    name_col = next((c.index for c in columns if c.spec.type == "name"), 1)
    ws.freeze_panes = f"{column_letter(name_col)}{FIRST_DATA_ROW}"  # STT and name stay in view
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _number_format(spec: FieldSpec) -> str:
    if spec.type in ("date", "document"):
        return "dd/mm/yyyy"
    if spec.name == "seq":
        return "General"
    # Text everywhere else: keeps the leading zeros of IDs and stops Excel turning "12/12" into a date.
    return "@"


def _data_rows(ws: Any, columns: Sequence[_Column], last_row: int) -> None:
    from openpyxl.styles import Alignment, Font

    font = Font(name=DOCUMENT_FONT, size=11)
    box = _box()
    left = {"name", "text"}
    styles = {
        c.index: (
            _number_format(c.spec),
            Alignment(
                horizontal="left" if c.spec.type in left and c.spec.name != "seq" else "center",
                vertical="center",
                wrap_text=True,
            ),
        )
        for c in columns
    }
    seq = next((c.index for c in columns if c.spec.name == "seq"), None)
    for row in range(FIRST_DATA_ROW, last_row + 1):
        for col in columns:
            target = ws.cell(row=row, column=col.index)
            # STT is prefilled: the reader ignores rows where only STT is filled (workbook._classify_rows).
            if col.index == seq:
                target.value = row - FIRST_DATA_ROW + 1
            target.number_format, target.alignment = styles[col.index]
            target.font, target.border = font, box


def _lists_sheet(wb: Any, form: _Form, columns: Sequence[_Column]) -> dict[str, str]:
    """The hidden sheet "Danh mục": one column per code list; returns {code list: absolute range}."""
    from openpyxl.styles import Font

    ws = wb.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    names = list(dict.fromkeys(c.spec.codes for c in columns if c.spec.type == "code" and c.spec.codes))
    for index, name in enumerate(names, start=1):
        codes = form.codes[name]
        letter = column_letter(index - 1)
        ws.cell(row=1, column=index, value=codes.title).font = Font(bold=True)
        for row, value in enumerate(codes.values, start=2):
            write_text(ws, row, index, value).number_format = "@"
        ws.column_dimensions[letter].width = max(len(codes.title), *(len(v) for v in codes.values)) + 2
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(codes.values) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _earliest(spec: FieldSpec, form: _Form) -> dt.date:
    plausible = form.rules.get("plausible-dates", {})
    # Every date of a Party member's life but birth (admission, official, documents) follows the founding.
    key, default = ("earliest_birth", "1900-01-01") if "birth" in spec.name else ("earliest_admission", "1930-02-03")
    value = plausible.get(key, default)
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _date_formula(spec: FieldSpec, form: _Form) -> str:
    """The Excel formula of the earliest plausible date (the latest is TODAY())."""
    day = _earliest(spec, form)
    lower = f"DATE({day.year},{day.month},{day.day})"
    years = form.rules.get("plausible-dates", {}).get("max_age_years")
    if "birth" in spec.name and years:
        # Also catches "1985" typed into a date cell: Excel reads it as day 1985, in 1905.
        lower = f"MAX({lower},DATE(YEAR(TODAY())-{int(years)},1,1))"
    return lower


def _validations(
    ws: Any, form: _Form, columns: Sequence[_Column], lists: Mapping[str, str], last_row: int, lang: str = "vi"
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for col in columns:
        spec = col.spec
        title = spec.header[:32]  # Excel limits prompt and error titles to 32 characters
        first = f"{col.letter}{FIRST_DATA_ROW}"
        if spec.type == "code" and spec.codes:
            codes = form.codes[spec.codes]
            dv = DataValidation(type="list", formula1=lists[spec.codes])
            if codes.pattern:
                # n/12, n/10 … are valid beyond the listed values: warn, and let the person confirm.
                dv.errorStyle = "warning"
                examples = ", ".join(codes.values[:2])
                dv.error = _w(
                    lang,
                    f"Giá trị không có trong danh sách {codes.title}. Chỉ giữ nếu đúng dạng như {examples}.",
                    f"Not in the {codes.title} list. Keep it only if it has the form of {examples}.",
                )
            else:
                dv.errorStyle = "stop"
                dv.error = _w(
                    lang,
                    f"Chọn một giá trị trong danh sách {codes.title} (trang {LISTS_SHEET}).",
                    f"Choose a value of the {codes.title} list (sheet {LISTS_SHEET}).",
                )
        elif spec.type == "date":
            dv = DataValidation(type="date", operator="between", formula1=_date_formula(spec, form), formula2="TODAY()")
            dv.errorStyle = "stop"
            earliest = f"{_earliest(spec, form):%d/%m/%Y}"
            dv.error = _w(
                lang,
                f"Ghi ngày dạng dd/mm/yyyy, không trước {earliest} và không sau hôm nay.",
                f"Write the date as dd/mm/yyyy, not before {earliest} and not after today.",
            )
            dv.promptTitle = title
            dv.prompt = _w(lang, "Ngày dạng dd/mm/yyyy, ví dụ 05/03/1985.", "A date as dd/mm/yyyy, e.g. 05/03/1985.")
        elif spec.type == "id" and spec.digits:
            lengths = (*spec.digits, *spec.legacy_digits)
            if len(lengths) == 1:
                dv = DataValidation(type="textLength", operator="equal", formula1=str(lengths[0]))
            else:
                checks = ",".join(f"LEN({first})={n}" for n in lengths)
                dv = DataValidation(type="custom", formula1=f"OR({checks})")
            dv.errorStyle = "stop"
            digits = _digits_text(lengths)
            dv.error = _w(
                lang,
                f"Nhập đúng {digits} chữ số (ô Văn bản, giữ số 0 đầu).",
                f"Type exactly {_digits_text(lengths, 'en')} digits (a Text cell keeps leading zeros).",
            )
            dv.promptTitle, dv.prompt = (
                title,
                _w(lang, f"{digits} chữ số.", f"{_digits_text(lengths, 'en')} digits."),
            )
        else:
            continue
        dv.allow_blank = dv.showErrorMessage = True
        dv.showInputMessage = dv.prompt is not None
        dv.errorTitle = title
        dv.add(f"{first}:{col.letter}{last_row}")
        ws.add_data_validation(dv)


# --- the guide sheet ---------------------------------------------------------------------------------


def _outline(template: str) -> str:
    """A message template without its parameters: "{value}" -> "…", the "did you mean" hints dropped."""
    return re.sub(r"\{\w+\}", "…", re.sub(r"\{hint_\w+\}", "", template))


def _table_head(ws: Any, row: int, titles: Sequence[str]) -> None:
    from openpyxl.styles import PatternFill

    for i, text in enumerate(titles, start=1):
        put_text(ws, row, i, text, bold=True, size=11).fill = PatternFill("solid", fgColor="D9E1F2")


def _steps(
    form: _Form, layouts: Sequence[tuple[_Sheet, list[_Column]]], last_row: int, cell: str | None, lang: str = "vi"
) -> list[str]:
    if lang == "en":
        return _steps_en(form, layouts, last_row, cell)
    names = ", ".join(f'"{sheet.name}"' for sheet, _ in layouts)
    fields = list({c.spec.name: c.spec for _, columns in layouts for c in columns}.values())
    required = [
        f.header if f.required is True else f"{f.header} ({_required_vi(f, form).replace('Bắt', 'bắt')})"
        for f in fields
        if f.required
    ]
    ids = [f.header for f in fields if f.type == "id"]
    command = "dangvien validate <tệp> --as-of <ngày tính đến>" if form.kind == "roster" else "dangvien dossier"
    steps = [
        f"Mỗi người ghi một dòng trên trang {names}, từ dòng {FIRST_DATA_ROW} đến dòng {last_row} (STT đã đánh "
        f"sẵn). Không sửa, không xóa dòng tiêu đề cột (dòng {HEADER_ROW}) và dòng đánh số cột (dòng "
        f"{HEADER_ROW + 1}).",
        "Cần thêm dòng: chèn dòng (Insert) vào giữa vùng nhập liệu để dòng mới có sẵn danh sách chọn và định dạng.",
    ]
    if cell:
        steps.append(f'Tên chi bộ đã ghi ở đầu trang ("{cell}"); mọi dòng thuộc chi bộ này.')
    elif form.kind == "roster":
        steps.append(
            'Ghi tên chi bộ trên một dòng riêng, ví dụ "Chi bộ Đội Tổng hợp", phía trên nhóm đảng '
            "viên của chi bộ đó (chỉ ghi ở cột đầu tiên)."
        )
    steps += [
        f"Cột bắt buộc (tiêu đề tô màu cam): {'; '.join(required)}.",
        f'Cột có mũi tên: chọn trong danh sách (các danh mục ở trang ẩn "{LISTS_SHEET}"). Ngày ghi dạng '
        "dd/mm/yyyy." + (f" {', '.join(ids)}: ô đã định dạng Văn bản, gõ đủ chữ số kể cả số 0 đầu." if ids else ""),
        "Excel chỉ kiểm tra khi gõ tay; giá trị dán (paste) vào có thể bỏ qua danh sách chọn. Trước khi nộp, "
        f"kiểm tra tệp bằng lệnh: {command}.",
    ]
    if form.catalogue:
        steps.append(
            "Khi kiểm tra, mỗi vi phạm quy tắc ở bảng dưới được chỉ ra tại đúng ô, kèm cách sửa. Lỗi "
            "phải sửa hết; cảnh báo cần xem lại."
        )
    return steps


def _steps_en(
    form: _Form, layouts: Sequence[tuple[_Sheet, list[_Column]]], last_row: int, cell: str | None
) -> list[str]:
    names = ", ".join(f'"{sheet.name}"' for sheet, _ in layouts)
    fields = list({c.spec.name: c.spec for _, columns in layouts for c in columns}.values())
    required = [
        f"{f.header} ({_field_en(f)})"
        if f.required is True
        else f"{f.header} ({_field_en(f)}, {_required_vi(f, form, 'en').lower()})"
        for f in fields
        if f.required
    ]
    ids = [f"{f.header} ({_field_en(f)})" for f in fields if f.type == "id"]
    command = "dangvien validate <file> --as-of <date>" if form.kind == "roster" else "dangvien dossier"
    steps = [
        f"One person per row on sheet {names}, rows {FIRST_DATA_ROW} to {last_row} (numbered already). Do not "
        f"change or delete the column headers (row {HEADER_ROW}) or the column numbers (row {HEADER_ROW + 1}); "
        "the headers stay in Vietnamese because the checker reads them.",
        "Need more rows: insert rows inside the data area, so that the new rows keep the dropdowns and formats.",
    ]
    if cell:
        steps.append(f'The Party cell is named at the top ("{cell}"); every row belongs to it.')
    elif form.kind == "roster":
        steps.append(
            'Write each Party cell\'s name on a row of its own, e.g. "Chi bộ Đội Tổng hợp", above its members '
            "(in the first column only)."
        )
    steps += [
        f"Required columns (orange headers): {'; '.join(required)}.",
        f'Columns with an arrow: choose from the dropdown (the lists are on the hidden sheet "{LISTS_SHEET}"). '
        "Dates as dd/mm/yyyy."
        + (f" {', '.join(ids)}: Text cells; type every digit, leading zeros too." if ids else ""),
        "Excel checks only what is typed; pasted values can bypass the dropdowns. Before submitting, check the "
        f"file with: {command}.",
    ]
    if form.catalogue:
        steps.append(
            "The check points at the very cell of every breach of the rules below, with how to fix it. Every "
            "error must be fixed; warnings must be looked at."
        )
    return steps


def _guide_sheet(
    wb: Any,
    form: _Form,
    layouts: Sequence[tuple[_Sheet, list[_Column]]],
    last_row: int,
    cell: str | None,
    lang: str = "vi",
) -> None:
    en = lang == "en"
    ws = wb.create_sheet(GUIDE_SHEET)
    title = form.sheets[0].title
    heading = f"HOW TO FILL IN THE {_TITLES_EN.get(title, title)}" if en else f"HƯỚNG DẪN NHẬP {title}"
    put_text(ws, 1, 1, heading, bold=True, size=14, align="left", wrap=False)
    row = 3
    for number, step in enumerate(_steps(form, layouts, last_row, cell, lang), start=1):
        put_text(ws, row, 1, number, size=11)
        put_text(ws, row, 2, step, size=11, align="left", merge_to=7)
        ws.row_dimensions[row].height = 32
        row += 1
    for sheet, columns in layouts:
        row += 1
        put_text(ws, row, 1, _w(lang, f'CÁC CỘT CỦA TRANG "{sheet.name}"', f'THE COLUMNS OF SHEET "{sheet.name}"'),
                 bold=True, align="left", wrap=False)  # fmt: skip
        row += 1
        heads = ["No.", "Column", "Header (English)", "Required", "How to fill it"] if en else [
            "STT", "Cột", "Tiêu đề cột", "Bắt buộc", "Cách ghi"]  # fmt: skip
        _table_head(ws, row, heads)
        for col in columns:
            row += 1
            header = f"{col.spec.header} ({_field_en(col.spec)})" if en else col.spec.header
            values = [
                col.index,
                col.letter,
                header,
                _required_vi(col.spec, form, lang),
                _describe(col.spec, form, lang),
            ]
            for i, value in enumerate(values, start=1):
                put_text(ws, row, i, value, size=11, align="left" if i >= 3 else "center")
            ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=7)
        row += 1
    row += 1
    put_text(ws, row, 1, _w(lang, "CÁC QUY TẮC KIỂM TRA", "THE RULES CHECKED"), bold=True, align="left", wrap=False)
    row += 1
    if not form.catalogue:
        text = _w(lang, "Danh mục quy tắc: xem lệnh dangvien rules.", "The rule catalogue: see dangvien rules.")
        put_text(ws, row, 1, text, size=11, align="left", wrap=False)
    else:
        heads = ["No.", "Rule code", "Severity", "Rule", "Message", "How to fix", "Source"] if en else [
            "STT", "Mã quy tắc", "Mức độ", "Quy tắc", "Nội dung", "Cách sửa", "Căn cứ"]  # fmt: skip
        _table_head(ws, row, heads)
    for number, rule in enumerate(form.catalogue, start=1):
        row += 1
        values = [
            number,
            rule.code,
            (_SEVERITY_EN if en else _SEVERITY_VI)[rule.severity],
            rule.title_en if en else rule.title_vi,
            _outline(rule.message_en if en else rule.message_vi),
            _outline(rule.fix_en if en else rule.fix_vi),
            rule.source,
        ]
        for i, value in enumerate(values, start=1):
            put_text(ws, row, i, value, size=11, align="left" if i >= 2 else "center")
    for letter, width in zip("ABCDEFG", (6, 30, 22, 34, 60, 50, 28), strict=True):
        ws.column_dimensions[letter].width = width


# --- saving ------------------------------------------------------------------------------------------
