"""The print layout of the workbooks this tool writes from scratch (XlsxWriter): each sheet prints as a document.

Every sheet is A4, portrait or landscape by the width of its columns, fitted to one page wide (and to one page
when it is short enough to fit at that scale), with its table header rows repeated on every page and the
margins of Vietnamese administrative documents (Decree 30/2020/NĐ-CP, Appendix I: top and bottom 20–25 mm,
left 30–35 mm, right 15–20 mm). Text is Times New Roman. Rows are made tall enough for their wrapped text, so a
two-line header such as "Dân tộc thiểu số" is never clipped. Formulas are written with their computed value
cached, so Excel, LibreOffice, pandas and openpyxl (``data_only=True``) all read the totals.

XlsxWriter writes these new workbooks: it stores formula results, and writes a new file several times faster
than openpyxl (``benchmarks/writers.py``);
openpyxl stays for annotating a user's own workbook (:mod:`dangvien_data.io.excel`), which XlsxWriter cannot
open.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dangvien_data.io.output import safe_cell_value

__all__ = ["FONT", "MARGINS_MM", "Document", "Page", "wrapped_lines"]

FONT = "Times New Roman"
# Decree 30/2020/NĐ-CP, Appendix I §1(c): the smaller margin of each range.
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
_A4 = 9  # XlsxWriter's paper index for A4
_A4_MM = (210.0, 297.0)
_PX_PER_MM = 96 / 25.4
_PT_PER_MM = 72 / 25.4
_HEADER_FOOTER_MM = 8.0


def _mm_to_inch(mm: float) -> float:
    return round(mm / 25.4, 3)


def _column_px(width: float) -> float:
    """Excel's pixel width of a column of ``width`` characters (the default font's digit is 7 px wide)."""
    return 0.0 if width <= 0 else width * 7 + 5


def wrapped_lines(text: str, width: float, size: float, bold: bool) -> int:
    """How many lines ``text`` wraps to in a column of ``width`` characters (greedy word wrap, estimated).

    Times New Roman is narrower than the 7-pixel digit of a column's width unit, capitals and bold wider; the
    estimate errs on the tall side so that no text is clipped.
    """
    if not text:
        return 1
    capacity = max(width * 11 / size * (1.05 if bold else 1.2) - 1, 1.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split():
            length = sum(1.3 if ch.isupper() else 1.0 for ch in word)
            if used and used + 1 + length > capacity:
                count, used = count + 1, 0.0
            if length > capacity:  # a word longer than the line breaks inside itself
                count += math.ceil(length / capacity) - 1
                used = length % capacity
            else:
                used += length + (1 if used else 0)
        lines += count
    return lines


class Document:
    """A new workbook whose sheets print as documents.

    Args:
        path: the file to write (normally the temporary file of :func:`~dangvien_data.io.output.atomic_write`).
        title: the workbook's title property.
        lang: the language of the page footer ("Trang 1/3" or "Page 1/3").

    Example:
        >>> doc = Document(tmp, title="Báo cáo")  # doctest: +SKIP
        >>> page = doc.page("Tổng hợp"); page.put(0, 0, "ĐẢNG BỘ …", bold=True); doc.close()  # doctest: +SKIP
    """

    def __init__(self, path: str | Path, *, title: str = "", lang: str = "vi") -> None:
        import xlsxwriter

        # Text from the data is never taken for a formula, a number or a link (CWE-1236).
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "nan_inf_to_errors": True,
                "default_format_properties": {"font_name": FONT, "font_size": 12},
            },
        )
        self.book.set_properties({"title": title, "author": "dangvien_data", "comments": "dangvien"})
        self.pages: list[Page] = []
        self.lang = lang
        self._formats: dict[tuple[Any, ...], Any] = {}

    def page(self, name: str) -> Page:
        """A new worksheet, laid out for print when the document is closed."""
        page = Page(self, self.book.add_worksheet(name), name)
        self.pages.append(page)
        return page

    def format(self, **props: Any) -> Any:
        """A cell format (Times New Roman unless said otherwise), made once per distinct set of properties."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format({"font_name": FONT, **props})
        return self._formats[key]

    def close(self) -> None:
        """Lay out every page for print and write the file."""
        for page in self.pages:
            page.layout()
        self.book.close()


