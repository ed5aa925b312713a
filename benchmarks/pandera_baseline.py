"""(c) What a user would otherwise write: pandas.read_excel + a pandera schema with the same rules.

    python benchmarks/pandera_baseline.py FILE --engine openpyxl --as-of 2020-03-31 [--out failures.json]
    python benchmarks/pandera_baseline.py FILE --engine calamine  --as-of 2020-03-31

A competent analyst's script for the office layout (they know the form, so the data starts at row 10 and the
columns are taken by position): every cell read as text (``dtype=str``, so card and CCCD numbers keep their
leading zeros), section rows "I. Chi bộ …" forward-filled into a cell column, footers dropped (no name),
birth date taken from the "Nam" or "Nữ" column, dates parsed in two passes (real Excel dates arrive as
"1985-03-05 00:00:00" and must not go through ``dayfirst=True``; then the day-first text forms), code-list
aliases mapped, then ONE lazy pandera ``DataFrameSchema`` with the rules of schemas/ that dangvien checks:
required values, code lists, digit counts, date bounds, unparseable dates, unique card/CCCD, and as
dataframe-level checks the official date = admission + 12 months (and required once due), admission age
18-60, date order, CCCD digit 4 / digits 5-6, police service age, duplicate person (name + birth date), one
secretary per cell, at least 3 official members per cell, a committee from 9.

Not done (dangvien does them): TCVN3/VNI text conversion, header detection, A1 references, Vietnamese
messages. Writes the failure cases as JSON records (what the user would hand on) and prints a one-line
JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import yaml
from pandera.errors import SchemaErrors

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    "seq",
    "full_name",
    "birth_male",
    "birth_female",
    "ethnicity",
    "religion",
    "home_town",
    "education",
    "professional",
    "political_theory",
    "rank",
    "position",
    "party_post",
    "admitted_on",
    "official_on",
    "card_number",
    "cccd",
    "note",
    "code",
]
DATE_FIELDS = ("birth_date", "admitted_on", "official_on")
CODE_FIELDS = {
    "sex": "sex",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "education": "education",
    "professional": "professional",
    "political_theory": "political_theory",
    "rank": "rank",
    "party_post": "party_post",
}
# Police service-age limits in years, Luật CAND 2018 (schemas/roster.yaml), by rank group and sex.
LIMITS = {
    "nco": (45, 45),
    "company": (53, 53),
    "major": (55, 53),
    "senior_lt_colonel": (58, 55),
    "colonel": (60, 55),
    "general": (60, 60),
}


def load_codes() -> dict[str, dict]:
    codes = {}
    for path in sorted((ROOT / "schemas" / "codes").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        values = [str(v["value"]) for v in data["values"]]
        aliases = {str(a): str(v["value"]) for v in data["values"] for a in v.get("aliases", []) or []}
        attrs = {str(v["value"]): v for v in data["values"]}
        codes[path.stem] = {"values": values, "aliases": aliases, "attrs": attrs, "pattern": data.get("pattern")}
    return codes


def parse_dates(text: pd.Series) -> pd.Series:
    """Real Excel dates (ISO text) first, then the day-first text forms; invalid -> NaT."""
    iso = pd.to_datetime(text, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    rest = text.notna() & iso.isna()
    if rest.any():
        iso[rest] = pd.to_datetime(
            text[rest].str.replace(".", "/", regex=False), format="mixed", dayfirst=True, errors="coerce"
        )
    return iso


def months_between(start: pd.Series, end: pd.Series | pd.Timestamp) -> pd.Series:
    if isinstance(end, pd.Timestamp):
        end = pd.Series(end, index=start.index)
    return (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month) - (end.dt.day < start.dt.day)


def load(path: str, engine: str, codes: dict[str, dict]) -> pd.DataFrame:
    raw = pd.read_excel(path, engine=engine, sheet_name=0, header=None, skiprows=9, dtype=str)
    raw.columns = COLUMNS[: raw.shape[1]]
    first = raw["seq"].fillna("")
    section = raw["full_name"].isna() & first.str.contains("Chi bộ", regex=False)
    raw["cell"] = first.where(section).str.replace(r"^\s*[IVXLCDM\d]+\.\s*", "", regex=True).ffill()
    df = raw[raw["full_name"].notna()].copy()
    df["sex"] = np.where(df["birth_male"].notna(), "Nam", np.where(df["birth_female"].notna(), "Nữ", None))
    df.loc[df["birth_male"].notna() & df["birth_female"].notna(), "sex"] = None
    df["birth_raw"] = df["birth_male"].fillna(df["birth_female"])
    for name, source in (("birth_date", "birth_raw"), ("admitted_on", "admitted_on"), ("official_on", "official_on")):
        text = df[source].str.strip()
        df[f"{name}_text"] = text
        df[name] = parse_dates(text)
        df[f"{name}_invalid"] = text.notna() & df[name].isna()
    for field, code in CODE_FIELDS.items():
        mapping = codes[code]["aliases"]
        df[field] = df[field].str.strip().replace(mapping)
    for field in ("card_number", "cccd"):
        df[field] = df[field].str.strip()
    return df


def build_schema(codes: dict[str, dict], as_of: pd.Timestamp) -> pa.DataFrameSchema:
    def code_col(code: str, nullable: bool) -> pa.Column:
        values = codes[code]["values"]
        pattern = codes[code]["pattern"]
        if pattern:
            check = pa.Check(
                lambda s, v=values, p=pattern: s.isin(v) | s.str.fullmatch(p).fillna(False), name=f"in_{code}"
            )
        else:
            check = pa.Check.isin(values)
        return pa.Column(object, check, nullable=nullable)

    def date_col(earliest: str, nullable: bool) -> pa.Column:
        return pa.Column(
            "datetime64[ns]", [pa.Check.le(as_of), pa.Check.ge(pd.Timestamp(earliest))], nullable=nullable, coerce=True
        )

    rank_group = {v: a.get("group") for v, a in codes["rank"]["attrs"].items()}
    secretary_posts = [v for v, a in codes["party_post"]["attrs"].items() if a.get("secretary")]
    committee_posts = [
        v for v, a in codes["party_post"]["attrs"].items() if a.get("committee") and not a.get("secretary")
    ]

    def official_date(df: pd.DataFrame) -> pd.Series:
        expected = df["admitted_on"] + pd.DateOffset(months=12)
        wrong = df["official_on"].notna() & df["admitted_on"].notna() & (df["official_on"] != expected)
        missing = df["official_on"].isna() & ~df["official_on_invalid"] & (expected <= as_of)
        return ~(wrong | missing)

    def admission_age(df: pd.DataFrame) -> pd.Series:
        months = months_between(df["birth_date"], df["admitted_on"])
        return ~((months < 216) | (months > 720)).fillna(False).astype(bool)

    def date_order(df: pd.DataFrame) -> pd.Series:
        bad = (df["birth_date"] >= df["admitted_on"]) | (df["official_on"] < df["admitted_on"])
        return ~bad.fillna(False).astype(bool)

    def cccd_digits(df: pd.DataFrame) -> pd.Series:
        twelve = df["cccd"].str.fullmatch(r"\d{12}").fillna(False).astype(bool)
        year = df["birth_date"].dt.year
        digit = pd.to_numeric(df["cccd"].str.slice(3, 4), errors="coerce")
        expected = (year // 100 - 19).clip(lower=0) * 2 + (df["sex"] == "Nữ").astype(int)
        sex_bad = twelve & df["sex"].notna() & year.notna() & (digit != expected)
        year_bad = twelve & year.notna() & (pd.to_numeric(df["cccd"].str.slice(4, 6), errors="coerce") != year % 100)
        return ~(sex_bad | year_bad)

    def service_age(df: pd.DataFrame) -> pd.Series:
        group = df["rank"].map(rank_group)
        male = group.map(lambda g: LIMITS.get(g, (np.nan, np.nan))[0])
        female = group.map(lambda g: LIMITS.get(g, (np.nan, np.nan))[1])
        limit = np.where(df["sex"] == "Nữ", female, np.where(df["sex"] == "Nam", male, np.nan)) * 12
        months = months_between(df["birth_date"], as_of)
        return ~(pd.Series(limit, index=df.index).notna() & (months >= limit)).fillna(False).astype(bool)

    def duplicate_person(df: pd.DataFrame) -> pd.Series:
        key = df["full_name"].str.lower().str.split().str.join(" ") + "|" + df["birth_date"].astype(str)
        return ~(df["birth_date"].notna() & key.duplicated(keep=False))

    def cells(df: pd.DataFrame) -> pd.Series:
        official = (df["official_on"].notna() & (df["official_on"] <= as_of)) | (
            (df["admitted_on"] + pd.DateOffset(months=12)) <= as_of
        )
        per_cell = pd.DataFrame(
            {
                "secretary": df["party_post"].isin(secretary_posts),
                "committee": df["party_post"].isin(committee_posts),
                "official": official,
            }
        )
        counts = per_cell.groupby(df["cell"]).transform("sum")
        return (
            (counts["secretary"] == 1)
            & (counts["official"] >= 3)
            & ~((counts["official"] >= 9) & (counts["committee"] == 0))
        )

    columns = {
        "full_name": pa.Column(object, nullable=False),
        "sex": code_col("sex", nullable=False),
        "ethnicity": code_col("ethnicity", nullable=False),
        "religion": code_col("religion", nullable=False),
        "home_town": pa.Column(object, nullable=False),
        "education": code_col("education", nullable=False),
        "professional": code_col("professional", nullable=True),
        "political_theory": code_col("political_theory", nullable=True),
        "rank": code_col("rank", nullable=True),
        "party_post": code_col("party_post", nullable=True),
        "birth_date": date_col("1900-01-01", nullable=False),
        "admitted_on": date_col("1930-02-03", nullable=False),
        "official_on": date_col("1930-02-03", nullable=True),
        "card_number": pa.Column(object, pa.Check.str_matches(r"^\d{8}$"), nullable=True, unique=True),
        "cccd": pa.Column(object, pa.Check.str_matches(r"^(?:\d{12}|\d{9})$"), nullable=True, unique=True),
        **{f"{name}_invalid": pa.Column(bool, pa.Check.eq(False)) for name in DATE_FIELDS},
    }
    checks = [
        pa.Check(f, name=f.__name__)
        for f in (official_date, admission_age, date_order, cccd_digits, service_age, duplicate_person, cells)
    ]
    return pa.DataFrameSchema(columns, checks=checks, strict=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--engine", choices=["openpyxl", "calamine"], default="openpyxl")
    parser.add_argument("--as-of", default="2020-03-31")
    parser.add_argument("--out", help="write the failure cases here as JSON records (default: stdout)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    codes = load_codes()
    df = load(args.file, args.engine, codes)
    read_s = time.perf_counter() - started
    schema = build_schema(codes, pd.Timestamp(args.as_of))
    try:
        schema.validate(df, lazy=True)
        failures = pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])
    except SchemaErrors as exc:
        failures = exc.failure_cases
    records = failures.astype({"failure_case": "string"}).to_json(orient="records", force_ascii=False)
    if args.out:
        Path(args.out).write_text(records, encoding="utf-8")
    else:
        sys.stdout.write(records + "\n")
    summary = {
        "engine": args.engine,
        "members": len(df),
        "failure_cases": len(failures),
        "failing_rows": int(failures["index"].dropna().nunique()),
        "read_s": round(read_s, 3),
        "total_s": round(time.perf_counter() - started, 3),
    }
    print(json.dumps(summary), file=sys.stderr)
    return 1 if len(failures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
