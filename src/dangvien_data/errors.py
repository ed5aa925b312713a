"""Exceptions raised when the tool cannot run: unreadable files, bad arguments, bad schema files.

Problems *in the data* are never exceptions; they are :class:`~dangvien_data.issues.Issue` values.

    DangvienError                 every error this library raises on purpose
    ├── InputError                a path or an argument the command cannot use
    │   ├── FileNotFoundInputError    the path does not exist
    │   ├── OptionError               an option or argument value outside its accepted form (names both)
    │   ├── NotRegularFileError       a named pipe, socket or device where a file is expected
    │   └── OutputPathError           an output path that is an input, not .xlsx, or cannot be written
    ├── WorkbookError             a file that is not a readable workbook
    │   ├── UnsupportedFormatError    an extension or format we do not read (e.g. .csv, .xlsb)
    │   ├── EncryptedWorkbookError    a password-protected workbook
    │   ├── CorruptWorkbookError      damaged or not really a workbook
    │   └── OversizedWorkbookError    too large to open safely: a zip bomb, or a used range of billions of cells
    ├── NoRosterError             a readable workbook in which no sheet has a roster header
    └── SchemaFileError           a YAML file under schemas/ that cannot be used

Every error carries a Vietnamese and an English message; ``str(error)`` is the Vietnamese one.
"""

from __future__ import annotations

import re

__all__ = [
    "CorruptWorkbookError",
    "DangvienError",
    "EncryptedWorkbookError",
    "FileNotFoundInputError",
    "InputError",
    "NoRosterError",
    "NotRegularFileError",
    "OptionError",
    "OutputPathError",
    "OversizedWorkbookError",
    "SchemaFileError",
    "UnsupportedFormatError",
    "WorkbookError",
    "display_name",
    "printable",
]


class DangvienError(Exception):
    """Base of every error the library raises on purpose; carries a vi and an en message."""

    def __init__(self, message_vi: str, message_en: str | None = None, *, path: str | None = None) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        self.path = path

    def message(self, lang: str = "vi") -> str:
        """Return the message in ``lang`` ("vi" or "en")."""
        return self.message_en if lang == "en" else self.message_vi

    @property
    def code(self) -> str:
        """A stable kebab-case name of the kind of error, for scripts: ``OptionError`` -> ``"option"``."""
        name = type(self).__name__.removesuffix("Error") or "dangvien"
        return "".join(f"-{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


class InputError(DangvienError):
    """A path or argument the command cannot use."""


class FileNotFoundInputError(InputError):
    """The given path does not exist."""


class OptionError(InputError):
    """An option (``--term``) or argument (``term=``) whose value is not of the accepted form.

    ``option`` is the name as the caller wrote it and ``value`` what was given; the message says both, the
    accepted form and an example.
    """

    def __init__(self, message_vi: str, message_en: str, *, option: str, value: object) -> None:
        super().__init__(message_vi, message_en)
        self.option = option
        self.value = value


class OutputPathError(InputError):
    """An output path that is an input, or that cannot be written."""


class WorkbookError(DangvienError):
    """A file that is not a readable workbook."""


class UnsupportedFormatError(WorkbookError):
    """A file format the reader does not handle."""


class EncryptedWorkbookError(WorkbookError):
    """A password-protected workbook."""


class CorruptWorkbookError(WorkbookError):
    """A damaged file, or one that only claims to be a workbook."""


class OversizedWorkbookError(WorkbookError):
    """A workbook too large to open safely: a zip bomb, or a sheet whose used range spans billions of cells.

    The usual cause is one stray value far away (e.g. at XFD1048576): the reader would need memory for
    every cell between A1 and that one.
    """


class NoRosterError(DangvienError):
    """A readable workbook where no sheet holds a recognisable roster header."""


class SchemaFileError(DangvienError):
    """A schema YAML file that is missing or malformed."""


class NotRegularFileError(InputError):
    """A path that is not a regular file: a named pipe, a socket, a device or another special file.

    Reading one could block for ever (a pipe nobody writes) and writing one could replace a system file.
    """


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What a terminal could act on, or an encoder refuse: C0/C1 controls (but newline and tab), DEL, lone
# surrogates (bytes of a file name that were not UTF-8), bidirectional overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def display_name(name: object) -> str:
    """``name`` (a path, a sheet or cell name) safe to print: control characters and bytes that are not UTF-8
    written as escapes (``\\x1b``, ``\\xff`` for the undecodable byte 0xff), so no name can move the cursor,
    ring the bell or break the encoding of the output. Printable text, Vietnamese included, is kept as it is.
    """
    text = name.decode("utf-8", "surrogateescape") if isinstance(name, bytes) else str(name)
    if text.isprintable() and not _UNSAFE.search(text):
        return text
    return "".join(char if char.isprintable() and not _UNSAFE.match(char) else _escape(char) for char in text)


def _escape(char: str) -> str:
    if 0xDC80 <= ord(char) <= 0xDCFF:
        return f"\\x{ord(char) - 0xDC00:02x}"
    return _ESCAPES.get(char) or char.encode("unicode_escape", "backslashreplace").decode("ascii")


def printable(text: str) -> str:
    """``text`` (a whole report) with what a terminal could act on escaped as in :func:`display_name`; line
    breaks and tabs are kept."""
    return _UNSAFE.sub(lambda found: _escape(found[0]), text) if _UNSAFE.search(text) else text
