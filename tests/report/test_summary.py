"""Counts per cell recomputed from the rows, the lists at a date and the organisation checks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvien_data import read_roster, validate
from dangvien_data.report.summary import METRICS, member_flags, milestones, summarise
from dangvien_data.roster.model import ColumnSource, Roster, SheetSource

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CLEAN = SAMPLE / "danh_sach_dang_vien.xlsx"
PLANTED = SAMPLE / "danh_sach_dang_vien_loi.xlsx"
AS_OF = dt.date(2020, 3, 31)
DATES = ("birth_date", "admitted_on", "official_on")
LETTERS = {"full_name": "B", "birth_date": "C", "sex": "D", "ethnicity": "E", "religion": "F", "rank": "G",
           "admitted_on": "H", "official_on": "I", "card_number": "J"}  # fmt: skip
DEFAULTS: dict[str, Any] = {"cell": "Chi bộ A", "full_name": "Nguyễn Văn An", "birth_date": dt.date(1985, 3, 5),
                            "sex": "Nam", "ethnicity": "Kinh", "religion": "Không", "rank": "Đại úy",
                            "education": "12/12", "professional": "Đại học", "political_theory": "Sơ cấp",
                            "admitted_on": dt.date(2010, 5, 19), "official_on": dt.date(2011, 5, 19),
                            "card_number": None}  # fmt: skip


def make_roster(members: Iterable[Mapping[str, Any]], *, file: str = "t.xlsx", sheet: str = "DS") -> Roster:
    """A Roster built in memory (no workbook): one row per member, defaults for what a member leaves out."""
    rows = []
    for i, member in enumerate(members):
        row = {**DEFAULTS, **member}
        rows.append({"source": 0, "file": file, "sheet": sheet, "row": i + 3, **row})
    columns = ["source", "file", "sheet", "row", *DEFAULTS]
    frame = pd.DataFrame(rows, columns=columns)
    for name in DATES:
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    for name in ("cell", "full_name", "sex", "ethnicity", "religion", "rank", "education", "professional",
                 "political_theory", "card_number"):  # fmt: skip
        frame[name] = frame[name].astype("string")
    columns_found = {f: ColumnSource(letter, f) for f, letter in LETTERS.items()}
    source = SheetSource(file, sheet, (1,), 2, columns_found)
    return Roster(frame=frame, raw=frame.astype("string"), sources=[source])


def figures(summary: Any, *keys: str) -> list[tuple[str | None, ...]]:
    """(cell, figure, …) per cell, for compact comparisons."""
    return [(cell, *(int(summary.counts.iloc[i][k]) for k in keys)) for i, cell in enumerate(summary.cells)]


@pytest.fixture(scope="module")
def clean():
    """The clean sample roster."""
    return read_roster(CLEAN)


class TestSample:
    def test_ten_cells_sum_to_170(self, clean):
        """The sample organisation has 10 cells whose counts add up to 170 members."""
        summary = summarise(clean, as_of=AS_OF)
        assert len(summary.cells) == 10
        assert int(summary.counts["total"].sum()) == int(summary.total["total"]) == 170
        assert summary.cells[0] == "Chi bộ Đội Tổng hợp"
        assert [int(n) for n in summary.counts["total"]] == [22, 20, 19, 18, 17, 16, 16, 15, 14, 13]

    def test_json_has_the_design_keys(self, clean):
        """to_dict() has the docs/architecture.md shape and every metric key, and is JSON-serialisable."""
        data = json.loads(json.dumps(summarise(clean, as_of=AS_OF).to_dict(), ensure_ascii=False))
        assert set(data) >= {"as_of", "cells", "total", "reconciliation"}
        assert data["as_of"] == "2020-03-31" and data["reconciliation"] == []
        assert set(METRICS) <= set(data["cells"][0]) and set(METRICS) <= set(data["total"])
        assert data["cells"][0]["cell"] == "Chi bộ Đội Tổng hợp"
        assert data["total"]["total"] == 170 and data["total"]["official"] + data["total"]["probationary"] == 170
        assert data["total"]["probationary"] == 6

    def test_breakdowns_add_up_to_each_cell(self, clean):
        """Every breakdown (rank group, education, …, Party-age band) adds up to the cell's total."""
        summary = summarise(clean, as_of=AS_OF)
        for name, frame in summary.groups.items():
            assert frame.sum(axis=1).tolist() == summary.counts["total"].tolist(), name
        assert set(summary.groups["rank"].columns) >= {"hạ sĩ quan", "cấp úy", "cấp tá", "cấp tướng"}

    def test_rows_with_errors_are_counted_and_said(self):
        """Rows carrying errors still count, and each cell says how many of them it includes."""
        roster = read_roster(PLANTED)
        summary = summarise(roster, as_of=AS_OF, report=validate(roster, as_of=AS_OF))
        assert int(summary.total["total"]) == 171
        assert summary.with_errors is not None
        assert summary.with_errors["rows"].tolist() == [2] * 10
        # the admission after the as-of date is neither official nor probationary, and says so
        assert int(summary.total["status_unknown"]) == 1 and int(summary.with_errors["status_unknown"].sum()) == 1
        data = summary.to_dict()
        assert data["total"]["rows_with_errors"] == 20 and data["total"]["with_errors"]["total"] == 20


