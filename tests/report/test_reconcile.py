"""Declared vs derived counts, and the roll-forward between two roster dates with their movements."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_workbook
from dangvien_data import read_roster, validate
from dangvien_data.api import reconcile_files, summarise_files
from dangvien_data.cli import main
from dangvien_data.domain.cells import cell_key
from dangvien_data.errors import InputError
from dangvien_data.report.declared import compare_declared, read_declared
from dangvien_data.report.rollforward import Movements, read_movements, roll_forward
from dangvien_data.report.summary import Summary, summarise
from test_summary import AS_OF, CLEAN, PLANTED, SAMPLE, make_roster

LATER = SAMPLE / "danh_sach_2020_09_30.xlsx"
MOVEMENTS = SAMPLE / "bien_dong.xlsx"
DECLARED = SAMPLE / "bao_cao_so_luong.xlsx"
KEYS = ["total", "official", "probationary", "women", "ethnic_minority", "religious", "age_30_or_less", "age_31_40",
        "age_41_50", "age_51_60", "age_61_or_more", "party_age_30_or_more", "party_age_40_or_more"]  # fmt: skip
TOP = ["STT", "Chi bộ", "Tổng số", "Trong đó", None, None, None, None, "Độ tuổi", None, None, None, None,
       "Tuổi đảng", None]  # fmt: skip
SUB = [None, None, None, "Chính thức", "Dự bị", "Nữ", "Dân tộc thiểu số", "Tôn giáo", "≤ 30", "31 – 40", "41 – 50",
       "51 – 60", "≥ 61", "Từ 30 năm trở lên", "Từ 40 năm trở lên"]  # fmt: skip
LETTER = {key: chr(ord("C") + i) for i, key in enumerate(KEYS)}
FIRST = 6  # title rows 1–2, header 3–4, numbering 5


def declared_rows(
    summary: Summary, *, names: dict[int, str] | None = None, change: tuple[int, str, int] | None = None
) -> list[list[Any]]:
    """An office-style declared sheet for ``summary``: the total row adds up the rows as typed."""
    lines = [[int(summary.counts.iloc[i][k]) for k in KEYS] for i in range(len(summary.cells))]
    if change is not None:
        row, metric, delta = change
        lines[row][KEYS.index(metric)] += delta
    rows: list[list[Any]] = [["ĐẢNG BỘ X"], ["BÁO CÁO SỐ LƯỢNG ĐẢNG VIÊN"], TOP, SUB, [f"({i})" for i in range(1, 16)]]
    for i, (cell, line) in enumerate(zip(summary.cells, lines, strict=True)):
        rows.append([i + 1, (names or {}).get(i, cell), *line])
    rows.append(["Tổng cộng", None, *(sum(col) for col in zip(*lines, strict=True))])
    rows += [[], [None, "Người lập biểu"]]
    return rows


def codes(differences: Any) -> list[tuple[str | None, str | None, str]]:
    """(ref, metric, code) of each difference, for compact comparisons."""
    return [(d.ref, d.metric, d.code) for d in differences]


@pytest.fixture(scope="module")
def clean_summary() -> Summary:
    """The clean sample summarised at 31/03/2020."""
    return summarise(read_roster(CLEAN), as_of=AS_OF)


class TestSampleDeclared:
    def test_planted_differences_found_exactly(self):
        """The sample's declared sheet yields exactly the differences listed in declared_planted.json."""
        summary = summarise_files([CLEAN], declared=DECLARED)
        planted = json.loads((SAMPLE / "declared_planted.json").read_text(encoding="utf-8"))
        got = [(d.code, d.cell, d.metric, d.declared, d.derived, d.difference, d.sheet, d.ref)
               for d in summary.reconciliation]  # fmt: skip
        want = [(p["code"], p["cell"], p["metric"], p["declared"], p["derived"], p["difference"], p["sheet"], p["ref"])
                for p in planted]  # fmt: skip
        assert got == want
        assert summary.as_of == AS_OF and summary.heading["organisation"] == "ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH"

    def test_messages_write_figures_as_the_language_does(self):
        """A declared average age of 32.2 reads "32,2" in the Vietnamese message and "32.2" in the English one;
        the record's own numbers stay numbers."""
        summary = summarise_files([PLANTED], declared=DECLARED, as_of=AS_OF)
        ages = [d for d in summary.reconciliation if d.metric == "average_age"]
        assert ages and all(d.declared is not None and not float(d.declared).is_integer() for d in ages)
        for d in ages:
            declared = f"{d.declared:g}"
            assert declared.replace(".", ",") in d.message("vi") and declared not in d.message("vi"), d.message("vi")
            assert declared in d.message("en"), d.message("en")
            assert isinstance(d.to_dict("vi")["declared"], float)

    def test_declared_columns_under_group_headers(self):
        """Two-row headers are read: "Độ tuổi" over "≤ 30", "Tuổi đảng" over "Từ 30 năm trở lên"."""
        declared = read_declared(DECLARED)
        assert list(declared.columns) == [*KEYS, "average_age"]
        assert declared.columns["age_30_or_less"] == ("I", "Độ tuổi ≤ 30")
        assert declared.columns["party_age_40_or_more"] == ("O", "Tuổi đảng Từ 40 năm trở lên")
        assert [line.label for line in declared.lines][1:3] == ["CHI BỘ ĐỘI CẢNH SÁT HÌNH SỰ", "Đội An ninh"]
        assert declared.total is not None and declared.total.row == 20
        assert declared.lines[6].values["average_age"] == 33.9  # typed as text with a decimal comma

    def test_rows_explain_differences(self, clean_summary):
        """Against the roster with problems, a cell's extra row is explained by the person listed twice."""
        roster = read_roster(PLANTED)
        report = validate(roster, as_of=AS_OF)
        with tempfile.TemporaryDirectory() as folder:
            path = write_workbook(Path(folder) / "d.xlsx", {"BC": declared_rows(clean_summary)})
            differences = compare_declared(summarise(roster, as_of=AS_OF, report=report), read_declared(path),
                                           report=report)  # fmt: skip
        cell = "Chi bộ Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp"
        total = next(d for d in differences if d.cell == cell and d.metric == "total")
        assert (total.declared, total.derived, total.difference) == (15, 16, -1)
        assert total.members and total.members[0].startswith("Nguyễn Ngọc Thịnh (Danh sách!B161; duplicate-member")
        assert "Nguyễn Ngọc Thịnh" in total.message("en")


