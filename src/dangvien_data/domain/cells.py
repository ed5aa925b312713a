"""Cell (chi bộ) names: the list numbering offices put before them, and the one key that matches them.

A cell is named as its source names it — a section row "I. Chi bộ Đội Tổng hợp", a sheet name, a file name, a
title — so the same cell reaches the tool as "I. CHI BỘ ĐỘI TỔNG HỢP", "Chi bộ Đội Tổng hợp" and "Đội Tổng hợp".
:func:`cell_key` gives all of them one key; the roster reader, the declared counts, the roll-forward and the
dossier check all compare cells through it.
"""

from __future__ import annotations

import re

from dangvien_data.domain.vntext import name_key, nfc

__all__ = ["NUMBERING", "cell_key", "strip_numbering"]

# "I. ", "IV) ", "3. ", "a/ " before a cell name: a numeral or one letter, a mark, then a space
NUMBERING = re.compile(r"^\s*(?:[IVXLCDMivxlcdm]+|\d+|[A-Za-z])\s*[.):/-]\s+")
_CELL_WORD = re.compile(r"^chi b(?:ộ|o)\s+")


def strip_numbering(text: str) -> str:
    """``"I. Chi bộ Đội Tổng hợp"`` → ``"Chi bộ Đội Tổng hợp"`` (the name as written, less its list number)."""
    return NUMBERING.sub("", text)


def cell_key(text: str) -> str:
    """One key for every way a cell is written: numbering, "Chi bộ", case, NFC/NFD and tone placement ignored.

    >>> cell_key("I. CHI BỘ ĐỘI AN NINH") == cell_key("Đội An ninh")
    True
    """
    return _CELL_WORD.sub("", name_key(strip_numbering(nfc(str(text)))))
