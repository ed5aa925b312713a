"""Generate large, realistic member rosters for the benchmarks (cached in benchmarks/.cache/).

The layout is the office layout of ``sample_data/danh_sach_dang_vien.xlsx`` (sample_data/README.md):
title rows 1-5, a two-row merged header on rows 7-8 ("Ngày, tháng, năm sinh" over "Nam" | "Nữ",
"Trình độ" over "Học vấn" | "Chuyên môn" | "Lý luận chính trị"), the numbering row "(1)" … "(18)" on
row 9, then one section row "I. Chi bộ …" per cell of 15-30 members, the footer "Tổng cộng: N đồng chí"
and the signature block. Column S "Mã" is hidden. About 20% of the dates are text in mixed forms
("05/03/1985", "5/3/1985", "05.03.1985", "05-03-1985"), the rest real Excel dates; 2% of the home towns are
TCVN3 text read as cp1252 ("x· §«ng Héi, huyÖn §«ng Anh, Hµ Néi"); card and CCCD numbers are text cells
with their leading zeros. Apart from the planted problems (``--invalid``), every row passes every rule of
schemas/ at the as-of date 31/03/2020 (the same guarantees as sample_data/README.md).

Planted problems, one per planted row (``--invalid`` is the share of member rows): unknown ethnicity,
missing ethnicity, official date off by days, official date missing, admission under 18, admission after
the as-of date, impossible birth date, 7-digit card number, 11-digit (rarely 13-digit) CCCD, CCCD digit 4
or digits 5-6 not matching sex/birth year, unknown rank, and a card number shared with the row above
(2 issues).
A sidecar ``<file>.json`` records what was planted and how many error issues a correct validator reports.

Files are written with xlsxwriter in constant_memory mode (rows streamed, strings written inline), or with a
shared-strings table like Excel itself writes (``--shared-strings``, slower and memory-hungry). Output is
deterministic for given parameters, and cached: an existing file with the same parameters is reused.

    python benchmarks/generate.py --members 100000 --invalid 0.01
    python benchmarks/generate.py --members 20 --folder 1000          # 1,000 cell workbooks in one folder
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
GENERATOR_VERSION = 6  # bump when the output changes, so cached files are regenerated
SEED = 20200331
AS_OF = date(2020, 3, 31)
FIXED_TIME = datetime(2020, 3, 31, 8, 0, 0)
SHEET = "Danh sách"
EXCEL_EPOCH = date(1899, 12, 30)

# (group header, sub-headers): the 18 columns A..R of the sample, in order. Column S is a hidden "Mã".
HEADER: list[tuple[str, list[str]]] = [
    ("STT", []),
    ("Họ và tên", []),
    ("Ngày, tháng, năm sinh", ["Nam", "Nữ"]),
    ("Dân tộc", []),
    ("Tôn giáo", []),
    ("Quê quán", []),
    ("Trình độ", ["Học vấn", "Chuyên môn", "Lý luận chính trị"]),
    ("Cấp bậc", []),
    ("Chức vụ", []),
    ("Chức vụ Đảng", []),
    ("Ngày vào Đảng", []),
    ("Ngày chính thức", []),
    ("Số thẻ đảng viên", []),
    ("Số CCCD", []),
    ("Ghi chú", []),
]
WIDTHS = [5, 24, 11.5, 11.5, 8, 10, 36, 8, 11, 10, 10, 24, 12, 11.5, 11.5, 11, 14, 16, 10]
(
    C_SEQ,
    C_NAME,
    C_BIRTH_M,
    C_BIRTH_F,
    C_ETH,
    C_REL,
    C_HOME,
    C_EDU,
    C_PROF,
    C_POL,
    C_RANK,
    C_POS,
    C_POST,
    C_ADMIT,
    C_OFFICIAL,
    C_CARD,
    C_CCCD,
    C_NOTE,
    C_CODE,
) = range(19)
TEXT_DATE_FORMATS = ("{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{d:02d}.{m:02d}.{y}", "{d:02d}-{m:02d}-{y}")
TEXT_DATE_SHARE = 0.20
TCVN3_SHARE = 0.02
PROBATIONARY_SHARE = 0.04
HIDDEN_ROW_SHARE = 0.001

RANKS = [
    "Hạ sĩ",
    "Trung sĩ",
    "Thượng sĩ",
    "Thiếu úy",
    "Trung úy",
    "Thượng úy",
    "Đại úy",
    "Thiếu tá",
    "Trung tá",
    "Thượng tá",
    "Đại tá",
]
# Service-age limit (men, women), police law 2018 (schemas/roster.yaml), and plausible minimum age.
RANK_LIMIT = {
    **dict.fromkeys(RANKS[:3], (45, 45)),
    **dict.fromkeys(RANKS[3:7], (53, 53)),
    "Thiếu tá": (55, 53),
    "Trung tá": (55, 53),
    "Thượng tá": (58, 55),
    "Đại tá": (60, 55),
}
RANK_MIN_AGE = {
    "Hạ sĩ": 18,
    "Trung sĩ": 18,
    "Thượng sĩ": 19,
    "Thiếu úy": 20,
    "Trung úy": 21,
    "Thượng úy": 23,
    "Đại úy": 25,
    "Thiếu tá": 28,
    "Trung tá": 31,
    "Thượng tá": 34,
    "Đại tá": 37,
}
MARGIN_YEARS = 7  # everyone reaches the service-age limit after the 2020-2025 term: no error, no warning
AGE_BANDS = [
    (26, ["Hạ sĩ", "Trung sĩ", "Thượng sĩ", "Thiếu úy", "Thiếu úy"]),
    (30, ["Thượng sĩ", "Thiếu úy", "Trung úy", "Trung úy"]),
    (35, ["Trung úy", "Thượng úy", "Thượng úy", "Đại úy"]),
    (41, ["Thượng úy", "Đại úy", "Đại úy", "Thiếu tá"]),
    (99, ["Đại úy", "Thiếu tá", "Trung tá", "Thượng tá"]),
]

FAMILY = {
    "Nguyễn": 30,
    "Trần": 12,
    "Lê": 10,
    "Phạm": 8,
    "Hoàng": 5,
    "Vũ": 5,
    "Đặng": 4,
    "Bùi": 4,
    "Đỗ": 4,
    "Ngô": 3,
    "Phan": 3,
    "Hồ": 2,
    "Dương": 2,
    "Đinh": 2,
    "Trịnh": 2,
    "Lý": 1,
    "Lương": 1,
    "Mai": 1,
    "Cao": 1,
    "Tạ": 1,
    "Hà": 1,
    "Lâm": 1,
    "Đào": 1,
    "Trương": 1,
    "Tô": 1,
    "Kiều": 1,
}
MINORITY_FAMILY = {
    "Tày": ["Hoàng", "Nông", "Lục", "Ma"],
    "Nùng": ["Nông", "Hoàng", "Lương", "Vi"],
    "Mường": ["Bùi", "Đinh", "Quách", "Hà"],
    "Thái": ["Lò", "Cầm", "Lường", "Vi"],
    "Khmer": ["Thạch", "Sơn", "Danh", "Kim"],
    "Mông": ["Giàng", "Vàng", "Thào", "Sùng"],
    "Dao": ["Triệu", "Bàn", "Đặng", "Lý"],
    "Ê Đê": ["Ksor", "Niê", "Mlô", "Êban"],
}
MIDDLE_MALE = {
    "Văn": 30,
    "Đức": 8,
    "Minh": 8,
    "Hữu": 6,
    "Thanh": 5,
    "Quang": 5,
    "Mạnh": 4,
    "Xuân": 4,
    "Ngọc": 3,
    "Tiến": 3,
    "Công": 3,
    "Trọng": 3,
    "Anh": 2,
    "Việt": 2,
    "Đình": 3,
    "Bá": 2,
    "Huy": 2,
    "Quốc": 2,
    "Thế": 2,
    "Duy": 2,
}
MIDDLE_FEMALE = {
    "Thị": 60,
    "Thu": 8,
    "Thanh": 6,
    "Ngọc": 6,
    "Hồng": 5,
    "Minh": 4,
    "Phương": 4,
    "Kim": 3,
    "Thùy": 3,
    "Mai": 2,
    "Bích": 2,
    "Diệu": 2,
}
GIVEN_MALE = [
    "An",
    "Bình",
    "Chiến",
    "Công",
    "Cường",
    "Duy",
    "Dũng",
    "Đạt",
    "Đông",
    "Đức",
    "Giang",
    "Hải",
    "Hậu",
    "Hiệp",
    "Hiếu",
    "Hòa",
    "Hoàng",
    "Hùng",
    "Huy",
    "Hưng",
    "Khải",
    "Khánh",
    "Kiên",
    "Lâm",
    "Lộc",
    "Long",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thái",
    "Thắng",
    "Thành",
    "Thịnh",
    "Tiến",
    "Toàn",
    "Trung",
    "Trường",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Bảo",
    "Cảnh",
    "Định",
    "Hào",
    "Khoa",
    "Lực",
    "Ninh",
    "Quyết",
    "Tâm",
    "Thuận",
    "Trí",
    "Vũ",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Huyền",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Tâm",
    "Thảo",
    "Thu",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
    "Duyên",
    "Hoài",
    "Lụa",
    "My",
    "Nhàn",
    "Quyên",
    "Thoa",
    "Uyên",
]
# Mostly canonical values, with a few aliases that the code lists accept (mapped, never an issue).
ETHNICITY = {
    "Kinh": 86.0,
    "Tày": 2.5,
    "Mường": 2.0,
    "Thái": 2.5,
    "Nùng": 1.5,
    "Khmer": 1.0,
    "Khơ-me": 0.3,
    "Mông": 1.2,
    "H'Mông": 0.3,
    "Dao": 1.2,
    "Ê Đê": 0.5,
    "Hoa": 0.5,
    "Gia Rai": 0.5,
}
RELIGION = {"Không": 90.0, "Phật giáo": 5.0, "Công giáo": 4.0, "Thiên Chúa giáo": 0.5, "Tin Lành": 0.3, "Cao Đài": 0.2}
NOTES = {"": 97.0, "Chuyển đến năm 2019": 1.0, "Miễn sinh hoạt": 0.5, "Đi học": 1.0, "Biệt phái": 0.5}
UNITS = [
    "Đội Tổng hợp",
    "Đội Cảnh sát hình sự",
    "Đội An ninh",
    "Đội Cảnh sát kinh tế",
    "Đội Cảnh sát ma túy",
    "Đội Cảnh sát giao thông - trật tự",
    "Đội Cảnh sát quản lý hành chính về trật tự xã hội",
    "Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
    "Đội Cảnh sát phòng cháy chữa cháy",
    "Đội Cảnh sát điều tra tội phạm về trật tự xã hội",
    "Đội Tham mưu",
    "Đội Xây dựng phong trào",
    "Đồn Công an",
    "Công an xã",
    "Công an phường",
    "Trại tạm giam",
    "Đội Cảnh sát cơ động",
]
# (CCCD province code of birth registration, province) — codes of QĐ 124/2004/QĐ-TTg / Thông tư 59/2021.
PROVINCES = [
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
]
DISTRICTS = [
    "Đông Anh",
    "Gia Lâm",
    "Thanh Oai",
    "Yên Bình",
    "Văn Yên",
    "Đồng Hỷ",
    "Phú Lương",
    "Đầm Hà",
    "Lâm Thao",
    "Tiên Lãng",
    "Duy Tiên",
    "Thanh Liêm",
    "Hải Hậu",
    "Giao Thủy",
    "Hoằng Hóa",
    "Thiệu Hóa",
    "Nam Đàn",
    "Diễn Châu",
    "Tân Sơn",
    "Bá Thước",
    "Văn Chấn",
    "Quỳ Châu",
    "Vĩnh Châu",
    "Kim Sơn",
    "Tiền Hải",
    "Kiến Xương",
    "Cẩm Giàng",
    "Thuận Thành",
    "Lục Nam",
    "Phù Cừ",
]
COMMUNES = [
    "Đông Hội",
    "Phù Đổng",
    "Tam Hưng",
    "Tân Hương",
    "Đại Phác",
    "Hóa Thượng",
    "Phấn Mễ",
    "Bình Dương",
    "Quảng Tân",
    "Tiên Kiên",
    "Văn Lung",
    "An Hưng",
    "Kiến Thiết",
    "Tiên Ngoại",
    "Liêm Tuyền",
    "Hải Thanh",
    "Yên Lợi",
    "Giao Thiện",
    "Hoằng Lộc",
    "Thiệu Trung",
    "Kim Liên",
    "Diễn Thành",
    "Minh Đài",
    "Thành Lâm",
    "Nghĩa Tâm",
    "Châu Tiến",
    "Lai Hòa",
    "Cảm Nhân",
    "Định Biên",
    "Tân Lập",
    "Hòa Bình",
    "Đông Hưng",
    "Xuân Phong",
    "Hồng Thái",
    "Trung Hòa",
    "Phú Xuân",
    "Nghĩa Hưng",
    "Tân Phong",
    "Quang Trung",
    "Minh Tân",
]
LEGACY_SAMPLE = ("xã Đông Hội, huyện Đông Anh, Hà Nội", "x· §«ng Héi, huyÖn §«ng Anh, Hµ Néi")

PLANT_KINDS = (
    "unknown-ethnicity",
    "missing-ethnicity",
    "official-date-mismatch",
    "official-date-missing",
    "admission-age-under-18",
    "date-after-as-of",
    "invalid-date",
    "invalid-card-number",
    "invalid-cccd",
    "cccd-sex-mismatch",
    "cccd-year-mismatch",
    "unknown-rank",
    "duplicate-card-number",
)
# error issues a correct validator reports per planted row of each kind (a shared card flags both rows)
PLANT_ISSUES = {kind: 1 for kind in PLANT_KINDS} | {"duplicate-card-number": 2}
# a member registered in two provinces of the national set (the same row in both files): the card number and
# the CCCD each flag both rows once the files are checked together (the same name and birth date is then the
# same problem, not reported again); neither file alone has anything wrong
TWIN_ISSUES = 4


# ---------------------------------------------------------------- small helpers


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, the day clamped to the end of a shorter month."""
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return date(year, month0 + 1, min(d.day, monthrange(year, month0 + 1)[1]))


