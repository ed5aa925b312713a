"""Every user-visible text in one language holds no words of the other (quoted data, headers and names aside)."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable, Iterator
from pathlib import Path

import openpyxl
import pytest

from dangvien_data.api import reconcile_files, summarise_files
from dangvien_data.catalogue import CATALOGUE
from dangvien_data.io import excel
from dangvien_data.report import render, workbook
from dangvien_data.template.writer import write_template

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
ENGLISH = re.compile(
    r"\b(the|and|of|is|are|with|from|error|errors|warning|warnings|total|not|members?|sheet|rows?|column|value|"
    r"official|probationary|women|cells?|file|files|fix|check|none|yes|no)\b",
    re.IGNORECASE,
)
# Names that stay Vietnamese in English text: the Party, the form's sheets, its column headers and code lists,
# which the checker reads; legal texts are cited by their Vietnamese numbers.
KEPT = ("ĐẢNG CỘNG SẢN VIỆT NAM", "Chi bộ", "Danh sách", "Danh mục", "Hướng dẫn", "Kết quả kiểm tra")


def _form_words() -> list[str]:
    """What the form itself writes, which English text quotes as it is: headers, code values and lists, movement
    categories (longest first, so that "Ngày sinh" goes before "Nam")."""
    from dangvien_data.report.summary import load_summary_spec
    from dangvien_data.roster.schemas import load_roster_spec

    spec = load_roster_spec()
    words = {h for f in spec.fields.values() for h in f.headers} | {c.title for c in spec.codes.values()}
    words |= {v for c in spec.codes.values() for v in c.values}
    words |= {e["label"] for e in load_summary_spec().data["movements"]["categories"].values()}
    words |= {a for e in load_summary_spec().data["movements"]["categories"].values() for a in e.get("aliases") or []}
    return sorted({*words, *KEPT}, key=len, reverse=True)


FORM_WORDS = _form_words()


def _bare(text: str) -> str:
    """The text without what it quotes or fills in ("…", {params}, `code`, paths, options) or the form's words."""
    text = re.sub(r'"[^"]*"|“[^”]*”|«[^»]*»|\{[^}]*\}|`[^`]*`', " ", text)
    text = re.sub(r"(?:--|schemas/|sample_data/)\S*|\b[\w.-]+\.(?:ya?ml|xlsx|md)\b", " ", text)
    if VIETNAMESE.search(text):
        for name in FORM_WORDS:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


def _pairs(table: dict) -> Iterator[tuple[str, str]]:
    for value in table.values():
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
            yield value


def _tables() -> Iterator[tuple[str, str, str]]:
    """(where, Vietnamese, English) of every text pair the outputs print."""
    for code, rule in CATALOGUE.items():
        for kind, vi, en in (("title", rule.title_vi, rule.title_en), ("message", rule.message_vi, rule.message_en),
                             ("fix", rule.fix_vi, rule.fix_en)):  # fmt: skip
            yield f"catalogue {code} {kind}", vi, en
    for name in ("_T", "_S", "_SHORT", "_ROLL", "_D", "_SEVERITY"):
        for vi, en in _pairs(getattr(render, name)):
            yield f"render.{name}", vi, en
    for vi, en in render._LEGEND:
        yield "render._LEGEND", vi, en
    for name in ("_L", "_ROLL_HEADERS", "_KIND"):
        for vi, en in _pairs(getattr(workbook, name)):
            yield f"workbook.{name}", vi, en
    for vi, en in workbook._CHANGE_HEADERS:
        yield "workbook._CHANGE_HEADERS", vi, en
    for title, _, columns in workbook._LISTS.values():
        yield "workbook._LISTS", *title
        for _, (vi, en) in columns:
            yield "workbook._LISTS", vi, en
    for vi, en in _pairs(excel._SEVERITY):
        yield "excel._SEVERITY", vi, en
    for vi, en in zip(excel._HEADERS["vi"], excel._HEADERS["en"], strict=True):
        yield "excel._HEADERS", vi, en


def _english_clean(texts: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, text) for where, text in texts if VIETNAMESE.search(_bare(text))]


