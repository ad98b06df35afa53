"""The workbench end to end in a real browser (Debian's chromium + chromedriver through Selenium).

``auditor serve`` runs as a subprocess on a free port with an empty data folder; the browser
uploads the seeds through the upload page, opens the season's ranking, dismisses a 待复核
finding with a comment (keyboard only), confirms a second one, then drops a revised version of
the report (one paragraph rewritten) on the upload page and checks that the first decision is
kept and the second flagged for a new review, on the report and on its versions page; then, the
stored results made an earlier version's (as an upgrade of the tool leaves them), audits them again
from the first page's button and finds the decisions as they were. The README's screenshot
(``docs/images/workbench.png``) is taken here; it is written into docs/ only with
``AUDITOR_UPDATE_SCREENSHOT=1``.

Nothing is downloaded: the driver is /usr/bin/chromedriver (``scripts/install-test-deps.sh``
installs ``chromium-driver``). Without it the test skips locally and fails under CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))
REVISED_SEED = REPO / "fixtures" / "seeds" / "000_3b88b001ffea4908.txt"
SCREENSHOT = REPO / "docs" / "images" / "workbench.png"
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
#: the rewritten paragraph: 行政复议 with cases handled (IND-06's evidence changes, IND-03's does not)
OLD_PARAGRAPH = "是依法处理行政复议、行政诉讼。"
NEW_PARAGRAPH = "是依法处理行政复议、行政诉讼。全年共受理行政复议案件3件，均依法按期办理并作出答复。"


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    if CHROMIUM is None or DRIVER is None:
        return "chromium / chromedriver not found (scripts/install-test-deps.sh installs chromium-driver)"
    return None


if (why := _missing()) is not None:
    if os.environ.get("CI"):
        pytest.fail(f"the browser test cannot run under CI: {why}", pytrace=False)
    pytest.skip(why, allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 120  # seconds: auditing the seeds on a busy two-core machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served data folder (empty at start)."""
    return tmp_path_factory.mktemp("workbench-data")


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[str]:
    assert not any(data.iterdir())
    port = _free_port()
    log = (data.parent / "serve.log").open("wb")
    command = [sys.executable, "-m", "auditor", "serve", "--port", str(port), "--data", str(data), "--jobs", "1"]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=data.parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("auditor serve did not start: " + (data.parent / "serve.log").read_text("utf-8")[-2000:])
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager, should it run, never downloads
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
        "--hide-scrollbars",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_text(driver: Any, locator: tuple[str, str], text: str, timeout: float = WAIT) -> None:
    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element(*locator).text)


def _article(driver: Any, rule_id: str) -> Any:
    return driver.find_element(By.ID, f"f-{rule_id}")


def _review(driver: Any, rule_id: str, button: str, comment: str, reviewer: str) -> None:
    """Fill the finding's review form and press its button with the keyboard (Tab focus + Enter)."""
    article = _article(driver, rule_id)
    box = article.find_element(By.CSS_SELECTOR, f"textarea#c-{rule_id}")
    box.clear()
    box.send_keys(comment)
    name = article.find_element(By.CSS_SELECTOR, f"input#r-{rule_id}")
    name.clear()
    name.send_keys(reviewer)
    target = article.find_element(By.XPATH, f".//button[normalize-space()='{button}']")
    driver.execute_script("arguments[0].focus()", target)
    assert driver.switch_to.active_element == target
    target.send_keys(Keys.ENTER)
    try:
        WebDriverWait(driver, 30).until(lambda d: f"#f-{rule_id}" in d.current_url)
    except Exception:
        raise AssertionError(driver.current_url + driver.page_source[:3000]) from None


def _drop_file(driver: Any, name: str, text: str) -> None:
    """Drop a file on the upload page's drop zone, as a user dragging it from the desktop would."""
    driver.execute_script(
        """
        const [name, text] = arguments;
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, {type: "text/plain"}));
        const zone = document.getElementById("dropzone");
        for (const type of ["dragenter", "dragover", "drop"]) {
          zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }
        """,
        name,
        text,
    )


