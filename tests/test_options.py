"""Every option value anyone can type is either used or refused with a DangvienError (exit 2), never a crash."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvien_data import (
    DangvienError,
    OptionError,
    OutputPathError,
    milestones,
    options,
    read_roster,
    summarise,
    validate,
    write_template,
)
from dangvien_data.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
CLEAN = SAMPLE / "danh_sach_dang_vien.xlsx"
INTERNAL = ("lỗi nội bộ", "internal error")

# What a user could pass as any argument: text of any kind (dates that almost parse among it), numbers, flags,
# dates, lists. Text keeps to the characters a terminal can send (no surrogates).
typed_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2020-13-01", "31/02/2020", "0001-01-01", "9999-12-31", "2020", "2025-2020", "-1", "1e3"]),
    st.from_regex(r"\A[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{4}\Z"),
)
any_value = st.one_of(
    st.none(),
    typed_text,
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.lists(typed_text, max_size=2),
    st.binary(max_size=4),
)


@pytest.fixture(scope="module")
def roster():
    return read_roster(CLEAN)


def _used_or_refused(call) -> None:
    """The call either works or raises a DangvienError; anything else is a bug."""
    try:
        call()
    except DangvienError as exc:
        assert exc.message("vi") and exc.message("en")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(as_of=any_value, term=any_value)
def test_validate_takes_any_as_of_and_term(roster, as_of, term):
    """validate(roster, as_of=…, term=…) with any values: a report, or a DangvienError."""
    _used_or_refused(lambda: validate(roster, as_of=as_of, term=term))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(as_of=any_value, term=any_value, year=any_value, within_days=any_value)
def test_summaries_take_any_option_values(roster, as_of, term, year, within_days):
    """summarise and milestones with any values: a result, or a DangvienError."""
    _used_or_refused(lambda: summarise(roster, as_of=as_of, term=term))
    _used_or_refused(lambda: milestones(roster, as_of=as_of, year=year, within_days=within_days, term=term))


@settings(max_examples=30, deadline=None)
@given(kind=any_value, name=any_value, cell=any_value, organisation=any_value, rows=any_value)
def test_write_template_takes_any_option_values(kind, name, cell, organisation, rows):
    """write_template with any values: a workbook, or a DangvienError (and nothing written outside its folder)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / str(name).replace("/", "_").replace("\0", "_")[:40] if isinstance(name, str) else name
        _used_or_refused(lambda: write_template(kind, out, cell=cell, organisation=organisation, rows=rows))


# command -> options that take a value (paths and flags are set so that each run is otherwise usable)
_COMMANDS = {
    "validate": ("--as-of", "--term", "--annotate", "--format", "--lang", "--schemas"),
    "summary": ("--as-of", "--term", "--year", "--within-days", "--declared", "--out", "--format", "--lang"),
    "template": ("--rows", "--cell", "--organisation", "--out", "--lang"),
    "dossier": ("--congress-date", "--term", "--seats", "--out", "--format"),
    "schema": ("--as-of", "--lang"),
}


def _argv(command: str, option: str, value: str) -> list[str]:
    head = {
        "validate": ["validate", str(CLEAN), "--as-of", "2020-03-31"],
        "summary": ["summary", str(CLEAN), "--as-of", "2020-03-31"],
        "template": ["template", "roster", "-o", "mau.xlsx"],
        "dossier": ["dossier", str(SAMPLE / "ho_so_nhan_su.xlsx"), "--roster", str(CLEAN)],
        "schema": ["schema", "export"],
    }[command]
    return [*head, option, value]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_command_line_takes_any_option_value(tmp_path_factory, capsys, monkeypatch, data):
    """`dangvien COMMAND … --OPTION VALUE` with any value: exit 0, 1 or 2, and never an internal error."""
    command = data.draw(st.sampled_from(sorted(_COMMANDS)))
    option = data.draw(st.sampled_from(_COMMANDS[command]))
    value = data.draw(typed_text)
    monkeypatch.chdir(tmp_path_factory.mktemp("run"))  # outputs land in an empty folder
    code = main(_argv(command, option, value))
    _, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert not any(word in err for word in INTERNAL), err
    if code == 2:
        assert err.strip() and "Traceback" not in err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(typed_text, min_size=0, max_size=4))
def test_command_line_takes_any_words(tmp_path_factory, capsys, monkeypatch, words):
    """Arbitrary words after `dangvien`: exit 0, 1 or 2, a message on a refusal, never an internal error."""
    monkeypatch.chdir(tmp_path_factory.mktemp("run"))
    try:
        code = main(words)
    except SystemExit as exc:  # --help and --version exit 0 from inside argparse, as everywhere
        code = exc.code
    _, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert not any(word in err for word in INTERNAL), err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["validate", str(CLEAN), "--term", "2020"], ("--term", '"2020"', "2020-2025")),
        (["validate", str(CLEAN), "--term", "abc"], ("--term", '"abc"', "NĂM-NĂM")),
        (["validate", str(CLEAN), "--as-of", "2020-13-01"], ("--as-of", '"2020-13-01"', "YYYY-MM-DD")),
        (["template", "roster", "-o", "mau.xlsx", "--rows", "abc"], ("--rows", '"abc"', "số nguyên")),
        (["summary", str(CLEAN), "--within-days", "-5"], ("--within-days", '"-5"', "từ 0")),
    ],
)
def test_a_refused_option_names_itself_the_value_and_the_form(tmp_path, monkeypatch, capsys, argv, words):
    """The message names the option, quotes the value and gives the accepted form; exit 2."""
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2
    assert all(word in err for word in words), err


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"as_of": "2020-13-01"}, "as_of"),
        ({"as_of": "2020-03-31", "term": "2020"}, "term"),
        ({"as_of": "2020-03-31", "term": 2020}, "term"),
        ({"as_of": None}, "as_of"),
    ],
)
def test_library_refuses_bad_arguments_by_name(roster, kwargs, option):
    """validate(…) with a bad argument raises OptionError naming it, in Vietnamese and English."""
    with pytest.raises(OptionError) as caught:
        validate(roster, **kwargs)
    assert caught.value.option == option
    assert caught.value.message("vi").startswith(f"{option}: ") and "expected" in caught.value.message("en")


def test_accepted_forms():
    """The checks return the value in its canonical type."""
    assert options.date("31/03/2020", "d") == options.date("2020-03-31", "d") == dt.date(2020, 3, 31)
    assert options.date(dt.datetime(2020, 3, 31, 8), "d") == dt.date(2020, 3, 31)
    assert options.term(" 2020-2025 ") == "2020-2025"
    assert options.integer("12", "n", minimum=1) == 12
    assert options.output("out/a.XLSX", "o") == Path("out/a.XLSX")
    assert options.paths("a.xlsx", "p") == ["a.xlsx"]
    with pytest.raises(OptionError):
        options.integer(True, "n", minimum=0)
    with pytest.raises(OutputPathError):  # what the workbook writers have always raised for a bad output
        options.output("out.csv", "--annotate")
