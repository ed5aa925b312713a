"""Validate a roster: the pandera schema compiled from schemas/, then the cross-row rules; one Report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dangvien_data import options, status
from dangvien_data.domain.dates import as_date
from dangvien_data.io.output import iter_json
from dangvien_data.issues import CATALOGUE, RECORD_KEYS, Issue, Severity, count_by_severity
from dangvien_data.roster.model import Roster, issues_at
from dangvien_data.roster.rules import ALL_CHECKS, Context, suggest
from dangvien_data.roster.schemas import CHECK_CODES, RosterSpec, compile_schema, load_roster_spec, slug

__all__ = ["Report", "missing_columns", "prepare", "schema_issues", "validate"]

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Report:
    """The result of :func:`validate`: every issue found, in one pass."""

    issues: list[Issue]
    as_of: dt.date
    term: str
    files: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Issues per severity."""
        return count_by_severity(self.issues)

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return self.counts["error"] == 0

    def by_code(self) -> dict[str, int]:
        """How many issues of each code."""
        counts: dict[str, int] = {}
        for issue in self.issues:
            counts[issue.code] = counts.get(issue.code, 0) + 1
        return counts

    def to_frame(self, lang: str = "vi") -> pd.DataFrame:
        """One row per issue, the columns of the JSON record."""
        return pd.DataFrame([i.to_dict(lang) for i in self.issues], columns=list(RECORD_KEYS))

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON object of docs/architecture.md."""
        return self._json_object(lang, list)

    def _json_object(self, lang: str, records: Callable[[Iterator[dict[str, Any]]], Iterable[Any]]) -> dict[str, Any]:
        counts = self.counts
        return {
            "as_of": self.as_of.isoformat(),
            "term": self.term,
            "files": self.files,
            "ok": counts["error"] == 0,
            "counts": counts,
            "issues": records(i.to_dict(lang) for i in self.issues),
        }

    def to_json(self, lang: str = "vi", indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, Vietnamese kept readable), one issue record per line."""
        if indent is None:
            return json.dumps(self.to_dict(lang), ensure_ascii=False)
        return "".join(self.iter_json(lang, indent))

    def iter_json(self, lang: str = "vi", indent: int = 2) -> Iterator[str]:
        """:meth:`to_json` in pieces, one per issue record: ``sys.stdout.writelines(report.iter_json())`` writes
        a big report without holding it, or its records, whole in memory (see
        :func:`~dangvien_data.io.output.iter_json`).
        """
        # a subclass may add keys to to_dict; a plain report makes its issue records one at a time
        lazy = type(self).to_dict is Report.to_dict
        return iter_json(self._json_object(lang, iter) if lazy else self.to_dict(lang), indent)


_USE = {
    "count": ("cột này cần cho số liệu tổng hợp", "the counts need this column"),
    "rule": ("cột này cần cho việc kiểm tra", "the checks need this column"),
    "record": ("cột này chỉ để hồ sơ đầy đủ", "it only completes the record"),
}


def missing_columns(roster: Roster, spec: RosterSpec) -> list[Issue]:
    """A required column a sheet lacks, once per sheet: an error when a count or a rule needs it (``use`` in
    schemas/roster.yaml), a warning when it only completes the record; with the unknown column it resembles."""
    issues = []
    for source in roster.sources:
        have = {name.split("__")[0] for name in source.columns}
        resembling = {closest: (letter, header) for letter, header, closest in source.unknown if closest}
        for fs in spec.fields.values():
            if (
                fs.required is True
                and fs.name not in have
                and not (fs.name == "sex" and "birth_date" in have and any("__" in n for n in source.columns))
            ):
                row = source.header_rows[0]
                use_vi, use_en = _USE.get(fs.use, _USE["rule"])
                near = resembling.get(fs.name)
                issues.append(
                    Issue(
                        "missing-column",
                        Severity.WARNING if fs.use == "record" else Severity.ERROR,
                        file=source.file,
                        sheet=source.sheet,
                        ref=f"A{row}",
                        row=row,
                        field=fs.name,
                        params={
                            "header": fs.header,
                            "field": fs.name,
                            "use_vi": use_vi,
                            "use_en": use_en,
                            "hint_vi": f' Cột {near[0]} "{near[1]}" có phải là cột này?' if near else "",
                            "hint_en": f' Is column {near[0]} "{near[1]}" this one?' if near else "",
                        },
                    )
                )
    return issues


def prepare(spec: RosterSpec | None = None, *, as_of: dt.date | str) -> None:
    """Do the one-off work of :func:`validate` ahead of time: import pandera, load the spec, compile the schema.

    Thread-safe, so it can run on a background thread while the workbook is read; the later :func:`validate`
    with the same spec (default: ``schemas/``) and ``as_of`` then finds everything ready.
    """
    as_of = options.date(as_of, "as_of")
    import pandera.errors  # noqa: F401  (what schema_issues catches)

    compile_schema(spec or load_roster_spec(), as_of=as_date(as_of).isoformat())


