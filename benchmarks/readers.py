"""The floor (a): the raw read of a roster workbook into a pandas frame, every cell as it comes, no header.

    python benchmarks/readers.py fastexcel FILE [FILE …]   # fastexcel, dtypes="string", header_row=None
    python benchmarks/readers.py polars FILE              # polars (calamine engine), all columns String
    python benchmarks/readers.py calamine FILE            # python-calamine rows -> pandas.DataFrame
    python benchmarks/readers.py fastexcel --all-sheets FILE|DIR   # every sheet of every workbook (fastexcel)

Prints one JSON line: the reader, the rows and columns read, and ``inner_s``, the seconds spent reading
after the imports (the benchmark runner times the whole process as well). Given several files (a folder of
cell workbooks), reads each in turn, as a loop in a user's script would; with ``--all-sheets`` every sheet of each
(a workbook with a sheet per cell).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def read_fastexcel(path: str):  # type: ignore[no-untyped-def]
    import fastexcel

    reader = fastexcel.read_excel(path)
    return reader.load_sheet(0, header_row=None, dtypes="string").to_pandas()


def read_fastexcel_sheets(path: str):  # type: ignore[no-untyped-def]
    import fastexcel
    import pandas as pd

    reader = fastexcel.read_excel(path)
    frames = [
        reader.load_sheet(i, header_row=None, dtypes="string").to_pandas() for i in range(len(reader.sheet_names))
    ]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def read_polars(path: str):  # type: ignore[no-untyped-def]
    import polars as pl

    frame = pl.read_excel(
        path,
        sheet_id=1,
        engine="calamine",
        has_header=False,
        infer_schema_length=0,
        drop_empty_rows=False,
        drop_empty_cols=False,
    )
    return frame.to_pandas()


def read_calamine(path: str):  # type: ignore[no-untyped-def]
    import pandas as pd
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    return pd.DataFrame(rows)


READERS = {"fastexcel": read_fastexcel, "polars": read_polars, "calamine": read_calamine}


def main(argv: list[str]) -> int:
    name, paths = argv[0], argv[1:]
    all_sheets = "--all-sheets" in paths
    paths = [p for p in paths if p != "--all-sheets"]
    if all_sheets and name != "fastexcel":
        raise SystemExit("--all-sheets is measured with fastexcel only")
    files: list[str] = []
    for raw in paths:
        path = Path(raw)
        files += sorted(str(p) for p in path.glob("*.xlsx")) if path.is_dir() else [raw]
    import pandas  # noqa: F401  -- imports are not part of inner_s

    if name == "polars":
        import polars  # noqa: F401
    elif name == "fastexcel":
        import fastexcel  # noqa: F401
        import pyarrow  # noqa: F401
    else:
        import python_calamine  # noqa: F401
    started = time.perf_counter()
    rows = cols = 0
    for path in files:
        frame = read_fastexcel_sheets(path) if all_sheets else READERS[name](path)
        rows += frame.shape[0]
        cols = max(cols, frame.shape[1])
    inner = time.perf_counter() - started
    print(json.dumps({"reader": name, "files": len(files), "rows": rows, "cols": cols, "inner_s": round(inner, 4)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
