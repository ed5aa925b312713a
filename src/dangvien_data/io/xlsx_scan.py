"""The used range of every sheet, measured with an XML pull parser before the fast reader allocates it.

calamine (under fastexcel) allocates every cell of a sheet's used range at once: one stray value at
XFD1048576 makes it ask for hundreds of GiB and abort the process, beyond any ``except``. So the used range
of every sheet of an .xlsx/.xlsm, .ods or .xls is measured first, the way calamine will place the cells, and a
file whose sheet would need more than the budget (:class:`ReadLimits`) is refused before any sheet is loaded.

For .xlsx the sheet parts are found through ``_rels/.rels``, ``xl/_rels/workbook.xml.rels`` and
``[Content_Types].xml`` (every path calamine or the standard could resolve to), and each part is parsed with
expat: namespace prefixes, quoting, spacing and attribute order are the parser's business, not ours. A cell
without ``r`` takes the next column, a row without ``r`` the next row, as calamine does. The same pass finds the
cells calamine returns empty: Excel error values (#REF!, #N/A …) and formulas saved without a value.

No document type declaration is accepted anywhere, so no entity is ever declared or expanded here
(:class:`XmlRefused` with ``entity=True``). .ods content is parsed the same way (repeated rows and columns
counted as calamine expands them); .xls records are walked in the OLE ``Workbook`` stream (olefile).
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

__all__ = [
    "BYTES_PER_CELL",
    "MAX_CELLS",
    "ReadLimits",
    "SheetScan",
    "XmlRefused",
    "column_index",
    "declared_strings",
    "scan_ods",
    "scan_sheets",
    "scan_xls",
]

# calamine holds ~45 bytes per cell of the used range while reading (measured: 1,048,576 × 26 cells peak at
# 1.3 GiB). 30 million cells (~1.4 GiB) is twice a 500k-member roster of 25 columns, and far below the
# 17 billion cells that stray values at XFD1 and A1048576 ask for.
MAX_CELLS = 30_000_000
BYTES_PER_CELL = 45
MAX_MEMORY = 2 * 1024**3
_MAX_TEXT = 32_767  # longer formula or error text is cut: it is shown, never evaluated
_CELL_REF = re.compile(r"([A-Za-z]*)([0-9]+)")


@dataclass(frozen=True)
class ReadLimits:
    """The budget of one file: at most ``max_cells`` cells in a sheet's used range, and at most ``max_memory``
    bytes for the fast reader to hold it (``BYTES_PER_CELL`` per cell)."""

    max_cells: int = MAX_CELLS
    max_memory: int = MAX_MEMORY

    @property
    def cell_cap(self) -> int:
        """The largest used range allowed, in cells."""
        return max(1, min(self.max_cells, self.max_memory // BYTES_PER_CELL))


class XmlRefused(Exception):
    """A part that is not plain, well-formed XML: ``entity`` when it declares a document type (entities)."""

    def __init__(self, part: str, reason: str, *, entity: bool = False) -> None:
        super().__init__(f"{part}: {reason}")
        self.part, self.reason, self.entity = part, reason, entity


@dataclass
class SheetScan:
    """What the pass found in one sheet.

    ``cells`` is the size of the used range in cells (the bounding box of the cells that hold something);
    ``far_cell`` names the cells that stretch it farthest. ``specials`` maps a 0-based ``(row, column)`` to
    the text to show for a cell the fast reader returns empty: the error value ("#REF!") or the formula
    ("=DATE(1980,3,5)") of a formula with no saved value. ``hidden_rows`` are the 0-based rows whose ``<row>``
    says ``hidden="1"`` (found in the same pass, so that the sheet is decompressed once, not again for them).
    """

    part: str
    cells: int = 0
    far_cell: str | None = None
    specials: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)


def column_index(letters: str) -> int:
    """Excel column letters -> 0-based index ("A" -> 0, "AB" -> 27; lower case as calamine reads it)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


