"""Exceptions raised when the tool cannot run: unreadable files, bad arguments, bad schema files.

Problems *in the data* are never exceptions; they are :class:`~dangvien_data.issues.Issue` values.

    DangvienError                 every error this library raises on purpose
    ├── InputError                a path or an argument the command cannot use
    │   ├── FileNotFoundInputError    the path does not exist
    │   ├── OptionError               an option or argument value outside its accepted form (names both)
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

__all__ = [
    "CorruptWorkbookError",
    "DangvienError",
    "EncryptedWorkbookError",
    "FileNotFoundInputError",
    "InputError",
    "NoRosterError",
    "OptionError",
    "OutputPathError",
    "OversizedWorkbookError",
    "SchemaFileError",
    "UnsupportedFormatError",
    "WorkbookError",
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
