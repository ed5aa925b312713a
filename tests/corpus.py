"""A corpus of bad and hostile inputs, built on demand in a temporary folder.

Every entry is a function ``build(folder) -> Path`` registered in :data:`CORPUS` with what the tool must do
with it: refuse it with a :class:`~dangvien_data.errors.DangvienError` subclass (exit code 2), or read it
and report its data problems as issues. Nothing here is stored in the repository: each test builds the files
it needs in ``tmp_path`` (the largest, the million-row sheet, is a 60 kB zip).
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import write_workbook
from dangvien_data.errors import (
    CorruptWorkbookError,
    DangvienError,
    EncryptedWorkbookError,
    NoRosterError,
    OversizedWorkbookError,
    UnsupportedFormatError,
)
from strategies import COLUMNS, base_members, write_roster

__all__ = [
    "CORPUS",
    "DATA_CASES",
    "HOSTILE",
    "REFUSED",
    "Case",
    "billion_laughs",
    "build",
    "external_entity",
    "limit_memory",
    "patch_member",
    "run_cli",
    "zip_bomb",
]

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"


@dataclass(frozen=True)
class Case:
    """One corpus entry: how to build it and what the tool must do with it.

    ``refused`` is the error class the library raises (the CLI exits 2); ``None`` means the file is read
    and its problems come back as issues, of which ``codes`` must all be present.
    """

    build: Callable[[Path], Path]
    refused: type[DangvienError] | None = None
    codes: tuple[str, ...] = ()
    words_vi: str = ""
    words_en: str = ""
    hostile: bool = False  # would abort or exhaust the process if a guard failed: run only in a subprocess


def patch_member(path: Path, member: str, edit: Callable[[bytes], bytes], out: Path | None = None) -> Path:
    """Copy the zip ``path`` to ``out`` (default: in place) with ``member`` rewritten by ``edit``."""
    out = out or path
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, edit(data) if info.filename == member else data)
    return out


def _roster(folder: Path, name: str, members: Any = None) -> Path:
    return write_roster(folder / name, members if members is not None else base_members())


# --- files that are not (readable) workbooks ------------------------------------------------------------
def random_bytes(folder: Path) -> Path:
    """4 kB of random bytes named .xlsx."""
    path = folder / "ngau_nhien.xlsx"
    path.write_bytes(random.Random(6).randbytes(4096))
    return path


def truncated(folder: Path) -> Path:
    """A valid roster cut off in the middle (an interrupted download or copy)."""
    full = _roster(folder, "day_du.xlsx").read_bytes()
    path = folder / "cat_ngang.xlsx"
    path.write_bytes(full[: len(full) // 2])
    return path


def text_renamed(folder: Path) -> Path:
    """A CSV export renamed to .xlsx."""
    path = folder / "van_ban.xlsx"
    path.write_text("Họ và tên,Ngày sinh,Giới tính\nNguyễn Văn An,05/03/1985,Nam\n", encoding="utf-8")
    return path


def encrypted(folder: Path) -> Path:
    """A real password-protected workbook (Excel's "Encrypt with Password"), built with msoffcrypto-tool.

    Without msoffcrypto-tool: an OLE container holding an ``EncryptedPackage`` stream name, which is what the
    reader looks at.
    """
    plain = _roster(folder, "truoc_khi_ma_hoa.xlsx")
    path = folder / "mat_khau.xlsx"
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:  # pragma: no cover - dev extra missing
        path.write_bytes(_OLE_MAGIC + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
        return path
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("matkhau", target)
    return path


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xls_renamed(folder: Path) -> Path:
    """An old binary .xls (an OLE container with a "Workbook" stream) renamed to .xlsx."""
    path = folder / "doi_duoi.xlsx"
    path.write_bytes(_OLE_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1024)
    return path


def _xlsb_zip(path: Path) -> Path:
    """The container of an Excel binary workbook: xl/workbook.bin and xl/worksheets/sheet1.bin."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.'
        'binary.macroEnabled.main"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00\x84\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00\x82\x01\x00")
    return path


def xlsb(folder: Path) -> Path:
    """An Excel binary workbook (.xlsb): refused with the advice to save it as .xlsx."""
    return _xlsb_zip(folder / "nhi_phan.xlsb")


def xlsb_renamed(folder: Path) -> Path:
    """An .xlsb renamed to .xlsx: recognised by its parts and refused the same way."""
    return _xlsb_zip(folder / "nhi_phan_doi_ten.xlsx")


def empty_workbook(folder: Path) -> Path:
    """A workbook with one empty sheet."""
    return write_workbook(folder / "rong.xlsx", {"Sheet1": []})


def no_header(folder: Path) -> Path:
    """A sheet of data whose header matches nothing of the roster form."""
    rows = [["Tên", "Tuổi", "Điện thoại"], ["An", 35, "0912345678"], ["Bình", 31, "0987654321"]]
    return write_workbook(folder / "khong_tieu_de.xlsx", {"Sheet1": rows})


def huge_used_range(folder: Path) -> Path:
    """Two stray values, at XFD1 and A1048576: a used range of 17 billion cells (calamine would abort)."""
    path = _roster(folder, "vung_khong_lo.xlsx")
    return _with_values(path, {"XFD1": "x", "A1048576": "ghi chú lạc"})


def far_formatting(folder: Path) -> Path:
    """A valid roster with a bold, empty cell at XFD1048576: a huge dimension, but the values are compact."""
    import openpyxl
    from openpyxl.styles import Font

    path = _roster(folder, "dinh_dang_xa.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["DS"]["XFD1048576"].font = Font(bold=True)
    wb.save(path)
    return path


def _with_values(path: Path, values: dict[str, str]) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for ref, value in values.items():
        wb.active[ref] = value
    wb.save(path)
    return path


def zip_bomb(folder: Path) -> Path:
    """A workbook whose sheet part is 64 MiB of spaces deflated to ~64 kB (ratio ~1000)."""
    path = _roster(folder, "bom_nen.xlsx")
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == SHEET:
                with dst.open(SHEET, "w", force_zip64=True) as handle:
                    cut = data.index(b"<sheetData>")
                    handle.write(data[:cut])
                    block = b" " * (1 << 20)
                    for _ in range(64):
                        handle.write(block)
                    handle.write(data[cut:])
            else:
                dst.writestr(info, data)
    return path


# --- readable files with data problems -------------------------------------------------------------------
def million_rows(folder: Path) -> Path:
    """A valid roster plus one stray value at A1048576: a million-row used range holding four members."""
    return _with_values(_roster(folder, "trieu_dong.xlsx"), {"A1048576": "ghi chú lạc"})


def duplicate_headers(folder: Path) -> Path:
    """ "Họ và tên" and "Ngày sinh" each twice in the header row."""
    header = [*COLUMNS, "Họ và tên", "Ngày sinh"]
    rows = [header, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [[*m.row(i), "Trùng", "01/01/1900"] for i, m in enumerate(base_members(), start=1)]
    return write_workbook(folder / "trung_tieu_de.xlsx", {"DS": rows})


def header_only(folder: Path) -> Path:
    """The header row and nothing under it: a roster of 0 members."""
    return write_workbook(folder / "chi_tieu_de.xlsx", {"DS": [COLUMNS]})


def error_values(folder: Path) -> Path:
    """Excel error values where data should be: #REF! name, #N/A birth date, #VALUE! card, #DIV/0! ethnicity."""
    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [m.row(i) for i, m in enumerate(base_members(), start=1)]
    rows[2][COLUMNS.index("Họ và tên")] = "#REF!"
    rows[3][COLUMNS.index("Ngày sinh")] = "#N/A"
    rows[4][COLUMNS.index("Số thẻ đảng viên")] = "#VALUE!"
    rows[5][COLUMNS.index("Dân tộc")] = "#DIV/0!"
    rows[5][COLUMNS.index("Số CCCD")] = "#NAME?"
    return write_workbook(folder / "loi_excel.xlsx", {"DS": rows})


def date_serials(folder: Path) -> Path:
    """Birth dates as numbers Excel cannot show as dates, and Excel's phantom 29/02/1900 (serial 60)."""
    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [m.row(i) for i, m in enumerate(base_members(), start=1)]
    born = COLUMNS.index("Ngày sinh")
    rows[2][born] = 60  # 29/02/1900, a day that never existed
    rows[3][born] = -5
    rows[4][born] = 2958466  # one day after 31/12/9999
    rows[5][born] = 1e20
    path = write_workbook(folder / "ngay_so.xlsx", {"DS": rows})
    # openpyxl formats only real dates; give the numbers a date format like a user would
    return patch_member(path, SHEET, lambda d: d.replace(b'<c r="C3" t="n"', b'<c r="C3" s="1" t="n"'))


def text_dates_out_of_range(folder: Path) -> Path:
    """Text dates "29/02/1900", "00/00/0000", "31/12/9999" and "01/01/10000"."""
    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [m.row(i) for i, m in enumerate(base_members(), start=1)]
    born = COLUMNS.index("Ngày sinh")
    for i, text in enumerate(["29/02/1900", "00/00/0000", "31/12/9999", "01/01/10000"]):
        rows[2 + i][born] = text
    return write_workbook(folder / "ngay_van_ban.xlsx", {"DS": rows})


def merged_data_rows(folder: Path) -> Path:
    """ "Dân tộc" and "Ngày vào Đảng" merged down three member rows, as offices do for equal values."""
    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [m.row(i) for i, m in enumerate(base_members(), start=1)]
    return write_workbook(folder / "gop_o.xlsx", {"DS": rows}, merges={"DS": ["E3:E5", "K4:K6"]})


LONG_NAME = "Nguyễn " + "A" * 100_000


def odd_text(folder: Path) -> Path:
    """A 100k-character name; control characters, zero-width and right-to-left marks inside names."""
    members = base_members()
    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [m.row(i) for i, m in enumerate(members, start=1)]
    name = COLUMNS.index("Họ và tên")
    rows[2][name] = "LONG_NAME"  # openpyxl cuts text at Excel's 32,767 characters: patched in below
    rows[3][name] = "TEXT_WITH_CONTROLS"
    rows[4][name] = "Lê\u200b Văn\u200d Cường\ufeff"
    rows[5][name] = "\u202ePhạm\u200f Văn Dũng\u202c"
    path = write_workbook(folder / "chu_la.xlsx", {"DS": rows})
    # openpyxl refuses control characters; Excel writes them as _xHHHH_ escapes, other writers raw
    return patch_member(
        path,
        SHEET,
        lambda d: d.replace(b"TEXT_WITH_CONTROLS", "Trần\x01 Thị_x001F_ Bình\x07".encode()).replace(
            b">LONG_NAME<", f">{LONG_NAME}<".encode()
        ),
    )


def formulas_without_values(folder: Path) -> Path:
    """Formulas written by a program and never calculated: no cached value in the file."""
    rows = [COLUMNS, ["I. Chi bộ Đội Tổng hợp"]]
    rows += [m.row(i) for i, m in enumerate(base_members(), start=1)]
    rows[2][COLUMNS.index("Ngày sinh")] = "=DATE(1980,3,5)"
    rows[3][COLUMNS.index("Họ và tên")] = '=CONCATENATE("Trần"," Thị Bình")'
    rows[4][COLUMNS.index("Số thẻ đảng viên")] = '=TEXT(1234569,"00000000")'
    return write_workbook(folder / "cong_thuc.xlsx", {"DS": rows})


# --- hostile XML (security) --------------------------------------------------------------------------------
def billion_laughs(folder: Path, part: str = SHARED) -> Path:
    """A roster whose ``part`` (sharedStrings.xml or sheet1.xml) declares the "billion laughs" entity bomb."""
    path = _roster(folder, f"billion_laughs_{Path(part).stem}.xlsx")
    if part == SHARED:
        path = _with_shared_strings(path)
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE bomb [{''.join(lol)}]>".encode()
    return patch_member(path, part, _inject(doctype, b"&lol9;"))


def external_entity(folder: Path, target: Path, part: str = SHARED) -> Path:
    """A roster whose ``part`` declares an external entity pointing at the local file ``target``."""
    path = _roster(folder, f"xxe_{Path(part).stem}.xlsx")
    if part == SHARED:
        path = _with_shared_strings(path)
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{target}">]>'.encode()
    return patch_member(path, part, _inject(doctype, b"&xxe;"))


def _inject(doctype: bytes, reference: bytes) -> Callable[[bytes], bytes]:
    """Put ``doctype`` after the XML declaration and ``reference`` into the first text node (a name)."""

    def edit(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            end = data.index(b"?>") + 2
            data = data[:end] + doctype + data[end:]
        else:
            data = doctype + data
        return data.replace("Nguyễn Văn An".encode(), b"Nguy" + reference, 1)

    return edit


def _with_shared_strings(path: Path) -> Path:
    """Rewrite a roster so that its text lives in xl/sharedStrings.xml, as Excel itself saves it.

    openpyxl writes inline strings; Excel and LibreOffice write a shared-strings table, which is where an
    attacker would put an entity. The sheet's ``<is><t>…</t></is>`` cells become indices into the table.
    """
    import re

    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match[2])
        return match[1] + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    def sheet(data: bytes) -> bytes:
        return re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, data)

    patch_member(path, SHEET, sheet)
    table = b"".join(b"<si><t>" + text + b"</t></si>" for text in strings)
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(info, data)
        dst.writestr(
            SHARED,
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(strings), len(strings)) + table + b"</sst>",
        )
    return path


# --- hostile used ranges: each would make calamine allocate hundreds of GiB and abort the process -----------
FAR = "XFD1048576"
_FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def _far(folder: Path, name: str, cell: bytes) -> Path:
    """A valid roster whose sheet part gets ``cell`` (a row holding one value far away) before ``</sheetData>``."""
    path = _roster(folder, name)
    return patch_member(path, SHEET, lambda data: data.replace(b"</sheetData>", cell + b"</sheetData>"))


def far_cell_single_quotes(folder: Path) -> Path:
    """The far cell written with single quotes, ``r='XFD1048576'``."""
    return _far(
        folder, "nhay_don.xlsx", _FAR_CELL.replace(b'"1048576"', b"'1048576'").replace(b'"XFD1048576"', b"'XFD1048576'")
    )


def far_cell_spaces(folder: Path) -> Path:
    """The far cell written with spaces and a tab around ``=``."""
    return _far(folder, "dau_cach.xlsx", _FAR_CELL.replace(b'r="XFD', b'r \t=  "XFD'))


def far_cell_reordered(folder: Path) -> Path:
    """The far cell with its attributes in another order, ``<c t="inlineStr" r="XFD1048576">``."""
    return _far(folder, "thu_tu.xlsx", b'<row r="1048576"><c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c></row>')


def far_cell_prefixed(folder: Path) -> Path:
    """The whole sheet written with a namespace prefix (``<x:row>``, ``<x:c>``), as some .NET writers do."""
    path = _far(folder, "tien_to.xlsx", _FAR_CELL)

    def prefix(data: bytes) -> bytes:
        import re

        data = data.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="').replace(
            b"</worksheet>", b"</x:worksheet>"
        )
        return re.sub(
            rb"<(/?)(sheetData|row|c|is|t|v|f|dimension|sheetViews|sheetView|selection|sheetFormatPr|cols|col|"
            rb"pageMargins|mergeCells|mergeCell|sheetPr|outlinePr|pageSetUpPr|printOptions|pageSetup)\b",
            rb"<\1x:\2",
            data,
        )

    return patch_member(path, SHEET, prefix)