def test_english_texts_hold_no_vietnamese():
    """No English text of the catalogue, the terminal output, the workbooks or the annotated copy is Vietnamese."""
    assert _english_clean((where, en) for where, _, en in _tables()) == []


def test_vietnamese_texts_hold_no_english():
    """No Vietnamese text holds English words (codes, options, paths and quoted values aside)."""
    found = [(where, vi) for where, vi, _ in _tables() if ENGLISH.search(_bare(vi))]
    assert found == []


@pytest.fixture(scope="module")
def english_outputs(tmp_path_factory):
    """The English terminal output of summary and reconcile, and the English roster template's texts."""
    summary = summarise_files([SAMPLE / "danh_sach_dang_vien.xlsx"], declared=SAMPLE / "bao_cao_so_luong.xlsx")
    roll = reconcile_files(SAMPLE / "danh_sach_dang_vien.xlsx", SAMPLE / "danh_sach_2020_09_30.xlsx",
                           movements=SAMPLE / "bien_dong.xlsx")  # fmt: skip
    path = write_template("roster", tmp_path_factory.mktemp("t") / "mau.xlsx", rows=2, lang="en")
    return summary, roll, openpyxl.load_workbook(path)


def _data(summary) -> set[str]:
    """The names the data itself brings (cells, places), which stay as written."""
    return {str(c) for c in summary.cells} | {d.sheet or "" for d in summary.reconciliation}


def test_english_terminal_output(english_outputs):
    """`--lang en` prints English only: no "Tổng cộng", "1 warning" in the singular, English labels."""
    summary, roll, _ = english_outputs
    text = render.summary_text(summary, "en") + "\n" + render.rollforward_text(roll, "en")
    for name in sorted(_data(summary) | {str(c) for c in roll.cells.index}, key=len, reverse=True):
        text = text.replace(name, " ")
    lines = [line for line in text.splitlines() if not line.strip().startswith(("+", "−", "↔", "✓"))]  # names
    assert _english_clean(("summary", line) for line in lines) == []
    assert "Tổng cộng" not in text
    assert render._counts({"error": 1, "warning": 1, "info": 2}, "en") == "1 error, 1 warning, 2 notes"


def test_english_template(english_outputs):
    """The English template: title, comments, input messages and guide in English; headers and lists as on the form."""
    _, _, wb = english_outputs
    from dangvien_data.roster.schemas import load_roster_spec

    spec = load_roster_spec()
    kept = {h for f in spec.fields.values() for h in f.headers} | {c.title for c in spec.codes.values()}
    kept |= {v for c in spec.codes.values() for v in c.values}
    texts = []
    data = wb["Danh sách"]
    for row in data.iter_rows(min_row=1, max_row=9):
        for cell in row:
            if isinstance(cell.value, str) and cell.value not in kept:
                texts.append(("title block", cell.value))
            if cell.comment:
                texts.append(("comment", cell.comment.text))
    texts += [("validation", dv.error or "") for dv in data.data_validations.dataValidation]
    texts += [("validation", dv.prompt or "") for dv in data.data_validations.dataValidation]
    for row in wb["Hướng dẫn"].iter_rows():
        texts += [("guide", c.value) for c in row if isinstance(c.value, str)]

    def scrub(text: str) -> str:
        for name in sorted(kept, key=len, reverse=True):
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
        return re.sub(r"\([^)]*(?:HD|QĐ|Luật|Điều lệ|TT|NĐ|CT)[^)]*\)|(?:HD|QĐ|TT|NĐ|CT) \d+\S*", " ", text)

    rules = {r.source for r in CATALOGUE.values()}
    found = [(w, t) for w, t in texts if t not in rules and VIETNAMESE.search(_bare(scrub(t)))]
    assert found == []
    assert data["A5"].value == "PARTY MEMBER ROSTER"


