"""Tests for dangvien_data.roster.normalise: the vectorised fast paths give what the per-value rules give."""

from __future__ import annotations

import re
import sys
import unicodedata

import pandas as pd
import pytest

from dangvien_data.domain.vntext import SPACE_CLASS
from dangvien_data.roster import normalise
from dangvien_data.roster.normalise import clean_text, parse_dates, recover_education

DTYPES = ["object", "str", "string"]  # pandas 3's default, the reader's Arrow "string", tests' object


def _canonical_pairs() -> set[int]:
    """Code points that are the second half of a canonical composition (they can join the previous one)."""
    seconds = set()
    for cp in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    return seconds


def test_safe_characters_never_change_under_cleaning() -> None:
    """Every character ``_SAFE`` lets through is NFC-stable, a starter, and joins no neighbour under NFC."""
    ranges = re.findall(r"(.)-(.)", normalise._SAFE_CHAR[1:-1])
    safe = [chr(c) for first, last in ranges for c in range(ord(first), ord(last) + 1)]
    assert len(safe) > 600
    seconds = _canonical_pairs()
    for char in safe:
        assert unicodedata.combining(char) == 0, char
        assert unicodedata.is_normalized("NFC", char), char
        assert ord(char) not in seconds, char
        assert normalise._clean_one(f"a{char}b") == f"a{char}b", char
        assert not normalise._INVISIBLE_RE.search(char), char


def test_space_class_is_pythons_whitespace() -> None:
    """``vntext.SPACE_CLASS`` (RE2-compatible; normalise, vntext and workbook use it) is exactly Python's ``\\s``."""
    spelled = re.compile(SPACE_CLASS)
    for cp in range(sys.maxunicode + 1):
        assert bool(spelled.match(chr(cp))) == bool(re.match(r"\s", chr(cp))), hex(cp)


@pytest.mark.parametrize("dtype", DTYPES)
def test_clean_text_dirty_and_clean_values(dtype: str) -> None:
    """Clean values pass as they are; the others are cleaned, legacy text converted."""
    values = [
        "Nguyễn Văn An",
        "  Lê\u200b  Thị\tHoa ",
        "Tru\u031bo\u031b\u0300ng",
        "NguyÔn V¨n Hïng",
        "A  B",
        " ",
        "",
        None,
    ]
    cleaned, encoding = clean_text(pd.Series(values, dtype=dtype))
    assert cleaned.tolist()[:5] == ["Nguyễn Văn An", "Lê Thị Hoa", "Trường", "Nguyễn Văn Hùng", "A B"]
    assert cleaned.iloc[5:].isna().all()
    assert encoding.tolist()[3] == "tcvn3"
    assert encoding.drop(3).isna().all()
    assert (cleaned.name, encoding.name) == ("cleaned", "encoding")
    assert str(cleaned.dtype) == str(encoding.dtype) == "string"


@pytest.mark.parametrize("dtype", DTYPES)
def test_clean_column_ascii_fast_path(dtype: str) -> None:
    """A column of clean ASCII comes back unchanged, with Excel errors and formulas found."""
    series = pd.Series(["001086751472", "#REF!", "=A1", "#hash", None], dtype=dtype)
    result = normalise._clean_column(series)
    assert result.cleaned.tolist()[:4] == ["001086751472", "#REF!", "=A1", "#hash"]
    assert result.error.tolist() == [False, True, False, False, False]
    assert result.formula.tolist() == [False, False, True, False, False]
    assert not result.hidden.any()
    assert result.encoding.isna().all()


