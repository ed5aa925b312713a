"""Validation: every rule fails where it should, at the right ref, and passes on valid data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import ISSUE_RECORD_KEYS
from dangvien_data import read_roster
from dangvien_data.issues import CATALOGUE
from dangvien_data.roster.validation import validate
from strategies import AS_OF, Member, base_members, ref, valid_rosters, with_change, write_roster

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def _found(
    tmp_path: Path,
    members: list[Member],
    *,
    as_of: dt.date = AS_OF,
    severities=("error", "warning"),
    name: str = "ds.xlsx",
) -> list[tuple[str | None, str]]:
    report = validate(read_roster(write_roster(tmp_path / name, members)), as_of=as_of)
    return [(i.ref, i.code) for i in report.issues if i.severity in severities]


def test_base_roster_is_clean(tmp_path):
    """The base roster gives no error and no warning."""
    assert _found(tmp_path, base_members()) == []


@pytest.mark.parametrize(
    ("field", "index", "changes", "expected"),
    [
        ("Dân tộc", 1, {"ethnicity": None}, "missing-value"),
        ("Dân tộc", 1, {"ethnicity": "Kinhh"}, "unknown-ethnicity"),
        ("Tôn giáo", 1, {"religion": "Đạo lạ"}, "unknown-religion"),
        ("Giới tính", 1, {"sex": "X"}, "unknown-sex"),
        ("Cấp bậc", 2, {"rank": "Thiếu ta"}, "unknown-rank"),
        ("Học vấn", 2, {"education": "lớp 12"}, "unknown-education"),
        ("Số thẻ đảng viên", 2, {"card": "1234567"}, "invalid-card-number"),
        ("Số CCCD", 2, {"cccd": "00109012345"}, "invalid-cccd"),
        ("Số CCCD", 1, {"cccd": "001088123456"}, "cccd-sex-mismatch"),
        ("Số CCCD", 1, {"cccd": "001187123456"}, "cccd-year-mismatch"),
        ("Ngày sinh", 1, {"born": "31/02/1988", "cccd": "001188123456"}, "invalid-date"),
        ("Ngày sinh", 1, {"born": dt.date(1850, 1, 1), "cccd": "001150123456"}, "date-implausible"),
        ("Ngày vào Đảng", 3, {"admitted": dt.date(2020, 6, 1), "official": None}, "date-after-as-of"),
        ("Ngày chính thức", 2, {"official": dt.date(2016, 9, 12)}, "official-date-mismatch"),
        ("Ngày chính thức", 2, {"official": None}, "official-date-missing"),
        (
            "Ngày vào Đảng",
            3,
            {"born": dt.date(2001, 12, 1), "cccd": "001201123456", "rank": "Hạ sĩ"},
            "admission-age-under-18",
        ),
        (
            "Cấp bậc",
            1,
            {"born": dt.date(1950, 1, 1), "cccd": "001150123456", "admitted": dt.date(2012, 2, 3), "rank": "Thiếu úy"},
            "service-age-exceeded",
        ),
        ("Cấp bậc", 3, {"rank": "Đại tá"}, "rank-age-implausible"),
    ],
)
def test_one_fault_gives_that_rule_at_that_ref(tmp_path, field, index, changes, expected):
    """One changed value gives its rule's issue at that member's cell, and only there."""
    found = _found(tmp_path, with_change(base_members(), index, **changes))
    assert (ref(field, index), expected) in found
    others = [
        f
        for f in found
        if f[1]
        not in {
            expected,
            "service-age-exceeded",
            "rank-age-implausible",
            "admission-age-over-60",
            "service-age-reached-in-term",
        }
    ]
    assert others == []


def test_admission_over_60_is_a_warning(tmp_path):
    """Admission after 60 (in months) is a warning, not an error."""
    members = with_change(
        base_members(), 1, born=dt.date(1950, 1, 1), cccd="001150123456", rank="Đại úy", admitted=dt.date(2011, 2, 3)
    )
    report = validate(read_roster(write_roster(tmp_path / "a.xlsx", members)), as_of=AS_OF)
    over = [i for i in report.issues if i.code == "admission-age-over-60"]
    assert [(i.ref, str(i.severity)) for i in over] == [(ref("Ngày vào Đảng", 1), "warning")]


def test_date_order(tmp_path):
    """Admission before birth is a date-order error at the admission date."""
    members = with_change(base_members(), 2, admitted=dt.date(1985, 1, 1), official=dt.date(1986, 1, 1))
    assert (ref("Ngày vào Đảng", 2), "date-order") in _found(tmp_path, members)


def test_duplicate_card_number_cites_both_refs(tmp_path):
    """The same card on two rows: one issue per row, each naming the other's ref."""
    members = with_change(base_members(), 3, card="01234568", cccd="001092999999")
    report = validate(read_roster(write_roster(tmp_path / "a.xlsx", members)), as_of=AS_OF)
    dups = [i for i in report.issues if i.code == "duplicate-card-number"]
    assert [i.ref for i in dups] == ["M4", "M6"]
    assert "DS!M6" in dups[0].message() and "DS!M4" in dups[1].message()


