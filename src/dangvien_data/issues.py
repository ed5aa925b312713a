"""Issue records: what is wrong with the data, where, and how to fix it, in Vietnamese and English."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

__all__ = ["CATALOGUE", "RECORD_KEYS", "Issue", "Rule", "Severity", "count_by_severity", "render_message"]


class Severity(enum.StrEnum):
    """How serious an issue is; only errors make a roster fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """One entry of the rule catalogue: a stable code, its severity and message templates."""

    code: str
    severity: Severity
    title_vi: str
    title_en: str
    message_vi: str
    message_en: str
    fix_vi: str = ""
    fix_en: str = ""
    source: str = ""


def _r(
    code: str,
    severity: str,
    title: tuple[str, str],
    message: tuple[str, str],
    fix: tuple[str, str] = ("", ""),
    source: str = "",
) -> Rule:
    return Rule(code, Severity(severity), title[0], title[1], message[0], message[1], fix[0], fix[1], source)


# Templates use str.format fields taken from the issue's params plus {value}, {column}, {field}.
_RULES: tuple[Rule, ...] = (
    # --- reading and normalising -------------------------------------------------------------
    _r(
        "legacy-encoding-converted",
        "info",
        ("Đã chuyển mã chữ cũ", "Legacy encoding converted"),
        (
            'Ô chứa chữ mã {encoding} ("{value}"), đã đọc thành "{converted}".',
            'The cell holds {encoding} legacy text ("{value}"), read as "{converted}".',
        ),
        ("Gõ lại bằng Unicode để tránh nhầm lẫn.", "Retype it in Unicode to avoid confusion."),
        "DOMAIN.md §7",
    ),
    _r(
        "education-date-recovered",
        "info",
        ("Trình độ học vấn bị Excel đổi thành ngày", "Education level turned into a date by Excel"),
        (
            'Excel đã đổi "{converted}" thành ngày {value}; đã đọc lại thành "{converted}".',
            'Excel turned "{converted}" into the date {value}; read back as "{converted}".',
        ),
        (
            'Định dạng cột là Văn bản (Text) rồi gõ lại "{converted}".',
            'Format the column as Text and retype "{converted}".',
        ),
        "DOMAIN.md §2",
    ),
    _r(
        "number-as-text-recovered",
        "info",
        ("Số thẻ/CCCD lưu dạng số", "Card/ID number stored as a number"),
        (
            'Số "{value}" được lưu dạng số nên mất số 0 đầu; đã đọc thành "{converted}".',
            '"{value}" was stored as a number and lost its leading zeros; read as "{converted}".',
        ),
        ("Định dạng cột là Văn bản (Text) và gõ đủ các chữ số.", "Format the column as Text and type every digit."),
        "MEASUREMENTS.md",
    ),
    _r(
        "sex-conflict",
        "error",
        ("Ngày sinh ghi ở cả cột Nam và Nữ", "Birth date under both Nam and Nữ"),
        (
            "Ngày sinh ghi ở cả cột Nam ({male}) và cột Nữ ({value}); không xác định được giới tính.",
            "The birth date is written under both Nam ({male}) and Nữ ({value}); sex cannot be determined.",
        ),
        ("Xóa ngày sinh ở cột không đúng giới tính.", "Delete the birth date from the wrong column."),
    ),
    _r(
        "sheet-skipped",
        "info",
        ("Bỏ qua trang tính không có danh sách", "Sheet without a roster skipped"),
        (
            'Trang tính "{sheet_name}" không có dòng tiêu đề danh sách đảng viên nên được bỏ qua.',
            'Sheet "{sheet_name}" has no roster header row and was skipped.',
        ),
        (
            "Nếu trang này là danh sách, hãy đặt tiêu đề cột theo mẫu (Họ và tên, Ngày sinh, …).",
            "If this sheet is a roster, give its columns the standard headers (Họ và tên, Ngày sinh, …).",
        ),
    ),
    _r(
        "unknown-column",
        "info",
        ("Cột không nhận ra", "Unrecognised column"),
        (
            'Cột "{value}" không thuộc mẫu danh sách nên không được kiểm tra.',
            'Column "{value}" is not part of the roster form and is not checked.',
        ),
        (
            "Đổi tên tiêu đề theo schemas/roster.yaml nếu cột cần được kiểm tra.",
            "Rename the header as in schemas/roster.yaml if the column should be checked.",
        ),
    ),
    _r(
        "duplicate-column",
        "warning",
        ("Cột trùng tiêu đề", "Duplicate column"),
        (
            'Cột "{value}" trùng nghĩa với một cột đứng trước; chỉ cột đầu tiên được đọc.',
            'Column "{value}" means the same as an earlier column; only the first is read.',
        ),
        ("Xóa hoặc đổi tên cột thừa.", "Delete or rename the extra column."),
    ),
    _r(
        "missing-column",
        "error",
        ("Thiếu cột bắt buộc", "Required column missing"),
        ('Trang tính không có cột "{header}" ({field}).', 'The sheet has no "{header}" column ({field}).'),
        ('Thêm cột "{header}" vào dòng tiêu đề.', 'Add a "{header}" column to the header row.'),
    ),
    _r(
        "cell-unknown",
        "warning",
        ("Không xác định được chi bộ", "Cell (chi bộ) not known"),
        (
            'Dòng đảng viên không thuộc chi bộ nào (không có dòng "Chi bộ …" phía trên, tên trang hay tiêu đề).',
            'The member row belongs to no cell (no "Chi bộ …" section row above it, nor a sheet name or title).',
        ),
        (
            'Thêm dòng "Chi bộ …" phía trên nhóm đảng viên, hoặc cột Chi bộ.',
            'Add a "Chi bộ …" section row above the members, or a Chi bộ column.',
        ),
    ),
    _r(
        "invisible-characters-removed",
        "info",
        ("Đã xóa ký tự ẩn", "Invisible characters removed"),
        (
            'Ô có ký tự ẩn ({chars}: ký tự điều khiển, độ rộng 0 hoặc đổi chiều viết), đã đọc thành "{converted}".',
            "The cell holds invisible characters ({chars}: control, zero-width or text-direction marks), read as "
            '"{converted}".',
        ),
        (
            "Gõ lại nội dung ô (ký tự ẩn thường đến từ việc sao chép trên web hay tin nhắn).",
            "Retype the cell (invisible characters usually come from copying from the web or a chat).",
        ),
        "issue 6",
    ),
    _r(
        "excel-error-value",
        "error",
        ("Ô hiển thị lỗi Excel", "Cell shows an Excel error"),
        (
            "Ô hiển thị lỗi Excel {value} thay cho giá trị (công thức tham chiếu sai hoặc không tính được).",
            "The cell shows the Excel error {value} instead of a value (a formula with a broken reference, or one "
            "that cannot be computed).",
        ),
        ("Sửa công thức hoặc gõ giá trị thật vào ô.", "Fix the formula or type the real value into the cell."),
        "issue 6",
    ),
    _r(
        "formula-without-value",
        "error",
        ("Công thức chưa có giá trị", "Formula without a calculated value"),
        (
            "Ô chứa công thức {value} nhưng tệp không lưu giá trị đã tính (thường do tệp được tạo bằng chương "
            "trình và chưa mở bằng Excel).",
            "The cell holds the formula {value} but the file keeps no calculated value for it (usually a file made "
            "by a program and never opened in Excel).",
        ),
        (
            "Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi kiểm tra lại; hoặc gõ giá trị thay cho công thức.",
            "Open the file in Excel or LibreOffice, save it and check again; or type the value instead of the formula.",
        ),
        "issue 6",
    ),
)

