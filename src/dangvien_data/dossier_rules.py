"""The dossier's issue catalogue and the service-time arithmetic (retirement and police service-age limits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .dossier_read import DossierSpec, as_date, load_dossier_spec
from .issues import Rule, Severity, register

__all__ = ["add_months", "months_between", "months_of_service_left"]


def _rule(code: str, severity: str, title: tuple[str, str], message: tuple[str, str], fix: tuple[str, str]) -> Rule:
    return Rule(code, Severity(severity), *title, *message, *fix, source="DOMAIN.md §4; schemas/dossier.yaml")


register(
    [
        _rule(
            "document-missing",
            "error",
            ("Thiếu giấy tờ trong hồ sơ", "Document missing from the dossier"),
            ('Hồ sơ thiếu "{document}" ({state}).', 'The dossier lacks "{document}" ({state_en}).'),
            ('Bổ sung giấy tờ rồi đánh dấu "x" hoặc ghi ngày nhận.', 'Add the document, then mark "x" or the date.'),
        ),
        _rule(
            "document-late",
            "warning",
            ("Giấy tờ nộp sau hạn", "Document after the deadline"),
            (
                '"{document}" ghi ngày {value}, sau hạn {due} ({days} ngày làm việc trước đại hội {congress}).',
                '"{document}" is dated {value}, after the deadline {due} ({days} working days before the congress '
                "{congress}).",
            ),
            ("Kiểm tra ngày nhận; báo cáo cấp trên nếu nộp muộn.", "Check the date received; report late filing."),
        ),
        _rule(
            "document-column-missing",
            "error",
            ("Danh mục hồ sơ thiếu cột", "Checklist column missing"),
            (
                'Danh mục hồ sơ không có cột "{document}" (bắt buộc ở nhiệm kỳ {term}).',
                'The documents checklist has no "{document}" column (required in term {term}).',
            ),
            (
                "Thêm cột, hoặc bỏ giấy tờ khỏi documents.required trong schemas/dossier.yaml.",
                "Add the column, or remove the document from documents.required in schemas/dossier.yaml.",
            ),
        ),
        _rule(
            "documents-checklist-missing",
            "error",
            ("Không có danh mục hồ sơ", "No documents checklist"),
            ("Không tìm thấy danh mục hồ sơ trong các tệp đã đọc.", "No documents checklist in the files read."),
            (
                'Thêm trang có cột "Họ và tên" và một cột cho mỗi giấy tờ ({documents}).',
                'Add a sheet with a "Họ và tên" column and one column per document ({documents}).',
            ),
        ),
        _rule(
            "documents-row-missing",
            "error",
            ("Nhân sự không có trong danh mục hồ sơ", "Candidate not in the checklist"),
            (
                "{member} không có dòng nào trong danh mục hồ sơ: thiếu cả {count} giấy tờ.",
                "{member} has no row in the documents checklist: all {count} documents missing.",
            ),
            ("Thêm dòng của đồng chí vào danh mục hồ sơ.", "Add the candidate's row to the checklist."),
        ),
        _rule(
            "documents-row-unmatched",
            "warning",
            ("Dòng hồ sơ không khớp nhân sự", "Checklist row matches no candidate"),
            (
                '"{value}" trong danh mục hồ sơ không có trong danh sách trích ngang.',
                '"{value}" in the documents checklist is not in the candidate list.',
            ),
            ("Sửa họ tên cho khớp, hoặc xóa dòng thừa.", "Correct the name, or delete the extra row."),
        ),
        _rule(
            "cv-field-missing",
            "error",
            ("Sơ yếu lý lịch thiếu thông tin", "CV field missing"),
            ('Sơ yếu lý lịch không ghi "{label}".', 'The CV does not state "{label}".'),
            ("Điền thông tin vào sơ yếu lý lịch.", "Fill it in on the CV."),
        ),
        _rule(
            "cv-mismatch",
            "error",
            ("Sơ yếu lý lịch khác danh sách trích ngang", "CV disagrees with the candidate list"),
            (
                'Sơ yếu lý lịch ghi {label} "{value}" nhưng danh sách trích ngang ghi "{other}" ({other_place}).',
                'The CV gives {label} "{value}" but the candidate list has "{other}" ({other_place}).',
            ),
            ("Đối chiếu giấy tờ gốc, sửa bên sai.", "Check the original papers and correct the wrong one."),
        ),
        _rule(
            "cv-unmatched",
            "warning",
            ("Sơ yếu lý lịch không khớp nhân sự", "CV matches no candidate"),
            (
                'Sơ yếu lý lịch của "{value}" không khớp nhân sự nào trong danh sách trích ngang.',
                'The CV of "{value}" matches no candidate of the candidate list.',
            ),
            ("Sửa họ tên, ngày sinh cho khớp.", "Make the name and birth date agree."),
        ),
        _rule(
            "cv-sheet-missing",
            "error",
            ("Thiếu sơ yếu lý lịch", "CV missing"),
            ("Không có sơ yếu lý lịch của {member}.", "There is no CV for {member}."),
            ("Thêm trang sơ yếu lý lịch (mẫu 2C/TCTW-98).", "Add a CV sheet (form 2C/TCTW-98)."),
        ),
        _rule(
            "candidate-not-in-roster",
            "error",
            ("Nhân sự không có trong danh sách đảng viên", "Candidate not in the roster"),
            (
                "Không tìm thấy {member} trong danh sách đảng viên (theo số thẻ, rồi theo họ tên và ngày sinh).",
                "{member} is not in the roster (searched by card number, then by name and birth date).",
            ),
            (
                "Kiểm tra họ tên, ngày sinh, số thẻ; hoặc bổ sung đảng viên vào danh sách.",
                "Check the name, birth date and card number, or add the member to the roster.",
            ),
        ),
        _rule(
            "roster-mismatch",
            "error",
            ("Hồ sơ khác danh sách đảng viên", "Dossier disagrees with the roster"),
            (
                '{label} ghi "{value}" nhưng danh sách đảng viên ghi "{other}" ({other_place}).',
                '{label} is "{value}" but the roster has "{other}" ({other_place}).',
            ),
            ("Đối chiếu hồ sơ gốc, sửa bên sai.", "Check the member's file and correct the wrong one."),
        ),
        _rule(
            "candidate-probationary",
            "error",
            ("Đảng viên dự bị không được ứng cử", "Probationary member cannot stand"),
            (
                "Tại ngày đại hội {congress} còn là đảng viên dự bị (vào Đảng {admitted}, chính thức từ {official}): "
                "đảng viên dự bị không có quyền ứng cử.",
                "At the congress date {congress} still a probationary member (admitted {admitted}, official from "
                "{official}): probationary members cannot stand for election.",
            ),
            ("Đưa ra khỏi danh sách nhân sự.", "Remove the candidate from the list."),
        ),
        _rule(
            "candidate-service-time-short",
            "error",
            ("Không đủ thời gian công tác", "Not enough service time left"),
            (
                "Từ tháng đại hội {congress} còn {months} tháng công tác (đến hạn tháng {reach}, {basis}); "
                "{election} cần ít nhất {threshold} tháng ({directive}).",
                "From the congress month {congress} {months} months of service are left (limit reached {reach}, "
                "{basis_en}); {election_en} needs at least {threshold} months ({directive}).",
            ),
            (
                "Kiểm tra ngày sinh, cấp bậc; nếu đúng thì không đủ điều kiện ứng cử.",
                "Check the birth date and rank; if they are right, the candidate is not eligible.",
            ),
        ),
        _rule(
            "eligibility-unknown",
            "warning",
            ("Không tính được điều kiện ứng cử", "Eligibility cannot be computed"),
            (
                "Không tính được thời gian công tác còn lại: {reason}.",
                "Service time left cannot be computed: {reason_en}.",
            ),
            ("Bổ sung thông tin còn thiếu.", "Fill in what is missing."),
        ),
        _rule(
            "election-missing",
            "error",
            ("Chưa rõ lần đầu hay tái cử", "First time or re-election not stated"),
            (
                "Không xác định được tham gia lần đầu hay tái cử (để trống hoặc đánh dấu cả hai); "
                "tạm dùng ngưỡng của người tham gia lần đầu.",
                "First time or re-election cannot be told (empty, or both marked); the first-time threshold is used.",
            ),
            ('Ghi "Tham gia lần đầu" hoặc "Tái cử".', 'Write "Tham gia lần đầu" or "Tái cử".'),
        ),
        *(
            _rule(
                f"unknown-{slug}",
                "warning",
                (f"Giá trị ngoài danh mục ({slug})", f"Value not in code list ({slug})"),
                (
                    '"{value}" không có trong danh mục {title}.{hint_vi}',
                    '"{value}" is not in the {title} code list.{hint_en}',
                ),
                (
                    "Chọn một giá trị trong schemas/dossier.yaml (codes).",
                    "Use a value of schemas/dossier.yaml (codes).",
                ),
            )
            for slug in ("election", "proposed-post")
        ),
        _rule(
            "women-below-target",
            "warning",
            ("Tỷ lệ nữ dưới chỉ tiêu", "Women below target"),
            (
                "Nữ {count}/{total} nhân sự = {percent}%, dưới chỉ tiêu {target}%.",
                "Women are {count} of {total} candidates = {percent}%, below the {target}% target.",
            ),
            ("Xem xét bổ sung nhân sự nữ.", "Consider adding women candidates."),
        ),
        _rule(
            "btv-no-woman",
            "warning",
            ("Không có nữ dự kiến Ban Thường vụ", "No woman proposed for the standing committee"),
            (
                "Trong {count} nhân sự dự kiến Ban Thường vụ không có nữ (CT 35/2019: có nữ trong Ban Thường vụ).",
                "None of the {count} candidates proposed for the standing committee is a woman (CT 35/2019).",
            ),
            ("Xem xét cơ cấu nữ trong Ban Thường vụ.", "Consider a woman for the standing committee."),
        ),
        _rule(
            "age-structure-off-target",
            "info",
            ("Cơ cấu tuổi chưa đạt", "Age structure off target"),
            (
                "Dưới {under} tuổi: {count}/{total} = {percent}%, dưới mức {target}%.",
                "Under {under}: {count} of {total} = {percent}%, below {target}%.",
            ),
            ("Cấp cơ sở: đối chiếu hướng dẫn của cấp tỉnh.", "Grassroots level: check the provincial guidance."),
        ),
        _rule(
            "candidates-exceed-seats",
            "error",
            ("Số dư vượt mức", "Too many candidates"),
            (
                "{count} nhân sự cho {seats} chỉ tiêu: dư {surplus}%, vượt mức tối đa {max_percent}% "
                "(tối đa {max} người).",
                "{count} candidates for {seats} seats: {surplus}% more, above the {max_percent}% maximum "
                "(at most {max}).",
            ),
            ("Giảm số nhân sự, hoặc kiểm tra --seats.", "Reduce the candidates, or check --seats."),
        ),
        _rule(
            "candidates-below-seats",
            "error",
            ("Ít nhân sự hơn số cần bầu", "Fewer candidates than seats"),
            ("{count} nhân sự, ít hơn {seats} chỉ tiêu cần bầu.", "{count} candidates, fewer than the {seats} seats."),
            ("Bổ sung nhân sự, hoặc kiểm tra --seats.", "Add candidates, or check --seats."),
        ),
        _rule(
            "seats-not-given",
            "info",
            ("Chưa biết số cần bầu", "Seats not given"),
            (
                "Chưa biết số cấp ủy viên cần bầu nên không kiểm tra số dư.",
                "The number of seats is not known, so the candidate surplus is not checked.",
            ),
            ("Chạy lại với --seats N.", "Run again with --seats N."),
        ),
    ]
)


# --- service time -------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day is reached)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _age_text(months: int, lang: str = "vi") -> str:
    years, rest = divmod(months, 12)
    if lang == "en":
        return f"{years} years" + (f" {rest} months" if rest else "")
    return f"{years} tuổi" + (f" {rest} tháng" if rest else "")


def _reach(born: dt.date, limit: Callable[[int], int]) -> tuple[dt.date, int]:
    """The day the age limit is reached when the limit depends on the year it is reached in (a roadmap)."""
    for year in range(born.year, born.year + 120):
        months = limit(year)
        day = add_months(born, months)
        if day.year <= year:
            return day, months
    raise AssertionError("no limit reached within 120 years")


def _general_limit(entry: Mapping[str, Any]) -> Callable[[int], int]:
    base = int(entry["age"][0]) * 12 + int(entry["age"][1])
    if "from_year" not in entry:
        return lambda year: base
    first = int(entry["first"][0]) * 12 + int(entry["first"][1])
    final = int(entry["final"][0]) * 12 + int(entry["final"][1])
    step, start = int(entry["step_months"]), int(entry["from_year"])
    return lambda year: base if year < start else min(first + step * (year - start), final)


def _police_period(spec: DossierSpec, at: dt.date) -> Mapping[str, Any] | None:
    for period in spec.roster.rules.get("service-age", {}).get("periods", []):
        start = as_date(period.get("from")) or dt.date.min
        end = as_date(period.get("to")) or dt.date.max
        if start <= at <= end:
            return dict(period)
    return None


def months_of_service_left(
    born: dt.date, sex: str, rank: str | None, at: dt.date, retirement: str, spec: DossierSpec | None = None
) -> tuple[int, dt.date, str, str]:
    """Calendar months from the month of ``at`` to the month the age limit is reached, and its basis.

    A police rank (schemas/codes/rank.yaml ``group``) takes the service-age limit of schemas/roster.yaml in force
    at ``at``, its phase-in by the year the limit is reached; anyone else the retirement roadmap ``retirement``
    of schemas/dossier.yaml. Retirement falls at the end of the month the age is reached, so months are
    counted by calendar month, as CT 35/2019's birth cut-offs are.

    Args:
        born: birth date.
        sex: ``"male"`` or ``"female"``.
        rank: the canonical police rank, or None for the general roadmap.
        at: the congress date.
        retirement: a key of ``rules.retirement`` in schemas/dossier.yaml.
        spec: the dossier schema.

    Returns:
        ``(months_left, reach_date, basis_vi, basis_en)``.

    Example:
        >>> months_of_service_left(dt.date(1965, 9, 1), "male", None, dt.date(2020, 9, 15), "labour-code-2012")[0]
        60
    """
    spec = spec or load_dossier_spec()
    sex_vi, sex_en = ("nam", "men") if sex == "male" else ("nữ", "women")
    group = spec.roster.codes["rank"].attributes.get(rank or "", {}).get("group")
    period = _police_period(spec, at) if group else None
    if period and group in period.get("limits", {}):
        base = int(period["limits"][group][sex]) * 12
        steps = (period.get("phase_in") or {}).get(group, {}).get(sex, {})

        def police(year: int) -> int:
            step = steps.get(year)
            return int(step[0]) * 12 + int(step[1]) if step else base

        day, limit = _reach(born, police)
        law = str(period.get("law", ""))
        basis_vi = f"hạn tuổi phục vụ {rank} {sex_vi} {_age_text(limit)}, {law}"
        basis_en = f"service-age limit of a {rank} ({sex_en}) {_age_text(limit, 'en')}, {law}"
    else:
        entry = spec.rules["retirement"][retirement]
        day, limit = _reach(born, _general_limit(entry[sex]))
        basis_vi = f"tuổi nghỉ hưu {sex_vi} {_age_text(limit)}, {entry.get('law', '')}"
        basis_en = f"retirement age of {sex_en} {_age_text(limit, 'en')}, {entry.get('law', '')}"
    left = (day.year * 12 + day.month) - (at.year * 12 + at.month)
    return left, day, basis_vi, basis_en