class TestDeclaredSheet:
    def test_tolerant_cell_names(self, clean_summary, tmp_path):
        """Names match without "Chi bộ", in capitals, decomposed (NFD), without accents or with a list number."""
        nfd = unicodedata.normalize("NFD", "Chi bộ Đội An ninh")
        names = {0: "Đội Tổng hợp", 1: "CHI BỘ ĐỘI CẢNH SÁT HÌNH SỰ", 2: nfd, 3: "Chi bo Doi Canh sat kinh te",
                 4: "5. Chi bộ Đội Cảnh sát ma túy"}  # fmt: skip
        path = write_workbook(tmp_path / "d.xlsx", {"BC": declared_rows(clean_summary, names=names)})
        assert compare_declared(clean_summary, read_declared(path)) == ()

    def test_unknown_and_missing_cells(self, clean_summary, tmp_path):
        """A row naming no cell of the roster is reported with a suggestion, and the roster's cell as missing."""
        path = write_workbook(tmp_path / "d.xlsx", {"BC": declared_rows(clean_summary, names={2: "Đội An ninh mạng"})})
        differences = compare_declared(clean_summary, read_declared(path))
        assert codes(differences) == [("B8", None, "declared-cell-unknown"), (None, "total", "declared-cell-missing")]
        assert "Chi bộ Đội An ninh" in differences[0].message()
        assert differences[1].cell == "Chi bộ Đội An ninh" and differences[1].derived == 19

    def test_numbers_as_typed(self, tmp_path):
        """Figures typed as text: "1.234" is a count of 1234, "-" is 0, "34,5" is 34.5, words are reported."""
        rows = [["Chi bộ", "Tổng số", "Chính thức", "Nữ", "Tuổi bình quân"],
                ["Chi bộ A", "1.234", "1.234", "-", "34,5"], ["Chi bộ B", "2", "hai", None, "40"]]  # fmt: skip
        declared = read_declared(write_workbook(tmp_path / "d.xlsx", {"S": rows}))
        assert [dict(line.values) for line in declared.lines] == [
            {"total": 1234.0, "official": 1234.0, "women": 0.0, "average_age": 34.5},
            {"total": 2.0, "official": "hai", "women": 0.0, "average_age": 40.0},
        ]
        roster = make_roster([{"cell": "Chi bộ A"}, {"cell": "Chi bộ B"}])
        found = compare_declared(summarise(roster, as_of=AS_OF), declared)
        assert ("C3", "official", "declared-not-a-number") in codes(found)

    def test_total_row_left_blank_by_formulas(self, clean_summary, tmp_path):
        """A total row whose formulas were saved without values reads as blank and is not compared."""
        rows = declared_rows(clean_summary)
        total = next(i for i, r in enumerate(rows) if r and r[0] == "Tổng cộng")
        rows[total] = ["Tổng cộng", None, *(f"=SUM({LETTER[k]}{FIRST}:{LETTER[k]}{total})" for k in KEYS)]
        path = write_workbook(tmp_path / "d.xlsx", {"BC": rows})
        assert compare_declared(clean_summary, read_declared(path)) == ()

    def test_no_table_is_unusable_input(self, tmp_path):
        """A file without a summary table is refused with a message naming the file and the fix."""
        path = write_workbook(tmp_path / "x.xlsx", {"S": [["Họ và tên", "Ngày sinh"], ["A", "01/01/1990"]]})
        with pytest.raises(InputError) as info:
            read_declared(path)
        assert str(path) in info.value.message("en") and "schemas/summary.yaml" in str(info.value)

    def test_cell_key(self):
        """cell_key ignores "Chi bộ", list numbering, case and Unicode form."""
        assert cell_key("II. CHI BỘ ĐỘI AN NINH") == cell_key("Đội An ninh") == "đội an ninh"