def test_english_summary_workbook(english_outputs, tmp_path):
    """Every text of the English summary workbook is English but the data's own names (cells, organisation, place)."""
    summary, _, _ = english_outputs
    path = workbook.write_summary_workbook(summary, tmp_path / "summary.xlsx", lang="en")
    names = {*_data(summary), *dict(summary.heading).values()}
    found = []
    for ws in openpyxl.load_workbook(path):
        for row in ws.iter_rows():
            for cell in row:
                text = cell.value
                if not isinstance(text, str) or text in names:
                    continue
                for name in sorted(names, key=len, reverse=True):
                    text = text.replace(name, " ")
                if VIETNAMESE.search(_bare(text)):
                    found.append((ws.title, cell.coordinate, cell.value))
    assert found == []


# --- every template and render string, filled with the values of a real run on the sample files -------------------

# The parameters that carry the data itself (cells as written, headers, code values, names, places, the law a
# schema cites): they stay as written in both languages. Every other parameter an English template uses must be
# English, and every other parameter a Vietnamese template uses must be Vietnamese.
DATA_PARAMS = frozenset(
    {"value", "column", "field", "cell", "member", "members", "others", "converted", "title", "rank", "law", "header",
     "sheet_name", "document", "documents", "label", "other", "other_place", "place", "ref", "where_en", "term"}
)  # fmt: skip
CODES = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(CATALOGUE, key=len, reverse=True)) + r")\b")
CITATION = re.compile(r"(?:Luật|Điều lệ Đảng|Thông tư|QĐ|HD|CT|TT|NĐ)[ \w./–-]*\d[\w./-]*")


def _more_faults(path: Path) -> Path:
    """A small roster with the faults the sample lacks: a wrong status, dates out of order, a rank too high for
    the age, a woman past her service-age limit (so those messages are scanned with real values too)."""
    from conftest import ROSTER_COLUMNS, write_workbook

    day = dt.datetime
    columns = [*ROSTER_COLUMNS, "Chính thức/Dự bị"]
    base = {"Ngày sinh": day(1985, 3, 5), "Giới tính": "Nam", "Dân tộc": "Kinh", "Tôn giáo": "Không",
            "Quê quán": "Hà Nội", "Học vấn": "12/12", "Cấp bậc": "Thiếu tá", "Chức vụ Đảng": "Đảng viên",
            "Ngày vào Đảng": day(2010, 5, 19), "Ngày chính thức": day(2011, 5, 19),
            "Chính thức/Dự bị": "Chính thức"}  # fmt: skip
    rows = [
        {"Họ và tên": "Trần Văn Bình", "Chính thức/Dự bị": "Dự bị", "Chức vụ Đảng": "Bí thư"},
        {"Họ và tên": "Lê Văn Cường", "Ngày sinh": day(2000, 1, 1), "Ngày vào Đảng": day(1999, 5, 1),
         "Ngày chính thức": day(2000, 5, 1)},
        {"Họ và tên": "Phạm Thị Dung", "Ngày sinh": day(1998, 1, 1), "Giới tính": "Nữ", "Cấp bậc": "Đại tá"},
        {"Họ và tên": "Hoàng Thị Em", "Ngày sinh": day(1967, 1, 1), "Giới tính": "Nữ", "Cấp bậc": "Trung tá",
         "Ngày vào Đảng": day(1990, 1, 1), "Ngày chính thức": day(1991, 1, 1)},
    ]  # fmt: skip
    table: list[list] = [["DANH SÁCH ĐẢNG VIÊN CHI BỘ MẪU"], columns]
    for seq, row in enumerate(rows, 1):
        values = {**base, **row, "STT": seq, "Số thẻ đảng viên": f"0123456{seq}", "Số CCCD": f"00108500000{seq}"}
        table.append([values.get(c) for c in columns])
    return write_workbook(path, {"Danh sách": table})


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """validate (the planted roster at 31/03/2020), summary, reconcile and dossier as the README runs them, and
    validate on a roster with the faults the sample has not."""
    from dangvien_data.api import validate_files
    from dangvien_data.dossier.check import check_dossier

    more = validate_files([_more_faults(tmp_path_factory.mktemp("r") / "more.xlsx")], as_of="2020-03-31")
    report = validate_files([SAMPLE / "danh_sach_dang_vien_loi.xlsx"], as_of="2020-03-31")
    summary = summarise_files([SAMPLE / "danh_sach_dang_vien.xlsx"], declared=SAMPLE / "bao_cao_so_luong.xlsx")
    roll = reconcile_files(SAMPLE / "danh_sach_dang_vien.xlsx", SAMPLE / "danh_sach_2020_09_30.xlsx",
                           movements=SAMPLE / "bien_dong.xlsx")  # fmt: skip
    dossier = check_dossier([SAMPLE / "ho_so_nhan_su.xlsx"], [SAMPLE / "danh_sach_dang_vien.xlsx"],
                            congress_date="2020-06-15", seats=12)  # fmt: skip
    return report, summary, roll, dossier, more


