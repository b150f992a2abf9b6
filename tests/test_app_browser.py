"""``frontier app`` end to end in a real headless browser: Debian's chromium driven by playwright.

The test starts ``python -m frontier app --port P --no-browser`` as a subprocess, uploads a CSV (its columns
appear), picks the variables and a model, runs, reads the result from the page and compares it with the API;
loads the example data and runs it (1.7159, as ``frontier demo`` prints); downloads the Excel file and opens it.
It clicks docs/app.md's metafrontier and bootstrap walk-throughs as written, on an Excel file with Chinese column
names, compares each result with the API's and opens its Excel and Stata downloads (the Chinese names intact).
One server, browser and tab serve every test (module fixtures); each test opens the page afresh, a new session.
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
import threading
import time
import urllib.request
from pathlib import Path

import pytest

# a real page and its runs, timed by the browser: these run alone, after the other tests (README's test command).
# Beside another test process a run's page sometimes never showed its result; the page now follows a run to its end
# itself (no browser timer), yet in a fresh-clone CI under pytest-xdist the bootstrap walkthrough's summary still did
# not show within 240 s once (2026-12-07, ninth session: cause not found; alone they pass)
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((p for p in (os.environ.get("FRONTIER_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium")
                 if p and Path(p).is_file()), None)
CHINESE = {"city": "城市", "year": "年份", "region": "地区", "capital": "资本", "labour": "劳动", "energy": "能源",
           "value_added": "增加值", "so2": "二氧化硫"}
INPUTS, OUTPUTS = ["资本", "劳动", "能源"], ["增加值"]
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
def server(tmp_path_factory):
    """``frontier app`` on a free port, with a temporary folder of its own (``TMPDIR``): the uploads' folder it makes
    there is its, not another test process's (whose page tests make ``frontier-app-*`` folders in the same /tmp)."""
    _require_browser()
    pytest.importorskip("streamlit")
    port = _free_port()
    temporary = tmp_path_factory.mktemp("app-tmp")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "TMPDIR": str(temporary)}
    # SIGINT at its default, as a terminal's foreground process has it (a child inherits an ignored SIGINT, e.g. from
    # a test run started in the background, and the Ctrl-C below would then not stop the server)
    process = subprocess.Popen([sys.executable, "-m", "frontier", "app", "--port", str(port), "--no-browser"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first_line = process.stdout.readline()
    url = f"http://127.0.0.1:{port}"
    assert url in first_line, first_line
    # the rest of its output is read as it comes: unread, a full pipe would block the server at its next write
    threading.Thread(target=process.stdout.read, daemon=True).start()
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    ours = list(temporary.glob("frontier-app-*"))
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


@pytest.fixture(scope="module")
def page(browser):
    """One browser tab for every test: each test navigates afresh (:func:`_open`), a new session of the page."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def chinese_file(tmp_path_factory):
    """20 cities x 3 years of the city panel with Chinese column names, as an Excel file (what a user uploads)."""
    from frontier.datasets import synthetic_city_panel

    data = synthetic_city_panel(n_cities=20, n_years=3).rename(columns=CHINESE)[list(CHINESE.values())]
    path = tmp_path_factory.mktemp("upload") / "城市面板.xlsx"
    data.to_excel(path, index=False)
    return path


def _open(page, url):
    page.goto(url)
    page.get_by_text("frontier: green productivity with DEA").wait_for(timeout=30000)
    return page


def _settle(page) -> None:
    """Wait for the page's rerun after an input: a moment for the rerun to start, then until the script has stopped
    (Streamlit marks its root with the script's state). A fixed pause alone was too short on a loaded machine: Run was
    clicked before the last pick had reached the script, and the summary never came."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=60000)


def _field(page, label: str, widget: str):
    """The Streamlit ``widget`` of the form labelled ``label``, as the page shows it: the plain label, then the API's
    keyword in small type (``Returns to scale · rts``), a star when required."""
    shown = re.compile(rf"^{re.escape(label)}(\s*·\s*\w+)?(\s*\*)?$")
    return page.locator(f'[data-testid="{widget}"]').filter(has=page.get_by_text(shown)).first


def _pick(page, label: str, options: list[str], widget: str = "stMultiSelect") -> None:
    """Choose ``options`` in the Streamlit multiselect (or ``widget="stSelectbox"``) labelled ``label``."""
    box = _field(page, label, widget)
    for option in options:
        box.locator("input").click()
        page.get_by_role("option", name=option, exact=True).click()
        if widget == "stMultiSelect":
            page.keyboard.press("Escape")            # close the list (a select box closes itself)
        _settle(page)


def test_upload_pick_run_and_compare_with_the_api(server, page, tmp_path):
    import frontier as fr
    from frontier.datasets import synthetic_city_panel

    data = synthetic_city_panel(n_cities=12, n_years=1)
    path = tmp_path / "firms.csv"
    data.to_csv(path, index=False)
    _open(page, server)
    page.locator("input[type=file]").nth(1).set_input_files(str(path))
    page.get_by_text("firms.csv: 12 rows x 10 columns").wait_for(timeout=30000)
    _pick(page, "Inputs", ["capital", "labour"])
    _pick(page, "Desirable outputs", ["value_added"])
    _pick(page, "Model", ["radial"], widget="stSelectbox")
    _settle(page)
    page.get_by_role("button", name="Run", exact=True).click()
    summary = page.locator("code").filter(has_text="frontier efficiency").first
    summary.wait_for(timeout=60000)
    text = summary.inner_text()
    expected = fr.efficiency(data, ["capital", "labour"], ["value_added"], model="radial")
    assert "radial" in text and f"mean {expected.scores.mean():.4f}" in text, text



def _analysis(page, name: str) -> None:
    """Choose the analysis ``name`` (its option reads "name: what it does")."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(re.compile(r"^Analysis$"))).first
    box.locator("input").click()
    page.get_by_role("option", name=re.compile(rf"^{name}:")).click()
    _settle(page)


def _type(page, label: str, value: str) -> None:
    """Type ``value`` in the text field labelled ``label`` (Enter commits it, as a user does)."""
    _field(page, label, "stTextInput").locator("input").fill(value)
    page.keyboard.press("Enter")
    _settle(page)


def _upload(page, path: Path, rows: int) -> None:
    page.locator("input[type=file]").nth(1).set_input_files(str(path))
    page.get_by_text(f"{path.name}: {rows} rows").wait_for(timeout=30000)


def _summary(page, command: str) -> str:
    """The result's summary as the page shows it, after Run (waits for it: up to 4 minutes, since on a fresh
    checkout the first call that uses the compiled kernel, e.g. a bootstrap's replicates, compiles it once, 20-30 s
    of CPU, while the other test processes load the machine)."""
    _settle(page)
    page.get_by_role("button", name="Run", exact=True).click()
    summary = page.locator("code").filter(has_text=f"frontier {command}").first
    summary.wait_for(timeout=240000)
    return summary.inner_text()


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in str(text).strip().splitlines()]


def _download(page, name: str, folder: Path) -> Path:
    page.get_by_role("tab", name="Downloads").click()
    with page.expect_download() as caught:
        page.get_by_role("button", name=name, exact=True).click()
    target = folder / name
    caught.value.save_as(target)
    return target


def _downloads_keep_the_chinese_names(page, folder: Path, data, columns: list, expected) -> None:
    """The Excel and Stata files of the result open (openpyxl, pandas.read_stata) with the Chinese column names,
    the cities of ``data`` in its order and the API's numbers (``expected``) in ``columns``."""
    import numpy as np
    import openpyxl
    import pandas as pd

    excel = _download(page, "results.xlsx", folder)
    book = openpyxl.load_workbook(excel, read_only=True)
    header = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
    book.close()
    assert {"城市", "年份", "地区"} <= set(header), header
    stata = pd.read_stata(_download(page, "results.dta", folder))
    assert {"城市", "年份", "地区"} <= set(stata.columns), list(stata.columns)
    for table in (pd.read_excel(excel, sheet_name=0), stata):
        assert list(table["城市"]) == list(data["城市"])
        for column in columns:
            np.testing.assert_allclose(table[column].to_numpy(float), expected[column].to_numpy(float), rtol=1e-9)


def _screenshots(page, name: str) -> None:
    """With FRONTIER_APP_SCREENSHOTS=DIR: the results of this run in English, then in Chinese (app-en-NAME.png,
    app-zh-NAME.png; the page is left in Chinese)."""
    shots = os.environ.get("FRONTIER_APP_SCREENSHOTS")
    if not shots:
        return
    Path(shots).mkdir(parents=True, exist_ok=True)
    page.get_by_role("tab", name="Summary").click()
    page.get_by_role("heading", name="4. Results").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(shots) / f"app-en-{name}.png"))
    page.get_by_text("简体中文").click()
    page.get_by_role("heading", name="4. 结果").wait_for(timeout=30000)
    page.get_by_role("tab", name="摘要").click()
    page.get_by_role("heading", name="4. 结果").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(shots) / f"app-zh-{name}.png"))


