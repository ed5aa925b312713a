"""Issue records: what is wrong with the data, where, and how to fix it, in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from dangvien_data.catalogue import CATALOGUE, Rule, Severity

__all__ = ["CATALOGUE", "RECORD_KEYS", "Issue", "Rule", "Severity", "count_by_severity", "render_fix", "render_message"]


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# Counts in messages, written as the language groups thousands (10.000 / 10,000); other numbers (years, ages,
# percentages) as they are.
_COUNTS = frozenset({"count", "total", "members", "cells", "seats", "min", "max"})


def _values(params: Mapping[str, Any], lang: str) -> _Default:
    from dangvien_data.domain.values import number

    return _Default(
        {k: ("" if v is None else number(v, lang) if k in _COUNTS and type(v) is int else v) for k, v in params.items()}
    )


def render_fix(code: str, params: Mapping[str, Any], lang: str = "vi") -> str | None:
    """The catalogue's fix of ``code`` alone, formatted with ``params`` (None when the rule has none)."""
    rule = CATALOGUE[code]
    fix = rule.fix_en if lang == "en" else rule.fix_vi
    if not fix:
        return None
    values = _values(params, lang)
    return fix.format_map(values) if "{" in fix else fix


def render_message(code: str, params: Mapping[str, Any], lang: str = "vi", *, with_fix: bool = True) -> str:
    """Format the catalogue message of ``code`` with ``params`` in ``lang`` ("vi" or "en"), the fix appended."""
    rule = CATALOGUE[code]
    template = rule.message_en if lang == "en" else rule.message_vi
    fix = rule.fix_en if lang == "en" else rule.fix_vi
    values = _values(params, lang)
    text = template.format_map(values)
    if with_fix and fix:
        text += " " + (fix.format_map(values) if "{" in fix else fix)
    return text


# The issue record of docs/architecture.md's JSON contract, in order.
RECORD_KEYS = (
    "severity",
    "code",
    "message",
    "fix",
    "file",
    "sheet",
    "ref",
    "row",
    "column",
    "field",
    "value",
    "member",
    "cell",
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in the data, at one place (file, sheet, A1 ref), with a stable code.

    ``cell`` is the chi bộ, ``ref`` the spreadsheet location (e.g. ``"F12"``).
    """

    code: str
    severity: Severity
    file: str | None = None
    sheet: str | None = None
    ref: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None
    member: str | None = None
    cell: str | None = None
    params: Mapping[str, Any] = dc_field(default_factory=dict, hash=False)

    def message(self, lang: str = "vi") -> str:
        """The full message (what was expected, what was found, how to fix it) in ``lang``."""
        params = {"value": self.value, "column": self.column, "field": self.field, **self.params}
        return render_message(self.code, params, lang)

    def fix(self, lang: str = "vi") -> str | None:
        """How to fix it alone (also the end of :meth:`message`), or None."""
        params = {"value": self.value, "column": self.column, "field": self.field, **self.params}
        return render_fix(self.code, params, lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON record of docs/architecture.md (keys in the order of :data:`RECORD_KEYS`)."""
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "file": self.file,
            "sheet": self.sheet,
            "ref": self.ref,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "member": self.member,
            "cell": self.cell,
        }


def count_by_severity(issues: Iterable[Issue]) -> dict[str, int]:
    """Counts per severity, always with the three keys."""
    counts = {str(s): 0 for s in Severity}
    for issue in issues:
        counts[str(issue.severity)] += 1
    return counts
