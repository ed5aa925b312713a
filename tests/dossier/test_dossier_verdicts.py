"""Dossier verdicts: one per candidate from every condition, the same in text, JSON and the printable workbook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import SAMPLE
from dangvien_data import check_dossier, write_dossier_workbook
from dangvien_data.report.render import dossier_text
from test_dossier import CONGRESS, LIST_HEADER, PEOPLE, _sheet_rows, build, run

PLANTED = json.loads((SAMPLE / "dossier_planted.json").read_text(encoding="utf-8"))
# Which condition each planted problem breaks, written out here rather than read from schemas/dossier.yaml.
CONDITION_OF = {
    "candidate-not-in-roster": "roster",
    "roster-mismatch": "roster",
    "candidate-probationary": "official",
    "candidate-service-time-short": "service",
    "document-missing": "documents",
    "document-late": "documents",
    "cv-mismatch": "cv",
    "cv-field-missing": "cv",
}
CONDITIONS = ["roster", "official", "service", "documents", "cv"]


@pytest.fixture(scope="module")
def sample() -> Any:
    return check_dossier(
        SAMPLE / PLANTED["file"],
        SAMPLE / PLANTED["roster"],
        congress_date=PLANTED["congress_date"],
        term=PLANTED["term"],
        seats=PLANTED["seats"],
    )


def _expected() -> dict[str, tuple[str, list[str]]]:
    """Per planted member: the verdict and the failed conditions (in the schema's order)."""
    errors: dict[str, set[str]] = {}
    warned: set[str] = set()
    for problem in PLANTED["problems"]:
        if problem["severity"] == "error":
            errors.setdefault(problem["member"], set()).add(CONDITION_OF[problem["code"]])
        else:
            warned.add(problem["member"])
    out = {name: ("not-eligible", [c for c in CONDITIONS if c in failed]) for name, failed in errors.items()}
    out.update({name: ("review", []) for name in warned - set(errors)})
    return out


def test_sample_verdicts_match_the_planted_truth(sample):
    """Every ✓ candidate meets every condition; every ✗ names exactly the conditions its planted problems break."""
    expected = _expected()
    seen = {}
    for idx, row in sample.verdicts.iterrows():
        name = str(sample.candidates.at[idx, "full_name"])
        seen[name] = (row["verdict"], list(row["failed"]))
        if row["verdict"] == "eligible":
            assert all(row[c] in {"ok", "n/a"} for c in CONDITIONS), name
            assert row["verdict_vi"] == "✓ Đủ điều kiện"
        for key in row["failed"]:
            assert sample.conditions[key][0] in row["verdict_vi"], (name, key)
            assert row[f"{key}_vi"].startswith("✗ "), (name, key)
    clean = {name: ("eligible", []) for name in seen if name not in expected}
    assert seen == {**clean, **expected}
    assert len(clean) == 4  # Đặng Văn Phong, Hoàng Công Đức, Trần Thị Anh, Hồ Thu Hiền


def test_the_issue_cases_are_not_eligible(sample):
    """Incomplete documents (7/8) or a candidate missing from the roster is never "Đủ điều kiện"."""
    candidates = {c["name"]: c for c in sample.to_dict()["candidates"]}
    for name in ("Hồ Mạnh Quân", "Lê Thị Vân"):
        assert candidates[name]["eligible"] is False and candidates[name]["failed"] == ["documents"]
        assert candidates[name]["conditions"]["documents"]["text"].startswith("✗ 7/8, thiếu: ")
    assert candidates["Đỗ Minh Khoa"]["in_roster"] is False and candidates["Đỗ Minh Khoa"]["eligible"] is False
    late = candidates["Phan Hữu Phúc"]
    assert (late["eligible"], late["verdict"]) == (None, "review") and late["verdict_text"].startswith("? Cần xem lại")


def test_text_json_and_workbook_show_the_same_verdict(sample, tmp_path):
    """The three outputs print the verdict and each condition's figures of the one verdicts() table."""
    text = dossier_text(sample)
    rows = _sheet_rows(write_dossier_workbook(sample, tmp_path / "kq.xlsx"), "Điều kiện ứng cử")
    for candidate in sample.to_dict()["candidates"]:
        name = candidate["name"]
        sheet = rows[name]
        assert sheet["Kết luận"] == candidate["verdict_text"]
        assert f"{candidate['verdict_text'][0]} {name} (" in text
        for key, (label, _, _) in sample.conditions.items():
            figures = candidate["conditions"][key]["text"]
            assert sheet[label] == figures and f"{label} {figures}" in text
    assert "còn 140 tháng (cần ≥ 30)" in text and "/30 tháng" not in text


def test_clean_candidates_are_eligible_and_an_undecided_one_is_reviewed(tmp_path):
    """All conditions met gives ✓; a rank the rules do not know (here on both sides) leaves it to review."""
    clean = run(tmp_path, seats=3)
    assert clean.verdicts["verdict"].tolist() == ["eligible"] * 3
    (tmp_path / "b").mkdir()
    unknown = [*PEOPLE[:2], replace(PEOPLE[2], rank="Thiếu ta")]
    report = check_dossier(*build(tmp_path / "b", unknown), congress_date=CONGRESS, seats=3)
    third = report.verdicts.iloc[2]
    assert (third["verdict"], third["service"]) == ("review", "unknown")
    assert third["verdict_vi"].startswith("? Cần xem lại: Thời gian công tác còn lại")


@pytest.mark.parametrize(
    "header", ["Tái cử / Tham gia lần đầu", "Tham gia lần đầu / Tái cử", "Tái cử/Lần đầu", "TC/LĐ"]
)
def test_combined_re_election_column_either_way(tmp_path, monkeypatch, header):
    """One column holding both "Tái cử" and "Tham gia lần đầu", headed in either order, is read."""
    import test_dossier

    renamed = [(name, header if name == "election" else text) for name, text in LIST_HEADER]
    monkeypatch.setattr(test_dossier, "LIST_HEADER", renamed)
    report = run(tmp_path)
    assert [i.code for i in report.issues] == []
    assert report.candidates["election"].tolist() == ["Tái cử", "Tham gia lần đầu", "Tham gia lần đầu"]
    assert report.eligibility["threshold"].tolist() == [30, 60, 60]


# --- printing ------------------------------------------------------------------------------------------------


def _tools() -> tuple[str, str] | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    pdftotext = shutil.which("pdftotext")
    if office and pdftotext:
        return office, pdftotext
    if os.environ.get("CI"):
        pytest.fail("CI needs libreoffice (libreoffice-calc-nogui) and pdftotext (poppler-utils) for this test")
    pytest.skip("libreoffice or pdftotext is not installed")
    return None


def test_results_workbook_print_setup(sample, tmp_path):
    """Every sheet: A4 landscape fitted to one page wide, its table header repeated; names repeated too."""
    wb = openpyxl.load_workbook(write_dossier_workbook(sample, tmp_path / "kq.xlsx"))
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
            "landscape",
            "9",
            1,
            0,
        )
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, (ws.title, fonts)
    eligibility = wb["Điều kiện ứng cử"]
    assert eligibility.print_title_cols == "$A:$B" and eligibility["B7"].value == "Họ và tên"
    assert eligibility["B8"].border.left.style == "thin"


