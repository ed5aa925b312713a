"""The reader: finding the roster in office-style workbooks, with provenance."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import HEADER, member, write_workbook
from dangvien_data import read_roster
from dangvien_data.errors import (
    CorruptWorkbookError,
    EncryptedWorkbookError,
    FileNotFoundInputError,
    NoRosterError,
    UnsupportedFormatError,
)
from dangvien_data.roster.reader import header_key, match_header
from dangvien_data.roster.validation import validate

TITLE = [
    ["ĐẢNG BỘ CÔNG AN THỊ XÃ YÊN BÌNH", None, None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["*"],
    ["Yên Bình, ngày 31 tháng 3 năm 2020"],
    ["DANH SÁCH ĐẢNG VIÊN"],
    ["(Tính đến ngày 31/03/2020)"],
    [],
]


def _codes(issues: list) -> list[tuple[str | None, str | None, str]]:
    """(sheet, ref, code) of every issue but the cell-unknown warning of sheets that name no cell."""
    return [(i.sheet, i.ref, i.code) for i in issues if i.code != "cell-unknown"]


class TestHeader:
    def test_header_found_below_title_rows(self, make_workbook):
        """The header is found by its texts, whatever row it is on."""
        path = make_workbook(
            "a.xlsx", {"DS": [*TITLE, HEADER, member(), member(name="Trần Thị Bình", card="12345678")]}
        )
        roster = read_roster(path)
        assert len(roster) == 2
        assert roster.sources[0].header_rows == (7,)
        assert roster.frame["row"].tolist() == [8, 9]
        assert roster.sources[0].columns["full_name"].letter == "B"
        assert roster.sources[0].columns["admitted_on"].header == "Ngày vào Đảng"

    def test_header_key_ignores_accents_case_and_brackets(self):
        """Headers typed without accents, in capitals or with a number in brackets still match."""
        assert header_key("HỌ VÀ TÊN (2)") == header_key("Ho va ten") == "hovaten"

    def test_alias_headers(self, make_workbook):
        """Aliases from schemas/roster.yaml are recognised."""
        header = ["TT", "Họ tên", "Ngày tháng năm sinh", "Giới tính", "Dân tộc", "Ngày kết nạp", "Số thẻ"]
        path = make_workbook(
            "a.xlsx", {"S": [header, [1, "Lê Văn Hùng", "05/03/1985", "Nam", "Kinh", "19/05/2010", "01234567"]]}
        )
        roster = read_roster(path)
        assert set(roster.sources[0].columns) >= {
            "seq",
            "full_name",
            "birth_date",
            "sex",
            "ethnicity",
            "admitted_on",
            "card_number",
        }
        assert roster.frame.loc[0, "admitted_on"] == pd.Timestamp("2010-05-19")

    def test_two_row_merged_header_with_sex_split(self, make_workbook):
        """ "Ngày sinh" over "Nam | Nữ" and "Trình độ" over three levels map to their fields."""
        top = ["STT", "Họ và tên", "Ngày sinh", None, "Dân tộc", "Trình độ", None, None, "Ngày vào Đảng"]
        sub = [None, None, "Nam", "Nữ", None, "Học vấn", "Chuyên môn", "Lý luận chính trị", None]
        numbering = [f"({i})" for i in range(1, 10)]
        rows = [
            *TITLE,
            top,
            sub,
            numbering,
            [
                1,
                "Nguyễn Văn An",
                dt.datetime(1985, 3, 5),
                None,
                "Kinh",
                "12/12",
                "Đại học",
                "Trung cấp",
                dt.datetime(2010, 5, 19),
            ],
            [2, "Trần Thị Bình", None, "07/08/1990", "Tày", "12/12", "Cao đẳng", "Sơ cấp", "03/02/2015"],
        ]
        merges = ["A7:A8", "B7:B8", "C7:D7", "E7:E8", "F7:H7", "I7:I8"]
        path = make_workbook("a.xlsx", {"DS": rows}, merges={"DS": merges})
        roster = read_roster(path)
        frame = roster.frame
        assert roster.sources[0].header_rows == (7, 8)
        assert frame["row"].tolist() == [10, 11]
        assert frame["sex"].tolist() == ["Nam", "Nữ"]
        assert frame["birth_date"].tolist() == [pd.Timestamp("1985-03-05"), pd.Timestamp("1990-08-07")]
        assert frame["professional"].tolist() == ["Đại học", "Cao đẳng"]
        assert frame["political_theory"].tolist() == ["Trung cấp", "Sơ cấp"]
        assert roster.refs("birth_date").tolist() == ["C10", "D11"]

    def test_both_sex_columns_filled_is_an_issue(self, make_workbook):
        """A birth date under both Nam and Nữ is a data problem at the Nữ cell, not a crash."""
        top = ["STT", "Họ và tên", "Ngày sinh", None, "Dân tộc", "Ngày vào Đảng"]
        sub = [None, None, "Nam", "Nữ", None, None]
        rows = [top, sub, [1, "Nguyễn Văn An", "05/03/1985", "05/03/1985", "Kinh", "19/05/2010"]]
        roster = read_roster(make_workbook("a.xlsx", {"DS": rows}))
        assert _codes(roster.issues) == [("DS", "D3", "sex-conflict")]
        assert pd.isna(roster.frame.loc[0, "sex"])


class TestLayout:
    def test_sections_set_cell_and_footers_are_ignored(self, make_workbook):
        """Section rows name the cell of the rows below; totals and signatures are not members."""
        rows = [
            *TITLE,
            HEADER,
            [f"({i})" for i in range(1, 12)],
            ["I. Chi bộ Đội Tổng hợp"],
            member(),
            member(name="Lê Thị Cúc", card="22345678", seq=2),
            [],
            ["II. Chi bộ Đồn Công an KCN Yên Bình (1 đồng chí)"],
            member(name="Phạm Văn Dũng", card="32345678"),
            [],
            ["Tổng cộng: 3 đồng chí"],
            [None, None, None, None, None, None, None, "T/M ĐẢNG ỦY"],
            [None, None, None, None, None, None, None, "BÍ THƯ"],
            [],
            [None, None, None, None, None, None, None, "Nguyễn Văn Bí Thư"],
        ]
        path = make_workbook("a.xlsx", {"Danh sách": rows}, merges={"Danh sách": ["A9:K9", "A13:K13"]})
        roster = read_roster(path)
        assert roster.frame["cell"].tolist() == ["Chi bộ Đội Tổng hợp"] * 2 + ["Chi bộ Đồn Công an KCN Yên Bình"]
        assert roster.frame["row"].tolist() == [10, 11, 14]
        assert roster.sources[0].data_start == 9

    def test_hidden_rows_are_still_members(self, make_workbook):
        """A hidden row is data: it is read like any other."""
        rows = [HEADER, member(), member(name="Lê Thị Cúc", card="22345678")]
        roster = read_roster(make_workbook("a.xlsx", {"DS": rows}, hidden_rows={"DS": [3]}))
        assert roster.frame["full_name"].tolist() == ["Nguyễn Văn An", "Lê Thị Cúc"]

    def test_one_sheet_per_cell(self, make_workbook):
        """Several roster sheets: each sheet's name is its cell."""
        path = make_workbook(
            "a.xlsx",
            {
                "Chi bộ Đội An ninh": [HEADER, member()],
                "Đội Tổng hợp": [HEADER, member(name="Lê Thị Cúc", card="22345678")],
                "Ghi chú": [["Không phải danh sách"]],
            },
        )
        roster = read_roster(path)
        assert roster.cells == ["Chi bộ Đội An ninh", "Đội Tổng hợp"]
        assert _codes(roster.issues) == [("Ghi chú", None, "sheet-skipped")]

    def test_folder_of_cell_workbooks_takes_cell_from_title(self, tmp_path: Path):
        """One workbook per cell in a folder: the cell comes from the title row, else the file name."""
        folder = tmp_path / "chi_bo"
        folder.mkdir()
        write_workbook(folder / "01.xlsx", {"Sheet1": [["DANH SÁCH ĐẢNG VIÊN CHI BỘ ĐỘI AN NINH"], HEADER, member()]})
        write_workbook(folder / "Chi bo Doi Tong hop.xlsx", {"Sheet1": [HEADER, member(card="22345678")]})
        (folder / "~$01.xlsx").write_bytes(b"lock file")
        roster = read_roster(folder)
        assert roster.cells == ["Chi bộ Đội An Ninh", "Chi bo Doi Tong hop"]
        assert len(roster.files) == 2

    def test_data_starting_in_column_b_keeps_true_refs(self, make_workbook):
        """When column A is empty, letters and rows still point at the real cells."""
        rows = [[None, *HEADER], [None, *member()]]
        roster = read_roster(make_workbook("a.xlsx", {"DS": [[], *rows]}))
        assert roster.refs("full_name").tolist() == ["C3"]


