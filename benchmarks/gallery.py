"""The reader's layout gallery (tests/layouts.py) at benchmark size, with the truth each workbook holds.

The tests build every layout of the gallery with a handful of members; here the same builder writes them with
N members (cached in benchmarks/.cache/gallery/), so that the speed of ``dangvien validate`` is measured on the
layouts offices use (split names, abbreviated headers, a sheet or a file per cell, totals rows, birth dates under
"Nam"/"Nữ", legacy fonts, capitals, reversed columns …), not only on the one layout ``generate.py`` writes.

    python benchmarks/gallery.py build  --members 100000 [--layouts a,b,…]   # write (or reuse) the workbooks
    python benchmarks/gallery.py check  DIR                                  # read_roster against the truth

The members are clean (every rule passes at 31/03/2020), each with a different card number and a different
(name, birth date), so a correct ``validate`` reports no error. ``check`` reads the workbooks with the library
and compares every member's cell, name, file, sheet, row, name ref and birth-date ref, and the counts per cell,
with the truth written beside them (``truth.json``); it prints one JSON line and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache" / "gallery"
VERSION = 2  # bump when the output changes, so cached workbooks are rebuilt
AS_OF = "2020-03-31"
# the layouts measured by default: one of each kind of difference from generate.py's layout (xlsx only: .xls holds
# 65,536 rows a sheet, and converting 100k rows with LibreOffice measures LibreOffice)
DEFAULT = (
    "sheet-per-cell",
    "abbreviated-split-name-files",
    "totals-and-subtotals",
    "birth-split-by-sex",
    "vni-cell",
    "reversed-columns-no-title",
    "everything",
)

for folder in ("tests", "tests/domain"):  # the gallery and the VNI table it writes with
    sys.path.insert(0, str(ROOT / folder))

import layouts  # noqa: E402  (tests/layouts.py, after the path above)

_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Quốc", "Thanh", "Ngọc", "Đức", "Thu", "Xuân")
_BORN_DAYS = 12_007  # a prime: with the 960 names below, no (name, birth date) repeats before 11.5M members


def scaled_people(count: int) -> list[layouts.Person]:
    """``count`` clean members over the gallery's cells, each with a different card and (name, birth date).

    Born 1965-1997 (never on 29 February, which the elderly layout could not move by whole years), admitted at
    21 (so official before 31/03/2020 for all), a card number of 8 digits.
    """
    first = dt.date(1965, 1, 1)
    out = []
    for k in range(count):
        family = layouts._FAMILIES[k % len(layouts._FAMILIES)].split()[0]
        middle = _MIDDLE[(k // 8) % len(_MIDDLE)]
        given = layouts._GIVEN[(k // 80) % len(layouts._GIVEN)]
        born = first + dt.timedelta(days=k % _BORN_DAYS)
        born = born.replace(day=28) if (born.month, born.day) == (2, 29) else born  # the builder moves years
        admitted = born.replace(year=born.year + 21, day=min(born.day, 28))
        out.append(
            layouts.Person(
                family=f"{family} {middle}",
                given=given,
                born=born,
                sex="Nữ" if middle in ("Thị", "Ngọc", "Thu") else "Nam",
                cell=layouts.CELLS[k % len(layouts.CELLS)],
                admitted=admitted,
                card=f"{10_000_000 + k:08d}",
            )
        )
    return out


def names(spec: str) -> list[str]:
    """The layouts named by ``spec``: "default" (:data:`DEFAULT`), "all" (every .xlsx layout), or a list."""
    if spec == "default":
        return list(DEFAULT)
    if spec == "all":
        return [item.name for item in layouts.GALLERY if item.fmt == "xlsx"]
    return [layout(n.strip()).name for n in spec.split(",") if n.strip()]


def layout(name: str) -> layouts.Layout:
    for item in layouts.GALLERY:
        if item.name == name:
            return item
    known = ", ".join(item.name for item in layouts.GALLERY if item.fmt == "xlsx")
    raise SystemExit(f"unknown layout {name!r}; the gallery's .xlsx layouts: {known}")


def ensure(name: str, members: int, *, quiet: bool = False) -> Path:
    """The folder holding layout ``name`` with ``members`` members and its ``truth.json``, built if missing."""
    item = layout(name)
    if item.fmt != "xlsx":
        raise SystemExit(f"layout {name!r} is written as .{item.fmt}: only .xlsx layouts are built at this size")
    folder = CACHE / f"{name}_n{members}_v{VERSION}"
    if (folder / "truth.json").exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    building = folder.with_name(folder.name + ".part")
    shutil.rmtree(building, ignore_errors=True)
    if not quiet:
        print(f"building layout {name} with {members:,} members …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    persons = layouts.with_status(scaled_people(members), item)
    expected = layouts.build(item, persons, building)
    truth = {
        "layout": name,
        "members": len(expected.members),
        "counts": expected.counts(),
        "expected_errors": 0,
        "files": [p.name for p in expected.files],
        # (cell, name, file name, sheet, row, name ref, birth ref) of every member
        "rows": [[c, n, Path(f).name, s, r, a, b] for c, n, f, s, r, a, b in expected.members],
        "departed": [[Path(f).name, s, r] for f, s, r in expected.departed],
        "version": VERSION,
    }
    (building / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    building.rename(folder)
    if not quiet:
        size = sum(p.stat().st_size for p in folder.glob("*.xlsx")) / 1e6
        print(f"  {size:.1f} MB in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def target(folder: Path) -> Path:
    """What a user gives ``dangvien validate``: the one workbook, or the folder of cell workbooks."""
    books = sorted(folder.glob("*.xlsx"))
    return books[0] if len(books) == 1 else folder


def check(folder: Path) -> dict[str, Any]:
    """read_roster of the layout against its truth: every member's place and refs, the counts per cell."""
    from dangvien_data.roster.reader import read_roster

    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    books = [folder / name for name in truth["files"]]
    roster = read_roster(books if len(books) > 1 else books[0])
    found = Counter((c, n, Path(f).name, s, r, a, b) for c, n, f, s, r, a, b in layouts.members_read(roster))
    wanted = Counter(tuple(r) for r in truth["rows"])
    missing, unexpected = wanted - found, found - wanted
    counts = roster.per_cell().set_index("cell")["members"].to_dict()
    departed = sorted((Path(i.file or "").name, i.sheet, i.row) for i in roster.issues if i.code == "member-departed")
    result = {
        "layout": truth["layout"],
        "members": len(roster),
        "expected_members": truth["members"],
        "counts_match": counts == truth["counts"],
        "departed_match": departed == sorted(tuple(d) for d in truth["departed"]),
        "missing": sum(missing.values()),
        "unexpected": sum(unexpected.values()),
        "example": [list(x) for x in [*list(missing)[:2], *list(unexpected)[:2]]],
    }
    result["ok"] = (
        result["members"] == result["expected_members"]
        and result["counts_match"]
        and result["departed_match"]
        and not result["missing"]
        and not result["unexpected"]
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write (or reuse) the layouts' workbooks")
    build.add_argument("--members", type=int, required=True)
    build.add_argument("--layouts", default="default", help="gallery names, comma-separated, or 'default' or 'all'")
    checking = sub.add_parser("check", help="read a built layout and compare it with its truth")
    checking.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        for name in names(args.layouts):
            print(ensure(name, args.members))
        return 0
    result = check(args.folder)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
