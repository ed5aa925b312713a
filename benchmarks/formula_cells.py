"""read_roster of a roster whose STT column is a formula in every row, saved without values (as openpyxl and
other programs save formulas), with the reader's way of putting the formula text back into the grid beside
the cell-at-a-time way it replaced, in the same process, interleaved rounds, CPU seconds.

    .venv/bin/python benchmarks/formula_cells.py [--members 100000] [--repeat 5]

The workbook is cached in benchmarks/.cache/ (openpyxl, write-only). Every row's STT cell ("=ROW()-4") comes
back from the fast reader empty and is put back from the measuring pass as "=ROW()-4"; both ways must give the
same roster, checked before timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


def ensure(members: int) -> Path:
    import openpyxl

    path = CACHE / f"formula_stt_n{members}_v1.xlsx"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH ĐẢNG VIÊN"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức"])
    sheet.append(["I. Chi bộ Đội Tổng hợp"])
    first = dt.date(1965, 1, 1)
    for k in range(members):
        born = first + dt.timedelta(days=k % 12_007)
        born = born.replace(day=28) if (born.month, born.day) == (2, 29) else born
        admitted = born.replace(year=born.year + 21, day=min(born.day, 28))
        sheet.append(
            [
                "=ROW()-4",
                f"Nguyễn Văn {k}",
                born,
                "Nam",
                "Kinh",
                admitted,
                admitted.replace(year=admitted.year + 1),
            ]
        )
    part = path.with_suffix(".part.xlsx")
    book.save(part)
    part.rename(path)
    return path


def cell_at_a_time(grid: pd.DataFrame, specials: dict[tuple[int, int], str]) -> pd.DataFrame:
    """The replaced way: ``grid.at[row, col] = text`` for every special cell (each copies an Arrow column)."""
    rows = max(row for row, _ in specials) + 1
    columns = sorted(set(grid.columns) | {col for _, col in specials})
    if rows > len(grid) or len(columns) != len(grid.columns):
        grid = grid.reindex(index=range(max(rows, len(grid))), columns=columns).astype("str")
    for (row, col), text in specials.items():
        if not isinstance(grid.at[row, col], str):
            grid.at[row, col] = text
    return grid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    path = ensure(args.members)
    from dangvien_data.roster import reader
    from dangvien_data.roster.reader import read_roster

    current = reader._with_specials
    ways: dict[str, Any] = {"column at a time (now)": current, "cell at a time (before)": cell_at_a_time}

    def run(way: Any) -> tuple[float, float, Any]:
        reader._with_specials = way
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            roster = read_roster(path)
            return time.perf_counter() - wall, time.process_time() - cpu, roster
        finally:
            reader._with_specials = current

    rosters = {name: run(way)[2] for name, way in ways.items()}  # warm-up, and the same roster both ways
    first, second = rosters.values()
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert [i.to_dict() for i in first.issues] == [i.to_dict() for i in second.issues]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    for _ in range(args.repeat):
        for name, way in ways.items():
            wall, cpu, _ = run(way)
            samples[name].append((wall, cpu))
    print(f"{path.name}: {len(first):,} members, {len(first.issues):,} issues, {args.repeat} interleaved rounds")
    print("| read_roster | median wall s | median CPU s |")
    print("|---|---:|---:|")
    for name, found in samples.items():
        wall = statistics.median(w for w, _ in found)
        cpu = statistics.median(c for _, c in found)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    now, before = samples.values()
    ratio = statistics.median(a[1] / b[1] for a, b in zip(now, before, strict=True))
    print(f"now ÷ before, median of the per-round CPU ratios: {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
