"""Read workbooks fast and locate the roster in each sheet: header, sections, footers, provenance.

Every sheet is read once, every cell as text, with fastexcel (Rust calamine underneath). Reading as text
keeps identifiers with their leading zeros and keeps text dates that a type-guessing reader would silently
empty (MEASUREMENTS.md). The header is then found inside that one read by matching the Vietnamese headers
and aliases of ``schemas/roster.yaml``: never a fixed row number.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import fastexcel
import numpy as np
import pandas as pd

from ._xlsx_scan import MAX_CELLS, SheetScan, find_specials, scan_sheets
from .errors import (
    CorruptWorkbookError,
    EncryptedWorkbookError,
    FileNotFoundInputError,
    NoRosterError,
    OversizedWorkbookError,
    UnsupportedFormatError,
)
from .issues import Issue, Severity
from .roster import ColumnSource, Roster, SheetSource, column_letter
from .schemas import RosterSpec, load_roster_spec
from .vntext import nfc, strip_accents

__all__ = ["EXTENSIONS", "expand_paths", "header_key", "read_roster", "read_sheets"]

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A roster of 500k members unpacks to well under 1 GiB; anything far beyond is a zip bomb, not a roster.
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_COMPRESSION_RATIO = 200
HEADER_SCAN_ROWS = 60
MIN_HEADER_MATCHES = 3

_SECTION_RE = re.compile(r"^(?:(?:[ivxlcdm]+|\d+|[a-z])\s*[.):/-]\s*)?chi bo\b")
_NUMBERING_PREFIX_RE = re.compile(r"^\s*(?:[IVXLCDMivxlcdm]+|\d+|[A-Za-z])\s*[.):/-]\s+")
_COUNT_SUFFIX_RE = re.compile(r"\s*[(\-–:]\s*\d+\s*(?:đồng chí|đ/c|người|đảng viên)\)?\s*$", re.IGNORECASE)
_TERMINAL_RE = re.compile(r"^(?:t\s*/?\s*m\b|tm\.|bi thu$|pho bi thu$|nguoi lap|xac nhan|noi nhan|thu truong)")
_SUBTOTAL_RE = re.compile(r"^(?:tong cong|tong so|cong)\b.*(?:\d|dong chi|d/c)")
_NUMBERING_CELL_RE = re.compile(r"^\(?\s*(?:\d{1,3}|[A-Za-z])\s*\)?$")
_GENERIC_SHEET_RE = re.compile(r"^(?:sheet|trang tinh|ds|danh sach|data|du lieu|tong hop)\s*\d*$")


def header_key(text: str) -> str:
    """A key for matching headers: no accents, no case, no punctuation or numbering in brackets."""
    text = re.sub(r"\(.*?\)", " ", nfc(str(text)))
    return re.sub(r"[^0-9a-z]", "", strip_accents(text).casefold())


def _text_key(text: str) -> str:
    """Like :func:`header_key` but keeps single spaces, for matching sentence-like rows."""
    return re.sub(r"\s+", " ", strip_accents(nfc(str(text))).casefold()).strip()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: each path as given, or the workbooks inside a folder (sorted, lock files skipped).

    Raises:
        FileNotFoundInputError: a path does not exist, or a folder holds no workbook.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix.lower() in EXTENSIONS and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise FileNotFoundInputError(
                    f"Thư mục {path} không có tệp Excel nào ({', '.join(EXTENSIONS)}). "
                    "Chọn thư mục chứa danh sách của các chi bộ.",
                    f"Folder {path} holds no workbook ({', '.join(EXTENSIONS)}). "
                    "Choose the folder with the cells' rosters.",
                    path=str(path),
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundInputError(
                f"Không tìm thấy tệp {path}. Kiểm tra lại đường dẫn và tên tệp.",
                f"File {path} not found. Check the path and the file name.",
                path=str(path),
            )
    return files


def _check_container(path: Path) -> None:
    """Refuse early, with a clear message, what is not a workbook we can open safely."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise UnsupportedFormatError(
            f'Tệp {path} có đuôi "{suffix}" không phải bảng tính Excel/ODS. Mở tệp bằng Excel và lưu lại dạng .xlsx.',
            f'File {path} ("{suffix}") is not an Excel/ODS workbook. Open it in Excel and save it as .xlsx.',
            path=str(path),
        )
    if suffix == ".xlsb":
        # Kept in EXTENSIONS so that a folder's .xlsb is refused aloud instead of silently left out of the counts;
        # the byte-level safety pass (_xlsx_scan) reads XML parts only, so binary workbooks are not opened.
        _refuse_xlsb(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise CorruptWorkbookError(
            f"Không mở được tệp {path}: {exc.strerror}. Kiểm tra quyền đọc tệp.",
            f"Cannot open {path}: {exc.strerror}. Check that the file is readable.",
            path=str(path),
        ) from exc
    if magic.startswith(_OLE_MAGIC):
        kind = _ole_kind(path)
        if kind == "encrypted" or (suffix != ".xls" and kind is None):
            raise EncryptedWorkbookError(
                f"Tệp {path} được đặt mật khẩu (mã hóa). Mở bằng Excel, gỡ mật khẩu (File → Info → Protect "
                "Workbook) rồi lưu thành tệp mới và kiểm tra tệp đó.",
                f"File {path} is password-protected (encrypted). Open it in Excel, remove the password "
                "(File → Info → Protect Workbook), save a new copy and check that copy.",
                path=str(path),
            )
        if suffix != ".xls":
            raise UnsupportedFormatError(
                f"Tệp {path} thực chất là tệp Excel 97–2003 (.xls) bị đổi đuôi thành {suffix}. Đổi đuôi tệp "
                "thành .xls, hoặc mở bằng Excel và lưu lại dạng .xlsx (File → Save As → Excel Workbook).",
                f"File {path} is an Excel 97–2003 workbook (.xls) renamed to {suffix}. Rename it to .xls, or open "
                "it in Excel and save it as .xlsx (File → Save As → Excel Workbook).",
                path=str(path),
            )
        return
    if not magic.startswith(_ZIP_MAGIC):
        raise CorruptWorkbookError(
            f"Tệp {path} không phải bảng tính hợp lệ (có thể bị hỏng hoặc là tệp khác đổi đuôi). "
            "Mở bằng Excel và lưu lại dạng .xlsx.",
            f"File {path} is not a valid workbook (damaged, or another file renamed). "
            "Open it in Excel and save it again as .xlsx.",
            path=str(path),
        )
    _check_zip(path)


def _refuse_xlsb(path: Path) -> NoReturn:
    raise UnsupportedFormatError(
        f"Tệp {path} là bảng tính nhị phân Excel (.xlsb), công cụ không đọc dạng này. Mở bằng Excel, chọn "
        "File → Save As → Excel Workbook (*.xlsx) rồi kiểm tra tệp .xlsx đó.",
        f"File {path} is an Excel binary workbook (.xlsb), which the tool does not read. Open it in Excel, "
        "choose File → Save As → Excel Workbook (*.xlsx) and check that .xlsx file.",
        path=str(path),
    )


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
            f"Tệp {path} bị hỏng (không đọc được cấu trúc nén: {exc}). Xin lại tệp gốc hoặc mở bằng Excel "
            "để sửa rồi lưu lại.",
            f"File {path} is damaged (its zip structure cannot be read: {exc}). Get the original again or "
            "repair it in Excel and save it.",
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
            f"Tệp {path} giải nén ra {unpacked / 1024**2:,.0f} MB (gấp {ratio:,.0f} lần): quá lớn "
            'hoặc là "bom nén"; không mở. Kiểm tra nguồn gốc tệp.',
            f"File {path} unpacks to {unpacked / 1024**2:,.0f} MB ({ratio:,.0f}× its size): too "
            "large or a zip bomb; not opened. Check where the file came from.",
            path=str(path),
        )


