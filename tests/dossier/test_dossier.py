"""Congress dossiers: the three shapes read, each check passing and failing, the sample, the command line."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ISSUE_RECORD_KEYS, SAMPLE, columns_without, write_workbook
from dangvien_data import check_dossier, read_dossier, write_dossier_workbook
from dangvien_data.cli import main
from dangvien_data.domain.dates import add_months
from dangvien_data.dossier.checks import DossierContext
from dangvien_data.dossier.eligibility import check_structure, structure
from dangvien_data.dossier.read import Dossier, load_dossier_spec
from dangvien_data.dossier.rules import months_of_service_left
from dangvien_data.errors import InputError
from dangvien_data.roster.model import ColumnSource, Roster, SheetSource

CONGRESS = dt.date(2020, 6, 15)
CELL = "Chi bộ Đội Tổng hợp"
SPEC = load_dossier_spec()
DOCUMENTS = SPEC.documents_for("2020-2025")
LIST_HEADER = [
    ("seq", "STT"),
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("sex", "Giới tính"),
    ("home_town", "Quê quán"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("unit", "Chi bộ"),
    ("rank", "Cấp bậc"),
    ("admitted_on", "Ngày vào Đảng"),
    ("official_on", "Ngày chính thức"),
    ("card_number", "Số thẻ đảng viên"),
    ("education", "Học vấn"),
    ("political_theory", "Lý luận chính trị"),
    ("election", "Tham gia lần đầu/Tái cử"),
    ("proposed_post", "Dự kiến chức danh"),
]
LIST = {name: chr(ord("A") + i) for i, (name, _) in enumerate(LIST_HEADER)}
CHECK = {d.key: chr(ord("D") + i) for i, d in enumerate(DOCUMENTS)}
ROSTER_HEADER = columns_without("Chức vụ Đảng", "Số CCCD")


@dataclass(frozen=True)
class Person:
    """One candidate, written alike to the roster and to the dossier unless a test changes one side."""

    name: str
    born: dt.date
    sex: str
    admitted: dt.date
    card: str
    rank: str | None
    re_election: bool = False
    post: str = "Đảng ủy viên"

    @property
    def official(self) -> dt.date | None:
        due = add_months(self.admitted, 12)
        return due if due <= CONGRESS else None

    def values(self) -> dict[str, Any]:
        return {
            "full_name": self.name,
            "birth_date": _dt(self.born),
            "sex": self.sex,
            "home_town": "Hà Nội",
            "ethnicity": "Kinh",
            "religion": "Không",
            "unit": CELL,
            "rank": self.rank,
            "admitted_on": _dt(self.admitted),
            "official_on": _dt(self.official),
            "card_number": self.card,
            "education": "12/12",
            "political_theory": "Trung cấp",
            "election": "Tái cử" if self.re_election else "Tham gia lần đầu",
            "proposed_post": self.post,
        }


PEOPLE = [
    Person("Nguyễn Văn An", dt.date(1975, 3, 5), "Nam", dt.date(2000, 5, 19), "01234567", "Trung tá", True, "Bí thư"),
    Person("Trần Thị Bình", dt.date(1982, 7, 8), "Nữ", dt.date(2005, 2, 3), "01234568", "Thiếu tá", False, "BTV"),
    Person("Lê Văn Cường", dt.date(1985, 1, 20), "Nam", dt.date(2010, 9, 2), "01234569", "Đại úy"),
]


def _dt(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time())


def _cv_rows(p: Person) -> list[list[Any]]:
    official = p.official.strftime("%d/%m/%Y") if p.official else None
    return [
        ["SƠ YẾU LÝ LỊCH"],
        [],
        ["1) Họ và tên khai sinh:", p.name.upper()],
        ["2) Nam, nữ:", p.sex],
        ["5) Sinh ngày:", f"{p.born.day} tháng {p.born.month} năm {p.born.year}"],
        ["7) Quê quán:", "Hà Nội"],
        ["9) Dân tộc:", "Kinh"],
        ["10) Tôn giáo:", "Không"],
        ["16) Ngày vào Đảng:", p.admitted.strftime("%d/%m/%Y")],
        ["Ngày chính thức:", official],
        ["Giáo dục phổ thông:", "12/12"],
        ["Lý luận chính trị:", "Trung cấp"],
    ]


def build(
    folder: Path,
    people: list[Person] = PEOPLE,
    *,
    changes: dict[int, dict[str, Any]] | None = None,
    marks: dict[tuple[int, str], Any] | None = None,
    checklist: bool = True,
    drop_document: str | None = None,
    cv: dict[int, list[list[Any]]] | None = None,
    roster: list[Person] | None = None,
) -> tuple[Path, Path]:
    """A dossier workbook (candidate list, checklist, CV sheets) and a roster workbook, in ``folder``.

    ``changes`` alters the candidate list only ({person: {field: value}}); ``marks`` the checklist cells.
    """
    rows = [[header for _, header in LIST_HEADER]]
    for i, p in enumerate(people):
        values = {**p.values(), "seq": i + 1, **(changes or {}).get(i, {})}
        rows.append([values.get(name) for name, _ in LIST_HEADER])
    documents = [d for d in DOCUMENTS if d.key != drop_document]
    sheets: dict[str, list[list[Any]]] = {"Trích ngang": rows}
    if checklist:
        check = [["STT", "Họ và tên", "Ngày sinh", *(d.header for d in documents)]]
        for i, p in enumerate(people):
            who = {"full_name": p.name, "birth_date": _dt(p.born), **(changes or {}).get(i, {})}  # as on the list
            cells = [(marks or {}).get((i, d.key), "x") for d in documents]
            check.append([i + 1, who["full_name"], who["birth_date"], *cells])
        sheets["Hồ sơ"] = check
    for i, rows_of_cv in (cv or {}).items():
        sheets[f"SYLL {i + 1}"] = rows_of_cv
    listed = [[*ROSTER_HEADER], [f"I. {CELL}"]]
    for i, p in enumerate(roster if roster is not None else people):
        listed.append(
            [
                i + 1,
                p.name,
                _dt(p.born),
                p.sex,
                "Kinh",
                "Không",
                "Hà Nội",
                "12/12",
                p.rank,
                _dt(p.admitted),
                _dt(p.official),
                p.card,
            ]
        )
    return write_workbook(folder / "ho_so.xlsx", sheets), write_workbook(folder / "ds.xlsx", {"DS": listed})


def run(folder: Path, *, seats: int | None = 3, term: str = "2020-2025", day: Any = CONGRESS, **kwargs: Any) -> Any:
    """Build the workbooks and check them."""
    dossier, roster = build(folder, **kwargs)
    return check_dossier(dossier, roster, congress_date=day, term=term, seats=seats)


def found(report: Any) -> list[tuple[str | None, str | None, str]]:
    return [(i.sheet, i.ref, i.code) for i in report.issues]


# --- reading ----------------------------------------------------------------------------------------------


class TestRead:
    def test_three_shapes_with_provenance(self, tmp_path):
        """The list, the checklist and a CV are told apart by content; values keep their sheet!ref."""
        dossier, _ = build(tmp_path, cv={0: _cv_rows(PEOPLE[0])})
        read = read_dossier(dossier)
        assert len(read.candidates) == 3 and read.checklist is not None and len(read.checklist) == 3
        assert [cv.sheet for cv in read.cvs] == ["SYLL 1"]
        assert read.candidates.refs("rank").tolist() == ["I2", "I3", "I4"]
        assert read.candidates.frame["proposed_post"].tolist() == ["Bí thư", "Ủy viên Ban Thường vụ", "Đảng ủy viên"]
        values = read.cvs[0].values
        assert (values["birth_date"].ref, values["birth_date"].value) == ("B5", pd.Timestamp(1975, 3, 5))
        assert values["sex"].label == "Nam, nữ" and read.issues == []

    def test_office_layout_with_split_birth_date(self, tmp_path):
        """Title rows, a two-row header with the birth date under Nam/Nữ, tick columns for first time/re-election."""
        rows: list[list[Any]] = [
            ["ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH"],
            ["DANH SÁCH TRÍCH NGANG NHÂN SỰ DỰ KIẾN"],
            ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc", "Ngày vào Đảng", "Cấp ủy", None, "Dự kiến"],
            [None, None, "Nam", "Nữ", None, None, "Tham gia lần đầu", "Tái cử", None],
            [1, "Nguyễn Văn An", _dt(dt.date(1975, 3, 5)), None, "Kinh", _dt(dt.date(2000, 5, 19)), None, "x", "BT"],
            [2, "Trần Thị Bình", None, _dt(dt.date(1982, 7, 8)), "Tày", _dt(dt.date(2005, 2, 3)), "x", None, "ĐUV"],
            ["Tổng cộng: 2 đồng chí"],
        ]
        path = write_workbook(tmp_path / "tn.xlsx", {"TN": rows}, merges={"TN": ["C3:D3", "G3:H3"]})
        frame = read_dossier(path).candidates.frame
        assert frame["sex"].tolist() == ["Nam", "Nữ"]
        assert frame["birth_date"].tolist() == [pd.Timestamp(1975, 3, 5), pd.Timestamp(1982, 7, 8)]
        assert frame["row"].tolist() == [5, 6] and frame["birth_date_col"].tolist() == ["C", "D"]
        assert frame["proposed_post"].tolist() == ["Bí thư", "Đảng ủy viên"]

    @pytest.mark.parametrize(
        ("layout", "refs"),
        [
            ("right", {"full_name": "D4", "birth_date": "D5", "ethnicity": "F4"}),
            ("below", {"full_name": "B4", "birth_date": "C4", "ethnicity": "D4"}),
            ("inline", {"full_name": "C6", "birth_date": "C7", "ethnicity": "C8"}),
        ],
    )
    def test_cv_labels_found_wherever_they_are(self, tmp_path, layout, refs):
        """A CV label's value is read to its right, below it, or after its colon; positions vary."""
        cv = {
            "right": [[], [], [], [None, "Họ và tên khai sinh:", None, "LÊ VĂN CƯỜNG", "Dân tộc:", "Kinh"],
                      [None, "Sinh ngày:", None, "20/01/1985"], [None, "Tôn giáo:", None, "Không"]],
            "below": [[], ["Sơ yếu lý lịch"], [None, "Họ và tên:", "Sinh ngày:", "Dân tộc:", "Tôn giáo:"],
                      [None, "Lê Văn Cường", "20 tháng 01 năm 1985", "Kinh", "Không"]],
            "inline": [[], [], [], [], [], [None, None, "Họ và tên: Lê Văn Cường"],
                       [None, None, "Sinh ngày: 20/01/1985"], [None, None, "Dân tộc: Kinh"], [None, None, "Tôn giáo:"]],
        }[layout]  # fmt: skip
        dossier, _ = build(tmp_path, cv={2: cv})
        values = read_dossier(dossier).cvs[0].values
        assert {name: values[name].ref for name in refs} == refs
        assert values["birth_date"].value == pd.Timestamp(1985, 1, 20)
        assert values["full_name"].value.casefold() == "lê văn cường"

    def test_one_sheet_as_both_tables_and_two_workbooks(self, tmp_path):
        """Document columns on the list sheet make it the checklist too; a dossier may span two workbooks."""
        dossier, roster = build(tmp_path)
        wb = openpyxl.load_workbook(dossier)
        listed, check = wb["Trích ngang"], wb["Hồ sơ"]
        for col, doc in enumerate(DOCUMENTS, start=17):
            listed.cell(1, col).value = doc.header
            for row in (2, 3, 4):
                listed.cell(row, col).value = check.cell(row, col - 13).value
        listed.cell(3, 19).value = None
        del wb["Hồ sơ"]
        wb.save(tmp_path / "both.xlsx")
        report = check_dossier(tmp_path / "both.xlsx", roster, congress_date=CONGRESS, seats=3)
        assert found(report) == [("Trích ngang", "S3", "document-missing")]
        first, second = openpyxl.load_workbook(dossier), openpyxl.load_workbook(dossier)
        del first["Hồ sơ"], second["Trích ngang"]
        first.save(tmp_path / "a.xlsx")
        second.save(tmp_path / "b.xlsx")
        report = check_dossier([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], roster, congress_date=CONGRESS, seats=3)
        assert found(report) == [] and len(report.files) == 3

    def test_no_candidate_list_is_a_usage_error(self, tmp_path):
        """A workbook without a candidate list cannot be checked (exit 2 in the CLI)."""
        path = write_workbook(tmp_path / "x.xlsx", {"A": [["Họ và tên", "Ghi chú"], ["Nguyễn Văn An", ""]]})
        with pytest.raises(InputError):
            read_dossier(path)


