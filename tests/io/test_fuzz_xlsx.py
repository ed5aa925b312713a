"""Fuzzing the XML parts of an .xlsx: no mutation of a valid roster's sheet, shared strings or styles may abort the
process, hang it, or end in an internal error; each is read (exit 0/1) or refused with a message (exit 2).

Hypothesis draws batches of mutations (spliced XML tokens, far references, prefixes, quotes, entities, random
bytes); each batch is read by the command line in one child process with a 3 GiB address-space cap and a timeout,
so an abort or a runaway allocation fails this test instead of killing pytest. ``DANGVIEN_FUZZ_EXAMPLES`` sets the
number of batches (default 4, about ten seconds).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import SHARED, SHEET, _with_shared_strings, limit_memory
from strategies import base_members, write_roster

STYLES = "xl/styles.xml"
PARTS = (SHEET, SHARED, STYLES)
BATCH = 24
EXAMPLES = int(os.environ.get("DANGVIEN_FUZZ_EXAMPLES", "4"))

TOKENS = [
    b'r="XFD1048576"',
    b"r='XFD1048576'",
    b' r = "A1048576"',
    b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c>',
    b'<x:c r="XFD1048576"><x:v>1</x:v></x:c>',
    b"<c><v>1</v></c>" * 40,
    b'<row r="1048576">',
    b'<row r="99999999999">',
    b'r="AAAAAAA1"',
    b'r="A0"',
    b"</row>",
    b"</c>",
    b"<c>",
    b'<f t="shared" si="0"/>',
    b't="e"',
    b"<v>#REF!</v>",
    b"<v></v>",
    b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    b"&a;",
    b"&#0;",
    b"&#x1F;",
    b"&amp;",
    b"<![CDATA[<c r='XFD1'>]]>",
    b'<!-- <c r="XFD1048576"> -->',
    b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
    b'<numFmt numFmtId="164" formatCode="dd/mm/yyyy;;;@[Red]"/>',
    b'numFmtId="99999"',
    b'count="4294967295"',
    b'uniqueCount="4294967295"',
    b"<si><t>\x1b[31m\x07</t></si>",
    b"\xff\xfe\x00",
    b'"',
    b"'",
    b"<",
    b">",
    b"/",
    b"=",
]

mutation = st.tuples(
    st.floats(0, 1),  # where, as a fraction of the part
    st.integers(0, 64),  # how many bytes the mutation replaces there
    st.one_of(st.sampled_from(TOKENS), st.binary(max_size=16)),
)
batch = st.lists(
    st.tuples(st.sampled_from(PARTS), st.lists(mutation, min_size=1, max_size=4)), min_size=BATCH, max_size=BATCH
)

_READER = """
import io, os, sys
from dangvien_data.cli import main

real_err = sys.stderr
for path in sys.argv[1:]:
    print("READ", path, file=real_err, flush=True)
    sys.stdout, sys.stderr = open(os.devnull, "w"), io.StringIO()
    code = main(["read", path, "--format", "json"])
    said = sys.stderr.getvalue()
    sys.stdout, sys.stderr = sys.__stdout__, real_err
    internal = "lỗi nội bộ" in said or "Traceback" in said
    print("DONE", code, "INTERNAL" if internal else "ok", said.replace(chr(10), " ")[:300], file=real_err, flush=True)
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The members of a valid roster with a shared-strings table, as Excel saves it: part name -> bytes."""
    folder = tmp_path_factory.mktemp("fuzz")
    path = _with_shared_strings(write_roster(folder / "mau.xlsx", base_members()))
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _mutate(data: bytes, edits: list[tuple[float, int, bytes]]) -> bytes:
    for where, length, payload in edits:
        at = int(where * len(data))
        data = data[:at] + payload + data[at + length :]
    return data


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch)
def test_mutated_xml_parts_never_abort_hang_or_fail_inside(
    sample: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory, drawn: list
):
    """Each mutated workbook ends with exit 0, 1 or 2 and never with an internal error, under 3 GiB and a timeout."""
    folder = tmp_path_factory.mktemp("mutants")
    paths = []
    for i, (part, edits) in enumerate(drawn):
        path = folder / f"mutant_{i}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in sample.items():
                archive.writestr(name, _mutate(data, edits) if name == part else data)
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-c", _READER, *paths],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit_memory(),
        check=False,
    )
    lines = done.stderr.splitlines()
    last = next((line for line in reversed(lines) if line.startswith("READ")), "")
    assert done.returncode == 0, f"the reader died ({done.returncode}) on {last}: {done.stderr[-600:]}"
    results = [line.split(" ", 3) for line in lines if line.startswith("DONE")]
    assert len(results) == len(paths), done.stderr[-600:]
    for path, (_, code, verdict, *said) in zip(paths, results, strict=True):
        assert code in ("0", "1", "2") and verdict == "ok", (path, code, said)
