"""Dossier checks: the candidate list itself, roster agreement, documents, CVs, eligibility and structure.

Each ``check_*`` takes the :class:`DossierContext` and yields issues, built only for what fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dangvien_data.domain.cells import cell_key
from dangvien_data.domain.values import DAY_FORMAT, is_missing, shown
from dangvien_data.domain.vntext import name_key, name_key_series
from dangvien_data.dossier.read import CvSheet, Dossier, DossierSpec
from dangvien_data.issues import CATALOGUE, Issue, Severity
from dangvien_data.roster.model import Roster, display
from dangvien_data.roster.normalise import parse_dates
from dangvien_data.roster.rules import Context, check_date_order, check_duplicates, check_official_date
from dangvien_data.roster.validation import missing_columns as _missing_list_columns
from dangvien_data.roster.validation import schema_issues as _list_schema_issues

__all__ = [
    "DossierContext",
    "check_candidate_list",
    "check_cvs",
    "check_documents",
    "check_roster_agreement",
    "documents_matrix",
    "match_rows",
]

_LEVEL = {"year": 0, "month": 1, "day": 2}


# --- context ----------------------------------------------------------------------------------------------


@dataclass
class DossierContext:
    """Everything a dossier check needs: what was read, the roster, the schema, the date, term and seats."""

    dossier: Dossier
    roster: Roster
    spec: DossierSpec
    day: dt.date
    term: str
    seats: int | None
    in_roster: pd.Series = field(default_factory=lambda: pd.Series(dtype="Int64"))  # candidate -> roster index

    @property
    def table(self) -> Roster:
        return self.dossier.candidates

    @property
    def frame(self) -> pd.DataFrame:
        return self.dossier.candidates.frame

    @property
    def term_rules(self) -> Mapping[str, Any]:
        return self.spec.term_rules(self.term)

    def col(self, name: str) -> pd.Series:
        """A candidate column, or an all-missing one if the list has no such column."""
        return self.frame[name] if name in self.frame else pd.Series(pd.NA, index=self.frame.index, dtype="object")

    def place(self, table: Roster, idx: Any, name: str) -> tuple[str, str | None]:
        """``(ref, header as written)`` of field ``name`` on row ``idx`` of ``table`` (name column if absent)."""
        refs = table.refs(name)
        ref = refs.loc[idx] if name in table.frame or f"{name}_col" in table.frame else pd.NA
        source = table.sources[int(cell_value(table.frame, idx, "source"))]
        if pd.isna(ref):
            return f"A{int(cell_value(table.frame, idx, 'row'))}", None
        letter = str(ref).rstrip("0123456789")
        header = next((c.header for c in source.columns.values() if c.letter == letter), None)
        return str(ref), header

    def issue(
        self, code: str, idx: Any, name: str, *, table: Roster | None = None, value: Any = None, **params: Any
    ) -> Issue:
        """An issue on row ``idx`` of ``table`` (the candidate list by default) at field ``name``."""
        table = table or self.table
        frame = table.frame
        ref, header = self.place(table, idx, name)
        if value is None and name in table.raw:
            value = table.raw.at[idx, name]
        member = frame.at[idx, "full_name"] if "full_name" in frame else None
        cell = frame.at[idx, "cell"] if "cell" in frame else None
        return Issue(
            code,
            severity_of(code),
            file=table.sources[int(cell_value(frame, idx, "source"))].file,
            sheet=str(frame.at[idx, "sheet"]),
            ref=ref,
            row=int(cell_value(frame, idx, "row")),
            column=header,
            field=name,
            value=None if is_missing(value) else display(value),
            member=None if is_missing(member) else str(member),
            cell=None if is_missing(cell) else str(cell),
            params={"member": member, **{k: v for k, v in params.items() if not is_missing(v)}},
        )


def cell_value(frame: pd.DataFrame, idx: Any, column: str) -> Any:
    """``frame.at[idx, column]`` typed as Any (the stubs' union of every scalar helps no caller here)."""
    return frame.at[idx, column]


def severity_of(code: str) -> Severity:
    return CATALOGUE[code].severity


# --- matching ---------------------------------------------------------------------------------------------


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    names = frame["full_name"] if "full_name" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    born = frame["birth_date"] if "birth_date" in frame else pd.Series(pd.NaT, index=frame.index)
    card = frame["card_number"] if "card_number" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    return pd.DataFrame(
        {
            "card": card.astype("string"),
            "name": name_key_series(names.fillna("").astype("string")).mask(names.isna()),
            "born": pd.to_datetime(born).dt.strftime("%Y%m%d").astype("string"),
        },
        index=frame.index,
    )


def match_rows(left: pd.DataFrame, right: pd.DataFrame, *, name_only: bool = False) -> pd.Series:
    """For each row of ``left`` the matching row of ``right``: same card number, else same name key and birth date,
    else (``name_only``) the only row with the same name key. NA where nothing matches."""
    lk, rk = _keys(left), _keys(right)
    by_card: dict[str, Any] = {}
    for i, c in rk["card"].dropna().items():
        by_card.setdefault(c, i)
    both = rk.dropna(subset=["name", "born"])
    by_person: dict[tuple[str, str], Any] = {}
    for i, n, b in zip(both.index, both["name"], both["born"], strict=True):
        by_person.setdefault((n, b), i)
    counts = rk["name"].value_counts()
    by_name = {n: i for i, n in rk["name"].dropna().items() if counts[n] == 1}
    out = pd.Series(pd.NA, index=left.index, dtype="object")
    for i, card, name, born in zip(lk.index, lk["card"], lk["name"], lk["born"], strict=True):
        if not is_missing(card) and card in by_card:
            out[i] = by_card[card]
        elif not is_missing(name) and not is_missing(born) and (name, born) in by_person:
            out[i] = by_person[(name, born)]
        elif name_only and not is_missing(name) and name in by_name:
            out[i] = by_name[name]
    return out


def _same(a: Any, b: Any, kind: str, precision: tuple[Any, Any] = (None, None)) -> bool:
    if kind == "date":
        levels = [_LEVEL.get(str(p), 2) if not is_missing(p) else 2 for p in precision]
        level = min(levels)
        parts = ("year", "month", "day")[: level + 1]
        return all(getattr(a, p) == getattr(b, p) for p in parts)
    if kind == "cell":
        return cell_key(str(a)) == cell_key(str(b))
    return name_key(str(a)) == name_key(str(b))


# --- checks -----------------------------------------------------------------------------------------------


def check_candidate_list(ctx: DossierContext) -> Iterator[Issue]:
    """The list's own data: required columns and values, code lists, dates, duplicates, first time / re-election."""
    spec = ctx.spec.candidates
    yield from _missing_list_columns(ctx.table, spec)
    yield from _list_schema_issues(ctx.table, spec, ctx.day)
    first, _, last = ctx.term.partition("-")
    start, end = pd.Timestamp(f"{first}-01-01"), pd.Timestamp(f"{last}-12-31")
    rctx = Context(ctx.table, spec, pd.Timestamp(ctx.day), ctx.term, start, end)
    for check in (check_official_date, check_date_order, check_duplicates):
        yield from check(rctx)
    name = next((n for n in ("election", "re_election", "first_time") if n in ctx.frame), "full_name")
    for idx in ctx.frame.index[ctx.frame["election"].isna()]:
        yield ctx.issue("election-missing", idx, name)


_ROSTER_FIELDS = (
    ("full_name", "full_name", "name"),
    ("birth_date", "birth_date", "date"),
    ("sex", "sex", "text"),
    ("admitted_on", "admitted_on", "date"),
    ("official_on", "official_on", "date"),
    ("unit", "cell", "cell"),
    ("rank", "rank", "text"),
    ("card_number", "card_number", "text"),
)


def check_roster_agreement(ctx: DossierContext) -> Iterator[Issue]:
    """Each candidate is in the roster and agrees with it; a mismatch names the roster's sheet!ref."""
    roster = ctx.roster
    for idx in ctx.frame.index:
        found = ctx.in_roster.get(idx, pd.NA)
        if is_missing(found):
            yield ctx.issue("candidate-not-in-roster", idx, "full_name")
            continue
        for mine, theirs, kind in _ROSTER_FIELDS:
            a, b = ctx.col(mine).get(idx), roster.frame[theirs].get(found) if theirs in roster.frame else None
            if is_missing(a) or is_missing(b):
                continue
            precision = (ctx.col(f"{mine}_precision").get(idx), roster.frame.get(f"{theirs}_precision", {}).get(found))
            if _same(a, b, kind, precision):
                continue
            ref = roster.refs(theirs).get(found) if theirs != "cell" else pd.NA
            ref = roster.refs("full_name").get(found) if is_missing(ref) else ref
            file, sheet = cell_value(roster.frame, found, "file"), cell_value(roster.frame, found, "sheet")
            where = f"{Path(str(file)).name} › {sheet}!{ref}"
            label = ctx.spec.candidates.fields[mine].header
            value = ctx.table.raw.at[idx, mine] if mine in ctx.table.raw else shown(a)
            yield ctx.issue("roster-mismatch", idx, mine, value=value, label=label, other=shown(b), other_place=where)


def checklist_refs(ctx: DossierContext) -> pd.Series:
    checklist = ctx.dossier.checklist
    assert checklist is not None
    return match_rows(ctx.frame, checklist.frame, name_only=True)


def check_documents(ctx: DossierContext) -> Iterator[Issue]:
    """Every required document is marked for every candidate, no later than the deadline before the congress."""
    documents = ctx.spec.documents_for(ctx.term)
    checklist = ctx.dossier.checklist
    if checklist is None:
        first = ctx.table.sources[0]
        listing = ", ".join(d.header for d in documents)
        yield Issue(
            "documents-checklist-missing",
            Severity.ERROR,
            file=first.file,
            sheet=first.sheet,
            ref="A1",
            params={"documents": listing},
        )
        return
    for source in checklist.sources:
        for doc in documents:
            if doc.key not in source.columns:
                row = source.header_rows[0]
                params = {"document": doc.header, "term": ctx.term}
                yield Issue(
                    "document-column-missing",
                    Severity.ERROR,
                    file=source.file,
                    sheet=source.sheet,
                    ref=f"A{row}",
                    row=row,
                    field=doc.key,
                    params=params,
                )
    due = _due_date(ctx)
    dates = _mark_dates(checklist.frame, [d.key for d in documents])
    rows = checklist_refs(ctx)
    for idx, found in rows.items():
        if is_missing(found):
            yield ctx.issue("documents-row-missing", idx, "full_name", count=len(documents))
            continue
        for doc in documents:
            if f"{doc.key}" not in checklist.raw or not _has_column(checklist, found, doc.key):
                continue
            text = checklist.frame.at[found, doc.key]
            if ctx.spec.is_absent(text):
                state = (
                    ("ô để trống", "the cell is empty")
                    if is_missing(text)
                    else (f'ô ghi "{text!s}"', f'marked "{text!s}"')
                )
                yield ctx.issue(
                    "document-missing",
                    found,
                    doc.key,
                    table=checklist,
                    value=text,
                    document=doc.header,
                    state=state[0],
                    state_en=state[1],
                )
                continue
            day = dates.get((found, doc.key))
            if day is not None and due is not None and day > due:
                yield ctx.issue(
                    "document-late",
                    found,
                    doc.key,
                    table=checklist,
                    document=doc.header,
                    due=due.strftime(DAY_FORMAT),
                    days=ctx.spec.due_working_days,
                    congress=ctx.day.strftime(DAY_FORMAT),
                )
    matched = set(rows.dropna())
    for idx in checklist.frame.index.difference(list(matched)):
        if not is_missing(checklist.frame.at[idx, "full_name"]):
            yield ctx.issue("documents-row-unmatched", idx, "full_name", table=checklist)


def _has_column(table: Roster, idx: Any, name: str) -> bool:
    return name in table.sources[int(cell_value(table.frame, idx, "source"))].columns


def _due_date(ctx: DossierContext) -> dt.date | None:
    days = ctx.spec.due_working_days
    if not days:
        return None
    due = np.busday_offset(np.datetime64(ctx.day, "D"), -days, roll="backward")
    return pd.Timestamp(due).date()


def _mark_dates(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[Any, str], dt.date]:
    """``{(row, document): date}`` for every checklist mark that is a full date (all parsed in one pass)."""
    present = [k for k in keys if k in frame]
    if not present or frame.empty:
        return {}
    marks = pd.concat([frame[k].astype("string") for k in present], keys=present)
    parsed = parse_dates(marks)
    levels = marks.index.get_level_values(0), marks.index.get_level_values(1)
    return {
        (row, str(key)): pd.Timestamp(day).date()
        for key, row, day, precision in zip(*levels, parsed["date"], parsed["precision"], strict=True)
        if str(precision) == "day" and not pd.isna(day)
    }


def cv_match(ctx: DossierContext) -> list[tuple[CvSheet, Any]]:
    rows = pd.DataFrame(
        {
            "full_name": [cv.get("full_name") for cv in ctx.dossier.cvs],
            "birth_date": pd.to_datetime(pd.Series([cv.get("birth_date") for cv in ctx.dossier.cvs], dtype="object")),
        }
    )
    if rows.empty:
        return []
    found = match_rows(rows, ctx.frame, name_only=True)
    return list(zip(ctx.dossier.cvs, found.tolist(), strict=True))


def _cv_issue(code: str, cv: CvSheet, name: str, ref: str, value: Any, member: Any, **params: Any) -> Issue:
    found = cv.values.get(name)
    return Issue(
        code,
        severity_of(code),
        file=cv.file,
        sheet=cv.sheet,
        ref=ref,
        row=int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
        column=found.label if found else None,
        field=name,
        value=None if is_missing(value) else str(value),
        member=None if is_missing(member) else str(member),
        params=params,
    )


def check_cvs(ctx: DossierContext) -> Iterator[Issue]:
    """Each CV has every required field and agrees with the candidate list; unmatched CVs are reported."""
    seen: set[Any] = set()
    for cv, idx in cv_match(ctx):
        name = cv.get("full_name")
        if is_missing(idx):
            found = cv.values.get("full_name")
            who = name if not is_missing(name) else f"trang {cv.sheet}"
            yield _cv_issue("cv-unmatched", cv, "full_name", found.ref if found else "A1", who, name)
            continue
        seen.add(idx)
        member = ctx.frame.at[idx, "full_name"]
        for spec in ctx.spec.cv_fields.values():
            found = cv.values.get(spec.name)
            if spec.required and (found is None or found.text is None):
                label = found.label if found else spec.labels[0]
                yield _cv_issue(
                    "cv-field-missing", cv, spec.name, found.ref if found else "A1", None, member, label=label
                )
                continue
            if not spec.compare or found is None or is_missing(found.value) or spec.name not in ctx.frame:
                continue
            mine = ctx.frame.at[idx, spec.name]
            if is_missing(mine):
                continue
            kind = ctx.spec.candidates.fields[spec.name].type if spec.name in ctx.spec.candidates.fields else "text"
            if _same(found.value, mine, kind, (found.precision, ctx.col(f"{spec.name}_precision").get(idx))):
                continue
            ref = ctx.place(ctx.table, idx, spec.name)[0]
            place = f"{cell_value(ctx.frame, idx, 'sheet')}!{ref}"
            yield _cv_issue(
                "cv-mismatch",
                cv,
                spec.name,
                found.ref,
                found.text,
                member,
                label=found.label,
                other=shown(mine),
                other_place=place,
            )
    if ctx.spec.cv_required:
        for idx in ctx.frame.index.difference(list(seen)):
            yield ctx.issue("cv-sheet-missing", idx, "full_name")


def documents_matrix(ctx: DossierContext) -> pd.DataFrame:
    """One row per candidate, one column per required document: the mark as written, "" where missing."""
    documents = ctx.spec.documents_for(ctx.term)
    checklist = ctx.dossier.checklist
    matched = checklist_refs(ctx) if checklist is not None else pd.Series(pd.NA, index=ctx.frame.index)
    out = pd.DataFrame(index=ctx.frame.index)
    for doc in documents:
        values = []
        for found in matched:
            text = None
            if checklist is not None and not is_missing(found) and _has_column(checklist, found, doc.key):
                text = checklist.raw.at[found, doc.key]
            values.append("" if ctx.spec.is_absent(text) else display(text))
        out[doc.key] = values
    out["complete"] = (out[[d.key for d in documents]] != "").all(axis=1)
    return out
