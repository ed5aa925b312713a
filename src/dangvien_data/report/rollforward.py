"""The roll-forward of a roster between two dates with its movements.

Does the roster at the end of a period follow from the roster at its start and the movements recorded in
between (start + in − out = end per cell), and is every arrival, departure and move explained
(docs/domain.md §2)?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dangvien_data import options
from dangvien_data.domain.cells import cell_key
from dangvien_data.domain.dates import as_date
from dangvien_data.domain.vntext import name_key, name_key_series
from dangvien_data.errors import InputError, display_name
from dangvien_data.issues import Issue, Severity, count_by_severity
from dangvien_data.report.summary import (
    Difference,
    SummarySpec,
    load_summary_spec,
    member_flags,
)
from dangvien_data.report.tables import row_texts, table_key
from dangvien_data.roster.model import Roster, column_letter
from dangvien_data.roster.normalise import parse_dates
from dangvien_data.roster.reader import HEADER_SCAN_ROWS, expand_paths, is_numbering_row, read_sheets
from dangvien_data.roster.schemas import RosterSpec, load_roster_spec

__all__ = [
    "Movements",
    "RollForward",
    "read_movements",
    "roll_forward",
]


@dataclass(frozen=True)
class Movements:
    """A movements sheet (biến động): one row per admission, transfer, death, move between cells …

    ``frame`` columns: ``category`` (key of schemas/summary.yaml), ``direction`` (in, out, internal, status),
    ``full_name``, ``birth_date``, ``card_number``, ``cell``, ``cell_to``, ``date``, ``file``, ``sheet``, ``row``,
    ``ref`` (A1 ref of the category cell).
    """

    frame: pd.DataFrame
    issues: tuple[Issue, ...] = ()


_MOVEMENT_FIELDS = ("full_name", "birth_date", "card_number", "category", "date", "cell", "cell_to", "note")


def read_movements(path: str | Path, *, summary_spec: SummarySpec | None = None) -> Movements:
    """Read a movements sheet: its header is found by the headers of schemas/summary.yaml ``movements.columns``.

    Args:
        path: the workbook holding the movements (one row per admission, transfer, death …).
        summary_spec: the summary schema; schemas/summary.yaml when None.

    Returns:
        The movements with the sheet row of each.

    Raises:
        FileNotFoundInputError: the path does not exist.
        WorkbookError: the file cannot be read.
        InputError: no sheet has the columns "Họ và tên" and "Loại biến động" (or their aliases).
    """
    path = options.path(path, "movements")
    sspec = summary_spec or load_summary_spec()
    spec = sspec.data["movements"]
    keys = {
        table_key(t): name
        for name, entry in spec["columns"].items()
        for t in (entry["header"], *(entry.get("aliases") or []))
    }
    file = expand_paths([path])[0]
    for sheet, _visible, grid in read_sheets(file):
        for row in grid.index.to_list()[:HEADER_SCAN_ROWS]:
            found: dict[str, int] = {}
            for col, text in row_texts(grid, int(row)).items():
                found.setdefault(keys.get(table_key(text), ""), col)
            if {"full_name", "category"} <= set(found):
                return _movement_frame(display_name(file), sheet, grid, int(row), found, sspec)
    msg_vi = (
        f'Tệp {file} không có bảng biến động (cần các cột "Họ và tên" và "Loại biến động"). Kiểm tra '
        "đúng tệp, hoặc sửa tiêu đề cột theo schemas/summary.yaml (movements.columns)."
    )
    msg_en = (
        f'{file} has no movements table (columns "Họ và tên" and "Loại biến động" are needed). Check '
        "the file, or rename the headers as in schemas/summary.yaml (movements.columns)."
    )
    raise InputError(msg_vi, msg_en, path=str(file))


def _movement_frame(
    file: str, sheet: str, grid: pd.DataFrame, header: int, columns: dict[str, int], sspec: SummarySpec
) -> Movements:
    start = header + 1
    if start in grid.index and is_numbering_row(row_texts(grid, start)):
        start += 1
    data = grid.loc[start:]
    get = {
        name: data[columns[name]].astype("string").str.strip()
        if name in columns
        else pd.Series(pd.NA, index=data.index, dtype="string")
        for name in _MOVEMENT_FIELDS
    }
    rows = get["full_name"].notna() & get["category"].notna()
    frame = pd.DataFrame({name: s[rows] for name, s in get.items()})
    categories = sspec.data["movements"]["categories"]
    lookup = {
        name_key(t): key for key, entry in categories.items() for t in (entry["label"], *(entry.get("aliases") or []))
    }
    frame["category"] = frame["category"].map(lambda t: lookup.get(name_key(str(t)), t)).astype("string")
    frame["direction"] = frame["category"].map({k: e["direction"] for k, e in categories.items()}).astype("string")
    frame["birth_date"] = parse_dates(frame["birth_date"])["date"].astype("datetime64[us]")
    frame["date"] = parse_dates(frame["date"])["date"].astype("datetime64[us]")
    frame["card_number"] = frame["card_number"].str.replace(r"[\s.]", "", regex=True)
    frame["file"], frame["sheet"] = file, sheet
    frame["row"] = (frame.index + 1).astype("int64")
    frame["ref"] = column_letter(columns["category"]) + frame["row"].astype("string")
    unknown = frame["direction"].isna()
    issues = tuple(
        Issue(
            "movement-category-unknown",
            Severity.ERROR,
            file=file,
            sheet=sheet,
            ref=ref,
            row=int(row),
            field="category",
            value=str(value),
            member=str(name),
        )
        for ref, row, value, name in frame.loc[unknown, ["ref", "row", "category", "full_name"]].itertuples(index=False)
    )
    return Movements(frame.reset_index(drop=True), issues)


@dataclass(frozen=True)
class RollForward:
    """The roster at the end of a period against its start and the movements in between.

    ``cells``: per cell ``start``, one column per movement category, ``moved_in``/``moved_out`` (moves between
    cells), ``expected_end`` = start + in − out (from the movements), ``end`` (rows of the later roster),
    ``arrived``/``departed`` (members new to / gone from the cell, from the rows) and ``became_official``.
    ``changes``: every arrival, departure, move and probationary → official, with the movement that explains
    it. ``differences``: cells where start + in − out ≠ end. ``issues``: unexplained changes, movements not
    seen on the rosters, unknown categories.
    """

    as_of_before: dt.date
    as_of_after: dt.date
    files_before: tuple[str, ...]
    files_after: tuple[str, ...]
    cells: pd.DataFrame
    changes: pd.DataFrame
    differences: tuple[Difference, ...]
    issues: tuple[Issue, ...]
    movements_file: str | None = None
    heading: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every change is explained and start + in − out = end in every cell."""
        return not self.differences and not self.issues

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready: dates, per-cell table and total, changes, differences, issues."""
        table = self.cells.reset_index()
        return {
            "before": {"as_of": self.as_of_before.isoformat(), "files": list(self.files_before)},
            "after": {"as_of": self.as_of_after.isoformat(), "files": list(self.files_after)},
            "movements": self.movements_file,
            "ok": self.ok,
            "cells": [
                {k: (None if pd.isna(v) else v if isinstance(v, str) else int(v)) for k, v in r.items()}
                for r in table.to_dict("records")
            ],
            "total": {k: int(v) for k, v in self.cells.sum(numeric_only=True).items()},
            "changes": [_change_record(r) for r in self.changes.to_dict("records")],
            "reconciliation": [d.to_dict(lang) for d in self.differences],
            "counts": self.counts,
            "issues": [*(d.issue_dict(lang) for d in self.differences), *(i.to_dict(lang) for i in self.issues)],
        }

    @property
    def counts(self) -> dict[str, int]:
        """Problems per severity: the differences (errors) and the issues."""
        counts = count_by_severity(self.issues)
        counts["error"] += len(self.differences)
        return counts


def _change_record(record: Mapping[Any, Any]) -> dict[str, Any]:
    """A change for JSON: every row is the sheet's own row number, as in every other command's output."""
    out = {str(k): (None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for k, v in record.items()}
    out["row_before"], out["row_after"] = out.pop("sheet_row_before"), out.pop("sheet_row_after")
    out["movement"] = out.pop("movement_row")
    return out


def _people(roster: Roster, as_of: dt.date, spec: RosterSpec) -> pd.DataFrame:
    frame = roster.frame
    flags = member_flags(roster, as_of=as_of, spec=spec)
    name = frame["full_name"] if "full_name" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    card = frame["card_number"] if "card_number" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    born = (
        frame["birth_date"] if "birth_date" in frame else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    )
    refs = roster.refs("full_name").fillna("A" + frame["row"].astype("string"))
    card = card.astype("string")
    return pd.DataFrame(
        {
            "cell": frame["cell"].astype("string"),
            "full_name": name.astype("string"),
            "born": born,
            "card": card.where(card.str.fullmatch(r"\d{8}").fillna(False)),
            "official": flags["official"],
            "probationary": flags["probationary"],
            "place": frame["sheet"].astype("string") + "!" + refs,
            "file": frame["file"].astype("string"),
            "sheet": frame["sheet"].astype("string"),
            "row": frame["row"],
        },
        index=frame.index,
    )


def _with_keys(people: pd.DataFrame) -> pd.DataFrame:
    """``people`` with the name key and the name key + birth date, computed only for the rows given.

    Name keys are the costly part (Unicode work on every name), so they are made only for the rows that card
    numbers did not match.
    """
    keys = name_key_series(people["full_name"])
    return people.assign(name=keys, person=keys + "|" + people["born"].dt.strftime("%Y%m%d").astype("string"))


def _match(left: pd.DataFrame, right: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Pairs (left, right) matched by each key in turn among rows still free; a key must be unique on both sides."""
    pairs = []
    free_left, free_right = left.index, right.index
    for key in keys:
        a = left.loc[free_left, key].dropna()
        b = right.loc[free_right, key].dropna()
        a, b = a[~a.duplicated(keep=False)], b[~b.duplicated(keep=False)]
        found = pd.merge(pd.DataFrame({"k": a, "left": a.index}), pd.DataFrame({"k": b, "right": b.index}), on="k")
        pairs.append(found[["left", "right"]])
        free_left = free_left.difference(pd.Index(found["left"]))
        free_right = free_right.difference(pd.Index(found["right"]))
    return pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame({"left": [], "right": []})


