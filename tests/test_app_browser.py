"""``frontier app`` end to end in a real headless browser: Debian's chromium driven by playwright.

The test starts ``python -m frontier app --port P --no-browser`` as a subprocess, uploads a CSV (its columns
appear), picks the variables and a model, runs, reads the result from the page and compares it with the API;
loads the example data and runs it (1.7159, as ``frontier demo`` prints); downloads the Excel file and opens it.
With ``FRONTIER_APP_SCREENSHOTS=DIR`` it saves the page in English and Chinese there (docs/app/*.png).

Without chromium or playwright the test skips, saying how to install them; under ``FRONTIER_REQUIRE_BROWSER=1``
(set by ``.ci/run``) the skip is a failure, so CI always runs it.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((p for p in (os.environ.get("FRONTIER_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium")
                 if p and Path(p).is_file()), None)
INSTALL = "install them with: apt-get install -y chromium && pip install playwright"


def _require_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright"
    else:
        missing = None if CHROMIUM else "chromium"
    if missing is None:
        return
    message = f"the browser test needs {missing} ({INSTALL})"
    if os.environ.get("FRONTIER_REQUIRE_BROWSER"):
        pytest.fail(message + "; FRONTIER_REQUIRE_BROWSER is set, so it is required")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    _require_browser()
    pytest.importorskip("streamlit")
    port = _free_port()
    before = set(Path(tempfile.gettempdir()).glob("frontier-app-*"))
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-m", "frontier", "app", "--port", str(port), "--no-browser"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first_line = process.stdout.readline()
    url = f"http://127.0.0.1:{port}"
    assert url in first_line, first_line
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    ours = set(Path(tempfile.gettempdir()).glob("frontier-app-*")) - before
    assert ours, "frontier app made no temporary folder for the uploads"
    yield url
    process.send_signal(signal.SIGINT)            # Ctrl-C: stops cleanly, the uploads' folder removed
    assert process.wait(timeout=20) == 0
    assert not [folder for folder in ours if folder.exists()]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page.goto(url)
    page.get_by_text("frontier: green productivity with DEA").wait_for(timeout=30000)
    return page


def _pick(page, label: str, options: list[str], widget: str = "stMultiSelect") -> None:
    """Choose ``options`` in the Streamlit multiselect (or ``widget="stSelectbox"``) labelled ``label``."""
    box = page.locator(f'[data-testid="{widget}"]').filter(has=page.get_by_text(re.compile(rf"^{label}( \*)?$"))).first
    for option in options:
        box.locator("input").click()
        page.get_by_role("option", name=option, exact=True).click()
        if widget == "stMultiSelect":
            page.keyboard.press("Escape")            # close the list (a select box closes itself)
        page.wait_for_timeout(300)                   # the page's rerun


def test_upload_pick_run_and_compare_with_the_api(server, browser, tmp_path):
    import frontier as fr
    from frontier.datasets import synthetic_city_panel

    data = synthetic_city_panel(n_cities=12, n_years=1)
    path = tmp_path / "firms.csv"
    data.to_csv(path, index=False)
    page = _open(browser, server)
    page.locator("input[type=file]").nth(1).set_input_files(str(path))
    page.get_by_text("firms.csv: 12 rows x 10 columns").wait_for(timeout=30000)
    _pick(page, "inputs", ["capital", "labour"])
    _pick(page, "outputs", ["value_added"])
    _pick(page, "model", ["radial"], widget="stSelectbox")
    page.get_by_role("button", name="Run", exact=True).click()
    summary = page.locator("code").filter(has_text="frontier efficiency").first
    summary.wait_for(timeout=60000)
    text = summary.inner_text()
    expected = fr.efficiency(data, ["capital", "labour"], ["value_added"], model="radial")
    assert "radial" in text and f"mean {expected.scores.mean():.4f}" in text, text
    page.close()


def test_example_then_run_shows_the_demo_gtfp_and_the_excel_opens(server, browser, tmp_path):
    import openpyxl

    page = _open(browser, server)
    page.get_by_role("button", name="Load the example data").click()
    page.get_by_text("city_panel.csv: 3240 rows").wait_for(timeout=30000)
    page.get_by_role("button", name="Run", exact=True).click()
    page.get_by_text("geometric mean 1.7159").wait_for(timeout=240000)
    shots = os.environ.get("FRONTIER_APP_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / "app-en.png"), full_page=False)
        page.get_by_text("geometric mean 1.7159").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / "app-en-results.png"), full_page=False)
    page.get_by_role("tab", name="Downloads").click()
    with page.expect_download() as caught:
        page.get_by_role("button", name="results.xlsx").click()
    target = tmp_path / "results.xlsx"
    caught.value.save_as(target)
    book = openpyxl.load_workbook(target, read_only=True)
    assert "specification" in [s.lower() for s in book.sheetnames], book.sheetnames
    if shots:
        page.get_by_text("简体中文").click()
        page.get_by_text("frontier：基于 DEA 的绿色生产率").wait_for(timeout=30000)
        page.get_by_role("tab", name="摘要").click()
        page.screenshot(path=str(Path(shots) / "app-zh.png"), full_page=False)
    page.close()
