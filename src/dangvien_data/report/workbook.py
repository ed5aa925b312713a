"""The summary and roll-forward workbooks: counts per cell laid out and printed as Party documents (XlsxWriter).

The per-cell sheet uses the same two-row header as a declared summary sheet, so it can itself be read back
with :func:`~dangvien_data.report.declared.read_declared`. Totals are live ``SUM`` formulas with their values
cached (:mod:`dangvien_data.io.document`), so pandas and openpyxl ``data_only=True`` read them too. Text that
Excel would take for a formula (``=``, ``+``, ``-``, ``@``) is stored as text. Every sheet prints on A4, one
page wide, with the margins of Decree 30/2020/NĐ-CP. The file is written atomically beside its final name and
never over an input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dangvien_data import options
from dangvien_data.errors import OutputPathError
from dangvien_data.io.document import FONT, Document, Page
from dangvien_data.io.output import atomic_write
from dangvien_data.report.summary import AGE_BANDS, Summary, SummarySpec, load_summary_spec

if TYPE_CHECKING:
    from dangvien_data.report.rollforward import RollForward

__all__ = ["SHEETS", "write_rollforward_workbook", "write_summary_workbook"]

SHEETS = {
    "cells": "Tổng hợp",
    "groups": "Phân loại",
    "reconciliation": "Đối chiếu",
    "organisation": "Tổ chức",
    "badges": "Huy hiệu Đảng",
    "due": "Đến hạn chính thức",
    "service": "Hạn tuổi phục vụ",
    "undetermined": "Chưa xác định",
    "charts": "Biểu đồ",
    "rollforward": "Biến động",
    "changes": "Chi tiết biến động",
    "issues": "Vấn đề",
}
RED, ORANGE, GREY = "FFC7CE", "FFE699", "D9D9D9"
_FIRST_ROW = 10  # the first cell row, as Excel numbers it: rows 1–5 heading, 7–8 header, 9 numbering
_BANDS = tuple(key for key, _, _ in AGE_BANDS)
_PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"

# (Vietnamese, English) of every label the workbooks print.
_L: dict[str, tuple[str, str]] = {
    "title": ("BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN", "PARTY MEMBERSHIP REPORT: NUMBERS AND PROFILE"),
    "as_of": ("(Tính đến ngày {d})", "(As of {d})"),
    "place_date": ("{place}, ngày {day} tháng {month} năm {year}", "{place}, {d}"),
    "organisation": ("ĐẢNG BỘ", "PARTY ORGANISATION"),
    "seq": ("STT", "No."),
    "cell": ("Chi bộ", "Cell"),
    "members": ("{total} đảng viên", "{total} members"),
    "of_which": ("Trong đó", "Of which"),
    "profile": ("Cơ cấu", "Profile"),
    "ages": ("Độ tuổi", "Age"),
    "party_age": ("Tuổi đảng", "Party age"),
    "status_unknown": ("Chưa xác định", "Not determined"),
    "sex_unknown": ("Chưa rõ giới tính", "Sex not known"),
    "age_unknown": ("Chưa rõ tuổi", "Age not known"),
    "rows_with_errors": ("Số dòng có lỗi", "Rows with errors"),
    "total": ("Tổng cộng", "Total"),
    "no_cell": ("(chưa xác định chi bộ)", "(cell not known)"),
    "maker": ("Người lập biểu", "Prepared by"),
    "sign": ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    "committee": ("T/M ĐẢNG ỦY", "FOR THE PARTY COMMITTEE"),
    "secretary": ("BÍ THƯ", "SECRETARY"),
    "legend_sum": (
        "Ghi chú: cột ({t}) = ({a}) + ({b}) + ({c}) = tổng các cột độ tuổi ({d})–({e}). Chưa xác định: không đủ "
        'căn cứ để tính chính thức hay dự bị (thiếu ngày, hoặc vào Đảng sau ngày tính); các dòng ở trang "{sheet}".',
        "Note: column ({t}) = ({a}) + ({b}) + ({c}) = the sum of the age columns ({d})–({e}). Not determined: "
        "official or probationary cannot be told (no date, or admitted after the as-of date); the rows are on "
        'sheet "{sheet}".',
    ),
    "legend_age": (
        "Độ tuổi và tuổi đảng tính đủ năm đến ngày tính; tuổi bình quân chỉ tính các đảng viên có ngày sinh.",
        "Age and Party age in whole years at the as-of date; the average age counts members with a birth date.",
    ),
    "groups_title": ("PHÂN LOẠI ĐẢNG VIÊN THEO CHI BỘ", "MEMBERS PER CELL BY CATEGORY"),
    "none": ("Không ghi", "Not given"),
    "unknown": ("Ngoài danh mục", "Not in the code list"),
    "rank": ("Cấp bậc", "Rank"),
    "education": ("Học vấn", "Education"),
    "professional": ("Chuyên môn", "Professional qualification"),
    "political_theory": ("Lý luận chính trị", "Political theory"),
    "party_age_years": ("Tuổi đảng (năm)", "Party age (years)"),
    "rec_title": ("ĐỐI CHIẾU SỐ BÁO CÁO VỚI DANH SÁCH", "DECLARED FIGURES AGAINST THE ROSTER"),
    "rec_none": ("Không có số báo cáo để đối chiếu (dùng --declared TỆP).", "No declared sheet (use --declared FILE)."),
    "rec_file": ("Số báo cáo: {f}", "Declared sheet: {f}"),
    "rec_ok": ("Số báo cáo khớp với danh sách: không có chênh lệch.", "The declared figures agree with the roster."),
    "metric": ("Chỉ tiêu", "Figure"),
    "declared": ("Số báo cáo", "Declared"),
    "derived": ("Số tính từ danh sách", "From the roster"),
    "difference": ("Chênh lệch", "Difference"),
    "place": ("Ô", "Cell ref"),
    "code": ("Mã", "Code"),
    "related": ("Đảng viên liên quan", "Members concerned"),
    "message": ("Nội dung", "Message"),
    "whole": ("Toàn đảng bộ", "Whole organisation"),
    "rec_legend": (
        "Chênh lệch = số báo cáo − số tính từ danh sách. Đỏ: số sai; cam: số báo cáo cộng không khớp với chính nó.",
        "Difference = declared − derived. Red: a wrong figure; amber: the declared sheet does not add up.",
    ),
    "org_title": ("KIỂM TRA TỔ CHỨC", "ORGANISATION CHECKS"),
    "item": ("Nội dung", "Item"),
    "result": ("Kết quả", "Result"),
    "severity": ("Mức", "Severity"),
    "org_members": ("Số đảng viên", "Members"),
    "org_official": ("Đảng viên chính thức", "Official members"),
    "org_cells": ("Số chi bộ", "Cells"),
    "org_model": ("Mô hình tổ chức", "Organisation type"),
    "org_committee": ("Đảng bộ cơ sở (từ 30 đảng viên)", "Grassroots Party committee (30 members or more)"),
    "org_cell": ("Chi bộ cơ sở", "Grassroots cell"),
    "org_congress": ("Hình thức đại hội nhiệm kỳ {term}", "Congress type, term {term}"),
    "congress_full": ("Đại hội toàn thể đảng viên", "All-member congress"),
    "congress_delegate": ("Đại hội đại biểu", "Delegate congress"),
    "congress_unknown": ("Chưa xác định", "Not determined"),
    "org_small": ("Chi bộ dưới 3 đảng viên chính thức", "Cells with fewer than 3 official members"),
    "no": ("Không", "None"),
    "nobody": ("Không có đảng viên nào.", "No member."),
    "und_title": (
        "DANH SÁCH ĐẢNG VIÊN CHƯA XÁC ĐỊNH ĐƯỢC CHÍNH THỨC/DỰ BỊ, GIỚI TÍNH HOẶC TUỔI",
        "MEMBERS WHOSE STATUS, SEX OR AGE CANNOT BE DETERMINED",
    ),
    "full_name": ("Họ và tên", "Full name"),
    "und_status": ("Chính thức/dự bị", "Status"),
    "und_sex": ("Giới tính", "Sex"),
    "und_age": ("Tuổi", "Age"),
    "und_mark": ("chưa xác định", "not determined"),
    "charts_title": ("BIỂU ĐỒ", "CHARTS"),
    "chart_status": ("Đảng viên theo chi bộ (chính thức / dự bị)", "Members per cell (official / probationary)"),
    "chart_ages": ("Độ tuổi theo giới tính", "Age by sex"),
    "chart_axis": ("Số đảng viên", "Members"),
    "official": ("Chính thức", "Official"),
    "probationary": ("Dự bị", "Probationary"),
    "roll_title": ("BÁO CÁO BIẾN ĐỘNG ĐẢNG VIÊN", "PARTY MEMBERSHIP MOVEMENTS"),
    "period": ("(Từ ngày {a} đến ngày {b})", "(From {a} to {b})"),
    "changes_title": ("CHI TIẾT BIẾN ĐỘNG", "CHANGES IN DETAIL"),
    "issues_title": ("VẤN ĐỀ CẦN XỬ LÝ", "PROBLEMS TO RESOLVE"),
    "roll_ok": (
        "Mọi thay đổi đều được giải thích; đầu kỳ + vào − ra = cuối kỳ ở mọi chi bộ.",
        "Every change is explained; start + in − out = end in every cell.",
    ),
    "roll_legend": (
        "Đầu kỳ + vào − ra (theo danh sách biến động) phải bằng cuối kỳ (theo danh sách); ô đỏ: không bằng.",
        "Start + in − out (from the movements) must equal the end (from the roster); red: they differ.",
    ),
    "file": ("Tệp", "File"),
    "sheet": ("Trang", "Sheet"),
    "member": ("Đảng viên", "Member"),
    "yes": ("Có", "Yes"),
    "not_explained": ("KHÔNG", "NO"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    vi, en = _L[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def _check_xlsx(out: str | Path) -> None:
    if Path(out).suffix.lower() not in {".xlsx", ".xlsm"}:
        raise OutputPathError(
            f'Tệp kết quả {out} phải có đuôi .xlsx (bảng tính Excel). Đặt tên khác, ví dụ "tong_hop.xlsx".',
            f'The output {out} must end in .xlsx (an Excel workbook). Choose a name such as "summary.xlsx".',
            path=str(out),
        )


def _cell_name(name: Any, lang: str = "vi") -> str:
    return _t("no_cell", lang) if name is None or pd.isna(name) else str(name)


def _number(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value.item() if hasattr(value, "item") else value


def _totals(
    page: Page, row: int, first: int, last: int, columns: Iterable[int], values: Sequence[Sequence[Any]]
) -> None:
    """``=SUM`` of rows ``first``–``last`` (0-based) in each of ``columns``, its value cached."""
    for c in columns:
        letter = page.column(c)
        total = sum(int(_number(v[c]) or 0) for v in values)
        page.formula(row, c, f"=SUM({letter}{first + 1}:{letter}{last + 1})", total, bold=True, size=11, box=True)


def _place_date(heading: dict[str, str], on: dt.date, lang: str) -> str:
    place = heading.get("place") or "……"
    return _t("place_date", lang, place=place, day=on.day, month=on.month, year=on.year, d=on.strftime("%d/%m/%Y"))


# --- Summary -------------------------------------------------------------------------------------------------


def _columns(summary: Summary, spec: SummarySpec, lang: str) -> list[tuple[str | None, str, str]]:
    """(group, header, key) of each figure column of the per-cell sheet, left to right."""

    def label(key: str) -> str:
        if lang == "en":
            return spec.metric_label(key, "en")
        entry = spec.data["metrics"][key]
        # under "Tuổi đảng" the short form the group allows ("Từ 30 năm trở lên"), else the usual header
        return str((entry.get("in_group") or {}).get("party_age", [entry["header"]])[0])

    of_which, profile = _t("of_which", lang), _t("profile", lang)
    ages, party = _t("ages", lang), _t("party_age", lang)
    cols: list[tuple[str | None, str, str]] = [
        (None, _t("members", lang, total=spec.metric_label("total", lang)), "total"),
        (of_which, label("official"), "official"),
        (of_which, label("probationary"), "probationary"),
        (of_which, _t("status_unknown", lang), "status_unknown"),
        (profile, label("women"), "women"),
        (profile, _t("sex_unknown", lang), "sex_unknown"),
        (profile, label("ethnic_minority"), "ethnic_minority"),
        (profile, label("religious"), "religious"),
        *((ages, label(k), k) for k in _BANDS),
        (ages, _t("age_unknown", lang), "age_unknown"),
        (party, label("party_age_30_or_more"), "party_age_30_or_more"),
        (party, label("party_age_40_or_more"), "party_age_40_or_more"),
        (None, spec.metric_label("average_age", lang), "average_age"),
    ]
    if summary.with_errors is not None:
        cols.append((None, _t("rows_with_errors", lang), "rows_with_errors"))
    return cols


def _cells_sheet(doc: Document, summary: Summary, spec: SummarySpec, lang: str) -> None:
    page = doc.page(SHEETS["cells"])
    columns = _columns(summary, spec, lang)
    width = 2 + len(columns)
    # wide enough for the longest word of each header, so that no word breaks inside ("Probationary")
    page.set_widths([5, 34, *(max(8.5, max(len(w) for w in header.split()) + 2.0) for _, header, _ in columns)])
    page.heading(
        dict(summary.heading).get("organisation") or _t("organisation", lang),
        _place_date(dict(summary.heading), summary.as_of, lang),
        _t("title", lang),
        _t("as_of", lang, d=summary.as_of.strftime("%d/%m/%Y")),
        width,
        party=_PARTY_NAME,
    )
    head = _FIRST_ROW - 4  # 0-based row of the upper header
    page.put(head, 0, _t("seq", lang), bold=True, size=11, box=True, down_to=head + 1)
    page.put(head, 1, _t("cell", lang), bold=True, size=11, box=True, down_to=head + 1)
    col = 2
    while col < width:
        group, header, _ = columns[col - 2]
        if group is None:
            page.put(head, col, header, bold=True, size=11, box=True, down_to=head + 1)
            col += 1
            continue
        span = col
        while span + 1 < width and columns[span + 1 - 2][0] == group:
            span += 1
        page.put(head, col, group, bold=True, size=11, box=True, merge_to=span)
        for c in range(col, span + 1):
            page.put(head + 1, c, columns[c - 2][1], bold=True, size=11, box=True)
        col = span + 1
    for c in range(width):
        page.put(head + 2, c, f"({c + 1})", italic=True, size=10, box=True)
    page.repeat(head, head + 2)
    data = summary.to_dict(lang, spec)
    values: list[list[Any]] = []
    for i, (name, figures) in enumerate(zip(summary.cells, data["cells"], strict=True)):
        row = [i + 1, _cell_name(name, lang), *(figures.get(key) for _, _, key in columns)]
        values.append(row)
        for c, value in enumerate(row):
            fmt = None if c < 2 else "0.0" if columns[c - 2][2] == "average_age" else "#,##0"
            page.put(_FIRST_ROW - 1 + i, c, value, size=11, box=True, left=c == 1, fmt=fmt)
    total_row = _FIRST_ROW - 1 + len(values)
    page.put(total_row, 0, _t("total", lang), bold=True, size=11, box=True, merge_to=1)
    average = next(c + 2 for c, (_, _, key) in enumerate(columns) if key == "average_age")
    page.put(total_row, average, data["total"]["average_age"], bold=True, size=11, box=True, fmt="0.0")
    summed = [c for c in range(2, width) if c != average]
    if values:
        _totals(page, total_row, _FIRST_ROW - 1, total_row - 1, summed, values)
    else:
        for c in summed:
            page.put(total_row, c, 0, bold=True, size=11, box=True)
    number = {key: c + 3 for c, (_, _, key) in enumerate(columns)}
    legend = [
        _t("legend_sum", lang, t=number["total"], a=number["official"], b=number["probationary"],
           c=number["status_unknown"], d=number[_BANDS[0]], e=number["age_unknown"], sheet=SHEETS["undetermined"]),
        _t("legend_age", lang),
    ]  # fmt: skip
    below = page.legend(total_row + 1, legend, width)
    page.signature(
        below, [_t("maker", lang), _t("sign", lang)], [_t("committee", lang), _t("secretary", lang), _t("sign", lang)],
        width,
    )  # fmt: skip
    page.freeze(_FIRST_ROW - 1, 2)


def _groups_sheet(doc: Document, summary: Summary, spec: SummarySpec, lang: str) -> None:
    page = doc.page(SHEETS["groups"])
    widest = max([len(f.columns) for f in summary.groups.values()] + [1])
    page.set_widths([5, 34, *([11] * widest)])
    row = page.title(
        0, _t("groups_title", lang), 2 + widest, subtitle=_t("as_of", lang, d=summary.as_of.strftime("%d/%m/%Y"))
    )
    titles = {"party_age": "party_age_years"}
    for name, frame in summary.groups.items():
        labels = spec.group_labels(name, lang)
        page.put(row, 0, _t(titles.get(name, name), lang).upper() if (titles.get(name, name)) in _L else name,
                 bold=True, left=True, merge_to=1 + len(frame.columns))  # fmt: skip
        headers = [
            _t("seq", lang),
            _t("cell", lang),
            *(
                labels.get(str(c)) or (_t(str(c), lang) if str(c) in ("none", "unknown") else str(c))
                for c in frame.columns
            ),
        ]
        rows = [[i + 1, _cell_name(cell, lang), *frame.iloc[i].tolist()] for i, cell in enumerate(frame.index)]
        end = page.table(row + 1, headers, rows)
        page.put(end, 0, _t("total", lang), bold=True, size=11, box=True, merge_to=1)
        if rows:
            _totals(page, end, row + 2, end - 1, range(2, len(headers)), rows)
        row = end + 2


def _reconciliation_sheet(doc: Document, summary: Summary, spec: SummarySpec, lang: str) -> None:
    page = doc.page(SHEETS["reconciliation"])
    widths = [5, 28, 16, 9, 10, 9, 18, 20, 22, 55]
    page.set_widths(widths)
    page.put(0, 0, _t("rec_title", lang), bold=True, size=14, merge_to=len(widths) - 1)
    if summary.declared_file is None:
        page.put(2, 0, _t("rec_none", lang), italic=True, left=True, merge_to=len(widths) - 1)
        return
    page.put(1, 0, _t("rec_file", lang, f=summary.declared_file), italic=True, left=True, merge_to=len(widths) - 1)
    if not summary.reconciliation:
        page.put(3, 0, _t("rec_ok", lang), bold=True, left=True, merge_to=len(widths) - 1)
        return
    headers = [_t(k, lang) for k in ("seq", "cell", "metric", "declared", "derived", "difference", "place", "code",
                                     "related", "message")]  # fmt: skip
    rows, fills = [], []
    for i, d in enumerate(summary.reconciliation, 1):
        place = f"{d.sheet}!{d.ref}" if d.ref else ""
        metric = spec.metric_label(d.metric, lang) if d.metric else ""
        # the declared sheet's own total line ("Tổng cộng") is named in the language of the document
        total_line = d.params.get("where_en") == "Total row" and d.cell == d.params.get("where")
        cell = _t("total", lang) if total_line else d.cell or _t("whole", lang)
        rows.append([i, cell, metric, d.declared, d.derived, d.difference, place, d.code,
                     "; ".join(d.members), d.message(lang)])  # fmt: skip
        fills.append(ORANGE if d.code == "declared-arithmetic" else RED)
    end = page.table(3, headers, rows)
    for i, fill in enumerate(fills):
        for c in (3, 4, 5):
            page.put(4 + i, c, rows[i][c], size=11, box=True, fill=fill, bold=c == 5)
    page.legend(end + 1, [_t("rec_legend", lang)], len(widths))
    page.freeze(4)


def _organisation_sheet(doc: Document, summary: Summary, lang: str) -> None:
    page = doc.page(SHEETS["organisation"])
    page.set_widths([36, 50, 60])
    org = summary.organisation
    congress = _t(f"congress_{org.congress or 'unknown'}", lang)
    facts = [
        (_t("org_members", lang), org.members),
        (_t("org_official", lang), org.official),
        (_t("org_cells", lang), org.cells),
        (_t("org_model", lang), _t("org_committee" if org.party_committee else "org_cell", lang)),
        (_t("org_congress", lang, term=summary.term), congress),
        (_t("org_small", lang), ", ".join(f"{c} ({n})" for c, n in org.small_cells) or _t("no", lang)),
    ]
    page.put(0, 0, _t("org_title", lang), bold=True, size=14, merge_to=2)
    end = page.table(2, [_t("item", lang), _t("result", lang)], [list(f) for f in facts], left_from=0)
    if org.issues:
        from dangvien_data.report.render import severity_label

        rows = [[severity_label(i.severity, lang), i.code, i.message(lang)] for i in org.issues]
        page.table(end + 1, [_t("severity", lang), _t("code", lang), _t("message", lang)], rows, left_from=1)


_LISTS: dict[str, tuple[tuple[str, str], str, list[tuple[str, tuple[str, str]]]]] = {
    "badges": (
        ("DANH SÁCH ĐẢNG VIÊN ĐỦ TUỔI ĐẢNG NHẬN HUY HIỆU ĐẢNG NĂM {year}", "MEMBERS DUE A PARTY BADGE IN {year}"),
        "badges",
        [
            ("cell", ("Chi bộ", "Cell")),
            ("full_name", ("Họ và tên", "Full name")),
            ("admitted_on", ("Ngày vào Đảng", "Admitted on")),
            ("party_years", ("Tuổi đảng (năm)", "Party age (years)")),
            ("anniversary", ("Ngày đủ tuổi đảng", "Anniversary")),
            ("occasion", ("Dịp trao", "Awarded on")),
            ("occasion_name", ("Nhân dịp", "Occasion")),
            ("ref", ("Ô", "Cell ref")),
        ],
    ),
    "due": (
        (
            "DANH SÁCH ĐẢNG VIÊN DỰ BỊ ĐẾN HẠN XÉT CHÍNH THỨC (TRONG {days} NGÀY)",
            "PROBATIONARY MEMBERS DUE FOR OFFICIAL RECOGNITION (WITHIN {days} DAYS)",
        ),
        "due_official",
        [
            ("cell", ("Chi bộ", "Cell")),
            ("full_name", ("Họ và tên", "Full name")),
            ("admitted_on", ("Ngày vào Đảng", "Admitted on")),
            ("due_on", ("Đủ 12 tháng", "12 months on")),
            ("days_left", ("Còn (ngày)", "Days left")),
            ("ref", ("Ô", "Cell ref")),
        ],
    ),
    "service": (
        ("DANH SÁCH ĐẾN HẠN TUỔI PHỤC VỤ TRONG NHIỆM KỲ {term}", "SERVICE-AGE LIMITS REACHED IN THE {term} TERM"),
        "service_age",
        [
            ("cell", ("Chi bộ", "Cell")),
            ("full_name", ("Họ và tên", "Full name")),
            ("sex", ("Giới tính", "Sex")),
            ("rank", ("Cấp bậc", "Rank")),
            ("birth_date", ("Ngày sinh", "Born")),
            ("limit", ("Hạn tuổi", "Limit")),
            ("reaches_on", ("Ngày đến hạn", "Reached on")),
            ("law", ("Căn cứ", "Legal basis")),
            ("ref", ("Ô", "Cell ref")),
        ],
    ),
}


def _list_value(frame: pd.DataFrame, i: int, column: str, lang: str) -> Any:
    if column == "ref":
        return f"{frame.iloc[i]['sheet']}!{frame.iloc[i]['ref']}"
    if column == "occasion_name" and lang == "en" and "occasion_name_en" in frame:
        return frame.iloc[i]["occasion_name_en"]
    if column == "limit" and lang == "en":
        return str(frame.iloc[i][column]).replace(" tuổi", " years").replace(" tháng", " months")
    return frame.iloc[i][column]


def _list_sheets(doc: Document, summary: Summary, lang: str) -> None:
    lists = summary.milestones
    if lists is None:
        return
    for key, (title, attribute, columns) in _LISTS.items():
        page = doc.page(SHEETS[key])
        page.set_widths([5, 30, 24, *([13] * (len(columns) - 2))])
        frame: pd.DataFrame = getattr(lists, attribute)
        text = (title[1] if lang == "en" else title[0]).format(year=lists.year, days=lists.within_days, term=lists.term)
        row = page.title(0, text, len(columns) + 1, subtitle=_t("as_of", lang, d=lists.as_of.strftime("%d/%m/%Y")))
        rows = [[i + 1, *(_list_value(frame, i, c, lang) for c, _ in columns)] for i in range(len(frame))]
        if key == "service":
            fills: list[str | None] = [RED if bool(v) else None for v in frame["exceeded"]]
        else:
            days = frame["days_left"].to_list() if "days_left" in frame else [0] * len(frame)
            fills = [RED if int(v) < 0 else None for v in days]
        headers = [_t("seq", lang), *(h[1] if lang == "en" else h[0] for _, h in columns)]
        page.table(row, headers, rows, fills=fills or None)
        if not rows:
            page.put(row + 1, 0, _t("nobody", lang), italic=True, left=True, merge_to=len(columns))


def _undetermined_sheet(doc: Document, summary: Summary, lang: str) -> None:
    page = doc.page(SHEETS["undetermined"])
    page.set_widths([5, 30, 26, 16, 14, 14, 16])
    row = page.title(0, _t("und_title", lang), 7, subtitle=_t("as_of", lang, d=summary.as_of.strftime("%d/%m/%Y")))
    frame = summary.undetermined if summary.undetermined is not None else pd.DataFrame()
    mark = _t("und_mark", lang)
    rows = [
        [i + 1, _cell_name(r.cell, lang), r.full_name, f"{r.sheet}!{r.ref}", *(mark if bool(getattr(r, k)) else None
                                                                              for k in ("status", "sex", "age"))]
        for i, r in enumerate(frame.itertuples(index=False))
    ]  # fmt: skip
    headers = [_t(k, lang) for k in ("seq", "cell", "full_name", "place", "und_status", "und_sex", "und_age")]
    page.table(row, headers, rows)
    if not rows:
        page.put(row + 1, 0, _t("nobody", lang), italic=True, left=True, merge_to=6)


def _charts_sheet(doc: Document, summary: Summary, lang: str) -> None:
    """Both charts and the figures of the second on one landscape page."""
    page = doc.page(SHEETS["charts"])
    page.landscape, page.one_page = True, True
    page.set_widths([14, *([10] * 14)])
    page.put(0, 0, _t("charts_title", lang), bold=True, size=14, merge_to=14)
    cells = SHEETS["cells"]
    n = len(summary.cells)
    first, last = _FIRST_ROW - 1, _FIRST_ROW - 2 + max(n, 1)
    font = {"name": FONT, "size": 10}
    status = doc.book.add_chart({"type": "bar", "subtype": "stacked"})
    # one series per status, its values from the cell rows only (the numbering row sits between header and data)
    for column, key in ((3, "official"), (4, "probationary"), (5, "status_unknown")):
        status.add_series({"name": _t(key, lang), "categories": [cells, first, 1, last, 1],
                           "values": [cells, first, column, last, column], "gap": 60})  # fmt: skip
    status.set_title({"name": _t("chart_status", lang), "name_font": {"name": FONT, "size": 12}})
    status.set_x_axis({"name": _t("chart_axis", lang), "num_font": font, "name_font": font})
    status.set_y_axis({"num_font": font, "reverse": True})
    status.set_legend({"position": "bottom", "font": font})
    status.set_size({"width": 1000, "height": 360})
    page.ws.insert_chart(2, 0, status)
    by_sex = summary.age_by_sex
    top = 21
    bands = zip(_BANDS, ("≤ 30", "31 – 40", "41 – 50", "51 – 60", "≥ 61"), strict=True)
    page.table(
        top,
        [_t("ages", lang), *(str(c) for c in by_sex.columns)],
        [[label, *by_sex.to_dict("index")[key].values()] for key, label in bands],
        left_from=9,
    )
    ages = doc.book.add_chart({"type": "column"})
    for i in range(1, len(by_sex.columns) + 1):
        ages.add_series({"name": [SHEETS["charts"], top, i], "categories": [SHEETS["charts"], top + 1, 0, top + 5, 0],
                         "values": [SHEETS["charts"], top + 1, i, top + 5, i]})  # fmt: skip
    ages.set_title({"name": _t("chart_ages", lang), "name_font": {"name": FONT, "size": 12}})
    ages.set_y_axis({"name": _t("chart_axis", lang), "num_font": font, "name_font": font})
    ages.set_x_axis({"num_font": font})
    ages.set_legend({"position": "bottom", "font": font})
    ages.set_size({"width": 640, "height": 300})
    page.ws.insert_chart(top, 4, ages)
    page.print_area(top + 16, 14)


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
        lang: the language of every label and message (sheet names stay Vietnamese: scripts find them by name).
        summary_spec: default schemas/summary.yaml.

    Returns:
        The path written.

    Raises:
        OutputPathError: ``out`` is an input, is not ``.xlsx``, or its folder cannot be written.

    Example:
        >>> write_summary_workbook(summarise_files(["danh_sach.xlsx"]), "tong_hop.xlsx")  # doctest: +SKIP
    """
    out, lang = options.output(out, "out"), options.lang(lang)
    _check_xlsx(out)
    spec = summary_spec or load_summary_spec()

    def _write(tmp: Path) -> None:
        doc = Document(tmp, title=_t("title", lang), lang=lang)
        _cells_sheet(doc, summary, spec, lang)
        _groups_sheet(doc, summary, spec, lang)
        _reconciliation_sheet(doc, summary, spec, lang)
        _organisation_sheet(doc, summary, lang)
        _list_sheets(doc, summary, lang)
        _undetermined_sheet(doc, summary, lang)
        _charts_sheet(doc, summary, lang)
        doc.close()

    given = [*inputs, *summary.files, *([summary.declared_file] if summary.declared_file else [])]
    return atomic_write(out, _write, inputs=given)