# --- completeness -----------------------------------------------------------------------------------------


class TestDocuments:
    def test_complete_dossier_has_no_issue(self, tmp_path):
        """Three candidates in the roster, every document, eligible: nothing to report."""
        report = run(tmp_path)
        assert found(report) == [] and report.ok
        assert report.verdicts["verdict"].tolist() == ["eligible"] * 3

    @pytest.mark.parametrize("document", [d.key for d in DOCUMENTS])
    def test_each_document_missing_in_turn(self, tmp_path, document):
        """An empty checklist cell is one document-missing at that cell, nothing else."""
        report = run(tmp_path, marks={(1, document): None})
        assert found(report) == [("Hồ sơ", f"{CHECK[document]}3", "document-missing")]
        assert report.issues[0].member == "Trần Thị Bình"

    @pytest.mark.parametrize(
        ("mark", "expected"),
        [
            ("chưa", [("Hồ sơ", "E2", "document-missing")]),
            ("Không", [("Hồ sơ", "E2", "document-missing")]),
            (_dt(dt.date(2020, 5, 25)), []),  # the deadline: 15 working days before 15/06/2020
            (_dt(dt.date(2020, 5, 26)), [("Hồ sơ", "E2", "document-late")]),
            ("đã nộp", []),
        ],
    )
    def test_marks(self, tmp_path, mark, expected):
        """ "chưa"/"không" mean missing; a date after the deadline is late; any other mark is present."""
        assert found(run(tmp_path, marks={(0, DOCUMENTS[1].key): mark})) == expected

    def test_missing_column_and_missing_row(self, tmp_path):
        """A required document without a column is reported once at the header; a candidate without a row too."""
        report = run(tmp_path, drop_document="health")
        assert found(report) == [("Hồ sơ", "A1", "document-column-missing")]
        people = [
            *PEOPLE,
            Person("Phạm Văn Dũng", dt.date(1986, 1, 1), "Nam", dt.date(2011, 1, 1), "01234570", "Đại úy"),
        ]
        dossier, roster = build(tmp_path, people)
        wb = openpyxl.load_workbook(dossier)
        wb["Hồ sơ"].delete_rows(5)
        wb.save(dossier)
        report = check_dossier(dossier, roster, congress_date=CONGRESS, seats=4)
        assert found(report) == [("Trích ngang", "B5", "documents-row-missing")]

    def test_no_checklist(self, tmp_path):
        """Without any checklist sheet the documents cannot be checked: one error."""
        assert found(run(tmp_path, checklist=False)) == [("Trích ngang", "A1", "documents-checklist-missing")]

    def test_documents_are_data(self, tmp_path):
        """Removing a document from schemas/dossier.yaml stops it being required."""
        schemas = tmp_path / "schemas"
        shutil.copytree(SAMPLE.parent / "schemas", schemas)
        text = (schemas / "dossier.yaml").read_text(encoding="utf-8")
        (schemas / "dossier.yaml").write_text(text.replace("assets, health,", "assets,", 1), encoding="utf-8")
        spec = load_dossier_spec(schemas)
        assert "health" not in [d.key for d in spec.documents_for("2020-2025")]
        dossier, roster = build(tmp_path, marks={(0, "health"): None})
        assert check_dossier(dossier, roster, congress_date=CONGRESS, seats=3, spec=spec).issues == []


