"""Rules beyond one column: the Charter's dates and ages, CCCD digits, police service age, duplicates, cells.

Each ``check_*`` takes the :class:`Context` and returns issue records, built only for failing rows.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype

from dangvien_data.domain.dates import add_months_series, months_between_series
from dangvien_data.domain.service import police_limits
from dangvien_data.domain.vntext import name_key_series, strip_accents
from dangvien_data.errors import display_name
from dangvien_data.issues import Issue
from dangvien_data.roster.model import Roster, issues_at
from dangvien_data.roster.schemas import RosterSpec

__all__ = ["ALL_CHECKS", "Context", "lookup", "suggest"]


_DATE_FMT = "%d/%m/%Y"


@dataclass
class Context:
    """Everything a check needs: the roster, the spec, the date and the term."""

    roster: Roster
    spec: RosterSpec
    as_of: pd.Timestamp
    term: str
    term_start: pd.Timestamp
    term_end: pd.Timestamp

    @property
    def frame(self) -> pd.DataFrame:
        return self.roster.frame

    @functools.cached_property
    def probation_end(self) -> pd.Series:
        """admitted_on plus the probation months: when each member is (or was due to become) official."""
        months = int(self.spec.rules.get("probation", {}).get("months", 12))
        return add_months_series(self.col("admitted_on", "datetime64[us]"), months)

    def col(self, name: str, dtype: str = "string") -> pd.Series:
        """A column of the member frame, or an all-missing one if no sheet had it."""
        if name in self.frame:
            return self.frame[name]
        return pd.Series(pd.NaT if dtype.startswith("datetime") else pd.NA, index=self.frame.index, dtype=dtype)

    def at(self, mask: pd.Series, code: str, field: str, **kwargs: Any) -> list[Issue]:
        """Issues for the rows in ``mask``; ``params`` may be a function of the failing rows' index, so
        message values are formatted for failing rows only."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return []
        if callable(kwargs.get("params")):
            kwargs["params"] = kwargs["params"](mask.index[mask.to_numpy()])
        return issues_at(self.frame, self.roster.sources, mask, code, field, raw=self.roster.raw, **kwargs)


def _lazy(**columns: Any) -> Callable[[pd.Index], pd.DataFrame]:
    """Message values computed for the failing rows only: a Series is subset, ``(func, series)`` is
    ``func(series[rows])``, anything else is a constant."""

    def build(rows: pd.Index) -> pd.DataFrame:
        out = {}
        for name, value in columns.items():
            if isinstance(value, tuple):
                func, series = value
                out[name] = func(series.loc[rows])
            elif isinstance(value, pd.Series):
                out[name] = value.loc[rows]
            else:
                out[name] = value
        return pd.DataFrame(out, index=rows)

    return build


def lookup(series: pd.Series, mapping: dict[Any, Any], dtype: str) -> pd.Series:
    """``series`` mapped through ``mapping`` into ``dtype`` (via object, so an all-missing column works too)."""
    codes, uniques = pd.factorize(series)
    values = [mapping.get(u) for u in uniques] + [None]
    positions = np.where(codes < 0, len(uniques), codes)
    mapped = pd.Series(values, dtype=object).astype(pandas_dtype(dtype)).take(positions)
    return mapped.set_axis(series.index)


def lookup_pairs(first: pd.Series, second: pd.Series, value: Callable[[Any, Any], Any], dtype: str) -> pd.Series:
    """``value(a, b)`` for every row's pair of ``first`` and ``second`` (``a``/``b`` None where missing), in
    ``dtype``: one call per distinct pair of values, not per row."""
    a_codes, a_values = pd.factorize(first)
    b_codes, b_values = pd.factorize(second)
    pairs = [value(a, b) for a in [*a_values, None] for b in [*b_values, None]]
    table = pd.Series(pairs, dtype=object).astype(pandas_dtype(dtype))
    # code -1 (missing) takes the last row / column of the table
    positions = np.where(a_codes < 0, len(a_values), a_codes) * (len(b_values) + 1)
    positions += np.where(b_codes < 0, len(b_values), b_codes)
    return table.take(positions).set_axis(first.index)


