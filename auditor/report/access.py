"""Read-only helpers over the audit result dict (the JSON contract).

The result is plain JSON data produced elsewhere; every optional key may be
missing, so formatters go through these helpers instead of indexing directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from auditor.report.labels import STATUSES

Result = Mapping[str, Any]
Report = Mapping[str, Any]
Finding = Mapping[str, Any]

TOOL_FALLBACK = {"name": "auditor", "version": "0.0.0"}


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: object) -> list[Any]:
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return []


def tool(result: Result) -> Mapping[str, Any]:
    """The ``tool`` object, with a name and a version always present."""
    found = _mapping(result.get("tool"))
    return {**TOOL_FALLBACK, **found}


def tool_line(result: Result) -> str:
    """``auditor 0.1.0``."""
    info = tool(result)
    return f"{info['name']} {info['version']}"


def reports(result: Result) -> list[Report]:
    """Every report entry, including those that could not be audited."""
    return [r for r in _sequence(result.get("reports")) if isinstance(r, Mapping)]


def skipped(result: Result) -> list[Mapping[str, Any]]:
    """Files that were not treated as reports."""
    return [s for s in _sequence(result.get("skipped")) if isinstance(s, Mapping)]


def source(report: Report) -> str:
    return str(report.get("source") or "")


def error(report: Report) -> str | None:
    """The reason a report could not be audited, or None."""
    value = report.get("error")
    return str(value) if value else None


def metadata(report: Report) -> Mapping[str, Any]:
    return _mapping(report.get("metadata"))


def read_note(report: Report) -> str:
    """How the file was read when its content is not what its extension says, or empty."""
    return str(_mapping(report.get("read")).get("note") or "")


def read_format(report: Report) -> str:
    """The format the input was read as (``pdf``, ``docx``…), "" when not recorded."""
    return str(_mapping(report.get("read")).get("format") or "")


def source_note(report: Report, name: str) -> str:
    """``（据落款日期推断）`` for a metadata field the report does not state (or the user gave);
    empty when the report states it or the entry has no ``metadata_sources``."""
    from auditor.document.provenance import SOURCE_LABELS

    src = _mapping(_mapping(report.get("metadata_sources")).get(name))
    origin = str(src.get("source") or "")
    if not origin or origin == "none" or metadata(report).get(name) in (None, "unknown"):
        return ""
    label = SOURCE_LABELS.get(origin, origin)
    if src.get("conflict"):
        return f"（据{label}，与其他来源不一致，请核实）"
    if origin in ("option", "config"):
        return f"（{label}指定）"
    return "" if src.get("stated") else f"（据{label}推断）"


def checklist(report: Report) -> Mapping[str, Any]:
    return _mapping(report.get("checklist"))


def checklist_line(report: Report) -> str:
    """``fazhi-annual-report 2026.1`` (or a dash)."""
    info = checklist(report)
    parts = [str(info[k]) for k in ("id", "version") if info.get(k)]
    return " ".join(parts) if parts else "—"


def unit(report: Report) -> str:
    """The issuing unit, falling back to the file stem of the source."""
    name = metadata(report).get("unit")
    if name:
        return str(name)
    stem = PurePath(source(report).replace("\\", "/")).stem
    return stem or "（未知单位）"


def title(report: Report) -> str:
    return str(metadata(report).get("title") or "")


def findings(report: Report) -> list[Finding]:
    return [f for f in _sequence(report.get("findings")) if isinstance(f, Mapping)]


def categories(report: Report) -> list[Mapping[str, Any]]:
    return [c for c in _sequence(report.get("categories")) if isinstance(c, Mapping)]


def evidence(finding: Finding) -> list[Mapping[str, Any]]:
    return [e for e in _sequence(finding.get("evidence")) if isinstance(e, Mapping)]


def context_parts(evidence: Mapping[str, Any]) -> tuple[str, str, str]:
    """(before, match, after): the match inside its sentence, when the result carries a context."""
    text = str(evidence.get("text") or "")
    context = str(evidence.get("context") or "")
    at = context.find(text) if context and text else -1
    if at < 0:
        return "", text, ""
    return context[:at], text, context[at + len(text) :]


def near_miss(finding: Finding) -> Mapping[str, Any] | None:
    value = finding.get("near_miss")
    return value if isinstance(value, Mapping) and value.get("text") else None


def references(finding: Finding) -> list[str]:
    return [str(r) for r in _sequence(finding.get("references")) if r]


def capped_by(report: Report) -> list[str]:
    return [str(r) for r in _sequence(report.get("grade_capped_by")) if r]


def status(finding: Finding) -> str:
    return str(finding.get("status") or "")


def counts(report: Report) -> dict[str, int]:
    """Findings per status: the ``summary`` if given, else counted from findings."""
    summary = _mapping(report.get("summary"))
    if summary:
        return {s: int(summary.get(s) or 0) for s in STATUSES}
    tally = dict.fromkeys(STATUSES, 0)
    for finding in findings(report):
        if status(finding) in tally:
            tally[status(finding)] += 1
    return tally


def score(report: Report) -> float | None:
    value = report.get("score")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def headline(finding: Finding) -> str:
    """What a finding says, as a line heading: for a gap of a rule titled as a prohibition, the
    problem found (引用了已废止的《信访条例》), else the requirement (its title)."""
    return str(finding.get("headline") or finding.get("title") or "")


def rule_catalogue(result: Result) -> dict[str, str]:
    """Rule id -> title, in order of first appearance across the batch."""
    catalogue: dict[str, str] = {}
    for report in reports(result):
        for finding in findings(report):
            rule_id = str(finding.get("rule_id") or "")
            if rule_id and (rule_id not in catalogue or not catalogue[rule_id]):
                catalogue[rule_id] = str(finding.get("title") or "")
    return catalogue


def statuses_by_rule(report: Report) -> dict[str, str]:
    """Rule id -> status for one report."""
    return {str(f.get("rule_id")): status(f) for f in findings(report) if f.get("rule_id")}


def ranked(result: Result) -> list[Report]:
    """Audited reports by score, best first; unscored ones last (stable)."""
    audited = [r for r in reports(result) if not error(r)]
    return sorted(audited, key=lambda r: (score(r) is None, -(score(r) or 0.0)))


@dataclass
class RuleStat:
    """How one rule fared across the batch."""

    rule_id: str
    title: str
    tally: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def applicable(self) -> int:
        return sum(self.tally.values()) - self.tally["not_applicable"]

    @property
    def pass_rate(self) -> float | None:
        """Share of reports where the rule applied and was met."""
        return self.tally["met"] / self.applicable if self.applicable else None

    @property
    def applies_note(self) -> str:
        """``2/15 适用`` when the rule applied to only some of the reports, else empty."""
        total = sum(self.tally.values())
        return f"{self.applicable}/{total} 适用" if self.applicable < total else ""


def rule_stats(result: Result) -> list[RuleStat]:
    """Per-rule counts across the batch, most-missed requirement first."""
    stats = {rid: RuleStat(rid, text) for rid, text in rule_catalogue(result).items()}
    for report in reports(result):
        for rule_id, state in statuses_by_rule(report).items():
            if rule_id in stats and state in STATUSES:
                stats[rule_id].tally[state] += 1
    return sorted(stats.values(), key=_most_missed_first)


def _most_missed_first(stat: RuleStat) -> tuple[bool, float, int, int]:
    rate = stat.pass_rate
    return (rate is None, rate if rate is not None else 1.0, -stat.tally["gap"], -stat.applicable)


@dataclass(frozen=True)
class Batch:
    """The audited reports of one checklist: rankings, pass rates and summaries never mix checklists."""

    checklist_id: str
    title: str
    result: Result  # the batch's result with only this checklist's audited reports (no skipped files)


def by_checklist(result: Result) -> list[Batch]:
    """Audited reports grouped by checklist, in order of first appearance (failed entries excluded)."""
    groups: dict[str, list[Report]] = {}
    titles: dict[str, str] = {}
    for report in reports(result):
        if error(report):
            continue
        info = checklist(report)
        key = str(info.get("id") or "")
        groups.setdefault(key, []).append(report)
        titles.setdefault(key, str(info.get("title") or "报告"))
    return [Batch(key, titles[key], {**result, "reports": entries, "skipped": []}) for key, entries in groups.items()]


def level_means(result: Result) -> list[tuple[str, int, float | None]]:
    """(level, reports, mean score) per level, in order of first appearance: rankings grouped by level."""
    found: dict[str, list[float | None]] = {}
    for report in reports(result):
        if not error(report):
            found.setdefault(str(metadata(report).get("level") or "unknown"), []).append(score(report))
    out = []
    for level, scores in found.items():
        known = [s for s in scores if s is not None]
        out.append((level, len(scores), sum(known) / len(known) if known else None))
    return out