def _zip_errors() -> tuple[type[BaseException], ...]:
    return (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError)


def _damaged(path: Path, exc: BaseException) -> CorruptWorkbookError:
    return CorruptWorkbookError(
        f"Tệp {path} bị hỏng (dữ liệu nén bên trong đọc không được: {_first_line(exc)}). Xin lại tệp gốc hoặc "
        "mở bằng Excel để sửa rồi lưu lại.",
        f"File {path} is damaged (its compressed content cannot be read: {_first_line(exc)}). Get the original "
        "again or repair it in Excel and save it.",
        path=str(path),
    )


def _scan(path: Path) -> dict[str, SheetScan]:
    """The byte-level pass of ``_xlsx_scan``; refuses a sheet whose used range would crash the fast reader."""
    try:
        with zipfile.ZipFile(path) as archive:
            scans = scan_sheets(archive)
    except _zip_errors() as exc:
        raise _damaged(path, exc) from exc
    for name, scan in scans.items():
        if scan.cells > MAX_CELLS:
            far = f", tới ô {scan.far_cell}" if scan.far_cell else ""
            far_en = f", up to cell {scan.far_cell}" if scan.far_cell else ""
            raise OversizedWorkbookError(
                f'Trang "{name}" của tệp {path} có vùng dữ liệu quá lớn ({scan.cells:,} ô{far}): thường do một ô '
                "bị gõ nhầm ở rất xa. Trong Excel nhấn Ctrl+End để đến ô đó, xóa các dòng/cột thừa, lưu lại rồi "
                "kiểm tra lại.",
                f'Sheet "{name}" of {path} has a used range far too large ({scan.cells:,} cells{far_en}): usually a '
                "stray value typed far away. In Excel press Ctrl+End to go there, delete the extra rows/columns, "
                "save and check again.",
                path=str(path),
            )
    return scans


