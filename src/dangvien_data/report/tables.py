"""Reading tables typed by hand (declared counts, movements): header keys that keep "≤ 30" and "≥ 30" apart."""

from __future__ import annotations

import pandas as pd

from dangvien_data.domain.vntext import nfc
from dangvien_data.roster.reader import header_key

__all__ = [
    "row_texts",
    "table_key",
]


_SYMBOLS = (("≤", " le "), ("<=", " le "), ("≥", " ge "), (">=", " ge "), ("<", " lt "), (">", " gt "))


def table_key(text: str) -> str:
    """A header key in which "≤ 30" and "≥ 30" stay different."""
    text = nfc(str(text))
    for symbol, word in _SYMBOLS:
        text = text.replace(symbol, word)
    return header_key(text)


def row_texts(grid: pd.DataFrame, row: int) -> dict[int, str]:
    """The non-empty texts of one grid row, by column position."""
    values = zip(grid.columns.to_list(), list(grid.loc[row]), strict=True)
    return {int(c): str(v).strip() for c, v in values if isinstance(v, str) and v.strip()}
