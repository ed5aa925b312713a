"""Installed like a user would: the sdist and the wheel built from it, pip-installed into a fresh virtual
environment outside the checkout, then every command and the README's library example run from another folder.

The build runs without isolation (setuptools and build come with the dev extras) and pip installs the
dependencies from its index or cache, as a user's pip does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2020-03-31"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    unpacked: Path  # the sdist, unpacked: its tests and samples
    bin: Path  # the fresh environment's bin/ (Scripts\ on Windows)
    elsewhere: Path  # an empty folder far from the checkout, the working directory of every run

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run a program of the fresh environment in ``elsewhere``, with only its own bin/ on PATH."""
        program = str(self.bin / args[0])
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DANGVIEN_", "PYTHON", "VIRTUAL_ENV"))}
        clean["PATH"] = f"{self.bin}{os.pathsep}{clean.get('PATH', '')}"
        return subprocess.run(
            [program, *args[1:]],
            cwd=self.elsewhere,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**clean, **(env or {})},
            check=False,
            timeout=600,
        )


def _check(done: subprocess.CompletedProcess[str], *codes: int) -> subprocess.CompletedProcess[str]:
    assert done.returncode in (codes or (0,)), f"exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    # No --sdist/--wheel flags: build makes the sdist, then the wheel *from the sdist*, so both are tested.
    _check(
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    )
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(base / "sdist", filter="data")
    (unpacked,) = (base / "sdist").iterdir()
    venv = base / "venv"
    _check(subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False))
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # pytest and hypothesis run the sdist's tests against this installed copy
    _check(subprocess.run([*pip, str(wheel), "pytest", "hypothesis"], capture_output=True, text=True, check=False))
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, sdist, unpacked, bin_dir, elsewhere)


