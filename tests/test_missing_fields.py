"""No field can crash a command: any subset of columns and CV labels removed or renamed, every command still
answers (exit 0/1 with the missing fields reported, or exit 2 with a message), never an internal error."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_workbook
from dangvien_data.cli import main
from dangvien_data.dossier.read import load_dossier_spec
from dangvien_data.roster.reader import header_key
from dangvien_data.roster.schemas import load_roster_spec
from test_dossier import DOCUMENTS, LIST_HEADER, PEOPLE, ROSTER_HEADER, _cv_rows, build

ROSTER_SPEC = load_roster_spec()
DOSSIER_SPEC = load_dossier_spec()
CV_LABELS = [row[0] for row in _cv_rows(PEOPLE[0]) if row and str(row[0]).endswith(":")]
CHECKLIST_HEADER = ["STT", "Họ và tên", "Ngày sinh", *(d.header for d in DOCUMENTS)]
# (sheet, header as written): each column or CV label a test may remove or rename
TARGETS = (
    [("DS", h) for h in ROSTER_HEADER]
    + [("Trích ngang", h) for _, h in LIST_HEADER]
    + [("Hồ sơ", h) for h in CHECKLIST_HEADER]
    + [("SYLL 1", label) for label in CV_LABELS]
)
CONGRESS = "2020-06-15"


def _field_of(spec_fields: Any, header: str) -> str | None:
    key = header_key(header)
    return next((f.name for f in spec_fields.values() if key in {header_key(h) for h in f.headers}), None)


def _alter(path: Path, sheet: str, changes: dict[str, str | None]) -> None:
    """Remove (None) or rename the header cells (or CV labels) named in ``changes`` of ``sheet``."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    if sheet.startswith("SYLL"):
        for row in sorted((c.row for c in ws["A"] if c.value in changes), reverse=True):
            new = changes[ws.cell(row, 1).value]
            if new is None:
                ws.delete_rows(row)
            else:
                ws.cell(row, 1).value = f"{new}:"
    else:
        for col in sorted((c.column for c in ws[1] if c.value in changes), reverse=True):
            new = changes[ws.cell(1, col).value]
            if new is None:
                ws.delete_cols(col)
            else:
                ws.cell(1, col).value = new
    wb.save(path)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _answered(code: int, err: str) -> None:
    """Exit 0/1, or 2 with a message of ours: never the internal-error path."""
    assert "lỗi nội bộ" not in err and "internal error" not in err, err
    assert code in {0, 1} or (code == 2 and err.startswith("dangvien: ")), (code, err)


def _missing_reported(issues: list[dict[str, Any]], dropped: set[str], required: set[str], code: str) -> None:
    reported = {i["field"] for i in issues if i["code"] == code}
    assert (dropped & required) <= reported, (dropped & required) - reported


words = st.sampled_from(["Cột lạ", "Ghi chú thêm 2", "Xyz", "Mục khác"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(TARGETS), st.none() | words, max_size=12))
def test_any_subset_of_columns_removed_or_renamed(changes):
    """read, validate (--annotate), summary and dossier (-o) answer, and report each required field that is gone."""
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        dossier, roster = build(tmp, cv={0: _cv_rows(PEOPLE[0])})
        by_sheet: dict[str, dict[str, str | None]] = {}
        for (sheet, header), new in changes.items():
            by_sheet.setdefault(sheet, {})[header] = new
        for sheet, edits in by_sheet.items():
            _alter(roster if sheet == "DS" else dossier, sheet, edits)
        gone = {sheet: set(edits) for sheet, edits in by_sheet.items()}

        _answered(*_cli("read", str(roster))[::2])
        code, out, err = _cli("validate", str(roster), "--as-of", CONGRESS, "--format", "json")
        _answered(code, err)
        if code != 2:
            dropped = {_field_of(ROSTER_SPEC.fields, h) for h in gone.get("DS", set())} - {None}
            required = {f.name for f in ROSTER_SPEC.fields.values() if f.required is True}
            _missing_reported(json.loads(out)["issues"], {str(d) for d in dropped}, required, "missing-column")
        _answered(*_cli("validate", str(roster), "--as-of", CONGRESS, "--annotate", str(tmp / "a.xlsx"))[::2])
        _answered(*_cli("summary", str(roster), "--as-of", CONGRESS, "--format", "json")[::2])

        # the dossier workbook given where a roster is expected: read as one, or refused, never a crash
        _answered(*_cli("read", str(dossier))[::2])
        _answered(*_cli("validate", str(dossier), "--as-of", CONGRESS, "--annotate", str(tmp / "b.xlsx"))[::2])

        args = ["dossier", str(dossier), "--roster", str(roster), "--congress-date", CONGRESS, "--seats", "3"]
        code, out, err = _cli(*args, "--format", "json", "-o", str(tmp / "kq.xlsx"))
        _answered(code, err)
        if code == 2:
            return
        issues = json.loads(out)["issues"]
        fields = DOSSIER_SPEC.candidates.fields
        listed = {str(_field_of(fields, h)) for h in gone.get("Trích ngang", set())} - {"None"}
        required = {f.name for f in fields.values() if f.required is True}
        _missing_reported(issues, listed, required, "missing-column")
        documents = {d.key for d in DOCUMENTS if d.header in gone.get("Hồ sơ", set())}
        if any(i["code"] == "documents-checklist-missing" for i in issues):
            documents = set()  # no checklist found at all: reported once, as such
        reported = {i["field"] for i in issues if i["code"] == "document-column-missing"}
        assert documents <= reported, documents - reported
        labels = {_cv_field(label) for label in gone.get("SYLL 1", set())}
        required_cv = {f.name for f in DOSSIER_SPEC.cv_fields.values() if f.required}
        on_cv = {i["code"] for i in issues if i["sheet"] == "SYLL 1"}
        if not on_cv & {"cv-unmatched", "dossier-sheet-skipped"}:  # else the sheet is not (matched as) a CV
            _missing_reported(issues, {str(x) for x in labels}, required_cv, "cv-field-missing")
        candidates = json.loads(out)["candidates"]
        if listed & {"birth_date", "sex", "admitted_on"}:  # a condition cannot be decided: nobody is ✓
            assert not any(c["eligible"] for c in candidates)


def _cv_field(label: str) -> str | None:
    import re

    key = header_key(re.sub(r"^\s*\d+\)\s*", "", label.rstrip(":")))
    return next((f.name for f in DOSSIER_SPEC.cv_fields.values() if key in {header_key(x) for x in f.labels}), None)


def test_a_single_member_whose_name_is_a_formula(tmp_path):
    """One member, the name a formula (read as empty): validate and summary report it, no internal error."""
    rows = [[*ROSTER_HEADER], ["I. Chi bộ Đội Tổng hợp"]]
    rows.append([1, '=B1&"x"', dt.datetime(1980, 1, 1), "Nam", "Kinh", "Không", "Hà Nội", "12/12", "Thiếu tá"])
    path = write_workbook(tmp_path / "ds.xlsx", {"DS": rows})
    code, out, err = _cli("validate", str(path), "--as-of", CONGRESS, "--format", "json")
    _answered(code, err)
    assert code == 1 and "full_name" in {i["field"] for i in json.loads(out)["issues"]}
    _answered(*_cli("summary", str(path), "--as-of", CONGRESS)[::2])
