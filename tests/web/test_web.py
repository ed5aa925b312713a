"""The local web page over plain HTTP: token, hosts, CSRF, headers, limits, concurrency, results, downloads."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx2")

from starlette.testclient import TestClient

from conftest import SAMPLE
from dangvien_data.api import summarise_files, validate_files
from dangvien_data.domain.values import number
from dangvien_data.errors import DangvienError
from dangvien_data.web import app as web_app
from dangvien_data.web import jobs
from dangvien_data.web.app import SECURITY_HEADERS, create_app
from webkit import cell_folder

TOKEN = "t0k3n-for-tests"
AS_OF = "2020-03-31"
PLANTED = SAMPLE / "danh_sach_dang_vien_loi.xlsx"
CLEAN = SAMPLE / "danh_sach_dang_vien.xlsx"


@pytest.fixture
def app() -> Iterator[Any]:
    application = create_app(token=TOKEN, allowed_hosts=["testserver"], max_upload_bytes=2_000_000, max_files=5)
    yield application
    application.state.workspace.close()


@pytest.fixture
def client(app: Any) -> TestClient:
    return TestClient(app, base_url="http://testserver")


@pytest.fixture(scope="module")
def expected() -> Any:
    """What the library (``dangvien validate``) finds in the planted sample."""
    return validate_files(PLANTED, as_of=AS_OF)


@pytest.fixture(scope="module")
def planted() -> Iterator[tuple[TestClient, str, str]]:
    """One check of the planted sample, shared by the tests that only read its pages."""
    application = create_app(token=TOKEN, allowed_hosts=["testserver"])
    client = TestClient(application, base_url="http://testserver")
    location, page = check(client, [roster(PLANTED)])
    yield client, location, page.text
    application.state.workspace.close()


def csrf_of(client: TestClient) -> str:
    page = client.get(f"/{TOKEN}/")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def upload(client: TestClient, files: list[tuple[str, tuple[str, bytes]]], **fields: str) -> Any:
    data = {"csrf": csrf_of(client), "as_of": AS_OF, "term": "2020-2025", **fields}
    return client.post(f"/{TOKEN}/check", data=data, files=files, follow_redirects=False)


def wait(client: TestClient, location: str, seconds: float = 60) -> dict[str, Any]:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        status = client.get(f"{location}/status").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"job {location} did not finish")


def check(client: TestClient, files: list[tuple[str, tuple[str, bytes]]], **fields: str) -> tuple[str, Any]:
    response = upload(client, files, **fields)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    wait(client, location)
    return location, client.get(location)


def roster(path: Path, field: str = "rosters") -> tuple[str, tuple[str, bytes]]:
    return (field, (path.name, path.read_bytes()))


def places(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["file"], r["sheet"], r["ref"], r["code"], r["severity"]) for r in records]


# --- token, hosts, headers --------------------------------------------------------------------------------


def test_pages_need_the_session_token(client: TestClient) -> None:
    """Without the token, or with a wrong one, every page is 404; with it, 200."""
    assert client.get("/").status_code == 404
    assert client.get("/wrong-token/").status_code == 404
    assert client.get(f"/{TOKEN}x/").status_code == 404
    assert client.get(f"/{TOKEN}/").status_code == 200


def test_the_default_token_is_random_and_long() -> None:
    """Two applications never share a token; each is at least 32 URL-safe characters."""
    first, second = create_app(), create_app()
    try:
        assert first.state.token != second.state.token
        assert len(first.state.token) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", first.state.token)
    finally:
        first.state.workspace.close()
        second.state.workspace.close()


def test_other_host_names_are_refused(app: Any) -> None:
    """A page asked for under another host name (DNS rebinding) is 404 even with the token."""
    other = TestClient(app, base_url="http://evil.example")
    assert other.get(f"/{TOKEN}/").status_code == 404


@pytest.mark.parametrize("path", [f"/{TOKEN}/", "/nope", "/static/app.js", f"/{TOKEN}/job/unknown/status"])
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    """CSP (no inline script, no framing), nosniff, frame denial, no referrer and no caching on every answer."""
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_pages_have_no_inline_script_and_no_outside_address(client: TestClient) -> None:
    """Every script and style is a file of the package: the page works without the internet."""
    page = client.get(f"/{TOKEN}/").text
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js" defer>']
    assert "http://" not in page and "https://" not in page and " on" + "click" not in page


def test_language_switch(client: TestClient) -> None:
    """Vietnamese by default; ?lang=en switches to English and is remembered for the next pages."""
    assert "Kiểm tra mới" in client.get(f"/{TOKEN}/").text
    english = client.get(f"/{TOKEN}/?lang=en")
    assert "New check" in english.text and 'lang="en"' in english.text
    assert "New check" in client.get(f"/{TOKEN}/").text
    assert "Kiểm tra mới" in client.get(f"/{TOKEN}/?lang=vi").text


# --- CSRF ---------------------------------------------------------------------------------------------------


def test_upload_without_csrf_token_is_refused(client: TestClient, app: Any) -> None:
    """A form without this page's CSRF token gets 403 and leaves no job and no file behind."""
    files = [roster(CLEAN)]
    response = client.post(f"/{TOKEN}/check", data={"as_of": AS_OF}, files=files, follow_redirects=False)
    assert response.status_code == 403 and "Tải lại trang" in response.text
    bad = client.post(f"/{TOKEN}/check", data={"csrf": "x", "as_of": AS_OF}, files=files, follow_redirects=False)
    assert bad.status_code == 403
    assert app.state.workspace.jobs == {} and list(app.state.workspace.root.iterdir()) == []


