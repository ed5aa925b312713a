"""What a user's script does, for the runner to time beside the command line (run.py group (s)).

    .venv/bin/python benchmarks/script.py plain FILE --as-of 2020-03-31      # read_roster + validate
    .venv/bin/python benchmarks/script.py api FILE --as-of 2020-03-31        # validate_files
    .venv/bin/python benchmarks/script.py summarise FILE --as-of 2020-03-31  # summarise_files

Each writes what the matching command writes with ``--format json`` (the report's JSON on stdout), so the
work after the check is the same as the command line's and the runner checks the counts.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["plain", "api", "summarise"])
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
    from dangvien_data import summarise_files
    from dangvien_data.io.output import iter_json

    summary = summarise_files([args.path], as_of=args.as_of)
    sys.stdout.writelines(iter_json(summary.to_dict("vi")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
