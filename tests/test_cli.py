"""The command line: exit codes, JSON shape, messages without tracebacks, inputs left untouched."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dangvien_data.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
CLEAN = SAMPLE / "danh_sach_dang_vien.xlsx"
PLANTED = SAMPLE / "danh_sach_dang_vien_loi.xlsx"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_shows_cells(capsys):
    """`read` lists the ten cells and the total of 170."""
    code, out, _ = _run(capsys, "read", str(CLEAN))
    assert code == 0
    assert "Chi bộ Đồn Công an KCN Yên Bình" in out and out.count("Chi bộ ") >= 10
    assert "Tổng cộng" in out and " 170" in out


def test_validate_clean_exits_0(capsys):
    """The clean sample passes: exit 0, the as-of date printed."""
    code, out, _ = _run(capsys, "validate", str(CLEAN), "--as-of", "2020-03-31")
    assert code == 0
    assert "Tính đến ngày 31/03/2020" in out and "KẾT QUẢ: ĐẠT" in out


def test_validate_planted_exits_1_with_json(capsys):
    """The planted sample fails with exit 1 and the JSON of docs/architecture.md."""
    code, out, _ = _run(capsys, "validate", str(PLANTED), "--as-of", "31/03/2020", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert (data["as_of"], data["term"], data["ok"]) == ("2020-03-31", "2020-2025", False)
    assert data["counts"] == {"error": 20, "warning": 0, "info": 5}
    first = next(i for i in data["issues"] if i["severity"] == "error")
    assert (first["sheet"], first["ref"], first["code"], first["column"]) == (
        "Danh sách",
        "E20",
        "missing-value",
        "Dân tộc",
    )


def test_english_messages(capsys):
    """--lang en gives English messages."""
    _, out, _ = _run(capsys, "validate", str(PLANTED), "--as-of", "2020-03-31", "--lang", "en")
    assert "RESULT: FAILED" in out and "is not in the Ethnic" not in out and 'Did you mean "Kinh"?' in out


def test_strict_fails_on_warnings(tmp_path, capsys):
    """--strict makes a warning fail the run."""
    import datetime as dt

    sys.path.insert(0, str(Path(__file__).parent))
    from strategies import AS_OF, base_members, with_change, write_roster

    path = write_roster(tmp_path / "w.xlsx", with_change(base_members(), 3, rank="Đại tá"))
    assert _run(capsys, "validate", str(path), "--as-of", AS_OF.isoformat())[0] == 0
    assert _run(capsys, "validate", str(path), "--as-of", dt.date(2020, 3, 31).isoformat(), "--strict")[0] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "khong_ton_tai.xlsx"],
        ["validate", str(CLEAN), "--as-of", "31-13-2020x"],
        ["frobnicate"],
    ],
)
def test_misuse_exits_2_without_traceback(capsys, args):
    """A missing file, a bad date or an unknown command: exit 2, one message, no traceback."""
    code = main(args)
    _, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err and err.strip()


def test_annotate_marks_cells_and_leaves_input_alone(tmp_path, capsys):
    """--annotate writes a marked copy with a results sheet; the input's bytes do not change."""
    import openpyxl

    before = _digest(PLANTED)
    out = tmp_path / "ket_qua.xlsx"
    code, _, _ = _run(capsys, "validate", str(PLANTED), "--as-of", "2020-03-31", "--annotate", str(out))
    assert code == 1 and _digest(PLANTED) == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Kết quả kiểm tra"
    ws = wb["Danh sách"]
    assert ws["E20"].fill.fgColor.rgb.endswith("FFC7CE") and "missing-value" in ws["E20"].comment.text
    assert ws["G91"].fill.fgColor.rgb.endswith("BDD7EE")
    assert ws["B12"].value == openpyxl.load_workbook(PLANTED)["Danh sách"]["B12"].value
    results = wb["Kết quả kiểm tra"]
    links = [results.cell(row=r, column=4).hyperlink for r in range(2, results.max_row + 1)]
    assert all(link is not None and link.location.startswith("'") for link in links)
    assert not list(tmp_path.glob(".*.tmp"))


def test_annotate_refuses_to_overwrite_input(tmp_path, capsys):
    """An output path equal to the input is refused with exit 2 and the input untouched."""
    copy = tmp_path / "ds.xlsx"
    copy.write_bytes(PLANTED.read_bytes())
    before = _digest(copy)
    code, _, err = _run(capsys, "validate", str(copy), "--as-of", "2020-03-31", "--annotate", str(copy))
    assert code == 2 and "trùng với tệp đầu vào" in err and _digest(copy) == before


