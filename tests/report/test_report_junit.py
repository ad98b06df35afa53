"""junit: one testsuite per report, one testcase per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from auditor.report import Format, render


def _root(result: dict[str, Any]) -> ET.Element:
    text = render(result, Format.junit)
    assert isinstance(text, str)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def test_suites_and_cases_match_findings(result: dict[str, Any]) -> None:
    root = _root(result)
    suites = root.findall("testsuite")
    assert len(suites) == len(result["reports"]) + 1  # + skipped files
    for suite, report in zip(suites, result["reports"], strict=False):
        cases = suite.findall("testcase")
        assert all(c.get("classname") == report["source"] for c in cases)
        if report.get("error"):
            assert len(cases) == 1
            assert cases[0].find("error") is not None
            assert cases[0].find("error").get("message") == report["error"]  # type: ignore[union-attr]
            continue
        assert len(cases) == len(report["findings"])
        for case, finding in zip(cases, report["findings"], strict=True):
            assert case.get("name", "").startswith(f"{finding['rule_id']} {finding['title']}")
            _check_case(case, finding["status"])
        assert int(suite.get("tests", "0")) == len(cases)


def _check_case(case: ET.Element, status: str) -> None:
    children = [child.tag for child in case]
    if status == "met":
        assert children == []
    elif status == "gap":
        assert case.find("failure").get("type") == "gap"  # type: ignore[union-attr]
    elif status == "needs_review":
        assert case.find("failure").get("type") == "needs_review"  # type: ignore[union-attr]
    elif status == "error":
        assert children == ["error"]
    elif status == "not_applicable":
        assert children == ["skipped"]


def test_totals_and_failure_details(result: dict[str, Any]) -> None:
    root = _root(result)
    gaps = sum(1 for r in result["reports"] for f in r["findings"] if f["status"] in ("gap", "needs_review"))
    assert int(root.get("failures", "0")) == gaps
    assert int(root.get("errors", "0")) == 2  # the broken file and the errored rule
    failure = root.find(".//testcase[@name='STR-02B 党政主要负责人履行推进法治建设第一责任人职责情况']/failure")
    assert failure is not None and failure.text is not None
    assert "整改建议" in failure.text and "第23行" in failure.text
    properties = root.find("testsuite/properties")
    assert properties is not None
    props = {p.get("name"): p.get("value") for p in properties}
    assert props["score"] == "71.3" and props["grade"] == "合格"


def test_control_characters_do_not_break_xml(result: dict[str, Any]) -> None:
    root = _root(result)  # would raise on \x0c / \x1b if written raw
    assert "window.__pwned" in ET.tostring(root, encoding="unicode")
