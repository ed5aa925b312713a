"""Checks run on worker threads, one job per upload, each in its own private folder, with its progress."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangvien_data.errors import DangvienError

__all__ = ["Job", "JobInputs", "Workspace"]


@dataclass(frozen=True)
class JobInputs:
    """What the form asked for: the saved files (path, name shown) and the options, as the CLI takes them."""

    rosters: list[tuple[Path, str]]
    folders: list[Path]
    as_of: dt.date
    term: str
    lang: str
    declared: Path | None = None
    dossiers: list[tuple[Path, str]] = field(default_factory=list)
    congress_date: dt.date | None = None
    seats: int | None = None

    def roster_paths(self) -> list[Path]:
        """The paths given to the library, as to ``dangvien validate PATH…``: files, and folders as folders."""
        return [p for p, _ in self.rosters] + self.folders


@dataclass
class Job:
    """One check: its state (``waiting`` → ``running`` → ``done`` | ``failed``), progress and results."""

    id: str
    folder: Path
    inputs: JobInputs
    names: dict[str, str]
    state: str = "waiting"
    stage: str = "waiting"
    files: int = 0
    files_read: int = 0
    members: int = 0
    error: DangvienError | None = None
    internal: str | None = None  # the type of an unexpected exception, never its text (it may quote a cell)
    report: Any = None
    summary: Any = None
    dossier: Any = None
    notes: dict[str, DangvienError] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def shown(self, path: str | Path | None) -> str:
        """The name the user gave a file (never the private folder's path)."""
        if path is None:
            return ""
        return self.names.get(str(path), Path(path).name)

    def say(self, error: DangvienError, lang: str) -> str:
        """The library's message, with the private folder's paths replaced by the names the user gave."""
        text = error.message(lang)
        for path in sorted(self.names, key=len, reverse=True):
            text = text.replace(path, self.names[path])
        return text.replace(str(self.folder / "in") + "/", "").replace(str(self.folder), "")

    def progress(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "stage": self.stage,
            "files": self.files,
            "files_read": self.files_read,
            "members": self.members,
        }


def run(job: Job) -> None:
    """Do what ``validate --annotate``, ``summary --declared -o`` and ``dossier -o`` do, one after another."""
    from dangvien_data.api import summary_of
    from dangvien_data.io.excel import annotate
    from dangvien_data.io.loader import expand_paths
    from dangvien_data.report.workbook import write_summary_workbook
    from dangvien_data.roster.reader import read_roster
    from dangvien_data.roster.validation import prepare, validate

    given = job.inputs
    paths = given.roster_paths()
    job.state, job.stage = "running", "reading"
    job.files = len(expand_paths(paths))
    prepare(as_of=given.as_of)

    def _read(files: int, members: int) -> None:
        job.files_read, job.members = files, members

    roster = read_roster(paths, progress=_read)
    job.members, job.stage = len(roster.frame), "checking"
    job.report = validate(roster, as_of=given.as_of, term=given.term)
    job.stage = "writing"
    out = job.folder / "out"
    out.mkdir(mode=0o700, exist_ok=True)
    _step(job, "annotated", lambda: annotate(roster, job.report, out / "da_kiem_tra.xlsx", lang=given.lang))
    job.stage = "summarising"

    def _summary() -> Path:
        # the roster read and validated above, not the files read again
        job.summary = summary_of(roster, job.report, as_of=given.as_of, declared=given.declared, term=given.term)
        return write_summary_workbook(job.summary, out / "tong_hop.xlsx", inputs=paths, lang=given.lang)

    _step(job, "summary", _summary)
    if given.dossiers:
        job.stage = "dossier"
        _step(job, "dossier", lambda: _dossier(job, roster, out / "ket_qua_ho_so.xlsx"))
    job.stage, job.state = "done", "done"


def _dossier(job: Job, roster: Any, out: Path) -> Path:
    from dangvien_data.dossier.check import check_dossier, write_dossier_workbook

    given = job.inputs
    dossiers = [p for p, _ in given.dossiers]
    job.dossier = check_dossier(dossiers, roster, congress_date=given.congress_date, term=given.term, seats=given.seats)
    return write_dossier_workbook(job.dossier, out, lang=given.lang)


def _step(job: Job, name: str, work: Callable[[], Path]) -> None:
    """One output: written, or the library's message about why not (the other outputs still come)."""
    try:
        job.outputs[name] = work()
    except DangvienError as exc:
        job.notes[name] = exc


def _guarded(job: Job) -> None:
    try:
        run(job)
    except DangvienError as exc:
        job.error, job.state = exc, "failed"
    except Exception as exc:  # a bug of ours: the page says so, without the text (it may quote personal data)
        job.internal, job.state = type(exc).__name__, "failed"


class Workspace:
    """The private temporary folder (0700) of one server run, its jobs, and the threads that run them.

    Everything uploaded or written lives under :attr:`root`; :meth:`close` (server stop) and :meth:`clear`
    (the user ends the session) delete it.
    """

    def __init__(self, workers: int = 2) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dangvien-"))  # mkdtemp: mode 0700, owner only
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dangvien-job")

    def new_folder(self) -> tuple[str, Path]:
        """A fresh job id and its private folder."""
        job_id = secrets.token_urlsafe(9)
        folder = self.root / job_id
        folder.mkdir(mode=0o700)
        return job_id, folder

    def submit(self, job: Job) -> Job:
        with self._lock:
            self.jobs[job.id] = job
        self._pool.submit(_guarded, job)
        return job

    def all(self) -> list[Job]:
        """The jobs of the session, oldest first."""
        with self._lock:
            return list(self.jobs.values())

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self.jobs.get(job_id)

    def forget(self, folder: Path) -> None:
        """Delete the folder of an upload that was refused."""
        shutil.rmtree(folder, ignore_errors=True)

    def scratch(self) -> Path:
        """A private folder for a one-off output (a template)."""
        return Path(tempfile.mkdtemp(dir=self.root, prefix="mau-"))

    def clear(self) -> None:
        """Forget every job and delete every file uploaded or written (a running job finishes into nothing)."""
        with self._lock:
            self.jobs.clear()
            for child in self.root.iterdir():
                shutil.rmtree(child, ignore_errors=True)

    def close(self) -> None:
        """Stop the workers and delete the whole folder."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self.jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)