# --- Roll-forward -------------------------------------------------------------------------------------------

_ROLL_HEADERS = {
    "start": ("Đầu kỳ", "Start"),
    "moved_in": ("Chuyển nội bộ đến", "Moved in (internal)"),
    "moved_out": ("Chuyển nội bộ đi", "Moved out (internal)"),
    "expected_end": ("Đầu kỳ + vào − ra", "Start + in − out"),
    "end": ("Cuối kỳ (danh sách)", "End (roster)"),
    "arrived": ("Mới có tên", "New on the roster"),
    "departed": ("Không còn tên", "Gone from the roster"),
    "became_official": ("Dự bị → chính thức", "Probationary → official"),
}
_KIND = {
    "arrival": ("Mới có tên", "New on the roster"),
    "departure": ("Không còn tên", "Gone from the roster"),
    "move": ("Chuyển chi bộ", "Moved cell"),
    "became_official": ("Dự bị → chính thức", "Probationary → official"),
}
_CHANGE_HEADERS = [
    ("STT", "No."),
    ("Thay đổi", "Change"),
    ("Họ và tên", "Full name"),
    ("Chi bộ (đầu kỳ)", "Cell (start)"),
    ("Chi bộ (cuối kỳ)", "Cell (end)"),
    ("Biến động", "Movement"),
    ("Dòng biến động", "Movement row"),
    ("Ô (đầu kỳ)", "Cell ref (start)"),
    ("Ô (cuối kỳ)", "Cell ref (end)"),
    ("Giải thích được", "Explained"),
]


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _rollforward_sheet(doc: Document, result: RollForward, categories: dict[str, Any], lang: str) -> None:
    page = doc.page(SHEETS["rollforward"])
    table = result.cells
    label = "en" if lang == "en" else "label"
    headers = [
        _t("seq", lang),
        _t("cell", lang),
        *(
            _pick(_ROLL_HEADERS[c], lang) if c in _ROLL_HEADERS else categories.get(c, {}).get(label, c)
            for c in table.columns
        ),
    ]
    width = len(headers)
    page.set_widths([5, 34, *([10] * (width - 2))])
    a, b = result.as_of_before.strftime("%d/%m/%Y"), result.as_of_after.strftime("%d/%m/%Y")
    heading = dict(result.heading)
    page.heading(
        heading.get("organisation") or _t("organisation", lang),
        _place_date(heading, result.as_of_after, lang),
        _t("roll_title", lang),
        _t("period", lang, a=a, b=b),
        width,
        party=_PARTY_NAME,
    )
    rows = [[i + 1, _cell_name(c, lang), *table.iloc[i].tolist()] for i, c in enumerate(table.index)]
    end = page.table(6, headers, rows)
    bad = {d.cell for d in result.differences}
    expected, last = 2 + list(table.columns).index("expected_end"), 2 + list(table.columns).index("end")
    for i, cell in enumerate(table.index):
        if str(cell) in bad:
            for c in (expected, last):
                page.put(7 + i, c, rows[i][c], size=11, box=True, fill=RED, bold=True)
    page.put(end, 0, _t("total", lang), bold=True, size=11, box=True, merge_to=1)
    if rows:
        _totals(page, end, 7, end - 1, range(2, width), rows)
    row = page.legend(end + 1, [_t("roll_legend", lang)], width)
    page.signature(
        row, [_t("maker", lang), _t("sign", lang)], [_t("committee", lang), _t("secretary", lang), _t("sign", lang)],
        width,
    )  # fmt: skip
    page.freeze(7, 2)


