"""A gallery of roster layouts that offices use, built by code, each with the truth the reader must recover.

A :class:`Layout` is a set of features (sheet or file per cell, split names, abbreviated headers, totals rows,
hidden departed members, legacy text …); :func:`build` writes the workbooks of one layout for a list of
:class:`Person` and returns the :class:`Expected` members, cells, counts and refs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from dangvien_data.domain.vntext import _TCVN3_DECODE, nfc
from test_vntext import to_vni  # VNI-Windows as published, independent of the module's own table

CELLS = ("Chi bộ Đội Tổng hợp", "Chi bộ Đội Cảnh sát giao thông", "Chi bộ Đồn Công an KCN Yên Bình")

_TCVN3 = {letter: chr(code) for code, letter in _TCVN3_DECODE.items() if code >= 0xA0}


def to_tcvn3(text: str) -> str:
    """Lower-case Vietnamese in TCVN3 (ABC fonts); capitals are written with the lower-case letters' codes."""
    return "".join(_TCVN3.get(c, _TCVN3.get(c.lower(), c)) for c in nfc(text))


@dataclass(frozen=True)
class Person:
    """One member as the truth knows them."""

    family: str
    given: str
    born: dt.date
    sex: str
    cell: str
    admitted: dt.date
    card: str
    ethnicity: str = "Kinh"
    religion: str = "Không"
    status: str | None = None  # "departed" / "exempted"

    @property
    def name(self) -> str:
        return f"{self.family} {self.given}"

    @property
    def official(self) -> dt.date:
        return self.admitted.replace(year=self.admitted.year + 1)


