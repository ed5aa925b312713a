"""The command line's own words in Vietnamese: argparse's texts ("usage:", "invalid choice" …) and help lines.

argparse looks every text up with ``gettext`` at the moment it prints it; :func:`argparse_in` swaps that lookup
for the Vietnamese table below while a command is parsed (and back after), so ``dangvien`` speaks Vietnamese by
default and English with ``--lang en``, without installing a message catalogue. A help line is written once in
both languages, ``"tiếng Việt / English"``; :func:`pick` keeps the half for the language in use.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence

__all__ = ["argparse_in", "error_line", "peek", "pick"]

# argparse's message ids (Python 3.11–3.13) -> Vietnamese. An id not listed stays English.
_VI = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số vị trí",
    "subcommands": "lệnh con",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r, có phải ý bạn là %(closest)r? (chọn một trong %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "the following arguments are required: %s": "thiếu các tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (có: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}
_VI_PLURAL = {"expected %s argument": "cần %s giá trị", "conflicting option string: %s": "trùng tùy chọn: %s"}


def _vi(message: str) -> str:
    return _VI.get(message, message)


def _vi_n(singular: str, plural: str, n: int) -> str:
    return _VI_PLURAL.get(singular, singular if n == 1 else plural)


@contextlib.contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """While inside, argparse prints its own texts in ``lang`` ("vi"; anything else leaves English)."""
    if lang != "vi":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _vi, _vi_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def error_line(prog: str, message: str, lang: str) -> str:
    """argparse's own "PROG: error: MESSAGE" line, in ``lang``."""
    template = "%(prog)s: error: %(message)s\n"
    return (_vi(template) if lang == "vi" else template) % {"prog": prog, "message": message}


def pick(text: str, lang: str) -> str:
    """The half of ``"tiếng Việt / English"`` for ``lang``; text without " / " is returned whole."""
    vi, sep, en = text.partition(" / ")
    if not sep:
        return text
    return en if lang == "en" else vi


def peek(argv: Sequence[str], option: str, choices: Sequence[str], default: str) -> str:
    """The value of ``option`` in ``argv`` before parsing (``--lang en`` or ``--lang=en``), if it is a choice.

    Parsing needs it first: argparse's messages, and the help, are printed in that language while parsing.
    """
    value = default
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(option + "="):
            value = arg.partition("=")[2]
    return value if value in choices else default
