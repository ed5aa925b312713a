"""Open workbooks safely and load their sheets as Arrow tables, on a background thread when asked.

This module imports neither pandas nor pyarrow (fastexcel loads pyarrow on first use), so the command line
can start reading the first file while the main thread is still importing pandas, pandera and the schema:
calamine parses the sheet XML in Rust without holding the GIL (measured: the main thread keeps running
Python at full speed during ``load_sheet`` and ``to_arrow``). Reading a folder, the next file is loaded
while the current one is checked, which puts the second core to work.

The safety checks (regular file, container type, zip bombs, OLE headers, encrypted files, XML entities, and
every sheet's used range against the budget of :class:`ReadLimits`) run before fastexcel sees a file, exactly as
in the synchronous path; an error found on the background thread is raised in the caller's thread when the file
is taken. Whatever fastexcel raises, a Rust panic included, becomes a :class:`CorruptWorkbookError` naming the
file.
"""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import re
import stat
import struct
import threading
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import fastexcel

from dangvien_data.domain.values import number
from dangvien_data.errors import (
    CorruptWorkbookError,
    DangvienError,
    EncryptedWorkbookError,
    FileNotFoundInputError,
    NotRegularFileError,
    OversizedWorkbookError,
    UnsupportedFormatError,
    display_name,
)
from dangvien_data.io.xlsx_scan import (
    BYTES_PER_CELL,
    ReadLimits,
    SheetScan,
    XmlRefused,
    declared_strings,
    scan_ods,
    scan_sheets,
    scan_xls,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "EXTENSIONS",
    "LIMITS",
    "LoadedSheet",
    "LoadedWorkbook",
    "ReadLimits",
    "expand_paths",
    "load_many",
    "load_one",
    "load_workbook",
    "natural_key",
    "prefetch",
    "release_freed_memory",
]

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A roster of 500k members unpacks to well under 1 GiB; anything far beyond is a zip bomb, not a roster.
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_COMPRESSION_RATIO = 200
_DIGITS = re.compile(r"(\d+)")
_LOG = logging.getLogger("dangvien_data")
#: The budget every file is read with unless a caller passes its own (see :class:`ReadLimits`).
LIMITS = ReadLimits()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: each path as given, or the workbooks inside a folder (in natural order, so ``cb_2``
    comes before ``cb_10``; lock files skipped).

    Only regular files are read: a named pipe, socket or device in a folder is skipped with a warning naming
    it (reading a pipe would wait for ever), and one given by name is refused.

    Raises:
        FileNotFoundInputError: a path does not exist, or a folder holds no workbook.
        NotRegularFileError: a path given by name is a pipe, socket or device.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for item in sorted(path.iterdir(), key=natural_key):
                if item.suffix.lower() not in EXTENSIONS or item.name.startswith(("~$", ".")):
                    continue
                if _regular(item):
                    found.append(item)
                else:
                    _LOG.warning(
                        "dangvien: bỏ qua %s: không phải tệp thường (ống dẫn, socket hoặc thiết bị). / skipped %s: "
                        "not a regular file (a pipe, socket or device).",
                        display_name(item),
                        display_name(item),
                    )
            if not found:
                raise FileNotFoundInputError(
                    f"Thư mục {display_name(path)} không có tệp Excel nào ({', '.join(EXTENSIONS)}). "
                    "Chọn thư mục chứa danh sách của các chi bộ.",
                    f"Folder {display_name(path)} holds no workbook ({', '.join(EXTENSIONS)}). "
                    "Choose the folder with the cells' rosters.",
                    path=str(path),
                )
            files.extend(found)
        elif path.exists():
            if not _regular(path):
                raise _not_regular(path)
            files.append(path)
        else:
            raise FileNotFoundInputError(
                f"Không tìm thấy tệp {display_name(path)}. Kiểm tra lại đường dẫn và tên tệp.",
                f"File {display_name(path)} not found. Check the path and the file name.",
                path=str(path),
            )
    return files


