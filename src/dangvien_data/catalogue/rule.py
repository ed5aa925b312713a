"""The shape of one catalogue entry: a stable code, its severity, and its Vietnamese and English texts."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Rule", "Severity", "rule"]


class Severity(enum.StrEnum):
    """How serious an issue is; only errors make a roster fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """One entry of the rule catalogue: a stable code, its severity and message templates.

    Templates are ``str.format`` fields taken from the issue's params plus ``{value}``, ``{column}``, ``{field}``.
    """

    code: str
    severity: Severity
    title_vi: str
    title_en: str
    message_vi: str
    message_en: str
    fix_vi: str = ""
    fix_en: str = ""
    source: str = ""


def rule(
    code: str,
    severity: str,
    *,
    title: tuple[str, str],
    message: tuple[str, str],
    fix: tuple[str, str] = ("", ""),
    source: str = "",
) -> Rule:
    """One catalogue entry, each text given as a (Vietnamese, English) pair."""
    return Rule(code, Severity(severity), title[0], title[1], message[0], message[1], fix[0], fix[1], source)
