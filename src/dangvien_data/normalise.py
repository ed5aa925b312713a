"""Turn text as read into canonical values: clean text, dates with precision, codes, ID numbers.

Everything is whole-column work. Where a value needs Python-level parsing it is done once per *distinct*
value (``pd.factorize``) and mapped back, so the cost follows the variety of the data, not its size.
Every repair (legacy text converted, an education level recovered from a date) is reported as an ``info``
issue; nothing is changed silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .issues import Issue
from .roster import SheetSource, issues_at
from .schemas import CodeList, RosterSpec
from .vntext import fix_legacy_series, legacy_candidates, name_key

__all__ = [
    "add_months",
    "age_in_months",
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
_DMY = r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})$"
_MY = r"^(\d{1,2})\s*[./-]\s*(\d{4})$"
_Y = r"^(\d{4})$"
_SERIAL = r"^(\d{5})(?:\.0+)?$"
_INVISIBLE_RE = re.compile(_INVISIBLE)
_WHITESPACE_RE = re.compile(r"\s+")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_EXCEL_MAX_SERIAL = 2958465  # 31/12/9999
_EXCEL_ERROR = r"#(?:N/A|NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|GETTING_DATA|SPILL!|CALC!|FIELD!|[A-Z]+!)"
_EXCEL_FAKE_LEAP_DAY = 60  # Excel's 29/02/1900, a day that never existed


def _by_unique(series: pd.Series, func: Callable[[pd.Index], Any], missing: Any) -> Any:
    """Apply ``func`` to the distinct non-missing values of ``series`` and spread the result back.

    ``missing`` is the result for missing values (a scalar for a Series result, a dict for a frame).
    """
    codes, uniques = pd.factorize(series)
    result = func(pd.Index(uniques, dtype="object"))
    if isinstance(result, pd.DataFrame):
        filler = pd.DataFrame({k: pd.Series([v], dtype=result[k].dtype) for k, v in missing.items()})
    else:
        filler = pd.Series([missing], dtype=result.dtype)
    result = pd.concat([result.reset_index(drop=True), filler], ignore_index=True)
    taken = result.take(np.where(codes < 0, len(uniques), codes))
    taken.index = series.index
    return taken


def _clean_one(value: str) -> str | None:
    text = unicodedata.normalize("NFC", _WHITESPACE_RE.sub(" ", _INVISIBLE_RE.sub("", value)).strip())
    return text or None


def _clean_column(series: pd.Series) -> pd.DataFrame:
    """Clean every distinct value once: ``cleaned``, ``encoding`` (legacy converted) and ``hidden`` (invisible
    characters removed), spread back to the rows of ``series``."""
    series = series.astype("string")
    # Plain printable ASCII without stray spaces is already clean (NFC leaves ASCII alone): skip it.
    plain = series.str.fullmatch(r"[!-~]+(?: [!-~]+)*", na=False)
    if plain.all():
        return pd.DataFrame(
            {
                "cleaned": series,
                "encoding": pd.Series(pd.NA, index=series.index, dtype="string"),
                "hidden": np.zeros(len(series), dtype=bool),
            },
            index=series.index,
        )
    if plain.any():
        rest = _clean_column(series[~plain])
        out = pd.DataFrame(
            {
                "cleaned": series,
                "encoding": pd.Series(pd.NA, index=series.index, dtype="string"),
                "hidden": np.zeros(len(series), dtype=bool),
            },
            index=series.index,
        )
        out.loc[~plain, ["cleaned", "encoding", "hidden"]] = rest
        return out
    codes, uniques = pd.factorize(series)
    text = pd.Series(uniques, dtype="string")
    encoding = pd.Series(pd.NA, index=text.index, dtype="string")
    # Legacy text first: in TCVN3 the soft hyphen U+00AD is the letter "ư", which the next step removes.
    candidates = legacy_candidates(text)
    if candidates.any():
        fixed, found = fix_legacy_series(text[candidates])
        text.loc[candidates] = fixed
        encoding.loc[candidates] = found.astype("string")
    written = [str(v) for v in uniques]
    cleaned = [_clean_one(v) for v in text.tolist()]
    hidden = [_INVISIBLE_RE.search(v) is not None for v in written]
    positions = np.where(codes < 0, len(cleaned), codes)
    return pd.DataFrame(
        {
            "cleaned": pd.array([*cleaned, None], dtype="string").take(positions),
            "encoding": pd.array([*encoding.tolist(), None], dtype="string").take(positions),
            "hidden": np.array([*hidden, False], dtype=bool).take(positions),
        },
        index=series.index,
    )


def clean_text(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """NFC, invisible and control characters removed, spaces collapsed, legacy TCVN3/VNI converted.

    Each distinct value is cleaned once, so the cost follows the variety of the column, not its length.

    Returns:
        ``(cleaned, encoding)`` where ``encoding`` names the legacy encoding converted (NA elsewhere).
    """
    result = _clean_column(series)
    return result["cleaned"], result["encoding"]


def parse_dates(series: pd.Series, *, pivot: int = 30) -> pd.DataFrame:
    """Parse dates written as Excel dates, serials or day-first text; keep the precision.

    Accepts "1985-03-05 00:00:00" (a real Excel date read as text), "05/03/1985", "5/3/1985", "05.03.1985",
    "05-03-1985", "5/3/85" (two-digit years below ``pivot`` are 20xx), "03/1985" (month precision),
    "1985" (year precision) and five-digit Excel serials. Day-first always.

    Returns:
        A frame with ``date`` (datetime64, NaT when missing or invalid), ``precision`` ("day", "month",
        "year" or NA) and ``invalid`` (text present but not a real date, e.g. "31/02/1985").
    """
    parsed: pd.DataFrame = _by_unique(
        series, lambda u: _parse_unique(u, pivot), {"date": pd.NaT, "precision": pd.NA, "invalid": False}
    )
    return parsed


def _parse_unique(values: pd.Index, pivot: int) -> pd.DataFrame:
    text = pd.Series(values, dtype="string[pyarrow]").str.strip()
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
    for pattern, order, level in ((_ISO, "ymd", "day"), (_DMY, "dmy", "day"), (_MY, "my", "month"), (_Y, "y", "year")):
        rest = precision.isna()
        if not rest.any():
            break
        found = text[rest].str.extract(pattern).astype("float64").reindex(text.index)
        hit = found.notna().all(axis=1) & rest
        for i, letter in enumerate(order):
            parts.loc[hit, letter] = found.loc[hit, i]
        precision[hit] = level
    two_digit = parts["y"] < 100
    parts.loc[two_digit, "y"] += np.where(parts.loc[two_digit, "y"] < pivot, 2000, 1900)
    parts["m"] = parts["m"].fillna(1)
    parts["d"] = parts["d"].fillna(1)
    dates = pd.to_datetime(pd.DataFrame({"year": parts["y"], "month": parts["m"], "day": parts["d"]}), errors="coerce")
    serial = (
        text.str.extract(_SERIAL)[0].astype("float64")
        if precision.isna().any()
        else pd.Series(np.nan, index=text.index)
    )
    use_serial = serial.notna() & precision.isna() & (serial != _EXCEL_FAKE_LEAP_DAY) & (serial <= _EXCEL_MAX_SERIAL)
    if use_serial.any():
        days = serial[use_serial].astype("int64").to_numpy().astype("timedelta64[D]")
        dates[use_serial] = pd.to_datetime(_EXCEL_EPOCH + days)
        precision[use_serial] = "day"
    dates = dates.astype("datetime64[us]")
    precision = precision.mask(dates.isna())
    invalid = dates.isna() & text.notna()
    return pd.DataFrame({"date": dates, "precision": precision, "invalid": invalid})


def code_lookup(codes: CodeList) -> dict[str, str]:
    """Name key of every value and alias -> the canonical value."""
    lookup = {name_key(alias): value for alias, value in codes.aliases.items()}
    lookup.update({name_key(value): value for value in codes.values})
    return lookup


def map_codes(series: pd.Series, codes: CodeList) -> pd.Series:
    """Map values through the code list's aliases ("Khơ-me" -> "Khmer"); unknown values stay as written."""
    lookup = code_lookup(codes)

    def _map(values: pd.Index) -> pd.Series:
        return pd.Series([lookup.get(name_key(str(v)), v) for v in values], dtype="string")

    mapped: pd.Series = _by_unique(series, _map, pd.NA)
    return mapped.astype("string")