def test_results_workbook_prints_as_a_document(sample, tmp_path):
    """Through LibreOffice: A4 landscape, the Party header block, the title and every name on page 1."""
    office, pdftotext = _tools() or ("", "")
    out = write_dossier_workbook(sample, tmp_path / "kq.xlsx")
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: other LibreOffice runs may be going on
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "kq.pdf"
    page = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    flat = " ".join(page.split())
    for text in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH", "KẾT QUẢ THẨM ĐỊNH ĐIỀU KIỆN"):
        assert text in flat
    for name in sample.candidates["full_name"]:
        assert name in flat, name
    assert "Điều lệ Đảng" in flat and "Kết luận" in flat  # the legend and the verdict column fit the width
    info = shutil.which("pdfinfo")
    if info:
        size = subprocess.run([info, str(pdf)], check=True, capture_output=True, text=True).stdout
        assert "841.89 x 595.3" in size  # A4 landscape, in points
    assert Path(pdf).stat().st_size > 0


def test_rank_missing_on_the_list_is_taken_from_the_roster(tmp_path):
    """Without a rank on the candidate list, an officer's service-age limit still comes from the roster's rank."""
    report = run(tmp_path, changes={0: {"rank": None}})
    row = report.eligibility.iloc[0]
    assert "Trung tá" in row["basis_vi"] and row["months_left"] < 12 * 10  # 55 for a Trung tá, not 60
