"""Turn text as read into canonical values: clean text, dates with precision, codes, ID numbers.

Everything is whole-column work. Where a value needs Python-level parsing it is done once per *distinct*
value (``pd.factorize``) and mapped back, so the cost follows the variety of the data, not its size.
Every repair (legacy text converted, an education level recovered from a date) is reported as an ``info``
issue; nothing is changed silently.
"""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dangvien_data.domain.vntext import (
    SPACE_CLASS,
    decodings,
    fix_by_column,
    fix_by_context,
    fix_legacy,
    has_unicode_vietnamese,
    legacy_candidates,
    name_key,
    strip_accents,
)
from dangvien_data.issues import Issue, Severity
from dangvien_data.roster.model import SheetSource, issues_at
from dangvien_data.roster.schemas import CodeList, RosterSpec

__all__ = [
    "clean_text",
    "code_lookup",
    "map_codes",
    "normalise",
    "parse_dates",
    "recover_education",
]

# Real characters, not backslash-u escapes: the regex engine of older pyarrow (RE2) rejects those.
_INVISIBLE = "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
# Python's \s as SPACE_CLASS, so that pandas may hand the patterns to RE2
_DMY = rf"^(\d{{1,2}}){SPACE_CLASS}*[./-]{SPACE_CLASS}*(\d{{1,2}}){SPACE_CLASS}*[./-]{SPACE_CLASS}*(\d{{4}}|\d{{2}})$"
_MY = rf"^(\d{{1,2}}){SPACE_CLASS}*[./-]{SPACE_CLASS}*(\d{{4}})$"
_Y = r"^(\d{4})$"
_DATE_FORMS = ((_ISO, "ymd", "day"), (_DMY, "dmy", "day"), (_MY, "my", "month"), (_Y, "y", "year"))


def _named_groups(pattern: str, prefix: str) -> str:
    """``pattern`` without its anchors, each capturing group named ``{prefix}0``, ``{prefix}1`` …"""
    count = iter(range(pattern.count("(")))
    return re.sub(r"\((?!\?)", lambda _: f"(?P<{prefix}{next(count)}>", pattern.removeprefix("^").removesuffix("$"))


# All forms in one RE2 pattern for pc.extract_regex, which needs named groups; the forms never overlap.
_DATE_FORMS_RE2 = f"^(?:{'|'.join(_named_groups(pattern, f'f{k}_') for k, (pattern, _, _) in enumerate(_DATE_FORMS))})$"
_SERIAL = r"^(\d{5})(?:\.0+)?$"
_INVISIBLE_RE = re.compile(_INVISIBLE)
_WHITESPACE_RE = re.compile(r"\s+")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_EXCEL_MAX_SERIAL = 2958465  # 31/12/9999
_EXCEL_ERROR = r"#(?:N/A|NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|GETTING_DATA|SPILL!|CALC!|FIELD!|[A-Z]+!)"
_EXCEL_FAKE_LEAP_DAY = 60  # Excel's 29/02/1900, a day that never existed
# Text that cleaning leaves as it is: printable ASCII, Latin-1 and Latin Extended-A/B and Extended Additional
# (every Vietnamese letter, precomposed) without controls, the no-break space or the soft hyphen, words
# separated by single spaces. None of these characters changes under NFC or combines with its neighbour
# (tests/roster/test_normalise.py checks it against unicodedata), so such values skip the per-value Python work.
_SAFE_CHAR = "[!-~\u00a1-\u00ac\u00ae-\u024f\u1e00-\u1eff]"
_SAFE = f"^{_SAFE_CHAR}+(?: {_SAFE_CHAR}+)*$"
_BROKEN = f"^(?:=|{_EXCEL_ERROR}$)"
_EXCEL_DATE = r"^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$"
# Years the fast path for Excel dates takes; others (typos such as 0985) take the general path.
_FAST_YEARS = (1700, 2200)


def _arrow(series: pd.Series) -> Any:
    """The values of ``series`` as one Arrow string array; no copy when pandas already holds them in Arrow."""
    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        series = series.astype("string[pyarrow]")
    values = pa.array(series.array)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _encode(values: Any) -> tuple[Any, np.ndarray]:
    """``(distinct, codes)``: the distinct non-missing values (Arrow) and each row's position among them (-1 if
    missing), so that per-value work is done once per distinct value."""
    encoded = pc.dictionary_encode(values)
    return encoded.dictionary, encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)


def _mask(flags: Any, missing: bool = False) -> np.ndarray:
    """An Arrow boolean array as a NumPy one, missing values as ``missing``."""
    mask: np.ndarray = flags.fill_null(missing).to_numpy(zero_copy_only=False)
    return mask


def _spread(per_value: np.ndarray, codes: np.ndarray, missing: Any) -> np.ndarray:
    """Per-distinct-value results back on the rows; ``missing`` for rows with code -1."""
    spread: np.ndarray = np.append(per_value, np.array([missing], dtype=per_value.dtype))[codes]
    return spread


def _string_series(values: Any, index: pd.Index) -> pd.Series:
    """A pandas "string" Series on ``index`` over an Arrow string array, without a copy."""
    return pd.Series(pd.arrays.ArrowStringArray(values), index=index)


def _clean_one(value: str) -> str | None:
    text = unicodedata.normalize("NFC", _WHITESPACE_RE.sub(" ", _INVISIBLE_RE.sub("", value)).strip())
    return text or None


def _clean_dirty(written: list[str], candidate: np.ndarray) -> tuple[list[str | None], list[str | None]]:
    """Clean distinct values one by one: ``(cleaned, encoding)``; legacy conversion for the ``candidate`` ones.

    Legacy text is converted first: in TCVN3 the soft hyphen U+00AD is the letter "ư", which cleaning removes.
    Each value alone: the values of a column come from every sheet and file of the run, so what the others
    show ("Khoâng" is VNI where the sheet's other values are VNI) is decided per sheet, by
    :func:`_legacy_by_context`, never by a TCVN3 file beside a VNI one.
    """
    text: list[str] = list(written)
    encoding: list[str | None] = [None] * len(written)
    for i in np.flatnonzero(candidate).tolist():
        text[i], encoding[i] = fix_legacy(written[i])
    return [_clean_one(v) for v in text], encoding


