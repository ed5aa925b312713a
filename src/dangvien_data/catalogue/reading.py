"""Issues found while reading and normalising a workbook (any kind of sheet)."""

from __future__ import annotations

from dangvien_data.catalogue.rule import Rule, rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    rule(
        "legacy-encoding-converted",
        "info",
        title=(
            "Đã chuyển mã chữ cũ",
            "Legacy encoding converted",
        ),
        message=(
            'Ô chứa chữ mã {encoding} ("{value}"), đã đọc thành "{converted}".',
            'The cell holds {encoding} legacy text ("{value}"), read as "{converted}".',
        ),
        fix=(
            "Gõ lại bằng Unicode để tránh nhầm lẫn.",
            "Retype it in Unicode to avoid confusion.",
        ),
        source="docs/domain.md §7",
    ),
    rule(
        "education-date-recovered",
        "info",
        title=(
            "Trình độ học vấn bị Excel đổi thành ngày",
            "Education level turned into a date by Excel",
        ),
        message=(
            'Excel đã đổi "{converted}" thành ngày {value}; đã đọc lại thành "{converted}".',
            'Excel turned "{converted}" into the date {value}; read back as "{converted}".',
        ),
        fix=(
            'Định dạng cột là Văn bản (Text) rồi gõ lại "{converted}".',
            'Format the column as Text and retype "{converted}".',
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "number-as-text-recovered",
        "info",
        title=(
            "Số thẻ/CCCD lưu dạng số",
            "Card/ID number stored as a number",
        ),
        message=(
            'Số "{value}" được lưu dạng số nên mất số 0 đầu; đã đọc thành "{converted}".',
            '"{value}" was stored as a number and lost its leading zeros; read as "{converted}".',
        ),
        fix=(
            "Định dạng cột là Văn bản (Text) và gõ đủ các chữ số.",
            "Format the column as Text and type every digit.",
        ),
        source="benchmarks/README.md",
    ),
    rule(
        "sex-conflict",
        "error",
        title=(
            "Ngày sinh ghi ở cả cột Nam và Nữ",
            "Birth date under both Nam and Nữ",
        ),
        message=(
            "Ngày sinh ghi ở cả cột Nam ({male}) và cột Nữ ({value}); không xác định được giới tính.",
            "The birth date is written under both Nam ({male}) and Nữ ({value}); sex cannot be determined.",
        ),
        fix=(
            "Xóa ngày sinh ở cột không đúng giới tính.",
            "Delete the birth date from the wrong column.",
        ),
    ),
    rule(
        "sheet-skipped",
        "info",
        title=(
            "Bỏ qua trang tính không có danh sách",
            "Sheet without a roster skipped",
        ),
        message=(
            'Trang tính "{sheet_name}" không có dòng tiêu đề danh sách đảng viên nên được bỏ qua.',
            'Sheet "{sheet_name}" has no roster header row and was skipped.',
        ),
        fix=(
            "Nếu trang này là danh sách, hãy đặt tiêu đề cột theo mẫu (Họ và tên, Ngày sinh, …).",
            "If this sheet is a roster, give its columns the standard headers (Họ và tên, Ngày sinh, …).",
        ),
    ),
    rule(
        "unknown-column",
        "info",
        title=(
            "Cột không nhận ra",
            "Unrecognised column",
        ),
        message=(
            'Cột "{value}" không thuộc mẫu danh sách nên không được kiểm tra.{hint_vi}',
            'Column "{value}" is not part of the roster form and is not checked.{hint_en}',
        ),
        fix=(
            "Đổi tên tiêu đề theo schemas/roster.yaml, hoặc thêm tên gọi của cột vào schemas/aliases.yaml, nếu cột cần "
            "được kiểm tra.",
            "Rename the header as in schemas/roster.yaml, or add it to schemas/aliases.yaml, if the column should be "
            "checked.",
        ),
    ),
    rule(
        "duplicate-column",
        "warning",
        title=(
            "Cột trùng tiêu đề",
            "Duplicate column",
        ),
        message=(
            'Cột "{value}" trùng nghĩa với một cột đứng trước; chỉ cột đầu tiên được đọc.',
            'Column "{value}" means the same as an earlier column; only the first is read.',
        ),
        fix=(
            "Xóa hoặc đổi tên cột thừa.",
            "Delete or rename the extra column.",
        ),
    ),
    rule(
        "missing-column",
        "error",
        title=(
            "Thiếu cột bắt buộc",
            "Required column missing",
        ),
        message=(
            'Trang tính không có cột "{header}" ({field}); {use_vi}.{hint_vi}',
            'The sheet has no "{header}" column ({field}); {use_en}.{hint_en}',
        ),
        fix=(
            'Thêm cột "{header}" vào dòng tiêu đề.',
            'Add a "{header}" column to the header row.',
        ),
    ),
    rule(
        "cell-unknown",
        "warning",
        title=(
            "Không xác định được chi bộ",
            "Cell (chi bộ) not known",
        ),
        message=(
            'Dòng đảng viên không thuộc chi bộ nào (không có dòng "Chi bộ …" phía trên, tên trang hay tiêu đề).',
            'The member row belongs to no cell (no "Chi bộ …" section row above it, nor a sheet name or title).',
        ),
        fix=(
            'Thêm dòng "Chi bộ …" phía trên nhóm đảng viên, hoặc cột Chi bộ.',
            'Add a "Chi bộ …" section row above the members, or a Chi bộ column.',
        ),
    ),
    rule(
        "invisible-characters-removed",
        "info",
        title=(
            "Đã xóa ký tự ẩn",
            "Invisible characters removed",
        ),
        message=(
            'Ô có ký tự ẩn ({chars}: ký tự điều khiển, độ rộng 0 hoặc đổi chiều viết), đã đọc thành "{converted}".',
            (
                "The cell holds invisible characters ({chars}: control, zero-width or text-direction marks), read as "
                '"{converted}".'
            ),
        ),
        fix=(
            "Gõ lại nội dung ô (ký tự ẩn thường đến từ việc sao chép trên web hay tin nhắn).",
            "Retype the cell (invisible characters usually come from copying from the web or a chat).",
        ),
        source="Unicode TR #36 (invisible and bidirectional characters)",
    ),
    rule(
        "excel-error-value",
        "error",
        title=(
            "Ô hiển thị lỗi Excel",
            "Cell shows an Excel error",
        ),
        message=(
            "Ô hiển thị lỗi Excel {value} thay cho giá trị (công thức tham chiếu sai hoặc không tính được).",
            (
                "The cell shows the Excel error {value} instead of a value (a formula with a broken reference, or one "
                "that cannot be computed)."
            ),
        ),
        fix=(
            "Sửa công thức hoặc gõ giá trị thật vào ô.",
            "Fix the formula or type the real value into the cell.",
        ),
        source="ECMA-376 Part 1 §18.3.1.4 (a cell's error value)",
    ),
    rule(
        "formula-without-value",
        "error",
        title=(
            "Công thức chưa có giá trị",
            "Formula without a calculated value",
        ),
        message=(
            (
                "Ô chứa công thức {value} nhưng tệp không lưu giá trị đã tính (thường do tệp được tạo bằng chương "
                "trình và chưa mở bằng Excel)."
            ),
            (
                "The cell holds the formula {value} but the file keeps no calculated value for it (usually a file made "
                "by a program and never opened in Excel)."
            ),
        ),
        fix=(
            "Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi kiểm tra lại; hoặc gõ giá trị thay cho công thức.",
            (
                "Open the file in Excel or LibreOffice, save it and check again; or type the value instead of the "
                "formula."
            ),
        ),
        source="ECMA-376 Part 1 §18.3.1.40 (a formula and its cached value)",
    ),
    rule(
        "record-cells-without-value",
        "warning",
        title=(
            "Cột chỉ để hồ sơ có ô không có giá trị",
            "A record-only column has cells without a value",
        ),
        message=(
            (
                'Cột "{column}" có {count} ô là {kind_vi} ({span}), ô đầu tiên: {value}. Cột này chỉ để hồ sơ '
                "đầy đủ, không dùng cho số liệu tổng hợp hay quy tắc kiểm tra nào, nên chỉ báo một lần cho cả cột."
            ),
            (
                'Column "{column}" has {count} cells that are {kind_en} ({span}), the first: {value}. The column '
                "only completes the record and no count or rule reads it, so this is reported once for the column."
            ),
        ),
        fix=(
            (
                "Mở tệp bằng Excel hoặc LibreOffice và lưu lại để công thức được tính, hoặc sửa công thức / gõ giá trị "
                "thay cho công thức."
            ),
            "Open the file in Excel or LibreOffice and save it so the formulas are calculated, or fix them / type the "
            "values instead.",
        ),
        source="schemas/roster.yaml (use: record); ECMA-376 Part 1 §18.3.1.40 (a formula and its cached value)",
    ),
    rule(
        "file-unreadable",
        "error",
        title=(
            "Không đọc được tệp",
            "File cannot be read",
        ),
        message=(
            "Không đọc được tệp này nên không kiểm tra và không đếm: {reason_vi} Các tệp khác vẫn được đọc.",
            "This file could not be read, so it is neither checked nor counted: {reason_en} The other files were read.",
        ),
        fix=(
            "Sửa hoặc thay tệp rồi chạy lại; kết quả chưa đầy đủ nên lệnh kết thúc với mã 2.",
            "Fix or replace the file and run again; the result is incomplete, so the command exits with code 2.",
        ),
    ),
    rule(
        "row-not-member",
        "info",
        title=(
            "Dòng không phải đảng viên",
            "Row that is not a member",
        ),
        message=(
            'Dòng này là {kind_vi} ("{value}") nên không được đọc là đảng viên.',
            'This row is {kind_en} ("{value}"), so it is not read as a member.',
        ),
    ),
    rule(
        "member-departed",
        "warning",
        title=(
            "Đảng viên đã ra khỏi danh sách",
            "Member who has left the roster",
        ),
        message=(
            "Đảng viên được ghi là {label_vi}{hidden_vi} nên không được tính vào số lượng.",
            "The member is marked as {label_en}{hidden_en}, so is not counted.",
        ),
        fix=(
            "Chuyển dòng này ra khỏi danh sách đang sinh hoạt nếu đúng; nếu sai, xóa ghi chú.",
            "Move the row out of the active roster if this is right; if not, clear the note.",
        ),
    ),
    rule(
        "member-exempted",
        "warning",
        title=(
            "Đảng viên được miễn sinh hoạt",
            "Member exempted from activities",
        ),
        message=(
            "Đảng viên được ghi là {label_vi}{hidden_vi}: vẫn được tính vào số lượng, tổng hợp ghi rõ số miễn "
            "sinh hoạt.",
            (
                "The member is marked as {label_en}{hidden_en}: still counted, and the summary shows how many are "
                "exempted."
            ),
        ),
    ),
    rule(
        "row-hidden",
        "info",
        title=(
            "Dòng đảng viên bị ẩn",
            "Hidden member row",
        ),
        message=(
            "Dòng đảng viên này bị ẩn trong Excel nhưng không có ghi chú chuyển đi, từ trần… nên vẫn được tính.",
            "This member row is hidden in Excel but has no note (moved away, died …), so it is still counted.",
        ),
        fix=(
            'Bỏ ẩn dòng, hoặc ghi tình trạng (ví dụ "Chuyển đi") vào cột Ghi chú.',
            'Unhide the row, or write the status (e.g. "Chuyển đi") in the Ghi chú column.',
        ),
    ),
    rule(
        "two-digit-year",
        "info",
        title=(
            "Năm viết hai chữ số",
            "Two-digit year",
        ),
        message=(
            'Năm viết hai chữ số ("{value}"), đã đọc là {converted} cho khớp các ngày khác của đảng viên.',
            'The year has two digits ("{value}"); read as {converted} to agree with the member\'s other dates.',
        ),
        fix=(
            "Ghi đủ bốn chữ số của năm.",
            "Write the year with four digits.",
        ),
    ),
    rule(
        "dossier-sheet-skipped",
        "info",
        title=(
            "Bỏ qua trang tính không thuộc hồ sơ",
            "Sheet outside the dossier skipped",
        ),
        message=(
            (
                'Trang tính "{sheet_name}" không phải danh sách trích ngang, danh mục hồ sơ hay sơ yếu lý lịch nên '
                "được bỏ qua."
            ),
            'Sheet "{sheet_name}" is neither a candidate list, a documents checklist nor a CV, and was skipped.',
        ),
        fix=(
            "Nếu trang này thuộc hồ sơ, đặt tiêu đề cột hoặc nhãn theo schemas/dossier.yaml.",
            "If the sheet belongs to the dossier, use the headers or labels of schemas/dossier.yaml.",
        ),
    ),
)
