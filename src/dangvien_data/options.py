"""Option and argument values checked where they enter, so a bad value is an :class:`OptionError`, not a crash.

The command line and the library share these checks: ``dangvien validate --term 2020`` and
``validate(roster, as_of=…, term="2020")`` are refused with the same message, which names the option, the value
given and the accepted form. Each public function of the library checks its arguments with one call per
argument, before any work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TypeVar

from dangvien_data.domain.dates import DATE_FORMS
from dangvien_data.errors import OptionError, OutputPathError

__all__ = [
    "MAX_COUNT",
    "MAX_DAYS",
    "choice",
    "date",
    "integer",
    "lang",
    "optional_date",
    "optional_integer",
    "optional_output",
    "optional_path",
    "output",
    "path",
    "paths",
    "term",
    "text",
]

_T = TypeVar("_T")
# A date outside these years is a typing slip ("0202-03-31"), not a date a roster is checked at.
_EARLIEST, _LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
_TERM = re.compile(r"(\d{4})-(\d{4})")
# Upper bounds that only keep arithmetic sane (a look-ahead of a century, a count no committee or sheet reaches).
MAX_DAYS = 36_500
MAX_COUNT = 100_000
_SHOWN = 60  # characters of a value quoted in a message


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _refuse(option: str, value: object, form_vi: str, form_en: str) -> OptionError:
    shown = _shown(value)
    return OptionError(
        f"{option}: giá trị {shown} không dùng được; cần {form_vi}.",
        f"{option}: the value {shown} cannot be used; expected {form_en}.",
        option=option,
        value=value,
    )


def _refuse_output(option: str, value: object, form_vi: str, form_en: str) -> OutputPathError:
    """As :func:`_refuse`, as the :class:`OutputPathError` callers of the writers have always caught."""
    refused = _refuse(option, value, form_vi, form_en)
    return OutputPathError(refused.message_vi, refused.message_en, path=str(value))


def date(value: object, option: str) -> dt.date:
    """A date option: a ``date`` (a datetime's day) or text YYYY-MM-DD, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy.

    Args:
        value: what the caller gave.
        option: its name as the caller wrote it (``"--as-of"``, ``"as_of"``).

    Raises:
        OptionError: None, text in none of the forms, or a year outside 1900–2199.

    Example:
        >>> date("31/03/2020", "as_of")
        datetime.date(2020, 3, 31)
    """
    form_vi = "một ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy từ năm 1900 đến 2199, ví dụ 2020-03-31 hoặc 31/03/2020"
    form_en = "a date as YYYY-MM-DD or dd/mm/yyyy between the years 1900 and 2199, e.g. 2020-03-31 or 31/03/2020"
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _parse_date(value.strip())
    if day is None or not _EARLIEST <= day <= _LATEST:
        raise _refuse(option, value, form_vi, form_en)
    return day


def optional_date(value: object, option: str) -> dt.date | None:
    """:func:`date`, or None when ``value`` is None (the caller then finds the date elsewhere)."""
    return None if value is None else date(value, option)


def _parse_date(text: str) -> dt.date | None:
    if not text.isascii():  # strptime reads some non-ASCII digits; a date option is typed in ASCII
        return None
    for form in DATE_FORMS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def term(value: object, option: str = "term") -> str:
    """A congress term (nhiệm kỳ) ``"YYYY-YYYY"``, the first year before the second, e.g. ``"2020-2025"``.

    Raises:
        OptionError: anything else (``"2020"``, ``"abc"``, ``2020``, ``"2025-2020"``).
    """
    match = _TERM.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or not 1900 <= int(match[1]) < int(match[2]) <= 2199:
        raise _refuse(
            option,
            value,
            "nhiệm kỳ dạng NĂM-NĂM, năm đầu trước năm cuối, ví dụ 2020-2025",
            "a term as YEAR-YEAR, the first year before the second, e.g. 2020-2025",
        )
    return f"{match[1]}-{match[2]}"


def lang(value: object, option: str = "lang") -> str:
    """``"vi"`` or ``"en"``: the language of messages and written workbooks."""
    return choice(value, option, ("vi", "en"))


def choice(value: object, option: str, choices: Collection[_T]) -> _T:
    """One of ``choices`` (compared as given: ``"Roster"`` is not ``"roster"``).

    Raises:
        OptionError: a value not in ``choices``; the message lists them.
    """
    for allowed in choices:
        if type(value) is type(allowed) and value == allowed:
            return allowed
    listed = ", ".join(str(c) for c in choices)
    raise _refuse(option, value, f"một trong: {listed}", f"one of: {listed}")


def optional_integer(value: object, option: str, *, minimum: int, maximum: int | None = None) -> int | None:
    """:func:`integer`, or None when ``value`` is None (the default then applies)."""
    return None if value is None else integer(value, option, minimum=minimum, maximum=maximum)


def integer(value: object, option: str, *, minimum: int, maximum: int | None = None) -> int:
    """A whole number from ``minimum`` to ``maximum`` (text of digits is accepted, as typed on a command line).

    Raises:
        OptionError: None, not a whole number (``True``, ``2.5``, ``"abc"``), or out of range.
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,12}", value.strip()):
        number = int(value)
    if number is None or number < minimum or (maximum is not None and number > maximum):
        upper_vi = f" đến {maximum}" if maximum is not None else " trở lên"
        upper_en = f" to {maximum}" if maximum is not None else " or more"
        form_vi, form_en = f"một số nguyên từ {minimum}{upper_vi}", f"a whole number from {minimum}{upper_en}"
        raise _refuse(option, value, form_vi, form_en)
    return number


