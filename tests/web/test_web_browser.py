"""The web page in a real browser (Debian's Chromium, driven by Selenium through chromedriver).

Needs ``apt-get install chromium chromium-driver``: fails when ``CI`` is set and they are missing, skips otherwise.
``DANGVIEN_SCREENSHOTS=docs/img`` also saves the screenshots shown in the README; ``DANGVIEN_CHROMIUM`` and
``DANGVIEN_CHROMEDRIVER`` name other binaries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import SAMPLE
from dangvien_data.api import validate_files
from dangvien_data.errors import DangvienError

CHROMIUM = os.environ.get("DANGVIEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("DANGVIEN_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
AS_OF = "2020-03-31"
PLANTED = SAMPLE / "danh_sach_dang_vien_loi.xlsx"


def _need(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {why} (apt-get install -y chromium chromium-driver; pip install selenium)")
        pytest.skip(f"{why} not installed", allow_module_level=True)


_need(Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), "chromium and chromium-driver")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover - the dev extra installs it
    _need(False, "selenium")

pytest.importorskip("uvicorn")

from webkit import cell_folder  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Any]]:
    """The application under uvicorn on a free local port, on a thread; its private folder is gone after."""
    import socket

    import uvicorn

    from dangvien_data.web.app import create_app

    app = create_app(allowed_hosts=["127.0.0.1"])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/{app.state.token}/", app
    uv.should_exit = True
    thread.join(10)
    app.state.workspace.close()
    sock.close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=vi"):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shot(driver: Any, name: str) -> None:
    folder = os.environ.get("DANGVIEN_SCREENSHOTS")
    if folder:
        driver.save_screenshot(str(Path(folder) / f"web_{name}.png"))


def wait_for(driver: Any, element_id: str, seconds: float = 90) -> Any:
    return WebDriverWait(driver, seconds).until(lambda d: d.find_elements(By.ID, element_id))[0]


def start(driver: Any, url: str, **inputs: Any) -> None:
    """Fill the check form (files, folder, dates) and send it."""
    driver.get(url)
    for field, value in inputs.items():
        element = driver.find_element(By.ID, field)
        if field in ("as_of", "congress_date"):
            driver.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.send_keys(str(value))
    driver.find_element(By.ID, "check-button").click()


def downloaded(folder: Path, name: str, seconds: float = 30) -> Path:
    path = folder / name
    end = time.monotonic() + seconds
    while not path.exists() or list(folder.glob("*.crdownload")):
        assert time.monotonic() < end, f"{name} was not downloaded: {os.listdir(folder)}"
        time.sleep(0.2)
    return path


def test_planted_sample_in_the_browser(browser: Any, server: tuple[str, Any], downloads: Path) -> None:
    """Upload the planted sample with its declared sheet and dossier: every planted issue is shown at its
    sheet!ref; a filter keeps only its rule; each output downloads and opens with openpyxl."""
    url, _ = server
    browser.get(url)
    assert browser.find_element(By.ID, "check-button").text == "Kiểm tra"
    shot(browser, "index")
    start(
        browser,
        url,
        rosters=PLANTED,
        declared=SAMPLE / "bao_cao_so_luong.xlsx",
        dossiers=SAMPLE / "ho_so_nhan_su.xlsx",
        as_of=AS_OF,
        congress_date="2020-06-15",
    )
    verdict = wait_for(browser, "verdict")
    assert verdict.text == "Có lỗi cần sửa"
    shot(browser, "result")
    text = browser.find_element(By.TAG_NAME, "body").text
    for planted in json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8")):
        assert f"{planted['sheet']}!{planted['ref']}" in text, planted
    expected = validate_files(PLANTED, as_of=AS_OF)
    counts = browser.find_element(By.ID, "severity-counts").text
    assert f"Lỗi: {expected.counts['error']}" in counts

    Select(browser.find_element(By.ID, "f-code")).select_by_value("invalid-date")
    browser.find_element(By.ID, "filter-button").click()
    wanted = [i for i in expected.issues if i.code == "invalid-date"]
    WebDriverWait(browser, 30).until(lambda d: "code=invalid-date" in d.current_url)
    rows = browser.find_elements(
        By.CSS_SELECTOR, "table.issues tr.error, table.issues tr.warning, table.issues tr.info"
    )
    assert len(rows) == len(wanted) and all("invalid-date" in r.text for r in rows)
    assert {f"{i.sheet}!{i.ref}" for i in wanted} == {r.find_element(By.CSS_SELECTOR, "td.ref").text for r in rows}
    shot(browser, "filter")
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "counts"))
    shot(browser, "counts")

    for link, name in (
        ("dl-annotated", "da_kiem_tra.xlsx"),
        ("dl-summary", "tong_hop.xlsx"),
        ("dl-dossier", "ket_qua_ho_so.xlsx"),
        ("dl-csv", "issues.csv"),
        ("dl-json", "issues.json"),
    ):
        browser.find_element(By.ID, link).click()
        path = downloaded(downloads, name)
        if name.endswith(".xlsx"):
            assert openpyxl.load_workbook(path).sheetnames, name
    annotated = openpyxl.load_workbook(downloads / "da_kiem_tra.xlsx")
    assert annotated.sheetnames[0] == "Kết quả kiểm tra"
    data = json.loads((downloads / "issues.json").read_text(encoding="utf-8"))
    assert [(r["sheet"], r["ref"], r["code"]) for r in data["issues"]] == [
        (i.sheet, i.ref, i.code) for i in expected.issues
    ]


def test_a_folder_of_cell_files_in_the_browser(browser: Any, server: tuple[str, Any], tmp_path: Path) -> None:
    """Choose a folder of the cells' workbooks: its issues are those of validate_files on the folder."""
    url, _ = server
    folder = cell_folder(tmp_path)
    start(browser, url, folder=folder, as_of=AS_OF)
    wait_for(browser, "verdict")
    text = browser.find_element(By.TAG_NAME, "body").text
    for issue in validate_files(folder, as_of=AS_OF).issues:
        if issue.severity == "error":
            assert f"{issue.sheet}!{issue.ref}" in text and issue.code in text
    assert "CHI BỘ HAI" in text.upper()