class Page:
    """One worksheet of a :class:`Document`: cells in the document font, boxed tables, a print layout.

    Rows and columns are 0-based, as in XlsxWriter; :meth:`ref` gives the A1 name of a cell.
    """

    def __init__(self, doc: Document, ws: Any, name: str) -> None:
        self.doc, self.ws, self.name = doc, ws, name
        self.widths: list[float] = []
        self._needed: dict[int, float] = {}  # row -> height in points its wrapped text needs
        self._repeat: tuple[int, int] | None = None
        self._last_row = 0
        self._print_to: tuple[int, int] | None = None
        self.landscape: bool | None = None  # None: chosen by the columns' width
        self.one_page = False

    # --- cells ------------------------------------------------------------------------------------------

    def set_widths(self, widths: Iterable[float]) -> None:
        """Column widths in characters, from column A."""
        self.widths = [float(w) for w in widths]
        for column, width in enumerate(self.widths):
            self.ws.set_column(column, column, width)

    def _span(self, column: int, last: int) -> float:
        widths = [self.widths[c] if c < len(self.widths) else 8.43 for c in range(column, last + 1)]
        return sum(widths) + 0.7 * (len(widths) - 1)

    def put(
        self,
        row: int,
        column: int,
        value: Any,
        *,
        bold: bool = False,
        italic: bool = False,
        size: int = 12,
        left: bool = False,
        box: bool = False,
        fill: str | None = None,
        fmt: str | None = None,
        merge_to: int | None = None,
        down_to: int | None = None,
        wrap: bool = True,
    ) -> None:
        """Write ``value`` (text stays text, whatever it starts with) in a styled cell, merged across to column
        ``merge_to`` and down to row ``down_to`` when given."""
        props: dict[str, Any] = {"font_size": size, "valign": "vcenter", "align": "left" if left else "center"}
        if bold:
            props["bold"] = True
        if italic:
            props["italic"] = True
        if wrap:
            props["text_wrap"] = True
        if box:
            props["border"] = 1
        if fill:
            props["bg_color"] = "#" + fill
            props["pattern"] = 1
        if fmt:
            props["num_format"] = fmt
        elif isinstance(value, dt.date):
            props["num_format"] = "dd/mm/yyyy"
        style = self.doc.format(**props)
        value = _plain(value)
        if (merge_to is not None and merge_to > column) or (down_to is not None and down_to > row):
            self.ws.merge_range(row, column, down_to or row, merge_to or column, "", style)
        self._write(row, column, value, style)
        self._note(row, column, merge_to or column, value, size, bold, wrap, rows=(down_to or row) - row + 1)

    def _write(self, row: int, column: int, value: Any, style: Any) -> None:
        ws = self.ws
        if value is None:
            ws.write_blank(row, column, None, style)
        elif isinstance(value, bool):
            ws.write_boolean(row, column, value, style)
        elif isinstance(value, int | float):
            ws.write_number(row, column, value, style)
        elif isinstance(value, dt.datetime | dt.date):
            ws.write_datetime(row, column, value, style)
        else:
            text, _ = safe_cell_value(str(value))
            ws.write_string(row, column, text, style)

    def _note(
        self, row: int, column: int, last: int, value: Any, size: int, bold: bool, wrap: bool, *, rows: int = 1
    ) -> None:
        """Record the height the text needs; a cell merged down shares it among its rows."""
        self._last_row = max(self._last_row, row + rows - 1)
        wraps = wrap and isinstance(value, str)
        lines = wrapped_lines(str(value), self._span(column, last), size, bold) if wraps else 1
        for r in range(row, row + rows):
            self._needed[r] = max(self._needed.get(r, 0.0), (lines * size * 1.3 + 4) / rows)

    def formula(self, row: int, column: int, formula: str, value: Any, **style: Any) -> None:
        """Our own formula (e.g. ``=SUM(C10:C19)``) with its computed ``value`` cached for readers."""
        self.put(row, column, None, **style)  # the style, then the formula over the blank
        props = {"font_size": style.get("size", 12), "valign": "vcenter", "align": "center"}
        if style.get("bold"):
            props["bold"] = True
        if style.get("box"):
            props["border"] = 1
        if style.get("fmt"):
            props["num_format"] = style["fmt"]
        self.ws.write_formula(row, column, formula, self.doc.format(**props), _plain(value))

    @staticmethod
    def ref(row: int, column: int) -> str:
        """The A1 name of a 0-based cell."""
        from xlsxwriter.utility import xl_rowcol_to_cell

        return str(xl_rowcol_to_cell(row, column))

    @staticmethod
    def column(column: int) -> str:
        """The letter of a 0-based column."""
        from xlsxwriter.utility import xl_col_to_name

        return str(xl_col_to_name(column))

    # --- blocks -----------------------------------------------------------------------------------------

    def _left_block(self, width: int, chars: float = 40) -> int:
        """The last column of the top-left block: as few columns from A as hold ``chars`` characters."""
        used, column = 0.0, 0
        for column in range(width):
            used += self.widths[column] if column < len(self.widths) else 8.43
            if used >= chars:
                break
        return min(column, max(width - 2, 0))

    def _right_block(self, width: int, left_end: int, chars: float = 48) -> int:
        """The first column of the top-right block: as few columns from the right as hold ``chars``."""
        used, column = 0.0, width - 1
        for column in range(width - 1, left_end, -1):
            used += self.widths[column] if column < len(self.widths) else 8.43
            if used >= chars:
                break
        return max(column, left_end + 1)

    def heading(self, organisation: str, place_date: str, title: str, subtitle: str, width: int, *, party: str) -> int:
        """The header block of a Party document, on the first page; returns the next free row.

        Top left the organisation over "*", top right "ĐẢNG CỘNG SẢN VIỆT NAM" (``party``) with the place and
        date below, then the title and the "(Tính đến ngày …)" line across the whole width (rows 1–5).
        """
        last = max(width - 1, 1)
        left_end = self._left_block(width)
        right = self._right_block(width, left_end)
        self.put(0, 0, organisation, bold=True, merge_to=left_end)
        self.put(1, 0, "*", merge_to=left_end)
        self.put(0, right, party, bold=True, merge_to=last)
        self.put(2, right, place_date, italic=True, merge_to=last)
        self.put(3, 0, title, bold=True, size=14, merge_to=last)
        self.put(4, 0, subtitle, italic=True, merge_to=last)
        return 6

    def title(self, row: int, text: str, width: int, *, subtitle: str | None = None) -> int:
        """A sheet title (and subtitle) across ``width`` columns; returns the next free row."""
        self.put(row, 0, text, bold=True, size=13, merge_to=max(width - 1, 0))
        if subtitle:
            row += 1
            self.put(row, 0, subtitle, italic=True, merge_to=max(width - 1, 0))
        return row + 2

    def table(
        self,
        row: int,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        fills: Sequence[str | None] | None = None,
        size: int = 11,
        left_from: int = 1,
    ) -> int:
        """A boxed table: bold headers (repeated on every printed page), then the rows; returns the next free row.

        Text from column ``left_from`` on is left-aligned, numbers centred.
        """
        for col, text in enumerate(headers):
            self.put(row, col, text, bold=True, size=size, box=True)
        self.repeat(row, row)
        count = 0
        for count, values in enumerate(rows, 1):
            fill = fills[count - 1] if fills else None
            for col, value in enumerate(values):
                shown = _plain(value)
                self.put(
                    row + count, col, shown, size=size, box=True, left=isinstance(shown, str) and col >= left_from,
                    fill=fill,
                )  # fmt: skip
        return row + 1 + count

    def legend(self, row: int, lines: Sequence[str], width: int) -> int:
        """Notes under a table ("Ghi chú: CT – chính thức; …"), each across ``width`` columns; the next free row."""
        for i, text in enumerate(lines):
            self.put(row + i, 0, text, italic=True, size=11, left=True, merge_to=max(width - 1, 0))
        return row + len(lines) + 1

    def signature(self, row: int, left: Sequence[str], right: Sequence[str], width: int) -> int:
        """The signature block: the maker on the left, "T/M ĐẢNG ỦY" / "BÍ THƯ" on the right; the next free row.

        The first line of each side is bold, the others (``(Ký, ghi rõ họ tên)``) italic.
        """
        last = max(width - 1, 1)
        left_end = self._left_block(width)
        start = self._right_block(width, left_end)
        for i, text in enumerate(left):
            self.put(row + i, 0, text, bold=i == 0, italic=i > 0, merge_to=left_end)
        for i, text in enumerate(right):
            self.put(row + i, start, text, bold=not text.startswith("("), italic=text.startswith("("), merge_to=last)
        return row + max(len(left), len(right)) + 1

    def repeat(self, first: int, last: int) -> None:
        """Rows printed again at the top of every page (the table's header); the first call wins."""
        if self._repeat is None:
            self._repeat = (first, last)

    def freeze(self, row: int, column: int = 0) -> None:
        """Keep the rows above ``row`` and the columns left of ``column`` in view."""
        self.ws.freeze_panes(row, column)

    def print_area(self, last_row: int, last_column: int) -> None:
        """Print exactly rows 0..``last_row`` and columns 0..``last_column`` (a sheet holding charts)."""
        self._print_to = (last_row, last_column)

    # --- print layout -----------------------------------------------------------------------------------

    def layout(self) -> None:
        """A4, orientation by content, one page wide (one page when it fits), margins, repeated header rows."""
        ws = self.ws
        for row, height in self._needed.items():
            ws.set_row(row, max(height, 15.75))
        width_px = sum(_column_px(w) for w in self.widths)
        usable_portrait = (_A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * _PX_PER_MM
        landscape = self.landscape if self.landscape is not None else width_px > usable_portrait * 1.1
        paper_w, paper_h = (_A4_MM[1], _A4_MM[0]) if landscape else _A4_MM
        usable_w = (paper_w - MARGINS_MM["left"] - MARGINS_MM["right"]) * _PX_PER_MM
        usable_h = (paper_h - MARGINS_MM["top"] - MARGINS_MM["bottom"] - 2 * _HEADER_FOOTER_MM) * _PT_PER_MM
        scale = min(1.0, usable_w / width_px) if width_px else 1.0
        height_pt = sum(max(self._needed.get(r, 15.75), 15.75) for r in range(self._last_row + 1))
        ws.set_paper(_A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(
            left=_mm_to_inch(MARGINS_MM["left"]),
            right=_mm_to_inch(MARGINS_MM["right"]),
            top=_mm_to_inch(MARGINS_MM["top"]),
            bottom=_mm_to_inch(MARGINS_MM["bottom"]),
        )
        page = "Page" if self.doc.lang == "en" else "Trang"
        ws.set_footer(f'&C&"{FONT},Regular"&10{page} &P/&N', {"margin": _mm_to_inch(_HEADER_FOOTER_MM)})
        ws.center_horizontally()
        fits = self.one_page or height_pt * scale <= usable_h
        ws.fit_to_pages(1, 1 if fits else 0)
        if self._repeat is not None and not fits:
            ws.repeat_rows(*self._repeat)
        if self._print_to is not None:
            ws.print_area(0, 0, *self._print_to)


def _plain(value: Any) -> Any:
    """A Python scalar for a cell: None for NA/NaN, a date for a timestamp, ``.item()`` of a NumPy scalar."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value