class TestCv:
    def test_matching_cv_passes(self, tmp_path):
        """A CV that agrees with the list gives no issue."""
        assert found(run(tmp_path, cv={0: _cv_rows(PEOPLE[0])})) == []

    def test_required_field_empty_and_mismatch(self, tmp_path):
        """An empty required CV value is reported at its value cell; a disagreement cites the list's cell."""
        rows = _cv_rows(PEOPLE[0])
        rows[5][1] = None  # Quê quán
        rows[8][1] = "19/05/2001"  # Ngày vào Đảng
        report = run(tmp_path, cv={0: rows})
        assert found(report) == [("SYLL 1", "B6", "cv-field-missing"), ("SYLL 1", "B9", "cv-mismatch")]
        assert "Trích ngang!J2" in report.issues[1].message() and report.issues[1].member == "Nguyễn Văn An"

    def test_missing_label_and_unmatched_cv(self, tmp_path):
        """A CV without a required label points at A1; a CV of nobody on the list is a warning."""
        rows = [r for r in _cv_rows(PEOPLE[1]) if not (r and str(r[0]).startswith("10) Tôn"))]
        stranger = _cv_rows(replace(PEOPLE[2], name="Hà Văn Lạ"))
        report = run(tmp_path, cv={0: rows, 1: stranger})
        assert found(report) == [("SYLL 1", "A1", "cv-field-missing"), ("SYLL 2", "B3", "cv-unmatched")]


