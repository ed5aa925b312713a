"""Reading tables typed by hand (declared counts, movements): header keys, numbering rows, cell names."""

from __future__ import annotations

import re

import pandas as pd

from dangvien_data.domain.vntext import name_key, nfc
from dangvien_data.roster.reader import header_key

__all__ = [
    "cell_key",
    "is_numbering_row",
    "row_texts",
    "table_key",
]


NUMBERING = re.compile(r"^\s*(?:[IVXLCDMivxlcdm]+|\d+|[A-Za-z])\s*[.):/-]\s+")
_SYMBOLS = (("≤", " le "), ("<=", " le "), ("≥", " ge "), (">=", " ge "), ("<", " lt "), (">", " gt "))
HEADER_SCAN_ROWS = 40


def table_key(text: str) -> str:
    """A header key in which "≤ 30" and "≥ 30" stay different."""
    text = nfc(str(text))
    for symbol, word in _SYMBOLS:
        text = text.replace(symbol, word)
    return header_key(text)


def cell_key(text: str) -> str:
    """A key matching cell names tolerantly: "Đội An ninh" = "I. CHI BỘ ĐỘI AN NINH" (case, NFC/NFD, tones)."""
    key = name_key(NUMBERING.sub("", nfc(str(text))))
    return re.sub(r"^chi b(?:ộ|o)\s+", "", key)


def row_texts(grid: pd.DataFrame, row: int) -> dict[int, str]:
    """The non-empty texts of one grid row, by column position."""
    values = zip(grid.columns.to_list(), list(grid.loc[row]), strict=True)
    return {int(c): str(v).strip() for c, v in values if isinstance(v, str) and v.strip()}


def is_numbering_row(texts: dict[int, str]) -> bool:
    """A row that numbers the columns: "(1)", "(2)", "(3)" … (three or more)."""
    return len(texts) >= 3 and all(re.fullmatch(r"\(?\s*\d{1,3}\s*\)?", t) for t in texts.values())