def natural_key(path: Path) -> tuple[tuple[tuple[int, int | str], ...], str]:
    """Sort key reading runs of digits as numbers: ``cb_2`` before ``cb_10``, then case-insensitively."""
    parts = tuple((1, int(part)) if part.isdigit() else (0, part.casefold()) for part in _DIGITS.split(path.name))
    return parts, path.name


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _not_regular(path: Path) -> NotRegularFileError:
    return NotRegularFileError(
        f"{display_name(path)} không phải tệp thường (là ống dẫn, socket hoặc thiết bị): không đọc. Chọn một tệp "
        "Excel đã lưu trên đĩa.",
        f"{display_name(path)} is not a regular file (a pipe, socket or device): not read. Choose an Excel file "
        "saved on disk.",
        path=str(path),
    )


def _read_head(path: Path) -> bytes:
    """The first 8 bytes, opened without blocking and only if the path is (still) a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _not_regular(path)
        return os.pread(fd, 8, 0)
    finally:
        os.close(fd)


def _check_container(path: Path, limits: ReadLimits | None = None) -> None:
    """Refuse early, with a clear message, what is not a workbook we can open safely."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise UnsupportedFormatError(
            f'Tệp {display_name(path)} có đuôi "{suffix}" không phải bảng tính Excel/ODS. Mở tệp bằng Excel và lưu '
            "lại dạng .xlsx.",
            f'File {display_name(path)} ("{suffix}") is not an Excel/ODS workbook. Open it in Excel and save it as '
            ".xlsx.",
            path=str(path),
        )
    if suffix == ".xlsb":
        # Kept in EXTENSIONS so that a folder's .xlsb is refused aloud instead of silently left out of the counts;
        # the byte-level safety pass (_xlsx_scan) reads XML parts only, so binary workbooks are not opened.
        _refuse_xlsb(path)
    try:
        magic = _read_head(path)
    except OSError as exc:
        raise CorruptWorkbookError(
            f"Không mở được tệp {display_name(path)}: {exc.strerror}. Kiểm tra quyền đọc tệp.",
            f"Cannot open {display_name(path)}: {exc.strerror}. Check that the file is readable.",
            path=str(path),
        ) from exc
    if magic.startswith(_OLE_MAGIC):
        kind = _ole_kind(path)
        if kind == "encrypted" or (suffix != ".xls" and kind is None):
            raise EncryptedWorkbookError(
                f"Tệp {display_name(path)} được đặt mật khẩu (mã hóa). Mở bằng Excel, gỡ mật khẩu (File → Info → "
                "Protect Workbook) rồi lưu thành tệp mới và kiểm tra tệp đó.",
                f"File {display_name(path)} is password-protected (encrypted). Open it in Excel, remove the password "
                "(File → Info → Protect Workbook), save a new copy and check that copy.",
                path=str(path),
            )
        if suffix != ".xls":
            raise UnsupportedFormatError(
                f"Tệp {display_name(path)} thực chất là tệp Excel 97–2003 (.xls) bị đổi đuôi thành {suffix}. Đổi đuôi "
                "tệp thành .xls, hoặc mở bằng Excel và lưu lại dạng .xlsx (File → Save As → Excel Workbook).",
                f"File {display_name(path)} is an Excel 97–2003 workbook (.xls) renamed to {suffix}. Rename it to "
                ".xls, or open it in Excel and save it as .xlsx (File → Save As → Excel Workbook).",
                path=str(path),
            )
        _check_ole_header(path, limits or LIMITS)  # an .xls the fast reader will open
        return
    if not magic.startswith(_ZIP_MAGIC):
        raise CorruptWorkbookError(
            f"Tệp {display_name(path)} không phải bảng tính hợp lệ (có thể bị hỏng hoặc là tệp khác đổi đuôi). "
            "Mở bằng Excel và lưu lại dạng .xlsx.",
            f"File {display_name(path)} is not a valid workbook (damaged, or another file renamed). "
            "Open it in Excel and save it again as .xlsx.",
            path=str(path),
        )
    _check_zip(path)


def _refuse_xlsb(path: Path) -> NoReturn:
    raise UnsupportedFormatError(
        f"Tệp {display_name(path)} là bảng tính nhị phân Excel (.xlsb), công cụ không đọc dạng này. Mở bằng Excel, "
        "chọn File → Save As → Excel Workbook (*.xlsx) rồi kiểm tra tệp .xlsx đó.",
        f"File {display_name(path)} is an Excel binary workbook (.xlsb), which the tool does not read. Open it in "
        "Excel, choose File → Save As → Excel Workbook (*.xlsx) and check that .xlsx file.",
        path=str(path),
    )