def roll_forward(
    before: Roster,
    after: Roster,
    *,
    as_of_before: dt.date | str,
    as_of_after: dt.date | str,
    movements: Movements | None = None,
    spec: RosterSpec | None = None,
    summary_spec: SummarySpec | None = None,
) -> RollForward:
    """Match the members of two rosters and explain every change with the movements.

    Members are matched by Party card number, then by name key + birth date, then by name key alone (each key
    used only where it is unique on both sides). Unmatched rows of the earlier roster are departures, of the
    later one arrivals; a matched member in another cell has moved; probationary at the start and official at
    the end has become official (a change of status, not a movement). Each arrival is explained by an
    incoming movement (kết nạp, kết nạp lại, chuyển đến, khôi phục đảng tịch), each departure by an outgoing one
    (chuyển đi, từ trần, khai trừ, xóa tên, xin ra khỏi Đảng), each move by "chuyển sinh hoạt nội bộ"; status-only
    rows (miễn sinh hoạt, sinh hoạt tạm thời) are ignored. Per cell, start + in − out (from the movements) must
    equal the later roster's count.

    Args:
        before: the roster at the start of the period.
        after: the roster at the end of the period.
        as_of_before: the date of the earlier roster (``YYYY-MM-DD`` or a date).
        as_of_after: the date of the later roster.
        movements: the movements of the period (:func:`read_movements`); without it every change is unexplained.
        spec: the roster schema; schemas/roster.yaml when None.
        summary_spec: the summary schema; schemas/summary.yaml when None.

    Returns:
        The per-cell roll-forward table, the matched changes and the issues for changes no movement explains.

    Raises:
        InputError: a date cannot be read.
    """
    as_of_before = options.date(as_of_before, "as_of_before")
    as_of_after = options.date(as_of_after, "as_of_after")
    spec = spec or load_roster_spec()
    sspec = summary_spec or load_summary_spec()
    day0, day1 = as_date(as_of_before), as_date(as_of_after)
    old, new = _people(before, day0, spec), _people(after, day1, spec)
    by_card = _match(old, new, ("card",))
    rest_old = _with_keys(old.drop(index=pd.Index(by_card["left"])))
    rest_new = _with_keys(new.drop(index=pd.Index(by_card["right"])))
    pairs = pd.concat([by_card, _match(rest_old, rest_new, ("person",))], ignore_index=True)
    stayed = pd.DataFrame({"before": pairs["left"].to_numpy(), "after": pairs["right"].to_numpy()})
    cells_old = old.loc[stayed["before"], "cell"].to_numpy()
    cells_new = new.loc[stayed["after"], "cell"].to_numpy()
    moved = stayed[pd.Series(cells_old != cells_new).fillna(True).to_numpy()]
    official = stayed[
        (old.loc[stayed["before"], "probationary"].to_numpy() & new.loc[stayed["after"], "official"].to_numpy())
    ]
    left = old.index.difference(pd.Index(stayed["before"]))
    arrived = new.index.difference(pd.Index(stayed["after"]))
    mv = _movement_people(movements, sspec)
    changes = _changes(old, new, left, arrived, moved, official, mv)
    issues = list(movements.issues) if movements else []
    issues += _unexplained(changes, new, old)
    issues += _not_reflected(mv, changes, sspec)
    table = _cell_table(old, new, left, arrived, moved, official, mv, changes, sspec)
    differences = tuple(_identity(table)) if movements is not None else ()
    return RollForward(
        day0,
        day1,
        tuple(before.files),
        tuple(after.files),
        table,
        changes,
        differences,
        tuple(issues),
        movements_file=str(mv["file"].iloc[0]) if len(mv) else None,
    )