class TestValues:
    def test_leading_zeros_and_text_dates_kept(self, make_workbook):
        """Card numbers stay text with their zeros; text dates in every office form are parsed day-first."""
        forms = ["05/03/1985", "5/3/1985", "05.03.1985", "05-03-1985", "03/1985", "1985"]
        rows = [HEADER] + [member(born=f, card=f"0000000{i}", name=f"Người {i}") for i, f in enumerate(forms)]
        roster = read_roster(make_workbook("a.xlsx", {"DS": rows}))
        frame = roster.frame
        assert frame["card_number"].tolist() == [f"0000000{i}" for i in range(6)]
        assert frame["birth_date"].tolist()[:4] == [pd.Timestamp("1985-03-05")] * 4
        assert frame["birth_date"].tolist()[4:] == [pd.Timestamp("1985-03-01"), pd.Timestamp("1985-01-01")]
        assert frame["birth_date_precision"].tolist() == ["day"] * 4 + ["month", "year"]

    def test_late_text_dates_are_not_emptied(self, make_workbook):
        """A text date after 2,000 real dates is still read (the type-guessing trap of benchmarks/README.md)."""
        rows = [HEADER] + [member(card=f"{i:08d}", name=f"Người {i}") for i in range(2000)]
        rows.append(member(born="07/08/1990", card="99999999", name="Người cuối"))
        frame = read_roster(make_workbook("a.xlsx", {"DS": rows})).frame
        assert frame["birth_date"].iloc[-1] == pd.Timestamp("1990-08-07")

    def test_invalid_date_is_flagged_not_raised(self, make_workbook):
        """ "31/02/1985" is kept as written and flagged invalid."""
        roster = read_roster(make_workbook("a.xlsx", {"DS": [HEADER, member(born="31/02/1985")]}))
        assert roster.frame.loc[0, "birth_date_invalid"]
        assert roster.raw.loc[0, "birth_date"] == "31/02/1985"

    def test_education_turned_into_a_date_is_recovered(self, make_workbook):
        """ "12/12" that Excel turned into 12 December is read back as "12/12", with an info issue."""
        rows = [
            HEADER,
            member(education=dt.datetime(2020, 12, 12)),
            member(education=dt.datetime(2020, 9, 12), card="22345678"),
        ]
        roster = read_roster(make_workbook("a.xlsx", {"DS": rows}))
        assert roster.frame["education"].tolist() == ["12/12", "9/12"]
        assert _codes(roster.issues) == [
            ("DS", "H2", "education-date-recovered"),
            ("DS", "H3", "education-date-recovered"),
        ]

    def test_codes_mapped_through_aliases(self, make_workbook):
        """ "Khơ-me" is read as "Khmer", "Thiên Chúa giáo" as "Công giáo"."""
        rows = [HEADER, member(ethnicity="Khơ-me", religion="Thiên Chúa giáo")]
        frame = read_roster(make_workbook("a.xlsx", {"DS": rows})).frame
        assert (frame.loc[0, "ethnicity"], frame.loc[0, "religion"]) == ("Khmer", "Công giáo")

    def test_legacy_tcvn3_text_converted_with_issue(self, make_workbook):
        """A TCVN3 home town is converted and the original text is kept in the issue."""
        rows = [HEADER, member(home_town="Hµ Néi")]
        roster = read_roster(make_workbook("a.xlsx", {"DS": rows}))
        assert roster.frame.loc[0, "home_town"] == "Hà Nội"
        assert [(i.code, i.ref, i.value) for i in roster.issues if i.code != "cell-unknown"] == [
            ("legacy-encoding-converted", "G2", "Hµ Néi")
        ]

    def test_formula_cached_value_is_read(self, make_workbook, tmp_path: Path):
        """A formula cell is read as the value Excel cached for it."""
        path = make_workbook("f.xlsx", {"DS": [HEADER, member(home_town='=CONCATENATE("Hà"," Nội")')]})
        patched = tmp_path / "cached.xlsx"
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    text = data.decode()
                    start = text.index("<f>CONCATENATE")
                    end = text.index("</c>", start)
                    text = (
                        text[:start]
                        + text[start:end].replace("<v />", "").replace("</f>", "</f><v>Hà Nội</v>")
                        + text[end:]
                    )
                    text = text.replace('<c r="G2"', '<c r="G2" t="str"', 1)
                    data = text.encode()
                dst.writestr(item, data)
        assert read_roster(patched).frame.loc[0, "home_town"] == "Hà Nội"


