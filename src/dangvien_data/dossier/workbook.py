"""The dossier results workbook, laid out to be printed and signed: verdicts, structure, documents, issues.

Each sheet prints as a Party document: the header block (the organisation and "ĐẢNG CỘNG SẢN VIỆT NAM"), a
title, a bordered table in Times New Roman, A4 landscape fitted to the page width, the table header and the
candidates' names repeated on every page, then the legend of the conditions with their legal sources and the
signature lines. The print layout is kept in this module (``_page``, ``_put``, ``_heading``) on purpose.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dangvien_data import options
from dangvien_data.domain.values import is_missing, number
from dangvien_data.io.excel import DOCUMENT_FONT, FILLS, put_text
from dangvien_data.io.excel import results_sheet as _issues_sheet
from dangvien_data.io.output import atomic_write
from dangvien_data.issues import Severity

if TYPE_CHECKING:
    from dangvien_data.dossier.check import DossierReport

__all__ = ["write_dossier_workbook"]

YES, NO, UNKNOWN = "✓", "✗", "?"
SHEETS = {
    "vi": ("Điều kiện ứng cử", "Cơ cấu", "Ma trận hồ sơ"),
    "en": ("Eligibility", "Structure", "Documents matrix"),
}
_TITLES = {
    "vi": (
        "KẾT QUẢ THẨM ĐỊNH ĐIỀU KIỆN NHÂN SỰ DỰ KIẾN CẤP ỦY NHIỆM KỲ {term}",
        "CƠ CẤU NHÂN SỰ DỰ KIẾN CẤP ỦY NHIỆM KỲ {term}",
        "DANH MỤC HỒ SƠ NHÂN SỰ DỰ KIẾN CẤP ỦY NHIỆM KỲ {term}",
    ),
    "en": (
        "ELIGIBILITY OF THE COMMITTEE CANDIDATES, TERM {term}",
        "STRUCTURE OF THE COMMITTEE CANDIDATES, TERM {term}",
        "DOCUMENTS OF THE COMMITTEE CANDIDATES, TERM {term}",
    ),
}
# key, Vietnamese header, English header, width; the conditions' columns are added from the report
_PERSON = [
    ("seq", "STT", "No.", 5),
    ("full_name", "Họ và tên", "Name", 22),
    ("cell", "Chi bộ", "Cell (chi bộ)", 18),
    ("born", "Năm sinh", "Born", 7),
    ("sex", "Giới tính", "Sex", 6),
    ("rank", "Cấp bậc", "Rank", 9),
    ("election", "Lần đầu / tái cử", "First time / re-election", 10),
    ("proposed_post", "Dự kiến chức danh", "Proposed post", 13),
    ("age", "Tuổi tại ngày đại hội", "Age at the congress", 8),
    ("basis", "Hạn tuổi (căn cứ)", "Age limit (basis)", 26),
]
_CONDITION_WIDTH = 19
_VERDICT_WIDTH = 24
_STRUCTURE = [
    ("seq", "STT", "No.", 5),
    ("label", "Chỉ tiêu", "Metric", 44),
    ("count", "Số lượng", "Count", 11),
    ("percent", "Tỷ lệ %", "%", 11),
    ("target", "Mục tiêu", "Target", 13),
    ("ok", "Đạt", "Met", 9),
]
_MARKS_LEGEND = {
    "vi": "✓ đạt · ✗ không đạt · ? chưa xác định được, cần xem lại · — không áp dụng",
    "en": "✓ met · ✗ not met · ? cannot be decided, to review · — not applicable",
}
_SIGN = {
    "vi": (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("T/M ĐẢNG ỦY", "(Ký, ghi rõ họ tên, đóng dấu)")),
    "en": (("PREPARED BY", "(signature, full name)"), ("FOR THE PARTY COMMITTEE", "(signature, full name, seal)")),
}
_BLOCK_WIDTH = 40  # characters: "ĐẢNG CỘNG SẢN VIỆT NAM" and the date line on one line each
_HEADER_ROW = 7  # the table header: rows 1-3 the header block, 5 the title, 6 the subtitle


# --- print layout ------------------------------------------------------------------------------------------


def _border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _put(
    ws: Any,
    row: int,
    column: int,
    value: Any,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 11,
    align: str = "left",
    boxed: bool = False,
    merge_to: int | None = None,
) -> Any:
    """:func:`~dangvien_data.io.excel.put_text` at the table's size, left-aligned by default; a missing value is an
    empty cell, and a ``boxed`` cell (a table cell, never merged) is bordered and aligned to the top."""
    cell = put_text(
        ws,
        row,
        column,
        None if is_missing(value) else value,
        bold=bold,
        italic=italic,
        size=size,
        align=align,
        merge_to=merge_to,
    )
    if boxed:
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
        cell.border = _border()
    return cell


def _spans(ws: Any, width: int) -> tuple[int, int]:
    """The last column of the left block and the first of the right one: each wide enough for its text."""
    from openpyxl.utils import get_column_letter

    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, width + 1)]
    side = next((c for c in range(1, width + 1) if sum(widths[:c]) >= _BLOCK_WIDTH), width)
    right = next((c for c in range(width, 0, -1) if sum(widths[c - 1 :]) >= _BLOCK_WIDTH), 1)
    return side, max(side + 1, right)


def _heading(ws: Any, report: DossierReport, width: int, title: str, subtitle: str) -> None:
    """The Party document header block, the title and the subtitle, over ``width`` columns (widths set)."""
    side, right = _spans(ws, width)
    _put(ws, 1, 1, _organisation(report), bold=True, align="center", merge_to=side)
    _put(ws, 1, right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=12, align="center", merge_to=width)
    _put(ws, 2, 1, "*", align="center", merge_to=side)
    _put(ws, 2, right, "……………, ngày …… tháng …… năm ……", italic=True, align="center", merge_to=width)
    _put(ws, 5, 1, title, bold=True, size=14, align="center", merge_to=width)
    _put(ws, 6, 1, subtitle, italic=True, align="center", merge_to=width)
    ws.row_dimensions[1].height = ws.row_dimensions[2].height = 18
    ws.row_dimensions[5].height = 24


def _organisation(report: DossierReport) -> str:
    """The organisation as the candidate list's own header names it ("ĐẢNG BỘ …"), else a line to fill in."""
    for source in report.sources:
        for _, _, text in source.heading:
            if str(text).strip().upper().startswith(("ĐẢNG BỘ", "ĐẢNG ỦY", "CHI BỘ")):
                return str(text).strip()
    return "ĐẢNG BỘ ……………………"