class _Box:
    """The bounding box of the cells seen, and the cells that stretch it farthest down and right."""

    def __init__(self) -> None:
        self.top = self.left = 1 << 62
        self.lowest = (-1, -1)  # (row, col) of the lowest cell
        self.rightmost = (-1, -1)  # (col, row) of the rightmost cell

    def add(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self.top, self.left = min(self.top, row), min(self.left, col)
        self.lowest = max(self.lowest, (row + rows - 1, col))
        self.rightmost = max(self.rightmost, (col + cols - 1, row))

    def into(self, scan: SheetScan) -> SheetScan:
        from dangvien_data.roster.model import column_letter

        if self.lowest[0] < 0:
            return scan
        scan.cells = (self.lowest[0] - self.top + 1) * (self.rightmost[0] - self.left + 1)
        refs = [(self.lowest[1], self.lowest[0]), self.rightmost]
        scan.far_cell = ", ".join(dict.fromkeys(f"{column_letter(min(c, 1 << 20))}{r + 1}" for c, r in refs))
        return scan


def _parser(part: str) -> Any:
    """An expat parser without namespace processing (names keep their prefix) that refuses any DTD."""
    parser = expat.ParserCreate()

    def doctype(*_: object) -> Any:
        raise XmlRefused(part, "DOCTYPE", entity=True)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ExternalEntityRefHandler = doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _parse(parser: Any, part: str, stream: IO[bytes]) -> None:
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as exc:
        entity = exc.code in (expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY],)
        raise XmlRefused(part, str(exc), entity=entity) from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _ref(text: str | None, *, need_column: bool) -> tuple[int, int] | None:
    """``"B12"`` -> ``(11, 1)`` as calamine parses a reference; None when calamine would refuse it."""
    found = _CELL_REF.fullmatch(text) if text is not None else None
    if found is None or int(found[2]) == 0 or (need_column and not found[1]):
        return None
    return int(found[2]) - 1, column_index(found[1]) if found[1] else -1


class _SheetXml:
    """expat handlers that place cells as calamine does and keep the bounding box and the special cells."""

    def __init__(self) -> None:
        self.box = _Box()
        self.specials: dict[tuple[int, int], str] = {}
        self.row = self.col = 0
        self.pos: tuple[int, int] | None = None
        self.open = self.valued = False
        self.error_type = False
        self.formula: list[str] | None = None
        self.value: list[str] | None = None
        self.text: list[str] | None = None
        self.length = 0
        self.kinds: dict[str, str] = {}
        self.hidden: set[int] = set()

    def kind(self, name: str) -> str:
        kind = self.kinds.get(name)
        if kind is None:
            kind = self.kinds[name] = _local(name)
        return kind

    def start(self, name: str, attrs: dict[str, str]) -> None:
        kind = self.kinds.get(name) or self.kind(name)
        if self.open:  # anything inside a cell is a value to calamine (v, is, f …)
            self.valued = True
            if kind == "f":
                self.formula = self._collect()
            elif kind == "v" and (self.error_type or self.formula is not None):
                self.value = self._collect()
        elif kind == "c":
            ref = attrs.get("r")
            if ref is None:
                self.pos = (self.row, self.col)
            else:
                self.pos = _ref(ref, need_column=True)
                if self.pos is not None:
                    self.col = self.pos[1]
            self.open, self.valued = True, False
            self.error_type = attrs.get("t") == "e"
            self.formula = self.value = None
        elif kind == "row":
            found = _ref(attrs.get("r"), need_column=False)
            if found is not None:
                self.row = found[0]
                if attrs.get("hidden") in ("1", "true"):  # as the quick pass: a hidden row is one with its number
                    self.hidden.add(self.row)

    def end(self, name: str) -> None:
        kind = self.kinds.get(name) or self.kind(name)
        if self.text is not None and kind in ("f", "v"):
            self.text = None
            return
        if kind == "c" and self.open:
            self.open = False
            self.col += 1
            if self.pos is not None and self.valued:
                self.box.add(*self.pos)
                self._special(self.pos)
        elif kind == "row" and not self.open:
            self.row += 1
            self.col = 0

    def _collect(self) -> list[str]:
        self.text, self.length = [], 0
        return self.text

    def chars(self, data: str) -> None:
        if self.text is not None and self.length < _MAX_TEXT:
            self.text.append(data)
            self.length += len(data)

    def _special(self, pos: tuple[int, int]) -> None:
        value = "".join(self.value).strip()[:_MAX_TEXT] if self.value is not None else ""
        if self.error_type and value:
            self.specials[pos] = value
        elif self.formula is not None and not value:
            self.specials[pos] = "=" + "".join(self.formula).strip()[:_MAX_TEXT]


def _scan_sheet_part(archive: zipfile.ZipFile, member: str, cap: int) -> SheetScan:
    """The sheet measured by the quick pass when it proves the part plain, else (or when the quick bound is
    over ``cap``) by the parser."""
    quick = _quick_scan(archive, member)
    if quick is not None and quick.cells <= cap:
        return quick
    return _parse_sheet_part(archive, member)