class TestRefusals:
    def test_missing_file(self, tmp_path: Path):
        """A path that does not exist is refused with its name in the message."""
        with pytest.raises(FileNotFoundInputError, match=r"khong_co\.xlsx"):
            read_roster(tmp_path / "khong_co.xlsx")

    def test_text_file_renamed(self, tmp_path: Path):
        """A text file named .xlsx is refused as not a workbook."""
        path = tmp_path / "gia.xlsx"
        path.write_text("Họ và tên,Ngày sinh\n", encoding="utf-8")
        with pytest.raises(CorruptWorkbookError, match=r"gia\.xlsx"):
            read_roster(path)

    def test_encrypted_workbook(self, tmp_path: Path):
        """An OLE container named .xlsx (how Excel stores encrypted workbooks) is refused as encrypted."""
        path = tmp_path / "mat_khau.xlsx"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
        with pytest.raises(EncryptedWorkbookError, match="mật khẩu"):
            read_roster(path)

    def test_csv_is_unsupported(self, tmp_path: Path):
        """A .csv is not a workbook format we read."""
        path = tmp_path / "ds.csv"
        path.write_text("a,b\n", encoding="utf-8")
        with pytest.raises(UnsupportedFormatError):
            read_roster(path)

    def test_no_roster_header(self, make_workbook):
        """A workbook with no recognisable header is refused, naming the file."""
        path = make_workbook("lạ.xlsx", {"S": [["Tên", "Tuổi"], ["A", 3]]})
        with pytest.raises(NoRosterError, match=r"lạ\.xlsx"):
            read_roster(path)


