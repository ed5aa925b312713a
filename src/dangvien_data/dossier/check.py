"""Check congress dossiers and report: the entry point :func:`check_dossier` and the :class:`DossierReport`.

Reading is in :mod:`~dangvien_data.dossier.read`, the service-time arithmetic in :mod:`~dangvien_data.dossier.rules`,
the checks in :mod:`~dangvien_data.dossier.checks` and :mod:`~dangvien_data.dossier.eligibility`, the verdicts in
:mod:`~dangvien_data.dossier.verdict`, the results workbook in :mod:`~dangvien_data.dossier.workbook`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dangvien_data import options
from dangvien_data.domain.dates import optional_date
from dangvien_data.domain.values import is_missing
from dangvien_data.dossier.checks import (
    DossierContext,
    check_candidate_list,
    check_cvs,
    check_documents,
    check_roster_agreement,
    documents_matrix,
    match_rows,
)
from dangvien_data.dossier.eligibility import check_eligibility, check_structure, eligibility, structure
from dangvien_data.dossier.read import Dossier, DossierSpec, load_dossier_spec, read_dossier
from dangvien_data.dossier.verdict import condition_sources, verdicts
from dangvien_data.dossier.workbook import write_dossier_workbook
from dangvien_data.errors import InputError
from dangvien_data.issues import Issue, Severity
from dangvien_data.roster.model import Roster, SheetSource
from dangvien_data.roster.reader import read_roster
from dangvien_data.roster.validation import Report

__all__ = ["DossierReport", "check_dossier", "read_dossier", "write_dossier_workbook"]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


# --- report and entry point -------------------------------------------------------------------------------


@dataclass
class DossierReport(Report):
    """The result of :func:`check_dossier`: the issues (``as_of`` is the congress date) and three tables.

    ``eligibility`` has one row per candidate (``age`` and ``party_age`` in months, ``months_left``,
    ``threshold``, ``official``, ``service_ok`` …), ``structure`` one row per metric, ``documents`` one row per
    candidate and one column per required document, ``verdicts`` one row per candidate: each condition and the
    verdict (:func:`~dangvien_data.dossier.verdict.verdicts`).
    """

    seats: int | None = None
    directive: str = ""
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    eligibility: pd.DataFrame = field(default_factory=pd.DataFrame)
    structure: pd.DataFrame = field(default_factory=pd.DataFrame)
    documents: pd.DataFrame = field(default_factory=pd.DataFrame)
    document_headers: dict[str, str] = field(default_factory=dict)
    verdicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    conditions: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # key -> (label vi, label en, source)
    sources: list[SheetSource] = field(default_factory=list)  # the candidate list's sheets (their title rows)

    def candidate_rows(self, lang: str = "vi") -> list[dict[str, Any]]:
        """Eligibility per candidate as JSON-ready records (no birth dates: ages only)."""
        out = []
        for idx in self.eligibility.index:
            row: Any = self.eligibility.loc[idx]
            person: Any = self.candidates.loc[idx]
            out.append(
                {
                    "name": person.get("full_name"),
                    "cell": None if is_missing(person.get("cell")) else person.get("cell"),
                    "sheet": str(person.get("sheet")),
                    "row": int(person["row"]),
                    "age_years": None if is_missing(row["age"]) else int(row["age"]) // 12,
                    "party_age_years": None if is_missing(row["party_age"]) else int(row["party_age"]) // 12,
                    "official": _bool(row["official"]),
                    "months_left": None if is_missing(row["months_left"]) else int(row["months_left"]),
                    "threshold": int(row["threshold"]),
                    "basis": _text(row["basis_en" if lang == "en" else "basis_vi"]),
                    "service_ok": _bool(row["service_ok"]),
                    "in_roster": bool(row["in_roster"]),
                    "documents_complete": bool(self.documents.at[idx, "complete"]) if len(self.documents) else None,
                    **self._verdict(idx, lang),
                }
            )
        return out

    def _verdict(self, idx: Any, lang: str) -> dict[str, Any]:
        """The verdict of :func:`~dangvien_data.dossier.verdict.verdicts`: ``eligible`` is true only when every
        condition holds, false when one fails, null when the candidate is to be reviewed."""
        row: Any = self.verdicts.loc[idx]
        verdict = str(row["verdict"])
        return {
            "eligible": {"eligible": True, "not-eligible": False}.get(verdict),
            "verdict": verdict,
            "verdict_text": str(row[f"verdict_{lang}"]),
            "failed": list(row["failed"]),
            "conditions": {key: {"state": row[key], "text": row[f"{key}_{lang}"]} for key in self.conditions},
        }

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON object of docs/architecture.md (``as_of`` = the congress date) plus candidates and structure."""
        data = super().to_dict(lang)
        label = "label_en" if lang == "en" else "label_vi"
        data.update(
            {
                "congress_date": self.as_of.isoformat(),
                "directive": self.directive,
                "seats": self.seats,
                "candidates": self.candidate_rows(lang),
                "structure": [
                    {
                        "metric": r["metric"],
                        "label": r[label],
                        "count": None if is_missing(r["count"]) else int(r["count"]),
                        "percent": None if is_missing(r["percent"]) else float(r["percent"]),
                        "target": None if is_missing(r["target"]) else r["target"],
                        "ok": _bool(r["ok"]),
                    }
                    for _, r in self.structure.iterrows()
                ],
            }
        )
        return data


def _text(value: Any) -> str | None:
    return None if is_missing(value) else str(value)


