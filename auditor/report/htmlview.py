"""View models for the HTML pages: plain data that the Jinja templates draw.

Everything here is still raw text; escaping is left to Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from auditor.findings import Evidence, Finding, NearMiss
from auditor.report import access
from auditor.report.labels import format_rate, format_score, level_label, severity_label, text_or_dash
from auditor.report.location import quote_place
from auditor.report.reviewed import review_label, reviewed_line
from auditor.report.svgchart import Chart, category_chart, score_color
from auditor.report.yoy import comparison_lines
from auditor.result import AnyReport, Batch, Report
from auditor.vocabulary import Status

EVIDENCE_LIMIT: Final = 400
OTHER_CATEGORY: Final = "其他"


@dataclass(frozen=True)
class Quote:
    text: str
    line: int | None
    section: str
    before: str = ""  # the sentence around the match (context), shown with the match marked
    after: str = ""
    marks: tuple[str, ...] = ()  # further matches in the same sentence, also marked
    where: str = ""  # where it is in the author's file (第3页, 第12段…)


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    title: str
    status: str
    label: str
    mark: str
    severity: str
    message: str
    remediation: str
    references: list[str]
    evidence: list[Quote]
    near: Quote | None
    near_score: str
    near_reason: str
    searched: str
    blocking: bool
    review: str = ""  # 已复核：撤销（王五，…）


SETTLED: Final = (Status.met, Status.not_applicable)


@dataclass
class CategoryGroup:
    id: str
    title: str
    score: str
    weight: str
    findings: list[FindingView] = field(default_factory=list)

    @property
    def open(self) -> list[FindingView]:
        """The items to act on (gap, 待复核, error), shown in full."""
        return [f for f in self.findings if f.status not in SETTLED]

    @property
    def settled(self) -> list[FindingView]:
        """Rules met or not applicable: collapsed under :attr:`settled_summary`."""
        return [f for f in self.findings if f.status in SETTLED]

    @property
    def settled_summary(self) -> str:
        """``✔ 已通过 4 项：STR-01 …、STR-03 …；– 不适用 1 项：STR-05 …`` (what a printout shows)."""
        parts = []
        for state, word in ((Status.met, "已通过"), (Status.not_applicable, "不适用")):
            views = [f for f in self.findings if f.status == state]
            if views:
                names = "、".join(f"{f.rule_id} {f.title}" for f in views)
                parts.append(f"{state.mark} {word} {len(views)} 项：{names}")
        return "；".join(parts)


@dataclass(frozen=True)
class Tally:
    status: str
    label: str
    mark: str
    count: int


@dataclass(frozen=True)
class ReportView:
    unit: str
    unit_note: str  # （据正文推断） when the unit is not stated by the report
    title: str
    year: str
    level: str
    published: str
    source: str
    score: str
    score_color: str
    grade: str
    capped_by: list[str]
    checklist: str
    checklist_title: str
    tally: list[Tally]
    chart: Chart
    groups: list[CategoryGroup]
    review: list[FindingView]
    reviewed: str = ""  # 复核后得分 …
    comparison: list[str] = field(default_factory=list)  # 与上年度对比


def _quote(evidence: Evidence | NearMiss) -> Quote:
    before, text, after = access.context_parts(evidence)
    if len(text) > EVIDENCE_LIMIT:
        text, after = text[: EVIDENCE_LIMIT - 1] + "…", ""
    room = max(0, EVIDENCE_LIMIT - len(text)) // 2
    before = ("…" + before[-room:]) if len(before) > room else before
    after = (after[:room] + "…") if len(after) > room else after
    section = evidence.section if isinstance(evidence, Evidence) else None
    return Quote(text, evidence.line, section or "", before, after, where=quote_place(evidence))


def _grouped(quotes: list[Quote]) -> list[Quote]:
    """Several matches in one sentence (亲自部署、亲自过问…) are shown once, each marked."""
    out: list[Quote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if (
            prev
            and (q.before or q.after)
            and prev.line == q.line
            and prev.before + prev.text + prev.after == q.before + q.text + q.after
        ):
            out[-1] = replace(prev, marks=(*prev.marks, q.text))
        else:
            out.append(q)
    return out


def finding_view(finding: Finding) -> FindingView:
    state = finding.status
    near = access.near_miss(finding)
    return FindingView(
        rule_id=finding.rule_id,
        title=access.headline(finding),
        status=state.value,
        label=state.label,
        mark=state.mark,
        severity=severity_label(finding.severity),
        message=finding.message,
        remediation=finding.remediation,
        references=[r for r in finding.references if r],
        evidence=_grouped([_quote(e) for e in finding.evidence]),
        near=_quote(near) if near else None,
        near_score=format_score(near.score) if near else "",
        near_reason=near.reason if near else "",
        searched=finding.searched,
        blocking=finding.blocking,
        review=review_label(finding.review),
    )


def _groups(report: Report, views: Sequence[FindingView]) -> list[CategoryGroup]:
    """The findings' views (in the report's order) under their categories."""
    groups = {
        c.id: CategoryGroup(id=c.id, title=c.title or c.id, score=format_score(c.score), weight=text_or_dash(c.weight))
        for c in report.categories
    }
    for finding, view in zip(report.findings, views, strict=True):
        key = finding.category
        if key not in groups:
            groups[key] = CategoryGroup(key, key or OTHER_CATEGORY, "—", "—")
        groups[key].findings.append(view)
    return [g for g in groups.values() if g.findings]


def report_view(report: Report) -> ReportView:
    meta = report.metadata
    views = [finding_view(f) for f in report.findings]
    return ReportView(
        unit=access.unit(report),
        unit_note=access.source_note(report, "unit"),
        title=meta.title or "",
        year=text_or_dash(meta.year) + access.source_note(report, "year"),
        level=level_label(meta.level) + access.source_note(report, "level"),
        published=text_or_dash(meta.published) + access.source_note(report, "published"),
        source=report.source + (f"，{report.read.note}" if report.read.note else ""),
        score=format_score(report.score),
        score_color=score_color(report.score),
        grade=text_or_dash(report.grade),
        capped_by=[c for c in report.grade_capped_by if c],
        checklist=access.checklist_line(report),
        checklist_title=report.checklist.title,
        tally=[Tally(s.value, s.label, s.mark, n) for s, n in access.counts(report).items()],
        chart=category_chart(report.categories),
        groups=_groups(report, views),
        review=[v for v in views if v.status == Status.needs_review],
        reviewed=reviewed_line(report),
        comparison=comparison_lines(report),
    )


@dataclass(frozen=True)
class IndexRow:
    rank: int
    unit: str
    title: str
    level: str
    year: str
    score: str
    score_value: float
    grade: str
    gaps: int
    review: int
    href: str | None


@dataclass(frozen=True)
class FailedRow:
    source: str
    reason: str


@dataclass(frozen=True)
class RateRow:
    rule_id: str
    title: str
    met: int
    gap: int
    review: int
    not_applicable: int
    error: int
    rate: str
    rate_value: float
    applicable: int = 0  # reports the rule applies to (the workbench's pass-rate page shows it)


@dataclass(frozen=True)
class LevelRow:
    level: str
    count: int
    mean_score: str


@dataclass(frozen=True)
class IndexGroup:
    """One checklist's ranking and pass rates (a batch mixing report types gets one per checklist)."""

    title: str
    rows: list[IndexRow]
    rates: list[RateRow]
    levels: list[LevelRow]
    mean_score: str
    total: int