def no_leap_day(d: date) -> date:
    return d.replace(day=28) if (d.month, d.day) == (2, 29) else d


def roman(n: int) -> str:
    """Roman numerals up to 3999; Arabic beyond (an office file of that size numbers cells plainly)."""
    if n > 3999:
        return str(n)
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def tcvn3_table() -> dict[str, str] | None:
    """Unicode letter -> the character a TCVN3 (.VnTime) byte shows when read as cp1252.

    Built once from glibc's ``iconv -t TCVN5712-1`` (an independent reference; the library has its own
    table). Only letters that VN3 fonts hold in one byte 0xA1-0xFF are kept. None without iconv.
    """
    letters = sorted(
        {c for word in [*DISTRICTS, *COMMUNES, *(p for _, p in PROVINCES), "xã huyện"] for c in word if ord(c) > 127}
    )
    try:
        out = subprocess.run(
            ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
            input="\n".join(letters).encode(),
            capture_output=True,
            check=True,
        ).stdout.split(b"\n")
    except (OSError, subprocess.CalledProcessError):
        return None
    table = {}
    for letter, raw in zip(letters, out, strict=True):
        if len(raw) == 1 and raw[0] >= 0xA1:
            table[letter] = raw.decode("cp1252")
    return table


class _Lazy:
    """The TCVN3 table, built on first use only (one iconv call per process)."""

    def __init__(self) -> None:
        self.done, self.table = False, None

    def get(self) -> dict[str, str] | None:
        if not self.done:
            self.table, self.done = tcvn3_table(), True
            if self.table is None:
                print("warning: iconv not found: no TCVN3 text in the generated rosters", file=sys.stderr)
        return self.table


