"""The one-page card (``--format card`` / ``card-pdf``): what it lists, that it fits one A4
page with up to 15 open items (WeasyPrint and Chromium), and stays readable beyond."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.config import CardSettings
from auditor.loader import load_bundled
from auditor.pipeline import Options, audit_source
from auditor.report import Format, write_outputs
from auditor.report.card import card_view, render_card, short_remediation, text_width
from auditor.result import Report, dumps

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
FIELD = sorted((ROOT / "fixtures" / "field").glob("*.txt"))
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
SETTINGS = CardSettings(issuer="宜兴市司法局", deadline_days=30)
AUDITED = date(2024, 3, 20)

LONG_MESSAGE = "报告未写明本年度行政机关负责人出庭应诉的案件数、出庭率以及行政复议纠错和行政诉讼败诉的具体情况" * 2
LONG_FIX = "在报告中单列一段，写明本年度行政机关负责人出庭应诉案件数和出庭率，并附行政复议、行政诉讼案件统计" * 3


@cache
def _audited(path: Path) -> dict[str, Any]:
    report = audit_source(str(path), Options(), tuple(load_bundled()))
    assert isinstance(report, Report), report
    data: dict[str, Any] = orjson.loads(dumps(report))
    return data


def _with_open_items(base: dict[str, Any], count: int) -> dict[str, Any]:
    """A real report whose first ``count`` findings are open, with long texts (the worst case)."""
    report = copy.deepcopy(base)
    findings = report["findings"]
    while len(findings) < count:  # more findings than the checklist has: copies under new ids
        extra = copy.deepcopy(findings[len(findings) % len(base["findings"])])
        extra["rule_id"] = f"X-{len(findings):02d}"
        findings.append(extra)
    for n, f in enumerate(findings[:count]):
        f["status"] = "gap" if n % 3 else "needs_review"
        f["message"] = LONG_MESSAGE
        f["remediation"] = LONG_FIX
        f["headline"] = f["title"] = "党政主要负责人履行推进法治建设第一责任人职责情况及其具体做法"
        f["blocking"] = n == 0
    for f in findings[count:]:
        f["status"] = "met"
    return report


def _result(*reports: dict[str, Any]) -> dict[str, Any]:
    return {"tool": {"name": "auditor", "version": "test"}, "reports": list(reports), "skipped": []}


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def _weasy_pdf(html: str, target: Path) -> Path:
    pytest.importorskip("weasyprint")
    from auditor.report.pdf import html_to_pdf

    target.write_bytes(html_to_pdf(html))
    return target


# ------------------------------------------------------------------ what the card says


def test_card_lists_every_open_item_and_counts_the_rest() -> None:
    data = _audited(SEEDS[0])
    view = card_view(data, SETTINGS, AUDITED)
    open_ids = [f["rule_id"] for f in data["findings"] if f["status"] in ("gap", "needs_review", "error")]
    assert sorted(i.rule_id for i in view.items) == sorted(open_ids)
    assert [i.number for i in view.items] == list(range(1, len(open_ids) + 1))
    assert view.passed == sum(f["status"] == "met" for f in data["findings"])
    assert view.total == len(data["findings"])
    gaps_first = [i.status for i in view.items]
    assert gaps_first == sorted(gaps_first, key=("gap", "needs_review", "error").index)
    html = render_card(data, SETTINGS, AUDITED)
    met = [f["rule_id"] for f in data["findings"] if f["status"] == "met"]
    assert met and not [rid for rid in met if f">{rid}<" in html]  # passed rules are counted, not listed
    for rid in open_ids:
        assert f">{rid}<" in html


def test_card_header_signature_and_deadline() -> None:
    data = _audited(SEEDS[0])
    html = render_card(data, SETTINGS, AUDITED)
    meta = data["metadata"]
    assert meta["unit"] in html and str(meta["year"]) in html
    assert f"{data['score']:.1f}" in html and data["grade"] in html
    assert "宜兴市司法局" in html and "2024年3月20日" in html
    assert "2024年4月19日前（30日内）" in html  # 30 days after the audit date
    assert Path(data["source"]).name in html  # the input file, so the author can find it
    for category in data["categories"]:
        assert category["title"] in html


def test_card_without_settings_leaves_blanks_to_fill_in() -> None:
    html = render_card(_audited(SEEDS[0]), CardSettings(), AUDITED)
    assert "核查单位" in html and "整改期限" in html and "None" not in html


@pytest.mark.parametrize(("count", "lines"), [(3, 2), (10, 2), (11, 1), (15, 1)])
def test_each_item_takes_two_or_three_lines(count: int, lines: int) -> None:
    """Line one: the requirement and the finding; then the remediation's first instruction in
    one line (two while there are at most 10 items)."""
    view = card_view(_with_open_items(_audited(SEEDS[0]), count), SETTINGS, AUDITED)
    assert len(view.items) == count
    for item in view.items:
        assert text_width(item.headline + item.message) <= 52
        assert text_width(item.remediation) <= 49 * lines
        assert item.remediation.endswith("…") and text_width(item.remediation) > 49 * (lines - 1)


def test_remediation_is_its_first_instruction() -> None:
    assert short_remediation("逐条写明问题产生的原因，例如：“主要原因是编制不足”。") == "逐条写明问题产生的原因。"
    assert short_remediation("写明出庭应诉案件数。再附上统计表。") == "写明出庭应诉案件数。"
    assert short_remediation("补充。") == "补充。"


def test_report_text_is_escaped() -> None:
    data = _with_open_items(_audited(SEEDS[0]), 2)
    data["metadata"]["unit"] = "<script>alert(1)</script>镇"
    data["findings"][0]["message"] = "<img src=x onerror=alert(1)>"
    html = render_card(data, SETTINGS, AUDITED)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_error_reports_get_no_card(tmp_path: Path) -> None:
    broken = {"source": "坏文件.pdf", "error": "文件为空", "error_code": "unreadable", "findings": []}
    out = tmp_path / "out"
    written = write_outputs(
        _result(_audited(SEEDS[0]), broken), [Format.card], str(out), stdout=io.StringIO(), card=SETTINGS
    )
    assert [Path(p).name for p in written] == [f"{_audited(SEEDS[0])['metadata']['unit']}-2023.card.html"]


# ------------------------------------------------------------------ one A4 page


@pytest.mark.parametrize("path", SEEDS + FIELD, ids=lambda p: p.stem)
def test_card_pdf_of_each_seed_is_one_page(path: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "out"
    written = write_outputs(
        _result(_audited(path)), [Format.card_pdf], str(out), stdout=io.StringIO(), card=SETTINGS, today=AUDITED
    )
    (pdf,) = (Path(p) for p in written)
    assert pdf.name.endswith(".card.pdf")
    assert _pages(pdf) == 1


@pytest.mark.parametrize("count", [1, 8, 10, 11, 15])
def test_up_to_15_open_items_fit_one_page(count: int, tmp_path: Path) -> None:
    data = _with_open_items(_audited(SEEDS[1]), count)
    assert sum(f["status"] != "met" for f in data["findings"]) == count
    pdf = _weasy_pdf(render_card(data, SETTINGS, AUDITED), tmp_path / "card.pdf")
    assert _pages(pdf) == 1


def test_more_items_flow_onto_further_pages_without_overflow(tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    data = _with_open_items(_audited(SEEDS[1]), 45)
    pdf = _weasy_pdf(render_card(data, SETTINGS, AUDITED), tmp_path / "card.pdf")
    assert _pages(pdf) >= 2
    text = ""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            assert all(c["x0"] >= 0 and c["x1"] <= page.width + 0.5 for c in page.chars)  # nothing runs off
            assert all(c["top"] >= 0 and c["bottom"] <= page.height + 0.5 for c in page.chars)
            text += page.extract_text() or ""
    flat = re.sub(r"\s+", "", text)
    for f in data["findings"][:45]:
        assert f["rule_id"] in flat  # every item is on some page
    assert "宜兴市司法局" in flat  # the signature block comes after the last item


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not found (run scripts/install-test-deps.sh)")
@pytest.mark.parametrize("count", [15, 45])
def test_chromium_prints_the_card_on_one_page_up_to_15_items(count: int, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    page = tmp_path / "card.html"
    page.write_text(render_card(_with_open_items(_audited(SEEDS[1]), count), SETTINGS, AUDITED), encoding="utf-8")
    pdf = tmp_path / "card.pdf"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--no-pdf-header-footer",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=True)
    pages = _pages(pdf)
    assert pages == 1 if count <= 15 else pages >= 2