@pytest.mark.parametrize(
    "headers", [{"sec-fetch-site": "cross-site"}, {"origin": "http://evil.example"}, {"sec-fetch-site": "same-site"}]
)
def test_cross_site_forms_are_refused(client: TestClient, app: Any, headers: dict[str, str]) -> None:
    """The browser's Sec-Fetch-Site/Origin saying another site sent the form: 403, even with the token."""
    token = csrf_of(client)
    for path, files in (("check", [roster(CLEAN)]), ("template", None), ("end", None)):
        data = {"csrf": token, "as_of": AS_OF, "kind": "roster"}
        response = client.post(f"/{TOKEN}/{path}", data=data, files=files, headers=headers, follow_redirects=False)
        assert response.status_code == 403, path
    assert app.state.workspace.jobs == {}


def test_template_and_end_need_the_csrf_token(client: TestClient) -> None:
    """The template and end-session forms are refused without the CSRF token."""
    assert client.post(f"/{TOKEN}/template", data={"kind": "roster"}).status_code == 403
    assert client.post(f"/{TOKEN}/end", data={}).status_code == 403


# --- limits -------------------------------------------------------------------------------------------------


def test_declared_length_over_the_limit_is_refused_at_once(client: TestClient, app: Any) -> None:
    """A Content-Length over the limit: 413 with the limit named, before the body is read."""
    body = b"x" * 2_100_000
    headers = {"content-type": "multipart/form-data; boundary=b"}
    response = client.post(f"/{TOKEN}/check", content=body, headers=headers)
    assert response.status_code == 413 and "tối đa 1.90735 MB" in response.text
    assert list(app.state.workspace.root.iterdir()) == []


