"""Declared vs derived counts: a summary sheet typed by hand, read and compared with the roster.

Does the summary sheet someone typed (``declared``) agree with the rows (``derived``)? Every figure per cell
and in total, and the sheet's own arithmetic (docs/domain.md §2)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from dangvien_data import options
from dangvien_data.domain.cells import cell_key
from dangvien_data.domain.vntext import nfc, strip_accents
from dangvien_data.errors import InputError
from dangvien_data.issues import Severity
from dangvien_data.report.summary import (
    AGE_BANDS,
    Difference,
    Summary,
    SummarySpec,
    load_summary_spec,
)
from dangvien_data.report.tables import row_texts, table_key
from dangvien_data.roster.model import column_letter
from dangvien_data.roster.reader import HEADER_SCAN_ROWS, expand_paths, is_numbering_row, read_sheets
from dangvien_data.roster.validation import Report

__all__ = [
    "Declared",
    "DeclaredLine",
    "compare_declared",
    "read_declared",
]


_TERMINAL = re.compile(r"^(?:t\s*/?\s*m\b|tm\.|bi thu$|pho bi thu$|nguoi lap|xac nhan|noi nhan|thu truong)")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_DASHES = {"-", "–", "—", "x", "X"}


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
            metrics.setdefault(table_key(text), key)
        for group, texts in (entry.get("in_group") or {}).items():
            in_group.setdefault(group, {}).update({table_key(t): key for t in texts})
    groups = {
        table_key(t): name
        for name, entry in data.get("groups", {}).items()
        for t in (entry["header"], *(entry.get("aliases") or []))
    }
    column = data.get("cell_column", {})
    cell = frozenset(table_key(t) for t in (column.get("header", "Chi bộ"), *(column.get("aliases") or [])))
    totals = tuple(sorted({strip_accents(nfc(t)).casefold() for t in data.get("total_row", [])}, key=len, reverse=True))
    return _Headers(metrics, in_group, groups, cell, totals)


def _find_table(grid: pd.DataFrame, h: _Headers) -> tuple[int, int, dict[str, int], dict[str, str]] | None:
    """(header row, data start, metric -> column, metric -> header as written) of the best header row."""
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    for row in grid.index.to_list()[:HEADER_SCAN_ROWS]:
        top = row_texts(grid, int(row))
        cell_cols = [c for c, t in top.items() if table_key(t) in h.cell]
        if not cell_cols:
            continue
        below = row_texts(grid, int(row) + 1) if int(row) + 1 in grid.index else {}
        two_rows = any(c in h.groups for c in map(table_key, top.values())) and cell_cols[0] not in below
        columns, shown = _map_columns(top, below if two_rows else {}, h)
        if columns and (best is None or len(columns) > len(best[2])):
            start = int(row) + (2 if two_rows else 1)
            if start in grid.index and is_numbering_row(row_texts(grid, start)):
                start += 1
            columns["_label"] = cell_cols[0]
            best = (int(row), start, columns, shown)
    return best


def _map_columns(top: dict[int, str], below: dict[int, str], h: _Headers) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    group, group_text = None, ""
    for col in sorted(set(top) | set(below)):
        if col in top:
            group_text = top[col]
            group = h.groups.get(table_key(top[col]))
        lower = below.get(col)
        if lower:
            metric = (
                h.in_group.get(group or "", {}).get(table_key(lower))
                or h.metrics.get(table_key(lower))
                or h.metrics.get(table_key(f"{group_text} {lower}"))
            )
            text = f"{group_text} {lower}" if group else lower
        else:
            metric = h.metrics.get(table_key(top.get(col, ""))) if col in top else None
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

    Args:
        path: the workbook holding the declared counts (.xlsx, .xls or .ods).
        summary_spec: the summary schema; schemas/summary.yaml when None.

    Returns:
        The declared table: one row per cell with its sheet rows, the total row and the refs of every figure.

    Raises:
        FileNotFoundInputError: the path does not exist.
        WorkbookError: the file cannot be read.
        InputError: no sheet has a table with a cell-name column and count columns.
    """
    path = options.path(path, "declared")
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
        texts = row_texts(grid, int(row))
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

    Args:
        summary: the counts derived from the roster (:func:`~dangvien_data.report.summary.summarise`).
        declared: the sheet typed by hand (:func:`read_declared`).
        report: the roster's validation report; when given, each difference names the members that explain it.
        summary_spec: the summary schema; schemas/summary.yaml when None.

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
    # the total line is named as the sheet names it ("Tổng cộng") in Vietnamese, as "Total row" in English
    where = {"where": cell, "where_en": "Total row" if line.is_total else cell}
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
        labels = {**_labels(sspec, metric), "where": total.label, "where_en": "Total row"}
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
