"""Eligibility figures at the congress date and the structure of the candidate list, with their checks.

Eligibility: an official member (Charter art. 3 and 5), and at least the term's months of service left before
the retirement age or the police service-age limit (CT 35-CT/TW 2019, CT 45-CT/TW 2025; Luật CAND). The verdict
that combines these with the other conditions is :func:`~dangvien_data.dossier.verdict.verdicts`.
Structure (CT 35/2019, CT 45/2025, QĐ 190): women, age bands, first time / re-election, ethnic minority,
candidates against seats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pandas as pd

from dangvien_data.domain.dates import add_months, months_between
from dangvien_data.domain.values import DAY_FORMAT, is_missing, number, shown
from dangvien_data.dossier.checks import DossierContext, cell_value, severity_of
from dangvien_data.dossier.rules import months_of_service_left
from dangvien_data.issues import Issue

__all__ = ["check_eligibility", "check_structure", "eligibility", "structure"]


def _false(value: Any) -> bool:
    """A criterion known to fail (not merely unknown)."""
    return not is_missing(value) and not bool(value)


def _sex_key(ctx: DossierContext, value: Any) -> str | None:
    values = ctx.spec.candidates.codes["sex"].values
    return {values[0]: "male", values[1]: "female"}.get(value) if not is_missing(value) else None


def eligibility(ctx: DossierContext) -> pd.DataFrame:
    """One row per candidate: age, Party age, official, months of service left against the term's threshold.

    These are figures for :func:`~dangvien_data.dossier.verdict.verdicts`, which alone decides eligibility.
    """
    rules = ctx.term_rules
    codes = ctx.spec.candidates.codes["election"]
    first_time = codes.attribute("first_time", True)
    rows = []
    for idx in ctx.frame.index:
        row: dict[str, Any] = {"idx": idx}
        born, admitted = _date(ctx.col("birth_date").get(idx)), _date(ctx.col("admitted_on").get(idx))
        official_on = _date(ctx.col("official_on").get(idx)) or (admitted and add_months(admitted, 12))
        row["age"] = months_between(born, ctx.day) if born else None
        row["party_age"] = months_between(admitted, ctx.day) if admitted else None
        row["official_on"] = official_on
        row["official"] = None if official_on is None else official_on <= ctx.day
        election = ctx.col("election").get(idx)
        is_first = True if is_missing(election) else bool(first_time.get(str(election), True))
        row["threshold"] = int(rules["first_time_months" if is_first else "re_election_months"])
        row.update(_service(ctx, idx, born))
        left = row.get("months_left")
        row["service_ok"] = None if left is None else left >= row["threshold"]
        row["in_roster"] = not is_missing(ctx.in_roster.get(idx, pd.NA))
        rows.append(row)
    return pd.DataFrame(rows, index=ctx.frame.index, columns=_ELIGIBILITY_KEYS)


_ELIGIBILITY_KEYS = [
    "idx",
    "age",
    "party_age",
    "official_on",
    "official",
    "threshold",
    "months_left",
    "reach",
    "basis_vi",
    "basis_en",
    "reason_vi",
    "reason_en",
    "reason_field",
    "service_ok",
    "in_roster",
]


def _date(value: Any) -> dt.date | None:
    return None if is_missing(value) else pd.Timestamp(value).date()


def _service(ctx: DossierContext, idx: Any, born: dt.date | None) -> dict[str, Any]:
    sex = _sex_key(ctx, ctx.col("sex").get(idx))
    rank = ctx.col("rank").get(idx)
    found = ctx.in_roster.get(idx, pd.NA)
    if is_missing(rank) and not is_missing(found) and "rank" in ctx.roster.frame:
        # no rank on the list (no column, or an empty cell): the roster's, so that an officer's service-age
        # limit is never replaced by the general retirement age
        rank = ctx.roster.frame.at[found, "rank"]
    rank = None if is_missing(rank) else str(rank)
    ranks = ctx.spec.roster.codes["rank"]
    if rank is not None and rank not in ranks.values:
        return {
            "reason_vi": f'cấp bậc "{rank}" không có trong danh mục',
            "reason_en": f'rank "{rank}" is not known',
            "reason_field": "rank",
        }
    if born is None:
        return {"reason_vi": "thiếu ngày sinh", "reason_en": "the birth date is missing", "reason_field": "birth_date"}
    if sex is None:
        return {"reason_vi": "thiếu giới tính", "reason_en": "the sex is missing", "reason_field": "sex"}
    left, reach, basis_vi, basis_en = months_of_service_left(
        born, sex, rank, ctx.day, str(ctx.term_rules["retirement"]), ctx.spec
    )
    return {"months_left": left, "reach": reach, "basis_vi": basis_vi, "basis_en": basis_en}


def check_eligibility(ctx: DossierContext, table: pd.DataFrame) -> Iterator[Issue]:
    """Official members only; months of service left at least the term's threshold."""
    directive = str(ctx.term_rules.get("directive", ""))
    elections = ctx.col("election")
    for idx, row in table.iterrows():
        if _false(row["official"]):
            name = "official_on" if "official_on" in ctx.frame else "admitted_on"
            yield ctx.issue(
                "candidate-probationary",
                idx,
                name,
                congress=ctx.day.strftime(DAY_FORMAT),
                admitted=shown(ctx.col("admitted_on").get(idx)),
                official=shown(row["official_on"]),
            )
        if _false(row["service_ok"]):
            first = is_missing(elections.get(idx)) or row["threshold"] == int(ctx.term_rules["first_time_months"])
            yield ctx.issue(
                "candidate-service-time-short",
                idx,
                "birth_date",
                congress=ctx.day.strftime("%m/%Y"),
                months=row["months_left"],
                reach=row["reach"].strftime("%m/%Y"),
                basis=row["basis_vi"],
                basis_en=row["basis_en"],
                threshold=row["threshold"],
                directive=directive,
                election="người tham gia lần đầu" if first else "người tái cử",
                election_en="a first-time candidate" if first else "re-election",
            )
        elif is_missing(row["service_ok"]) and isinstance(row["reason_vi"], str):
            name = str(row["reason_field"])
            yield ctx.issue("eligibility-unknown", idx, name, reason=row["reason_vi"], reason_en=row["reason_en"])


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def structure(ctx: DossierContext, table: pd.DataFrame) -> pd.DataFrame:
    """The structure table: candidates vs seats, women, age bands, first time / re-election, ethnic minority.

    Targets are compared in integers (``women × 100 ≥ total × 15``), so 3 of 20 meets 15% and no rounding of a
    printed percentage decides a verdict.
    """
    rules = ctx.spec.rules
    total = len(ctx.frame)
    codes = ctx.spec.candidates.codes
    women = int((ctx.col("sex").map(lambda v: _sex_key(ctx, v)) == "female").sum())
    years = table["age"].dropna().astype(int) // 12
    bands = rules.get("age_bands", {})
    under, over = int(bands.get("under", 40)), int(bands.get("over", 50))
    minority = codes["ethnicity"].attribute("minority", True)
    first_time = codes["election"].attribute("first_time", True)
    election = ctx.col("election").map(lambda v: None if is_missing(v) else first_time.get(v))
    women_target = rules.get("women", {}).get("min_percent")
    young_target = bands.get("under_min_percent")
    surplus = int(rules.get("candidates", {}).get("max_surplus_percent", 30))
    seats = ctx.seats
    rows: list[tuple[Any, ...]] = []

    def add(
        metric: str, vi: str, en: str, count: int | None, target: Any = None, ok: bool | None = None, of: int = total
    ) -> None:
        share = _percent(count, of) if count is not None and metric not in {"seats", "max_candidates"} else None
        rows.append((metric, vi, en, count, share, target, ok))

    add("candidates", "Số nhân sự", "Candidates", total)
    if seats is not None:
        add("seats", "Số cần bầu", "Seats", seats)
        add(
            "max_candidates",
            f"Tối đa (dư {surplus}%)",
            f"Maximum ({surplus}% more)",
            seats * (100 + surplus) // 100,
            ok=seats <= total and total * 100 <= seats * (100 + surplus),
        )
    add(
        "women",
        "Nữ",
        "Women",
        women,
        women_target,
        None if women_target is None else women * 100 >= total * women_target,
    )
    young = int((years < under).sum())
    add(
        f"under_{under}",
        f"Dưới {under} tuổi",
        f"Under {under}",
        young,
        young_target,
        None if young_target is None else young * 100 >= total * young_target,
    )
    add(
        f"age_{under}_{over}",
        f"Từ {under} đến {over} tuổi",
        f"{under} to {over}",
        int(((years >= under) & (years <= over)).sum()),
    )
    add(f"over_{over}", f"Trên {over} tuổi", f"Over {over}", int((years > over).sum()))
    add("first_time", "Tham gia lần đầu", "First time", int(election.eq(True).sum()))
    add("re_election", "Tái cử", "Re-election", int(election.eq(False).sum()))
    add(
        "ethnic_minority", "Dân tộc thiểu số", "Ethnic minority", int(ctx.col("ethnicity").map(minority).eq(True).sum())
    )
    btv = codes["proposed_post"].attribute("btv", False)
    on_btv = ctx.col("proposed_post").map(btv).eq(True)
    add("btv", "Dự kiến Ban Thường vụ", "Proposed for the standing committee", int(on_btv.sum()))
    # the share of women below is of the standing-committee candidates, not of all candidates
    add(
        "btv_women",
        "Nữ trong số dự kiến Ban Thường vụ",
        "Women among them",
        int((on_btv & ctx.col("sex").map(lambda v: _sex_key(ctx, v)).eq("female")).sum()),
        of=int(on_btv.sum()),
    )
    return pd.DataFrame(rows, columns=["metric", "label_vi", "label_en", "count", "percent", "target", "ok"])


