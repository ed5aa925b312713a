"""Render results for people (plain-terminal text) and for programs (JSON records)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from dangvien_data.domain.values import number
from dangvien_data.issues import Issue, Severity, count_by_severity
from dangvien_data.roster.model import Roster

if TYPE_CHECKING:
    from dangvien_data.dossier.check import DossierReport
    from dangvien_data.report.rollforward import RollForward
    from dangvien_data.report.summary import Summary
    from dangvien_data.roster.validation import Report

__all__ = [
    "dossier_text",
    "format_issue",
    "number",
    "read_json",
    "read_text",
    "rollforward_text",
    "rules_markdown",
    "severity_label",
    "summary_text",
    "validate_text",
]

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
    "as_of": ("Tính đến ngày", "As of"),
    "term": ("nhiệm kỳ", "term"),
    "result_ok": ("KẾT QUẢ: ĐẠT — không có lỗi", "RESULT: PASSED — no errors"),
    "result_bad": ("KẾT QUẢ: CHƯA ĐẠT", "RESULT: FAILED"),
    "counts": ("{error} lỗi, {warning} cảnh báo, {info} ghi chú", ""),
    "whole": ("Toàn đơn vị / chung", "Whole organisation / general"),
}


_SEVERITY = {
    Severity.ERROR: ("LỖI", "ERROR"),
    Severity.WARNING: ("CẢNH BÁO", "WARNING"),
    Severity.INFO: ("GHI CHÚ", "NOTE"),
}


def _t(key: str, lang: str) -> str:
    vi, en = _T[key]
    return en if lang == "en" else vi


def severity_label(severity: Severity | str, lang: str = "vi") -> str:
    """ "LỖI", "CẢNH BÁO", "GHI CHÚ" (or "ERROR", "WARNING", "NOTE"): how a severity is printed."""
    vi, en = _SEVERITY[Severity(severity)]
    return en if lang == "en" else vi


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _counts(counts: dict[str, int], lang: str) -> str:
    if lang == "en":
        return ", ".join(
            (_plural(counts["error"], "error"), _plural(counts["warning"], "warning"), _plural(counts["info"], "note"))
        )
    return _t("counts", lang).format(**{k: number(v, lang) for k, v in counts.items()})


def format_issue(issue: Issue, lang: str = "vi", *, with_file: bool = False) -> str:
    """One line: severity, place (sheet!ref; ``with_file``: file › sheet!ref, for a run over several files, where
    the sheets of every cell's workbook are called alike), code, message."""
    place = f"{issue.sheet}!{issue.ref}" if issue.ref else (issue.sheet or "")
    if with_file and issue.file:
        place = f"{PurePath(issue.file).name} › {place}" if place else PurePath(issue.file).name
    who = f" [{issue.member}]" if issue.member else ""
    return f"  {severity_label(issue.severity, lang):8} {place:<18} {issue.code}{who}: {issue.message(lang)}"


NOTES_SHOWN = 5  # notes of one kind shown per cell in a terminal report; the rest counted on one line


def _issue_lines(
    issues: Iterable[Issue], lang: str, files: Iterable[str | None] = (), *, every: bool = False
) -> list[str]:
    """The issues' lines, each naming its file too when ``files`` (the run's files) are more than one.

    Every error and warning has its line; of the notes (``info``) of one code, the first :data:`NOTES_SHOWN`
    and then one line saying how many more (a cell typed in VNI gives a note for every converted cell), unless
    ``every``. The JSON report and the annotated copy always hold them all."""
    with_file = len({f for f in files if f}) > 1
    lines: list[str] = []
    more: dict[str, int] = {}
    shown: dict[str, int] = {}
    for issue in issues:
        if not every and issue.severity == Severity.INFO:
            shown[issue.code] = shown.get(issue.code, 0) + 1
            if shown[issue.code] > NOTES_SHOWN:
                more[issue.code] = more.get(issue.code, 0) + 1
                continue
        lines.append(format_issue(issue, lang, with_file=with_file))
    for code, count in more.items():
        label = severity_label(Severity.INFO, lang)
        if lang == "en":
            lines.append(f"  {label:8} … and {number(count, lang)} more {code} notes (all of them: -v, --format json)")
        else:
            lines.append(f"  {label:8} … và {number(count, lang)} ghi chú {code} khác (xem hết: -v, --format json)")
    return lines


def read_text(roster: Roster, lang: str = "vi", *, every: bool = False) -> str:
    """What was read: files, sheets and their header rows, members per cell, notes (``every``: all of them)."""
    lines = [f"{_t('files', lang)}:"]
    for source in roster.sources:
        header = "–".join(str(r) for r in source.header_rows)
        lines.append(
            f'  {source.file} › {_t("sheet", lang)} "{source.sheet}": {_t("header", lang)} {header}, '
            f"{len(source.columns)} {_t('columns', lang)}, {source.members} {_t('members', lang)}"
        )
        lines += _column_lines(source, lang)
    lines.append("")
    lines.append(f"{_t('cells', lang)}:")
    per_cell = roster.per_cell()
    width = max([len(str(c)) for c in per_cell["cell"]] + [10])
    for cell, members in zip(per_cell["cell"], per_cell["members"], strict=True):
        name = cell if isinstance(cell, str) else _t("no_cell", lang)
        lines.append(f"  {name:<{width}}  {number(members, lang):>7}")
    lines.append(f"  {_t('total', lang):<{width}}  {number(len(roster), lang):>7}")
    if roster.issues:
        notes = _issue_lines(roster.issues, lang, roster.files, every=every)
        lines += ["", f"{_t('notes', lang)} ({len(roster.issues)}):", *notes]
    return "\n".join(lines)


def _column_lines(source: Any, lang: str) -> list[str]:
    """Each field of a sheet with the column and header it was read from; each unknown column with the field
    it most resembles."""
    lines = [f'      {field:<17} ← {c.letter:>3} "{c.header}"' for field, c in source.columns.items()]
    for letter, header, closest in source.unknown:
        like = (f" (resembles {closest})" if lang == "en" else f" (gần giống {closest})") if closest else ""
        lines.append(f'      {"?":<17} ← {letter:>3} "{header}"{like}')
    return lines


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
                "unknown": [{"column": letter, "header": h, "resembles": f} for letter, h, f in s.unknown],
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


def validate_text(report: Report, lang: str = "vi", *, every: bool = False) -> str:
    """The report for a plain terminal: date and term, then the issues grouped by cell (of each cell's notes of
    one kind, the first few and how many more, unless ``every``), then the verdict."""
    lines = [
        f"{_t('as_of', lang)} {report.as_of.strftime('%d/%m/%Y')} · {_t('term', lang)} {report.term}",
        *(f"  {f}" for f in report.files),
        "",
    ]
    groups: dict[str, list[Issue]] = {}
    for issue in report.issues:
        groups.setdefault(issue.cell or _t("whole", lang), []).append(issue)
    for cell, issues in groups.items():
        lines.append(f"■ {cell} ({len(issues)})")
        lines += _issue_lines(issues, lang, report.files, every=every)
        lines.append("")
    verdict = _t("result_ok" if report.ok else "result_bad", lang)
    lines.append(f"{verdict}: {_counts(report.counts, lang)}")
    return "\n".join(lines)


def rules_markdown() -> str:
    """The rule catalogue as Markdown: this is docs/rules.md (a test keeps the file current)."""
    from dangvien_data.issues import CATALOGUE

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


# --- Counts per cell, reconciliation, roll-forward ----------------------------------------------------------

_S = {
    "cell": ("Chi bộ", "Cell"),
    "errors": ("Lỗi", "Err"),
    "organisation": ("Tổ chức", "Organisation"),
    "committee": ("đảng bộ cơ sở (từ 30 đảng viên)", "grassroots Party committee (30 members or more)"),
    "cell_org": ("chi bộ cơ sở (dưới 30 đảng viên)", "grassroots cell (under 30 members)"),
    "full": ("đại hội toàn thể đảng viên", "all-member congress"),
    "delegate": ("đại hội đại biểu", "delegate congress"),
    "unknown": ("chưa xác định", "not known"),
    "lists": (
        "Huy hiệu Đảng năm {year}: {badges} · đến hạn xét chính thức trong {days} ngày: {due} · đến hạn tuổi "
        "phục vụ trong nhiệm kỳ {term}: {service}",
        "Party badges in {year}: {badges} · due for official recognition within {days} days: {due} · "
        "service-age limit within the {term} term: {service}",
    ),
    "declared": (
        "Đối chiếu với số báo cáo {file}: {n} chênh lệch",
        "Compared with the declared sheet {file}: {n} differences",
    ),
    "no_declared": ("Không có số báo cáo để đối chiếu (--declared).", "No declared sheet to compare (--declared)."),
    "agree": ("KẾT QUẢ: KHỚP — số báo cáo đúng với danh sách", "RESULT: RECONCILED — the declared figures agree"),
    "differ": ("KẾT QUẢ: CHƯA KHỚP — {n} chênh lệch", "RESULT: NOT RECONCILED — {n} differences"),
    "summary_done": ("KẾT QUẢ: đã tổng hợp {n} đảng viên ở {cells} chi bộ", "RESULT: {n} members in {cells} cells"),
    "undetermined": (
        "Chưa xác định ({n} dòng; đã tính trong Tổng):",
        "Not determined ({n} rows; counted in the total):",
    ),
    "und_status": ("chính thức/dự bị", "status"),
    "und_sex": ("giới tính", "sex"),
    "und_age": ("tuổi", "age"),
    "with_errors": ("(số đếm gồm cả {n} dòng có lỗi)", "(the counts include {n} rows with errors)"),
    "period": ("Từ {a} đến {b}", "From {a} to {b}"),
    "before": ("đầu kỳ", "start"),
    "after": ("cuối kỳ", "end"),
    "movements": ("biến động", "movements"),
    "none": ("(không có)", "(none)"),
    "changes": ("Thay đổi", "Changes"),
    "problems": ("Vấn đề", "Problems"),
    "roll_ok": (
        "KẾT QUẢ: KHỚP — mọi thay đổi đều được giải thích, đầu kỳ + vào − ra = cuối kỳ",
        "RESULT: RECONCILED — every change is explained, start + in − out = end",
    ),
    "roll_bad": ("KẾT QUẢ: CHƯA KHỚP — {n} vấn đề", "RESULT: NOT RECONCILED — {n} problems"),
}
_SHORT = {
    "total": ("Tổng", "Total"),
    "official": ("CT", "Off"),
    "probationary": ("DB", "Prob"),
    "women": ("Nữ", "Wom"),
    "ethnic_minority": ("DTTS", "Min"),
    "religious": ("TG", "Rel"),
    "age_30_or_less": ("≤30", "≤30"),
    "age_31_40": ("31-40", "31-40"),
    "age_41_50": ("41-50", "41-50"),
    "age_51_60": ("51-60", "51-60"),
    "age_61_or_more": ("≥61", "≥61"),
    "party_age_30_or_more": ("TĐ≥30", "PA≥30"),
    "party_age_40_or_more": ("TĐ≥40", "PA≥40"),
    "average_age": ("TBQ", "Avg"),
    "status_unknown": ("CXĐ", "Und"),
}
# The columns of the terminal table: CT + DB + CXĐ = Tổng on every line.
_TABLE_KEYS = (
    "total",
    "official",
    "probationary",
    "status_unknown",
    "women",
    "ethnic_minority",
    "religious",
    "age_30_or_less",
    "age_31_40",
    "age_41_50",
    "age_51_60",
    "age_61_or_more",
    "party_age_30_or_more",
    "party_age_40_or_more",
    "average_age",
)
_LEGEND = (
    (
        "Ghi chú: Tổng = CT + DB + CXĐ. CT: chính thức; DB: dự bị; CXĐ: chưa xác định chính thức hay dự bị; "
        "DTTS: dân tộc thiểu số; TG: có tôn giáo;",
        "Note: Total = Off + Prob + Und. Off: official; Prob: probationary; Und: status not determined; "
        "Min: ethnic minority; Rel: religious;",
    ),
    (
        "≤30 … ≥61: độ tuổi; TĐ≥30, TĐ≥40: tuổi đảng từ 30, từ 40 năm trở lên; TBQ: tuổi bình quân.",
        "≤30 … ≥61: age bands; PA≥30, PA≥40: Party age 30, 40 years or more; Avg: average age.",
    ),
)


def _legend(lang: str, with_errors: bool) -> list[str]:
    lines = [en if lang == "en" else vi for vi, en in _LEGEND]
    if with_errors:
        lines[-1] += " " + ("Err: rows with errors." if lang == "en" else "Lỗi: số dòng có lỗi.")
    return lines


_ROLL = {
    "start": ("Đầu kỳ", "Start"),
    "in": ("Vào", "In"),
    "out": ("Ra", "Out"),
    "moved_in": ("Nội bộ đến", "Moved in"),
    "moved_out": ("Nội bộ đi", "Moved out"),
    "expected_end": ("Tính", "Computed"),
    "end": ("Cuối kỳ", "End"),
    "became_official": ("DB→CT", "→Off"),
}
_CHANGE = {"arrival": "+", "departure": "−", "move": "↔", "became_official": "✓"}


def _s(key: str, lang: str) -> str:
    vi, en = _S[key]
    return en if lang == "en" else vi


def _row(name: str, width: int, values: Iterable[Any], column: int = 7) -> str:
    return f"  {name:<{width}}" + "".join(f"{'' if v is None else v:>{column}}" for v in values)


def summary_text(summary: Summary, lang: str = "vi") -> str:
    """Counts per cell for a plain terminal with a legend of its abbreviations, the rows whose status, sex or
    age cannot be told, the organisation checks, the lists, then the reconciliation."""
    keys = [*_TABLE_KEYS]
    data = summary.to_dict(lang)
    names = [c["cell"] or _t("no_cell", lang) for c in data["cells"]]
    width = max([len(n) for n in names] + [12])
    lines = [
        f"{_t('as_of', lang)} {summary.as_of.strftime('%d/%m/%Y')} · {_t('term', lang)} {summary.term}",
        *(f"  {f}" for f in summary.files),
        "",
    ]
    with_errors = summary.with_errors is not None
    header = [(_SHORT[k][1] if lang == "en" else _SHORT[k][0]) for k in keys]

    def figures(cell: dict[str, Any]) -> list[str]:
        shown = [number(cell[k], lang) for k in keys]
        return [*shown, *([number(cell["rows_with_errors"], lang)] if with_errors else [])]

    lines.append(_row(_s("cell", lang), width, [*header, *([_s("errors", lang)] if with_errors else [])]))
    for name, cell in zip(names, [*data["cells"]], strict=True):
        lines.append(_row(name, width, figures(cell)))
    total = data["total"]
    lines.append(_row(_t("total", lang), width, figures(total)))
    if with_errors and total["rows_with_errors"]:
        lines.append("  " + _s("with_errors", lang).format(n=number(total["rows_with_errors"], lang)))
    if summary.excluded_line(lang):
        lines.append("  " + summary.excluded_line(lang))
    lines += ["  " + line for line in _legend(lang, with_errors)]
    undetermined = data["undetermined"]
    if undetermined:
        lines += ["", _s("undetermined", lang).format(n=number(len(undetermined), lang))]
        what = {"status": _s("und_status", lang), "sex": _s("und_sex", lang), "age": _s("und_age", lang)}
        for r in undetermined:
            place = f"{r['sheet']}!{r['ref']}"
            lines.append(f"  {place:<18} {r['member'] or ''} · {', '.join(what[k] for k in r['unknown'])}")
    org = summary.organisation
    kind = _s("committee" if org.party_committee else "cell_org", lang)
    lines += [
        "",
        f"{_s('organisation', lang)}: {number(org.members, lang)} {_t('members', lang)}, {org.cells} "
        f"{'cells' if lang == 'en' else 'chi bộ'} → {kind}; {_s(org.congress or 'unknown', lang)} "
        f"({_t('term', lang)} {summary.term})",
    ]
    lines += _issue_lines(org.issues, lang, summary.files)
    if summary.milestones is not None:
        ms = summary.milestones
        lines.append(
            _s("lists", lang).format(
                year=ms.year,
                badges=len(ms.badges),
                days=ms.within_days,
                due=len(ms.due_official),
                term=ms.term,
                service=len(ms.service_age),
            )
        )
    lines.append("")
    if summary.declared_file is None:
        lines.append(_s("no_declared", lang))
        lines.append(_s("summary_done", lang).format(n=number(total["total"], lang), cells=len(names)))
        return "\n".join(lines)
    lines.append(_s("declared", lang).format(file=summary.declared_file, n=len(summary.reconciliation)))
    for d in summary.reconciliation:
        place = f"{d.sheet}!{d.ref}" if d.ref else ""
        lines.append(f"  {place:<22} {d.code}: {d.message(lang)}")
    lines += ["", _s("differ" if summary.reconciliation else "agree", lang).format(n=len(summary.reconciliation))]
    return "\n".join(lines)


def rollforward_text(result: RollForward, lang: str = "vi") -> str:
    """The roll-forward for a plain terminal: per cell start, in, out, computed and actual end; the changes."""
    a, b = result.as_of_before.strftime("%d/%m/%Y"), result.as_of_after.strftime("%d/%m/%Y")
    lines = [
        _s("period", lang).format(a=a, b=b),
        f"  {_s('before', lang)}: {', '.join(result.files_before)}",
        f"  {_s('after', lang)}: {', '.join(result.files_after)}",
        f"  {_s('movements', lang)}: {result.movements_file or _s('none', lang)}",
        "",
    ]
    table = result.cells
    ins = [c for c in table.columns[1 : list(table.columns).index("moved_in")]]
    outs = [
        c for c in table.columns[list(table.columns).index("moved_in") + 1 : list(table.columns).index("moved_out")]
    ]
    width = max([len(str(c)) for c in table.index] + [12])
    keys = ["start", "in", "out", "moved_in", "moved_out", "expected_end", "end", "became_official"]
    lines.append(_row(_s("cell", lang), width, [(_ROLL[k][1] if lang == "en" else _ROLL[k][0]) for k in keys], 11))
    for cell, row in table.iterrows():
        values = [
            row["start"],
            row[ins].sum(),
            row[outs].sum(),
            row["moved_in"],
            row["moved_out"],
            row["expected_end"],
            row["end"],
            row["became_official"],
        ]
        mark = " ≠" if row["expected_end"] != row["end"] and result.movements_file else ""
        lines.append(_row(str(cell), width, [int(v) for v in values], 11) + mark)
    from dangvien_data.report.summary import load_summary_spec

    categories = load_summary_spec().data["movements"]["categories"]
    lines += ["", f"{_s('changes', lang)} ({len(result.changes)}):"]
    for change in result.changes.to_dict("records"):
        kind, before, after = str(change["kind"]), change["cell_before"], change["cell_after"]
        where = f"{before} → {after}" if kind == "move" else after if kind in ("arrival", "became_official") else before
        category = change["category"]
        label = categories.get(str(category), {}).get("en" if lang == "en" else "label", category)
        explained = "" if change["explained"] else "?"
        why = f"{label} ({change['movement_place']})" if isinstance(category, str) else explained
        lines.append(f"  {_CHANGE[kind]} {change['member']} · {where} {why}".rstrip())
    problems = [*result.differences, *result.issues]
    if problems:
        lines += ["", f"{_s('problems', lang)} ({len(problems)}):"]
        lines += [f"  {d.code}: {d.message(lang)}" for d in result.differences]
        lines += _issue_lines(result.issues, lang, {i.file for i in result.issues})  # before and after alike
    lines += ["", _s("roll_ok" if result.ok else "roll_bad", lang).format(n=len(problems))]
    return "\n".join(lines)


_D = {
    "congress": ("Ngày đại hội", "Congress date"),
    "candidates": ("nhân sự", "candidates"),
    "seats": ("chỉ tiêu", "seats"),
    "general": ("Chung", "General"),
    "eligibility": ("Điều kiện ứng cử", "Eligibility"),
    "structure": ("Cơ cấu", "Structure"),
    "age": ("{age} tuổi", "age {age}"),
}


def _d(key: str, lang: str) -> str:
    vi, en = _D[key]
    return en if lang == "en" else vi


def _known(value: Any) -> bool:
    import pandas as pd

    return not (value is None or bool(pd.isna(value)))


def _mark(value: Any) -> str:
    return ("✓" if value else "✗") if _known(value) else "?"


def _eligibility_line(report: DossierReport, idx: Any, row: Any, lang: str) -> str:
    """The verdict of :func:`~dangvien_data.dossier.verdict.verdicts`, then each condition with its figures."""
    verdict: Any = report.verdicts.loc[idx]
    text = str(verdict[f"verdict_{lang}"])
    age = f" ({_d('age', lang).format(age=int(row['age']) // 12)})" if _known(row["age"]) else ""
    name = str(report.candidates.at[idx, "full_name"])
    label = 1 if lang == "en" else 0
    checks = " · ".join(f"{names[label]} {verdict[f'{key}_{lang}']}" for key, names in report.conditions.items())
    return f"  {text[:1]} {name}{age}: {text[2:]}\n      {checks}"


def dossier_text(report: DossierReport, lang: str = "vi") -> str:
    """The dossier report for a plain terminal: date, term, issues per candidate, eligibility, structure, verdict."""
    seats = f" · {report.seats} {_d('seats', lang)}" if report.seats else ""
    lines = [
        f"{_d('congress', lang)} {report.as_of.strftime('%d/%m/%Y')} · {_t('term', lang)} {report.term} "
        f"({report.directive}) · {len(report.eligibility)} {_d('candidates', lang)}{seats}",
        *(f"  {f}" for f in report.files),
        "",
    ]
    groups: dict[str, list[Issue]] = {}
    for issue in report.issues:
        groups.setdefault(issue.member or _d("general", lang), []).append(issue)
    # the roster's places are in the messages already: a file is named when the issues come from several
    origins = {i.file for i in report.issues}
    for who, issues in groups.items():
        lines += [f"■ {who} ({len(issues)})", *_issue_lines(issues, lang, origins), ""]
    lines.append(f"{_d('eligibility', lang)}:")
    lines += [_eligibility_line(report, idx, row, lang) for idx, row in report.eligibility.iterrows()]
    lines += ["", f"{_d('structure', lang)}:"]
    label = "label_en" if lang == "en" else "label_vi"
    for _, row in report.structure.iterrows():
        count = int(row["count"]) if _known(row["count"]) else ""
        share = f"{number(float(row['percent']), lang)}%" if _known(row["percent"]) else ""
        target = f"≥ {number(float(row['target']), lang)}%" if _known(row["target"]) else ""
        ok = _mark(row["ok"]) if _known(row["ok"]) else ""
        lines.append(f"  {row[label]:<42} {count!s:>4} {share:>7} {target:>7} {ok}".rstrip())
    verdict = _t("result_ok" if report.ok else "result_bad", lang)
    lines += ["", f"{verdict}: {_counts(report.counts, lang)}"]
    return "\n".join(lines)