def _parse_sheet_part(archive: zipfile.ZipFile, member: str) -> SheetScan:
    handlers = _SheetXml()
    parser = _parser(member)
    parser.StartElementHandler = handlers.start
    parser.EndElementHandler = handlers.end
    parser.CharacterDataHandler = handlers.chars
    with archive.open(member) as stream:
        _parse(parser, member, stream)
    scan = handlers.box.into(SheetScan(member))
    scan.specials = handlers.specials
    scan.hidden_rows = handlers.hidden
    return scan


def _elements(archive: zipfile.ZipFile, member: str, wanted: set[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The ``(local name, attributes)`` of the elements named ``wanted`` in a small part (rels, workbook)."""
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local in wanted:
            found.append((local, attrs))

    parser = _parser(member)
    parser.StartElementHandler = start
    with archive.open(member) as stream:
        _parse(parser, member, stream)
    return iter(found)


class _Members:
    """The archive's members found as calamine finds them (``\\`` as ``/``, any case) or as the standard
    resolves a part name (``./`` and ``../`` normalised)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.names = set(archive.namelist())
        self.folded = {n.replace("\\", "/").lower(): n for n in self.names}

    def find(self, path: str) -> list[str]:
        candidates = [path, posixpath.normpath(path).lstrip("/") if path else path]
        found = []
        for candidate in candidates:
            member = candidate if candidate in self.names else self.folded.get(candidate.lower())
            if member is not None and member not in found:
                found.append(member)
        return found


def _target(base: str, target: str) -> str:
    return target[1:] if target.startswith("/") else base + target


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """``(sheet name, member)`` for every worksheet part, resolved through the relationships; worksheet parts
    declared only in ``[Content_Types].xml`` are keyed by their member name.

    The workbook is looked for both where ``_rels/.rels`` points and at ``xl/`` (a reader that ignores the package
    relationships), so no sheet a reader could load goes unmeasured.
    """
    members = _Members(archive)
    found: list[tuple[str, str]] = []
    for base in _bases(archive, members):
        found += _workbook_sheets(archive, members, base)
    for types in members.find("[Content_Types].xml"):
        for _, attrs in _elements(archive, types, {"Override"}):
            if "worksheet+xml" in attrs.get("ContentType", "") and "PartName" in attrs:
                found += [(m, m) for m in members.find(attrs["PartName"].lstrip("/"))]
    unique: dict[str, str] = {}
    for name, member in found:
        unique.setdefault(member, name)
    return [(name, member) for member, name in unique.items()]


def _bases(archive: zipfile.ZipFile, members: _Members) -> list[str]:
    """Where the workbook may be: ``xl/`` and the folder of the package relationship's officeDocument target."""
    bases = {"xl/": None}
    for rels in members.find("_rels/.rels"):
        for _, attrs in _elements(archive, rels, {"Relationship"}):
            if attrs.get("Type", "").endswith("/relationships/officeDocument") and "Target" in attrs:
                target = attrs["Target"].lstrip("/")
                bases[target[: target.rfind("/") + 1]] = None
    return list(bases)


def _workbook_sheets(archive: zipfile.ZipFile, members: _Members, base: str) -> list[tuple[str, str]]:
    """The sheets listed by ``{base}workbook.xml``, resolved through ``{base}_rels/workbook.xml.rels``."""
    targets: dict[str, str] = {}
    for rels in members.find(f"{base}_rels/workbook.xml.rels"):
        for _, attrs in _elements(archive, rels, {"Relationship"}):
            if "Id" in attrs and "Target" in attrs and attrs.get("TargetMode") != "External":
                targets[attrs["Id"]] = attrs["Target"]
    found: list[tuple[str, str]] = []
    for book in members.find(f"{base}workbook.xml"):
        for _, attrs in _elements(archive, book, {"sheet"}):
            name = attrs.get("name", "")
            ids = [value for key, value in attrs.items() if ":" in key and _local(key) == "id"]
            for rid in ids:
                if rid in targets:
                    found += [(name, m) for m in members.find(_target(base, targets[rid]))]
    return found


class _Found(Exception):
    def __init__(self, attrs: dict[str, str]) -> None:
        super().__init__()
        self.attrs = attrs


def _root_attributes(archive: zipfile.ZipFile, member: str, local: str) -> dict[str, str]:
    """The attributes of the first element named ``local`` in ``member``, reading only as far as it."""
    parser = _parser(member)

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == local:
            raise _Found(attrs)

    parser.StartElementHandler = start
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Found as found:
        return found.attrs
    except expat.ExpatError as exc:
        raise XmlRefused(member, str(exc)) from None
    return {}


def declared_strings(archive: zipfile.ZipFile) -> int:
    """The largest ``uniqueCount`` a shared-strings part declares: the fast reader reserves room for that many
    strings (24 bytes each) before reading one, so a forged count of 4 billion would abort the process."""
    members = _Members(archive)
    parts = [m for base in _bases(archive, members) for m in members.find(f"{base}sharedStrings.xml")]
    for types in members.find("[Content_Types].xml"):
        for _, attrs in _elements(archive, types, {"Override"}):
            if "sharedStrings+xml" in attrs.get("ContentType", "") and "PartName" in attrs:
                parts += members.find(attrs["PartName"].lstrip("/"))
    most = 0
    for member in dict.fromkeys(parts):
        for key, value in _root_attributes(archive, member, "sst").items():
            if _local(key) == "uniqueCount" and value.strip().isdigit():
                most = max(most, int(value))
    return most


def scan_sheets(archive: zipfile.ZipFile, cap: int = MAX_CELLS) -> dict[str, SheetScan]:
    """The used range and special cells of every worksheet of an open .xlsx/.xlsm archive, by sheet name.

    A used range over ``cap`` cells is measured exactly (from the cells that hold something), so that
    formatting far away is not refused.

    Raises:
        XmlRefused: a part is not well-formed XML or declares a document type.
    """
    found: dict[str, SheetScan] = {}
    for name, member in sheet_parts(archive):
        scan = _scan_sheet_part(archive, member, cap)
        first = found.setdefault(name, scan)
        if scan.cells > first.cells:  # two parts for one name (two workbooks): the larger one is the budget's
            first.cells, first.far_cell = scan.cells, scan.far_cell
    return found


# --- the quick pass ---------------------------------------------------------------------------------------------
# Most writers (Excel, LibreOffice, openpyxl, xlsxwriter) write every cell as ``<c r="A1" s="1" t="s">``: ``r``
# first, double quotes, no namespace prefix. When every element whose name is ``c`` has exactly that form, the
# cells' positions are those references (calamine takes a cell's position from its own ``r``), and byte
# searches find them at a fraction of the parser's cost (benchmarks/README.md). Anything else: a prefix, a
# single quote, an attribute before ``r`` or a second ``r``, a ``>`` or ``<`` inside a value, a cell without
# ``r``, a document type, a text encoding that is not ASCII-compatible, sends the part to the parser. Comments
# and CDATA can only add references, never hide one, so the quick bound is never below the parser's. It counts
# every cell, empty or not, and every column up to Z: a bound over the budget is measured again by the parser.
_CHUNK = 4 * 1024**2
_MAX_CARRY = 16 * 1024**2
_LOOSE_CELL = re.compile(rb"<c[\s/>]")
_PREFIXED = re.compile(rb":[cf][\s/>]")
# Possessive quantifiers (``*+``, ``?+``): each stops where the next token cannot begin (digits after letters, a
# quote after non-quotes, ``/`` or ``>`` after `` name="…"``), so giving nothing back matches exactly the same
# cells, without the bookkeeping for backtracking (about 15% of this regex's time).
_PLAIN_CELL = re.compile(rb'<c r="[A-Z]{1,3}+([0-9]{1,7}+)"(?: (?:[a-qs-z][a-z]?+|r[a-z])="[^"<>]*+")*+/?>')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')
_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ASCII_SAFE = {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1", b"windows-1252", b"cp1252"}
_CELL_AT = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')
_NO_VALUE_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)(?:<v\s*/>|<v>\s*</v>)?</c>")
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def _quick_scan(archive: zipfile.ZipFile, member: str) -> SheetScan | None:
    """A bound on the part's used range, and its special cells, or None when the part is not plain enough for
    byte searches to be exact."""
    low_row, high_row, high_col = 1 << 30, -1, 25
    specials: dict[tuple[int, int], str] = {}
    hidden: set[int] = set()
    first = True
    for body in _bodies(archive, member):
        if body is None:
            return None
        if first:
            first = False
            head = body.removeprefix(b"\xef\xbb\xbf")
            declared = _ENCODING.match(head)
            if not head.startswith(b"<") or (declared and declared[1].lower() not in _ASCII_SAFE):
                return None
        if b"<!DOCTYPE" in body or _PREFIXED.search(body):
            return None
        rows = _PLAIN_CELL.findall(body)
        # plain cells ⊆ loose cells ⊆ "<c" occurrences: when the last count is the first, every cell is plain,
        # at a byte count's cost; a piece with <col>, <cfRule>, <color> … is counted by the regex instead
        if body.count(b"<c") != len(rows) and len(_LOOSE_CELL.findall(body)) != len(rows):
            return None
        if not rows:
            continue
        numbers = {int(r) for r in set(rows)}
        low_row, high_row = min(low_row, min(numbers) - 1), max(high_row, max(numbers) - 1)
        wide = set(_WIDE_CELL.findall(body))
        if wide:
            high_col = max(high_col, *(column_index(w.decode()) for w in wide))
        _find_specials(body, specials)
        if b"hidden=" in body:  # rare: a plain byte search first
            for tag in _HIDDEN_ROW.finditer(body):
                number = _ROW_NUMBER.search(tag[0])
                if number:
                    hidden.add(int(number[1]) - 1)
    scan = SheetScan(member, specials=specials, hidden_rows=hidden)
    if high_row >= 0:
        box = _Box()
        box.add(low_row, 0)
        box.add(high_row, high_col)
        box.into(scan)
    return scan


def _bodies(archive: zipfile.ZipFile, member: str) -> Iterator[bytes | None]:
    """The decompressed part in pieces that each end before a ``<`` (so no tag is split across two); None
    when a single tag is too long to keep whole."""
    carry = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:
                if len(buffer) > _MAX_CARRY:
                    yield None
                    return
                carry = buffer
                continue
            yield buffer[:cut]
            carry = buffer[cut:]
    if carry:
        yield carry


def _find_specials(body: bytes, specials: dict[tuple[int, int], str]) -> None:
    # Every error cell (t="e") keeps its value as "<v>#REF!</v>"; "#" is rare in XML, so "<v>#" is a fast needle.
    start = body.find(b"<v>#")
    while start >= 0:
        cell = body.rfind(b"<c ", 0, start)
        tag_end = body.find(b">", cell) if cell >= 0 else -1
        end = body.find(b"</v>", start)
        ref = _CELL_AT.match(body, cell) if cell >= 0 else None
        if ref and end > 0 and b't="e"' in body[cell:tag_end]:
            specials[_position(ref)] = html.unescape(body[start + 3 : end].decode("utf-8", "replace")).strip()
        start = body.find(b"<v>#", start + 4)
    if body.find(b"</f") < 0:  # every formula with text has "</f", and "f" is rare in sheet markup: fast
        return
    for match in _NO_VALUE_FORMULA.finditer(body):
        cell = body.rfind(b"<c ", 0, match.start())
        ref = _CELL_AT.match(body, cell) if cell >= 0 else None
        if ref:
            formula = html.unescape((match[1] or b"").decode("utf-8", "replace")).strip()
            specials[_position(ref)] = "=" + formula if formula else "="


def _position(ref: re.Match[bytes]) -> tuple[int, int]:
    return int(ref[2]) - 1, column_index(ref[1].decode())


# --- OpenDocument -----------------------------------------------------------------------------------------------
class _OdsXml:
    def __init__(self) -> None:
        self.boxes: dict[str, _Box] = {}
        self.box: _Box | None = None
        self.row = self.col = 0
        self.rows = 1
        self.cell: tuple[int, int, int] | None = None  # (col, repeat, depth) of the open cell
        self.depth = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        local = _local(name)
        if self.cell is not None:  # a child of a cell: text or an annotation, a value to calamine
            col, repeat, _ = self.cell
            if self.box is not None:
                self.box.add(self.row, col, self.rows, repeat)
            self.cell = (col, repeat, -1)  # counted once
            return
        if local == "table":
            title = next((v for k, v in attrs.items() if _local(k) == "name"), f"#{len(self.boxes) + 1}")
            self.box = self.boxes.setdefault(title, _Box())
            self.row = 0
        elif local == "table-row":
            self.rows = _repeat(attrs, "number-rows-repeated")
            self.col = 0
        elif local in ("table-cell", "covered-table-cell"):
            repeat = _repeat(attrs, "number-columns-repeated")
            if self.box is not None and any(_local(k) == "value-type" for k in attrs):
                self.box.add(self.row, self.col, self.rows, repeat)
                self.cell = (self.col, repeat, -1)
            else:
                self.cell = (self.col, repeat, self.depth)
            self.col += repeat

    def end(self, name: str) -> None:
        local = _local(name)
        if local in ("table-cell", "covered-table-cell"):
            self.cell = None
        elif local == "table-row":
            self.row += self.rows
            self.rows = 1
        self.depth -= 1


def _repeat(attrs: dict[str, str], key: str) -> int:
    for name, value in attrs.items():
        if _local(name) == key:
            return int(value) if value.strip().isdigit() else 1
    return 1


def scan_ods(archive: zipfile.ZipFile) -> dict[str, SheetScan]:
    """The used range of every table of an .ods archive's ``content.xml``, repeated rows and columns expanded.

    Raises:
        XmlRefused: ``content.xml`` is not well-formed XML or declares a document type.
    """
    handlers = _OdsXml()
    parser = _parser("content.xml")
    parser.StartElementHandler = handlers.start
    parser.EndElementHandler = handlers.end
    for member in _Members(archive).find("content.xml"):
        with archive.open(member) as stream:
            _parse(parser, member, stream)
    return {name: box.into(SheetScan("content.xml")) for name, box in handlers.boxes.items()}


# --- Excel 97-2003 --------------------------------------------------------------------------------------------
# BIFF records that place one cell at (row u16, col u16): BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING,
# FORMULA (BIFF8 and the older forms); MULRK and MULBLANK place a run of columns.
_ONE_CELL = {0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, 0x0006, 0x0406, 0x0001, 0x0002, 0x0003}
_ONE_CELL |= {0x0004, 0x0005}
_MANY_CELLS = {0x00BD, 0x00BE}
_BOF = {0x0809, 0x0409, 0x0209, 0x0009}
_DIMENSIONS = 0x0200
_EOF = 0x000A
_BOUNDSHEET = 0x0085


def scan_xls(open_stream: Callable[[], bytes]) -> dict[str, SheetScan]:
    """The used range of every sheet of an .xls, from the cell records of its ``Workbook`` stream.

    Each sheet is walked from the offset its BOUNDSHEET record gives, as the fast reader does, and every
    substream met walking the stream from its start is walked too, so no substream goes unmeasured. A sheet's
    size is the larger of its cells' bounding box and what its DIMENSIONS record makes the reader reserve.
    ``open_stream`` returns the stream's bytes (the caller reads it with olefile and maps its errors).
    """
    data = open_stream()
    named: dict[int, str] = {}  # the sheets' substreams by their BOUNDSHEET offsets, then those met on the way
    walked: list[int] = []
    depth = pos = 0
    globals_seen = False
    while pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        if kind in _BOF:
            if depth == 0 and globals_seen:
                walked.append(pos)
            globals_seen, depth = True, depth + 1
        elif kind == _EOF:
            depth = max(0, depth - 1)
        elif kind == _BOUNDSHEET and len(body) >= 8:
            named.setdefault(struct.unpack_from("<I", body)[0], _sheet_name(body))
        pos += 4 + size
    found: dict[str, SheetScan] = {}
    for number, offset in enumerate(dict.fromkeys([*named, *walked]), start=1):
        scan = _xls_substream(data, offset)
        title = named.get(offset, f"#{number}")
        if title not in found or found[title].cells < scan.cells:
            found[title] = scan
    return found


def _xls_substream(data: bytes, pos: int) -> SheetScan:
    """The cells of the substream that starts at ``pos`` (nested substreams included: a bound, never less)."""
    box, reserved, depth = _Box(), 0, 0
    while pos >= 0 and pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind in _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind == _DIMENSIONS and len(body) in (10, 14):
            reserved = max(reserved, _reserved(body))
        elif kind in _ONE_CELL and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            box.add(row, col)
        elif kind in _MANY_CELLS and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            (last,) = struct.unpack_from("<H", body, len(body) - 2)
            box.add(row, first, 1, max(1, last - first + 1))
    scan = box.into(SheetScan("Workbook"))
    scan.cells = max(scan.cells, reserved)
    return scan


def _reserved(body: bytes) -> int:
    """The cells the fast reader reserves for a DIMENSIONS record, with its unsigned 32-bit arithmetic (a last
    row before the first wraps around to 4 billion); the larger of its two readings of the first column."""
    if len(body) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
    else:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    if last_row < 1 or last_col < 1:
        return 1
    rows = (last_row - first_row) % (1 << 32)
    cols = max((last_col - c) % (1 << 32) for c in (first_col, 0))
    return int(rows * cols)


def _sheet_name(body: bytes) -> str:
    count, high = body[6], body[7] if len(body) > 7 else 0
    raw = body[8 : 8 + count * (2 if high & 1 else 1)]
    return raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
