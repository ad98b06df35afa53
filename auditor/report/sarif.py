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

from auditor.report import access
from auditor.report.access import Finding, Report, Result
from auditor.report.location import location_label

SCHEMA_URI: Final = "https://json.schemastore.org/sarif-2.1.0.json"
REPORTED: Final = ("gap", "needs_review")
SEVERITY_LEVEL: Final = {"must": "error", "should": "warning", "hint": "note"}


def render_sarif(result: Result) -> str:
    import json

    return json.dumps(build_sarif(result), indent=2, ensure_ascii=False) + "\n"


def build_sarif(result: Result) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules = _rules(result)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        _result(report, finding, index)
        for report in access.reports(result)
        for finding in access.findings(report)
        if access.status(finding) in REPORTED and str(finding.get("rule_id") or "") in index
    ]
    notifications = _notifications(result)
    info = access.tool(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": str(info["name"]),
                "version": str(info["version"]),
                "semanticVersion": str(info["version"]),
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


def _rules(result: Result) -> list[dict[str, Any]]:
    first: dict[str, Finding] = {}
    for report in access.reports(result):
        for finding in access.findings(report):
            rule_id = str(finding.get("rule_id") or "")
            if rule_id and rule_id not in first:
                first[rule_id] = finding
    return [_rule(rule_id, finding) for rule_id, finding in first.items()]


def _rule(rule_id: str, finding: Finding) -> dict[str, Any]:
    title = str(finding.get("title") or rule_id)
    help_text = _help(finding)
    severity = str(finding.get("severity") or "should")
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": help_text or title},
        "help": {"text": help_text or title},
        "defaultConfiguration": {"level": SEVERITY_LEVEL.get(severity, "warning")},
        "properties": {
            "category": str(finding.get("category") or ""),
            "severity": severity,
            "weight": finding.get("weight"),
            "blocking": bool(finding.get("blocking")),
            "tags": [t for t in (finding.get("category"), severity) if t],
        },
    }


def _help(finding: Finding) -> str:
    parts = []
    if finding.get("remediation"):
        parts.append(f"整改建议：{finding['remediation']}")
    refs = access.references(finding)
    if refs:
        parts.append("依据：" + "；".join(refs))
    return "\n".join(parts)


def _level(finding: Finding) -> str:
    if access.status(finding) == "needs_review":
        return "note"
    return "error" if finding.get("severity") == "must" else "warning"


def _result(report: Report, finding: Finding, index: Mapping[str, int]) -> dict[str, Any]:
    rule_id = str(finding["rule_id"])
    source = access.source(report)
    text = f"{access.headline(finding) or rule_id}：{finding.get('message') or ''}".rstrip("：")
    return {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": _level(finding),
        "message": {"text": text},
        "locations": [_location(source, finding, access.read_format(report))],
        "partialFingerprints": {"auditorFinding/v1": _fingerprint(source, rule_id)},
        "properties": {
            "status": access.status(finding),
            "unit": access.unit(report),
            "category": str(finding.get("category") or ""),
        },
    }


#: inputs whose lines and characters are not those of the extracted text: a region (lines,
#: characters) would point at the wrong place, so the place goes into the location's message
_NO_TEXT_REGION: Final = frozenset({"docx", "doc", "wps", "pdf", "ofd", "html"})


def _location(source: str, finding: Finding, read_format: str) -> dict[str, Any]:
    evidence = access.evidence(finding)
    anchor = evidence[0] if evidence else access.near_miss(finding)
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(source), "description": {"text": source}}}
    if read_format not in _NO_TEXT_REGION:
        physical["region"] = _region(anchor, read_format)
    location: dict[str, Any] = {"physicalLocation": physical}
    place = anchor.get("location") if anchor is not None else None
    if isinstance(place, Mapping) and (label := location_label(place)):
        location["message"] = {"text": label}
        location["properties"] = {"location": dict(place)}
    return location


def _region(anchor: Mapping[str, Any] | None, read_format: str = "") -> dict[str, Any]:
    region: dict[str, Any] = {}
    if anchor is None:
        return {"startLine": 1}
    place = anchor.get("location")
    if read_format == "md":  # the Markdown source line; offsets of the rendered text are not the file's
        line = place.get("line") if isinstance(place, Mapping) else None
        return {"startLine": line if _positive_int(line) else 1}
    if _positive_int(anchor.get("line")):
        region["startLine"] = anchor["line"]
    start, end = anchor.get("start"), anchor.get("end")
    if isinstance(start, int) and _non_negative_int(start):
        region["charOffset"] = start
        if isinstance(end, int) and _non_negative_int(end) and end >= start:
            region["charLength"] = end - start
    if anchor.get("text"):
        region["snippet"] = {"text": str(anchor["text"])}
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


def _notifications(result: Result) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for report in access.reports(result):
        failure = access.error(report)
        if failure:
            notes.append(_note("error", f"无法审核 {access.source(report)}：{failure}"))
        for finding in access.findings(report):
            if access.status(finding) == "error":
                message = (
                    f"{access.source(report)} {finding.get('rule_id')}：{finding.get('message') or '规则执行出错'}"
                )
                notes.append(_note("error", message))
    for entry in access.skipped(result):
        notes.append(_note("note", f"未处理 {entry.get('source')}：{entry.get('reason')}"))
    return notes


def _note(level: str, text: str) -> dict[str, Any]:
    return {"level": level, "message": {"text": text}}
