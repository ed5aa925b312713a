"""Byte-level passes over the sheets of an .xlsx that the fast reader cannot make itself (issue 6).

calamine (under fastexcel) allocates every cell of a sheet's used range at once: one stray value at
XFD1048576 makes it ask for hundreds of GiB and abort the process, beyond any ``except``. So the used range
of every sheet is measured before any sheet is loaded (:func:`scan_sheets`). calamine also returns Excel
error values (#REF!, #N/A …) and formulas saved without a calculated value as empty cells, so a broken cell
would pass for a blank one; the same pass finds them.

Cost: a sheet part up to :data:`FULL_SCAN_BYTES` (a roster of ~60,000 rows) is read whole, once: its used
range is measured from its cells and its special cells found in the same pass (about a fifth of the fast
read's time). A larger part is judged by the ``<dimension>`` element at its top, which Excel, LibreOffice,
openpyxl and xlsxwriter all write truthfully, and its special cells are searched by :func:`find_specials`
on a second thread while fastexcel reads. Only byte searches and regular expressions are used: no XML
parser, so no entity is ever expanded here.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

__all__ = ["FULL_SCAN_BYTES", "MAX_CELLS", "SheetScan", "column_index", "find_specials", "scan_sheets"]

# calamine holds ~45 bytes per cell of the used range while reading (measured: 1,048,576 × 26 cells peak at
# 1.3 GiB). 30 million cells (~1.4 GiB) is twice a 500k-member roster of 25 columns, and far below the
# 17 billion cells that stray values at XFD1 and A1048576 ask for.
MAX_CELLS = 30_000_000
FULL_SCAN_BYTES = 64 * 1024**2
_CHUNK = 4 * 1024**2
_MAX_CARRY = 64 * 1024**2

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')
_RID_ATTR = re.compile(rb'\b\w+:id="([^"]*)"')
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ID_ATTR = re.compile(rb'\bId="([^"]*)"')
_TARGET_ATTR = re.compile(rb'\bTarget="([^"]*)"')

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
_ROW = re.compile(rb'<row r="(\d+)"')
_WIDE_VALUE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d+"[^>/]*>')
_VALUE_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>/]*>')
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_NO_VALUE_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)(?:<v\s*/>|<v>\s*</v>)?</c>")


@dataclass
class SheetScan:
    """What the pass found in one sheet part.

    ``cells`` is the size of the used range in cells; ``far_cell`` names the value cells that stretch it
    farthest when it was measured from the cells themselves. ``specials`` maps a 0-based ``(row, column)``
    to the text to show for a cell the fast reader returns empty: the error value ("#REF!") or the formula
    ("=DATE(1980,3,5)") of a formula with no saved value; ``None`` when the part was too large to search
    here (:func:`find_specials` does it).
    """

    part: str
    cells: int = 0
    far_cell: str | None = None
    specials: dict[tuple[int, int], str] | None = None


def column_index(letters: str) -> int:
    """Excel column letters -> 0-based index ("A" -> 0, "AB" -> 27)."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def scan_sheets(archive: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Measure the used range of every worksheet of an open .xlsx/.xlsm archive (see the module docstring).

    A sheet whose quick bound exceeds :data:`MAX_CELLS` is measured again from its value cells alone, so
    formatting far away or an honest wide roster is not refused. Sheets whose part cannot be found by name
    are keyed by their part path.
    """
    found: dict[str, SheetScan] = {}
    for name, part in _parts(archive):
        scan = SheetScan(part)
        if archive.getinfo(part).file_size <= FULL_SCAN_BYTES:
            scan.specials = {}
            max_row, max_col = 0, 25  # single-letter columns are not collected one by one: up to Z
            for body in _bodies(archive, part):
                rows = _ROW.findall(body)
                if rows:
                    max_row = max(max_row, *map(int, rows))
                wide = set(_WIDE_VALUE_CELL.findall(body))
                if wide:
                    max_col = max(max_col, *(column_index(w.decode()) for w in wide))
                _find_specials(body, scan.specials)
            bound: int | None = (max_row or 1_048_576) * (max_col + 1)
        else:
            bound = _dimension_cells(archive, part)
        scan.cells = bound or 0
        if bound is None or bound > MAX_CELLS:
            scan.cells, scan.far_cell = _exact_extent(archive, part)
        found[name] = scan
    return found


def find_specials(archive: zipfile.ZipFile, names: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Error values and formulas without a saved value in the worksheets ``names``, keyed by sheet name.

    One streaming pass per sheet with two byte needles, ``<v>#`` and ``</f``; only the chunks that hold a
    formula meet a regular expression (a formula followed by no value).
    """
    found: dict[str, dict[tuple[int, int], str]] = {}
    for name, part in _parts(archive):
        if name not in names:
            continue
        specials: dict[tuple[int, int], str] = {}
        for body in _bodies(archive, part):
            _find_specials(body, specials)
        found[name] = specials
    return found