def test_duplicate_member_by_name_key_and_birth(tmp_path):
    """The same person written "Hoà"/"Hòa" with the same birth date is found across cells."""
    first = tmp_path / "a"
    first.mkdir()
    a = [*base_members(), Member("Đỗ Thị Hoà", dt.date(1991, 4, 4), "Nữ", dt.date(2014, 4, 4), "02234567")]
    b = [
        Member("Vũ Văn Em", dt.date(1980, 3, 5), "Nam", dt.date(2005, 5, 19), "03234567", "Thiếu tá", "Bí thư"),
        Member("Đỗ Thị Hòa", dt.date(1991, 4, 4), "Nữ", dt.date(2014, 4, 4), "03234568", cccd="001191000001"),
        Member("Bùi Văn Giang", dt.date(1985, 1, 2), "Nam", dt.date(2010, 1, 2), "03234569"),
    ]
    write_roster(first / "1.xlsx", a, cell="Chi bộ A")
    write_roster(first / "2.xlsx", b, cell="Chi bộ B")
    report = validate(read_roster(first), as_of=AS_OF)
    dups = [(Path(i.file).name, i.ref, i.cell) for i in report.issues if i.code == "duplicate-member"]
    assert dups == [("1.xlsx", "B7", "Chi bộ A"), ("2.xlsx", "B4", "Chi bộ B")]


@pytest.mark.parametrize(
    ("posts", "expected"),
    [
        ([None, None, None, None], ("B3", "secretary-missing")),
        (["Bí thư", "Bí thư", None, None], ("J4", "secretary-multiple")),
    ],
)
def test_one_secretary_per_cell(tmp_path, posts, expected):
    """No secretary, or two, in a cell is an error."""
    members = [m.__class__(**{**m.__dict__, "post": p}) for m, p in zip(base_members(), posts, strict=True)]
    found = _found(tmp_path, members)
    assert expected in found or (expected[1] == "secretary-missing" and ("J3", "secretary-missing") in found)


def test_small_cell_and_committee(tmp_path):
    """A cell with 2 official members is flagged; 9 official members without committee posts is an info."""
    small = [*base_members()[:1], with_change(base_members(), 3, admitted=dt.date(2019, 12, 1))[3]]
    assert ("B3", "cell-too-small") in _found(tmp_path, small, name="s.xlsx")
    big = [
        Member(
            f"Người {i}",
            dt.date(1985, 1, 1 + i),
            "Nam",
            dt.date(2010, 1, 1 + i),
            f"0{5000000 + i:07d}",
            post="Bí thư" if i == 0 else None,
            cccd=f"00108500{i:04d}",
        )
        for i in range(9)
    ]
    report = validate(read_roster(write_roster(tmp_path / "b.xlsx", big)), as_of=AS_OF)
    assert [i.code for i in report.issues if i.code.startswith("cell-")] == ["cell-no-committee"]


def test_service_age_reached_within_term_is_a_warning(tmp_path):
    """An officer who reaches the limit before the term ends gets a warning."""
    members = with_change(base_members(), 0, born=dt.date(1966, 6, 1), cccd="001066123456")
    found = _found(tmp_path, members)
    assert (ref("Cấp bậc", 0), "service-age-reached-in-term") in found


def test_service_age_after_2023_uses_amended_law_and_phase_in():
    """At 2024 a male Đại tá's limit is 61 (phase-in), a female Thượng tá's 56 years 4 months."""
    import datetime as dt

    from dangvien_data.domain.service import police_limits
    from dangvien_data.roster.schemas import load_roster_spec

    limits, law = police_limits(load_roster_spec().rules, dt.date(2024, 6, 1))
    assert (limits[("colonel", "male")], limits[("senior_lt_colonel", "female")]) == (61 * 12, 56 * 12 + 4)
    assert limits[("company", "male")] == 55 * 12 and "2023" in law
    before, law_2018 = police_limits(load_roster_spec().rules, dt.date(2020, 3, 31))
    assert before[("major", "female")] == 53 * 12 and "2018" in law_2018


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=valid_rosters())
def test_generated_valid_rosters_have_no_errors(tmp_path_factory, members):
    """Any generated valid roster validates with no error."""
    path = write_roster(tmp_path_factory.mktemp("h") / "r.xlsx", members)
    report = validate(read_roster(path), as_of=AS_OF)
    assert [(i.ref, i.code, i.message()) for i in report.issues if i.severity == "error"] == []