# --- agreement with the roster ----------------------------------------------------------------------------


class TestRoster:
    @pytest.mark.parametrize(
        ("field", "value", "roster_ref"),
        [
            ("birth_date", _dt(dt.date(1985, 1, 21)), "DS!C5"),
            ("sex", "Nữ", "DS!D5"),
            ("rank", "Thượng úy", "DS!I5"),
            ("unit", "Chi bộ Đội An ninh", "DS!B5"),
        ],
    )
    def test_each_field_mismatch_cites_both_places(self, tmp_path, field, value, roster_ref):
        """One roster-mismatch at the list's cell; the message names the roster's sheet!ref."""
        report = run(tmp_path, changes={2: {field: value}})
        assert found(report) == [("Trích ngang", f"{LIST[field]}4", "roster-mismatch")]
        assert f"ds.xlsx › {roster_ref}" in report.issues[0].message()

    def test_dates_mismatch(self, tmp_path):
        """Admission and official dates shifted by a year in the list: both disagree with the roster."""
        changes = {2: {"admitted_on": _dt(dt.date(2011, 9, 2)), "official_on": _dt(dt.date(2012, 9, 2))}}
        assert found(run(tmp_path, changes=changes)) == [
            ("Trích ngang", "J4", "roster-mismatch"),
            ("Trích ngang", "K4", "roster-mismatch"),
        ]

    def test_matched_by_card_then_by_name_and_birth(self, tmp_path):
        """A misspelt name is found by card number (and reported); without a card, name + birth date match."""
        report = run(tmp_path, changes={0: {"full_name": "Nguyễn Văn Ân"}, 1: {"card_number": None}})
        assert found(report) == [("Trích ngang", "B2", "roster-mismatch")]

    def test_not_in_roster(self, tmp_path):
        """Someone neither the card nor name + birth date finds is not in the roster."""
        report = run(tmp_path, roster=PEOPLE[:2])
        assert found(report) == [("Trích ngang", "B4", "candidate-not-in-roster")]
        assert report.eligibility["in_roster"].tolist() == [True, True, False]


