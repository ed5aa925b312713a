"""The ``dangvien`` command: parse arguments, call one library function, print, choose the exit code.

Exit codes (DESIGN.md): 0 no errors, 1 errors in the data, 2 the input could not be read or misuse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import render
from .errors import DangvienError
from .validate import validate
from .workbook import read_roster

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNUSABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-paragraph message (its default, kept explicit)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"dangvien: lỗi tham số / usage error: {message}\n")
        raise SystemExit(EXIT_UNUSABLE)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="tệp Excel (.xlsx, .xlsm, .xls, .ods) hoặc thư mục / workbook files or folders",
    )
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="kiểu kết quả / output format (default: text)"
    )
    parser.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ thông báo / message language (default: vi)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = _Parser(
        prog="dangvien",
        description=(
            "Kiểm tra danh sách đảng viên và tổng hợp số lượng theo chi bộ. "
            "Checks Party member rosters and produces counts per cell."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    read = commands.add_parser(
        "read",
        help="đọc danh sách, cho biết đã đọc được gì theo chi bộ / read rosters and show what was found, per cell",
    )
    _common(read)
    check = commands.add_parser(
        "validate", help="kiểm tra danh sách, chỉ ra từng lỗi tại ô / validate rosters, every problem at its cell"
    )
    _common(check)
    check.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help="ngày tính đến, dạng YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay) / as-of date",
    )
    check.add_argument("--term", default="2020-2025", help="nhiệm kỳ / congress term (default: 2020-2025)")
    check.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        help="ghi bản sao có tô màu và chú thích từng lỗi / write an annotated copy of the workbook",
    )
    check.add_argument("--strict", action="store_true", help="cảnh báo cũng tính là lỗi / warnings fail too")
    rules = commands.add_parser("rules", help="danh mục quy tắc (docs/rules.md) / the rule catalogue")
    rules.add_argument("--lang", choices=["vi", "en"], default="vi", help=argparse.SUPPRESS)
    schema = commands.add_parser("schema", help="lược đồ kiểm tra / the validation schema")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True, parser_class=_Parser)
    export = schema_commands.add_parser(
        "export", help="in lược đồ pandera dạng YAML / print the compiled pandera schema as YAML"
    )
    export.add_argument("--as-of", type=_date, default=None, help="ngày tính đến / as-of date (default: today)")
    export.add_argument("--lang", choices=["vi", "en"], default="vi", help=argparse.SUPPRESS)
    return parser


def _run_schema(args: argparse.Namespace) -> int:
    from .schemas import compile_schema, load_roster_spec

    schema = compile_schema(load_roster_spec(), as_of=(args.as_of or dt.date.today()).isoformat())
    print(schema.to_yaml())
    return EXIT_OK


def _run_rules(args: argparse.Namespace) -> int:
    print(render.rules_markdown(), end="")
    return EXIT_OK


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    msg = f'ngày "{text}" không đúng dạng YYYY-MM-DD hoặc dd/mm/yyyy / date not in YYYY-MM-DD or dd/mm/yyyy'
    raise argparse.ArgumentTypeError(msg)


def _run_validate(args: argparse.Namespace) -> int:
    roster = read_roster(args.paths)
    report = validate(roster, as_of=args.as_of or dt.date.today(), term=args.term)
    if args.annotate:
        from .excel import annotate

        annotate(roster, report, args.annotate, lang=args.lang)
    if args.format == "json":
        print(report.to_json(args.lang))
    else:
        print(render.validate_text(report, args.lang))
    failing = report.counts["error"] + (report.counts["warning"] if args.strict else 0)
    return EXIT_DATA_ERRORS if failing else EXIT_OK


def _run_read(args: argparse.Namespace) -> int:
    roster = read_roster(args.paths)
    if args.format == "json":
        print(json.dumps(render.read_json(roster, args.lang), ensure_ascii=False, indent=2))
    else:
        print(render.read_text(roster, args.lang))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    handlers = {"read": _run_read, "validate": _run_validate, "schema": _run_schema, "rules": _run_rules}
    try:
        return handlers[args.command](args)
    except DangvienError as exc:
        sys.stderr.write(f"dangvien: {exc.message(args.lang)}\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        sys.stderr.write("dangvien: đã dừng / interrupted.\n")
        return EXIT_UNUSABLE
    except MemoryError:
        sys.stderr.write("dangvien: không đủ bộ nhớ để đọc tệp / out of memory reading the file.\n")
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug of ours: one paragraph, no traceback unless asked for
        if os.environ.get("DANGVIEN_DEBUG"):
            raise
        sys.stderr.write(
            f"dangvien: lỗi nội bộ ({type(exc).__name__}: {exc}). Tệp đầu vào không bị thay đổi. Chạy lại với "
            "DANGVIEN_DEBUG=1 để xem chi tiết và báo cho người phát triển. / internal error; the input is "
            "unchanged; rerun with DANGVIEN_DEBUG=1 for details and report it.\n"
        )
        return EXIT_UNUSABLE
