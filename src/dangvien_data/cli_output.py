"""How the command line prints: the verdict alone (``-q``), colour on a terminal, where files were written,
the progress line on standard error, and a failure as one paragraph (and a JSON object with ``--format json``)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import IO

from dangvien_data.errors import printable

__all__ = ["Progress", "colour", "fail", "say", "stop_status", "written"]

EXIT_OK, EXIT_UNUSABLE = 0, 2

_WRITTEN = {
    "workbook": ("Đã ghi bảng tính", "Workbook written"),
    "annotated": ("Đã ghi bản chú thích", "Annotated copy written"),
    "template": ("Đã ghi tệp mẫu nhập liệu", "Template written"),
}
_VERDICT = re.compile(r"^(KẾT QUẢ|RESULT):")
_TOTAL = re.compile(r"^\s+(Tổng cộng|Total)\s")
# the severity labels of report.render.severity_label, in both languages, and their colours
_SEVERITY_COLOUR = {"LỖI": "31", "ERROR": "31", "CẢNH BÁO": "33", "WARNING": "33", "GHI CHÚ": "36", "NOTE": "36"}
_SEVERITY = re.compile(r"^(\s+)(" + "|".join(sorted(_SEVERITY_COLOUR, key=len, reverse=True)) + r")(?=\s)")
_ANSI = {"ok": "32", "bad": "31;1", "bold": "1"}


def colour(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set (https://no-color.org) or TERM=dumb."""
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty and isatty())
    return tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _paint(text: str, code: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m"


def say(args: argparse.Namespace, text: str, code: int) -> None:
    """Print a command's text result: whole, or with ``-q`` only its verdict (or total) line; coloured on a tty."""
    stop_status()
    lines = text.split("\n")
    if args.quiet:
        lines = [line for line in lines if _VERDICT.match(line)] or [line for line in lines if _TOTAL.match(line)]
        lines = [" ".join(line.split()) if _TOTAL.match(line) else line for line in lines]
    lines = [printable(line) for line in lines]  # no control character of a name or value reaches the terminal
    if colour(sys.stdout):
        lines = [_painted(line, code) for line in lines]
    print("\n".join(lines))


def _painted(line: str, code: int) -> str:
    if _VERDICT.match(line):
        return _paint(line, _ANSI["ok"] if code == EXIT_OK else _ANSI["bad"])
    found = _SEVERITY.match(line)
    if found:
        return found[1] + _paint(found[2], _SEVERITY_COLOUR[found[2]]) + line[found.end() :]
    return _paint(line, _ANSI["bold"]) if line.startswith("■ ") else line


def written(args: argparse.Namespace, kind: str, path: str | Path | None, *, gap: bool = True) -> None:
    """Say where a file was written: after the text result (``gap``: a blank line between), or on standard
    error beside JSON output."""
    if path is None:
        return
    stop_status()
    vi, en = _WRITTEN[kind]
    line = printable(f"{en if args.lang == 'en' else vi}: {path}")
    if getattr(args, "format", "text") == "json":
        sys.stderr.write(f"dangvien: {line}\n")
    else:
        print(("\n" if gap and not args.quiet else "") + line)


class Progress:
    """A one-line "files read · members checked" status on standard error, for runs longer than ``after`` s.

    Shown only when standard error is a terminal (never in a pipe or a log file) and the run is not ``quiet``;
    redrawn in place, then erased.
    """

    def __init__(self, after: float, lang: str, stream: IO[str], *, quiet: bool = False) -> None:
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and not quiet
        self.after, self.lang, self.stream = after, lang, stream
        self.counts = {"files": 0, "members": 0}
        self.started = time.monotonic()
        self.shown = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="dangvien-progress", daemon=True)

    def add(self, counts: dict[str, int]) -> None:
        with self._lock:
            for key, n in counts.items():
                self.counts[key] = self.counts.get(key, 0) + n

    def line(self) -> str:
        seconds = time.monotonic() - self.started
        files, members = self.counts["files"], self.counts["members"]
        if self.lang == "en":
            return f"dangvien: {files} file(s) read · {members} member(s) checked · {seconds:.0f} s"
        return f"dangvien: đã đọc {files} tệp · đã kiểm tra {members} đảng viên · {seconds:.0f} giây"

    def _draw(self) -> None:
        with self._lock:
            self.stream.write(f"\r{self.line()}\x1b[K")
            self.stream.flush()
            self.shown = True

    def _loop(self) -> None:
        while True:
            if time.monotonic() - self.started >= self.after:
                self._draw()
            if self._stop.wait(0.25):
                return

    def __enter__(self) -> Progress:
        global _STATUS
        if self.enabled:
            self._thread.start()
        _STATUS = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _STATUS
        _STATUS = None
        self.stop()

    def stop(self) -> None:
        """End the line (idempotent): its final count, then erased, so the result prints on a clean line."""
        if not self.enabled or self._stop.is_set():
            return
        self._stop.set()
        self._thread.join()
        if self.shown:
            self._draw()
            self.stream.write("\r\x1b[K")
            self.stream.flush()


_STATUS: Progress | None = None  # the progress line of the run in progress, stopped before any result is printed


def stop_status() -> None:
    if _STATUS is not None:
        _STATUS.stop()


def fail(lang: str, fmt: str, code: str, message: str, file: str | None = None) -> int:
    """Report a run that could not be done: one paragraph on standard error (and JSON on stdout); exit 2."""
    stop_status()
    sys.stderr.write(f"dangvien: {printable(message)}\n")  # a file name in it cannot drive the terminal
    if fmt == "json":
        sys.stdout.write(json.dumps({"error": {"code": code, "message": message, "file": file}}, ensure_ascii=False))
        sys.stdout.write("\n")
    return EXIT_UNUSABLE
