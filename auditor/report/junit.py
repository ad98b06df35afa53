"""JUnit XML: one testsuite per report, one testcase per rule.

Mapping of statuses (for CI dashboards):

* ``met``            -> a passing testcase
* ``gap``            -> ``<failure type="gap">``
* ``needs_review``   -> ``<failure type="needs_review">`` (a human must check it,
  so it fails the build like a gap; filter on ``type`` to tell them apart)
* ``not_applicable`` -> ``<skipped/>``
* ``error``          -> ``<error>``

``classname`` is the report source, ``name`` is ``"<rule_id> <title>"``. A report
that could not be audited is one testcase with ``<error>``. Skipped input files
form a last testsuite of skipped testcases.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from auditor.report import access
from auditor.report.access import Finding, Report, Result
from auditor.report.labels import format_score, status_label
from auditor.report.location import quote_place
from auditor.report.sanitize import xml_safe

_COUNTED = ("tests", "failures", "errors", "skipped")


def render_junit(result: Result) -> str:
    root = ET.Element("testsuites", name=xml_safe(access.tool_line(result)))
    for report in access.reports(result):
        root.append(_suite(report))
    if access.skipped(result):
        root.append(_skipped_suite(access.skipped(result)))
    _total(root)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _suite(report: Report) -> ET.Element:
    suite = ET.Element("testsuite", name=xml_safe(f"{access.unit(report)} ({access.source(report)})"))
    _properties(suite, report)
    failure = access.error(report)
    if failure:
        case = _case(suite, access.source(report), "读取报告")
        ET.SubElement(case, "error", message=xml_safe(failure), type="report_error")
    for finding in access.findings(report):
        _finding_case(suite, access.source(report), finding)
    _count(suite)
    return suite


def _properties(suite: ET.Element, report: Report) -> None:
    meta = access.metadata(report)
    values = {
        "source": access.source(report),
        "unit": access.unit(report),
        "year": meta.get("year"),
        "score": format_score(report.get("score")),
        "grade": report.get("grade"),
        "checklist": access.checklist_line(report),
    }
    props = ET.SubElement(suite, "properties")
    for name, value in values.items():
        if value not in (None, ""):
            ET.SubElement(props, "property", name=name, value=xml_safe(value))


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=xml_safe(classname), name=xml_safe(name))


def _finding_case(suite: ET.Element, classname: str, finding: Finding) -> None:
    name = f"{finding.get('rule_id') or ''} {finding.get('title') or ''}".strip()
    case = _case(suite, classname, name)
    state = access.status(finding)
    message = xml_safe(finding.get("message") or status_label(state))
    if state in ("gap", "needs_review"):
        node = ET.SubElement(case, "failure", message=message, type=state)
        node.text = xml_safe(_details(finding))
    elif state == "error":
        ET.SubElement(case, "error", message=message, type="rule_error")
    elif state == "not_applicable":
        ET.SubElement(case, "skipped", message=message)


def _details(finding: Finding) -> str:
    lines = [f"状态：{status_label(access.status(finding))}"]
    if finding.get("remediation"):
        lines.append(f"整改建议：{finding['remediation']}")
    if access.references(finding):
        lines.append("依据：" + "；".join(access.references(finding)))
    for evidence in access.evidence(finding):
        lines.append(_quote("证据", evidence))
    near = access.near_miss(finding)
    if near:
        lines.append(_quote("近似内容", near))
        if near.get("reason"):
            lines.append(f"说明：{near['reason']}")
    if finding.get("searched"):
        lines.append(f"检索内容：{finding['searched']}")
    return "\n".join(lines)


def _quote(label: str, evidence: Mapping[str, Any]) -> str:
    where = quote_place(evidence)
    return f"{label}{where}：{evidence.get('text') or ''}"


def _skipped_suite(entries: list[Mapping[str, Any]]) -> ET.Element:
    suite = ET.Element("testsuite", name="未处理的文件")
    for entry in entries:
        case = _case(suite, str(entry.get("source") or ""), "读取报告")
        ET.SubElement(case, "skipped", message=xml_safe(entry.get("reason") or ""))
    _count(suite)
    return suite


def _count(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))


def _total(root: ET.Element) -> None:
    for key in _COUNTED:
        root.set(key, str(sum(int(s.get(key, "0")) for s in root.findall("testsuite"))))