_cells = ["Chi bộ A", "Chi bộ B", "Chi bộ C"]
_valid = st.fixed_dictionaries({
    "cell": st.sampled_from(_cells),
    "birth_date": st.dates(min_value=dt.date(1955, 1, 1), max_value=dt.date(2000, 1, 1)),
    "admitted_on": st.dates(min_value=dt.date(1975, 1, 1), max_value=AS_OF),
    "sex": st.sampled_from(["Nam", "Nữ"]), "ethnicity": st.sampled_from(["Kinh", "Tày"]),
    "religion": st.sampled_from(["Không", "Phật giáo"]),
}).map(lambda m: {**m, "official_on": None})  # fmt: skip
_settings = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(st.lists(_valid, min_size=1, max_size=25))
def test_declared_written_from_roster_reconciles(members):
    """A declared sheet typed from the roster's own counts reconciles with no difference."""
    summary = summarise(make_roster(members), as_of=AS_OF)
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "d.xlsx", {"BC": declared_rows(summary)})
        assert compare_declared(summary, read_declared(path)) == ()


@_settings
@given(st.lists(_valid, min_size=1, max_size=25), st.data())
def test_one_changed_figure_one_difference(members, data):
    """One changed figure gives exactly one declared-vs-derived difference, at its cell, with its size.

    The office's total row adds the rows up, so the total is explained by the row; a figure that takes part in
    a row identity (official + probationary = total, the age bands add up to the total) also breaks that
    identity on its row and on the total row, and the sheet's arithmetic says so.
    """
    summary = summarise(make_roster(members), as_of=AS_OF)
    row = data.draw(st.integers(0, len(summary.cells) - 1))
    metric = data.draw(st.sampled_from(KEYS))
    delta = data.draw(st.sampled_from([-2, -1, 1, 3]))
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "d.xlsx", {"BC": declared_rows(summary, change=(row, metric, delta))})
        differences = compare_declared(summary, read_declared(path))
    mismatches = [(d.cell, d.metric, d.difference, d.ref) for d in differences if d.code != "declared-arithmetic"]
    assert mismatches == [(summary.cells[row], metric, delta, f"{LETTER[metric]}{FIRST + row}")]
    identities = {"total": 2, "official": 1, "probationary": 1, **dict.fromkeys(KEYS[6:11], 1)}.get(metric, 0)
    arithmetic = [d.ref for d in differences if d.code == "declared-arithmetic"]
    total_row = FIRST + len(summary.cells)
    assert sorted(arithmetic) == sorted([f"C{FIRST + row}", f"C{total_row}"] * identities)