def test_a_corrupt_file_shows_the_message_in_english(browser: Any, server: tuple[str, Any], tmp_path: Path) -> None:
    """Switch to English and upload a damaged file: the page shows the library's English message."""
    url, _ = server
    browser.get(url)
    browser.find_element(By.ID, "lang-switch").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "check-button").text == "Check")
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook at all")
    with pytest.raises(DangvienError) as caught:
        validate_files(bad, as_of=AS_OF)
    start(browser, url, rosters=bad, as_of=AS_OF)
    problem = wait_for(browser, "problem")
    assert problem.text == caught.value.message("en").replace(str(bad), bad.name)
    assert "Traceback" not in browser.page_source
    shot(browser, "error")
    browser.get(url + "?lang=vi")


def test_progress_page_polls_until_done(browser: Any, server: tuple[str, Any]) -> None:
    """The progress text comes from the status the script polls, and the page turns into the result."""
    url, _ = server
    start(browser, url, rosters=PLANTED, as_of=AS_OF)
    WebDriverWait(browser, 90).until(lambda d: d.find_elements(By.ID, "verdict") or d.find_elements(By.ID, "progress"))
    if browser.find_elements(By.ID, "progress"):
        assert re.search(r"tệp|Đang|Xong", browser.find_element(By.ID, "progress").text)
    assert wait_for(browser, "verdict").text == "Có lỗi cần sửa"


def test_two_tabs_check_two_workbooks_at_once(browser: Any, server: tuple[str, Any], tmp_path: Path) -> None:
    """Two tabs send two different workbooks one after the other: each tab ends on its own result."""
    url, _ = server
    first = browser.current_window_handle
    start(browser, url, rosters=PLANTED, as_of=AS_OF)
    browser.switch_to.new_window("tab")
    second = browser.current_window_handle
    start(browser, url, rosters=SAMPLE / "danh_sach_dang_vien.xlsx", as_of=AS_OF)
    assert wait_for(browser, "verdict").text == "Không có lỗi"
    clean_url = browser.current_url
    browser.switch_to.window(first)
    assert wait_for(browser, "verdict").text == "Có lỗi cần sửa"
    assert browser.current_url != clean_url
    browser.switch_to.window(second)
    browser.close()
    browser.switch_to.window(first)