_TCVN3 = _Lazy()


def to_tcvn3(text: str, table: dict[str, str]) -> str | None:
    out = []
    for c in text:
        if ord(c) < 128:
            out.append(c)
        elif c in table:
            out.append(table[c])
        else:
            return None
    return "".join(out)


# ---------------------------------------------------------------- members


@dataclass
class Member:
    seq: int
    full_name: str
    female: bool
    birth: date
    ethnicity: str
    religion: str
    home_town: str
    education: str
    professional: str
    political_theory: str
    rank: str
    position: str
    party_post: str
    admitted_on: date
    official_on: date | None
    card_number: str
    cccd: str
    note: str
    code: str
    text_dates: dict[str, int] = field(default_factory=dict)
    birth_text: str | None = None  # a planted impossible birth date, written as text
    hidden: bool = False
    legacy_font: bool = False  # home town typed in TCVN3 with a .VnTime font


class Roster:
    """Streams the members of one file, cell by cell; every random choice comes from one seeded RNG."""

    def __init__(
        self,
        members: int,
        invalid: float,
        seed: int,
        uid_start: int,
        province: int,
        cell_size: tuple[int, int],
        tcvn3: dict[str, str] | None,
        taken: set[tuple[str, date]] | None = None,
        cell_names: set[str] | None = None,
        own_code: bool = False,
        twins_in: list[Member] | None = None,
        twins_out: int = 0,
    ) -> None:
        self.rng = random.Random(seed)
        # the CCCD's province code: the file's own province (the national set: no two files share a code, so
        # two people of different files never get the same number by chance), else the home town's
        self.own_code = own_code
        self.uid = uid_start
        self.province = province
        self.tcvn3 = tcvn3
        self.tcvn3_cache: dict[str, str | None] = {}
        self.taken: set[tuple[str, date]] = set() if taken is None else taken
        self.cell_names: set[str] = set() if cell_names is None else cell_names
        # cell sizes first, so the planted rows can be drawn exactly among the eligible ones
        sizes: list[int] = []
        total = 0
        while total < members:
            size = min(self.rng.randint(*cell_size), members - total)
            if size < cell_size[0] and sizes:
                sizes[-1] += size
            else:
                sizes.append(size)
            total += size
        self.sizes = sizes
        # roles: index 0 Bí thư, 1 Phó Bí thư or Chi ủy viên, 2-3 Chi ủy viên; the rest ordinary members
        eligible = [
            start + i for start, size in zip(self._starts(), sizes, strict=True) for i in range(min(4, size), size)
        ]
        # exact for a large file; for a 20-member cell workbook, 1% means one planted row in every fifth file
        share = invalid * members
        count = min(len(eligible), int(share) + (self.rng.random() < share - int(share)))
        chosen = sorted(self.rng.sample(eligible, count)) if count else []
        self.planted: dict[int, str] = {}
        self.plant_rng = random.Random(seed + 1)
        for index in chosen:
            self.planted[index] = PLANT_KINDS[self.plant_rng.randrange(len(PLANT_KINDS))]
        self.counts: dict[str, int] = {k: 0 for k in PLANT_KINDS}
        # twins: rows copied to the next province's file (out) and rows of this file that are the previous
        # province's copies (in); ordinary members, never beside a planted row (a planted shared card would
        # copy the twin's and make the group three rows)
        free = [
            i for i in eligible if i not in self.planted and i + 1 not in self.planted and i - 1 not in self.planted
        ]
        twin_rng = random.Random(seed + 2)
        incoming = list(twins_in or [])
        slots = twin_rng.sample(free, min(len(free), len(incoming) + twins_out))
        self.twins_in: dict[int, Member] = dict(zip(sorted(slots[: len(incoming)]), incoming, strict=False))
        self.twins_out: set[int] = set(slots[len(incoming) :])
        self.emigrants: list[Member] = []
        self.short_ids: set[str] = set()
        self.stats = {"text_dates": 0, "tcvn3": 0, "probationary": 0, "hidden_rows": 0, "leading_zero_ids": 0}

    def _starts(self) -> list[int]:
        out, at = [], 0
        for size in self.sizes:
            out.append(at)
            at += size
        return out

    def cell_name(self) -> str:
        rng = self.rng
        unit = rng.choice(UNITS)
        place = rng.choice(DISTRICTS)
        if unit in ("Công an xã", "Công an phường"):
            base = f"{unit} {rng.choice(COMMUNES)}"
        elif unit == "Đồn Công an":
            base = f"{unit} KCN {rng.choice(COMMUNES)}"
        else:
            base = f"{unit} Công an huyện {place}"
        name, k = base, 1
        while name in self.cell_names:
            k += 1
            name = f"{base} số {k}"
        self.cell_names.add(name)
        return f"Chi bộ {name}"

    def _home_town(self, province: tuple[str, str]) -> str:
        rng = self.rng
        return f"xã {rng.choice(COMMUNES)}, huyện {rng.choice(DISTRICTS)}, {province[1]}"

    def _name(self, ethnicity: str, female: bool, birth: date) -> str:
        rng = self.rng
        while True:
            if ethnicity in MINORITY_FAMILY:
                family = rng.choice(MINORITY_FAMILY[ethnicity])
            else:
                family = rng.choices(list(FAMILY), list(FAMILY.values()))[0]
            middles = MIDDLE_FEMALE if female else MIDDLE_MALE
            middle = rng.choices(list(middles), list(middles.values()))[0]
            name = f"{family} {middle} {rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)}"
            if (name, birth) not in self.taken:  # no accidental "same person" (name + birth date)
                self.taken.add((name, birth))
                return name

    def member(self, cell_index: int, seq: int, role: int, row_index: int) -> Member:
        rng = self.rng
        self.uid += 1
        uid = self.uid
        female = rng.random() < (0.08 if role == 0 else 0.25)
        if role == 0:
            rank, age = rng.choice(["Thiếu tá", "Trung tá"]), rng.randint(36, 48)
        elif role == 1:
            rank, age = rng.choice(["Đại úy", "Thiếu tá"]), rng.randint(32, 46)
        else:
            age = int(rng.triangular(23, 52, 30))
            rank = rng.choice(next(choices for top, choices in AGE_BANDS if age <= top))
        oldest = RANK_LIMIT[rank][female] - MARGIN_YEARS
        age = max(RANK_MIN_AGE[rank] + 1, 22, min(age, oldest))
        birth = no_leap_day(add_months(AS_OF, -12 * age) - timedelta(days=rng.randint(0, 364)))
        ethnicity = rng.choices(list(ETHNICITY), list(ETHNICITY.values()))[0]
        province = PROVINCES[self.province] if rng.random() < 0.7 else rng.choice(PROVINCES)
        home = self._home_town(province)
        legacy_font = False
        if self.tcvn3 is not None and rng.random() < TCVN3_SHARE:
            if home not in self.tcvn3_cache:
                self.tcvn3_cache[home] = to_tcvn3(home, self.tcvn3)
            legacy = self.tcvn3_cache[home]
            if legacy is not None:
                home, legacy_font = legacy, True
                self.stats["tcvn3"] += 1
        religion = (
            "Phật giáo" if ethnicity in ("Khmer", "Khơ-me") else rng.choices(list(RELIGION), list(RELIGION.values()))[0]
        )
        level = RANKS.index(rank)
        education = (
            "10/10" if birth.year <= 1975 and rng.random() < 0.5 else ("9/12" if rng.random() < 0.02 else "12/12")
        )
        if level < 3:
            professional = rng.choice(["Trung cấp", "Trung cấp", "Cao đẳng"])
        elif level < 7:
            professional = rng.choices(["Đại học", "Cao đẳng", "Trung cấp"], [7, 2, 1])[0]
        else:
            professional = rng.choices(["Đại học", "Thạc sĩ"], [4, 1])[0]
        if level >= 9:
            political = "Cao cấp"
        elif level >= 7 or role == 1:
            political = rng.choices(["Trung cấp", "Cao cấp"], [4, 1])[0]
        else:
            political = rng.choice(["Sơ cấp", "Trung cấp"]) if level >= 5 else "Sơ cấp"
        position = (
            "Đội trưởng"
            if role == 0
            else "Phó Đội trưởng"
            if role == 1
            else rng.choice(["Cán bộ", "Cán bộ", "Cán bộ", "Điều tra viên", "Trinh sát viên"])
        )
        post = {
            0: "Bí thư",
            1: "Phó Bí thư" if rng.random() < 0.6 else "Chi ủy viên",
            2: "Chi ủy viên",
            3: "Chi ủy viên",
        }.get(min(seq - 1, 4), "")
        lo = add_months(birth, 18 * 12 + 6)
        hi = min(add_months(birth, 30 * 12), add_months(AS_OF, -14))
        admitted = no_leap_day(lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days))))
        official: date | None = add_months(admitted, 12)
        if not post and age <= 35 and row_index not in self.planted and rng.random() < PROBATIONARY_SHARE / 0.6:
            admitted = no_leap_day(add_months(AS_OF, -11) + timedelta(days=rng.randint(0, 310)))
            official = None
            political = "Sơ cấp"
            self.stats["probationary"] += 1
        card = f"{(uid * 48271 + 12345678) % 10**8:08d}"  # unique for uid < 10^8
        century = (2 if birth.year >= 2000 else 0) + (1 if female else 0)
        code = PROVINCES[self.province][0] if self.own_code else province[0]
        cccd = f"{code}{century}{birth.year % 100:02d}{(uid * 7919 + 13) % 10**6:06d}"
        self.stats["leading_zero_ids"] += (card[0] == "0") + (cccd[0] == "0")
        m = Member(
            seq,
            self._name(ethnicity, female, birth),
            female,
            birth,
            ethnicity,
            religion,
            home,
            education,
            professional,
            political,
            rank,
            position,
            post,
            admitted,
            official,
            card,
            cccd,
            rng.choices(list(NOTES), list(NOTES.values()))[0],
            f"M{uid:08d}",
            legacy_font=legacy_font,
        )
        for name in ("birth_date", "admitted_on", "official_on"):
            if rng.random() < TEXT_DATE_SHARE:
                m.text_dates[name] = rng.randrange(len(TEXT_DATE_FORMATS))
        self.stats["text_dates"] += len(m.text_dates) - (official is None and "official_on" in m.text_dates)
        if rng.random() < HIDDEN_ROW_SHARE:
            m.hidden = True
            self.stats["hidden_rows"] += 1
        return m

    def plant(self, m: Member, kind: str, previous: Member | None, previous_planted: bool) -> str:
        """Break one rule on ``m``; returns the kind actually planted."""
        rng = self.plant_rng
        if kind == "duplicate-card-number" and (previous is None or previous_planted):
            kind = "unknown-ethnicity"
        if kind == "unknown-ethnicity":
            m.ethnicity = "Kinhh"
        elif kind == "missing-ethnicity":
            m.ethnicity = ""
        elif kind == "official-date-mismatch":
            assert m.official_on
            days = rng.randint(3, 20)
            shifted = m.official_on + timedelta(days=days)
            m.official_on = shifted if shifted <= AS_OF else m.official_on - timedelta(days=days)
        elif kind == "official-date-missing":
            m.official_on = None
        elif kind == "admission-age-under-18":
            m.admitted_on = add_months(m.birth, 17 * 12 + 8)
            m.official_on = add_months(m.admitted_on, 12)
        elif kind == "date-after-as-of":
            m.admitted_on, m.official_on = date(2020, 6, 15), None
        elif kind == "invalid-date":
            m.birth_text = f"31/02/{m.birth.year}"
        elif kind == "invalid-card-number":
            m.card_number = m.card_number[1:]
        elif kind == "invalid-cccd":
            # 11 digits; two cut numbers may coincide and would be a genuine duplicate: then 13 digits
            short = m.cccd[:11]
            m.cccd = short if short not in self.short_ids else m.cccd + "0"
            self.short_ids.add(m.cccd)
        elif kind == "cccd-sex-mismatch":
            digit = int(m.cccd[3])
            m.cccd = m.cccd[:3] + str(digit ^ 1) + m.cccd[4:]
        elif kind == "cccd-year-mismatch":
            m.cccd = m.cccd[:4] + f"{(m.birth.year + 1) % 100:02d}" + m.cccd[6:]
        elif kind == "unknown-rank":
            m.rank = "Thiếu ta"
        elif kind == "duplicate-card-number":
            assert previous is not None
            m.card_number = previous.card_number
        self.counts[kind] += 1
        return kind


