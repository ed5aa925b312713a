"""Issues of the summaries: declared counts against the roster, the roll-forward, the organisation."""

from __future__ import annotations

from dangvien_data.catalogue.rule import Rule, rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (
    rule(
        "organisation-below-committee-size",
        "warning",
        title=(
            "Đảng bộ dưới 30 đảng viên",
            "Party committee below 30 members",
        ),
        message=(
            ("Tổ chức có {cells} chi bộ nhưng chỉ {count} đảng viên; từ {min} đảng viên trở lên mới là đảng bộ cơ sở."),
            "The organisation has {cells} cells but only {count} members; a grassroots Party committee needs {min}.",
        ),
        fix=(
            "Kiểm tra danh sách có thiếu chi bộ không, hoặc báo cáo cấp trên về mô hình tổ chức (chi bộ cơ sở).",
            "Check for missing cells, or raise the form of organisation (grassroots cell) with the level above.",
        ),
        source="Điều lệ Đảng điều 21; docs/domain.md §1",
    ),
    rule(
        "congress-delegate",
        "info",
        title=(
            "Đại hội đại biểu",
            "Delegate congress",
        ),
        message=(
            "{count} đảng viên (từ {min} trở lên): nhiệm kỳ {term} tổ chức đại hội đại biểu.",
            "{count} members ({min} or more): the {term} congress is a delegate congress.",
        ),
        fix=(
            "",
            "",
        ),
        source="CT 35-CT/TW 2019; docs/domain.md §1",
    ),
    rule(
        "congress-threshold-unknown",
        "info",
        title=(
            "Chưa rõ hình thức đại hội",
            "Congress type unknown",
        ),
        message=(
            "Chưa có ngưỡng đại hội đại biểu cho nhiệm kỳ {term} trong schemas/summary.yaml.",
            "schemas/summary.yaml has no delegate-congress threshold for the {term} term.",
        ),
        fix=(
            "Bổ sung organisation.congress trong schemas/summary.yaml theo văn bản hướng dẫn.",
            "Add organisation.congress to schemas/summary.yaml from the guidance in force.",
        ),
        source="docs/domain.md §1",
    ),
    rule(
        "declared-count-mismatch",
        "error",
        title=(
            "Số báo cáo khác danh sách",
            "Declared count differs from the roster",
        ),
        message=(
            (
                '{cell}: "{metric}" báo cáo {declared} (ô {ref}), tính từ danh sách {derived}; chênh lệch '
                "{difference}.{explain_vi}"
            ),
            (
                '{cell}: "{metric_en}" declared {declared} (cell {ref}), {derived} from the roster; difference '
                "{difference}.{explain_en}"
            ),
        ),
        fix=(
            "Sửa số báo cáo cho khớp danh sách, hoặc sửa danh sách nếu số báo cáo đúng.",
            "Correct the declared figure, or the roster if the declared figure is right.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "declared-total-mismatch",
        "error",
        title=(
            "Dòng tổng cộng khác danh sách",
            "Declared total differs from the roster",
        ),
        message=(
            (
                'Dòng tổng cộng: "{metric}" báo cáo {declared} (ô {ref}), tính từ danh sách {derived}; chênh lệch '
                "{difference}."
            ),
            (
                'Total row: "{metric_en}" declared {declared} (cell {ref}), {derived} from the roster; difference '
                "{difference}."
            ),
        ),
        fix=(
            "Sửa dòng tổng cộng (và các dòng chi bộ) cho khớp danh sách.",
            "Correct the total row (and the cell rows) to agree with the roster.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "declared-arithmetic",
        "error",
        title=(
            "Số báo cáo không tự khớp",
            "Declared sheet does not add up",
        ),
        message=(
            '{where}: "{metric}" ghi {declared} (ô {ref}) nhưng {formula} = {derived}; chênh lệch {difference}.',
            (
                '{where_en}: "{metric_en}" reads {declared} (cell {ref}) but {formula_en} = {derived}; difference '
                "{difference}."
            ),
        ),
        fix=(
            "Cộng lại và sửa số trên báo cáo.",
            "Add the figures up again and correct the sheet.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "declared-cell-unknown",
        "error",
        title=(
            "Chi bộ trong báo cáo không có trong danh sách",
            "Declared cell not in roster",
        ),
        message=(
            'Dòng "{cell}" (ô {ref}) không khớp chi bộ nào của danh sách.{hint_vi}',
            'Row "{cell}" (cell {ref}) matches no cell of the roster.{hint_en}',
        ),
        fix=(
            'Ghi tên chi bộ như trong danh sách (có thể bỏ chữ "Chi bộ").',
            'Write the cell\'s name as the roster does ("Chi bộ" may be left out).',
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "declared-cell-missing",
        "error",
        title=(
            "Chi bộ thiếu trong báo cáo",
            "Cell missing from the declared sheet",
        ),
        message=(
            "{cell} có {derived} đảng viên trong danh sách nhưng không có dòng nào trong báo cáo.",
            "{cell} has {derived} members on the roster but no row in the declared sheet.",
        ),
        fix=(
            "Thêm dòng của chi bộ vào báo cáo.",
            "Add the cell's row to the declared sheet.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "declared-not-a-number",
        "error",
        title=(
            "Ô báo cáo không phải số",
            "Declared figure is not a number",
        ),
        message=(
            'Ô {ref} ("{metric}", {cell}) ghi "{value}": không phải số.',
            'Cell {ref} ("{metric_en}", {cell}) holds "{value}": not a number.',
        ),
        fix=(
            "Gõ lại con số (không kèm chữ).",
            "Type the number again, without words.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "movement-unexplained",
        "error",
        title=(
            "Biến động không được giải thích",
            "Unexplained change",
        ),
        message=(
            "{kind_vi} {member} ({place}) không có dòng biến động nào giải thích.",
            "{kind_en} {member} ({place}) is explained by no movement row.",
        ),
        fix=(
            (
                "Bổ sung dòng biến động (kết nạp, chuyển đến, chuyển đi, từ trần, chuyển sinh hoạt nội bộ …) hoặc sửa "
                "danh sách."
            ),
            "Add the movement (admission, transfer, death, move between cells …) or correct the roster.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "movement-not-reflected",
        "error",
        title=(
            "Biến động không thấy trên danh sách",
            "Movement not seen on the rosters",
        ),
        message=(
            'Biến động "{category}" của {member} (ô {ref}) không thấy trên hai danh sách: {reason_vi}.',
            'Movement "{category_en}" of {member} (cell {ref}) is not seen on the two rosters: {reason_en}.',
        ),
        fix=(
            "Kiểm tra họ tên, ngày sinh, số thẻ trên tệp biến động và danh sách.",
            "Check the name, birth date and card number in the movements file and the rosters.",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "movement-category-unknown",
        "error",
        title=(
            "Loại biến động không rõ",
            "Unknown movement category",
        ),
        message=(
            'Loại biến động "{value}" không có trong danh mục.',
            'Movement category "{value}" is not known.',
        ),
        fix=(
            "Dùng một loại trong schemas/summary.yaml (kết nạp, chuyển đến, chuyển đi, từ trần, …).",
            "Use a category of schemas/summary.yaml (kết nạp, chuyển đến, chuyển đi, từ trần, …).",
        ),
        source="docs/domain.md §2",
    ),
    rule(
        "rollforward-identity",
        "error",
        title=(
            "Đầu kỳ + vào − ra ≠ cuối kỳ",
            "Start + in − out ≠ end",
        ),
        message=(
            (
                "{cell}: đầu kỳ {start} + vào {inflow} − ra {outflow} = {declared}, nhưng danh sách cuối kỳ có "
                "{derived}; chênh lệch {difference}."
            ),
            (
                "{cell}: start {start} + in {inflow} − out {outflow} = {declared}, but the roster at the end has "
                "{derived}; difference {difference}."
            ),
        ),
        fix=(
            "Đối chiếu biến động của chi bộ với hai danh sách.",
            "Check the cell's movements against both rosters.",
        ),
        source="docs/domain.md §2",
    ),
)