# --- eligibility -------------------------------------------------------------------------------------------


class TestEligibility:
    @pytest.mark.parametrize(("admitted", "ok"), [(dt.date(2019, 6, 15), True), (dt.date(2019, 6, 16), False)])
    def test_official_exactly_at_the_congress(self, tmp_path, admitted, ok):
        """Official 12 months after admission: on the congress date eligible, a day later probationary."""
        people = [*PEOPLE[:2], replace(PEOPLE[2], admitted=admitted)]
        report = run(tmp_path, people=people)
        assert found(report) == ([] if ok else [("Trích ngang", "K4", "candidate-probationary")])

    @pytest.mark.parametrize(
        ("born", "issues"),
        [
            (dt.date(1972, 6, 30), []),  # Đại úy, limit 53: reached 06/2025, exactly 60 months after 06/2020
            (dt.date(1972, 6, 1), []),  # born on the cut-off month's first day
            (dt.date(1972, 5, 31), [("Trích ngang", "C4", "candidate-service-time-short")]),  # 59 months
        ],
    )
    def test_sixty_months_for_first_time(self, tmp_path, born, issues):
        """A first-time candidate needs 60 calendar months before the service-age limit of the rank."""
        people = [*PEOPLE[:2], replace(PEOPLE[2], born=born, admitted=dt.date(1995, 1, 1))]
        report = run(tmp_path, people=people)
        assert found(report) == issues
        assert report.eligibility["months_left"].iloc[2] == (60 if not issues else 59)

    @pytest.mark.parametrize(
        ("term", "day", "born", "ok"),
        [
            ("2020-2025", CONGRESS, dt.date(1968, 10, 1), True),  # Trung tá, 55 (2018 law): 40 months ≥ 30
            ("2025-2030", None, dt.date(1971, 8, 10), False),  # Trung tá, 57 (2023 law): 40 months < 48
        ],
    )
    def test_re_election_threshold_by_term(self, tmp_path, term, day, born, ok):
        """40 months left is enough for re-election in 2020–2025 (30) but not in 2025–2030 (48, CT 45)."""
        people = [replace(PEOPLE[0], born=born), *PEOPLE[1:]]
        report = check_dossier(*build(tmp_path, people), congress_date=day, term=term, seats=3)
        row = report.eligibility.iloc[0]
        assert (row["months_left"], row["threshold"], row["service_ok"]) == (40, 30 if ok else 48, ok)
        assert report.as_of == (day or dt.date(2025, 4, 1))

    def test_unknown_rank_cannot_be_computed(self, tmp_path):
        """An unknown rank: the list error, and eligibility reported as unknown rather than guessed."""
        report = run(tmp_path, changes={2: {"rank": "Thiếu ta"}})
        issues = sorted((i.ref, i.code) for i in report.issues)
        assert issues == [("I4", "eligibility-unknown"), ("I4", "roster-mismatch"), ("I4", "unknown-rank")]
        candidate = json.loads(json.dumps(report.to_dict("en"), allow_nan=False))["candidates"][2]
        # the rank also differs from the roster's, so the verdict is ✗ for that; service time stays undecided
        assert (candidate["eligible"], candidate["failed"]) == (False, ["roster"])
        assert candidate["conditions"]["service"]["state"] == "unknown"
        rows = _sheet_rows(write_dossier_workbook(report, tmp_path / "kq.xlsx", lang="en"), "Eligibility")
        third = rows[report.candidates["full_name"].iloc[2]]
        assert third["Age limit (basis)"] == 'rank "Thiếu ta" is not known'
        assert (
            third["Service time left"].startswith("? ") and third["Verdict"] == "✗ Not eligible: Agrees with the roster"
        )

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("Lần hai", [("O2", "unknown-election")]), (None, [("O2", "election-missing")]), ("TC", [])],
    )
    def test_first_time_or_re_election(self, tmp_path, value, expected):
        """An alias is mapped, an unknown value is named, an empty one is missing (first-time threshold used)."""
        report = run(tmp_path, changes={0: {"election": value}})
        assert [(i.ref, i.code) for i in report.issues] == expected
        assert report.eligibility["threshold"].iloc[0] == (30 if value == "TC" else 60)

    def test_missing_congress_date_is_a_usage_error(self, tmp_path):
        """2020–2025 has no default congress date in schemas/dossier.yaml."""
        with pytest.raises(InputError):
            run(tmp_path, day=None)

    @settings(max_examples=200, deadline=None)
    @given(
        congress=st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        left=st.integers(-24, 180),
        day=st.integers(1, 28),
        female=st.booleans(),
    )
    def test_months_left_are_calendar_months(self, congress, left, day, female):
        """Whatever the day of birth, the months left are those between the congress month and the limit month."""
        years = 55 if female else 60
        born = add_months(dt.date(congress.year, congress.month, day), left - 12 * years)
        got = months_of_service_left(born, "female" if female else "male", None, congress, "labour-code-2012", SPEC)
        assert got[0] == left

    @pytest.mark.parametrize(
        ("born", "sex", "rank", "at", "roadmap", "reach"),
        [
            (dt.date(1963, 5, 10), "male", None, dt.date(2021, 1, 1), "decree-135-2020", dt.date(2024, 5, 10)),
            (dt.date(1963, 1, 10), "male", None, dt.date(2021, 1, 1), "decree-135-2020", dt.date(2023, 10, 10)),
            (dt.date(1968, 1, 10), "female", None, dt.date(2021, 1, 1), "decree-135-2020", dt.date(2024, 5, 10)),
            (dt.date(1964, 6, 15), "male", "Đại tá", dt.date(2025, 4, 1), "decree-135-2020", dt.date(2025, 9, 15)),
            (dt.date(1970, 6, 15), "female", "Thượng tá", dt.date(2025, 4, 1), "x", dt.date(2027, 10, 15)),
        ],
    )
    def test_roadmaps(self, born, sex, rank, at, roadmap, reach):
        """Decree 135 and the 2023 police phase-in: the limit is that of the year it is reached in."""
        assert months_of_service_left(born, sex, rank, at, roadmap, SPEC)[1] == reach


