"""Annotated copies of the input workbook: each problem cell coloured with a comment, plus a results sheet."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dangvien_data import options
from dangvien_data.errors import CorruptWorkbookError, InputError
from dangvien_data.io.output import atomic_write, check_output_path, safe_cell_value
from dangvien_data.issues import Issue, Severity

if TYPE_CHECKING:
    from dangvien_data.roster.model import Roster
    from dangvien_data.roster.validation import Report

__all__ = ["DOCUMENT_FONT", "RESULTS_SHEET", "annotate", "put_text", "save_reproducible", "write_text"]

DOCUMENT_FONT = "Times New Roman"  # the font of Party documents, in the workbooks the tool writes
RESULTS_SHEET = "Kết quả kiểm tra"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFE699", Severity.INFO: "BDD7EE"}
_HEADERS = {
    "vi": ["Mức độ", "Mã lỗi", "Trang", "Ô", "Chi bộ", "Đảng viên", "Giá trị", "Nội dung"],
    "en": ["Severity", "Code", "Sheet", "Cell ref", "Party cell", "Member", "Value", "Message"],
}
_SEVERITY = {
    Severity.ERROR: ("LỖI", "ERROR"),
    Severity.WARNING: ("CẢNH BÁO", "WARNING"),
    Severity.INFO: ("GHI CHÚ", "NOTE"),
}
_WIDTHS = (11, 24, 14, 7, 26, 22, 16, 62)


def write_text(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a value; text starting with = + - @ is stored as text, never as a formula.

    Text is also cleaned of characters XML cannot hold and cut to Excel's cell limit (``safe_cell_value``).
    """
    cell = ws.cell(row=row, column=column)
    value, as_text = safe_cell_value(value)
    cell.value = value
    if as_text:
        cell.data_type = "s"
    return cell


def put_text(
    ws: Any,
    row: int,
    column: int,
    value: Any,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 12,
    align: str = "center",
    wrap: bool = True,
    merge_to: int | None = None,
    formula: bool = False,
) -> Any:
    """A cell in the document font, vertically centred, merged across to column ``merge_to``.

    ``value`` goes through :func:`write_text` (data never becomes a formula); ``formula=True`` is for the tool's
    own formulas (``=SUM(C10:C19)``).
    """
    from openpyxl.styles import Alignment, Font

    if formula:
        cell = ws.cell(row=row, column=column)
        cell.value = str(value)
    else:
        cell = write_text(ws, row, column, value)
    cell.font = Font(name=DOCUMENT_FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if merge_to and merge_to > column:
        ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=merge_to)
    return cell


def _safe_text(text: str, limit: int) -> str:
    """Comment text: cleaned like a cell value, cut to ``limit`` characters."""
    cleaned, _ = safe_cell_value(text)
    return str(cleaned)[:limit]