def _page(ws: Any, header_row: int, columns: str, last_column: int) -> None:
    """A4 landscape, fitted to the page width, the header row and ``columns`` repeated on every page."""
    from openpyxl.utils import get_column_letter

    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = f"{header_row}:{header_row}"
    if columns:
        ws.print_title_cols = columns
    ws.print_area = f"A1:{get_column_letter(last_column)}{ws.max_row}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = DOCUMENT_FONT


def _table_header(ws: Any, row: int, columns: Sequence[tuple[str, str, str, int]], lang: str) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    for col, (_, vi, en, width) in enumerate(columns, start=1):
        cell = _put(ws, row, col, en if lang == "en" else vi, bold=True, size=10, align="center", boxed=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=3)


def _table_row(ws: Any, row: int, values: Sequence[Any]) -> None:
    from openpyxl.styles import PatternFill

    for col, value in enumerate(values, start=1):
        short = isinstance(value, int | float) or value in {YES, NO, UNKNOWN}
        cell = _put(ws, row, col, value, size=10, align="center" if short else "left", boxed=True)
        if isinstance(value, str) and value.startswith(NO):
            cell.fill = PatternFill("solid", fgColor=FILLS[Severity.ERROR])
        elif isinstance(value, str) and value.startswith(UNKNOWN):
            cell.fill = PatternFill("solid", fgColor=FILLS[Severity.WARNING])


