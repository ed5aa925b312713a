"""Issues of the roster rules: required values, code lists, Charter dates and ages, CCCD, service age, cells."""

from __future__ import annotations

from dangvien_data.catalogue.rule import Rule, rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    rule(
        "missing-value",
        "error",
        title=(
            "Thiếu thông tin bắt buộc",
            "Required value missing",
        ),
        message=(
            'Ô "{column}" để trống; trường này bắt buộc.',
            '"{column}" is empty; this field is required.',
        ),
        fix=(
            "Điền giá trị vào ô.",
            "Fill in the cell.",
        ),
        source="schemas/roster.yaml",
    ),
    rule(
        "unknown-sex",
        "error",
        title=(
            "Giá trị ngoài danh mục (sex)",
            "Value not in code list (sex)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/sex.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/sex.yaml (or add an alias there).",
        ),
        source="schemas/codes/sex.yaml",
    ),
    rule(
        "unknown-ethnicity",
        "error",
        title=(
            "Giá trị ngoài danh mục (ethnicity)",
            "Value not in code list (ethnicity)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/ethnicity.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/ethnicity.yaml (or add an alias there).",
        ),
        source="schemas/codes/ethnicity.yaml",
    ),
    rule(
        "unknown-religion",
        "error",
        title=(
            "Giá trị ngoài danh mục (religion)",
            "Value not in code list (religion)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/religion.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/religion.yaml (or add an alias there).",
        ),
        source="schemas/codes/religion.yaml",
    ),
    rule(
        "unknown-rank",
        "error",
        title=(
            "Giá trị ngoài danh mục (rank)",
            "Value not in code list (rank)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/rank.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/rank.yaml (or add an alias there).",
        ),
        source="schemas/codes/rank.yaml",
    ),
    rule(
        "unknown-party-post",
        "warning",
        title=(
            "Giá trị ngoài danh mục (party_post)",
            "Value not in code list (party_post)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/party_post.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/party_post.yaml (or add an alias there).",
        ),
        source="schemas/codes/party_post.yaml",
    ),
    rule(
        "unknown-education",
        "error",
        title=(
            "Giá trị ngoài danh mục (education)",
            "Value not in code list (education)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/education.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/education.yaml (or add an alias there).",
        ),
        source="schemas/codes/education.yaml",
    ),
    rule(
        "unknown-professional",
        "warning",
        title=(
            "Giá trị ngoài danh mục (professional)",
            "Value not in code list (professional)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/professional.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/professional.yaml (or add an alias there).",
        ),
        source="schemas/codes/professional.yaml",
    ),
    rule(
        "unknown-political-theory",
        "warning",
        title=(
            "Giá trị ngoài danh mục (political_theory)",
            "Value not in code list (political_theory)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/political_theory.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/political_theory.yaml (or add an alias there).",
        ),
        source="schemas/codes/political_theory.yaml",
    ),
    rule(
        "unknown-membership",
        "error",
        title=(
            "Giá trị ngoài danh mục (membership)",
            "Value not in code list (membership)",
        ),
        message=(
            '"{value}" không có trong danh mục {title}.{hint_vi}',
            '"{value}" is not in the {title} code list.{hint_en}',
        ),
        fix=(
            "Chọn một giá trị trong schemas/codes/membership.yaml (hoặc thêm tên gọi khác vào đó).",
            "Use a value of schemas/codes/membership.yaml (or add an alias there).",
        ),
        source="schemas/codes/membership.yaml",
    ),
    rule(
        "invalid-card-number",
        "error",
        title=(
            "Số thẻ đảng viên sai dạng",
            "Malformed Party card number",
        ),
        message=(
            'Số thẻ đảng viên "{value}" phải gồm đúng 8 chữ số.',
            'Party card number "{value}" must be exactly 8 digits.',
        ),
        fix=(
            "Nhập đủ 8 chữ số; số bắt đầu bằng 0 thì định dạng ô là Văn bản (Text).",
            "Type all 8 digits; for a number starting with 0 format the cell as Text.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "invalid-cccd",
        "error",
        title=(
            "Số CCCD sai dạng",
            "Malformed citizen ID",
        ),
        message=(
            'Số CCCD "{value}" phải gồm 12 chữ số (CMND cũ: 9 chữ số).',
            'Citizen ID "{value}" must be 12 digits (old ID card: 9 digits).',
        ),
        fix=(
            "Nhập đủ 12 chữ số, định dạng ô là Văn bản (Text) để giữ số 0 đầu.",
            "Type all 12 digits, with the cell formatted as Text to keep leading zeros.",
        ),
        source="docs/domain.md §10",
    ),
    rule(
        "invalid-date",
        "error",
        title=(
            "Ngày không hợp lệ",
            "Invalid date",
        ),
        message=(
            '"{value}" không phải ngày hợp lệ.',
            '"{value}" is not a valid date.',
        ),
        fix=(
            "Ghi ngày dạng dd/mm/yyyy, ví dụ 05/03/1985.",
            "Write the date as dd/mm/yyyy, e.g. 05/03/1985.",
        ),
    ),
    rule(
        "date-after-as-of",
        "error",
        title=(
            "Ngày sau ngày tính đến",
            "Date after as-of",
        ),
        message=(
            "{column} {value} sau ngày tính đến {as_of}.",
            "{column} {value} is after the as-of date {as_of}.",
        ),
        fix=(
            "Kiểm tra lại ngày, hoặc ngày tính đến (--as-of).",
            "Check the date, or the as-of date (--as-of).",
        ),
    ),
    rule(
        "date-implausible",
        "error",
        title=(
            "Ngày không hợp lý",
            "Implausible date",
        ),
        message=(
            "{column} {value} trước {earliest}: không hợp lý.",
            "{column} {value} is before {earliest}: implausible.",
        ),
        fix=(
            "Kiểm tra lại năm.",
            "Check the year.",
        ),
        source="schemas/roster.yaml rules.plausible-dates",
    ),
    rule(
        "official-date-missing",
        "error",
        title=(
            "Thiếu ngày chính thức",
            "Official date missing",
        ),
        message=(
            (
                "Vào Đảng ngày {admitted}, đã đủ 12 tháng dự bị tại {as_of} nhưng chưa có ngày chính thức (đúng là "
                "{expected})."
            ),
            (
                "Admitted on {admitted}, 12 months of probation ended by {as_of}, but no official date (it is "
                "{expected})."
            ),
        ),
        fix=(
            "Ghi ngày chính thức; nếu chưa được công nhận, báo cáo cấp ủy để xét.",
            "Enter the official date; if not yet recognised, raise it with the committee.",
        ),
        source="docs/domain.md §1",
    ),
    rule(
        "official-date-mismatch",
        "error",
        title=(
            "Ngày chính thức không khớp",
            "Official date mismatch",
        ),
        message=(
            "Ngày chính thức {value} phải đúng 12 tháng sau ngày vào Đảng {admitted}, tức {expected}.",
            "The official date {value} must be exactly 12 months after admission on {admitted}, i.e. {expected}.",
        ),
        fix=(
            "Sửa ngày chính thức (hoặc ngày vào Đảng nếu ngày đó sai).",
            "Correct the official date (or the admission date if that is wrong).",
        ),
        source="Điều lệ Đảng điều 5; docs/domain.md §1",
    ),
    rule(
        "probationary-status-mismatch",
        "error",
        title=(
            "Trạng thái chính thức/dự bị sai",
            "Probationary status inconsistent",
        ),
        message=(
            'Ghi là "{value}" nhưng tại {as_of} đảng viên là {expected} (vào Đảng {admitted}).',
            'Marked "{value}" but at {as_of} the member is {expected_en} (admitted {admitted}).',
        ),
        fix=(
            "Sửa cột chính thức/dự bị hoặc các ngày.",
            "Correct the status column or the dates.",
        ),
        source="docs/domain.md §1",
    ),
    rule(
        "admission-age-under-18",
        "error",
        title=(
            "Vào Đảng dưới 18 tuổi",
            "Admitted under 18",
        ),
        message=(
            "Vào Đảng lúc {age} (sinh {birth}, vào Đảng {admitted}); tuổi tối thiểu là 18.",
            "Admitted at {age_en} (born {birth}, admitted {admitted}); the minimum age is 18.",
        ),
        fix=(
            "Kiểm tra ngày sinh và ngày vào Đảng.",
            "Check the birth and admission dates.",
        ),
        source="QĐ 24 mục 1.1.1; docs/domain.md §1",
    ),
    rule(
        "admission-age-over-60",
        "warning",
        title=(
            "Vào Đảng trên 60 tuổi",
            "Admitted over 60",
        ),
        message=(
            "Vào Đảng lúc {age} (trên 60 tuổi): cần văn bản đồng ý của cấp ủy cấp tỉnh.",
            "Admitted at {age_en} (over 60): needs the written approval of the provincial-level committee.",
        ),
        fix=(
            "Đối chiếu văn bản đồng ý; nếu ngày sai thì sửa.",
            "Check the written approval; correct the dates if wrong.",
        ),
        source="HD 01-HD/TW; docs/domain.md §1",
    ),
    rule(
        "date-order",
        "error",
        title=(
            "Thứ tự ngày sai",
            "Dates out of order",
        ),
        message=(
            "{what}",
            "{what_en}",
        ),
        fix=(
            "Kiểm tra thứ tự ngày sinh, ngày vào Đảng, ngày chính thức.",
            "Check the order of birth, admission and official dates.",
        ),
        source="docs/domain.md §1",
    ),
    rule(
        "cccd-sex-mismatch",
        "error",
        title=(
            "CCCD không khớp giới tính",
            "Citizen ID does not match sex",
        ),
        message=(
            'Chữ số thứ 4 của CCCD "{value}" là {digit} ({meaning}), không khớp giới tính {sex} sinh năm {year}.',
            'Digit 4 of citizen ID "{value}" is {digit} ({meaning_en}), not matching the sex ({sex_en}, born {year}).',
        ),
        fix=(
            "Đối chiếu thẻ CCCD; sửa số CCCD, giới tính hoặc ngày sinh.",
            "Check the ID card; correct the ID, the sex or the birth date.",
        ),
        source="Thông tư 59/2021/TT-BCA; docs/domain.md §10",
    ),
    rule(
        "cccd-year-mismatch",
        "error",
        title=(
            "CCCD không khớp năm sinh",
            "Citizen ID does not match birth year",
        ),
        message=(
            'Chữ số 5–6 của CCCD "{value}" là {digits}, không khớp năm sinh {year}.',
            'Digits 5–6 of citizen ID "{value}" are {digits}, not matching the birth year {year}.',
        ),
        fix=(
            "Đối chiếu thẻ CCCD; sửa số CCCD hoặc ngày sinh.",
            "Check the ID card; correct the ID or the birth date.",
        ),
        source="Thông tư 59/2021/TT-BCA; docs/domain.md §10",
    ),
    rule(
        "service-age-exceeded",
        "error",
        title=(
            "Quá hạn tuổi phục vụ",
            "Service-age limit exceeded",
        ),
        message=(
            "{rank} ({sex}) có hạn tuổi phục vụ {limit} ({law}); tại {as_of} đồng chí đã {age}.",
            "{rank} ({sex_en}) has a service-age limit of {limit_en} ({law}); at {as_of} the officer is {age_en}.",
        ),
        fix=(
            "Kiểm tra cấp bậc, ngày sinh, hoặc quyết định kéo dài/nghỉ hưu.",
            "Check the rank, the birth date, or the extension/retirement decision.",
        ),
        source="docs/domain.md §5",
    ),
    rule(
        "service-age-reached-in-term",
        "warning",
        title=(
            "Đến hạn tuổi phục vụ trong nhiệm kỳ",
            "Service-age limit reached within the term",
        ),
        message=(
            "{rank} ({sex}) đến hạn tuổi phục vụ {limit} vào {reach}, trong nhiệm kỳ {term}.",
            "{rank} ({sex_en}) reaches the service-age limit of {limit_en} on {reach}, within the {term} term.",
        ),
        fix=(
            "Lưu ý khi bố trí nhân sự cấp ủy.",
            "Bear it in mind when planning the committee.",
        ),
        source="docs/domain.md §5",
    ),
    rule(
        "rank-age-implausible",
        "warning",
        title=(
            "Cấp bậc bất thường theo tuổi",
            "Unusual rank for age",
        ),
        message=(
            "Cấp bậc {rank} ở tuổi {years} là bất thường (thường từ {min_age} tuổi).",
            "Rank {rank} at age {years} is unusual (usually from {min_age}).",
        ),
        fix=(
            "Kiểm tra cấp bậc và ngày sinh.",
            "Check the rank and the birth date.",
        ),
        source="schemas/codes/rank.yaml",
    ),
    rule(
        "duplicate-card-number",
        "error",
        title=(
            "Trùng số thẻ",
            "Duplicate card number",
        ),
        message=(
            "Số thẻ đảng viên {value} trùng với {others}.",
            "Party card number {value} also appears at {others}.",
        ),
        fix=(
            "Mỗi đảng viên một số thẻ: kiểm tra thẻ của cả hai người.",
            "Each member has their own card: check both people's cards.",
        ),
    ),
    rule(
        "duplicate-cccd",
        "error",
        title=(
            "Trùng CCCD",
            "Duplicate citizen ID",
        ),
        message=(
            "Số CCCD {value} trùng với {others}.",
            "Citizen ID {value} also appears at {others}.",
        ),
        fix=(
            "Kiểm tra CCCD của cả hai người.",
            "Check both people's IDs.",
        ),
    ),
    rule(
        "duplicate-member",
        "error",
        title=(
            "Trùng đảng viên",
            "Duplicate member",
        ),
        message=(
            "Trùng người: cùng họ tên và ngày sinh với {others}.",
            "The same person (name and birth date) also appears at {others}.",
        ),
        fix=(
            "Mỗi đảng viên chỉ sinh hoạt ở một chi bộ: xóa dòng thừa hoặc sửa thông tin.",
            "A member belongs to one cell only: delete the extra row or correct it.",
        ),
    ),
    rule(
        "secretary-missing",
        "error",
        title=(
            "Chi bộ thiếu Bí thư",
            "Cell without secretary",
        ),
        message=(
            "{cell} không có Bí thư trong cột Chức vụ Đảng.",
            "Cell {cell} has no secretary (Bí thư) in the Party post column.",
        ),
        fix=(
            'Ghi "Bí thư" cho đồng chí bí thư chi bộ.',
            'Write "Bí thư" for the cell\'s secretary.',
        ),
        source="Điều lệ Đảng điều 24",
    ),
    rule(
        "secretary-multiple",
        "error",
        title=(
            "Chi bộ có nhiều Bí thư",
            "Cell with several secretaries",
        ),
        message=(
            "{cell} có {count} Bí thư ({others}); mỗi chi bộ chỉ có một.",
            "Cell {cell} has {count} secretaries ({others}); a cell has exactly one.",
        ),
        fix=(
            'Giữ "Bí thư" cho một người; người khác ghi đúng chức vụ.',
            'Keep "Bí thư" for one person only.',
        ),
        source="Điều lệ Đảng điều 24",
    ),
    rule(
        "cell-too-small",
        "warning",
        title=(
            "Chi bộ dưới 3 đảng viên chính thức",
            "Cell below 3 official members",
        ),
        message=(
            "{cell} chỉ có {count} đảng viên chính thức; tối thiểu là {min}.",
            "Cell {cell} has only {count} official members; the minimum is {min}.",
        ),
        fix=(
            "Kiểm tra danh sách, hoặc báo cáo cấp ủy về việc sáp nhập chi bộ.",
            "Check the roster, or raise merging the cell with the committee.",
        ),
        source="Điều lệ Đảng điều 24; docs/domain.md §1",
    ),
    rule(
        "cell-in-two-organisations",
        "info",
        title=(
            "Chi bộ cùng tên ở hai tổ chức đảng",
            "Cells of the same name in two organisations",
        ),
        message=(
            (
                '"{cell}" có trong tệp của {count} tổ chức đảng khác nhau ({organisations}): mỗi chi bộ được kiểm '
                "tra và đếm riêng, tên kèm tổ chức của nó."
            ),
            (
                '"{cell}" is in the files of {count} different Party organisations ({organisations}): each is checked '
                "and counted as a cell of its own, named with its organisation."
            ),
        ),
        fix=(
            "Không cần sửa. Nếu đó là một chi bộ, ghi cùng tên tổ chức ở đầu các tệp.",
            "Nothing to fix. If they are one cell, head the files with the same organisation.",
        ),
    ),
    rule(
        "cell-no-committee",
        "info",
        title=(
            "Chi bộ chưa có chi ủy",
            "Cell without committee",
        ),
        message=(
            (
                "{cell} có {count} đảng viên chính thức (từ {min} trở lên bầu chi ủy) nhưng không ai giữ chức chi ủy "
                "viên/phó bí thư."
            ),
            (
                "Cell {cell} has {count} official members ({min} or more elect a cell committee) but nobody holds a "
                "committee post."
            ),
        ),
        fix=(
            "Ghi chức vụ chi ủy nếu chi bộ đã bầu chi ủy.",
            "Record the committee posts if the cell has elected one.",
        ),
        source="Điều lệ Đảng điều 24",
    ),
)
