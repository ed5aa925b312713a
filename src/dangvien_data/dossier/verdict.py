"""One verdict per candidate, from every condition of schemas/dossier.yaml ``conditions``, with its figures.

A candidate is eligible ("Đủ điều kiện") only when every condition holds: on the roster and agreeing with it,
an official member at the congress date, enough months of service left, documents complete, the CV agreeing
with the list. A failed condition makes the verdict ✗ and is named; a condition that cannot be decided, or any
error or warning still open on the candidate's rows, makes it "cần xem lại" (to review), never ✓. The text
output, the JSON and the results workbook all show what :func:`verdicts` returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from dangvien_data.catalogue import READING
from dangvien_data.domain.values import DAY_FORMAT, is_missing
from dangvien_data.issues import CATALOGUE, Issue, Severity

if TYPE_CHECKING:
    from dangvien_data.dossier.checks import DossierContext
    from dangvien_data.dossier.read import DossierSpec

__all__ = ["MARKS", "Check", "condition_sources", "verdicts"]

OK, FAIL, UNKNOWN, NOT_APPLICABLE = "ok", "fail", "unknown", "n/a"
MARKS = {OK: "✓", FAIL: "✗", UNKNOWN: "?", NOT_APPLICABLE: "—"}
ELIGIBLE, NOT_ELIGIBLE, REVIEW = "eligible", "not-eligible", "review"


@dataclass(frozen=True)
class Check:
    """One condition for one candidate: its state (ok, fail, unknown, n/a) and its figures in both languages."""

    state: str
    vi: str
    en: str

    def text(self, lang: str) -> str:
        """ "✓ còn 140 tháng (cần ≥ 30)": the mark and the figures."""
        return f"{MARKS[self.state]} {self.en if lang == 'en' else self.vi}".rstrip()


def _day(value: Any) -> str:
    return value.strftime(DAY_FORMAT) if isinstance(value, dt.date | pd.Timestamp) and not is_missing(value) else ""


def condition_sources(spec: DossierSpec, term: str) -> dict[str, str]:
    """The legal source of each condition, with the term's parameters filled in ("{directive}", thresholds)."""
    values: dict[str, Any] = {"due_working_days": spec.due_working_days}
    values.update({k: v for k, v in spec.term_rules(term).items() if not isinstance(v, dict)})
    out = {}
    for key, condition in spec.conditions.items():
        try:
            out[key] = condition.source.format(**values)
        except (KeyError, IndexError, ValueError):
            out[key] = condition.source
    return out


# --- attributing issues to candidates ---------------------------------------------------------------------


def _issues_by_candidate(ctx: DossierContext, issues: Iterable[Issue]) -> dict[Any, list[Issue]]:
    """The issues on each candidate's rows: its candidate-list row, its checklist row, its CV sheet."""
    from dangvien_data.dossier.checks import checklist_refs, cv_match

    frame = ctx.frame
    rows: dict[tuple[str, str, int], Any] = {}
    for idx, file, sheet, row in zip(frame.index, _files(ctx.table), frame["sheet"], frame["row"], strict=True):
        rows[(file, str(sheet), int(row))] = idx
    checklist = ctx.dossier.checklist
    if checklist is not None:
        frame_c = checklist.frame
        places = zip(frame_c.index, _files(checklist), frame_c["sheet"], frame_c["row"], strict=True)
        where = {found: (file, str(sheet), int(row)) for found, file, sheet, row in places}
        for idx, found in checklist_refs(ctx).items():
            if not is_missing(found):
                rows.setdefault(where[found], idx)
    sheets = {(cv.file, cv.sheet): idx for cv, idx in cv_match(ctx) if not is_missing(idx)}
    # An error of the candidate list's own sheet (a required column missing) concerns every candidate on it.
    headers: dict[tuple[str, str, int], list[Any]] = {}
    for number, source in enumerate(ctx.table.sources):
        on_it = frame.index[frame["source"] == number].tolist()
        for row in source.header_rows:
            headers.setdefault((source.file, source.sheet, row), []).extend(on_it)
    reading = {r.code for r in READING}
    out: dict[Any, list[Issue]] = {idx: [] for idx in frame.index}
    for issue in issues:
        file, sheet = issue.file or "", issue.sheet or ""
        if issue.code in reading and issue.severity == Severity.ERROR:
            for idx in headers.get((file, sheet, issue.row or 0), []):
                out[idx].append(issue)
        idx = rows.get((file, sheet, issue.row or 0)) if issue.row else None
        if idx is None:
            idx = sheets.get((file, sheet))
        if idx is not None:
            out[idx].append(issue)
    return out


def _files(table: Any) -> list[str]:
    return [table.sources[int(s)].file for s in table.frame["source"]]


