"""The ``dangvien`` command: parse arguments, call one library function, print, choose the exit code.

Exit codes (DESIGN.md): 0 no errors, 1 errors in the data, 2 the input could not be read or misuse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from dangvien_data.errors import DangvienError, printable

__all__ = ["build_parser", "main", "run"]

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
    _output_options(parser)


def _output_options(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    """``--format`` (unless ``formats`` is false) and ``--lang``, alike for every command."""
    if formats:
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="kiểu kết quả / output format (default: text)"
        )
    parser.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ thông báo / message language (default: vi)"
    )


def _term_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--term", default="2020-2025", help="nhiệm kỳ / congress term (default: 2020-2025)")


def _strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="cảnh báo cũng tính là lỗi / warnings fail too")


def _exit_code(counts: dict[str, int], strict: bool) -> int:
    """1 when the data has errors (or, with ``--strict``, warnings), else 0."""
    failing = counts["error"] + (counts["warning"] if strict else 0)
    return EXIT_DATA_ERRORS if failing else EXIT_OK


def _print_json(pieces: Iterable[str]) -> None:
    """Print JSON text given in pieces (``output.iter_json``, ``Report.iter_json``) as they come: a big report is
    never one string in memory."""
    sys.stdout.writelines(pieces)
    sys.stdout.write("\n")


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
    _term_option(check)
    check.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        help="ghi bản sao có tô màu và chú thích từng lỗi / write an annotated copy of the workbook",
    )
    _strict_option(check)
    rules = commands.add_parser("rules", help="danh mục quy tắc (docs/rules.md) / the rule catalogue")
    rules.add_argument("--lang", choices=["vi", "en"], default="vi", help=argparse.SUPPRESS)
    schema = commands.add_parser("schema", help="lược đồ kiểm tra / the validation schema")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True, parser_class=_Parser)
    export = schema_commands.add_parser(
        "export", help="in lược đồ pandera dạng YAML / print the compiled pandera schema as YAML"
    )
    export.add_argument("--as-of", type=_date, default=None, help="ngày tính đến / as-of date (default: today)")
    export.add_argument("--lang", choices=["vi", "en"], default="vi", help=argparse.SUPPRESS)
    _template_parser(commands)
    _summary_parsers(commands)
    _dossier_parser(commands)
    return parser


def _summary_parsers(commands: Any) -> None:
    summary = commands.add_parser(
        "summary", help="tổng hợp số lượng theo chi bộ, đối chiếu số báo cáo / counts per cell, declared vs derived"
    )
    _common(summary)
    summary.add_argument("--declared", metavar="FILE", help="bảng số lượng đã báo cáo để đối chiếu / declared sheet")
    summary.add_argument(
        "--as-of",
        type=_date,
        default=None,
        help='ngày tính đến (mặc định: dòng "Tính đến ngày" của danh sách, không có thì hôm nay) / as-of date',
    )
    _term_option(summary)
    summary.add_argument("--year", type=int, default=None, help="năm xét Huy hiệu Đảng / Party-badge year")
    summary.add_argument(
        "--within-days", type=int, default=30, help="số ngày xét đến hạn chính thức / look-ahead (default: 30)"
    )
    summary.add_argument("-o", "--out", metavar="OUT.xlsx", help="ghi bảng tổng hợp / write the summary workbook")
    roll = commands.add_parser(
        "reconcile", help="đối chiếu hai kỳ danh sách với biến động / roll a roster forward with its movements"
    )
    roll.add_argument("--before", nargs="+", required=True, metavar="PATH", help="danh sách đầu kỳ / earlier roster")
    roll.add_argument("--after", nargs="+", required=True, metavar="PATH", help="danh sách cuối kỳ / later roster")
    roll.add_argument("--movements", metavar="FILE", help="danh sách biến động / movements sheet")
    roll.add_argument("--as-of-before", type=_date, default=None, help="ngày của danh sách đầu kỳ / its date")
    roll.add_argument("--as-of-after", type=_date, default=None, help="ngày của danh sách cuối kỳ / its date")
    roll.add_argument("-o", "--out", metavar="OUT.xlsx", help="ghi bảng biến động / write the roll-forward workbook")
    _output_options(roll)


def _written(path: Any, lang: str) -> str:
    return f"\nWorkbook written: {path}" if lang == "en" else f"\nĐã ghi bảng tính: {path}"


def _run_summary(args: argparse.Namespace) -> int:
    _start_reading(args.paths)
    from dangvien_data.report import render
    from dangvien_data.report.reconcile import summarise_files
    from dangvien_data.report.summary import load_summary_spec
    from dangvien_data.report.workbook import write_summary_workbook
    from dangvien_data.roster.validation import prepare

    # While the workbook loads. Without --as-of the date may come from the roster's heading: then only the
    # import is gained, the schema is compiled again for that date (a few hundredths of a second).
    prepare(as_of=args.as_of or dt.date.today())
    load_summary_spec()

    summary = summarise_files(
        args.paths,
        as_of=args.as_of,
        declared=args.declared,
        term=args.term,
        year=args.year,
        within_days=args.within_days,
    )
    written = write_summary_workbook(summary, args.out, inputs=args.paths, lang=args.lang) if args.out else None
    if args.format == "json":
        _write_json(summary.to_dict(args.lang))
    else:
        _print(render.summary_text(summary, args.lang) + (_written(written, args.lang) if written else ""))
    return EXIT_DATA_ERRORS if summary.reconciliation else EXIT_OK


def _run_reconcile(args: argparse.Namespace) -> int:
    from dangvien_data.report import render
    from dangvien_data.report.reconcile import reconcile_files
    from dangvien_data.report.workbook import write_rollforward_workbook

    result = reconcile_files(
        args.before,
        args.after,
        movements=args.movements,
        as_of_before=args.as_of_before,
        as_of_after=args.as_of_after,
    )
    inputs = [*args.before, *args.after]
    written = write_rollforward_workbook(result, args.out, inputs=inputs, lang=args.lang) if args.out else None
    if args.format == "json":
        _write_json(result.to_dict(args.lang))
    else:
        _print(render.rollforward_text(result, args.lang) + (_written(written, args.lang) if written else ""))
    return EXIT_OK if result.ok else EXIT_DATA_ERRORS


# template.KINDS and template.DEFAULT_ROWS, spelled here so that building the parser imports no pandas
# (tests/test_cli.py checks they agree): every command starts reading before pandas is imported.
_TEMPLATE_KINDS = ("roster", "dossier")
_TEMPLATE_ROWS = 200


def _template_parser(commands: Any) -> None:
    template = commands.add_parser(
        "template", help="tạo tệp mẫu nhập liệu từ lược đồ / write a fill-in workbook generated from schemas/"
    )
    template.add_argument("kind", choices=_TEMPLATE_KINDS, help="roster: danh sách đảng viên; dossier: hồ sơ nhân sự")
    template.add_argument("-o", "--out", required=True, metavar="OUT.xlsx", help="tệp mẫu / the workbook to write")
    template.add_argument("--cell", help='chi bộ ghi sẵn ở đầu trang, ví dụ "Chi bộ Đội Tổng hợp" / the cell')
    template.add_argument("--organisation", help="đảng bộ ghi ở góc trên bên trái / the organisation, top left")
    template.add_argument(
        "--rows", type=int, default=_TEMPLATE_ROWS, help=f"số dòng nhập liệu / data rows (default: {_TEMPLATE_ROWS})"
    )
    _output_options(template, formats=False)


def _run_template(args: argparse.Namespace) -> int:
    from dangvien_data.template.writer import write_template

    path = write_template(args.kind, args.out, cell=args.cell, organisation=args.organisation, rows=args.rows)
    _print(f"Template written: {path}" if args.lang == "en" else f"Đã ghi tệp mẫu nhập liệu: {path}")
    return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    from dangvien_data.roster.schemas import compile_schema, load_roster_spec

    schema = compile_schema(load_roster_spec(), as_of=(args.as_of or dt.date.today()).isoformat())
    print(schema.to_yaml())
    return EXIT_OK


def _run_rules(args: argparse.Namespace) -> int:
    from dangvien_data.report import render

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


def _start_reading(paths: Sequence[str]) -> None:
    """Begin loading the workbooks on a background thread: the read (Rust, without the GIL) then overlaps the
    imports of pandas and pandera that the caller does next (issue 7)."""
    from dangvien_data.io.loader import prefetch

    prefetch(paths)


def _run_validate(args: argparse.Namespace) -> int:
    from dangvien_data.api import validate_files

    report = validate_files(
        args.paths, as_of=args.as_of or dt.date.today(), term=args.term, annotate=args.annotate, lang=args.lang
    )
    from dangvien_data.report import render

    if args.format == "json":  # written record by record: a big report is never one string in memory
        _print_json(report.iter_json(args.lang))
    else:
        _print(render.validate_text(report, args.lang))
    return _exit_code(report.counts, args.strict)


def _dossier_parser(commands: Any) -> None:
    dossier = commands.add_parser(
        "dossier",
        help="kiểm tra hồ sơ nhân sự đại hội: đủ giấy tờ, khớp danh sách đảng viên, đủ điều kiện, cơ cấu / "
        "check congress dossiers: documents, roster agreement, eligibility, structure",
    )
    dossier.add_argument("paths", nargs="+", metavar="DOSSIER", help="tệp hồ sơ nhân sự / dossier workbooks")
    dossier.add_argument(
        "--roster", nargs="+", action="extend", required=True, metavar="ROSTER", help="danh sách đảng viên / roster"
    )
    dossier.add_argument(
        "--congress-date",
        type=_date,
        default=None,
        help="ngày đại hội (mặc định theo nhiệm kỳ trong schemas/dossier.yaml) / congress date",
    )
    _term_option(dossier)
    dossier.add_argument("--seats", type=int, default=None, help="số cấp ủy viên cần bầu / committee seats")
    dossier.add_argument("-o", "--out", metavar="OUT.xlsx", help="ghi bảng kết quả / write the results workbook")
    _output_options(dossier)
    _strict_option(dossier)


def _run_dossier(args: argparse.Namespace) -> int:
    from dangvien_data.dossier.check import check_dossier, write_dossier_workbook
    from dangvien_data.io.output import check_output_path
    from dangvien_data.report import render

    if args.out:  # refuse a bad output path before the work, not after it
        check_output_path(args.out, [*args.paths, *args.roster])
    report = check_dossier(args.paths, args.roster, congress_date=args.congress_date, term=args.term, seats=args.seats)
    written = write_dossier_workbook(report, args.out, lang=args.lang) if args.out else None
    if args.format == "json":
        _print_json(report.iter_json(args.lang))
    else:
        _print(render.dossier_text(report, args.lang))
        if written:
            _print(f"\nWorkbook written: {written}" if args.lang == "en" else f"\nĐã ghi bảng tính: {written}")
    return _exit_code(report.counts, args.strict)


def _print(text: str) -> None:
    """Print a report with every control character of a name or value escaped (no terminal escapes)."""
    print(printable(text))


def _write_json(data: dict[str, Any]) -> None:
    """Print ``data`` as indented JSON, each list item (a cell, an issue) compact on its own line."""
    from dangvien_data.io.output import iter_json

    _print_json(iter_json(data))


def _run_read(args: argparse.Namespace) -> int:
    _start_reading(args.paths)
    from dangvien_data.report import render
    from dangvien_data.roster.reader import read_roster

    roster = read_roster(args.paths)
    if args.format == "json":
        _write_json(render.read_json(roster, args.lang))
    else:
        _print(render.read_text(roster, args.lang))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")  # a file name need not be UTF-8
    args = build_parser().parse_args(argv)
    handlers = {
        "read": _run_read,
        "validate": _run_validate,
        "schema": _run_schema,
        "rules": _run_rules,
        "template": _run_template,
        "summary": _run_summary,
        "reconcile": _run_reconcile,
        "dossier": _run_dossier,
    }
    lang = getattr(args, "lang", "vi")  # every command has --lang, but an error message must never fail (issue 6)
    try:
        return handlers[args.command](args)
    except DangvienError as exc:
        sys.stderr.write(f"dangvien: {printable(exc.message(lang))}\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        sys.stderr.write("dangvien: đã dừng / interrupted.\n")
        return EXIT_UNUSABLE
    except BrokenPipeError:  # `dangvien read FILE | head`: the reader of our output stopped early; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except MemoryError:
        sys.stderr.write("dangvien: không đủ bộ nhớ để đọc tệp / out of memory reading the file.\n")
        return EXIT_UNUSABLE
    except BaseException as exc:  # a bug of ours, or a panic of a Rust reader (not an Exception subclass)
        if isinstance(exc, SystemExit | GeneratorExit) or os.environ.get("DANGVIEN_DEBUG"):
            raise
        # Only the exception's type: its text may quote a cell, i.e. personal data (DOMAIN.md §10).
        sys.stderr.write(
            f"dangvien: lỗi nội bộ ({type(exc).__name__}). Tệp đầu vào không bị thay đổi. Chạy lại với "
            "DANGVIEN_DEBUG=1 để xem chi tiết và báo cho người phát triển. / internal error; the input is "
            "unchanged; rerun with DANGVIEN_DEBUG=1 for details and report it.\n"
        )
        return EXIT_UNUSABLE


def run() -> NoReturn:
    """The console entry point (``dangvien``, ``python -m dangvien_data``): :func:`main`, then a quick exit.

    By the time :func:`main` returns, every output is written, closed and renamed into place; what is left is
    the interpreter freeing a province's roster object by object, 0.15–0.2 s of a 1.7 s run at 100k members
    (measured). So the streams are flushed and the process ends at once (``os._exit``), unless
    ``DANGVIEN_DEBUG`` asks for an ordinary exit. Library callers use :func:`main` and are not affected.

    Arrow's memory pool is the system allocator unless ``ARROW_DEFAULT_MEMORY_POOL`` says otherwise: with
    pyarrow's default (mimalloc) on this kind of machine, the first large Arrow results of a run cost
    ~0.4 s more, and a check of 500k members took 7.8 s instead of 7.0 s (measured; same peak memory).
    """
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")  # read by pyarrow when first used, below
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):  # the reader of our output went away: nothing more to say
        pass
    if os.environ.get("DANGVIEN_DEBUG"):
        sys.exit(code)
    os._exit(code)
