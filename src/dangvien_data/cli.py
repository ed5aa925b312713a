"""The ``dangvien`` command: parse arguments, call one library function, print, choose the exit code.

Exit codes: 0 no errors, 1 errors in the data, 2 the input could not be read or the command was misused.
Conventions as in ruff or pytest: ``--version``; ``-q`` prints only the verdict (and where files were written),
``-v`` adds where the rules came from and how long the run took; colour only on a terminal and never with
``NO_COLOR``; a progress line on standard error when a run takes longer than :data:`PROGRESS_AFTER` seconds and
standard error is a terminal; with ``--format json`` a failure is also a JSON object on standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from dangvien_data import options, status
from dangvien_data.cli_output import Progress, fail, say, stop_status, written
from dangvien_data.cli_text import argparse_in, error_line, peek, pick
from dangvien_data.errors import DangvienError, OptionError, printable

__all__ = ["PROGRESS_AFTER", "build_parser", "main", "run"]

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNUSABLE = 0, 1, 2
PROGRESS_AFTER = 2.0  # seconds: a shorter run prints no progress line
_LANGS, _FORMATS = ("vi", "en"), ("text", "json")


class _UsageError(Exception):
    """argparse refused the command line; ``parser`` is the (sub)command whose usage to show."""

    def __init__(self, message: str, parser: argparse.ArgumentParser) -> None:
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    """argparse whose errors reach :func:`main`, which prints them as text or JSON and returns 2."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message, self)


def _checked(check: Callable[..., Any], option: str, lang: str, **kwargs: Any) -> Callable[[str], Any]:
    """An argparse ``type`` that runs an :mod:`~dangvien_data.options` check, its message in ``lang``."""

    def convert(text: str) -> Any:
        try:
            return check(text, option, **kwargs)
        except DangvienError as exc:  # argparse says "argument --term: " itself
            raise argparse.ArgumentTypeError(exc.message(lang).removeprefix(f"{option}: ")) from None

    convert.__name__ = check.__name__  # argparse names the type in some messages
    return convert


def _common(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="tệp Excel (.xlsx, .xlsm, .xls, .ods) hoặc thư mục / workbook files or folders",
    )
    _output_options(parser)


def _output_options(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    """``--format`` (unless ``formats`` is false), ``--lang``, ``-q``, ``-v`` and ``--schemas``, alike everywhere."""
    if formats:
        parser.add_argument(
            "--format",
            choices=_FORMATS,
            default="text",
            help="kiểu kết quả (mặc định: text) / output format (default: text)",
        )
    parser.add_argument("--lang", choices=_LANGS, default="vi", help="ngôn ngữ thông báo / message language")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q", "--quiet", action="store_true", help="chỉ in dòng kết luận / print only the verdict line"
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="in mọi ghi chú (không gộp), thư mục lược đồ và thời gian chạy / print every note (none counted "
        "together), the rules folder and the run time",
    )
    parser.add_argument(
        "--schemas",
        metavar="DIR",
        help="thư mục lược đồ thay cho bản kèm gói (như DANGVIEN_SCHEMAS) / rules folder to use instead of the "
        "shipped one (as DANGVIEN_SCHEMAS)",
    )


def _term_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument(
        "--term",
        default="2020-2025",
        type=_checked(options.term, "--term", lang),
        metavar="YYYY-YYYY",
        help="nhiệm kỳ (mặc định: 2020-2025) / congress term (default: 2020-2025)",
    )


def _date_option(parser: argparse.ArgumentParser, lang: str, flag: str, help_text: str) -> None:
    parser.add_argument(
        flag, type=_checked(options.date, flag, lang), default=None, metavar="YYYY-MM-DD", help=help_text
    )


def _out_option(parser: argparse.ArgumentParser, lang: str, help_text: str, *, required: bool = False) -> None:
    parser.add_argument(
        "-o",
        "--out",
        required=required,
        metavar="OUT.xlsx",
        type=_checked(options.output, "--out", lang),
        help=help_text,
    )


def _strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="cảnh báo cũng tính là lỗi / warnings fail too")


