"""Side-by-side benchmark of dangvien against the raw read (the floor) and what users would otherwise run.

    .venv/bin/python benchmarks/run.py                                  # 10k and 100k, 1% and 10% invalid
    .venv/bin/python benchmarks/run.py --sizes 10000,100000,500000 --folder
    .venv/bin/python benchmarks/run.py --national                       # 5.6M members, ~60 workbooks
    .venv/bin/python benchmarks/run.py --sizes 100000 --pin --against main  # one core; this tree beside main

``--pin`` runs every measured command on one core (``taskset -c 0``, both sides alike); ``--against REF``
also measures ``dangvien validate`` of the committed tree REF (its src/ and schemas/ from git) in the same
rounds, so a change is measured before/after side by side; ``--only a,b,s`` keeps those groups.

Every measurement is a fresh subprocess, timed from spawn to exit (imports included, as a user waits for
it), with its own peak RSS (``ru_maxrss`` of that child from ``os.wait4``, the per-child form of
``getrusage(RUSAGE_CHILDREN)``). Repetitions are interleaved: each round runs every measurement once, in an
order rotated from round to round, so the drift of a shared machine falls on all of them alike; the table
reports medians. See benchmarks/README.md for the columns and the targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
OUT = CACHE / "out"
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PY = sys.executable
BIN = Path(sys.executable).parent
DANGVIEN = str(BIN / "dangvien") if (BIN / "dangvien").exists() else None
FL_VENV = CACHE / "frictionless-venv"
FRICTIONLESS = FL_VENV / "bin" / "frictionless"
AS_OF = "2020-03-31"
FRICTIONLESS_LIMIT_S = 60.0
NATIONAL_MEMBERS = 5_600_000
NATIONAL_FILES = 63
NATIONAL_LARGEST = 400_000


# ---------------------------------------------------------------- measuring

# A small launcher between the runner and each measured command. On Linux a process's peak RSS survives
# fork and exec, so a command started straight from the runner would report at least the runner's own
# RSS; started from this ~10 MiB launcher, its ru_maxrss is its own. The launcher times the command itself.
_LAUNCHER = """
import json, os, subprocess, sys, time
result, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - started
with open(result, "w") as fh:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
               "rc": os.waitstatus_to_exitcode(status)}, fh)
"""


PIN: list[str] = []  # ["taskset", "-c", "0"] with --pin: every measured command on one core

# Packages the dev environment has for the tests but a user's install does not: pandera imports hypothesis when it
# can (0.28 s at start-up, measured with -X importtime), so every measured command runs with these hidden, as a
# user's `pip install dangvien_data` has it, unless --with-dev-packages.
DEV_ONLY = ("hypothesis",)
HIDDEN = CACHE / "hidden-dev-packages"
HIDE: list[str] = []  # [HIDDEN] unless --with-dev-packages


def _hide_dev_packages() -> None:
    """A folder whose ``hypothesis`` package fails to import, as an uninstalled one does (ModuleNotFoundError)."""
    for name in DEV_ONLY:
        package = HIDDEN / name
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(
            f'raise ModuleNotFoundError("No module named {name!r} (hidden by benchmarks/run.py: users do not '
            f'install it)", name={name!r})\n'
        )
    HIDE[:] = [str(HIDDEN)]


def _with_hidden(env: dict[str, str] | None) -> dict[str, str] | None:
    if not HIDE:
        return env
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join([*HIDE, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    return env


def measure(
    cmd: list[str], stdout: Path, stderr: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``cmd`` once; wall seconds, CPU seconds and peak RSS (MiB) of that process alone, and the 1-minute
    load average just before it started (the share of the machine others were using)."""
    result = stdout.with_suffix(".measure.json")
    result.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    cmd = [*PIN, *cmd]
    env = _with_hidden(env)
    with stdout.open("wb") as out, stderr.open("wb") as err:
        subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, str(result), *map(str, cmd)],
            stdout=out,
            stderr=err,
            cwd=cwd,
            env=env,
            check=False,
        )
    try:
        return {**json.loads(result.read_text()), "load": load}
    except (OSError, ValueError):
        return {"wall": 0.0, "cpu": 0.0, "rss_mib": 0.0, "rc": -1, "load": load}


@dataclass
class Bench:
    key: str  # unique id
    group: str  # (a), (b), (c), (c2), (d)
    label: str
    cmd: list[str]
    workload: str  # e.g. "100000@0.01" or "folder"
    ok_rc: tuple[int, ...] = (0, 1)
    cwd: Path | None = None
    output: str = "json"  # what a finished run must have written: "json" (stdout), "json-stderr", "any"
    samples: list[dict[str, Any]] = field(default_factory=list)
    env: dict[str, str] | None = None  # None: the snapshot of this tree for (b) and (s), the runner's for others

    @property
    def stdout(self) -> Path:
        return OUT / f"{self.key}.out"

    @property
    def stderr(self) -> Path:
        return OUT / f"{self.key}.err"

    def run(self) -> dict[str, Any]:
        env = self.env if self.env is not None else SNAPSHOT_ENV if self.group in ("(b)", "(s)") else None
        sample = measure(self.cmd, self.stdout, self.stderr, self.cwd, env)
        problem = None
        if sample["rc"] not in self.ok_rc:
            problem = f"exit {sample['rc']}"
        elif self.output != "any":
            source = self.stdout if self.output == "json" else self.stderr
            try:
                lines = source.read_text(encoding="utf-8", errors="replace").strip()
                json.loads(lines if self.output == "json" else lines.splitlines()[-1])
            except (ValueError, IndexError):
                problem = "no JSON output"
        if problem:
            tail = self.stderr.read_text(encoding="utf-8", errors="replace").strip()
            sample["error"] = f"{problem}: {tail.splitlines()[-1][:200]}" if tail else problem
        self.samples.append(sample)
        return sample

    def median(self, what: str = "wall") -> float | None:
        values = [s[what] for s in self.samples if "error" not in s]
        return statistics.median(values) if values else None

    def spread(self) -> tuple[float, float] | None:
        values = [s["wall"] for s in self.samples if "error" not in s]
        return (min(values), max(values)) if values else None


# ---------------------------------------------------------------- the code under test

SNAPSHOT_ENV: dict[str, str] | None = None
AGAINST: tuple[str, dict[str, str]] | None = None  # --against REF: (REF, the environment running it)


