"""The one issue catalogue: every code the package can report, declared once, complete on import.

Each stage of the data flow declares its codes in its own part module (``reading``, ``roster``, ``report``,
``dossier``); this module joins them. ``dangvien rules``, ``docs/rules.md`` and the fill-in templates' guide sheet
are all generated from :data:`CATALOGUE`.
"""

from __future__ import annotations

from types import MappingProxyType

from dangvien_data.catalogue import dossier, reading, report, roster
from dangvien_data.catalogue.rule import Rule, Severity, rule

__all__ = ["CATALOGUE", "DOSSIER", "READING", "REPORT", "ROSTER", "Rule", "Severity", "rule"]

READING: tuple[Rule, ...] = reading.RULES
ROSTER: tuple[Rule, ...] = roster.RULES
REPORT: tuple[Rule, ...] = report.RULES
DOSSIER: tuple[Rule, ...] = dossier.RULES


def _join(*parts: tuple[Rule, ...]) -> MappingProxyType[str, Rule]:
    table: dict[str, Rule] = {}
    for part in parts:
        for entry in part:
            if entry.code in table:
                msg = f"issue code {entry.code!r} is declared twice in the catalogue"
                raise ValueError(msg)
            table[entry.code] = entry
    return MappingProxyType(table)


CATALOGUE = _join(READING, ROSTER, REPORT, DOSSIER)
"""Every issue code -> its :class:`Rule`; read-only."""
