"""Read workbooks fast and locate the roster in each sheet: header, sections, footers, provenance.

Every sheet is read once, every cell as text, with fastexcel (Rust calamine underneath). Reading as text
keeps identifiers with their leading zeros and keeps text dates that a type-guessing reader would silently
empty (MEASUREMENTS.md). The header is then found inside that one read by matching the Vietnamese headers
and aliases of ``schemas/roster.yaml``: never a fixed row number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dangvien_data.domain.vntext import SPACE_CLASS, nfc, strip_accents
from dangvien_data.errors import NoRosterError, display_name
from dangvien_data.io.loader import EXTENSIONS, LoadedSheet, LoadedWorkbook, expand_paths, load_many, load_one
from dangvien_data.issues import Issue, Severity
from dangvien_data.roster.model import ColumnSource, Roster, SheetSource, column_letter
from dangvien_data.roster.schemas import RosterSpec, load_roster_spec

__all__ = ["EXTENSIONS", "expand_paths", "header_key", "read_roster", "read_sheets"]

HEADER_SCAN_ROWS = 60
MIN_HEADER_MATCHES = 3

_SECTION_RE = re.compile(r"^(?:(?:[ivxlcdm]+|\d+|[a-z])\s*[.):/-]\s*)?chi bo\b")
_NUMBERING_PREFIX_RE = re.compile(r"^\s*(?:[IVXLCDMivxlcdm]+|\d+|[A-Za-z])\s*[.):/-]\s+")
_COUNT_SUFFIX_RE = re.compile(r"\s*[(\-–:]\s*\d+\s*(?:đồng chí|đ/c|người|đảng viên)\)?\s*$", re.IGNORECASE)
_TERMINAL_RE = re.compile(r"^(?:t\s*/?\s*m\b|tm\.|bi thu$|pho bi thu$|nguoi lap|xac nhan|noi nhan|thu truong)")
_SUBTOTAL_RE = re.compile(r"^(?:tong cong|tong so|cong)\b.*(?:\d|dong chi|d/c)")
_NUMBERING_CELL_RE = re.compile(r"^\(?\s*(?:\d{1,3}|[A-Za-z])\s*\)?$")
_SPACES_RE = re.compile(r"\s+")
_GENERIC_SHEET_RE = re.compile(r"^(?:sheet|trang tinh|ds|danh sach|data|du lieu|tong hop)\s*\d*$")


def header_key(text: str) -> str:
    """A key for matching headers: no accents, no case, no punctuation or numbering in brackets."""
    text = re.sub(r"\(.*?\)", " ", nfc(str(text)))
    return re.sub(r"[^0-9a-z]", "", strip_accents(text).casefold())


def _text_key(text: str) -> str:
    """Like :func:`header_key` but keeps single spaces, for matching sentence-like rows."""
    return re.sub(r"\s+", " ", strip_accents(nfc(str(text))).casefold()).strip()


def _text_keys(texts: list[str]) -> list[str]:
    """:func:`_text_key` of many texts in a few Arrow passes (the sparse rows of a big sheet: 20k at 500k members).

    Marks are removed as Unicode category M rather than by combining class, and lower case is Arrow's rather
    than ``casefold``: they differ on no letter a section, subtotal or signature row can start with.
    """
    if not texts:
        return []
    arr = pc.utf8_normalize(pa.array(texts, type=pa.string()), "NFD")
    for bar, letter in (("Đ", "D"), ("đ", "d"), ("Ð", "D"), ("ð", "d")):
        arr = pc.replace_substring(arr, bar, letter)
    arr = pc.utf8_lower(pc.replace_substring_regex(arr, r"\p{M}", ""))
    arr = pc.utf8_trim(pc.replace_substring_regex(arr, SPACE_CLASS + "+", " "), " ")
    return [str(k) for k in arr.to_pylist()]


def read_sheets(path: Path) -> list[tuple[str, bool, pd.DataFrame]]:
    """Every sheet of a workbook as ``(name, visible, grid)``.

    The grid holds every cell as text (NA when empty); its index is the 0-based Excel row and its columns
    are the 0-based Excel column indices, so ``grid.loc[r, c]`` is the cell at row ``r + 1``, column ``c``.
    In .xlsx/.xlsm files an Excel error value holds its text ("#REF!", "#N/A" …) and a formula saved without
    a calculated value holds its formula ("=DATE(1980,3,5)"), where the fast reader alone would leave them
    empty (issue 6).

    Raises:
        WorkbookError: the file cannot be read (corrupt, encrypted, unsupported, too large).
    """
    return _grids(load_one(path))


def _grids(loaded: LoadedWorkbook) -> list[tuple[str, bool, pd.DataFrame]]:
    """The Arrow tables of a loaded workbook as pandas grids (zero-copy: Arrow-backed string columns)."""
    out = []
    for sheet in loaded.sheets:
        grid = sheet.table.to_pandas()
        grid.columns = sheet.columns
        special = loaded.specials.get(sheet.name)
        out.append((sheet.name, sheet.visible, _with_specials(grid, special) if special else grid))
    return out


def _grid(sheet: LoadedSheet, specials: dict[str, dict[tuple[int, int], str]]) -> _Grid:
    """The locating grid of a loaded sheet, with its special cells filled in (rare: converted through pandas)."""
    if not specials.get(sheet.name):
        return _Grid(sheet.table, sheet.columns)
    grid = sheet.table.to_pandas()
    grid.columns = sheet.columns
    return _Grid.of(_with_specials(grid, specials[sheet.name]))


def _with_specials(grid: pd.DataFrame, specials: dict[tuple[int, int], str]) -> pd.DataFrame:
    """Put the text of error values and uncalculated formulas where the fast reader left the cell empty."""
    rows = max(row for row, _ in specials) + 1
    columns = sorted(set(grid.columns) | {col for _, col in specials})
    if rows > len(grid) or len(columns) != len(grid.columns):
        grid = grid.reindex(index=range(max(rows, len(grid))), columns=columns).astype("str")
    for (row, col), text in specials.items():
        if not isinstance(grid.at[row, col], str):  # NA: never overwrite a value the fast reader did read
            grid.at[row, col] = text
    return grid


@dataclass(frozen=True)
class _HeaderIndex:
    fields: dict[str, str]  # header key -> field name
    male: frozenset[str]  # sub-header keys meaning "born, male" under a split birth-date header
    female: frozenset[str]
    split_field: str | None


def _header_index(spec: RosterSpec) -> _HeaderIndex:
    keys: dict[str, str] = {}
    male: set[str] = set()
    female: set[str] = set()
    split_field = None
    for spec_field in spec.fields.values():
        for text in spec_field.headers:
            keys.setdefault(header_key(text), spec_field.name)
        if spec_field.split_by_sex:
            split_field = spec_field.name
            male.update(header_key(t) for t in spec_field.split_by_sex.get("male", ()))
            female.update(header_key(t) for t in spec_field.split_by_sex.get("female", ()))
    return _HeaderIndex(keys, frozenset(male), frozenset(female), split_field)


class _Grid:
    """A sheet as read: an Arrow table whose column ``i`` is Excel column ``columns[i]`` (0-based) and whose row
    ``r`` is Excel row ``r + 1``. Locating works on the first rows as Python texts and on the data region as
    whole Arrow columns, so its cost does not grow with a Python loop per row."""

    def __init__(self, table: pa.Table, columns: list[int]) -> None:
        self.table = table
        self.columns = columns
        self.rows = table.num_rows
        self._head: list[dict[int, str]] = []

    @classmethod
    def of(cls, grid: pd.DataFrame | _Grid) -> _Grid:
        """A grid from ``read_sheets``' pandas form (index: 0-based rows, columns: 0-based columns)."""
        if isinstance(grid, _Grid):
            return grid
        if not grid.index.equals(pd.RangeIndex(len(grid))):
            grid = grid.reindex(range(int(grid.index.max()) + 1 if len(grid) else 0))
        arrays = [pa.array(grid[c].astype("str"), from_pandas=True) for c in grid.columns]
        return cls(pa.Table.from_arrays(arrays, names=[str(c) for c in grid.columns]), [int(c) for c in grid.columns])

    def row(self, row: int) -> dict[int, str]:
        """The non-blank texts of a row near the top (``{column: stripped text}``), cached."""
        if row >= len(self._head):
            part = self.table.slice(len(self._head), max(HEADER_SCAN_ROWS + 3, row + 1) - len(self._head))
            rows: list[dict[int, str]] = [{} for _ in range(part.num_rows)]
            for col, values in zip(self.columns, part.columns, strict=True):
                for r, value in enumerate(values.to_pylist()):
                    if isinstance(value, str) and (text := value.strip()):
                        rows[r][col] = text
            self._head += rows
        return self._head[row] if row < len(self._head) else {}