def _check_ole_header(path: Path, limits: ReadLimits) -> None:
    """Refuse an OLE container whose header counts more sectors than the file holds.

    The fast reader sizes buffers from these counts before reading a sector (one of them from bytes 62-65,
    which straddle two fields): a 6 kB .xls claiming 2 billion mini-FAT sectors made it ask for 16 GiB and
    abort the process. Real files never claim more sectors than they have.
    """
    with path.open("rb") as handle:
        header = handle.read(512)
        size = os.fstat(handle.fileno()).st_size
    if len(header) < 512:
        raise _damaged(path, ValueError("OLE header cut short"))
    shift = int.from_bytes(header[30:32], "little")
    sectors = size >> (shift if shift in (9, 12) else 9)
    counts = {
        "FAT": int.from_bytes(header[44:48], "little"),
        "mini FAT": int.from_bytes(header[64:68], "little"),
        "DIFAT": int.from_bytes(header[72:76], "little"),
    }
    straddling = int.from_bytes(header[62:66], "little")  # read as a count of 4-byte entries by the fast reader
    over = [name for name, count in counts.items() if count > sectors]
    if over or straddling * 4 > limits.max_memory // 8:  # a buffer no honest header asks for
        reason = f"{', '.join(over) or 'mini FAT'} > {sectors:,} sectors"
        raise _damaged(path, ValueError(f"OLE header: {reason}"))
    problem = _ole_chains(path.read_bytes(), 1 << (shift if shift in (9, 12) else 9))
    if problem:
        raise _damaged(path, ValueError(f"OLE: {problem}"))


_END_OF_CHAIN, _FIRST_RESERVED, _DIFAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFA, 0xFFFFFFFC


def _ole_chains(data: bytes, size: int) -> str | None:
    """What is wrong with the sector chains the fast reader follows without a bound, or None.

    It follows the DIFAT and the directory chains until their end mark and each stream's chain up to the size the
    directory gives: a chain that loops, or a stream larger than the file, made it grow a buffer until the process
    aborted (a 6 kB .xls asked for 4 GiB).
    """

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return data[start : start + size] if start + size <= len(data) else b""

    difat = list(struct.unpack_from("<109I", data, 76))
    number, seen = int.from_bytes(data[68:72], "little"), set()
    while number < _FIRST_RESERVED:
        block = sector(number)
        if number in seen or not block:
            return "the DIFAT chain loops or leaves the file"
        seen.add(number)
        entries = struct.unpack(f"<{size // 4}I", block)
        difat.extend(entries[:-1])
        number = entries[-1]
    fat: list[int] = []
    for number in (n for n in difat if n < _DIFAT_SECTOR):
        fat.extend(struct.unpack(f"<{size // 4}I", sector(number) or bytes(size)))
    directory, number, seen = b"", int.from_bytes(data[48:52], "little"), set()
    while number != _END_OF_CHAIN:
        if number in seen or number >= len(fat) or not sector(number):
            return "the directory chain loops or leaves the file"
        seen.add(number)
        directory += sector(number)
        number = fat[number]
    wide = int.from_bytes(data[26:28], "little") == 4
    for at in range(0, len(directory) - 127, 128):
        length = int.from_bytes(directory[at + 120 : at + (128 if wide else 124)], "little")
        if directory[at + 66] in (2, 5) and length > len(data):
            return "a stream is larger than the file"
    return None


def _ole_kind(path: Path) -> str | None:
    """What an OLE2 container holds: "encrypted" (an encrypted .xlsx), "xls" (a binary workbook) or None.

    Stream names sit in the container's directory as UTF-16; finding them needs no OLE parser.
    """
    markers = {"encrypted": "EncryptedPackage".encode("utf-16-le"), "xls": "Workbook".encode("utf-16-le")}
    book = "Book".encode("utf-16-le")  # Excel 5/95
    found: set[str] = set()
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            found.update(kind for kind, marker in markers.items() if marker in data)
            if book in data:
                found.add("xls")
            tail = data[-64:]
    return "encrypted" if "encrypted" in found else ("xls" if found else None)


