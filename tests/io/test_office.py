"""Every workbook the tool writes, printed by LibreOffice to PDF: a tidy A4 document, one page wide, nothing clipped.

Each sheet is printed alone (the others hidden), all in one LibreOffice run; the PDF's text and word positions
(pdftotext) are then checked. Totals are read back with pandas, which reads the values cached with the formulas.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import office
from dangvien_data.cli import main
from dangvien_data.io.excel import RESULTS_SHEET
from dangvien_data.report.workbook import SHEETS

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
ROSTER, PLANTED = SAMPLE / "danh_sach_dang_vien.xlsx", SAMPLE / "danh_sach_dang_vien_loi.xlsx"


def _outputs(folder: Path) -> dict[str, Path]:
    """The sample outputs, written by the command line as a user would."""
    out = {
        "summary": folder / "tong_hop.xlsx",
        "summary_en": folder / "summary_en.xlsx",
        "rollforward": folder / "bien_dong.xlsx",
        "annotated": folder / "da_kiem_tra.xlsx",
        "template": folder / "mau_danh_sach.xlsx",
    }
    declared = str(SAMPLE / "bao_cao_so_luong.xlsx")
    assert main(["summary", str(ROSTER), "--declared", declared, "-o", str(out["summary"])]) == 1
    assert main(["summary", str(ROSTER), "--declared", declared, "--lang", "en", "-o", str(out["summary_en"])]) == 1
    assert main(["reconcile", "--before", str(ROSTER), "--after", str(SAMPLE / "danh_sach_2020_09_30.xlsx"),
                 "--movements", str(SAMPLE / "bien_dong.xlsx"), "-o", str(out["rollforward"])]) == 0  # fmt: skip
    assert main(["validate", str(PLANTED), "--as-of", "2020-03-31", "--annotate", str(out["annotated"])]) == 1
    assert main(["template", "roster", "--rows", "30", "-o", str(out["template"])]) == 0
    return out


def _sheets(name: str, path: Path) -> list[str]:
    """The sheets of an output the tool laid out (of the annotated copy, only its results sheet)."""
    if name == "annotated":
        return [RESULTS_SHEET]
    if name == "template":
        return ["Danh sách"]  # the guide is read on screen; the code lists are hidden
    wb = openpyxl.load_workbook(path, read_only=True)
    names = list(wb.sheetnames)
    wb.close()
    return names


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(output, sheet) -> the pages LibreOffice prints for that sheet alone; plus the outputs themselves."""
    office.require()
    folder = tmp_path_factory.mktemp("office")
    outputs = _outputs(folder)
    copies = {}
    for name, path in outputs.items():
        for i, sheet in enumerate(_sheets(name, path)):
            copies[(name, sheet)] = office.only_sheet(path, sheet, folder / f"{name}-{i}.xlsx")
    pdfs = office.to_pdf(list(copies.values()), folder / "pdf")
    return {key: office.pages(pdf) for key, pdf in zip(copies, pdfs, strict=True)}, outputs


def _header(ws) -> list[str]:
    """The texts of a sheet's table header: the fullest of its first rows (for the per-cell sheet, the (1) (2) …)."""
    rows = [[str(c.value) for c in row if c.value is not None] for row in ws.iter_rows(min_row=1, max_row=12)]
    return max(rows, key=len) if rows else []


def test_summary_page_one_is_a_party_document(printed):
    """Page 1 of the summary holds the whole header block, title, table, totals, legend and signature block."""
    pages, _ = printed
    (page,) = pages[("summary", SHEETS["cells"])]
    assert office.a4(page) and page.width > page.height  # landscape A4, and the whole sheet on this one page
    for phrase in ("ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "Yên Bình, ngày 31 tháng 3 năm 2020",
                   "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN", "(Tính đến ngày 31/03/2020)", "Chi bộ Đội Tổng hợp",
                   "Tổng cộng", "Người lập biểu", "T/M ĐẢNG ỦY", "BÍ THƯ"):  # fmt: skip
        assert page.has(phrase), phrase
    assert page.has_words("Ghi chú: cột (3) = (4) + (5) + (6)")
    assert all(page.has(f"({k})") for k in range(1, 21))


