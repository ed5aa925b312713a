"""Calendar arithmetic of the rules, once: the date a check is made at, months added, whole months between.

Each operation has a scalar form (one date, for dossiers and options) and a vectorised form (a pandas column,
for rosters); both clip the day to the month's end and count a month once its day is reached.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dangvien_data.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATE_FORMS",
    "add_months",
    "add_months_series",
    "as_date",
    "months_between",
    "months_between_series",
    "optional_date",
]

# The forms a user may type a date of an option in: ISO first, then the Vietnamese day-first forms.
DATE_FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def optional_date(value: dt.date | str | None, *, name: str = "date") -> dt.date | None:
    """A date from a ``date`` (a datetime's day), ISO text or dd/mm/yyyy text; None stays None.

    Raises:
        InputError: text in none of :data:`DATE_FORMS`; the message names ``name`` and the accepted forms.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for form in DATE_FORMS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise InputError(
        f'{name}: ngày "{text}" không đúng dạng YYYY-MM-DD hoặc dd/mm/yyyy (ví dụ 2020-03-31 hoặc 31/03/2020).',
        f'{name}: the date "{text}" is not YYYY-MM-DD or dd/mm/yyyy (for example 2020-03-31 or 31/03/2020).',
    )


def as_date(value: dt.date | str, *, name: str = "as_of") -> dt.date:
    """The date a check is made at: never silently today (``as_of`` is explicit and printed everywhere).

    Raises:
        InputError: ``value`` is None, or text in none of :data:`DATE_FORMS`.
    """
    day = optional_date(value, name=name)
    if day is None:
        raise InputError(
            f'Thiếu ngày {name}: mọi quy tắc về ngày tính đến một ngày cụ thể (ví dụ as_of="2020-03-31").',
            f'{name} is missing: every date rule is evaluated at a given date (for example as_of="2020-03-31").',
        )
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole ``months``; the day is clipped to the month's end (31/01 + 1 month = 28/02 or 29/02)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day is reached)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def add_months_series(dates: pd.Series, months: pd.Series | int) -> pd.Series:
    """:func:`add_months` on a column: ``dates`` plus whole ``months``, the day clipped to the month's end."""
    import numpy as np
    import pandas as pd

    total = dates.dt.year * 12 + (dates.dt.month - 1) + months
    year, month = total // 12, total % 12 + 1
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}), errors="coerce")
    day = np.minimum(dates.dt.day, first.dt.days_in_month)
    offset = pd.to_timedelta(pd.Series(day - 1, index=dates.index).astype("Int64"), unit="D")
    result: pd.Series = (first + offset).astype("datetime64[us]")
    return result


def months_between_series(start: pd.Series, end: pd.Series | dt.date | pd.Timestamp) -> pd.Series:
    """:func:`months_between` on a column: whole months from each ``start`` to ``end`` (e.g. an age in months)."""
    import pandas as pd

    end_ts = end if isinstance(end, pd.Series) else pd.Series(pd.Timestamp(end), index=start.index)
    months = (end_ts.dt.year - start.dt.year) * 12 + (end_ts.dt.month - start.dt.month)
    result: pd.Series = months - (end_ts.dt.day < start.dt.day).astype("Int64")
    return result
