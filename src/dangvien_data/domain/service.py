"""How long a member may still serve: police service-age limits (CAND law 2018, amended 2023 with the phase-in
of Decree 57/2023) and the retirement roadmap (Decree 135/2020/NĐ-CP), once for validation, summary and dossier.

The limits are data in ``schemas/roster.yaml`` (``rules.service-age``) and ``schemas/dossier.yaml``
(``rules.retirement``); see docs/domain.md, "Police ranks and service-age limits".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from dangvien_data.domain.dates import add_months, optional_date

__all__ = ["age_text", "limit_reached", "police_limit_by_year", "police_limits", "police_period", "retirement_by_year"]

LimitByYear = Callable[[int], int]  # the year an age is reached -> the limit in months that applies then


def police_period(rules: Mapping[str, Any], at: dt.date) -> Mapping[str, Any] | None:
    """The ``service-age`` period of ``rules`` (schemas/roster.yaml ``rules``) in force at ``at``, if any."""
    for period in rules.get("service-age", {}).get("periods", []):
        start = optional_date(period.get("from")) or dt.date.min
        end = optional_date(period.get("to")) or dt.date.max
        if start <= at <= end:
            return dict(period)
    return None


def police_limit_by_year(period: Mapping[str, Any], group: str, sex: str) -> LimitByYear | None:
    """The limit of rank ``group`` and ``sex`` ("male"/"female") under ``period``, by the year it is reached:
    the phase-in step of that year where the law phases the limit in, else the law's limit."""
    years = (period.get("limits") or {}).get(group, {}).get(sex)
    if years is None:
        return None
    base = int(years) * 12
    steps = (period.get("phase_in") or {}).get(group, {}).get(sex, {})

    def limit(year: int) -> int:
        step = steps.get(year)
        return int(step[0]) * 12 + int(step[1]) if step else base

    return limit


def police_limits(rules: Mapping[str, Any], at: dt.date) -> tuple[dict[tuple[str, str], int], str]:
    """(rank group, sex) -> the service-age limit in months that applies in ``at``'s year, and the law's name."""
    period = police_period(rules, at)
    if period is None:
        return {}, ""
    limits: dict[tuple[str, str], int] = {}
    for group, by_sex in period["limits"].items():
        for sex in by_sex:
            limit = police_limit_by_year(period, group, sex)
            if limit is not None:
                limits[(group, sex)] = limit(at.year)
    return limits, str(period.get("law", ""))


def retirement_by_year(entry: Mapping[str, Any]) -> LimitByYear:
    """The retirement age in months by the year it is reached, from a ``rules.retirement`` entry of one sex:
    a fixed ``age`` [years, months], or a roadmap (``from_year``, ``first``, ``step_months``, ``final``)."""
    base = int(entry["age"][0]) * 12 + int(entry["age"][1])
    if "from_year" not in entry:
        return lambda year: base
    first = int(entry["first"][0]) * 12 + int(entry["first"][1])
    final = int(entry["final"][0]) * 12 + int(entry["final"][1])
    step, start = int(entry["step_months"]), int(entry["from_year"])
    return lambda year: base if year < start else min(first + step * (year - start), final)


def limit_reached(born: dt.date, limit: LimitByYear) -> tuple[dt.date, int]:
    """The day an age limit is reached, and the limit in months, when the limit depends on the year it is
    reached in (a roadmap): the first year whose limit, added to ``born``, falls within that year."""
    for year in range(born.year, born.year + 120):
        months = limit(year)
        day = add_months(born, months)
        if day.year <= year:
            return day, months
    raise AssertionError("no limit reached within 120 years")


def age_text(months: int, lang: str = "vi") -> str:
    """An age in months as words: "61 tuổi 3 tháng" / "61 years 3 months"."""
    years, rest = divmod(months, 12)
    if lang == "en":
        return f"{years} year{'' if years == 1 else 's'}" + (f" {rest} month{'' if rest == 1 else 's'}" if rest else "")
    return f"{years} tuổi" + (f" {rest} tháng" if rest else "")