class TestRegressions:
    def test_explicit_cell_column(self, make_workbook):
        """A "Chi bộ" column names each member's cell and wins over a section row."""
        header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Chi bộ"]
        rows = [
            header,
            ["I. Chi bộ A"],
            [1, "Lê Văn Hùng", "05/03/1985", "Nam", "19/05/2010", "Chi bộ B"],
            [2, "Lê Văn Tú", "05/03/1986", "Nam", "19/05/2011", None],
        ]
        roster = read_roster(make_workbook("a.xlsx", {"DS": rows}))
        assert roster.frame["cell"].tolist() == ["Chi bộ B", "Chi bộ A"]

    def test_hidden_sheet_without_roster_is_not_noted(self, tmp_path):
        """A hidden code-list sheet is skipped silently; a visible one is noted."""
        import openpyxl

        path = write_workbook(
            tmp_path / "a.xlsx", {"DS": [HEADER, member()], "Danh mục": [["Kinh"]], "Ghi chú": [["x"]]}
        )
        wb = openpyxl.load_workbook(path)
        wb["Danh mục"].sheet_state = "hidden"
        wb.save(path)
        assert _codes(read_roster(path).issues) == [("Ghi chú", None, "sheet-skipped")]


class TestBackgroundLoading:
    """The loader thread (``_loader``): reading overlaps imports and the previous file, with the same results."""

    def _folder(self, tmp_path: Path, bad: str | None = None) -> Path:
        folder = tmp_path / "chi_bo"
        folder.mkdir()
        for i in range(4):
            rows = [[f"DANH SÁCH ĐẢNG VIÊN CHI BỘ SỐ {i}"], HEADER, member(card=f"1234567{i}")]
            write_workbook(folder / f"{i:02d}.xlsx", {"Sheet1": rows})
        if bad:
            (folder / bad).write_text("not a workbook", encoding="utf-8")
        return folder

    def test_folder_read_in_order_and_prefetch_taken_once(self, tmp_path: Path):
        """A prefetched folder reads as the same roster, in file order, and leaves nothing loaded behind."""
        from dangvien_data.io import loader as _loader

        folder = self._folder(tmp_path)
        expected = read_roster(folder)
        files = _loader.prefetch([folder])
        assert [f.name for f in files] == ["00.xlsx", "01.xlsx", "02.xlsx", "03.xlsx"]
        roster = read_roster(folder)
        assert not _loader._PREFETCHED
        assert roster.files == [str(f) for f in files]
        pd.testing.assert_frame_equal(roster.frame, expected.frame)
        assert [i.code for i in roster.issues] == [i.code for i in expected.issues]

    def test_error_at_its_file_and_the_others_read(self, tmp_path: Path):
        """A damaged third file of a folder is a file-level error at that file; every other file is still read."""
        folder = self._folder(tmp_path, bad="02b.xlsx")
        roster = read_roster(folder)
        assert len(roster) == 4
        assert [(Path(i.file).name, i.code, i.sheet, i.ref) for i in roster.issues if i.severity == "error"] == [
            ("02b.xlsx", "file-unreadable", None, None)
        ]
        assert len(read_roster(sorted(folder.glob("0?.xlsx")))) == 4  # the loader goes on serving

    def test_damaged_single_file_still_raises(self, tmp_path: Path):
        """A damaged file read alone cannot give a report: it raises, named (exit 2 on the command line)."""
        folder = self._folder(tmp_path, bad="02b.xlsx")
        with pytest.raises(CorruptWorkbookError, match=r"02b\.xlsx"):
            read_roster(folder / "02b.xlsx")

    def test_loader_keeps_no_workbook_once_taken(self, tmp_path: Path):
        """After a workbook is handed over, the idle loader thread holds no reference to it (250 MiB at 500k)."""
        import gc
        import weakref

        from dangvien_data.io import loader as _loader

        files = sorted(self._folder(tmp_path).glob("*.xlsx"))
        refs = [weakref.ref(loaded) for loaded in _loader.load_many(files)]
        gc.collect()
        assert len(refs) == 4 and all(ref() is None for ref in refs)

    def test_dead_loader_is_an_error_not_a_hang(self, monkeypatch):
        """Should the loader thread ever die, the caller gets an error instead of waiting forever."""
        from concurrent.futures import Future

        from dangvien_data.io import loader as _loader

        class Dead:
            thread = type("T", (), {"is_alive": staticmethod(lambda: False)})()

        monkeypatch.setattr(_loader, "_WORKER", Dead())
        with pytest.raises(RuntimeError, match="loader thread"):
            _loader._result(Future())


