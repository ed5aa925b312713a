"""Generate the sample files for counts per cell, declared-vs-derived reconciliation and the roll-forward.

Reads the clean roster ``danh_sach_dang_vien.xlsx`` (written by generate.py) with openpyxl and writes, next to
this script:

    bao_cao_so_luong.xlsx       counts per cell at 31/03/2020 typed as an office would, with planted differences
    declared_planted.json       the differences planted in it: what `dangvien summary --declared` must report
    danh_sach_2020_09_30.xlsx   the roster at 30/09/2020: the clean roster after the movements below
    bien_dong.xlsx              the movements (biến động) between the two dates, one row each

The counts of the declared sheet are computed here with plain Python from the workbook's cells, independently
of the library, so the reconciliation test compares two separate computations. Deterministic: a fixed seed
and fixed zip timestamps, so two runs give byte-identical files.

    python sample_data/generate_extra.py
"""

from __future__ import annotations

import copy
import json
import random
import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from dangvien_data.io.excel import save_reproducible

HERE = Path(__file__).resolve().parent
CLEAN = HERE / "danh_sach_dang_vien.xlsx"
SEED = 20200930
AS_OF = date(2020, 3, 31)
LATER = date(2020, 9, 30)
FIXED_TIME = datetime(2020, 9, 30, 8, 0, 0)
FONT = "Times New Roman"
ORG = "ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH"
PLACE = "Yên Bình"
COLUMNS = "ABCDEFGHIJKLMNOPQRS"
COL = {
    "seq": "A",
    "name": "B",
    "male": "C",
    "female": "D",
    "ethnicity": "E",
    "religion": "F",
    "home": "G",
    "education": "H",
    "professional": "I",
    "theory": "J",
    "rank": "K",
    "position": "L",
    "post": "M",
    "admitted": "N",
    "official": "O",
    "card": "P",
    "cccd": "Q",
    "note": "R",
    "code": "S",
}
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


# ---------------------------------------------------------------- reading the clean roster


@dataclass
class Row:
    """One member row of the clean roster: cells A..S (value and style) and whether the row is hidden."""

    cells: dict[str, Any]
    styles: dict[str, Any]
    hidden: bool = False

    def get(self, key: str) -> Any:
        return self.cells.get(COL[key])


@dataclass
class Section:
    """One cell (chi bộ) of the roster: its section text and member rows."""

    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def name(self) -> str:
        return re.sub(r"^[IVX]+\.\s*", "", self.title)


def read_clean() -> tuple[Worksheet, list[Section], int]:
    """The clean sheet, its sections with member rows, and the row of the "Tổng cộng" footer."""
    ws = load_workbook(CLEAN)["Danh sách"]
    sections: list[Section] = []
    footer = 0
    for r in range(10, ws.max_row + 1):
        first = ws[f"A{r}"].value
        if isinstance(first, str) and first.startswith("Tổng cộng"):
            footer = r
            break
        if isinstance(first, str) and ". Chi bộ " in first:
            sections.append(Section(first))
        elif isinstance(first, int):
            cells = {c: ws[f"{c}{r}"].value for c in COLUMNS}
            styles = {c: style_of(ws[f"{c}{r}"]) for c in COLUMNS}
            sections[-1].rows.append(Row(cells, styles, bool(ws.row_dimensions[r].hidden)))
    return ws, sections, footer


def style_of(cell: Any) -> tuple[Any, ...]:
    """A cell's style as plain objects (a workbook's style indices do not carry over to another workbook)."""
    return (
        copy.copy(cell.font),
        copy.copy(cell.border),
        copy.copy(cell.alignment),
        cell.number_format,
        copy.copy(cell.fill),
    )


def set_style(cell: Any, style: tuple[Any, ...]) -> None:
    cell.font, cell.border, cell.alignment, cell.number_format, cell.fill = (copy.copy(s) for s in style)


