"""Read workbooks fast and locate the roster in each sheet: header, sections, footers, provenance.

Every sheet is read once, every cell as text, with fastexcel (Rust calamine underneath). Reading as text
keeps identifiers with their leading zeros and keeps text dates that a type-guessing reader would silently
empty (measured). The header is then found inside that one read by matching the Vietnamese headers
and aliases of ``schemas/roster.yaml``: never a fixed row number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dangvien_data import options, status
from dangvien_data.domain.vntext import SPACE_CLASS, fix_legacy, nfc, strip_accents
from dangvien_data.errors import DangvienError, NoRosterError, display_name
from dangvien_data.io.loader import (
    EXTENSIONS,
    LoadedSheet,
    LoadedWorkbook,
    expand_paths,
    load_many,
    load_one,
    release_freed_memory,
)
from dangvien_data.issues import Issue, Severity
from dangvien_data.roster import rows as rows_
from dangvien_data.roster.headers import HeaderIndex as HeaderIndex
from dangvien_data.roster.headers import clean_cell_name, header_key, header_tokens, match_header
from dangvien_data.roster.headers import header_index as header_index  # the dossier reader uses it
from dangvien_data.roster.model import ColumnSource, Roster, SheetSource, column_letter
from dangvien_data.roster.schemas import RosterSpec, load_roster_spec

__all__ = ["EXTENSIONS", "expand_paths", "header_key", "header_tokens", "match_header", "read_roster", "read_sheets"]

HEADER_SCAN_ROWS = 60
MIN_HEADER_MATCHES = 3

_SECTION_RE = re.compile(r"^(?:(?:[ivxlcdm]+|\d+|[a-z])\s*[.):/-]\s*)?chi bo\b")
_TERMINAL_RE = re.compile(r"^(?:t\s*/?\s*m\b|tm\.|bi thu$|pho bi thu$|nguoi lap|xac nhan|noi nhan|thu truong)")
_SUBTOTAL_RE = re.compile(r"^(?:tong cong|tong so|cong)\b.*(?:\d|dong chi|d/c)")
_NUMBERING_CELL_RE = re.compile(r"^\(?\s*(?:\d{1,3}|[A-Za-z])\s*\)?$")
_GENERIC_SHEET_RE = re.compile(r"^(?:sheet|trang tinh|ds|danh sach|data|du lieu|tong hop)\s*\d*$")


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
    if len(texts) <= _FEW_TEXTS:  # compiling the RE2 patterns (``\p{M}``: ~0.4 ms) costs more than the texts
        return [_text_key_like_arrow(t) for t in texts]
    arr = pc.utf8_normalize(pa.array(texts, type=pa.string()), "NFD")
    for bar, letter in (("Đ", "D"), ("đ", "d"), ("Ð", "D"), ("ð", "d")):
        arr = pc.replace_substring(arr, bar, letter)
    arr = pc.utf8_lower(pc.replace_substring_regex(arr, r"\p{M}", ""))
    arr = pc.utf8_trim(pc.replace_substring_regex(arr, SPACE_CLASS + "+", " "), " ")
    return [str(k) for k in arr.to_pylist()]


_FEW_TEXTS = 200
_BARS = str.maketrans("ĐđÐð", "DdDd")
_PY_SPACES_RE = re.compile(SPACE_CLASS + "+")


def _text_key_like_arrow(text: str) -> str:
    """One text's key exactly as the Arrow passes of :func:`_text_keys` make it, in Python (for a few texts)."""
    decomposed = unicodedata.normalize("NFD", text).translate(_BARS)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    # Arrow lowers letter by letter (simple case mapping): no final sigma, "İ" -> "i"
    lowered = bare.lower() if bare.isascii() else "".join(c.lower()[:1] for c in bare)
    return _PY_SPACES_RE.sub(" ", lowered).strip(" ")


