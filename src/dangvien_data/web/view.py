"""What the result page shows, taken from the library's own records (no rule is decided here)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from dangvien_data.domain.values import number
from dangvien_data.issues import RECORD_KEYS, Issue, render_message
from dangvien_data.web.jobs import Job

__all__ = ["Filters", "counts_table", "differences", "issue_groups", "issues_csv", "issues_json"]

NO_CELL = "~"  # the filter value of issues without a cell (a header problem, say)
SHOWN_LIMIT = 500  # rows of issues on one page; the downloads hold them all
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    """The filters of the result page (each ``""`` for all)."""

    cell: str = ""
    severity: str = ""
    code: str = ""

    def keep(self, issue: Issue) -> bool:
        return (
            (not self.cell or (issue.cell or NO_CELL) == self.cell)
            and (not self.severity or str(issue.severity) == self.severity)
            and (not self.code or issue.code == self.code)
        )


def _message_and_fix(issue: Issue, lang: str) -> tuple[str, str]:
    """The message without its fix, and the fix: the full message is the one the CLI prints."""
    full = issue.message(lang)
    params = {"value": issue.value, "column": issue.column, "field": issue.field, **issue.params}
    short = render_message(issue.code, params, lang, with_fix=False)
    return (short, full.removeprefix(short).strip()) if full.startswith(short) else (full, "")


def _row(job: Job, issue: Issue, lang: str) -> dict[str, Any]:
    message, fix = _message_and_fix(issue, lang)
    place = f"{issue.sheet}!{issue.ref}" if issue.sheet and issue.ref else issue.sheet or issue.ref or ""
    return {
        "severity": str(issue.severity),
        "code": issue.code,
        "file": job.shown(issue.file),
        "place": place,
        "member": issue.member or "",
        "column": issue.column or "",
        "value": issue.value or "",
        "message": message,
        "fix": fix,
    }


def issue_groups(job: Job, filters: Filters, lang: str) -> dict[str, Any]:
    """Issues grouped by cell (roster order), filtered, at most :data:`SHOWN_LIMIT` rows, with filter choices."""
    issues: list[Issue] = job.report.issues
    kept = [i for i in issues if filters.keep(i)]
    groups: dict[str, list[dict[str, Any]]] = {}
    for issue in kept[:SHOWN_LIMIT]:
        groups.setdefault(issue.cell or NO_CELL, []).append(_row(job, issue, lang))
    return {
        "groups": list(groups.items()),
        "total": len(kept),
        "shown": min(len(kept), SHOWN_LIMIT),
        "limit": SHOWN_LIMIT,
        "cells": sorted(Counter(i.cell or NO_CELL for i in issues).items()),
        "no_cell": NO_CELL,
        "codes": sorted(Counter(i.code for i in issues).items()),
    }


def counts_table(job: Job, lang: str) -> dict[str, Any] | None:
    """The counts per cell and the total, with the metric headers of schemas/summary.yaml."""
    if job.summary is None:
        return None
    from dangvien_data.report.summary import METRICS, load_summary_spec

    spec = load_summary_spec()
    data = job.summary.to_dict(lang)
    shown = (*METRICS, "average_age")  # the counts, then the average age, as the terminal's table shows them
    return {  # figures as the language writes them: 1.234 and 32,2 in Vietnamese, 1,234 and 32.2 in English
        "metrics": [(m, spec.metric_label(m, lang)) for m in shown],
        "cells": [(c["cell"] or "", [number(c.get(m), lang) for m in shown]) for c in data["cells"]],
        "total": [number(data["total"].get(m), lang) for m in shown],
    }


def differences(job: Job, lang: str) -> list[dict[str, Any]]:
    """The reconciliation records (declared − derived), their place shown with the declared file's name."""
    if job.summary is None:
        return []
    rows = [d.to_dict(lang) for d in job.summary.reconciliation]
    for row in rows:
        row["file"] = job.shown(row["file"])
        for key in ("declared", "derived", "difference"):
            row[key] = number(row[key], lang, digits=None) if row[key] is not None else None  # as the message
    return rows


def _records(job: Job, lang: str) -> list[dict[str, Any]]:
    records = [i.to_dict(lang) for i in job.report.issues]
    for record in records:
        record["file"] = job.shown(record["file"])
    return records


def issues_json(job: Job, lang: str) -> str:
    """The JSON object of ``dangvien validate --format json``, files named as uploaded."""
    data = job.report.to_dict(lang)
    data["files"] = [job.shown(f) for f in data["files"]]
    data["issues"] = _records(job, lang)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cell_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text  # a spreadsheet must not run it as a formula


def issues_csv(job: Job, lang: str) -> str:
    """One line per issue, the columns of the JSON record; UTF-8 with a BOM so that Excel reads Vietnamese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RECORD_KEYS)
    for record in _records(job, lang):
        writer.writerow([_cell_text(record[k]) for k in RECORD_KEYS])
    return "\ufeff" + buffer.getvalue()
