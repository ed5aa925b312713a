"""The dossier's issue catalogue and the service-time arithmetic (retirement and police service-age limits)."""

from __future__ import annotations

import datetime as dt

from dangvien_data.domain.service import (
    age_text,
    limit_reached,
    police_limit_by_year,
    police_period,
    retirement_by_year,
)
from dangvien_data.dossier.read import DossierSpec, load_dossier_spec

__all__ = ["months_of_service_left"]


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
    period = police_period(spec.roster.rules, at) if group else None
    police = police_limit_by_year(period, str(group), sex) if period else None
    if period and police:
        day, limit = limit_reached(born, police)
        law = str(period.get("law", ""))
        basis_vi = f"hạn tuổi phục vụ {rank} {sex_vi} {age_text(limit)}, {law}"
        basis_en = f"service-age limit of a {rank} ({sex_en}) {age_text(limit, 'en')}, {law}"
    else:
        entry = spec.rules["retirement"][retirement]
        day, limit = limit_reached(born, retirement_by_year(entry[sex]))
        basis_vi = f"tuổi nghỉ hưu {sex_vi} {age_text(limit)}, {entry.get('law', '')}"
        basis_en = f"retirement age of {sex_en} {age_text(limit, 'en')}, {entry.get('law', '')}"
    left = (day.year * 12 + day.month) - (at.year * 12 + at.month)
    return left, day, basis_vi, basis_en
