"""One function per command: what ``dangvien validate`` does, for scripts (the command line calls the same)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dangvien_data import options

if TYPE_CHECKING:
    from dangvien_data.report.rollforward import RollForward
    from dangvien_data.report.summary import Summary
    from dangvien_data.roster.model import Roster
    from dangvien_data.roster.validation import Report

# pandas, pandera and the readers are imported inside each function, after the workbooks have started loading
# on a background thread (io.loader.prefetch): importing this module costs nothing.

__all__ = ["reconcile_files", "summarise_files", "summary_of", "validate_files"]


def validate_files(
    paths: Sequence[str | Path] | str | Path,
    *,
    as_of: dt.date | str,
    term: str = "2020-2025",
    annotate: str | Path | None = None,
    lang: str = "vi",
) -> Report:
    """Read rosters, check them, and optionally write the annotated copy: ``dangvien validate`` as a function.

    The workbooks start loading on a background thread before pandas and pandera are imported, and the schema
    is compiled while they load, so a script runs as fast as the command line.

    Args:
        paths: workbook files or folders (one file per cell is fine).
        as_of: the date every date rule is evaluated at (a ``date`` or ISO text such as ``"2020-03-31"``).
        term: the congress term, e.g. ``"2020-2025"``.
        annotate: where to write a copy of the workbook with every problem cell coloured and commented.
        lang: ``"vi"`` or ``"en"``, the language of the annotated copy's notes.

    Returns:
        The :class:`~dangvien_data.roster.validation.Report` of every problem found, at its cell. In a run over
        several files, one that cannot be read is a ``file-unreadable`` error of that file and every other file
        is still read and checked (the command line then exits with code 2).

    Raises:
        DangvienError: the only file given cannot be read, or none of them can (a subclass names the reason),
            or an unusable output path.

    Example:
        >>> report = validate_files("sample_data/danh_sach_dang_vien.xlsx", as_of="2020-03-31")  # doctest: +SKIP
        >>> report.ok  # doctest: +SKIP
        True
    """
    paths, as_of, term = options.paths(paths, "paths"), options.date(as_of, "as_of"), options.term(term)
    annotate, lang = options.optional_output(annotate, "annotate"), options.lang(lang)
    from dangvien_data.io.loader import prefetch

    listed = [paths] if isinstance(paths, str | Path) else list(paths)
    prefetch(listed)  # the read (Rust, without the GIL) overlaps the imports below
    from dangvien_data.roster.reader import read_roster
    from dangvien_data.roster.validation import prepare, validate

    prepare(as_of=as_of)
    roster = read_roster(listed)
    report = validate(roster, as_of=as_of, term=term)
    if annotate is not None:
        from dangvien_data.io.excel import annotate as write_annotated

        write_annotated(roster, report, annotate, lang=lang)
    return report


def summarise_files(
    paths: Sequence[str | Path],
    *,
    as_of: dt.date | str | None = None,
    declared: str | Path | None = None,
    term: str = "2020-2025",
    year: int | None = None,
    within_days: int = 30,
) -> Summary:
    """What ``dangvien summary`` does: read, validate, summarise, list milestones and reconcile a declared sheet.

    The date is ``as_of``, else the "(Tính đến ngày …)" line of the first roster, else today (always printed).

    Args:
        paths: roster files or folders (one file per cell is fine).
        as_of: the date counts are taken at.
        declared: a summary sheet typed by hand to reconcile against (:func:`read_declared`).
        term: the congress term whose rules apply (``2020-2025`` or ``2025-2030``).
        year: the year of the Party-badge list; the as-of year when None.
        within_days: how far ahead the "due" lists (official membership, service age) look.

    Returns:
        The :class:`~dangvien_data.report.summary.Summary` with its ``reconciliation`` and ``milestones``.

    Raises:
        FileNotFoundInputError: a path does not exist.
        WorkbookError: a file cannot be read.
    """
    paths, as_of = options.paths(paths, "paths"), options.optional_date(as_of, "as_of")
    declared, term = options.optional_path(declared, "declared"), options.term(term)
    year = options.optional_integer(year, "year", minimum=1900, maximum=2199)
    within_days = options.integer(within_days, "within_days", minimum=0, maximum=options.MAX_DAYS)
    from dangvien_data.io.loader import prefetch

    prefetch([paths] if isinstance(paths, str | Path) else list(paths))
    from dangvien_data.domain.dates import as_date
    from dangvien_data.report.summary import load_summary_spec
    from dangvien_data.roster.heading import read_heading
    from dangvien_data.roster.reader import read_roster
    from dangvien_data.roster.validation import prepare, validate

    # While the workbook loads. Without as_of the date may come from the roster's heading: then only the
    # import is gained, the schema is compiled again for that date (a few hundredths of a second).
    prepare(as_of=as_of or dt.date.today())
    load_summary_spec()
    roster = read_roster(paths)
    heading = read_heading(roster)
    day = as_date(as_of) if as_of else heading["as_of"] or dt.date.today()
    report = validate(roster, as_of=day, term=term)
    return summary_of(roster, report, as_of=day, declared=declared, term=term, year=year, within_days=within_days)


def summary_of(
    roster: Roster,
    report: Report,
    *,
    as_of: dt.date,
    declared: Path | None = None,
    term: str = "2020-2025",
    year: int | None = None,
    within_days: int = 30,
) -> Summary:
    """The rest of :func:`summarise_files` for a roster already read and validated at ``as_of`` (the web page
    validates first, then summarises the same roster instead of reading the files again)."""
    from dangvien_data.report.declared import compare_declared, read_declared
    from dangvien_data.report.summary import Difference, milestones, summarise
    from dangvien_data.roster.heading import read_heading

    summary = summarise(roster, as_of=as_of, report=report, term=term)
    lists = milestones(roster, as_of=as_of, year=year, within_days=within_days, term=term)
    differences: tuple[Difference, ...] = ()
    if declared is not None:
        differences = compare_declared(summary, read_declared(declared), report=report)
    shown = {k: str(v) for k, v in read_heading(roster).items() if k != "as_of" and v}
    return dataclasses.replace(
        summary,
        reconciliation=differences,
        milestones=lists,
        heading=shown,
        declared_file=str(declared) if declared is not None else None,
    )


def reconcile_files(
    before: Sequence[str | Path] | str | Path,
    after: Sequence[str | Path] | str | Path,
    *,
    movements: str | Path | None = None,
    as_of_before: dt.date | str | None = None,
    as_of_after: dt.date | str | None = None,
) -> RollForward:
    """What ``dangvien reconcile`` does: read two rosters (and a movements sheet) and roll forward.

    Each roster's date is the given one, else its "(Tính đến ngày …)" line.

    Args:
        before: the earlier roster's files or folders.
        after: the later roster's files or folders.
        movements: the movements workbook of the period.
        as_of_before: the earlier roster's date.
        as_of_after: the later roster's date.

    Returns:
        The roll-forward (:func:`roll_forward`) with the later roster's heading.

    Raises:
        FileNotFoundInputError: a path does not exist.
        WorkbookError: a file cannot be read.
        InputError: a roster's date is neither given nor in its heading.
    """
    before, after = options.paths(before, "before"), options.paths(after, "after")
    movements = options.optional_path(movements, "movements")
    as_of_before = options.optional_date(as_of_before, "as_of_before")
    as_of_after = options.optional_date(as_of_after, "as_of_after")
    from dangvien_data.domain.dates import as_date
    from dangvien_data.errors import InputError
    from dangvien_data.report.rollforward import read_movements, roll_forward
    from dangvien_data.roster.heading import read_heading
    from dangvien_data.roster.reader import read_roster

    first, second = read_roster(before), read_roster(after)
    dates = []
    for roster, given, flag in ((first, as_of_before, "--as-of-before"), (second, as_of_after, "--as-of-after")):
        day = as_date(given) if given else read_heading(roster)["as_of"]
        if day is None:
            name = roster.files[0] if roster.files else ""
            msg_vi = (
                f'Không tìm thấy dòng "(Tính đến ngày …)" trong {name}. Ghi ngày của danh sách bằng {flag} YYYY-MM-DD.'
            )
            msg_en = f'No "(Tính đến ngày …)" line in {name}. Give the roster\'s date with {flag} YYYY-MM-DD.'
            raise InputError(msg_vi, msg_en, path=name)
        dates.append(day)
    moves = read_movements(movements) if movements is not None else None
    heading = read_heading(second)
    result = roll_forward(first, second, as_of_before=dates[0], as_of_after=dates[1], movements=moves)
    return dataclasses.replace(
        result,
        heading={k: str(v) for k, v in heading.items() if k != "as_of" and v},
        movements_file=str(movements) if movements is not None else None,
    )