# ---------------------------------------------------------------- workbook


class Writer:
    """One roster workbook in the office layout, streamed row by row."""

    def __init__(
        self, path: Path, *, shared_strings: bool, organisation: str, cell_title: str | None, place: str
    ) -> None:
        self.wb = xlsxwriter.Workbook(
            # the temporary files go beside the output: benchmarks/.cache need not exist (``--out`` elsewhere)
            str(path),
            {"constant_memory": not shared_strings, "tmpdir": str(path.parent), "use_zip64": True},
        )
        self.wb.set_properties({"title": "Danh sách đảng viên", "author": "Văn phòng Đảng ủy", "created": FIXED_TIME})
        self.ws = self.wb.add_worksheet(SHEET)
        base = {"font_name": "Times New Roman", "font_size": 11, "border": 1, "valign": "vcenter"}
        f = self.wb.add_format
        self.f_center = f({**base, "align": "center", "text_wrap": True})
        self.f_left = f({**base, "align": "left", "text_wrap": True})
        self.f_text = f({**base, "align": "center", "num_format": "@"})
        self.f_date = f({**base, "align": "center", "num_format": "dd/mm/yyyy"})
        self.f_legacy = f({**base, "align": "left", "text_wrap": True, "font_name": ".VnTime", "font_size": 12})
        self.f_head = f({**base, "bold": True, "align": "center", "text_wrap": True})
        self.f_num = f({**base, "italic": True, "font_size": 10, "align": "center"})
        self.f_section = f({**base, "bold": True, "align": "left"})
        self.f_title = f({"font_name": "Times New Roman", "font_size": 12, "bold": True, "align": "center"})
        self.f_title_big = f({"font_name": "Times New Roman", "font_size": 14, "bold": True, "align": "center"})
        self.f_italic = f({"font_name": "Times New Roman", "font_size": 12, "italic": True, "align": "center"})
        self.f_plain = f({"font_name": "Times New Roman", "font_size": 11})
        self.f_footer = f({"font_name": "Times New Roman", "font_size": 12, "bold": True, "align": "left"})
        self.f_sign = f({"font_name": "Times New Roman", "font_size": 12, "bold": True, "align": "center"})
        ws = self.ws
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width, None, {"hidden": True} if col == C_CODE else None)
        ws.freeze_panes(9, 2)
        ws.set_landscape()
        ws.set_paper(9)
        ws.repeat_rows(6, 8)
        self.row = 0
        self._titles(organisation, cell_title, place)

    def _merge_rows(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Register a merge across rows without writing (constant_memory cannot go back a row)."""
        self.ws.merge.append([r1, c1, r2, c2])

    def _titles(self, organisation: str, cell_title: str | None, place: str) -> None:
        ws = self.ws
        ws.merge_range(0, 0, 0, 5, organisation.upper(), self.f_title)
        ws.merge_range(0, 11, 0, 17, "ĐẢNG CỘNG SẢN VIỆT NAM", self.f_title)
        ws.merge_range(1, 0, 1, 5, cell_title.upper() if cell_title else "*", self.f_title)
        ws.merge_range(2, 11, 2, 17, f"{place}, ngày {AS_OF.day} tháng {AS_OF.month} năm {AS_OF.year}", self.f_italic)
        ws.merge_range(3, 0, 3, 17, "DANH SÁCH ĐẢNG VIÊN", self.f_title_big)
        ws.merge_range(4, 0, 4, 17, f"(Tính đến ngày {AS_OF:%d/%m/%Y})", self.f_italic)
        # two-row header, rows 7-8 (0-based 6-7): top row first, then sub-headers, merges registered apart
        ws.set_row(6, 30)
        col = 0
        spans = []
        for text, subs in HEADER:
            width = max(len(subs), 1)
            ws.write_string(6, col, text, self.f_head)
            for extra in range(1, width):
                ws.write_blank(6, col + extra, None, self.f_head)
            spans.append((col, width, subs))
            col += width
        ws.write_string(6, C_CODE, "Mã", self.f_plain)
        ws.set_row(7, 30)
        for start, width, subs in spans:
            for i in range(width):
                if subs:
                    ws.write_string(7, start + i, subs[i], self.f_head)
                else:
                    ws.write_blank(7, start + i, None, self.f_head)
        for start, width, subs in spans:
            if subs:
                self._merge_rows(6, start, 6, start + width - 1)
            else:
                self._merge_rows(6, start, 7, start)
        for i in range(col):
            ws.write_string(8, i, f"({i + 1})", self.f_num)
        self.row = 9

    def section(self, text: str) -> None:
        self.ws.merge_range(self.row, 0, self.row, 17, text, self.f_section)
        self.row += 1

    def _date(self, col: int, value: date | None, fmt: int | None) -> None:
        if value is None:
            self.ws.write_blank(self.row, col, None, self.f_date)
        elif fmt is None:
            self.ws.write_number(self.row, col, (value - EXCEL_EPOCH).days, self.f_date)
        else:
            text = TEXT_DATE_FORMATS[fmt].format(d=value.day, m=value.month, y=value.year)
            self.ws.write_string(self.row, col, text, self.f_text)

    def member(self, m: Member) -> None:
        ws, r = self.ws, self.row
        if m.hidden:
            ws.set_row(r, None, None, {"hidden": True})
        ws.write_number(r, C_SEQ, m.seq, self.f_center)
        ws.write_string(r, C_NAME, m.full_name, self.f_left)
        birth_fmt = m.text_dates.get("birth_date")
        birth_col, empty_col = (C_BIRTH_F, C_BIRTH_M) if m.female else (C_BIRTH_M, C_BIRTH_F)
        if m.female:
            ws.write_blank(r, C_BIRTH_M, None, self.f_date)
        if m.birth_text is not None:
            ws.write_string(r, birth_col, m.birth_text, self.f_text)
        else:
            self._date(birth_col, m.birth, birth_fmt)
        if not m.female:
            ws.write_blank(r, empty_col, None, self.f_date)
        for col, value in ((C_ETH, m.ethnicity), (C_REL, m.religion)):
            if value:
                ws.write_string(r, col, value, self.f_center)
            else:
                ws.write_blank(r, col, None, self.f_center)
        ws.write_string(r, C_HOME, m.home_town, self.f_legacy if m.legacy_font else self.f_left)
        ws.write_string(r, C_EDU, m.education, self.f_text)
        ws.write_string(r, C_PROF, m.professional, self.f_center)
        ws.write_string(r, C_POL, m.political_theory, self.f_center)
        ws.write_string(r, C_RANK, m.rank, self.f_center)
        ws.write_string(r, C_POS, m.position, self.f_left)
        if m.party_post:
            ws.write_string(r, C_POST, m.party_post, self.f_center)
        else:
            ws.write_blank(r, C_POST, None, self.f_center)
        self._date(C_ADMIT, m.admitted_on, m.text_dates.get("admitted_on"))
        self._date(C_OFFICIAL, m.official_on, m.text_dates.get("official_on"))
        ws.write_string(r, C_CARD, m.card_number, self.f_text)
        ws.write_string(r, C_CCCD, m.cccd, self.f_text)
        if m.note:
            ws.write_string(r, C_NOTE, m.note, self.f_left)
        else:
            ws.write_blank(r, C_NOTE, None, self.f_left)
        ws.write_string(r, C_CODE, m.code, self.f_plain)
        self.row += 1

    def footer(self, total: int, signer: str) -> None:
        ws = self.ws
        self.row += 1
        ws.merge_range(self.row, 0, self.row, 5, f"Tổng cộng: {total:,} đồng chí".replace(",", "."), self.f_footer)
        ws.merge_range(self.row + 2, 11, self.row + 2, 17, "T/M ĐẢNG ỦY", self.f_sign)
        ws.merge_range(self.row + 3, 11, self.row + 3, 17, "BÍ THƯ", self.f_sign)
        ws.merge_range(self.row + 8, 11, self.row + 8, 17, signer, self.f_sign)

    def close(self) -> None:
        self.wb.close()


# ---------------------------------------------------------------- files


def write_roster(
    path: Path,
    *,
    members: int,
    invalid: float,
    seed: int = SEED,
    uid_start: int = 0,
    province: int = 0,
    shared_strings: bool = False,
    cell_size: tuple[int, int] = (15, 30),
    single_cell: bool = False,
    organisation: str | None = None,
    taken: set[tuple[str, date]] | None = None,
    cell_names: set[str] | None = None,
    own_code: bool = False,
    twins_in: list[Member] | None = None,
    twins_out: int = 0,
    emigrants: list[Member] | None = None,
) -> dict[str, Any]:
    """Write one roster workbook to ``path`` (atomically) and return its sidecar facts.

    ``twins_in``: members of another file written again here (in place of ordinary rows); ``twins_out``: how many
    of this file's ordinary members to append to ``emigrants`` for the next file."""
    started = time.perf_counter()
    roster = Roster(
        members,
        invalid,
        seed,
        uid_start,
        province,
        cell_size,
        _TCVN3.get(),
        taken,
        cell_names,
        own_code=own_code,
        twins_in=twins_in,
        twins_out=twins_out,
    )
    organisation = organisation or f"Đảng bộ Công an tỉnh {PROVINCES[province][1]}"
    first_cell = roster.cell_name() if single_cell else None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.xlsx")
    writer = Writer(
        tmp,
        shared_strings=shared_strings,
        organisation=organisation,
        cell_title=first_cell,
        place=PROVINCES[province][1],
    )
    index = 0
    signer = ""
    for number, size in enumerate(roster.sizes, 1):
        if not single_cell:
            writer.section(f"{roman(number)}. {roster.cell_name()}")
        previous: Member | None = None
        previous_planted = False
        for seq in range(1, size + 1):
            role = 0 if seq == 1 else 1 if seq == 2 else 2
            m = roster.member(number, seq, role, index)
            signer = signer or m.full_name
            kind = roster.planted.get(index)
            if kind:
                roster.plant(m, kind, previous, previous_planted)
            elif index in roster.twins_in:
                m = dataclasses.replace(roster.twins_in[index], seq=seq)
            elif index in roster.twins_out:
                roster.emigrants.append(m)
            writer.member(m)
            previous, previous_planted = m, kind is not None
            index += 1
    writer.footer(members, signer)
    writer.close()
    tmp.replace(path)
    planted = {k: v for k, v in roster.counts.items() if v}
    facts = {
        "generator_version": GENERATOR_VERSION,
        "file": path.name,
        "members": members,
        "cells": len(roster.sizes),
        "invalid": invalid,
        "seed": seed,
        "uid_start": uid_start,
        "province": PROVINCES[province][1],
        "shared_strings": shared_strings,
        "planted_rows": sum(planted.values()),
        "planted": planted,
        "expected_errors": sum(PLANT_ISSUES[k] * v for k, v in planted.items()),
        "twins_in": len(roster.twins_in),
        "twins_out": len(roster.emigrants),
        **roster.stats,
        "bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 2),
    }
    path.with_suffix(".json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if emigrants is not None:
        emigrants.extend(roster.emigrants)
    return facts


def cache_name(
    members: int, invalid: float, seed: int, shared_strings: bool, province: int = 0, uid_start: int = 0
) -> str:
    extra = "_sst" if shared_strings else ""
    extra += f"_p{province:02d}_u{uid_start}" if province or uid_start else ""
    return f"roster_n{members}_inv{invalid:g}_s{seed}{extra}_v{GENERATOR_VERSION}.xlsx"


def ensure_roster(
    members: int,
    invalid: float,
    *,
    seed: int = SEED,
    out: Path | None = None,
    shared_strings: bool = False,
    province: int = 0,
    uid_start: int = 0,
    quiet: bool = False,
) -> Path:
    """The cached roster for these parameters, generated if it is not there yet."""
    path = out or CACHE / cache_name(members, invalid, seed, shared_strings, province, uid_start)
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        facts = json.loads(sidecar.read_text(encoding="utf-8"))
        if facts.get("generator_version") == GENERATOR_VERSION and facts.get("members") == members:
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(f"generating {path.name} ({members:,} members, {invalid:.0%} invalid) …", file=sys.stderr, flush=True)
    facts = write_roster(
        path,
        members=members,
        invalid=invalid,
        seed=seed,
        shared_strings=shared_strings,
        province=province,
        uid_start=uid_start,
    )
    if not quiet:
        print(f"  {facts['bytes'] / 1e6:.1f} MB in {facts['seconds']:.1f} s", file=sys.stderr, flush=True)
    return path


def _start_folder(folder: Path) -> bool:
    """False when ``folder`` holds a complete generated set (its ``.complete`` stamp); else empty it for a new one."""
    if (folder / ".complete").exists():
        return False
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return True


def ensure_folder(
    files: int, members_per_cell: int, invalid: float, *, seed: int = SEED, out: Path | None = None, quiet: bool = False
) -> Path:
    """A folder of ``files`` cell workbooks (one cell each, ~``members_per_cell`` members)."""
    folder = out or CACHE / f"folder_k{files}_m{members_per_cell}_inv{invalid:g}_s{seed}_v{GENERATOR_VERSION}"
    stamp = folder / ".complete"
    if not _start_folder(folder):
        return folder
    if not quiet:
        print(f"generating {files:,} cell workbooks in {folder.name} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    rng = random.Random(seed)
    lo, hi = max(5, members_per_cell - 5), members_per_cell + 5
    total = planted = expected = 0
    taken: set[tuple[str, date]] = set()  # no accidental namesake born the same day across the folder
    cell_names: set[str] = set()  # and every cell workbook names a different cell
    for i in range(files):
        size = rng.randint(lo, hi)
        facts = write_roster(
            folder / f"chi_bo_{i + 1:04d}.xlsx",
            members=size,
            invalid=invalid,
            seed=seed + 7 * i,
            uid_start=i * 1000,
            province=i % len(PROVINCES),
            cell_size=(size, size),
            single_cell=True,
            organisation=f"Đảng bộ Công an huyện {DISTRICTS[i % len(DISTRICTS)]}",
            taken=taken,
            cell_names=cell_names,
        )
        total += size
        planted += facts["planted_rows"]
        expected += facts["expected_errors"]
    for sidecar in folder.glob("*.json"):
        sidecar.unlink()
    summary = {
        "generator_version": GENERATOR_VERSION,
        "files": files,
        "members": total,
        "planted_rows": planted,
        "expected_errors": expected,
        "invalid": invalid,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (folder.parent / (folder.name + ".json")).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    stamp.write_text("ok\n")
    if not quiet:
        print(f"  {total:,} members in {summary['seconds']} s", file=sys.stderr, flush=True)
    return folder


NATIONAL_TWINS = 2  # members of each province also registered in the next one


def ensure_national(sizes: list[int], invalid: float, *, seed: int = SEED, quiet: bool = False) -> Path:
    """The national set: one workbook per province (``sizes`` members each), generated in one sequence.

    One sequence, so no two files share a namesake born the same day or a cell name by chance (the files are
    checked together as well as one by one) and no two share a CCCD (each file's own province code); the only
    people in two files are the :data:`NATIONAL_TWINS` of each province copied into the next one, whose
    problems (:data:`TWIN_ISSUES` each) appear only when the files are checked together.
    """
    key = hashlib.sha256(json.dumps([sizes, invalid, seed]).encode()).hexdigest()[:10]
    folder = CACHE / f"national_{key}_v{GENERATOR_VERSION}"
    if not _start_folder(folder):
        return folder
    started = time.perf_counter()
    taken: set[tuple[str, date]] = set()
    cell_names: set[str] = set()
    emigrants: list[Member] = []
    uid = 0
    for index, members in enumerate(sizes):
        arrived, emigrants = emigrants, []
        path = folder / f"tinh_{index + 1:02d}.xlsx"
        facts = write_roster(
            path,
            members=members,
            invalid=invalid,
            seed=seed + 1000 + index,
            uid_start=uid,
            province=index,
            taken=taken,
            cell_names=cell_names,
            own_code=True,
            twins_in=arrived,
            twins_out=NATIONAL_TWINS if index + 1 < len(sizes) else 0,
            emigrants=emigrants,
        )
        uid += members
        if not quiet:
            print(
                f"\r  {index + 1}/{len(sizes)} {facts['province']}: {members:,} members, "
                f"{time.perf_counter() - started:.0f} s   ",
                end="",
                file=sys.stderr,
                flush=True,
            )
    if not quiet:
        print(file=sys.stderr)
    (folder / ".complete").write_text("ok\n")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, required=True, help="members in the roster (per cell with --folder)")
    parser.add_argument("--invalid", type=float, default=0.01, help="share of member rows with a planted problem")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, help="output path (default: a cached name in benchmarks/.cache/)")
    parser.add_argument(
        "--shared-strings",
        action="store_true",
        help="write a shared-strings table like Excel (default: constant_memory, inline strings)",
    )
    parser.add_argument("--province", type=int, default=0, help="index of the province (home towns, CCCD codes)")
    parser.add_argument("--uid-start", type=int, default=0, help="first member id (card/CCCD numbers)")
    parser.add_argument("--folder", type=int, metavar="K", help="write K one-cell workbooks into a folder instead")
    args = parser.parse_args(argv)
    if args.folder:
        print(ensure_folder(args.folder, args.members, args.invalid, seed=args.seed, out=args.out))
    else:
        print(
            ensure_roster(
                args.members,
                args.invalid,
                seed=args.seed,
                out=args.out,
                shared_strings=args.shared_strings,
                province=args.province,
                uid_start=args.uid_start,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