# --- Roll-forward --------------------------------------------------------------------------------------------

IN = {"admitted": "Kết nạp", "readmitted": "Kết nạp lại", "transferred_in": "Chuyển đến",
      "restored": "Khôi phục đảng tịch"}  # fmt: skip
OUT = {"transferred_out": "Chuyển đi", "died": "Từ trần", "expelled": "Khai trừ", "removed": "Xóa tên",
       "resigned": "Xin ra khỏi Đảng"}  # fmt: skip
BEFORE, AFTER = dt.date(2020, 3, 31), dt.date(2020, 9, 30)


def movements(rows: list[dict[str, Any]]) -> Movements:
    """A Movements value built in memory from (category key, person, cell, cell_to, with_card) rows."""
    directions = {**dict.fromkeys(IN, "in"), **dict.fromkeys(OUT, "out"), "moved": "internal"}
    frame = pd.DataFrame({
        "category": pd.Series([r["category"] for r in rows], dtype="string"),
        "direction": pd.Series([directions[r["category"]] for r in rows], dtype="string"),
        "full_name": pd.Series([r["full_name"] for r in rows], dtype="string"),
        "birth_date": pd.Series([pd.Timestamp(r["birth_date"]) for r in rows], dtype="datetime64[us]"),
        "card_number": pd.Series([r.get("card") for r in rows], dtype="string"),
        "cell": pd.Series([r["cell"] for r in rows], dtype="string"),
        "cell_to": pd.Series([r.get("cell_to") for r in rows], dtype="string"),
        "date": pd.Series([pd.Timestamp(2020, 6, 1)] * len(rows), dtype="datetime64[us]"),
        "file": "m.xlsx", "sheet": "BD", "row": range(2, len(rows) + 2),
        "ref": [f"F{i + 2}" for i in range(len(rows))],
    })  # fmt: skip
    return Movements(frame)