def test_schema_export_round_trips_through_pandera(capsys):
    """`schema export` prints pandera YAML that pandera reads back into the same schema."""
    import pandera.pandas as pa

    from dangvien_data.roster.schemas import compile_schema, load_roster_spec

    code, out, _ = _run(capsys, "schema", "export", "--as-of", "2020-03-31")
    assert code == 0 and "dv_in_codes" in out and "Khmer" in out
    assert "Tày" in out and "Mường" in out and not re.search(r"\\u[0-9A-Fa-f]{4}", out)  # letters, not escapes
    assert pa.DataFrameSchema.from_yaml(out) == compile_schema(load_roster_spec(), as_of="2020-03-31")


def test_python_m_entry_point():
    """`python -m dangvien_data` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "dangvien_data", "read", str(CLEAN), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 170


@pytest.mark.parametrize("debug", ["", "1"])
def test_quick_exit_keeps_output_and_exit_code(debug: str):
    """The console entry point ends with os._exit: the whole report is still written and the code still 1."""
    done = subprocess.run(
        [sys.executable, "-m", "dangvien_data", "validate", str(PLANTED), "--as-of", "2020-03-31", "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "DANGVIEN_DEBUG": debug},
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["counts"]["error"] == 20 and done.stdout.endswith("}\n")


def test_every_command_has_help():
    """Every subcommand documents itself."""
    from dangvien_data.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    top = parser.format_help()
    for name, sub in commands.choices.items():
        own = sub.format_help()
        assert f"dangvien {name}" in own.split("\n")[0] or name in own, name
        assert len(own.strip().splitlines()) > 2, name  # more than a bare usage line
        assert name in top, name  # listed in `dangvien --help`
    helps = {c.dest: c.help for c in commands._choices_actions}
    assert set(helps) == set(commands.choices) and all(helps.values()), helps


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed on this machine (apt-get install libreoffice-calc-nogui)",
)
def test_annotated_copy_opens_in_libreoffice(tmp_path, capsys):
    """LibreOffice opens the annotated copy and keeps its marks: converted back to xlsx, E20 still has them."""
    import openpyxl

    out = tmp_path / "ket_qua.xlsx"
    _run(capsys, "validate", str(PLANTED), "--as-of", "2020-03-31", "--annotate", str(out))
    converted = tmp_path / "lo"
    office = shutil.which("soffice") or shutil.which("libreoffice")
    done = subprocess.run(
        [
            str(office),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(converted),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(converted / "ket_qua.xlsx")
    assert wb.sheetnames[0] == "Kết quả kiểm tra"
    assert "missing-value" in wb["Danh sách"]["E20"].comment.text


def test_parser_builds_without_pandas_and_agrees_with_template():
    """Building the parser imports no pandas (the read starts first), and its template choices are template's."""
    import subprocess
    import sys

    from dangvien_data import cli
    from dangvien_data.template import writer as template

    assert (cli._TEMPLATE_KINDS, cli._TEMPLATE_ROWS) == (template.KINDS, template.DEFAULT_ROWS)
    code = "import sys; from dangvien_data.cli import build_parser; build_parser(); print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_console_entry_uses_the_system_arrow_pool():
    """`dangvien` runs Arrow on the system allocator (faster here than mimalloc) unless the user chose one."""
    code = (
        "import dangvien_data.cli as cli\n"
        "def probe():\n"
        "    import pyarrow as pa\n"
        "    print(pa.default_memory_pool().backend_name)\n"
        "    return 0\n"
        "cli.main = probe\n"
        "cli.run()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout == "system\n"
    chosen = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "ARROW_DEFAULT_MEMORY_POOL": "jemalloc"},
    )
    assert chosen.stdout == "jemalloc\n"