def test_text_keys_in_bulk_match_one_by_one():
    """The Arrow form of the row-matching key agrees with the per-text one on sections, footers and odd spaces."""
    from dangvien_data.roster.reader import _text_key, _text_keys

    texts = [
        "I. Chi bộ Đội An ninh",
        "  T/M  CHI ỦY\u00a0\u00a0 BÍ THƯ ",
        "Tổng cộng: 25 đồng chí",
        "Ð ð\u2003x\u3000y\u0085z",
        "Chi bộ\vTổng hợp",  # \v: Python's whitespace, not RE2's
        "Người lập biểu",
        "Cộng",
        "Chi bộ Nghiệp vụ (đ/c Hoà)",
        "Chi bo khong dau",
        "",
    ]
    assert _text_keys(texts) == [_text_key(t) for t in texts]


class TestHeaderVocabulary:
    """Headers as other offices write them: abbreviations, spacing, split names, user aliases."""

    @pytest.mark.parametrize(
        ("text", "field"),
        [
            ("DT", "ethnicity"),
            ("TG", "religion"),
            ("Ngày VĐ", "admitted_on"),
            ("ngày  v.đ", "admitted_on"),
            ("Ngày CT", "official_on"),
            ("NGÀY CT", "official_on"),
            ("Số thẻ ĐV", "card_number"),
            ("Số  thẻ  đ.v", "card_number"),
            ("Năm sinh", "birth_date"),
            ("Lý luận CT", "political_theory"),
            ("Họ", "full_name__family"),
            ("Họ và tên đệm", "full_name__family"),
            ("Tên", "full_name__given"),
            ("Họ tên đồng chí", "full_name"),  # from schemas/aliases.yaml
            ("Ghi chú (biến động)", "note"),
            ("Mã", None),
        ],
    )
    def test_match_header(self, text: str, field: str | None):
        """Headers match on normalised tokens with abbreviations expanded and the user aliases added."""
        assert match_header(text) == field

    def test_combined_election_column_matches_in_any_order(self):
        """ "Tái cử / Tham gia lần đầu" is the dossier's one column holding both states, whatever the order."""
        from dangvien_data.dossier.read import load_dossier_spec

        spec = load_dossier_spec().candidates
        field = match_header("Tham gia lần đầu/Tái cử", spec)
        assert field is not None
        assert match_header("Tái cử / Tham gia lần đầu", spec) == field
        assert match_header("TÁI CỬ/THAM GIA LẦN ĐẦU", spec) == field

    def test_user_alias_file_extends_headers(self, tmp_path: Path):
        """An alias added to schemas/aliases.yaml makes a new header readable, without editing roster.yaml."""
        import shutil

        from dangvien_data.roster.schemas import default_schema_dir, load_roster_spec

        schemas = tmp_path / "schemas"
        shutil.copytree(default_schema_dir(), schemas)
        (schemas / "aliases.yaml").write_text('roster:\n  admitted_on: ["Kết nạp ngày"]\n', encoding="utf-8")
        assert match_header("Kết nạp ngày", load_roster_spec(schemas)) == "admitted_on"
        assert match_header("Kết nạp ngày") is None

    def test_alias_file_naming_unknown_field_is_refused(self, tmp_path: Path):
        """A field name in aliases.yaml that roster.yaml lacks is a schema error naming the file."""
        import shutil

        from dangvien_data.errors import SchemaFileError
        from dangvien_data.roster.schemas import default_schema_dir, load_roster_spec

        schemas = tmp_path / "schemas"
        shutil.copytree(default_schema_dir(), schemas)
        (schemas / "aliases.yaml").write_text('roster:\n  nickname: ["Bí danh"]\n', encoding="utf-8")
        with pytest.raises(SchemaFileError, match=r"aliases\.yaml"):
            load_roster_spec(schemas)

    def test_abbreviated_headers_keep_their_data(self, make_workbook):
        """A sheet headed DT, TG, Ngày VĐ, Ngày CT, Số thẻ ĐV is read whole: no unknown or missing column."""
        header = ["TT", "Họ và tên", "Ngày sinh", "GT", "DT", "TG", "Quê quán", "Học vấn", "Ngày VĐ", "Ngày CT"]
        path = make_workbook("ds.xlsx", {"DS": [header, member()[:10]]})
        roster = read_roster(path)
        assert roster.frame.loc[0, "official_on"] == pd.Timestamp("2011-05-19")
        report = validate(roster, as_of="2020-03-31")
        assert [i.code for i in report.issues if i.code in ("unknown-column", "missing-column")] == []

    @pytest.mark.parametrize("family", ["Họ", "Họ và tên đệm"])
    def test_split_name_joined_at_the_first_column(self, make_workbook, family: str):
        """ "Họ" + "Tên" columns give one name; issues about the name point at the first of them."""
        header = ["STT", family, "Tên", *HEADER[2:]]
        rows = [header, [1, "Nguyễn Văn", "An", *member()[2:]], [2, None, None, *member(card="12345678")[2:]]]
        path = make_workbook("ds.xlsx", {"DS": rows})
        roster = read_roster(path)
        assert roster.frame["full_name"].tolist()[:1] == ["Nguyễn Văn An"]
        assert roster.sources[0].columns["full_name"].letter == "B"
        report = validate(roster, as_of="2020-03-31")
        assert [(i.sheet, i.ref, i.code) for i in report.issues if i.field == "full_name"] == [
            ("DS", "B3", "missing-value")
        ]

    def test_split_name_under_a_merged_name_header(self, make_workbook):
        """ "Họ và tên" over "Họ | Tên" sub-headers is a split name too."""
        top = ["STT", "Họ và tên", None, "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng"]
        sub = [None, "Họ và tên đệm", "Tên", None, None, None, None]
        row = [1, "Trần Thị", "Lan", dt.datetime(1985, 3, 5), "Nữ", "Kinh", dt.datetime(2010, 5, 19)]
        path = make_workbook("ds.xlsx", {"DS": [top, sub, row]}, merges={"DS": ["B1:C1", "A1:A2", "D1:D2"]})
        roster = read_roster(path)
        assert roster.frame["full_name"].tolist() == ["Trần Thị Lan"]
        assert roster.frame["row"].tolist() == [3]