def _find_header_row(grid: _Grid, index: _HeaderIndex) -> int | None:
    best, best_row = 0, None
    for row in range(min(HEADER_SCAN_ROWS, grid.rows)):
        fields = {index.fields.get(header_key(t)) for t in grid.row(row).values()} - {None}
        if len(fields) > best and "full_name" in fields:
            best, best_row = len(fields), row
    return best_row if best >= MIN_HEADER_MATCHES else None


def _is_numbering_row(texts: dict[int, str]) -> bool:
    return len(texts) >= MIN_HEADER_MATCHES and all(_NUMBERING_CELL_RE.match(t) for t in texts.values())


@dataclass
class _Located:
    header_rows: tuple[int, ...]
    data_start: int
    columns: dict[str, ColumnSource]
    field_columns: dict[str, int]  # field (incl. "<split>__male"/"__female") -> 0-based column
    unknown: list[tuple[int, str]]
    duplicates: list[tuple[int, str]]


def _locate_header(grid: _Grid, index: _HeaderIndex) -> _Located | None:
    top_row = _find_header_row(grid, index)
    if top_row is None:
        return None
    top = grid.row(top_row)
    below = grid.row(top_row + 1)
    sub_keys = {c: header_key(t) for c, t in below.items()}
    # A second header row has sub-headers under merged groups and nothing under "Họ và tên" (merged
    # vertically); a first data row has a name there.
    name_cols = [c for c, t in top.items() if index.fields.get(header_key(t)) == "full_name"]
    two_rows = (
        bool(below)
        and not _is_numbering_row(below)
        and not any(c in below for c in name_cols)
        and any(k in index.fields or k in index.male or k in index.female for k in sub_keys.values())
    )
    if not two_rows:
        below = {}
    # A merged group header ("Trình độ" over three columns) has its text only in its first column.
    group: dict[int, str] = {}
    last = ""
    for col in sorted(set(top) | set(below)):
        if col in top:
            last = top[col]
        elif col - 1 not in top and col - 1 not in group:
            last = ""
        group[col] = last if col in below else top.get(col, "")
    columns: dict[str, ColumnSource] = {}
    field_columns: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    duplicates: list[tuple[int, str]] = []
    for col in sorted(set(top) | set(below)):
        upper, lower = group.get(col, ""), below.get(col, "")
        name, shown = _match_column(upper, lower, index)
        if name is None:
            if shown:
                unknown.append((col, shown))
            continue
        if name in field_columns:
            duplicates.append((col, shown))
            continue
        field_columns[name] = col
        columns[name] = ColumnSource(column_letter(col), shown)
    start = top_row + (2 if two_rows else 1)
    if _is_numbering_row(grid.row(start)):
        start += 1
    return _Located(
        tuple(range(top_row + 1, top_row + (3 if two_rows else 2))), start, columns, field_columns, unknown, duplicates
    )