def _check_zip(path: Path) -> None:
    """Refuse a damaged archive, an .xlsb in disguise and a zip bomb, from the archive's directory alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptWorkbookError(
            f"Tệp {display_name(path)} bị hỏng (không đọc được cấu trúc nén: {exc}). Xin lại tệp gốc hoặc mở bằng "
            "Excel để sửa rồi lưu lại.",
            f"File {display_name(path)} is damaged (its zip structure cannot be read: {exc}). Get the original again "
            "or repair it in Excel and save it.",
            path=str(path),
        ) from exc
    if any(i.filename == "xl/workbook.bin" for i in infos):
        _refuse_xlsb(path)
    unpacked = sum(i.file_size for i in infos)
    ratio = unpacked / max(1, sum(i.compress_size for i in infos))
    # One member inflating 1000-fold past 64 MiB is a bomb even when incompressible padding dilutes the total.
    big = [i.file_size / max(1, i.compress_size) for i in infos if i.file_size > 64 * 1024**2]
    if big and max(big) > 5 * MAX_COMPRESSION_RATIO:
        ratio = max(ratio, *big)
    if unpacked > MAX_UNPACKED_BYTES or ratio > MAX_COMPRESSION_RATIO:
        raise OversizedWorkbookError(
            f"Tệp {display_name(path)} giải nén ra {number(unpacked / 1024**2, digits=0)} MB (gấp "
            f'{number(ratio, digits=0)} lần): quá lớn hoặc là "bom nén"; không mở. Kiểm tra nguồn gốc tệp.',
            f"File {display_name(path)} unpacks to {unpacked / 1024**2:,.0f} MB ({ratio:,.0f}× its size): too "
            "large or a zip bomb; not opened. Check where the file came from.",
            path=str(path),
        )


def _zip_errors() -> tuple[type[BaseException], ...]:
    return (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError)


def _damaged(path: Path, exc: BaseException) -> CorruptWorkbookError:
    reason = display_name(_first_line(exc))
    return CorruptWorkbookError(
        f"Tệp {display_name(path)} bị hỏng (nội dung bên trong đọc không được: {reason}). Xin lại tệp gốc hoặc mở "
        "bằng Excel để sửa rồi lưu lại.",
        f"File {display_name(path)} is damaged (its content cannot be read: {reason}). Get the original again or "
        "repair it in Excel and save it.",
        path=str(path),
    )


def _scan(path: Path, limits: ReadLimits) -> dict[str, SheetScan]:
    """Measure every sheet's used range (:mod:`xlsx_scan`) and refuse a file beyond ``limits``."""
    suffix, strings = path.suffix.lower(), 0
    try:
        if suffix == ".xls":
            scans = scan_xls(lambda: _ole_stream(path))
        else:
            with zipfile.ZipFile(path) as archive:
                scans = scan_ods(archive) if suffix == ".ods" else scan_sheets(archive, limits.cell_cap)
                strings = 0 if suffix == ".ods" else declared_strings(archive)  # read before the sheets
    except XmlRefused as exc:
        if exc.entity:
            raise _entity_attack(path, f"{exc.part}: {exc.reason}") from None
        raise _bad_xml(path, exc) from None
    except _zip_errors() as exc:
        raise _damaged(path, exc) from None
    if strings * _BYTES_PER_STRING > limits.max_memory:
        raise _too_many_strings(path, strings, limits)
    cap = limits.cell_cap
    for name, scan in scans.items():
        if scan.cells > cap:
            raise _oversized(path, name, scan, limits)
    return scans


def _oversized(path: Path, name: str, scan: SheetScan, limits: ReadLimits) -> OversizedWorkbookError:
    far = f", tới ô {scan.far_cell}" if scan.far_cell else ""
    far_en = f", up to cell {scan.far_cell}" if scan.far_cell else ""
    need = scan.cells * BYTES_PER_CELL / 1024**3
    cap, memory = limits.cell_cap, limits.max_memory / 1024**3
    return OversizedWorkbookError(
        f'Trang "{display_name(name)}" của tệp {display_name(path)} có vùng dữ liệu quá lớn '
        f"({number(scan.cells)} ô{far}; cần khoảng {number(need)} GiB bộ nhớ, giới hạn {number(cap)} ô / "
        f"{number(memory)} GiB): thường do một ô bị gõ nhầm ở rất xa. Trong Excel nhấn Ctrl+End để đến ô đó, xóa "
        "các dòng/cột thừa, lưu lại rồi kiểm tra lại.",
        f'Sheet "{display_name(name)}" of {display_name(path)} has a used range far too large ({scan.cells:,} '
        f"cells{far_en}; about {need:,.1f} GiB of memory, limit {cap:,} cells / {memory:,.1f} GiB): usually a "
        "stray value typed far away. In Excel press Ctrl+End to go there, delete the extra rows/columns, save "
        "and check again.",
        path=str(path),
    )


