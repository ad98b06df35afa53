"""SARIF 2.1.0: one result per gap or needs_review finding.

One run covers the batch. ``tool.driver.rules`` holds every rule seen (id,
name, short description = title, full description/help = remediation and
references, properties category/severity). Levels: a gap of a ``must`` rule is
``error``, any other gap ``warning``, needs_review ``note``. A location comes
from the first evidence, else the near miss, else line 1. Character offsets
count Unicode code points (``columnKind``). A region (lines, characters) is
given for text inputs only: a .txt's line and offset, a .md's source line. In a
.docx, .pdf, .ofd or web page the extracted text's lines are not the file's, so
no region is given (SARIF 2.1.0 wants a region to be a text or binary region of
the artifact itself); the place in the author's file (第3页, 第12段, the nearest
heading) is the location's ``message`` and its ``properties.location``. Artifact URIs are percent-encoded
(SARIF wants RFC 3986 URIs); the original path is kept in ``description``.
Reports that could not be audited and findings with status ``error`` become
tool execution notifications.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Final
from urllib.parse import quote

from auditor.findings import Evidence, Finding, NearMiss
from auditor.report import access
from auditor.report.location import location_label
from auditor.result import AnyReport, Batch, ErrorReport
from auditor.vocabulary import Severity, Status

SCHEMA_URI: Final = "https://json.schemastore.org/sarif-2.1.0.json"
REPORTED: Final = (Status.gap, Status.needs_review)
SEVERITY_LEVEL: Final = {Severity.must: "error", Severity.should: "warning", Severity.hint: "note"}


def render_sarif(batch: Batch) -> str:
    import json

    return json.dumps(build_sarif(batch), indent=2, ensure_ascii=False) + "\n"


def build_sarif(batch: Batch) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules = _rules(batch)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        _result(report, finding, index)
        for report in batch.reports
        for finding in report.findings
        if finding.status in REPORTED and finding.rule_id in index
    ]
    notifications = _notifications(batch)
    info = batch.tool
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": info.name,
                "version": info.version,
                "semanticVersion": info.version,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not any(n["level"] == "error" for n in notifications),
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(batch: Batch) -> list[dict[str, Any]]:
    first: dict[str, Finding] = {}
    for report in batch.reports:
        for finding in report.findings:
            if finding.rule_id and finding.rule_id not in first:
                first[finding.rule_id] = finding
    return [_rule(rule_id, finding) for rule_id, finding in first.items()]


def _severity(finding: Finding) -> Severity | None:
    try:
        return Severity(finding.severity or Severity.should)
    except ValueError:
        return None


def _rule(rule_id: str, finding: Finding) -> dict[str, Any]:
    title = finding.title or rule_id
    help_text = _help(finding)
    severity = finding.severity or Severity.should.value
    known = _severity(finding)
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": help_text or title},
        "help": {"text": help_text or title},
        "defaultConfiguration": {"level": SEVERITY_LEVEL[known] if known else "warning"},
        "properties": {
            "category": finding.category,
            "severity": severity,
            "weight": finding.weight,
            "blocking": finding.blocking,
            "tags": [t for t in (finding.category, severity) if t],
        },
    }


def _help(finding: Finding) -> str:
    parts = []
    if finding.remediation:
        parts.append(f"整改建议：{finding.remediation}")
    if finding.references:
        parts.append("依据：" + "；".join(finding.references))
    return "\n".join(parts)


def _level(finding: Finding) -> str:
    if finding.status is Status.needs_review:
        return "note"
    return "error" if finding.severity == Severity.must else "warning"


def _result(report: AnyReport, finding: Finding, index: Mapping[str, int]) -> dict[str, Any]:
    rule_id = finding.rule_id
    source = report.source
    text = f"{access.headline(finding) or rule_id}：{finding.message}".rstrip("：")
    return {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": _level(finding),
        "message": {"text": text},
        "locations": [_location(source, finding, access.read_format(report))],
        "partialFingerprints": {"auditorFinding/v1": _fingerprint(source, rule_id)},
        "properties": {
            "status": finding.status.value,
            "unit": access.unit(report),
            "category": finding.category,
        },
    }


#: inputs whose lines and characters are not those of the extracted text: a region (lines,
#: characters) would point at the wrong place, so the place goes into the location's message
_NO_TEXT_REGION: Final = frozenset({"docx", "doc", "wps", "pdf", "ofd", "html"})


def _location(source: str, finding: Finding, read_format: str) -> dict[str, Any]:
    anchor = finding.evidence[0] if finding.evidence else access.near_miss(finding)
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(source), "description": {"text": source}}}
    if read_format not in _NO_TEXT_REGION:
        physical["region"] = _region(anchor, read_format)
    location: dict[str, Any] = {"physicalLocation": physical}
    place = anchor.location if anchor is not None else None
    if place is not None and (label := location_label(place)):
        location["message"] = {"text": label}
        location["properties"] = {"location": place.to_dict()}
    return location


def _region(anchor: Evidence | NearMiss | None, read_format: str = "") -> dict[str, Any]:
    region: dict[str, Any] = {}
    if anchor is None:
        return {"startLine": 1}
    if read_format == "md":  # the Markdown source line; offsets of the rendered text are not the file's
        line = anchor.location.line if anchor.location is not None else None
        return {"startLine": line if _positive_int(line) else 1}
    if _positive_int(anchor.line):
        region["startLine"] = anchor.line
    start, end = anchor.start, anchor.end
    if _non_negative_int(start):
        region["charOffset"] = start
        if _non_negative_int(end) and end >= start:
            region["charLength"] = end - start
    if anchor.text:
        region["snippet"] = {"text": anchor.text}
    if "startLine" not in region and "charOffset" not in region:
        region["startLine"] = 1
    return region


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _non_negative_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def artifact_uri(source: str) -> str:
    """A relative or ``file://`` URI reference for a source path."""
    if PureWindowsPath(source).drive:
        return "file:///" + quote(PureWindowsPath(source).as_posix(), safe="/:")
    posix = source.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def _fingerprint(source: str, rule_id: str) -> str:
    return hashlib.sha256(f"{source}\0{rule_id}".encode()).hexdigest()[:32]


def _notifications(batch: Batch) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for report in batch.reports:
        if isinstance(report, ErrorReport):
            notes.append(_note("error", f"无法审核 {report.source}：{report.error}"))
        for finding in report.findings:
            if finding.status is Status.error:
                message = f"{report.source} {finding.rule_id}：{finding.message or '规则执行出错'}"
                notes.append(_note("error", message))
    for entry in batch.skipped:
        notes.append(_note("note", f"未处理 {entry.source}：{entry.reason}"))
    return notes


def _note(level: str, text: str) -> dict[str, Any]:
    return {"level": level, "message": {"text": text}}