def _match_column(upper: str, lower: str, index: _HeaderIndex) -> tuple[str | None, str]:
    upper_field = index.fields.get(header_key(upper)) if upper else None
    if lower:
        key = header_key(lower)
        if upper_field == index.split_field and index.split_field and (key in index.male or key in index.female):
            suffix = "__male" if key in index.male else "__female"
            return index.split_field + suffix, f"{upper} ({lower})"
        if key in index.fields:
            return index.fields[key], lower
        return None, f"{upper} ({lower})" if upper else lower
    return upper_field, upper


def _clean_cell_name(text: str) -> str:
    text = _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    text = _NUMBERING_PREFIX_RE.sub("", text)
    text = _COUNT_SUFFIX_RE.sub("", text).strip(" .:-–")
    if text.isupper():
        words = text.split(" ")
        text = " ".join(
            [words[0].capitalize(), *(w.lower() if i == 0 else w.capitalize() for i, w in enumerate(words[1:]))]
        )
    return text


def _title_cell(grid: _Grid, header_row: int) -> str | None:
    for row in range(min(header_row, grid.rows)):
        for text in grid.row(row).values():
            key = _text_key(text)
            pos = key.find("chi bo ")
            if pos >= 0 and not key.startswith(("dang bo", "dang cong san")):
                return _clean_cell_name(nfc(text)[pos:])
    return None


