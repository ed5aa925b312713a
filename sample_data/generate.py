"""Generate the sample rosters of the fictional "Đảng bộ Công an thị xã Yên Bình" (as of 31/03/2020).

Writes, next to this script:

    danh_sach_dang_vien.xlsx      clean roster: 10 cells (chi bộ), 170 members, laid out like an office file
    danh_sach_dang_vien_loi.xlsx  the same roster with planted problems (one member row more: a duplicate)
    planted.json                  every planted problem: code, severity, sheet, A1 ref, field, descriptions
    README.md                     only the two planted-problem tables between the <!-- planted-… --> markers

All people, card numbers and CCCD numbers are synthetic. The output is deterministic: a fixed seed, a fixed
as_of date, fixed workbook properties and fixed zip timestamps, so two runs give byte-identical files.

    python sample_data/generate.py
"""

from __future__ import annotations

import copy
import json
import random
import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from dangvien_data.io.excel import save_reproducible

HERE = Path(__file__).resolve().parent
SEED = 20200331
AS_OF = date(2020, 3, 31)
FIXED_TIME = datetime(2020, 3, 31, 8, 0, 0)
SHEET = "Danh sách"
ORG = "ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH"
HEADER_ROW = 7  # rows 7-8: two-row header, row 9: numbering "(1)…(18)", row 10: first section row
FONT = "Times New Roman"