def _found(run) -> list[tuple[str, dict]]:
    """(code, params) of every issue and difference of the run, as their messages are formatted."""
    report, summary, roll, dossier, more = run
    issues = [*report.issues, *more.issues, *summary.organisation.issues, *roll.issues, *dossier.issues]
    found = [(i.code, {"value": i.value, "column": i.column, "field": i.field, **i.params}) for i in issues]
    return found + [(d.code, d._values()) for d in (*summary.reconciliation, *roll.differences)]


def _names(run) -> list[str]:
    """The data's own names in the run: members, candidates, cells, sheets, rank values (longest first)."""
    from dangvien_data.roster.schemas import load_roster_spec

    report, summary, roll, dossier, more = run
    issues = [*report.issues, *more.issues, *summary.organisation.issues, *roll.issues, *dossier.issues]
    names = {n for i in issues for n in (i.member, i.cell, i.sheet) if n}
    names |= {str(c) for c in summary.cells} | {str(c) for c in roll.cells.index}
    names |= {str(n) for n in dossier.candidates["full_name"]} | set(load_roster_spec().codes["rank"].values)
    names |= {str(n) for n in roll.changes["member"]}
    names |= {d.sheet for d in (*summary.reconciliation, *roll.differences) if d.sheet}
    names |= {str(v) for _, params in _found(run) for k, v in params.items() if k in DATA_PARAMS and v}
    return sorted(names, key=len, reverse=True)


def _filled(run) -> Iterator[tuple[str, str, str, str]]:
    """(code, language, parameter, value) for every parameter of every catalogue template and fix: the real
    issue's values where the run has that code, else the run's value of the same parameter on another code."""
    found = _found(run)
    pool: dict[str, str] = {}
    for _, params in found:
        for key, value in params.items():
            if value not in (None, "") and key not in pool:
                pool[key] = str(value)
    by_code = {code: params for code, params in reversed(found)}
    for code, rule in CATALOGUE.items():
        params = {**pool, **{k: str(v) for k, v in by_code.get(code, {}).items() if v is not None}}
        for lang, texts in (("en", (rule.message_en, rule.fix_en)), ("vi", (rule.message_vi, rule.fix_vi))):
            for text in texts:
                for _, name, _, _ in string.Formatter().parse(text):
                    if name and name not in DATA_PARAMS and name in params:
                        yield code, lang, name, params[name]


def _scrub(text: str, names: list[str]) -> str:
    """``text`` without what is data: quoted values, the run's names, paths and sheet!ref places, citations."""
    text = re.sub(r'"[^"]*"|“[^”]*”', " ", text)
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    text = re.sub(r"\S+\.xlsx|\[[^\]]*\]|[^\s(]*![A-Z]+\d+|--\S+|schemas/\S+", " ", text)
    return CITATION.sub(" ", text)


def _placeholders() -> set[tuple[str, str, str]]:
    """(code, language, parameter) of every template and fix parameter that is not data."""
    return {
        (code, lang, name)
        for code, rule in CATALOGUE.items()
        for lang, text in (("en", rule.message_en + rule.fix_en), ("vi", rule.message_vi + rule.fix_vi))
        for _, name, _, _ in string.Formatter().parse(text)
        if name and name not in DATA_PARAMS
    }


def test_parameters_are_filled_from_the_run(sample_run):
    """The run fills most parameters of the catalogue's templates, so the scans below read real values."""
    filled = {(code, lang, name) for code, lang, name, _ in _filled(sample_run)}
    assert len(filled) >= 0.75 * len(_placeholders())