def as_date(value: Any) -> date | None:
    """A date cell: a real Excel date or text in dd/mm/yyyy, d/m/yyyy, dd.mm.yyyy or dd-mm-yyyy."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and (m := re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", value.strip())):
        return date(int(m[3]), int(m[2]), int(m[1]))
    return None


def years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def add_months(d: date, months: int) -> date:
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return date(year, month0 + 1, min(d.day, monthrange(year, month0 + 1)[1]))


def vn(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- counts, computed independently of the library

METRICS = [
    "total",
    "official",
    "probationary",
    "women",
    "ethnic_minority",
    "religious",
    "age_30_or_less",
    "age_31_40",
    "age_41_50",
    "age_51_60",
    "age_61_or_more",
    "party_age_30_or_more",
    "party_age_40_or_more",
]


def counts(section: Section, on: date) -> tuple[dict[str, int], list[int]]:
    """The docs/architecture.md metrics of one cell at `on`, and the members' ages (whole years)."""
    figures = dict.fromkeys(METRICS, 0)
    ages = []
    for row in section.rows:
        born = as_date(row.get("male")) or as_date(row.get("female"))
        admitted = as_date(row.get("admitted"))
        assert born and admitted
        official = as_date(row.get("official")) is not None or add_months(admitted, 12) <= on
        age, party = years_between(born, on), years_between(admitted, on)
        ages.append(age)
        band = (
            "age_30_or_less"
            if age <= 30
            else "age_31_40"
            if age <= 40
            else "age_41_50"
            if age <= 50
            else "age_51_60"
            if age <= 60
            else "age_61_or_more"
        )
        for key, hit in (
            ("total", True),
            ("official", official),
            ("probationary", not official),
            ("women", row.get("female") is not None),
            ("ethnic_minority", row.get("ethnicity") != "Kinh"),
            ("religious", row.get("religion") != "Không"),
            (band, True),
            ("party_age_30_or_more", party >= 30),
            ("party_age_40_or_more", party >= 40),
        ):
            figures[key] += int(hit)
    return figures, ages


# ---------------------------------------------------------------- writing helpers


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
    fmt: str | None = None,
) -> None:
    """Write one cell (optionally merged to `merge_to`) in Times New Roman."""
    cell = ws[ref]
    cell.value = value
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
    cell.alignment = align
    if fmt:
        cell.number_format = fmt
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
    if box:
        for row in ws[f"{ref}:{merge_to or ref}"]:
            for c in row:
                c.border = BOX