CELLS: list[tuple[str, int]] = [
    ("Đội Tổng hợp", 22),
    ("Đội Cảnh sát hình sự", 20),
    ("Đội An ninh", 19),
    ("Đội Cảnh sát kinh tế", 18),
    ("Đội Cảnh sát ma túy", 17),
    ("Đội Cảnh sát giao thông - trật tự", 16),
    ("Đội Cảnh sát quản lý hành chính về trật tự xã hội", 16),
    ("Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp", 15),
    ("Đội Cảnh sát phòng cháy chữa cháy", 14),
    ("Đồn Công an KCN Yên Bình", 13),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

# (group header, sub-headers); the 18 columns A..R in order. Column S is a hidden helper "Mã".
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
COLUMN = {
    "seq": "A",
    "full_name": "B",
    "birth_male": "C",
    "birth_female": "D",
    "ethnicity": "E",
    "religion": "F",
    "home_town": "G",
    "education": "H",
    "professional": "I",
    "political_theory": "J",
    "rank": "K",
    "position": "L",
    "party_post": "M",
    "admitted_on": "N",
    "official_on": "O",
    "card_number": "P",
    "cccd": "Q",
    "note": "R",
    "code": "S",
}
WIDTHS = {
    "A": 5,
    "B": 24,
    "C": 11.5,
    "D": 11.5,
    "E": 8,
    "F": 10,
    "G": 36,
    "H": 8,
    "I": 11,
    "J": 10,
    "K": 10,
    "L": 24,
    "M": 12,
    "N": 11.5,
    "O": 11.5,
    "P": 11,
    "Q": 14,
    "R": 16,
    "S": 10,
}
TEXT_DATE_FORMATS = ("{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{d:02d}.{m:02d}.{y}", "{d:02d}-{m:02d}-{y}")

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
]
# Service-age limit (men, women), Law on the People's Public Security 2018 (docs/domain.md §5).
RANK_LIMIT = {
    **dict.fromkeys(RANKS[:3], (45, 45)),
    **dict.fromkeys(RANKS[3:7], (53, 53)),
    "Thiếu tá": (55, 53),
    "Trung tá": (55, 53),
    "Thượng tá": (58, 55),
}
MARGIN_YEARS = 6  # everyone stays at least this far below the limit: no error and no "near the limit" warning
# position -> (possible ranks, youngest, oldest); the oldest is lowered further by the rank's limit.
LEADERS = {
    "Trưởng Công an thị xã": (["Thượng tá"], 45, 51),
    "Phó Trưởng Công an thị xã": (["Trung tá", "Thượng tá"], 42, 51),
    "Đội trưởng": (["Thiếu tá", "Trung tá"], 36, 48),
    "Trưởng Đồn": (["Thiếu tá", "Trung tá"], 36, 48),
    "Phó Đội trưởng": (["Đại úy", "Thiếu tá"], 32, 46),
    "Phó Trưởng Đồn": (["Đại úy", "Thiếu tá"], 32, 46),
}
POSITION_ORDER = [*LEADERS, "Cán bộ"]  # row order inside a cell
HEADS, DEPUTIES = {"Đội trưởng", "Trưởng Đồn"}, {"Phó Đội trưởng", "Phó Trưởng Đồn"}
TOWN_NOTES = {
    "Trưởng Công an thị xã": ["Bí thư Đảng ủy"],
    "Phó Trưởng Công an thị xã": ["Phó Bí thư Đảng ủy", "Đảng ủy viên", "Đảng ủy viên"],
}

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
}
MINORITY_FAMILY = {
    "Tày": ["Hoàng", "Nông", "Lục", "Ma"],
    "Nùng": ["Nông", "Hoàng", "Lương", "Vi"],
    "Mường": ["Bùi", "Đinh", "Quách", "Hà"],
    "Thái": ["Lò", "Cầm", "Lường", "Vi"],
    "Khmer": ["Thạch", "Sơn", "Danh", "Kim"],
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
}
MIDDLE_FEMALE = {"Thị": 60, "Thu": 8, "Thanh": 6, "Ngọc": 6, "Hồng": 5, "Minh": 4, "Phương": 4, "Kim": 3}
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
]
ETHNICITY = {"Kinh": 88.0, "Tày": 3.5, "Mường": 3.0, "Thái": 2.5, "Nùng": 1.5, "Khmer": 1.5}
# ethnic group -> (province code of birth registration (QĐ 124/2004/QĐ-TTg), home town); real communes.
HOME_TOWNS: dict[str, list[tuple[str, str]]] = {
    "Kinh": [
        ("001", "xã Đông Hội, huyện Đông Anh, Hà Nội"),
        ("001", "xã Phù Đổng, huyện Gia Lâm, Hà Nội"),
        ("001", "xã Tam Hưng, huyện Thanh Oai, Hà Nội"),
        ("015", "xã Tân Hương, huyện Yên Bình, Yên Bái"),
        ("015", "xã Âu Lâu, thành phố Yên Bái, Yên Bái"),
        ("015", "xã Đại Phác, huyện Văn Yên, Yên Bái"),
        ("019", "xã Hóa Thượng, huyện Đồng Hỷ, Thái Nguyên"),
        ("019", "xã Phấn Mễ, huyện Phú Lương, Thái Nguyên"),
        ("022", "xã Bình Dương, thị xã Đông Triều, Quảng Ninh"),
        ("022", "xã Quảng Tân, huyện Đầm Hà, Quảng Ninh"),
        ("025", "xã Tiên Kiên, huyện Lâm Thao, Phú Thọ"),
        ("025", "xã Văn Lung, thị xã Phú Thọ, Phú Thọ"),
        ("031", "xã An Hưng, huyện An Dương, Hải Phòng"),
        ("031", "xã Kiến Thiết, huyện Tiên Lãng, Hải Phòng"),
        ("035", "xã Tiên Ngoại, huyện Duy Tiên, Hà Nam"),
        ("035", "xã Liêm Tuyền, huyện Thanh Liêm, Hà Nam"),
        ("036", "xã Hải Thanh, huyện Hải Hậu, Nam Định"),
        ("036", "xã Yên Lợi, huyện Ý Yên, Nam Định"),
        ("036", "xã Giao Thiện, huyện Giao Thủy, Nam Định"),
        ("038", "xã Hoằng Lộc, huyện Hoằng Hóa, Thanh Hóa"),
        ("038", "xã Thiệu Trung, huyện Thiệu Hóa, Thanh Hóa"),
        ("040", "xã Kim Liên, huyện Nam Đàn, Nghệ An"),
        ("040", "xã Diễn Thành, huyện Diễn Châu, Nghệ An"),
    ],
    "Tày": [
        ("015", "xã Cảm Nhân, huyện Yên Bình, Yên Bái"),
        ("019", "xã Định Biên, huyện Định Hóa, Thái Nguyên"),
    ],
    "Nùng": [("019", "xã Hóa Thượng, huyện Đồng Hỷ, Thái Nguyên")],
    "Mường": [
        ("025", "xã Minh Đài, huyện Tân Sơn, Phú Thọ"),
        ("038", "xã Thành Lâm, huyện Bá Thước, Thanh Hóa"),
    ],
    "Thái": [
        ("015", "xã Nghĩa Tâm, huyện Văn Chấn, Yên Bái"),
        ("040", "xã Châu Tiến, huyện Quỳ Châu, Nghệ An"),
    ],
    "Khmer": [("094", "xã Lai Hòa, thị xã Vĩnh Châu, Sóc Trăng")],
}
PROBATIONARY_CELLS = (1, 2, 4, 6, 8, 9)  # one young probationary (dự bị) member in each
# Planted "legacy-encoding-converted": this home town, typed with a TCVN3 (.VnTime) font and read as cp1252.
# Computed once with `printf %s "xã Đông Hội, huyện Đông Anh, Hà Nội" | iconv -f UTF-8 -t TCVN5712-1`,
# the bytes then decoded as cp1252. The generator itself never calls iconv.
LEGACY_UNICODE = "xã Đông Hội, huyện Đông Anh, Hà Nội"
LEGACY_TCVN3 = "x· §«ng Héi, huyÖn §«ng Anh, Hµ Néi"


@dataclass
class Member:
    """One roster row; `birth` is a str only when a planted problem makes it an impossible date."""

    uid: int
    cell: int
    position: str
    rank: str
    female: bool
    birth: date | str
    full_name: str = ""
    ethnicity: str = "Kinh"
    religion: str = "Không"
    home_town: str = ""
    education: str = "12/12"
    professional: str = ""
    political_theory: str = ""
    party_post: str = ""
    admitted_on: date | None = None
    official_on: date | None = None
    card_number: str = ""
    cccd: str = ""
    note: str = ""
    code: str = ""
    text_dates: dict[str, int] = field(default_factory=dict)  # date field -> index in TEXT_DATE_FORMATS
    hidden: bool = False
    both_sex_columns: bool = False
    legacy_font: bool = False