def test_english_parameters_hold_no_vietnamese(sample_run):
    """The values an English message fills in are English (sex "female", age "17 years 8 months"), data aside."""
    names = _names(sample_run)
    found = {(c, n, v) for c, lang, n, v in _filled(sample_run) if lang == "en" and VIETNAMESE.search(_scrub(v, names))}
    assert sorted(found) == []


def test_vietnamese_parameters_hold_no_english(sample_run):
    """The values a Vietnamese message fills in are Vietnamese, data aside."""
    names = _names(sample_run)
    found = {(c, n, v) for c, lang, n, v in _filled(sample_run) if lang == "vi" and ENGLISH.search(_scrub(v, names))}
    assert sorted(found) == []


def _terminal(run, lang: str) -> str:
    report, summary, roll, dossier, more = run
    return "\n".join(
        (render.validate_text(report, lang), render.validate_text(more, lang), render.summary_text(summary, lang),
         render.rollforward_text(roll, lang), render.dossier_text(dossier, lang))
    )  # fmt: skip


def _terminal_lines(run, lang: str) -> list[str]:
    """Each line the four commands print, without the data (names, quoted values, places, codes)."""
    names = sorted({*_names(run), *FORM_WORDS}, key=len, reverse=True)
    return [_scrub(CODES.sub(" ", line), names) for line in _terminal(run, lang).splitlines()]


def test_english_terminal_output_of_every_command(sample_run):
    """validate, summary, reconcile and dossier with `--lang en` print no Vietnamese word but the data's."""
    found = [line for line in _terminal_lines(sample_run, "en") if VIETNAMESE.search(line)]
    assert found == []
    text = _terminal(sample_run, "en")
    assert "female, born" in text and "17 years 8 months" in text and "55 years (" in text and "is official" in text
    assert " tuổi" not in text and "sex Nữ" not in text


def test_vietnamese_terminal_output_of_every_command(sample_run):
    """The same four outputs in Vietnamese hold none of the English words (error, warning, total, row …)."""
    found = [line for line in _terminal_lines(sample_run, "vi") if ENGLISH.search(line)]
    assert found == []
    text = _terminal(sample_run, "vi")
    assert "17 tuổi 8 tháng" in text and "giới tính Nữ" in text


def test_ages_in_words():
    """An age reads "55 years", "17 years 8 months", "1 year 1 month" in English and "55 tuổi 2 tháng" in Vietnamese."""
    from dangvien_data.domain.service import age_text

    assert [age_text(m, "en") for m in (660, 212, 13)] == ["55 years", "17 years 8 months", "1 year 1 month"]
    assert age_text(662) == "55 tuổi 2 tháng" and age_text(660) == "55 tuổi"


def test_reading_limits_write_vietnamese_figures():
    """A refused file's sizes read 25.000.000 ô in Vietnamese and 25,000,000 cells in English."""
    from dangvien_data.io.loader import _oversized, _too_many_strings
    from dangvien_data.io.xlsx_scan import ReadLimits, SheetScan

    limits = ReadLimits(max_cells=20_000_000, max_memory=4 * 1024**3)
    error = _oversized(Path("a.xlsx"), "Danh sách", SheetScan("xl/worksheets/sheet1.xml", cells=25_000_000), limits)
    assert "(25.000.000 ô" in error.message("vi") and "20.000.000 ô" in error.message("vi")
    assert "(25,000,000 cells" in error.message("en")
    strings = _too_many_strings(Path("a.xlsx"), 3_000_000_000, limits).message("vi")
    assert "3.000.000.000 chuỗi" in strings and "GiB" in strings


def test_counts_in_messages_group_thousands_as_each_language_does():
    """A count of members in a message reads 12.345 in Vietnamese and 12,345 in English; a year stays 2020."""
    from dangvien_data.issues import Issue, Severity

    issue = Issue("organisation-below-committee-size", Severity.WARNING, params={"count": 12345, "cells": 2, "min": 30})
    assert "12.345" in issue.message("vi") and "12,345" in issue.message("en")
    delegate = Issue("congress-delegate", Severity.INFO, params={"count": 1500, "min": 500, "term": "2020-2025"})
    assert "1.500" in delegate.message("vi") and "2020-2025" in delegate.message("vi")