class TestSamples:
    def test_clean_sample_has_no_errors(self):
        """The clean sample organisation validates with no error and no warning."""
        report = validate(read_roster(SAMPLE / "danh_sach_dang_vien.xlsx"), as_of="2020-03-31")
        assert report.ok and report.counts["warning"] == 0

    def test_planted_sample_reports_exactly_the_planted_problems(self):
        """Every planted problem is reported at its ref, and no other error."""
        planted = json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))
        report = validate(read_roster(SAMPLE / "danh_sach_dang_vien_loi.xlsx"), as_of="2020-03-31")
        expected = sorted((p["code"], p["sheet"], p["ref"]) for p in planted)
        found = sorted(
            (i.code, i.sheet, i.ref)
            for i in report.issues
            if i.severity == "error" or i.code == "legacy-encoding-converted"
        )
        assert found == expected


def test_report_json_shape(tmp_path):
    """to_dict has the docs/architecture.md keys, and each issue the record's keys."""
    report = validate(
        read_roster(write_roster(tmp_path / "a.xlsx", with_change(base_members(), 1, card="12"))), as_of=AS_OF
    )
    data = json.loads(report.to_json())
    assert list(data) == ["as_of", "term", "files", "ok", "counts", "issues"]
    assert data["as_of"] == "2020-03-31" and data["ok"] is False and data["counts"]["error"] == 1
    issue = data["issues"][0]
    assert issue["fix"] and issue["message"].endswith(issue["fix"])  # the fix alone; the message stays whole
    assert list(data["issues"][0]) == ISSUE_RECORD_KEYS
    assert data["issues"][0]["column"] == "Số thẻ đảng viên" and data["issues"][0]["value"] == "12"


def test_every_rule_has_vietnamese_and_english_messages():
    """Each catalogue entry has both messages and a kebab-case code."""
    import re

    for code, rule in CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert rule.message_vi and rule.message_en, code


def test_places_in_other_files_name_the_file(tmp_path: Path):
    """In a folder of cell workbooks (every sheet called alike) a duplicate in another file names that file."""
    from conftest import HEADER, member, write_workbook

    folder = tmp_path / "chi_bo"
    folder.mkdir()
    for name, cell in (("a.xlsx", "CHI BỘ MỘT"), ("b.xlsx", "CHI BỘ HAI")):
        write_workbook(folder / name, {"Danh sách": [[f"DANH SÁCH ĐẢNG VIÊN {cell}"], HEADER, member(card="12345678")]})
    report = validate(read_roster(folder), as_of=AS_OF)
    messages = sorted(i.message() for i in report.issues if i.code == "duplicate-card-number")
    assert len(messages) == 2
    assert "[b.xlsx]Danh sách!" in messages[0] + messages[1] and "[a.xlsx]Danh sách!" in messages[0] + messages[1]
    one_file = validate(read_roster(folder / "a.xlsx"), as_of=AS_OF)
    assert all("[" not in i.message() for i in one_file.issues if i.code.startswith("duplicate"))


def test_text_output_names_the_file_only_for_several_files(tmp_path: Path):
    """The text output places an issue at file › sheet!ref in a run over several files, at sheet!ref for one."""
    from conftest import HEADER, member, write_workbook
    from dangvien_data.report.render import validate_text

    folder = tmp_path / "chi_bo"
    folder.mkdir()
    for name, cell in (("a.xlsx", "CHI BỘ MỘT"), ("b.xlsx", "CHI BỘ HAI")):
        write_workbook(folder / name, {"Danh sách": [[f"DANH SÁCH ĐẢNG VIÊN {cell}"], HEADER, member(card="123")]})
    both = validate_text(validate(read_roster(folder), as_of=AS_OF))
    assert "a.xlsx › Danh sách!" in both and "b.xlsx › Danh sách!" in both
    one = validate_text(validate(read_roster(folder / "a.xlsx"), as_of=AS_OF))
    assert "invalid-card-number" in one and "›" not in one and " Danh sách!" in one
