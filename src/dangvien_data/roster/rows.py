"""Rows of a roster table that are not members, and members who left: totals, notes, status words, hidden rows.

Offices end a table with a "Tổng cộng" row (a label, SUM formulas or the column sums), a signature block and
notes, and mark members who moved away, died or were exempted in a notes column, often hiding their rows too.
The vocabulary of those marks is ``member_status`` in ``schemas/roster.yaml``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dangvien_data.domain.vntext import nfc, strip_accents

__all__ = ["Status", "StatusVocabulary", "hidden_rows", "is_note", "numeric_only", "total_label"]

# A totals label as written ("Tổng cộng", "Cộng:", "TỔNG SỐ"), accents kept: unaccented "cong" is also "Công".
TOTAL_LABEL = r"(?i)^\s*(?:tổng\s+cộng|tổng\s+số|tổng|cộng|tong\s+cong|tong\s+so)\s*(?::|$|\s|\d|\()"
_NUMERIC = r"^\s*(?:=.*|[-+]?[\d.,]+)\s*$"
_NOTE_RE = re.compile(r"^(?:ghi chu|chu thich|luu y|nguon|ghi chu\s*:|\*|\(\*\)|\(\d\)\s)")
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CHUNK = 1 << 20


# The same pattern for Python's engine, as RE2 reads it: ASCII white space and digits, "$" only at the very end.
_TOTAL_LABEL_RE = re.compile(TOTAL_LABEL.replace(r"\s", r"[\t\n\f\r ]").replace(r"\d", "[0-9]").replace("$", r"\Z"))
_FEW = 200  # below this many values, Python's regex beats compiling the RE2 pattern (~0.2 ms) for one call


def total_label(values: pa.Array) -> np.ndarray:
    """Which texts of a column are a totals label ("Tổng cộng", "Cộng") rather than a member's data."""
    if len(values) <= _FEW:
        return np.array([bool(v is not None and _TOTAL_LABEL_RE.match(v)) for v in values.to_pylist()], dtype=bool)
    found: np.ndarray = pc.match_substring_regex(values, TOTAL_LABEL).fill_null(False).to_numpy(zero_copy_only=False)
    return found


def valid(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which values are not null, read from the validity bitmap (no compute call: a small sheet has many columns)."""
    if values.null_count == 0:
        return np.ones(len(values), dtype=bool)
    if isinstance(values, pa.ChunkedArray) or values.buffers()[0] is None:
        mask: np.ndarray = values.is_valid().to_numpy(zero_copy_only=False)
        return mask
    bits = np.unpackbits(np.frombuffer(values.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[values.offset : values.offset + len(values)].astype(bool)


def numeric_only(data: pa.Table, rows: np.ndarray) -> np.ndarray:
    """Of ``rows`` (positions in ``data``), which hold only numbers or formulas: a totals row without its label."""
    if not len(rows) or not data.num_columns:
        return np.zeros(len(rows), dtype=bool)
    taken = data.take(pa.array(rows, type=pa.int64()))  # one take for every column
    columns = [contiguous(column) for column in taken.columns]
    if len({c.type for c in columns}) > 1:  # a column of nulls only, say: one type for the one array below
        columns = [c.cast(pa.large_string()) for c in columns]
    # every column's cells of those rows in one array, so the pattern is compiled and run once, not per column
    values = pa.concat_arrays(columns)
    present = values.is_valid().to_numpy(zero_copy_only=False).reshape(data.num_columns, len(rows))
    found = pc.match_substring_regex(values, _NUMERIC).fill_null(False).to_numpy(zero_copy_only=False)
    numeric = found.reshape(data.num_columns, len(rows))
    result: np.ndarray = (numeric | ~present).all(axis=0) & present.any(axis=0)
    return result


def contiguous(values: Any) -> Any:
    """One Arrow array of ``values`` (a ChunkedArray's chunks combined; an array as it is)."""
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def is_note(key: str) -> bool:
    """A note line under the table ("Ghi chú: …", "* …"), given its :func:`text key <reader._text_key>`."""
    return bool(_NOTE_RE.match(key))


@dataclass(frozen=True)
class Status:
    """A member's status found in the notes column: ``group`` "departed" or "exempted", its reason and labels."""

    group: str
    reason: str
    label_vi: str
    label_en: str


class StatusVocabulary:
    """The ``member_status`` words of ``schemas/roster.yaml``, matched word by word without accents or case."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.fields: tuple[str, ...] = tuple(raw.get("columns") or ())
        phrases: list[tuple[str, Status | None]] = []
        for group in ("departed", "exempted"):
            for reason, entry in (raw.get(group) or {}).items():
                label = [str(t) for t in entry.get("label") or (reason, reason)]
                status = Status(group, str(reason), label[0], label[-1])
                phrases += [(_key(str(word)), status) for word in entry.get("words") or ()]
        phrases += [(_key(str(word)), None) for word in raw.get("not_status") or ()]  # "Chuyển đến": moved in
        phrases.sort(key=lambda p: -len(p[0]))
        self._phrases = phrases
        self._pattern = (
            re.compile("|".join(rf"(?<![a-z0-9])({re.escape(p)})(?![a-z0-9])" for p, _ in phrases)) if phrases else None
        )

    def find(self, text: object) -> Status | None:
        """The status a note names ("Đã chuyển sinh hoạt về CA tỉnh" -> transferred), or None."""
        if self._pattern is None or not isinstance(text, str):
            return None
        key = _key(text)
        hits = [self._phrases[m.lastindex - 1][1] for m in self._pattern.finditer(key) if m.lastindex]
        if not hits or None in hits:  # a note about moving in says nothing of leaving
            return None
        return hits[0]

    def of_column(self, values: pa.Array | pa.ChunkedArray) -> tuple[list[Status | None], np.ndarray]:
        """:meth:`find` of every distinct value, and each row's position among them (-1 when empty)."""
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        encoded = pc.dictionary_encode(values)
        per_value = [self.find(v) for v in encoded.dictionary.to_pylist()]
        codes: np.ndarray = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return per_value, codes


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", strip_accents(nfc(text)).casefold()).strip()


def hidden_rows(path: Path, sheets: Sequence[str]) -> dict[str, set[int]]:
    """The hidden rows (0-based) of each sheet of an .xlsx/.xlsm file, from the rows' ``hidden`` attribute.

    Other formats, and files that cannot be scanned, give no hidden rows: hiding is then not known.
    """
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return {}
    from dangvien_data.io.xlsx_scan import sheet_parts

    found: dict[str, set[int]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts: dict[str, str] = {}
            for name, member in sheet_parts(archive):  # the parts the reader loads, through the relationships
                parts.setdefault(name, member)
            for sheet in sheets:
                if sheet in parts and parts[sheet] in archive.namelist():
                    rows = _hidden_in_part(archive, parts[sheet])
                    if rows:
                        found[sheet] = rows
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return {}
    return found


def _hidden_in_part(archive: zipfile.ZipFile, part: str) -> set[int]:
    rows: set[int] = set()
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            if b"hidden=" in buffer:
                for tag in _HIDDEN_ROW.finditer(buffer):
                    number = _ROW_NUMBER.search(tag[0])
                    if number:
                        rows.add(int(number[1]) - 1)
            cut = buffer.rfind(b"<row")
            carry = buffer[cut:] if cut >= 0 and len(buffer) - cut < 4096 else b""
    return rows