def heading(ws: Worksheet, title: str, period: str, left_to: str, right: str, right_to: str, on: date) -> None:
    """The Party-document heading: organisation and "*" top left, the Party top right, place and date, title."""
    put(ws, "A1", ORG, bold=True, merge_to=f"{left_to}1")
    put(ws, f"{right}1", "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, merge_to=f"{right_to}1")
    put(ws, "A2", "*", merge_to=f"{left_to}2")
    put(ws, f"{right}3", f"{PLACE}, ngày {on.day} tháng {on.month} năm {on.year}", italic=True, merge_to=f"{right_to}3")
    put(ws, "A4", title, bold=True, size=14, merge_to=f"{right_to}4")
    put(ws, "A5", period, italic=True, merge_to=f"{right_to}5")


def save_stable(wb: Workbook, path: Path, title: str) -> None:
    """Save with fixed document properties and zip timestamps, so reruns are byte-identical."""
    wb.properties.creator = wb.properties.lastModifiedBy = "Văn phòng Đảng ủy Công an thị xã Yên Bình"
    wb.properties.title = title
    wb.properties.created = wb.properties.modified = FIXED_TIME
    save_reproducible(wb, path, FIXED_TIME)


# ---------------------------------------------------------------- the declared summary sheet

DECLARED_SHEET = "Báo cáo số lượng"
# (metric, sub-header under a group or the header itself, column letter); C..P. Row 7: headers, row 8: sub-headers.
DECLARED_COLUMNS = [
    ("total", "Tổng số đảng viên", "C"),
    ("official", "Chính thức", "D"),
    ("probationary", "Dự bị", "E"),
    ("women", "Nữ", "F"),
    ("ethnic_minority", "Dân tộc thiểu số", "G"),
    ("religious", "Tôn giáo", "H"),
    ("age_30_or_less", "≤ 30", "I"),
    ("age_31_40", "31 – 40", "J"),
    ("age_41_50", "41 – 50", "K"),
    ("age_51_60", "51 – 60", "L"),
    ("age_61_or_more", "≥ 61", "M"),
    ("party_age_30_or_more", "Từ 30 năm trở lên", "N"),
    ("party_age_40_or_more", "Từ 40 năm trở lên", "O"),
    ("average_age", "Tuổi bình quân", "P"),
]
LETTER = {metric: letter for metric, _, letter in DECLARED_COLUMNS}
FIRST_LINE = 10
# How the office typed each cell's name: tolerated variants of the roster's names (case, NFD, no "Chi bộ").
NAME_AS_TYPED = {
    1: "CHI BỘ ĐỘI CẢNH SÁT HÌNH SỰ",
    2: "Đội An ninh",
    5: unicodedata.normalize("NFD", "Chi bộ Đội Cảnh sát giao thông - trật tự"),
}


@dataclass
class Planted:
    """One difference the declared sheet must yield (the record `dangvien summary --declared` prints)."""

    code: str
    cell: str | None
    metric: str
    declared: float
    derived: float
    ref: str
    description_vi: str
    description_en: str

    def record(self) -> dict[str, Any]:
        def number(v: float) -> float:
            return int(v) if float(v).is_integer() else v

        return {
            "code": self.code,
            "cell": self.cell,
            "metric": self.metric,
            "declared": number(self.declared),
            "derived": number(self.derived),
            "difference": number(self.declared - self.derived),
            "sheet": DECLARED_SHEET,
            "ref": self.ref,
            "description_vi": self.description_vi,
            "description_en": self.description_en,
        }


def plant_declared(sections: list[Section], lines: list[dict[str, Any]]) -> list[Planted]:
    """Change the typed figures; return every difference it must yield, in the order they are reported."""
    plants: list[Planted] = []

    def change(i: int, metric: str, delta: int, vi: str, en: str) -> None:
        before = lines[i][metric]
        lines[i][metric] = before + delta
        plants.append(
            Planted(
                "declared-count-mismatch",
                sections[i].name,
                metric,
                before + delta,
                before,
                f"{LETTER[metric]}{FIRST_LINE + i}",
                vi,
                en,
            )
        )

    change(
        0,
        "official",
        -1,
        "Gõ thiếu một đảng viên chính thức; dòng không còn tự khớp.",
        "One official member too few; the row no longer adds up.",
    )
    line = lines[0]
    plants.append(
        Planted(
            "declared-arithmetic",
            sections[0].name,
            "total",
            line["total"],
            line["official"] + line["probationary"],
            f"C{FIRST_LINE}",
            "Tổng số ≠ Chính thức + Dự bị trên cùng dòng.",
            "Total ≠ official + probationary on the row.",
        )
    )
    change(2, "women", +1, "Số nữ gõ thừa một.", "One woman too many.")
    for metric in ("total", "official", "age_31_40"):
        change(3, metric, +1, "Vẫn tính một đảng viên đã chuyển đi.", "Still counts a member who moved away.")
    change(
        4,
        "age_31_40",
        +1,
        "Một người xếp nhầm độ tuổi (41–50 ghi vào 31–40).",
        "One member put in the wrong age band (41–50 typed as 31–40).",
    )
    change(
        4,
        "age_41_50",
        -1,
        "Một người xếp nhầm độ tuổi (41–50 ghi vào 31–40).",
        "One member put in the wrong age band (41–50 typed as 31–40).",
    )
    return plants


def write_declared(sections: list[Section]) -> list[Planted]:
    """Write bao_cao_so_luong.xlsx; return the planted differences."""
    lines, all_ages = [], []
    for section in sections:
        figures, ages = counts(section, AS_OF)
        lines.append({**figures, "average_age": round(sum(ages) / len(ages), 1)})
        all_ages += ages
    plants = plant_declared(sections, lines)
    totals = {m: sum(line[m] for line in lines) for m in METRICS}
    totals["average_age"] = round(sum(all_ages) / len(all_ages), 1)
    totals["religious"] -= 1  # a slip when adding up the column
    total_row = FIRST_LINE + len(sections)
    plants.append(
        Planted(
            "declared-arithmetic",
            None,
            "total",
            totals["total"],
            totals["official"] + totals["probationary"],
            f"C{total_row}",
            "Dòng tổng cộng: Tổng số ≠ Chính thức + Dự bị (hệ quả của dòng I).",
            "Total row: total ≠ official + probationary (follows from row I).",
        )
    )
    plants.append(
        Planted(
            "declared-arithmetic",
            None,
            "religious",
            totals["religious"],
            totals["religious"] + 1,
            f"H{total_row}",
            "Cộng nhầm cột Tôn giáo ở dòng tổng cộng.",
            "The religious column is added up wrongly in the total row.",
        )
    )
    for plant in plants[-2:]:
        plant.cell = "Tổng cộng"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DECLARED_SHEET
    heading(ws, "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐẢNG VIÊN", f"(Tính đến ngày {vn(AS_OF)})", "E", "J", "Q", AS_OF)
    put(ws, "A7", "STT", bold=True, size=11, merge_to="A8", box=True)
    put(ws, "B7", "Tên chi bộ", bold=True, size=11, merge_to="B8", box=True)
    put(ws, "C7", "Tổng số đảng viên", bold=True, size=11, merge_to="C8", box=True)
    for text, first, last in (("Trong đó", "D", "H"), ("Độ tuổi", "I", "M"), ("Tuổi đảng", "N", "O")):
        put(ws, f"{first}7", text, bold=True, size=11, merge_to=f"{last}7", box=True)
    for _, text, letter in DECLARED_COLUMNS[1:-1]:
        put(ws, f"{letter}8", text, bold=True, size=11, box=True)
    put(ws, "P7", "Tuổi bình quân", bold=True, size=11, merge_to="P8", box=True)
    put(ws, "Q7", "Ghi chú", bold=True, size=11, merge_to="Q8", box=True)
    for i, letter in enumerate("ABCDEFGHIJKLMNOPQ", 1):
        put(ws, f"{letter}9", f"({i})", italic=True, size=10, box=True)
    for i, (section, line) in enumerate(zip(sections, lines, strict=True)):
        r = FIRST_LINE + i
        put(ws, f"A{r}", i + 1, size=11, box=True)
        put(ws, f"B{r}", NAME_AS_TYPED.get(i, section.name), size=11, align=LEFT, box=True)
        write_figures(ws, r, line, text_average=(i == 6))
        put(ws, f"Q{r}", None, size=11, box=True)
    put(ws, f"A{total_row}", "Tổng cộng", bold=True, size=11, merge_to=f"B{total_row}", box=True)
    write_figures(ws, total_row, totals, bold=True)
    put(ws, f"Q{total_row}", None, size=11, box=True)
    put(ws, f"B{total_row + 2}", "Người lập biểu", bold=True)
    put(ws, f"J{total_row + 2}", "T/M ĐẢNG ỦY", bold=True, merge_to=f"Q{total_row + 2}")
    put(ws, f"J{total_row + 3}", "BÍ THƯ", bold=True, merge_to=f"Q{total_row + 3}")
    for letter, width in {"A": 5, "B": 44, "P": 9, "Q": 10}.items():
        ws.column_dimensions[letter].width = width
    for letter in "CDEFGHIJKLMNO":
        ws.column_dimensions[letter].width = 8
    ws.page_setup.orientation = "landscape"
    save_stable(wb, HERE / "bao_cao_so_luong.xlsx", "Báo cáo số lượng đảng viên")
    return plants


def write_figures(
    ws: Worksheet, r: int, line: dict[str, Any], *, bold: bool = False, text_average: bool = False
) -> None:
    for metric, _, letter in DECLARED_COLUMNS:
        value = line[metric]
        if metric == "average_age":
            # typed as text with a decimal comma on one row, as a number everywhere else
            shown = f"{value:.1f}".replace(".", ",") if text_average else value
            put(ws, f"{letter}{r}", shown, bold=bold, size=11, box=True, fmt="@" if text_average else "0.0")
        else:
            put(ws, f"{letter}{r}", value, bold=bold, size=11, box=True)


# ---------------------------------------------------------------- movements and the later roster


@dataclass
class Movement:
    """One row of the movements sheet."""

    name: str
    born: date
    card: str | None
    cell: str
    category: str
    on: date
    cell_to: str | None = None
    note: str | None = None


def plain(section: Section, rng: random.Random) -> Row:
    """A random ordinary member of the cell: no Party post, no note, visible, official."""
    rows = [r for r in section.rows if not r.get("post") and not r.get("note") and not r.hidden and r.get("official")]
    row = rng.choice(rows)
    section.rows.remove(row)
    return row


def person(row: Row) -> tuple[str, date, str]:
    born = as_date(row.get("male")) or as_date(row.get("female"))
    assert born
    return str(row.get("name")), born, str(row.get("card"))


def new_member(
    template: Row,
    rng: random.Random,
    name: str,
    born: date,
    female: bool,
    admitted: date,
    official: date | None,
    rank: str,
    taken: set[str],
) -> Row:
    """A member row built on a template row's styles, with unique card and CCCD numbers (docs/domain.md §10)."""
    row = Row(dict.fromkeys(COLUMNS), dict(template.styles))
    while (card := f"{rng.randrange(10**8):08d}") in taken:
        pass
    taken.add(card)
    province = str(template.get("cccd"))[:3]
    cells = {
        "name": name,
        "male": None if female else born,
        "female": born if female else None,
        "ethnicity": "Kinh",
        "religion": "Không",
        "home": template.get("home"),
        "education": "12/12",
        "professional": "Đại học",
        "theory": "Sơ cấp",
        "rank": rank,
        "position": "Cán bộ",
        "admitted": admitted,
        "official": official,
        "card": card,
        "cccd": f"{province}{int(female)}{born.year % 100:02d}{rng.randrange(10**6):06d}",
    }
    for key, value in cells.items():
        row.cells[COL[key]] = value
    return row


def apply_movements(sections: list[Section], rng: random.Random) -> list[Movement]:
    """Change the sections in place into the roster at LATER; return the movements, in date order."""
    taken = {str(r.get("card")) for s in sections for r in s.rows}
    names = [s.name for s in sections]
    moves: list[Movement] = []
    # two admissions (kết nạp): new probationary members
    for cell, (name, born, female, admitted, rank) in (
        (1, ("Trần Minh Khoa", date(1997, 4, 12), False, date(2020, 5, 19), "Thượng sĩ")),
        (5, ("Lê Thị Ngọc Ánh", date(1998, 10, 2), True, date(2020, 9, 2), "Trung úy")),
    ):
        template = sections[cell].rows[-1]
        sections[cell].rows.append(new_member(template, rng, name, born, female, admitted, None, rank, taken))
        moves.append(
            Movement(
                name,
                born,
                None,
                names[cell].removeprefix("Chi bộ "),
                "Kết nạp mới" if cell == 1 else "Kết nạp",
                admitted,
            )
        )
    # one transfer in (chuyển đến): an official member from another organisation
    template = sections[0].rows[-1]
    row = new_member(
        template,
        rng,
        "Phạm Quốc Bảo",
        date(1988, 11, 23),
        False,
        date(2012, 3, 26),
        date(2013, 3, 26),
        "Thượng úy",
        taken,
    )
    sections[0].rows.append(row)
    moves.append(
        Movement(
            "Phạm Quốc Bảo",
            date(1988, 11, 23),
            str(row.get("card")),
            names[0],
            "Chuyển đến",
            date(2020, 7, 15),
            note="Từ Đảng bộ Công an huyện Văn Yên",
        )
    )
    # departures: two transfers out, one death
    for cell, category, on, note in (
        (4, "Chuyển sinh hoạt đi", date(2020, 6, 1), "Đến Đảng bộ Công an tỉnh Yên Bái"),
        (7, "Chuyển đi", date(2020, 8, 10), "Đến Đảng bộ Công an huyện Yên Bình"),
        (8, "Từ trần", date(2020, 7, 27), None),
    ):
        name, born, card = person(plain(sections[cell], rng))
        moves.append(Movement(name, born, card, names[cell], category, on, note=note))
    # a probationary member whose 12 months ended without recognition is removed (xóa tên); the others due
    # by LATER become official
    probationary = [
        (as_date(r.get("admitted")), s, r)
        for s in sections
        for r in s.rows
        if not r.get("official") and as_date(r.get("admitted")) and as_date(r.get("admitted")) < AS_OF
    ]
    probationary.sort(key=lambda t: t[0] or AS_OF)
    first_admitted, section, row = probationary[0]
    assert first_admitted and add_months(first_admitted, 12) <= LATER
    section.rows.remove(row)
    name, born, card = person(row)
    moves.append(
        Movement(
            name,
            born,
            card,
            section.name,
            "Xóa tên",
            add_months(first_admitted, 12),
            note="Đảng viên dự bị không được công nhận chính thức",
        )
    )
    for admitted, _, row in probationary[1:]:
        assert admitted
        if add_months(admitted, 12) <= LATER:
            due = add_months(admitted, 12)
            typed = isinstance(row.get("admitted"), str)  # typed as text like the admission date, else a date
            row.cells[COL["official"]] = vn(due) if typed else datetime.combine(due, datetime.min.time())
            row.styles[COL["official"]] = row.styles[COL["admitted"]]
    # one move between cells (chuyển sinh hoạt nội bộ): cell IV → cell III, at the end of cell III
    row = plain(sections[3], rng)
    sections[2].rows.append(row)
    name, born, card = person(row)
    moves.append(
        Movement(
            name,
            born,
            card,
            names[3],
            "Chuyển sinh hoạt nội bộ",
            date(2020, 8, 1),
            cell_to=names[2].removeprefix("Chi bộ "),
        )
    )
    # status only, not a movement: someone attached temporarily is not on the roster
    moves.append(
        Movement(
            "Đỗ Văn Tuấn",
            date(1985, 6, 14),
            None,
            names[6],
            "Sinh hoạt tạm thời",
            date(2020, 9, 15),
            note="Học viên thực tập, sinh hoạt tạm thời 3 tháng",
        )
    )
    return sorted(moves, key=lambda m: m.on)


def write_later_roster(ws0: Worksheet, sections: list[Section], footer: int) -> None:
    """The roster at LATER in the clean roster's layout: heading and header copied, rows rewritten."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = ws0.title
    for r in range(1, 10):
        for c in COLUMNS:
            src, dst = ws0[f"{c}{r}"], ws[f"{c}{r}"]
            dst.value = src.value
            set_style(dst, style_of(src))
        ws.row_dimensions[r].height = ws0.row_dimensions[r].height
    for merged in ws0.merged_cells.ranges:
        if merged.max_row < 10:
            ws.merge_cells(merged.coord)
    ws["L3"].value = f"{PLACE}, ngày {LATER.day} tháng {LATER.month} năm {LATER.year}"
    ws["A5"].value = f"(Tính đến ngày {vn(LATER)})"
    r = 10
    section_style = style_of(ws0["A10"])
    for section in sections:
        ws[f"A{r}"].value = section.title
        set_style(ws[f"A{r}"], section_style)
        ws.merge_cells(f"A{r}:R{r}")
        r += 1
        for seq, row in enumerate(section.rows, 1):
            for c in COLUMNS:
                ws[f"{c}{r}"].value = seq if c == "A" else row.cells[c]
                set_style(ws[f"{c}{r}"], row.styles[c])
            ws.row_dimensions[r].hidden = row.hidden
            r += 1
    total = sum(len(s.rows) for s in sections)
    r += 1
    for offset in range(9):
        for c in COLUMNS:
            src = ws0[f"{c}{footer + offset}"]
            ws[f"{c}{r + offset}"].value = src.value
            set_style(ws[f"{c}{r + offset}"], style_of(src))
    ws[f"A{r}"].value = f"Tổng cộng: {total} đồng chí"
    for merged in ws0.merged_cells.ranges:
        if merged.min_row >= footer:
            moved = copy.copy(merged)
            moved.shift(row_shift=r - footer)
            ws.merge_cells(moved.coord)
    for letter, dim in ws0.column_dimensions.items():
        ws.column_dimensions[letter].width = dim.width
    ws.column_dimensions["S"].hidden = True
    ws.freeze_panes = "C10"
    ws.print_title_rows = "7:9"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    save_stable(wb, HERE / "danh_sach_2020_09_30.xlsx", "Danh sách đảng viên")


MOVEMENT_HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Số thẻ đảng viên",
    "Chi bộ",
    "Loại biến động",
    "Ngày biến động",
    "Chuyển đến chi bộ",
    "Ghi chú",
]


def write_movements(moves: list[Movement]) -> None:
    """bien_dong.xlsx: heading, one header row, a numbering row, one row per movement, signatures."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Biến động"
    heading(
        ws,
        "DANH SÁCH BIẾN ĐỘNG ĐẢNG VIÊN",
        f"(Từ ngày {vn(date(2020, 4, 1))} đến ngày {vn(LATER)})",
        "C",
        "F",
        "I",
        LATER,
    )
    for i, text in enumerate(MOVEMENT_HEADER):
        put(ws, f"{COLUMNS[i]}7", text, bold=True, size=11, box=True)
        put(ws, f"{COLUMNS[i]}8", f"({i + 1})", italic=True, size=10, box=True)
    for i, m in enumerate(moves):
        r = 9 + i
        values = [i + 1, m.name, vn(m.born), m.card, m.cell, m.category, vn(m.on), m.cell_to, m.note]
        for j, value in enumerate(values):
            put(
                ws,
                f"{COLUMNS[j]}{r}",
                value,
                size=11,
                box=True,
                align=LEFT if j in (1, 4, 5, 7, 8) else CENTER,
                fmt="@" if j in (2, 3, 6) else None,
            )
    r = 9 + len(moves) + 1
    put(ws, f"F{r}", "T/M ĐẢNG ỦY", bold=True, merge_to=f"I{r}")
    put(ws, f"F{r + 1}", "BÍ THƯ", bold=True, merge_to=f"I{r + 1}")
    for letter, width in zip(COLUMNS[:9], (5, 24, 12, 12, 36, 22, 13, 30, 40), strict=True):
        ws.column_dimensions[letter].width = width
    save_stable(wb, HERE / "bien_dong.xlsx", "Biến động đảng viên")


def update_readme(plants: list[Planted]) -> None:
    """Regenerate the planted-differences table between the README's declared-planted markers."""
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- declared-planted:start -->", "<!-- declared-planted:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"README.md lacks the markers {start} … {end}")
    head = ["Mã / code", "Chi bộ / cell", "Chỉ tiêu / metric", "Báo cáo / declared", "Tính / derived", "Ô / ref",
            "Mô tả", "Description"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|---|---|---|---|"]
    for p in plants:
        r = p.record()
        lines.append(f"| `{r['code']}` | {r['cell']} | `{r['metric']}` | {r['declared']} | {r['derived']} | "
                     f"{r['ref']} | {r['description_vi']} | {r['description_en']} |")  # fmt: skip
    before, rest = text.split(start, 1)
    path.write_text(before + "\n".join([start, *lines, end]) + rest.split(end, 1)[1], encoding="utf-8")


def main() -> None:
    ws0, sections, footer = read_clean()
    assert [len(s.rows) for s in sections] == [22, 20, 19, 18, 17, 16, 16, 15, 14, 13]
    plants = write_declared(sections)
    text = json.dumps([p.record() for p in plants], ensure_ascii=False, indent=2) + "\n"
    (HERE / "declared_planted.json").write_text(text, encoding="utf-8")
    update_readme(plants)
    later = copy.deepcopy(sections)
    moves = apply_movements(later, random.Random(SEED))
    write_later_roster(ws0, later, footer)
    write_movements(moves)


if __name__ == "__main__":
    main()
