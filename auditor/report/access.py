"""Typed views derived from a :class:`~auditor.result.Batch` that several formatters share:
display names, provenance notes, status counts, rankings, per-rule statistics, per-checklist
batches and level means. Everything else a formatter reads is an attribute of the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from auditor.findings import Evidence, Finding, NearMiss
from auditor.result import AnyReport, Batch, Report
from auditor.vocabulary import Level, Status


def unit(report: AnyReport) -> str:
    """The issuing unit, falling back to the file stem of the source."""
    if isinstance(report, Report) and report.metadata.unit:
        return report.metadata.unit
    stem = PurePath(report.source.replace("\\", "/")).stem
    return stem or "（未知单位）"


def title(report: AnyReport) -> str:
    return (report.metadata.title or "") if isinstance(report, Report) else ""


def read_note(report: AnyReport) -> str:
    """How the file was read when its content is not what its extension says, or empty."""
    return (report.read.note or "") if isinstance(report, Report) else ""


def read_format(report: AnyReport) -> str:
    """The format the input was read as (``pdf``, ``docx``…), "" when not recorded."""
    return report.read.format if isinstance(report, Report) else ""


def source_note(report: Report, name: str) -> str:
    """``（据落款日期推断）`` for a metadata field the report does not state (or the user gave);
    empty when the report states it or the entry has no ``metadata_sources``."""
    from auditor.document.provenance import SOURCE_LABELS

    src = report.metadata_sources.get(name)
    value = getattr(report.metadata, name, None)
    if src is None or src.source == "none" or value in (None, "unknown"):
        return ""
    label = SOURCE_LABELS.get(src.source, src.source)
    if src.conflict:
        return f"（据{label}，与其他来源不一致，请核实）"
    if src.source in ("option", "config"):
        return f"（{label}指定）"
    return "" if src.stated else f"（据{label}推断）"


def checklist_line(report: AnyReport) -> str:
    """``fazhi-annual-report 2026.1`` (or a dash)."""
    info = report.checklist
    parts = [p for p in (info.id, info.version) if p] if info else []
    return " ".join(parts) if parts else "—"


def checklist_title(report: AnyReport) -> str:
    return report.checklist.title if report.checklist else ""


def headline(finding: Finding) -> str:
    """What a finding says, as a line heading: for a gap of a rule titled as a prohibition, the
    problem found (引用了已废止的《信访条例》), else the requirement (its title)."""
    return finding.headline or finding.title


def near_miss(finding: Finding) -> NearMiss | None:
    """The near miss worth showing (one with text), or None."""
    near = finding.near_miss
    return near if near is not None and near.text else None


def context_parts(quote: Evidence | NearMiss) -> tuple[str, str, str]:
    """(before, match, after): the match inside its sentence, when the result carries a context."""
    context = quote.context if isinstance(quote, Evidence) else ""
    at = context.find(quote.text) if context and quote.text else -1
    if at < 0:
        return "", quote.text, ""
    return context[:at], quote.text, context[at + len(quote.text) :]


def counts(report: AnyReport) -> dict[Status, int]:
    """Findings per status, every status present (in vocabulary order)."""
    tally = dict.fromkeys(Status, 0)
    for finding in report.findings:
        tally[finding.status] += 1
    return tally


def rule_errors(report: AnyReport) -> list[str]:
    """The rules whose check failed (status ``error``)."""
    return [f.rule_id for f in report.findings if f.status is Status.error]


def rule_catalogue(batch: Batch) -> dict[str, str]:
    """Rule id -> title, in order of first appearance across the batch."""
    catalogue: dict[str, str] = {}
    for report in batch.reports:
        for finding in report.findings:
            if finding.rule_id and not catalogue.get(finding.rule_id):
                catalogue[finding.rule_id] = finding.title
    return catalogue


def statuses_by_rule(report: AnyReport) -> dict[str, Status]:
    """Rule id -> status for one report."""
    return {f.rule_id: f.status for f in report.findings if f.rule_id}


def findings_by_rule(report: AnyReport) -> dict[str, Finding]:
    """Rule id -> finding for one report."""
    return {f.rule_id: f for f in report.findings if f.rule_id}


def ranked(batch: Batch) -> list[Report]:
    """Audited reports by score, best first; unscored ones last (stable)."""
    return sorted(batch.audited, key=lambda r: (r.score is None, -(r.score or 0.0)))


@dataclass
class RuleStat:
    """How one rule fared across the batch."""

    rule_id: str
    title: str
    tally: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))

    @property
    def applicable(self) -> int:
        return sum(self.tally.values()) - self.tally[Status.not_applicable]

    @property
    def pass_rate(self) -> float | None:
        """Share of reports where the rule applied and was met."""
        return self.tally[Status.met] / self.applicable if self.applicable else None

    @property
    def applies_note(self) -> str:
        """``2/15 适用`` when the rule applied to only some of the reports, else empty."""
        total = sum(self.tally.values())
        return f"{self.applicable}/{total} 适用" if self.applicable < total else ""


def rule_stats(batch: Batch) -> list[RuleStat]:
    """Per-rule counts across the batch, most-missed requirement first."""
    stats = {rid: RuleStat(rid, text) for rid, text in rule_catalogue(batch).items()}
    for report in batch.reports:
        for rule_id, state in statuses_by_rule(report).items():
            if rule_id in stats:
                stats[rule_id].tally[state] += 1
    return most_missed_first(stats.values())


def most_missed_first(stats: Iterable[RuleStat]) -> list[RuleStat]:
    """The rules by pass rate, lowest first (more gaps, then more applicable reports, first on a
    tie); rules that applied to no report last."""
    return sorted(stats, key=_missed_key)


def _missed_key(stat: RuleStat) -> tuple[bool, float, int, int]:
    rate = stat.pass_rate
    return (rate is None, rate if rate is not None else 1.0, -stat.tally[Status.gap], -stat.applicable)


@dataclass(frozen=True)
class ChecklistBatch:
    """The audited reports of one checklist: rankings, pass rates and summaries never mix checklists."""

    checklist_id: str
    title: str
    batch: Batch  # only this checklist's audited reports (no skipped files)


def by_checklist(batch: Batch) -> list[ChecklistBatch]:
    """Audited reports grouped by checklist, in order of first appearance (failed entries excluded)."""
    groups: dict[str, list[Report]] = {}
    titles: dict[str, str] = {}
    for report in batch.audited:
        key = report.checklist.id
        groups.setdefault(key, []).append(report)
        titles.setdefault(key, report.checklist.title or "报告")
    return [ChecklistBatch(key, titles[key], Batch(batch.tool, tuple(entries))) for key, entries in groups.items()]


def level_means(batch: Batch) -> list[tuple[str, int, float | None]]:
    """(level, reports, mean score) per level, in order of first appearance: rankings grouped by level."""
    found: dict[str, list[float | None]] = {}
    for report in batch.audited:
        found.setdefault(report.metadata.level or Level.unknown, []).append(report.score)
    out = []
    for level, scores in found.items():
        known = [s for s in scores if s is not None]
        out.append((level, len(scores), sum(known) / len(known) if known else None))
    return out
