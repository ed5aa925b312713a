"""The fast paths of validation: memoised schema, prepare(), issue records for failing rows only, the JSON layout."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pandas as pd

from dangvien_data import read_roster
from dangvien_data.roster.model import ColumnSource, Roster, SheetSource, issues_at
from dangvien_data.roster.rules import lookup_pairs
from dangvien_data.roster.schemas import compile_schema, load_roster_spec
from dangvien_data.roster.validation import prepare, validate
from strategies import AS_OF, Member, base_members, with_change, write_roster


def _roster(tmp_path, members: list[Member] | None = None, name: str = "a.xlsx") -> Roster:
    return read_roster(write_roster(tmp_path / name, members or base_members()))


class TestCompileSchema:
    def test_memoised_per_spec_and_date(self):
        """The same spec and date give the same schema object; another date another one."""
        spec = load_roster_spec()
        first = compile_schema(spec, as_of="2020-03-31")
        assert compile_schema(spec, as_of="2020-03-31") is first
        assert compile_schema(spec, as_of="2021-01-01") is not first

    def test_prepare_on_a_thread_makes_the_later_call_free(self):
        """prepare() on another thread compiles the schema that the caller then gets, already built."""
        from dangvien_data.roster import schemas

        day = dt.date(2019, 7, 2)  # a date no other test compiles for
        spec = load_roster_spec()
        key = (id(spec), day.isoformat())
        schemas._COMPILED.pop(key, None)
        worker = threading.Thread(target=prepare, args=(spec,), kwargs={"as_of": day})
        worker.start()
        worker.join()
        assert key in schemas._COMPILED  # prepare() did the compiling, not the call below
        compiled = schemas._COMPILED[key][1]
        assert compile_schema(spec, as_of=day.isoformat()) is compiled


class TestIssuesAt:
    def _frame(self) -> tuple[pd.DataFrame, list[SheetSource]]:
        frame = pd.DataFrame(
            {
                "source": [0, 0, 1],
                "row": [5, 6, 9],
                "cell": ["Chi bộ A", None, "Chi bộ B"],
                "full_name": ["An", "Bình", None],
                "card_number": pd.array(["1", None, "3"], dtype="string"),
            }
        )
        sources = [
            SheetSource("a.xlsx", "DS", (4,), 5, {"card_number": ColumnSource("M", "Số thẻ")}),
            SheetSource("b.xlsx", "DS2", (8,), 9, {}),
        ]
        return frame, sources

    def test_failing_rows_only_with_their_params(self):
        """One issue per failing row, at the field's cell (A for a sheet without it), params without gaps."""
        frame, sources = self._frame()
        mask = pd.Series([True, False, True])
        params = pd.DataFrame({"others": ["x", "y", None], "as_of": "31/03/2020"})
        issues = issues_at(frame, sources, mask, "duplicate-card-number", "card_number", params=params)
        assert [(i.file, i.ref, i.column, i.cell, i.member) for i in issues] == [
            ("a.xlsx", "M5", "Số thẻ", "Chi bộ A", "An"),
            ("b.xlsx", "A9", None, "Chi bộ B", None),
        ]
        assert [dict(i.params) for i in issues] == [{"others": "x", "as_of": "31/03/2020"}, {"as_of": "31/03/2020"}]

    def test_params_of_the_failing_rows_only_give_the_same_issues(self):
        """params indexed by the failing rows, or by the whole frame, give the same records."""
        frame, sources = self._frame()
        mask = pd.Series([False, True, True])
        whole = pd.DataFrame({"n": ["0", "1", "2"]})
        args = (frame, sources, mask, "duplicate-card-number", "card_number")
        assert issues_at(*args, params=whole) == issues_at(*args, params=whole.loc[[1, 2]])
        assert issues_at(*args, params=whole.loc[[1, 2], []])[0].params == {}


def test_lookup_pairs_calls_once_per_distinct_pair():
    """A value per (first, second) pair, None for a missing one, computed once per distinct pair."""
    calls = []

    def value(a, b):
        calls.append((a, b))
        return None if a is None or b is None else len(a) * 10 + len(b)

    first = pd.Series(["ab", "ab", None, "c"], dtype="string")
    second = pd.Series(["x", "x", "y", None], dtype="string")
    assert lookup_pairs(first, second, value, "Float64").tolist() == [21.0, 21.0, pd.NA, pd.NA]
    assert len(calls) == len(set(calls))


def test_duplicates_of_three_rows_cite_the_two_others(tmp_path):
    """A card number on three rows: each row's message names the other two, in sheet order."""
    members = with_change(with_change(base_members(), 2, card="01234567"), 3, card="01234567")
    report = validate(_roster(tmp_path, members), as_of=AS_OF)
    dups = [i for i in report.issues if i.code == "duplicate-card-number"]
    assert [i.ref for i in dups] == ["M3", "M5", "M6"]
    cell = "Chi bộ Đội Tổng hợp"
    assert [i.params["others"] for i in dups] == [
        f"{cell} (DS!M5), {cell} (DS!M6)",
        f"{cell} (DS!M3), {cell} (DS!M6)",
        f"{cell} (DS!M3), {cell} (DS!M5)",
    ]


def test_report_json_has_one_issue_per_line_and_parses_to_to_dict(tmp_path):
    """The indented JSON holds each issue record on one line; it parses to to_dict(); indent=None is compact."""
    members = with_change(base_members(), 1, card="12", ethnicity="Kinhh")
    report = validate(_roster(tmp_path, members), as_of=AS_OF)
    text = report.to_json("en")
    assert json.loads(text) == report.to_dict("en")
    lines = text.splitlines()
    records = [line for line in lines if line.startswith('    {"severity"')]
    assert len(records) == len(report.issues) >= 2
    assert lines[0] == "{" and lines[1] == '  "as_of": "2020-03-31",' and lines[-1] == "}"
    assert json.loads(report.to_json(indent=None)) == report.to_dict() and "\n" not in report.to_json(indent=None)
    assert "".join(report.iter_json("en")) == text


def test_report_json_without_issues(tmp_path):
    """A clean report still prints an (empty) issues list."""
    report = validate(_roster(tmp_path), as_of=AS_OF)
    report.issues = [i for i in report.issues if i.severity == "error"]
    data = json.loads(report.to_json())
    assert data["issues"] == [] and data["ok"] is True