# Expected values as the per-value rules (before the fast paths) give them.
DATES = [
    ("1985-03-05 00:00:00", "1985-03-05", "day", False),
    ("1985-02-31 00:00:00", None, None, True),
    ("1600-01-01 00:00:00", "1600-01-01", "day", False),
    ("2263-01-01", "2263-01-01", "day", False),
    ("0085-03-05", "1985-03-05", "day", False),
    ("1985-3-5", "1985-03-05", "day", False),
    ("1985-03-05T10:20", "1985-03-05", "day", False),
    ("05/03/1985", "1985-03-05", "day", False),
    ("5/3/85", "1985-03-05", "day", False),
    ("5/3/30", "1930-03-05", "day", False),
    ("05 . 03 . 1985", "1985-03-05", "day", False),
    ("05\u3000/03/1985", "1985-03-05", "day", False),
    ("03/1985", "1985-03-01", "month", False),
    ("1985", "1985-01-01", "year", False),
    ("31/02/1985", None, None, True),
    ("32145", "1988-01-03", "day", False),
    ("00060", None, None, True),
    ("12345.0", "1933-10-18", "day", False),
    ("\u0661\u0669\u0668\u0665", "1985-01-01", "year", False),  # Arabic-Indic digits: Python's \d takes them
    ("05/03/1985\n", "1985-03-05", "day", False),
    ("abc", None, None, True),
    (None, None, None, False),
]


@pytest.mark.parametrize("dtype", DTYPES)
def test_parse_dates_forms(dtype: str) -> None:
    """Every form, odd years, impossible days and non-ASCII digits, fast path or not."""
    written = [w for w, *_ in DATES] * 2  # repeated values: parsed once, spread back
    parsed = parse_dates(pd.Series(written, dtype=dtype, index=range(100, 100 + len(written))))
    assert list(parsed.index) == list(range(100, 100 + len(written)))
    assert str(parsed["date"].dtype) == "datetime64[us]"
    assert str(parsed["precision"].dtype) == "string"
    for (value, day, precision, invalid), row in zip(DATES * 2, parsed.itertuples(index=False), strict=True):
        assert (None if pd.isna(row.date) else str(row.date.date())) == day, value
        assert (None if pd.isna(row.precision) else row.precision) == precision, value
        assert row.invalid == invalid, value


def test_parse_dates_empty_and_missing() -> None:
    """No value, or no value present, gives empty or missing results without error."""
    assert parse_dates(pd.Series([], dtype="string")).empty
    parsed = parse_dates(pd.Series([None, None], dtype=object))
    assert parsed["date"].isna().all()
    assert not parsed["invalid"].any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_recover_education(dtype: str) -> None:
    """Only dates made of two levels up to 12 are recovered; full-width digits too, as Python's re reads them."""
    written = [
        "12/12",
        "2020-12-12 00:00:00",
        "2020-10-12",
        "2020-13-12",
        "\uff12\uff10\uff12\uff10-\uff10\uff19-\uff11\uff12",
    ]
    values, recovered = recover_education(pd.Series([*written, None], dtype=dtype))
    assert values.tolist()[:5] == ["12/12", "12/12", "10/12", "2020-13-12", "9/12"]
    assert recovered.tolist() == [False, True, True, False, True, False]


def test_normalise_ids() -> None:
    """Plain digits pass as they are; separators and a trailing ".0" are removed from the others."""
    written = pd.Series(["001086751472", "12 345.678", "12345678.0", "12\u00a0345-6", None], dtype="string")
    assert normalise._normalise_ids(written).tolist()[:4] == ["001086751472", "12345678", "12345678", "123456"]


def test_short_legacy_words_by_sheet_or_code_list(tmp_path) -> None:
    """ "Khoâng" (VNI) is converted where the sheet shows VNI elsewhere, or where the code list knows one reading."""
    import datetime as dt

    from conftest import HEADER, write_workbook
    from dangvien_data.roster.reader import read_roster

    header = [*HEADER, "Chức vụ Đảng"]
    born, admitted, official = dt.datetime(1985, 3, 5), dt.datetime(2010, 5, 19), dt.datetime(2011, 5, 19)
    vni = [
        1,
        "Nguyeãn Vaên An",
        born,
        "Nam",
        "Kinh",
        "Khoâng",
        "Haø Noäi",
        "12/12",
        admitted,
        official,
        "01234567",
        "Bí thö",
    ]
    plain = [2, "Lê Văn Bình", born, "Nam", "Kinh", "Khoâng", "Hà Nội", "12/12", admitted, official, "11234567", None]
    path = write_workbook(tmp_path / "ds.xlsx", {"A": [header, vni], "B": [header, plain]})
    roster = read_roster(path)
    assert roster.frame["religion"].tolist() == ["Không", "Không"]
    assert roster.frame["party_post"].tolist()[:1] == ["Bí thư"]
    converted = sorted((i.sheet, i.ref) for i in roster.issues if i.code == "legacy-encoding-converted")
    assert ("A", "F2") in converted and ("B", "F2") in converted and ("A", "L2") in converted


