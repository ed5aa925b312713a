"""dangvien_data: check Party member rosters and dossiers, produce reconciled counts per cell (chi bộ).

The names below are imported on first use (PEP 562): ``import dangvien_data`` costs almost nothing, and the
command line can start reading a workbook before pandas and pandera are imported (issue 7).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dangvien_data.dossier.check import DossierReport, check_dossier, read_dossier, write_dossier_workbook
    from dangvien_data.dossier.read import Dossier
    from dangvien_data.errors import (
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
    from dangvien_data.issues import Issue, Severity
    from dangvien_data.report.reconcile import (
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
    from dangvien_data.report.summary import Difference, Milestones, Summary, milestones, summarise
    from dangvien_data.report.workbook import write_rollforward_workbook, write_summary_workbook
    from dangvien_data.roster.model import Roster
    from dangvien_data.roster.reader import read_roster
    from dangvien_data.roster.schemas import load_roster_spec
    from dangvien_data.roster.validation import Report, validate
    from dangvien_data.template.writer import write_template

__version__ = "0.1.0"

# exported name -> the module that defines it
_EXPORTS = {
    "check_dossier": "dossier.check",
    "compare_declared": "report.reconcile",
    "CorruptWorkbookError": "errors",
    "DangvienError": "errors",
    "Declared": "report.reconcile",
    "Difference": "report.summary",
    "Dossier": "dossier.read",
    "DossierReport": "dossier.check",
    "EncryptedWorkbookError": "errors",
    "FileNotFoundInputError": "errors",
    "InputError": "errors",
    "Issue": "issues",
    "load_roster_spec": "roster.schemas",
    "Milestones": "report.summary",
    "milestones": "report.summary",
    "Movements": "report.reconcile",
    "NoRosterError": "errors",
    "OutputPathError": "errors",
    "OversizedWorkbookError": "errors",
    "read_declared": "report.reconcile",
    "read_dossier": "dossier.check",
    "read_movements": "report.reconcile",
    "read_roster": "roster.reader",
    "reconcile_files": "report.reconcile",
    "roll_forward": "report.reconcile",
    "RollForward": "report.reconcile",
    "Report": "roster.validation",
    "Roster": "roster.model",
    "SchemaFileError": "errors",
    "Severity": "issues",
    "summarise": "report.summary",
    "summarise_files": "report.reconcile",
    "validate": "roster.validation",
    "Summary": "report.summary",
    "UnsupportedFormatError": "errors",
    "WorkbookError": "errors",
    "write_dossier_workbook": "dossier.check",
    "write_rollforward_workbook": "report.workbook",
    "write_summary_workbook": "report.workbook",
    "write_template": "template.writer",
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
