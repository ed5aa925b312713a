"""(d) A Frictionless Table Schema equivalent to schemas/ for the office layout, as a resource descriptor.

    python benchmarks/frictionless_resource.py FILE [--as-of 2020-03-31] > resource.json
    frictionless validate resource.json --trusted --json --limit-errors 100000000

The header is the two merged rows 7-8 joined with a space ("Ngày, tháng, năm sinh Nam", "Nữ", "Trình độ
Học vấn" …), the numbering row 9 is a comment row. What a Table Schema can express is expressed: required
fields, code lists as ``enum`` (values and aliases), digit patterns, unique card and CCCD numbers, date
bounds. Dates use ``format: any`` (real Excel dates and text; Table Schema has no day-first list of
formats). What it cannot express is not checked: rules across fields or rows (official date = admission +
12 months, ages, CCCD digits, duplicates of a person, cells), the section rows that name the cell (they
and the footer rows are reported as rows missing required values), legacy-encoding conversion.
Frictionless stops after 1,000 errors by default: the runner lifts that limit so the whole file is read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def codes(name: str) -> list[str]:
    data = yaml.safe_load((ROOT / "schemas" / "codes" / f"{name}.yaml").read_text(encoding="utf-8"))
    out = []
    for entry in data["values"]:
        out.append(str(entry["value"]))
        out += [str(a) for a in entry.get("aliases", []) or []]
    return list(dict.fromkeys(out))


def descriptor(path: Path, as_of: str) -> dict:
    def text(name: str, **constraints: object) -> dict:
        field: dict = {"name": name, "type": "string"}
        if constraints:
            field["constraints"] = constraints
        return field

    def day(name: str, earliest: str, required: bool = False) -> dict:
        constraints: dict = {"minimum": earliest, "maximum": as_of}
        if required:
            constraints["required"] = True
        return {"name": name, "type": "date", "format": "any", "constraints": constraints}

    # labels as Frictionless joins the two header rows: "<top> <sub>", an empty part kept ("STT ", " Nữ")
    fields = [
        {"name": "STT", "type": "any"},
        text("Họ và tên ", required=True),
        day("Ngày, tháng, năm sinh Nam", "1900-01-01"),
        day(" Nữ", "1900-01-01"),
        text("Dân tộc ", required=True, enum=codes("ethnicity")),
        text("Tôn giáo ", required=True, enum=codes("religion")),
        text("Quê quán ", required=True),
        text("Trình độ Học vấn", required=True, pattern=r"(?:[1-9]|1[0-2])/(?:10|12)"),
        text(" Chuyên môn", enum=codes("professional")),
        text(" Lý luận chính trị", enum=codes("political_theory")),
        text("Cấp bậc ", enum=codes("rank")),
        text("Chức vụ "),
        text("Chức vụ Đảng ", enum=codes("party_post")),
        day("Ngày vào Đảng ", "1930-02-03", required=True),
        day("Ngày chính thức ", "1930-02-03"),
        text("Số thẻ đảng viên ", pattern=r"\d{8}", unique=True),
        text("Số CCCD ", pattern=r"\d{12}|\d{9}", unique=True),
        text("Ghi chú "),
        text("Mã "),
    ]
    for field in fields:
        if field["name"] == "STT":
            field["name"] = "STT "
    return {
        "name": "roster",
        "type": "table",
        "path": str(path.resolve()),
        "scheme": "file",
        "format": "xlsx",
        "dialect": {
            "headerRows": [7, 8],
            "headerJoin": " ",
            "commentRows": [9],
            "controls": [{"type": "excel", "sheet": 1}],
        },
        "schema": {"fields": fields, "missingValues": [""]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--as-of", default="2020-03-31")
    args = parser.parse_args(argv)
    print(json.dumps(descriptor(args.file, args.as_of), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
