"""sarif: SARIF 2.1.0, validated against the official schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from auditor.report import Format, render
from auditor.report.sarif import artifact_uri

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def _sarif(result: dict[str, Any]) -> dict[str, Any]:
    text = render(result, Format.sarif)
    assert isinstance(text, str)
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def test_valid_against_the_official_schema(result: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(_sarif(result))


def test_required_fields_by_hand(result: dict[str, Any]) -> None:
    log = _sarif(result)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "auditor" and driver["version"] == "0.1.0"
    for rule in driver["rules"]:
        assert rule["id"] and rule["shortDescription"]["text"]
        assert rule["properties"]["category"] and rule["properties"]["severity"]
    for item in run["results"]:
        assert item["message"]["text"]
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    for report in result["reports"]:
        text_input = (report["read"] or {}).get("format") in ("txt", "md", None)
        for item in run["results"]:
            physical = item["locations"][0]["physicalLocation"]
            if unquote(physical["artifactLocation"]["uri"]) == report["source"]:
                # a region is the file's own lines/characters: text inputs only
                assert ("region" in physical) == text_input
                assert physical.get("region", {}).get("startLine", 1) >= 1


def test_one_result_per_gap_or_review(result: dict[str, Any]) -> None:
    run = _sarif(result)["runs"][0]
    expected = [
        (r["source"], f["rule_id"], f["status"], f["severity"])
        for r in result["reports"]
        for f in r["findings"]
        if f["status"] in ("gap", "needs_review")
    ]
    got = run["results"]
    assert len(got) == len(expected)
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    for item, (source, rule_id, status, severity) in zip(got, expected, strict=True):
        assert item["ruleId"] == rule_id and rule_id in rule_ids
        location = item["locations"][0]["physicalLocation"]["artifactLocation"]
        assert unquote(location["uri"]) == source
        assert location["description"]["text"] == source
        if status == "needs_review":
            assert item["level"] == "note"
        else:
            assert item["level"] == ("error" if severity == "must" else "warning")


def test_rule_help_has_remediation_and_references(result: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in _sarif(result)["runs"][0]["tool"]["driver"]["rules"]}
    help_text = rules["STR-02"]["help"]["text"]
    assert "整改建议" in help_text and "《法治政府建设与责任落实督察工作规定》" in help_text
    assert rules["STR-02"]["shortDescription"]["text"] == "上一年度推进法治政府建设存在的不足和原因"


def test_regions_from_evidence_near_miss_or_line_one(result: dict[str, Any]) -> None:
    results = _sarif(result)["runs"][0]["results"]
    by_key = {
        (unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]), r["ruleId"]): r for r in results
    }

    def region(source: str, rule: str) -> dict[str, Any]:
        found: dict[str, Any] = by_key[(source, rule)]["locations"][0]["physicalLocation"]["region"]
        return found

    assert region("reports/张渚镇.txt", "STR-02B") == {
        "startLine": 23,
        "charOffset": 812,
        "charLength": 11,
        "snippet": {"text": "镇党委书记带头讲法治课"},
    }
    assert region("reports/张渚镇.txt", "STR-02") == {"startLine": 1}
    # a PDF's extracted lines are not the file's: no region, the page is the location's message
    pdf = by_key[("reports/丁蜀镇.pdf", "DAT-02")]["locations"][0]
    assert "region" not in pdf["physicalLocation"]
    assert pdf["message"] == {"text": "第3页"} and pdf["properties"] == {"location": {"page": 3}}


def test_errors_become_notifications(result: dict[str, Any]) -> None:
    invocation = _sarif(result)["runs"][0]["invocations"][0]
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert any("PDF 文件已加密" in t for t in texts)
    assert any("DAT-01" in t for t in texts)
    assert invocation["executionSuccessful"] is False


def test_artifact_uris() -> None:
    assert artifact_uri("reports/a b.txt") == "reports/a%20b.txt"
    assert artifact_uri("/srv/报告.pdf").startswith("file:///srv/")
    assert artifact_uri("C:\\docs\\x.pdf") == "file:///C:/docs/x.pdf"