class TestNotMembers:
    """Totals, signatures and notes are never members; departed members are left out, exempted ones kept."""

    def test_totals_row_with_formulas_is_not_a_member(self, make_workbook):
        """A "Tổng cộng" row of SUM/COUNTA formulas and a label-less row of column sums are noted, not counted."""
        rows = [
            HEADER,
            member(),
            member(name="Lê Thị Hoa", sex="Nữ", card="12345678", seq=2),
            [None, "Tổng cộng", None, None, None, None, None, None, "=COUNTA(I2:I3)"],
            ["=COUNT(A2:A3)", None, None, None, None, None, None, None, 2],
        ]
        roster = read_roster(make_workbook("ds.xlsx", {"DS": rows}))
        assert len(roster) == 2
        assert [(i.ref, i.code) for i in roster.issues if i.code == "row-not-member"] == [
            ("B4", "row-not-member"),
            ("A5", "row-not-member"),
        ]
        report = validate(roster, as_of="2020-03-31")
        assert [i for i in report.issues if i.code == "missing-value"] == []

    def test_signature_block_and_note_reported_once(self, make_workbook):
        """A note under the table and the signature block are each one info at their row."""
        rows = [
            HEADER,
            member(),
            [None, "Ghi chú: danh sách có cả đảng viên dự bị."],
            [],
            [None, None, None, None, None, None, "T/M CHI BỘ"],
            [None, None, None, None, None, None, "BÍ THƯ"],
            [None, None, None, None, None, None, "Nguyễn Văn Bí"],
        ]
        roster = read_roster(make_workbook("ds.xlsx", {"DS": rows}))
        assert len(roster) == 1
        notes = [(i.ref, i.params["kind_en"]) for i in roster.issues if i.code == "row-not-member"]
        assert notes == [("B3", "a note under the table"), ("G5", "the signature block")]

    def test_departed_and_exempted_members(self, make_workbook):
        """ "Chuyển đi" and "Từ trần" rows are warnings and not counted; "Miễn sinh hoạt" is a warning, counted."""
        header = [*HEADER, "Ghi chú"]
        rows = [
            header,
            [*member(), None],
            [*member(name="Lê Văn Bình", card="12345678", seq=2), "Đã chuyển sinh hoạt về CA tỉnh"],
            [*member(name="Phạm Văn Cường", card="22345678", seq=3), "Từ trần"],
            [*member(name="Vũ Thị Dung", sex="Nữ", card="32345678", seq=4), "Miễn sinh hoạt đảng"],
        ]
        roster = read_roster(make_workbook("ds.xlsx", {"DS": rows}))
        assert roster.frame["full_name"].tolist() == ["Nguyễn Văn An", "Vũ Thị Dung"]
        found = [
            (i.ref, i.code, i.params.get("reason"), i.member) for i in roster.issues if i.code.startswith("member")
        ]
        assert found == [
            ("L3", "member-departed", "transferred", "Lê Văn Bình"),
            ("L4", "member-departed", "died", "Phạm Văn Cường"),
            ("L5", "member-exempted", "exempted", "Vũ Thị Dung"),
        ]
        assert roster.frame["status"].tolist() == [pd.NA, "exempted"]

    def test_hidden_rows(self, tmp_path: Path):
        """A hidden row marked "Chuyển đi" is left out; a hidden row with no note is counted and noted."""
        header = [*HEADER, "Ghi chú"]
        rows = [header, [*member(), "Chuyển đi"], [*member(name="Lê Văn Bình", card="12345678", seq=2), None]]
        path = write_workbook(tmp_path / "an.xlsx", {"DS": rows})
        wb = openpyxl.load_workbook(path)
        wb["DS"].row_dimensions[2].hidden = True
        wb["DS"].row_dimensions[3].hidden = True
        wb.save(path)
        roster = read_roster(path)
        assert roster.frame["full_name"].tolist() == ["Lê Văn Bình"]
        found = [(i.ref, i.code, str(i.severity)) for i in roster.issues if i.code in ("member-departed", "row-hidden")]
        assert found == [("L2", "member-departed", "warning"), ("B3", "row-hidden", "info")]


