"""The HTML pages in a real browser (headless Chromium).

Checks that a scorecard shows the unit and score, that script injected through
report text does not run (escaping), that it would not run even if escaping
failed (Content-Security-Policy), and takes a screenshot (the README's
screenshot comes from a real audit instead: tests/e2e/test_real_batch.py).
Chromium comes from ``scripts/install-test-deps.sh``.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from auditor.report import Format, write_outputs

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not found (run scripts/install-test-deps.sh)")

REPO = Path(__file__).resolve().parents[2]
MARK = 'document.documentElement.setAttribute("data-pwned", "1"); document.title = "PWNED";'
PAYLOAD = f"<script>{MARK}</script><img src=x onerror='{MARK}'><svg onload='{MARK}'></svg>"


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


class DomScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pwned = False
        self.title = ""
        self.text: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pwned = self.pwned or any(name == "data-pwned" for name, _ in attrs)
        self._in_title = tag == "title" and not self.title  # the page title, not an SVG one

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        self.text.append(data)


def dump(tmp_path: Path, page: Path) -> DomScan:
    scan = DomScan()
    scan.feed(chromium(tmp_path, page.as_uri(), "--dump-dom").stdout)
    return scan


def _poisoned(result: dict[str, Any]) -> dict[str, Any]:
    poisoned = copy.deepcopy(result)
    for report in poisoned["reports"]:
        if report.get("metadata"):
            report["metadata"]["title"] += PAYLOAD
        for finding in report["findings"]:
            finding["message"] += PAYLOAD
            finding["searched"] = PAYLOAD
            for evidence in finding["evidence"]:
                evidence["text"] += PAYLOAD
        for category in report["categories"]:
            category["title"] += PAYLOAD
    poisoned["skipped"][0]["reason"] += PAYLOAD
    return poisoned


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, batch_result: dict[str, Any]) -> Path:
    folder = tmp_path_factory.mktemp("site")
    write_outputs(_poisoned(batch_result), [Format.html], str(folder), stdout=io.StringIO())
    return folder


def test_detection_works_on_an_unprotected_page(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><title>ok</title><body>{PAYLOAD}</body>", encoding="utf-8")
    scan = dump(tmp_path, page)
    assert scan.pwned and scan.title == "PWNED"  # so the checks below can see a run script


def test_scorecard_shows_unit_and_score_and_runs_nothing(site: Path, tmp_path: Path) -> None:
    scan = dump(tmp_path, site / "张渚镇人民政府-2023.html")
    text = "".join(scan.text)
    assert "张渚镇人民政府" in text and "71.3" in text and "合格" in text
    assert "document.title" in text  # the payload is visible as text
    assert not scan.pwned and scan.title == "张渚镇人民政府"


def test_index_runs_nothing_injected(site: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, (site / "index.html").as_uri(), "--dump-dom")
    scan = DomScan()
    scan.feed(result.stdout)
    assert not scan.pwned and scan.title != "PWNED"
    assert "宜兴市人民政府" in "".join(scan.text)
    assert "Content Security Policy" not in result.stderr  # our own script is allowed


def test_csp_blocks_scripts_even_if_escaping_failed(site: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.html"
    page = (site / "index.html").read_text(encoding="utf-8")
    tampered.write_text(page.replace("</body>", PAYLOAD + "</body>"), encoding="utf-8")
    result = chromium(tmp_path, tampered.as_uri(), "--dump-dom")
    scan = DomScan()
    scan.feed(result.stdout)
    assert not scan.pwned and scan.title != "PWNED"
    assert "Content Security Policy" in result.stderr


def test_screenshot(site: Path, tmp_path: Path, batch_result: dict[str, Any]) -> None:
    from PIL import Image

    clean = tmp_path / "clean"
    write_outputs(batch_result, [Format.html], str(clean), stdout=io.StringIO())
    shot = tmp_path / "scorecard.png"
    chromium(
        tmp_path,
        (clean / "张渚镇人民政府-2023.html").as_uri(),
        f"--screenshot={shot}",
        "--window-size=1240,1754",
        "--hide-scrollbars",
    )
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.size == (1240, 1754)
        inked = sum(image.convert("L").histogram()[:160])  # text, bars, rules
        colours = len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
    assert inked > 0.01 * 1240 * 1754, "screenshot is (nearly) blank"
    assert colours > 50


def test_sorting_script_reorders_the_ranking(site: Path, tmp_path: Path) -> None:
    """Click the score header from a test-only script (allowed by adding its own hash)."""
    import re

    from auditor.report.htmlpage import script_hash

    click = 'document.querySelectorAll("table.ranking th")[4].click();'
    page = (site / "index.html").read_text(encoding="utf-8")
    page = page.replace("script-src ", f"script-src {script_hash(click)} ", 1)
    page = page.replace("</body>", f"<script>{click}</script></body>")
    clicked = tmp_path / "clicked.html"
    clicked.write_text(page, encoding="utf-8")
    dom = chromium(tmp_path, clicked.as_uri(), "--dump-dom").stdout
    ranking = dom.split('class="sortable ranking"')[1].split("</table>")[0]
    units = re.findall(r"<strong>([^<]+人民政府)</strong>", ranking)
    assert units == ["丁蜀镇人民政府", "张渚镇人民政府", "宜兴市人民政府"]  # now ascending
    assert 'aria-sort="ascending"' in ranking
