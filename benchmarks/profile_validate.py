"""Where `dangvien validate` spends its time: import time, phases, and the hottest functions.

    .venv/bin/python benchmarks/profile_validate.py FILE [--as-of 2020-03-31] [--top 25] [--pyinstrument]

1. start-up: ``python -X importtime -c "import dangvien_data.cli"``, the slowest imports (cumulative);
2. phases, timed in one process: reading the sheets (fastexcel), locating the roster (header, sections),
   normalising, the pandera schema, each cross-row rule, sorting, and the JSON report;
3. cProfile of the whole command (``dangvien_data.cli.main``) on CPU time (wall time is misleading on a
   shared machine), the top functions by own time and by cumulative time; with ``--pyinstrument`` also a
   pyinstrument call tree (``pip install pyinstrument``; wall time).
Writes the profiles to benchmarks/.cache/profile/.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import importlib
import io
import os
import pstats
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# The allocator `dangvien` itself chooses (cli.run): profile what the command line runs.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
HERE = Path(__file__).resolve().parent
OUT = HERE / ".cache" / "profile"


def import_times(top: int) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import dangvien_data.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m[2]), int(m[1]), len(m[3]) // 2, m[4]))
    total = max((r[0] for r in rows if r[2] == 0 and r[3] == "dangvien_data.cli"), default=0)
    wall = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t = time.perf_counter(); import dangvien_data.cli; print(time.perf_counter() - t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = [
        f"import dangvien_data.cli: {total / 1e6:.2f} s cumulative (-X importtime), "
        f"{float(wall.stdout):.2f} s measured without -X importtime",
        "",
        "| cumulative s | self s | depth | module |",
        "|---:|---:|---:|---|",
    ]
    # top-level packages first (depth <= 1), the slowest ones
    for cumulative, own, depth, name in sorted((r for r in rows if r[2] <= 1), reverse=True)[:top]:
        out.append(f"| {cumulative / 1e6:.3f} | {own / 1e6:.3f} | {depth} | {name} |")
    return out


class Phases:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - started

    def wrap(self, name: str, func: Callable[..., Any], *, generator: bool = False) -> Callable[..., Any]:
        if generator:

            @functools.wraps(func)
            def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self.phase(name):
                    return list(func(*args, **kwargs))

            return gen_wrapper

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.phase(name):
                return func(*args, **kwargs)

        return wrapper


def phases(path: str, as_of: str) -> list[str]:
    started = time.perf_counter()
    phases = Phases()
    with phases.phase("imports"):
        # the modules themselves (the package re-exports functions of the same names)
        normalise = importlib.import_module("dangvien_data.roster.normalise")
        validate = importlib.import_module("dangvien_data.roster.validation")
        workbook = importlib.import_module("dangvien_data.roster.reader")
        loader = importlib.import_module("dangvien_data.io.loader")
    missing = []
    for module, names, label in (
        (loader, ("load_workbook",), "read: fastexcel sheets → Arrow (loader thread)"),
        (workbook, ("_locate_sheet", "locate_sheet"), "read: locate header, sections, rows"),
        (normalise, ("normalise",), "normalise (text, legacy, dates, codes, ids)"),
        (validate, ("_schema_issues", "schema_issues"), "validate: pandera schema + issues"),
    ):
        name = next((n for n in names if hasattr(module, n)), None)
        if name is None:  # the code moved on: time what is still there
            missing.append(f"{module.__name__}.{names[0]}")
            continue
        setattr(module, name, phases.wrap(label, getattr(module, name)))
    with phases.phase("read_roster (total)"):
        roster = workbook.read_roster(path)
    with phases.phase("validate (total)"):
        report = validate.validate(roster, as_of=as_of)
    with phases.phase("report.to_json"):
        text = report.to_json("vi")
    total = time.perf_counter() - started
    out = [
        f"{len(roster):,} members, {len(report.issues):,} issues, JSON {len(text) / 1e6:.1f} MB; "
        f"{total:.2f} s in process" + (f" (not found, not timed: {', '.join(missing)})" if missing else ""),
        "",
        "| phase | s | share |",
        "|---|---:|---:|",
    ]
    for name, seconds in phases.times.items():
        out.append(f"| {name} | {seconds:.3f} | {seconds / total:.0%} |")
    return out


def cprofile(path: str, as_of: str, top: int) -> list[str]:
    from dangvien_data import cli

    OUT.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile(time.process_time)  # CPU time: robust on a shared, busy machine
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        profiler.enable()
        cli.main(["validate", path, "--as-of", as_of, "--format", "json"])
        profiler.disable()
    profiler.dump_stats(OUT / "validate.prof")
    out = []
    for key in ("tottime", "cumulative"):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(key)
        total = stats.total_tt  # type: ignore[attr-defined]
        stats.print_stats(top)
        out += [
            f"cProfile by {key} (CPU time, total {total:.2f} s; profiling overhead included):",
            "",
            "```",
            *[line for line in buffer.getvalue().splitlines() if line.strip()][-top - 1 :],
            "```",
            "",
        ]
    return out


def pyinstrument(path: str, as_of: str) -> list[str]:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return ["pyinstrument not installed (`.venv/bin/pip install pyinstrument`)."]
    from dangvien_data import cli

    profiler = Profiler(interval=0.001)
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        profiler.start()
        cli.main(["validate", path, "--as-of", as_of, "--format", "json"])
        profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "validate.pyinstrument.txt").write_text(text, encoding="utf-8")
    (OUT / "validate.pyinstrument.html").write_text(profiler.output_html(), encoding="utf-8")
    return ["pyinstrument call tree:", "", "```", *text.splitlines()[:120], "```"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--as-of", default="2020-03-31")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--only", choices=["imports", "phases", "cprofile", "pyinstrument"])
    args = parser.parse_args(argv)
    sections: list[str] = []
    if args.only in (None, "imports"):
        sections += ["### Start-up", "", *import_times(args.top), ""]
    if args.only in (None, "phases"):
        sections += ["### Phases", "", *phases(args.file, args.as_of), ""]
    if args.only in (None, "cprofile"):
        sections += ["### cProfile", "", *cprofile(args.file, args.as_of, args.top)]
    if args.only == "pyinstrument" or (args.only is None and args.pyinstrument):
        sections += ["### pyinstrument", "", *pyinstrument(args.file, args.as_of), ""]
    print("\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
