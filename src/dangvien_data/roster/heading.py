"""The Party-document heading above a roster's table: organisation, place and the "Tính đến ngày" date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dangvien_data.domain.vntext import nfc, strip_accents
from dangvien_data.roster.model import Roster

__all__ = [
    "organisation_lines",
    "read_heading",
]


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


# The issuing organisation's lines at the top left of a Party document ("ĐẢNG ỦY CÔNG AN TỈNH", then
# "ĐẢNG BỘ CÔNG AN HUYỆN A"), above the "*" under them.
_ORGANISATION_RE = re.compile(r"^(dang bo|dang uy|chi bo|chi uy)\b")


def organisation_lines(heading: tuple[tuple[int, int, str], ...]) -> tuple[str, ...]:
    """The organisation's lines of a sheet's heading (:attr:`SheetSource.heading`): the texts of the first
    column in the first four rows that name a Party committee or cell, above the "*"; ``()`` when none does."""
    lines: list[str] = []
    for row, col, text in heading:
        if row > 3 or text.strip() == "*":
            break
        if col == 0 and _ORGANISATION_RE.match(strip_accents(nfc(text)).casefold().strip()):
            lines.append(" ".join(nfc(text).split()))
    return tuple(lines)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
