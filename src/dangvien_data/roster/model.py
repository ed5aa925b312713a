"""The Roster: members read from one or many workbooks, with the provenance of every value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from dangvien_data.issues import Issue

__all__ = ["ColumnSource", "Roster", "SheetSource", "column_letter", "display", "issues_at"]


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> "A", 27 -> "AB")."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class ColumnSource:
    """Where a field was found in a sheet: its column letter and the header as written."""

    letter: str
    header: str


@dataclass
class SheetSource:
    """One sheet that held a roster: its header rows and the column of every field found."""

    file: str
    sheet: str
    header_rows: tuple[int, ...]
    data_start: int
    columns: dict[str, ColumnSource]
    cell: str | None = None
    members: int = 0
    heading: tuple[tuple[int, int, str], ...] = ()  # (0-based row, column, text) of the rows above the header
    unknown: tuple[tuple[str, str, str | None], ...] = ()  # (letter, header, the field it most resembles)


@dataclass
class Roster:
    """Members read from workbooks.

    ``frame`` has one row per member with the canonical fields (normalised values), the provenance columns
    ``source`` (index into ``sources``), ``file``, ``sheet``, ``row`` (Excel row number) and ``cell`` (chi bộ),
    and for each date field ``<field>_precision`` ("day", "month" or "year"). ``raw`` has the same index and
    holds every field as written in the file (text), for messages. ``issues`` are what reading and normalising
    found (legacy text converted, both Nam and Nữ filled, …).
    """

    frame: pd.DataFrame
    raw: pd.DataFrame
    sources: list[SheetSource]
    issues: list[Issue] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def files(self) -> list[str]:
        """The files read, in order."""
        return list(dict.fromkeys(s.file for s in self.sources))

    @property
    def cells(self) -> list[str]:
        """The cells (chi bộ) in the order they first appear."""
        return [c for c in dict.fromkeys(self.frame["cell"].tolist()) if isinstance(c, str)]

    def letters(self, field_name: str) -> pd.Series:
        """The column letter of ``field_name`` for every member (NA where the sheet has no such column)."""
        per_row = f"{field_name}_col"
        if per_row in self.frame:
            return self.frame[per_row]
        mapping = {
            i: (s.columns[field_name].letter if field_name in s.columns else None) for i, s in enumerate(self.sources)
        }
        return self.frame["source"].map(mapping)

    def refs(self, field_name: str) -> pd.Series:
        """The A1 reference of ``field_name`` for every member, e.g. ``"F12"`` (NA without a column)."""
        # as text first: a field with no column in any sheet has all-None letters (object dtype), and None + "12"
        # is a TypeError where NA + "12" is NA
        letters = self.letters(field_name).astype("string")
        return letters + self.frame["row"].astype("string")

    def header(self, source: int, field_name: str) -> str | None:
        """The header as written in the file for ``field_name`` in sheet ``source``."""
        col = self.sources[source].columns.get(field_name)
        return col.header if col else None

    def per_cell(self) -> pd.DataFrame:
        """Members per cell: a quick look at what was read (the summary module does the full counts)."""
        frame = self.frame
        counts = frame.groupby("cell", sort=False, dropna=False).agg(
            members=("row", "size"),
            files=("file", "nunique"),
            sheets=("sheet", "nunique"),
        )
        return counts.reset_index()


def issues_at(
    frame: pd.DataFrame,
    sources: list[SheetSource],
    mask: pd.Series,
    code: str,
    field_name: str,
    *,
    values: pd.Series | None = None,
    params: pd.DataFrame | None = None,
    severity: str | None = None,
    raw: pd.DataFrame | None = None,
) -> list[Issue]:
    """Issue records for the rows of ``frame`` where ``mask`` is true, located at ``field_name``'s cell.

    Only failing rows are touched, so the cost follows the number of problems, not the size of the roster.
    ``values`` defaults to ``raw[field_name]`` (the text as written); ``params`` holds per-row message values,
    indexed like ``frame`` or by the failing rows only.
    """
    from dangvien_data.issues import CATALOGUE, Issue, Severity

    at = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
    if not len(at):
        return []
    index = frame.index[at]
    sources_at = frame["source"].to_numpy()[at].tolist()
    per_row = f"{field_name}_col"
    if per_row in frame:
        letters = frame[per_row].iloc[at].tolist()
    else:
        letter_of = [s.columns[field_name].letter if field_name in s.columns else None for s in sources]
        letters = [letter_of[src] for src in sources_at]
    by_letter = {(i, c.letter): c.header for i, s in enumerate(sources) for c in s.columns.values()}
    if values is None and raw is not None and field_name in raw:
        values = raw[field_name]
    shown = _at(values, frame.index, at, index) if values is not None else [None] * len(at)
    names = _at(frame["full_name"], frame.index, at, index) if "full_name" in frame else [None] * len(at)
    cells = frame["cell"].iloc[at].tolist()
    extra = _params_at(params, index) if params is not None else [{} for _ in range(len(at))]
    level = Severity(severity) if severity else CATALOGUE[code].severity
    places = [(s.file, s.sheet) for s in sources]
    return [
        Issue(
            code=code,
            severity=level,
            file=places[src][0],
            sheet=places[src][1],
            ref=f"{letter}{row}" if isinstance(letter, str) else f"A{row}",
            row=int(row),
            column=by_letter.get((src, letter)),
            field=field_name,
            value=None if _missing(value) else display(value),
            member=None if _missing(name) else str(name),
            cell=None if _missing(cell) else str(cell),
            params=more,
        )
        for src, row, letter, value, name, cell, more in zip(
            sources_at, frame["row"].to_numpy()[at].tolist(), letters, shown, names, cells, extra, strict=True
        )
    ]


def _at(series: pd.Series, frame_index: pd.Index, at: np.ndarray, index: pd.Index) -> list[object]:
    """The values of ``series`` at the failing rows (positions ``at`` of the frame, labels ``index``)."""
    if series.index is frame_index or series.index.equals(frame_index):
        return series.iloc[at].tolist()
    return series.reindex(index).tolist()


def _params_at(params: pd.DataFrame, index: pd.Index) -> list[dict[str, str]]:
    """One ``{name: text}`` per failing row, without the missing values."""
    if not params.index.equals(index):
        params = params.reindex(index)
    if not len(params.columns):
        return [{} for _ in range(len(index))]
    names = [str(name) for name in params.columns]
    columns = [_texts(params[name].tolist()) for name in params.columns]
    return [{k: v for k, v in zip(names, row, strict=True) if v is not None} for row in zip(*columns, strict=True)]


def _texts(values: list[object]) -> list[str | None]:
    """:func:`display` of each value, None for a missing one."""
    return [
        (value if len(value) != 19 else display(value))
        if type(value) is str
        else (None if _missing(value) else display(value))
        for value in values
    ]


_EXCEL_DATE_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) 00:00:00$")


def display(value: object) -> str:
    """A value as a person saw it in Excel: real dates (read as "1985-03-05 00:00:00") as 05/03/1985."""
    text = str(value)
    match = _EXCEL_DATE_TEXT.match(text) if len(text) == 19 else None
    return f"{match[3]}/{match[2]}/{match[1]}" if match else text


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