def snapshot() -> tuple[Path, str]:
    """Copy src/ and schemas/ as they are now, so edits made during the run do not change what is measured.

    The (b) commands run the installed console script with ``PYTHONPATH`` pointing at the copy (it comes
    before the editable install on ``sys.path``). Retries while the tree does not import (an edit half made).
    """
    global SNAPSHOT_ENV
    for attempt in range(10):
        digest = _source_digest()
        target = CACHE / f"snapshot-{digest}"
        if not (target / ".complete").exists():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            shutil.copytree(ROOT / "schemas", target / "schemas")
            (target / ".complete").write_text("ok\n")
        env = {**os.environ, "PYTHONPATH": str(target / "src")}
        probe = subprocess.run(
            [PY, "-c", "import dangvien_data, dangvien_data.cli; print(dangvien_data.__file__)"],
            capture_output=True,
            text=True,
            env=env,
        )
        if probe.returncode == 0 and probe.stdout.strip().startswith(str(target)) and digest == _source_digest():
            SNAPSHOT_ENV = env
            return target, digest
        print(
            f"source tree does not import cleanly yet (attempt {attempt + 1}): {probe.stderr.strip()[-200:]}",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(30)
    raise SystemExit("the source tree did not import cleanly for 5 minutes; nothing measured")


def snapshot_ref(ref: str) -> dict[str, str]:
    """The environment that runs the committed tree ``ref`` (its src/ and schemas/, from ``git archive``)."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", ref + "^{commit}"], capture_output=True, text=True
    )
    if commit.returncode != 0:
        raise SystemExit(f"--against {ref}: not a commit of this repository ({commit.stderr.strip()})")
    target = CACHE / f"ref-{commit.stdout.strip()[:12]}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit.stdout.strip(), "src", "schemas"],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        (target / ".complete").write_text("ok\n")
    env = {**os.environ, "PYTHONPATH": str(target / "src")}
    probe = subprocess.run(
        [PY, "-c", "import dangvien_data.cli; print(dangvien_data.__file__)"], capture_output=True, text=True, env=env
    )
    if probe.returncode != 0 or not probe.stdout.strip().startswith(str(target)):
        raise SystemExit(f"--against {ref}: its tree does not import ({probe.stderr.strip()[-200:]})")
    return env


# ---------------------------------------------------------------- machine


def _version(python: Path | str, packages: list[str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for p in sys.argv[1:]:\n"
        "    try: out[p] = m.version(p)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    try:
        return json.loads(
            subprocess.run([str(python), "-c", code, *packages], capture_output=True, text=True, check=True).stdout
        )
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError):
        return {}


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "schemas").rglob("*.yaml")]):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _git_head() -> str:
    """The checked-out commit, read from .git without running git (the tree may have local edits)."""
    head = ROOT / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if not ref.startswith("ref:"):
            return ref[:12]
        name = ref.split(" ", 1)[1]
        loose = ROOT / ".git" / name
        if loose.exists():
            return loose.read_text().strip()[:12]
        for line in (ROOT / ".git" / "packed-refs").read_text().splitlines():
            if line.endswith(" " + name):
                return line.split(" ")[0][:12]
    except OSError:
        pass
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip()[:12] if found.returncode == 0 else "unknown"  # a worktree: .git is a file


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024**2
    except OSError:
        pass
    packages = [
        "dangvien_data",
        "pandas",
        "pandera",
        "numpy",
        "pyarrow",
        "fastexcel",
        "polars",
        "python-calamine",
        "openpyxl",
        "xlsxwriter",
    ]
    info = {
        "host": socket.gethostname(),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(ram, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": _version(PY, packages),
        "source": _source_digest(),
        "commit": _git_head(),
        "load_start": [round(x, 2) for x in os.getloadavg()],
        "pinned": " ".join(PIN) or None,
        "hidden": [name for name in DEV_ONLY if HIDE],
    }
    if FRICTIONLESS.exists():
        found = _version(FL_VENV / "bin" / "python", ["frictionless", "openpyxl"])
        info["packages"].update({f"{k} (frictionless venv)": v for k, v in found.items()})
    return info


def machine_line(info: dict[str, Any]) -> str:
    pk = info["packages"]
    versions = ", ".join(f"{k} {v}" for k, v in pk.items())
    load = info.get("load_start")
    load_text = f"; load average at start {' / '.join(map(str, load))} (1/5/15 min)" if load else ""
    if info.get("load_end"):
        load_text += f", at the end {' / '.join(map(str, info['load_end']))}"
    pinned = f"; every measured command pinned to one core (`{info['pinned']}`)" if info.get("pinned") else ""
    if info.get("hidden"):
        pinned += f"; test-only packages hidden as in a user's install ({', '.join(info['hidden'])})"
    return (
        f"{info['host']}: {info['cpu']}, {info['nproc']} cores (nproc), {info['ram_gib']} GiB RAM, "
        f"{info['os']}{load_text}{pinned}; Python {info['python']}; {versions}; source {info['source']} "
        f"(HEAD {info['commit']})"
    )


# ---------------------------------------------------------------- the plan


def dangvien_commands() -> set[str]:
    if not DANGVIEN:
        return set()
    text = subprocess.run([DANGVIEN, "--help"], capture_output=True, text=True, env=SNAPSHOT_ENV).stdout
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            return set(line.strip("{}").split(","))
    # argparse with a metavar: one command a line, indented four spaces under COMMAND
    return {m[1] for m in re.finditer(r"(?m)^    ([a-z][a-z-]*)(?:\s|$)", text)}


def frictionless_ok() -> tuple[bool, str]:
    if FRICTIONLESS.exists():
        return True, ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(FL_VENV)], check=True, capture_output=True)
        subprocess.run(
            [str(FL_VENV / "bin" / "pip"), "install", "-q", "frictionless[excel]"],
            check=True,
            capture_output=True,
            timeout=900,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(FL_VENV, ignore_errors=True)
        return False, f"frictionless could not be installed into {FL_VENV} ({exc}); (d) skipped"
    return FRICTIONLESS.exists(), ""


def validate_benches(k: str, given: str, w: str) -> list[Bench]:
    """(b) ``dangvien validate`` of ``given`` (a workbook or a folder), and with ``--against`` the same at REF (b0)."""
    cmd = [str(DANGVIEN), "validate", given, "--as-of", AS_OF, "--format", "json"]
    out = [Bench(f"b_validate_{k}", "(b)", "dangvien validate --format json", cmd, w)]
    if AGAINST is not None:
        ref, env = AGAINST
        out.append(
            Bench(f"b0_validate_{k}", "(b0)", f"dangvien validate --format json @ {ref} (before)", cmd, w, env=env)
        )
    return out


def roster_benches(
    n: int, invalid: float, path: Path, primary: bool, commands: set[str], frictionless: bool
) -> list[Bench]:
    w = f"{n}@{invalid:g}"
    k = f"n{n}_i{invalid:g}"
    file = str(path)
    out: list[Bench] = [
        Bench(
            f"a_fastexcel_{k}", "(a)", "fastexcel → pandas", [PY, str(HERE / "readers.py"), "fastexcel", file], w, (0,)
        )
    ]
    if primary:
        out += [
            Bench(f"a_polars_{k}", "(a)", "polars → pandas", [PY, str(HERE / "readers.py"), "polars", file], w, (0,)),
            Bench(
                f"a_calamine_{k}",
                "(a)",
                "python-calamine → pandas",
                [PY, str(HERE / "readers.py"), "calamine", file],
                w,
                (0,),
            ),
        ]
    if DANGVIEN:
        out += validate_benches(k, file, w)
        script = str(HERE / "script.py")
        out += [
            Bench(
                f"s_plain_{k}",
                "(s)",
                "script: read_roster + validate",
                [PY, script, "plain", file, "--as-of", AS_OF],
                w,
            ),
            Bench(f"s_api_{k}", "(s)", "script: validate_files", [PY, script, "api", file, "--as-of", AS_OF], w),
        ]
        if primary and "summary" in commands:
            out.append(
                Bench(
                    f"s_summarise_{k}",
                    "(s)",
                    "script: summarise_files",
                    [PY, script, "summarise", file, "--as-of", AS_OF],
                    w,
                )
            )
        if primary:
            out.append(Bench(f"b_read_{k}", "(b)", "dangvien read", [DANGVIEN, "read", file], w, (0,), output="any"))
            if "summary" in commands:
                out.append(
                    Bench(
                        f"b_summary_{k}",
                        "(b)",
                        "dangvien summary --format json",
                        [DANGVIEN, "summary", file, "--as-of", AS_OF, "--format", "json"],
                        w,
                    )
                )
    baseline = str(HERE / "pandera_baseline.py")
    if primary:
        out.append(
            Bench(
                f"c_openpyxl_{k}",
                "(c)",
                "pandas.read_excel(openpyxl) + pandera",
                [
                    PY,
                    baseline,
                    file,
                    "--engine",
                    "openpyxl",
                    "--as-of",
                    AS_OF,
                    "--out",
                    str(OUT / f"c_openpyxl_{k}.json"),
                ],
                w,
                output="json-stderr",
            )
        )
    out.append(
        Bench(
            f"c2_calamine_{k}",
            "(c2)",
            "pandas.read_excel(calamine) + pandera",
            [PY, baseline, file, "--engine", "calamine", "--as-of", AS_OF, "--out", str(OUT / f"c2_calamine_{k}.json")],
            w,
            output="json-stderr",
        )
    )
    if primary and frictionless:
        resource = CACHE / f"frictionless_{path.stem}.json"
        descriptor = subprocess.run(
            [PY, str(HERE / "frictionless_resource.py"), file, "--as-of", AS_OF],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        resource.write_text(descriptor, encoding="utf-8")
        out.append(
            Bench(
                f"d_frictionless_{k}",
                "(d)",
                "frictionless validate (Table Schema)",
                [str(FRICTIONLESS), "validate", resource.name, "--trusted", "--json", "--limit-errors", "100000000"],
                w,
                cwd=CACHE,
            )
        )
    return out


def folder_benches(folder: Path) -> list[Bench]:
    w = "folder"
    out = [
        Bench(
            "a_fastexcel_folder",
            "(a)",
            "fastexcel → pandas, file by file",
            [PY, str(HERE / "readers.py"), "fastexcel", str(folder)],
            w,
            (0,),
        )
    ]
    if DANGVIEN:
        found = validate_benches("folder", str(folder), w)  # (b), and (b0) with --against
        for bench in found:
            bench.label = bench.label.replace("validate", "validate FOLDER", 1)
        out += found
    return out


def gallery_benches(name: str, folder: Path) -> list[Bench]:
    """A layout of the reader's gallery (gallery.py): the raw read of every sheet of its workbooks, and validate."""
    import gallery

    w, given = f"gallery:{name}", str(gallery.target(folder))
    key = name.replace("-", "_")
    out = [
        Bench(
            f"a_fastexcel_g_{key}",
            "(a)",
            "fastexcel → pandas, every sheet",
            [PY, str(HERE / "readers.py"), "fastexcel", "--all-sheets", given],
            w,
            (0,),
        )
    ]
    if DANGVIEN:
        out += validate_benches(f"g_{key}", given, w)
    return out


def gallery_check(folder: Path) -> str:
    """The members, refs and counts the snapshot's reader finds in a gallery layout, against its truth."""
    proc = subprocess.run(
        [PY, str(HERE / "gallery.py"), "check", str(folder)],
        capture_output=True,
        text=True,
        env=SNAPSHOT_ENV,
        check=False,
    )
    try:
        found = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return f"read_roster against the truth: failed ({proc.stderr.strip()[-200:]})"
    verdict = "every member, ref and count as built" if found["ok"] else f"DIFFERENT: {found}"
    return f"read_roster: {found['members']:,} members of {found['expected_members']:,} built, {verdict}"


# ---------------------------------------------------------------- checks of what was measured


def check_output(bench: Bench, facts: dict[str, Any]) -> str:
    """A one-line note that the measured run did the work (issue counts against what was planted)."""
    try:
        text = bench.stdout.read_text(encoding="utf-8", errors="replace")
        if bench.key.startswith(("b_validate", "b0_validate", "s_plain", "s_api")):
            report = json.loads(text)
            counts = report["counts"]
            expected = facts.get("expected_errors")
            return (
                f"{bench.label}: {counts['error']:,} errors (planted: {expected:,}), {counts['warning']:,} "
                f"warnings, {counts['info']:,} info"
            )
        if bench.group == "(a)":
            data = json.loads(text.strip().splitlines()[-1])
            return f"{bench.label}: {data['rows']:,} sheet rows × {data['cols']} columns in {data['files']} file(s)"
        if bench.group in ("(c)", "(c2)"):
            data = json.loads(bench.stderr.read_text(encoding="utf-8").strip().splitlines()[-1])
            return (
                f"{bench.label}: {data['members']:,} members, {data['failing_rows']:,} failing rows "
                f"(planted rows incl. both of a shared card: {facts.get('expected_errors', 0):,}), "
                f"{data['failure_cases']:,} pandera failure cases"
            )
        if bench.group == "(d)":
            task = json.loads(text)["tasks"][0]
            return (
                f"{bench.label}: {task['stats']['rows']:,} rows, {task['stats']['errors']:,} errors "
                "(section and footer rows count as rows missing required values)"
            )
    except (OSError, ValueError, KeyError, IndexError) as exc:
        return f"{bench.label}: output not understood ({type(exc).__name__})"
    return ""


# ---------------------------------------------------------------- report


def fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def fmt_load(bench: Bench) -> str:
    """The median 1-minute load average just before the runs of ``bench`` (older results have none)."""
    loads = [s["load"] for s in bench.samples if "load" in s]
    return f"{statistics.median(loads):.2f}" if loads else "—"


def workload_title(w: str, facts: dict[str, Any]) -> str:
    if w.startswith("gallery:"):
        files = len(facts.get("files", []))
        return (
            f"Gallery layout {facts['layout']}: {facts['members']:,} members (clean), {files} file(s), "
            f"{facts.get('bytes', 0) / 1e6:.1f} MB, written by openpyxl (shared strings)"
        )
    if w == "folder":
        return (
            f"Folder: {facts['files']:,} cell workbooks, {facts['members']:,} members ({facts['invalid']:.0%} invalid)"
        )
    n, invalid = w.split("@")
    return (
        f"{int(n):,} members, {float(invalid):.0%} invalid — {facts.get('bytes', 0) / 1e6:.1f} MB, "
        f"{facts.get('cells', 0):,} cells"
    )


def _floor(rows: list[Bench]) -> Bench | None:
    floors = [b for b in rows if b.group == "(a)" and b.median() is not None]
    return min(floors, key=lambda b: b.median() or 0) if floors else None


def table(benches: list[Bench], facts: dict[str, Any], w: str) -> list[str]:
    rows = [b for b in benches if b.workload == w]
    floor = _floor(rows)
    validate = next((b for b in rows if b.key.startswith("b_validate")), None)
    fm, fc = (floor.median(), floor.median("cpu")) if floor else (None, None)
    vm, vc = (validate.median(), validate.median("cpu")) if validate else (None, None)
    members = facts.get("members", 0)
    lines = [
        f"#### {workload_title(w, facts)}",
        "",
        "| | measurement | median s | min–max s | CPU s | peak RSS MiB | members/s | × floor (a) "
        "| × (b) validate | CPU × floor / × (b) | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in rows:
        m = b.median()
        spread = b.spread()
        errors = [s["error"] for s in b.samples if "error" in s]
        label = b.label + (" **(floor)**" if b is floor else "")
        if m is None:
            lines.append(f"| {b.group} | {label} | failed: {errors[0] if errors else '?'} | | | | | | | | |")
            continue
        c = b.median("cpu")
        lines.append(
            f"| {b.group} | {label} | {fmt_s(m)} | {fmt_s(spread[0])}–{fmt_s(spread[1])} | "
            f"{fmt_s(c)} | {b.median('rss_mib'):,.0f} | {members / m:,.0f} | {ratio(m, fm)} | "
            f"{ratio(m, vm)} | {ratio(c, fc)} / {ratio(c, vc)} | {fmt_load(b)} |"
        )
    return lines


def paired_ratio(benches: list[Bench], top: str, bottom: str, w: str) -> tuple[float, float] | None:
    """The median over rounds of ``top`` ÷ ``bottom`` measured in the same round (wall, CPU): the drift of a
    shared machine between rounds cancels out of each ratio."""
    x = next((b for b in benches if b.workload == w and b.key.startswith(top)), None)
    y = next((b for b in benches if b.workload == w and b.key.startswith(bottom)), None)
    if x is None or y is None:
        return None
    pairs = [(p, q) for p, q in zip(x.samples, y.samples, strict=False) if "error" not in p and "error" not in q]
    if not pairs or not all(q["wall"] and q["cpu"] for _, q in pairs):
        return None
    return (
        statistics.median(p["wall"] / q["wall"] for p, q in pairs),
        statistics.median(p["cpu"] / q["cpu"] for p, q in pairs),
    )


def targets(
    benches: list[Bench], facts: dict[str, dict[str, Any]], workloads: list[str], *, pinned: bool = False
) -> list[str]:
    """The goals, each beside what was measured: validate at most 1.25× the floor pinned to one core, 1.1× on two
    (benchmarks/README.md)."""

    def med(prefix: str, w: str, what: str = "wall") -> float | None:
        b = next((b for b in benches if b.workload == w and b.key.startswith(prefix)), None)
        return b.median(what) if b else None

    def floor(w: str, what: str = "wall") -> float | None:
        b = _floor([b for b in benches if b.workload == w])
        return b.median(what) if b else None

    def rss(prefix: str, w: str) -> float | None:
        b = next((b for b in benches if b.workload == w and b.key.startswith(prefix)), None)
        return b.median("rss_mib") if b and b.median() else None

    lines = [
        "| target | workload | measured (wall) | measured (CPU) | target | met? (wall) |",
        "|---|---|---:|---:|---:|---|",
    ]

    def row(
        name: str,
        w: str,
        value: float | None,
        goal: float | None,
        higher_is_better: bool,
        unit: str = "×",
        cpu: float | None = None,
    ) -> None:
        if value is None:
            return
        shown = f"{value:.2f}{unit}" if unit == "×" else f"{value:,.1f} {unit}"
        shown_cpu = "—" if cpu is None else (f"{cpu:.2f}{unit}" if unit == "×" else f"{cpu:,.1f} {unit}")
        if goal is None:
            lines.append(f"| {name} | {w} | {shown} | {shown_cpu} | — | (for scale) |")
            return
        met = value >= goal if higher_is_better else value <= goal
        if met:
            verdict = "yes"
        elif higher_is_better:
            verdict = f"no: (b) needs to be {goal / value:.1f}× faster"
        else:
            verdict = f"no: {value / goal - 1:.0%} over"
        sign = "≥" if higher_is_better else "≤"
        goal_s = f"{sign} {goal:g}{unit}" if unit == "×" else f"{sign} {goal:,.0f} {unit}"
        lines.append(f"| {name} | {w} | {shown} | {shown_cpu} | {goal_s} | {verdict} |")

    primaries = [w for w in workloads if "@" in w]  # generated rosters: N members @ invalid share
    for w in [w for w in workloads if w != "folder"]:
        b, a = med("b_validate", w), floor(w)
        bc, ac = med("b_validate", w, "cpu"), floor(w, "cpu")

        def cpu_ratio(x: float | None, y: float | None) -> float | None:
            return x / y if x and y else None

        if b and a:
            row("(b) validate ÷ (a) floor", w, b / a, floor_goal(w, pinned), False, cpu=cpu_ratio(bc, ac))
        before = med("b0_validate", w)
        paired = paired_ratio(benches, "b_validate", "b0_validate", w)
        if paired is not None:
            row("(b) ÷ (b0), median of the per-round ratios", w, paired[0], None, False, cpu=paired[1])
        if b and before:
            row(
                "(b) validate ÷ (b0) the same @ --against",
                w,
                b / before,
                None,
                False,
                cpu=cpu_ratio(bc, med("b0_validate", w, "cpu")),
            )
        for key, name, cli in (
            ("s_plain", "(s) script read_roster + validate ÷ (b), per round", "b_validate"),
            ("s_api", "(s) script validate_files ÷ (b), per round", "b_validate"),
            ("s_summarise", "(s) script summarise_files ÷ (b) summary, per round", "b_summary"),
        ):
            found = paired_ratio(benches, key, cli, w)  # the median of the per-round ratios
            if found is not None:
                row(name, w, found[0], 1.1, False, cpu=found[1])
        for key, name, goal in (
            ("c_openpyxl", "(c) openpyxl+pandera ÷ (b)", 8),
            ("c2_calamine", "(c2) calamine+pandera ÷ (b)", None),
            ("d_frictionless", "(d) frictionless ÷ (b)", 10),
        ):
            other = med(key, w)
            if b and other:
                row(name, w, other / b, goal, True, cpu=cpu_ratio(med(key, w, "cpu"), bc))
        floor_rss = rss_of_floor(benches, w)
        if "@" in w and int(w.split("@")[0]) >= 500_000 and rss("b_validate", w) and floor_rss:
            row("peak RSS of (b) ÷ the floor's, MiB", w, rss("b_validate", w) / floor_rss, 1.0, False)
    # linear scaling: seconds per 100k members of (b) at each size, same invalid share
    by_invalid: dict[str, list[tuple[int, float, float]]] = {}
    for w in primaries:
        n, inv = w.split("@")
        m, r = med("b_validate", w), rss("b_validate", w)
        if m and r:
            by_invalid.setdefault(inv, []).append((int(n), m, r))
    for inv, points in by_invalid.items():
        if len(points) > 1:
            points.sort()
            text = "; ".join(f"{n // 1000}k: {m / n * 1e5:.2f} s, {r:,.0f} MiB" for n, m, r in points)
            lines.append(
                f"| linear scaling of (b): s per 100k members, peak RSS | {float(inv):.0%} invalid | "
                f"{text} | | flat s/100k | see values |"
            )
    # invalid share: 10% vs 1% at the same size
    sizes = sorted({int(w.split("@")[0]) for w in primaries})
    for n in sizes:
        invs = sorted(float(w.split("@")[1]) for w in primaries if int(w.split("@")[0]) == n)
        if len(invs) > 1:
            lo, hi = med("b_validate", f"{n}@{invs[0]:g}"), med("b_validate", f"{n}@{invs[-1]:g}")
            if lo and hi:
                lines.append(
                    f"| (b) at {invs[-1]:.0%} ÷ (b) at {invs[0]:.0%} invalid | {n:,} | {hi / lo:.2f}× | | "
                    f"≈ 1× | {'yes' if hi / lo <= 1.15 else 'no'} |"
                )
    if "folder" in workloads:
        f, a = med("b_validate", "folder"), floor("folder")
        if f and a:
            fc, ac = med("b_validate", "folder", "cpu"), floor("folder", "cpu")
            row("folder: (b) validate ÷ (a) floor", "folder", f / a, 2.0, False, cpu=fc / ac if fc and ac else None)
        paired = paired_ratio(benches, "b_validate", "b0_validate", "folder")
        if paired is not None:
            row("folder: (b) ÷ (b0), median of the per-round ratios", "folder", paired[0], None, False, cpu=paired[1])
    return lines


def floor_goal(w: str, pinned: bool) -> float:
    """The goal for validate ÷ the raw read: 1.25× on one core and 1.1× on two at 100k and above; 1.5× at 10k,
    where start-up is most of the run; 2× for a folder of cell workbooks."""
    if w == "folder":
        return 2.0
    if "@" in w and int(w.split("@")[0]) < 100_000:
        return 1.5
    return 1.25 if pinned else 1.1


def rss_of_floor(benches: list[Bench], w: str) -> float | None:
    """The peak RSS of the fastest raw read of ``w`` (the floor's memory)."""
    b = _floor([b for b in benches if b.workload == w])
    return b.median("rss_mib") if b else None


# ---------------------------------------------------------------- national


def national_sizes(seed: int) -> list[int]:
    rng = random.Random(seed)
    weights = sorted((rng.lognormvariate(0, 0.6) for _ in range(NATIONAL_FILES)), reverse=True)
    total = sum(weights)
    sizes = [max(20_000, round(w / total * NATIONAL_MEMBERS)) for w in weights]
    sizes[0] = NATIONAL_LARGEST  # a large province (docs/architecture.md: about 0.4M)
    excess = sum(sizes) - NATIONAL_MEMBERS
    for i in range(len(sizes) - 1, 0, -1):  # bring the total back to exactly 5.6M
        if excess == 0:
            break
        take = max(-sizes[i] // 2, min(excess, sizes[i] - 20_000))
        sizes[i] -= take
        excess -= take
    sizes[1] -= excess
    return sizes


def run_national(invalid: float, commands: set[str], log: list[str]) -> list[str]:
    """The national set file by file (one process each, as a province office runs it), then all 63 files in
    one run: ``dangvien validate`` and ``dangvien summary`` of the folder, and a script that reads it once,
    validates it (duplicates across provinces included) and summarises the same roster."""
    sizes = national_sizes(generate.SEED)
    print(
        f"\nnational: {sum(sizes):,} members in {len(sizes)} provincial workbooks "
        f"(largest {max(sizes):,}); generating what is not cached (one sequence, ~15 min) …",
        file=sys.stderr,
        flush=True,
    )
    started = time.perf_counter()
    folder = generate.ensure_national(sizes, invalid)
    paths = sorted(folder.glob("tinh_*.xlsx"))
    print(f"  workbooks ready in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    total_s = total_cpu = 0.0
    peak = 0.0
    errors = expected = members_done = twins = 0
    merged: dict[str, int] = {}
    rows = [
        "| # | province | members | MB | validate + summary s | peak RSS MiB | errors (planted) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    wall_start = time.perf_counter()
    for i, (path, n) in enumerate(zip(paths, sizes, strict=True), 1):
        facts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        twins += facts["twins_in"]
        bench = Bench(
            f"national_{i:02d}",
            "(b)",
            "validate",
            [DANGVIEN or "dangvien", "validate", str(path), "--as-of", AS_OF, "--format", "json"],
            "national",
        )
        sample = bench.run()
        seconds, cpu, rss = sample["wall"], sample["cpu"], sample["rss_mib"]
        if "summary" in commands:
            summary = Bench(
                f"national_summary_{i:02d}",
                "(b)",
                "summary",
                [DANGVIEN or "dangvien", "summary", str(path), "--as-of", AS_OF, "--format", "json"],
                "national",
            )
            s2 = summary.run()
            seconds += s2["wall"]
            cpu += s2["cpu"]
            rss = max(rss, s2["rss_mib"])
            try:
                for key, value in json.loads(summary.stdout.read_text(encoding="utf-8"))["total"].items():
                    if isinstance(value, int):
                        merged[key] = merged.get(key, 0) + value
            except (ValueError, KeyError):
                pass
        total_s += seconds
        total_cpu += cpu
        peak = max(peak, rss)
        try:
            found = json.loads(bench.stdout.read_text(encoding="utf-8"))["counts"]["error"]
        except (ValueError, KeyError):
            found = -1
        errors += max(found, 0)
        expected += facts["expected_errors"]
        members_done += n
        elapsed = time.perf_counter() - wall_start
        eta = elapsed / members_done * (sum(sizes) - members_done)
        bar = "#" * int(30 * members_done / sum(sizes))
        print(
            f"\r[{bar:<30}] {i}/{len(paths)} {facts['province']}: {n:,} members {seconds:.1f} s "
            f"{rss:,.0f} MiB | {members_done:,} done, {elapsed / 60:.1f} min, ETA {eta / 60:.1f} min   ",
            end="\n" if "error" in sample else "",
            file=sys.stderr,
            flush=True,
        )
        rows.append(
            f"| {i} | {facts['province']} | {n:,} | {facts['bytes'] / 1e6:.0f} | {seconds:.1f} | {rss:,.0f} | "
            f"{found:,} ({facts['expected_errors']:,}) |"
        )
    print(file=sys.stderr)
    together = expected + generate.TWIN_ISSUES * twins
    lines = [
        f"### National simulation: {sum(sizes):,} members in {len(sizes)} provincial workbooks",
        "",
        f"File by file (`dangvien validate FILE --format json`, one process per file"
        f"{' + `dangvien summary`' if 'summary' in commands else ''}): **{total_s / 60:.1f} min** in total, "
        f"{total_cpu / 60:.1f} CPU min ({sum(sizes) / total_s:,.0f} members/s), **peak RSS {peak:,.0f} MiB** "
        f"(largest file {max(sizes):,} members); {errors:,} errors found, {expected:,} planted.",
        "",
        f"All {len(paths)} files in one run ({twins} members are registered in two provinces: each is "
        f"{generate.TWIN_ISSUES} errors, the shared card number and CCCD on both rows, found only when the "
        f"files are checked together; {together:,} errors expected):",
        "",
        "| one run over the folder | wall s | CPU s | peak RSS MiB | errors found (expected) | members |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    script = str(HERE / "script.py")
    for key, label, cmd in (
        ("national_all_validate", "`dangvien validate DIR --format json`", [DANGVIEN or "dangvien", "validate"]),
        ("national_all_summary", "`dangvien summary DIR --format json`", [DANGVIEN or "dangvien", "summary"]),
        ("national_all_script", "script: `read_roster` + `validate` + `summary_of`", [PY, script, "checked-summary"]),
    ):
        print(f"  one run: {label} …", end="", file=sys.stderr, flush=True)
        extra = ["--format", "json"] if cmd[0] != PY else []
        bench = Bench(key, "(b)", label, [*cmd, str(folder), "--as-of", AS_OF, *extra], "national")
        sample = bench.run()
        print(f" {sample['wall']:.0f} s, {sample['rss_mib']:,.0f} MiB", file=sys.stderr, flush=True)
        found_text = members_text = "—"
        try:
            result = json.loads(bench.stdout.read_text(encoding="utf-8"))
        except ValueError:
            result = {}
        if "total" in result:
            members_text = f"{result['total']['total']:,}"
        if "summary" not in key and "counts" in result:
            found_text = f"{result['counts']['error']:,} ({together:,})"
        if "error" in sample:
            found_text = f"FAILED: {sample['error']}"
        lines.append(
            f"| {label} | {sample['wall']:.0f} | {sample['cpu']:.0f} | {sample['rss_mib']:,.0f} | {found_text} | "
            f"{members_text} |"
        )
        if result.get("errors"):
            lines += ["", "Errors by code (script): " + ", ".join(f"{k} {v:,}" for k, v in result["errors"].items())]
    lines.append("")
    if merged:
        lines += ["Merged summary (sum over provinces): " + ", ".join(f"{k} {v:,}" for k, v in merged.items()), ""]
    lines += ["<details><summary>Per province</summary>", "", *rows, "", "</details>", ""]
    log.extend(lines)
    return lines


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="members per roster, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds of every measurement (medians shown)")
    parser.add_argument("--pin", action="store_true", help="run every measured command on one core (taskset -c 0)")
    parser.add_argument(
        "--against", metavar="REF", help="also measure `dangvien validate` of the committed tree REF (before/after)"
    )
    parser.add_argument(
        "--only", metavar="GROUPS", help="measure only these groups, e.g. a,b,b0,s (default: every group)"
    )
    parser.add_argument(
        "--invalid",
        default="0.01,0.10",
        help="shares of rows with a planted problem; every tool runs at the first, "
        "the floor, (b) and (c2) at the others",
    )
    parser.add_argument("--folder", action="store_true", help="also a folder of 1,000 cell workbooks (~20 members)")
    parser.add_argument("--folder-files", type=int, default=1000)
    parser.add_argument(
        "--gallery",
        nargs="?",
        const="default",
        metavar="LAYOUTS",
        help="also layouts of the reader's gallery (gallery.py), comma-separated names, 'all' for every .xlsx "
        "layout (default: the seven of gallery.DEFAULT)",
    )
    parser.add_argument("--gallery-members", type=int, default=100_000, help="members in each gallery layout")
    parser.add_argument(
        "--national",
        action="store_true",
        help="also the national simulation: 5.6M members in 63 workbooks, file by file and all in one run",
    )
    parser.add_argument(
        "--shared-strings",
        action="store_true",
        help="generate workbooks with a shared-strings table (like Excel) instead of inline strings",
    )
    parser.add_argument("--no-frictionless", action="store_true", help="skip (d)")
    parser.add_argument(
        "--with-dev-packages",
        action="store_true",
        help="measure with the test-only packages importable (hypothesis: pandera imports it at start-up); "
        "by default they are hidden, as in a user's install",
    )
    parser.add_argument("--results", type=Path, help="results file (default benchmarks/results/<date>-<host>.md)")
    parser.add_argument(
        "--render",
        type=Path,
        metavar="RESULTS.json",
        help="measure nothing: render the report again from a results .json",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        nargs="+",
        metavar="RESULTS.json",
        help="measure nothing: write the README's performance table from these results files",
    )
    args = parser.parse_args(argv)
    if args.readme:
        write_readme([json.loads(p.read_text(encoding="utf-8")) for p in args.readme])
        return 0
    if args.render:
        raw = json.loads(args.render.read_text(encoding="utf-8"))
        if isinstance(raw.get("argv"), list):
            raw["argv"] = " ".join(raw["argv"])
        write_report(raw, args.results or args.render.with_suffix(".md"))
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    invalids = [float(s) for s in args.invalid.split(",") if s]
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    global AGAINST
    if args.pin:
        if not shutil.which("taskset"):
            parser.error("--pin needs taskset (Debian package util-linux)")
        PIN[:] = ["taskset", "-c", "0"]
    if not args.with_dev_packages:
        _hide_dev_packages()
    _snapshot_dir, digest = snapshot()
    if args.against:
        AGAINST = (args.against, snapshot_ref(args.against))
    info = machine()
    info["source"] = digest
    commands = dangvien_commands()
    notes: list[str] = []
    if not DANGVIEN:
        notes.append(f"`dangvien` is not installed beside {PY}: (b) skipped.")
    if "summary" not in commands:
        notes.append("`dangvien summary` does not exist yet (`dangvien --help`): not measured.")
    fl_ok = False
    if not args.no_frictionless and (not args.only or "d" in args.only):
        fl_ok, why = frictionless_ok()
        if not fl_ok:
            notes.append(why)

    # workloads (generated once, cached)
    facts: dict[str, dict[str, Any]] = {}
    benches: list[Bench] = []
    workloads: list[str] = []
    paths: dict[str, Path] = {}
    for n in sizes:
        for inv in invalids:
            path = generate.ensure_roster(n, inv, shared_strings=args.shared_strings)
            w = f"{n}@{inv:g}"
            workloads.append(w)
            paths[w] = path
            facts[w] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    folder = None
    if args.folder:
        folder = generate.ensure_folder(args.folder_files, 20, invalids[0])
        workloads.append("folder")
        facts["folder"] = json.loads((folder.parent / (folder.name + ".json")).read_text(encoding="utf-8"))
    galleries: dict[str, Path] = {}
    if args.gallery:
        import gallery

        names = gallery.names(args.gallery)
        for name in names:
            built = gallery.ensure(name, args.gallery_members)
            w = f"gallery:{name}"
            workloads.append(w)
            galleries[w] = built
            truth = json.loads((built / "truth.json").read_text(encoding="utf-8"))
            truth.pop("rows")
            truth["bytes"] = sum(p.stat().st_size for p in built.glob("*.xlsx"))
            facts[w] = truth

    # warm-up (untimed): page cache, library byte-code, and a first frictionless figure to decide (d) sizes
    print("warming up …", file=sys.stderr, flush=True)
    for path in paths.values():
        with path.open("rb") as fh:
            while fh.read(1 << 24):
                pass
    subprocess.run(
        [
            PY,
            "-c",
            "import pandas, pandera.pandas, fastexcel, polars, python_calamine, openpyxl, pyarrow, dangvien_data.cli",
        ],
        check=False,
    )
    fl_sizes: set[int] = set()
    if fl_ok and sizes:
        smallest = min(sizes)
        probe = roster_benches(smallest, invalids[0], paths[f"{smallest}@{invalids[0]:g}"], True, commands, True)
        probe_d = next(b for b in probe if b.group == "(d)")
        sample = measure(probe_d.cmd, probe_d.stdout, probe_d.stderr, probe_d.cwd)
        per_member = sample["wall"] / smallest
        for n in sizes:
            if per_member * n < FRICTIONLESS_LIMIT_S or n == smallest:
                fl_sizes.add(n)
            else:
                notes.append(
                    f"(d) frictionless not run at {n:,} members: ~{per_member * n:.0f} s expected from "
                    f"{smallest:,} ({sample['wall']:.1f} s), over the {FRICTIONLESS_LIMIT_S:.0f} s limit."
                )

    for n in sizes:
        for j, inv in enumerate(invalids):
            w = f"{n}@{inv:g}"
            benches += roster_benches(n, inv, paths[w], j == 0, commands, fl_ok and n in fl_sizes)
    if folder is not None:
        benches += folder_benches(folder)
    for w, built in galleries.items():
        benches += gallery_benches(w.removeprefix("gallery:"), built)
    if args.only:
        keep = {f"({g.strip().strip('()')})" for g in args.only.split(",") if g.strip()}
        benches = [b for b in benches if b.group in keep]

    total = len(benches) * args.repeat
    done = 0
    for rep in range(args.repeat):
        shift = (rep * len(benches)) // args.repeat
        order = benches[shift:] + benches[:shift]
        for bench in order:
            done += 1
            print(
                f"[{done}/{total}] round {rep + 1}: {bench.workload} {bench.group} {bench.label} …",
                end="",
                file=sys.stderr,
                flush=True,
            )
            sample = bench.run()
            status = f" {sample['wall']:.2f} s, {sample['rss_mib']:,.0f} MiB"
            if "error" in sample:
                status += f" FAILED: {sample['error']}"
            print(status, file=sys.stderr, flush=True)

    checks = {w: [c for c in (check_output(b, facts[w]) for b in benches if b.workload == w) if c] for w in workloads}
    for w, built in galleries.items():
        checks[w].append(gallery_check(built))
    national: list[str] = run_national(invalids[0], commands, []) if args.national else []
    command = " ".join(argv if argv is not None else sys.argv[1:])
    info["load_end"] = [round(x, 2) for x in os.getloadavg()]
    raw = {
        "machine": info,
        "argv": command,
        "repeat": args.repeat,
        "shared_strings": args.shared_strings,
        "workloads": facts,
        "order": workloads,
        "checks": checks,
        "notes": notes,
        "national": national,
        "elapsed_s": time.perf_counter() - t0,
        "benches": [
            {
                "key": b.key,
                "group": b.group,
                "label": b.label,
                "workload": b.workload,
                "cmd": [str(c) for c in b.cmd],
                "samples": b.samples,
            }
            for b in benches
        ],
    }
    target = args.results or RESULTS / f"{dt.date.today().isoformat()}-{info['host']}.md"
    write_report(raw, target)
    return 0


README_START = "<!-- bench-table:start (benchmarks/run.py --readme) -->"
README_END = "<!-- bench-table:end -->"


def readme_block(raws: list[dict[str, Any]]) -> str:
    """The README's performance table from one or more results files: per workload the floor and validate in
    wall and CPU seconds, their ratio beside the goal, the script ÷ command ratio, the baselines, peak RSS of
    both; then the conditions of each run (machine, load, pinning, rounds, the command that measured it)."""
    rows = [
        "| đảng viên / members | (a) đọc thô / raw read (floor) s, CPU s | (b) `dangvien validate` s, CPU s "
        "| (b)÷(a) wall / CPU (mục tiêu / goal) | script ÷ command: validate / summary "
        "| (c) pandas+openpyxl+pandera ÷ (b) | (d) frictionless ÷ (b) | RSS (b) / (a) MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    conditions = []
    table: dict[str, tuple[int, str]] = {}  # workload -> (results file, row); a later file measures it again
    for k, raw in enumerate(raws, start=1):
        info, facts = raw["machine"], raw["workloads"]
        benches = [
            Bench(b["key"], b["group"], b["label"], b["cmd"], b["workload"], samples=b["samples"])
            for b in raw["benches"]
        ]
        pinned = bool(info.get("pinned"))
        for w in raw.get("order") or list(facts):
            if w.startswith("gallery:"):
                continue
            here = [b for b in benches if b.workload == w]
            floor, validate = _floor(here), next((b for b in here if b.key.startswith("b_validate")), None)
            if floor is None or validate is None or validate.median() is None:
                continue
            if w == "folder":
                name = f"{facts[w]['files']} tệp chi bộ / cell files × ~{facts[w]['members'] // facts[w]['files']}"
            else:
                n, inv = w.split("@")
                name = f"{int(n) // 1000}k, {float(inv):.0%} lỗi / invalid"
            fw, fc, vw, vc = floor.median(), floor.median("cpu"), validate.median(), validate.median("cpu")
            assert fw and fc and vw and vc
            goal = floor_goal(w, pinned)
            verdict = "✓" if vw / fw <= goal else "✗"
            scripts = [
                paired_ratio(benches, a, b, w) for a, b in (("s_plain", "b_validate"), ("s_summarise", "b_summary"))
            ]
            script = " / ".join(f"{r[0]:.2f}×" for r in scripts if r) or "–"
            others = []
            for key in ("c_openpyxl", "d_frictionless"):
                other = next((b for b in here if b.key.startswith(key)), None)
                m = other.median() if other else None
                others.append(f"{m / vw:.1f}× ({m:.1f} s)" if m else "–")
            rss_b, rss_a = validate.median("rss_mib"), floor.median("rss_mib")
            table[w] = (
                k,
                (
                    f"| {name} [{k}] | {fw:.2f}, {fc:.2f} | {vw:.2f}, {vc:.2f} | {vw / fw:.2f}× / {vc / fc:.2f}× "
                    f"(≤ {goal:g}× {verdict}) | {script} | {others[0]} | {others[1]} "
                    f"| {rss_b:,.0f} / {rss_a:,.0f} |"
                ),
            )
        load = info.get("load_start")
        conditions.append(
            f"[{k}] {raw.get('date', '?')}, {info['nproc']} lõi / cores, {info['cpu']}, {info['ram_gib']} GiB; "
            f"{'mỗi lệnh chạy trên một lõi / every command pinned to one core' if pinned else 'hai lõi / two cores'}"
            f"{'; không có gói chỉ dùng cho kiểm thử / without the test-only packages' if info.get('hidden') else ''}"
            f"; tải lúc bắt đầu / load at start {load[0] if load else '?'}; {raw.get('repeat', '?')} lượt xen kẽ, "
            f"trung vị / interleaved rounds, medians; Python {info['python']}, pandas {info['packages'].get('pandas')}"
            f", fastexcel {info['packages'].get('fastexcel')}; mã / source {info.get('commit', '?')}; "
            f"`.venv/bin/python benchmarks/run.py {raw['argv']}`."
        )

    def order(w: str) -> tuple[int, float]:
        return (1, 0.0) if "@" not in w else (0, float(w.split("@")[0]) + float(w.split("@")[1]))

    rows += [table[w][1] for w in sorted(table, key=order)]
    used = {k for k, _ in table.values()}
    conditions = [c for k, c in enumerate(conditions, start=1) if k in used]
    return "\n".join([README_START, "", *rows, "", *(f"{c}  " for c in conditions), "", README_END])


def write_readme(raws: list[dict[str, Any]], readme: Path = ROOT / "README.md") -> None:
    """Put :func:`readme_block` of ``raws`` between the README's markers (written whole, then renamed)."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f"{readme}: no {README_START} … {README_END} markers to put the table between")
    updated = text[:start] + readme_block(raws) + text[end + len(README_END) :]
    part = readme.with_suffix(".md.part")
    part.write_text(updated, encoding="utf-8")
    part.replace(readme)
    print(f"written: the table in {readme}", file=sys.stderr)


def write_report(raw: dict[str, Any], target: Path) -> None:
    """Render the Markdown report from the raw samples; print it and write it (and the raw .json)."""
    info, facts = raw["machine"], raw["workloads"]
    benches = [
        Bench(b["key"], b["group"], b["label"], b["cmd"], b["workload"], samples=b["samples"]) for b in raw["benches"]
    ]
    workloads = raw.get("order") or list(facts)
    shared = raw.get("shared_strings", False)
    lines = [
        f"## Benchmark {raw.get('date', dt.date.today().isoformat())} on {info['host']}",
        "",
        f"**Machine:** {machine_line(info)}",
        "",
        f"Command: `.venv/bin/python benchmarks/run.py {raw['argv']}` — {raw.get('repeat', '?')} interleaved "
        f"rounds, medians; as-of {AS_OF}; workbooks written with "
        f"{'a shared-strings table' if shared else 'inline strings (xlsxwriter constant_memory)'}.",
        "",
    ]
    checks = dict(raw.get("checks") or {})
    for w in workloads:
        lines += table(benches, facts[w], w)
        if not checks.get(w):
            checks[w] = [c for c in (check_output(b, facts[w]) for b in benches if b.workload == w) if c]
        lines += ["", "Checked outputs (last round): " + "; ".join(checks[w]) + ".", ""]
    if workloads:
        lines += ["### Targets", "", *targets(benches, facts, workloads, pinned=bool(info.get("pinned"))), ""]
    if raw.get("notes"):
        lines += ["### Notes", "", *(f"- {n}" for n in raw["notes"]), ""]
    lines += raw.get("national") or []
    if raw.get("elapsed_s"):
        lines += [f"Total run time {raw['elapsed_s'] / 60:.1f} min.", ""]
    text = "\n".join(lines)
    print(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n", encoding="utf-8")
    raw.setdefault("date", dt.date.today().isoformat())
    raw["checks"] = checks
    target.with_suffix(".json").write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwritten: {target} (+ .json with every sample)", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