def _exit_code(counts: dict[str, int], strict: bool, issues: Iterable[Any] = (), lang: str = "vi") -> int:
    """1 when the data has errors (or, with ``--strict``, warnings), else 0; 2 when a file could not be read."""
    unreadable = [i for i in issues if i.code == "file-unreadable"]
    for issue in unreadable:  # the other files were read and reported; this one is said on stderr too
        sys.stderr.write(printable(f"dangvien: {issue.file}: {issue.message(lang)}") + "\n")
    if unreadable:
        return EXIT_UNUSABLE
    failing = counts["error"] + (counts["warning"] if strict else 0)
    return EXIT_DATA_ERRORS if failing else EXIT_OK


def _print_json(pieces: Iterable[str]) -> None:
    """Print JSON text given in pieces (``output.iter_json``, ``Report.iter_json``) as they come: a big report is
    never one string in memory."""
    stop_status()
    sys.stdout.writelines(pieces)
    sys.stdout.write("\n")


def build_parser(lang: str = "vi") -> argparse.ArgumentParser:
    """The argument parser of every command, its help in ``lang`` ("vi" or "en").

    A command is one ``add_parser`` block (here, or in a ``_<name>_parser`` function) plus its runner in
    :data:`_HANDLERS`.
    """
    from dangvien_data import __version__

    parser = _Parser(
        prog="dangvien",
        description=(
            "Kiểm tra danh sách đảng viên và tổng hợp số lượng theo chi bộ. / "
            "Checks Party member rosters and produces counts per cell."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"dangvien {__version__}", help="in số phiên bản / print the version"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    read = commands.add_parser(
        "read",
        help="đọc danh sách, cho biết đã đọc được gì theo chi bộ / read rosters and show what was found, per cell",
    )
    _common(read, lang)
    check = commands.add_parser(
        "validate", help="kiểm tra danh sách, chỉ ra từng lỗi tại ô / validate rosters, every problem at its cell"
    )
    _common(check, lang)
    _date_option(
        check,
        lang,
        "--as-of",
        "ngày tính đến, YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay) / as-of date, YYYY-MM-DD or dd/mm/yyyy "
        "(default: today)",
    )
    _term_option(check, lang)
    check.add_argument(
        "--annotate",
        metavar="OUT.xlsx",
        type=_checked(options.output, "--annotate", lang),
        help="ghi bản sao có tô màu và chú thích từng lỗi / write an annotated copy of the workbook",
    )
    _strict_option(check)
    rules = commands.add_parser("rules", help="danh mục quy tắc (docs/rules.md) / the rule catalogue")
    _output_options(rules, formats=False)
    schema = commands.add_parser("schema", help="lược đồ kiểm tra / the validation schema")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True, parser_class=_Parser)
    export = schema_commands.add_parser(
        "export", help="in lược đồ pandera dạng YAML / print the compiled pandera schema as YAML"
    )
    _date_option(export, lang, "--as-of", "ngày tính đến (mặc định: hôm nay) / as-of date (default: today)")
    _output_options(export, formats=False)
    _template_parser(commands, lang)
    _summary_parsers(commands, lang)
    _dossier_parser(commands, lang)
    _serve_parser(commands, lang)
    _translate_help(parser, lang)
    return parser


def _translate_help(parser: argparse.ArgumentParser, lang: str) -> None:
    """Keep the ``lang`` half of every bilingual help line, in this parser and every subcommand's."""
    parser.description = pick(parser.description or "", lang) or None
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            action.help = pick(action.help, lang)
        if isinstance(action, argparse._SubParsersAction):
            for pseudo in action._choices_actions:
                pseudo.help = pick(pseudo.help or "", lang)
            for sub in set(action.choices.values()):
                _translate_help(sub, lang)


def _summary_parsers(commands: Any, lang: str) -> None:
    summary = commands.add_parser(
        "summary", help="tổng hợp số lượng theo chi bộ, đối chiếu số báo cáo / counts per cell, declared vs derived"
    )
    _common(summary, lang)
    summary.add_argument(
        "--declared",
        metavar="FILE",
        type=_checked(options.path, "--declared", lang),
        help="bảng số lượng đã báo cáo để đối chiếu / declared sheet",
    )
    _date_option(
        summary,
        lang,
        "--as-of",
        'ngày tính đến (mặc định: dòng "Tính đến ngày" của danh sách, không có thì hôm nay) / as-of date '
        '(default: the roster\'s "Tính đến ngày" line, else today)',
    )
    _term_option(summary, lang)
    summary.add_argument(
        "--year",
        type=_checked(options.integer, "--year", lang, minimum=1900, maximum=2199),
        default=None,
        metavar="YYYY",
        help="năm xét Huy hiệu Đảng (mặc định: năm của ngày tính đến) / Party-badge year (default: the as-of year)",
    )
    summary.add_argument(
        "--within-days",
        type=_checked(options.integer, "--within-days", lang, minimum=0, maximum=options.MAX_DAYS),
        default=30,
        metavar="N",
        help="số ngày xét đến hạn chính thức (mặc định: 30) / look-ahead in days (default: 30)",
    )
    _out_option(summary, lang, "ghi bảng tổng hợp / write the summary workbook")
    roll = commands.add_parser(
        "reconcile", help="đối chiếu hai kỳ danh sách với biến động / roll a roster forward with its movements"
    )
    roll.add_argument("--before", nargs="+", required=True, metavar="PATH", help="danh sách đầu kỳ / earlier roster")
    roll.add_argument("--after", nargs="+", required=True, metavar="PATH", help="danh sách cuối kỳ / later roster")
    roll.add_argument(
        "--movements",
        metavar="FILE",
        type=_checked(options.path, "--movements", lang),
        help="danh sách biến động / movements sheet",
    )
    _date_option(roll, lang, "--as-of-before", "ngày của danh sách đầu kỳ / the earlier roster's date")
    _date_option(roll, lang, "--as-of-after", "ngày của danh sách cuối kỳ / the later roster's date")
    _out_option(roll, lang, "ghi bảng biến động / write the roll-forward workbook")
    _output_options(roll)


def _run_summary(args: argparse.Namespace) -> int:
    from dangvien_data.api import summarise_files  # starts reading before it imports pandas and pandera
    from dangvien_data.report import render
    from dangvien_data.report.workbook import write_summary_workbook

    summary = summarise_files(
        args.paths,
        as_of=args.as_of,
        declared=args.declared,
        term=args.term,
        year=args.year,
        within_days=args.within_days,
    )
    book = write_summary_workbook(summary, args.out, inputs=args.paths, lang=args.lang) if args.out else None
    code = EXIT_DATA_ERRORS if summary.reconciliation else EXIT_OK
    if summary.unreadable:  # the counts leave a file out: an input could not be read (exit code 2)
        sys.stderr.write(printable(f"dangvien: {summary.excluded_line(args.lang)}") + "\n")
        code = EXIT_UNUSABLE
    if args.format == "json":
        _write_json(summary.to_dict(args.lang))
    else:
        say(args, render.summary_text(summary, args.lang), code)
    written(args, "workbook", book)
    return code


def _run_reconcile(args: argparse.Namespace) -> int:
    from dangvien_data.api import reconcile_files
    from dangvien_data.report import render
    from dangvien_data.report.workbook import write_rollforward_workbook

    result = reconcile_files(
        args.before,
        args.after,
        movements=args.movements,
        as_of_before=args.as_of_before,
        as_of_after=args.as_of_after,
    )
    inputs = [*args.before, *args.after]
    book = write_rollforward_workbook(result, args.out, inputs=inputs, lang=args.lang) if args.out else None
    code = EXIT_OK if result.ok else EXIT_DATA_ERRORS
    if args.format == "json":
        _write_json(result.to_dict(args.lang))
    else:
        say(args, render.rollforward_text(result, args.lang), code)
    written(args, "workbook", book)
    return code


# template.KINDS, template.DEFAULT_ROWS and template.MAX_ROWS, spelled here so that building the parser imports
# no pandas (tests/test_cli.py checks they agree): every command starts reading before pandas is imported.
_TEMPLATE_KINDS = ("roster", "dossier")
_TEMPLATE_ROWS = 200
_TEMPLATE_MAX_ROWS = 10_000


def _template_parser(commands: Any, lang: str) -> None:
    template = commands.add_parser(
        "template", help="tạo tệp mẫu nhập liệu từ lược đồ / write a fill-in workbook generated from schemas/"
    )
    template.add_argument("kind", choices=_TEMPLATE_KINDS, help="roster: danh sách đảng viên; dossier: hồ sơ nhân sự")
    _out_option(template, lang, "tệp mẫu / the workbook to write", required=True)
    template.add_argument(
        "--cell",
        type=_checked(options.text, "--cell", lang),
        help='chi bộ ghi sẵn ở đầu trang, ví dụ "Chi bộ Đội Tổng hợp" / the cell named at the top',
    )
    template.add_argument(
        "--organisation",
        type=_checked(options.text, "--organisation", lang),
        help="đảng bộ ghi ở góc trên bên trái / the organisation, top left",
    )
    template.add_argument(
        "--rows",
        type=_checked(options.integer, "--rows", lang, minimum=1, maximum=_TEMPLATE_MAX_ROWS),
        default=_TEMPLATE_ROWS,
        metavar="N",
        help=f"số dòng nhập liệu (mặc định: {_TEMPLATE_ROWS}) / data rows (default: {_TEMPLATE_ROWS})",
    )
    _output_options(template, formats=False)


def _run_template(args: argparse.Namespace) -> int:
    from dangvien_data.template.writer import write_template

    path = write_template(
        args.kind, args.out, cell=args.cell, organisation=args.organisation, rows=args.rows, lang=args.lang
    )
    written(args, "template", path, gap=False)
    return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    from dangvien_data.roster.schemas import compile_schema, export_yaml, load_roster_spec

    schema = compile_schema(load_roster_spec(), as_of=(args.as_of or dt.date.today()).isoformat())
    sys.stdout.write(export_yaml(schema))
    return EXIT_OK


def _run_rules(args: argparse.Namespace) -> int:
    from dangvien_data.report import render

    print(render.rules_markdown(), end="")
    return EXIT_OK


def _start_reading(paths: Sequence[str]) -> None:
    """Begin loading the workbooks on a background thread: the read (Rust, without the GIL) then overlaps the
    imports of pandas and pandera that the caller does next."""
    from dangvien_data.io.loader import prefetch

    prefetch(paths)


def _run_validate(args: argparse.Namespace) -> int:
    from dangvien_data.api import validate_files

    report = validate_files(
        args.paths, as_of=args.as_of or dt.date.today(), term=args.term, annotate=args.annotate, lang=args.lang
    )
    from dangvien_data.report import render

    code = _exit_code(report.counts, args.strict, report.issues, args.lang)
    if args.format == "json":  # written record by record: a big report is never one string in memory
        _print_json(report.iter_json(args.lang))
    else:
        say(args, render.validate_text(report, args.lang, every=args.verbose), code)
    written(args, "annotated", args.annotate)
    return code


def _dossier_parser(commands: Any, lang: str) -> None:
    dossier = commands.add_parser(
        "dossier",
        help="kiểm tra hồ sơ nhân sự đại hội: đủ giấy tờ, khớp danh sách đảng viên, đủ điều kiện, cơ cấu / "
        "check congress dossiers: documents, roster agreement, eligibility, structure",
    )
    dossier.add_argument("paths", nargs="+", metavar="DOSSIER", help="tệp hồ sơ nhân sự / dossier workbooks")
    dossier.add_argument(
        "--roster", nargs="+", action="extend", required=True, metavar="ROSTER", help="danh sách đảng viên / roster"
    )
    _date_option(
        dossier,
        lang,
        "--congress-date",
        "ngày đại hội (mặc định theo nhiệm kỳ trong schemas/dossier.yaml) / congress date (default: the "
        "term's, from schemas/dossier.yaml)",
    )
    _term_option(dossier, lang)
    dossier.add_argument(
        "--seats",
        type=_checked(options.integer, "--seats", lang, minimum=1, maximum=options.MAX_COUNT),
        default=None,
        metavar="N",
        help="số cấp ủy viên cần bầu / committee seats",
    )
    _out_option(dossier, lang, "ghi bảng kết quả / write the results workbook")
    _output_options(dossier)
    _strict_option(dossier)


def _run_dossier(args: argparse.Namespace) -> int:
    from dangvien_data.dossier.check import check_dossier, write_dossier_workbook
    from dangvien_data.io.output import check_output_path
    from dangvien_data.report import render

    if args.out:  # refuse a bad output path before the work, not after it
        check_output_path(args.out, [*args.paths, *args.roster])
    report = check_dossier(args.paths, args.roster, congress_date=args.congress_date, term=args.term, seats=args.seats)
    book = write_dossier_workbook(report, args.out, lang=args.lang) if args.out else None
    code = _exit_code(report.counts, args.strict)
    if args.format == "json":
        _print_json(report.iter_json(args.lang))
    else:
        say(args, render.dossier_text(report, args.lang), code)
    written(args, "workbook", book)
    return code


def _write_json(data: dict[str, Any]) -> None:
    """Print ``data`` as indented JSON, each list item (a cell, an issue) compact on its own line."""
    from dangvien_data.io.output import iter_json

    _print_json(iter_json(data))


def _run_read(args: argparse.Namespace) -> int:
    _start_reading(args.paths)
    from dangvien_data.report import render
    from dangvien_data.roster.reader import read_roster

    roster = read_roster(args.paths)
    code = _exit_code({"error": 0}, False, roster.issues, args.lang)
    if args.format == "json":
        _write_json(render.read_json(roster, args.lang))
    else:
        say(args, render.read_text(roster, args.lang, every=args.verbose), code)
    return code


# --- dangvien serve: the local web page (dangvien_data.web, installed by the extra dangvien_data[web]) -------


def _serve_parser(commands: Any, lang: str) -> None:
    serve = commands.add_parser(
        "serve", help="mở trang web kiểm tra trên máy này / open the checking page in a local browser"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này; địa chỉ khác sẽ có cảnh báo) / listen address",
    )
    serve.add_argument(
        "--port",
        type=_checked(options.integer, "--port", lang, minimum=0, maximum=65535),
        default=0,
        help="cổng; 0 = một cổng trống, in ra / port (0: a free one)",
    )
    serve.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt / do not open a browser")
    serve.add_argument("--lang", choices=["vi", "en"], default="vi", help=argparse.SUPPRESS)