def _parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    parts = _sheet_parts(archive)
    names = set(archive.namelist())
    listed = set(parts.values())
    extra = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml") and n not in listed)
    return [(name, part) for name, part in [*parts.items(), *((p, p) for p in extra)] if part in names]


def _bodies(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The decompressed part in pieces that each end before a ``<c `` (so no cell is split across two)."""
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b"<c ")
            if cut <= 0:
                if len(buffer) < _MAX_CARRY:
                    carry = buffer
                    continue
                cut = len(buffer)
            yield buffer[:cut]
            carry = buffer[cut:]
    if carry:
        yield carry


def _dimension_cells(archive: zipfile.ZipFile, part: str) -> int | None:
    with archive.open(part) as stream:
        head = stream.read(64 * 1024)
    found = _DIMENSION.search(head)
    if found is None:
        return None
    first = int(found[2]) - 1, column_index(found[1].decode())
    last = (int(found[4]) - 1, column_index(found[3].decode())) if found[3] else first
    return (abs(last[0] - first[0]) + 1) * (abs(last[1] - first[1]) + 1)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part path, from xl/workbook.xml and its relationships (regular expressions, no parser)."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, str] = {}
    for tag in _REL_TAG.findall(rels):
        rid, target = _ID_ATTR.search(tag), _TARGET_ATTR.search(tag)
        if rid and target:
            text = html.unescape(target[1].decode("utf-8", "replace"))
            path = text.lstrip("/") if text.startswith("/") else str(PurePosixPath("xl") / text)
            targets[rid[1]] = path
    parts: dict[str, str] = {}
    for tag in _SHEET_TAG.findall(book):
        name, rid = _NAME_ATTR.search(tag), _RID_ATTR.search(tag)
        if name and rid and rid[1] in targets:
            parts[html.unescape(name[1].decode("utf-8", "replace"))] = targets[rid[1]]
    return parts


def _find_specials(body: bytes, specials: dict[tuple[int, int], str]) -> None:
    # Every error cell (t="e") keeps its value as "<v>#REF!</v>"; "#" is rare in XML, so "<v>#" is a fast needle.
    start = body.find(b"<v>#")
    while start >= 0:
        cell = body.rfind(b"<c ", 0, start)
        tag_end = body.find(b">", cell) if cell >= 0 else -1
        end = body.find(b"</v>", start)
        ref = _CELL_REF.match(body, cell) if cell >= 0 else None
        if ref and end > 0 and b't="e"' in body[cell:tag_end]:
            specials[_position(ref)] = html.unescape(body[start + 3 : end].decode("utf-8", "replace")).strip()
        start = body.find(b"<v>#", start + 4)
    if body.find(b"</f") < 0:  # every formula with text has "</f", and "f" is rare in sheet markup: fast
        return
    for match in _NO_VALUE_FORMULA.finditer(body):
        cell = body.rfind(b"<c ", 0, match.start())
        ref = _CELL_REF.match(body, cell) if cell >= 0 else None
        if ref:
            formula = html.unescape((match[1] or b"").decode("utf-8", "replace")).strip()
            specials[_position(ref)] = "=" + formula if formula else "="


def _position(ref: re.Match[bytes]) -> tuple[int, int]:
    return int(ref[2]) - 1, column_index(ref[1].decode())


def _exact_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, str | None]:
    """The used range of the value cells: its size in cells, and the cells that stretch it farthest."""
    from dangvien_data.roster.model import column_letter

    low_row = low_col = 1 << 30
    lowest = rightmost = (-1, -1)  # (row, col) of the value cell with the largest row / column
    for body in _bodies(archive, part):
        for letters, digits in set(_VALUE_CELL.findall(body)):
            row, col = int(digits) - 1, column_index(letters.decode())
            low_row, low_col = min(low_row, row), min(low_col, col)
            lowest = max(lowest, (row, col))
            rightmost = max(rightmost, (col, row))
    if lowest[0] < 0:
        return 0, None
    cells = (lowest[0] - low_row + 1) * (rightmost[0] - low_col + 1)
    refs = dict.fromkeys(
        [f"{column_letter(lowest[1])}{lowest[0] + 1}", f"{column_letter(rightmost[0])}{rightmost[1] + 1}"]
    )
    return cells, ", ".join(refs)