def test_upload_review_and_revise_in_a_browser(server: str, browser: Any, tmp_path: Path) -> None:
    driver = browser
    assert len(SEEDS) >= 5

    # 1. upload every seed through the page (multi-file input), progress until all are audited
    driver.get(server + "/upload")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in SEEDS))
    driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    _wait_text(driver, (By.ID, "upload-status"), "全部核查完成")
    states = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "table.uploads td.state")]
    assert states == ["已完成"] * len(SEEDS), states

    # 2. the season's ranking, from the home page
    driver.get(server + "/")
    driver.find_element(By.PARTIAL_LINK_TEXT, "2023年度").click()
    assert "得分排名" in driver.find_element(By.TAG_NAME, "h1").text
    ranked = driver.find_elements(By.CSS_SELECTOR, "table.wb-ranking tbody tr")
    assert len(ranked) >= 2
    driver.find_element(By.ID, "f-unreviewed").click()
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: "unreviewed=1" in d.current_url)
    unreviewed = driver.find_elements(By.CSS_SELECTOR, "table.wb-ranking tbody tr.has-unreviewed")
    assert unreviewed and len(unreviewed) == len(driver.find_elements(By.CSS_SELECTOR, "table.wb-ranking tbody tr"))

    # 3. the report of 张渚镇: dismiss one 待复核 finding with a comment, confirm another
    driver.find_element(By.PARTIAL_LINK_TEXT, "张渚镇").click()
    first_url = driver.current_url
    tool_score = driver.find_element(By.CSS_SELECTOR, ".scorebox .score").text
    assert _article(driver, "IND-03").find_element(By.CSS_SELECTOR, ".st").text.endswith("待复核")
    _review(driver, "IND-03", "撤销", "第20行写明了执法公示和全过程记录，法制审核见附件", "王审核")
    article = _article(driver, "IND-03")
    assert "撤销" in article.find_element(By.CSS_SELECTOR, ".decision").text
    assert "法制审核见附件" in article.find_element(By.CSS_SELECTOR, ".comment").text
    scores = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".scorebox .score")]
    assert scores[0] == tool_score and float(scores[1]) > float(tool_score), scores  # a doubt withdrawn
    _review(driver, "IND-06", "确认", "复议办理情况确实没有写", "王审核")
    assert "确认" in _article(driver, "IND-06").find_element(By.CSS_SELECTOR, ".decision").text
    # the reviewer's name is remembered for the next form
    assert _article(driver, "STR-01").find_element(By.CSS_SELECTOR, "input#r-STR-01").get_attribute("value") == "王审核"

    # 4. a revised version (one paragraph rewritten), dropped on the upload page
    revised = REVISED_SEED.read_text("utf-8")
    assert OLD_PARAGRAPH in revised
    driver.get(server + "/upload")
    _drop_file(driver, "张渚镇-修订版.txt", revised.replace(OLD_PARAGRAPH, NEW_PARAGRAPH, 1))
    _wait_text(driver, (By.ID, "chosen"), "张渚镇-修订版.txt", 10)
    driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    _wait_text(driver, (By.ID, "upload-status"), "全部核查完成")
    driver.find_element(By.LINK_TEXT, "张渚镇-修订版.txt").click()

    # 5. the new version keeps the decision whose finding is unchanged and flags the other
    assert driver.current_url != first_url
    assert "第2版" in driver.find_element(By.CSS_SELECTOR, ".masthead .kicker").text
    kept = _article(driver, "IND-03")
    assert "撤销" in kept.find_element(By.CSS_SELECTOR, ".decision").text
    assert "沿用前一版本的决定" in kept.find_element(By.CSS_SELECTOR, ".decision").text
    flagged = _article(driver, "IND-06")
    assert "请重新复核" in flagged.find_element(By.CSS_SELECTOR, ".stale-note").text
    assert "IND-06" in driver.find_element(By.CSS_SELECTOR, ".notice").text

    driver.set_window_size(1280, 1560)
    shot = tmp_path / "workbench.png"
    assert driver.save_screenshot(str(shot))
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    if os.environ.get("AUDITOR_UPDATE_SCREENSHOT"):
        SCREENSHOT.write_bytes(png)

    # 6. the versions page says what the revision fixed and which decisions were kept / flagged
    driver.find_element(By.PARTIAL_LINK_TEXT, "版本（共 2 版）").click()
    revision = driver.find_element(By.CSS_SELECTOR, "section.revision").text
    assert "沿用 1 项" in revision and "IND-03" in revision
    assert "需重新复核 1 项" in revision and "IND-06" in revision


def test_results_of_an_earlier_version_are_audited_again_from_the_first_page(
    server: str, browser: Any, data: Path
) -> None:
    """After the first test: every stored result made an earlier version's, audited again with one button."""
    import sqlite3

    driver = browser
    with sqlite3.connect(data / "auditor.db") as connection:
        connection.execute("UPDATE reports SET audited_with = '0123456789abcdef'")
    driver.get(server + "/")
    notice = driver.find_element(By.ID, "outdated")
    assert f"{len(SEEDS) + 1} 份报告的结果来自此前的版本" in notice.text and "复核决定都保留" in notice.text
    driver.find_element(By.ID, "reaudit").click()
    WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith("/#pending"))
    if driver.find_elements(By.CSS_SELECTOR, "table.uploads[data-poll]"):  # not all audited yet when shown
        _wait_text(driver, (By.ID, "upload-status"), "全部核查完成")
    driver.get(server + "/")
    assert not driver.find_elements(By.ID, "outdated")
    driver.find_element(By.PARTIAL_LINK_TEXT, "2023年度").click()
    driver.find_element(By.PARTIAL_LINK_TEXT, "张渚镇").click()
    assert "第2版" in driver.find_element(By.CSS_SELECTOR, ".masthead .kicker").text
    assert "撤销" in _article(driver, "IND-03").find_element(By.CSS_SELECTOR, ".decision").text
    assert "请重新复核" in _article(driver, "IND-06").find_element(By.CSS_SELECTOR, ".stale-note").text