class TestFigures:
    def test_age_bands_at_their_bounds(self):
        """Ages are whole years at as_of: 30 is "≤ 30", 31 is "31–40", 61 is "≥ 61"."""
        born = [dt.date(1990, 3, 31), dt.date(1989, 3, 31), dt.date(1959, 4, 1), dt.date(1959, 3, 31)]
        roster = make_roster({"birth_date": b, "admitted_on": dt.date(2000, 1, 1), "official_on": None}
                             for b in born)  # fmt: skip
        keys = ("age_30_or_less", "age_31_40", "age_41_50", "age_51_60", "age_61_or_more")
        assert figures(summarise(roster, as_of=AS_OF), *keys) == [("Chi bộ A", 1, 1, 0, 1, 1)]

    def test_official_exactly_when_probation_ends(self):
        """Official on the 12-month anniversary even without an official date; probationary the day before."""
        roster = make_roster([
            {"admitted_on": dt.date(2019, 3, 31), "official_on": None},
            {"admitted_on": dt.date(2019, 4, 1), "official_on": None},
            {"admitted_on": dt.date(2020, 4, 1), "official_on": None},  # after as_of: status unknown
            {"admitted_on": None, "official_on": dt.date(2001, 1, 1)},
        ])  # fmt: skip
        summary = summarise(roster, as_of=AS_OF)
        assert figures(summary, "official", "probationary", "status_unknown") == [("Chi bộ A", 2, 1, 1)]

    def test_women_minority_religion_and_party_age(self):
        """Women, minority ethnic groups and religions come from the code lists; Party age from admission."""
        roster = make_roster([
            {"sex": "Nữ", "ethnicity": "Tày", "religion": "Phật giáo", "admitted_on": dt.date(1980, 3, 31)},
            {"ethnicity": "Kinhh", "religion": "Không", "admitted_on": dt.date(1990, 4, 1)},
            {"cell": "Chi bộ B", "ethnicity": "Khmer", "admitted_on": dt.date(1990, 3, 31)},
        ])  # fmt: skip
        keys = ("women", "ethnic_minority", "religious", "party_age_30_or_more", "party_age_40_or_more")
        assert figures(summarise(roster, as_of=AS_OF), *keys) == [("Chi bộ A", 1, 1, 1, 1, 1),
                                                                   ("Chi bộ B", 0, 1, 0, 1, 0)]  # fmt: skip

    def test_rows_without_a_cell_are_their_own_group(self):
        """Members whose cell is unknown are counted in a group of their own, and in the total."""
        roster = make_roster([{"cell": "Chi bộ A"}, {"cell": None}])
        summary = summarise(roster, as_of=AS_OF)
        assert summary.cells == ["Chi bộ A", None] and int(summary.total["total"]) == 2
        assert summary.to_dict()["cells"][1]["cell"] is None

    def test_missing_columns_are_tolerated(self):
        """A roster without sex, ethnicity, rank or official-date columns still gives every figure."""
        roster = make_roster([{}, {}])
        roster.frame = roster.frame.drop(columns=["sex", "ethnicity", "rank", "official_on"])
        summary = summarise(roster, as_of=AS_OF)
        assert figures(summary, "total", "official", "women", "ethnic_minority") == [("Chi bộ A", 2, 2, 0, 0)]
        assert summary.groups["rank"]["none"].tolist() == [2]


_dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2021, 12, 31))
_member = st.fixed_dictionaries({
    "cell": st.sampled_from(["Chi bộ A", "Chi bộ B", "Chi bộ C", None]),
    "birth_date": st.one_of(st.none(), _dates), "admitted_on": st.one_of(st.none(), _dates),
    "official_on": st.one_of(st.none(), _dates), "sex": st.sampled_from(["Nam", "Nữ", None]),
    "ethnicity": st.sampled_from(["Kinh", "Tày", "Mông", "?", None]),
})  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(_member, max_size=40))
def test_cells_add_up_to_the_total(members):
    """For any rows, the cells add up to the total, and status and age bands partition every cell."""
    summary = summarise(make_roster(members), as_of=AS_OF)
    counts = summary.counts
    assert int(counts["total"].sum()) == len(members) == int(summary.total["total"])
    status = counts["official"] + counts["probationary"] + counts["status_unknown"]
    assert status.tolist() == counts["total"].tolist()
    bands = counts[["age_30_or_less", "age_31_40", "age_41_50", "age_51_60", "age_61_or_more", "age_unknown"]]
    assert bands.sum(axis=1).tolist() == counts["total"].tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), _dates), min_size=1, max_size=30))
def test_official_plus_probationary_is_total(rows):
    """With a usable admission date on or before as_of, official + probationary = total in every cell."""
    members = [{"cell": f"Chi bộ {c}", "admitted_on": min(d, AS_OF), "official_on": None} for c, d in rows]
    counts = summarise(make_roster(members), as_of=AS_OF).counts
    assert (counts["official"] + counts["probationary"]).tolist() == counts["total"].tolist()
    assert counts["status_unknown"].sum() == 0


def test_member_flags_are_one_row_per_member():
    """member_flags keeps the roster's index and gives whole-year ages."""
    roster = make_roster([{"birth_date": dt.date(1990, 4, 1)}, {"birth_date": None}])
    flags = member_flags(roster, as_of=AS_OF)
    assert flags.index.equals(roster.frame.index)
    assert flags["age"].tolist()[0] == 29 and pd.isna(flags["age"].tolist()[1])


class TestMilestones:
    def test_badge_years_and_award_occasions(self):
        """30/40/45-year milestones in the year, each awarded at the next of 3/2, 19/5, 2/9, 7/11."""
        roster = make_roster([
            {"full_name": "A", "admitted_on": dt.date(1990, 2, 3)},    # 30 years on 3/2 → 3/2/2020
            {"full_name": "B", "admitted_on": dt.date(1980, 5, 20)},   # 40 years on 20/5 → 2/9/2020
            {"full_name": "C", "admitted_on": dt.date(1975, 11, 8)},   # 45 years after 7/11 → 3/2/2021
            {"full_name": "D", "admitted_on": dt.date(1991, 1, 1)},    # 29 years: not yet
            {"full_name": "E", "admitted_on": dt.date(1985, 6, 1)},    # 35 years: not a milestone
        ])  # fmt: skip
        badges = milestones(roster, as_of=AS_OF).badges
        got = list(zip(badges["full_name"], badges["party_years"], badges["occasion"].dt.date, strict=True))
        assert got == [("A", 30, dt.date(2020, 2, 3)), ("B", 40, dt.date(2020, 9, 2)), ("C", 45, dt.date(2021, 2, 3))]
        assert badges["occasion_name"].tolist()[1].startswith("Quốc khánh")
        assert badges["ref"].tolist() == ["B3", "B4", "B5"]

    def test_due_for_official_within_days(self):
        """Probationary members whose 12 months end within N days are listed; overdue ones too."""
        roster = make_roster([
            {"full_name": "A", "admitted_on": dt.date(2019, 4, 15), "official_on": None},  # due in 15 days
            {"full_name": "B", "admitted_on": dt.date(2019, 6, 1), "official_on": None},   # due in 62 days
            {"full_name": "C", "admitted_on": dt.date(2017, 3, 31), "official_on": None},  # overdue
            {"full_name": "D", "admitted_on": dt.date(2019, 4, 1), "official_on": dt.date(2020, 4, 1)},
        ])  # fmt: skip
        due = milestones(roster, as_of=AS_OF, within_days=30).due_official
        assert list(zip(due["full_name"], due["days_left"], strict=True)) == [("C", -731), ("A", 15)]

    def test_service_age_limits_within_the_term(self):
        """Officers reach their limit by the end of the term under the law then in force (2023 law phased in)."""
        roster = make_roster([
            {"full_name": "A", "sex": "Nam", "rank": "Trung tá", "birth_date": dt.date(1966, 6, 10)},
            {"full_name": "B", "sex": "Nữ", "rank": "Thượng tá", "birth_date": dt.date(1966, 1, 5)},
            {"full_name": "C", "sex": "Nam", "rank": "Đại tá", "birth_date": dt.date(1964, 5, 1)},
            {"full_name": "D", "sex": "Nam", "rank": "Đại úy", "birth_date": dt.date(1990, 5, 1)},
            {"full_name": "E", "sex": "Nam", "rank": "Trung tá", "birth_date": dt.date(1963, 9, 12)},
        ])  # fmt: skip
        service = milestones(roster, as_of=AS_OF, term="2020-2025").service_age
        got = list(zip(service["full_name"], service["reaches_on"].dt.date, service["limit"], service["exceeded"],
                       strict=True))  # fmt: skip
        assert got == [
            ("E", dt.date(2018, 9, 12), "55 tuổi", True),
            ("B", dt.date(2021, 1, 5), "55 tuổi", False),
            ("A", dt.date(2021, 6, 10), "55 tuổi", False),
            ("C", dt.date(2025, 8, 1), "61 tuổi 3 tháng", False),
        ]
        assert service["law"].tolist()[-1] == "Luật CAND sửa đổi 2023"

    def test_milestones_to_dict(self, clean):
        """The lists are JSON-ready, dates as dd/mm/yyyy."""
        data = milestones(clean, as_of=AS_OF).to_dict()
        json.dumps(data, ensure_ascii=False)
        assert data["year"] == 2020 and data["within_days"] == 30