def _run_serve(args: argparse.Namespace) -> int:
    try:
        from dangvien_data.web.server import serve
    except ImportError as exc:
        from dangvien_data.errors import InputError

        raise InputError(
            f"Cần cài phần trang web ({exc.name}): pip install 'dangvien_data[web]' (hoặc: make serve).",
            f"The web page needs its extra ({exc.name}): pip install 'dangvien_data[web]' (or: make serve).",
        ) from None
    try:
        return serve(args.host, args.port, open_browser=not args.no_browser)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        from dangvien_data.errors import InputError

        raise InputError(
            f"Không mở được cổng {args.port} trên {args.host} ({exc.strerror}). Chọn cổng khác bằng --port, "
            "hoặc --port 0 để lấy một cổng trống.",
            f"Cannot listen on {args.host} port {args.port} ({exc.strerror}). Choose another with --port, or "
            "--port 0 for a free one.",
        ) from None


# command -> its runner; a new command adds one line here and one add_parser block above
_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "read": _run_read,
    "validate": _run_validate,
    "schema": _run_schema,
    "rules": _run_rules,
    "template": _run_template,
    "summary": _run_summary,
    "reconcile": _run_reconcile,
    "dossier": _run_dossier,
    "serve": _run_serve,
}


def _usage_failure(exc: _UsageError, lang: str, fmt: str) -> int:
    """argparse refused the command line: its usage and message on standard error (JSON too on stdout); exit 2."""
    if fmt != "json":
        with argparse_in(lang):
            sys.stderr.write(exc.parser.format_usage())
    message = error_line(exc.parser.prog, str(exc), lang)
    hint = f"Xem thêm: {exc.parser.prog} --help" if lang == "vi" else f"See: {exc.parser.prog} --help"
    sys.stderr.write(printable(f"{message.rstrip()}\n{hint}") + "\n")
    if fmt == "json":
        text = str(exc)
        sys.stdout.write(json.dumps({"error": {"code": "usage", "message": text, "file": None}}, ensure_ascii=False))
        sys.stdout.write("\n")
    return EXIT_UNUSABLE


