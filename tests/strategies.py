"""Valid members and rosters for tests: fixed examples and hypothesis strategies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from conftest import ROSTER_COLUMNS, write_workbook

AS_OF = dt.date(2020, 3, 31)
COLUMNS = ROSTER_COLUMNS
LETTER = {name: chr(ord("A") + i) for i, name in enumerate(COLUMNS)}
FIRST_DATA_ROW = 3  # row 1 header, row 2 the section "I. Chi bộ …"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, the day clipped to the month's end."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cccd_for(born: dt.date, sex: str, serial: int = 123456, province: str = "001") -> str:
    """A CCCD whose sex/century and year digits agree with the person (docs/domain.md §10)."""
    digit = (born.year // 100 - 19) * 2 + (1 if sex == "Nữ" else 0)
    return f"{province}{digit}{born.year % 100:02d}{serial:06d}"


@dataclass(frozen=True)
class Member:
    """One valid member; ``row()`` gives the cells under COLUMNS."""

    name: str
    born: dt.date
    sex: str
    admitted: dt.date
    card: str
    rank: str = "Đại úy"
    post: str | None = None
    ethnicity: str = "Kinh"
    religion: str = "Không"
    home_town: str = "Hà Nội"
    education: str = "12/12"
    official: Any = "auto"
    cccd: Any = "auto"

    def row(self, seq: int) -> list[Any]:
        official = add_months(self.admitted, 12) if self.official == "auto" else self.official
        if official != "auto" and isinstance(official, dt.date) and official > AS_OF:
            official = None
        cccd = cccd_for(self.born, self.sex, serial=int(self.card) % 1000000) if self.cccd == "auto" else self.cccd
        as_dt = [
            dt.datetime.combine(d, dt.time()) if isinstance(d, dt.date) and not isinstance(d, dt.datetime) else d
            for d in (self.born, self.admitted, official)
        ]
        return [
            seq,
            self.name,
            as_dt[0],
            self.sex,
            self.ethnicity,
            self.religion,
            self.home_town,
            self.education,
            self.rank,
            self.post,
            as_dt[1],
            as_dt[2],
            self.card,
            cccd,
        ]


def base_members() -> list[Member]:
    """Four valid members of one cell: a secretary, three officials, no warnings at AS_OF."""
    return [
        Member("Nguyễn Văn An", dt.date(1980, 3, 5), "Nam", dt.date(2005, 5, 19), "01234567", "Thiếu tá", "Bí thư"),
        Member("Trần Thị Bình", dt.date(1988, 7, 8), "Nữ", dt.date(2012, 2, 3), "01234568"),
        Member("Lê Văn Cường", dt.date(1990, 1, 20), "Nam", dt.date(2015, 9, 2), "01234569", "Thượng úy"),
        Member("Phạm Văn Dũng", dt.date(1992, 11, 30), "Nam", dt.date(2019, 11, 7), "01234570", "Trung úy"),
    ]


def write_roster(path: Path, members: Sequence[Member], cell: str = "I. Chi bộ Đội Tổng hợp") -> Path:
    """An office-style sheet "DS": header, a section row, then one row per member."""
    rows: list[list[Any]] = [COLUMNS, [cell]]
    rows += [m.row(i) for i, m in enumerate(members, start=1)]
    return write_workbook(path, {"DS": rows})


def ref(field: str, index: int) -> str:
    """The A1 ref of COLUMNS header ``field`` for member ``index`` (0-based)."""
    return f"{LETTER[field]}{FIRST_DATA_ROW + index}"


def with_change(members: list[Member], index: int, **changes: Any) -> list[Member]:
    """A copy of ``members`` with one member changed."""
    out = list(members)
    out[index] = replace(out[index], **changes)
    return out


# --- hypothesis -------------------------------------------------------------------------------------
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hòa", "Thủy", "Trường", "Nghĩa", "Lan", "Hương", "Tuấn"]


@st.composite
def members(draw: st.DrawFn, index: int = 0) -> Member:
    """A valid member admitted at 18–40, official date consistent, far from any service-age limit."""
    sex = draw(st.sampled_from(["Nam", "Nữ"]))
    middle = draw(st.sampled_from(MIDDLE_F if sex == "Nữ" else MIDDLE_M))
    name = f"{draw(st.sampled_from(FAMILY))} {middle} {draw(st.sampled_from(GIVEN))} {index}"
    born = draw(st.dates(dt.date(1973, 1, 1), dt.date(1996, 12, 31)))
    age_months = draw(st.integers(18 * 12 + 1, 40 * 12))
    admitted = add_months(born, age_months) + dt.timedelta(days=draw(st.integers(0, 20)))
    if admitted > AS_OF:
        admitted = AS_OF - dt.timedelta(days=draw(st.integers(0, 300)))
    if (admitted - born).days < 18 * 366:
        admitted = add_months(born, 19 * 12)
    rank = draw(st.sampled_from(["Thiếu úy", "Trung úy", "Thượng úy", "Đại úy"]))
    age_now = (AS_OF - born).days // 365
    if age_now < 27:
        rank = "Thiếu úy"
    text_dates = draw(st.booleans())
    born_value: Any = born.strftime("%d/%m/%Y") if text_dates else born
    return Member(
        name,
        born_value,
        sex,
        admitted,
        f"{10000000 + index:08d}",
        rank,
        ethnicity=draw(st.sampled_from(["Kinh", "Tày", "Mường", "Khmer", "Thái"])),
        religion=draw(st.sampled_from(["Không", "Phật giáo", "Công giáo"])),
        cccd=cccd_for(born, sex, serial=index % 1000000),
    )


@st.composite
def valid_rosters(draw: st.DrawFn) -> list[Member]:
    """3–12 valid members of one cell, the first of them its secretary and all official."""
    size = draw(st.integers(3, 12))
    drawn = [draw(members(index=i)) for i in range(size)]
    out = []
    for i, m in enumerate(drawn):
        admitted = m.admitted if i >= 3 else min(m.admitted, dt.date(2019, 1, 1))
        if isinstance(m.born, dt.date) and (admitted - m.born).days < 18 * 366:
            admitted = add_months(m.born, 19 * 12)
        out.append(replace(m, admitted=admitted, post="Bí thư" if i == 0 else None))
    if size >= 9:
        out[1] = replace(out[1], post="Chi ủy viên")
    return out