def read_sheets(path: Path) -> list[tuple[str, bool, pd.DataFrame]]:
    """Every sheet of a workbook as ``(name, visible, grid)``.

    The grid holds every cell as text (NA when empty); its index is the 0-based Excel row and its columns
    are the 0-based Excel column indices, so ``grid.loc[r, c]`` is the cell at row ``r + 1``, column ``c``.
    In .xlsx/.xlsm files an Excel error value holds its text ("#REF!", "#N/A" …) and a formula saved without
    a calculated value holds its formula ("=DATE(1980,3,5)"), where the fast reader alone would leave them
    empty.

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


def _grid(sheet: LoadedSheet, specials: dict[str, dict[tuple[int, int], str]]) -> Grid:
    """The locating grid of a loaded sheet, with its special cells filled in (rare: converted through pandas)."""
    if not specials.get(sheet.name):
        return Grid(sheet.table, sheet.columns)
    grid = sheet.table.to_pandas()
    grid.columns = sheet.columns
    return Grid.of(_with_specials(grid, specials[sheet.name]))


def _with_specials(grid: pd.DataFrame, specials: dict[tuple[int, int], str]) -> pd.DataFrame:
    """Put the text of error values and uncalculated formulas where the fast reader left the cell empty."""
    rows = max(row for row, _ in specials) + 1
    columns = sorted(set(grid.columns) | {col for _, col in specials})
    if rows > len(grid) or len(columns) != len(grid.columns):
        grid = grid.reindex(index=range(max(rows, len(grid))), columns=columns).astype("str")
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in specials.items():
        by_column.setdefault(col, []).append((row, text))
    for col, cells in by_column.items():  # a column at a time: a cell at a time copies the column every time
        values = grid[col].to_numpy(dtype=object, copy=True)
        for row, text in cells:
            if not isinstance(values[row], str):  # NA: never overwrite a value the fast reader did read
                values[row] = text
        grid[col] = pd.Series(values, index=grid.index, dtype=grid[col].dtype)
    return grid


class Grid:
    """A sheet as read: an Arrow table whose column ``i`` is Excel column ``columns[i]`` (0-based) and whose row
    ``r`` is Excel row ``r + 1``. Locating works on the first rows as Python texts and on the data region as
    whole Arrow columns, so its cost does not grow with a Python loop per row."""

    def __init__(self, table: pa.Table, columns: list[int]) -> None:
        self.table = table
        self.columns = columns
        self.rows = table.num_rows
        self._head: list[dict[int, str]] = []

    @classmethod
    def of(cls, grid: pd.DataFrame | Grid) -> Grid:
        """A grid from ``read_sheets``' pandas form (index: 0-based rows, columns: 0-based columns)."""
        if isinstance(grid, Grid):
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


def _row_fields(index: HeaderIndex, texts: Iterator[str]) -> set[str]:
    """The fields a row of headers names; the halves of a split name count as the name."""
    return {found.split("__")[0] for t in texts if (found := index.match(t))}


def _find_header_row(grid: Grid, index: HeaderIndex) -> int | None:
    best, best_row = 0, None
    name = index.name_field or "full_name"
    for row in range(min(HEADER_SCAN_ROWS, grid.rows)):
        fields = _row_fields(index, iter(grid.row(row).values()))
        if len(fields) > best and name in fields:
            best, best_row = len(fields), row
    return best_row if best >= MIN_HEADER_MATCHES else None


def is_numbering_row(texts: dict[int, str]) -> bool:
    return len(texts) >= MIN_HEADER_MATCHES and all(_NUMBERING_CELL_RE.match(t) for t in texts.values())


@dataclass
class _Located:
    header_rows: tuple[int, ...]
    data_start: int
    columns: dict[str, ColumnSource]
    field_columns: dict[str, int]  # field (incl. "<split>__male"/"__female", "<name>__family"/"__given") -> column
    unknown: list[tuple[int, str]]
    duplicates: list[tuple[int, str]]


def _is_name_part(index: HeaderIndex, text: str) -> bool:
    found = index.match(text)
    return bool(found and index.name_field and found.startswith(index.name_field + "__"))


