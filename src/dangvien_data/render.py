"""Render results for people (plain-terminal text) and for programs (JSON records)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .issues import Issue, count_by_severity
from .roster import Roster

if TYPE_CHECKING:
    from .validate import Report

__all__ = ["format_issue", "read_json", "read_text", "rules_markdown", "validate_text"]

_T = {
    "files": ("Tệp đã đọc", "Files read"),
    "sheet": ("trang", "sheet"),
    "header": ("dòng tiêu đề", "header row"),
    "members": ("đảng viên", "members"),
    "cells": ("Theo chi bộ", "Per cell"),
    "total": ("Tổng cộng", "Total"),
    "no_cell": ("(chưa xác định chi bộ)", "(cell unknown)"),
    "notes": ("Ghi nhận khi đọc", "Noted while reading"),
    "columns": ("cột nhận ra", "columns recognised"),
}


def _t(key: str, lang: str) -> str:
    vi, en = _T[key]
    return en if lang == "en" else vi


def format_issue(issue: Issue, lang: str = "vi") -> str:
    """One line: severity, place (file › sheet!ref), code, message."""
    place = f"{issue.sheet}!{issue.ref}" if issue.ref else (issue.sheet or "")
    who = f" [{issue.member}]" if issue.member else ""
    return f"  {issue.severity.upper():7} {place:<18} {issue.code}{who}: {issue.message(lang)}"


def _issue_lines(issues: Iterable[Issue], lang: str) -> list[str]:
    return [format_issue(issue, lang) for issue in issues]


def read_text(roster: Roster, lang: str = "vi") -> str:
    """What was read: files, sheets and their header rows, members per cell, notes."""
    lines = [f"{_t('files', lang)}:"]
    for source in roster.sources:
        header = "–".join(str(r) for r in source.header_rows)
        lines.append(
            f'  {source.file} › {_t("sheet", lang)} "{source.sheet}": {_t("header", lang)} {header}, '
            f"{len(source.columns)} {_t('columns', lang)}, {source.members} {_t('members', lang)}"
        )
    lines.append("")
    lines.append(f"{_t('cells', lang)}:")
    per_cell = roster.per_cell()
    width = max([len(str(c)) for c in per_cell["cell"]] + [10])
    for cell, members in zip(per_cell["cell"], per_cell["members"], strict=True):
        name = cell if isinstance(cell, str) else _t("no_cell", lang)
        lines.append(f"  {name:<{width}}  {members:>6}")
    lines.append(f"  {_t('total', lang):<{width}}  {len(roster):>6}")
    if roster.issues:
        lines += ["", f"{_t('notes', lang)} ({len(roster.issues)}):", *_issue_lines(roster.issues, lang)]
    return "\n".join(lines)


def read_json(roster: Roster, lang: str = "vi") -> dict[str, Any]:
    """What was read, as one JSON-ready object."""
    per_cell = roster.per_cell()
    return {
        "files": roster.files,
        "sheets": [
            {
                "file": s.file,
                "sheet": s.sheet,
                "header_rows": list(s.header_rows),
                "data_start": s.data_start,
                "members": s.members,
                "columns": {f: {"column": c.letter, "header": c.header} for f, c in s.columns.items()},
            }
            for s in roster.sources
        ],
        "cells": [
            {"cell": c if isinstance(c, str) else None, "members": int(m)}
            for c, m in zip(per_cell["cell"], per_cell["members"], strict=True)
        ],
        "total": len(roster),
        "counts": count_by_severity(roster.issues),
        "issues": [i.to_dict(lang) for i in roster.issues],
    }


_V = {
    "as_of": ("Tính đến ngày", "As of"),
    "term": ("nhiệm kỳ", "term"),
    "result_ok": ("KẾT QUẢ: ĐẠT — không có lỗi", "RESULT: PASSED — no errors"),
    "result_bad": ("KẾT QUẢ: CHƯA ĐẠT", "RESULT: FAILED"),
    "counts": ("{error} lỗi, {warning} cảnh báo, {info} ghi chú", "{error} errors, {warning} warnings, {info} notes"),
    "whole": ("Toàn đơn vị / chung", "Whole organisation / general"),
}


def _v(key: str, lang: str) -> str:
    vi, en = _V[key]
    return en if lang == "en" else vi


def validate_text(report: Report, lang: str = "vi") -> str:
    """The report for a plain terminal: date and term, then the issues grouped by cell, then the verdict."""
    lines = [
        f"{_v('as_of', lang)} {report.as_of.strftime('%d/%m/%Y')} · {_v('term', lang)} {report.term}",
        *(f"  {f}" for f in report.files),
        "",
    ]
    groups: dict[str, list[Issue]] = {}
    for issue in report.issues:
        groups.setdefault(issue.cell or _v("whole", lang), []).append(issue)
    for cell, issues in groups.items():
        lines.append(f"■ {cell} ({len(issues)})")
        lines += _issue_lines(issues, lang)
        lines.append("")
    verdict = _v("result_ok" if report.ok else "result_bad", lang)
    lines.append(f"{verdict}: {_v('counts', lang).format(**report.counts)}")
    return "\n".join(lines)


def rules_markdown() -> str:
    """The rule catalogue as Markdown: this is docs/rules.md (a test keeps the file current)."""
    from . import rules  # noqa: F401  (registers the validation rules)
    from .issues import CATALOGUE

    lines = [
        "# Quy tắc kiểm tra / Rule catalogue",
        "",
        "Sinh tự động bằng `dangvien rules` — không sửa tay. Generated by `dangvien rules`; do not edit.",
        "",
        "| Mã / code | Mức độ / severity | Nội dung | Message | Cách sửa / fix | Nguồn / source |",
        "|---|---|---|---|---|---|",
    ]
    for code in sorted(CATALOGUE):
        rule = CATALOGUE[code]
        cells = [
            f"`{code}`",
            str(rule.severity),
            rule.message_vi,
            rule.message_en,
            f"{rule.fix_vi} / {rule.fix_en}" if rule.fix_vi else "",
            rule.source,
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