def test_wheel_ships_every_schema_file(installed: Installed):
    """The wheel holds schemas/ as dangvien_data/_schemas, file for file, besides the code and py.typed."""
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    shipped = [p.relative_to(ROOT / "schemas").as_posix() for p in ROOT.glob("schemas/**/*.yaml")]
    expected = {f"dangvien_data/_schemas/{name}" for name in shipped}
    assert expected and expected <= names
    assert {"dangvien_data/py.typed", "dangvien_data/cli.py", "dangvien_data/options.py"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_sdist_holds_what_its_tests_need(installed: Installed):
    """The sdist has the LICENSE, CHANGELOG, schemas, samples, docs and the test helpers."""
    for part in ("LICENSE", "CHANGELOG.md", "setup.py", "schemas/roster.yaml", "schemas/codes/ethnicity.yaml",
                 "sample_data/danh_sach_dang_vien.xlsx", "docs/rules.md", "tests/conftest.py", "tests/corpus.py",
                 "tests/strategies.py", ".ci/run"):  # fmt: skip
        assert (installed.unpacked / part).is_file(), part


def test_installed_package_reads_its_own_schemas(installed: Installed):
    """The installed library is the wheel's, and finds the schemas shipped inside it."""
    code = (
        "import dangvien_data, pathlib\n"
        "from dangvien_data.roster.schemas import default_schema_dir\n"
        "print(pathlib.Path(dangvien_data.__file__).parent)\n"
        "print(default_schema_dir())\n"
    )
    package, schemas = _check(installed.run("python", "-c", code)).stdout.split()
    assert "site-packages" in package and not package.startswith(str(ROOT))
    assert Path(schemas) == Path(package) / "_schemas"


def test_every_command_works_from_another_folder(installed: Installed):
    """read, validate, summary, dossier, template: the installed `dangvien` on the bundled samples."""
    samples = installed.unpacked / "sample_data"
    clean, planted = samples / "danh_sach_dang_vien.xlsx", samples / "danh_sach_dang_vien_loi.xlsx"
    read = _check(installed.run("dangvien", "read", str(clean)))
    assert "Tổng cộng" in read.stdout and "170" in read.stdout
    checked = _check(installed.run("dangvien", "validate", str(planted), "--as-of", AS_OF, "--annotate", "a.xlsx"), 1)
    assert "KẾT QUẢ: CHƯA ĐẠT: 20 lỗi" in checked.stdout and "Đã ghi bản chú thích: a.xlsx" in checked.stdout
    assert (installed.elsewhere / "a.xlsx").is_file()
    summary = installed.run(
        "dangvien", "summary", str(clean), "--declared", str(samples / "bao_cao_so_luong.xlsx"), "-o", "th.xlsx"
    )
    assert "Đã ghi bảng tính: th.xlsx" in _check(summary, 0, 1).stdout
    dossier = installed.run(
        "dangvien", "dossier", str(samples / "ho_so_nhan_su.xlsx"), "--roster", str(clean),
        "--congress-date", "2020-06-15", "--format", "json",
    )  # fmt: skip
    assert '"counts"' in _check(dossier, 0, 1).stdout
    template = _check(installed.run("dangvien", "template", "roster", "-o", "mau.xlsx", "--lang", "en"))
    assert "Template written: mau.xlsx" in template.stdout and (installed.elsewhere / "mau.xlsx").is_file()
    assert _check(installed.run("dangvien", "--version")).stdout.strip() == "dangvien 0.1.0"


def test_readme_library_example_runs_installed(installed: Installed):
    """The README's Python example runs with the installed package, beside a copy of the samples."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    shutil.copytree(installed.unpacked / "sample_data", installed.elsewhere / "sample_data", dirs_exist_ok=True)
    done = _check(installed.run("python", "-c", block.group(1)))
    assert done.stdout.startswith("171 ") and "False {'error': 20" in done.stdout


def test_schemas_folder_can_be_chosen(installed: Installed, tmp_path: Path):
    """--schemas DIR and DANGVIEN_SCHEMAS replace the shipped rules; a folder without roster.yaml is refused."""
    copy = shutil.copytree(installed.unpacked / "schemas", tmp_path / "my_schemas")
    clean = str(installed.unpacked / "sample_data" / "danh_sach_dang_vien.xlsx")
    chosen = _check(installed.run("dangvien", "read", clean, "-v", "--schemas", str(copy)))
    assert f"quy tắc từ {copy}" in chosen.stderr
    by_env = _check(installed.run("dangvien", "read", clean, "-v"), 0)
    assert "_schemas" in by_env.stderr
    by_env = _check(installed.run("dangvien", "read", clean, "-v", env={"DANGVIEN_SCHEMAS": str(copy)}))
    assert f"quy tắc từ {copy}" in by_env.stderr
    refused = _check(installed.run("dangvien", "read", clean, "--schemas", str(tmp_path)), 2)
    assert "--schemas" in refused.stderr and "roster.yaml" in refused.stderr


def test_schema_export_is_readable_and_loads_after_a_plain_import(installed: Installed):
    """`schema export` prints Vietnamese letters, not escapes, and pandera reads it after `import dangvien_data`."""
    exported = _check(installed.run("dangvien", "schema", "export", "--as-of", AS_OF)).stdout
    assert "Tày" in exported and "Mường" in exported
    assert not re.search(r"\\u[0-9A-Fa-f]{4}", exported)
    (installed.elsewhere / "schema.yaml").write_text(exported, encoding="utf-8")
    code = (
        "import pathlib, dangvien_data, pandera.pandas as pa\n"
        "schema = pa.DataFrameSchema.from_yaml(pathlib.Path('schema.yaml').read_text(encoding='utf-8'))\n"
        "print(schema.name, len(schema.columns))\n"
    )
    assert _check(installed.run("python", "-c", code)).stdout.startswith("dangvien_roster ")


def test_sdist_tests_pass_against_the_installed_package(installed: Installed):
    """A few test files of the sdist run from the unpacked sdist and pass (they import the installed copy)."""
    done = subprocess.run(
        [str(installed.bin / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/domain/test_vntext.py", "tests/roster/test_normalise.py", "tests/test_docs.py"],
        cwd=installed.unpacked,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:]
    assert re.search(r"\d+ passed", done.stdout)