def far_cell_dot_path(folder: Path) -> Path:
    """The sheet part named through ``./`` in the workbook's relationships (``Target="./worksheets/…"``)."""
    path = _far(folder, "duong_dan_cham.xlsx", _FAR_CELL)
    return patch_member(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda d: d.replace(b'Target="worksheets/', b'Target="./worksheets/').replace(
            b'Target="/xl/worksheets/', b'Target="./worksheets/'
        ),
    )


def far_cell_behind_another_workbook(folder: Path) -> Path:
    """The package relationship points to a harmless copy of the workbook in ``alt/``; ``xl/`` still holds the
    sheet with the far cell, for a reader that looks there (fastexcel 0.21 follows the relationship; a reader
    that does not would abort). Both are measured, so the file is refused."""
    path = _far(folder, "hai_so.xlsx", _FAR_CELL)
    clean = _roster(folder, "sach.xlsx")
    with zipfile.ZipFile(clean) as src:
        extra = {
            name.replace("xl/", "alt/", 1): src.read(name)
            for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", SHEET)
        }
    rels = "alt/_rels/workbook.xml.rels"
    extra[rels] = extra[rels].replace(b'Target="/xl/', b'Target="/alt/')  # the copy's sheet, not xl/'s
    with zipfile.ZipFile(path, "a") as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return patch_member(
        path, "_rels/.rels", lambda d: d.replace(b'Target="xl/workbook.xml"', b'Target="alt/workbook.xml"')
    )


