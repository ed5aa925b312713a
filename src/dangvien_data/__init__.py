"""dangvien_data: check Party member rosters and dossiers, produce reconciled counts per cell (chi bộ)."""

from .dossier import DossierReport, check_dossier, read_dossier, write_dossier_workbook
from .dossier_read import Dossier
from .errors import (
    CorruptWorkbookError,
    DangvienError,
    EncryptedWorkbookError,
    FileNotFoundInputError,
    InputError,
    NoRosterError,
    OutputPathError,
    OversizedWorkbookError,
    SchemaFileError,
    UnsupportedFormatError,
    WorkbookError,
)
from .issues import Issue, Severity
from .reconcile import (
    Declared,
    Movements,
    RollForward,
    compare_declared,
    read_declared,
    read_movements,
    reconcile_files,
    roll_forward,
    summarise_files,
)
from .roster import Roster
from .schemas import load_roster_spec
from .summary import Difference, Milestones, Summary, milestones, summarise
from .summary_workbook import write_rollforward_workbook, write_summary_workbook
from .template import write_template
from .validate import Report, validate
from .workbook import read_roster

__version__ = "0.1.0"

__all__ = [
    "CorruptWorkbookError",
    "DangvienError",
    "Declared",
    "Difference",
    "Dossier",
    "DossierReport",
    "EncryptedWorkbookError",
    "FileNotFoundInputError",
    "InputError",
    "Issue",
    "Milestones",
    "Movements",
    "NoRosterError",
    "OutputPathError",
    "OversizedWorkbookError",
    "Report",
    "RollForward",
    "Roster",
    "SchemaFileError",
    "Severity",
    "Summary",
    "UnsupportedFormatError",
    "WorkbookError",
    "__version__",
    "check_dossier",
    "compare_declared",
    "load_roster_spec",
    "milestones",
    "read_declared",
    "read_dossier",
    "read_movements",
    "read_roster",
    "reconcile_files",
    "roll_forward",
    "summarise",
    "summarise_files",
    "validate",
    "write_dossier_workbook",
    "write_rollforward_workbook",
    "write_summary_workbook",
    "write_template",
]