class TestFolders:
    """Cell names keep acronyms; missing columns weigh by their use."""

    @pytest.mark.parametrize(
        ("title", "cell"),
        [
            ("CHI BỘ ĐỒN CÔNG AN KCN YÊN BÌNH", "Chi bộ Đồn Công an KCN Yên Bình"),
            ("CHI BỘ ĐỘI CẢNH SÁT PCCC", "Chi bộ Đội Cảnh Sát PCCC"),
            ("CHI BỘ TRƯỜNG THCS SỐ 1", "Chi bộ Trường THCS Số 1"),
            ("CHI BỘ UBND XÃ", "Chi bộ UBND Xã"),
        ],
    )
    def test_cell_names_keep_acronyms(self, make_workbook, title: str, cell: str):
        """A cell name in capitals is recased, keeping words without a vowel and listed acronyms."""
        roster = read_roster(make_workbook("ds.xlsx", {"DS": [[f"DANH SÁCH ĐẢNG VIÊN {title}"], HEADER, member()]}))
        assert roster.cells == [cell]

    def test_missing_record_column_is_a_warning(self, make_workbook):
        """Without Quê quán and Học vấn (record only) a clean file has warnings, no error."""
        header = [h for h in HEADER if h not in ("Quê quán", "Học vấn")]
        row = [v for h, v in zip(HEADER, member(), strict=True) if h not in ("Quê quán", "Học vấn")]
        report = validate(read_roster(make_workbook("ds.xlsx", {"DS": [header, row]})), as_of="2020-03-31")
        found = sorted((i.code, str(i.severity), i.field) for i in report.issues if i.code == "missing-column")
        assert found == [("missing-column", "warning", "education"), ("missing-column", "warning", "home_town")]
        assert report.ok

    def test_missing_counted_column_is_an_error_linked_to_its_lookalike(self, make_workbook):
        """A missing column a count needs is an error, and names the unknown column that resembles it."""
        header = [h if h != "Ngày vào Đảng" else "Ngày vào Đảnggg" for h in HEADER]
        report = validate(read_roster(make_workbook("ds.xlsx", {"DS": [header, member()]})), as_of="2020-03-31")
        missing = [i for i in report.issues if i.code == "missing-column" and i.field == "admitted_on"]
        assert [str(i.severity) for i in missing] == ["error"]
        assert '"Ngày vào Đảnggg"' in missing[0].message("vi")


def test_name_merged_over_two_columns_without_sub_headers(make_workbook):
    """ "Họ và tên" merged over B:C, with "Nguyễn Văn" in B and "An" in C, reads as one name at B."""
    header = ["STT", "Họ và tên", None, *HEADER[2:]]
    rows = [
        header,
        [1, "Nguyễn Văn", "An", *member()[2:]],
        [2, "Trần Thị", "Lan", *member(sex="Nữ", card="12345678")[2:]],
    ]
    roster = read_roster(make_workbook("ds.xlsx", {"DS": rows}, merges={"DS": ["B1:C1"]}))
    assert roster.frame["full_name"].tolist() == ["Nguyễn Văn An", "Trần Thị Lan"]
    assert roster.sources[0].columns["full_name"].letter == "B"
    assert roster.sources[0].columns["birth_date"].letter == "D"


def test_member_who_moved_in_is_not_departed(make_workbook):
    """ "Chuyển đến năm 2019" and "Chuyển sinh hoạt đến từ CA huyện" are members who moved in: counted, no warning."""
    header = [*HEADER, "Ghi chú"]
    rows = [
        header,
        [*member(), "Chuyển đến năm 2019"],
        [*member(name="Lê Văn Bình", card="12345678", seq=2), "Chuyển sinh hoạt đến từ CA huyện"],
    ]
    roster = read_roster(make_workbook("ds.xlsx", {"DS": rows}))
    assert len(roster) == 2
    assert [i.code for i in roster.issues if i.code.startswith("member-")] == []


