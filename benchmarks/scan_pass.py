"""The loader's measuring pass beside what it protects: where the read's time goes before any rule runs.

    .venv/bin/python benchmarks/scan_pass.py FILE.xlsx [--repeat 5] [--against OTHER_CHECKOUT]

Before fastexcel (calamine) loads a sheet, ``io/xlsx_scan.py`` measures its used range, because calamine
allocates the whole bounding box of the cells at once, whatever ``n_rows`` or ``use_columns`` asks for (one
stray value at XFD5000 beside A1 costs 2.5 GiB). This script times, in interleaved rounds in one process, on
the first sheet part of FILE:

- ``decompress``: reading the part through zipfile, nothing else (the part of the pass no byte search avoids);
- ``quick pass``: ``_quick_scan`` (byte searches over the decompressed part: the path plain files take);
- ``xml parser``: ``_parse_sheet_part`` (expat: the path of parts the quick pass cannot prove plain);
- ``fastexcel``: ``load_sheet(…, dtypes="string").to_arrow()``, the read itself;
- with ``--against DIR`` (another checkout, e.g. ``git worktree add /tmp/base main``): that checkout's quick
  pass too, in the same rounds, checked to measure the same range.

It prints medians of wall and CPU seconds and each one's ratio to the read, so that a change to the pass can
be judged against the cost it adds to every file.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout whose quick pass is timed beside this one")
    args = parser.parse_args(argv)

    import fastexcel

    from dangvien_data.io import xlsx_scan

    archive = zipfile.ZipFile(args.file)
    member = xlsx_scan.sheet_parts(archive)[0][1]
    size = archive.getinfo(member).file_size

    def decompress() -> object:
        with archive.open(member) as stream:
            while stream.read(4 * 1024**2):
                pass
        return None

    def read() -> object:
        sheet = fastexcel.read_excel(str(args.file)).load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        return sheet.to_arrow().num_rows

    steps: dict[str, Callable[[], object]] = {
        "decompress": decompress,
        "quick pass": lambda: xlsx_scan._quick_scan(archive, member),
        "xml parser": lambda: xlsx_scan._parse_sheet_part(archive, member),
        "fastexcel": read,
    }
    if args.against:
        other = _module_at(args.against / "src" / "dangvien_data" / "io" / "xlsx_scan.py")
        ours, theirs = xlsx_scan._quick_scan(archive, member), other._quick_scan(archive, member)
        assert (ours and ours.cells) == (theirs and theirs.cells), "the two quick passes measure different ranges"
        steps[f"quick pass of {args.against}"] = lambda: other._quick_scan(archive, member)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
    for _ in range(args.repeat):
        for name, step in steps.items():
            wall, cpu = time.perf_counter(), time.process_time()
            step()
            samples[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    quick = xlsx_scan._quick_scan(archive, member)
    print(
        f"{args.file.name}: {member}, {size / 1e6:.1f} MB decompressed, quick pass "
        f"{'proved the part plain' if quick is not None else 'refused the part (parser path)'}; "
        f"medians of {args.repeat} interleaved rounds\n"
    )
    read_wall = statistics.median(w for w, _ in samples["fastexcel"])
    read_cpu = statistics.median(c for _, c in samples["fastexcel"])
    print("| step | wall s | CPU s | ÷ fastexcel (wall / CPU) |\n|---|---:|---:|---:|")
    for name, values in samples.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / read_wall:.2f}× / {cpu / read_cpu:.2f}× |")
    return 0


def _module_at(path: Path) -> Any:
    """The module at ``path`` loaded under its own name, beside this checkout's."""
    spec = importlib.util.spec_from_file_location("other_xlsx_scan", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