@dataclass
class Plant:
    """One planted problem, attached to a member row and a canonical field."""

    code: str
    uid: int
    field: str
    description_vi: str
    description_en: str
    severity: str = "error"


# ---------------------------------------------------------------- dates


def add_months(d: date, months: int) -> date:
    """`d` plus `months` calendar months, the day clamped to the end of a shorter month."""
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return date(year, month0 + 1, min(d.day, monthrange(year, month0 + 1)[1]))


def age_on(birth: date, on: date) -> int:
    """Age in whole years at `on`."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def random_date(rng: random.Random, lo: date, hi: date) -> date:
    """A uniformly random date in [lo, hi], never 29/02 (so +12 months keeps the same day)."""
    d = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    return d.replace(day=28) if (d.month, d.day) == (2, 29) else d


def months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (how the Charter counts admission age)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def birth_of(m: Member) -> date:
    assert isinstance(m.birth, date)
    return m.birth


def vn(d: date) -> str:
    """dd/mm/yyyy."""
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- identifiers


class IdFactory:
    """Unique row ids, card numbers (8 digits, text) and CCCD numbers (12 digits, docs/domain.md §10)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.uid, self.cards, self.cccds = rng, 0, set[str](), set[str]()

    def next_uid(self) -> int:
        self.uid += 1
        return self.uid

    def card(self) -> str:
        while (number := f"{self.rng.randrange(10**8):08d}") in self.cards:
            pass
        self.cards.add(number)
        return number

    def cccd(self, province: str, female: bool, year: int) -> str:
        sex_century = (2 if year >= 2000 else 0) + (1 if female else 0)
        prefix = f"{province}{sex_century}{year % 100:02d}"
        while (number := f"{prefix}{self.rng.randrange(10**6):06d}") in self.cccds:
            pass
        self.cccds.add(number)
        return number


# ---------------------------------------------------------------- clean roster


def cell_positions(rng: random.Random, cell: int, size: int) -> list[str]:
    """The job positions in one cell: the town leadership sits in Đội Tổng hợp, the KCN station has a Đồn."""
    if cell == 0:
        head = ["Trưởng Công an thị xã", *["Phó Trưởng Công an thị xã"] * 3, "Đội trưởng", *["Phó Đội trưởng"] * 2]
    elif cell == len(CELLS) - 1:
        head = ["Trưởng Đồn"] + ["Phó Trưởng Đồn"] * 2
    else:
        head = ["Đội trưởng"] + ["Phó Đội trưởng"] * rng.choice([2, 3])
    return head + ["Cán bộ"] * (size - len(head))


def rank_and_age(rng: random.Random, position: str, female: bool) -> tuple[str, int]:
    """A rank plausible for the position and an age that keeps MARGIN_YEARS below the rank's limit."""
    if position in LEADERS:
        ranks, youngest, oldest = LEADERS[position]
        rank = rng.choice(ranks)
    else:
        age = int(rng.triangular(23, 47, 28))
        bands = [
            (26, ["Hạ sĩ", "Trung sĩ", "Thượng sĩ", "Thiếu úy", "Thiếu úy"]),
            (30, ["Thượng sĩ", "Thiếu úy", "Trung úy", "Trung úy"]),
            (35, ["Trung úy", "Thượng úy", "Thượng úy", "Đại úy"]),
            (41, ["Thượng úy", "Đại úy", "Đại úy", "Thiếu tá"]),
            (99, ["Đại úy", "Thiếu tá", "Trung tá"]),
        ]
        rank = rng.choice(next(choices for top, choices in bands if age <= top))
        youngest = oldest = age
    oldest = min(oldest, RANK_LIMIT[rank][female] - MARGIN_YEARS - 1)
    return rank, rng.randint(min(youngest, oldest), oldest)


def make_name(rng: random.Random, ethnicity: str, female: bool, taken: set[str]) -> str:
    """A full name not used before in the roster."""
    while True:
        family = (
            rng.choice(MINORITY_FAMILY[ethnicity])
            if ethnicity in MINORITY_FAMILY
            else rng.choices(list(FAMILY), list(FAMILY.values()))[0]
        )
        middles = MIDDLE_FEMALE if female else MIDDLE_MALE
        middle = rng.choices(list(middles), list(middles.values()))[0]
        name = f"{family} {middle} {rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)}"
        if name not in taken:
            taken.add(name)
            return name


def add_training(rng: random.Random, m: Member) -> None:
    """Education, professional level and political theory consistent with rank and seniority."""
    level = RANKS.index(m.rank)
    assert isinstance(m.birth, date)
    m.education = "10/10" if m.birth.year <= 1975 and rng.random() < 0.5 else "12/12"
    if level < 3:
        m.professional = rng.choice(["Trung cấp", "Trung cấp", "Cao đẳng"])
    elif level < 7:
        m.professional = rng.choices(["Đại học", "Cao đẳng", "Trung cấp"], [7, 2, 1])[0]
    else:
        m.professional = rng.choices(["Đại học", "Thạc sĩ"], [4, 1])[0]
    if m.position in TOWN_NOTES or level == 9:
        m.political_theory = "Cao cấp"
    elif level >= 7 or m.position in DEPUTIES:
        m.political_theory = rng.choices(["Trung cấp", "Cao cấp"], [4, 1])[0]
    else:
        m.political_theory = rng.choice(["Sơ cấp", "Trung cấp"]) if level >= 5 else "Sơ cấp"