class _Cleaned(NamedTuple):
    """A column cleaned: the values, the legacy encoding converted, and row masks for the issues."""

    cleaned: pd.Series
    encoding: pd.Series
    hidden: np.ndarray  # invisible characters removed
    error: np.ndarray  # an Excel error value such as "#REF!"
    formula: np.ndarray  # a formula saved without its value
    candidate: np.ndarray  # looks legacy (legacy_candidates): only these rows can be decided by context


def _clean_column(series: pd.Series) -> _Cleaned:
    """Clean every distinct value once and spread the results back to the rows of ``series``.

    Values that are clean already (see ``_SAFE``) are recognised by vectorised matching and kept as they are;
    only the others, and legacy candidates, are cleaned in Python. A column of clean ASCII text (ID numbers,
    Excel dates) is returned as it is, without even looking for its distinct values.
    """
    values = _arrow(series)
    no_text = _string_series(pa.nulls(len(values), values.type), series.index)
    if _all_ascii(values) and _safe(values, missing=True).all():
        none = np.zeros(len(values), bool)
        return _Cleaned(_string_series(values, series.index), no_text, none, *_broken(values), none)
    distinct, codes = _encode(values)
    dirty = ~_safe(distinct)
    candidate = np.zeros(len(distinct), dtype=bool)
    if not _all_ascii(distinct):  # legacy text has characters 0x80-0xFF
        candidate = legacy_candidates(_string_series(distinct, pd.RangeIndex(len(distinct)))).to_numpy(dtype=bool)
        dirty |= candidate
    encoding, hidden = no_text, np.zeros(len(values), dtype=bool)
    if dirty.any():
        at = np.flatnonzero(dirty)
        written = distinct.take(pa.array(at)).to_pylist()
        cleaned_at, encoding_at = _clean_dirty(written, candidate[at])
        distinct = pc.replace_with_mask(distinct, pa.array(dirty), pa.array(cleaned_at, type=distinct.type))
        values = distinct.take(pa.array(codes, mask=codes < 0))
        hidden_at = np.zeros(len(distinct), dtype=bool)
        hidden_at[at] = [_INVISIBLE_RE.search(v) is not None for v in written]
        hidden = _spread(hidden_at, codes, False)
        if any(e is not None for e in encoding_at):
            per_value = np.full(len(distinct), None, dtype=object)
            per_value[at] = encoding_at
            encoding = pd.Series(_spread(per_value, codes, None), index=series.index, dtype="string")
    error, formula = (_spread(mask, codes, False) for mask in _broken(distinct))
    candidate_rows = _spread(candidate, codes, False)
    return _Cleaned(_string_series(values, series.index), encoding, hidden, error, formula, candidate_rows)


def _all_ascii(text: Any) -> bool:
    return pc.all(pc.string_is_ascii(text)).as_py() is not False  # None: no value at all


def _safe(text: Any, *, missing: bool = False) -> np.ndarray:
    """Which values cleaning would leave as they are (``_SAFE``); cheaper tests for ASCII text."""
    if not _all_ascii(text):
        return _mask(pc.match_substring_regex(text, _SAFE), missing)
    spaced = pc.or_(pc.match_substring(text, "  "), pc.or_(pc.starts_with(text, " "), pc.ends_with(text, " ")))
    safe = pc.and_(pc.and_(pc.ascii_is_printable(text), pc.invert(spaced)), pc.greater(pc.binary_length(text), 0))
    return _mask(safe, missing)