def _bool(value: Any) -> bool | None:
    return None if is_missing(value) else bool(value)


def _sort_key(issue: Issue) -> tuple[Any, ...]:
    ref = issue.ref or ""
    return (issue.file or "", issue.sheet or "", issue.row or 0, len(ref), ref, _ORDER[issue.severity], issue.code)


def _resolve_election(ctx: DossierContext) -> None:
    """One ``election`` value per candidate, from its own column or from the two mark columns."""
    frame = ctx.frame
    values = ctx.spec.candidates.codes["election"].values
    first = ctx.col("first_time").map(lambda v: not ctx.spec.is_absent(v))
    again = ctx.col("re_election").map(lambda v: not ctx.spec.is_absent(v))
    derived = pd.Series(pd.NA, index=frame.index, dtype="object")
    derived[first & ~again] = values[0]
    derived[again & ~first] = values[1]
    own = ctx.col("election").astype("object")  # an unknown value stays, to be reported as such
    frame["election"] = own.where(own.notna(), derived).astype("object")


def _congress_day(value: dt.date | str | None, rules: Mapping[str, Any], term: str) -> dt.date:
    day = optional_date(value, name="congress_date") or optional_date(rules.get("congress_date"), name="congress_date")
    if day is None:
        raise InputError(
            f"Cần ngày đại hội (--congress-date) cho nhiệm kỳ {term}: schemas/dossier.yaml không có ngày mặc định.",
            f"The congress date (--congress-date) is needed for term {term}: schemas/dossier.yaml has no default.",
        )
    return day


def check_dossier(
    dossier: Dossier | str | Path | Sequence[str | Path],
    roster: Roster | str | Path | Sequence[str | Path],
    *,
    congress_date: dt.date | str | None = None,
    term: str = "2020-2025",
    seats: int | None = None,
    spec: DossierSpec | None = None,
) -> DossierReport:
    """Check candidate dossiers against the documents list, the roster, the CVs and the term's rules.

    Args:
        dossier: what :func:`~dangvien_data.dossier.read.read_dossier` returned, or the workbooks to read.
        roster: what :func:`~dangvien_data.roster.reader.read_roster` returned, or the roster workbooks.
        congress_date: the date eligibility is evaluated at; default the term's ``congress_date`` in
            schemas/dossier.yaml (2025–2030: 01/04/2025, CT 45). Always printed.
        term: the congress term, e.g. ``"2020-2025"``: selects thresholds, documents and retirement ages.
        seats: the number of committee members to elect (default ``rules.candidates.seats``); without it the
            candidate surplus is not checked.
        spec: the dossier schema; default ``schemas/dossier.yaml``.

    Returns:
        A :class:`DossierReport`.

    Raises:
        InputError: no congress date, an unknown term, fewer than one seat, no candidate list.
        WorkbookError: a file cannot be read.

    Example:
        >>> report = check_dossier("sample_data/ho_so_nhan_su.xlsx", "sample_data/danh_sach_dang_vien.xlsx",
        ...                        congress_date="2020-06-15", seats=12)  # doctest: +SKIP
        >>> report.by_code()["document-missing"]                          # doctest: +SKIP
        2
    """
    congress_date, term = options.optional_date(congress_date, "congress_date"), options.term(term)
    seats = options.optional_integer(seats, "seats", minimum=1, maximum=options.MAX_COUNT)
    spec = spec or load_dossier_spec()
    rules = spec.term_rules(term)
    spec.documents_for(term)
    day = _congress_day(congress_date, rules, term)
    seats = seats if seats is not None else spec.rules.get("candidates", {}).get("seats")
    if seats is not None and int(seats) < 1:
        raise InputError(f"Số cần bầu --seats {seats} phải ≥ 1.", f"--seats {seats} must be at least 1.")
    if not isinstance(dossier, Dossier):
        dossier = read_dossier(dossier, spec=spec)
    if not isinstance(roster, Roster):
        roster = read_roster(roster, spec=spec.roster)
    ctx = DossierContext(dossier, roster, spec, day, term, None if seats is None else int(seats))
    ctx.in_roster = match_rows(ctx.frame, roster.frame)
    found_cells = ctx.in_roster.map(lambda i: None if is_missing(i) else roster.frame.at[i, "cell"])
    ctx.frame["cell"] = found_cells.where(found_cells.notna(), ctx.col("unit")).astype("object")
    _resolve_election(ctx)
    table = eligibility(ctx)
    shape = structure(ctx, table)
    issues = [
        *dossier.issues,
        *check_candidate_list(ctx),
        *check_roster_agreement(ctx),
        *check_documents(ctx),
        *check_cvs(ctx),
        *check_eligibility(ctx, table),
        *check_structure(ctx, shape),
    ]
    documents = documents_matrix(ctx)
    sources = condition_sources(spec, term)
    return DossierReport(
        issues=sorted(issues, key=_sort_key),
        as_of=day,
        term=term,
        files=[*dossier.files, *roster.files],
        seats=ctx.seats,
        directive=str(rules.get("directive", "")),
        candidates=ctx.frame,
        eligibility=table,
        structure=shape,
        documents=documents,
        document_headers={d.key: d.header for d in spec.documents_for(term)},
        verdicts=verdicts(ctx, table, documents, issues),
        conditions={k: (c.label_vi, c.label_en, sources[k]) for k, c in spec.conditions.items()},
        sources=list(dossier.candidates.sources),
    )
