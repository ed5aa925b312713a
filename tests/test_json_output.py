"""The JSON writer shared by every command: indented objects, one compact list item per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dangvien_data.cli import main
from dangvien_data.io.output import iter_json

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
CLEAN = SAMPLE / "danh_sach_dang_vien.xlsx"


class TestIterJson:
    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"a": [], "b": {}, "c": None},
            {"as_of": "2020-03-31", "files": ["a.xlsx", "b.xlsx"], "counts": {"error": 1, "warning": 0}},
            {"cells": [{"cell": "Chi bộ A", "total": 3, "groups": {"rank": {"cấp úy": 2}}}, {"cell": None}]},
            {"x": {"y": {"z": [1, [2, 3], {"w": "\n"}]}}, "n": 1.5, "t": True},
        ],
    )
    def test_parses_to_the_same_value_in_the_same_order(self, data: dict[str, Any]):
        """The text is what json.dumps(indent=2) gives once parsed, key order included."""
        text = "".join(iter_json(data))
        assert json.loads(text) == data
        assert list(json.loads(text)) == list(data)
        assert json.dumps(json.loads(text), ensure_ascii=False) == json.dumps(data, ensure_ascii=False)

    def test_objects_indented_list_items_compact_one_per_line(self):
        """Objects are indented key by key; each list item is one compact line; text stays readable."""
        data = {"as_of": "2020-03-31", "cells": [{"cell": "Chi bộ A", "total": 3}, {"cell": "Chi bộ B", "total": 0}]}
        assert "".join(iter_json(data)).splitlines() == [
            "{",
            '  "as_of": "2020-03-31",',
            '  "cells": [',
            '    {"cell": "Chi bộ A", "total": 3},',
            '    {"cell": "Chi bộ B", "total": 0}',
            "  ]",
            "}",
        ]

    def test_lists_of_scalars_and_plain_objects_as_json_dumps_writes_them(self):
        """Without lists of objects the text is exactly json.dumps(indent=2)."""
        data = {"files": ["a", "b"], "counts": {"error": 1, "nested": {"k": [1, 2]}}, "empty": [], "none": {}}
        assert "".join(iter_json(data)) == json.dumps(data, ensure_ascii=False, indent=2)
        assert "".join(iter_json(data, indent=4)) == json.dumps(data, ensure_ascii=False, indent=4)

    def test_a_list_may_be_an_iterator(self):
        """Records can be made one at a time (a big report is never whole in memory)."""
        text = "".join(iter_json({"issues": (dict(n=n) for n in range(3))}))
        assert json.loads(text) == {"issues": [{"n": 0}, {"n": 1}, {"n": 2}]}

    def test_keys_that_are_not_text_become_text_as_json_does(self):
        """As json.dumps: 1 -> "1", None -> "null", True -> "true"."""
        for data in ({"m": {1: "a", None: "b", 2.5: "d"}}, {"m": {True: "c", False: "e"}}):
            assert json.loads("".join(iter_json(data))) == json.loads(json.dumps(data))


def test_summary_json_has_one_cell_per_line(capsys):
    """`dangvien summary --format json`: every cell's figures on one line, parsed as the library's to_dict."""
    from dangvien_data.api import summarise_files

    assert main(["summary", str(CLEAN), "--as-of", "2020-03-31", "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    expected = summarise_files([str(CLEAN)], as_of="2020-03-31").to_dict()
    assert data == expected and list(data) == list(expected)
    # the sample's own truth (sample_data/README.md): 170 members in 10 cells, 6 of them probationary
    assert (data["total"]["total"], data["total"]["official"], data["total"]["probationary"]) == (170, 164, 6)
    assert sum(c["total"] for c in data["cells"]) == 170
    lines = out.splitlines()
    assert sum(line.startswith('    {"cell": ') for line in lines) == len(data["cells"]) == 10
    assert out.endswith("}\n")


def test_read_json_parses_to_read_json(capsys):
    """`dangvien read --format json` prints render.read_json, one sheet and one cell per line."""
    from dangvien_data import read_roster
    from dangvien_data.report.render import read_json

    assert main(["read", str(CLEAN), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == read_json(read_roster(CLEAN))
    assert sum(line.startswith('    {"cell": ') for line in out.splitlines()) == 10