@st.composite
def histories(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """A start roster, random movements (each person moved at most once), and the roster they lead to."""
    size = draw(st.integers(1, 20))
    start = [{"full_name": f"Đảng viên {i}", "card_number": f"{10_000_000 + i}", "cell": draw(st.sampled_from(_cells)),
              "birth_date": dt.date(1970, 1, 1) + dt.timedelta(days=97 * i)} for i in range(size)]  # fmt: skip
    end = [dict(m) for m in start]
    moves: list[dict[str, Any]] = []
    touched: set[str] = set()
    operations = st.tuples(st.sampled_from([*IN, *OUT, "moved"]), st.integers(0, 999), st.sampled_from(_cells),
                           st.booleans())  # fmt: skip
    for category, pick, cell, with_card in draw(st.lists(operations, max_size=12)):
        if category in IN:
            i = size + len(moves)
            member = {"full_name": f"Người mới {i}", "card_number": f"{20_000_000 + i}", "cell": cell,
                      "birth_date": dt.date(1995, 1, 1) + dt.timedelta(days=i),
                      "admitted_on": dt.date(2020, 5, 19) if category == "admitted" else dt.date(2005, 1, 1),
                      "official_on": None}  # fmt: skip
            end.append(member)
            touched.add(member["full_name"])
        else:
            free = [m for m in end if m["full_name"] not in touched]
            if not free or (category == "moved" and free[pick % len(free)]["cell"] == cell):
                continue
            member = free[pick % len(free)]
            touched.add(member["full_name"])
            if category == "moved":
                moves.append({**member, "category": category, "cell_to": cell, "card": member["card_number"]})
                member["cell"] = cell
                continue
            end.remove(member)
        moves.append({**member, "category": category, "card": member["card_number"] if with_card else None})
    return start, end, moves


def _roll(start: list[dict[str, Any]], end: list[dict[str, Any]], moves: list[dict[str, Any]] | None) -> Any:
    return roll_forward(make_roster(start, file="a.xlsx"), make_roster(end, file="b.xlsx"), as_of_before=BEFORE,
                        as_of_after=AFTER, movements=None if moves is None else movements(moves))  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(histories())
def test_rollforward_identity_over_histories(history):
    """For any history of movements, start + in − out = end in every cell and every change is explained."""
    start, end, moves = history
    result = _roll(start, end, moves)
    assert result.issues == () and result.differences == () and result.ok
    table = result.cells
    ins = table[["admitted", "readmitted", "transferred_in", "restored", "moved_in"]].sum(axis=1)
    outs = table[["transferred_out", "died", "expelled", "removed", "resigned", "moved_out"]].sum(axis=1)
    assert (table["start"] + ins - outs).tolist() == table["end"].tolist() == table["expected_end"].tolist()
    assert (table["start"] + table["arrived"] - table["departed"]).tolist() == table["end"].tolist()
    assert int(table["start"].sum()) == len(start) and int(table["end"].sum()) == len(end)
    assert len(result.changes[result.changes["kind"] != "became_official"]) == len(moves)


@settings(max_examples=30, deadline=None)
@given(histories().filter(lambda h: bool(h[2])), st.data())
def test_missing_movement_is_unexplained(history, data):
    """Leaving one movement out of the sheet gives exactly one unexplained change and breaks the identity."""
    start, end, moves = history
    dropped = data.draw(st.integers(0, len(moves) - 1))
    result = _roll(start, end, [m for i, m in enumerate(moves) if i != dropped])
    assert [(i.code, i.member) for i in result.issues] == [("movement-unexplained", moves[dropped]["full_name"])]
    assert result.differences and all(d.code == "rollforward-identity" for d in result.differences)


class TestSampleRollForward:
    def test_known_movements_reconcile(self):
        """The two sample dates with their movements sheet reconcile with no unexplained change."""
        result = reconcile_files(CLEAN, LATER, movements=MOVEMENTS)
        assert (result.as_of_before, result.as_of_after) == (AS_OF, dt.date(2020, 9, 30))
        assert result.ok and result.issues == () and result.differences == ()
        kinds = result.changes["kind"].value_counts().to_dict()
        assert kinds == {"arrival": 3, "departure": 4, "move": 1, "became_official": 3}
        assert int(result.cells["start"].sum()) == 170 and int(result.cells["end"].sum()) == 169
        assert result.cells.loc["Chi bộ Đội Cảnh sát hình sự", "admitted"] == 1
        assert result.cells.loc["Chi bộ Đội An ninh", "moved_in"] == 1
        json.dumps(result.to_dict(), ensure_ascii=False)

    def test_movements_sheet_read(self):
        """The movements sheet's categories are mapped through their aliases; status-only rows are kept aside."""
        moves = read_movements(MOVEMENTS)
        assert moves.issues == ()
        assert moves.frame["category"].tolist().count("admitted") == 2  # "Kết nạp" and "Kết nạp mới"
        assert "status" in moves.frame["direction"].tolist()  # "Sinh hoạt tạm thời" is not a movement

    def test_without_movements_every_change_is_unexplained(self):
        """Without a movements sheet, each arrival, departure and move is reported, at its row."""
        result = reconcile_files(CLEAN, LATER)
        assert [i.code for i in result.issues] == ["movement-unexplained"] * 8
        assert result.differences == () and not result.ok
        assert result.issues[0].sheet == "Danh sách" and result.issues[0].ref.startswith("B")

    def test_movements_not_seen_on_the_rosters(self):
        """Movements for people who did not change are reported as not reflected, and the identity breaks."""
        result = reconcile_files(CLEAN, CLEAN, movements=MOVEMENTS, as_of_after="2020-03-31")
        assert [i.code for i in result.issues] == ["movement-not-reflected"] * 8
        assert {d.cell for d in result.differences} >= {"Chi bộ Đội Tổng hợp", "Chi bộ Đội An ninh"}

    def test_unknown_category(self, tmp_path):
        """A category outside schemas/summary.yaml is reported at its cell."""
        rows = [
            ["STT", "Họ và tên", "Ngày sinh", "Chi bộ", "Loại biến động"],
            [1, "A", "01/01/1990", "Chi bộ A", "Đi học"],
        ]
        moves = read_movements(write_workbook(tmp_path / "m.xlsx", {"BD": rows}))
        assert [(i.sheet, i.ref, i.code) for i in moves.issues] == [("BD", "E2", "movement-category-unknown")]

    def test_roster_date_needed(self, tmp_path):
        """A roster without a "Tính đến ngày" line needs its date on the command line."""
        path = write_workbook(tmp_path / "r.xlsx", {"DS": [["Họ và tên", "Ngày sinh", "Ngày vào Đảng"],
                                                           ["A", "01/01/1990", "01/01/2015"]]})  # fmt: skip
        with pytest.raises(InputError) as info:
            reconcile_files(path, CLEAN)
        assert "--as-of-before" in str(info.value)


class TestCommandLine:
    def test_summary_with_planted_declared_sheet_exits_1(self, capsys):
        """`dangvien summary --declared` prints the JSON of docs/architecture.md and exits 1 on differences."""
        assert main(["summary", str(CLEAN), "--declared", str(DECLARED), "--format", "json"]) == 1
        data = json.loads(capsys.readouterr().out)
        assert len(data["cells"]) == 10 and data["total"]["total"] == 170
        planted = json.loads((SAMPLE / "declared_planted.json").read_text(encoding="utf-8"))
        assert [r["ref"] for r in data["reconciliation"]] == [p["ref"] for p in planted]
        assert set(data["reconciliation"][0]) >= {"cell", "metric", "declared", "derived", "difference"}

    def test_summary_without_declared_exits_0(self, capsys):
        """Without a declared sheet the summary exits 0 and prints the as-of date it used."""
        assert main(["summary", str(CLEAN), "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "As of 31/03/2020" in out and "170" in out

    def test_reconcile_exit_codes(self, capsys):
        """`dangvien reconcile` exits 0 when everything is explained and 1 when something is not."""
        assert main(["reconcile", "--before", str(CLEAN), "--after", str(LATER), "--movements", str(MOVEMENTS)]) == 0
        assert "KHỚP" in capsys.readouterr().out
        assert main(["reconcile", "--before", str(CLEAN), "--after", str(LATER), "--format", "json"]) == 1
        assert json.loads(capsys.readouterr().out)["ok"] is False

    def test_unusable_input_exits_2(self, capsys):
        """A declared file without a table, or an output over an input, exits 2 with a message."""
        assert main(["summary", str(CLEAN), "--declared", str(CLEAN)]) == 2
        assert "schemas/summary.yaml" in capsys.readouterr().err
        assert main(["summary", str(CLEAN), "-o", str(CLEAN)]) == 2
        assert "trùng với tệp đầu vào" in capsys.readouterr().err
