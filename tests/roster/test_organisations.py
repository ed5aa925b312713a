"""A folder of rosters from several organisations: cells of the same name (every district police has a
"Chi bộ Đội Tổng hợp") are checked and counted apart, each named with its organisation; one organisation's
cell split over two files stays one cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import columns_without, write_workbook
from dangvien_data import read_roster, validate
from dangvien_data.report.summary import summarise

AS_OF = dt.date(2020, 3, 31)
HEADER = columns_without("Cấp bậc", "Số CCCD")
PROVINCE = "ĐẢNG ỦY CÔNG AN TỈNH YÊN BÁI"


def _member(seq: int, name: str, card: str, post: str = "") -> list[Any]:
    born = dt.datetime(1980 + seq, 1 + seq % 12, 10 + seq)
    return [seq, name, born, "Nam", "Kinh", "Không", "Yên Bái", "12/12", post,
            dt.datetime(2005, 5, 19), dt.datetime(2006, 5, 19), card]  # fmt: skip


def _district(path: Path, heading: list[str], cells: dict[str, int], first_card: int) -> Path:
    """A district roster: ``heading`` lines at the top left, then one section per cell of ``cells`` (its
    size), the first member of each its secretary."""
    rows: list[list[Any]] = [[line] for line in heading]
    rows += [["*"], ["DANH SÁCH ĐẢNG VIÊN"], HEADER]
    card, seq = first_card, 0
    for number, (cell, size) in enumerate(cells.items(), 1):
        rows.append([f"{'I' * number}. {cell}"])
        for i in range(size):
            seq, card = seq + 1, card + 1
            name = f"Nguyễn Văn {chr(65 + seq)}{path.stem[-1]}"
            rows.append(_member(seq, name, f"{card:08d}", "Bí thư" if i == 0 else ""))
    return write_workbook(path, {"Danh sách": rows})


def _cells(roster: Any) -> dict[str, int]:
    summary = summarise(roster, as_of=AS_OF)
    return {c["cell"]: c["total"] for c in summary.to_dict()["cells"]}


def test_same_cell_name_in_two_districts_is_two_cells(tmp_path: Path) -> None:
    _district(tmp_path / "huyen_a.xlsx", [PROVINCE, "ĐẢNG BỘ CÔNG AN HUYỆN A"],
              {"Chi bộ Đội Tổng hợp": 3, "Chi bộ Đội An ninh": 3}, 10_000_000)  # fmt: skip
    _district(tmp_path / "huyen_b.xlsx", [PROVINCE, "ĐẢNG BỘ CÔNG AN HUYỆN B"],
              {"Chi bộ Đội Tổng hợp": 4, "Chi bộ Đội Cảnh sát": 3}, 20_000_000)  # fmt: skip
    roster = read_roster(tmp_path)
    assert _cells(roster) == {
        "Chi bộ Đội Tổng hợp (ĐẢNG BỘ CÔNG AN HUYỆN A)": 3,
        "Chi bộ Đội An ninh": 3,
        "Chi bộ Đội Tổng hợp (ĐẢNG BỘ CÔNG AN HUYỆN B)": 4,
        "Chi bộ Đội Cảnh sát": 3,
    }
    report = validate(roster, as_of=AS_OF)
    assert [i.code for i in report.issues if i.code.startswith("secretary")] == []
    notes = [i for i in report.issues if i.code == "cell-in-two-organisations"]
    assert len(notes) == 1, report.issues
    note = notes[0]
    # at the first member of the second district's cell of that name (row 7: heading, header, section above)
    assert (Path(note.file).name, note.sheet, note.ref, note.value) == (
        "huyen_b.xlsx",
        "Danh sách",
        "A7",
        "Chi bộ Đội Tổng hợp",
    )
    assert "ĐẢNG BỘ CÔNG AN HUYỆN A; ĐẢNG BỘ CÔNG AN HUYỆN B" in note.message("vi")
    assert "2 tổ chức đảng" in note.message("vi") and "2 different Party organisations" in note.message("en")


@pytest.mark.parametrize(
    "headings",
    [
        ([PROVINCE, "ĐẢNG BỘ CÔNG AN HUYỆN A"], [PROVINCE, "Đảng bộ  Công an huyện A"]),  # the same, typed apart
        ([PROVINCE, "ĐẢNG BỘ CÔNG AN HUYỆN A"], []),  # one file not headed: cannot tell, one cell
        ([], []),
    ],
)
def test_one_cell_in_two_files_stays_one_cell(tmp_path: Path, headings: tuple[list[str], list[str]]) -> None:
    """The same cell in two files of one organisation (or files that do not say) is one cell: its members
    counted together, and its two secretaries one problem."""
    _district(tmp_path / "phan_1.xlsx", headings[0], {"Chi bộ Đội Tổng hợp": 3}, 10_000_000)
    _district(tmp_path / "phan_2.xlsx", headings[1], {"Chi bộ Đội Tổng hợp": 4}, 20_000_000)
    roster = read_roster(tmp_path)
    assert _cells(roster) == {"Chi bộ Đội Tổng hợp": 7}
    codes = [i.code for i in validate(roster, as_of=AS_OF).issues]
    assert "cell-in-two-organisations" not in codes and "secretary-multiple" in codes