class TestOrganisation:
    def test_sample_is_a_committee_with_a_full_member_congress(self, clean):
        """170 members: a grassroots Party committee, all-member congress for 2020–2025, no small cell."""
        org = summarise(clean, as_of=AS_OF).organisation
        assert (org.members, org.cells, org.party_committee, org.congress, org.small_cells) == (
            170, 10, True, "full", ())  # fmt: skip
        assert org.issues == ()

    def test_small_organisation_and_small_cells(self):
        """Two cells and 5 members: below 30 for a Party committee, and a cell below 3 official members."""
        members = [{"cell": "Chi bộ A"}] * 3 + [
            {"cell": "Chi bộ B"},
            {"cell": "Chi bộ B", "official_on": None, "admitted_on": dt.date(2020, 1, 1)},
        ]
        org = summarise(make_roster(members), as_of=AS_OF).organisation
        assert [(i.code, i.cell) for i in org.issues] == [
            ("organisation-below-committee-size", None), ("cell-too-small", "Chi bộ B")]  # fmt: skip
        assert org.small_cells == (("Chi bộ B", 1),) and not org.party_committee

    def test_congress_type_by_term(self):
        """200 members or more: a delegate congress (2020–2025); an unknown threshold is said (2025–2030)."""
        roster = make_roster([{"cell": f"Chi bộ {i % 10}"} for i in range(200)])
        assert summarise(roster, as_of=AS_OF).organisation.congress == "delegate"
        later = summarise(roster, as_of=AS_OF, term="2025-2030").organisation
        assert later.congress is None and [i.code for i in later.issues] == ["congress-threshold-unknown"]


class TestText:
    def test_numbers_as_the_language_writes_them(self):
        """10.000 and 34,5 in Vietnamese; 10,000 and 34.5 in English."""
        from dangvien_data.report.render import number

        assert [number(10_000), number(34.5), number(170)] == ["10.000", "34,5", "170"]
        assert [number(10_000, "en"), number(34.5, "en"), number(None)] == ["10,000", "34.5", ""]

    def test_table_adds_up_with_a_legend_and_lists_undetermined_rows(self):
        """The terminal table has CXĐ beside CT and DB, a legend of every abbreviation, and the rows it counts there."""
        from dangvien_data.report.render import summary_text

        roster = make_roster(
            [{"full_name": "A"}, {"full_name": "B", "admitted_on": dt.date(2021, 1, 5), "official_on": None}]
        )
        text = summary_text(summarise(roster, as_of=AS_OF))
        header = text.splitlines()[3].split()
        assert header[:6] == ["Chi", "bộ", "Tổng", "CT", "DB", "CXĐ"]
        for abbreviation in ("CT:", "DB:", "CXĐ:", "DTTS:", "TG:", "TĐ≥30", "TBQ:"):
            assert abbreviation in text
        assert "Chưa xác định (1 dòng; đã tính trong Tổng):" in text and "DS!B4" in text
        english = summary_text(summarise(roster, as_of=AS_OF), "en")
        assert "Off: official" in english and "Tổng" not in english
