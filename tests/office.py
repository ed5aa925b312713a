"""Print a workbook as LibreOffice does and read the PDF back: page text and word positions (pdftotext).

LibreOffice (``libreoffice-calc-nogui``) and poppler (``poppler-utils``) are Debian packages; CI installs them.
Without them a test using :func:`require` fails when the environment variable ``CI`` is set, and is skipped on
a developer's machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

PROGRAMS = ("soffice", "pdftotext", "pdfinfo", "pdffonts")
PACKAGES = "libreoffice-calc-nogui poppler-utils fonts-liberation2"


def require() -> None:
    """Fail in CI, skip elsewhere, when LibreOffice or poppler is missing."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if not missing:
        return
    msg = f"{', '.join(missing)} not installed (apt-get install {PACKAGES})"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def only_sheet(workbook: Path, sheet: str, out: Path) -> Path:
    """A copy of ``workbook`` in which every sheet but ``sheet`` is hidden (LibreOffice prints no hidden sheet)."""
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode()

                def hide(match: re.Match[str]) -> str:
                    tag = re.sub(r'\s+state="[^"]*"', "", match.group(0))
                    name = re.search(r'name="([^"]*)"', tag)
                    shown = name is not None and _unescape(name.group(1)) == sheet
                    return tag if shown else tag.replace("<sheet ", '<sheet state="hidden" ', 1)

                names = [_unescape(n) for n in re.findall(r'<sheet [^>]*name="([^"]*)"', text)]
                text = re.sub(r"<sheet [^>]*/>", hide, text)
                text = re.sub(r'\s(activeTab|firstSheet)="\d+"', "", text)
                # LibreOffice prints a hidden sheet that has a print range: keep only the shown sheet's names
                shown = str(names.index(sheet))
                text = re.sub(
                    r'<definedName [^>]*localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
                    lambda m, keep=shown: m.group(0) if m.group(1) == keep else "",
                    text,
                )
                text = re.sub(r"<workbookView ", f'<workbookView activeTab="{shown}" ', text, count=1)
                data = text.encode()
            elif info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b' tabSelected="1"', b"")  # LibreOffice shows a selected sheet, hidden or not
            dst.writestr(info, data)
    return out


def _unescape(text: str) -> str:
    return (
        text.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def to_pdf(workbooks: list[Path], folder: Path) -> list[Path]:
    """``libreoffice --headless --convert-to pdf`` of every workbook, in one run (LibreOffice starts once), into
    ``folder``; a private profile, so that runs never collide."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "profile").resolve().as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         *(str(w) for w in workbooks)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    pdfs = [folder / (w.stem + ".pdf") for w in workbooks]
    missing = [str(p) for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    for pdf in pdfs:
        stand_ins = substituted_fonts(pdf)
        assert not stand_ins, (
            f"{pdf.name}: LibreOffice printed some letters in {', '.join(stand_ins)} instead of Liberation Serif, "
            "the metric twin of Times New Roman; the page widths and words checked here would be off. "
            f"Install a Liberation Serif with every Vietnamese letter: apt-get install {PACKAGES}"
        )
    return pdfs


def substituted_fonts(pdf: Path) -> list[str]:
    """The fonts embedded in ``pdf`` other than the Liberation family (e.g. DejaVu Serif for letters it lacks)."""
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    embedded = (line.split()[0] for line in listing.splitlines()[2:] if line.strip())  # "BAAAAA+LiberationSerif"
    names = {name.partition("+")[2] or name for name in embedded}
    return sorted(n for n in names if not n.startswith("Liberation"))


@dataclass(frozen=True)
class Word:
    """One word of a PDF page and its box, in points from the top left."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    """One printed page: its size, its words and its text as pdftotext lays it out."""

    width: float
    height: float
    words: tuple[Word, ...]
    text: str

    def lines(self) -> list[str]:
        """The page's text lines, whitespace collapsed."""
        return [re.sub(r"\s+", " ", line).strip() for line in self.text.splitlines() if line.strip()]

    def has(self, phrase: str) -> bool:
        """Whether ``phrase`` stands whole on one line of the page (not broken across lines or pages)."""
        return any(phrase in line for line in self.lines())

    def has_words(self, text: str) -> bool:
        """Whether every word of ``text`` is on the page (a wrapped header spreads over several lines)."""
        present = {w.text for w in self.words}
        return all(word in present for word in text.split())


def pages(pdf: Path) -> list[Page]:
    """The pages of ``pdf``, with their words and layout text."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    texts = layout.decode().split("\f")
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(xhtml)
    out = []
    for i, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page")):
        words = tuple(
            Word(w.text or "", *(float(w.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.findall("x:word", ns)
        )
        out.append(Page(float(page.attrib["width"]), float(page.attrib["height"]), words, texts[i]))
    return out


def a4(page: Page) -> bool:
    """A4 portrait or landscape (595 × 842 pt), to a point."""
    size = sorted((round(page.width), round(page.height)))
    return abs(size[0] - 595) <= 2 and abs(size[1] - 842) <= 2


def render_samples(folder: Path, work: Path) -> list[Path]:
    """The first printed page of each sample output as a small PNG (``pdftoppm -png -r 60``), for the README.

    Run ``.venv/bin/python tests/office.py docs/img`` after a change to the layout.
    """
    from dangvien_data.cli import main

    os.chdir(Path(__file__).resolve().parents[1])  # the pictures show "sample_data/…", as the README runs it
    folder, work = folder.resolve(), work.resolve()
    sample = Path("sample_data")
    roster = str(sample / "danh_sach_dang_vien.xlsx")
    work.mkdir(parents=True, exist_ok=True)
    runs = {
        "tong_hop.xlsx": ["summary", roster, "--declared", str(sample / "bao_cao_so_luong.xlsx")],
        "bien_dong.xlsx": ["reconcile", "--before", roster, "--after", str(sample / "danh_sach_2020_09_30.xlsx"),
                           "--movements", str(sample / "bien_dong.xlsx")],
        "da_kiem_tra.xlsx": ["validate", str(sample / "danh_sach_dang_vien_loi.xlsx"), "--as-of", "2020-03-31",
                             "--annotate"],
    }  # fmt: skip
    import contextlib
    import io

    for name, argv in runs.items():
        with contextlib.redirect_stdout(io.StringIO()):
            main([*argv, str(work / name)] if argv[-1] == "--annotate" else [*argv, "-o", str(work / name)])
    shots = {
        "tong_hop": ("tong_hop.xlsx", "Tổng hợp"),
        "bieu_do": ("tong_hop.xlsx", "Biểu đồ"),
        "doi_chieu": ("tong_hop.xlsx", "Đối chiếu"),
        "bien_dong": ("bien_dong.xlsx", "Biến động"),
        "da_kiem_tra": ("da_kiem_tra.xlsx", "Kết quả kiểm tra"),
    }
    (work / "sheets").mkdir(exist_ok=True)
    copies = [only_sheet(work / book, sheet, work / "sheets" / f"{name}.xlsx") for name, (book, sheet) in shots.items()]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for pdf in to_pdf(copies, work / "pdf"):
        target = folder / pdf.stem
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)],
                       check=True)  # fmt: skip
        out.append(target.with_suffix(".png"))
    return out


if __name__ == "__main__":
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for png in render_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"), Path(tmp)):
            print(png)
