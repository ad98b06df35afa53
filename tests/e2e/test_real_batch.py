"""End to end on real reports: a folder (one report carrying injected HTML/JS in its text)
audited to every format through the real CLI; each output parsed with a standard parser
and compared with the JSON verdicts; the HTML opened in headless Chromium where the
injected script must not run. ``UPDATE_SCREENSHOT=1`` refreshes the README screenshot."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
MARK = 'document.documentElement.setAttribute("data-pwned","1");'
INJECTED = f"<script>{MARK}</script><img src=x onerror='{MARK}'>"
FORMATS = ["json", "html", "csv", "xlsx", "sarif", "junit", "markdown", "jsonl"]


def auditor(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    reports = tmp_path_factory.mktemp("reports")
    for f in sorted((REPO / "examples").glob("*.txt")):
        shutil.copy(f, reports / f.name)
    poisoned = (
        (reports / "张渚镇-2023.txt")
        .read_text(encoding="utf-8")
        .replace("行政机关负责人出庭应诉率实现100%", f"行政机关负责人出庭应诉率实现100%{INJECTED}", 1)
    )
    (reports / "张渚镇-2023.txt").write_text(poisoned, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    args = ["check", reports.name, "--no-progress", "--output", str(out)]
    for f in FORMATS:
        args += ["--format", f]
    proc = auditor(*args, cwd=reports.parent)
    assert proc.returncode == 0, proc.stderr
    return reports, out, json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_every_format_agrees_with_json(batch: tuple[Path, Path, dict[str, Any]]) -> None:
    _, out, result = batch
    reports = result["reports"]
    verdicts = {(Path(r["source"]).name, f["rule_id"]): f["status"] for r in reports for f in r["findings"]}
    assert len(reports) == 5 and all(r["score"] is not None for r in reports)
    # SARIF: one result per gap / needs_review
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    want = sum(1 for s in verdicts.values() if s in ("gap", "needs_review"))
    assert len(sarif["runs"][0]["results"]) == want
    # JUnit: one testcase per rule per report, gaps are failures
    tree = ET.parse(out / "report.junit.xml")
    cases = tree.getroot().iter("testcase")
    failures = sum(1 for c in cases if c.find("failure") is not None)
    assert failures == want
    # CSV: one row per report, one column per rule
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and "STR-01" in rows[0] and "DL-01" in rows[0]
    # XLSX: the same table
    from openpyxl import load_workbook

    sheet = load_workbook(out / "summary.xlsx").worksheets[0]
    assert sheet.max_row == 6 and sheet.freeze_panes is not None
    # JSONL: one line per report
    lines = [json.loads(x) for x in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(1 for x in lines if "report" in x) == 5
    # Markdown mentions every gap rule of every report
    md = (out / "report.md").read_text(encoding="utf-8")
    assert all(rid in md for (_, rid), s in verdicts.items() if s == "gap")


def test_injected_text_is_quoted_as_evidence(batch: tuple[Path, Path, dict[str, Any]]) -> None:
    _, _, result = batch
    zhangzhu = next(r for r in result["reports"] if "张渚镇" in r["source"])
    texts = [e["text"] for f in zhangzhu["findings"] for e in f["evidence"]]
    contexts = [e["context"] for f in zhangzhu["findings"] for e in f["evidence"]]
    assert any("<script>" in t for t in texts + contexts)  # so the HTML really carries the payload


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pwned = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pwned = self.pwned or any(a == "data-pwned" for a, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _chromium(tmp: Path, url: str, *args: str) -> str:
    assert CHROMIUM
    cmd = [
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
        f"--user-data-dir={tmp / 'profile'}",
        *args,
        url,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not found (run scripts/install-test-deps.sh)")
def test_scorecard_in_chromium(batch: tuple[Path, Path, dict[str, Any]], tmp_path: Path) -> None:
    _, out, result = batch
    zhangzhu = next(r for r in result["reports"] if "张渚镇" in r["source"])
    page = next(out.glob("张渚镇*.html"))
    scan = _Scan()
    scan.feed(_chromium(tmp_path, page.as_uri(), "--dump-dom"))
    text = "".join(scan.text)
    assert zhangzhu["metadata"]["unit"] in text and f"{zhangzhu['score']:.1f}" in text
    assert "<script>" in text  # shown as text
    assert not scan.pwned
    index = _Scan()
    index.feed(_chromium(tmp_path, (out / "index.html").as_uri(), "--dump-dom"))
    assert not index.pwned and all(r["metadata"]["unit"] in "".join(index.text) for r in result["reports"])
    shot = tmp_path / "scorecard.png"
    _chromium(tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1240,1754", "--hide-scrollbars")
    assert shot.stat().st_size > 50_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, REPO / "docs" / "images" / "scorecard.png")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_and_jsonl_alone_equal_the_general_writers(
    batch: tuple[Path, Path, dict[str, Any]], jobs: str, tmp_path: Path
) -> None:
    """`--format json` / `jsonl` alone splice the workers' pre-encoded bytes; the result must be
    byte for byte what the writers of the multi-format run (which decode every report) produce,
    including a skipped file and a report that cannot be read."""
    reports, _, _ = batch
    (reports / "notes.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a report")
    (reports / "empty.txt").write_text("", encoding="utf-8")
    try:
        general = tmp_path / "general"
        alone = {fmt: tmp_path / f"alone.{fmt}" for fmt in ("json", "jsonl")}
        common = ["check", reports.name, "--no-progress", "--jobs", jobs]
        auditor(*common, "--format", "json", "--format", "jsonl", "--output", str(general), cwd=reports.parent)
        for fmt, path in alone.items():
            proc = auditor(*common, "--format", fmt, "--output", str(path), cwd=reports.parent)
            assert proc.returncode == 2, proc.stderr  # the empty report is an error
        assert alone["json"].read_bytes() == (general / "report.json").read_bytes()
        assert alone["jsonl"].read_bytes() == (general / "report.jsonl").read_bytes()
        stdout = auditor(*common, "--format", "json", cwd=reports.parent).stdout
        assert stdout == (general / "report.json").read_text(encoding="utf-8")
    finally:
        (reports / "notes.jpg").unlink()
        (reports / "empty.txt").unlink()