def _open(issues: Sequence[Issue], codes: Iterable[str], severity: Severity) -> list[Issue]:
    wanted = set(codes)
    return [i for i in issues if i.code in wanted and i.severity == severity]


def _labels(ctx: DossierContext, issues: Iterable[Issue]) -> str:
    """The fields the issues are about, by their header in schemas/dossier.yaml or the label as written (the
    sheet's own words, in either language, as the messages quote them)."""
    names = []
    for issue in issues:
        spec = ctx.spec.candidates.fields.get(issue.field or "")
        documents = ctx.spec.documents.get(issue.field or "")
        text = spec.header if spec else (issue.column or (documents.header if documents else issue.field))
        names.append(str(text))
    return ", ".join(dict.fromkeys(names))


# --- the conditions ---------------------------------------------------------------------------------------


def _roster(ctx: DossierContext, issues: Sequence[Issue]) -> Check:
    if any(i.code == "candidate-not-in-roster" for i in issues):
        return Check(FAIL, "không có trong DS đảng viên", "not on the roster")
    wrong = [i for i in issues if i.code == "roster-mismatch"]
    if wrong:
        return Check(FAIL, f"lệch: {_labels(ctx, wrong)}", f"differs: {_labels(ctx, wrong)}")
    return Check(OK, "khớp", "agrees")


def _official(row: Any) -> Check:
    since = _day(row["official_on"])
    if is_missing(row["official"]):
        return Check(UNKNOWN, "thiếu ngày vào Đảng", "admission date missing")
    if row["official"]:
        return Check(OK, f"chính thức từ {since}", f"official since {since}")
    return Check(FAIL, f"dự bị, chính thức từ {since}", f"probationary until {since}")


def _service(row: Any) -> Check:
    need = int(row["threshold"])
    if is_missing(row["months_left"]):
        vi = row["reason_vi"] if isinstance(row["reason_vi"], str) else "không tính được"
        en = row["reason_en"] if isinstance(row["reason_en"], str) else "cannot be computed"
        return Check(UNKNOWN, f"{vi} (cần ≥ {need} tháng)", f"{en} (needs ≥ {need} months)")
    left = int(row["months_left"])
    state = OK if left >= need else FAIL
    return Check(state, f"còn {left} tháng (cần ≥ {need})", f"{left} months left (needs ≥ {need})")


def _documents(ctx: DossierContext, idx: Any, documents: pd.DataFrame, issues: Sequence[Issue]) -> Check:
    codes = ctx.spec.conditions["documents"].codes if "documents" in ctx.spec.conditions else frozenset()
    if ctx.dossier.checklist is None:
        return Check(FAIL, "không có danh mục hồ sơ", "no documents checklist")
    if any(i.code == "documents-row-missing" for i in issues):
        return Check(FAIL, "không có dòng trong danh mục hồ sơ", "no row in the documents checklist")
    marks = documents.loc[idx].drop("complete")
    have, total = int((marks != "").sum()), len(marks)
    absent = [ctx.spec.documents[str(k)].header for k, v in marks.items() if v == ""]
    if absent:
        return Check(
            FAIL, f"{have}/{total}, thiếu: {', '.join(absent)}", f"{have}/{total}, missing: {', '.join(absent)}"
        )
    late = _open(issues, codes, Severity.WARNING)
    if late:
        return Check(
            UNKNOWN, f"{have}/{total}, {len(late)} nộp sau hạn", f"{have}/{total}, {len(late)} after the deadline"
        )
    return Check(OK, f"{have}/{total}", f"{have}/{total}")


def _cv(ctx: DossierContext, sheet: str | None, issues: Sequence[Issue]) -> Check:
    codes = ctx.spec.conditions["cv"].codes if "cv" in ctx.spec.conditions else frozenset()
    errors = _open(issues, codes, Severity.ERROR)
    if sheet is None:
        if errors or ctx.spec.cv_required:
            return Check(FAIL, "không có sơ yếu lý lịch", "no CV sheet")
        return Check(NOT_APPLICABLE, "chưa có (không bắt buộc)", "none (not required)")
    parts_vi, parts_en = [], []
    for code, vi, en in (("cv-mismatch", "lệch", "differs"), ("cv-field-missing", "thiếu", "missing")):
        found = [i for i in errors if i.code == code]
        if found:
            parts_vi.append(f"{vi}: {_labels(ctx, found)}")
            parts_en.append(f"{en}: {_labels(ctx, found)}")
    if parts_vi or errors:
        return Check(FAIL, f"{sheet}, {'; '.join(parts_vi)}", f"{sheet}, {'; '.join(parts_en)}")
    return Check(OK, f"khớp ({sheet})", f"agrees ({sheet})")


# --- the verdict ------------------------------------------------------------------------------------------