def test_body_without_length_is_counted_as_it_arrives(app: Any) -> None:
    """A body without Content-Length is cut off at the limit: 413 after a few chunks, the rest never read.

    Driven at the ASGI level: the client offers 1000 chunks of 100 kB (2 MB allowed); a server that read to
    the end (or drained the rest) would take all of them.
    """
    taken = 0
    sent: list[dict[str, Any]] = []
    head = b'--b\r\nContent-Disposition: form-data; name="rosters"; filename="big.xlsx"\r\n\r\n'

    async def receive() -> dict[str, Any]:
        nonlocal taken
        taken += 1
        if taken > 1000:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": head if taken == 1 else b"x" * 100_000, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/{TOKEN}/check",
        "raw_path": f"/{TOKEN}/check".encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"multipart/form-data; boundary=b")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), timeout=30))
    assert sent[0]["status"] == 413 and "quá lớn" in b"".join(m.get("body", b"") for m in sent[1:]).decode()
    assert taken < 30
    assert list(app.state.workspace.root.iterdir()) == []


def test_too_many_files_is_refused_with_the_limit(client: TestClient, app: Any) -> None:
    """More files than allowed: 400 and a message naming the limit."""
    files = [("rosters", (f"f{i}.xlsx", b"x")) for i in range(6)]
    response = upload(client, files)
    assert response.status_code == 400 and "tối đa 5 tệp" in response.text
    assert app.state.workspace.jobs == {} and list(app.state.workspace.root.iterdir()) == []


def test_an_upload_without_a_roster_is_explained(client: TestClient) -> None:
    """A form with no roster file and no folder (the browser sends empty file parts) says what to choose."""
    response = upload(client, [("rosters", ("", b"")), ("folder", ("", b""))])
    assert response.status_code == 400 and "Chọn ít nhất một tệp danh sách" in response.text


# --- results: the same as the library / command line ------------------------------------------------------


