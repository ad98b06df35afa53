"""html: escaped report text, strict CSP, scorecard content, index ranking."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

from auditor.report.htmlpage import render_index, render_scorecards, sort_script
from auditor.result import Report, batch_from_json


class PageScan(HTMLParser):
    """Collects what a browser would treat as active content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    @property
    def csp(self) -> str:
        for tag, attrs in self.tags:
            if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
                return attrs.get("content") or ""
        return ""


def scan(page: str) -> PageScan:
    parser = PageScan()
    parser.feed(page)
    parser.close()
    return parser


def assert_inert(page: PageScan, allowed_scripts: list[str]) -> None:
    assert page.scripts == allowed_scripts
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed", "link", "base")
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").lower().startswith(("javascript:", "http:", "https:", "//"))
    text = "".join(page.text)
    assert "<script>window.__pwned=1</script>" in text  # shown as text, not run


def test_scorecard_escapes_report_text(result: dict[str, Any]) -> None:
    batch = batch_from_json(result)
    page = render_scorecards(batch, [batch.audited[1]], index_href="./index.html")
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    parsed = scan(page)
    assert_inert(parsed, [])
    assert "script-src 'none'" in parsed.csp and "default-src 'none'" in parsed.csp
    assert "\x1b" not in page and "\x0c" not in page  # control characters dropped


def test_index_only_runs_its_own_hashed_script(result: dict[str, Any]) -> None:
    page = scan(render_index(batch_from_json(result), {0: "./张渚镇.html", 1: "./宜兴市人民政府.html"}))
    assert_inert(page, [sort_script()])
    digest = base64.b64encode(hashlib.sha256(sort_script().encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page.csp
    assert "default-src 'none'" in page.csp


def test_scorecard_content(result: dict[str, Any]) -> None:
    batch = batch_from_json(result)
    page = render_scorecards(batch, batch.audited[:1], index_href=None)
    text = re.sub(r"\s+", " ", "".join(scan(page).text))
    for expected in (
        "张渚镇人民政府",
        "张渚镇人民政府2023年法治政府建设情况报告",
        "2023",
        "乡镇/街道",
        "得分",
        "71.3",
        "等级",
        "合格",
        "等级受 STR-02B 限制",
        "分类得分",
        "逐项核查",
        "待人工复核",
        "整改建议：",
        "依据：",
        "✔ 达标",
        "✘ 缺失",
        "? 待复核",
        "– 不适用",
        "第7行",
        "第23行",
        "说明：最接近的表述",
        "核查清单 fazhi-annual-report 2026.1",
        "由 auditor 0.1.0 生成",
    ):
        assert expected in text, expected
    assert "返回汇总" not in text
    review = page.split("待人工复核</h2>")[1]
    assert "PUB-01" in review and "STR-02 " not in review


def test_category_chart_is_inline_svg(result: dict[str, Any]) -> None:
    batch = batch_from_json(result)
    page = render_scorecards(batch, batch.audited[:1], index_href=None)
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    widths = re.findall(r'<rect x="170.0" y="[\d.]+" width="([\d.]+)" height="18.0" fill="#', svg)
    assert widths[1::2] == ["210.0", "210.0", "420.0"]  # 50, 50, 100 of 420
    assert "法定内容" in svg and "100.0" in svg


def test_error_rule_and_print_css(result: dict[str, Any]) -> None:
    batch = batch_from_json(result)
    page = render_scorecards(batch, batch.audited[:3], index_href=None)
    assert "! 出错" in page
    assert page.count('<section class="report">') == 3
    assert ".report + .report { break-before: page;" in page
    assert "@page" in page and "size: A4" in page
    assert "thead { display: table-header-group; }" in page
    assert '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei"' in page
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", page)
    assert "@import" not in page and "url(" not in page


def test_index_ranking_errors_and_rates(result: dict[str, Any]) -> None:
    page = render_index(batch_from_json(result), {0: "./a.html", 1: "./b.html", 2: "./c.html"})
    ranking = page.split('class="sortable ranking"')[1].split("</table>")[0]
    order = [u for u in re.findall(r"<strong>([^<]+人民政府)</strong>", ranking)]
    assert order == ["宜兴市人民政府", "张渚镇人民政府", "丁蜀镇人民政府"]  # score desc, unscored last
    assert ranking.index('href="./b.html"') < ranking.index('href="./a.html"')
    assert "无法审核的报告" in page and "PDF 文件已加密" in page
    assert "未处理的文件" in page and "reports/logo.png" in page
    rates = page.split('class="sortable rates"')[1].split("</table>")[0]
    rule_order = re.findall(r"<tr>\s*<td>([A-Z]+-\d+B?)</td>", rates)
    assert rule_order[0] == "STR-02" and rule_order[-2:] == ["STR-01", "DAT-03"]
    assert "33%" in rates and "100%" in rates


def test_missing_optional_keys_are_tolerated() -> None:
    """A result read from a file of an older or other tool: absent keys read as empty."""
    bare: dict[str, Any] = {"reports": [{"source": "x.txt", "findings": [{"rule_id": "R1", "status": "gap"}]}]}
    batch = batch_from_json(bare)
    assert isinstance(batch.reports[0], Report)
    assert "x" in render_scorecards(batch, batch.audited, index_href=None)
    assert "R1" in render_index(batch, {0: "./x.html"})


def test_passed_and_not_applicable_rules_are_collapsed(result: dict[str, Any]) -> None:
    batch = batch_from_json(result)
    page = render_scorecards(batch, batch.audited[:1], index_href=None)
    details = re.findall(r'<details class="settled">(.*?)</details>', page, re.S)
    assert len(details) == 3  # one per category with met or not-applicable rules
    inside = "".join(details)
    outside = re.sub(r'<details class="settled">.*?</details>', "", page, flags=re.S)
    assert 'class="row-met"' in inside and 'class="row-not_applicable"' in inside
    assert 'class="row-met"' not in outside and 'class="row-not_applicable"' not in outside
    assert 'class="row-gap"' in outside and 'class="row-needs_review"' in outside and 'class="row-gap"' not in inside
    summaries = re.findall(r"<summary>(.*?)</summary>", page)
    assert summaries[0] == (
        "✔ 已通过 2 项：STR-01 上一年度推进法治政府建设的主要举措和成效、STR-03 下一年度推进法治政府建设的主要安排"
    )
    assert "– 不适用 1 项：DAT-03 规范性文件备案审查情况" in summaries[2]
    assert "<script" not in page  # collapsing needs no script
    assert "details.settled:not([open]) > :not(summary) { display: none; }" in page  # printed collapsed too