def _lines(text: Any, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (10 pt; a rough, safe count)."""
    if text is None or not isinstance(text, str | int | float):
        return 1
    usable = max(1.0, width * 1.05 - 1)
    return sum(max(1, math.ceil(len(part) / usable)) for part in str(text).split("\n"))


def _fit_rows(ws: Any, first: int, last: int) -> None:
    """Row heights for wrapped text: Excel and LibreOffice do not grow a row that openpyxl wrote."""
    from openpyxl.utils import get_column_letter

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)}
    for row in range(first, last + 1):
        lines = max((_lines(cell.value, widths[cell.column]) for cell in ws[row] if cell.value is not None), default=1)
        ws.row_dimensions[row].height = max(15, 13.5 * lines + 2)


def _notes(ws: Any, row: int, width: int, lines: Sequence[tuple[str, bool]]) -> int:
    """Lines under a table (bold ones are headings), each merged over ``width`` columns; the next free row."""
    from openpyxl.utils import get_column_letter

    total = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, width + 1))
    for text, bold in lines:
        _put(ws, row, 1, text, bold=bold, size=10, merge_to=width)
        ws.row_dimensions[row].height = 13.5 * _lines(text, total) + 2
        row += 1
    return row


def _signatures(ws: Any, row: int, width: int, lang: str) -> None:
    side, right = _spans(ws, width)
    (left_title, left_note), (right_title, right_note) = _SIGN[lang]
    _put(ws, row + 1, 1, left_title, bold=True, align="center", merge_to=side)
    _put(ws, row + 2, 1, left_note, italic=True, align="center", merge_to=side)
    _put(ws, row + 1, right, right_title, bold=True, align="center", merge_to=width)
    _put(ws, row + 2, right, right_note, italic=True, align="center", merge_to=width)


# --- sheets ------------------------------------------------------------------------------------------------


def _subtitle(report: DossierReport, lang: str) -> str:
    day = report.as_of.strftime("%d/%m/%Y")
    seats = f"; {report.seats} chỉ tiêu" if report.seats and lang == "vi" else ""
    seats = f"; {report.seats} seats" if report.seats and lang == "en" else seats
    if lang == "en":
        return f"(At the congress date {day}; {report.directive}{seats})"
    return f"(Tính tại ngày đại hội {day}; {report.directive}{seats})"


def _person(report: DossierReport, idx: Any, seq: int, lang: str) -> list[Any]:
    row = report.eligibility.loc[idx]
    person = report.candidates.loc[idx]
    born = person.get("birth_date")
    age = row["age"]
    return [
        seq,
        person.get("full_name"),
        person.get("cell"),
        None if born is None or pd.isna(born) else int(pd.Timestamp(born).year),
        person.get("sex"),
        person.get("rank"),
        person.get("election"),
        person.get("proposed_post"),
        None if age is None or pd.isna(age) else int(age) // 12,
        _basis(row, lang),
    ]


def _basis(row: Any, lang: str) -> str | None:
    """The age limit and its law, with the month it is reached; or why it is not known."""
    basis, reason = row[f"basis_{lang}"], row[f"reason_{lang}"]
    reach = row["reach"]
    if isinstance(basis, str):
        month = reach.strftime("%m/%Y") if isinstance(reach, dt.date) else ""
        return f"{basis}; {'đến hạn' if lang == 'vi' else 'reached'} {month}" if month else basis
    return str(reason) if isinstance(reason, str) else None


def _legend(report: DossierReport, lang: str) -> list[tuple[str, bool]]:
    lines = [("Điều kiện và căn cứ:" if lang == "vi" else "Conditions and their sources:", True)]
    label = 1 if lang == "en" else 0
    for names in report.conditions.values():
        lines.append((f"– {names[label]}: {names[2]}.", False))
    lines.append((_MARKS_LEGEND[lang], False))
    verdict = (
        "Đủ điều kiện: mọi điều kiện đạt và không còn lỗi, cảnh báo chưa xử lý; cần xem lại: có điều kiện chưa "
        "xác định được hoặc còn lỗi, cảnh báo trên dòng của nhân sự (xem trang Kết quả kiểm tra)."
        if lang == "vi"
        else "Eligible: every condition met and no open error or warning; to review: a condition cannot be "
        "decided, or an error or warning is open on the candidate's rows (see the issues sheet)."
    )
    lines.append((verdict, False))
    return lines


def _eligibility_sheet(wb: Any, report: DossierReport, lang: str) -> None:
    ws = wb.create_sheet(SHEETS[lang][0])
    conditions = [(k, n[0], n[1], _CONDITION_WIDTH) for k, n in report.conditions.items()]
    verdict = ("verdict", "Kết luận", "Verdict", _VERDICT_WIDTH)
    columns = [*_PERSON, *conditions, verdict]
    width = len(columns)
    _table_header(ws, _HEADER_ROW, columns, lang)
    _heading(ws, report, width, _TITLES[lang][0].format(term=report.term), _subtitle(report, lang))
    row = _HEADER_ROW
    for seq, idx in enumerate(report.eligibility.index, start=1):
        row += 1
        verdicts = report.verdicts.loc[idx]
        checks = [verdicts[f"{key}_{lang}"] for key in report.conditions]
        _table_row(ws, row, [*_person(report, idx, seq, lang), *checks, verdicts[f"verdict_{lang}"]])
    _fit_rows(ws, _HEADER_ROW, row)
    end = _notes(ws, row + 2, width, _legend(report, lang))
    _signatures(ws, end, width, lang)
    _page(ws, _HEADER_ROW, "A:B", width)


def _structure_sheet(wb: Any, report: DossierReport, lang: str) -> None:
    ws = wb.create_sheet(SHEETS[lang][1])
    width = len(_STRUCTURE)
    _table_header(ws, _HEADER_ROW, _STRUCTURE, lang)
    _heading(ws, report, width, _TITLES[lang][1].format(term=report.term), _subtitle(report, lang))
    label = "label_en" if lang == "en" else "label_vi"
    row = _HEADER_ROW
    for seq, (_, metric) in enumerate(report.structure.iterrows(), start=1):
        row += 1
        target = metric["target"]
        target = None if target is None or pd.isna(target) else f"≥ {float(target):g}%"
        ok = None if pd.isna(metric["ok"]) else (YES if bool(metric["ok"]) else NO)
        percent = None if pd.isna(metric["percent"]) else number(float(metric["percent"]), lang)  # 33,3 / 33.3
        count = None if pd.isna(metric["count"]) else int(metric["count"])
        _table_row(ws, row, [seq, metric[label], count, percent, target, ok])
    _fit_rows(ws, _HEADER_ROW, row)
    end = _notes(ws, row + 2, width, [(_MARKS_LEGEND[lang], False)])
    _signatures(ws, end, width, lang)
    _page(ws, _HEADER_ROW, "", width)


def _documents_sheet(wb: Any, report: DossierReport, lang: str) -> None:
    ws = wb.create_sheet(SHEETS[lang][2])
    keys = [k for k in report.documents.columns if k != "complete"]
    columns = [("seq", "STT", "No.", 5), ("full_name", "Họ và tên", "Name", 22)]
    columns += [(k, report.document_headers.get(k, k), report.document_headers.get(k, k), 13) for k in keys]
    columns.append(("complete", "Đủ hồ sơ", "Complete", 9))
    width = len(columns)
    _table_header(ws, _HEADER_ROW, columns, lang)
    _heading(ws, report, width, _TITLES[lang][2].format(term=report.term), _subtitle(report, lang))
    row = _HEADER_ROW
    for seq, (idx, marks) in enumerate(report.documents.iterrows(), start=1):
        row += 1
        shown = [YES if marks[k] in {"x", "X"} else (marks[k] or NO) for k in keys]
        complete = YES if bool(marks["complete"]) else NO
        _table_row(ws, row, [seq, report.candidates.at[idx, "full_name"], *shown, complete])
    _fit_rows(ws, _HEADER_ROW, row)
    legend = "✓ hoặc ngày nộp: đã có · ✗ chưa có" if lang == "vi" else "✓ or the date given: there · ✗ missing"
    end = _notes(ws, row + 2, width, [(legend, False)])
    _signatures(ws, end, width, lang)
    _page(ws, _HEADER_ROW, "A:B", width)


def _issues_layout(ws: Any) -> None:
    """The issues sheet in the same print layout: Times New Roman, borders, A4 landscape, header repeated."""
    from openpyxl.styles import Alignment, Font

    widths = [9, 24, 18, 7, 22, 20, 16, 70]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    border = _border()
    for cells in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(widths)):
        for cell in cells:
            cell.font = Font(name=DOCUMENT_FONT, size=10, bold=cell.row == 1, color=cell.font.color)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
    _fit_rows(ws, 1, ws.max_row)
    _page(ws, 1, "", len(widths))


def write_dossier_workbook(report: DossierReport, out: str | Path, *, lang: str = "vi") -> Path:
    """Write the results workbook: the verdicts, the structure table, the documents matrix and the issues.

    The eligibility sheet has one column per condition of schemas/dossier.yaml ``conditions``, each "✓/✗ with
    the figures" (e.g. "✓ còn 140 tháng (cần ≥ 30)"), and the verdict of
    :func:`~dangvien_data.dossier.verdict.verdicts`; ✗ cells are filled red, "?" amber. Every sheet prints as a
    document (see the module docstring). Written atomically; an output path equal to an input is refused.

    Args:
        report: what :func:`~dangvien_data.dossier.check.check_dossier` returned.
        out: the ``.xlsx`` to write; replaced whole, atomically.
        lang: the language of the messages (``vi`` or ``en``).

    Returns:
        The path written.

    Raises:
        OutputPathError: ``out`` is one of the inputs or cannot be written.
    """
    out, lang = options.output(out, "out"), options.lang(lang)
    import openpyxl

    def _write(tmp: Path) -> None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        _eligibility_sheet(wb, report, lang)
        _structure_sheet(wb, report, lang)
        _documents_sheet(wb, report, lang)
        _issues_sheet(wb, report.issues, lang)  # inserted first: move it after the three tables
        wb.move_sheet(wb.worksheets[0], offset=len(wb.worksheets) - 1)
        _issues_layout(wb.worksheets[-1])
        wb.active = 0
        props = wb.properties
        props.title = _TITLES[lang][0].format(term=report.term)
        props.creator = "dangvien_data"
        props.created = props.modified = dt.datetime.combine(report.as_of, dt.time())
        wb.save(tmp)

    return atomic_write(out, _write, inputs=report.files)