def _fmt(dates: pd.Series) -> pd.Series:
    text: pd.Series = dates.dt.strftime(_DATE_FMT)
    return text.astype("string")


def _age_text(months: pd.Series) -> pd.Series:
    months = months.astype("Int64")
    years, rest = months // 12, months % 12
    return years.astype("string") + " tuổi " + rest.astype("string") + " tháng"


def _age_text_en(months: pd.Series) -> pd.Series:
    """English twin of :func:`_age_text`: "17 years 8 months" (and "1 year", "1 month")."""
    months = months.astype("Int64")
    years, rest = months // 12, months % 12
    year_word = pd.Series(np.where(years == 1, " year ", " years "), index=months.index, dtype="string")
    month_word = pd.Series(np.where(rest == 1, " month", " months"), index=months.index, dtype="string")
    return years.astype("string") + year_word + rest.astype("string") + month_word


def suggest(value: str, choices: list[str]) -> str | None:
    """The closest code-list value to ``value`` ignoring accents and case, if any is close."""
    keyed = {strip_accents(c).casefold(): c for c in choices}
    found = difflib.get_close_matches(strip_accents(value).casefold(), list(keyed), n=1, cutoff=0.75)
    return keyed[found[0]] if found else None


def _exact_date(ctx: Context, names: tuple[str, ...] = ("birth_date", "admitted_on", "official_on")) -> pd.Series:
    """Rows whose dates ``names`` are known to the day: a partial date disables only the rules that need it."""
    mask = pd.Series(True, index=ctx.frame.index)
    for name in names:
        if f"{name}_precision" in ctx.frame:
            precision = ctx.frame[f"{name}_precision"]
            mask &= precision.isna() | (precision == "day")
    return mask


def check_official_date(ctx: Context) -> Iterator[Issue]:
    """official_on = admitted_on + 12 months; required once 12 months have passed."""
    admitted, official = ctx.col("admitted_on", "datetime64[us]"), ctx.col("official_on", "datetime64[us]")
    expected = ctx.probation_end
    invalid = ctx.col("official_on_invalid", "boolean").fillna(False)
    params = _lazy(admitted=(_fmt, admitted), expected=(_fmt, expected), as_of=ctx.as_of.strftime(_DATE_FMT))
    due = official.isna() & ~invalid & (expected <= ctx.as_of)
    yield from ctx.at(due, "official-date-missing", "official_on", params=params)
    precise = ctx.col("official_on_precision") == "day"
    wrong = (
        official.notna()
        & expected.notna()
        & (official != expected)
        & precise
        & _exact_date(ctx, ("admitted_on", "official_on"))
    )
    yield from ctx.at(wrong, "official-date-mismatch", "official_on", params=params)
    if "membership" in ctx.frame:
        values = ctx.spec.codes["membership"].values
        status = pd.Series(np.where(expected <= ctx.as_of, values[0], values[1]), index=ctx.frame.index)
        stated = ctx.col("membership")
        bad = stated.isin(values) & admitted.notna() & (stated != status)
        yield from ctx.at(
            bad,
            "probationary-status-mismatch",
            "membership",
            params=_lazy(
                admitted=(_fmt, admitted),
                expected=status,
                expected_en=(lambda s: s.map({values[0]: "official", values[1]: "probationary"}), status),
                as_of=ctx.as_of.strftime(_DATE_FMT),
            ),
        )


def check_admission_age(ctx: Context) -> Iterator[Issue]:
    """Age at admission 18–60 counted in months (over 60 a warning)."""
    rule = ctx.spec.rules.get("admission-age", {})
    born, admitted = ctx.col("birth_date", "datetime64[us]"), ctx.col("admitted_on", "datetime64[us]")
    months = months_between_series(born, admitted)
    params = _lazy(
        age=(_age_text, months), age_en=(_age_text_en, months), birth=(_fmt, born), admitted=(_fmt, admitted)
    )
    valid = months.notna() & (months >= 0) & (born < admitted)
    yield from ctx.at(
        valid & (months < int(rule.get("min_months", 216))), "admission-age-under-18", "admitted_on", params=params
    )
    yield from ctx.at(
        valid & (months > int(rule.get("max_months", 720))), "admission-age-over-60", "admitted_on", params=params
    )


