"""A run over many sheets is normalised a batch of whole sheets at a time (to bound the cleaning's memory):
the roster and every issue are the same as normalising all of it at once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE
from dangvien_data import read_roster, validate
from dangvien_data.roster import normalise
from layouts import GALLERY, build, people

AS_OF = "2020-03-31"
# several files and sheets; Nam/Nữ birth columns (the as-read values are filled from them), legacy text (decided
# by the sheet's other values), two-digit years, a sheet per cell
KINDS = ("birth-split-by-sex", "file-per-cell", "sheet-per-cell", "two-digit-years-elderly")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("batches")
    chosen = [g for g in GALLERY if g.fmt == "xlsx" and (g.name in KINDS or g.legacy)]
    assert {g.name for g in chosen} >= set(KINDS) and any(g.legacy for g in chosen)
    for i, layout in enumerate(chosen):
        build(layout, people(seed=i), root / layout.name)
    found = sorted(root.rglob("*.xlsx"))
    return [SAMPLE / "danh_sach_dang_vien_loi.xlsx", *found]


def _records(roster: object) -> list[str]:
    report = validate(roster, as_of=AS_OF)  # type: ignore[arg-type]
    return sorted(json.dumps(i.to_dict("vi"), ensure_ascii=False, sort_keys=True) for i in report.issues)


def test_batches_of_sheets_give_the_same_roster_and_issues(files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_roster(files)
    monkeypatch.setattr(normalise, "BATCH_ROWS", 1)  # every sheet a batch of its own
    batched = read_roster(files)
    assert len(whole.sources) >= 8 and len(np.unique(whole.frame["source"])) == len(whole.sources)
    pd.testing.assert_frame_equal(batched.frame, whole.frame)
    pd.testing.assert_frame_equal(batched.raw, whole.raw)
    assert sorted(map(repr, batched.issues)) == sorted(map(repr, whole.issues))
    assert _records(batched) == _records(whole)


def test_batches_are_whole_sheets() -> None:
    source = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3])
    assert normalise._batches(source, 100) == [(0, 10)]
    assert normalise._batches(source, 3) == [(0, 3), (3, 6), (6, 10)]
    assert normalise._batches(source, 1) == [(0, 3), (3, 5), (5, 6), (6, 10)]
    assert normalise._batches(np.zeros(7, dtype=int), 2) == [(0, 7)]  # one sheet is never split


def test_files_read_together_as_each_alone(files: list[Path]) -> None:
    """A TCVN3 file beside a VNI one: short words that read both ways ("Khoâng": VNI "Không", TCVN3 "Khoõng")
    are decided by their own sheet, so every file's members read as they do when the file is read alone."""
    together = read_roster(files).frame
    fields = ["full_name", "religion", "ethnicity", "home_town", "birth_date", "sex", "card_number"]
    for path in files:
        alone = read_roster(path).frame
        mine = together[together["file"] == str(path)]
        assert len(mine) == len(alone), path
        pd.testing.assert_frame_equal(
            mine[fields].reset_index(drop=True), alone[fields].reset_index(drop=True), obj=str(path)
        )