CATALOGUE: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def register(rules: Iterable[Rule]) -> None:
    """Add rules to the catalogue (used by the validation and summary modules)."""
    for rule in rules:
        CATALOGUE[rule.code] = rule


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_message(code: str, params: Mapping[str, Any], lang: str = "vi", *, with_fix: bool = True) -> str:
    """Format the catalogue message of ``code`` with ``params`` in ``lang`` ("vi" or "en")."""
    rule = CATALOGUE[code]
    template = rule.message_en if lang == "en" else rule.message_vi
    fix = rule.fix_en if lang == "en" else rule.fix_vi
    values = _Default({k: ("" if v is None else v) for k, v in params.items()})
    text = template.format_map(values)
    if with_fix and fix:
        text += " " + (fix.format_map(values) if "{" in fix else fix)
    return text


# The issue record of DESIGN.md's JSON contract, in order.
RECORD_KEYS = (
    "severity",
    "code",
    "message",
    "file",
    "sheet",
    "ref",
    "row",
    "column",
    "field",
    "value",
    "member",
    "cell",
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in the data, at one place (file, sheet, A1 ref), with a stable code.

    ``cell`` is the chi bộ, ``ref`` the spreadsheet location (e.g. ``"F12"``).
    """

    code: str
    severity: Severity
    file: str | None = None
    sheet: str | None = None
    ref: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None
    member: str | None = None
    cell: str | None = None
    params: Mapping[str, Any] = dc_field(default_factory=dict, hash=False)

    def message(self, lang: str = "vi") -> str:
        """The full message (what was expected, what was found, how to fix it) in ``lang``."""
        params = {"value": self.value, "column": self.column, "field": self.field, **self.params}
        return render_message(self.code, params, lang)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON record of DESIGN.md (keys in the order of :data:`RECORD_KEYS`)."""
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message(lang),
            "file": self.file,
            "sheet": self.sheet,
            "ref": self.ref,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "member": self.member,
            "cell": self.cell,
        }


def count_by_severity(issues: Iterable[Issue]) -> dict[str, int]:
    """Counts per severity, always with the three keys."""
    counts = {str(s): 0 for s in Severity}
    for issue in issues:
        counts[str(issue.severity)] += 1
    return counts
