"""The summary workbook read back: Party-document heading, live SUM totals, highlighted differences, charts."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

import office
from dangvien_data.api import reconcile_files, summarise_files
from dangvien_data.errors import OutputPathError
from dangvien_data.report.declared import compare_declared, read_declared
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
                                         "service", "undetermined", "charts")]  # fmt: skip


def test_party_document_heading(written):
    """Organisation and "*" top left, the Party top right, place and date, title and as-of line, Times New Roman."""
    ws = openpyxl.load_workbook(written)[SHEETS["cells"]]
    assert (ws["A1"].value, ws["A2"].value) == ("ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH", "*")
    assert ws["O1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM" and ws["O3"].value == "Yên Bình, ngày 31 tháng 3 năm 2020"
    assert ws["A4"].value == "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN" and ws["A5"].value == "(Tính đến ngày 31/03/2020)"
    assert {ws[ref].font.name for ref in ("A1", "O1", "A4", "B10", "C20", "D20", "A21", "O24")} == {"Times New Roman"}
    assert {"A1:C1", "O1:T1", "A4:T4"} <= {str(r) for r in ws.merged_cells.ranges}
    assert (ws["A24"].value, ws["O24"].value, ws["O25"].value) == ("Người lập biểu", "T/M ĐẢNG ỦY", "BÍ THƯ")


def test_headers_rows_and_sum_formulas(written):
    """Two-row headers, one row per cell, and a total row of live SUM formulas."""
    ws = openpyxl.load_workbook(written)[SHEETS["cells"]]
    assert [ws.cell(7, c).value for c in (1, 2, 3, 4, 7, 11, 17, 19, 20)] == [
        "STT", "Chi bộ", "Tổng số đảng viên", "Trong đó", "Cơ cấu", "Độ tuổi", "Tuổi đảng", "Tuổi bình quân",
        "Số dòng có lỗi"]  # fmt: skip
    assert [ws.cell(8, c).value for c in range(4, 19)] == [
        "Chính thức", "Dự bị", "Chưa xác định", "Nữ", "Chưa rõ giới tính", "Dân tộc thiểu số", "Tôn giáo", "≤ 30",
        "31 – 40", "41 – 50", "51 – 60", "≥ 61", "Chưa rõ tuổi", "Từ 30 năm trở lên", "Từ 40 năm trở lên"]  # fmt: skip
    assert [ws.cell(r, 2).value for r in (10, 19)] == ["Chi bộ Đội Tổng hợp", "Chi bộ Đồn Công an KCN Yên Bình"]
    assert [ws.cell(r, 3).value for r in range(10, 20)] == [22, 20, 19, 18, 17, 16, 16, 15, 14, 13]
    assert ws["A20"].value == "Tổng cộng"
    assert [ws.cell(20, c).value for c in (3, 4, 5, 6)] == ["=SUM(C10:C19)", "=SUM(D10:D19)", "=SUM(E10:E19)",
                                                             "=SUM(F10:F19)"]  # fmt: skip
    assert ws["S20"].value == 34.3  # the average age is a value, not a sum


def test_totals_cached_for_scripts(written):
    """The SUM cells carry their results: openpyxl data_only and pandas read the totals without a spreadsheet."""
    ws = openpyxl.load_workbook(written, data_only=True)[SHEETS["cells"]]
    assert [ws.cell(20, c).value for c in (3, 4, 5, 6)] == [170, 164, 6, 0]
    frame = pd.read_excel(written, sheet_name=SHEETS["cells"], header=None, engine="openpyxl")
    totals = frame[frame[0] == "Tổng cộng"].iloc[0]
    assert (totals[2], totals[3], totals[4], totals[5]) == (170, 164, 6, 0)


def test_status_columns_add_up_on_every_line(tmp_path):
    """CT + DB + Chưa xác định = Tổng on every line, and the undetermined rows are listed with their place."""
    roster = make_roster([
        {"full_name": "A"},
        {"full_name": "B", "admitted_on": dt.date(2021, 1, 5), "official_on": None},  # after the as-of date
        {"full_name": "C", "sex": None},
    ])  # fmt: skip
    summary = summarise(roster, as_of=AS_OF)
    wb = openpyxl.load_workbook(write_summary_workbook(summary, tmp_path / "o.xlsx"), data_only=True)
    ws = wb[SHEETS["cells"]]
    for row in (10, 11):
        total, official, probationary, unknown = (ws.cell(row, c).value for c in (3, 4, 5, 6))
        assert official + probationary + unknown == total
    assert [ws.cell(11, c).value for c in (3, 4, 5, 6, 8)] == [3, 2, 0, 1, 1]
    listed = wb[SHEETS["undetermined"]]
    assert [c.value for c in listed[4]][1:4] == ["Chi bộ", "Họ và tên", "Ô"]
    assert [[c.value for c in listed[r]][1:7] for r in (5, 6)] == [
        ["Chi bộ A", "B", "DS!B4", "chưa xác định", None, None],
        ["Chi bộ A", "C", "DS!B5", None, "chưa xác định", None],
    ]


def test_reconciliation_highlighted(written, summary):
    """Each difference is a row with declared, derived and difference, filled to stand out."""
    ws = openpyxl.load_workbook(written)[SHEETS["reconciliation"]]
    assert [c.value for c in ws[4]][:6] == ["STT", "Chi bộ", "Chỉ tiêu", "Số báo cáo", "Số tính từ danh sách",
                                            "Chênh lệch"]  # fmt: skip
    rows = [[c.value for c in ws[r]] for r in range(5, 5 + len(summary.reconciliation))]
    assert rows[0][3:7] == [21, 22, -1, "Báo cáo số lượng!D10"]
    assert ws["F5"].fill.fgColor.rgb.endswith(RED) and ws.cell(5 + len(summary.reconciliation), 1).value is None
    assert ws.cell(6 + len(summary.reconciliation), 1).value.startswith("Chênh lệch = số báo cáo − số tính")


def test_charts_present(written):
    """Two native bar charts: members per cell by status (stacked), age bands by sex."""
    with zipfile.ZipFile(written) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        first = archive.read(charts[0]).decode()
        names = re.findall(r'<sheet name="([^"]+)"', archive.read("xl/workbook.xml").decode())
        drawings = [n for n in archive.namelist() if n.startswith("xl/worksheets/_rels/")]
        with_drawing = [n for n in drawings if "drawing" in archive.read(n).decode()]
    # the one sheet that holds a drawing is the charts sheet (sheet N's rels: xl/worksheets/_rels/sheetN.xml.rels)
    assert [names[int(re.search(r"sheet(\d+)", n)[1]) - 1] for n in with_drawing] == [SHEETS["charts"]]
    assert len(charts) == 2
    assert re.search(r'barDir val="bar" ?/>', first) and re.search(r'grouping val="stacked" ?/>', first)
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
    assert changes["A1"].value == "CHI TIẾT BIẾN ĐỘNG" and changes["B3"].value == "Thay đổi"
    assert changes["J4"].value == "KHÔNG" and changes["A4"].fill.fgColor.rgb.endswith(RED)
    assert wb[SHEETS["issues"]].max_row == 3 + 8  # title, header, the 8 problems


def test_opens_in_libreoffice(written, tmp_path):
    """LibreOffice opens the workbook headless, computes the SUM totals and keeps the charts."""
    office.require()  # fails in CI without LibreOffice, skips on a developer's machine
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "lo"), str(written)], check=True, capture_output=True,
                   timeout=180)  # fmt: skip
    converted = tmp_path / "lo" / written.name
    wb = openpyxl.load_workbook(converted, data_only=True)
    ws = wb[SHEETS["cells"]]
    assert [ws.cell(20, c).value for c in (3, 4, 5)] == [170, 164, 6]
    with zipfile.ZipFile(converted) as archive:
        assert sum(n.startswith("xl/charts/chart") and n.endswith(".xml") for n in archive.namelist()) == 2