def _changes_sheet(doc: Document, result: RollForward, categories: dict[str, Any], lang: str) -> None:
    page = doc.page(SHEETS["changes"])
    page.set_widths([5, 16, 24, 30, 30, 20, 16, 16, 16, 11])
    label = "en" if lang == "en" else "label"
    frame = result.changes
    rows = [
        [
            i + 1,
            _pick(_KIND[str(r.kind)], lang) if str(r.kind) in _KIND else str(r.kind),
            r.member,
            r.cell_before,
            r.cell_after,
            categories.get(str(r.category), {}).get(label) if isinstance(r.category, str) else None,
            r.movement_place,
            r.place_before,
            r.place_after,
            _t("yes", lang) if r.explained else _t("not_explained", lang),
        ]
        for i, r in enumerate(frame.itertuples(index=False))
    ]
    row = page.title(0, _t("changes_title", lang), len(_CHANGE_HEADERS))
    page.table(row, [_pick(h, lang) for h in _CHANGE_HEADERS], rows,
               fills=[None if r.explained else RED for r in frame.itertuples(index=False)] or None)  # fmt: skip


def _issues_sheet(doc: Document, result: RollForward, lang: str) -> None:
    page = doc.page(SHEETS["issues"])
    page.set_widths([22, 24, 14, 8, 28, 22, 70])
    records = [*(d.to_dict(lang) for d in result.differences), *(i.to_dict(lang) for i in result.issues)]
    row = page.title(0, _t("issues_title", lang), 7)
    page.table(
        row,
        [_t(k, lang) for k in ("code", "file", "sheet", "place", "cell", "member", "message")],
        [[r["code"], r["file"], r["sheet"], r["ref"], r["cell"], r.get("member"), r["message"]] for r in records],
        left_from=0,
    )
    if not records:
        page.put(row + 1, 0, _t("roll_ok", lang), italic=True, left=True, merge_to=6)


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
        result: what :func:`~dangvien_data.report.rollforward.roll_forward` (or ``reconcile_files``) returned.
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
    _check_xlsx(out)
    spec = summary_spec or load_summary_spec()
    categories = spec.data["movements"]["categories"]

    def _write(tmp: Path) -> None:
        doc = Document(tmp, title=_t("roll_title", lang), lang=lang)
        _rollforward_sheet(doc, result, categories, lang)
        _changes_sheet(doc, result, categories, lang)
        _issues_sheet(doc, result, lang)
        doc.close()

    given = [
        *inputs,
        *result.files_before,
        *result.files_after,
        *([result.movements_file] if result.movements_file else []),
    ]
    return atomic_write(out, _write, inputs=given)
