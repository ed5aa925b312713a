"""Issues of congress dossiers: the candidate list, documents, CV sheets, eligibility and structure."""

from __future__ import annotations

from dangvien_data.catalogue.rule import Rule, rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    rule(
        "document-missing",
        "error",
        title=(
            "Thiếu giấy tờ trong hồ sơ",
            "Document missing from the dossier",
        ),
        message=(
            'Hồ sơ thiếu "{document}" ({state}).',
            'The dossier lacks "{document}" ({state_en}).',
        ),
        fix=(
            'Bổ sung giấy tờ rồi đánh dấu "x" hoặc ghi ngày nhận.',
            'Add the document, then mark "x" or the date.',
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "document-late",
        "warning",
        title=(
            "Giấy tờ nộp sau hạn",
            "Document after the deadline",
        ),
        message=(
            '"{document}" ghi ngày {value}, sau hạn {due} ({days} ngày làm việc trước đại hội {congress}).',
            (
                '"{document}" is dated {value}, after the deadline {due} ({days} working days before the congress '
                "{congress})."
            ),
        ),
        fix=(
            "Kiểm tra ngày nhận; báo cáo cấp trên nếu nộp muộn.",
            "Check the date received; report late filing.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "document-column-missing",
        "error",
        title=(
            "Danh mục hồ sơ thiếu cột",
            "Checklist column missing",
        ),
        message=(
            'Danh mục hồ sơ không có cột "{document}" (bắt buộc ở nhiệm kỳ {term}).',
            'The documents checklist has no "{document}" column (required in term {term}).',
        ),
        fix=(
            "Thêm cột, hoặc bỏ giấy tờ khỏi documents.required trong schemas/dossier.yaml.",
            "Add the column, or remove the document from documents.required in schemas/dossier.yaml.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "documents-checklist-missing",
        "error",
        title=(
            "Không có danh mục hồ sơ",
            "No documents checklist",
        ),
        message=(
            "Không tìm thấy danh mục hồ sơ trong các tệp đã đọc.",
            "No documents checklist in the files read.",
        ),
        fix=(
            'Thêm trang có cột "Họ và tên" và một cột cho mỗi giấy tờ ({documents}).',
            'Add a sheet with a "Họ và tên" column and one column per document ({documents}).',
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "documents-row-missing",
        "error",
        title=(
            "Nhân sự không có trong danh mục hồ sơ",
            "Candidate not in the checklist",
        ),
        message=(
            "{member} không có dòng nào trong danh mục hồ sơ: thiếu cả {count} giấy tờ.",
            "{member} has no row in the documents checklist: all {count} documents missing.",
        ),
        fix=(
            "Thêm dòng của đồng chí vào danh mục hồ sơ.",
            "Add the candidate's row to the checklist.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "documents-row-unmatched",
        "warning",
        title=(
            "Dòng hồ sơ không khớp nhân sự",
            "Checklist row matches no candidate",
        ),
        message=(
            '"{value}" trong danh mục hồ sơ không có trong danh sách trích ngang.',
            '"{value}" in the documents checklist is not in the candidate list.',
        ),
        fix=(
            "Sửa họ tên cho khớp, hoặc xóa dòng thừa.",
            "Correct the name, or delete the extra row.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "cv-field-missing",
        "error",
        title=(
            "Sơ yếu lý lịch thiếu thông tin",
            "CV field missing",
        ),
        message=(
            'Sơ yếu lý lịch không ghi "{label}".',
            'The CV does not state "{label}".',
        ),
        fix=(
            "Điền thông tin vào sơ yếu lý lịch.",
            "Fill it in on the CV.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "cv-mismatch",
        "error",
        title=(
            "Sơ yếu lý lịch khác danh sách trích ngang",
            "CV disagrees with the candidate list",
        ),
        message=(
            'Sơ yếu lý lịch ghi {label} "{value}" nhưng danh sách trích ngang ghi "{other}" ({other_place}).',
            'The CV gives {label} "{value}" but the candidate list has "{other}" ({other_place}).',
        ),
        fix=(
            "Đối chiếu giấy tờ gốc, sửa bên sai.",
            "Check the original papers and correct the wrong one.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "cv-unmatched",
        "warning",
        title=(
            "Sơ yếu lý lịch không khớp nhân sự",
            "CV matches no candidate",
        ),
        message=(
            'Sơ yếu lý lịch của "{value}" không khớp nhân sự nào trong danh sách trích ngang.',
            'The CV of "{value}" matches no candidate of the candidate list.',
        ),
        fix=(
            "Sửa họ tên, ngày sinh cho khớp.",
            "Make the name and birth date agree.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "cv-sheet-missing",
        "error",
        title=(
            "Thiếu sơ yếu lý lịch",
            "CV missing",
        ),
        message=(
            "Không có sơ yếu lý lịch của {member}.",
            "There is no CV for {member}.",
        ),
        fix=(
            "Thêm trang sơ yếu lý lịch (mẫu 2C/TCTW-98).",
            "Add a CV sheet (form 2C/TCTW-98).",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "candidate-not-in-roster",
        "error",
        title=(
            "Nhân sự không có trong danh sách đảng viên",
            "Candidate not in the roster",
        ),
        message=(
            "Không tìm thấy {member} trong danh sách đảng viên (theo số thẻ, rồi theo họ tên và ngày sinh).",
            "{member} is not in the roster (searched by card number, then by name and birth date).",
        ),
        fix=(
            "Kiểm tra họ tên, ngày sinh, số thẻ; hoặc bổ sung đảng viên vào danh sách.",
            "Check the name, birth date and card number, or add the member to the roster.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "roster-mismatch",
        "error",
        title=(
            "Hồ sơ khác danh sách đảng viên",
            "Dossier disagrees with the roster",
        ),
        message=(
            '{label} ghi "{value}" nhưng danh sách đảng viên ghi "{other}" ({other_place}).',
            '{label} is "{value}" but the roster has "{other}" ({other_place}).',
        ),
        fix=(
            "Đối chiếu hồ sơ gốc, sửa bên sai.",
            "Check the member's file and correct the wrong one.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "candidate-probationary",
        "error",
        title=(
            "Đảng viên dự bị không được ứng cử",
            "Probationary member cannot stand",
        ),
        message=(
            (
                "Tại ngày đại hội {congress} còn là đảng viên dự bị (vào Đảng {admitted}, chính thức từ {official}): "
                "đảng viên dự bị không có quyền ứng cử."
            ),
            (
                "At the congress date {congress} still a probationary member (admitted {admitted}, official from "
                "{official}): probationary members cannot stand for election."
            ),
        ),
        fix=(
            "Đưa ra khỏi danh sách nhân sự.",
            "Remove the candidate from the list.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "candidate-service-time-short",
        "error",
        title=(
            "Không đủ thời gian công tác",
            "Not enough service time left",
        ),
        message=(
            (
                "Từ tháng đại hội {congress} còn {months} tháng công tác (đến hạn tháng {reach}, {basis}); {election} "
                "cần ít nhất {threshold} tháng ({directive})."
            ),
            (
                "From the congress month {congress} {months} months of service are left (limit reached {reach}, "
                "{basis_en}); {election_en} needs at least {threshold} months ({directive})."
            ),
        ),
        fix=(
            "Kiểm tra ngày sinh, cấp bậc; nếu đúng thì không đủ điều kiện ứng cử.",
            "Check the birth date and rank; if they are right, the candidate is not eligible.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "eligibility-unknown",
        "warning",
        title=(
            "Không tính được điều kiện ứng cử",
            "Eligibility cannot be computed",
        ),
        message=(
            "Không tính được thời gian công tác còn lại: {reason}.",
            "Service time left cannot be computed: {reason_en}.",
        ),
        fix=(
            "Bổ sung thông tin còn thiếu.",
            "Fill in what is missing.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "election-missing",
        "error",
        title=(
            "Chưa rõ lần đầu hay tái cử",
            "First time or re-election not stated",
        ),
        message=(
            (
                "Không xác định được tham gia lần đầu hay tái cử (để trống hoặc đánh dấu cả hai); tạm dùng ngưỡng của "
                "người tham gia lần đầu."
            ),
            "First time or re-election cannot be told (empty, or both marked); the first-time threshold is used.",
        ),
        fix=(
            'Ghi "Tham gia lần đầu" hoặc "Tái cử".',
            'Write "Tham gia lần đầu" or "Tái cử".',
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "unknown-election",
        "warning",
        title=(
            "Giá trị ngoài danh mục (election)",
            "Value not in code list (election)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/dossier.yaml (codes).",
            "Use a value of schemas/dossier.yaml (codes).",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "unknown-proposed-post",
        "warning",
        title=(
            "Giá trị ngoài danh mục (proposed-post)",
            "Value not in code list (proposed-post)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/dossier.yaml (codes).",
            "Use a value of schemas/dossier.yaml (codes).",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "women-below-target",
        "warning",
        title=(
            "Tỷ lệ nữ dưới chỉ tiêu",
            "Women below target",
        ),
        message=(
            "Nữ {count}/{total} nhân sự = {percent}%, dưới chỉ tiêu {target}%.",
            "Women are {count} of {total} candidates = {percent_en}%, below the {target}% target.",
        ),
        fix=(
            "Xem xét bổ sung nhân sự nữ.",
            "Consider adding women candidates.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "btv-no-woman",
        "warning",
        title=(
            "Không có nữ dự kiến Ban Thường vụ",
            "No woman proposed for the standing committee",
        ),
        message=(
            "Trong {count} nhân sự dự kiến Ban Thường vụ không có nữ (CT 35/2019: có nữ trong Ban Thường vụ).",
            "None of the {count} candidates proposed for the standing committee is a woman (CT 35/2019).",
        ),
        fix=(
            "Xem xét cơ cấu nữ trong Ban Thường vụ.",
            "Consider a woman for the standing committee.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "age-structure-off-target",
        "info",
        title=(
            "Cơ cấu tuổi chưa đạt",
            "Age structure off target",
        ),
        message=(
            "Dưới {under} tuổi: {count}/{total} = {percent}%, dưới mức {target}%.",
            "Under {under}: {count} of {total} = {percent_en}%, below {target}%.",
        ),
        fix=(
            "Cấp cơ sở: đối chiếu hướng dẫn của cấp tỉnh.",
            "Grassroots level: check the provincial guidance.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "candidates-exceed-seats",
        "error",
        title=(
            "Số dư vượt mức",
            "Too many candidates",
        ),
        message=(
            (
                "{count} nhân sự cho {seats} chỉ tiêu: dư {surplus}%, vượt mức tối đa {max_percent}% (tối đa {max} "
                "người)."
            ),
            (
                "{count} candidates for {seats} seats: {surplus_en}% more, above the {max_percent}% maximum (at most "
                "{max})."
            ),
        ),
        fix=(
            "Giảm số nhân sự, hoặc kiểm tra --seats.",
            "Reduce the candidates, or check --seats.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "candidates-below-seats",
        "error",
        title=(
            "Ít nhân sự hơn số cần bầu",
            "Fewer candidates than seats",
        ),
        message=(
            "{count} nhân sự, ít hơn {seats} chỉ tiêu cần bầu.",
            "{count} candidates, fewer than the {seats} seats.",
        ),
        fix=(
            "Bổ sung nhân sự, hoặc kiểm tra --seats.",
            "Add candidates, or check --seats.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
    rule(
        "seats-not-given",
        "info",
        title=(
            "Chưa biết số cần bầu",
            "Seats not given",
        ),
        message=(
            "Chưa biết số cấp ủy viên cần bầu nên không kiểm tra số dư.",
            "The number of seats is not known, so the candidate surplus is not checked.",
        ),
        fix=(
            "Chạy lại với --seats N.",
            "Run again with --seats N.",
        ),
        source="docs/domain.md §4; schemas/dossier.yaml",
    ),
)
