"""What a user's script does, for the runner to time beside the command line (run.py group (s)).

    .venv/bin/python benchmarks/script.py plain FILE --as-of 2020-03-31      # read_roster + validate
    .venv/bin/python benchmarks/script.py api FILE --as-of 2020-03-31        # validate_files
    .venv/bin/python benchmarks/script.py summarise FILE --as-of 2020-03-31  # summarise_files
    .venv/bin/python benchmarks/script.py checked-summary FOLDER --as-of 2020-03-31  # one read, both results

Each writes what the matching command writes with ``--format json`` (the report's JSON on stdout), so the
work after the check is the same as the command line's and the runner checks the counts. ``checked-summary``
reads the files once, validates them together (duplicates across files included) and summarises the same
roster, as the web page does, and writes the report's counts per code beside the summary's total.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["plain", "api", "summarise", "checked-summary"])
    parser.add_argument("path")
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args(argv)
    if args.mode == "plain":  # the two public functions, as the README's example writes them
        from dangvien_data import read_roster, validate

        report = validate(read_roster(args.path), as_of=args.as_of)
        sys.stdout.writelines(report.iter_json("vi"))
        return 1 if report.counts["error"] else 0
    if args.mode == "api":
        from dangvien_data import validate_files

        report = validate_files(args.path, as_of=args.as_of)
        sys.stdout.writelines(report.iter_json("vi"))
        return 1 if report.counts["error"] else 0
    if args.mode == "checked-summary":
        import datetime as dt
        import json
        from collections import Counter

        from dangvien_data import read_roster, validate
        from dangvien_data.api import summary_of

        day = dt.date.fromisoformat(args.as_of)
        roster = read_roster(args.path)
        report = validate(roster, as_of=day)
        summary = summary_of(roster, report, as_of=day)
        codes = Counter(i.code for i in report.issues if i.severity == "error")
        out = {"counts": report.counts, "errors": dict(codes.most_common()), "total": summary.to_dict("vi")["total"]}
        json.dump(out, sys.stdout, ensure_ascii=False)
        return 1 if report.counts["error"] else 0
    from dangvien_data import summarise_files
    from dangvien_data.io.output import iter_json

    summary = summarise_files([args.path], as_of=args.as_of)
    sys.stdout.writelines(iter_json(summary.to_dict("vi")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