def schema_issues(roster: Roster, spec: RosterSpec, as_of: dt.date) -> list[Issue]:
    """Run the compiled pandera schema lazily; translate each failure case to an issue at its ref."""
    import pandera.errors

    schema = compile_schema(spec, as_of=as_of.isoformat())
    frame = roster.frame
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    else:
        return []
    failures = failures[failures["index"].notna() & failures["column"].notna()]
    issues: list[Issue] = []
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        field_name = str(column).removesuffix("_invalid")
        prefix = str(check).split("(")[0]
        code = CHECK_CODES.get(prefix, "").format(slug=slug(field_name))
        if code not in CATALOGUE:
            continue
        at = frame.index.get_indexer(group["index"].astype("int64").to_numpy())
        mask = pd.Series(False, index=frame.index)
        mask.iloc[at[at >= 0]] = True
        if code == "missing-value":
            # a value written but unusable (an invalid date) is reported as such, not as missing
            mask &= _column_present(roster, field_name)
            if field_name in roster.raw:
                mask &= roster.raw[field_name].isna()
        issues += issues_at(
            frame,
            roster.sources,
            mask,
            code,
            field_name,
            raw=roster.raw,
            params=_params(roster, spec, field_name, code, mask, as_of),
        )
    return issues


def _column_present(roster: Roster, field_name: str) -> pd.Series:
    present = {
        i
        for i, s in enumerate(roster.sources)
        if field_name in s.columns or any(n.startswith(field_name + "__") for n in s.columns)
    }
    return roster.frame["source"].isin(present)


def _params(
    roster: Roster, spec: RosterSpec, field_name: str, code: str, mask: pd.Series, as_of: dt.date
) -> pd.DataFrame:
    frame = roster.frame
    rows = frame.index[mask.to_numpy()]  # the failing rows only
    earliest = spec.rules.get("plausible-dates", {}).get(
        "earliest_admission" if field_name == "admitted_on" else "earliest_birth", ""
    )
    params: dict[str, Any] = {"as_of": as_of.strftime("%d/%m/%Y"), "earliest": str(earliest)}
    if code.startswith("unknown-"):
        codes = spec.codes[spec.fields[field_name].codes or field_name]
        values = frame.loc[rows, field_name].astype("string")
        hints = {v: suggest(v, list(codes.values)) for v in values.dropna().unique()}
        guesses = [hints.get(v) if isinstance(v, str) else None for v in values]
        params["title"] = codes.title
        params["hint_vi"] = [f' Có phải là "{g}"?' if g else "" for g in guesses]
        params["hint_en"] = [f' Did you mean "{g}"?' if g else "" for g in guesses]
    return pd.DataFrame(params, index=rows)


def _drop_repeats(issues: list[Issue], reader_issues: list[Issue]) -> list[Issue]:
    """A value already reported unusable by the reader (e.g. sex in both columns) is not also 'missing'."""
    taken = {(i.file, i.sheet, i.row, i.field) for i in reader_issues if i.severity == Severity.ERROR}
    return [i for i in issues if not (i.code == "missing-value" and (i.file, i.sheet, i.row, i.field) in taken)]


def _sort_key(issue: Issue) -> tuple[Any, ...]:
    return (
        issue.file or "",
        issue.sheet or "",
        issue.row or 0,
        len(issue.ref or ""),
        issue.ref or "",
        _SEVERITY_ORDER[issue.severity],
        issue.code,
    )


def validate(
    roster: Roster, *, as_of: dt.date | str, term: str = "2020-2025", spec: RosterSpec | None = None
) -> Report:
    """Check a roster against schemas/ and the Party's rules; collect every problem in one pass.

    Args:
        roster: what :func:`~dangvien_data.roster.reader.read_roster` returned.
        as_of: the date every date rule is evaluated at (a ``date`` or ISO text); required, never silently today.
            Always printed in reports.
        term: the congress term, e.g. ``"2020-2025"``; selects the rules and the term end for warnings.
        spec: the roster schema; default ``schemas/roster.yaml``.

    Returns:
        A :class:`Report` holding the reader's issues and the validation issues, sorted by place.

    Raises:
        SchemaFileError: a file under ``schemas/`` is missing or unusable.

    Example:
        >>> report = validate(read_roster("sample_data/danh_sach_dang_vien.xlsx"), as_of="2020-03-31")  # doctest: +SKIP
        >>> report.ok                                                                                   # doctest: +SKIP
        True
    """
    as_of, term = options.date(as_of, "as_of"), options.term(term)
    spec = spec or load_roster_spec()
    day = as_date(as_of)
    start, end = spec.term_dates(term)
    ctx = Context(roster, spec, pd.Timestamp(day), term, start, end)
    found = missing_columns(roster, spec) + schema_issues(roster, spec, day)
    for check in ALL_CHECKS:
        found.extend(check(ctx))
    status.note(members=len(roster))
    found = _drop_repeats(found, roster.issues)
    issues = sorted([*roster.issues, *found], key=_sort_key)
    return Report(issues=issues, as_of=day, term=term, files=roster.files)