def check_date_order(ctx: Context) -> Iterator[Issue]:
    """Birth before admission, admission no later than the official date."""
    born, admitted = ctx.col("birth_date", "datetime64[us]"), ctx.col("admitted_on", "datetime64[us]")
    official = ctx.col("official_on", "datetime64[us]")
    first = born >= admitted

    def before_birth(rows: pd.Index) -> pd.DataFrame:
        b, a = _fmt(born.loc[rows]), _fmt(admitted.loc[rows])
        return pd.DataFrame(
            {
                "what": "Ngày sinh " + b + " không trước ngày vào Đảng " + a + ".",
                "what_en": "Birth date " + b + " is not before the admission date " + a + ".",
            }
        )

    def official_first(rows: pd.Index) -> pd.DataFrame:
        o, a = _fmt(official.loc[rows]), _fmt(admitted.loc[rows])
        return pd.DataFrame(
            {
                "what": "Ngày chính thức " + o + " trước ngày vào Đảng " + a + ".",
                "what_en": "Official date " + o + " is before the admission date " + a + ".",
            }
        )

    yield from ctx.at(first, "date-order", "admitted_on", params=before_birth)
    second = ~first.fillna(False) & (official < admitted)
    yield from ctx.at(second, "date-order", "official_on", params=official_first)