def test_a_cell_typed_in_tcvn3_reads_names_that_are_also_unicode(tmp_path) -> None:
    """A cell's block typed in TCVN3 inside a Unicode sheet: "Vò Thanh Lan" is valid Unicode as it is, but the
    block's name column is TCVN3 throughout ("NguyÔn", "TrÇn"), so it is TCVN3 "Vũ Thanh Lan", reported as
    converted. In the Unicode cell above, "Lê Hà" (only letters TCVN3 also has) stays as it is, and a Unicode cell
    with one pasted TCVN3 name among such names keeps its other names too."""
    from conftest import HEADER, member, write_workbook
    from dangvien_data.roster.reader import read_roster
    from layouts import _text

    def rows(names: list[str], first: int, tcvn3: bool) -> list[list[object]]:
        return [
            member(name=_text(n, "tcvn3") if tcvn3 else n, card=f"{first + k:08d}", seq=first + k)
            for k, n in enumerate(names)
        ]

    unicode_names = ["Lê Hà", "Nguyễn Văn An", "Trần Thị Bình"]
    tcvn3_names = ["Nguyễn Văn Cường", "Vũ Thanh Lan", "Trần Văn Dũng", "Vũ Thu Hà"]
    pasted = ["Lê Hà", "Tô Hà", "Lê Thu", "Phạm Văn Hùng"]  # the last typed in TCVN3, the others in Unicode
    sheet = [HEADER, ["I. Chi bộ Đội Tổng hợp"], *rows(unicode_names, 1, False)]
    sheet += [[_text("II. Chi bộ Đội Cảnh sát giao thông", "tcvn3")], *rows(tcvn3_names, 11, True)]
    sheet += [["III. Chi bộ Đội Kỹ thuật"], *rows(pasted[:3], 21, False), *rows(pasted[3:], 24, True)]
    assert _text("Vũ Thanh Lan", "tcvn3") == "Vò Thanh Lan" and _text("Lê Hà", "tcvn3") != "Lê Hà"
    roster = read_roster(write_workbook(tmp_path / "ds.xlsx", {"DS": sheet}))
    assert roster.frame["full_name"].tolist() == unicode_names + tcvn3_names + pasted
    converted = {i.ref: i.params["converted"] for i in roster.issues if i.code == "legacy-encoding-converted"}
    assert converted["B8"] == "Vũ Thanh Lan" and converted["B10"] == "Vũ Thu Hà"
    assert converted["B15"] == "Phạm Văn Hùng"  # the pasted one
    assert not {"B3", "B12", "B13", "B14"} & set(converted), converted


def test_two_digit_years_take_the_century_that_fits(tmp_path) -> None:
    """ "5/3/25" is born 1925 for a member admitted in 1950; "19/5/10" is admitted 2010 for one born 1985."""
    import datetime as dt

    from conftest import HEADER, member, write_workbook
    from dangvien_data.roster.reader import read_roster

    rows = [
        HEADER,
        member(born="5/3/25", admitted=dt.datetime(1950, 5, 19), official=dt.datetime(1951, 5, 19)),
        member(name="Lê Văn Bình", born=dt.datetime(1985, 3, 5), admitted="19/5/10", card="12345678", seq=2),
    ]
    roster = read_roster(write_workbook(tmp_path / "ds.xlsx", {"DS": rows}))
    assert roster.frame["birth_date"].tolist()[0] == pd.Timestamp("1925-03-05")
    assert roster.frame["admitted_on"].tolist()[1] == pd.Timestamp("2010-05-19")
    noted = [(i.ref, i.params["converted"]) for i in roster.issues if i.code == "two-digit-year"]
    assert noted == [("C2", "05/03/1925"), ("I3", "19/05/2010")]