_BYTES_PER_STRING = 24  # the fast reader reserves one Rust String per declared shared string before reading any


def _too_many_strings(path: Path, strings: int, limits: ReadLimits) -> OversizedWorkbookError:
    need, memory = strings * _BYTES_PER_STRING / 1024**3, limits.max_memory / 1024**3
    return OversizedWorkbookError(
        f"Tệp {display_name(path)} khai báo {number(strings)} chuỗi dùng chung (cần khoảng {number(need)} GiB bộ nhớ, "
        f"giới hạn {number(memory)} GiB): con số này không thể đúng với một danh sách, tệp đã bị sửa hoặc hỏng. "
        "Mở bằng Excel, lưu lại rồi kiểm tra lại.",
        f"File {display_name(path)} declares {strings:,} shared strings (about {need:,.1f} GiB of memory, limit "
        f"{memory:,.1f} GiB): no roster has that many; the file was altered or is damaged. Open it in Excel, save "
        "it and check again.",
        path=str(path),
    )


def _bad_xml(path: Path, exc: XmlRefused) -> CorruptWorkbookError:
    return CorruptWorkbookError(
        f"Tệp {display_name(path)} bị hỏng (phần {display_name(exc.part)} không phải XML hợp lệ: "
        f"{display_name(exc.reason)}). Xin lại tệp gốc hoặc mở bằng Excel để sửa rồi lưu lại.",
        f"File {display_name(path)} is damaged (its part {display_name(exc.part)} is not valid XML: "
        f"{display_name(exc.reason)}). Get the original again or repair it in Excel and save it.",
        path=str(path),
    )


def _ole_stream(path: Path) -> bytes:
    """The ``Workbook`` (or Excel 5/95 ``Book``) stream of an .xls, read with olefile; a damaged container
    (a broken FAT or mini-stream) is a :class:`CorruptWorkbookError` here, before the fast reader sees it."""
    import olefile

    try:
        with olefile.OleFileIO(str(path) if _utf8(path) else path.read_bytes()) as ole:
            for stream in ("Workbook", "Book"):
                if ole.exists(stream):
                    data: bytes = ole.openstream(stream).read()
                    return data
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError … on a damaged container
        raise _damaged(path, exc) from None
    raise _damaged(path, ValueError("no Workbook stream"))


def _utf8(path: Path) -> bool:
    """Whether ``path`` can be handed to a reader that takes UTF-8 names (a name read from disk may hold
    bytes that are not UTF-8; the file is then read through its bytes)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _entity_attack(path: Path, reason: str) -> CorruptWorkbookError:
    """calamine refuses XML entities it does not know ("unrecognized entity"), and the scan refuses any document
    type declaration: say what that means."""
    return CorruptWorkbookError(
        f"Tệp {display_name(path)} chứa thực thể XML lạ ({display_name(reason)}): dấu hiệu tệp bị sửa có chủ ý "
        "(billion laughs, XXE); không đọc, không mở rộng thực thể nào. Xin lại tệp gốc từ người gửi.",
        f"File {display_name(path)} holds an unknown XML entity ({display_name(reason)}): a sign of a deliberately "
        "altered file (billion laughs, XXE); not read, no entity expanded. Ask the sender for the original.",
        path=str(path),
    )


def _first_line(exc: BaseException) -> str:
    """The first line of a reader's error (calamine appends a multi-line context we do not show)."""
    text = str(exc).strip().splitlines()
    return text[0].removeprefix("calamine error: ") if text else type(exc).__name__


def _open(path: Path, limits: ReadLimits) -> tuple[Any, dict[str, SheetScan]]:
    """Check the container and measure the used ranges, then open the workbook with fastexcel."""
    _check_container(path, limits)
    scans = _scan(path, limits)
    try:
        return fastexcel.read_excel(str(path) if _utf8(path) else path.read_bytes()), scans
    except BaseException as exc:  # fastexcel's error tree, or a Rust panic (pyo3 PanicException: no Exception)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise _unreadable(path, None, exc) from None