def test_planted_sample_same_issues_as_the_cli(planted: tuple[TestClient, str, str], expected: Any) -> None:
    """The planted sample: the page, the JSON and the CSV hold exactly what validate_files finds."""
    client, location, text = planted
    assert "Có lỗi cần sửa" in text
    for severity, count in expected.counts.items():
        assert re.search(rf'class="{severity}"><a [^>]*>[^<]*: <b>{count}</b>', text), severity
    data = client.get(f"{location}/download/issues.json").json()
    wanted = expected.to_dict()
    for record in wanted["issues"]:
        record["file"] = PLANTED.name
    assert data["issues"] == wanted["issues"] and data["counts"] == wanted["counts"]
    assert data["files"] == [PLANTED.name]
    for place in json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8")):
        assert f"{place['sheet']}!{place['ref']}" in text, place
    csv = client.get(f"{location}/download/issues.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(expected.issues) and lines[0].startswith("severity,code,message,fix,file,sheet,ref")


def test_issue_rows_show_member_ref_header_value_message_and_fix(
    planted: tuple[TestClient, str, str], expected: Any
) -> None:
    """Each issue row shows the member, sheet!ref, the header as written, the value, the message and the fix."""
    text = planted[2]
    issue = next(i for i in expected.issues if i.code == "invalid-date")
    row = next(r for r in text.split("<tr") if f"{issue.sheet}!{issue.ref}" in r)
    for part in (issue.member, issue.column, issue.value, issue.code):
        assert part and part.replace("'", "&#39;") in row, part
    assert "Cách sửa" in text


def test_filters_by_cell_severity_and_rule(planted: tuple[TestClient, str, str], expected: Any) -> None:
    """The filters keep only the matching issues, counted against the library's own list."""
    client, location, _ = planted
    issues = expected.issues
    cell = next(i.cell for i in issues if i.cell)
    for query, kept in (
        ({"severity": "info"}, [i for i in issues if str(i.severity) == "info"]),
        ({"code": "invalid-date"}, [i for i in issues if i.code == "invalid-date"]),
        ({"cell": cell}, [i for i in issues if i.cell == cell]),
        ({"cell": "~"}, [i for i in issues if not i.cell]),
    ):
        page = client.get(location, params=query).text
        assert f"Đang hiện {len(kept)} trên {len(kept)} mục." in page, query
        assert len(re.findall(r'<tr class="(?:error|warning|info)">', page)) == len(kept), query
        assert kept, query


def test_downloads_open_in_openpyxl(client: TestClient, tmp_path: Path) -> None:
    """The annotated copy, the summary and the dossier results download and open; the counts match the CLI's."""
    files = [roster(PLANTED), roster(SAMPLE / "bao_cao_so_luong.xlsx", "declared")]
    files.append(roster(SAMPLE / "ho_so_nhan_su.xlsx", "dossiers"))
    location, page = check(client, files, congress_date="2020-06-15")
    for name, sheet in (("annotated", "Kết quả kiểm tra"), ("summary", None), ("dossier", None)):
        response = client.get(f"{location}/download/{name}")
        assert response.status_code == 200, name
        assert "attachment" in response.headers["content-disposition"]
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames and (sheet is None or wb.sheetnames[0] == sheet), (name, wb.sheetnames)
    expected = summarise_files([PLANTED], as_of=AS_OF, declared=SAMPLE / "bao_cao_so_luong.xlsx").to_dict()
    table = page.text.split('id="counts"')[1].split("</table>")[0]
    total = re.findall(r"<td>([^<]*)</td>", table.split('class="total"')[1])
    assert total[0] == "Tổng cộng" and int(total[1]) == expected["total"]["total"]
    # every figure as Vietnamese writes it: the average age last, with a decimal comma (34,4), not 34.4
    from dangvien_data.report.summary import METRICS

    assert total[1:] == [number(expected["total"].get(m), "vi") for m in (*METRICS, "average_age")]
    average = expected["total"]["average_age"]
    assert isinstance(average, float) and not average.is_integer(), average
    assert total[-1] == f"{average:.1f}".replace(".", ",")
    ages = [d for d in expected["reconciliation"] if d["metric"] == "average_age" and not d["cell"]]
    assert ages, expected["reconciliation"]
    shown = page.text[page.text.index('id="differences"') :]
    for d in ages:  # declared, derived and difference of the average age: "34,3", "34,4", "-0,1"
        cells = [number(d[k], "vi") for k in ("declared", "derived", "difference")]
        assert "".join(f"<td>{c}</td>" for c in cells) in shown, cells
    assert len(expected["reconciliation"]) > 0 and 'id="differences"' in page.text
    assert page.text.count("<tr>", page.text.index('id="differences"')) >= len(expected["reconciliation"])
    assert 'id="candidates"' in page.text


def test_folder_of_cell_files(client: TestClient, tmp_path: Path) -> None:
    """A folder upload (names with the folder's path) gives the issues of validate_files on that folder."""
    folder = cell_folder(tmp_path)
    files = [("folder", (f"{folder.name}/{p.name}", p.read_bytes())) for p in sorted(folder.iterdir())]
    location, page = check(client, files)
    expected = validate_files(folder, as_of=AS_OF)
    data = client.get(f"{location}/download/issues.json").json()
    shown = [
        (f"{folder.name}/{Path(r['file']).name}", *rest[1:])
        for r, rest in zip(expected.to_dict()["issues"], places(expected.to_dict()["issues"]), strict=True)
    ]
    assert places(data["issues"]) == shown and any(r["code"] == "official-date-mismatch" for r in data["issues"])
    assert "CHI BỘ HAI" in page.text.upper()
    assert "note-annotated" in page.text  # two files: the library's own reason there is no single annotated copy


def test_a_corrupt_file_shows_the_cli_message(client: TestClient, tmp_path: Path) -> None:
    """A damaged workbook: the page gives the library's message (file named as uploaded), no traceback."""
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(DangvienError) as caught:
        validate_files(bad, as_of=AS_OF)
    expected = caught.value.message("vi").replace(str(bad), bad.name)
    response = upload(client, [roster(bad)])
    wait(client, response.headers["location"])
    page = client.get(response.headers["location"])
    assert page.status_code == 422
    message = re.search(r'id="problem">([^<]*)<', page.text)
    assert message and message.group(1) == expected.replace('"', "&#34;").replace("'", "&#39;")
    assert "Traceback" not in page.text and "dangvien-" not in page.text


def test_an_internal_error_never_shows_its_text(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug of ours: the page names the exception type only (its text could quote a member)."""

    def broken(job: Any) -> None:
        raise RuntimeError("Nguyễn Văn An 012345678901")

    monkeypatch.setattr(jobs, "run", broken)
    response = upload(client, [roster(CLEAN)])
    wait(client, response.headers["location"])
    page = client.get(response.headers["location"]).text
    assert "RuntimeError" in page and "Nguyễn Văn An" not in page and "012345678901" not in page


def test_templates_are_generated(client: TestClient) -> None:
    """Both fill-in templates download and open, made by the library's template writer."""
    for kind, sheet in (("roster", "Danh sách"), ("dossier", "Trích ngang")):
        data = {"csrf": csrf_of(client), "kind": kind, "cell": "Chi bộ Đội Tổng hợp"}
        response = client.post(f"/{TOKEN}/template", data=data)
        assert response.status_code == 200, response.text
        assert sheet in openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames


# --- concurrency, private folder ---------------------------------------------------------------------------


def test_two_checks_at_once_keep_their_own_results(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """While one check is held running, a second upload is answered and finishes; each job has its own result."""
    release = threading.Event()
    real = jobs.run

    def held(job: Any) -> None:
        if job.inputs.rosters[0][1] == PLANTED.name:
            job.state = "running"
            assert release.wait(30)
        real(job)

    monkeypatch.setattr(jobs, "run", held)
    first = upload(client, [roster(PLANTED)]).headers["location"]
    second = upload(client, [roster(CLEAN)]).headers["location"]  # answered while the first is held running
    assert wait(client, second)["state"] == "done"
    assert client.get(f"{first}/status").json()["state"] == "running"
    assert "Không có lỗi" in client.get(second).text
    release.set()
    assert wait(client, first)["state"] == "done"
    assert "Có lỗi cần sửa" in client.get(first).text and "Không có lỗi" in client.get(second).text
    assert first != second


def test_uploads_live_in_a_private_folder_deleted_at_the_end(client: TestClient, app: Any) -> None:
    """The folder is 0700, the uploaded files 0600; ending the session deletes them and forgets the jobs."""
    space = app.state.workspace
    location, _ = check(client, [roster(CLEAN)])
    assert space.root.stat().st_mode & 0o777 == 0o700
    saved = [p for p in space.root.rglob("*.xlsx") if p.parent.name == "rosters"]
    assert saved and all(p.stat().st_mode & 0o777 == 0o600 for p in saved)
    response = client.post(f"/{TOKEN}/end", data={"csrf": csrf_of(client)})
    assert response.status_code == 200 and "Đã xoá" in response.text
    assert list(space.root.iterdir()) == [] and client.get(location).status_code == 404
    space.close()
    assert not space.root.exists()


def test_file_names_cannot_escape_the_folder(client: TestClient, app: Any) -> None:
    """A file name with a path or a dot-dot is kept inside the job's folder."""
    files = [("rosters", ("../../evil.xlsx", CLEAN.read_bytes())), ("folder", ("../x/../../y.xlsx", b"x"))]
    response = upload(client, files)
    assert response.status_code == 303
    wait(client, response.headers["location"])
    root = app.state.workspace.root
    assert not (root.parent / "evil.xlsx").exists() and not (root.parent / "y.xlsx").exists()
    assert all(root in p.parents for p in root.rglob("*.xlsx"))


def test_unknown_job_and_download(client: TestClient) -> None:
    """An unknown job or output is a 404 page, not an error."""
    assert client.get(f"/{TOKEN}/job/nope").status_code == 404
    location, _ = check(client, [roster(CLEAN)])
    assert client.get(f"{location}/download/other.xlsx").status_code == 404
    assert web_app.create_app is create_app


# --- the real server: dangvien serve ----------------------------------------------------------------------


class _Served:
    """``dangvien serve --no-browser --port 0`` in a subprocess, its temporary folder under ``tmp``."""

    def __init__(self, tmp: Path, *args: str) -> None:
        import os
        import subprocess
        import sys

        self.tmp = tmp
        tmp.mkdir()
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "dangvien_data", "serve", "--no-browser", "--port", "0", *args]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"(http://\S+/)", line)
        assert found, line
        self.url = found.group(1)

    def stop(self) -> tuple[str, str]:
        import signal

        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return out, err


def test_serve_prints_a_local_address_and_cleans_up(tmp_path: Path) -> None:
    """The server listens on 127.0.0.1 at a free port; a chunked upload over the limit gets 413 at once; the logs
    hold neither the token nor a member's data; stopping it deletes the private folder."""
    import httpx2

    served = _Served(tmp_path / "tmp")
    try:
        assert served.url.startswith("http://127.0.0.1:")
        token = served.url.rstrip("/").rsplit("/", 1)[1]
        with httpx2.Client(timeout=30) as http:
            page = http.get(served.url)
            assert page.status_code == 200
            assert http.get(served.url.replace(token, "x" * len(token))).status_code == 404
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert csrf
            files = {"rosters": (PLANTED.name, PLANTED.read_bytes())}
            data = {"csrf": csrf.group(1), "as_of": AS_OF}
            sent = http.post(
                served.url + "check", data=data, files=files, headers={"origin": served.url[: served.url.index("/", 7)]}
            )
            assert sent.status_code == 303, sent.text
            location = served.url[: served.url.index("/", 7)] + sent.headers["location"]
            end = time.monotonic() + 60
            while http.get(location + "/status").json()["state"] not in ("done", "failed"):
                assert time.monotonic() < end
                time.sleep(0.2)
            member = next(i.member for i in validate_files(PLANTED, as_of=AS_OF).issues if i.member)
            assert member and member in http.get(location).text

            offered = []

            def endless() -> Iterator[bytes]:
                yield b'--b\r\nContent-Disposition: form-data; name="rosters"; filename="x.xlsx"\r\n\r\n'
                for _ in range(10_000):  # 1 GB on offer, far past the 200 MB default
                    offered.append(1)
                    yield b"x" * 100_000

            try:
                big = http.post(
                    served.url + "check",
                    content=endless(),
                    headers={"content-type": "multipart/form-data; boundary=b"},
                )
                assert big.status_code == 413 and big.headers["connection"] == "close"
            except httpx2.TransportError:  # the server closed while the client was still sending: also a refusal
                pass
            assert len(offered) < 5_000  # the server stopped reading soon after 200 MB, not at 1 GB
        assert any(served.tmp.iterdir())
    finally:
        out, err = served.stop()
    assert list(served.tmp.iterdir()) == []
    assert token not in err and member not in err and member not in out
    assert "Traceback" not in err


def test_serve_warns_when_listening_beyond_this_machine(tmp_path: Path) -> None:
    """--host 0.0.0.0 works but prints a warning about personal data on the network."""
    served = _Served(tmp_path / "tmp", "--host", "0.0.0.0")
    try:
        assert served.url.startswith("http://127.0.0.1:")
    finally:
        _, err = served.stop()
    assert "CẢNH BÁO" in err and "WARNING" in err and "0.0.0.0" in err


def test_serve_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """Without the web extra, `dangvien serve` exits 2 and names the pip command."""
    import sys

    from dangvien_data.cli import main

    monkeypatch.setitem(sys.modules, "dangvien_data.web.server", None)
    assert main(["serve", "--no-browser"]) == 2
    assert "pip install 'dangvien_data[web]'" in capsys.readouterr().err


def test_serve_on_a_taken_port_says_what_to_do(capsys: Any) -> None:
    """A port already in use: exit 2 and a message suggesting --port 0, no traceback."""
    import socket

    from dangvien_data.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--no-browser", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert "--port 0" in err and "Traceback" not in err


def test_log_filter_hides_the_token_and_exception_texts() -> None:
    """A log line with the token, or an exception quoting a member, is written without either."""
    import logging

    from dangvien_data.web.server import TokenFilter

    try:
        raise ValueError("Nguyễn Văn An 012345678901")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "uvicorn.error", logging.ERROR, __file__, 1, "GET /%s/ failed", (TOKEN,), sys.exc_info()
        )
    assert TokenFilter(TOKEN).filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text and "Nguyễn" not in text and "ValueError" in text