def _broken(text: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(error, formula)``: which values are an Excel error ("#REF!") or a formula saved without its value."""
    formula = _mask(pc.starts_with(text, "="))
    error = _mask(pc.starts_with(text, "#"))
    if error.any():
        error = _mask(pc.match_substring_regex(text, f"^{_EXCEL_ERROR}$"))
    return error, formula


def clean_text(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """NFC, invisible and control characters removed, spaces collapsed, legacy TCVN3/VNI converted.

    Each distinct value is cleaned once, so the cost follows the variety of the column, not its length.

    Returns:
        ``(cleaned, encoding)`` where ``encoding`` names the legacy encoding converted (NA elsewhere).
    """
    cleaned, encoding, *_ = _clean_column(series)
    return cleaned.rename("cleaned"), encoding.rename("encoding")


def parse_dates(series: pd.Series, *, pivot: int = 30) -> pd.DataFrame:
    """Parse dates written as Excel dates, serials or day-first text; keep the precision.

    Accepts "1985-03-05 00:00:00" (a real Excel date read as text), "05/03/1985", "5/3/1985", "05.03.1985",
    "05-03-1985", "5/3/85" (two-digit years below ``pivot`` are 20xx), "03/1985" (month precision),
    "1985" (year precision) and five-digit Excel serials. Day-first always.

    Returns:
        A frame with ``date`` (datetime64, NaT when missing or invalid), ``precision`` ("day", "month",
        "year" or NA) and ``invalid`` (text present but not a real date, e.g. "31/02/1985").
    """
    distinct, codes = _encode(_arrow(series))
    day = np.full(len(distinct), np.datetime64("NaT", "us"))
    precision = np.full(len(distinct), None, dtype=object)
    invalid = np.zeros(len(distinct), dtype=bool)
    quick = _quick_dates(distinct, pivot)
    day[quick.found], precision[quick.found] = quick.days, quick.precision
    rest = np.flatnonzero(~quick.found)
    if len(rest):
        parsed = _parse_unique(distinct.take(pa.array(rest)), pivot)
        day[rest] = parsed["date"].to_numpy()
        precision[rest] = parsed["precision"].to_numpy(dtype=object)
        invalid[rest] = parsed["invalid"].to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "date": _spread(day, codes, np.datetime64("NaT", "us")),
            "precision": _string_series(
                _arrow(pd.Series(precision, dtype="string")).take(pa.array(codes, mask=codes < 0)), series.index
            ),
            "invalid": _spread(invalid, codes, False),
        },
        index=series.index,
    )


class _Quick(NamedTuple):
    found: np.ndarray  # per distinct value: parsed here
    days: np.ndarray  # the dates of the values found (datetime64[us])
    precision: np.ndarray  # and their precision


def _quick_dates(distinct: Any, pivot: int) -> _Quick:
    """Parse the well-formed dates in Arrow and NumPy, with the result :func:`_parse_unique` would give.

    Real Excel dates ("1985-03-05 00:00:00", most values) are sliced; the other forms are read by one regex.
    Left to :func:`_parse_unique`: other forms, years outside ``_FAST_YEARS``, days that do not exist, and
    text on which RE2 and Python's re could differ (non-ASCII digits, line breaks).
    """
    ymd = np.full((3, len(distinct)), np.nan)
    level = np.full(len(distinct), "day", dtype=object)
    excel = _mask(pc.match_substring_regex(distinct, _EXCEL_DATE))
    if excel.any():
        text = distinct.filter(pa.array(excel))
        for row, (start, stop) in enumerate(((0, 4), (5, 7), (8, 10))):
            ymd[row, excel] = _numbers(pc.utf8_slice_codeunits(text, start, stop))
    other = ~excel & _mask(pc.string_is_ascii(distinct)) & ~_mask(pc.match_substring(distinct, "\n"))
    if other.any():
        rows = np.flatnonzero(other)
        fields = iter(pc.extract_regex(distinct.filter(pa.array(other)), _DATE_FORMS_RE2).flatten())
        for _, order, form_level in _DATE_FORMS:
            numbers = [_numbers(next(fields)) for _ in order]
            hit = ~np.isnan(numbers[0])
            for letter, number in zip(order, numbers, strict=True):
                ymd["ymd".index(letter), rows[hit]] = number[hit]
            level[rows[hit]] = form_level
    year, month, day = ymd
    year = np.where(year < 100, year + np.where(year < pivot, 2000, 1900), year)  # 5/3/85: 1985
    known = ~np.isnan(year)
    month, day = np.where(known & np.isnan(month), 1, month), np.where(known & np.isnan(day), 1, day)
    found, days = _valid_days(year, month, day)
    return _Quick(found, days[found], level[found])


def _numbers(text: Any) -> np.ndarray:
    """Arrow strings of ASCII digits as floats; NaN for missing or empty ones."""
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)
    numbers: np.ndarray = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    return numbers


def _valid_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(ok, days)``: which year/month/day triples are real dates within ``_FAST_YEARS``, and the dates."""
    with np.errstate(invalid="ignore"):
        ok = (year >= _FAST_YEARS[0]) & (year <= _FAST_YEARS[1]) & (month >= 1) & (month <= 12) & (day >= 1)
    first = (np.where(ok, year, 1970).astype("int64") - 1970).astype("datetime64[Y]").astype("datetime64[M]")
    first = first + (np.where(ok, month, 1).astype("int64") - 1)
    days = first.astype("datetime64[D]") + (np.where(ok, day, 1).astype("int64") - 1)
    ok &= days.astype("datetime64[M]") == first  # 31/02 runs into March: no such day
    return ok, days.astype("datetime64[us]")


def _parse_unique(values: Any, pivot: int) -> pd.DataFrame:
    text = _string_series(values, pd.RangeIndex(len(values))).str.strip()
    parts = pd.DataFrame({"y": np.nan, "m": np.nan, "d": np.nan}, index=text.index)
    precision = pd.Series(pd.NA, index=text.index, dtype="string")
    # Real Excel dates (read as "1985-03-05 00:00:00") are most values: one C-level parse takes them all.
    excel = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce").where(
        text.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?: 00:00:00)?", na=False)
    )
    found_excel = excel.notna()
    parts.loc[found_excel, "y"] = excel[found_excel].dt.year
    parts.loc[found_excel, "m"] = excel[found_excel].dt.month
    parts.loc[found_excel, "d"] = excel[found_excel].dt.day
    precision[found_excel] = "day"
    for pattern, order, level in _DATE_FORMS:
        rest = precision.isna()
        if not rest.any():
            break
        found = _extract(text[rest], pattern).reindex(text.index)
        hit = found.notna().all(axis=1) & rest
        for i, letter in enumerate(order):
            parts.loc[hit, letter] = found.loc[hit, i]
        precision[hit] = level
    two_digit = parts["y"] < 100
    parts.loc[two_digit, "y"] += np.where(parts.loc[two_digit, "y"] < pivot, 2000, 1900)
    parts["m"] = parts["m"].fillna(1)
    parts["d"] = parts["d"].fillna(1)
    dates = pd.to_datetime(pd.DataFrame({"year": parts["y"], "month": parts["m"], "day": parts["d"]}), errors="coerce")
    serial = _extract(text, _SERIAL)[0] if precision.isna().any() else pd.Series(np.nan, index=text.index)
    use_serial = serial.notna() & precision.isna() & (serial != _EXCEL_FAKE_LEAP_DAY) & (serial <= _EXCEL_MAX_SERIAL)
    if use_serial.any():
        days = serial[use_serial].astype("int64").to_numpy().astype("timedelta64[D]")
        dates[use_serial] = pd.to_datetime(_EXCEL_EPOCH + days)
        precision[use_serial] = "day"
    dates = dates.astype("datetime64[us]")
    precision = precision.mask(dates.isna())
    invalid = dates.isna() & text.notna()
    return pd.DataFrame({"date": dates, "precision": precision, "invalid": invalid})


