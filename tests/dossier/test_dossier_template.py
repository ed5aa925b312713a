"""The dossier fill-in template's CV page (sơ yếu lý lịch, form 2C/TCTW-98) is the one the checker reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from dangvien_data import check_dossier, read_dossier, write_template
from dangvien_data.template.writer import CV_FORM, CV_SHEET, FIRST_DATA_ROW, HEADER_ROW
from test_dossier import CONGRESS, PEOPLE, SPEC, build


def _fill(template: Path, out: Path, cv_changes: dict[str, Any] | None = None) -> Path:
    """The candidate list and checklist filled with three people; the CV page with the first one."""
    wb = openpyxl.load_workbook(template)
    listed, checked = wb.worksheets[0], wb.worksheets[1]
    by_header = {f.header: name for name, f in SPEC.candidates.fields.items()}
    for i, person in enumerate(PEOPLE):
        values = person.values()
        for col in range(1, listed.max_column + 1):
            name = by_header.get(listed.cell(HEADER_ROW, col).value)
            if name in values:
                listed.cell(FIRST_DATA_ROW + i, col).value = values[name]
        for col in range(1, checked.max_column + 1):
            header = checked.cell(HEADER_ROW, col).value
            name = by_header.get(header)
            if header in {d.header for d in SPEC.documents.values()}:
                checked.cell(FIRST_DATA_ROW + i, col).value = "x"
            elif name in {"full_name", "birth_date", "card_number"}:
                checked.cell(FIRST_DATA_ROW + i, col).value = values[name]
    cv = wb[CV_SHEET]
    first = {**PEOPLE[0].values(), **(cv_changes or {})}
    labels = {f.labels[0]: f.name for f in SPEC.cv_fields.values()}
    for row in range(1, cv.max_row + 1):
        text = str(cv.cell(row, 1).value or "")
        label = text.partition(") ")[2].removesuffix(":")
        if label in labels and first.get(labels[label]) is not None:
            cv.cell(row, 2).value = first[labels[label]]
    wb.save(out)
    return out


def test_template_has_the_cv_page_the_checker_reads(tmp_path):
    """The CV page carries the form's name and every CV label of the schema; blank, it is no CV to report."""
    template = write_template("dossier", tmp_path / "mau.xlsx", rows=5)
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[:3] == ["Trích ngang", "Danh mục hồ sơ", CV_SHEET]
    texts = [str(v) for row in wb[CV_SHEET].iter_rows(values_only=True) for v in row if v]
    assert CV_FORM in texts and "SƠ YẾU LÝ LỊCH" in texts
    assert [t for t in texts if t.endswith(":")] == [
        f"{i}) {f.labels[0]}:" for i, f in enumerate(SPEC.cv_fields.values(), 1)
    ]
    assert read_dossier(template).cvs == []


def test_filled_cv_page_agrees_and_a_mismatch_is_found(tmp_path):
    """Filled as the list says, the CV condition is ✓; a different ethnicity on it is a cv-mismatch at its cell."""
    _, roster = build(tmp_path)
    template = write_template("dossier", tmp_path / "mau.xlsx", rows=5)
    report = check_dossier(_fill(template, tmp_path / "hs.xlsx"), roster, congress_date=CONGRESS, seats=3)
    assert [(i.sheet, i.ref, i.code) for i in report.issues if i.severity != "info"] == []
    assert report.verdicts.iloc[0]["cv_vi"] == f"✓ khớp ({CV_SHEET})"
    assert report.verdicts["verdict"].tolist() == ["eligible"] * 3

    wrong = _fill(template, tmp_path / "hs2.xlsx", {"ethnicity": "Tày"})
    report = check_dossier(wrong, roster, congress_date=CONGRESS, seats=3)
    row = 6 + list(SPEC.cv_fields).index("ethnicity")
    assert [(i.sheet, i.ref, i.code) for i in report.issues if i.severity != "info"] == [
        (CV_SHEET, f"B{row}", "cv-mismatch")
    ]
    assert report.verdicts.iloc[0]["verdict"] == "not-eligible" and report.verdicts.iloc[0]["failed"] == ["cv"]