_FAMILIES = ("Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đặng Văn", "Bùi Thị")
_GIVEN = ("An", "Bình", "Cường", "Dung", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Quỳnh", "Sơn", "Thảo")


def people(count: int = 9, *, seed: int = 0) -> list[Person]:
    """``count`` clean members spread over the three cells (born 1960–1996, admitted at 25, official a year on)."""
    out = []
    for i in range(count):
        k = i + seed
        family = _FAMILIES[k % len(_FAMILIES)]
        born = dt.date(1958 + (k * 7) % 36, 1 + k % 12, 1 + (k * 5) % 28)
        out.append(
            Person(
                family=family,
                given=_GIVEN[(k * 5) % len(_GIVEN)],
                born=born,
                sex="Nữ" if "Thị" in family else "Nam",
                cell=CELLS[i % len(CELLS)],
                admitted=born.replace(year=born.year + 23),
                card=f"{10000000 + k * 7919:08d}",
            )
        )
    return out


@dataclass(frozen=True)
class Layout:
    """The features of one office's layout."""

    name: str
    per: str = "sections"  # sections (one sheet, "I. Chi bộ …" rows) | sheet (a sheet per cell) | file
    title: bool = True  # title rows above the header
    numbering: bool = False  # a "(1) (2) …" row under the header
    split_name: str | None = None  # None | "Họ" | "Họ và tên đệm" (beside "Tên") | "merged" (one header over both)
    abbreviated: bool = False  # DT, TG, Ngày VĐ, Ngày CT, Số thẻ ĐV …
    birth: str = "date"  # date | sex (Nam/Nữ sub-columns) | year ("Năm sinh" 1975)
    totals: bool = False  # a "Tổng cộng" row with formulas under each table, subtotals per section
    sums_only: bool = False  # the totals row holds only the column sums, no label
    signature: bool = False
    notes: bool = False  # a note line under the table
    departed: bool = False  # a departed member, row hidden, marked "Chuyển đi" in Ghi chú
    exempted: bool = False  # an exempted member, marked "Miễn sinh hoạt" in Ghi chú
    legacy: str | None = None  # tcvn3 | vni: the text of the second cell in a legacy font
    caps: bool = False  # cell names in capitals ("CHI BỘ ĐỒN CÔNG AN KCN YÊN BÌNH")
    reverse: bool = False  # the columns after the name in reverse order
    two_digit: bool = False  # elderly members, birth dates typed "5/3/25" (two-digit years)
    fmt: str = "xlsx"  # xlsx | xls | ods (converted by LibreOffice)


@dataclass
class Expected:
    """What the reader must find: members (cell, name, file, sheet, row, name ref, birth ref) and counts."""

    members: list[tuple[str, str, str, str, int, str, str]] = field(default_factory=list)
    departed: list[tuple[str, str, int]] = field(default_factory=list)  # (file, sheet, row)
    exempted: list[str] = field(default_factory=list)  # names
    files: list[Path] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for cell, *_ in self.members:
            counts[cell] = counts.get(cell, 0) + 1
        return counts


def members_read(roster: Any) -> list[tuple[str, str, str, str, int, str, str]]:
    """What the reader found, in the shape of :attr:`Expected.members`: (cell, name, file, sheet, row, name ref,
    birth-date ref) of every member of ``roster`` (a :class:`~dangvien_data.roster.model.Roster`), sorted."""
    frame = roster.frame
    return sorted(
        zip(
            frame["cell"],
            frame["full_name"],
            frame["file"].astype(str),
            frame["sheet"].astype(str),
            frame["row"].astype(int),
            roster.refs("full_name"),
            roster.refs("birth_date"),
            strict=True,
        )
    )


def _headers(layout: Layout) -> list[tuple[str, str]]:
    """(field, header) in column order; the name may be two columns, the birth date two sub-columns."""
    a = layout.abbreviated
    if layout.split_name == "merged":  # "Họ và tên" merged over the two name columns, no sub-headers
        name = [("family", "Họ và tên"), ("given", "")]
    elif layout.split_name:
        name = [("family", layout.split_name), ("given", "Tên")]
    else:
        name = [("name", "Họ và tên")]
    birth = {"date": [("born", "NS" if a else "Ngày sinh")], "year": [("born", "Năm sinh")], "sex": [("born", "")]}
    rest = [
        *([("sex", "GT" if a else "Giới tính")] if layout.birth != "sex" else []),
        ("ethnicity", "DT" if a else "Dân tộc"),
        ("religion", "TG" if a else "Tôn giáo"),
        ("home_town", "Quê quán"),
        ("education", "TĐHV" if a else "Học vấn"),
        ("admitted", "Ngày VĐ" if a else "Ngày vào Đảng"),
        ("official", "Ngày CT" if a else "Ngày chính thức"),
        ("card", "Số thẻ ĐV" if a else "Số thẻ đảng viên"),
    ]
    body = [*birth[layout.birth], *rest]
    if layout.reverse:
        body.reverse()
    notes = [("note", "GC" if a else "Ghi chú")] if layout.departed or layout.exempted else []
    return [("seq", "TT" if a else "STT"), *name, *body, *notes]


def _text(value: str, legacy: str | None) -> str:
    if legacy == "vni":
        return to_vni(value)
    if legacy == "tcvn3":
        return to_tcvn3(value)
    return value


def _values(person: Person, seq: int, layout: Layout, legacy: str | None) -> list[Any]:
    note = {"departed": "Chuyển đi 03/2020", "exempted": "Miễn sinh hoạt đảng"}.get(person.status or "")
    born: Any = person.born.year if layout.birth == "year" else dt.datetime.combine(person.born, dt.time())
    if layout.two_digit:
        born = f"{person.born.day}/{person.born.month}/{person.born.year % 100:02d}"
    values = {
        "seq": seq,
        "born": born,
        "name": _text(person.name, legacy),
        "family": _text(person.family, legacy),
        "given": _text(person.given, legacy),
        "sex": _text(person.sex, legacy),
        "ethnicity": _text(person.ethnicity, legacy),
        "religion": _text(person.religion, legacy),
        "home_town": _text("Hà Nội", legacy),
        "education": "12/12",
        "admitted": dt.datetime.combine(person.admitted, dt.time()),
        "official": dt.datetime.combine(person.official, dt.time()),
        "card": person.card,
        "note": _text(note, legacy) if note else None,
    }
    row: list[Any] = []
    for name, _ in _headers(layout):
        if name == "born" and layout.birth == "sex":
            row += [born, None] if person.sex == "Nam" else [None, born]
        else:
            row.append(values[name])
    return row


class _Sheet:
    """One sheet being written, row by row, with the refs of what it holds."""

    def __init__(self, ws: Any, layout: Layout, file: Path) -> None:
        self.ws, self.layout, self.file = ws, layout, file
        self.row = 0
        self.first_member = 0
        self.letters: dict[str, str] = {}

    def put(self, values: Sequence[Any]) -> int:
        self.row += 1
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = self.ws.cell(row=self.row, column=col, value=value)
                if isinstance(value, str) and value.isdigit():
                    cell.number_format = "@"
        return self.row

    def header(self) -> None:
        layout = self.layout
        headers = _headers(layout)
        top: list[Any] = []
        sub: list[Any] = []
        col = 0
        for name, text in headers:
            if name == "born" and layout.birth == "sex":
                top += ["Ngày sinh", None]
                sub += ["Nam", "Nữ"]
                self.letters["born_male"] = get_column_letter(col + 1)
                self.letters["born_female"] = get_column_letter(col + 2)
                col += 2
                continue
            top.append(text or None)
            sub.append(None)
            self.letters[name] = get_column_letter(col + 1)
            col += 1
        first = self.put(top)
        if layout.split_name == "merged":
            at = [name for name, _ in headers].index("family") + 1
            self.ws.merge_cells(start_row=first, start_column=at, end_row=first, end_column=at + 1)
        if layout.birth == "sex":
            self.put(sub)
            at = headers.index(("born", ""))
            self.ws.merge_cells(start_row=first, start_column=at + 1, end_row=first, end_column=at + 2)
            for i, value in enumerate(top, start=1):
                if value and value != "Ngày sinh":
                    self.ws.merge_cells(start_row=first, start_column=i, end_row=first + 1, end_column=i)
        if layout.numbering:
            self.put([f"({i})" for i in range(1, len(top) + 1)])
        self.width = len(top)

    def name_ref(self, row: int) -> str:
        return f"{self.letters.get('name') or self.letters['family']}{row}"

    def birth_ref(self, row: int, person: Person) -> str:
        if self.layout.birth == "sex":
            return f"{self.letters['born_male' if person.sex == 'Nam' else 'born_female']}{row}"
        return f"{self.letters['born']}{row}"

    def totals(self, first: int, last: int, label: str = "Tổng cộng") -> None:
        name_col = self.letters.get("name") or self.letters["family"]
        values: list[Any] = [None] * self.width
        if not self.layout.sums_only:
            values[int(openpyxl.utils.column_index_from_string(name_col)) - 1] = label
        card = openpyxl.utils.column_index_from_string(self.letters["admitted"])
        values[card - 1] = f"=COUNTA({self.letters['admitted']}{first}:{self.letters['admitted']}{last})"
        values[0] = f"=COUNT(A{first}:A{last})"
        self.put(values)


def _cell_title(cell: str, layout: Layout) -> str:
    return cell.upper() if layout.caps else cell


# A name written in capitals is read back with each word capitalised, acronyms ("KCN") and "Công an" kept.
CAPS_READ = {
    "Chi bộ Đội Tổng hợp": "Chi bộ Đội Tổng Hợp",
    "Chi bộ Đội Cảnh sát giao thông": "Chi bộ Đội Cảnh Sát Giao Thông",
    "Chi bộ Đồn Công an KCN Yên Bình": "Chi bộ Đồn Công an KCN Yên Bình",
}


def build(layout: Layout, persons: Sequence[Person], folder: Path) -> Expected:
    """Write the workbook(s) of ``layout`` holding ``persons`` into ``folder``; the truth the reader must find."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = Expected()
    if layout.two_digit:  # born 1923-1958: "5/3/25" is 1925 only by the admission date
        persons = [replace(p, born=_years(p.born, -35), admitted=_years(p.admitted, -35)) for p in persons]
    groups = {cell: [p for p in persons if p.cell == cell] for cell in CELLS}
    groups = {cell: members for cell, members in groups.items() if members}
    books: list[tuple[Path, list[tuple[str, list[str]]]]] = []
    if layout.per == "file":
        books = [(folder / f"{cell}.xlsx", [("Danh sách", [cell])]) for cell in groups]
    elif layout.per == "sheet":
        books = [(folder / "danh_sach.xlsx", [(cell, [cell]) for cell in groups])]
    else:
        books = [(folder / "danh_sach.xlsx", [("Danh sách", list(groups))])]
    for path, sheets in books:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for sheet_name, cells in sheets:
            _write_sheet(_Sheet(wb.create_sheet(sheet_name), layout, path), cells, groups, expected)
        wb.save(path)
        expected.files.append(path)
    if layout.fmt != "xlsx":
        expected = _convert(expected, layout.fmt)
    return expected


def _write_sheet(sheet: _Sheet, cells: list[str], groups: dict[str, list[Person]], expected: Expected) -> None:
    layout = sheet.layout
    if layout.title:
        sheet.put(["ĐẢNG BỘ CÔNG AN THỊ XÃ"])
        if len(cells) == 1:
            sheet.put([None, f"DANH SÁCH ĐẢNG VIÊN {_cell_title(cells[0], layout)}"])
        else:
            sheet.put([None, "DANH SÁCH ĐẢNG VIÊN"])
        sheet.put([None, "(Tính đến ngày 31/03/2020)"])
        sheet.put([])
    sheet.header()
    seq = 0
    first_row = sheet.row + 1
    for number, cell in enumerate(cells, start=1):
        legacy = layout.legacy if cell == CELLS[1] else None
        if layout.per == "sections":
            sheet.put([f"{'I' * number if number < 4 else number}. {_text(_cell_title(cell, layout), legacy)}"])
        start = sheet.row + 1
        for person in groups[cell]:
            seq += 1
            row = sheet.put(_values(person, seq, layout, legacy))
            place = (str(sheet.file), sheet.ws.title, row)
            if person.status == "departed":
                sheet.ws.row_dimensions[row].hidden = True
                expected.departed.append(place)
                continue
            if person.status == "exempted":
                expected.exempted.append(person.name)
            expected.members.append(
                (
                    CAPS_READ[cell] if layout.caps and (layout.title or layout.per == "sections") else cell,
                    person.name,
                    *place,
                    sheet.name_ref(row),
                    sheet.birth_ref(row, person),
                )
            )
        if layout.totals and layout.per == "sections":
            sheet.totals(start, sheet.row, label=f"Cộng {len(groups[cell])} đồng chí")
    if layout.totals:
        sheet.totals(first_row, sheet.row)
    if layout.notes:
        sheet.put([None, "Ghi chú: danh sách gồm cả đảng viên dự bị; ngày tháng ghi theo lý lịch."])
    if layout.signature:
        sheet.put([])
        sheet.put([None, None, None, None, None, None, "T/M CHI ỦY"])
        sheet.put([None, None, None, None, None, None, "BÍ THƯ"])
        sheet.put([])
        sheet.put([None, None, None, None, None, None, "Nguyễn Văn Bí"])


def _years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


def office() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(expected: Expected, fmt: str) -> Expected:
    """The workbooks converted to .xls or .ods by LibreOffice; refs and rows stay the same."""
    program = office()
    assert program, "LibreOffice is needed to write .xls/.ods layouts"
    outdir = expected.files[0].parent
    subprocess.run(
        [program, "--headless", "--convert-to", fmt, "--outdir", str(outdir), *map(str, expected.files)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    renamed = {str(p): str(p.with_suffix(f".{fmt}")) for p in expected.files}
    for path in expected.files:
        path.unlink()
    return replace(
        expected,
        members=[(c, n, renamed[f], s, r, a, b) for c, n, f, s, r, a, b in expected.members],
        departed=[(renamed[f], s, r) for f, s, r in expected.departed],
        files=[Path(renamed[str(p)]) for p in expected.files],
    )


def with_status(persons: Sequence[Person], layout: Layout) -> list[Person]:
    """The persons with one departed and one exempted member added when the layout has them."""
    out = list(persons)
    if layout.departed:
        out.insert(1, replace(people(1, seed=40)[0], cell=out[0].cell, status="departed"))
    if layout.exempted:
        out.append(replace(people(1, seed=41)[0], cell=out[-1].cell, status="exempted"))
    return out


# The gallery: layouts offices really use, one per feature and their combinations.
GALLERY: tuple[Layout, ...] = (
    Layout("consolidated-sections"),
    Layout("sheet-per-cell", per="sheet"),
    Layout("file-per-cell", per="file"),
    Layout("split-name-ho-ten", split_name="Họ"),
    Layout("split-name-ho-va-ten-dem", split_name="Họ và tên đệm", per="sheet"),
    Layout("abbreviated-headers", abbreviated=True),
    Layout("abbreviated-split-name-files", abbreviated=True, split_name="Họ", per="file"),
    Layout("totals-and-subtotals", totals=True),
    Layout("totals-sums-only", totals=True, sums_only=True, per="sheet"),
    Layout("signature-and-notes", signature=True, notes=True, numbering=True),
    Layout("departed-hidden-and-exempted", departed=True, exempted=True),
    Layout("birth-split-by-sex", birth="sex"),
    Layout("birth-year-only", birth="year", per="file"),
    Layout("tcvn3-cell", legacy="tcvn3"),
    Layout("vni-cell", legacy="vni", per="sheet"),
    Layout("capitals-with-acronyms", caps=True),
    Layout("reversed-columns-no-title", reverse=True, title=False, per="file"),
    Layout("two-digit-years-elderly", two_digit=True, per="sheet"),
    Layout("name-merged-over-two-columns", split_name="merged", per="file"),
    Layout(
        "everything",
        split_name="Họ và tên đệm",
        abbreviated=True,
        totals=True,
        signature=True,
        notes=True,
        departed=True,
        exempted=True,
        numbering=True,
        caps=True,
    ),
    Layout("xls-file", fmt="xls", totals=True),
    Layout("ods-sheets", fmt="ods", per="sheet", split_name="Họ"),
)
