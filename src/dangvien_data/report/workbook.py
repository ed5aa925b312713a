"""The summary workbook: counts per cell laid out as a Party document, reconciliation, lists and charts (openpyxl).

The per-cell sheet uses the same two-row header as a declared summary sheet, so it can itself be read back
with :func:`~dangvien_data.report.reconcile.read_declared`. Totals are live ``SUM`` formulas; text that Excel would
take for a formula (``=``, ``+``, ``-``, ``@``) is stored as text. The file is written atomically beside its
final name and never over an input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dangvien_data import options
from dangvien_data.errors import OutputPathError
from dangvien_data.io.excel import put_text
from dangvien_data.io.output import atomic_write
from dangvien_data.report.summary import AGE_BANDS, Summary, SummarySpec, load_summary_spec

if TYPE_CHECKING:
    from dangvien_data.report.reconcile import RollForward

__all__ = ["SHEETS", "write_rollforward_workbook", "write_summary_workbook"]

SHEETS = {
    "cells": "Tổng hợp",
    "groups": "Phân loại",
    "reconciliation": "Đối chiếu",
    "organisation": "Tổ chức",
    "badges": "Huy hiệu Đảng",
    "due": "Đến hạn chính thức",
    "service": "Hạn tuổi phục vụ",
    "charts": "Biểu đồ",
    "rollforward": "Biến động",
    "changes": "Chi tiết biến động",
    "issues": "Vấn đề",
}
RED, ORANGE, GREY = "FFC7CE", "FFE699", "D9D9D9"
_FIRST_ROW = 10  # rows 1–5 heading, 7–8 header, 9 numbering
_STATUS = ("official", "probationary", "women", "ethnic_minority", "religious")
_BANDS = tuple(key for key, _, _ in AGE_BANDS)
_PARTY = ("party_age_30_or_more", "party_age_40_or_more")
_EXTRA = {"status_unknown": "Chưa rõ chính thức/dự bị", "age_unknown": "Chưa rõ tuổi"}


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


class _Sheet:
    """A worksheet with Times New Roman cells, boxed tables and formula-safe text."""

    def __init__(self, ws: Any) -> None:
        from openpyxl.styles import Border, Side

        self.ws = ws
        thin = Side(style="thin")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)

    def put(
        self,
        row: int,
        column: int,
        value: Any,
        *,
        bold: bool = False,
        italic: bool = False,
        size: int = 12,
        left: bool = False,
        box: bool = False,
        fill: str | None = None,
        fmt: str | None = None,
        merge_to: int | None = None,
    ) -> Any:
        from openpyxl.styles import PatternFill

        formula = isinstance(value, _Formula)  # ours, e.g. =SUM(C10:C19); data text never becomes one (CWE-1236)
        cell = put_text(
            self.ws,
            row,
            column,
            value if formula else _plain(value),
            bold=bold,
            italic=italic,
            size=size,
            align="left" if left else "center",
            merge_to=merge_to,
            formula=formula,
        )
        if fmt:
            cell.number_format = fmt
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if box:
            for col in range(column, (merge_to or column) + 1):
                self.ws.cell(row=row, column=col).border = self.box
        return cell

    def formula(self, row: int, column: int, text: str, **style: Any) -> Any:
        return self.put(row, column, _Formula(text), **style)

    def heading(self, summary_heading: dict[str, str], title: str, subtitle: str, on: dt.date, width: int) -> None:
        """Organisation and "*" top left, the Party top right, place and date, title, "(Tính đến ngày …)"."""
        right = max(width - 6, 6)
        self.put(1, 1, summary_heading.get("organisation") or "ĐẢNG BỘ", bold=True, merge_to=5)
        self.put(2, 1, "*", merge_to=5)
        self.put(1, right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, merge_to=width)
        place = summary_heading.get("place") or "……"
        self.put(3, right, f"{place}, ngày {on.day} tháng {on.month} năm {on.year}", italic=True, merge_to=width)
        self.put(4, 1, title, bold=True, size=14, merge_to=width)
        self.put(5, 1, subtitle, italic=True, merge_to=width)

    def widths(self, widths: Iterable[float]) -> None:
        for column, width in enumerate(widths, 1):
            self.ws.column_dimensions[_letter(column)].width = width

    def table(
        self, row: int, headers: Sequence[str], rows: Iterable[Sequence[Any]], fills: Sequence[str | None] | None = None
    ) -> int:
        """A boxed table: bold headers, then the rows; returns the next free row."""
        for col, text in enumerate(headers, 1):
            self.put(row, col, text, bold=True, size=11, box=True)
        count = 0
        for count, values in enumerate(rows, 1):
            fill = fills[count - 1] if fills else None
            for col, value in enumerate(values, 1):
                shown = _plain(value)
                self.put(
                    row + count,
                    col,
                    shown,
                    size=11,
                    box=True,
                    left=isinstance(shown, str) and col > 1,
                    fill=fill,
                    fmt="dd/mm/yyyy" if isinstance(shown, dt.date) else None,
                )
        return row + 1 + count


class _Formula(str):
    """A string that *is* a formula (ours, e.g. ``=SUM(C10:C19)``), as opposed to text from the data."""


def _plain(value: Any) -> Any:
    if isinstance(value, _Formula):
        return str(value)
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


def _check_xlsx(out: str | Path) -> None:
    if Path(out).suffix.lower() not in {".xlsx", ".xlsm"}:
        raise OutputPathError(
            f'Tệp kết quả {out} phải có đuôi .xlsx (bảng tính Excel). Đặt tên khác, ví dụ "tong_hop.xlsx".',
            f'The output {out} must end in .xlsx (an Excel workbook). Choose a name such as "summary.xlsx".',
            path=str(out),
        )


# --- Summary -------------------------------------------------------------------------------------------------


def _cell_name(name: Any) -> str:
    return "(chưa xác định chi bộ)" if name is None or pd.isna(name) else str(name)


def _cells_sheet(wb: Any, summary: Summary, spec: SummarySpec) -> None:
    sheet = _Sheet(wb.active)
    sheet.ws.title = SHEETS["cells"]
    extras = list(_EXTRA) + (["rows_with_errors"] if summary.with_errors is not None else [])
    width = 2 + 1 + len(_STATUS) + len(_BANDS) + len(_PARTY) + 1 + len(extras)
    sheet.heading(
        dict(summary.heading),
        "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN",
        f"(Tính đến ngày {summary.as_of.strftime('%d/%m/%Y')})",
        summary.as_of,
        width,
    )
    sheet.put(7, 1, "STT", bold=True, size=11, box=True)
    sheet.put(7, 2, "Chi bộ", bold=True, size=11, box=True)
    sheet.put(7, 3, spec.metric_label("total") + " đảng viên", bold=True, size=11, box=True)
    col = 4
    for group, members in (("Trong đó", _STATUS), ("Độ tuổi", _BANDS), ("Tuổi đảng", _PARTY)):
        sheet.put(7, col, group, bold=True, size=11, box=True, merge_to=col + len(members) - 1)
        for key in members:
            entry = spec.data["metrics"][key]
            # under "Tuổi đảng" the short form the group allows ("Từ 30 năm trở lên"), else the usual header
            header = (entry.get("in_group") or {}).get("party_age", [entry["header"]])[0]
            sheet.put(8, col, header, bold=True, size=11, box=True)
            col += 1
    headers = [spec.metric_label("average_age"), *(_EXTRA.get(k, "Số dòng có lỗi") for k in extras)]
    for text in headers:
        sheet.put(7, col, text, bold=True, size=11, box=True)
        col += 1
    for c in (1, 2, 3, *range(col - len(headers), col)):
        sheet.ws.merge_cells(start_row=7, start_column=c, end_row=8, end_column=c)
        sheet.ws.cell(row=8, column=c).border = sheet.box
    for c in range(1, width + 1):
        sheet.put(9, c, f"({c})", italic=True, size=10, box=True)
    keys = ["total", *_STATUS, *_BANDS, *_PARTY]
    counts = summary.counts
    errors = summary.with_errors
    for i, name in enumerate(summary.cells):
        row = _FIRST_ROW + i
        sheet.put(row, 1, i + 1, size=11, box=True)
        sheet.put(row, 2, _cell_name(name), size=11, box=True, left=True)
        values = [
            *(counts.iloc[i][k] for k in keys),
            _average(summary.average_age.iloc[i]),
            *(counts.iloc[i][k] for k in _EXTRA),
        ]
        if errors is not None:
            values.append(errors.iloc[i]["rows"])
        for c, value in enumerate(values, 3):
            sheet.put(row, c, value, size=11, box=True, fmt="0.0" if c == 3 + len(keys) else None)
    total_row = _FIRST_ROW + len(summary.cells)
    sheet.put(total_row, 1, "Tổng cộng", bold=True, size=11, box=True, merge_to=2)
    last = total_row - 1
    for c in range(3, width + 1):
        if c == 3 + len(keys):
            sheet.put(total_row, c, _average(summary.total_average_age), bold=True, size=11, box=True, fmt="0.0")
        else:
            letter = _letter(c)
            sheet.formula(total_row, c, f"=SUM({letter}{_FIRST_ROW}:{letter}{last})", bold=True, size=11, box=True)
    sheet.put(total_row + 2, 2, "Người lập biểu", bold=True)
    sheet.put(total_row + 2, width - 6, "T/M ĐẢNG ỦY", bold=True, merge_to=width)
    sheet.put(total_row + 3, width - 6, "BÍ THƯ", bold=True, merge_to=width)
    sheet.widths([5, 44, *([9] * (width - 2))])
    sheet.ws.freeze_panes = f"C{_FIRST_ROW}"
    sheet.ws.print_title_rows = "7:9"
    sheet.ws.page_setup.orientation = "landscape"
    sheet.ws.page_setup.paperSize = sheet.ws.PAPERSIZE_A4


def _average(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _groups_sheet(wb: Any, summary: Summary, spec: SummarySpec) -> None:
    sheet = _Sheet(wb.create_sheet(SHEETS["groups"]))
    titles = {
        "rank": "Cấp bậc",
        "education": "Học vấn",
        "professional": "Chuyên môn",
        "political_theory": "Lý luận chính trị",
        "party_age": "Tuổi đảng (năm)",
    }
    extra = {"none": "Không ghi", "unknown": "Ngoài danh mục"}
    row = 1
    for name, frame in summary.groups.items():
        labels = spec.group_labels(name)
        sheet.put(row, 1, titles.get(name, name).upper(), bold=True, left=True, merge_to=4)
        headers = ["STT", "Chi bộ", *(labels.get(str(c), extra.get(str(c), str(c))) for c in frame.columns)]
        rows = [[i + 1, _cell_name(cell), *frame.iloc[i].tolist()] for i, cell in enumerate(frame.index)]
        start = row + 2
        sheet.table(row + 1, headers, rows)
        end = start + len(rows) - 1
        total = end + 1
        sheet.put(total, 1, "Tổng cộng", bold=True, size=11, box=True, merge_to=2)
        for c in range(3, len(headers) + 1):
            letter = _letter(c)
            sheet.formula(total, c, f"=SUM({letter}{start}:{letter}{end})", bold=True, size=11, box=True)
        row = total + 3
    sheet.widths([5, 44, *([14] * 8)])


def _reconciliation_sheet(wb: Any, summary: Summary, spec: SummarySpec, lang: str) -> None:
    sheet = _Sheet(wb.create_sheet(SHEETS["reconciliation"]))
    sheet.put(1, 1, "ĐỐI CHIẾU SỐ BÁO CÁO VỚI DANH SÁCH", bold=True, size=14, merge_to=10)
    if summary.declared_file is None:
        sheet.put(3, 1, "Không có số báo cáo để đối chiếu (dùng --declared TỆP).", italic=True, left=True, merge_to=10)
        return
    sheet.put(2, 1, f"Số báo cáo: {summary.declared_file}", italic=True, left=True, merge_to=10)
    if not summary.reconciliation:
        sheet.put(4, 1, "Số báo cáo khớp với danh sách: không có chênh lệch.", bold=True, left=True, merge_to=10)
        return
    headers = [
        "STT",
        "Chi bộ",
        "Chỉ tiêu",
        "Số báo cáo",
        "Số tính từ danh sách",
        "Chênh lệch",
        "Ô",
        "Mã",
        "Đảng viên liên quan",
        "Nội dung",
    ]
    rows, fills = [], []
    for i, d in enumerate(summary.reconciliation, 1):
        place = f"{d.sheet}!{d.ref}" if d.ref else ""
        rows.append(
            [
                i,
                d.cell or "Toàn đảng bộ",
                spec.metric_label(d.metric, lang) if d.metric else "",
                d.declared,
                d.derived,
                d.difference,
                place,
                d.code,
                "; ".join(d.members),
                d.message(lang),
            ]
        )
        fills.append(ORANGE if d.code == "declared-arithmetic" else RED)
    sheet.table(4, headers, rows)
    for i, fill in enumerate(fills):
        for c in (4, 5, 6):
            sheet.put(5 + i, c, rows[i][c - 1], size=11, box=True, fill=fill, bold=c == 6)
    sheet.widths([5, 40, 22, 10, 12, 10, 22, 24, 40, 90])
    sheet.ws.freeze_panes = "A5"


def _organisation_sheet(wb: Any, summary: Summary, lang: str) -> None:
    sheet = _Sheet(wb.create_sheet(SHEETS["organisation"]))
    org = summary.organisation
    congress = {"full": "Đại hội toàn thể đảng viên", "delegate": "Đại hội đại biểu"}.get(
        org.congress or "", "Chưa xác định"
    )
    facts = [
        ("Số đảng viên", org.members),
        ("Đảng viên chính thức", org.official),
        ("Số chi bộ", org.cells),
        ("Mô hình tổ chức", "Đảng bộ cơ sở (từ 30 đảng viên)" if org.party_committee else "Chi bộ cơ sở"),
        (f"Hình thức đại hội nhiệm kỳ {summary.term}", congress),
        ("Chi bộ dưới 3 đảng viên chính thức", ", ".join(f"{c} ({n})" for c, n in org.small_cells) or "Không"),
    ]
    sheet.put(1, 1, "KIỂM TRA TỔ CHỨC", bold=True, size=14, merge_to=3)
    next_row = sheet.table(3, ["Nội dung", "Kết quả"], [list(f) for f in facts])
    if org.issues:
        sheet.table(
            next_row + 1, ["Mức", "Mã", "Nội dung"], [[str(i.severity), i.code, i.message(lang)] for i in org.issues]
        )
    sheet.widths([40, 60, 90])


_LISTS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "badges": (
        "DANH SÁCH ĐẢNG VIÊN ĐỦ TUỔI ĐẢNG NHẬN HUY HIỆU ĐẢNG NĂM {year}",
        "badges",
        [
            ("cell", "Chi bộ"),
            ("full_name", "Họ và tên"),
            ("admitted_on", "Ngày vào Đảng"),
            ("party_years", "Tuổi đảng (năm)"),
            ("anniversary", "Ngày đủ tuổi đảng"),
            ("occasion", "Dịp trao"),
            ("occasion_name", "Nhân dịp"),
            ("ref", "Ô"),
        ],
    ),
    "due": (
        "DANH SÁCH ĐẢNG VIÊN DỰ BỊ ĐẾN HẠN XÉT CHÍNH THỨC (TRONG {days} NGÀY)",
        "due_official",
        [
            ("cell", "Chi bộ"),
            ("full_name", "Họ và tên"),
            ("admitted_on", "Ngày vào Đảng"),
            ("due_on", "Đủ 12 tháng"),
            ("days_left", "Còn (ngày)"),
            ("ref", "Ô"),
        ],
    ),
    "service": (
        "DANH SÁCH ĐẾN HẠN TUỔI PHỤC VỤ TRONG NHIỆM KỲ {term}",
        "service_age",
        [
            ("cell", "Chi bộ"),
            ("full_name", "Họ và tên"),
            ("sex", "Giới tính"),
            ("rank", "Cấp bậc"),
            ("birth_date", "Ngày sinh"),
            ("limit", "Hạn tuổi"),
            ("reaches_on", "Ngày đến hạn"),
            ("law", "Căn cứ"),
            ("ref", "Ô"),
        ],
    ),
}


def _list_sheets(wb: Any, summary: Summary) -> None:
    lists = summary.milestones
    if lists is None:
        return
    for key, (title, attribute, columns) in _LISTS.items():
        sheet = _Sheet(wb.create_sheet(SHEETS[key]))
        frame: pd.DataFrame = getattr(lists, attribute)
        text = title.format(year=lists.year, days=lists.within_days, term=lists.term)
        sheet.put(1, 1, text, bold=True, size=13, merge_to=len(columns) + 1)
        sheet.put(2, 1, f"(Tính đến ngày {lists.as_of.strftime('%d/%m/%Y')})", italic=True, merge_to=len(columns) + 1)
        rows = [
            [
                i + 1,
                *(
                    frame.iloc[i][c] if c != "ref" else f"{frame.iloc[i]['sheet']}!{frame.iloc[i]['ref']}"
                    for c, _ in columns
                ),
            ]
            for i in range(len(frame))
        ]
        if key == "service":
            fills: list[str | None] = [RED if bool(v) else None for v in frame["exceeded"]]
        else:
            days = frame["days_left"].to_list() if "days_left" in frame else [0] * len(frame)
            fills = [RED if int(v) < 0 else None for v in days]
        sheet.table(4, ["STT", *(h for _, h in columns)], rows, fills=fills or None)
        if not rows:
            sheet.put(5, 1, "Không có đảng viên nào.", italic=True, left=True, merge_to=len(columns) + 1)
        sheet.widths([5, 40, 26, *([14] * (len(columns) - 2))])


def _charts_sheet(wb: Any, summary: Summary) -> None:
    from openpyxl.chart import BarChart, Reference, Series

    ws = wb.create_sheet(SHEETS["charts"])
    cells = wb[SHEETS["cells"]]
    n = len(summary.cells)
    status = BarChart()
    status.type, status.grouping, status.overlap = "bar", "stacked", 100
    status.title = "Đảng viên theo chi bộ (chính thức / dự bị)"
    status.y_axis.title = "Số đảng viên"
    # one series per status, its values from the cell rows only (the numbering row sits between header and data)
    for column, title in ((4, "Chính thức"), (5, "Dự bị")):
        values = Reference(cells, min_col=column, min_row=_FIRST_ROW, max_row=_FIRST_ROW + n - 1)
        status.series.append(Series(values, title=title))
    status.set_categories(Reference(cells, min_col=2, min_row=_FIRST_ROW, max_row=_FIRST_ROW + n - 1))
    status.height, status.width = 12, 24
    ws.add_chart(status, "A1")
    sheet = _Sheet(ws)
    by_sex = summary.age_by_sex
    top = 28
    bands = zip(_BANDS, ("≤ 30", "31 – 40", "41 – 50", "51 – 60", "≥ 61"), strict=True)
    sheet.table(
        top,
        ["Độ tuổi", *(str(c) for c in by_sex.columns)],
        [[label, *by_sex.to_dict("index")[key].values()] for key, label in bands],
    )
    ages = BarChart()
    ages.type, ages.grouping = "col", "clustered"
    ages.title = "Độ tuổi theo giới tính"
    ages.y_axis.title = "Số đảng viên"
    ages.add_data(
        Reference(ws, min_col=2, max_col=1 + len(by_sex.columns), min_row=top, max_row=top + len(_BANDS)),
        titles_from_data=True,
    )
    ages.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(_BANDS)))
    ages.height, ages.width = 10, 18
    ws.add_chart(ages, f"A{top + len(_BANDS) + 3}")
    sheet.widths([14, 10, 10])


def write_summary_workbook(
    summary: Summary,
    out: str | Path,
    *,
    inputs: Iterable[str | Path] = (),
    lang: str = "vi",
    summary_spec: SummarySpec | None = None,
) -> Path:
    """Write the summary workbook: per-cell counts as a Party document, breakdowns, reconciliation, lists, charts.

    Args:
        summary: what :func:`~dangvien_data.report.summary.summarise` (or ``summarise_files``) returned.
        out: the ``.xlsx`` to write; replaced whole, atomically.
        inputs: the input files, which ``out`` must not be (``summary.files`` and the declared file are added).
        lang: the language of the messages in the reconciliation and organisation sheets.
        summary_spec: default schemas/summary.yaml.

    Returns:
        The path written.

    Raises:
        OutputPathError: ``out`` is an input, is not ``.xlsx``, or its folder cannot be written.

    Example:
        >>> write_summary_workbook(summarise_files(["danh_sach.xlsx"]), "tong_hop.xlsx")  # doctest: +SKIP
    """
    out, lang = options.output(out, "out"), options.lang(lang)
    from openpyxl import Workbook

    _check_xlsx(out)
    spec = summary_spec or load_summary_spec()
    wb = Workbook()
    _cells_sheet(wb, summary, spec)
    _groups_sheet(wb, summary, spec)
    _reconciliation_sheet(wb, summary, spec, lang)
    _organisation_sheet(wb, summary, lang)
    _list_sheets(wb, summary)
    _charts_sheet(wb, summary)
    given = [*inputs, *summary.files, *([summary.declared_file] if summary.declared_file else [])]
    return atomic_write(out, wb.save, inputs=given)


# --- Roll-forward -------------------------------------------------------------------------------------------

_ROLL_HEADERS = {
    "start": "Đầu kỳ",
    "moved_in": "Chuyển nội bộ đến",
    "moved_out": "Chuyển nội bộ đi",
    "expected_end": "Đầu kỳ + vào − ra",
    "end": "Cuối kỳ (danh sách)",
    "arrived": "Mới có tên",
    "departed": "Không còn tên",
    "became_official": "Dự bị → chính thức",
}
_KIND = {
    "arrival": "Mới có tên",
    "departure": "Không còn tên",
    "move": "Chuyển chi bộ",
    "became_official": "Dự bị → chính thức",
}


def write_rollforward_workbook(
    result: RollForward,
    out: str | Path,
    *,
    inputs: Iterable[str | Path] = (),
    lang: str = "vi",
    summary_spec: SummarySpec | None = None,
) -> Path:
    """Write the roll-forward: per-cell movements with start + in − out against the end, and every change.

    Args:
        result: what :func:`~dangvien_data.report.reconcile.roll_forward` (or ``reconcile_files``) returned.
        out: the ``.xlsx`` to write; replaced whole, atomically.
        inputs: the input files, which ``out`` must not be.
        lang: the language of the messages.
        summary_spec: default schemas/summary.yaml.

    Returns:
        The path written.

    Raises:
        OutputPathError: ``out`` is an input, is not ``.xlsx``, or its folder cannot be written.
    """
    out, lang = options.output(out, "out"), options.lang(lang)
    from openpyxl import Workbook

    _check_xlsx(out)
    spec = summary_spec or load_summary_spec()
    categories = spec.data["movements"]["categories"]
    wb = Workbook()
    sheet = _Sheet(wb.active)
    sheet.ws.title = SHEETS["rollforward"]
    table = result.cells
    headers = ["STT", "Chi bộ", *(_ROLL_HEADERS.get(c) or categories.get(c, {}).get("label", c) for c in table.columns)]
    width = len(headers)
    period = f"(Từ ngày {result.as_of_before.strftime('%d/%m/%Y')} đến ngày {result.as_of_after.strftime('%d/%m/%Y')})"
    sheet.heading(dict(result.heading), "BÁO CÁO BIẾN ĐỘNG ĐẢNG VIÊN", period, result.as_of_after, width)
    rows = [[i + 1, _cell_name(c), *table.iloc[i].tolist()] for i, c in enumerate(table.index)]
    sheet.table(7, headers, rows)
    bad = {d.cell for d in result.differences}
    expected, end = 3 + list(table.columns).index("expected_end"), 3 + list(table.columns).index("end")
    for i, cell in enumerate(table.index):
        if str(cell) in bad:
            for c in (expected, end):
                sheet.put(8 + i, c, rows[i][c - 1], size=11, box=True, fill=RED, bold=True)
    total = 8 + len(rows)
    sheet.put(total, 1, "Tổng cộng", bold=True, size=11, box=True, merge_to=2)
    for c in range(3, width + 1):
        letter = _letter(c)
        sheet.formula(total, c, f"=SUM({letter}8:{letter}{total - 1})", bold=True, size=11, box=True)
    sheet.widths([5, 44, *([11] * (width - 2))])
    sheet.ws.freeze_panes = "C8"
    sheet.ws.page_setup.orientation = "landscape"
    changes = _Sheet(wb.create_sheet(SHEETS["changes"]))
    frame = result.changes
    change_rows = [
        [
            i + 1,
            _KIND.get(str(r.kind), str(r.kind)),
            r.member,
            r.cell_before,
            r.cell_after,
            categories.get(str(r.category), {}).get("label") if isinstance(r.category, str) else None,
            r.movement_place,
            r.place_before,
            r.place_after,
            "Có" if r.explained else "KHÔNG",
        ]
        for i, r in enumerate(frame.itertuples(index=False))
    ]
    changes.table(
        1,
        [
            "STT",
            "Thay đổi",
            "Họ và tên",
            "Chi bộ (đầu kỳ)",
            "Chi bộ (cuối kỳ)",
            "Biến động",
            "Dòng biến động",
            "Ô (đầu kỳ)",
            "Ô (cuối kỳ)",
            "Giải thích được",
        ],
        change_rows,
        fills=[None if r.explained else RED for r in frame.itertuples(index=False)] or None,
    )
    changes.widths([5, 18, 26, 40, 40, 24, 18, 16, 16, 12])
    problems = _Sheet(wb.create_sheet(SHEETS["issues"]))
    records = [*(d.to_dict(lang) for d in result.differences), *(i.to_dict(lang) for i in result.issues)]
    problems.table(
        1,
        ["Mã", "Tệp", "Trang", "Ô", "Chi bộ", "Đảng viên", "Nội dung"],
        [[r["code"], r["file"], r["sheet"], r["ref"], r["cell"], r.get("member"), r["message"]] for r in records],
    )
    if not records:
        problems.put(
            2,
            1,
            "Mọi thay đổi đều được giải thích; đầu kỳ + vào − ra = cuối kỳ ở mọi chi bộ.",
            italic=True,
            left=True,
            merge_to=7,
        )
    problems.widths([24, 30, 14, 8, 40, 24, 100])
    given = [
        *inputs,
        *result.files_before,
        *result.files_after,
        *([result.movements_file] if result.movements_file else []),
    ]
    return atomic_write(out, wb.save, inputs=given)
