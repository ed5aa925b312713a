"""dangvien_data: check Party member rosters and dossiers, produce reconciled counts per cell (chi bộ)."""

from .errors import (
    CorruptWorkbookError,
    DangvienError,
    EncryptedWorkbookError,
    FileNotFoundInputError,
    InputError,
    NoRosterError,
    OutputPathError,
    SchemaFileError,
    UnsupportedFormatError,
    WorkbookError,
)
from .issues import Issue, Severity
from .roster import Roster
from .schemas import load_roster_spec
from .validate import Report, validate
from .workbook import read_roster

__version__ = "0.1.0"

__all__ = [
    "CorruptWorkbookError",
    "DangvienError",
    "EncryptedWorkbookError",
    "FileNotFoundInputError",
    "InputError",
    "Issue",
    "NoRosterError",
    "OutputPathError",
    "Report",
    "Roster",
    "SchemaFileError",
    "Severity",
    "UnsupportedFormatError",
    "WorkbookError",
    "__version__",
    "load_roster_spec",
    "read_roster",
    "validate",
]
