"""Generate the sample congress dossier of the fictional "Đảng bộ Công an thị xã Yên Bình" (term 2020–2025).

Writes, next to this script:

    ho_so_nhan_su.xlsx     15 candidates drawn from the clean roster danh_sach_dang_vien.xlsx: the candidate list
                           ("Danh sách trích ngang"), the documents checklist ("Danh mục hồ sơ") and four CV sheets
                           ("SYLL 1" … "SYLL 4", form 2C/TCTW-98, each laid out differently), with planted problems
    dossier_planted.json   how to run the check (congress date, term, seats, roster) and every planted problem:
                           code, severity, sheet, A1 ref, field, candidate, descriptions
    README.md              only the planted-problem table between the <!-- dossier-planted … --> markers

The candidates are rebuilt from generate.py (same seed), so they agree with the roster wherever no problem is
planted. Deterministic: two runs give byte-identical files. ``write_dossier(path, planted=False)`` writes the
same dossier without any problem (the tests use it).

    python sample_data/generate_dossier.py
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("dangvien_sample_roster", HERE / "generate.py")
assert _spec and _spec.loader
roster_gen = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = roster_gen
_spec.loader.exec_module(roster_gen)

CONGRESS = date(2020, 6, 15)
TERM = "2020-2025"
SEATS = 12
OUT = "ho_so_nhan_su.xlsx"
LIST_SHEET, CHECK_SHEET = "Danh sách trích ngang", "Danh mục hồ sơ"
LIST_HEADER = 6  # rows 6-7: two-row header, row 8: numbering, row 9: first candidate
CHECK_HEADER = 4  # row 4: header, row 5: first candidate
DOCUMENTS = [
    ("application", "Đơn ứng cử"),
    ("member_file", "Lý lịch đảng viên có xác nhận của cấp ủy cơ sở"),
    ("assets", "Bản kê khai tài sản, thu nhập"),
    ("health", "Giấy chứng nhận sức khỏe"),
    ("workplace_assessment", "Nhận xét của cấp ủy nơi công tác"),
    ("residence_assessment", "Nhận xét của cấp ủy nơi cư trú"),
    ("political_standard", "Kết luận tiêu chuẩn chính trị"),
    ("diplomas", "Bản sao văn bằng, chứng chỉ"),
]
# (group header, sub-headers) for columns A.. of the candidate list
LIST_COLUMNS: list[tuple[str, list[str]]] = [
    ("STT", []), ("Họ và tên", []), ("Ngày, tháng, năm sinh", ["Nam", "Nữ"]), ("Quê quán", []),
    ("Dân tộc", []), ("Tôn giáo", []), ("Chi bộ", []), ("Chức vụ hiện nay", []), ("Cấp bậc", []),
    ("Ngày vào Đảng", []), ("Ngày chính thức", []), ("Số thẻ đảng viên", []),
    ("Trình độ", ["Học vấn", "Chuyên môn", "Lý luận chính trị", "Ngoại ngữ", "Tin học"]),
    ("Cấp ủy khóa mới", ["Tham gia lần đầu", "Tái cử"]), ("Dự kiến chức danh", []), ("Ghi chú", []),
]  # fmt: skip
COL = {"seq": "A", "full_name": "B", "birth_male": "C", "birth_female": "D", "home_town": "E", "ethnicity": "F",
       "religion": "G", "unit": "H", "position": "I", "rank": "J", "admitted_on": "K", "official_on": "L",
       "card_number": "M", "education": "N", "professional": "O", "political_theory": "P",
       "foreign_language": "Q", "it_level": "R", "first_time": "S", "re_election": "T", "proposed_post": "U",
       "note": "V"}  # fmt: skip
TOWN_POSTS = {"Bí thư Đảng ủy": "Bí thư", "Phó Bí thư Đảng ủy": "Phó Bí thư"}


@dataclass
class Candidate:
    """One row of the candidate list (values as written) and its documents checklist marks."""

    key: str
    full_name: str
    birth: date
    female: bool
    home_town: str
    ethnicity: str
    religion: str
    unit: str
    position: str
    rank: str
    admitted_on: date
    official_on: date | None
    card_number: str
    education: str
    professional: str
    political_theory: str
    foreign_language: str
    it_level: str
    re_election: bool
    proposed_post: str
    birth_under_female: bool | None = None  # None: the column of the person's sex
    documents: dict[str, Any] = field(default_factory=dict)  # document key -> "x", a date, "" or text


@dataclass
class Plant:
    """One planted problem: its code, the candidate, where (sheet + field or a fixed ref) and descriptions."""

    code: str
    key: str
    sheet: str
    field: str
    description_vi: str
    description_en: str
    severity: str = "error"
    ref: str | None = None


def _candidate(m: Any, key: str, proposed: str, re_election: bool, rng: random.Random) -> Candidate:
    cell = roster_gen.CELLS[m.cell][0]
    position = m.position if m.position in roster_gen.TOWN_NOTES else f"{m.position} {cell}"
    if cell.startswith("Đồn ") and "Đồn" in m.position:
        position = m.position.replace("Đồn", cell)
    return Candidate(
        key=key, full_name=m.full_name, birth=m.birth, female=m.female, home_town=m.home_town,
        ethnicity=m.ethnicity, religion=m.religion, unit=f"Chi bộ {cell}", position=position, rank=m.rank,
        admitted_on=m.admitted_on, official_on=m.official_on, card_number=m.card_number, education=m.education,
        professional=m.professional, political_theory=m.political_theory,
        foreign_language=rng.choice(["Tiếng Anh B", "Tiếng Anh B1", "Tiếng Anh A2"]),
        it_level=rng.choice(["Tin học văn phòng", "Chứng chỉ B", "Ứng dụng CNTT cơ bản"]),
        re_election=re_election, proposed_post=proposed,
        documents={k: "x" for k, _ in DOCUMENTS},
    )  # fmt: skip


def choose(members: list[Any], rng: random.Random, planted: bool) -> list[Candidate]:
    """The candidates: the 4 town leaders (re-election), 6 cell secretaries and 3 women; with ``planted`` also
    1 probationary member and 1 officer transferred in after the roster date (so not on it): 15 in all."""
    out: list[Candidate] = []
    leaders = [m for m in members if m.position in roster_gen.TOWN_NOTES]
    btv = iter(["Ủy viên Ban Thường vụ", "Đảng ủy viên"])
    for m in sorted(leaders, key=lambda m: (m.note != "Bí thư Đảng ủy", m.note != "Phó Bí thư Đảng ủy")):
        out.append(_candidate(m, f"leader{len(out)}", TOWN_POSTS.get(m.note) or next(btv), True, rng))
    heads = [m for m in members if m.party_post == "Bí thư"][:6]
    out += [_candidate(m, f"head{m.cell}", "Đảng ủy viên", False, rng) for m in heads]
    women = [m for m in members if m.female and m.official_on and m.rank in ("Trung tá", "Thiếu tá", "Đại úy")
             and (m.party_post or m.position != "Cán bộ" or m.rank == "Trung tá")]  # fmt: skip
    women = sorted(women, key=lambda m: (-roster_gen.RANKS.index(m.rank), m.uid))[:3]
    posts = iter(["Ủy viên Ban Thường vụ", "Đảng ủy viên", "Đảng ủy viên"])
    out += [_candidate(m, f"woman{i}", next(posts), False, rng) for i, m in enumerate(women)]
    young = next(m for m in members if m.official_on is None)
    probationary = _candidate(young, "probationary", "Đảng ủy viên", False, rng)
    newcomer = Candidate(
        key="newcomer", full_name="Đỗ Minh Khoa", birth=date(1980, 7, 2), female=False,
        home_town="xã Tiên Kiên, huyện Lâm Thao, Phú Thọ", ethnicity="Kinh", religion="Không",
        unit="Chi bộ Đội An ninh", position="Phó Đội trưởng Đội An ninh", rank="Thiếu tá",
        admitted_on=date(2006, 5, 19), official_on=date(2007, 5, 19), card_number="39182744", education="12/12",
        professional="Đại học", political_theory="Trung cấp", foreign_language="Tiếng Anh B",
        it_level="Tin học văn phòng", re_election=False, proposed_post="Đảng ủy viên",
        documents={k: "x" for k, _ in DOCUMENTS},
    )  # fmt: skip
    if planted:
        out += [probationary, newcomer]
    for c in out:  # some checklist cells hold the date received instead of "x"
        if rng.random() < 0.4:
            c.documents["health"] = date(2020, 5, rng.randint(4, 20))
        if rng.random() < 0.5:
            c.documents["political_standard"] = date(2020, 5, rng.randint(11, 22))
    assert newcomer.card_number not in {m.card_number for m in members}
    return out


# ---------------------------------------------------------------- planted problems


def plant(cands: list[Candidate]) -> list[Plant]:
    """Change the candidates in place; return what was planted (each on its own candidate, CV ones on CVs)."""
    by = {c.key: c for c in cands}
    heads = [c for c in cands if c.key.startswith("head")]
    short, rank, unit, sex, assets = heads[5], heads[3], heads[4], heads[2], heads[1]
    late, health = heads[0], by["woman2"]
    typo = short.birth.replace(year=short.birth.year - 10)
    plants = [
        Plant("candidate-not-in-roster", "newcomer", LIST_SHEET, "full_name",
              "Đỗ Minh Khoa (chuyển đến sau ngày 31/03/2020) không có trong danh sách đảng viên.",
              "Đỗ Minh Khoa (transferred in after 31/03/2020) is not on the roster."),
        Plant("candidate-probationary", "probationary", LIST_SHEET, "official_on",
              f"{by['probationary'].full_name} vào Đảng {_vn(by['probationary'].admitted_on)}: tại ngày đại hội "
              f"{_vn(CONGRESS)} còn là đảng viên dự bị.",
              f"{by['probationary'].full_name}, admitted {_vn(by['probationary'].admitted_on)}, is still "
              f"probationary on the congress date {_vn(CONGRESS)}."),
        Plant("roster-mismatch", short.key, LIST_SHEET, "birth_date",
              f"Ngày sinh gõ nhầm {_vn(typo)} (danh sách đảng viên: {_vn(short.birth)}).",
              f"Birth date mistyped {_vn(typo)} (roster: {_vn(short.birth)})."),
        Plant("candidate-service-time-short", short.key, LIST_SHEET, "birth_date",
              f"Với ngày sinh {_vn(typo)} ({short.rank}, nam, hạn tuổi 55) chỉ còn 34 tháng công tác, dưới 60 "
              "tháng của người tham gia lần đầu.",
              f"With the birth date {_vn(typo)} ({short.rank}, male, limit 55) only 34 months of service are "
              "left, below the 60 required of a first-time candidate."),
        Plant("roster-mismatch", rank.key, LIST_SHEET, "rank",
              f'Cấp bậc ghi "Thượng tá"; danh sách đảng viên ghi "{rank.rank}".',
              f'Rank written "Thượng tá"; the roster has "{rank.rank}".'),
        Plant("roster-mismatch", unit.key, LIST_SHEET, "unit",
              f'Chi bộ ghi "Chi bộ Đội Cảnh sát kinh tế"; danh sách đảng viên: "{unit.unit}".',
              f'Cell written "Chi bộ Đội Cảnh sát kinh tế"; the roster has "{unit.unit}".'),
        Plant("roster-mismatch", sex.key, LIST_SHEET, "sex",
              "Ngày sinh ghi ở cột Nữ nhưng trong danh sách đảng viên là nam.",
              "The birth date is under Nữ but the roster has him as a man."),
        Plant("document-missing", assets.key, CHECK_SHEET, "assets",
              "Thiếu bản kê khai tài sản, thu nhập (ô trống).", "No asset and income declaration (empty cell)."),
        Plant("document-missing", health.key, CHECK_SHEET, "health",
              'Giấy chứng nhận sức khỏe ghi "chưa".', 'Health certificate marked "chưa" (not yet).'),
        Plant("document-late", late.key, CHECK_SHEET, "political_standard",
              "Kết luận tiêu chuẩn chính trị ghi ngày 05/06/2020, sau hạn 25/05/2020 (15 ngày làm việc trước "
              "đại hội).",
              "Political-standard conclusion dated 05/06/2020, after the deadline 25/05/2020 (15 working days "
              "before the congress).", severity="warning"),
    ]  # fmt: skip
    short.birth = typo
    rank.rank = "Thượng tá"
    unit.unit = "Chi bộ Đội Cảnh sát kinh tế"
    sex.birth_under_female = True
    assets.documents["assets"] = ""
    health.documents["health"] = "chưa"
    late.documents["political_standard"] = date(2020, 6, 5)
    return plants


def _vn(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- sheets

put, put_date = roster_gen.put, roster_gen.put_date
LEFT = roster_gen.LEFT


def write_list(ws: Worksheet, cands: list[Candidate]) -> dict[str, int]:
    """The candidate list: titles, a two-row header with merged groups, numbering, rows, footer."""
    put(ws, "A1", roster_gen.ORG, bold=True, merge_to="G1")
    put(ws, "O1", "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, merge_to="V1")
    put(ws, "O2", f"Yên Bình, ngày 25 tháng 5 năm {CONGRESS.year}", italic=True, merge_to="V2")
    put(ws, "A3", "DANH SÁCH TRÍCH NGANG NHÂN SỰ DỰ KIẾN THAM GIA BAN CHẤP HÀNH ĐẢNG BỘ", bold=True, size=14,
        merge_to="V3")  # fmt: skip
    put(ws, "A4", f"Nhiệm kỳ {TERM.replace('-', '–')} (số lượng: {SEATS} đồng chí)", italic=True, merge_to="V4")
    h, col = LIST_HEADER, 1
    for text, subs in LIST_COLUMNS:
        first, last = ws.cell(h, col).column_letter, ws.cell(h, col + max(len(subs), 1) - 1).column_letter
        put(ws, f"{first}{h}", text, bold=True, size=11, merge_to=f"{last}{h if subs else h + 1}", box=True)
        for i, sub in enumerate(subs):
            put(ws, f"{ws.cell(h + 1, col + i).column_letter}{h + 1}", sub, bold=True, size=11, box=True)
        col += max(len(subs), 1)
    for i in range(1, col):
        put(ws, f"{ws.cell(h + 2, i).column_letter}{h + 2}", f"({i})", italic=True, size=10, box=True)
    rows: dict[str, int] = {}
    for seq, c in enumerate(cands, start=1):
        r = h + 2 + seq
        rows[c.key] = r
        female_column = c.female if c.birth_under_female is None else c.birth_under_female
        values = {"seq": seq, "full_name": c.full_name, "home_town": c.home_town, "ethnicity": c.ethnicity,
                  "religion": c.religion, "unit": c.unit, "position": c.position, "rank": c.rank,
                  "card_number": c.card_number, "education": c.education, "professional": c.professional,
                  "political_theory": c.political_theory, "foreign_language": c.foreign_language,
                  "it_level": c.it_level, "first_time": None if c.re_election else "x",
                  "re_election": "x" if c.re_election else None, "proposed_post": c.proposed_post}  # fmt: skip
        for key, value in values.items():
            left = key in ("full_name", "home_town", "unit", "position")
            put(ws, f"{COL[key]}{r}", value, size=11, align=LEFT if left else roster_gen.CENTER, box=True)
            if key in ("education", "card_number"):
                ws[f"{COL[key]}{r}"].number_format = "@"
        put_date(ws, f"C{r}", None if female_column else c.birth, None)
        put_date(ws, f"D{r}", c.birth if female_column else None, None)
        put_date(ws, f"K{r}", c.admitted_on, None)
        put_date(ws, f"L{r}", c.official_on, None)
        put(ws, f"V{r}", None, size=11, box=True)
    end = h + 3 + len(cands)
    put(ws, f"A{end}", f"Tổng cộng: {len(cands)} đồng chí", bold=True, align=LEFT, merge_to=f"G{end}")
    put(ws, f"O{end + 2}", "T/M ĐẢNG ỦY", bold=True, merge_to=f"V{end + 2}")
    put(ws, f"O{end + 3}", "BÍ THƯ", bold=True, merge_to=f"V{end + 3}")
    put(ws, f"O{end + 7}", cands[0].full_name, bold=True, merge_to=f"V{end + 7}")
    widths = {
        "A": 5,
        "B": 24,
        "C": 11,
        "D": 11,
        "E": 34,
        "F": 8,
        "G": 9,
        "H": 30,
        "I": 30,
        "J": 10,
        "K": 11,
        "L": 11,
        "M": 11,
        "N": 7,
        "O": 10,
        "P": 10,
        "Q": 11,
        "R": 13,
        "S": 9,
        "T": 8,
        "U": 20,
        "V": 10,
    }
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"C{h + 3}"
    ws.page_setup.orientation = "landscape"
    return rows


def write_checklist(ws: Worksheet, cands: list[Candidate]) -> dict[str, int]:
    """The documents checklist, in alphabetical order of given name (not the list's order)."""
    put(ws, "A1", "DANH MỤC HỒ SƠ NHÂN SỰ DỰ KIẾN THAM GIA BAN CHẤP HÀNH ĐẢNG BỘ", bold=True, merge_to="L1")
    put(ws, "A2", f"Nhiệm kỳ {TERM.replace('-', '–')} — đánh dấu \"x\" hoặc ghi ngày nhận", italic=True,
        merge_to="L2")  # fmt: skip
    headers = ["STT", "Họ và tên", "Ngày sinh", *(h for _, h in DOCUMENTS), "Ghi chú"]
    for i, text in enumerate(headers, start=1):
        put(ws, f"{get_column_letter(i)}{CHECK_HEADER}", text, bold=True, size=11, box=True)
    ordered = sorted(cands, key=lambda c: (c.full_name.split()[-1], c.full_name))
    rows: dict[str, int] = {}
    for seq, c in enumerate(ordered, start=1):
        r = CHECK_HEADER + seq
        rows[c.key] = r
        put(ws, f"A{r}", seq, size=11, box=True)
        put(ws, f"B{r}", c.full_name, size=11, align=LEFT, box=True)
        put_date(ws, f"C{r}", c.birth, None)
        for i, (key, _) in enumerate(DOCUMENTS, start=4):
            ref = f"{get_column_letter(i)}{r}"
            value = c.documents[key]
            if isinstance(value, date):
                put_date(ws, ref, value, None)
            else:
                put(ws, ref, value or None, size=11, box=True)
        put(ws, f"{get_column_letter(len(headers))}{r}", None, size=11, box=True)
    ws.column_dimensions["B"].width = 24
    for i in range(3, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.row_dimensions[CHECK_HEADER].height = 60
    return rows


def _cv_values(c: Candidate) -> list[tuple[str, str]]:
    return [
        ("Họ và tên khai sinh", c.full_name.upper()),
        ("Nam, nữ", "Nữ" if c.female else "Nam"),
        ("Sinh ngày", f"{c.birth.day:02d} tháng {c.birth.month:02d} năm {c.birth.year}"),
        ("Quê quán", c.home_town),
        ("Dân tộc", c.ethnicity),
        ("Tôn giáo", c.religion),
        ("Ngày vào Đảng Cộng sản Việt Nam", _vn(c.admitted_on)),
        ("Ngày chính thức", _vn(c.official_on) if c.official_on else ""),
        ("Giáo dục phổ thông", c.education),
        ("Chuyên môn nghiệp vụ", c.professional),
        ("Lý luận chính trị", c.political_theory),
        ("Ngoại ngữ", c.foreign_language),
        ("Cấp bậc", c.rank),
        ("Chức vụ", c.position),
    ]


def write_cv(ws: Worksheet, c: Candidate, layout: str) -> dict[str, str]:
    """A "Sơ yếu lý lịch" sheet; returns {label: A1 ref of its value cell}.

    Layouts: "right" (label in B, value in D), "below" (two pairs a row, values under their labels), "inline"
    (label and value in one cell, "Dân tộc: Kinh").
    """
    put(ws, "B1", "SƠ YẾU LÝ LỊCH", bold=True, size=14, merge_to="G1")
    put(ws, "B2", "(Mẫu 2C/TCTW-98)", italic=True, merge_to="G2")
    refs: dict[str, str] = {}
    pairs = _cv_values(c)
    for i, (label, value) in enumerate(pairs):
        if layout == "right":
            r = 4 + i
            put(ws, f"B{r}", f"{i + 1}) {label}:", align=LEFT)
            put(ws, f"D{r}", value or None, align=LEFT)
            refs[label] = f"D{r}"
        elif layout == "below":
            r, column = 5 + 2 * (i // 2), "B" if i % 2 == 0 else "E"
            put(ws, f"{column}{r}", f"{label}:", bold=True, align=LEFT)
            put(ws, f"{column}{r + 1}", value or None, align=LEFT)
            refs[label] = f"{column}{r + 1}"
        else:
            r = 5 + i
            put(ws, f"C{r}", f"{label}: {value}", align=LEFT)
            refs[label] = f"C{r}"
    for letter, width in {"B": 30, "C": 40, "D": 40, "E": 30}.items():
        ws.column_dimensions[letter].width = width
    return refs


CV_LAYOUTS = [("leader0", "right"), ("leader1", "right"), ("woman0", "below"), ("leader2", "inline")]


def build(planted: bool = True) -> tuple[Workbook, list[dict[str, str]]]:
    """The dossier workbook and its planted problems (an empty list when ``planted`` is False)."""
    rng = random.Random(roster_gen.SEED)
    members = roster_gen.build_roster(rng, roster_gen.IdFactory(rng))
    cands = choose(members, random.Random(CONGRESS.toordinal()), planted)
    plants = plant(cands) if planted else []
    by = {c.key: c for c in cands}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = LIST_SHEET
    list_rows = write_list(ws, cands)
    check_rows = write_checklist(wb.create_sheet(CHECK_SHEET), cands)
    cv_refs: dict[str, tuple[str, dict[str, str]]] = {}
    for n, (key, layout) in enumerate(CV_LAYOUTS, start=1):
        person = copy.deepcopy(by[key])
        if planted and key == "leader0":
            person.admitted_on = person.admitted_on.replace(year=person.admitted_on.year - 1)
            plants.append(Plant("cv-mismatch", key, f"SYLL {n}", "admitted_on",
                                f"Sơ yếu lý lịch ghi ngày vào Đảng {_vn(person.admitted_on)}; danh sách trích "
                                f"ngang ghi {_vn(by[key].admitted_on)}.",
                                f"The CV gives the admission date {_vn(person.admitted_on)}; the candidate list "
                                f"has {_vn(by[key].admitted_on)}.",
                                ref="admitted_on"))  # fmt: skip
        if planted and key == "leader1":
            person.home_town = ""
            plants.append(Plant("cv-field-missing", key, f"SYLL {n}", "home_town",
                                "Sơ yếu lý lịch để trống quê quán.", "The CV leaves the home town empty.",
                                ref="home_town"))  # fmt: skip
        cv_refs[f"SYLL {n}"] = (key, write_cv(wb.create_sheet(f"SYLL {n}"), person, layout))
    return wb, [_resolve(p, by, list_rows, check_rows, cv_refs) for p in plants]


_CV_LABEL = {"admitted_on": "Ngày vào Đảng Cộng sản Việt Nam", "home_town": "Quê quán"}


def _resolve(p: Plant, by: dict[str, Candidate], list_rows: dict[str, int], check_rows: dict[str, int],
             cv_refs: dict[str, tuple[str, dict[str, str]]]) -> dict[str, str]:  # fmt: skip
    c = by[p.key]
    if p.sheet == LIST_SHEET:
        column = COL.get(p.field)
        if p.field in ("birth_date", "sex"):
            female_column = c.female if c.birth_under_female is None else c.birth_under_female
            column = "D" if female_column else "C"
        ref = f"{column}{list_rows[p.key]}"
    elif p.sheet == CHECK_SHEET:
        index = [k for k, _ in DOCUMENTS].index(p.field)
        ref = f"{chr(ord('D') + index)}{check_rows[p.key]}"
    else:
        ref = cv_refs[p.sheet][1][_CV_LABEL[p.field]]
    return {"code": p.code, "severity": p.severity, "sheet": p.sheet, "ref": ref, "field": p.field,
            "member": c.full_name, "description_vi": p.description_vi, "description_en": p.description_en}  # fmt: skip


def write_dossier(path: Path, planted: bool = True) -> list[dict[str, str]]:
    """Write the dossier workbook to ``path``; return the planted problems."""
    wb, problems = build(planted)
    roster_gen.save_stable(wb, path)
    return problems


def update_readme(problems: list[dict[str, str]]) -> None:
    """Regenerate the planted-problem table between the README's dossier markers."""
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- dossier-planted:start -->", "<!-- dossier-planted:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"README.md lacks the markers {start} … {end}")
    lines = [start, "| Mã / code | Mức / severity | Trang / sheet | Ô / ref | Trường / field | Mô tả | Description |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| `{p['code']}` | {p['severity']} | {p['sheet']} | {p['ref']} | `{p['field']}` | "
              f"{p['description_vi'].replace('|', '/')} | {p['description_en'].replace('|', '/')} |"
              for p in problems]  # fmt: skip
    head, rest = text.split(start, 1)
    path.write_text(head + "\n".join([*lines, end]) + rest.split(end, 1)[1], encoding="utf-8")


def main() -> None:
    problems = write_dossier(HERE / OUT)
    planted = {
        "file": OUT,
        "roster": "danh_sach_dang_vien.xlsx",
        "congress_date": CONGRESS.isoformat(),
        "term": TERM,
        "seats": SEATS,
        "problems": problems,
    }
    (HERE / "dossier_planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=2) + "\n", "utf-8")
    update_readme(problems)


if __name__ == "__main__":
    main()
