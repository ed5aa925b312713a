"""Counts per cell (chi bộ) recomputed from the rows, the lists an office needs at a date, organisation checks."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dangvien_data import options
from dangvien_data.domain.dates import add_months_series, as_date, months_between_series
from dangvien_data.domain.service import police_limits
from dangvien_data.domain.values import number
from dangvien_data.domain.vntext import strip_accents
from dangvien_data.errors import SchemaFileError, display_name
from dangvien_data.issues import CATALOGUE, Issue, Severity, count_by_severity, render_fix, render_message
from dangvien_data.roster.schemas import RosterSpec, default_schema_dir, load_roster_spec, read_yaml

if TYPE_CHECKING:
    from dangvien_data.roster.model import Roster
    from dangvien_data.roster.validation import Report

__all__ = [
    "EXTRA_METRICS",
    "METRICS",
    "UNDETERMINED",
    "Difference",
    "Milestones",
    "Organisation",
    "Summary",
    "SummarySpec",
    "group_key",
    "load_summary_spec",
    "member_flags",
    "milestones",
    "summarise",
]

METRICS: tuple[str, ...] = (
    "total",
    "official",
    "probationary",
    "women",
    "ethnic_minority",
    "religious",
    "age_30_or_less",
    "age_31_40",
    "age_41_50",
    "age_51_60",
    "age_61_or_more",
    "party_age_30_or_more",
    "party_age_40_or_more",
)
# Rows whose status, sex or age cannot be told (no usable date or value, or admitted after the as-of date):
# with them official + probationary + status_unknown, and the age bands + age_unknown, add up to the total.
EXTRA_METRICS: tuple[str, ...] = ("status_unknown", "sex_unknown", "age_unknown")
# What :attr:`Summary.undetermined` says of each listed row, as JSON keys.
UNDETERMINED: tuple[str, ...] = ("status", "sex", "age")
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("age_30_or_less", 0, 30),
    ("age_31_40", 31, 40),
    ("age_41_50", 41, 50),
    ("age_51_60", 51, 60),
    ("age_61_or_more", 61, 10_000),
)
GROUPS: tuple[str, ...] = ("rank", "education", "professional", "political_theory", "party_age")
_DATE_FMT = "%d/%m/%Y"


@dataclass(frozen=True)
class SummarySpec:
    """The content of schemas/summary.yaml: metric headers, breakdown labels, badge, organisation, movements."""

    data: Mapping[str, Any]

    def metric_label(self, key: str, lang: str = "vi") -> str:
        """The Vietnamese header (or English label) of a metric; the key itself when unknown."""
        entry = self.data.get("metrics", {}).get(key, {})
        return str(entry.get("en") if lang == "en" else entry.get("label", entry.get("header", key)) or key)

    def group_labels(self, group: str, lang: str = "vi") -> dict[str, str]:
        """Category key -> label of a breakdown (rank, education, …, party_age)."""
        if group == "party_age":
            return _party_age_labels(self)
        pairs = self.data.get("breakdown_labels", {}).get(group, {})
        return {str(k): str(v[1] if lang == "en" else v[0]) for k, v in pairs.items()}


@functools.cache
def load_summary_spec(directory: Path | None = None) -> SummarySpec:
    """Load schemas/summary.yaml.

    Raises:
        SchemaFileError: the file is missing or not valid YAML.
    """
    path = Path(directory or default_schema_dir()) / "summary.yaml"
    try:
        data = read_yaml(path)  # libyaml's loader where there is one
    except OSError as exc:
        msg = f"Không đọc được tệp lược đồ {path}: {exc}. Kiểm tra thư mục schemas/ hoặc biến DANGVIEN_SCHEMAS."
        raise SchemaFileError(
            msg, f"Cannot read schema file {path}: {exc}. Check schemas/ or DANGVIEN_SCHEMAS.", path=str(path)
        ) from exc
    if not isinstance(data, Mapping) or "metrics" not in data:
        msg = f'Tệp {path} thiếu mục "metrics". Lấy lại tệp gốc từ dự án.'
        raise SchemaFileError(msg, f'{path} has no "metrics" section. Restore the project\'s file.', path=str(path))
    return SummarySpec(data)


def _party_age_labels(spec: SummarySpec) -> dict[str, str]:
    edges = [int(e) for e in spec.data.get("party_age_bands", [10, 20, 30, 40, 50])]
    labels = {f"lt_{edges[0]}": f"< {edges[0]}"}
    labels.update({f"{lo}_{hi - 1}": f"{lo}–{hi - 1}" for lo, hi in itertools.pairwise(edges)})
    labels[f"ge_{edges[-1]}"] = f"≥ {edges[-1]}"
    return labels


@dataclass(frozen=True)
class Difference:
    """One reconciliation record: a figure someone wrote (``declared``) against the rows (``derived``).

    ``difference = declared − derived``; ``sheet``/``ref`` locate the declared figure; ``members`` name the
    rows that explain it where the roster does (e.g. a person listed in two cells).
    """

    code: str
    cell: str | None
    metric: str | None
    declared: float | None
    derived: float | None
    file: str | None = None
    sheet: str | None = None
    ref: str | None = None
    members: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def difference(self) -> float | None:
        """``declared − derived`` (None when either is missing)."""
        if self.declared is None or self.derived is None:
            return None
        return _number(self.declared - self.derived)

    def message(self, lang: str = "vi") -> str:
        """The full message with the fix, in ``lang``."""
        return render_message(self.code, self._values(lang), lang)

    def _values(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "cell": self.cell or "",
            "ref": self.ref or "",
            "declared": _shown(self.declared, lang),
            "derived": _shown(self.derived, lang),
            "difference": _shown(self.difference, lang),
            "members": "; ".join(self.members),
            **self.params,
        }

    def fix(self, lang: str = "vi") -> str | None:
        """How to fix it alone (also the end of :meth:`message`), or None."""
        return render_fix(self.code, self._values(lang), lang)

    @property
    def severity(self) -> Severity:
        """The catalogue severity of the code (every reconciliation code is an error)."""
        return CATALOGUE[self.code].severity

    def issue_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The difference as an issue record (the keys of every command's ``issues``)."""
        row = re.sub(r"\D", "", self.ref or "")
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "file": self.file,
            "sheet": self.sheet,
            "ref": self.ref,
            "row": int(row) if row else None,
            "column": re.sub(r"\d", "", self.ref or "") or None,
            "field": self.metric,
            "value": _shown(self.declared) or None,
            "member": "; ".join(self.members) or None,
            "cell": self.cell,
        }

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The ``reconciliation`` record of docs/architecture.md, plus code, place, members, message and fix."""
        return {
            "cell": self.cell,
            "metric": self.metric,
            "declared": _number(self.declared),
            "derived": _number(self.derived),
            "difference": self.difference,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "ref": self.ref,
            "members": list(self.members),
            "message": self.message(lang),
            "fix": self.fix(lang),
        }


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 2)


def _shown(value: float | None, lang: str | None = None) -> str:
    """The figure as :func:`_number` keeps it; in ``lang``'s way (``"vi"``: 1.234 and 32,25) when given, else
    as Python writes it (the ``value`` of an issue record)."""
    kept = _number(value)
    if kept is None:
        return ""
    return str(kept) if lang is None else number(kept, lang, digits=None)


@dataclass(frozen=True)
class Organisation:
    """Organisation checks: Party committee or cell, congress type by term, cells below 3 official members."""

    members: int
    official: int
    cells: int
    party_committee: bool
    congress: str | None  # "full" (đại hội toàn thể), "delegate" (đại hội đại biểu) or None
    small_cells: tuple[tuple[str, int], ...]
    issues: tuple[Issue, ...]

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready facts."""
        return {
            "members": self.members,
            "official": self.official,
            "cells": self.cells,
            "kind": "dang-bo-co-so" if self.party_committee else "chi-bo-co-so",
            "congress": self.congress,
            "small_cells": [{"cell": c, "official": n} for c, n in self.small_cells],
            "issues": [i.to_dict(lang) for i in self.issues],
        }


