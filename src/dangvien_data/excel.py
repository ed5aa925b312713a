"""Annotated copies of the input workbook: each problem cell coloured with a comment, plus a results sheet."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .issues import Issue, Severity
from .output import atomic_write, safe_cell_value

if TYPE_CHECKING:
    from .roster import Roster
    from .validate import Report

__all__ = ["RESULTS_SHEET", "annotate", "write_text"]

RESULTS_SHEET = "Kết quả kiểm tra"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFE699", Severity.INFO: "BDD7EE"}
_HEADERS = {
    "vi": ["Mức độ", "Mã lỗi", "Trang", "Ô", "Chi bộ", "Đảng viên", "Giá trị", "Nội dung"],
    "en": ["Severity", "Code", "Sheet", "Cell", "Chi bộ", "Member", "Value", "Message"],
}
_SEVERITY_VI = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo", Severity.INFO: "Ghi chú"}


def write_text(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a value; text starting with = + - @ is stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    value, as_text = safe_cell_value(value)
    cell.value = value
    if as_text:
        cell.data_type = "s"
    return cell


def _results_sheet(wb: Any, issues: list[Issue], lang: str) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(RESULTS_SHEET, 0)
    for col, title in enumerate(_HEADERS[lang], start=1):
        write_text(ws, 1, col, title).font = Font(bold=True)
    for r, issue in enumerate(issues, start=2):
        severity = _SEVERITY_VI[issue.severity] if lang == "vi" else str(issue.severity)
        values = [
            severity,
            issue.code,
            issue.sheet,
            issue.ref,
            issue.cell,
            issue.member,
            issue.value,
            issue.message(lang),
        ]
        for col, value in enumerate(values, start=1):
            write_text(ws, r, col, value)
        ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=FILLS[issue.severity])
        if issue.sheet in wb.sheetnames and issue.ref:
            link = ws.cell(row=r, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{issue.sheet}'!{issue.ref}")
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDEFGH", (10, 28, 16, 8, 30, 24, 20, 100), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _mark_cells(wb: Any, issues: list[Issue], lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.sheet and issue.ref and issue.sheet in wb.sheetnames:
            by_cell[(issue.sheet, issue.ref)].append(issue)
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    for (sheet, ref), found in by_cell.items():
        cell = wb[sheet][ref]
        worst = min((i.severity for i in found), key=order.index)
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = "\n".join(f"[{i.code}] {i.message(lang)}" for i in found)
        cell.comment = Comment(text[:32000], "dangvien")


def annotate(roster: Roster, report: Report, out: str | Path, *, lang: str = "vi") -> Path:
    """Write a copy of the (single) input workbook with every problem cell marked.

    Errors are filled red, warnings amber, notes blue, each with a comment holding the message; a first
    sheet "Kết quả kiểm tra" lists every issue with a hyperlink to its cell. Values and formatting of the
    input are otherwise untouched; the input file itself is never modified.

    Raises:
        InputError: more than one input workbook, or one that is not .xlsx/.xlsm.
        OutputPathError: ``out`` is an input or cannot be written.
    """
    import openpyxl

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

    def _write(tmp: Path) -> None:
        wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True)
        _mark_cells(wb, issues, lang)
        _results_sheet(wb, issues, lang)
        wb.active = 0
        wb.save(tmp)

    return atomic_write(out, _write, inputs=files)