def test_walkthrough_metafrontier_by_region_on_a_chinese_excel_file(server, page, chinese_file, tmp_path):
    """docs/app.md's "A metafrontier by region", clicked as written, on a file with Chinese names."""
    import frontier as fr
    from frontier.io import read_table

    _open(page, server)
    _upload(page, chinese_file, 60)
    _analysis(page, "metafrontier")
    _pick(page, "Inputs", INPUTS)
    _pick(page, "Desirable outputs", OUTPUTS)
    _pick(page, "Group", ["地区"], widget="stSelectbox")
    _pick(page, "DMU identifier", ["城市"])
    _pick(page, "Time period", ["年份"], widget="stSelectbox")
    shown = _summary(page, "metafrontier")
    data = read_table(chinese_file)
    expected = fr.metafrontier(data, "地区", INPUTS, OUTPUTS, id=["城市"], period="年份")
    assert _lines(shown) == _lines(expected.summary()), shown
    page.get_by_role("tab", name="Figures").click()
    figure = page.locator('[data-testid="stImage"]').filter(has_text="results_tgr.png")
    figure.locator("img").wait_for(timeout=30000)          # the technology gap by region, drawn
    assert not page.get_by_text("unclosed file").count()
    _downloads_keep_the_chinese_names(page, tmp_path, data, ["group_score", "meta_score", "tgr"], expected.to_frame())
    _screenshots(page, "metafrontier")


