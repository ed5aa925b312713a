"""The summary workbook read back: Party-document heading, live SUM totals, highlighted differences, charts."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from dangvien_data.errors import OutputPathError
from dangvien_data.report.reconcile import compare_declared, read_declared, reconcile_files, summarise_files
from dangvien_data.report.summary import milestones, summarise
from dangvien_data.report.workbook import RED, SHEETS, write_rollforward_workbook, write_summary_workbook
from test_summary import AS_OF, CLEAN, SAMPLE, make_roster

DECLARED = SAMPLE / "bao_cao_so_luong.xlsx"


@pytest.fixture(scope="module")
def summary():
    """The clean sample summarised and reconciled with the declared sheet (10 planted differences)."""
    return summarise_files([CLEAN], declared=DECLARED)


@pytest.fixture(scope="module")
def written(summary, tmp_path_factory):
    """The summary workbook of the sample, written once."""
    return write_summary_workbook(summary, tmp_path_factory.mktemp("out") / "tong_hop.xlsx")


def test_sheets(written):
    """Every part has its sheet, in order."""
    names = openpyxl.load_workbook(written).sheetnames
    assert names == [SHEETS[k] for k in ("cells", "groups", "reconciliation", "organisation", "badges", "due",
                                         "service", "charts")]  # fmt: skip


def test_party_document_heading(written):
    """Organisation and "*" top left, the Party top right, place and date, title and as-of line, Times New Roman."""
    ws = openpyxl.load_workbook(written)[SHEETS["cells"]]
    assert (ws["A1"].value, ws["A2"].value) == ("ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH", "*")
    assert ws["M1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM" and ws["M3"].value == "Yên Bình, ngày 31 tháng 3 năm 2020"
    assert ws["A4"].value == "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN" and ws["A5"].value == "(Tính đến ngày 31/03/2020)"
    assert {ws[ref].font.name for ref in ("A1", "M1", "A4", "B10", "C20", "D20")} == {"Times New Roman"}
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}


def test_headers_rows_and_sum_formulas(written):
    """Two-row headers, one row per cell, and a total row of live SUM formulas."""
    ws = openpyxl.load_workbook(written)[SHEETS["cells"]]
    assert [ws.cell(7, c).value for c in (1, 2, 3, 4, 9, 14, 16)] == [
        "STT", "Chi bộ", "Tổng số đảng viên", "Trong đó", "Độ tuổi", "Tuổi đảng", "Tuổi bình quân"]  # fmt: skip
    assert [ws.cell(8, c).value for c in range(4, 16)] == [
        "Chính thức", "Dự bị", "Nữ", "Dân tộc thiểu số", "Tôn giáo", "≤ 30", "31 – 40", "41 – 50", "51 – 60", "≥ 61",
        "Từ 30 năm trở lên", "Từ 40 năm trở lên"]  # fmt: skip
    assert [ws.cell(r, 2).value for r in (10, 19)] == ["Chi bộ Đội Tổng hợp", "Chi bộ Đồn Công an KCN Yên Bình"]
    assert [ws.cell(r, 3).value for r in range(10, 20)] == [22, 20, 19, 18, 17, 16, 16, 15, 14, 13]
    assert ws["A20"].value == "Tổng cộng"
    assert [ws.cell(20, c).value for c in (3, 4, 5)] == ["=SUM(C10:C19)", "=SUM(D10:D19)", "=SUM(E10:E19)"]
    assert ws["P20"].value == 34.3  # the average age is a value, not a sum


def test_reconciliation_highlighted(written, summary):
    """Each difference is a row with declared, derived and difference, filled to stand out."""
    ws = openpyxl.load_workbook(written)[SHEETS["reconciliation"]]
    assert [c.value for c in ws[4]][:6] == ["STT", "Chi bộ", "Chỉ tiêu", "Số báo cáo", "Số tính từ danh sách",
                                            "Chênh lệch"]  # fmt: skip
    rows = [[c.value for c in ws[r]] for r in range(5, 5 + len(summary.reconciliation))]
    assert rows[0][3:7] == [21, 22, -1, "Báo cáo số lượng!D10"]
    assert ws["F5"].fill.fgColor.rgb.endswith(RED) and ws.max_row == 4 + len(summary.reconciliation)


def test_charts_present(written):
    """Two native bar charts: members per cell by status (stacked), age bands by sex."""
    ws = openpyxl.load_workbook(written)[SHEETS["charts"]]
    assert len(ws._charts) == 2
    with zipfile.ZipFile(written) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        first = archive.read(charts[0]).decode()
    assert len(charts) == 2
    assert '<barDir val="bar" />' in first and '<grouping val="stacked" />' in first
    assert "'Tổng hợp'!$D$10:$D$19" in first and "'Tổng hợp'!$B$10:$B$19" in first


def test_lists_sheets(tmp_path):
    """The milestone lists are written with their headers; overdue or exceeded rows stand out."""
    roster = make_roster([
        {"full_name": "A", "admitted_on": dt.date(1990, 2, 3)},
        {"full_name": "B", "admitted_on": dt.date(2019, 4, 15), "official_on": None},
        {"full_name": "C", "sex": "Nam", "rank": "Trung tá", "birth_date": dt.date(1963, 9, 12)},
    ])  # fmt: skip
    summary = replace(summarise(roster, as_of=AS_OF), milestones=milestones(roster, as_of=AS_OF))
    path = write_summary_workbook(summary, tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb[SHEETS["badges"]]["C5"].value == "A" and wb[SHEETS["due"]]["C5"].value == "B"
    service = wb[SHEETS["service"]]
    assert service["C5"].value == "C" and service["B5"].fill.fgColor.rgb.endswith(RED)


def test_read_back_as_declared_sheet(written, summary):
    """The per-cell sheet reads back as a declared sheet that agrees with the roster."""
    assert compare_declared(replace(summary, reconciliation=()), read_declared(written)) == ()


def test_text_is_never_a_formula(tmp_path):
    """Text from the data that starts with = + - @ is stored as text, never as a formula."""
    roster = make_roster([{"cell": '=HYPERLINK("http://x","y")', "full_name": "+84 Nguyễn",
                           "admitted_on": dt.date(1990, 2, 3)}, {"cell": "@Chi bộ", "full_name": "-A"}])  # fmt: skip
    summary = replace(summarise(roster, as_of=AS_OF), milestones=milestones(roster, as_of=AS_OF))
    path = write_summary_workbook(summary, tmp_path / "o.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>HYPERLINK" not in xml and "<f>84" not in xml
    wb = openpyxl.load_workbook(path)
    cell = wb[SHEETS["cells"]]["B10"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")
    assert wb[SHEETS["badges"]]["C5"].value == "+84 Nguyễn"


def test_output_never_an_input(summary, tmp_path):
    """The output may not be an input nor anything but .xlsx; a write leaves no temporary file."""
    with pytest.raises(OutputPathError):
        write_summary_workbook(summary, CLEAN)
    with pytest.raises(OutputPathError):
        write_summary_workbook(summary, tmp_path / "out.csv")
    write_summary_workbook(summary, tmp_path / "out.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_rollforward_workbook(tmp_path):
    """The roll-forward workbook has per-cell movements with SUM totals and every change, unexplained in red."""
    path = write_rollforward_workbook(reconcile_files(CLEAN, SAMPLE / "danh_sach_2020_09_30.xlsx"), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEETS["rollforward"], SHEETS["changes"], SHEETS["issues"]]
    ws = wb[SHEETS["rollforward"]]
    assert ws["A5"].value == "(Từ ngày 31/03/2020 đến ngày 30/09/2020)" and ws["C7"].value == "Đầu kỳ"
    assert ws["A18"].value == "Tổng cộng" and ws["C18"].value == "=SUM(C8:C17)"
    changes = wb[SHEETS["changes"]]
    assert changes["J2"].value == "KHÔNG" and changes["A2"].fill.fgColor.rgb.endswith(RED)
    assert wb[SHEETS["issues"]].max_row == 9


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_opens_in_libreoffice(written, tmp_path):
    """LibreOffice opens the workbook headless, computes the SUM totals and keeps the charts."""
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "lo"), str(written)], check=True, capture_output=True,
                   timeout=180)  # fmt: skip
    converted = tmp_path / "lo" / written.name
    wb = openpyxl.load_workbook(converted, data_only=True)
    ws = wb[SHEETS["cells"]]
    assert [ws.cell(20, c).value for c in (3, 4, 5)] == [170, 164, 6]
    assert len(wb[SHEETS["charts"]]._charts) == 2
