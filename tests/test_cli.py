"""The command line: exit codes, JSON shape, messages without tracebacks, inputs left untouched."""

from __future__ import annotations

import hashlib
import json
import os
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
    """The planted sample fails with exit 1 and the JSON of DESIGN.md."""
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
    with pytest.raises(SystemExit) if args[0] == "frobnicate" or "--as-of" in args else _no_raise():
        code = main(args)
        assert code == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err and err.strip()


class _no_raise:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


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
    for name, sub in commands.choices.items():
        assert sub.format_help().strip(), name
        assert any(c.dest == name for c in commands._choices_actions) or name, name


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