def make_member(rng: random.Random, ids: IdFactory, cell: int, position: str, taken: set[str]) -> Member:
    """One official member with consistent dates, identifiers and training."""
    female = position not in TOWN_NOTES and rng.random() < (0.2 if position == "Cán bộ" else 0.08)
    rank, age = rank_and_age(rng, position, female)
    oldest_birth = add_months(AS_OF, -12 * (age + 1)) + timedelta(days=1)
    birth = random_date(rng, oldest_birth, add_months(AS_OF, -12 * age))
    ethnicity = rng.choices(list(ETHNICITY), list(ETHNICITY.values()))[0]
    province, home_town = rng.choice(HOME_TOWNS[ethnicity])
    m = Member(
        ids.next_uid(),
        cell,
        position,
        rank,
        female,
        birth,
        make_name(rng, ethnicity, female, taken),
        ethnicity,
        home_town=home_town,
        card_number=ids.card(),
        cccd=ids.cccd(province, female, birth.year),
    )
    if ethnicity == "Khmer":
        m.religion = "Phật giáo"
    elif province == "036" and rng.random() < 0.35:
        m.religion = "Công giáo"
    elif rng.random() < 0.03:
        m.religion = "Phật giáo"
    add_training(rng, m)
    m.admitted_on = random_date(
        rng, add_months(birth, 19 * 12 + 6), min(add_months(birth, 30 * 12), add_months(AS_OF, -14))
    )
    m.official_on = add_months(m.admitted_on, 12)
    date_fields = ("birth_date", "admitted_on", "official_on")
    m.text_dates = {f: rng.randrange(4) for f in date_fields if rng.random() < 0.2}  # ~20% typed as text
    return m


def row_order(m: Member) -> tuple[int, int, date]:
    """Leaders first, then by rank (highest first), then the oldest first."""
    assert isinstance(m.birth, date)
    return POSITION_ORDER.index(m.position), -RANKS.index(m.rank), m.birth


def assign_party_posts(rng: random.Random, group: list[Member]) -> None:
    """One Bí thư (the unit head), maybe one Phó Bí thư, and 2-3 Chi ủy viên (cells of >= 9 officials)."""
    next(m for m in group if m.position in HEADS).party_post = "Bí thư"
    pool = [m for m in group if m.position in DEPUTIES]
    pool += [m for m in group if m.position == "Cán bộ" and RANKS.index(m.rank) >= RANKS.index("Đại úy")]
    if rng.random() < 0.6:
        pool.pop(0).party_post = "Phó Bí thư"
        committee = 3
    else:
        committee = 2
    for m in pool[:committee]:
        m.party_post = "Chi ủy viên"
    notes = {position: iter(texts) for position, texts in TOWN_NOTES.items()}
    for m in group:
        if m.position in notes:
            m.note = next(notes[m.position])


def make_probationary(rng: random.Random, members: list[Member]) -> None:
    """Turn one young member without a Party post in each PROBATIONARY_CELLS cell into a dự bị member."""
    for cell in PROBATIONARY_CELLS:
        young = [
            m
            for m in members
            if m.cell == cell
            and m.position == "Cán bộ"
            and not m.party_post
            and isinstance(m.birth, date)
            and age_on(m.birth, AS_OF) <= 30
        ]
        m = rng.choice(young)
        m.admitted_on = random_date(rng, add_months(AS_OF, -11), AS_OF - timedelta(days=20))
        m.official_on = None
        m.political_theory = "Sơ cấp"


def build_roster(rng: random.Random, ids: IdFactory) -> list[Member]:
    """The clean roster of 170 members, in row order."""
    members: list[Member] = []
    taken: set[str] = set()
    for cell, (_, size) in enumerate(CELLS):
        group = [make_member(rng, ids, cell, position, taken) for position in cell_positions(rng, cell, size)]
        group.sort(key=row_order)
        assign_party_posts(rng, group)
        for seq, m in enumerate(group, 1):
            m.code = f"YB-{cell + 1:02d}-{seq:03d}"
        members += group
    make_probationary(rng, members)
    plain = [m for m in members if m.cell == 3 and m.position == "Cán bộ" and not m.party_post and m.official_on]
    plain[2].hidden = True  # a hidden row still holds a normal member
    return members