def test_walkthrough_bootstrap_on_a_chinese_excel_file(server, page, chinese_file, tmp_path):
    """docs/app.md's "A bootstrap", clicked as written (B 50 instead of 100, to stay fast), on Chinese names."""
    import frontier as fr
    from frontier.io import read_table

    _open(page, server)
    _upload(page, chinese_file, 60)
    _analysis(page, "bootstrap")
    _pick(page, "Inputs", INPUTS)
    _pick(page, "Desirable outputs", OUTPUTS)
    _pick(page, "Time period", ["年份"], widget="stSelectbox")
    page.get_by_text("Options: model and bootstrap").click()
    _type(page, "Bootstrap replicates", "50")
    _type(page, "Random seed", "1")
    shown = _summary(page, "bootstrap")
    data = read_table(chinese_file)
    expected = fr.bootstrap(data, INPUTS, OUTPUTS, period="年份", B=50, random_state=1)
    assert _lines(shown) == _lines(expected.summary()), shown
    _downloads_keep_the_chinese_names(page, tmp_path, data, ["score", "bias_corrected", "lower", "upper"],
                                      expected.to_frame())
    _screenshots(page, "bootstrap")


def test_example_then_run_shows_the_demo_gtfp_and_the_excel_opens(server, page, tmp_path):
    import openpyxl

    _open(page, server)
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