@dataclass(frozen=True)
class IndexView:
    title: str
    rows: list[IndexRow]
    failed: list[FailedRow]
    skipped: list[FailedRow]
    rates: list[RateRow]
    mean_score: str
    total: int
    groups: list[IndexGroup]


def _index_row(rank: int, report: Report, href: str | None) -> IndexRow:
    counts = access.counts(report)
    score = report.score
    return IndexRow(
        rank=rank,
        unit=access.unit(report),
        title=report.metadata.title or "",
        level=level_label(report.metadata.level),
        year=text_or_dash(report.metadata.year),
        score=format_score(score),
        score_value=float(score) if score is not None else -1.0,
        grade=text_or_dash(report.grade),
        gaps=counts[Status.gap],
        review=counts[Status.needs_review],
        href=href,
    )


def rate_row(s: access.RuleStat) -> RateRow:
    """One rule's line of the pass-rate table."""
    return RateRow(
        rule_id=s.rule_id,
        title=s.title,
        met=s.tally[Status.met],
        gap=s.tally[Status.gap],
        review=s.tally[Status.needs_review],
        not_applicable=s.tally[Status.not_applicable],
        error=s.tally[Status.error],
        rate=format_rate(s.pass_rate) + (f"（{s.applies_note}）" if s.applies_note else ""),
        rate_value=s.pass_rate if s.pass_rate is not None else -1.0,
        applicable=s.applicable,
    )


def _rate_rows(batch: Batch) -> list[RateRow]:
    return [rate_row(s) for s in access.rule_stats(batch)]


def _batch_title(entries: Sequence[AnyReport]) -> str:
    titles = list(dict.fromkeys(t for r in entries if (t := access.checklist_title(r))))
    if len(titles) == 1:
        return titles[0]
    return "、".join(titles) if titles else "报告"


def _mean(scores: list[float]) -> str:
    return format_score(sum(scores) / len(scores)) if scores else "—"


def _group(title: str, batch: Batch, hrefs: Mapping[int, str], position: Mapping[int, int]) -> IndexGroup:
    ranked = access.ranked(batch)
    scores = [r.score for r in ranked if r.score is not None]
    levels = [
        LevelRow(level_label(level), n, format_score(mean) if mean is not None else "—")
        for level, n, mean in access.level_means(batch)
    ]
    return IndexGroup(
        title=title,
        rows=[_index_row(n, r, hrefs.get(position[id(r)])) for n, r in enumerate(ranked, 1)],
        rates=_rate_rows(batch),
        levels=levels,
        mean_score=_mean(scores),
        total=len(batch.reports),
    )


def index_view(batch: Batch, hrefs: Mapping[int, str]) -> IndexView:
    """``hrefs`` maps a report's position in ``batch.reports`` to its scorecard link.

    Rankings and pass rates are per checklist (``groups``): a folder mixing report types
    never gets one table under one title."""
    entries = batch.reports
    position = {id(r): i for i, r in enumerate(entries)}
    ranked = access.ranked(batch)
    scores = [r.score for r in ranked if r.score is not None]
    groups = [_group(g.title, g.batch, hrefs, position) for g in access.by_checklist(batch)]
    return IndexView(
        title=_batch_title(entries),
        rows=[_index_row(n, r, hrefs.get(position[id(r)])) for n, r in enumerate(ranked, 1)],
        failed=[FailedRow(r.source, r.error) for r in batch.failed],
        skipped=[FailedRow(s.source, s.reason) for s in batch.skipped],
        rates=_rate_rows(batch),
        mean_score=_mean(scores),
        total=len(entries),
        groups=groups,
    )