def _unreadable(path: Path, sheet: str | None, exc: BaseException) -> DangvienError:
    """The reader's error or panic as a refusal naming the file (and the sheet)."""
    reason = _first_line(exc)
    if type(exc).__name__ == "PanicException":
        reason = "cấu trúc tệp không hợp lệ / invalid file structure"
    if "entity" in reason.lower():
        return _entity_attack(path, reason)
    if "password" in reason.lower() or "encrypt" in reason.lower():
        return EncryptedWorkbookError(
            f"Tệp {display_name(path)} được đặt mật khẩu (mã hóa). Mở bằng Excel, gỡ mật khẩu rồi lưu thành tệp "
            "mới và kiểm tra tệp đó.",
            f"File {display_name(path)} is password-protected (encrypted). Open it in Excel, remove the "
            "password, save a new copy and check that copy.",
            path=str(path),
        )
    where = f'trang "{display_name(sheet)}" của tệp ' if sheet is not None else "tệp "
    where_en = f'sheet "{display_name(sheet)}" of ' if sheet is not None else ""
    return CorruptWorkbookError(
        f"Không đọc được {where}{display_name(path)}: tệp hỏng ({display_name(reason)}). Mở bằng Excel hoặc "
        "LibreOffice, lưu lại dạng .xlsx rồi thử lại.",
        f"Cannot read {where_en}{display_name(path)}: the file is damaged ({display_name(reason)}). Open it in "
        "Excel or LibreOffice, save it as .xlsx and try again.",
        path=str(path),
    )


@dataclass
class LoadedSheet:
    """One sheet as read: every cell as text (null when empty); table column ``i`` is Excel column ``columns[i]``
    (0-based) and table row ``r`` is Excel row ``r + 1``."""

    name: str
    visible: bool
    columns: list[int]
    table: pa.Table


@dataclass
class LoadedWorkbook:
    """Every sheet of one workbook, and the special cells (error values, formulas without values) the fast
    reader leaves empty, per sheet: ``{(row, column): text}``, both 0-based."""

    path: Path
    sheets: list[LoadedSheet]
    specials: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)  # 0-based hidden rows per sheet (.xlsx)


def load_workbook(path: Path, *, limits: ReadLimits | None = None) -> LoadedWorkbook:
    """Check ``path``, then read every sheet once, every cell as text, into Arrow tables.

    ``limits`` is the budget of the file (default :data:`LIMITS`): a sheet whose used range needs more cells
    or memory is refused before anything is allocated.

    Raises:
        WorkbookError: the file cannot be read (corrupt, encrypted, unsupported, too large).
    """
    reader, scans = _open(path, limits or LIMITS)
    sheets = []
    for name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            columns = [info.absolute_index for info in sheet.available_columns()]
            table = sheet.to_arrow()
            visible = str(getattr(sheet, "visible", "visible")).lower().endswith("visible")
            del sheet  # calamine's copy of the cells: free it before the next sheet
        except MemoryError:
            raise OversizedWorkbookError(
                f'Không đủ bộ nhớ để đọc trang "{display_name(name)}" của tệp {display_name(path)}. Xóa các '
                "dòng/cột thừa (Ctrl+End) hoặc chia tệp thành nhiều tệp nhỏ hơn rồi thử lại.",
                f'Not enough memory to read sheet "{display_name(name)}" of {display_name(path)}. Delete extra '
                "rows/columns (Ctrl+End) or split the file, then try again.",
                path=str(path),
            ) from None
        except BaseException as exc:  # a Rust panic (pyo3 PanicException) is no Exception subclass
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            raise _unreadable(path, name, exc) from None
        sheets.append(LoadedSheet(name, visible, columns, table))
    specials = {name: scan.specials for name, scan in scans.items() if scan.specials}
    hidden = {name: scan.hidden_rows for name, scan in scans.items() if scan.hidden_rows}
    return LoadedWorkbook(path, sheets, specials, hidden)