def check_clean(members: list[Member]) -> None:
    """Fail loudly if an edit of the tables above makes the clean roster break one of the rules."""
    assert [sum(m.cell == c for m in members) for c in range(len(CELLS))] == [size for _, size in CELLS]
    assert len({m.card_number for m in members}) == len({m.cccd for m in members}) == len(members)
    for m in members:
        birth, admitted, due = birth_of(m), m.admitted_on, add_months(m.admitted_on or AS_OF, 12)
        assert admitted and birth < admitted <= AS_OF and 216 <= months_between(birth, admitted) <= 720, m
        assert m.official_on == (due if due <= AS_OF else None), m
        assert add_months(birth, 12 * (RANK_LIMIT[m.rank][m.female] - MARGIN_YEARS)) > AS_OF, m
        assert len(m.cccd) == 12 and m.cccd[3:6] == f"{int(m.female)}{birth.year % 100:02d}", m
    for cell in range(len(CELLS)):
        group = [m for m in members if m.cell == cell]
        posts = [m.party_post for m in group]
        assert posts.count("Bí thư") == 1 and posts.count("Phó Bí thư") <= 1, cell
        assert 2 <= posts.count("Chi ủy viên") <= 3 and sum(bool(m.official_on) for m in group) >= 9, cell
        assert all(m.official_on for m in group if m.party_post), cell


# ---------------------------------------------------------------- planted problems

Planter = Callable[[list[Member], set[int], IdFactory], list[Plant]]


def pick(
    members: list[Member],
    cell: int,
    used: set[int],
    test: Callable[[Member], bool] = lambda m: True,
    *,
    plain: bool = True,
) -> Member:
    """The first unused, visible, official member of `cell` (else of the next cells) that passes `test`.

    `plain`: only an ordinary member (no Party post, no note), so the town leaders and the signer stay clean.
    """
    for k in range(len(CELLS)):
        for m in members:
            if (
                m.uid not in used
                and m.cell == (cell + k) % len(CELLS)
                and not m.hidden
                and m.official_on
                and not (plain and (m.party_post or m.note))
                and test(m)
            ):
                used.add(m.uid)
                return m
    raise LookupError(f"no member for a planted problem in cell {cell}")