# --- structure ------------------------------------------------------------------------------------------------


def _context(sexes: list[str], *, seats: int | None = None, posts: list[str] | None = None) -> DossierContext:
    n = len(sexes)
    frame = pd.DataFrame(
        {
            "source": 0,
            "file": "x.xlsx",
            "sheet": "TN",
            "row": range(2, n + 2),
            "cell": CELL,
            "full_name": [f"Người {i}" for i in range(n)],
            "sex": sexes,
            "ethnicity": "Kinh",
            "election": "Tham gia lần đầu",
            "proposed_post": posts or ["Đảng ủy viên"] * n,
        }
    )
    columns = {"full_name": ColumnSource("B", "Họ và tên"), "sex": ColumnSource("D", "Giới tính")}
    table = Roster(frame, frame.copy(), [SheetSource("x.xlsx", "TN", (1,), 2, columns)])
    empty = Roster(pd.DataFrame(), pd.DataFrame(), [])
    return DossierContext(Dossier(table, None, [], [], ["x.xlsx"]), empty, SPEC, CONGRESS, "2020-2025", seats)


def _structure(sexes: list[str], ages: list[int] | None = None, **kwargs: Any) -> tuple[pd.DataFrame, list[Any]]:
    ctx = _context(sexes, **kwargs)
    shape = structure(ctx, pd.DataFrame({"age": ages or [35 * 12] * len(sexes)}))
    return shape.set_index("metric"), [(i.ref, i.code) for i in check_structure(ctx, shape)]