def forged_dimension(folder: Path) -> Path:
    """``<dimension ref="A1:O6"/>`` says the sheet is small; a value at XFD1048576 says otherwise."""
    path = _far(folder, "kich_thuoc_gia.xlsx", _FAR_CELL)
    import re

    return patch_member(path, SHEET, lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:O6"', d))


def cells_without_reference(folder: Path) -> Path:
    """A last row at 1048576 whose 20,000 cells have no ``r``: calamine places them in columns 1 to 20,000."""
    cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * 20_000
    return _far(folder, "khong_toa_do.xlsx", b'<row r="1048576">' + cells + b"</row>")


def _ods(path: Path, rows: str) -> Path:
    """A minimal OpenDocument spreadsheet whose only table holds ``rows`` (table:table-row elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument'
        ':xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:'
        'names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="DS">{rows}</table:table></office:spreadsheet></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def _ods_cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p></table:table-cell>'


def ods_repeated(folder: Path) -> Path:
    """An .ods of 1 kB whose one value cell is repeated over 16,384 columns and 1,048,576 rows."""
    row = f'<table:table-row table:number-rows-repeated="1048576">{_ods_cell("x", 16384)}</table:table-row>'
    return _ods(folder / "lap_lai.ods", f"<table:table-row>{_ods_cell('Họ và tên')}</table:table-row>{row}")


def _xls(path: Path, values: dict[tuple[int, int], str]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("DS")
    for (row, col), value in values.items():
        sheet.write(row, col, value)
    book.save(str(path))
    return path


def xls_far_cell(folder: Path) -> Path:
    """A real .xls whose one number cell is moved to row 65,536, column 65,536 (BIFF records hold 16-bit
    columns, so a forged record reaches 4 billion cells)."""
    path = _xls(folder / "o_xa.xls", {(0, 0): "Họ và tên", (0x1234, 0x56): "x"})
    data = path.read_bytes()
    record = b"\xfd\x00\x0a\x00\x34\x12\x56\x00"  # LABELSST at row 0x1234, column 0x56
    assert data.count(record) == 1
    path.write_bytes(data.replace(record, b"\xfd\x00\x0a\x00\xff\xff\xff\xff"))
    return path


def shared_strings_count(folder: Path) -> Path:
    """A 7 kB roster whose shared-strings table declares ``uniqueCount="4294967295"``: the fast reader reserved
    room for that many strings (96 GiB) and aborted."""
    import re

    path = _with_shared_strings(_roster(folder, "chuoi_chung.xlsx"))
    return patch_member(path, SHARED, lambda d: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4294967295"', d))


def xls_dimensions(folder: Path) -> Path:
    """A real .xls whose DIMENSIONS record ends its rows before they start: the fast reader's unsigned arithmetic
    turns that into 4 billion rows, and it reserved room for them."""
    path = _xls(folder / "kich_thuoc.xls", {(0, 0): "Họ và tên", (1, 0): "Nguyễn Văn An"})
    data = path.read_bytes()
    record = b"\x00\x02\x0e\x00"
    assert data.count(record) == 1
    at = data.index(record) + 4
    dims = (
        (5).to_bytes(4, "little") + (1).to_bytes(4, "little") + (0).to_bytes(2, "little") + (255).to_bytes(2, "little")
    )
    path.write_bytes(data[:at] + dims + data[at + 12 :])
    return path


def xls_directory_loop(folder: Path) -> Path:
    """A real .xls whose allocation table makes the directory's sector point to itself: the fast reader followed
    the loop, growing a buffer until it asked for 4 GiB and aborted."""
    import struct

    path = _xls(folder / "vong_lap.xls", {(0, 0): "Họ và tên", (1, 0): "Nguyễn Văn An"})
    data = bytearray(path.read_bytes())
    directory, fat = struct.unpack_from("<I", data, 48)[0], struct.unpack_from("<I", data, 76)[0]
    struct.pack_into("<I", data, 512 + fat * 512 + 4 * directory, directory)
    path.write_bytes(bytes(data))
    return path


def xls_damaged(folder: Path) -> Path:
    """A real .xls whose OLE header gives its mini allocation table 2 billion sectors starting past the end of
    the file (a broken mini stream): the fast reader sized a buffer from it and aborted."""
    path = _xls(folder / "hong.xls", {(0, 0): "Họ và tên", (1, 0): "Nguyễn Văn An"})
    data = bytearray(path.read_bytes())
    data[0x3C:0x40] = (0x7FFFFFF0).to_bytes(4, "little")  # first sector of the mini allocation table
    data[0x40:0x44] = (0x7FFFFFF0).to_bytes(4, "little")  # number of its sectors
    path.write_bytes(bytes(data))
    return path


CORPUS: dict[str, Case] = {
    "random-bytes": Case(random_bytes, CorruptWorkbookError, words_vi="không phải bảng tính", words_en="not a"),
    "truncated": Case(truncated, CorruptWorkbookError, words_vi="bị hỏng", words_en="damaged"),
    "text-renamed": Case(text_renamed, CorruptWorkbookError, words_vi="không phải bảng tính", words_en="not a"),
    "encrypted": Case(encrypted, EncryptedWorkbookError, words_vi="mật khẩu", words_en="password"),
    "xls-renamed": Case(xls_renamed, UnsupportedFormatError, words_vi="đổi đuôi", words_en="renamed"),
    "xlsb": Case(xlsb, UnsupportedFormatError, words_vi=".xlsx", words_en=".xlsx"),
    "xlsb-renamed": Case(xlsb_renamed, UnsupportedFormatError, words_vi=".xlsx", words_en=".xlsx"),
    "empty": Case(empty_workbook, NoRosterError, words_vi="tiêu đề", words_en="header"),
    "no-header": Case(no_header, NoRosterError, words_vi="tiêu đề", words_en="header"),
    "huge-used-range": Case(huge_used_range, OversizedWorkbookError, words_vi="XFD1", words_en="XFD1"),
    "zip-bomb": Case(zip_bomb, OversizedWorkbookError, words_vi="bom nén", words_en="zip bomb"),
    "million-rows": Case(million_rows, codes=()),
    "far-formatting": Case(far_formatting, codes=()),
    "duplicate-headers": Case(duplicate_headers, codes=("duplicate-column",)),
    "header-only": Case(header_only, codes=()),
    "error-values": Case(
        error_values,
        codes=("excel-error-value",),
    ),
    "date-serials": Case(date_serials, codes=("invalid-date",)),
    "text-dates": Case(text_dates_out_of_range, codes=("invalid-date",)),
    "merged-data-rows": Case(merged_data_rows, codes=("missing-value",)),
    "odd-text": Case(odd_text, codes=("invisible-characters-removed",)),
    "formulas-without-values": Case(formulas_without_values, codes=("formula-without-value",)),
    "far-cell-single-quotes": Case(
        far_cell_single_quotes, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True
    ),
    "far-cell-spaces": Case(far_cell_spaces, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True),
    "far-cell-reordered": Case(far_cell_reordered, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True),
    "far-cell-prefixed": Case(far_cell_prefixed, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True),
    "far-cell-dot-path": Case(far_cell_dot_path, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True),
    "far-cell-behind-another-workbook": Case(
        far_cell_behind_another_workbook, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True
    ),
    "forged-dimension": Case(forged_dimension, OversizedWorkbookError, words_vi=FAR, words_en=FAR, hostile=True),
    "cells-without-reference": Case(
        cells_without_reference, OversizedWorkbookError, words_vi="Ctrl+End", words_en="Ctrl+End", hostile=True
    ),
    "ods-repeated": Case(ods_repeated, OversizedWorkbookError, words_vi="Ctrl+End", words_en="Ctrl+End", hostile=True),
    "xls-far-cell": Case(xls_far_cell, OversizedWorkbookError, words_vi="Ctrl+End", words_en="Ctrl+End", hostile=True),
    "xls-damaged": Case(xls_damaged, CorruptWorkbookError, words_vi="hỏng", words_en="damaged", hostile=True),
    "xls-directory-loop": Case(
        xls_directory_loop, CorruptWorkbookError, words_vi="hỏng", words_en="damaged", hostile=True
    ),
    "shared-strings-count": Case(
        shared_strings_count,
        OversizedWorkbookError,
        words_vi="chuỗi dùng chung",
        words_en="shared strings",
        hostile=True,
    ),
    "xls-dimensions": Case(
        xls_dimensions, OversizedWorkbookError, words_vi="Ctrl+End", words_en="Ctrl+End", hostile=True
    ),
}
REFUSED = sorted(name for name, case in CORPUS.items() if case.refused and not case.hostile)
HOSTILE = sorted(name for name, case in CORPUS.items() if case.hostile)
DATA_CASES = sorted(name for name, case in CORPUS.items() if not case.refused)


MEMORY_LIMIT = 3 * 1024**3  # address space of a child process: an allocation the guards missed fails there


def limit_memory(limit: int = MEMORY_LIMIT) -> Callable[[], None]:
    """A ``preexec_fn`` capping the child's address space (RLIMIT_AS): a missed huge allocation aborts the child,
    never the test run."""

    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_cli(*args: str | bytes | Path, timeout: float = 120, memory: int = MEMORY_LIMIT, **kwargs: Any) -> Any:
    """Run ``dangvien ARGS`` in a child process with a memory cap and a timeout (a hang fails the test);
    returns the CompletedProcess with stdout and stderr as bytes (a name need not be UTF-8)."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "dangvien_data", *(os.fsencode(a) if isinstance(a, Path) else a for a in args)]
    return subprocess.run(
        command, capture_output=True, timeout=timeout, preexec_fn=limit_memory(memory), check=False, **kwargs
    )


def build(name: str, folder: Path) -> Path:
    """Build corpus entry ``name`` in ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    return CORPUS[name].build(folder)