def _specials(path: Path, names: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """The special cells of the large sheets the first pass left out (runs on a second thread)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return find_specials(archive, names)
    except _zip_errors() as exc:
        raise _damaged(path, exc) from exc


def _entity_attack(path: Path, reason: str) -> CorruptWorkbookError | None:
    """calamine refuses XML entities it does not know ("unrecognized entity"): say what that means."""
    if "entity" not in reason.lower():
        return None
    return CorruptWorkbookError(
        f"Tệp {path} chứa thực thể XML lạ ({reason}): dấu hiệu tệp bị sửa có chủ ý (billion laughs, XXE); "
        "không đọc, không mở rộng thực thể nào. Xin lại tệp gốc từ người gửi.",
        f"File {path} holds an unknown XML entity ({reason}): a sign of a deliberately altered file (billion "
        "laughs, XXE); not read, no entity expanded. Ask the sender for the original.",
        path=str(path),
    )


def _first_line(exc: BaseException) -> str:
    """The first line of a reader's error (calamine appends a multi-line context we do not show)."""
    text = str(exc).strip().splitlines()
    return text[0].removeprefix("calamine error: ") if text else type(exc).__name__


def _open(path: Path) -> tuple[Any, dict[str, SheetScan], Future[dict[str, dict[tuple[int, int], str]]] | None]:
    """Check the container and the used ranges, then open the workbook with fastexcel.

    For .xlsx/.xlsm the byte-level pass runs first (``_xlsx_scan``); the special cells of sheets too large for
    it are searched on a second thread while fastexcel reads, and ``read_sheets`` collects them.
    """
    _check_container(path)
    scans: dict[str, SheetScan] = {}
    pending = None
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        scans = _scan(path)
        later = {name for name, scan in scans.items() if scan.specials is None}
        if later:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dangvien-scan")
            pending = pool.submit(_specials, path, later)
            pool.shutdown(wait=False)
    try:
        return fastexcel.read_excel(str(path)), scans, pending
    except Exception as exc:  # fastexcel raises its own error tree; translate it at this boundary
        if pending is not None:
            pending.cancel()
        reason = _first_line(exc)
        if attack := _entity_attack(path, reason):
            raise attack from exc
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise EncryptedWorkbookError(
                f"Tệp {path} được đặt mật khẩu (mã hóa). Mở bằng Excel, gỡ mật khẩu rồi lưu thành tệp mới và "
                "kiểm tra tệp đó.",
                f"File {path} is password-protected (encrypted). Open it in Excel, remove the password, save a "
                "new copy and check that copy.",
                path=str(path),
            ) from exc
        raise CorruptWorkbookError(
            f"Không đọc được tệp {path} ({reason}). Mở bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi thử lại.",
            f"Cannot read {path} ({reason}). Open it in Excel or LibreOffice, save it as .xlsx and try again.",
            path=str(path),
        ) from exc


def read_sheets(path: Path) -> list[tuple[str, bool, pd.DataFrame]]:
    """Every sheet of a workbook as ``(name, visible, grid)``.

    The grid holds every cell as text (NA when empty); its index is the 0-based Excel row and its columns
    are the 0-based Excel column indices, so ``grid.loc[r, c]`` is the cell at row ``r + 1``, column ``c``.
    In .xlsx/.xlsm files an Excel error value holds its text ("#REF!", "#N/A" …) and a formula saved without
    a calculated value holds its formula ("=DATE(1980,3,5)"), where the fast reader alone would leave them
    empty (issue 6).

    Raises:
        WorkbookError: the file cannot be read (corrupt, encrypted, unsupported, too large).
    """
    reader, scans, pending = _open(path)
    sheets = []
    for name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            columns = [info.absolute_index for info in sheet.available_columns()]
            grid = sheet.to_pandas()
            visible = str(getattr(sheet, "visible", "visible")).lower().endswith("visible")
        except MemoryError as exc:
            raise OversizedWorkbookError(
                f'Không đủ bộ nhớ để đọc trang "{name}" của tệp {path}. Xóa các dòng/cột thừa (Ctrl+End) hoặc '
                "chia tệp thành nhiều tệp nhỏ hơn rồi thử lại.",
                f'Not enough memory to read sheet "{name}" of {path}. Delete extra rows/columns (Ctrl+End) or '
                "split the file, then try again.",
                path=str(path),
            ) from exc
        except BaseException as exc:  # a Rust panic (pyo3 PanicException) is no Exception subclass
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            reason = _first_line(exc)
            if attack := _entity_attack(path, reason):
                raise attack from exc
            raise CorruptWorkbookError(
                f'Không đọc được trang "{name}" của tệp {path} ({reason}). Mở bằng Excel, lưu lại rồi thử lại.',
                f'Cannot read sheet "{name}" of {path} ({reason}). Open it in Excel, save it and try again.',
                path=str(path),
            ) from exc
        grid.columns = columns
        sheets.append((name, visible, grid))
    specials = {name: scan.specials for name, scan in scans.items() if scan.specials}
    specials.update(pending.result() if pending is not None else {})
    return [(n, v, _with_specials(g, specials[n]) if specials.get(n) else g) for n, v, g in sheets]


def _with_specials(grid: pd.DataFrame, specials: dict[tuple[int, int], str]) -> pd.DataFrame:
    """Put the text of error values and uncalculated formulas where the fast reader left the cell empty."""
    rows = max(row for row, _ in specials) + 1
    columns = sorted(set(grid.columns) | {col for _, col in specials})
    if rows > len(grid) or len(columns) != len(grid.columns):
        grid = grid.reindex(index=range(max(rows, len(grid))), columns=columns).astype("str")
    for (row, col), text in specials.items():
        if not isinstance(grid.at[row, col], str):  # NA: never overwrite a value the fast reader did read
            grid.at[row, col] = text
    return grid


@dataclass(frozen=True)
class _HeaderIndex:
    fields: dict[str, str]  # header key -> field name
    male: frozenset[str]  # sub-header keys meaning "born, male" under a split birth-date header
    female: frozenset[str]
    split_field: str | None


def _header_index(spec: RosterSpec) -> _HeaderIndex:
    keys: dict[str, str] = {}
    male: set[str] = set()
    female: set[str] = set()
    split_field = None
    for spec_field in spec.fields.values():
        for text in spec_field.headers:
            keys.setdefault(header_key(text), spec_field.name)
        if spec_field.split_by_sex:
            split_field = spec_field.name
            male.update(header_key(t) for t in spec_field.split_by_sex.get("male", ()))
            female.update(header_key(t) for t in spec_field.split_by_sex.get("female", ()))
    return _HeaderIndex(keys, frozenset(male), frozenset(female), split_field)


def _row_texts(grid: pd.DataFrame, row: int) -> dict[int, str]:
    values = grid.loc[row]
    return {int(str(c)): str(v).strip() for c, v in values.items() if isinstance(v, str) and v.strip()}


def _find_header_row(grid: pd.DataFrame, index: _HeaderIndex) -> int | None:
    best, best_row = 0, None
    for row in grid.index[:HEADER_SCAN_ROWS]:
        fields = {index.fields.get(header_key(t)) for t in _row_texts(grid, row).values()} - {None}
        if len(fields) > best and "full_name" in fields:
            best, best_row = len(fields), int(row)
    return best_row if best >= MIN_HEADER_MATCHES else None


def _is_numbering_row(texts: dict[int, str]) -> bool:
    return len(texts) >= MIN_HEADER_MATCHES and all(_NUMBERING_CELL_RE.match(t) for t in texts.values())


@dataclass
class _Located:
    header_rows: tuple[int, ...]
    data_start: int
    columns: dict[str, ColumnSource]
    field_columns: dict[str, int]  # field (incl. "<split>__male"/"__female") -> 0-based column
    unknown: list[tuple[int, str]]
    duplicates: list[tuple[int, str]]


def _locate_header(grid: pd.DataFrame, index: _HeaderIndex) -> _Located | None:
    top_row = _find_header_row(grid, index)
    if top_row is None:
        return None
    top = _row_texts(grid, top_row)
    below = _row_texts(grid, top_row + 1) if top_row + 1 in grid.index else {}
    sub_keys = {c: header_key(t) for c, t in below.items()}
    # A second header row has sub-headers under merged groups and nothing under "Họ và tên" (merged
    # vertically); a first data row has a name there.
    name_cols = [c for c, t in top.items() if index.fields.get(header_key(t)) == "full_name"]
    two_rows = (
        bool(below)
        and not _is_numbering_row(below)
        and not any(c in below for c in name_cols)
        and any(k in index.fields or k in index.male or k in index.female for k in sub_keys.values())
    )
    if not two_rows:
        below = {}
    # A merged group header ("Trình độ" over three columns) has its text only in its first column.
    group: dict[int, str] = {}
    last = ""
    for col in sorted(set(top) | set(below)):
        if col in top:
            last = top[col]
        elif col - 1 not in top and col - 1 not in group:
            last = ""
        group[col] = last if col in below else top.get(col, "")
    columns: dict[str, ColumnSource] = {}
    field_columns: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    duplicates: list[tuple[int, str]] = []
    for col in sorted(set(top) | set(below)):
        upper, lower = group.get(col, ""), below.get(col, "")
        name, shown = _match_column(upper, lower, index)
        if name is None:
            if shown:
                unknown.append((col, shown))
            continue
        if name in field_columns:
            duplicates.append((col, shown))
            continue
        field_columns[name] = col
        columns[name] = ColumnSource(column_letter(col), shown)
    start = top_row + (2 if two_rows else 1)
    if start in grid.index and _is_numbering_row(_row_texts(grid, start)):
        start += 1
    return _Located(
        tuple(range(top_row + 1, top_row + (3 if two_rows else 2))), start, columns, field_columns, unknown, duplicates
    )


def _match_column(upper: str, lower: str, index: _HeaderIndex) -> tuple[str | None, str]:
    upper_field = index.fields.get(header_key(upper)) if upper else None
    if lower:
        key = header_key(lower)
        if upper_field == index.split_field and index.split_field and (key in index.male or key in index.female):
            suffix = "__male" if key in index.male else "__female"
            return index.split_field + suffix, f"{upper} ({lower})"
        if key in index.fields:
            return index.fields[key], lower
        return None, f"{upper} ({lower})" if upper else lower
    return upper_field, upper


def _clean_cell_name(text: str) -> str:
    text = re.sub(r"\s+", " ", nfc(text)).strip()
    text = _NUMBERING_PREFIX_RE.sub("", text)
    text = _COUNT_SUFFIX_RE.sub("", text).strip(" .:-–")
    if text.isupper():
        words = text.split(" ")
        text = " ".join(
            [words[0].capitalize(), *(w.lower() if i == 0 else w.capitalize() for i, w in enumerate(words[1:]))]
        )
    return text


def _title_cell(grid: pd.DataFrame, header_row: int) -> str | None:
    for row in grid.index[:header_row]:
        for text in _row_texts(grid, row).values():
            key = _text_key(text)
            pos = key.find("chi bo ")
            if pos >= 0 and not key.startswith(("dang bo", "dang cong san")):
                return _clean_cell_name(nfc(text)[pos:])
    return None


def _classify_rows(data: pd.DataFrame, located: _Located) -> tuple[pd.Series, pd.Series]:
    """Split the data region into member rows and the cell each belongs to (from section rows)."""
    filled = data.notna()
    counts = filled.sum(axis=1)
    sparse = data[(counts > 0) & (counts <= 3)]
    # the first filled cell of each sparse row (numpy: bfill across arrow string columns is slow)
    values = sparse.astype(object).to_numpy()
    first_col = sparse.notna().to_numpy().argmax(axis=1) if len(sparse) else np.zeros(0, dtype=int)
    first = pd.Series(values[np.arange(len(sparse)), first_col], index=sparse.index, dtype="object")
    keys = first.map(_text_key)
    is_section = keys.map(lambda k: bool(_SECTION_RE.match(k)))
    is_terminal = keys.map(lambda k: bool(_TERMINAL_RE.match(k)))
    is_subtotal = keys.map(lambda k: bool(_SUBTOTAL_RE.match(k)))
    section_names = first[is_section].map(_clean_cell_name)
    cell = pd.Series(pd.NA, index=data.index, dtype="object")
    cell.loc[section_names.index] = section_names
    cell = cell.ffill()
    member = counts > 0
    member.loc[is_section[is_section].index] = False
    member.loc[is_subtotal[is_subtotal].index] = False
    terminal_rows = is_terminal[is_terminal].index
    if len(terminal_rows):
        member.loc[member.index >= terminal_rows.min()] = False
    # Rows holding nothing but a list number are empty template rows, not members.
    fields = [c for f, c in located.field_columns.items() if f != "seq"]
    member &= filled[fields].any(axis=1) if fields else member
    return member, cell


def _sheet_cell_name(sheet: str, multi_sheet: bool) -> str | None:
    key = _text_key(sheet)
    if "chi bo" in key or (multi_sheet and not _GENERIC_SHEET_RE.match(key)):
        return _clean_cell_name(sheet)
    return None


def _locate_sheet(
    path: Path,
    sheet: str,
    grid: pd.DataFrame,
    index: _HeaderIndex,
    source_id: int,
    multi_sheet: bool,
    multi_file: bool,
    issues: list[Issue],
) -> tuple[SheetSource, pd.DataFrame] | None:
    located = _locate_header(grid, index)
    if located is None:
        issues.append(Issue("sheet-skipped", Severity.INFO, file=str(path), sheet=sheet, params={"sheet_name": sheet}))
        return None
    data = grid.loc[located.data_start :]
    member, section_cell = _classify_rows(data, located)
    fallback = (
        _title_cell(grid, located.header_rows[0] - 1)
        or _sheet_cell_name(sheet, multi_sheet)
        or (_clean_cell_name(path.stem.replace("_", " ")) if multi_file else None)
    )
    rows = data.loc[member]
    values = {name: rows[col] for name, col in located.field_columns.items() if name != "cell"}
    table = pd.DataFrame(values, index=rows.index)
    cell = section_cell.loc[member].fillna(fallback) if fallback else section_cell.loc[member]
    if "cell" in located.field_columns:  # an explicit "Chi bộ" column wins where it is filled
        cell = rows[located.field_columns["cell"]].map(_clean_cell_name, na_action="ignore").fillna(cell)
    table.insert(0, "cell", cell)
    table.insert(0, "row", (rows.index + 1).astype("int64"))
    table.insert(0, "source", source_id)
    source = SheetSource(
        str(path),
        sheet,
        located.header_rows,
        located.data_start + 1,
        located.columns,
        cell=fallback,
        members=len(table),
        heading=tuple(
            (int(r), c, t) for r in grid.index[: located.header_rows[0] - 1] for c, t in _row_texts(grid, r).items()
        ),
    )
    header_row = located.header_rows[-1]
    for code, severity, columns in (
        ("unknown-column", Severity.INFO, located.unknown),
        ("duplicate-column", Severity.WARNING, located.duplicates),
    ):
        issues += [
            Issue(
                code,
                severity,
                file=str(path),
                sheet=sheet,
                ref=f"{column_letter(col)}{header_row}",
                row=header_row,
                column=shown,
                value=shown,
            )
            for col, shown in columns
        ]
    if len(table) and table["cell"].isna().any():
        first_row = int(table.loc[table["cell"].isna(), "row"].iloc[0])
        issues.append(
            Issue(
                "cell-unknown",
                Severity.WARNING,
                file=str(path),
                sheet=sheet,
                ref=f"A{first_row}",
                row=first_row,
                params={"count": int(table["cell"].isna().sum())},
            )
        )
    return source, table.reset_index(drop=True)


def read_roster(paths: str | Path | Sequence[str | Path], *, spec: RosterSpec | None = None) -> Roster:
    """Read the roster from one or many workbooks, or a folder of them (one workbook per cell).

    Every sheet whose header matches the roster form is read; title rows, two-row merged headers, a
    numbering row, section rows ("I. Chi bộ …"), subtotal and signature footers are recognised. Each member
    keeps its file, sheet, Excel row and, through ``Roster.sources``, the column of every field.

    Args:
        paths: a workbook, a folder, or a list of them.
        spec: the roster schema; default ``schemas/roster.yaml``.

    Returns:
        The :class:`~dangvien_data.roster.Roster`, its values normalised (dates parsed, legacy text
        converted, codes mapped through their aliases) with an ``info`` issue for every repair.

    Raises:
        FileNotFoundInputError: a path does not exist.
        WorkbookError: a file cannot be read (corrupt, encrypted, unsupported).
        NoRosterError: no sheet of any file has a roster header.

    Example:
        >>> roster = read_roster("sample_data/danh_sach_dang_vien.xlsx")  # doctest: +SKIP
        >>> len(roster), roster.cells[0]                                  # doctest: +SKIP
        (170, 'Chi bộ Đội Tổng hợp')
    """
    from .normalise import normalise

    spec = spec or load_roster_spec()
    files = expand_paths([paths] if isinstance(paths, str | Path) else paths)
    index = _header_index(spec)
    sources: list[SheetSource] = []
    tables: list[pd.DataFrame] = []
    issues: list[Issue] = []
    for path in files:
        sheets = read_sheets(path)
        candidates = [(n, v, g) for n, v, g in sheets if len(g)]
        found = 0
        for name, visible, grid in candidates:
            result = _locate_sheet(path, name, grid, index, len(sources), len(candidates) > 1, len(files) > 1, issues)
            if result is None and not visible:  # a hidden list of codes, say: not worth a note
                issues.pop()
            if result is not None:
                sources.append(result[0])
                tables.append(result[1])
                found += 1
        if not found:
            raise NoRosterError(
                f'Tệp {path} không có trang nào có dòng tiêu đề danh sách đảng viên (cần ít nhất "Họ và tên" và '
                f'{MIN_HEADER_MATCHES - 1} cột khác như "Ngày sinh", "Ngày vào Đảng"). Kiểm tra đúng tệp, hoặc '
                "sửa tiêu đề cột theo mẫu (xem schemas/roster.yaml).",
                f'No sheet of {path} has a roster header row ("Họ và tên" and at least '
                f'{MIN_HEADER_MATCHES - 1} more such as "Ngày sinh", "Ngày vào Đảng"). Check it is the right '
                "file, or rename the headers as in schemas/roster.yaml.",
                path=str(path),
            )
    raw = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    raw.insert(1, "file", raw["source"].map({i: s.file for i, s in enumerate(sources)}).astype("category"))
    raw.insert(2, "sheet", raw["source"].map({i: s.sheet for i, s in enumerate(sources)}).astype("category"))
    frame, found_issues = normalise(raw, spec, sources)
    return Roster(frame=frame, raw=raw, sources=sources, issues=issues + found_issues)