@dataclass(frozen=True)
class Milestones:
    """Lists at a date: Party-badge milestones in ``year``, probationary members due, service-age limits."""

    as_of: dt.date
    year: int
    within_days: int
    term: str
    badges: pd.DataFrame
    due_official: pd.DataFrame
    service_age: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready lists (dates as dd/mm/yyyy)."""
        return {
            "year": self.year,
            "within_days": self.within_days,
            "term": self.term,
            "badges": _records(self.badges),
            "due_official": _records(self.due_official),
            "service_age": _records(self.service_age),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    shown = frame.drop(columns=[c for c in ("file",) if c in frame])
    for name in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[name]):
            shown[name] = shown[name].dt.strftime(_DATE_FMT)
    return [
        {str(k): (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in shown.to_dict("records")
    ]


@dataclass(frozen=True)
class Summary:
    """Counts per cell at ``as_of``, always recomputed from the rows (never copied from a sheet's totals).

    ``counts`` has one row per cell (roster order; NA for rows without a cell) and the columns
    :data:`METRICS` + :data:`EXTRA_METRICS`; ``groups`` the breakdowns (rank group, education, professional,
    political theory, Party-age band) per cell; ``with_errors`` (when a validation report was given) how
    many rows carrying an error each figure includes.
    """

    as_of: dt.date
    term: str
    counts: pd.DataFrame
    average_age: pd.Series
    total_average_age: float | None
    groups: Mapping[str, pd.DataFrame]
    age_by_sex: pd.DataFrame
    organisation: Organisation
    files: tuple[str, ...] = ()
    with_errors: pd.DataFrame | None = None
    reconciliation: tuple[Difference, ...] = ()
    milestones: Milestones | None = None
    heading: Mapping[str, str] = field(default_factory=dict)
    declared_file: str | None = None
    undetermined: pd.DataFrame | None = None
    # rows left out of the counts, and why: {"transferred": 2, "died": 1}; "exempted" members are counted
    excluded: Mapping[str, int] = field(default_factory=dict)
    excluded_labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # reason -> (vi, en) labels
    exempted: int = 0
    unreadable: tuple[str, ...] = ()  # files of the run that could not be read: the counts leave them out

    def excluded_line(self, lang: str = "vi") -> str:
        """One sentence: how many members the counts leave out and why, and how many exempted ones they include."""
        if not self.excluded and not self.exempted and not self.unreadable:
            return ""
        reasons = ", ".join(
            f"{n} {self.excluded_labels.get(k, (k, k))[lang == 'en']}" for k, n in self.excluded.items()
        )
        total = sum(self.excluded.values())
        if lang == "en":
            text = f"Not counted: {total} member(s) who left ({reasons})." if total else ""
            more = f" Counted, exempted from activities: {self.exempted}." if self.exempted else ""
        else:
            text = f"Không tính: {total} đảng viên đã ra khỏi danh sách ({reasons})." if total else ""
            more = f" Có tính, được miễn sinh hoạt: {self.exempted}." if self.exempted else ""
        if self.unreadable:
            files = ", ".join(self.unreadable)
            more += (
                f" Files not read, not counted: {files}."
                if lang == "en"
                else f" Tệp không đọc được, chưa tính: {files}."
            )
        return (text + more).strip()

    @property
    def cells(self) -> list[str | None]:
        """The cells, in roster order (None for rows without a cell)."""
        return [None if pd.isna(c) else str(c) for c in self.counts.index]

    @property
    def total(self) -> pd.Series:
        """Every metric for the whole organisation (the sum of the cells)."""
        return self.counts.sum().astype("int64")

    @property
    def ok(self) -> bool:
        """True when nothing differs from a declared sheet (or none was given)."""
        return not self.reconciliation

    @property
    def counts_by_severity(self) -> dict[str, int]:
        """Issues per severity: the organisation checks and the reconciliation differences (all errors)."""
        counts = count_by_severity(self.organisation.issues)
        counts["error"] += sum(d.severity == Severity.ERROR for d in self.reconciliation)
        counts["warning"] += sum(d.severity == Severity.WARNING for d in self.reconciliation)
        return counts

    def to_dict(self, lang: str = "vi", summary_spec: SummarySpec | None = None) -> dict[str, Any]:
        """The JSON object of docs/architecture.md: ``as_of``, ``cells``, ``total``, ``reconciliation`` (and more).

        As every command that can exit 1, it has ``ok``, ``counts`` (per severity) and ``issues`` (the
        organisation checks, then each difference as an issue record). Breakdown keys under ``groups`` are
        stable slugs ("cap-uy"), their labels in ``group_labels``.
        """
        spec = summary_spec or load_summary_spec()
        per_cell = self._figures()
        return {
            "as_of": self.as_of.isoformat(),
            "term": self.term,
            "files": list(self.files),
            "declared": self.declared_file,
            "ok": self.ok,
            "counts": self.counts_by_severity,
            "cells": [{"cell": name, **figures} for name, figures in zip(self.cells, per_cell, strict=True)],
            "total": self._figures(total=True)[0],
            "group_labels": self._group_labels(spec, lang),
            "undetermined": _undetermined_records(self.undetermined),
            "organisation": self.organisation.to_dict(lang),
            "reconciliation": [d.to_dict(lang) for d in self.reconciliation],
            "milestones": self.milestones.to_dict() if self.milestones else None,
            "issues": [
                *(i.to_dict(lang) for i in self.organisation.issues),
                *(d.issue_dict(lang) for d in self.reconciliation),
            ],
            "excluded": dict(self.excluded),
            "exempted": self.exempted,
            "unreadable": list(self.unreadable),
        }

    def _group_labels(self, spec: SummarySpec, lang: str) -> dict[str, dict[str, str]]:
        extra = {"none": ("Không ghi", "Not given"), "unknown": ("Ngoài danh mục", "Not in the code list")}
        out = {}
        for name, frame in self.groups.items():
            labels = spec.group_labels(name, lang)
            out[name] = {
                group_key(c): labels.get(str(c)) or extra.get(str(c), (str(c), str(c)))[lang == "en"]
                for c in frame.columns
            }
        return out

    def _figures(self, *, total: bool = False) -> list[dict[str, Any]]:
        """The figures of every cell (or of the total), converted to Python once per frame, not once per cell."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            keys = [str(k) for k in frame.columns]  # may repeat (the last wins, as in a dict)
            rows = [frame.sum()] if total else frame
            return [dict(zip(keys, row, strict=True)) for row in np.asarray(rows, dtype="int64").tolist()]

        counts = records(self.counts)
        if total:
            averages = [np.nan if self.total_average_age is None else self.total_average_age]
        else:
            averages = self.average_age.to_numpy(dtype="float64", na_value=np.nan).tolist()
        errors = records(self.with_errors) if self.with_errors is not None else None
        names = list(self.groups)
        for i, (figures, avg, *groups) in enumerate(
            zip(counts, averages, *(records(frame) for frame in self.groups.values()), strict=True)
        ):
            figures["average_age"] = None if np.isnan(avg) else round(float(avg), 1)
            if errors is not None:
                figures["rows_with_errors"] = errors[i]["rows"]
                figures["with_errors"] = {k: v for k, v in errors[i].items() if k != "rows" and v}
            figures["groups"] = {
                name: {group_key(k): v for k, v in group.items()} for name, group in zip(names, groups, strict=True)
            }
        return counts


def group_key(category: Any) -> str:
    """The stable JSON key of a breakdown category: "cấp úy" -> "cap-uy", "lt_10" -> "lt-10"."""
    text = strip_accents(str(category)).replace("đ", "d").replace("Đ", "D").casefold()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unknown"


def _undetermined_records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None:
        return []
    shown = frame.astype(object).where(frame.notna(), None)
    return [
        {
            "cell": r["cell"],
            "member": r["full_name"],
            "file": r["file"],
            "sheet": r["sheet"],
            "row": int(r["row"]),
            "ref": r["ref"],
            "unknown": [k for k in UNDETERMINED if bool(r[k])],
        }
        for r in shown.to_dict("records")
    ]


def _col(frame: pd.DataFrame, name: str, dtype: str = "string") -> pd.Series:
    if name in frame:
        return frame[name]
    missing = pd.NaT if dtype.startswith("datetime") else pd.NA
    return pd.Series(missing, index=frame.index, dtype=dtype)


def _true_for(series: pd.Series, attributes: Mapping[str, Any]) -> pd.Series:
    """Rows whose (canonical) value has a true attribute; values not in the code list count as false."""
    return series.isin([value for value, flag in attributes.items() if flag]).fillna(False).astype(bool)


def member_flags(roster: Roster, *, as_of: dt.date | str, spec: RosterSpec | None = None) -> pd.DataFrame:
    """One row per member: a boolean column per metric, plus ``age`` and ``party_age`` in whole years.

    Official means ``official_on`` ≤ ``as_of`` or ``admitted_on`` + 12 months ≤ ``as_of`` (the Charter: a member
    is official exactly when probation ends); probationary means admitted by ``as_of`` and not official. Where
    neither date is usable the ``membership`` column (if any) decides, else the row is ``status_unknown``.
    Party age counts from ``admitted_on``: the admission decision date, from which the Charter counts it, is not
    on the roster.
    """
    spec = spec or load_roster_spec()
    frame = roster.frame
    at = pd.Timestamp(as_date(as_of))
    months = int(spec.rules.get("probation", {}).get("months", 12))
    admitted = _col(frame, "admitted_on", "datetime64[us]")
    official_on = _col(frame, "official_on", "datetime64[us]")
    official = ((official_on.notna() & (official_on <= at)) | (add_months_series(admitted, months) <= at)).fillna(False)
    probationary = (admitted.notna() & (admitted <= at) & ~official).fillna(False)
    stated = _col(frame, "membership")
    undated = ~official & ~probationary & admitted.isna() & official_on.isna()
    values = spec.codes["membership"].values
    official |= undated & (stated == values[0]).fillna(False)
    probationary |= undated & (stated == values[1]).fillna(False)
    age = (months_between_series(_col(frame, "birth_date", "datetime64[us]"), at) // 12).astype("Float64")
    age = age.where(age >= 0)
    party_age = (months_between_series(admitted, at) // 12).astype("Float64")
    party_age = party_age.where(party_age >= 0)
    flags = pd.DataFrame(
        {
            "total": True,
            "official": official.astype(bool),
            "probationary": probationary.astype(bool),
            "women": (_col(frame, "sex") == spec.codes["sex"].values[1]).fillna(False).astype(bool),
            "ethnic_minority": _true_for(_col(frame, "ethnicity"), spec.codes["ethnicity"].attribute("minority", True)),
            "religious": _true_for(_col(frame, "religion"), spec.codes["religion"].attribute("religious", True)),
        },
        index=frame.index,
    )
    for key, low, high in AGE_BANDS:
        flags[key] = ((age >= low) & (age <= high)).fillna(False).astype(bool)
    flags["party_age_30_or_more"] = (party_age >= 30).fillna(False).astype(bool)
    flags["party_age_40_or_more"] = (party_age >= 40).fillna(False).astype(bool)
    flags["status_unknown"] = ~(flags["official"] | flags["probationary"])
    sexes = spec.codes["sex"].values
    flags["sex_unknown"] = ~_col(frame, "sex").isin(list(sexes)).fillna(False).astype(bool)
    flags["age_unknown"] = age.isna().astype(bool)
    flags["age"] = age
    flags["party_age"] = party_age
    return flags


def _cells(frame: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Each row's position in the cell index, and the index: the cells in roster order (NA for rows without one)."""
    codes, cells = pd.factorize(frame["cell"].astype("string"), use_na_sentinel=False)
    return codes, pd.Index(cells, dtype="string", name="cell")


def _count_by(codes: np.ndarray, size: int, mask: np.ndarray) -> np.ndarray:
    """How many rows of each cell ``mask`` holds."""
    return np.bincount(codes[mask], minlength=size)


def _sum_by(codes: np.ndarray, index: pd.Index, flags: pd.DataFrame) -> pd.DataFrame:
    """Per cell, how many rows each boolean column of ``flags`` holds."""
    data = {name: _count_by(codes, len(index), flags[name].to_numpy(dtype=bool)) for name in flags.columns}
    return pd.DataFrame(data, index=index, columns=flags.columns, dtype="int64")


def _categories(values: pd.Series, mapping: Mapping[str, Any]) -> tuple[np.ndarray, list[str]]:
    """Category per row as (codes, names): "none" where empty, "unknown" where the value is not in the code list.

    The code list is looked up once per distinct value, not once per row.
    """
    codes, uniques = pd.factorize(values)  # empty -> -1
    keys = {k: str(v) for k, v in mapping.items() if v is not None}
    per_value = [keys.get(u, "unknown") for u in uniques]
    names = list(dict.fromkeys([*per_value, "none"]))
    position = {name: i for i, name in enumerate(names)}
    lookup = np.array([position[k] for k in per_value] + [position["none"]], dtype="int64")
    return lookup[codes], names


def _crosstab(
    cells: np.ndarray, index: pd.Index, keys: np.ndarray, names: list[str], order: list[str], title: Any = None
) -> pd.DataFrame:
    """Rows per (cell, category) with the columns ``order`` (0 for a category no row has, repeats allowed)."""
    width = len(names)
    table = np.bincount(cells * width + keys, minlength=len(index) * width).reshape(len(index), width)
    table = np.hstack([table, np.zeros((len(index), 1), dtype=table.dtype)])  # the column of absent categories
    position = {name: i for i, name in enumerate(names)}
    take = [position.get(name, width) for name in order]
    return pd.DataFrame(table[:, take].astype("int64"), index=index, columns=pd.Index(order, dtype="str", name=title))


def _group_frames(
    roster: Roster, flags: pd.DataFrame, spec: RosterSpec, sspec: SummarySpec, cells: np.ndarray, index: pd.Index
) -> dict[str, pd.DataFrame]:
    frame = roster.frame
    keys = {"rank": _categories(_col(frame, "rank"), spec.codes["rank"].attribute("category"))}
    for name in ("education", "professional", "political_theory"):
        keys[name] = _categories(_col(frame, name), spec.codes[name].attribute("level"))
    edges = [int(e) for e in sspec.data.get("party_age_bands", [10, 20, 30, 40, 50])]
    labels = list(_party_age_labels(sspec))
    years = flags["party_age"].to_numpy(dtype="float64", na_value=np.nan)
    band = np.searchsorted(edges, np.nan_to_num(years, nan=0.0), side="right")
    keys["party_age"] = (np.where(np.isnan(years), len(labels), band), [*labels, "unknown"])
    groups = {}
    for name, (codes, names) in keys.items():
        present = set(np.asarray(names)[np.unique(codes)].tolist()) if len(codes) else set()
        order = [*sspec.group_labels(name), *[c for c in ("unknown", "none") if c in present]]
        title = name if name in frame else None  # the columns' name, as a groupby by the column gave them
        groups[name] = _crosstab(cells, index, codes, names, order, title)
    return groups


def _factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(code per row, -1 where empty; the distinct values as text), from a categorical's own codes when it is one."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype="int64"), pd.Index(values.cat.categories.astype("string"))
    codes, uniques = pd.factorize(values.astype("string"))
    return codes, pd.Index(uniques)


def _error_rows(roster: Roster, report: Report) -> np.ndarray:
    """Member rows that carry at least one error issue of ``report`` (a boolean array)."""
    frame = roster.frame
    places = [(i.file, i.sheet, i.row) for i in report.issues if i.severity == Severity.ERROR and i.row is not None]
    if not places or frame.empty:
        return np.zeros(len(frame), dtype=bool)
    # (file, sheet, row) as one integer per row and per issue, compared all at once
    files, sheets, rows = zip(*places, strict=True)
    key, issue_key = np.zeros(len(frame), dtype="int64"), np.zeros(len(places), dtype="int64")
    valid, issue_valid = np.ones(len(frame), dtype=bool), np.ones(len(places), dtype=bool)
    for column, wanted in (("file", files), ("sheet", sheets)):
        codes, uniques = _factorize(frame[column])
        labels = [display_name(w) if column == "file" else str(w) for w in wanted]  # as the frame labels files
        found = uniques.get_indexer(pd.Index(labels, dtype="string"))
        key, issue_key = key * (len(uniques) + 1) + codes, issue_key * (len(uniques) + 1) + found
        valid &= codes >= 0
        issue_valid &= found >= 0
    row = frame["row"].to_numpy(dtype="int64", na_value=-1)
    issue_row = np.array(rows, dtype="int64")
    width = int(max(row.max(), issue_row.max(), 0)) + 1
    key, issue_key = key * width + row, issue_key * width + issue_row
    return valid & (row >= 0) & np.isin(key, issue_key[issue_valid & (issue_row >= 0)])


def summarise(
    roster: Roster,
    *,
    as_of: dt.date | str,
    report: Report | None = None,
    term: str = "2020-2025",
    spec: RosterSpec | None = None,
    summary_spec: SummarySpec | None = None,
) -> Summary:
    """Counts per cell and in total at ``as_of``, recomputed from the rows.

    Members whose rows carry errors still count; with a validation ``report`` the summary also says how many
    such rows each figure includes. Party age counts from ``admitted_on`` (the decision date is not on the
    roster). Official/probationary as in :func:`member_flags`.

    Args:
        roster: what :func:`~dangvien_data.roster.reader.read_roster` returned.
        as_of: the date every figure is computed at (always printed).
        report: the roster's validation report, to count the rows with errors.
        term: the congress term, for the congress type of the organisation checks.
        spec: the roster schema; default schemas/roster.yaml.
        summary_spec: default schemas/summary.yaml.

    Returns:
        The :class:`Summary`; ``summary.to_dict()`` is the JSON object of docs/architecture.md.

    Example:
        >>> roster = read_roster("sample_data/danh_sach_dang_vien.xlsx")         # doctest: +SKIP
        >>> summary = summarise(roster, as_of="2020-03-31")                      # doctest: +SKIP
        >>> len(summary.cells), int(summary.total["total"])                      # doctest: +SKIP
        (10, 170)
    """
    as_of, term = options.date(as_of, "as_of"), options.term(term)
    spec = spec or load_roster_spec()
    sspec = summary_spec or load_summary_spec()
    day = as_date(as_of)
    flags = member_flags(roster, as_of=day, spec=spec)
    cells, index = _cells(roster.frame)
    columns = [*METRICS, *EXTRA_METRICS]
    counts = _sum_by(cells, index, flags[columns])
    ages = flags["age"]
    known = ages.notna().to_numpy(dtype=bool)
    aged = _count_by(cells, len(index), known)
    years = np.bincount(cells, weights=ages.to_numpy(dtype="float64", na_value=0.0), minlength=len(index))
    average = pd.Series(
        pd.arrays.FloatingArray(years / np.maximum(aged, 1), aged == 0), index=index, name="age", copy=False
    )
    total_average = float(ages.mean()) if known.any() else None
    with_errors = None
    if report is not None:
        errors = _error_rows(roster, report)
        marked = flags[columns].to_numpy(dtype=bool) & errors[:, None]
        with_errors = pd.DataFrame(
            {
                **{name: _count_by(cells, len(index), marked[:, i]) for i, name in enumerate(columns)},
                "rows": _count_by(cells, len(index), errors),
            },
            index=index,
            dtype="int64",
        )
    age_by_sex = _age_by_sex(roster, flags, spec)
    organisation = _organisation(counts, term, spec, sspec)
    return Summary(
        as_of=day,
        term=term,
        counts=counts,
        average_age=average,
        total_average_age=total_average,
        groups=_group_frames(roster, flags, spec, sspec, cells, index),
        age_by_sex=age_by_sex,
        organisation=organisation,
        files=tuple(roster.files),
        with_errors=with_errors,
        undetermined=_undetermined(roster, flags),
        **_left_out(roster),
    )


def _undetermined(roster: Roster, flags: pd.DataFrame) -> pd.DataFrame:
    """The rows whose status, sex or age cannot be told: where they are and which of the three."""
    unknown = flags[["status_unknown", "sex_unknown", "age_unknown"]].to_numpy(dtype=bool)
    mask: np.ndarray = np.asarray(unknown.any(axis=1), dtype=bool)
    frame = roster.frame.loc[mask]  # few rows: their places are made for them alone, not for the whole roster
    rows = frame["row"].astype("int64")
    letters = roster.letters("full_name").loc[mask].astype("string").fillna("A")
    people = pd.DataFrame(
        {
            "cell": frame["cell"].astype("string"),
            "full_name": _col(frame, "full_name"),
            "row": rows,
            "file": frame["file"].astype("string"),
            "sheet": frame["sheet"].astype("string"),
            "ref": (letters + rows.astype("string")).astype("string"),
        },
        index=frame.index,
    )
    for i, key in enumerate(UNDETERMINED):
        people[key] = unknown[mask, i]
    return people


def _left_out(roster: Roster) -> dict[str, Any]:
    """The members the reader left out of the roster (departed) by reason, and the exempted ones it kept."""
    excluded: dict[str, int] = {}
    labels: dict[str, tuple[str, str]] = {}
    exempted = 0
    for issue in roster.issues:
        if issue.code == "member-departed":
            reason = str(issue.params.get("reason", ""))
            excluded[reason] = excluded.get(reason, 0) + 1
            labels[reason] = (str(issue.params.get("label_vi", reason)), str(issue.params.get("label_en", reason)))
        elif issue.code == "member-exempted":
            exempted += 1
    unreadable = tuple(str(i.file) for i in roster.issues if i.code == "file-unreadable")
    return {"excluded": excluded, "excluded_labels": labels, "exempted": exempted, "unreadable": unreadable}


def _age_by_sex(roster: Roster, flags: pd.DataFrame, spec: RosterSpec) -> pd.DataFrame:
    sex = _col(roster.frame, "sex")
    bands = [key for key, _, _ in AGE_BANDS]
    table = {
        value: flags.loc[(sex == value).fillna(False).astype(bool), bands].sum() for value in spec.codes["sex"].values
    }
    return pd.DataFrame(table).astype("int64")


def _organisation(counts: pd.DataFrame, term: str, spec: RosterSpec, sspec: SummarySpec) -> Organisation:
    rules = sspec.data.get("organisation", {})
    members, official = int(counts["total"].sum()), int(counts["official"].sum())
    minimum = int(rules.get("party_committee_min_members", 30))
    cells = [str(c) for c in counts.index.dropna()]
    issues: list[Issue] = []
    if len(cells) > 1 and members < minimum:
        issues.append(
            Issue(
                "organisation-below-committee-size",
                Severity.WARNING,
                params={"cells": len(cells), "count": members, "min": minimum},
            )
        )
    threshold = (rules.get("congress", {}).get(term) or {}).get("delegate_from_members")
    congress = None if threshold is None else "delegate" if members >= int(threshold) else "full"
    if congress == "delegate":
        issues.append(
            Issue("congress-delegate", Severity.INFO, params={"count": members, "min": threshold, "term": term})
        )
    elif congress is None:
        issues.append(Issue("congress-threshold-unknown", Severity.INFO, params={"term": term}))
    min_official = int(spec.rules.get("cell-size", {}).get("min_official", 3))
    pairs = zip(counts.index.to_list(), counts["official"].to_list(), strict=True)
    small = tuple((str(c), int(n)) for c, n in pairs if not pd.isna(c) and n < min_official)
    issues += [
        Issue("cell-too-small", Severity.WARNING, cell=c, params={"cell": c, "count": n, "min": min_official})
        for c, n in small
    ]
    return Organisation(members, official, len(cells), members >= minimum, congress, small, tuple(issues))


# --- Lists at a date ------------------------------------------------------------------------------------------


def _people(roster: Roster, mask: pd.Series | np.ndarray) -> pd.DataFrame:
    frame = roster.frame.loc[mask]
    refs = roster.refs("full_name").loc[mask].fillna("A" + frame["row"].astype("string"))
    return pd.DataFrame(
        {"cell": frame["cell"].astype("string"), "full_name": _col(frame, "full_name")}, index=frame.index
    ).assign(file=frame["file"].astype("string"), sheet=frame["sheet"].astype("string"), ref=refs)


def _badges(roster: Roster, year: int, sspec: SummarySpec) -> pd.DataFrame:
    badge = sspec.data.get("badge", {})
    admitted = _col(roster.frame, "admitted_on", "datetime64[us]")
    years = (year - admitted.dt.year).astype("Float64")
    hit = years.isin([float(m) for m in badge.get("milestones", [])]).fillna(False).astype(bool)
    anniversary = add_months_series(admitted[hit], (years[hit] * 12).astype("int64"))
    occasions = sorted(badge.get("occasions", []), key=lambda o: (o["month"], o["day"]))
    keys = np.array([o["month"] * 100 + o["day"] for o in occasions])
    slot = np.searchsorted(keys, (anniversary.dt.month * 100 + anniversary.dt.day).to_numpy(), side="left")
    wraps = slot >= len(occasions)
    slot = np.where(wraps, 0, slot)
    chosen = [occasions[i] for i in slot]
    occasion = pd.to_datetime(
        pd.DataFrame(
            {
                "year": year + wraps.astype(int),
                "month": [o["month"] for o in chosen],
                "day": [o["day"] for o in chosen],
            },
            index=anniversary.index,
        )
    )
    people = _people(roster, hit)
    people.insert(2, "admitted_on", admitted[hit])
    people.insert(3, "party_years", years[hit].astype("int64"))
    people.insert(4, "anniversary", anniversary)
    people.insert(5, "occasion", occasion.astype("datetime64[us]"))
    people.insert(6, "occasion_name", pd.Series([o["name"] for o in chosen], index=people.index, dtype="string"))
    people.insert(
        7, "occasion_name_en", pd.Series([o.get("en", o["name"]) for o in chosen], index=people.index, dtype="string")
    )
    return people.sort_values(["occasion", "party_years", "full_name"], ascending=[True, False, True])


def _due_official(roster: Roster, at: pd.Timestamp, within_days: int, spec: RosterSpec) -> pd.DataFrame:
    months = int(spec.rules.get("probation", {}).get("months", 12))
    admitted = _col(roster.frame, "admitted_on", "datetime64[us]")
    official_on = _col(roster.frame, "official_on", "datetime64[us]")
    due = add_months_series(admitted, months)
    hit = (
        (admitted.notna() & (admitted <= at) & official_on.isna() & (due <= at + pd.Timedelta(days=within_days)))
        .fillna(False)
        .astype(bool)
    )
    people = _people(roster, hit)
    people.insert(2, "admitted_on", admitted[hit])
    people.insert(3, "due_on", due[hit])
    people.insert(4, "days_left", (due[hit] - at).dt.days.astype("int64"))
    return people.sort_values(["due_on", "cell"])


def _limit_months(frame: pd.DataFrame, spec: RosterSpec, tables: list[dict[tuple[str, str], int]]) -> np.ndarray:
    """The service-age limit in months of every row (columns) under each of ``tables`` (rows); NaN: no limit.

    A table maps (rank group, sex) to months; it is looked up once per distinct rank, not once per row.
    """
    ranks, names = pd.factorize(_col(frame, "rank"))  # no rank -> -1, the last row of each lookup
    groups = spec.codes["rank"].attribute("group")
    sexes = spec.codes["sex"].values
    sex = _col(frame, "sex")
    sex_index = np.select(
        [(sex == sexes[0]).to_numpy(bool, na_value=False), (sex == sexes[1]).to_numpy(bool, na_value=False)], [0, 1], 2
    )
    out = np.full((len(tables), len(frame)), np.nan)
    for i, limits in enumerate(tables):
        lookup = np.full((len(names) + 1, 3), np.nan)  # the last column: sex unknown
        for r, rank in enumerate(names):
            for s, key in enumerate(("male", "female")):
                months = limits.get((str(groups.get(rank)), key))
                lookup[r, s] = np.nan if months is None else months
        out[i] = lookup[ranks, sex_index]
    return out


def _service_age(roster: Roster, at: pd.Timestamp, term: str, spec: RosterSpec) -> pd.DataFrame:
    """Officers whose service-age limit falls by the end of the term, each under the law in force then.

    The limit depends on the date (a new law in 2023, phased in year by year), so the term is cut into
    segments at every 1 January and every change of law; an officer is listed in the first segment in which
    they reach the limit that applies in it.
    """
    frame = roster.frame
    _, end = spec.term_dates(term)
    cuts = {at} | {pd.Timestamp(f"{y}-01-01") for y in range(at.year + 1, end.year + 1)}
    cuts |= {
        pd.Timestamp(p["from"])
        for p in spec.rules.get("service-age", {}).get("periods", [])
        if p.get("from") and at < pd.Timestamp(p["from"]) <= end
    }
    bounds = sorted(cuts)
    laws = [police_limits(spec.rules, first.date()) for first in bounds]
    months = _limit_months(frame, spec, [limits for limits, _ in laws])
    born = _col(frame, "birth_date", "datetime64[us]")
    # The limit is reached in the month (birth month + limit): a row whose smallest limit falls after the term
    # cannot be listed; the few others are dated under every segment's law in one add_months.
    month = born.to_numpy(dtype="datetime64[us]").astype("datetime64[M]")
    last = np.datetime64(end.to_datetime64(), "M").astype("int64")
    earliest = month.astype("int64") + np.fmin.reduce(months, axis=0, initial=np.inf)
    near = np.flatnonzero(~np.isnat(month) & (earliest <= last))
    given = months[:, near]  # (segment, row)
    flat = pd.Series(given.ravel())
    dated = add_months_series(pd.Series(np.tile(born.to_numpy()[near], len(bounds))), flat.fillna(0).astype("int64"))
    found = dated.where(flat.notna()).to_numpy(dtype="datetime64[us]").reshape(given.shape)
    starts = pd.DatetimeIndex(bounds).as_unit("us").to_numpy()[:, None]
    stops = pd.DatetimeIndex([*bounds[1:], end + pd.Timedelta(days=1)]).as_unit("us").to_numpy()[:, None]
    inside = ~np.isnat(found) & (found < stops) & ((found >= starts) | (starts == at.to_datetime64()))
    reached = inside.any(axis=0)
    segment = inside.argmax(axis=0)[reached]  # the first segment in which the limit is reached
    column = np.flatnonzero(reached)
    hit = np.zeros(len(frame), dtype=bool)
    hit[near[reached]] = True
    people = _people(roster, hit)
    limit = pd.Series(given[segment, column].astype("int64"), index=people.index)
    reach = pd.Series(found[segment, column], index=people.index)
    law = pd.Series(np.array([name for _, name in laws], dtype=object)[segment], index=people.index, dtype="string")
    years, rest = limit // 12, limit % 12
    people.insert(2, "sex", _col(frame, "sex")[hit])
    people.insert(3, "rank", _col(frame, "rank")[hit])
    people.insert(4, "birth_date", born[hit])
    people.insert(
        5,
        "limit",
        (years.astype("string") + " tuổi" + (" " + rest.astype("string") + " tháng").where(rest > 0, "")).astype(
            "string"
        ),
    )
    people.insert(6, "reaches_on", reach)
    people.insert(7, "law", law)
    people.insert(8, "exceeded", (reach <= at).astype(bool))
    return people.sort_values(["reaches_on", "cell"])


def milestones(
    roster: Roster,
    *,
    as_of: dt.date | str,
    year: int | None = None,
    within_days: int = 30,
    term: str = "2020-2025",
    spec: RosterSpec | None = None,
    summary_spec: SummarySpec | None = None,
) -> Milestones:
    """The lists an office needs at a date (docs/domain.md §3–5).

    - Party-badge milestones (30, 40, 45 … 90 years of Party age) reached in ``year`` (default: the year of
      ``as_of``), with the award occasion: the first of 3/2, 19/5, 2/9, 7/11 on or after the anniversary (3/2
      of the next year after 7/11). Party age counts from ``admitted_on``: the decision date is not on the
      roster, and gaps (expulsion, removal, loss of contact) are not recorded there either.
    - Probationary members due for official recognition within ``within_days`` of ``as_of`` (negative
      ``days_left``: the 12 months have ended and no official date is recorded yet).
    - Officers reaching the police service-age limit by the end of ``term`` (``exceeded``: already at ``as_of``).

    Args:
        roster: the roster.
        as_of: the date of the lists.
        year: the badge year.
        within_days: the look-ahead for official recognition.
        term: the congress term.
        spec: the roster schema.
        summary_spec: schemas/summary.yaml.

    Returns:
        The :class:`Milestones`: ``badges``, ``due_official`` and ``service_age`` tables, one row per member.
    """
    as_of, term = options.date(as_of, "as_of"), options.term(term)
    year = options.optional_integer(year, "year", minimum=1900, maximum=2199)
    within_days = options.integer(within_days, "within_days", minimum=0, maximum=options.MAX_DAYS)
    spec = spec or load_roster_spec()
    sspec = summary_spec or load_summary_spec()
    day = as_date(as_of)
    at = pd.Timestamp(day)
    year = year or day.year
    return Milestones(
        as_of=day,
        year=year,
        within_days=within_days,
        term=term,
        badges=_badges(roster, year, sspec),
        due_official=_due_official(roster, at, within_days, spec),
        service_age=_service_age(roster, at, term, spec),
    )