class TestStructure:
    @settings(max_examples=150, deadline=None)
    @given(total=st.integers(1, 40), data=st.data())
    def test_women_share_against_15_percent(self, total, data):
        """Below 15% is flagged, exactly 15% is not (3 of 20); no rounding of 14.96% to 15.0% passes."""
        women = data.draw(st.integers(0, total))
        _, issues = _structure(["Nữ"] * women + ["Nam"] * (total - women), seats=total)
        assert (("D1", "women-below-target") in issues) == (women * 100 < 15 * total)

    @pytest.mark.parametrize(
        ("seats", "count", "code"),
        [(10, 13, None), (10, 14, "candidates-exceed-seats"), (10, 9, "candidates-below-seats"), (12, 15, None),
         (12, 16, "candidates-exceed-seats"), (None, 5, "seats-not-given")],
    )  # fmt: skip
    def test_candidates_against_seats(self, seats, count, code):
        """At most 30% more candidates than seats, never fewer; without seats the surplus is not checked."""
        _, issues = _structure(["Nữ"] * 3 + ["Nam"] * (count - 3), seats=seats)
        assert issues == ([] if code is None else [("B1", code)])

    def test_age_bands_and_btv_woman(self):
        """39y11m is under 40, 50y11m is 40–50, 51 is over 50; a standing committee without a woman is flagged."""
        ages = [39 * 12 + 11, 40 * 12, 50 * 12 + 11, 51 * 12]
        posts = ["Bí thư", "Phó Bí thư", "Đảng ủy viên", "Đảng ủy viên"]
        shape, issues = _structure(["Nam", "Nam", "Nữ", "Nam"], ages, seats=4, posts=posts)
        assert shape.loc[["under_40", "age_40_50", "over_50", "btv"], "count"].tolist() == [1, 2, 1, 2]
        assert issues == [("B1", "btv-no-woman")]


# --- the sample and the command line ------------------------------------------------------------------------

PLANTED = json.loads((SAMPLE / "dossier_planted.json").read_text(encoding="utf-8"))
SAMPLE_ARGS = [
    str(SAMPLE / PLANTED["file"]),
    "--roster",
    str(SAMPLE / PLANTED["roster"]),
    "--congress-date",
    PLANTED["congress_date"],
    "--seats",
    str(PLANTED["seats"]),
]


@functools.cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_dossier", SAMPLE / "generate_dossier.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_report() -> Any:
    return check_dossier(
        SAMPLE / PLANTED["file"],
        SAMPLE / PLANTED["roster"],
        congress_date=PLANTED["congress_date"],
        term=PLANTED["term"],
        seats=PLANTED["seats"],
    )


def test_sample_reports_exactly_its_planted_problems(sample_report):
    """Every planted problem at its place, and nothing else."""
    expected = sorted((p["code"], p["sheet"], p["ref"], p["field"], p["member"]) for p in PLANTED["problems"])
    got = sorted((i.code, i.sheet, i.ref, i.field, i.member) for i in sample_report.issues)
    assert got == expected


def _sheet_rows(path: Path, sheet: str) -> dict[str, dict[str, Any]]:
    """The rows of a results sheet under its table header (the row whose first cell is "STT"/"No."), by name."""
    ws = openpyxl.load_workbook(path)[sheet]
    values = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(values) if r[0] in {"STT", "No."})
    header = values[top]
    rows = {}
    for r in values[top + 1 :]:
        if not isinstance(r[0], int):
            break
        rows[str(r[1])] = dict(zip(header, r, strict=True))
    return rows