def _movement_people(movements: Movements | None, sspec: SummarySpec) -> pd.DataFrame:
    columns = [
        "category",
        "direction",
        "full_name",
        "cell",
        "cell_to",
        "file",
        "sheet",
        "row",
        "ref",
        "card",
        "person",
        "name",
    ]
    if movements is None or movements.frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "string") for c in columns})
    frame = movements.frame
    keys = name_key_series(frame["full_name"].astype("string"))
    card = frame["card_number"].astype("string")
    return frame.assign(
        card=card.where(card.str.fullmatch(r"\d{8}").fillna(False)),
        person=keys + "|" + frame["birth_date"].dt.strftime("%Y%m%d").astype("string"),
        name=keys,
    )[columns]


def _changes(
    old: pd.DataFrame,
    new: pd.DataFrame,
    left: pd.Index,
    arrived: pd.Index,
    moved: pd.DataFrame,
    official: pd.DataFrame,
    mv: pd.DataFrame,
) -> pd.DataFrame:
    keys = ("card", "person", "name")
    parts = []
    for kind, people, direction in (
        ("arrival", _with_keys(new.loc[arrived]), "in"),
        ("departure", _with_keys(old.loc[left]), "out"),
        ("move", _with_keys(new.loc[moved["after"]]), "internal"),
    ):
        rows = mv[mv["direction"] == direction]
        pairs = _match(people, rows, keys)
        explained = pd.Series(pairs["right"].to_numpy(), index=pairs["left"].to_numpy())
        base = pd.DataFrame(
            {"kind": kind, "member": people["full_name"], "movement": explained.reindex(people.index)},
            index=people.index,
        )
        if kind == "arrival":
            base = base.assign(
                cell_before=None,
                cell_after=people["cell"],
                place_before=None,
                place_after=people["place"],
                row_before=None,
                row_after=people.index,
            )
        elif kind == "departure":
            base = base.assign(
                cell_before=people["cell"],
                cell_after=None,
                place_before=people["place"],
                place_after=None,
                row_before=people.index,
                row_after=None,
            )
        else:
            src = old.loc[moved["before"]]
            base = base.assign(
                cell_before=src["cell"].to_numpy(),
                cell_after=people["cell"],
                place_before=src["place"].to_numpy(),
                place_after=people["place"],
                row_before=moved["before"].to_numpy(),
                row_after=people.index,
            )
        parts.append(base.reset_index(drop=True))
    status = new.loc[official["after"]]
    parts.append(
        pd.DataFrame(
            {
                "kind": "became_official",
                "member": status["full_name"].to_numpy(),
                "movement": pd.NA,
                "cell_before": old.loc[official["before"], "cell"].to_numpy(),
                "cell_after": status["cell"].to_numpy(),
                "place_before": old.loc[official["before"], "place"].to_numpy(),
                "place_after": status["place"].to_numpy(),
                "row_before": official["before"].to_numpy(),
                "row_after": official["after"].to_numpy(),
            }
        )
    )
    changes = pd.concat(parts, ignore_index=True)
    taken = changes["movement"].astype("Float64")
    category = mv["category"].reindex(taken.dropna().astype("int64")).to_numpy()
    changes["category"] = pd.Series(pd.NA, index=changes.index, dtype="string")
    changes.loc[taken.notna().to_numpy(), "category"] = category
    changes["movement_place"] = pd.Series(pd.NA, index=changes.index, dtype="string")
    where = (mv["sheet"] + "!" + mv["ref"]).reindex(taken.dropna().astype("int64")).to_numpy()
    changes.loc[taken.notna().to_numpy(), "movement_place"] = where
    changes["explained"] = taken.notna().to_numpy() | (changes["kind"] == "became_official").to_numpy()
    for name in ("cell_before", "cell_after", "place_before", "place_after", "member"):
        changes[name] = changes[name].astype("string")
    # The rows as the sheets number them, for people and programs (row_before/row_after are frame positions).
    for side, frame in (("before", old), ("after", new)):
        changes[f"sheet_row_{side}"] = _lookup(changes[f"row_{side}"], frame["row"])
    changes["movement_row"] = _lookup(changes["movement"], mv["row"])
    return changes