class _Terminal:
    """A text stream that says it is a terminal (as sys.stdout/sys.stderr are in an interactive shell)."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def getvalue(self) -> str:
        return self.buffer.getvalue()


def test_version(capsys):
    """--version prints the package version and exits 0."""
    from dangvien_data import __version__

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out == f"dangvien {__version__}\n"


def test_quiet_prints_only_the_verdict(capsys):
    """-q/--quiet: validate prints just its verdict line, read just its total line."""
    code, out, _ = _run(capsys, "validate", str(PLANTED), "--as-of", "2020-03-31", "-q")
    assert code == 1 and out == "KẾT QUẢ: CHƯA ĐẠT: 20 lỗi, 0 cảnh báo, 5 ghi chú\n"
    code, out, _ = _run(capsys, "read", str(CLEAN), "--quiet", "--lang", "en")
    assert code == 0 and out == "Total 170\n"


def test_verbose_says_where_the_rules_came_from(capsys):
    """-v adds, on standard error, the schemas folder used and the run time; -q and -v together are refused."""
    from dangvien_data.roster.schemas import default_schema_dir

    code, _, err = _run(capsys, "read", str(CLEAN), "-v")
    assert code == 0 and f"quy tắc từ {default_schema_dir()}; xong trong " in err
    code, _, err = _run(capsys, "read", str(CLEAN), "-v", "-q")
    assert code == 2 and "-q" in err


def test_colour_on_a_terminal_only(capsys, monkeypatch):
    """ANSI colour on a terminal; none when piped (capsys is a pipe) or with NO_COLOR set."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    args = ["validate", str(PLANTED), "--as-of", "2020-03-31"]
    code, piped, _ = _run(capsys, *args)
    assert code == 1 and "\x1b[" not in piped
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(args) == 1
    coloured = terminal.getvalue()
    assert "\x1b[31;1mKẾT QUẢ: CHƯA ĐẠT" in coloured and "\x1b[31mLỖI\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == piped  # the same text, only coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _Terminal()
    monkeypatch.setattr(sys, "stdout", plain)
    assert main(args) == 1 and plain.getvalue() == piped


def test_progress_line_on_a_terminal_after_the_threshold(capsys, monkeypatch):
    """A run longer than the threshold (0 here) shows files read and members checked on a terminal's stderr;
    a piped stderr gets none, and neither does a run shorter than the threshold or a quiet one."""
    args = ["validate", str(CLEAN), "--as-of", "2020-03-31"]
    assert main(args, progress_after=0) == 0
    assert capsys.readouterr().err == ""  # piped
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(args, progress_after=0) == 0
    shown = terminal.getvalue()
    assert "\rdangvien: đã đọc 1 tệp · đã kiểm tra 170 đảng viên · " in shown and shown.endswith("\r\x1b[K")
    quick = _Terminal()
    monkeypatch.setattr(sys, "stderr", quick)
    assert main(args, progress_after=3600) == 0 and quick.getvalue() == ""
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main([*args, "-q"], progress_after=0) == 0 and quiet.getvalue() == ""


def test_annotate_must_be_an_xlsx(tmp_path, capsys):
    """--annotate out.csv is refused before any work: the copy is always an .xlsx workbook."""
    out = str(tmp_path / "o.csv")
    code, _, err = _run(capsys, "validate", str(PLANTED), "--as-of", "2020-03-31", "--annotate", out)
    assert code == 2 and "--annotate" in err and ".xlsx" in err and not list(tmp_path.iterdir())


def test_every_written_file_is_named(tmp_path, capsys):
    """validate --annotate, summary -o and template -o say where they wrote; beside JSON, on standard error."""
    annotated = tmp_path / "a.xlsx"
    _, out, _ = _run(capsys, "validate", str(PLANTED), "--as-of", "2020-03-31", "--annotate", str(annotated))
    assert out.endswith(f"\nĐã ghi bản chú thích: {annotated}\n") and annotated.is_file()
    book = tmp_path / "t.xlsx"
    _, out, err = _run(capsys, "summary", str(CLEAN), "--as-of", "2020-03-31", "-o", str(book), "--format", "json")
    assert json.loads(out)["total"]["total"] == 170 and f"dangvien: Đã ghi bảng tính: {book}" in err
    _, out, _ = _run(capsys, "template", "roster", "-o", str(tmp_path / "m.xlsx"), "--lang", "en")
    assert out == f"Template written: {tmp_path / 'm.xlsx'}\n"


