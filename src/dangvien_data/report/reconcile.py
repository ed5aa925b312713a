"""Declared vs derived counts, and the roll-forward of a roster between two dates with its movements.

Two questions an office must answer every quarter (DOMAIN.md §2):

- does the summary sheet someone typed (``declared``) agree with the rows (``derived``)? Every figure per cell
  and in total, and the sheet's own arithmetic;
- does the roster at the end of a period follow from the roster at its start and the movements recorded in
  between (start + in − out = end per cell), and is every arrival, departure and move explained?
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dangvien_data.domain.vntext import name_key, name_key_series, nfc, strip_accents
from dangvien_data.errors import InputError, display_name
from dangvien_data.issues import Issue, Severity
from dangvien_data.report.summary import (
    AGE_BANDS,
    Difference,
    Summary,
    SummarySpec,
    load_summary_spec,
    member_flags,
    milestones,
    summarise,
)
from dangvien_data.roster.model import Roster, column_letter
from dangvien_data.roster.normalise import parse_dates
from dangvien_data.roster.reader import expand_paths, header_key, read_roster, read_sheets
from dangvien_data.roster.schemas import RosterSpec, load_roster_spec
from dangvien_data.roster.validation import Report, validate

__all__ = [
    "Declared",
    "DeclaredLine",
    "Movements",
    "RollForward",
    "cell_key",
    "compare_declared",
    "read_declared",
    "read_heading",
    "read_movements",
    "reconcile_files",
    "roll_forward",
    "summarise_files",
]


_NUMBERING = re.compile(r"^\s*(?:[IVXLCDMivxlcdm]+|\d+|[A-Za-z])\s*[.):/-]\s+")
_TERMINAL = re.compile(r"^(?:t\s*/?\s*m\b|tm\.|bi thu$|pho bi thu$|nguoi lap|xac nhan|noi nhan|thu truong)")
_SYMBOLS = (("≤", " le "), ("<=", " le "), ("≥", " ge "), (">=", " ge "), ("<", " lt "), (">", " gt "))
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_DASHES = {"-", "–", "—", "x", "X"}
HEADER_SCAN_ROWS = 40


def _key(text: str) -> str:
    """A header key in which "≤ 30" and "≥ 30" stay different."""
    text = nfc(str(text))
    for symbol, word in _SYMBOLS:
        text = text.replace(symbol, word)
    return header_key(text)


def cell_key(text: str) -> str:
    """A key matching cell names tolerantly: "Đội An ninh" = "I. CHI BỘ ĐỘI AN NINH" (case, NFC/NFD, tones)."""
    key = name_key(_NUMBERING.sub("", nfc(str(text))))
    return re.sub(r"^chi b(?:ộ|o)\s+", "", key)


def _texts(grid: pd.DataFrame, row: int) -> dict[int, str]:
    values = zip(grid.columns.to_list(), list(grid.loc[row]), strict=True)
    return {int(c): str(v).strip() for c, v in values if isinstance(v, str) and v.strip()}


# --- Declared summary sheet --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredLine:
    """One row of a declared summary: the cell as written and its figures with their A1 refs."""

    label: str
    row: int
    values: Mapping[str, float | str | None]
    refs: Mapping[str, str]
    raw: Mapping[str, str]
    is_total: bool = False

    @property
    def label_ref(self) -> str:
        """The A1 ref of the label (first figure's row, cell-name column)."""
        return self.refs.get("_label", f"A{self.row}")


@dataclass(frozen=True)
class Declared:
    """A summary sheet typed by hand: its lines per cell, its total row and the columns recognised."""

    file: str
    sheet: str
    columns: Mapping[str, tuple[str, str]]  # metric -> (letter, header as written)
    lines: tuple[DeclaredLine, ...]
    total: DeclaredLine | None


@dataclass(frozen=True)
class _Headers:
    metrics: dict[str, str]
    in_group: dict[str, dict[str, str]]
    groups: dict[str, str]
    cell: frozenset[str]
    totals: tuple[str, ...]


def _headers(sspec: SummarySpec) -> _Headers:
    data = sspec.data
    metrics: dict[str, str] = {}
    in_group: dict[str, dict[str, str]] = {}
    for key, entry in data["metrics"].items():
        for text in (entry["header"], *(entry.get("aliases") or [])):
            metrics.setdefault(_key(text), key)
        for group, texts in (entry.get("in_group") or {}).items():
            in_group.setdefault(group, {}).update({_key(t): key for t in texts})
    groups = {
        _key(t): name
        for name, entry in data.get("groups", {}).items()
        for t in (entry["header"], *(entry.get("aliases") or []))
    }
    column = data.get("cell_column", {})
    cell = frozenset(_key(t) for t in (column.get("header", "Chi bộ"), *(column.get("aliases") or [])))
    totals = tuple(sorted({strip_accents(nfc(t)).casefold() for t in data.get("total_row", [])}, key=len, reverse=True))
    return _Headers(metrics, in_group, groups, cell, totals)


def _find_table(grid: pd.DataFrame, h: _Headers) -> tuple[int, int, dict[str, int], dict[str, str]] | None:
    """(header row, data start, metric -> column, metric -> header as written) of the best header row."""
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    for row in grid.index.to_list()[:HEADER_SCAN_ROWS]:
        top = _texts(grid, int(row))
        cell_cols = [c for c, t in top.items() if _key(t) in h.cell]
        if not cell_cols:
            continue
        below = _texts(grid, int(row) + 1) if int(row) + 1 in grid.index else {}
        two_rows = any(c in h.groups for c in map(_key, top.values())) and cell_cols[0] not in below
        columns, shown = _map_columns(top, below if two_rows else {}, h)
        if columns and (best is None or len(columns) > len(best[2])):
            start = int(row) + (2 if two_rows else 1)
            if start in grid.index and _numbering(_texts(grid, start)):
                start += 1
            columns["_label"] = cell_cols[0]
            best = (int(row), start, columns, shown)
    return best


def _numbering(texts: dict[int, str]) -> bool:
    return len(texts) >= 3 and all(re.fullmatch(r"\(?\s*\d{1,3}\s*\)?", t) for t in texts.values())


def _map_columns(top: dict[int, str], below: dict[int, str], h: _Headers) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    group, group_text = None, ""
    for col in sorted(set(top) | set(below)):
        if col in top:
            group_text = top[col]
            group = h.groups.get(_key(top[col]))
        lower = below.get(col)
        if lower:
            metric = (
                h.in_group.get(group or "", {}).get(_key(lower))
                or h.metrics.get(_key(lower))
                or h.metrics.get(_key(f"{group_text} {lower}"))
            )
            text = f"{group_text} {lower}" if group else lower
        else:
            metric = h.metrics.get(_key(top.get(col, ""))) if col in top else None
            text = top.get(col, "")
        if metric and metric not in columns:
            columns[metric], shown[metric] = col, text
    return columns, shown


def _number(text: str, metric: str) -> float | str | None:
    """A figure as typed: blank → None, a dash → 0, "1.234" → 1234 (counts), "34,5" → 34.5; else the text."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if not value or value.startswith("="):  # a formula saved without its value (written by a program)
        return None
    if value in _DASHES:
        return 0.0
    if metric != "average_age" and _THOUSANDS.match(value):
        return float(value.replace(".", ""))
    if _DECIMAL.match(value):
        return float(value.replace(",", "."))
    return text


def _is_total(label: str, h: _Headers) -> bool:
    key = re.sub(r"\s+", " ", strip_accents(nfc(label)).casefold()).strip(" :.")
    # one-word labels ("Cộng", "Tổng") only on their own: "Công an xã …" is a cell, not a total
    return any(key == t or key.startswith(t + ":") or (" " in t and key.startswith(t + " ")) for t in h.totals)


def read_declared(path: str | Path, *, summary_spec: SummarySpec | None = None) -> Declared:
    """Read a summary sheet typed by hand: title rows, a table of cells and counts, a total row.

    The header is found by matching the Vietnamese headers and aliases of schemas/summary.yaml (two-row
    headers with group headers such as "Độ tuổi" over "≤ 30", "31 – 40" … too). Figures are read as typed:
    a blank or a dash is 0 (a column left blank throughout is "not declared"), "1.234" is a thousand-separated
    count, "34,5" a decimal comma.

    Raises:
        FileNotFoundInputError: the path does not exist.
        WorkbookError: the file cannot be read.
        InputError: no sheet has a table with a cell-name column and count columns.
    """
    sspec = summary_spec or load_summary_spec()
    file = expand_paths([path])[0]
    h = _headers(sspec)
    for sheet, _visible, grid in read_sheets(file):
        found = _find_table(grid, h) if len(grid) else None
        if found is not None:
            return _declared_lines(str(file), sheet, grid, found, h)
    msg_vi = (
        f'Tệp {file} không có bảng số lượng nào (cần cột "Chi bộ" và các cột như "Tổng số", '
        '"Chính thức", "Dự bị", "Nữ"). Kiểm tra đúng tệp báo cáo, hoặc sửa tiêu đề cột theo '
        "schemas/summary.yaml."
    )
    msg_en = (
        f'{file} has no summary table (a "Chi bộ" column and count columns such as "Tổng số", '
        '"Chính thức", "Dự bị", "Nữ"). Check it is the declared sheet, or rename the headers as in '
        "schemas/summary.yaml."
    )
    raise InputError(msg_vi, msg_en, path=str(file))


def _declared_lines(
    file: str, sheet: str, grid: pd.DataFrame, found: tuple[int, int, dict[str, int], dict[str, str]], h: _Headers
) -> Declared:
    _, start, columns, shown = found
    label_col = columns.pop("_label")
    lines: list[DeclaredLine] = []
    total = None
    for row in (r for r in grid.index.to_list() if int(r) >= start):
        texts = _texts(grid, int(row))
        label = texts.get(label_col) or next(
            (t for c, t in sorted(texts.items()) if c < label_col and not re.fullmatch(r"[\dIVXivx.]+", t)), ""
        )
        key = strip_accents(nfc(label)).casefold()
        if _TERMINAL.match(key):
            break
        raw = {m: texts.get(c, "") for m, c in columns.items()}
        values = {m: _number(t, m) for m, t in raw.items()}
        if not label or all(v is None for v in values.values()):
            continue
        refs = {m: f"{column_letter(c)}{int(row) + 1}" for m, c in columns.items()}
        refs["_label"] = f"{column_letter(label_col)}{int(row) + 1}"
        line = DeclaredLine(label, int(row) + 1, values, refs, raw, _is_total(label, h))
        if line.is_total:
            total = line
            break
        lines.append(line)
    given = [*lines, *([total] if total else [])]
    declared = [m for m in columns if any(line.values.get(m) is not None for line in given)]
    lines = [_zero_blanks(line, declared) for line in lines]
    # the total row keeps its blanks: a formula saved without its value (a file written by a program) reads
    # as blank, and is not a declared 0
    if total is not None:
        total = replace(total, values={m: total.values[m] for m in declared})
    cols = {m: (column_letter(c), shown[m]) for m, c in columns.items() if m in declared}
    return Declared(file, sheet, cols, tuple(lines), total)


def _zero_blanks(line: DeclaredLine, declared: list[str]) -> DeclaredLine:
    values = {m: (0.0 if line.values[m] is None and m != "average_age" else line.values[m]) for m in declared}
    return replace(line, values=values)


# --- Comparing declared and derived ------------------------------------------------------------------------

_STATUS_FIELDS = frozenset({"admitted_on", "official_on", "membership"})
_EXPLAINED_BY: dict[str, frozenset[str]] = {
    "official": _STATUS_FIELDS,
    "probationary": _STATUS_FIELDS,
    "women": frozenset({"sex"}),
    "ethnic_minority": frozenset({"ethnicity"}),
    "religious": frozenset({"religion"}),
    "party_age_30_or_more": frozenset({"admitted_on"}),
    "party_age_40_or_more": frozenset({"admitted_on"}),
    "average_age": frozenset({"birth_date"}),
    **{key: frozenset({"birth_date"}) for key, _, _ in AGE_BANDS},
}
_DUPLICATES = frozenset({"duplicate-member", "duplicate-card-number", "duplicate-cccd"})


def _explain(report: Report | None, cell: str, metric: str) -> tuple[str, ...]:
    """Members whose rows may explain a difference: duplicates for totals, errors in the metric's fields."""
    if report is None:
        return ()
    found: list[str] = []
    for issue in report.issues:
        if issue.cell != cell or issue.severity != Severity.ERROR or not issue.member:
            continue
        where = f"{issue.sheet}!{issue.ref}"
        if issue.code in _DUPLICATES and metric not in {"average_age"}:
            others = issue.params.get("others", "")
            found.append(f"{issue.member} ({where}; {issue.code}: {others})")
        elif issue.field in _EXPLAINED_BY.get(metric, frozenset()):
            found.append(f"{issue.member} ({where}; {issue.code})")
    return tuple(dict.fromkeys(found))


def _labels(sspec: SummarySpec, metric: str) -> dict[str, str]:
    return {"metric": sspec.metric_label(metric), "metric_en": sspec.metric_label(metric, "en")}


def _round_as_typed(derived: float, raw: str) -> float:
    decimals = len(re.split(r"[.,]", raw.strip())[1]) if re.search(r"[.,]\d", raw) else 0
    return round(derived, decimals)


def compare_declared(
    summary: Summary, declared: Declared, *, report: Report | None = None, summary_spec: SummarySpec | None = None
) -> tuple[Difference, ...]:
    """Every declared figure against the roster, and the declared sheet's own arithmetic.

    - each cell row and metric: ``declared-count-mismatch`` (with the members whose rows explain it, when a
      validation report is given: a person listed in two cells, a date that cannot be read …);
    - each row: official + probationary = total, and the five age bands add up to the total
      (``declared-arithmetic``); the total row = the sum of the cell rows (``declared-arithmetic``);
    - the total row against the roster (``declared-total-mismatch``) where the cell rows do not already explain
      the difference (a total row that is the sum of its rows differs exactly where they do);
    - rows naming no cell of the roster (``declared-cell-unknown``), roster cells without a row
      (``declared-cell-missing``), figures that are not numbers (``declared-not-a-number``).

    Returns:
        The differences in sheet order; empty when everything agrees.
    """
    sspec = summary_spec or load_summary_spec()
    derived = summary.counts.astype("float64").assign(average_age=summary.average_age.astype("float64"))
    by_key = {cell_key(str(c)): c for c in derived.index if not pd.isna(c)}
    loose = _loose_keys(by_key)
    out: list[Difference] = []
    seen: set[Any] = set()
    place = declared
    for line in declared.lines:
        out += _not_numbers(line, line.label, sspec, place)
        cell = by_key.get(cell_key(line.label)) or loose.get(strip_accents(cell_key(line.label)))
        if cell is None:
            hint = _suggest(line.label, list(by_key.values()))
            out.append(
                Difference(
                    "declared-cell-unknown",
                    line.label,
                    None,
                    _value(line, "total"),
                    None,
                    ref=line.label_ref,
                    file=place.file,
                    sheet=place.sheet,
                    params={
                        "hint_vi": f' Có phải là "{hint}"?' if hint else "",
                        "hint_en": f' Did you mean "{hint}"?' if hint else "",
                    },
                )
            )
        else:
            seen.add(cell)
            out += _line_differences(line, str(cell), derived.loc[cell], report, sspec, place)
        out += _row_arithmetic(line, line.label if cell is None else str(cell), sspec, place)
    for cell in derived.index:
        if cell not in seen and not pd.isna(cell) and "total" in declared.columns:
            out.append(
                Difference(
                    "declared-cell-missing",
                    str(cell),
                    "total",
                    None,
                    float(derived.loc[cell, "total"]),
                    file=place.file,
                    sheet=place.sheet,
                )
            )
    if declared.total is not None:
        out += _total_differences(declared, summary, derived, out, sspec, place)
    return tuple(out)


def _loose_keys(by_key: Mapping[str, Any]) -> dict[str, Any]:
    loose: dict[str, list[Any]] = {}
    for key, cell in by_key.items():
        loose.setdefault(strip_accents(key), []).append(cell)
    return {k: v[0] for k, v in loose.items() if len(v) == 1}


def _suggest(label: str, cells: list[Any]) -> str | None:
    import difflib

    keyed = {strip_accents(cell_key(str(c))): str(c) for c in cells}
    found = difflib.get_close_matches(strip_accents(cell_key(label)), list(keyed), n=1, cutoff=0.6)
    return keyed[found[0]] if found else None


def _value(line: DeclaredLine, metric: str) -> float | None:
    value = line.values.get(metric)
    return value if isinstance(value, float) else None


def _not_numbers(line: DeclaredLine, cell: str, sspec: SummarySpec, place: Declared) -> list[Difference]:
    return [
        Difference(
            "declared-not-a-number",
            cell,
            m,
            None,
            None,
            ref=line.refs[m],
            file=place.file,
            sheet=place.sheet,
            params={**_labels(sspec, m), "value": v},
        )
        for m, v in line.values.items()
        if isinstance(v, str)
    ]


def _line_differences(
    line: DeclaredLine, cell: str, derived: pd.Series, report: Report | None, sspec: SummarySpec, place: Declared
) -> list[Difference]:
    out = []
    for metric, value in line.values.items():
        if not isinstance(value, float) or metric not in derived.index or pd.isna(derived[metric]):
            continue
        expected = float(derived[metric])
        if metric == "average_age":
            expected = _round_as_typed(expected, line.raw[metric])
        if value != expected:
            members = _explain(report, cell, metric)
            out.append(
                Difference(
                    "declared-count-mismatch",
                    cell,
                    metric,
                    value,
                    expected,
                    ref=line.refs[metric],
                    members=members,
                    file=place.file,
                    sheet=place.sheet,
                    params={
                        **_labels(sspec, metric),
                        "explain_vi": f" Các dòng có thể giải thích: {'; '.join(members)}." if members else "",
                        "explain_en": f" Rows that may explain it: {'; '.join(members)}." if members else "",
                    },
                )
            )
    return out


def _row_arithmetic(line: DeclaredLine, cell: str, sspec: SummarySpec, place: Declared) -> list[Difference]:
    total = _value(line, "total")
    if total is None:
        return []
    out = []
    where = {"where": cell, "where_en": cell}
    for parts, formula_vi, formula_en in (
        (("official", "probationary"), "Chính thức + Dự bị", "official + probationary"),
        (tuple(k for k, _, _ in AGE_BANDS), "tổng các độ tuổi", "the sum of the age bands"),
    ):
        values = [_value(line, p) for p in parts]
        if all(v is not None for v in values) and sum(v for v in values if v is not None) != total:
            added = float(sum(v for v in values if v is not None))
            out.append(
                Difference(
                    "declared-arithmetic",
                    cell,
                    "total",
                    total,
                    added,
                    ref=line.refs["total"],
                    file=place.file,
                    sheet=place.sheet,
                    params={**_labels(sspec, "total"), **where, "formula": formula_vi, "formula_en": formula_en},
                )
            )
    return out


def _total_differences(
    declared: Declared,
    summary: Summary,
    derived: pd.DataFrame,
    found: list[Difference],
    sspec: SummarySpec,
    place: Declared,
) -> list[Difference]:
    total = declared.total
    assert total is not None
    out = _not_numbers(total, total.label, sspec, place) + _row_arithmetic(total, total.label, sspec, place)
    explained = {
        d.metric
        for d in found
        if d.code in {"declared-count-mismatch", "declared-cell-missing", "declared-cell-unknown"}
    }
    explained |= (
        {"total"} if any(d.code in {"declared-cell-missing", "declared-cell-unknown"} for d in found) else set()
    )
    for metric, value in total.values.items():
        if not isinstance(value, float):
            continue
        labels = {**_labels(sspec, metric), "where": total.label, "where_en": total.label}
        if metric == "average_age":
            whole = summary.total_average_age
            if whole is not None and value != _round_as_typed(whole, total.raw[metric]):
                out.append(
                    Difference(
                        "declared-total-mismatch",
                        None,
                        metric,
                        value,
                        _round_as_typed(whole, total.raw[metric]),
                        ref=total.refs[metric],
                        file=place.file,
                        sheet=place.sheet,
                        params=labels,
                    )
                )
            continue
        added = sum((_value(line, metric) or 0.0) for line in declared.lines)
        if value != added:
            out.append(
                Difference(
                    "declared-arithmetic",
                    total.label,
                    metric,
                    value,
                    float(added),
                    ref=total.refs[metric],
                    file=place.file,
                    sheet=place.sheet,
                    params={**labels, "formula": "tổng các dòng chi bộ", "formula_en": "the sum of the cell rows"},
                )
            )
        elif value != float(derived[metric].sum()) and metric not in explained:
            out.append(
                Difference(
                    "declared-total-mismatch",
                    None,
                    metric,
                    value,
                    float(derived[metric].sum()),
                    ref=total.refs[metric],
                    file=place.file,
                    sheet=place.sheet,
                    params=labels,
                )
            )
    return out


# --- Movements and roll-forward ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Movements:
    """A movements sheet (biến động): one row per admission, transfer, death, move between cells …

    ``frame`` columns: ``category`` (key of schemas/summary.yaml), ``direction`` (in, out, internal, status),
    ``full_name``, ``birth_date``, ``card_number``, ``cell``, ``cell_to``, ``date``, ``file``, ``sheet``, ``row``,
    ``ref`` (A1 ref of the category cell).
    """

    frame: pd.DataFrame
    issues: tuple[Issue, ...] = ()


_MOVEMENT_FIELDS = ("full_name", "birth_date", "card_number", "category", "date", "cell", "cell_to", "note")


def read_movements(path: str | Path, *, summary_spec: SummarySpec | None = None) -> Movements:
    """Read a movements sheet: its header is found by the headers of schemas/summary.yaml ``movements.columns``.

    Raises:
        FileNotFoundInputError: the path does not exist.
        WorkbookError: the file cannot be read.
        InputError: no sheet has the columns "Họ và tên" and "Loại biến động" (or their aliases).
    """
    sspec = summary_spec or load_summary_spec()
    spec = sspec.data["movements"]
    keys = {
        _key(t): name
        for name, entry in spec["columns"].items()
        for t in (entry["header"], *(entry.get("aliases") or []))
    }
    file = expand_paths([path])[0]
    for sheet, _visible, grid in read_sheets(file):
        for row in grid.index.to_list()[:HEADER_SCAN_ROWS]:
            found: dict[str, int] = {}
            for col, text in _texts(grid, int(row)).items():
                found.setdefault(keys.get(_key(text), ""), col)
            if {"full_name", "category"} <= set(found):
                return _movement_frame(display_name(file), sheet, grid, int(row), found, sspec)
    msg_vi = (
        f'Tệp {file} không có bảng biến động (cần các cột "Họ và tên" và "Loại biến động"). Kiểm tra '
        "đúng tệp, hoặc sửa tiêu đề cột theo schemas/summary.yaml (movements.columns)."
    )
    msg_en = (
        f'{file} has no movements table (columns "Họ và tên" and "Loại biến động" are needed). Check '
        "the file, or rename the headers as in schemas/summary.yaml (movements.columns)."
    )
    raise InputError(msg_vi, msg_en, path=str(file))


def _movement_frame(
    file: str, sheet: str, grid: pd.DataFrame, header: int, columns: dict[str, int], sspec: SummarySpec
) -> Movements:
    start = header + 1
    if start in grid.index and _numbering(_texts(grid, start)):
        start += 1
    data = grid.loc[start:]
    get = {
        name: data[columns[name]].astype("string").str.strip()
        if name in columns
        else pd.Series(pd.NA, index=data.index, dtype="string")
        for name in _MOVEMENT_FIELDS
    }
    rows = get["full_name"].notna() & get["category"].notna()
    frame = pd.DataFrame({name: s[rows] for name, s in get.items()})
    categories = sspec.data["movements"]["categories"]
    lookup = {
        name_key(t): key for key, entry in categories.items() for t in (entry["label"], *(entry.get("aliases") or []))
    }
    frame["category"] = frame["category"].map(lambda t: lookup.get(name_key(str(t)), t)).astype("string")
    frame["direction"] = frame["category"].map({k: e["direction"] for k, e in categories.items()}).astype("string")
    frame["birth_date"] = parse_dates(frame["birth_date"])["date"].astype("datetime64[us]")
    frame["date"] = parse_dates(frame["date"])["date"].astype("datetime64[us]")
    frame["card_number"] = frame["card_number"].str.replace(r"[\s.]", "", regex=True)
    frame["file"], frame["sheet"] = file, sheet
    frame["row"] = (frame.index + 1).astype("int64")
    frame["ref"] = column_letter(columns["category"]) + frame["row"].astype("string")
    unknown = frame["direction"].isna()
    issues = tuple(
        Issue(
            "movement-category-unknown",
            Severity.ERROR,
            file=file,
            sheet=sheet,
            ref=ref,
            row=int(row),
            field="category",
            value=str(value),
            member=str(name),
        )
        for ref, row, value, name in frame.loc[unknown, ["ref", "row", "category", "full_name"]].itertuples(index=False)
    )
    return Movements(frame.reset_index(drop=True), issues)


@dataclass(frozen=True)
class RollForward:
    """The roster at the end of a period against its start and the movements in between.

    ``cells``: per cell ``start``, one column per movement category, ``moved_in``/``moved_out`` (moves between
    cells), ``expected_end`` = start + in − out (from the movements), ``end`` (rows of the later roster),
    ``arrived``/``departed`` (members new to / gone from the cell, from the rows) and ``became_official``.
    ``changes``: every arrival, departure, move and probationary → official, with the movement that explains
    it. ``differences``: cells where start + in − out ≠ end. ``issues``: unexplained changes, movements not
    seen on the rosters, unknown categories.
    """

    as_of_before: dt.date
    as_of_after: dt.date
    files_before: tuple[str, ...]
    files_after: tuple[str, ...]
    cells: pd.DataFrame
    changes: pd.DataFrame
    differences: tuple[Difference, ...]
    issues: tuple[Issue, ...]
    movements_file: str | None = None
    heading: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every change is explained and start + in − out = end in every cell."""
        return not self.differences and not self.issues

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready: dates, per-cell table and total, changes, differences, issues."""
        table = self.cells.reset_index()
        return {
            "before": {"as_of": self.as_of_before.isoformat(), "files": list(self.files_before)},
            "after": {"as_of": self.as_of_after.isoformat(), "files": list(self.files_after)},
            "movements": self.movements_file,
            "ok": self.ok,
            "cells": [
                {k: (None if pd.isna(v) else v if isinstance(v, str) else int(v)) for k, v in r.items()}
                for r in table.to_dict("records")
            ],
            "total": {k: int(v) for k, v in self.cells.sum(numeric_only=True).items()},
            "changes": [
                {k: (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                for r in self.changes.to_dict("records")
            ],
            "reconciliation": [d.to_dict(lang) for d in self.differences],
            "issues": [i.to_dict(lang) for i in self.issues],
        }


def _people(roster: Roster, as_of: dt.date, spec: RosterSpec) -> pd.DataFrame:
    frame = roster.frame
    flags = member_flags(roster, as_of=as_of, spec=spec)
    name = frame["full_name"] if "full_name" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    card = frame["card_number"] if "card_number" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    born = (
        frame["birth_date"] if "birth_date" in frame else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    )
    refs = roster.refs("full_name").fillna("A" + frame["row"].astype("string"))
    card = card.astype("string")
    return pd.DataFrame(
        {
            "cell": frame["cell"].astype("string"),
            "full_name": name.astype("string"),
            "born": born,
            "card": card.where(card.str.fullmatch(r"\d{8}").fillna(False)),
            "official": flags["official"],
            "probationary": flags["probationary"],
            "place": frame["sheet"].astype("string") + "!" + refs,
            "file": frame["file"].astype("string"),
            "sheet": frame["sheet"].astype("string"),
            "row": frame["row"],
        },
        index=frame.index,
    )


def _with_keys(people: pd.DataFrame) -> pd.DataFrame:
    """``people`` with the name key and the name key + birth date, computed only for the rows given.

    Name keys are the costly part (Unicode work on every name), so they are made only for the rows that card
    numbers did not match.
    """
    keys = name_key_series(people["full_name"])
    return people.assign(name=keys, person=keys + "|" + people["born"].dt.strftime("%Y%m%d").astype("string"))


def _match(left: pd.DataFrame, right: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Pairs (left, right) matched by each key in turn among rows still free; a key must be unique on both sides."""
    pairs = []
    free_left, free_right = left.index, right.index
    for key in keys:
        a = left.loc[free_left, key].dropna()
        b = right.loc[free_right, key].dropna()
        a, b = a[~a.duplicated(keep=False)], b[~b.duplicated(keep=False)]
        found = pd.merge(pd.DataFrame({"k": a, "left": a.index}), pd.DataFrame({"k": b, "right": b.index}), on="k")
        pairs.append(found[["left", "right"]])
        free_left = free_left.difference(pd.Index(found["left"]))
        free_right = free_right.difference(pd.Index(found["right"]))
    return pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame({"left": [], "right": []})


def roll_forward(
    before: Roster,
    after: Roster,
    *,
    as_of_before: dt.date | str,
    as_of_after: dt.date | str,
    movements: Movements | None = None,
    spec: RosterSpec | None = None,
    summary_spec: SummarySpec | None = None,
) -> RollForward:
    """Match the members of two rosters and explain every change with the movements.

    Members are matched by Party card number, then by name key + birth date, then by name key alone (each key
    used only where it is unique on both sides). Unmatched rows of the earlier roster are departures, of the
    later one arrivals; a matched member in another cell has moved; probationary at the start and official at
    the end has become official (a change of status, not a movement). Each arrival is explained by an
    incoming movement (kết nạp, kết nạp lại, chuyển đến, khôi phục đảng tịch), each departure by an outgoing one
    (chuyển đi, từ trần, khai trừ, xóa tên, xin ra khỏi Đảng), each move by "chuyển sinh hoạt nội bộ"; status-only
    rows (miễn sinh hoạt, sinh hoạt tạm thời) are ignored. Per cell, start + in − out (from the movements) must
    equal the later roster's count.
    """
    spec = spec or load_roster_spec()
    sspec = summary_spec or load_summary_spec()
    day0, day1 = _date(as_of_before), _date(as_of_after)
    old, new = _people(before, day0, spec), _people(after, day1, spec)
    by_card = _match(old, new, ("card",))
    rest_old = _with_keys(old.drop(index=pd.Index(by_card["left"])))
    rest_new = _with_keys(new.drop(index=pd.Index(by_card["right"])))
    pairs = pd.concat([by_card, _match(rest_old, rest_new, ("person",))], ignore_index=True)
    stayed = pd.DataFrame({"before": pairs["left"].to_numpy(), "after": pairs["right"].to_numpy()})
    cells_old = old.loc[stayed["before"], "cell"].to_numpy()
    cells_new = new.loc[stayed["after"], "cell"].to_numpy()
    moved = stayed[pd.Series(cells_old != cells_new).fillna(True).to_numpy()]
    official = stayed[
        (old.loc[stayed["before"], "probationary"].to_numpy() & new.loc[stayed["after"], "official"].to_numpy())
    ]
    left = old.index.difference(pd.Index(stayed["before"]))
    arrived = new.index.difference(pd.Index(stayed["after"]))
    mv = _movement_people(movements, sspec)
    changes = _changes(old, new, left, arrived, moved, official, mv)
    issues = list(movements.issues) if movements else []
    issues += _unexplained(changes, new, old)
    issues += _not_reflected(mv, changes, sspec)
    table = _cell_table(old, new, left, arrived, moved, official, mv, changes, sspec)
    differences = tuple(_identity(table)) if movements is not None else ()
    return RollForward(
        day0,
        day1,
        tuple(before.files),
        tuple(after.files),
        table,
        changes,
        differences,
        tuple(issues),
        movements_file=str(mv["file"].iloc[0]) if len(mv) else None,
    )


def _date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _movement_people(movements: Movements | None, sspec: SummarySpec) -> pd.DataFrame:
    columns = [
        "category",
        "direction",
        "full_name",
        "cell",
        "cell_to",
        "file",
        "sheet",
        "ref",
        "card",
        "person",
        "name",
    ]
    if movements is None or movements.frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
    frame = movements.frame
    keys = name_key_series(frame["full_name"].astype("string"))
    card = frame["card_number"].astype("string")
    return frame.assign(
        card=card.where(card.str.fullmatch(r"\d{8}").fillna(False)),
        person=keys + "|" + frame["birth_date"].dt.strftime("%Y%m%d").astype("string"),
        name=keys,
    )[columns]


def _changes(
    old: pd.DataFrame,
    new: pd.DataFrame,
    left: pd.Index,
    arrived: pd.Index,
    moved: pd.DataFrame,
    official: pd.DataFrame,
    mv: pd.DataFrame,
) -> pd.DataFrame:
    keys = ("card", "person", "name")
    parts = []
    for kind, people, direction in (
        ("arrival", _with_keys(new.loc[arrived]), "in"),
        ("departure", _with_keys(old.loc[left]), "out"),
        ("move", _with_keys(new.loc[moved["after"]]), "internal"),
    ):
        rows = mv[mv["direction"] == direction]
        pairs = _match(people, rows, keys)
        explained = pd.Series(pairs["right"].to_numpy(), index=pairs["left"].to_numpy())
        base = pd.DataFrame(
            {"kind": kind, "member": people["full_name"], "movement": explained.reindex(people.index)},
            index=people.index,
        )
        if kind == "arrival":
            base = base.assign(
                cell_before=None,
                cell_after=people["cell"],
                place_before=None,
                place_after=people["place"],
                row_before=None,
                row_after=people.index,
            )
        elif kind == "departure":
            base = base.assign(
                cell_before=people["cell"],
                cell_after=None,
                place_before=people["place"],
                place_after=None,
                row_before=people.index,
                row_after=None,
            )
        else:
            src = old.loc[moved["before"]]
            base = base.assign(
                cell_before=src["cell"].to_numpy(),
                cell_after=people["cell"],
                place_before=src["place"].to_numpy(),
                place_after=people["place"],
                row_before=moved["before"].to_numpy(),
                row_after=people.index,
            )
        parts.append(base.reset_index(drop=True))
    status = new.loc[official["after"]]
    parts.append(
        pd.DataFrame(
            {
                "kind": "became_official",
                "member": status["full_name"].to_numpy(),
                "movement": pd.NA,
                "cell_before": old.loc[official["before"], "cell"].to_numpy(),
                "cell_after": status["cell"].to_numpy(),
                "place_before": old.loc[official["before"], "place"].to_numpy(),
                "place_after": status["place"].to_numpy(),
                "row_before": official["before"].to_numpy(),
                "row_after": official["after"].to_numpy(),
            }
        )
    )
    changes = pd.concat(parts, ignore_index=True)
    taken = changes["movement"].astype("Float64")
    category = mv["category"].reindex(taken.dropna().astype("int64")).to_numpy()
    changes["category"] = pd.Series(pd.NA, index=changes.index, dtype="string")
    changes.loc[taken.notna().to_numpy(), "category"] = category
    changes["movement_place"] = pd.Series(pd.NA, index=changes.index, dtype="string")
    where = (mv["sheet"] + "!" + mv["ref"]).reindex(taken.dropna().astype("int64")).to_numpy()
    changes.loc[taken.notna().to_numpy(), "movement_place"] = where
    changes["explained"] = taken.notna().to_numpy() | (changes["kind"] == "became_official").to_numpy()
    for name in ("cell_before", "cell_after", "place_before", "place_after", "member"):
        changes[name] = changes[name].astype("string")
    return changes


_KINDS = {
    "arrival": ("Đảng viên mới có tên", "New on the roster:"),
    "departure": ("Đảng viên không còn tên", "No longer on the roster:"),
    "move": ("Chuyển chi bộ", "Moved between cells:"),
}


def _unexplained(changes: pd.DataFrame, new: pd.DataFrame, old: pd.DataFrame) -> list[Issue]:
    bad = changes[~changes["explained"]]
    departure = (bad["kind"] == "departure").to_numpy()
    source = old.reindex(pd.Index(bad["row_before"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)))
    target = new.reindex(pd.Index(bad["row_after"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)))
    where = {
        name: np.where(departure, source[name].to_numpy(dtype=object), target[name].to_numpy(dtype=object))
        for name in ("file", "sheet", "row", "place", "cell")
    }
    issues = []
    for i, (kind, member, before, after) in enumerate(
        zip(bad["kind"], bad["member"], bad["cell_before"], bad["cell_after"], strict=True)
    ):
        vi, en = _KINDS[str(kind)]
        place = f"{before} → {after}" if kind == "move" else str(where["cell"][i])
        params = {"kind_vi": vi, "kind_en": en, "place": place, "member": str(member)}
        issues.append(
            Issue(
                "movement-unexplained",
                Severity.ERROR,
                file=str(where["file"][i]),
                sheet=str(where["sheet"][i]),
                ref=str(where["place"][i]).split("!")[-1],
                row=int(where["row"][i]),
                field="full_name",
                member=str(member),
                cell=str(where["cell"][i]),
                params=params,
            )
        )
    return issues


def _not_reflected(mv: pd.DataFrame, changes: pd.DataFrame, sspec: SummarySpec) -> list[Issue]:
    used = set(changes["movement"].dropna().astype("int64"))
    categories = sspec.data["movements"]["categories"]
    reasons = {
        "in": ("không có người mới nào khớp", "no new member matches"),
        "out": ("người này không rời danh sách", "this person did not leave the roster"),
        "internal": ("không thấy chuyển chi bộ", "no move between cells is seen"),
    }
    issues = []
    for idx, row in mv.iterrows():
        if idx in used or row["direction"] not in reasons:
            continue
        entry = categories.get(str(row["category"]), {})
        vi, en = reasons[str(row["direction"])]
        issues.append(
            Issue(
                "movement-not-reflected",
                Severity.ERROR,
                file=str(row["file"]),
                sheet=str(row["sheet"]),
                ref=str(row["ref"]),
                field="category",
                member=str(row["full_name"]),
                params={
                    "member": str(row["full_name"]),
                    "category": entry.get("label", row["category"]),
                    "category_en": entry.get("en", row["category"]),
                    "reason_vi": vi,
                    "reason_en": en,
                },
            )
        )
    return issues


def _cell_table(
    old: pd.DataFrame,
    new: pd.DataFrame,
    left: pd.Index,
    arrived: pd.Index,
    moved: pd.DataFrame,
    official: pd.DataFrame,
    mv: pd.DataFrame,
    changes: pd.DataFrame,
    sspec: SummarySpec,
) -> pd.DataFrame:
    categories = sspec.data["movements"]["categories"]
    ins = [k for k, e in categories.items() if e["direction"] == "in"]
    outs = [k for k, e in categories.items() if e["direction"] == "out"]
    names = {cell_key(str(c)): str(c) for c in pd.concat([old["cell"], new["cell"]]).dropna().unique()}
    # a movement row names its cell as written; fall back on the matched member's cell where it names none
    taken = changes.dropna(subset=["movement"]).set_index(changes["movement"].dropna().astype("int64"))
    source = mv["cell"].map(lambda t: names.get(cell_key(str(t)), t), na_action="ignore").astype("string")
    source = source.fillna(taken["cell_before"].reindex(mv.index)).fillna(taken["cell_after"].reindex(mv.index))
    target = mv["cell_to"].map(lambda t: names.get(cell_key(str(t)), t), na_action="ignore").astype("string")
    target = target.fillna(taken["cell_after"].reindex(mv.index))
    index = pd.Index(
        pd.unique(pd.concat([old["cell"], new["cell"], source, target]).dropna()), dtype="string", name="cell"
    )

    def count(values: pd.Series) -> pd.Series:
        return values.dropna().value_counts().reindex(index, fill_value=0)

    table = pd.DataFrame({"start": count(old["cell"])}, index=index)
    for key in ins:
        table[key] = count(source[mv["category"] == key])
    table["moved_in"] = count(target[mv["direction"] == "internal"])
    for key in outs:
        table[key] = count(source[mv["category"] == key])
    table["moved_out"] = count(source[mv["direction"] == "internal"])
    table["expected_end"] = (
        table["start"] + table[ins].sum(axis=1) + table["moved_in"] - table[outs].sum(axis=1) - table["moved_out"]
    )
    table["end"] = count(new["cell"])
    table["arrived"] = count(new.loc[arrived, "cell"]) + count(new.loc[moved["after"], "cell"])
    table["departed"] = count(old.loc[left, "cell"]) + count(old.loc[moved["before"], "cell"])
    table["became_official"] = count(new.loc[official["after"], "cell"])
    return table.astype("int64")


def _identity(table: pd.DataFrame) -> list[Difference]:
    columns = list(table.columns)
    inflow = table[columns[1 : columns.index("moved_in") + 1]].sum(axis=1)
    outflow = table[columns[columns.index("moved_in") + 1 : columns.index("moved_out") + 1]].sum(axis=1)
    wrong = table["expected_end"] != table["end"]
    return [
        Difference(
            "rollforward-identity",
            str(cell),
            "total",
            float(expected),
            float(end),
            params={"start": int(start), "inflow": int(i), "outflow": int(o)},
        )
        for cell, start, i, o, expected, end in zip(
            table.index[wrong],
            table.loc[wrong, "start"],
            inflow[wrong],
            outflow[wrong],
            table.loc[wrong, "expected_end"],
            table.loc[wrong, "end"],
            strict=True,
        )
    ]


# --- Whole files: what the commands do -------------------------------------------------------------------

_AS_OF_RE = re.compile(r"tinh den ngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_PLACE_RE = re.compile(r"^(.+?),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def read_heading(roster: Roster) -> dict[str, Any]:
    """The Party-document heading of the roster's first sheet: organisation, place and the "Tính đến ngày" date.

    It comes from the rows above the header that the reader kept in the one read of each sheet.

    Returns:
        ``{"organisation": str | None, "place": str | None, "as_of": date | None}``; empty values when the
        sheet has no such heading.
    """
    heading: dict[str, Any] = {"organisation": None, "place": None, "as_of": None}
    texts = roster.sources[0].heading if roster.sources else ()
    for row, col, text in texts:
        key = strip_accents(nfc(text)).casefold()
        if heading["organisation"] is None and col == 0 and row <= 1 and text != "*":
            heading["organisation"] = nfc(text)
        if heading["as_of"] is None and (found := _AS_OF_RE.search(key)):
            heading["as_of"] = _safe_date(int(found[3]), int(found[2]), int(found[1]))
        if heading["place"] is None and (place := _PLACE_RE.match(nfc(text))):
            heading["place"] = place[1].strip()
    return heading


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def summarise_files(
    paths: Sequence[str | Path],
    *,
    as_of: dt.date | str | None = None,
    declared: str | Path | None = None,
    term: str = "2020-2025",
    year: int | None = None,
    within_days: int = 30,
) -> Summary:
    """What ``dangvien summary`` does: read, validate, summarise, list milestones and reconcile a declared sheet.

    The date is ``as_of``, else the "(Tính đến ngày …)" line of the first roster, else today (always printed).

    Returns:
        The :class:`~dangvien_data.report.summary.Summary` with its ``reconciliation`` and ``milestones``.
    """
    roster = read_roster(paths)
    heading = read_heading(roster)
    day = _date(as_of) if as_of else heading["as_of"] or dt.date.today()
    report = validate(roster, as_of=day, term=term)
    summary = summarise(roster, as_of=day, report=report, term=term)
    lists = milestones(roster, as_of=day, year=year, within_days=within_days, term=term)
    differences: tuple[Difference, ...] = ()
    if declared is not None:
        differences = compare_declared(summary, read_declared(declared), report=report)
    shown = {k: str(v) for k, v in heading.items() if k != "as_of" and v}
    return replace(
        summary,
        reconciliation=differences,
        milestones=lists,
        heading=shown,
        declared_file=str(declared) if declared is not None else None,
    )


def reconcile_files(
    before: Sequence[str | Path] | str | Path,
    after: Sequence[str | Path] | str | Path,
    *,
    movements: str | Path | None = None,
    as_of_before: dt.date | str | None = None,
    as_of_after: dt.date | str | None = None,
) -> RollForward:
    """What ``dangvien reconcile`` does: read two rosters (and a movements sheet) and roll forward.

    Each roster's date is the given one, else its "(Tính đến ngày …)" line.

    Raises:
        InputError: a roster's date is neither given nor in its heading.
    """
    first, second = read_roster(before), read_roster(after)
    dates = []
    for roster, given, flag in ((first, as_of_before, "--as-of-before"), (second, as_of_after, "--as-of-after")):
        day = _date(given) if given else read_heading(roster)["as_of"]
        if day is None:
            name = roster.files[0] if roster.files else ""
            msg_vi = (
                f'Không tìm thấy dòng "(Tính đến ngày …)" trong {name}. Ghi ngày của danh sách bằng {flag} YYYY-MM-DD.'
            )
            msg_en = f'No "(Tính đến ngày …)" line in {name}. Give the roster\'s date with {flag} YYYY-MM-DD.'
            raise InputError(msg_vi, msg_en, path=name)
        dates.append(day)
    moves = read_movements(movements) if movements is not None else None
    heading = read_heading(second)
    result = roll_forward(first, second, as_of_before=dates[0], as_of_after=dates[1], movements=moves)
    return replace(
        result,
        heading={k: str(v) for k, v in heading.items() if k != "as_of" and v},
        movements_file=str(movements) if movements is not None else None,
    )