def _header_issue(ctx: DossierContext, code: str, name: str, **params: Any) -> Issue:
    """A structure issue, placed on the candidate list's header cell of ``name``."""
    source = ctx.table.sources[0]
    # Sex may be recorded only by the birth date's "Nam"/"Nữ" sub-columns (a sub-header: the header's last row).
    keys = {"sex": ["sex", "birth_date__female", "birth_date__male"]}.get(name, [name, f"{name}__female"])
    key = next((k for k in [*keys, "full_name"] if k in source.columns), None)
    column = source.columns[key] if key else None
    row = source.header_rows[-1] if key and "__" in key else source.header_rows[0]
    ref = f"{column.letter}{row}" if column else f"A{row}"
    return Issue(
        code,
        severity_of(code),
        file=source.file,
        sheet=source.sheet,
        ref=ref,
        row=row,
        column=column.header if column else None,
        field=name,
        params=params,
    )


def check_structure(ctx: DossierContext, table: pd.DataFrame) -> Iterator[Issue]:
    """Candidates against seats (at most 30% more), women against 15%, a woman for the BTV, under-40 share."""
    counts = table.set_index("metric")["count"]
    total = int(counts["candidates"])
    surplus = int(ctx.spec.rules.get("candidates", {}).get("max_surplus_percent", 30))
    if ctx.seats is None:
        yield _header_issue(ctx, "seats-not-given", "full_name")
    elif total < ctx.seats:
        yield _header_issue(ctx, "candidates-below-seats", "full_name", count=total, seats=ctx.seats)
    elif total * 100 > ctx.seats * (100 + surplus):
        yield _header_issue(
            ctx,
            "candidates-exceed-seats",
            "full_name",
            count=total,
            seats=ctx.seats,
            max_percent=surplus,
            max=ctx.seats * (100 + surplus) // 100,
            surplus=number(100 * (total - ctx.seats) / ctx.seats),
            surplus_en=number(100 * (total - ctx.seats) / ctx.seats, "en"),
        )
    women = ctx.spec.rules.get("women", {})
    row = table.set_index("metric")
    if _false(row.at["women", "ok"]):
        yield _header_issue(
            ctx,
            "women-below-target",
            "sex",
            count=int(counts["women"]),
            total=total,
            percent=number(cell_value(row, "women", "percent")),
            percent_en=number(cell_value(row, "women", "percent"), "en"),
            target=women.get("min_percent"),
        )
    if women.get("btv_woman") and counts["btv"] and not counts["btv_women"]:
        yield _header_issue(ctx, "btv-no-woman", "proposed_post", count=int(counts["btv"]))
    young = next(m for m in row.index if m.startswith("under_"))
    if _false(row.at[young, "ok"]):
        yield _header_issue(
            ctx,
            "age-structure-off-target",
            "birth_date",
            under=young.removeprefix("under_"),
            count=int(counts[young]),
            total=total,
            percent=number(cell_value(row, young, "percent")),
            percent_en=number(cell_value(row, young, "percent"), "en"),
            target=row.at[young, "target"],
        )
