"""Helpers shared by the web tests: a folder of cell workbooks, and waiting for a job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import HEADER, member, write_workbook

CELLS = (("chi_bo_mot.xlsx", "CHI BỘ MỘT"), ("chi_bo_hai.xlsx", "CHI BỘ HAI"))


def cell_folder(root: Path) -> Path:
    """Two cells' workbooks; the second has an official date that is not admission + 12 months (at J4)."""
    folder = root / "cac_chi_bo"
    folder.mkdir()
    first, second = CELLS
    write_workbook(
        folder / first[0],
        {
            "Danh sách": [
                [f"DANH SÁCH ĐẢNG VIÊN {first[1]}"],
                HEADER,
                member(),
                member("Trần Thị Bình", sex="Nữ", card="07654321", seq=2),
            ]
        },
    )
    write_workbook(
        folder / second[0],
        {
            "Danh sách": [
                [f"DANH SÁCH ĐẢNG VIÊN {second[1]}"],
                HEADER,
                member("Lê Văn Cường", card="11223344", official=dt.datetime(2011, 9, 1)),
            ]
        },
    )
    return folder
