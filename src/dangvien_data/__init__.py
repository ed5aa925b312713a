"""dangvien_data: check Party member rosters and dossiers, produce reconciled counts per cell (chi bộ).

Every public name is listed once, in :data:`_EXPORTS` (name -> the module that defines it); ``__all__`` is made
from that table, and ``tests/test_exported_members.py`` checks that each name resolves, is documented, and that
the type-checking imports below agree with the table. The names are imported on first use (PEP 562):
``import dangvien_data`` costs almost nothing, and the command line can start reading a workbook before pandas
and pandera are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dangvien_data import _pandera

if TYPE_CHECKING:
    from dangvien_data.api import reconcile_files, summarise_files, validate_files
    from dangvien_data.catalogue.rule import Rule, Severity
    from dangvien_data.dossier.check import DossierReport, check_dossier
    from dangvien_data.dossier.read import Dossier, DossierSpec, load_dossier_spec, read_dossier
    from dangvien_data.dossier.workbook import write_dossier_workbook
    from dangvien_data.errors import (
        CorruptWorkbookError,
        DangvienError,
        EncryptedWorkbookError,
        FileNotFoundInputError,
        InputError,
        NoRosterError,
        OptionError,
        OutputPathError,
        OversizedWorkbookError,
        SchemaFileError,
        UnsupportedFormatError,
        WorkbookError,
    )
    from dangvien_data.io.excel import annotate
    from dangvien_data.issues import Issue
    from dangvien_data.report.declared import Declared, compare_declared, read_declared
    from dangvien_data.report.rollforward import Movements, RollForward, read_movements, roll_forward
    from dangvien_data.report.summary import (
        Difference,
        Milestones,
        Summary,
        SummarySpec,
        load_summary_spec,
        milestones,
        summarise,
    )
    from dangvien_data.report.workbook import write_rollforward_workbook, write_summary_workbook
    from dangvien_data.roster.model import Roster
    from dangvien_data.roster.reader import read_roster
    from dangvien_data.roster.schemas import FieldSpec, RosterSpec, load_roster_spec
    from dangvien_data.roster.validation import Report, validate
    from dangvien_data.template.writer import write_template

__version__ = "0.1.0"

_pandera.install()  # pandera.DataFrameSchema.from_yaml then reads `dangvien schema export`; costs no import

# exported name -> the module (under dangvien_data) that defines it
_EXPORTS: dict[str, str] = {
    "annotate": "io.excel",
    "check_dossier": "dossier.check",
    "compare_declared": "report.declared",
    "CorruptWorkbookError": "errors",
    "DangvienError": "errors",
    "Declared": "report.declared",
    "Difference": "report.summary",
    "Dossier": "dossier.read",
    "DossierReport": "dossier.check",
    "DossierSpec": "dossier.read",
    "EncryptedWorkbookError": "errors",
    "FieldSpec": "roster.schemas",
    "FileNotFoundInputError": "errors",
    "InputError": "errors",
    "Issue": "issues",
    "load_dossier_spec": "dossier.read",
    "load_roster_spec": "roster.schemas",
    "load_summary_spec": "report.summary",
    "Milestones": "report.summary",
    "milestones": "report.summary",
    "Movements": "report.rollforward",
    "NoRosterError": "errors",
    "OptionError": "errors",
    "OutputPathError": "errors",
    "OversizedWorkbookError": "errors",
    "read_declared": "report.declared",
    "read_dossier": "dossier.read",
    "read_movements": "report.rollforward",
    "read_roster": "roster.reader",
    "reconcile_files": "api",
    "Report": "roster.validation",
    "roll_forward": "report.rollforward",
    "RollForward": "report.rollforward",
    "Roster": "roster.model",
    "RosterSpec": "roster.schemas",
    "Rule": "catalogue.rule",
    "SchemaFileError": "errors",
    "Severity": "catalogue.rule",
    "summarise": "report.summary",
    "summarise_files": "api",
    "Summary": "report.summary",
    "SummarySpec": "report.summary",
    "UnsupportedFormatError": "errors",
    "validate": "roster.validation",
    "validate_files": "api",
    "WorkbookError": "errors",
    "write_dossier_workbook": "dossier.workbook",
    "write_rollforward_workbook": "report.workbook",
    "write_summary_workbook": "report.workbook",
    "write_template": "template.writer",
}

__all__ = sorted([*_EXPORTS, "__version__"])  # made from the one table above


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
