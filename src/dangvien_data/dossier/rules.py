"""The dossier's issue catalogue and the service-time arithmetic (retirement and police service-age limits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from dangvien_data.dossier.read import DossierSpec, as_date, load_dossier_spec

__all__ = ["add_months", "months_between", "months_of_service_left"]


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