def locate_header(grid: Grid, index: HeaderIndex) -> _Located | None:
    top_row = _find_header_row(grid, index)
    if top_row is None:
        return None
    top = grid.row(top_row)
    below = grid.row(top_row + 1)
    # A second header row has sub-headers under merged groups and nothing under "Họ và tên" (merged
    # vertically) but the halves of a split name; a first data row has a name there.
    name = index.name_field or "full_name"
    name_cols = [c for c, t in top.items() if (index.match(t) or "").split("__")[0] == name]
    two_rows = (
        bool(below)
        and not is_numbering_row(below)
        and not any(c in below and not _is_name_part(index, below[c]) for c in name_cols)
        and any(index.match(t) or header_key(t) in index.male or header_key(t) in index.female for t in below.values())
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
        found, shown = _match_column(upper, lower, index)
        if found is None:
            if shown:
                unknown.append((col, shown))
            continue
        if found in field_columns or (found == name and f"{name}__family" in field_columns):
            duplicates.append((col, shown))
            continue
        field_columns[found] = col
        columns[found] = ColumnSource(column_letter(col), shown)
    _join_name_columns(name, columns, field_columns)
    columns = dict(sorted(columns.items(), key=lambda item: (len(item[1].letter), item[1].letter)))
    start = top_row + (2 if two_rows else 1)
    if is_numbering_row(grid.row(start)):
        start += 1
    _split_under_merged_name(grid, start, name, set(top) | set(below), columns, field_columns)
    return _Located(
        tuple(range(top_row + 1, top_row + (3 if two_rows else 2))), start, columns, field_columns, unknown, duplicates
    )


_GIVEN_NAME_RE = re.compile(r"^[^\W\d_]+$")
_TOTAL = re.compile(rows_.TOTAL_LABEL)


def _split_under_merged_name(
    grid: Grid,
    start: int,
    name: str,
    headed: set[int],
    columns: dict[str, ColumnSource],
    field_columns: dict[str, int],
) -> None:
    """ "Họ và tên" merged over two columns with no sub-headers ("Nguyễn Văn" | "An"): the column after the name
    has no header, and in most of the first rows it holds one word beside a name. Both are then the name."""
    col = field_columns.get(name)
    if col is None or col + 1 in headed or col + 1 in field_columns.values():
        return
    rows = [grid.row(r) for r in range(start, min(start + 30, grid.rows))]
    rows = [  # member-like rows, not sections, totals or footers
        r
        for r in rows
        if len(r) >= MIN_HEADER_MATCHES
        and not any(t.startswith("=") for t in r.values())
        and not _TOTAL.match(r.get(col, ""))
    ]
    beside = [r for r in rows if col in r and col + 1 in r and _GIVEN_NAME_RE.match(str(_unlegacy(r[col + 1])))]
    if not rows or len(beside) < 0.8 * len(rows):
        return
    header = columns.pop(name).header
    field_columns[f"{name}__family"] = field_columns.pop(name)
    field_columns[f"{name}__given"] = col + 1
    columns[name] = ColumnSource(column_letter(col), header)


def _join_name_columns(name: str, columns: dict[str, ColumnSource], field_columns: dict[str, int]) -> None:
    """Split name columns ("Họ" + "Tên") stand for the name field, at the first of them; a lone half is the name."""
    family, given = f"{name}__family", f"{name}__given"
    parts = [p for p in (family, given) if p in field_columns]
    if not parts:
        return
    if name in field_columns:  # "Họ và tên" already found: the halves are sub-columns of nothing we need
        for part in parts:
            del field_columns[part], columns[part]
        return
    if len(parts) == 1:
        field_columns[name] = field_columns.pop(parts[0])
        columns[name] = columns.pop(parts[0])
        return
    first = min(field_columns[family], field_columns[given])
    columns[name] = ColumnSource(column_letter(first), f"{columns.pop(family).header} + {columns.pop(given).header}")


def _match_column(upper: str, lower: str, index: HeaderIndex) -> tuple[str | None, str]:
    upper_field = index.match(upper) if upper else None
    if lower:
        key = header_key(lower)
        if upper_field == index.split_field and index.split_field and (key in index.male or key in index.female):
            suffix = "__male" if key in index.male else "__female"
            return index.split_field + suffix, f"{upper} ({lower})"
        if upper_field == "sex" and (key in index.male or key in index.female):  # "x" marks under Nam | Nữ
            return "sex__male" if key in index.male else "sex__female", f"{upper} ({lower})"
        # "Chính thức" under "Ngày vào Đảng" names itself; "Đảng" under "Chức vụ" names "Chức vụ Đảng"; "Dự bị"
        # under "Ngày vào Đảng" only qualifies its group
        for text in (lower, f"{upper} {lower}", f"{upper} ({lower})") if upper else (lower,):
            lower_field = index.match(text)
            if lower_field is not None:
                return lower_field, f"{upper} ({lower})" if text != lower else lower
        return None, f"{upper} ({lower})" if upper else lower
    return upper_field, upper


_LEGACY_HIGH = re.compile("[\x80-\xff]")


def _unlegacy(text: object) -> object:
    """A short text (title, section, footer) in Unicode if it was written in a legacy font (TCVN3, VNI)."""
    if isinstance(text, str) and _LEGACY_HIGH.search(text):
        return fix_legacy(text)[0]
    return text


def _title_cell(grid: Grid, header_row: int, index: HeaderIndex | None = None) -> str | None:
    for row in range(min(header_row, grid.rows)):
        for written in grid.row(row).values():
            text = str(_unlegacy(written))
            key = _text_key(text)
            pos = key.find("chi bo ")
            if pos >= 0 and not key.startswith(("dang bo", "dang cong san")):
                return clean_cell_name(nfc(text)[pos:], index)
    return None


@dataclass
class _Rows:
    """The data region classified: member rows, the section above each row, and the rows that are not members."""

    member: np.ndarray
    section: np.ndarray
    names: list[str]
    skipped: list[tuple[int, int, str, str]]  # (position in data, column, kind, text) of non-member rows


def _classify_rows(
    data: pa.Table, columns: list[int], located: _Located, index: HeaderIndex | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Split the data region into member rows and the cell each belongs to (from section rows).

    Returns ``(member, section, names)``: a boolean mask and, per row of ``data``, the position in ``names``
    of the section above it (-1 before the first section).
    """
    rows = _classify(data, columns, located, index)
    return rows.member, rows.section, rows.names


def _classify(data: pa.Table, columns: list[int], located: _Located, index: HeaderIndex | None) -> _Rows:
    """:func:`_classify_rows` with the non-member rows found. Only the sparse rows (1–3 cells filled: sections,
    subtotals, signatures, notes) and the rows without a name are looked at in Python."""
    rows = data.num_rows
    filled = np.zeros((rows, len(columns)), dtype=bool)
    for i, values in enumerate(data.columns):
        filled[:, i] = rows_.valid(values)
    counts = filled.sum(axis=1)
    sparse = np.flatnonzero((counts > 0) & (counts <= 3))
    first_col = filled[sparse].argmax(axis=1)
    first = np.empty(len(sparse), dtype=object)
    for i in np.unique(first_col):
        at = np.flatnonzero(first_col == i)
        first[at] = data.column(int(i)).take(pa.array(sparse[at])).to_pylist()
    first[:] = [_unlegacy(t) for t in first.tolist()]  # "II. Chi bé …" (TCVN3) names a section too
    keys = _text_keys(first.tolist())
    is_section = np.array([bool(_SECTION_RE.match(k)) for k in keys], dtype=bool)
    is_terminal = np.array([bool(_TERMINAL_RE.match(k)) for k in keys], dtype=bool)
    is_subtotal = np.array(
        [bool(_SUBTOTAL_RE.match(k) or _TOTAL.match(str(t))) for k, t in zip(keys, first.tolist(), strict=True)],
        dtype=bool,
    )
    is_note = np.array([rows_.is_note(k) for k in keys], dtype=bool)
    section_rows = sparse[is_section]
    names = [clean_cell_name(t, index) for t in first[is_section]]
    last_section = np.full(rows, -1)
    last_section[section_rows] = np.arange(len(section_rows))
    member = counts > 0
    member[section_rows] = False
    skipped: list[tuple[int, int, str, str]] = []
    position = {col: i for i, col in enumerate(columns)}
    totals = _totals(data, position, located, filled)
    totals[sparse[is_subtotal]] = True
    name_at = next((position[c] for f, c in located.field_columns.items() if f in _NAME_FIELDS), None)
    for total in np.flatnonzero(totals & member).tolist():
        col = name_at if name_at is not None and filled[total, name_at] else int(filled[total].argmax())
        skipped.append((total, columns[col], "total", str(data.column(col)[total].as_py())))
    member &= ~totals
    notes = sparse[is_note & ~is_section]
    for note, i in zip(notes.tolist(), np.flatnonzero(is_note & ~is_section).tolist(), strict=True):
        if member[note]:
            skipped.append((note, columns[int(first_col[i])], "note", str(first[i])))
    member[notes] = False
    if is_terminal.any():
        end = int(sparse[is_terminal].min())
        if member[end:].any() or counts[end:].any():
            i = int(np.flatnonzero(is_terminal)[0])
            skipped.append((end, columns[int(first_col[i])], "signature", str(first[i])))
        member[end:] = False
    # Rows holding nothing but a list number are empty template rows, not members.
    fields = [position[c] for f, c in located.field_columns.items() if f != "seq" and c in position]
    if fields:
        member &= filled[:, fields].any(axis=1)
    skipped.sort()
    return _Rows(member, np.maximum.accumulate(last_section), names, skipped)


_NAME_FIELDS = ("full_name", "full_name__family")


def _totals(data: pa.Table, position: dict[int, int], located: _Located, filled: np.ndarray) -> np.ndarray:
    """Totals and subtotal rows: a label in the name or number column ("Tổng cộng", "Cộng"), or a row without a
    name that holds only numbers and formulas (the column sums)."""
    totals = np.zeros(data.num_rows, dtype=bool)
    where = located.field_columns
    name = next((where[f] for f in ("full_name", "full_name__family") if f in where), None)
    for col in (name, where.get("seq")):
        if col is not None and col in position:
            totals |= rows_.total_label(data.column(position[col]))
    if name is not None and name in position:
        nameless = np.flatnonzero(~filled[:, position[name]] & filled.any(axis=1))
        seq = position.get(where.get("seq", -1))
        if len(nameless):
            others = [i for i in range(filled.shape[1]) if i != seq]
            several = filled[nameless][:, others].sum(axis=1) >= 1
            numeric = rows_.numeric_only(data.select(others), nameless)
            totals[nameless[numeric & several]] = True
    return totals


def _text_array(names: list[str], positions: np.ndarray) -> pa.Array:
    """``names[position]`` per row (null where the position is -1) as an Arrow large_string array: built in
    Arrow, because converting a column of Python strings costs 0.25 s at 500k members (measured)."""
    taken: pa.Array = pa.array(names, type=pa.large_string()).take(pa.array(positions, mask=positions < 0))
    return taken


def _sheet_cell_name(sheet: str, multi_sheet: bool, index: HeaderIndex | None = None) -> str | None:
    key = _text_key(sheet)
    if "chi bo" in key or (multi_sheet and not _GENERIC_SHEET_RE.match(key)):
        return clean_cell_name(sheet, index)
    return None


def _member_columns(data: pa.Table, keep: pa.Array, position: dict[int, int], located: _Located) -> pa.Table:
    """The field columns of the member rows; split name columns joined into one ("Nguyễn Văn" + "An")."""
    fields = {name: col for name, col in located.field_columns.items() if name != "cell"}
    # filter, not take (4x faster on strings), and large_string as pandas wants it: cast by pandas inside
    # to_pandas it costs twice as much (measured at 500k members: 0.07 s in all against 0.22 s)
    kept = data.select([position[c] for c in fields.values()]).filter(keep)  # one filter and one cast for all
    kept = kept.rename_columns(list(fields)).cast(pa.schema([(name, pa.large_string()) for name in fields]))
    columns = dict(zip(fields, kept.columns, strict=True))
    family = [n for n in columns if n.endswith("__family")]
    for part in family:
        name = part.removesuffix("__family")
        given = columns.pop(f"{name}__given", None)
        joined = columns.pop(part)
        if given is not None:
            family_text = pc.utf8_trim_whitespace(rows_.contiguous(joined))
            given_text = pc.utf8_trim_whitespace(rows_.contiguous(given))
            # "emit_null" and coalesce: "skip" null handling loses rows (pyarrow 26)
            both = pc.binary_join_element_wise(family_text, given_text, pa.scalar(" ", pa.large_string()))
            joined = pc.coalesce(both, family_text, given_text)
            joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.large_string()), joined)
        columns = {name: joined, **columns}
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


def _surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def member_frame(tables: Sequence[pa.Table]) -> pd.DataFrame:
    """The member rows of the sheets :func:`locate_sheet` found, joined in Arrow and turned into pandas once (per
    sheet, ``to_pandas`` and ``pd.concat`` cost ~2 ms a sheet): fields as read, ``cell`` and ``status`` as
    "string"; an empty frame for none."""
    if not tables:
        return pd.DataFrame()
    table = pa.concat_tables(tables, promote_options="default")
    frame: pd.DataFrame = table.to_pandas()
    for name in ("cell", "status"):  # as pd.Series(ArrowStringArray) and dtype="string" made them before
        if name in table.column_names:
            column = table.column(name).combine_chunks()
            frame[name] = pd.Series(pd.arrays.ArrowStringArray(column), index=frame.index)
    return frame


def locate_sheet(
    path: Path,
    sheet: str,
    grid: pd.DataFrame | Grid,
    index: HeaderIndex,
    source_id: int,
    multi_sheet: bool,
    multi_file: bool,
    issues: list[Issue],
    *,
    hidden: set[int] | None = None,
    note_rows: bool = False,
) -> tuple[SheetSource, pa.Table] | None:
    """Locate the roster in one sheet: its header, member rows and their cells; ``note_rows`` adds an info
    issue at every row that is not a member (totals, notes, signature). The member rows come as an Arrow table
    (``source``, ``row``, ``cell``, the fields as read, ``status``), for :func:`member_frame`."""
    grid = Grid.of(grid)
    located = locate_header(grid, index)
    if located is None:
        issues.append(Issue("sheet-skipped", Severity.INFO, file=str(path), sheet=sheet, params={"sheet_name": sheet}))
        return None
    start = min(located.data_start, grid.rows)
    data = grid.table.slice(start)
    rows = _classify(data, grid.columns, located, index)
    position = {col: i for i, col in enumerate(grid.columns)}
    place: dict[str, Any] = {"file": str(path), "sheet": sheet}
    issues += [
        Issue(
            "row-not-member",
            Severity.INFO,
            ref=f"{column_letter(col)}{start + at + 1}",
            row=start + at + 1,
            value=text,
            params={"kind_vi": _KINDS[kind][0], "kind_en": _KINDS[kind][1]},
            **place,
        )
        for at, col, kind, text in (rows.skipped if note_rows else ())
    ]
    stem = path.stem.replace("_", " ")
    hidden_at = hidden or set()
    status = _statuses(data, rows.member, position, located, index, start, hidden_at)
    member = rows.member & ~status.departed
    fallback = (
        _title_cell(grid, located.header_rows[0] - 1, index)
        or _sheet_cell_name(sheet, multi_sheet, index)
        or (clean_cell_name(stem, index) if multi_file or "chi bo " in _text_key(stem) else None)
    )
    keep = pa.array(member)
    table = _member_columns(data, keep, position, located)
    cell = _text_array(rows.names, rows.section[member])
    if fallback and cell.null_count:
        # a name from a file name that is not UTF-8 keeps its undecodable bytes as escapes ("\\xff")
        cell = pc.fill_null(
            cell, pa.scalar(display_name(fallback) if _surrogates(fallback) else fallback, pa.large_string())
        )
    if "cell" in located.field_columns:  # an explicit "Chi bộ" column wins where it is filled
        written = data.column(position[located.field_columns["cell"]]).filter(keep).to_pandas()
        codes, uniques = pd.factorize(written)
        cell = pc.coalesce(_text_array([clean_cell_name(str(u), index) for u in uniques], codes), cell)
    status_cell = pd.Series(pd.arrays.ArrowStringArray(cell).to_numpy(), index=range(len(cell)))
    table = table.add_column(0, "cell", cell)
    table = table.add_column(0, "row", pa.array(start + np.flatnonzero(member) + 1, pa.int64()))
    table = table.add_column(0, "source", pa.array(np.full(table.num_rows, source_id, dtype=np.int64)))
    if status.exempted.any():
        exempted = ["exempted" if e else None for e in status.exempted[member]]
        table = table.append_column("status", pa.array(exempted, pa.large_string()))
    issues += status.issues(place, located, rows, cell=status_cell, member=member, start=start)
    unknown = tuple((column_letter(col), shown, index.closest(shown)) for col, shown in located.unknown)
    source = SheetSource(
        str(path),
        sheet,
        located.header_rows,
        located.data_start + 1,
        located.columns,
        cell=fallback,
        members=len(table),
        heading=tuple((r, c, t) for r in range(located.header_rows[0] - 1) for c, t in grid.row(r).items()),
        unknown=unknown,
    )
    header_row = located.header_rows[-1]
    for letter, shown, closest in unknown:
        hint = index.standard.get(closest or "", "")
        issues.append(
            Issue(
                "unknown-column",
                Severity.INFO,
                ref=f"{letter}{header_row}",
                row=header_row,
                column=shown,
                value=shown,
                field=closest,
                params={
                    "hint_vi": f' Gần giống cột "{hint}".' if hint else "",
                    "hint_en": f' It resembles the "{hint}" column.' if hint else "",
                },
                **place,
            )
        )
    issues += [
        Issue(
            "duplicate-column",
            Severity.WARNING,
            ref=f"{column_letter(col)}{header_row}",
            row=header_row,
            column=shown,
            value=shown,
            **place,
        )
        for col, shown in located.duplicates
    ]
    if cell.null_count:
        unknown_at = np.flatnonzero(cell.is_null().to_numpy(zero_copy_only=False))
        first_row = int(start + np.flatnonzero(member)[unknown_at[0]] + 1)
        issues.append(
            Issue(
                "cell-unknown",
                Severity.WARNING,
                file=str(path),
                sheet=sheet,
                ref=f"A{first_row}",
                row=first_row,
                params={"count": int(cell.null_count)},
            )
        )
    return source, table


_KINDS = {
    "total": ("dòng tổng cộng", "a totals row"),
    "note": ("ghi chú dưới bảng", "a note under the table"),
    "signature": ("phần ký tên", "the signature block"),
}


@dataclass
class _Statuses:
    """Member rows marked as departed or exempted (notes/status column), and hidden member rows."""

    departed: np.ndarray
    exempted: np.ndarray
    hidden: np.ndarray
    found: list[rows_.Status | None]
    where: dict[int, int]  # row position -> column of the status text

    def issues(
        self, place: dict[str, Any], located: _Located, rows: _Rows, *, cell: pd.Series, member: np.ndarray, start: int
    ) -> list[Issue]:
        out: list[Issue] = []
        kept = {at: i for i, at in enumerate(np.flatnonzero(member).tolist())}
        name_col = located.columns.get("full_name")
        for at in np.flatnonzero(self.departed | self.exempted | self.hidden).tolist():
            status = self.found[at]
            row = start + at + 1
            letter = column_letter(self.where[at]) if at in self.where else (name_col.letter if name_col else "A")
            hidden = bool(self.hidden[at])
            hidden_vi = " (dòng bị ẩn)" if hidden else ""
            hidden_en = " (the row is hidden)" if hidden else ""
            where_cell = cell.iloc[kept[at]] if at in kept else None
            severity = Severity.WARNING
            if status is None:  # hidden, nothing written: still a member, noted
                code, params, severity = "row-hidden", {}, Severity.INFO
            else:
                code = "member-departed" if status.group == "departed" else "member-exempted"
                params = {"reason": status.reason, "label_vi": status.label_vi, "label_en": status.label_en}
            out.append(
                Issue(
                    code,
                    severity,
                    ref=f"{letter}{row}",
                    row=row,
                    cell=_text_or_none(where_cell),
                    member=self.names[at] if at < len(self.names) else None,
                    value=self.notes.get(at),
                    params={**params, "hidden_vi": hidden_vi, "hidden_en": hidden_en},
                    **place,
                )
            )
        return out

    names: list[str | None] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # row position -> the status text as written


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _statuses(
    data: pa.Table,
    member: np.ndarray,
    position: dict[int, int],
    located: _Located,
    index: HeaderIndex,
    start: int,
    hidden_rows: set[int],
) -> _Statuses:
    rows = data.num_rows
    none = np.zeros(rows, dtype=bool)
    hidden = none.copy()
    if hidden_rows:
        at = np.array(sorted(r - start for r in hidden_rows if start <= r < start + rows), dtype=np.int64)
        hidden[at] = True
        hidden &= member
    found: list[rows_.Status | None] = [None] * rows
    where: dict[int, int] = {}
    notes: dict[int, str] = {}
    vocabulary = index.status or rows_.StatusVocabulary({})
    for name in vocabulary.fields:
        col = located.field_columns.get(name)
        if col is None or col not in position:
            continue
        per_value, codes = vocabulary.of_column(data.column(position[col]))
        marked = np.array([s is not None for s in per_value] + [False], dtype=bool)[codes]
        for row in np.flatnonzero(marked & member).tolist():  # only the marked rows, in Python
            if found[row] is None:
                found[row], where[row] = per_value[int(codes[row])], col
                notes[row] = str(data.column(position[col])[row].as_py())
    departed = np.array([s is not None and s.group == "departed" for s in found], dtype=bool) if rows else none
    exempted = np.array([s is not None and s.group == "exempted" for s in found], dtype=bool) if rows else none
    names: list[str | None] = [None] * rows
    marked = np.flatnonzero(departed | exempted | hidden)
    if len(marked):  # the names of the marked rows only, split names joined
        picked = data.take(pa.array(marked))
        kept = _member_columns(picked, pa.array(np.ones(len(marked), dtype=bool)), position, located)
        if "full_name" in kept.column_names:
            for row, name in zip(marked.tolist(), kept.column("full_name").to_pylist(), strict=True):
                names[row] = name if isinstance(name, str) else None
    return _Statuses(departed, exempted, hidden, found, where, names, notes)


def read_roster(
    paths: str | Path | Sequence[str | Path],
    *,
    spec: RosterSpec | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Roster:
    """Read the roster from one or many workbooks, or a folder of them (one workbook per cell).

    Every sheet whose header matches the roster form is read; title rows, two-row merged headers, a
    numbering row, section rows ("I. Chi bộ …"), subtotal and signature footers are recognised. Each member
    keeps its file, sheet, Excel row and, through ``Roster.sources``, the column of every field.

    Args:
        paths: a workbook, a folder, or a list of them.
        spec: the roster schema; default ``schemas/roster.yaml``.
        progress: called after each file with (files read, member rows found so far), e.g. by the web page.

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
    paths = options.paths(paths, "paths")
    from dangvien_data.roster.normalise import normalise

    files = expand_paths([paths] if isinstance(paths, str | Path) else paths)
    loads = _each_load(files)  # the first workbook loads on a background thread while the schema is read
    spec = spec or load_roster_spec()
    index = header_index(spec)
    sources: list[SheetSource] = []
    tables: list[pa.Table] = []
    issues: list[Issue] = []
    failed: list[DangvienError] = []
    for done, (path, loaded) in enumerate(loads, start=1):
        try:
            if isinstance(loaded, DangvienError):
                raise loaded
            _read_workbook(path, loaded, index, len(files) > 1, sources, tables, issues)
        except DangvienError as exc:
            # In a run over many files, one that cannot be read is an error of that file; the others are read.
            if len(files) == 1:
                raise
            failed.append(exc)
            issues.append(_unreadable(path, exc))
        del loaded
        status.note(files=1)
        if progress is not None:
            progress(done, sum(len(t) for t in tables))
    if failed and not tables:
        raise failed[0]
    raw = member_frame(tables)
    source = raw["source"].to_numpy()
    for position, name in ((1, "file"), (2, "sheet")):  # categories from codes: no lookup per member
        labels: list[str] = [display_name(getattr(s, name)) for s in sources]  # a file name need not be UTF-8
        categories = sorted(set(labels))  # as astype("category") orders them
        codes = np.array([categories.index(label) for label in labels], dtype="int64")
        values = pd.Categorical.from_codes(codes[source], dtype=pd.CategoricalDtype(categories))
        raw.insert(position, name, pd.Series(values, index=raw.index))
    frame, found_issues = normalise(raw, spec, sources)
    # normalising frees about half of what it allocated, in arenas glibc keeps: given back, the checks after it
    # start lower (1.18M members in 8 files: peak 2,103 -> 1,917 MiB at the same time; benchmarks/README.md)
    release_freed_memory()
    return Roster(frame=frame, raw=raw, sources=sources, issues=issues + found_issues)


def _each_load(files: list[Path]) -> Iterator[tuple[Path, LoadedWorkbook | DangvienError]]:
    """The workbooks in order, each loaded or the error that kept it from loading; the next one loads meanwhile."""
    done = 0
    while done < len(files):
        try:
            for loaded in load_many(files[done:]):
                done += 1
                yield loaded.path, loaded
        except DangvienError as exc:
            done += 1
            yield files[done - 1], exc


def _unreadable(path: Path, exc: DangvienError) -> Issue:
    return Issue(
        "file-unreadable",
        Severity.ERROR,
        file=str(path),
        params={"reason_vi": exc.message("vi"), "reason_en": exc.message("en")},
    )


def _read_workbook(
    path: Path,
    loaded: LoadedWorkbook,
    index: HeaderIndex,
    multi_file: bool,
    sources: list[SheetSource],
    tables: list[pa.Table],
    issues: list[Issue],
) -> None:
    """Locate the roster in every sheet of one workbook; its sheets, tables and issues are added only if it has one.

    Raises:
        NoRosterError: no sheet has a roster header.
    """
    candidates = [(s.name, s.visible, _grid(s, loaded.specials)) for s in loaded.sheets if s.table.num_rows]
    found_sources: list[SheetSource] = []
    found_tables: list[pa.Table] = []
    noted: list[Issue] = []
    for name, visible, grid in candidates:
        result = locate_sheet(
            path,
            name,
            grid,
            index,
            len(sources) + len(found_sources),
            len(candidates) > 1,
            multi_file,
            noted,
            hidden=loaded.hidden_rows.get(name),  # found by the loader's measuring pass, not a second read
            note_rows=True,
        )
        if result is None and not visible:  # a hidden list of codes, say: not worth a note
            noted.pop()
        if result is not None:
            found_sources.append(result[0])
            found_tables.append(result[1])
    if not found_sources:
        raise NoRosterError(
            f'Tệp {path} không có trang nào có dòng tiêu đề danh sách đảng viên (cần ít nhất "Họ và tên" và '
            f'{MIN_HEADER_MATCHES - 1} cột khác như "Ngày sinh", "Ngày vào Đảng"). Kiểm tra đúng tệp, hoặc '
            "sửa tiêu đề cột theo mẫu (xem schemas/roster.yaml).",
            f'No sheet of {path} has a roster header row ("Họ và tên" and at least '
            f'{MIN_HEADER_MATCHES - 1} more such as "Ngày sinh", "Ngày vào Đảng"). Check it is the right '
            "file, or rename the headers as in schemas/roster.yaml.",
            path=str(path),
        )
    sources += found_sources
    tables += found_tables
    issues += noted
