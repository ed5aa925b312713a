"""dangvien_data: check Party member rosters and dossiers, produce reconciled counts per cell (chi bộ).

The names below are imported on first use (PEP 562): ``import dangvien_data`` costs almost nothing, and the
command line can start reading a workbook before pandas and pandera are imported (issue 7).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from .validation import Report, validate
    from .workbook import read_roster

__version__ = "0.1.0"

# exported name -> the module that defines it
_EXPORTS = {
    "check_dossier": "dossier",
    "compare_declared": "reconcile",
    "CorruptWorkbookError": "errors",
    "DangvienError": "errors",
    "Declared": "reconcile",
    "Difference": "summary",
    "Dossier": "dossier_read",
    "DossierReport": "dossier",
    "EncryptedWorkbookError": "errors",
    "FileNotFoundInputError": "errors",
    "InputError": "errors",
    "Issue": "issues",
    "load_roster_spec": "schemas",
    "Milestones": "summary",
    "milestones": "summary",
    "Movements": "reconcile",
    "NoRosterError": "errors",
    "OutputPathError": "errors",
    "OversizedWorkbookError": "errors",
    "read_declared": "reconcile",
    "read_dossier": "dossier",
    "read_movements": "reconcile",
    "read_roster": "workbook",
    "reconcile_files": "reconcile",
    "roll_forward": "reconcile",
    "RollForward": "reconcile",
    "Report": "validation",
    "Roster": "roster",
    "SchemaFileError": "errors",
    "Severity": "issues",
    "summarise": "summary",
    "summarise_files": "reconcile",
    "validate": "validation",
    "Summary": "summary",
    "UnsupportedFormatError": "errors",
    "WorkbookError": "errors",
    "write_dossier_workbook": "dossier",
    "write_rollforward_workbook": "summary_workbook",
    "write_summary_workbook": "summary_workbook",
    "write_template": "template",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
