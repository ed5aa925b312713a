"""The page's words, in Vietnamese and English (messages about the data come from the catalogue)."""

from __future__ import annotations

__all__ = ["LANGS", "translate"]

LANGS = ("vi", "en")

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Kiểm tra danh sách đảng viên", "Party member roster check"),
    "tagline": (
        "Mọi tệp chỉ ở trên máy này, trong một thư mục tạm riêng, bị xoá khi kết thúc phiên hoặc tắt chương trình.",
        "Every file stays on this machine, in a private temporary folder deleted when the session ends or the "
        "program stops.",
    ),
    "switch": ("English", "Tiếng Việt"),
    "new_check": ("Kiểm tra mới", "New check"),
    "rosters": ("Danh sách đảng viên: một hoặc nhiều tệp", "Member rosters: one or more files"),
    "folder": ("… hoặc cả thư mục tệp của các chi bộ", "… or a whole folder of the cells' files"),
    "declared": ("Bảng số lượng đã báo cáo (không bắt buộc)", "Declared counts sheet (optional)"),
    "dossiers": ("Hồ sơ nhân sự dự kiến cấp ủy (không bắt buộc)", "Candidate dossiers (optional)"),
    "as_of": ("Tính đến ngày", "As of"),
    "term": ("Nhiệm kỳ", "Term"),
    "congress_date": ("Ngày đại hội (hồ sơ; để trống: theo nhiệm kỳ)", "Congress date (dossiers; blank: the term's)"),
    "seats": ("Số cấp ủy viên cần bầu (hồ sơ; không bắt buộc)", "Committee seats (dossiers; optional)"),
    "check": ("Kiểm tra", "Check"),
    "limits": ("Tối đa {files} tệp, tổng cộng {mb} MB.", "At most {files} files, {mb} MB in all."),
    "templates": ("Tệp mẫu nhập liệu", "Fill-in templates"),
    "template_kind": ("Loại mẫu", "Template"),
    "kind_roster": ("Danh sách đảng viên", "Member roster"),
    "kind_dossier": ("Hồ sơ nhân sự", "Candidate dossier"),
    "cell": ("Chi bộ", "Cell"),
    "organisation": ("Đảng bộ", "Organisation"),
    "make_template": ("Tạo tệp mẫu", "Make the template"),
    "jobs": ("Các lần kiểm tra trong phiên này", "Checks in this session"),
    "end_session": ("Kết thúc phiên, xoá mọi tệp", "End the session, delete every file"),
    "ended": ("Đã xoá mọi tệp của phiên này.", "Every file of this session was deleted."),
    "back": ("Về trang đầu", "Back to the start"),
    "waiting": ("Đang chờ đến lượt…", "Waiting for its turn…"),
    "reading": (
        "Đang đọc tệp: đã đọc {files_read}/{files} tệp, {members} đảng viên…",
        "Reading: {files_read} of {files} file(s) read, {members} members…",
    ),
    "checking": (
        "Đã đọc {files} tệp, {members} đảng viên; đang kiểm tra…",
        "Read {files} file(s), {members} members; checking…",
    ),
    "writing": ("Đang ghi bản chú thích…", "Writing the annotated copy…"),
    "summarising": ("Đang tổng hợp số lượng theo chi bộ…", "Counting per cell…"),
    "dossier": ("Đang kiểm tra hồ sơ nhân sự…", "Checking the dossiers…"),
    "done": ("Xong.", "Done."),
    "failed": ("Không kiểm tra được", "The check could not run"),
    "internal": (
        "Lỗi nội bộ ({kind}). Tệp đầu vào không bị thay đổi. Hãy báo cho người phát triển.",
        "Internal error ({kind}). The input is unchanged. Please report it.",
    ),
    "verdict_ok": ("Không có lỗi", "No errors"),
    "verdict_bad": ("Có lỗi cần sửa", "Errors to fix"),
    "files": ("Tệp", "Files"),
    "error": ("Lỗi", "Errors"),
    "warning": ("Cảnh báo", "Warnings"),
    "info": ("Ghi chú", "Notes"),
    "downloads": ("Tải về", "Downloads"),
    "annotated": ("Bản chú thích (.xlsx)", "Annotated copy (.xlsx)"),
    "summary": ("Bảng tổng hợp (.xlsx)", "Summary workbook (.xlsx)"),
    "dossier_out": ("Kết quả hồ sơ (.xlsx)", "Dossier results (.xlsx)"),
    "issues_csv": ("Danh sách lỗi (.csv)", "Issues (.csv)"),
    "issues_json": ("Danh sách lỗi (.json)", "Issues (.json)"),
    "filter": ("Lọc", "Filter"),
    "all": ("Tất cả", "All"),
    "severity": ("Mức độ", "Severity"),
    "rule": ("Quy tắc", "Rule"),
    "issues": ("Lỗi theo chi bộ", "Issues by cell"),
    "no_cell": ("(không rõ chi bộ)", "(no cell)"),
    "shown": ("Đang hiện {shown} trên {total} mục.", "Showing {shown} of {total}."),
    "more": (
        "Chỉ hiện {limit} mục đầu: lọc thêm, hoặc tải danh sách lỗi về.",
        "Only the first {limit} are shown: filter further, or download the issues.",
    ),
    "none": ("Không có mục nào.", "Nothing to show."),
    "member": ("Đảng viên", "Member"),
    "place": ("Ô", "Cell ref"),
    "header": ("Tiêu đề cột", "Header"),
    "value": ("Giá trị", "Value"),
    "message": ("Lỗi", "Problem"),
    "fix": ("Cách sửa", "How to fix"),
    "counts": ("Số lượng theo chi bộ", "Counts per cell"),
    "total": ("Tổng cộng", "Total"),
    "differences": ("Chênh lệch với số đã báo cáo", "Differences from the declared counts"),
    "no_differences": ("Số báo cáo khớp với danh sách.", "The declared counts agree with the roster."),
    "declared_n": ("Báo cáo", "Declared"),
    "derived_n": ("Tính từ danh sách", "Derived"),
    "difference": ("Chênh lệch", "Difference"),
    "candidates": ("Kết quả hồ sơ theo nhân sự", "Dossier verdicts per candidate"),
    "name": ("Họ và tên", "Name"),
    "age": ("Tuổi", "Age"),
    "party_age": ("Tuổi Đảng", "Party age"),
    "documents_ok": ("Đủ hồ sơ", "Documents"),
    "eligible": ("Đủ điều kiện", "Eligible"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "unknown": ("?", "?"),
    "not_written": ("Không tạo được", "Not written"),
    "bad_form": (
        "Biểu mẫu đã cũ hoặc không gửi từ trang này. Tải lại trang rồi gửi lại.",
        "The form is stale or was not sent from this page. Reload the page and send it again.",
    ),
    "no_roster": ("Chọn ít nhất một tệp danh sách hoặc một thư mục.", "Choose at least one roster file or a folder."),
    "bad_date": ("Ngày không đúng dạng YYYY-MM-DD.", "The date is not in YYYY-MM-DD form."),
    "bad_seats": ("Số cấp ủy viên phải là số nguyên.", "The number of seats must be a whole number."),
    "not_found": ("Không tìm thấy trang này.", "Page not found."),
    "too_big_js": (
        "Các tệp đã chọn vượt quá giới hạn tải lên; chọn ít tệp hơn.",
        "The chosen files exceed the upload limit; choose fewer.",
    ),
}


def translate(key: str, lang: str = "vi", **values: object) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled."""
    vi, en = _TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text