def paths(value: object, option: str) -> list[str | Path]:
    """One path or a non-empty list of paths (``str`` or :class:`~pathlib.Path`), as a list.

    Raises:
        OptionError: an empty list, an empty path, or something that is not a path.
    """
    listed: list[object] = [None]
    if isinstance(value, str | Path):
        listed = [value]
    elif isinstance(value, Sequence | set | frozenset) and not isinstance(value, bytes):
        listed = list(value)
    if not listed or not all(_is_path(item) for item in listed):
        raise _refuse(
            option,
            value,
            "một đường dẫn tệp/thư mục hoặc một danh sách đường dẫn không rỗng",
            "a file or folder path, or a non-empty list of them",
        )
    return [item for item in listed if isinstance(item, str | Path)]


def _is_path(item: object) -> bool:
    return (isinstance(item, Path) or (isinstance(item, str) and item.strip() != "")) and "\0" not in str(item)


def optional_output(value: object, option: str, *, suffix: str = ".xlsx") -> Path | None:
    """:func:`output`, or None when ``value`` is None (nothing is written)."""
    return None if value is None else output(value, option, suffix=suffix)


def optional_path(value: object, option: str) -> Path | None:
    """:func:`path`, or None."""
    return None if value is None else path(value, option)


def path(value: object, option: str) -> Path:
    """One input file path.

    Raises:
        OptionError: something that is not a path (None, a list, an empty string).
    """
    if not _is_path(value):
        raise _refuse(option, value, "một đường dẫn tệp", "a file path")
    return Path(str(value))


def output(value: object, option: str, *, suffix: str = ".xlsx") -> Path:
    """An output file path ending in ``suffix`` (the output is always that format, whatever the name says).

    Raises:
        OutputPathError: not a path, a folder, or another extension (``--annotate out.csv``).
    """
    if _is_path(value) and Path(str(value)).is_dir():
        raise _refuse_output(
            option,
            value,
            f"đường dẫn một tệp {suffix} (đây là một thư mục), ví dụ {Path(str(value)) / ('ket_qua' + suffix)}",
            f"the path of a {suffix} file (this is a folder), e.g. {Path(str(value)) / ('result' + suffix)}",
        )
    if not _is_path(value) or Path(str(value)).suffix.lower() != suffix:
        raise _refuse_output(
            option,
            value,
            f"một đường dẫn tệp kết quả; tên tệp phải có đuôi {suffix} (tệp ghi ra luôn là {suffix}), "
            f"ví dụ out/ket_qua{suffix}",
            f"an output path; its name must end in {suffix} (the file written is always {suffix}), "
            f"e.g. out/result{suffix}",
        )
    return Path(str(value))


def text(value: object, option: str) -> str | None:
    """A free text option (a cell name, an organisation): one line of text, or None.

    Raises:
        OptionError: not text, empty text, or text with control characters.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise _refuse(option, value, "một đoạn văn bản trên một dòng", "one line of text")
    return value