def test_sub_headers_read_with_their_group(make_workbook):
    """ "Ngày vào Đảng" over "Dự bị | Chính thức" and "Chức vụ" over "Đảng | Chính quyền" map to four fields."""
    top = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", None, "Chức vụ", None]
    sub = [None, None, None, None, "Dự bị", "Chính thức", "Đảng", "Chính quyền"]
    row = [
        1,
        "Nguyễn Văn An",
        dt.datetime(1985, 3, 5),
        "Nam",
        dt.datetime(2010, 5, 19),
        dt.datetime(2011, 5, 19),
        "Bí thư",
        "Đội trưởng",
    ]
    merges = {"DS": ["E1:F1", "G1:H1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"]}
    roster = read_roster(make_workbook("ds.xlsx", {"DS": [top, sub, row]}, merges=merges))
    columns = {f: c.letter for f, c in roster.sources[0].columns.items()}
    assert {k: columns[k] for k in ("admitted_on", "official_on", "party_post", "position")} == {
        "admitted_on": "E",
        "official_on": "F",
        "party_post": "G",
        "position": "H",
    }
    assert roster.frame.loc[0, "admitted_on"] == pd.Timestamp("2010-05-19")


def test_sex_marked_under_nam_nu_sub_columns(make_workbook):
    """ "Giới tính" over "Nam | Nữ" with an "x" in one of them gives the sex, at the marked column."""
    top = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", None, "Dân tộc", "Ngày vào Đảng"]
    sub = [None, None, None, "Nam", "Nữ", None, None]
    rows = [
        top,
        sub,
        [1, "Nguyễn Văn An", dt.datetime(1985, 3, 5), "x", None, "Kinh", dt.datetime(2010, 5, 19)],
        [2, "Trần Thị Lan", dt.datetime(1986, 4, 6), None, "x", "Kinh", dt.datetime(2011, 5, 19)],
    ]
    merges = {"DS": ["D1:E1", "A1:A2", "B1:B2", "C1:C2", "F1:F2", "G1:G2"]}
    roster = read_roster(make_workbook("ds.xlsx", {"DS": rows}, merges=merges))
    assert roster.frame["sex"].tolist() == ["Nam", "Nữ"]
    assert roster.refs("sex").tolist() == ["D3", "E4"]


# --- the few-sheet fast paths give what the whole-column paths give ------------------------------------------
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
_TEXTS = _LETTERS + "ùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỲÝ0123456789 .,:;/()-*\t\u00a0\u3000§¬©ÐðİẞΣ"


def test_a_few_text_keys_are_made_as_the_arrow_passes_make_them():
    """Section, total and signature rows of a small sheet are keyed in Python (compiling the Arrow patterns costs
    more than the texts); the keys are those of the Arrow passes, for every letter such a row can hold."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dangvien_data.roster import reader

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(alphabet=_TEXTS, max_size=40), min_size=1, max_size=20))
    def check(texts: list[str]) -> None:
        many = texts * (reader._FEW_TEXTS // len(texts) + 1)  # over the threshold: the Arrow passes
        assert len(many) > reader._FEW_TEXTS
        assert reader._text_keys(texts) == reader._text_keys(many)[: len(texts)]

    check()


def test_numeric_only_rows_in_one_pass_match_the_column_by_column_rule():
    """A totals row without its label holds only numbers and formulas: the one-pass check over every column gives
    the same rows as checking column by column."""
    import re

    import numpy as np
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dangvien_data.roster import rows as rows_

    cell = st.one_of(st.none(), st.sampled_from(["12", " 3,5 ", "=SUM(A1:A9)", "-4", "Nam", "", "1.000", "x1"]))

    @settings(max_examples=200, deadline=None)
    @given(st.integers(1, 5).flatmap(lambda k: st.lists(st.lists(cell, min_size=k, max_size=k), min_size=1)))
    def check(grid: list[list[str | None]]) -> None:
        table = pa.table({f"c{i}": pa.array([r[i] for r in grid], pa.string()) for i in range(len(grid[0]))})
        at = np.arange(len(grid))
        pattern = re.compile(rows_._NUMERIC)
        expected = [
            any(v is not None for v in row) and all(v is None or pattern.search(v) for v in row) for row in grid
        ]
        assert rows_.numeric_only(table, at).tolist() == expected

    check()


def test_totals_labels_and_filled_cells_of_a_small_sheet_as_of_a_large_one():
    """A small sheet's totals labels are matched by Python's engine and its filled cells read from the validity
    bitmap; both give what the Arrow kernels give on a large column (ASCII white space and digits as RE2 has them,
    "$" only at the end, slices at any offset)."""
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dangvien_data.roster import rows as rows_

    alphabet = "tổngcộsốTỔNGCỘSỐongcs:( 0123456789\t\n\r\x0b\x0c\u00a0\u2003aA٣"

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.one_of(st.none(), st.text(alphabet=alphabet, max_size=14)), min_size=1, max_size=30))
    def check(values: list[str | None]) -> None:
        small = pa.array(values, pa.large_string())
        large = pa.array(values * (rows_._FEW // len(values) + 1), pa.large_string())
        assert rows_.total_label(small).tolist() == rows_.total_label(large)[: len(values)].tolist()
        assert rows_.valid(small).tolist() == [v is not None for v in values]
        part = large.slice(3, len(values))
        assert rows_.valid(part).tolist() == part.is_valid().to_pylist()

    check()