def test_progress_counts_files_read_and_members(tmp_path: Path) -> None:
    """While a folder is read, the job's progress goes file by file (the reader's progress callback)."""
    from dangvien_data.web.jobs import Job, JobInputs, run

    folder = cell_folder(tmp_path)
    seen: list[tuple[int, int]] = []
    inputs = JobInputs(rosters=[], folders=[folder], as_of=dt.date(2020, 3, 31), term="2020-2025", lang="vi")

    class Watched(Job):
        def __setattr__(self, name: str, value: Any) -> None:
            super().__setattr__(name, value)
            if name == "members" and self.stage == "reading":
                seen.append((self.files_read, value))

    (tmp_path / "job").mkdir()
    job = Watched("j", tmp_path / "job", inputs, {})
    run(job)
    assert seen[:2] == [(1, 1), (2, 3)] and job.files == 2 and job.members == 3 and job.state == "done"


def test_a_check_reads_the_roster_once_and_summarises_it_as_summary_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page validates and summarises the same roster: the files are read once, and the counts,
    reconciliation and milestones are those of summarise_files on the same files."""
    from dangvien_data.roster import reader
    from dangvien_data.web.jobs import Job, JobInputs, run

    declared = SAMPLE / "bao_cao_so_luong.xlsx"
    inputs = JobInputs(
        rosters=[(PLANTED, PLANTED.name)],
        folders=[],
        as_of=dt.date(2020, 3, 31),
        term="2020-2025",
        lang="vi",
        declared=declared,
    )
    reads: list[object] = []
    real = reader.read_roster
    monkeypatch.setattr(reader, "read_roster", lambda *a, **k: reads.append(a) or real(*a, **k))
    (tmp_path / "job").mkdir()
    job = Job("j", tmp_path / "job", inputs, {})
    run(job)
    assert job.state == "done" and len(reads) == 1
    monkeypatch.setattr(reader, "read_roster", real)
    assert job.summary.to_dict() == summarise_files([PLANTED], as_of=AS_OF, declared=declared).to_dict()


def test_cell_text_is_escaped_in_the_page_and_the_csv(client: TestClient, tmp_path: Path) -> None:
    """Markup in a cell is shown as text, never run; a formula-like value is written to the CSV as text."""
    from conftest import HEADER, member, write_workbook

    path = write_workbook(
        tmp_path / "ds.xlsx",
        {"Danh sách": [["CHI BỘ MỘT"], HEADER, member("<script>alert(1)</script>", ethnicity="=1+2")]},
    )
    location, page = check(client, [roster(path)])
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    lines = client.get(f"{location}/download/issues.csv").content.decode("utf-8-sig").splitlines()
    assert any(",'=1+2," in line for line in lines), lines


def test_result_in_english_uses_the_catalogue_english_messages(
    planted: tuple[TestClient, str, str], expected: Any
) -> None:
    """With the English switch, the issues read as the CLI's --lang en messages."""
    client, location, _ = planted
    page = client.get(location, params={"lang": "en", "code": "invalid-date"}).text
    issue = next(i for i in expected.issues if i.code == "invalid-date")
    english = issue.message("en")
    assert "Errors to fix" in page and english.split(".")[0].replace('"', "&#34;") in page
    client.get(location, params={"lang": "vi"})