class _Worker:
    """One daemon thread that loads workbooks in the order asked (a daemon, so that an interrupted command
    does not wait at exit for a load nobody will use)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Path, Future[LoadedWorkbook]]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="dangvien-load", daemon=True)
        self.thread.start()

    def submit(self, path: Path) -> Future[LoadedWorkbook]:
        future: Future[LoadedWorkbook] = Future()
        self._queue.put((path, future))
        return future

    def _run(self) -> None:
        while True:
            self._load(*self._queue.get())  # no reference survives the call: an idle thread holds no workbook

    @staticmethod
    def _load(path: Path, future: Future[LoadedWorkbook]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            loaded = load_workbook(path)
        except BaseException as exc:  # raised again in the thread that takes the file
            future.set_exception(exc)
            return
        future.set_result(loaded)  # hand the workbook over first: the caller goes on while this thread trims
        del loaded
        release_freed_memory()


def release_freed_memory() -> None:
    """Give memory freed by this process back to the system (glibc's ``malloc_trim``; a no-op elsewhere).

    calamine allocates millions of small strings on the loading thread, so from a malloc arena of its own; once
    the sheet is in Arrow they are freed, but that arena keeps the pages and the main thread cannot reuse
    them: without a trim, peak memory at 500k members grew by ~250 MiB (measured). The reader trims again
    after normalising, whose temporaries (two threads, two arenas) are freed the same way.
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM: Any = None
_LOCK = threading.Lock()
_WORKER: _Worker | None = None
_PREFETCHED: dict[Path, deque[Future[LoadedWorkbook]]] = {}


def _submit(path: Path) -> Future[LoadedWorkbook]:
    global _WORKER
    with _LOCK:
        if _WORKER is None:
            _WORKER = _Worker()
        return _WORKER.submit(path)


def _result(future: Future[LoadedWorkbook]) -> LoadedWorkbook:
    """Wait for a load; a loader thread that died (a bug) is an error, never a hang."""
    while True:
        try:
            return future.result(timeout=1.0)
        except TimeoutError:
            if _WORKER is not None and not _WORKER.thread.is_alive() and not future.done():
                raise RuntimeError("the workbook loader thread stopped") from None


def _take(path: Path) -> Future[LoadedWorkbook] | None:
    """The load of ``path`` started by :func:`prefetch`, if any (each prefetch is taken once)."""
    with _LOCK:
        waiting = _PREFETCHED.get(path)
        if not waiting:
            return None
        future = waiting.popleft()
        if not waiting:
            del _PREFETCHED[path]
        return future


def prefetch(paths: Iterable[str | Path], *, ahead: int = 1) -> list[Path]:
    """Start loading the first ``ahead + 1`` workbooks of ``paths`` on a background thread and return the files.

    The command line calls this before importing pandas and pandera, so the read overlaps those imports;
    :func:`load_many` and :func:`load_one` take the loads started here instead of starting new ones.

    Raises:
        FileNotFoundInputError: a path does not exist, or a folder holds no workbook.
    """
    files = expand_paths(paths)
    for path in files[: ahead + 1]:
        future = _submit(path)
        with _LOCK:
            _PREFETCHED.setdefault(path, deque()).append(future)
    return files


def load_one(path: Path) -> LoadedWorkbook:
    """``path`` loaded: the prefetched load if one was started, else loaded now on this thread."""
    future = _take(path)
    return _result(future) if future is not None else load_workbook(path)


def load_many(files: Sequence[Path], *, ahead: int = 1) -> Iterator[LoadedWorkbook]:
    """The workbooks in order; while the caller works on one, the next ``ahead`` load on a background thread.

    The first loads start at the call, not at the first ``next()``, so the caller can prepare (load the
    schema, say) while they run. Memory holds at most ``ahead`` loaded workbooks besides the caller's. An
    error of file ``i`` is raised when file ``i`` is reached, as if the files were read one after the other.
    """
    waiting = deque(_take(path) or _submit(path) for path in files[: ahead + 1])
    return _in_order(files[ahead + 1 :], waiting)


def _in_order(rest: Sequence[Path], waiting: deque[Future[LoadedWorkbook]]) -> Iterator[LoadedWorkbook]:
    try:
        for path in rest:
            done = _result(waiting.popleft())
            waiting.append(_take(path) or _submit(path))  # loads while the caller works on ``done``
            yield done
            del done
        while waiting:
            yield _result(waiting.popleft())
    finally:  # the caller stopped early (an error in an earlier file): drop what was not started
        for future in waiting:
            future.cancel()
