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
from collections.abc import Sequence
from typing import assert_never

from auditor.findings import Evidence, Finding, NearMiss
from auditor.report import access
from auditor.report.labels import format_score
from auditor.report.location import quote_place
from auditor.report.sanitize import xml_safe
from auditor.result import AnyReport, Batch, ErrorReport, Skipped
from auditor.vocabulary import Status

_COUNTED = ("tests", "failures", "errors", "skipped")


def render_junit(batch: Batch) -> str:
    root = ET.Element("testsuites", name=xml_safe(batch.tool.line))
    for report in batch.reports:
        root.append(_suite(report))
    if batch.skipped:
        root.append(_skipped_suite(batch.skipped))
    _total(root)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _suite(report: AnyReport) -> ET.Element:
    suite = ET.Element("testsuite", name=xml_safe(f"{access.unit(report)} ({report.source})"))
    _properties(suite, report)
    if isinstance(report, ErrorReport):
        case = _case(suite, report.source, "读取报告")
        ET.SubElement(case, "error", message=xml_safe(report.error), type="report_error")
    for finding in report.findings:
        _finding_case(suite, report.source, finding)
    _count(suite)
    return suite


def _properties(suite: ET.Element, report: AnyReport) -> None:
    values = {
        "source": report.source,
        "unit": access.unit(report),
        "year": report.metadata.year if not isinstance(report, ErrorReport) else None,
        "score": format_score(report.score),
        "grade": report.grade if not isinstance(report, ErrorReport) else None,
        "checklist": access.checklist_line(report),
    }

    props = ET.SubElement(suite, "properties")
    for name, value in values.items():
        if value not in (None, ""):
            ET.SubElement(props, "property", name=name, value=xml_safe(value))


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=xml_safe(classname), name=xml_safe(name))


def _finding_case(suite: ET.Element, classname: str, finding: Finding) -> None:
    name = f"{finding.rule_id} {finding.title}".strip()
    case = _case(suite, classname, name)
    state = finding.status
    message = xml_safe(finding.message or state.label)
    match state:
        case Status.gap | Status.needs_review:
            node = ET.SubElement(case, "failure", message=message, type=state.value)
            node.text = xml_safe(_details(finding))
        case Status.error:
            ET.SubElement(case, "error", message=message, type="rule_error")
        case Status.not_applicable:
            ET.SubElement(case, "skipped", message=message)
        case Status.met:
            pass
        case _:
            assert_never(state)


def _details(finding: Finding) -> str:
    lines = [f"状态：{finding.status.label}"]
    if finding.remediation:
        lines.append(f"整改建议：{finding.remediation}")
    if finding.references:
        lines.append("依据：" + "；".join(finding.references))
    for evidence in finding.evidence:
        lines.append(_quote("证据", evidence))
    near = access.near_miss(finding)
    if near:
        lines.append(_quote("近似内容", near))
        if near.reason:
            lines.append(f"说明：{near.reason}")
    if finding.searched:
        lines.append(f"检索内容：{finding.searched}")
    return "\n".join(lines)


def _quote(label: str, evidence: Evidence | NearMiss) -> str:
    where = quote_place(evidence)
    return f"{label}{where}：{evidence.text}"


def _skipped_suite(entries: Sequence[Skipped]) -> ET.Element:
    suite = ET.Element("testsuite", name="未处理的文件")
    for entry in entries:
        case = _case(suite, entry.source, "读取报告")
        ET.SubElement(case, "skipped", message=xml_safe(entry.reason))
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