def _extract(text: pd.Series, pattern: str) -> pd.DataFrame:
    """``text.str.extract(pattern).astype("float64")`` for patterns of digit groups, in Arrow where it can.

    pandas runs ``str.extract`` in Python, value by value. RE2 (Arrow) and Python's re agree on these patterns
    for ASCII text without a line break (RE2's \\d is ASCII only; Python's $ also matches before a final
    newline), so only other values, rare, are left to pandas.
    """
    values = _arrow(text)
    python = _mask(pc.invert(pc.string_is_ascii(values))) | _mask(pc.match_substring(values, "\n"))
    fields = pc.extract_regex(values, f"^{_named_groups(pattern, 'g')}$").flatten()
    found = pd.DataFrame(
        {i: pc.cast(field, pa.float64()).to_numpy(zero_copy_only=False) for i, field in enumerate(fields)},
        index=text.index,
    )
    if python.any():
        found[python] = text[python].str.extract(pattern).astype("float64")
    return found


def code_lookup(codes: CodeList) -> dict[str, str]:
    """Name key of every value and alias -> the canonical value."""
    lookup = {name_key(alias): value for alias, value in codes.aliases.items()}
    lookup.update({name_key(value): value for value in codes.values})
    return lookup


def map_codes(series: pd.Series, codes: CodeList) -> pd.Series:
    """Map values through the code list's aliases ("Khơ-me" -> "Khmer"); unknown values stay as written."""
    lookup = code_lookup(codes)
    distinct, at = _encode(_arrow(series))
    written = distinct.to_pylist()
    mapped = [lookup.get(name_key(v), v) for v in written]
    if mapped == written:  # the usual case: every value canonical already, nothing to spread back
        return _string_series(_arrow(series), series.index)
    return _string_series(pa.array(mapped, type=distinct.type).take(pa.array(at, mask=at < 0)), series.index)


