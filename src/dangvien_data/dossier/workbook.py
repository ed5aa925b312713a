"""The dossier results workbook: eligibility per candidate, the structure table, the documents matrix, issues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dangvien_data import options
from dangvien_data.io.excel import FILLS, write_text
from dangvien_data.io.excel import _results_sheet as _issues_sheet
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
# key, Vietnamese header, English header, width
_ELIGIBILITY = [
    ("seq", "STT", "No.", 5),
    ("full_name", "Họ và tên", "Name", 24),
    ("cell", "Chi bộ", "Cell (chi bộ)", 28),
    ("birth_date", "Ngày sinh", "Born", 11),
    ("sex", "Giới tính", "Sex", 8),
    ("rank", "Cấp bậc", "Rank", 10),
    ("election", "Lần đầu / tái cử", "First time / re-election", 14),
    ("proposed_post", "Dự kiến chức danh", "Proposed post", 16),
    ("age", "Tuổi tại ngày đại hội", "Age at the congress", 14),
    ("party_age", "Tuổi đảng (từ ngày vào Đảng)", "Party age (from admission)", 14),
    ("official_mark", "Chính thức", "Official", 9),
    ("official_on", "Ngày chính thức", "Official since", 12),
    ("basis", "Hạn tuổi (căn cứ)", "Age limit (basis)", 44),
    ("reach", "Tháng đến hạn", "Limit reached", 10),
    ("months_left", "Số tháng công tác còn lại", "Months of service left", 12),
    ("threshold", "Cần ít nhất (tháng)", "Required (months)", 10),
    ("service_mark", "Đủ thời gian công tác", "Enough service left", 11),
    ("roster_mark", "Có trong DS đảng viên", "In the roster", 11),
    ("documents_mark", "Hồ sơ đủ", "Documents complete", 10),
    ("eligible_mark", "Đủ điều kiện", "Eligible", 10),
]
_STRUCTURE = [
    ("label", "Chỉ tiêu", "Metric", 40),
    ("count", "Số lượng", "Count", 10),
    ("percent", "Tỷ lệ %", "%", 9),
    ("target", "Mục tiêu %", "Target %", 10),
    ("ok", "Đạt", "Met", 6),
]


def _mark(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return UNKNOWN
    return YES if bool(value) else NO


def _age(months: Any, lang: str, unit: str = "tuổi") -> str | None:
    if months is None or pd.isna(months):
        return None
    years, rest = divmod(int(months), 12)
    return f"{years} {unit} {rest} tháng" if lang == "vi" else f"{years} y {rest} m"


def _day(value: Any, fmt: str = "%d/%m/%Y") -> str | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return value.strftime(fmt) if isinstance(value, dt.date) else str(value)


def _header(ws: Any, columns: Sequence[tuple[str, str, str, int]], lang: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for col, (_, vi, en, width) in enumerate(columns, start=1):
        cell = write_text(ws, 1, col, en if lang == "en" else vi)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "C2"


def _eligibility_values(report: DossierReport, idx: Any, seq: int, lang: str) -> dict[str, Any]:
    row = report.eligibility.loc[idx]
    person = report.candidates.loc[idx]
    complete = report.documents.at[idx, "complete"] if "complete" in report.documents else None
    has = int((report.documents.loc[idx].drop("complete") != "").sum()) if complete is not None else 0
    total = len(report.documents.columns) - 1
    basis = [row[f"{key}_{lang}"] for key in ("basis", "reason")]  # the limit, or why it is unknown
    return {
        "seq": seq,
        "full_name": person.get("full_name"),
        "cell": person.get("cell"),
        "birth_date": _day(person.get("birth_date")),
        "sex": person.get("sex"),
        "rank": person.get("rank"),
        "election": person.get("election"),
        "proposed_post": person.get("proposed_post"),
        "age": _age(row["age"], lang),
        "party_age": _age(row["party_age"], lang, "năm"),
        "official_mark": _mark(row["official"]),
        "official_on": _day(row["official_on"]),
        "basis": next((str(v) for v in basis if isinstance(v, str)), None),
        "reach": _day(row["reach"], "%m/%Y"),
        "months_left": None if pd.isna(row["months_left"]) else int(row["months_left"]),
        "threshold": int(row["threshold"]),
        "service_mark": _mark(row["service_ok"]),
        "roster_mark": _mark(row["in_roster"]),
        "documents_mark": f"{_mark(complete)} {has}/{total}",
        "eligible_mark": _mark(row["eligible"]),
    }


def _fill_row(ws: Any, r: int, values: Sequence[Any]) -> None:
    from openpyxl.styles import PatternFill

    for col, value in enumerate(values, start=1):
        cell = write_text(ws, r, col, None if value is None or value is pd.NA else value)
        if isinstance(value, str) and value.startswith(NO):
            cell.fill = PatternFill("solid", fgColor=FILLS[Severity.ERROR])


def _eligibility_sheet(wb: Any, report: DossierReport, lang: str) -> None:
    ws = wb.create_sheet(SHEETS[lang][0])
    _header(ws, _ELIGIBILITY, lang)
    for seq, idx in enumerate(report.eligibility.index, start=1):
        values = _eligibility_values(report, idx, seq, lang)
        _fill_row(ws, seq + 1, [values[key] for key, *_ in _ELIGIBILITY])


def _structure_sheet(wb: Any, report: DossierReport, lang: str) -> None:
    ws = wb.create_sheet(SHEETS[lang][1])
    _header(ws, _STRUCTURE, lang)
    ws.freeze_panes = "A2"
    label = "label_en" if lang == "en" else "label_vi"
    for r, (_, row) in enumerate(report.structure.iterrows(), start=2):
        values = [
            row[label],
            row["count"],
            row["percent"],
            row["target"],
            None if pd.isna(row["ok"]) else _mark(row["ok"]),
        ]
        _fill_row(ws, r, [None if v is None or (isinstance(v, float) and v != v) else v for v in values])


def _documents_sheet(wb: Any, report: DossierReport, lang: str) -> None:
    ws = wb.create_sheet(SHEETS[lang][2])
    keys = [k for k in report.documents.columns if k != "complete"]
    columns = [("seq", "STT", "No.", 5), ("full_name", "Họ và tên", "Name", 24)]
    columns += [(k, report.document_headers.get(k, k), report.document_headers.get(k, k), 16) for k in keys]
    columns.append(("complete", "Đủ hồ sơ", "Complete", 9))
    _header(ws, columns, lang)
    for seq, (idx, row) in enumerate(report.documents.iterrows(), start=1):
        marks = [YES if row[k] in {"x", "X"} else (row[k] or NO) for k in keys]
        _fill_row(ws, seq + 1, [seq, report.candidates.at[idx, "full_name"], *marks, _mark(row["complete"])])


def write_dossier_workbook(report: DossierReport, out: str | Path, *, lang: str = "vi") -> Path:
    """Write the results workbook: the issues, the eligibility sheet, the structure table, the documents matrix.

    Every criterion on the eligibility sheet is ✓ or ✗ (? when it cannot be computed) beside its figures: age
    and Party age at the congress date, official date, the age limit and its legal basis, the month it is
    reached, months of service left against the threshold. ✗ cells are filled red. Written atomically; an
    output path equal to an input is refused.

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
        wb.active = 0
        wb.save(tmp)

    return atomic_write(out, _write, inputs=report.files)