@pytest.mark.parametrize(
    ("args", "code", "file"),
    [
        (["validate", "khong_co.xlsx", "--as-of", "2020-03-31"], "file-not-found-input", "khong_co.xlsx"),
        (["validate", str(CLEAN), "--term", "2020"], "usage", None),
        (["summary", str(CLEAN), "--year", "abc"], "usage", None),
    ],
)
def test_json_errors_on_stdout(capsys, args, code, file):
    """With --format json a failure is also one JSON object on standard output, exit 2."""
    exit_code, out, err = _run(capsys, *args, "--format", "json")
    error = json.loads(out)["error"]
    assert exit_code == 2 and error["code"] == code and error["file"] == file
    assert error["message"] and error["message"] in err


def test_argparse_speaks_vietnamese_and_english_on_request(capsys):
    """argparse's own words ("usage", "invalid choice", the help) are Vietnamese, English with --lang en."""
    code, _, err = _run(capsys, "validate", str(CLEAN), "--format", "xml")
    assert code == 2 and err.startswith("cách dùng: dangvien validate") and "lựa chọn không hợp lệ: 'xml'" in err
    code, _, err = _run(capsys, "validate", str(CLEAN), "--format", "xml", "--lang", "en")
    assert code == 2 and err.startswith("usage: dangvien validate") and "invalid choice: 'xml'" in err
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    vi = capsys.readouterr().out
    assert "tùy chọn:" in vi and "in hướng dẫn này rồi thoát" in vi and "nhiệm kỳ" in vi and "congress term" not in vi
    with pytest.raises(SystemExit):
        main(["validate", "--help", "--lang", "en"])
    en = capsys.readouterr().out
    assert "options:" in en and "show this help message and exit" in en and "congress term" in en
    assert "nhiệm kỳ" not in en


def test_schemas_option_chooses_the_rules_folder(tmp_path, capsys):
    """--schemas DIR reads the rules from DIR for this run only; a folder without roster.yaml is refused."""
    import dangvien_data.roster.schemas as schemas

    copy = shutil.copytree(schemas.default_schema_dir(), tmp_path / "rules")
    code, _, err = _run(capsys, "read", str(CLEAN), "-v", "--schemas", str(copy))
    assert code == 0 and f"quy tắc từ {copy};" in err
    assert "DANGVIEN_SCHEMAS" not in os.environ or os.environ["DANGVIEN_SCHEMAS"] != str(copy)
    code, _, err = _run(capsys, "read", str(CLEAN), "--schemas", str(tmp_path / "none"), "--lang", "en")
    assert code == 2 and "--schemas" in err and "has no roster.yaml" in err


def test_plain_import_registers_the_checks_when_pandera_loads():
    """`import dangvien_data` imports no pandas or pandera, yet pandera, once imported, knows our checks."""
    code = (
        "import sys, dangvien_data\n"
        "print('pandas' in sys.modules, 'pandera' in sys.modules)\n"
        "import pandera.pandas as pa\n"
        "print(hasattr(pa.Check, 'dv_in_codes'), hasattr(pa.Check, 'dv_not_after'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False False\nTrue True\n"


def test_many_notes_of_one_kind_are_counted_on_one_line_unless_verbose(tmp_path, capsys):
    """A cell typed in VNI: a note for each converted cell. The terminal report shows the first few of each kind
    per cell and counts the rest on one line; -v and --format json give every one, the errors always all."""
    from conftest import HEADER, member, write_workbook
    from dangvien_data.report.render import NOTES_SHOWN

    rows = [HEADER, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [member(name="Nguyeãn Vaên An", card=f"{k:08d}", seq=k, home_town="Haø Noäi") for k in range(1, 13)]
    rows[-1][2] = "31/02/1985"  # one error among them
    path = write_workbook(tmp_path / "vni.xlsx", {"DS": rows})
    code, out, _ = _run(capsys, "validate", str(path), "--as-of", "2020-03-31")
    data = json.loads(_run(capsys, "validate", str(path), "--as-of", "2020-03-31", "--format", "json")[1])
    converted = [i for i in data["issues"] if i["code"] == "legacy-encoding-converted"]
    assert code == 1 and len(converted) > NOTES_SHOWN
    assert out.count("legacy-encoding-converted [") == NOTES_SHOWN
    assert f"… và {len(converted) - NOTES_SHOWN} ghi chú legacy-encoding-converted khác" in out
    assert all(f"!{i['ref']} " in out for i in data["issues"] if i["severity"] == "error")
    _, verbose, _ = _run(capsys, "validate", str(path), "--as-of", "2020-03-31", "-v")
    assert verbose.count("legacy-encoding-converted [") == len(converted) and "… và" not in verbose
