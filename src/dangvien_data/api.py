"""One function per command: what ``dangvien validate`` does, for scripts (the command line calls the same)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dangvien_data.roster.validation import Report

__all__ = ["validate_files"]


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