def check_cccd(ctx: Context) -> Iterator[Issue]:
    """CCCD digit 4 (sex and century) and digits 5–6 (birth year) agree with the roster (docs/domain.md §10)."""
    cccd = ctx.col("cccd")
    twelve = cccd.str.fullmatch(r"\d{12}").fillna(False).astype(bool)
    if not twelve.any():
        return
    born = ctx.col("birth_date", "datetime64[us]")
    sex = ctx.col("sex")
    year = born.dt.year
    # read as numbers where the digits are ASCII (other Unicode digits: digit 4 unknown, digits 5–6 a mismatch)
    ascii_digits = twelve & cccd.str.isascii().fillna(False).astype(bool)
    digits = cccd.where(ascii_digits)
    digit = digits.str.slice(3, 4).astype("Int64")
    female = sex == ctx.spec.codes["sex"].values[1]
    century = (year // 100 - 19).clip(lower=0)
    expected_digit = century * 2 + female.astype("Int64")
    sex_en = dict(zip(ctx.spec.codes["sex"].values, ("male", "female"), strict=False))

    def params(rows: pd.Index) -> pd.DataFrame:
        odd = (digit.loc[rows] % 2 == 1).fillna(False).astype(bool)  # NA where a row has no CCCD
        return pd.DataFrame(
            {
                "digit": digit.loc[rows].astype("string"),
                "sex": sex.loc[rows],
                "sex_en": lookup(sex.loc[rows], sex_en, "string").fillna(sex.loc[rows]),
                "year": year.loc[rows].astype("Int64").astype("string"),
                "meaning": np.where(odd, "nữ", "nam"),
                "meaning_en": np.where(odd, "female", "male"),
                "digits": cccd.loc[rows].str.slice(4, 6),
            },
            index=rows,
        )

    known = twelve & sex.notna() & year.notna()
    yield from ctx.at(known & (digit != expected_digit), "cccd-sex-mismatch", "cccd", params=params)
    year_ok = (digits.str.slice(4, 6).astype("Int64") == year % 100).mask(twelve & ~ascii_digits, False)
    yield from ctx.at(twelve & year.notna() & ~year_ok.fillna(True), "cccd-year-mismatch", "cccd", params=params)


def check_service_age(ctx: Context) -> Iterator[Issue]:
    """Police rank against the service-age limit by sex at ``as_of`` (error) or within the term (warning)."""
    if "rank" not in ctx.frame:
        return
    limits, law = police_limits(ctx.spec.rules, ctx.as_of.date())
    ranks = ctx.spec.codes["rank"]
    group, sexes = ranks.attribute("group"), ctx.spec.codes["sex"].values
    sex_key = {sexes[0]: "male", sexes[1]: "female"}
    by_pair: dict[tuple[Any, Any], int] = dict(limits)
    limit = lookup_pairs(
        ctx.col("rank"), ctx.col("sex"), lambda r, s: by_pair.get((group.get(r), sex_key.get(s))), "Float64"
    )
    born = ctx.col("birth_date", "datetime64[us]")
    months = months_between_series(born, ctx.as_of)
    has = limit.notna() & born.notna()
    reach = add_months_series(born, limit)
    sex_en = (lambda s: lookup(s, sex_key, "string").fillna(s), ctx.col("sex"))  # for the failing rows only
    common = {"rank": ctx.col("rank"), "sex": ctx.col("sex"), "sex_en": sex_en, "law": law, "term": ctx.term}
    params = _lazy(
        **common,
        as_of=ctx.as_of.strftime(_DATE_FMT),
        limit=(lambda m: _age_text(m.astype("Int64")).str.replace(" 0 tháng", "", regex=False), limit),
        limit_en=(lambda m: _age_text_en(m.astype("Int64")).str.replace(" 0 months", "", regex=False), limit),
        age=(_age_text, months),
        age_en=(_age_text_en, months),
        reach=(_fmt, reach),
    )
    exceeded = has & (months >= limit)
    yield from ctx.at(exceeded, "service-age-exceeded", "rank", params=params)
    soon = has & ~exceeded.fillna(False) & (reach <= ctx.term_end)
    yield from ctx.at(soon, "service-age-reached-in-term", "rank", params=params)
    min_age = lookup(ctx.col("rank"), ranks.attribute("plausible_min_age"), "Float64")
    young = min_age.notna() & months.notna() & (months < min_age * 12)
    yield from ctx.at(
        young,
        "rank-age-implausible",
        "rank",
        params=_lazy(
            **common,
            years=(lambda m: (m // 12).astype("string"), months),
            min_age=(lambda a: a.astype("Int64").astype("string"), min_age),
        ),
    )


def _places(ctx: Context, at: np.ndarray, field: str, *, with_cell: bool = True) -> list[str]:
    """``sheet!ref`` of ``field`` at the rows in positions ``at``, e.g. ``"Danh sách!F12"``; with the cell first
    (``"Chi bộ 1 (Danh sách!F12)"``, ``"?"`` for no cell). Built for those rows only. When the roster comes from
    several files the file is named as Excel does, ``"[chi_bo_1.xlsx]Danh sách!F12"``: in a folder of cell
    workbooks every sheet is called alike."""
    frame = ctx.frame
    sources = ctx.roster.sources
    per_row = f"{field}_col"
    at_sources = frame["source"].to_numpy()[at].tolist()
    if per_row in frame:
        letters = frame[per_row].iloc[at].tolist()
    else:
        letter_of = [s.columns[field].letter if field in s.columns else None for s in sources]
        letters = [letter_of[src] for src in at_sources]
    rows = frame["row"].to_numpy()[at].tolist()
    if len({s.file for s in sources}) > 1:
        sheet_of = [f"[{display_name(Path(s.file).name)}]{s.sheet}" for s in sources]  # names need not be UTF-8
    else:
        sheet_of = [s.sheet for s in sources]
    sheets = [sheet_of[src] for src in at_sources]
    places = [
        f"{sheet}!{letter if isinstance(letter, str) else 'A'}{row}"
        for sheet, letter, row in zip(sheets, letters, rows, strict=True)
    ]
    if not with_cell:
        return places
    cells = frame["cell"].iloc[at].tolist()
    return [f"{c if isinstance(c, str) else '?'} ({p})" for c, p in zip(cells, places, strict=True)]


# Places cited in one issue of a group (duplicates, secretaries); the rest are counted, never listed, so a block
# pasted 2,500 times costs as many short issues as rows, not 2,500 places in each (time and memory stay linear).
MAX_PLACES = 5


def _listing(places: list[str], total: int) -> str:
    """``places`` joined, and how many of ``total`` are not shown: ``"DS!M3, DS!M4, … (+2 494)"``."""
    text = ", ".join(places)
    return f"{text}, … (+{total - len(places)})" if total > len(places) else text


def _duplicates(ctx: Context, keys: pd.Series, code: str, field: str, dup: pd.Series | None = None) -> Iterator[Issue]:
    """One issue per row whose key another row shares, citing the other rows (at most :data:`MAX_PLACES`, and
    how many more); ``dup``: the rows, if known. Each group's listing is built once."""
    if dup is None:
        dup = keys.notna() & keys.duplicated(keep=False)
    at = np.flatnonzero(dup.to_numpy())
    if not len(at):
        return
    groups: dict[object, list[int]] = {}
    for i, key in enumerate(keys.iloc[at].tolist()):
        groups.setdefault(key, []).append(i)
    places = _places(ctx, at, field)
    others = [""] * len(at)
    for members in groups.values():
        head = members[: MAX_PLACES + 1]
        rest = _listing([places[j] for j in head[:MAX_PLACES]], len(members) - 1)
        for i in members[MAX_PLACES + 1 :]:
            others[i] = rest  # one string shared by every row past the first few
        for i in head:
            others[i] = _listing([places[j] for j in head if j != i][:MAX_PLACES], len(members) - 1)
    yield from ctx.at(dup, code, field, params=pd.DataFrame({"others": others}, index=ctx.frame.index[at]))


def check_duplicates(ctx: Context) -> Iterator[Issue]:
    """The same card number, CCCD or person (name key + birth date) on two rows, with both refs."""
    same: dict[str, pd.Series] = {}
    for field, code in (("card_number", "duplicate-card-number"), ("cccd", "duplicate-cccd")):
        if field in ctx.frame:
            keys = ctx.frame[field]
            same[field] = keys.notna() & keys.duplicated(keep=False)
            yield from _duplicates(ctx, keys, code, field, same[field])
    if "full_name" in ctx.frame and "birth_date" in ctx.frame:
        # rows already reported as the same card/CCCD are one problem, not two
        reported = np.zeros(len(ctx.frame), dtype=bool)
        for shared in same.values():
            reported |= shared.to_numpy(dtype=bool)
        key = _person_key(ctx.frame["full_name"], ctx.frame["birth_date"], ~reported)
        yield from _duplicates(ctx, key, "duplicate-member", "full_name")


def _person_key(names: pd.Series, born: pd.Series, eligible: np.ndarray) -> pd.Series:
    """One integer per (name key, birth date) for the ``eligible`` rows with both, NA elsewhere.

    Names repeat: each distinct name is keyed once (:func:`name_key_series`) and the rows take its number.
    """
    name_codes, distinct = pd.factorize(names)
    if not len(distinct):  # no name at all (e.g. one member whose name is a formula): nobody to key
        return pd.Series(pd.array([pd.NA] * len(names), dtype="Int64"), index=names.index)
    key_codes, _ = pd.factorize(name_key_series(pd.Series(distinct, dtype="string")))
    day = born.to_numpy(dtype="datetime64[D]")
    eligible = eligible & (name_codes >= 0) & ~np.isnat(day)
    # the name's number in the high 32 bits, the day (offset from 1970, any year 0001-9999) in the low ones
    person = key_codes[np.where(eligible, name_codes, 0)].astype("int64") << 32
    person += np.where(eligible, day.astype("int64"), 0) + (1 << 31)
    return pd.Series(pd.arrays.IntegerArray(person, ~eligible), index=names.index)


def _official_mask(ctx: Context) -> pd.Series:
    official = ctx.col("official_on", "datetime64[us]")
    return (official.notna() & (official <= ctx.as_of)) | (ctx.probation_end <= ctx.as_of)


def check_cells(ctx: Context) -> Iterator[Issue]:
    """One secretary per cell; at least 3 official members; a committee from 9 official members."""
    cell = ctx.frame["cell"]
    if ctx.frame.empty or cell.isna().all():
        return
    rule = ctx.spec.rules.get("cell-size", {})
    posts = ctx.spec.codes["party_post"]
    post = ctx.col("party_post")
    secretary = _flag(post, posts.attribute("secretary", False))
    committee = _flag(post, posts.attribute("committee", False)) & ~secretary
    official = _official_mask(ctx).fillna(False).to_numpy(dtype=bool)
    codes, names = pd.factorize(cell)  # a cell per code, in order of first appearance; NA is -1
    known = codes >= 0
    first = known & ~pd.Series(codes).duplicated().to_numpy()

    def per_cell(flags: np.ndarray) -> np.ndarray:
        """How many rows of each row's cell have ``flags`` (0 for rows without a cell)."""
        counts = np.bincount(codes[known], weights=flags[known], minlength=len(names)).astype("int64")
        return np.where(known, counts[codes], 0)

    secretaries, officials = per_cell(secretary), per_cell(official)

    def params(counts: np.ndarray, **constants: str) -> Callable[[pd.Index], pd.DataFrame]:
        def build(rows: pd.Index) -> pd.DataFrame:
            at = ctx.frame.index.get_indexer(rows)
            return pd.DataFrame({"cell": cell.iloc[at].to_numpy(), "count": counts[at].astype(str), **constants}, rows)

        return build

    has_posts = "party_post" in ctx.frame
    if has_posts:
        yield from ctx.at(
            _series(ctx, first & (secretaries == 0)), "secretary-missing", "party_post", params=params(secretaries)
        )
        yield from _secretary_multiple(ctx, secretary, codes, secretaries, params(secretaries))
    minimum = int(rule.get("min_official", 3))
    small = first & (officials < minimum)
    yield from ctx.at(_series(ctx, small), "cell-too-small", "full_name", params=params(officials, min=str(minimum)))
    committee_from = int(rule.get("committee_from_official", 9))
    if has_posts:
        none = first & (officials >= committee_from) & (per_cell(committee) == 0)
        yield from ctx.at(
            _series(ctx, none), "cell-no-committee", "party_post", params=params(officials, min=str(committee_from))
        )


def _secretary_multiple(
    ctx: Context,
    secretary: np.ndarray,
    codes: np.ndarray,
    secretaries: np.ndarray,
    params: Callable[[pd.Index], pd.DataFrame],
) -> Iterator[Issue]:
    """Every secretary of a cell after its first, citing the cell's secretaries (at most :data:`MAX_PLACES`)."""
    at = np.flatnonzero(secretary & (secretaries > 1))
    if not len(at):
        return
    places: dict[int, list[str]] = {}
    for code, place in zip(codes[at].tolist(), _places(ctx, at, "party_post", with_cell=False), strict=True):
        places.setdefault(code, []).append(place)
    listing = {code: _listing(found[:MAX_PLACES], len(found)) for code, found in places.items()}  # once per cell
    extra = np.zeros(len(codes), dtype=bool)
    extra[at] = pd.Series(codes[at]).duplicated().to_numpy()  # not the first secretary of its cell

    def with_others(rows: pd.Index) -> pd.DataFrame:
        cells = codes[ctx.frame.index.get_indexer(rows)].tolist()
        return params(rows).assign(others=[listing[c] for c in cells])

    yield from ctx.at(_series(ctx, extra), "secretary-multiple", "party_post", params=with_others)


def _flag(series: pd.Series, mapping: dict[Any, Any]) -> np.ndarray:
    """``series`` mapped through ``mapping`` to booleans (False where missing or not in the mapping)."""
    return lookup(series, mapping, "boolean").fillna(False).to_numpy(dtype=bool)


def _series(ctx: Context, mask: np.ndarray) -> pd.Series:
    return pd.Series(mask, index=ctx.frame.index)


ALL_CHECKS: tuple[Callable[[Context], Iterator[Issue]], ...] = (
    check_official_date,
    check_admission_age,
    check_date_order,
    check_cccd,
    check_service_age,
    check_duplicates,
    check_cells,
)
