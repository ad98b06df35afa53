"""View models for the HTML pages: plain data that the Jinja templates draw.

Everything here is still raw text; escaping is left to Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from auditor.report import access
from auditor.report.access import Finding, Report, Result
from auditor.report.labels import (
    STATUSES,
    format_rate,
    format_score,
    level_label,
    severity_label,
    status_label,
    status_mark,
    text_or_dash,
)
from auditor.report.location import quote_place
from auditor.report.svgchart import Chart, category_chart, score_color

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


@dataclass
class CategoryGroup:
    id: str
    title: str
    score: str
    weight: str
    findings: list[FindingView] = field(default_factory=list)


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


def _quote(evidence: Mapping[str, Any]) -> Quote:
    before, text, after = access.context_parts(evidence)
    if len(text) > EVIDENCE_LIMIT:
        text, after = text[: EVIDENCE_LIMIT - 1] + "…", ""
    room = max(0, EVIDENCE_LIMIT - len(text)) // 2
    before = ("…" + before[-room:]) if len(before) > room else before
    after = (after[:room] + "…") if len(after) > room else after
    line = evidence.get("line")
    line_no = line if isinstance(line, int) else None
    return Quote(text, line_no, str(evidence.get("section") or ""), before, after, where=quote_place(evidence))


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
    state = access.status(finding)
    near = access.near_miss(finding)
    return FindingView(
        rule_id=str(finding.get("rule_id") or ""),
        title=access.headline(finding),
        status=state if state in STATUSES else "error",
        label=status_label(state),
        mark=status_mark(state),
        severity=severity_label(finding.get("severity")),
        message=str(finding.get("message") or ""),
        remediation=str(finding.get("remediation") or ""),
        references=access.references(finding),
        evidence=_grouped([_quote(e) for e in access.evidence(finding)]),
        near=_quote(near) if near else None,
        near_score=format_score(near.get("score")) if near else "",
        near_reason=str(near.get("reason") or "") if near else "",
        searched=str(finding.get("searched") or ""),
        blocking=bool(finding.get("blocking")),
    )


def _groups(report: Report) -> list[CategoryGroup]:
    groups = {
        str(c.get("id") or ""): CategoryGroup(
            id=str(c.get("id") or ""),
            title=str(c.get("title") or c.get("id") or ""),
            score=format_score(c.get("score")),
            weight=text_or_dash(c.get("weight")),
        )
        for c in access.categories(report)
    }
    for finding in access.findings(report):
        key = str(finding.get("category") or "")
        if key not in groups:
            groups[key] = CategoryGroup(key, key or OTHER_CATEGORY, "—", "—")
        groups[key].findings.append(finding_view(finding))
    return [g for g in groups.values() if g.findings]


def report_view(report: Report) -> ReportView:
    meta = access.metadata(report)
    counts = access.counts(report)
    views = [finding_view(f) for f in access.findings(report)]
    return ReportView(
        unit=access.unit(report),
        unit_note=access.source_note(report, "unit"),
        title=access.title(report),
        year=text_or_dash(meta.get("year")) + access.source_note(report, "year"),
        level=level_label(meta.get("level")) + access.source_note(report, "level"),
        published=text_or_dash(meta.get("published")) + access.source_note(report, "published"),
        source=access.source(report) + (f"，{access.read_note(report)}" if access.read_note(report) else ""),
        score=format_score(report.get("score")),
        score_color=score_color(access.score(report)),
        grade=text_or_dash(report.get("grade")),
        capped_by=access.capped_by(report),
        checklist=access.checklist_line(report),
        checklist_title=str(access.checklist(report).get("title") or ""),
        tally=[Tally(s, status_label(s), status_mark(s), n) for s, n in counts.items()],
        chart=category_chart(access.categories(report)),
        groups=_groups(report),
        review=[v for v in views if v.status == "needs_review"],
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
    meta = access.metadata(report)
    counts = access.counts(report)
    score = access.score(report)
    return IndexRow(
        rank=rank,
        unit=access.unit(report),
        title=access.title(report),
        level=level_label(meta.get("level")),
        year=text_or_dash(meta.get("year")),
        score=format_score(score),
        score_value=score if score is not None else -1.0,
        grade=text_or_dash(report.get("grade")),
        gaps=counts["gap"],
        review=counts["needs_review"],
        href=href,
    )


def _rate_rows(result: Result) -> list[RateRow]:
    return [
        RateRow(
            rule_id=s.rule_id,
            title=s.title,
            met=s.tally["met"],
            gap=s.tally["gap"],
            review=s.tally["needs_review"],
            not_applicable=s.tally["not_applicable"],
            error=s.tally["error"],
            rate=format_rate(s.pass_rate) + (f"（{s.applies_note}）" if s.applies_note else ""),
            rate_value=s.pass_rate if s.pass_rate is not None else -1.0,
        )
        for s in access.rule_stats(result)
    ]


def _batch_title(entries: Sequence[Report]) -> str:
    titles = list(dict.fromkeys(str(t) for r in entries if (t := access.checklist(r).get("title"))))
    if len(titles) == 1:
        return titles[0]
    return "、".join(titles) if titles else "报告"


def _mean(scores: list[float]) -> str:
    return format_score(sum(scores) / len(scores)) if scores else "—"


def _group(title: str, result: Result, hrefs: Mapping[int, str], position: Mapping[int, int]) -> IndexGroup:
    ranked = access.ranked(result)
    scores = [s for s in (access.score(r) for r in ranked) if s is not None]
    levels = [
        LevelRow(level_label(level), n, format_score(mean) if mean is not None else "—")
        for level, n, mean in access.level_means(result)
    ]
    return IndexGroup(
        title=title,
        rows=[_index_row(n, r, hrefs.get(position[id(r)])) for n, r in enumerate(ranked, 1)],
        rates=_rate_rows(result),
        levels=levels,
        mean_score=_mean(scores),
        total=len(access.reports(result)),
    )


def index_view(result: Result, hrefs: Mapping[int, str]) -> IndexView:
    """``hrefs`` maps a report's position in ``result["reports"]`` to its scorecard link.

    Rankings and pass rates are per checklist (``groups``): a folder mixing report types
    never gets one table under one title."""
    entries = access.reports(result)
    position = {id(r): i for i, r in enumerate(entries)}
    ranked = access.ranked(result)
    scores = [s for s in (access.score(r) for r in ranked) if s is not None]
    groups = [_group(b.title, b.result, hrefs, position) for b in access.by_checklist(result)]
    return IndexView(
        title=_batch_title(entries),
        rows=[_index_row(n, r, hrefs.get(position[id(r)])) for n, r in enumerate(ranked, 1)],
        failed=[FailedRow(access.source(r), access.error(r) or "") for r in entries if access.error(r)],
        skipped=[FailedRow(str(s.get("source") or ""), str(s.get("reason") or "")) for s in access.skipped(result)],
        rates=_rate_rows(result),
        mean_score=_mean(scores),
        total=len(entries),
        groups=groups,
    )