def test_english_summary_page_one(printed):
    """With --lang en the document reads in English: title, headers, totals and signature block."""
    pages, _ = printed
    (page,) = pages[("summary_en", SHEETS["cells"])]
    for phrase in ("PARTY MEMBERSHIP REPORT: NUMBERS AND PROFILE", "(As of 31/03/2020)", "Total", "Prepared by",
                   "FOR THE PARTY COMMITTEE", "SECRETARY", "Not determined"):  # fmt: skip
        assert page.has(phrase), phrase
    assert not page.has("Tổng cộng") and not page.has("Trong đó")


def test_every_sheet_is_a4_and_one_page_wide(printed):
    """Every printed page is A4 and carries its table's first and last header: nothing is cut off to the right."""
    pages, outputs = printed
    checked = 0
    for (name, sheet), printed_pages in pages.items():
        assert printed_pages, (name, sheet)
        assert all(office.a4(p) for p in printed_pages), (name, sheet)
        wb = openpyxl.load_workbook(outputs[name], read_only=True)
        header = _header(wb[sheet])
        wb.close()
        if len(header) < 2 or sheet == SHEETS["charts"]:
            assert len(printed_pages) == 1, (name, sheet)
            continue
        for number, page in enumerate(printed_pages, 1):
            assert page.has_words(header[0]) and page.has_words(header[-1]), (name, sheet, number, header)
        checked += 1
    assert checked >= 10


def test_charts_on_one_page(printed):
    """Both charts and their figures print on one landscape page."""
    pages, _ = printed
    (page,) = pages[("summary", SHEETS["charts"])]
    assert page.width > page.height
    assert page.has("Đảng viên theo chi bộ (chính thức / dự bị)") and page.has("Độ tuổi theo giới tính")


def test_wrapped_headers_are_not_clipped(printed):
    """Each header of the per-cell table lies wholly above its number "(k)": the row is tall enough for its lines."""
    pages, outputs = printed
    (page,) = pages[("summary", SHEETS["cells"])]
    ws = openpyxl.load_workbook(outputs["summary"])[SHEETS["cells"]]
    marks = [w for w in page.words if w.text.startswith("(") and w.text[1:-1].isdigit()]
    numbers = {w.text: w for w in sorted(marks, key=lambda w: -w.y0)}  # the numbering row, not the legend below
    for k in range(3, 21):
        mark = numbers[f"({k})"]
        header = str(ws.cell(8, k).value or ws.cell(7, k).value)
        half = (numbers[f"({k + 1})"].x0 - mark.x0) / 2 if k < 20 else (mark.x0 - numbers[f"({k - 1})"].x0) / 2
        centre = (mark.x0 + mark.x1) / 2
        for text in header.split():
            near = [w for w in page.words if w.text == text and abs((w.x0 + w.x1) / 2 - centre) < half + 2]
            assert near, (k, header, text)
            assert all(w.y1 <= mark.y0 + 0.5 for w in near if w.y0 < mark.y1 + 20), (k, header, text)


@pytest.mark.parametrize(("name", "sheet", "first"), [
    ("summary", SHEETS["cells"], 9),
    ("rollforward", SHEETS["rollforward"], 7),
])  # fmt: skip
def test_totals_read_by_pandas(printed, name, sheet, first):
    """pandas reads the totals row (formulas with cached values): each total is the sum of the rows above it."""
    _, outputs = printed
    frame = pd.read_excel(outputs[name], sheet_name=sheet, header=None, engine="openpyxl")
    at = frame.index[frame[0] == "Tổng cộng"][0]
    averages = {c for c in frame.columns if frame.iloc[6][c] == "Tuổi bình quân"}  # a value, not a sum
    summed = [c for c in frame.columns[2:] if c not in averages]
    body = frame.iloc[first:at][summed].apply(pd.to_numeric)
    totals = pd.to_numeric(frame.iloc[at][summed])
    assert len(body) == 10 and totals.notna().all()
    assert totals.tolist() == body.sum().tolist()
    assert totals.iloc[0] > 0
