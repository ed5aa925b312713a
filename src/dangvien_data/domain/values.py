"""What counts as no value in a cell, and how a date or a figure is shown in messages and outputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["DAY_FORMAT", "is_missing", "number", "shown"]

DAY_FORMAT = "%d/%m/%Y"  # how Vietnamese documents write a day: 05/03/1985


def is_missing(value: object) -> bool:
    """None, pandas' NA and NaT, and float NaN: a cell with nothing in it (an empty string is a value)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    import pandas as pd

    return value is pd.NA or value is pd.NaT


def shown(value: Any) -> str:
    """A value as a message quotes it: dates as dd/mm/yyyy, nothing as ""."""
    if is_missing(value):
        return ""
    if isinstance(value, dt.date):  # pandas' Timestamp is a datetime, hence a date
        return value.strftime(DAY_FORMAT)
    return str(value)


def number(value: Any, lang: str = "vi", digits: int | None = 1) -> str:
    """A figure as the language writes it: 10.000 and 34,3 in Vietnamese, 10,000 and 34.3 in English (``digits``
    decimals for a fraction, or None for the decimals it has; a whole number has none)."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,}" if digits is None else f"{value:,.{digits}f}"
    elif isinstance(value, int | float):
        text = f"{int(value):,}"
    else:
        return str(value)
    return text if lang == "en" else text.translate(str.maketrans(",.", ".,"))