def recover_education(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Recover "12/12"-style education levels that Excel turned into dates ("2020-12-12 00:00:00").

    Returns:
        ``(values, recovered)``: the corrected values and a mask of the rows changed.
    """
    found = series.astype("string").str.extract(r"^\d{4}-(\d{2})-(\d{2})(?: 00:00:00)?$").astype("float64")
    low, high = found.min(axis=1), found.max(axis=1)
    recovered = found.notna().all(axis=1) & (high <= 12) & (low >= 1)
    values = series.astype("string").copy()
    if recovered.any():
        values[recovered] = (
            low[recovered].astype("int64").astype("string") + "/" + high[recovered].astype("int64").astype("string")
        )
    return values, recovered


def _normalise_ids(series: pd.Series) -> pd.Series:
    """Digits as text: spaces and dots removed; a trailing ".0" from a numeric cell dropped."""
    text = series.astype("string").str.replace(r"\.0+$", "", regex=True)
    return text.str.replace(r"[\s.\-]", "", regex=True)


def _split_birth(
    raw: pd.DataFrame, frame: pd.DataFrame, sources: list[SheetSource], field: str, spec: RosterSpec
) -> list[Issue]:
    male_col, female_col = f"{field}__male", f"{field}__female"
    if male_col not in raw and female_col not in raw:
        return []
    male = frame.pop(male_col) if male_col in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    female = frame.pop(female_col) if female_col in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    letters_m = frame["source"].map(_letters(sources, male_col))
    letters_f = frame["source"].map(_letters(sources, female_col))
    both = male.notna() & female.notna()
    own = frame[field] if field in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    frame[field] = own.fillna(male).fillna(female)
    split_sex = pd.Series(pd.NA, index=frame.index, dtype="string")
    split_sex[male.notna()] = spec.codes["sex"].values[0]
    split_sex[female.notna()] = spec.codes["sex"].values[1]
    split_sex[both] = pd.NA
    if "sex" in frame:
        frame["sex"] = frame["sex"].fillna(split_sex)
    else:
        frame["sex"] = split_sex
    for src in frame.loc[male.notna() | female.notna(), "source"].unique():
        sheet = sources[int(src)]
        for part, sex in ((male_col, "male"), (female_col, "female")):
            if part in sheet.columns and field not in sheet.columns:
                sheet.columns.setdefault(f"{field}_{sex}", sheet.columns[part])
    frame[f"{field}_col"] = letters_m.where(male.notna(), letters_f).astype("string")
    if "sex" not in raw:
        frame["sex_col"] = frame[f"{field}_col"]
        frame.loc[both, "sex_col"] = letters_f[both]
    for name in (male_col, female_col):
        if name in raw:
            raw[field] = raw[field].fillna(raw[name]) if field in raw else raw[name]
    params = pd.DataFrame({"male": male}, index=frame.index)
    return issues_at(frame, sources, both, "sex-conflict", "sex", values=female, params=params)


def _letters(sources: list[SheetSource], field: str) -> dict[int, str | None]:
    return {i: (s.columns[field].letter if field in s.columns else None) for i, s in enumerate(sources)}


def normalise(raw: pd.DataFrame, spec: RosterSpec, sources: list[SheetSource]) -> tuple[pd.DataFrame, list[Issue]]:
    """Canonical values for every field of ``raw`` (as read), with an issue for every repair made.

    Returns:
        ``(frame, issues)``: the member frame of :class:`~dangvien_data.roster.Roster` and the issues.
    """
    frame = raw[["source", "file", "sheet", "row", "cell"]].copy()
    frame["cell"] = frame["cell"].astype("string")
    issues: list[Issue] = []
    value_columns = [c for c in raw.columns if c not in frame.columns]
    broken: dict[str, tuple[pd.Series, pd.Series]] = {}
    for column in value_columns:
        result = _clean_column(raw[column])
        cleaned, encoding = result["cleaned"], result["encoding"]
        # An Excel error ("#REF!") or a formula saved without its value is no value at all (issue 6).
        error = cleaned.str.fullmatch(_EXCEL_ERROR, na=False)
        formula = cleaned.str.startswith("=", na=False)
        if error.any() or formula.any():
            broken[column] = (error, formula)
            cleaned = cleaned.mask(error | formula)
        frame[column] = cleaned
        has_hidden = result["hidden"] & encoding.isna() & cleaned.notna()
        if has_hidden.any():  # zero-width, right-to-left and control characters: removed, never silently
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
    for column, (error, formula) in broken.items():
        issues += issues_at(frame, sources, error, "excel-error-value", column, values=raw[column])
        issues += issues_at(frame, sources, formula, "formula-without-value", column, values=raw[column])
    for field in spec.fields.values():
        if field.split_by_sex:
            issues += _split_birth(raw, frame, sources, field.name, spec)
    for field in spec.fields.values():
        if field.name not in frame:
            continue
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
    return frame, issues


def add_months(dates: pd.Series, months: pd.Series | int) -> pd.Series:
    """``dates`` plus whole ``months``, vectorised; the day is clipped to the month's end (31/01 + 1 → 28/02)."""
    total = dates.dt.year * 12 + (dates.dt.month - 1) + months
    year, month = total // 12, total % 12 + 1
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}), errors="coerce")
    day = np.minimum(dates.dt.day, first.dt.days_in_month)
    offset = pd.to_timedelta(pd.Series(day - 1, index=dates.index).astype("Int64"), unit="D")
    result: pd.Series = (first + offset).astype("datetime64[us]")
    return result


def age_in_months(born: pd.Series, at: pd.Series | date | pd.Timestamp) -> pd.Series:
    """Whole months from ``born`` to ``at`` (vectorised; a month counts once its day is reached)."""
    at_ts = at if isinstance(at, pd.Series) else pd.Series(pd.Timestamp(at), index=born.index)
    months = (at_ts.dt.year - born.dt.year) * 12 + (at_ts.dt.month - born.dt.month)
    result: pd.Series = months - (at_ts.dt.day < born.dt.day).astype("Int64")
    return result