def _classify_rows(data: pa.Table, columns: list[int], located: _Located) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Split the data region into member rows and the cell each belongs to (from section rows).

    Returns ``(member, section, names)``: a boolean mask and, per row of ``data``, the position in ``names``
    of the section above it (-1 before the first section). Only the sparse rows (1–3 cells filled:
    sections, subtotals, signatures) are looked at in Python.
    """
    rows = data.num_rows
    filled = np.zeros((rows, len(columns)), dtype=bool)
    for i, values in enumerate(data.columns):
        filled[:, i] = values.is_valid().to_numpy(zero_copy_only=False)
    counts = filled.sum(axis=1)
    sparse = np.flatnonzero((counts > 0) & (counts <= 3))
    first_col = filled[sparse].argmax(axis=1)
    first = np.empty(len(sparse), dtype=object)
    for i in np.unique(first_col):
        at = np.flatnonzero(first_col == i)
        first[at] = data.column(int(i)).take(pa.array(sparse[at])).to_pylist()
    keys = _text_keys(first.tolist())
    is_section = np.array([bool(_SECTION_RE.match(k)) for k in keys], dtype=bool)
    is_terminal = np.array([bool(_TERMINAL_RE.match(k)) for k in keys], dtype=bool)
    is_subtotal = np.array([bool(_SUBTOTAL_RE.match(k)) for k in keys], dtype=bool)
    section_rows = sparse[is_section]
    names = [_clean_cell_name(t) for t in first[is_section]]
    last_section = np.full(rows, -1)
    last_section[section_rows] = np.arange(len(section_rows))
    member = counts > 0
    member[section_rows] = False
    member[sparse[is_subtotal]] = False
    if is_terminal.any():
        member[sparse[is_terminal].min() :] = False
    # Rows holding nothing but a list number are empty template rows, not members.
    position = {col: i for i, col in enumerate(columns)}
    fields = [position[c] for f, c in located.field_columns.items() if f != "seq"]
    if fields:
        member &= filled[:, fields].any(axis=1)
    return member, np.maximum.accumulate(last_section), names


def _text_column(names: list[str], positions: np.ndarray) -> pd.Series:
    """``names[position]`` per row (NA where the position is -1) as an Arrow-backed "string" column: built in
    Arrow, because converting a column of Python strings costs 0.25 s at 500k members (measured)."""
    taken = pa.array(names, type=pa.large_string()).take(pa.array(positions, mask=positions < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken))


def _sheet_cell_name(sheet: str, multi_sheet: bool) -> str | None:
    key = _text_key(sheet)
    if "chi bo" in key or (multi_sheet and not _GENERIC_SHEET_RE.match(key)):
        return _clean_cell_name(sheet)
    return None


def _locate_sheet(
    path: Path,
    sheet: str,
    grid: pd.DataFrame | _Grid,
    index: _HeaderIndex,
    source_id: int,
    multi_sheet: bool,
    multi_file: bool,
    issues: list[Issue],
) -> tuple[SheetSource, pd.DataFrame] | None:
    grid = _Grid.of(grid)
    located = _locate_header(grid, index)
    if located is None:
        issues.append(Issue("sheet-skipped", Severity.INFO, file=str(path), sheet=sheet, params={"sheet_name": sheet}))
        return None
    start = min(located.data_start, grid.rows)
    data = grid.table.slice(start)
    member, section, section_names = _classify_rows(data, grid.columns, located)
    fallback = (
        _title_cell(grid, located.header_rows[0] - 1)
        or _sheet_cell_name(sheet, multi_sheet)
        or (_clean_cell_name(path.stem.replace("_", " ")) if multi_file else None)
    )
    keep = pa.array(member)
    position = {col: i for i, col in enumerate(grid.columns)}
    fields = {name: col for name, col in located.field_columns.items() if name != "cell"}
    # filter, not take (4x faster on strings), and large_string as pandas wants it: cast by pandas inside
    # to_pandas it costs twice as much (measured at 500k members: 0.07 s in all against 0.22 s)
    columns = [data.column(position[c]).filter(keep).cast(pa.large_string()) for c in fields.values()]
    table = pa.Table.from_arrays(columns, names=list(fields)).to_pandas()
    cell = _text_column(section_names, section[member])
    if fallback:
        cell = cell.fillna(fallback)
    if "cell" in located.field_columns:  # an explicit "Chi bộ" column wins where it is filled
        written = data.column(position[located.field_columns["cell"]]).filter(keep).to_pandas()
        codes, uniques = pd.factorize(written)
        cell = _text_column([_clean_cell_name(str(u)) for u in uniques], codes).fillna(cell)
    table.insert(0, "cell", cell)
    table.insert(0, "row", (start + np.flatnonzero(member) + 1).astype("int64"))
    table.insert(0, "source", source_id)
    source = SheetSource(
        str(path),
        sheet,
        located.header_rows,
        located.data_start + 1,
        located.columns,
        cell=fallback,
        members=len(table),
        heading=tuple((r, c, t) for r in range(located.header_rows[0] - 1) for c, t in grid.row(r).items()),
    )
    header_row = located.header_rows[-1]
    for code, severity, columns in (
        ("unknown-column", Severity.INFO, located.unknown),
        ("duplicate-column", Severity.WARNING, located.duplicates),
    ):
        issues += [
            Issue(
                code,
                severity,
                file=str(path),
                sheet=sheet,
                ref=f"{column_letter(col)}{header_row}",
                row=header_row,
                column=shown,
                value=shown,
            )
            for col, shown in columns
        ]
    if len(table) and table["cell"].isna().any():
        first_row = int(table.loc[table["cell"].isna(), "row"].iloc[0])
        issues.append(
            Issue(
                "cell-unknown",
                Severity.WARNING,
                file=str(path),
                sheet=sheet,
                ref=f"A{first_row}",
                row=first_row,
                params={"count": int(table["cell"].isna().sum())},
            )
        )
    return source, table


def read_roster(paths: str | Path | Sequence[str | Path], *, spec: RosterSpec | None = None) -> Roster:
    """Read the roster from one or many workbooks, or a folder of them (one workbook per cell).

    Every sheet whose header matches the roster form is read; title rows, two-row merged headers, a
    numbering row, section rows ("I. Chi bộ …"), subtotal and signature footers are recognised. Each member
    keeps its file, sheet, Excel row and, through ``Roster.sources``, the column of every field.

    Args:
        paths: a workbook, a folder, or a list of them.
        spec: the roster schema; default ``schemas/roster.yaml``.

    Returns:
        The :class:`~dangvien_data.roster.model.Roster`, its values normalised (dates parsed, legacy text
        converted, codes mapped through their aliases) with an ``info`` issue for every repair.

    Raises:
        FileNotFoundInputError: a path does not exist.
        WorkbookError: a file cannot be read (corrupt, encrypted, unsupported).
        NoRosterError: no sheet of any file has a roster header.

    Example:
        >>> roster = read_roster("sample_data/danh_sach_dang_vien.xlsx")  # doctest: +SKIP
        >>> len(roster), roster.cells[0]                                  # doctest: +SKIP
        (170, 'Chi bộ Đội Tổng hợp')
    """
    from dangvien_data.roster.normalise import normalise

    files = expand_paths([paths] if isinstance(paths, str | Path) else paths)
    loads = load_many(files)  # the first workbook loads on a background thread while the schema is read
    spec = spec or load_roster_spec()
    index = _header_index(spec)
    sources: list[SheetSource] = []
    tables: list[pd.DataFrame] = []
    issues: list[Issue] = []
    for loaded in loads:
        path = loaded.path
        candidates = [(s.name, s.visible, _grid(s, loaded.specials)) for s in loaded.sheets if s.table.num_rows]
        del loaded  # the sheets are referenced only by their grids from here on
        found = 0
        for name, visible, grid in candidates:
            result = _locate_sheet(path, name, grid, index, len(sources), len(candidates) > 1, len(files) > 1, issues)
            if result is None and not visible:  # a hidden list of codes, say: not worth a note
                issues.pop()
            if result is not None:
                sources.append(result[0])
                tables.append(result[1])
                found += 1
        if not found:
            raise NoRosterError(
                f'Tệp {path} không có trang nào có dòng tiêu đề danh sách đảng viên (cần ít nhất "Họ và tên" và '
                f'{MIN_HEADER_MATCHES - 1} cột khác như "Ngày sinh", "Ngày vào Đảng"). Kiểm tra đúng tệp, hoặc '
                "sửa tiêu đề cột theo mẫu (xem schemas/roster.yaml).",
                f'No sheet of {path} has a roster header row ("Họ và tên" and at least '
                f'{MIN_HEADER_MATCHES - 1} more such as "Ngày sinh", "Ngày vào Đảng"). Check it is the right '
                "file, or rename the headers as in schemas/roster.yaml.",
                path=str(path),
            )
        del candidates  # the sheets as read: free them before the next file is taken
    raw = tables[0] if len(tables) == 1 else pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    source = raw["source"].to_numpy()
    for position, name in ((1, "file"), (2, "sheet")):  # categories from codes: no lookup per member
        labels: list[str] = [display_name(getattr(s, name)) for s in sources]  # a file name need not be UTF-8
        categories = sorted(set(labels))  # as astype("category") orders them
        codes = np.array([categories.index(label) for label in labels], dtype="int64")
        values = pd.Categorical.from_codes(codes[source], dtype=pd.CategoricalDtype(categories))
        raw.insert(position, name, pd.Series(values, index=raw.index))
    frame, found_issues = normalise(raw, spec, sources)
    return Roster(frame=frame, raw=raw, sources=sources, issues=issues + found_issues)
