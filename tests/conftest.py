"""Shared fixtures: small office-style workbooks built in tmp_path."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]


def require_program(*names: str) -> str:
    """The path of the first of ``names`` on PATH; a missing program fails the test in CI and skips it elsewhere.

    CI (``.ci/run`` sets ``CI=1``) installs LibreOffice, poppler and Chromium, so there a missing program is a
    broken setup, not a reason to skip.
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' / '.join(names)} is not installed on this machine"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must install it: see .ci/run)")
    pytest.skip(message)


SAMPLE = ROOT / "sample_data"

# The roster columns as offices head them, in order; every test roster takes its header from here.
ROSTER_COLUMNS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Học vấn",
    "Cấp bậc",
    "Chức vụ Đảng",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
]


def columns_without(*names: str) -> list[str]:
    """:data:`ROSTER_COLUMNS` less ``names`` (each must be one of them)."""
    unknown = set(names) - set(ROSTER_COLUMNS)
    assert not unknown, unknown
    return [c for c in ROSTER_COLUMNS if c not in names]


# The issue record of the JSON contract (docs/json.md), in order: written out here, not taken from the code.
ISSUE_RECORD_KEYS = [
    "severity",
    "code",
    "message",
    "fix",
    "file",
    "sheet",
    "ref",
    "row",
    "column",
    "field",
    "value",
    "member",
    "cell",
]

HEADER = columns_without("Cấp bậc", "Chức vụ Đảng", "Số CCCD")


def member(
    name: str = "Nguyễn Văn An",
    born: Any = dt.datetime(1985, 3, 5),
    sex: str = "Nam",
    admitted: Any = dt.datetime(2010, 5, 19),
    official: Any = dt.datetime(2011, 5, 19),
    card: str = "01234567",
    seq: int = 1,
    **extra: Any,
) -> list[Any]:
    """One row matching HEADER."""
    return [
        seq,
        name,
        born,
        sex,
        extra.get("ethnicity", "Kinh"),
        extra.get("religion", "Không"),
        extra.get("home_town", "Hà Nội"),
        extra.get("education", "12/12"),
        admitted,
        official,
        card,
    ]


def write_workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    merges: dict[str, Sequence[str]] | None = None,
    hidden_rows: dict[str, Sequence[int]] | None = None,
) -> Path:
    """Write ``{sheet: rows}`` with openpyxl; dates get a dd/mm/yyyy format."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime | dt.date):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(cell.value, str) and cell.value.isdigit():
                    cell.number_format = "@"
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``make_workbook(name, {sheet: rows}, merges=…)`` -> path in tmp_path."""

    def _make(name: str, sheets: dict[str, Sequence[Sequence[Any]]], **kwargs: Any) -> Path:
        return write_workbook(tmp_path / name, sheets, **kwargs)

    return _make