def main(argv: Sequence[str] | None = None, *, progress_after: float = PROGRESS_AFTER) -> int:
    """Run the command line; returns the exit code.

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).
        progress_after: seconds after which a progress line appears on a terminal's standard error.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")  # a file name need not be UTF-8
    argv = list(sys.argv[1:] if argv is None else argv)
    # Known before parsing: argparse's own messages and the help are printed in this language while it parses.
    lang, fmt = peek(argv, "--lang", _LANGS, "vi"), peek(argv, "--format", _FORMATS, "text")
    try:
        with argparse_in(lang):
            args = build_parser(lang).parse_args(argv)
    except _UsageError as exc:
        return _usage_failure(exc, lang, fmt)
    lang, fmt = getattr(args, "lang", lang), getattr(args, "format", "text")
    saved = os.environ.get("DANGVIEN_SCHEMAS")
    started = time.monotonic()
    try:
        _use_schemas(args)
        quiet = getattr(args, "quiet", False)
        with Progress(progress_after, lang, sys.stderr, quiet=quiet) as line, status.listening(line.add):
            code = _HANDLERS[args.command](args)
        if getattr(args, "verbose", False):
            _say_verbose(lang, time.monotonic() - started)
        return code
    except DangvienError as exc:
        return fail(lang, fmt, exc.code, exc.message(lang), exc.path)
    except KeyboardInterrupt:
        return fail(lang, fmt, "interrupted", "đã dừng." if lang == "vi" else "interrupted.")
    except BrokenPipeError:  # `dangvien read FILE | head`: the reader of our output stopped early; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except MemoryError:
        message = "không đủ bộ nhớ để đọc tệp." if lang == "vi" else "out of memory reading the file."
        return fail(lang, fmt, "out-of-memory", message)
    except BaseException as exc:  # a bug of ours, or a panic of a Rust reader (not an Exception subclass)
        if isinstance(exc, SystemExit | GeneratorExit) or os.environ.get("DANGVIEN_DEBUG"):
            raise
        # Only the exception's type: its text may quote a cell, i.e. personal data.
        message = (
            f"lỗi nội bộ ({type(exc).__name__}). Tệp đầu vào không bị thay đổi. Chạy lại với DANGVIEN_DEBUG=1 để "
            "xem chi tiết và báo cho người phát triển."
            if lang == "vi"
            else f"internal error ({type(exc).__name__}). The input is unchanged. Rerun with DANGVIEN_DEBUG=1 for "
            "details and report it."
        )
        return fail(lang, fmt, "internal", message)
    finally:
        if saved is None:
            os.environ.pop("DANGVIEN_SCHEMAS", None)
        else:
            os.environ["DANGVIEN_SCHEMAS"] = saved


def _use_schemas(args: argparse.Namespace) -> None:
    """``--schemas DIR``: the rules of this run come from DIR (it must be a folder holding roster.yaml)."""
    folder = getattr(args, "schemas", None)
    if folder is None:
        return
    if not (Path(folder) / "roster.yaml").is_file():
        raise OptionError(
            f"--schemas: thư mục {folder} không có tệp roster.yaml. Chỉ tới một bản sao của thư mục schemas/.",
            f"--schemas: the folder {folder} has no roster.yaml. Point it at a copy of the schemas/ folder.",
            option="--schemas",
            value=folder,
        )
    os.environ["DANGVIEN_SCHEMAS"] = str(folder)


def _say_verbose(lang: str, seconds: float) -> None:
    from dangvien_data.domain.values import number
    from dangvien_data.roster.schemas import default_schema_dir

    where = default_schema_dir()
    if lang == "en":
        sys.stderr.write(f"dangvien: rules from {where}; done in {seconds:.2f} s\n")
    else:
        sys.stderr.write(f"dangvien: quy tắc từ {where}; xong trong {number(seconds, digits=2)} giây\n")


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