def _checks(
    ctx: DossierContext, idx: Any, row: Any, documents: pd.DataFrame, issues: Sequence[Issue], sheet: str | None
) -> dict[str, Check]:
    made = {
        "roster": lambda: _roster(ctx, issues),
        "official": lambda: _official(row),
        "service": lambda: _service(row),
        "documents": lambda: _documents(ctx, idx, documents, issues),
        "cv": lambda: _cv(ctx, sheet, issues),
    }
    out = {}
    for key, condition in ctx.spec.conditions.items():
        check = made[key]() if key in made else Check(OK, "", "")
        # an open error of the condition's own codes always fails it, whatever the figures say
        if check.state in {OK, UNKNOWN, NOT_APPLICABLE} and _open(issues, condition.codes, Severity.ERROR):
            titles = _titles(_open(issues, condition.codes, Severity.ERROR))
            check = Check(FAIL, f"{check.vi}; {titles[0]}".strip("; "), f"{check.en}; {titles[1]}".strip("; "))
        elif check.state == OK and _open(issues, condition.codes, Severity.WARNING):
            check = Check(UNKNOWN, check.vi, check.en)
        out[key] = check
    return out


def _titles(issues: Iterable[Issue]) -> tuple[str, str]:
    rules = [CATALOGUE[i.code] for i in issues]
    vi = ", ".join(dict.fromkeys(r.title_vi for r in rules))
    en = ", ".join(dict.fromkeys(r.title_en for r in rules))
    return vi, en


def _verdict(ctx: DossierContext, checks: Mapping[str, Check], issues: Sequence[Issue]) -> dict[str, Any]:
    conditions = ctx.spec.conditions
    failed = [k for k, c in checks.items() if c.state == FAIL]
    if failed:
        vi = ", ".join(conditions[k].label_vi for k in failed)
        en = ", ".join(conditions[k].label_en for k in failed)
        return {
            "verdict": NOT_ELIGIBLE,
            "failed": failed,
            "verdict_vi": f"✗ Không đủ điều kiện: {vi}",
            "verdict_en": f"✗ Not eligible: {en}",
        }
    unknown = [k for k, c in checks.items() if c.state == UNKNOWN]
    covered = {code for k in conditions for code in conditions[k].codes}
    other = [i for i in issues if i.code not in covered and i.severity in {Severity.ERROR, Severity.WARNING}]
    if unknown or other:
        titles = _titles(other)
        vi = ", ".join([*(conditions[k].label_vi for k in unknown), *filter(None, [titles[0]])])
        en = ", ".join([*(conditions[k].label_en for k in unknown), *filter(None, [titles[1]])])
        return {"verdict": REVIEW, "failed": [], "verdict_vi": f"? Cần xem lại: {vi}", "verdict_en": f"? Review: {en}"}
    return {"verdict": ELIGIBLE, "failed": [], "verdict_vi": "✓ Đủ điều kiện", "verdict_en": "✓ Eligible"}


def verdicts(
    ctx: DossierContext, table: pd.DataFrame, documents: pd.DataFrame, issues: Sequence[Issue]
) -> pd.DataFrame:
    """One row per candidate: each condition's state and figures, and the verdict.

    Columns: for each condition key of schemas/dossier.yaml ``conditions`` (``roster``, ``official``,
    ``service``, ``documents``, ``cv``): ``<key>`` (``"ok"``, ``"fail"``, ``"unknown"``, ``"n/a"``),
    ``<key>_vi`` and ``<key>_en`` (the mark and the figures, e.g. ``"✓ còn 140 tháng (cần ≥ 30)"``); then
    ``verdict`` (``"eligible"``, ``"not-eligible"``, ``"review"``), ``failed`` (the failed condition keys),
    ``verdict_vi`` and ``verdict_en``.

    Args:
        ctx: the dossier context.
        table: :func:`~dangvien_data.dossier.eligibility.eligibility`.
        documents: :func:`~dangvien_data.dossier.checks.documents_matrix`.
        issues: every issue found (those on a candidate's rows decide the verdict with the figures).
    """
    from dangvien_data.dossier.checks import cv_match

    by_candidate = _issues_by_candidate(ctx, issues)
    sheets: dict[Any, str] = {}
    for cv, idx in cv_match(ctx):
        if not is_missing(idx):
            sheets.setdefault(idx, cv.sheet)
    rows = []
    for idx in ctx.frame.index:
        mine = by_candidate[idx]
        checks = _checks(ctx, idx, table.loc[idx], documents, mine, sheets.get(idx))
        row: dict[str, Any] = {}
        for key, check in checks.items():
            row.update({key: check.state, f"{key}_vi": check.text("vi"), f"{key}_en": check.text("en")})
        row.update(_verdict(ctx, checks, mine))
        rows.append(row)
    return pd.DataFrame(rows, index=ctx.frame.index)