def _lookup(positions: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` at the (possibly missing) labels ``positions``, as nullable integers."""
    labels = pd.to_numeric(positions, errors="coerce").astype("Float64")
    table = dict(zip(values.index.to_list(), values.to_list(), strict=True))
    found = [table.get(int(p)) if not pd.isna(p) else None for p in labels.to_list()]
    return pd.Series(found, index=positions.index, dtype="Int64")


_KINDS = {
    "arrival": ("Đảng viên mới có tên", "New on the roster:"),
    "departure": ("Đảng viên không còn tên", "No longer on the roster:"),
    "move": ("Chuyển chi bộ", "Moved between cells:"),
}


def _unexplained(changes: pd.DataFrame, new: pd.DataFrame, old: pd.DataFrame) -> list[Issue]:
    bad = changes[~changes["explained"]]
    departure = (bad["kind"] == "departure").to_numpy()
    source = old.reindex(pd.Index(bad["row_before"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)))
    target = new.reindex(pd.Index(bad["row_after"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)))
    where = {
        name: np.where(departure, source[name].to_numpy(dtype=object), target[name].to_numpy(dtype=object))
        for name in ("file", "sheet", "row", "place", "cell")
    }
    issues = []
    for i, (kind, member, before, after) in enumerate(
        zip(bad["kind"], bad["member"], bad["cell_before"], bad["cell_after"], strict=True)
    ):
        vi, en = _KINDS[str(kind)]
        place = f"{before} → {after}" if kind == "move" else str(where["cell"][i])
        params = {"kind_vi": vi, "kind_en": en, "place": place, "member": str(member)}
        issues.append(
            Issue(
                "movement-unexplained",
                Severity.ERROR,
                file=str(where["file"][i]),
                sheet=str(where["sheet"][i]),
                ref=str(where["place"][i]).split("!")[-1],
                row=int(where["row"][i]),
                field="full_name",
                member=str(member),
                cell=str(where["cell"][i]),
                params=params,
            )
        )
    return issues


def _not_reflected(mv: pd.DataFrame, changes: pd.DataFrame, sspec: SummarySpec) -> list[Issue]:
    used = set(changes["movement"].dropna().astype("int64"))
    categories = sspec.data["movements"]["categories"]
    reasons = {
        "in": ("không có người mới nào khớp", "no new member matches"),
        "out": ("người này không rời danh sách", "this person did not leave the roster"),
        "internal": ("không thấy chuyển chi bộ", "no move between cells is seen"),
    }
    issues = []
    for idx, row in mv.iterrows():
        if idx in used or row["direction"] not in reasons:
            continue
        entry = categories.get(str(row["category"]), {})
        vi, en = reasons[str(row["direction"])]
        issues.append(
            Issue(
                "movement-not-reflected",
                Severity.ERROR,
                file=str(row["file"]),
                sheet=str(row["sheet"]),
                ref=str(row["ref"]),
                field="category",
                member=str(row["full_name"]),
                params={
                    "member": str(row["full_name"]),
                    "category": entry.get("label", row["category"]),
                    "category_en": entry.get("en", row["category"]),
                    "reason_vi": vi,
                    "reason_en": en,
                },
            )
        )
    return issues


def _cell_table(
    old: pd.DataFrame,
    new: pd.DataFrame,
    left: pd.Index,
    arrived: pd.Index,
    moved: pd.DataFrame,
    official: pd.DataFrame,
    mv: pd.DataFrame,
    changes: pd.DataFrame,
    sspec: SummarySpec,
) -> pd.DataFrame:
    categories = sspec.data["movements"]["categories"]
    ins = [k for k, e in categories.items() if e["direction"] == "in"]
    outs = [k for k, e in categories.items() if e["direction"] == "out"]
    names = {cell_key(str(c)): str(c) for c in pd.concat([old["cell"], new["cell"]]).dropna().unique()}
    # a movement row names its cell as written; fall back on the matched member's cell where it names none
    taken = changes.dropna(subset=["movement"]).set_index(changes["movement"].dropna().astype("int64"))
    source = mv["cell"].map(lambda t: names.get(cell_key(str(t)), t), na_action="ignore").astype("string")
    source = source.fillna(taken["cell_before"].reindex(mv.index)).fillna(taken["cell_after"].reindex(mv.index))
    target = mv["cell_to"].map(lambda t: names.get(cell_key(str(t)), t), na_action="ignore").astype("string")
    target = target.fillna(taken["cell_after"].reindex(mv.index))
    index = pd.Index(
        pd.unique(pd.concat([old["cell"], new["cell"], source, target]).dropna()), dtype="string", name="cell"
    )

    def count(values: pd.Series) -> pd.Series:
        return values.dropna().value_counts().reindex(index, fill_value=0)

    table = pd.DataFrame({"start": count(old["cell"])}, index=index)
    for key in ins:
        table[key] = count(source[mv["category"] == key])
    table["moved_in"] = count(target[mv["direction"] == "internal"])
    for key in outs:
        table[key] = count(source[mv["category"] == key])
    table["moved_out"] = count(source[mv["direction"] == "internal"])
    table["expected_end"] = (
        table["start"] + table[ins].sum(axis=1) + table["moved_in"] - table[outs].sum(axis=1) - table["moved_out"]
    )
    table["end"] = count(new["cell"])
    table["arrived"] = count(new.loc[arrived, "cell"]) + count(new.loc[moved["after"], "cell"])
    table["departed"] = count(old.loc[left, "cell"]) + count(old.loc[moved["before"], "cell"])
    table["became_official"] = count(new.loc[official["after"], "cell"])
    return table.astype("int64")


def _identity(table: pd.DataFrame) -> list[Difference]:
    columns = list(table.columns)
    inflow = table[columns[1 : columns.index("moved_in") + 1]].sum(axis=1)
    outflow = table[columns[columns.index("moved_in") + 1 : columns.index("moved_out") + 1]].sum(axis=1)
    wrong = table["expected_end"] != table["end"]
    return [
        Difference(
            "rollforward-identity",
            str(cell),
            "total",
            float(expected),
            float(end),
            params={"start": int(start), "inflow": int(i), "outflow": int(o)},
        )
        for cell, start, i, o, expected, end in zip(
            table.index[wrong],
            table.loc[wrong, "start"],
            inflow[wrong],
            outflow[wrong],
            table.loc[wrong, "expected_end"],
            table.loc[wrong, "end"],
            strict=True,
        )
    ]