def results_sheet(wb: Any, issues: list[Issue], lang: str) -> None:
    """The first sheet: a header row, then one boxed row per issue, printed A4 landscape one page wide (Times).

    The header stays in row 1 and the issues start in row 2, where scripts (and the dossier workbook) expect them.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.hyperlink import Hyperlink

    from dangvien_data.io.document import MARGINS_MM, wrapped_lines

    ws = wb.create_sheet(RESULTS_SHEET, 0)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, text in enumerate(_HEADERS[lang], start=1):
        cell = put_text(ws, 1, col, text, bold=True, size=11)
        cell.border = box
    for r, issue in enumerate(issues, start=2):
        severity = _SEVERITY[issue.severity][lang == "en"]
        values = [severity, issue.code, issue.sheet, issue.ref, issue.cell, issue.member, issue.value,
                  issue.message(lang)]  # fmt: skip
        lines = 1
        for col, value in enumerate(values, start=1):
            cell = write_text(ws, r, col, value)
            cell.font = Font(name=DOCUMENT_FONT, size=11, bold=col == 1)
            cell.alignment = Alignment(
                vertical="center", wrap_text=True, horizontal="center" if col in (1, 4) else None
            )
            cell.border = box
            if isinstance(cell.value, str):
                lines = max(lines, wrapped_lines(cell.value, _WIDTHS[col - 1], 11, False))
        ws.row_dimensions[r].height = lines * 11 * 1.3 + 4
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=FILLS[issue.severity])
        if issue.sheet and issue.sheet in wb.sheetnames and issue.ref:
            link = ws.cell(row=r, column=4)
            sheet = issue.sheet.replace("'", "''")  # a quote inside a quoted sheet name is doubled
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!{issue.ref}")
            link.font = Font(name=DOCUMENT_FONT, size=11, color="0563C1", underline="single")
    ws.row_dimensions[1].height = 11 * 1.3 + 6
    for letter, width in zip("ABCDEFGH", _WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    setup = ws.page_setup
    setup.paperSize, setup.orientation = ws.PAPERSIZE_A4, "landscape"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    inch = 25.4
    ws.page_margins.left, ws.page_margins.right = MARGINS_MM["left"] / inch, MARGINS_MM["right"] / inch
    ws.page_margins.top, ws.page_margins.bottom = MARGINS_MM["top"] / inch, MARGINS_MM["bottom"] / inch
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Page &P/&N" if lang == "en" else "Trang &P/&N"
    ws.oddFooter.center.font = DOCUMENT_FONT


def _mark_cells(wb: Any, issues: list[Issue], lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.sheet and issue.ref and issue.sheet in wb.sheetnames:
            by_cell[(issue.sheet, issue.ref)].append(issue)
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    anchored: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for (sheet, ref), found in by_cell.items():
        # A cell inside a merged range cannot hold a comment: mark the range's top-left cell.
        anchored[(sheet, _anchor(wb[sheet], ref))].extend(found)
    for (sheet, ref), found in anchored.items():
        cell = wb[sheet][ref]
        worst = min((i.severity for i in found), key=order.index)
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = "\n".join(f"[{i.code}] {i.message(lang)}" for i in found)
        cell.comment = Comment(_safe_text(text, 32000), "dangvien")


def _anchor(ws: Any, ref: str) -> str:
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return str(merged.start_cell.coordinate)
    return ref


def annotate(roster: Roster, report: Report, out: str | Path, *, lang: str = "vi") -> Path:
    """Write a copy of the (single) input workbook with every problem cell marked.

    Errors are filled red, warnings amber, notes blue, each with a comment holding the message; a first
    sheet "Kết quả kiểm tra" lists every issue with a hyperlink to its cell. Values and formatting of the
    input are otherwise untouched; the input file itself is never modified.

    Args:
        roster: the roster read from exactly one .xlsx/.xlsm workbook.
        report: what :func:`~dangvien_data.roster.validation.validate` found in it.
        out: the new workbook to write (never the input; written atomically).
        lang: ``"vi"`` or ``"en"``, the language of the comments and the results sheet.

    Returns:
        The path written.

    Raises:
        InputError: more than one input workbook, or one that is not .xlsx/.xlsm.
        OutputPathError: ``out`` is an input or cannot be written.
        CorruptWorkbookError: openpyxl cannot open the input (invalid XML, an XML entity declaration …).
    """
    out, lang = options.output(out, "out"), options.lang(lang)

    files = roster.files
    if len(files) != 1 or Path(files[0]).suffix.lower() not in {".xlsx", ".xlsm"}:
        raise InputError(
            "Chỉ tạo được bản chú thích cho đúng một tệp .xlsx/.xlsm. Chạy lệnh riêng cho từng tệp, hoặc lưu tệp "
            ".xls/.ods thành .xlsx trước.",
            "An annotated copy needs exactly one .xlsx/.xlsm input. Run once per file, or save .xls/.ods as .xlsx "
            "first.",
        )
    source = Path(files[0])
    issues = [i for i in report.issues if i.file in (None, str(source))]

    check_output_path(out, files)  # refuse a bad output before the slow load
    wb = _load(source)

    def _write(tmp: Path) -> None:
        _mark_cells(wb, issues, lang)
        results_sheet(wb, issues, lang)
        wb.active = 0
        wb.save(tmp)

    return atomic_write(out, _write, inputs=files)


def _load(source: Path) -> Any:
    """Open the input with openpyxl (defusedxml underneath); translate its failures at this boundary."""
    import openpyxl

    try:
        # A handle of our own: openpyxl leaves its file open when it fails half-way through a workbook.
        with source.open("rb") as handle:
            return openpyxl.load_workbook(handle, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True)
    except MemoryError:
        raise
    except Exception as exc:  # ParseError, defusedxml's EntitiesForbidden, KeyError of a missing part …
        if _defused(exc):
            raise CorruptWorkbookError(
                f"Không tạo được bản chú thích: tệp {source} chứa khai báo thực thể XML (DTD/ENTITY), kiểu nội dung "
                "dùng để tấn công (billion laughs, XXE); openpyxl (qua defusedxml) đã từ chối mở. Không mở tệp này; "
                "xin lại tệp gốc từ người gửi.",
                f"Cannot write the annotated copy: {source} declares XML entities (DTD/ENTITY), the content of "
                "billion-laughs and XXE attacks; openpyxl (through defusedxml) refused to open it. Do not open this "
                "file; ask the sender for the original.",
                path=str(source),
            ) from exc
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CorruptWorkbookError(
            f"Không tạo được bản chú thích: openpyxl không mở được tệp {source} ({type(exc).__name__}: {reason}). "
            "Tệp có nội dung XML không hợp lệ hoặc không an toàn. Mở bằng Excel, lưu lại rồi thử lại; kết quả "
            "kiểm tra không có --annotate vẫn dùng được.",
            f"Cannot write the annotated copy: openpyxl cannot open {source} ({type(exc).__name__}: {reason}). "
            "The file holds invalid or unsafe XML. Open it in Excel, save it and try again; the check without "
            "--annotate still works.",
            path=str(source),
        ) from exc


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the XML somewhere in the exception's chain."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def save_reproducible(wb: Any, path: Path, when: dt.datetime) -> None:
    """Save ``wb`` with ``when`` as its modified time and every zip entry's time, so the same content always
    gives the same bytes (templates, sample workbooks). openpyxl stamps "modified" with the current time; it is
    put back here."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            dst.writestr(fixed, data)