def recover_education(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Recover "12/12"-style education levels that Excel turned into dates ("2020-12-12 00:00:00").

    Returns:
        ``(values, recovered)``: the corrected values and a mask of the rows changed.
    """
    values = series.astype("string")
    recovered = np.zeros(len(values), dtype=bool)
    text = _arrow(values)
    # A cheap pre-filter; Python's re (behind str.extract) also takes non-ASCII digits and a final newline.
    rows = np.flatnonzero(
        _mask(pc.match_substring_regex(text, _EXCEL_DATE))
        | ~_mask(pc.string_is_ascii(text))
        | _mask(pc.match_substring(text, "\n"))
    )
    if len(rows):
        found = values.iloc[rows].str.extract(r"^\d{4}-(\d{2})-(\d{2})(?: 00:00:00)?$").astype("float64")
        low, high = found.min(axis=1), found.max(axis=1)
        hit = (found.notna().all(axis=1) & (high <= 12) & (low >= 1)).to_numpy()
        recovered[rows[hit]] = True
        if hit.any():
            level = low[hit].astype("int64").astype("string") + "/" + high[hit].astype("int64").astype("string")
            values = _replace_rows(values, rows[hit], level)
    return values, pd.Series(recovered, index=series.index)


def _normalise_ids(series: pd.Series) -> pd.Series:
    """Digits as text: spaces and dots removed; a trailing ".0" from a numeric cell dropped."""
    text = series.astype("string")
    written = np.flatnonzero(~_mask(pc.ascii_is_decimal(_arrow(text))) & text.notna().to_numpy())
    if len(written):  # only values that are not plain digits already need the (Python-level) regexes
        rest = text.iloc[written].str.replace(r"\.0+$", "", regex=True).str.replace(r"[\s.\-]", "", regex=True)
        text = _replace_rows(text, written, rest)
    return text


def _replace_rows(text: pd.Series, rows: np.ndarray, new: pd.Series) -> pd.Series:
    """``text`` (pandas "string") with the values at positions ``rows`` replaced by those of ``new``, in order."""
    replaced = np.zeros(len(text), dtype=bool)
    replaced[rows] = True
    return _string_series(pc.replace_with_mask(_arrow(text), pa.array(replaced), _arrow(new)), text.index)


def _legacy_by_context(
    raw: pd.DataFrame, columns: list[str], results: list[_Cleaned], spec: RosterSpec
) -> list[_Cleaned]:
    """Short legacy words that alone read both ways ("Khoâng": VNI "Không", TCVN3 "Khoõng"), decided by the
    sheet they are in (the legacy encoding found in its other values) or else by the field's code list.

    Only values that look legacy (a character 0x80-0xFF, no Unicode Vietnamese letter) and were left as they
    are get here, so the Python work follows their number.
    """
    found = [r.encoding.notna().to_numpy() for r in results]
    if not any(f.any() for f in found) and not any(spec.fields.get(c) and spec.fields[c].codes for c in columns):
        return results
    source = raw["source"].to_numpy()
    per_source: dict[int, set[str]] = {}
    for result, hit in zip(results, found, strict=True):
        if hit.any():
            for src, enc in set(zip(source[hit].tolist(), result.encoding[hit].tolist(), strict=True)):
                per_source.setdefault(int(src), set()).add(str(enc))
    out = []
    block: np.ndarray | None = None  # the block (sheet and cell) of every row, made when a column needs it
    for column, result in zip(columns, results, strict=True):
        fs = spec.fields.get(column)
        codes = spec.codes.get(fs.codes or "") if fs is not None else None
        lookup = code_lookup(codes) if codes is not None else {}
        candidate = result.candidate & result.encoding.isna().to_numpy()
        if not candidate.any() or not (per_source or lookup):
            out.append(result)
            continue
        # per distinct value first: most candidates ("Không") read as Unicode Vietnamese and drop out here,
        # unless the column of their sheet is written in one legacy encoding throughout ("Vò": TCVN3 "Vũ")
        at = np.flatnonzero(candidate)
        positions, uniques = pd.factorize(raw[column].iloc[at])
        readable = np.array([bool(decodings(str(u))) for u in uniques] + [False], dtype=bool)
        undecided = at[~readable[positions]]
        if not lookup and len(undecided) and block is None:
            block = _blocks(raw)
        legacy_column = _legacy_columns(raw[column], result, block, undecided) if block is not None else {}
        in_legacy_column = np.isin(block[at], list(legacy_column)) if legacy_column and block is not None else False
        at = at[readable[positions] | in_legacy_column]
        if not len(at):
            out.append(result)
            continue
        cache: dict[tuple[str, int, int], tuple[str, str | None]] = {}
        rows: list[int] = []
        values: list[str] = []
        encodings: list[str] = []
        blocks = block[at].tolist() if legacy_column and block is not None else [-1] * len(at)
        for pos, written, src, blk in zip(
            at.tolist(), raw[column].iloc[at].astype("string").tolist(), source[at].tolist(), blocks, strict=True
        ):
            key = (str(written), int(src), int(blk))
            if key not in cache:
                cache[key] = _decide_legacy(key[0], per_source.get(key[1], set()), lookup)
                if cache[key][1] is None and blk in legacy_column:
                    cache[key] = fix_by_column(key[0], legacy_column[blk])
            value, enc = cache[key]
            if enc is not None:
                rows.append(pos)
                values.append(value)
                encodings.append(enc)
        if not rows:
            out.append(result)
            continue
        # replaced all at once: one value at a time into an Arrow-backed Series copies the column every time
        taken = np.array(rows)
        cleaned = _replace_rows(result.cleaned, taken, pd.Series(values, dtype="string[pyarrow]"))
        encoding = _replace_rows(result.encoding, taken, pd.Series(encodings, dtype="string[pyarrow]"))
        out.append(result._replace(cleaned=cleaned, encoding=encoding))
    return out


def _blocks(raw: pd.DataFrame) -> np.ndarray:
    """Per row, a number for its run of rows of one sheet and one cell (chi bộ): the rows a legacy encoding is
    judged in, since a cell's block is often pasted from an older file into a sheet that is otherwise Unicode.
    Rows come in sheet order, so a block starts wherever the sheet or the cell changes (Arrow, no Python loop)."""
    source = raw["source"].to_numpy()
    cell = pc.fill_null(_arrow(raw["cell"].astype("string")), "")
    starts = np.zeros(len(source), dtype=bool)
    if len(source) > 1:
        other_cell = _mask(pc.not_equal(cell.slice(1), cell.slice(0, len(source) - 1)))
        starts[1:] = other_cell | (source[1:] != source[:-1])
    return np.cumsum(starts)


def _legacy_columns(written: pd.Series, result: _Cleaned, block: np.ndarray, undecided: np.ndarray) -> dict[int, str]:
    """The blocks (one cell of one sheet) where this column is in one legacy encoding throughout: values converted
    from exactly one encoding, none with a letter only Unicode has (legacy text cannot hold one), and more
    converted values than ``undecided`` ones (those that also read as Unicode), so a Unicode column with one
    pasted legacy value ("Kh«ng" among "Không") is never read again as legacy."""
    converted = result.encoding.notna().to_numpy()
    if not converted.any():
        return {}
    found: dict[int, set[str]] = {}
    for blk, enc in set(zip(block[converted].tolist(), result.encoding[converted].tolist(), strict=True)):
        found.setdefault(int(blk), set()).add(str(enc))
    unicode_rows = _mask(has_unicode_vietnamese(_arrow(written)))
    unicode_blocks = set(np.unique(block[unicode_rows]).tolist()) if unicode_rows.any() else set()
    width = int(block.max()) + 1
    many = np.bincount(block[converted], minlength=width) > np.bincount(block[undecided], minlength=width)
    return {
        blk: next(iter(encs))
        for blk, encs in found.items()
        if len(encs) == 1 and blk not in unicode_blocks and many[blk]
    }


def _decide_legacy(value: str, sheet_encodings: set[str], lookup: dict[str, str]) -> tuple[str, str | None]:
    if sheet_encodings:
        fixed, enc = fix_by_context(value, sheet_encodings)
        if enc is not None:
            return fixed, enc
    if lookup:  # a code list is a dictionary of the short words a column holds
        fits = [(enc, text) for enc, text in decodings(value) if name_key(text) in lookup]
        if len(fits) == 1:
            return fits[0][1], fits[0][0]
    return value, None


def _split_birth(
    raw: pd.DataFrame, frame: pd.DataFrame, sources: list[SheetSource], field: str, spec: RosterSpec
) -> list[Issue]:
    male_col, female_col = f"{field}__male", f"{field}__female"
    if male_col not in raw and female_col not in raw:
        return []
    none = _string_series(pa.nulls(len(frame), pa.large_string()), frame.index)
    male = frame.pop(male_col) if male_col in frame else none
    female = frame.pop(female_col) if female_col in frame else none
    has_m, has_f = male.notna().to_numpy(), female.notna().to_numpy()
    both = pd.Series(has_m & has_f, index=frame.index)
    own = frame.get(field, none)
    frame[field] = _string_series(pc.coalesce(_arrow(own), _arrow(male), _arrow(female)), frame.index)
    only_m, only_f = pa.array(has_m & ~has_f), pa.array(has_f & ~has_m)
    male_code, female_code = (pa.scalar(code, pa.large_string()) for code in spec.codes["sex"].values[:2])
    sex = pc.if_else(only_m, male_code, pc.if_else(only_f, female_code, pa.scalar(None, pa.large_string())))
    split_sex = _string_series(sex, frame.index)
    if "sex" in frame:
        frame["sex"] = _string_series(pc.coalesce(_arrow(frame["sex"]), _arrow(split_sex)), frame.index)
    else:
        frame["sex"] = split_sex
    for src in np.unique(frame["source"].to_numpy()[has_m | has_f]):
        sheet = sources[int(src)]
        for part, sex in ((male_col, "male"), (female_col, "female")):
            if part in sheet.columns and field not in sheet.columns:
                sheet.columns.setdefault(f"{field}_{sex}", sheet.columns[part])
    # Per row, the column the value came from: Nam or Nữ in a sheet that splits them, the sheet's own column in
    # the others (files of one run may be laid out differently).
    source = pa.array(frame["source"].to_numpy())
    letters_m, letters_f = _letters(sources, male_col).take(source), _letters(sources, female_col).take(source)
    own_letters = _letters(sources, field).take(source)
    split_letters = pc.if_else(
        pa.array(has_m), letters_m, pc.if_else(pa.array(has_f), letters_f, pc.coalesce(letters_m, letters_f))
    )
    frame[f"{field}_col"] = _string_series(pc.coalesce(own_letters, split_letters), frame.index)
    own_sex = _letters(sources, "sex").take(source)
    split_sex_letters = pc.if_else(only_m, letters_m, pc.if_else(only_f, letters_f, pc.coalesce(letters_f, letters_m)))
    frame["sex_col"] = _string_series(pc.coalesce(own_sex, split_sex_letters), frame.index)
    _fill_split_raw(raw, field)
    params = pd.DataFrame({"male": male}, index=frame.index)
    return issues_at(frame, sources, both, "sex-conflict", "sex", values=female, params=params)


def _fill_split_raw(raw: pd.DataFrame, field: str) -> None:
    """The as-read value of a field split into Nam and Nữ columns, from whichever of them holds it."""
    for name in (f"{field}__male", f"{field}__female"):
        if name in raw:
            raw[field] = raw[field].fillna(raw[name]) if field in raw else raw[name]


def _sex_marks(raw: pd.DataFrame, frame: pd.DataFrame, sources: list[SheetSource], spec: RosterSpec) -> list[Issue]:
    """ "Giới tính" over "Nam | Nữ" sub-columns marked "x": the sex is the marked one, at its column."""
    if "sex__male" not in frame and "sex__female" not in frame:
        return []
    none = _string_series(pa.nulls(len(frame), pa.large_string()), frame.index)
    male = frame.pop("sex__male") if "sex__male" in frame else none
    female = frame.pop("sex__female") if "sex__female" in frame else none
    has_m, has_f = male.notna().to_numpy(), female.notna().to_numpy()
    male_code, female_code = spec.codes["sex"].values[:2]
    only_m, only_f = pa.array(has_m & ~has_f), pa.array(has_f & ~has_m)
    codes = [pa.scalar(code, pa.large_string()) for code in (male_code, female_code)]
    none_code = pa.scalar(None, pa.large_string())
    marked = _string_series(pc.if_else(only_m, codes[0], pc.if_else(only_f, codes[1], none_code)), frame.index)
    frame["sex"] = frame["sex"].fillna(marked) if "sex" in frame else marked
    source = pa.array(frame["source"].to_numpy())
    letters_m, letters_f = _letters(sources, "sex__male").take(source), _letters(sources, "sex__female").take(source)
    own = _letters(sources, "sex").take(source)
    split = pc.if_else(pa.array(has_m & ~has_f), letters_m, pc.coalesce(letters_f, letters_m))
    frame["sex_col"] = _string_series(pc.coalesce(own, split), frame.index)
    for src in np.unique(frame["source"].to_numpy()[has_m | has_f]):
        sheet = sources[int(src)]
        if "sex__male" in sheet.columns and "sex" not in sheet.columns:
            sheet.columns.setdefault("sex", sheet.columns["sex__male"])
    both = pd.Series(has_m & has_f, index=frame.index)
    params = pd.DataFrame({"male": male}, index=frame.index)
    return issues_at(frame, sources, both, "sex-conflict", "sex", values=female, params=params)


def _letters(sources: list[SheetSource], field: str) -> Any:
    """The column letter of ``field`` in each source (None where it has none), to take by ``source``."""
    return pa.array([s.columns[field].letter if field in s.columns else None for s in sources], pa.large_string())


def _record_cells_without_value(
    frame: pd.DataFrame,
    written: pd.Series,
    sources: list[SheetSource],
    column: str,
    error_rows: pd.Series,
    formula_rows: pd.Series,
) -> list[Issue]:
    """One warning per sheet and kind for a column that only completes the record (``use: record``, e.g. STT)
    whose cells hold Excel errors or formulas saved without a value: no count or rule reads it, so a column of
    ``=ROW()-4`` never calculated is one thing to fix, not one error per member. Located at the first such
    cell, with how many and the rows they span; the member is named when there is only one."""
    from dangvien_data.issues import Issue, Severity

    issues = []
    source_of = frame["source"].to_numpy()
    row_of = frame["row"].to_numpy()

    def text_at(series: pd.Series | None, i: int) -> str | None:
        value: Any = None if series is None else series.iloc[i]
        return None if value is None or pd.isna(value) else str(value)

    for mask, kind in ((error_rows, "error"), (formula_rows, "formula")):
        at = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
        for src in np.unique(source_of[at]).tolist():
            here = at[source_of[at] == src]
            head = int(here[np.argmin(row_of[here])])  # the first such cell of this sheet
            source = sources[int(src)]
            place = source.columns.get(column)
            letter = place.letter if place is not None else "A"
            first, last, count = int(row_of[here].min()), int(row_of[here].max()), len(here)
            one = count == 1
            issues.append(
                Issue(
                    "record-cells-without-value",
                    Severity.WARNING,
                    file=source.file,
                    sheet=source.sheet,
                    ref=f"{letter}{first}",
                    row=first,
                    column=place.header if place is not None else None,
                    field=column,
                    value=text_at(written, head),
                    member=text_at(frame.get("full_name"), head) if one else None,
                    cell=text_at(frame["cell"], head) if one else None,
                    params={
                        "count": count,  # thousands grouped per language when the message is made
                        "span": f"{letter}{first}" if first == last else f"{letter}{first}:{letter}{last}",
                        "kind_vi": "lỗi Excel" if kind == "error" else "công thức chưa được tính",
                        "kind_en": "Excel errors" if kind == "error" else "formulas saved without a value",
                    },
                )
            )
    return issues


def _cells_of_organisations(
    cell: pd.Series, source: np.ndarray, row: np.ndarray, sources: list[SheetSource]
) -> tuple[pd.Series, list[Issue]]:
    """The cell names, each named with its organisation where files of two organisations hold a cell of the
    same name (every district has a "Chi bộ Đội Tổng hợp"): a province's folder of district rosters is then
    checked and counted cell by cell, not as one cell with several secretaries. One
    ``cell-in-two-organisations`` note per such name.

    The organisation is the heading's top-left lines (:func:`~dangvien_data.roster.heading.organisation_lines`);
    a cell whose files are headed alike, or any of them not at all, stays one cell (one cell in two files).
    """
    if len({s.file for s in sources}) < 2:
        return cell, []
    from dangvien_data.roster.heading import organisation_lines

    codes, names = pd.factorize(cell)
    if not len(names):
        return cell, []
    # the (cell, sheet) runs: a sheet's cells come in runs, so this is short however many members there are
    change = np.flatnonzero((np.diff(codes) != 0) | (np.diff(source) != 0)) + 1
    starts = np.concatenate(([0], change))
    lines = [organisation_lines(s.heading) for s in sources]
    keys = [" / ".join(strip_accents(x).casefold() for x in own) for own in lines]
    seen: dict[int, dict[str, int]] = {}  # cell code -> organisation key -> first row position
    files: dict[int, set[str]] = {}
    for at in starts.tolist():
        code, src = int(codes[at]), int(source[at])
        if code < 0:
            continue
        seen.setdefault(code, {}).setdefault(keys[src], at)
        files.setdefault(code, set()).add(sources[src].file)
    shared = [c for c, orgs in seen.items() if len(files[c]) > 1 and len(orgs) > 1 and "" not in orgs]
    if not shared:
        return cell, []
    qualified = [own[-1] if own else "" for own in lines]  # the organisation's own line, as it is written
    out = cell.astype(object)
    at = np.flatnonzero(np.isin(codes, shared))
    pairs = zip(codes[at].tolist(), source[at].tolist(), strict=True)
    out.iloc[at] = [f"{names[c]} ({qualified[s]})" for c, s in pairs]
    out = out.astype("string")
    issues: list[Issue] = []
    for code in shared:
        first = sorted(seen[code].values())
        head = first[1]  # the first row of the second organisation's cell of that name
        sheet = sources[int(source[head])]
        place = sheet.columns.get("cell")
        organisations = [qualified[int(source[p])] for p in first]
        issues.append(
            Issue(
                "cell-in-two-organisations",
                Severity.INFO,
                file=sheet.file,
                sheet=sheet.sheet,
                ref=f"{place.letter if place is not None else 'A'}{int(row[head])}",
                row=int(row[head]),
                column=place.header if place is not None else None,
                field="cell",
                value=str(names[code]),
                cell=str(out.iloc[head]),
                params={"cell": str(names[code]), "count": len(first), "organisations": "; ".join(organisations)},
            )
        )
    return out, issues


# Members normalised at a time in a run over many sheets, whole sheets only (the legacy-text and record-column
# rules look at a sheet's rows together): cleaning makes several copies of a column on two threads, and in
# batches they are those of one batch, whose freed memory the next reuses (benchmarks/README.md: 5.6M members
# in 63 files). One sheet of any size is one batch.
BATCH_ROWS = 500_000


def normalise(raw: pd.DataFrame, spec: RosterSpec, sources: list[SheetSource]) -> tuple[pd.DataFrame, list[Issue]]:
    """Canonical values for every field of ``raw`` (as read), with an issue for every repair made.

    Returns:
        ``(frame, issues)``: the member frame of :class:`~dangvien_data.roster.model.Roster` (same index as
        ``raw``) and the issues.
    """
    source = raw["source"].to_numpy()
    cell, issues = _cells_of_organisations(raw["cell"].astype("string"), source, raw["row"].to_numpy(), sources)
    bounds = _batches(source, BATCH_ROWS)
    if len(bounds) == 1:
        frame, found = _normalise_rows(raw, cell, spec, sources)
        return frame, issues + found
    frames = []
    for start, stop in bounds:
        part, found = _normalise_rows(raw.iloc[start:stop], cell.iloc[start:stop], spec, sources)
        frames.append(part)
        issues += found
    for field in spec.fields.values():  # what each batch did to its slice of the as-read values, on the whole
        if field.split_by_sex:
            _fill_split_raw(raw, field.name)
    return pd.concat(frames), issues


def _batches(source: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Row ranges of whole sheets (``source`` runs), each of at least ``size`` rows but the last."""
    if len(source) <= size:
        return [(0, len(source))]
    bounds, start = [], 0
    for at in (np.flatnonzero(np.diff(source) != 0) + 1).tolist():
        if at - start >= size:
            bounds.append((start, at))
            start = at
    bounds.append((start, len(source)))
    return bounds


def _normalise_rows(
    raw: pd.DataFrame, cell: pd.Series, spec: RosterSpec, sources: list[SheetSource]
) -> tuple[pd.DataFrame, list[Issue]]:
    """:func:`normalise` of whole sheets' rows, their cell names given."""
    frame = raw[["source", "file", "sheet", "row"]].copy()
    frame["cell"] = cell
    issues: list[Issue] = []
    value_columns = [c for c in raw.columns if c not in frame.columns]
    broken: dict[str, tuple[pd.Series, pd.Series]] = {}
    # Columns are cleaned on two threads: the work is mostly Arrow kernels, which release the GIL
    # (500k members: 0.46 -> 0.32 s wall, measured); the issues are then made in column order.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="dangvien-clean") as pool:
        results = list(pool.map(_clean_column, (raw[column] for column in value_columns)))
    results = _legacy_by_context(raw, value_columns, results, spec)
    for column, (cleaned, encoding, hidden, error, formula, _) in zip(value_columns, results, strict=True):
        # An Excel error ("#REF!") or a formula saved without its value is no value at all.
        if error.any() or formula.any():
            broken[column] = (pd.Series(error, index=raw.index), pd.Series(formula, index=raw.index))
            cleaned = cleaned.mask(error | formula)
        frame[column] = cleaned
        if hidden.any():  # zero-width, right-to-left and control characters: removed, never silently
            has_hidden = pd.Series(hidden, index=raw.index) & encoding.isna() & cleaned.notna()
            found = raw.loc[has_hidden, column].astype("string").str.findall(_INVISIBLE)
            chars = found.map(lambda hits: ", ".join(sorted({f"U+{ord(c):04X}" for c in hits})))
            params = pd.DataFrame({"chars": chars, "converted": cleaned}, index=raw.index)
            issues += issues_at(
                frame, sources, has_hidden, "invisible-characters-removed", column, values=cleaned, params=params
            )
        converted = encoding.notna()
        if converted.any():
            params = pd.DataFrame({"encoding": encoding.str.upper(), "converted": cleaned}, index=raw.index)
            issues += issues_at(
                frame, sources, converted, "legacy-encoding-converted", column, values=raw[column], params=params
            )
    for column, (error_rows, formula_rows) in broken.items():
        field = spec.fields.get(column.split("__")[0])
        if field is not None and field.use == "record":
            issues += _record_cells_without_value(frame, raw[column], sources, column, error_rows, formula_rows)
            continue
        issues += issues_at(frame, sources, error_rows, "excel-error-value", column, values=raw[column])
        issues += issues_at(frame, sources, formula_rows, "formula-without-value", column, values=raw[column])
    for field in spec.fields.values():
        if field.split_by_sex:
            issues += _split_birth(raw, frame, sources, field.name, spec)
    issues += _sex_marks(raw, frame, sources, spec)
    two_digit: dict[str, np.ndarray] = {}
    for field in spec.fields.values():
        if field.name not in frame:
            continue
        if field.type == "date":
            two_digit[field.name] = _mask(pc.match_substring_regex(_arrow(frame[field.name]), _TWO_DIGIT_YEAR))
        if field.name == "education":
            values, recovered = recover_education(frame[field.name])
            if recovered.any():
                params = pd.DataFrame({"converted": values}, index=frame.index)
                issues += issues_at(
                    frame,
                    sources,
                    recovered,
                    "education-date-recovered",
                    field.name,
                    values=frame[field.name],
                    params=params,
                )
            frame[field.name] = values
        if field.type == "date":
            parsed = parse_dates(frame[field.name], pivot=int(spec.rules.get("two_digit_year_pivot", 30)))
            frame[field.name] = parsed["date"].astype("datetime64[us]")
            frame[f"{field.name}_precision"] = parsed["precision"].astype("string")
            frame[f"{field.name}_invalid"] = parsed["invalid"].astype("bool")
        elif field.type == "code" and field.codes:
            frame[field.name] = map_codes(frame[field.name], spec.codes[field.codes])
        elif field.type == "id":
            frame[field.name] = _normalise_ids(frame[field.name])
    issues += _two_digit_years(frame, raw, sources, two_digit)
    return frame, issues


_TWO_DIGIT_YEAR = rf"^\d{{1,2}}{SPACE_CLASS}*[./-]{SPACE_CLASS}*\d{{1,2}}{SPACE_CLASS}*[./-]{SPACE_CLASS}*\d{{2}}$"
_ADULT = pd.DateOffset(years=18)
_CENTURY = pd.DateOffset(years=100)


def _century(day: pd.Timestamp, anchor: pd.Timestamp, *, before: bool) -> pd.Timestamp:
    """``day`` moved by a century if that makes it agree with ``anchor``: as a birth date (``before``) the latest
    one at least 18 years before admission, as an admission date the earliest at least 18 years after birth."""
    if pd.isna(anchor):
        return day
    options = [day - _CENTURY, day, day + _CENTURY]
    if before:
        fits = [d for d in options if d + _ADULT <= anchor]
        return max(fits) if fits else day
    fits = [d for d in options if d >= anchor + _ADULT]
    return min(fits) if fits else day


def _two_digit_years(
    frame: pd.DataFrame, raw: pd.DataFrame, sources: list[SheetSource], two_digit: dict[str, np.ndarray]
) -> list[Issue]:
    """A two-digit year takes the century that makes the member's dates agree: born 18+ years before admission,
    admitted after that; an info issue gives the date chosen. Only those rows are looked at."""
    issues: list[Issue] = []
    for name, other, before in (("birth_date", "admitted_on", True), ("admitted_on", "birth_date", False)):
        if name not in two_digit or not two_digit[name].any():
            continue
        rows = np.flatnonzero(two_digit[name] & frame[name].notna().to_numpy())
        if not len(rows):
            continue
        values = frame[name].to_numpy(dtype="datetime64[us]").copy()
        nat = np.full(len(frame), np.datetime64("NaT", "us"))
        anchors = frame[other].to_numpy(dtype="datetime64[us]") if other in frame else nat
        for at in rows.tolist():
            day = _century(pd.Timestamp(values[at]), pd.Timestamp(anchors[at]), before=before)
            values[at] = day.to_datetime64().astype("datetime64[us]")
        frame[name] = pd.Series(values, index=frame.index)
        mask = pd.Series(False, index=frame.index)
        mask.iloc[rows] = True
        shown = frame[name].dt.strftime("%d/%m/%Y")
        params = pd.DataFrame({"converted": shown}, index=frame.index)
        issues += issues_at(frame, sources, mask, "two-digit-year", name, values=raw.get(name), params=params)
    return issues
