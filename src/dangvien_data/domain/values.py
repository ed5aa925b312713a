"""What counts as no value in a cell, and how a date is shown in messages and outputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["DAY_FORMAT", "is_missing", "shown"]

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
