"""Side by side: writing a new styled workbook with XlsxWriter (the summary workbooks) and with openpyxl.

    .venv/bin/python benchmarks/writers.py                 # 20 000 rows × 20 columns, 5 rounds
    .venv/bin/python benchmarks/writers.py --rows 100000

Each round writes the same table (boxed Times New Roman cells, a text column, counts, a SUM totals row) once
with each library, in alternating order, in a fresh subprocess timed by its own CPU seconds (user + system of
the child), so imports count as a user waits for them. The table reports medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

_XLSXWRITER = """
import sys, xlsxwriter
rows, cols, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
box = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "border": 1})
ws = wb.add_worksheet("T")
for r in range(rows):
    ws.write_string(r, 0, f"Chi bộ {r}", box)
    for c in range(1, cols):
        ws.write_number(r, c, (r * c) % 97, box)
for c in range(1, cols):
    ws.write_formula(rows, c, f"=SUM({chr(65 + c % 26)}1:{chr(65 + c % 26)}{rows})", box, 0)
wb.close()
"""
_OPENPYXL = """
import sys, openpyxl
from openpyxl.styles import Border, Font, Side
rows, cols, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
thin = Side(style="thin")
box, font = Border(left=thin, right=thin, top=thin, bottom=thin), Font(name="Times New Roman", size=11)
wb = openpyxl.Workbook()
ws = wb.active
for r in range(1, rows + 1):
    cell = ws.cell(r, 1, f"Chi bộ {r}")
    cell.border, cell.font = box, font
    for c in range(2, cols + 1):
        cell = ws.cell(r, c, (r * c) % 97)
        cell.border, cell.font = box, font
for c in range(2, cols + 1):
    ws.cell(rows + 1, c, f"=SUM({chr(64 + c % 26)}1:{chr(64 + c % 26)}{rows})")
wb.save(out)
"""


def _cpu(script: str, rows: int, cols: int, out: str) -> float:
    pid = subprocess.Popen([sys.executable, "-c", script, str(rows), str(cols), out]).pid
    _, status, usage = os.wait4(pid, 0)
    assert status == 0, script[:40]
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cols", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"xlsxwriter": [], "openpyxl": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            order = [("xlsxwriter", _XLSXWRITER), ("openpyxl", _OPENPYXL)]
            for name, script in order if i % 2 == 0 else order[::-1]:
                times[name].append(_cpu(script, args.rows, args.cols, os.path.join(tmp, f"{name}.xlsx")))
    fast, slow = statistics.median(times["xlsxwriter"]), statistics.median(times["openpyxl"])
    print(f"{args.rows} rows × {args.cols} columns, median of {args.rounds} rounds, CPU seconds of each child")
    print(f"  XlsxWriter {fast:.2f} s · openpyxl {slow:.2f} s · openpyxl / XlsxWriter = {slow / fast:.1f}×")


if __name__ == "__main__":
    main()
