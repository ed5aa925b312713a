"""Repeated rows: the same 8 members pasted over and over (an ordinary office mistake), side by side with the raw
read of the same file, and the used-range pass beside the fast read it protects.

    python benchmarks/repeated_rows.py                       # 25k, 50k and 100k rows
    python benchmarks/repeated_rows.py --rows 100000 --repeat 3
    git archive REV src schemas | tar -x -C /tmp/before      # another version of the package, to compare:
    python benchmarks/repeated_rows.py --rows 5000,10000,20000 --against /tmp/before --repeat 1

Every duplicate card, duplicate person and extra secretary is reported, so the issue count grows with the rows;
what must not grow faster than the rows is the time and memory. Each measurement is a fresh process: (a) the
floor (``readers.py fastexcel``), (b) ``dangvien validate FILE --as-of 2020-03-31 --format json``; the median wall
seconds, CPU seconds (user + system) and peak RSS (``ru_maxrss``) of the process are printed as a Markdown table
with the ratio to (a); ``--against DIR`` adds (c), the same command run from the package in ``DIR/src``. Every
process runs under a 4 GiB address-space cap, so a version that grows quadratically ends with "out of memory"
instead of taking the machine. The last table times, in this process, the used-range pass of :mod:`dangvien_data.io.
xlsx_scan` (its quick pass, and the XML parser alone) against ``fastexcel`` loading the sheet (CPU seconds).
Workbooks are written to ``benchmarks/.cache/`` (raw XML, a few seconds; never committed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
COLUMNS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Tôn giáo", "Quê quán", "Cấp bậc"]
COLUMNS += ["Chức vụ Đảng", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Số CCCD"]
EIGHT = [
    ("Nguyễn Văn An", "05/03/1980", "Nam", "Thiếu tá", "Bí thư", "19/05/2005", "19/05/2006", "01234567"),
    ("Trần Thị Bình", "12/08/1985", "Nữ", "Đại úy", "Phó Bí thư", "03/02/2010", "03/02/2011", "01234568"),
    ("Lê Văn Cường", "30/11/1978", "Nam", "Trung tá", "Chi ủy viên", "15/07/2003", "15/07/2004", "01234569"),
    ("Phạm Văn Dũng", "01/01/1990", "Nam", "Thượng úy", None, "22/12/2015", "22/12/2016", "01234570"),
    ("Hoàng Thị Hà", "14/02/1988", "Nữ", "Đại úy", None, "10/10/2012", "10/10/2013", "01234571"),
    ("Vũ Đức Hòa", "21/06/1982", "Nam", "Thiếu tá", "Bí thư", "01/09/2008", "01/09/2009", "01234572"),
    ("Đặng Thu Lan", "09/09/1991", "Nữ", "Thượng úy", None, "05/05/2016", "05/05/2017", "01234573"),
    ("Bùi Minh Tuấn", "17/04/1984", "Nam", "Đại úy", None, "30/04/2011", "30/04/2012", "01234574"),
]


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def write_roster(path: Path, rows: int) -> Path:
    """A one-sheet roster: the header, one cell's section row, then the 8 members repeated to ``rows`` rows."""
    letters = [chr(65 + i) for i in range(len(COLUMNS))]
    sheet = [
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>'
    ]
    sheet.append('<row r="1">' + "".join(_cell(f"{c}1", h) for c, h in zip(letters, COLUMNS, strict=True)) + "</row>")
    sheet.append('<row r="2">' + _cell("A2", "I. Chi bộ Đội Tổng hợp") + "</row>")
    for i in range(rows):
        name, born, sex, rank, post, admitted, official, card = EIGHT[i % 8]
        values = [str(i + 1), name, born, sex, "Kinh", "Không", "Hà Nội", rank, post, admitted, official, card, None]
        r = i + 3
        cells = "".join(_cell(f"{c}{r}", v) for c, v in zip(letters, values, strict=True) if v)
        sheet.append(f'<row r="{r}">{cells}</row>')
    sheet.append("</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types"><Default '
        f'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        f'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        f'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        f'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        f'worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/'
        'officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": "".join(sheet),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


CAP = 4 * 1024**3


def _cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MiB and exit code of one run of ``command``."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env, preexec_fn=_cap)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def scan_versus_read(path: Path, repeat: int) -> dict[str, float]:
    """CPU seconds of the used-range pass (quick, and the parser alone) and of fastexcel loading the sheet."""
    import fastexcel

    from dangvien_data.io import xlsx_scan

    def quick() -> None:
        with zipfile.ZipFile(path) as archive:
            xlsx_scan.scan_sheets(archive)

    def parser() -> None:
        with zipfile.ZipFile(path) as archive:
            xlsx_scan._parse_sheet_part(archive, "xl/worksheets/sheet1.xml")

    def read() -> None:
        fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string").to_arrow()

    found = {}
    for name, run in (("quick pass", quick), ("XML parser alone", parser), ("fastexcel load_sheet", read)):
        run()  # warm: imports and the file in the page cache
        times = []
        for _ in range(repeat):
            started = time.process_time()
            run()
            times.append(time.process_time() - started)
        found[name] = statistics.median(times)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="25000,50000,100000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another version: a folder holding its src/ and schemas/")
    args = parser.parse_args()
    python, dangvien = sys.executable, [sys.executable, "-m", "dangvien_data"]
    print(f"# Repeated rows ({dt.date.today()}, {os.cpu_count()} cores, Python {sys.version.split()[0]})\n")
    print("| rows | tool | median s | CPU s | peak RSS MiB | × (a) wall | × (a) CPU | exit |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    scans = {}
    for rows in (int(r) for r in args.rows.split(",")):
        path = write_roster(CACHE / f"repeated_{rows}.xlsx", rows)
        tools = {
            "(a) fastexcel raw read": [python, str(HERE / "readers.py"), "fastexcel", str(path)],
            "(b) dangvien validate": [*dangvien, "validate", str(path), "--as-of", "2020-03-31", "--format", "json"],
        }
        envs: dict[str, dict[str, str] | None] = dict.fromkeys(tools)
        if args.against:
            name = f"(c) validate from {args.against}"
            tools[name] = tools["(b) dangvien validate"]
            envs[name] = dict(os.environ, PYTHONPATH=str(args.against / "src"))
        results: dict[str, list[tuple[float, float, float, int]]] = {}
        for _ in range(args.repeat):  # interleaved rounds
            for name, command in tools.items():
                results.setdefault(name, []).append(measure(command, envs.get(name)))
        floor = [statistics.median(x[i] for x in results["(a) fastexcel raw read"]) for i in range(3)]
        for name, samples in results.items():
            wall, cpu, rss = (statistics.median(x[i] for x in samples) for i in range(3))
            codes = ", ".join(str(c) for c in sorted({x[3] for x in samples}))
            print(
                f"| {rows:,} | {name} | {wall:.2f} | {cpu:.2f} | {rss:,.0f} | {wall / floor[0]:.1f} | "
                f"{cpu / floor[1]:.1f} | {codes} |"
            )
        scans[rows] = scan_versus_read(path, args.repeat)
    print(
        "\n| rows | used-range pass (CPU s) | XML parser alone | fastexcel load_sheet | quick ÷ load | parser ÷ load |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for rows, found in scans.items():
        quick, parsed, read = found["quick pass"], found["XML parser alone"], found["fastexcel load_sheet"]
        print(f"| {rows:,} | {quick:.2f} | {parsed:.2f} | {read:.2f} | {quick / read:.2f} | {parsed / read:.2f} |")


if __name__ == "__main__":
    main()