def test_sample_eligibility_sheet_shows_the_figures(sample_report, tmp_path):
    """Each condition on the eligibility sheet is ✓/✗ beside its figures, and the verdict names what failed."""
    rows = _sheet_rows(write_dossier_workbook(sample_report, tmp_path / "kq.xlsx"), "Điều kiện ứng cử")
    short = rows["Phan Văn Minh"]
    assert short["Thời gian công tác còn lại"] == "✗ còn 34 tháng (cần ≥ 60)"
    assert "Trung tá nam 55 tuổi" in short["Hạn tuổi (căn cứ)"] and short["Tuổi tại ngày đại hội"] == 52
    assert short["Kết luận"] == "✗ Không đủ điều kiện: Khớp DS đảng viên, Thời gian công tác còn lại"
    probationary = rows["Trần Ngọc Cường"]
    assert probationary["Đảng viên chính thức"] == "✗ dự bị, chính thức từ 18/12/2020"
    assert rows["Đinh Tiến Thành"]["Thời gian công tác còn lại"] == "✓ còn 140 tháng (cần ≥ 30)"


def test_generator_reproduces_the_sample(tmp_path):
    """sample_data/generate_dossier.py writes the committed sample byte for byte; its clean variant is clean."""
    gen = _generator()
    assert gen.write_dossier(tmp_path / "a.xlsx") == PLANTED["problems"]
    assert (tmp_path / "a.xlsx").read_bytes() == (SAMPLE / PLANTED["file"]).read_bytes()
    assert gen.write_dossier(tmp_path / "clean.xlsx", planted=False) == []


def _run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sample_json(capsys):
    """The sample fails with exit 1 and the JSON of docs/architecture.md plus candidates and structure."""
    code, out, _ = _run(capsys, "dossier", *SAMPLE_ARGS, "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert code == 1
    assert (data["as_of"], data["term"], data["ok"], data["seats"]) == ("2020-06-15", "2020-2025", False, 12)
    assert data["counts"] == {"error": 11, "warning": 1, "info": 0}
    assert all(list(i) == ISSUE_RECORD_KEYS for i in data["issues"])
    assert len(data["candidates"]) == 15 and {"eligible", "months_left", "age_years"} <= set(data["candidates"][0])
    women = next(s for s in data["structure"] if s["metric"] == "women")
    assert (women["count"], women["ok"], women["label"]) == (4, True, "Women")


def test_cli_clean_exits_0_and_writes_workbook(tmp_path, capsys):
    """A clean dossier exits 0; -o writes the results workbook; the output may not be an input."""
    dossier = tmp_path / "clean.xlsx"
    _generator().write_dossier(dossier, planted=False)
    roster = str(SAMPLE / PLANTED["roster"])
    args = ["dossier", str(dossier), "--roster", roster, "--congress-date", "15/06/2020", "--seats", "12"]
    code, out, _ = _run(capsys, *args, "-o", str(tmp_path / "kq.xlsx"))
    assert code == 0 and "KẾT QUẢ: ĐẠT" in out and "Ngày đại hội 15/06/2020" in out
    sheets = openpyxl.load_workbook(tmp_path / "kq.xlsx").sheetnames
    assert sheets == ["Điều kiện ứng cử", "Cơ cấu", "Ma trận hồ sơ", "Kết quả kiểm tra"]
    code, _, err = _run(capsys, *args, "-o", str(dossier))
    assert code == 2 and "trùng với tệp đầu vào" in err


@pytest.mark.parametrize(
    "args",
    [
        ["dossier", "khong_co.xlsx", "--roster", "ds.xlsx", "--congress-date", "2020-06-15"],
        ["dossier", str(SAMPLE / "ho_so_nhan_su.xlsx"), "--roster", str(SAMPLE / "danh_sach_dang_vien.xlsx")],
        ["dossier", str(SAMPLE / "ho_so_nhan_su.xlsx"), "--roster", "x.xlsx", "--term", "1990-1995"],
    ],
)
def test_cli_misuse_exits_2(capsys, args):
    """A missing file, no congress date for 2020–2025, an unknown term: exit 2, one message, no traceback."""
    code, _, err = _run(capsys, *args)
    assert code == 2 and err.strip() and "Traceback" not in err