def plant_missing_and_invalid(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    a = pick(ms, 0, used, lambda m: m.ethnicity == "Kinh")
    b = pick(ms, 1, used)
    c = pick(ms, 2, used, lambda m: not m.female and birth_of(m).year == 1985)
    a.ethnicity, b.home_town, c.birth = "", "", "31/02/1985"
    return [
        Plant("missing-value", a.uid, "ethnicity", "Bỏ trống dân tộc.", "Ethnic group is empty."),
        Plant("missing-value", b.uid, "home_town", "Bỏ trống quê quán.", "Home town is empty."),
        Plant(
            "invalid-date",
            c.uid,
            "birth_date",
            'Ngày sinh "31/02/1985" không có thật (tháng 2 không có ngày 31).',
            'Birth date "31/02/1985" does not exist (February has no 31st).',
        ),
    ]


def plant_party_dates(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    a = pick(ms, 3, used)
    b = pick(ms, 4, used, lambda m: age_on(birth_of(m), AS_OF) <= 35)
    c = pick(ms, 5, used, lambda m: birth_of(m).day <= 28)
    d = pick(ms, 6, used)
    assert a.admitted_on
    due = add_months(a.admitted_on, 12)
    a.official_on = due + timedelta(days=10)
    b.admitted_on, b.official_on = add_months(AS_OF, -36), None
    c.admitted_on = add_months(birth_of(c), 17 * 12 + 8)
    c.official_on = add_months(c.admitted_on, 12)
    d.admitted_on, d.official_on = date(2020, 6, 15), None
    return [
        Plant(
            "official-date-mismatch",
            a.uid,
            "official_on",
            f"Ngày chính thức {vn(a.official_on)} = ngày vào Đảng {vn(a.admitted_on)} + 12 tháng 10 ngày; "
            f"phải là {vn(due)}.",
            f"Official date {vn(a.official_on)} is admission {vn(a.admitted_on)} + 12 months 10 days; "
            f"expected {vn(due)}.",
        ),
        Plant(
            "official-date-missing",
            b.uid,
            "official_on",
            f"Vào Đảng {vn(b.admitted_on)} (đã quá 12 tháng) nhưng bỏ trống ngày chính thức.",
            f"Admitted {vn(b.admitted_on)} (more than 12 months ago) but the official date is empty.",
        ),
        Plant(
            "admission-age-under-18",
            c.uid,
            "admitted_on",
            f"Vào Đảng {vn(c.admitted_on)} khi mới 17 tuổi 8 tháng (sinh {vn(birth_of(c))}).",
            f"Admitted {vn(c.admitted_on)} aged 17 years 8 months (born {vn(birth_of(c))}).",
        ),
        Plant(
            "date-after-as-of",
            d.uid,
            "admitted_on",
            f"Ngày vào Đảng {vn(d.admitted_on)} sau ngày tính đến {vn(AS_OF)}.",
            f"Admission date {vn(d.admitted_on)} is after the as-of date {vn(AS_OF)}.",
        ),
    ]


def plant_codes(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    a = pick(ms, 7, used, lambda m: m.ethnicity == "Kinh")
    b = pick(ms, 8, used, lambda m: m.rank == "Thiếu tá", plain=False)
    a.ethnicity, b.rank = "Kinhh", "Thiếu ta"
    return [
        Plant(
            "unknown-ethnicity",
            a.uid,
            "ethnicity",
            'Dân tộc "Kinhh" không có trong danh mục (gõ nhầm "Kinh").',
            'Ethnic group "Kinhh" is not in the code list (typo for "Kinh").',
        ),
        Plant(
            "unknown-rank",
            b.uid,
            "rank",
            'Cấp bậc "Thiếu ta" không có trong danh mục (gõ nhầm "Thiếu tá").',
            'Rank "Thiếu ta" is not in the code list (typo for "Thiếu tá").',
        ),
    ]


def plant_identifiers(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    a, b = pick(ms, 9, used), pick(ms, 0, used)
    c, d = pick(ms, 1, used, lambda m: m.female), pick(ms, 2, used)
    a.card_number, b.cccd = "1234567", b.cccd[:11]
    c.cccd = c.cccd[:3] + "0" + c.cccd[4:]
    d.cccd = d.cccd[:4] + f"{(birth_of(d).year + 1) % 100:02d}" + d.cccd[6:]
    year = birth_of(d).year
    return [
        Plant(
            "invalid-card-number",
            a.uid,
            "card_number",
            'Số thẻ đảng viên "1234567" chỉ có 7 chữ số (phải 8).',
            'Party card number "1234567" has 7 digits (8 expected).',
        ),
        Plant(
            "invalid-cccd",
            b.uid,
            "cccd",
            f'Số CCCD "{b.cccd}" chỉ có 11 chữ số (phải 12).',
            f'CCCD "{b.cccd}" has 11 digits (12 expected).',
        ),
        Plant(
            "cccd-sex-mismatch",
            c.uid,
            "cccd",
            f'Số CCCD "{c.cccd}" có chữ số thứ 4 là 0 (nam, sinh 1900–1999) nhưng đảng viên là nữ (phải là 1).',
            f'CCCD "{c.cccd}" has digit 4 = 0 (male, born 1900–1999) but the member is a woman (1 expected).',
        ),
        Plant(
            "cccd-year-mismatch",
            d.uid,
            "cccd",
            f'Chữ số 5–6 của CCCD "{d.cccd}" là {d.cccd[4:6]}, không khớp năm sinh {year}.',
            f'CCCD "{d.cccd}" digits 5–6 are {d.cccd[4:6]}, not the birth year {year}.',
        ),
    ]


def plant_duplicate_card(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    a, b = pick(ms, 3, used), pick(ms, 5, used)
    b.card_number = a.card_number
    cells = f"{a.full_name} (Chi bộ {CELLS[a.cell][0]}) và {b.full_name} (Chi bộ {CELLS[b.cell][0]})"
    vi = f"Số thẻ {a.card_number} trùng giữa {cells}."
    en = f"Card number {a.card_number} is shared by {cells.replace(' và ', ' and ')}."
    return [Plant("duplicate-card-number", m.uid, "card_number", vi, en) for m in (a, b)]


def plant_duplicate_member(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    """The same person listed again at the end of another cell, with a new card number and CCCD."""
    a, cell = pick(ms, 4, used, lambda m: m.position == "Cán bộ"), 7
    twin = copy.deepcopy(a)
    twin.uid, twin.cell, twin.card_number = ids.next_uid(), cell, ids.card()
    twin.cccd = ids.cccd(a.cccd[:3], a.female, birth_of(a).year)
    twin.code = f"YB-{cell + 1:02d}-{sum(m.cell == cell for m in ms) + 1:03d}"
    ms.insert(max(i for i, m in enumerate(ms) if m.cell == cell) + 1, twin)
    used.add(twin.uid)
    where = f"Chi bộ {CELLS[a.cell][0]}", f"Chi bộ {CELLS[cell][0]}"
    vi = (
        f"{a.full_name}, sinh {vn(birth_of(a))}, có tên hai lần: ở {where[0]} và ở {where[1]} (khác số thẻ, khác CCCD)."
    )
    en = (
        f"{a.full_name}, born {vn(birth_of(a))}, is listed twice: in {where[0]} and in {where[1]} "
        "(different card and CCCD numbers)."
    )
    return [Plant("duplicate-member", m.uid, "full_name", vi, en) for m in (a, twin)]


def plant_person_rules(ms: list[Member], used: set[int], ids: IdFactory) -> list[Plant]:
    a = pick(ms, 6, used, lambda m: not m.female and RANKS.index(m.rank) < RANKS.index("Thiếu tá"))
    b = pick(ms, 7, used, lambda m: not m.female and m.rank == "Trung tá", plain=False)
    c = pick(ms, 8, used)
    d = pick(ms, 9, used, lambda m: m.home_town == LEGACY_UNICODE)
    a.both_sex_columns = True  # a company-grade man: his limits do not depend on sex
    b.birth, b.cccd = date(1963, 9, 12), b.cccd[:4] + "63" + b.cccd[6:]
    c.party_post, d.home_town, d.legacy_font = "Bí thư", LEGACY_TCVN3, True
    cell = f"Chi bộ {CELLS[c.cell][0]}"
    return [
        Plant(
            "sex-conflict",
            a.uid,
            "sex",
            "Ngày sinh ghi ở cả cột Nam và cột Nữ: không xác định được giới tính.",
            "The birth date is written under both Nam and Nữ: the sex cannot be determined.",
        ),
        Plant(
            "service-age-exceeded",
            b.uid,
            "rank",
            f"Nam, Trung tá, sinh {vn(b.birth)}: ngày {vn(AS_OF)} đã 56 tuổi, quá hạn tuổi phục vụ 55 "
            "(Luật CAND 2018).",
            f"Male Trung tá born {vn(b.birth)} is 56 on {vn(AS_OF)}, over the service-age limit of 55 "
            "(2018 police law).",
        ),
        Plant(
            "secretary-multiple", c.uid, "party_post", f"{cell} có hai Bí thư.", f"{cell} has two secretaries (Bí thư)."
        ),
        Plant(
            "legacy-encoding-converted",
            d.uid,
            "home_town",
            f'Quê quán gõ bằng phông TCVN3 (.VnTime): "{LEGACY_TCVN3}" → "{LEGACY_UNICODE}".',
            f'Home town typed in a TCVN3 (.VnTime) font: "{LEGACY_TCVN3}" → "{LEGACY_UNICODE}".',
            severity="info",
        ),
    ]


PLANTERS: list[Planter] = [
    plant_missing_and_invalid,
    plant_party_dates,
    plant_codes,
    plant_identifiers,
    plant_duplicate_card,
    plant_duplicate_member,
    plant_person_rules,
]


def build_error_roster(members: list[Member], ids: IdFactory) -> tuple[list[Member], list[Plant]]:
    """A copy of the clean roster with every problem of PLANTERS planted, each on a different member."""
    ms = copy.deepcopy(members)
    used = {m.uid for m in ms if m.hidden}
    plants = [plant for planter in PLANTERS for plant in planter(ms, used, ids)]
    return ms, plants


# ---------------------------------------------------------------- workbook

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def put(
    ws: Worksheet,
    ref: str,
    value: object,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 12,
    align: Alignment = CENTER,
    merge_to: str | None = None,
    box: bool = False,
) -> None:
    """Write one cell (optionally merged to `merge_to`) in Times New Roman."""
    cell = ws[ref]
    cell.value = value
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
    cell.alignment = align
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
    if box:
        for row in ws[f"{ref}:{merge_to or ref}"]:
            for c in row:
                c.border = BOX


def write_titles(ws: Worksheet) -> None:
    put(ws, "A1", ORG, bold=True, merge_to="F1")
    put(ws, "L1", "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, merge_to="R1")
    put(ws, "A2", "*", merge_to="F2")
    place_date = f"Yên Bình, ngày {AS_OF.day} tháng {AS_OF.month} năm {AS_OF.year}"
    put(ws, "L3", place_date, italic=True, merge_to="R3")
    put(ws, "A4", "DANH SÁCH ĐẢNG VIÊN", bold=True, size=14, merge_to="R4")
    put(ws, "A5", f"(Tính đến ngày {vn(AS_OF)})", italic=True, merge_to="R5")


def write_header(ws: Worksheet) -> None:
    """Two-row header with merged group cells, then the numbering row (1)…(18)."""
    h, col = HEADER_ROW, 1
    for text, subs in HEADER:
        first = ws.cell(h, col).column_letter
        last = ws.cell(h, col + max(len(subs), 1) - 1).column_letter
        put(ws, f"{first}{h}", text, bold=True, size=11, merge_to=f"{last}{h if subs else h + 1}", box=True)
        for i, sub in enumerate(subs):
            put(ws, f"{ws.cell(h + 1, col + i).column_letter}{h + 1}", sub, bold=True, size=11, box=True)
        col += max(len(subs), 1)
    for i in range(1, col):
        put(ws, f"{ws.cell(h + 2, i).column_letter}{h + 2}", f"({i})", italic=True, size=10, box=True)
    put(ws, f"S{h}", "Mã", size=11)
    ws.row_dimensions[h].height = 30
    ws.row_dimensions[h + 1].height = 30


def put_date(ws: Worksheet, ref: str, value: date | str | None, fmt: int | None) -> None:
    """A real Excel date, or text in one of TEXT_DATE_FORMATS (or a literal planted string)."""
    put(ws, ref, None, size=11, box=True)
    cell = ws[ref]
    if isinstance(value, date) and fmt is None:
        cell.value, cell.number_format = value, "dd/mm/yyyy"
    elif value is not None:
        text = (
            value
            if isinstance(value, str)
            else TEXT_DATE_FORMATS[fmt or 0].format(d=value.day, m=value.month, y=value.year)
        )
        cell.value, cell.number_format = text, "@"


def write_member(ws: Worksheet, r: int, seq: int, m: Member) -> None:
    """One member row A..S."""
    texts = {
        "seq": seq,
        "full_name": m.full_name,
        "ethnicity": m.ethnicity,
        "religion": m.religion,
        "home_town": m.home_town,
        "education": m.education,
        "professional": m.professional,
        "political_theory": m.political_theory,
        "rank": m.rank,
        "position": m.position,
        "party_post": m.party_post,
        "card_number": m.card_number,
        "cccd": m.cccd,
        "note": m.note,
    }
    for key, value in texts.items():
        left = key in ("full_name", "home_town", "position", "note")
        put(ws, f"{COLUMN[key]}{r}", value or None, size=11, align=LEFT if left else CENTER, box=True)
        if key in ("education", "card_number", "cccd"):
            ws[f"{COLUMN[key]}{r}"].number_format = "@"
    fmt = m.text_dates.get("birth_date")
    put_date(ws, f"C{r}", None if m.female and not m.both_sex_columns else m.birth, fmt)
    put_date(ws, f"D{r}", m.birth if m.female or m.both_sex_columns else None, fmt)
    put_date(ws, f"N{r}", m.admitted_on, m.text_dates.get("admitted_on"))
    put_date(ws, f"O{r}", m.official_on, m.text_dates.get("official_on"))
    put(ws, f"S{r}", m.code, size=11)
    if m.legacy_font:
        ws[f"G{r}"].font = Font(name=".VnTime", size=12)
    if m.hidden:
        ws.row_dimensions[r].hidden = True


def write_footer(ws: Worksheet, r: int, total: int, signer: str) -> None:
    put(ws, f"A{r}", f"Tổng cộng: {total} đồng chí", bold=True, align=LEFT, merge_to=f"F{r}")
    put(ws, f"L{r + 2}", "T/M ĐẢNG ỦY", bold=True, merge_to=f"R{r + 2}")
    put(ws, f"L{r + 3}", "BÍ THƯ", bold=True, merge_to=f"R{r + 3}")
    put(ws, f"L{r + 8}", signer, bold=True, merge_to=f"R{r + 8}")


def write_roster(members: list[Member], path: Path) -> dict[int, int]:
    """Write the roster workbook; return {member uid: Excel row}."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    write_titles(ws)
    write_header(ws)
    rows: dict[int, int] = {}
    r = HEADER_ROW + 3
    for cell, (name, _) in enumerate(CELLS):
        section = f"{ROMAN[cell]}. Chi bộ {name}"
        put(ws, f"A{r}", section, bold=True, size=11, align=LEFT, merge_to=f"R{r}", box=True)
        r += 1
        for seq, m in enumerate((m for m in members if m.cell == cell), 1):
            write_member(ws, r, seq, m)
            rows[m.uid] = r
            r += 1
    signer = next(m.full_name for m in members if m.position == "Trưởng Công an thị xã")
    write_footer(ws, r + 1, len(members), signer)
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["S"].hidden = True
    ws.freeze_panes = f"C{HEADER_ROW + 3}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    save_stable(wb, path)
    return rows


def save_stable(wb: Workbook, path: Path) -> None:
    """Save with fixed document properties and zip timestamps, so reruns are byte-identical."""
    wb.properties.creator = wb.properties.lastModifiedBy = "Văn phòng Đảng ủy Công an thị xã Yên Bình"
    wb.properties.title = "Danh sách đảng viên"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    save_reproducible(wb, path, FIXED_TIME)


# ---------------------------------------------------------------- planted.json and README


def resolve(plants: list[Plant], members: list[Member], rows: dict[int, int]) -> list[dict[str, str]]:
    """planted.json entries: each plant's field turned into the A1 ref of its cell."""
    by_uid = {m.uid: m for m in members}
    out = []
    for p in plants:
        m = by_uid[p.uid]
        birth = "birth_female" if m.female else "birth_male"
        key = {"birth_date": birth, "sex": "birth_female"}.get(p.field, p.field)
        ref = f"{COLUMN[key]}{rows[p.uid]}"
        out.append(
            {
                "code": p.code,
                "severity": p.severity,
                "sheet": SHEET,
                "ref": ref,
                "field": p.field,
                "description_vi": p.description_vi,
                "description_en": p.description_en,
            }
        )
    return out


def update_readme(entries: list[dict[str, str]]) -> None:
    """Regenerate the planted-problem tables between the README markers (Vietnamese, then English)."""
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    heads = {
        "vi": "| Mã lỗi | Mức | Trang tính | Ô | Trường | Mô tả |",
        "en": "| Code | Severity | Sheet | Ref | Field | Description |",
    }
    for lang, head in heads.items():
        lines = [head, "|---|---|---|---|---|---|"]
        lines += [
            f"| `{e['code']}` | {e['severity']} | {e['sheet']} | {e['ref']} | `{e['field']}` | "
            f"{e['description_' + lang].replace('|', '/')} |"
            for e in entries
        ]
        start, end = f"<!-- planted-{lang}:start -->", f"<!-- planted-{lang}:end -->"
        pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md lacks the markers {start} … {end}")
        text = pattern.sub("\n".join([start, *lines, end]).replace("\\", "\\\\"), text)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    rng = random.Random(SEED)
    ids = IdFactory(rng)
    members = build_roster(rng, ids)
    check_clean(members)
    write_roster(members, HERE / "danh_sach_dang_vien.xlsx")
    bad, plants = build_error_roster(members, ids)
    rows = write_roster(bad, HERE / "danh_sach_dang_vien_loi.xlsx")
    entries = resolve(plants, bad, rows)
    planted = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    (HERE / "planted.json").write_text(planted, encoding="utf-8")
    update_readme(entries)


if __name__ == "__main__":
    main()
