"""View models of the workbench's pages: plain data the Jinja templates draw (pure functions).

Stored report rows and the API's report objects in, display text out; escaping is left to
Jinja's autoescape. The scorecard parts reuse :mod:`auditor.report.htmlview`, so a report
looks the same in the workbench as in ``auditor check --format html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from auditor.findings import Finding
from auditor.report import access
from auditor.report.htmlview import FindingView, RateRow, ReportView, finding_view, rate_row, report_view
from auditor.report.labels import format_score, level_label, status_label, text_or_dash
from auditor.report.svgchart import score_band
from auditor.result import Report, report_from_json
from auditor.review import SETTABLE
from auditor.vocabulary import Decision, Level, Status

STATE_LABELS: Final = {"queued": "排队中", "running": "核查中", "done": "已完成", "error": "无法审核"}
NO_YEAR: Final = "-"  # the path segment of a season whose reports state no year


@dataclass(frozen=True)
class Line:
    """A report as the lists show it: ``store.list_reports``'s summary columns and a few more."""

    id: int
    source: str
    state: str
    checklist: str | None
    checklist_title: str | None
    year: int | None
    level: str | None
    unit: str | None
    title: str | None
    score: float | None
    grade: str | None
    reviewed_score: float | None
    reviewed_grade: str | None
    counts: dict[str, int]
    unreviewed: int
    stale: int
    family: str | None
    version: int
    previous_id: int | None
    error: str | None
    uploaded_at: Any = None


def line_of(row: object) -> Line:
    """The line of a stored report (a ``db.ReportRow``)."""
    return line({name: getattr(row, name) for name in Line.__dataclass_fields__}, {})


def line(summary: Mapping[str, Any], extra: Mapping[str, Any]) -> Line:
    names = {f for f in Line.__dataclass_fields__}
    values = {k: v for k, v in {**summary, **extra}.items() if k in names}
    values["counts"] = dict(values.get("counts") or {})
    return Line(**values)


@dataclass(frozen=True)
class Season:
    checklist: str
    year: int | None
    label: str
    href: str
    total: int = 0
    mean_score: str = "—"
    mean_reviewed: str = "—"
    unreviewed: int = 0
    stale: int = 0


def season_href(checklist: str, year: int | None) -> str:
    from urllib.parse import quote

    return f"/seasons/{quote(checklist, safe='')}/{year if year is not None else NO_YEAR}"


def season_label(title: str | None, checklist: str, year: int | None) -> str:
    """``2024年度 法治政府建设年度报告``."""
    name = title or checklist or "报告"
    return f"{year}年度 {name}" if year is not None else f"年度不明 {name}"


def parse_year(segment: str) -> int | None:
    """A season's year from its path segment (``-``: none); ValueError for anything else."""
    if segment == NO_YEAR:
        return None
    if not segment.isascii() or not segment.isdigit() or len(segment) > 4:
        raise ValueError(segment)
    return int(segment)


def season(checklist: str, title: str | None, year: int | None, rows: Sequence[Line] = ()) -> Season:
    latest = [r for r in latest_only(rows) if r.state == "done"]
    return Season(
        checklist=checklist,
        year=year,
        label=season_label(title, checklist, year),
        href=season_href(checklist, year),
        total=len(latest),
        mean_score=mean(r.score for r in latest),
        mean_reviewed=mean(r.reviewed_score for r in latest),
        unreviewed=sum(r.unreviewed for r in latest),
        stale=sum(r.stale for r in latest),
    )


def latest_only(rows: Sequence[Line]) -> list[Line]:
    """The newest version of each report (a version another row revises is left out)."""
    superseded = {r.previous_id for r in rows if r.previous_id is not None}
    return [r for r in rows if r.id not in superseded]


def tone(score: float | None) -> str:
    """The score box's colour class (the scorecard's bands: green from 85, amber from 60, red below, grey without)."""
    return "tone-" + score_band(score)


# ------------------------------------------------------------------ ranking


@dataclass(frozen=True)
class RankRow:
    rank: int
    id: int
    unit: str
    title: str
    source: str
    level: str
    score: str
    reviewed_score: str
    grade: str
    gaps: int
    review: int
    unreviewed: int
    stale: int
    version: int
    versions: int


@dataclass(frozen=True)
class RankFilters:
    level: str = ""
    status: str = ""
    unreviewed: bool = False

    @property
    def active(self) -> bool:
        return bool(self.level or self.status or self.unreviewed)


def rank_filters(query: Mapping[str, str]) -> RankFilters:
    """The ranking's filters from a query string; unknown values are ignored (no filter)."""
    level = query.get("level", "")
    status = query.get("status", "")
    return RankFilters(
        level=level if level in {lv.value for lv in Level} else "",
        status=status if status in {s.value for s in Status} else "",
        unreviewed=query.get("unreviewed", "") in ("1", "on", "true"),
    )


def rank_key(row: Line) -> tuple[bool, float, int]:
    best = row.reviewed_score if row.reviewed_score is not None else row.score
    return (best is None, -(best or 0.0), row.id)


def ranking(rows: Sequence[Line], filters: RankFilters) -> list[RankRow]:
    """The season's audited reports, newest version of each, best reviewed score first."""
    versions: dict[str, int] = {}
    for r in rows:
        if r.family:
            versions[r.family] = versions.get(r.family, 0) + 1
    chosen = [
        r
        for r in latest_only(rows)
        if r.state == "done"
        and (not filters.level or (r.level or "unknown") == filters.level)
        and (not filters.status or (r.counts or {}).get(filters.status, 0) > 0)
        and (not filters.unreviewed or r.unreviewed > 0)
    ]
    out = []
    for n, r in enumerate(sorted(chosen, key=rank_key), 1):
        counts = r.counts or {}
        out.append(
            RankRow(
                rank=n,
                id=r.id,
                unit=r.unit or r.source,
                title=r.title or "",
                source=r.source,
                level=level_label(r.level),
                score=format_score(r.score),
                reviewed_score=format_score(r.reviewed_score),
                grade=text_or_dash(r.reviewed_grade or r.grade),
                gaps=int(counts.get("gap", 0)),
                review=int(counts.get("needs_review", 0)),
                unreviewed=r.unreviewed,
                stale=r.stale,
                version=r.version,
                versions=versions.get(r.family or "", 1),
            )
        )
    return out


def mean(values: Iterable[float | None]) -> str:
    known = [v for v in values if v is not None]
    return format_score(sum(known) / len(known)) if known else "—"


LEVEL_CHOICES: Final = tuple((lv.value, lv.label) for lv in Level)
STATUS_CHOICES: Final = tuple((s.value, s.label) for s in (Status.gap, Status.needs_review, Status.error))
SETTABLE_CHOICES: Final = tuple((s.value, s.label) for s in SETTABLE)


# ------------------------------------------------------------------ one report


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FindingRow:
    view: FindingView
    review: Mapping[str, Any] | None  # the decision that applies (the API's ``review``)
    stale: Mapping[str, Any] | None  # a decision made on an earlier finding, no longer applied
    reviewed_status: str
    reviewed_label: str
    change_to: str  # the 改判为 choice shown: the reviewer's status after a 改判, else the tool's
    decision_label: str
    stale_label: str
    at_text: str
    carried: bool
    choices: list[Choice]


@dataclass
class Group:
    title: str
    score: str
    weight: str
    rows: list[FindingRow] = field(default_factory=list)


@dataclass(frozen=True)
class StaleLine:
    rule_id: str
    decision: str
    comment: str
    reviewer: str


@dataclass(frozen=True)
class ReportPage:
    r: ReportView
    groups: list[Group]
    queue: list[FindingView]  # needs_review findings nobody has decided
    stale: list[StaleLine]
    decided: int


def _decision_label(review: Mapping[str, Any] | None) -> str:
    if not review:
        return ""
    try:
        return Decision(str(review.get("decision"))).label
    except ValueError:
        return str(review.get("decision"))


def choices(status: str) -> list[Choice]:
    """The decisions a finding of ``status`` can take (撤销 only withdraws a charge or a doubt)."""
    allowed = [Decision.confirmed]
    if status in (Status.gap, Status.needs_review, Status.error):
        allowed.append(Decision.dismissed)
    allowed.append(Decision.changed)
    return [Choice(d.value, d.label) for d in allowed]


def _at_text(at: object) -> str:
    """``2026-12-06 05:10`` from an ISO timestamp (as stored, UTC)."""
    text = str(at or "")
    return text[:16].replace("T", " ") + (" UTC" if text.endswith(("+00:00", "Z")) else "")


def finding_row(finding: Finding, entry: Mapping[str, Any], carried: bool = False) -> FindingRow:
    """A finding, typed, with its entry of the API's report object (``review``/``stale_review``
    beside the contract's keys)."""
    view = finding_view(finding)
    review = entry.get("review") if isinstance(entry.get("review"), Mapping) else None
    stale = entry.get("stale_review") if isinstance(entry.get("stale_review"), Mapping) else None
    status = str(review.get("status")) if review else view.status
    return FindingRow(
        view=view,
        review=review,
        stale=stale,
        reviewed_status=status,
        reviewed_label=status_label(status),
        change_to=status if review and review.get("decision") == Decision.changed else view.status,
        decision_label=_decision_label(review),
        stale_label=_decision_label(stale),
        at_text=_at_text(review.get("at")) if review else "",
        carried=carried,
        choices=choices(view.status),
    )


def report_page(data: Mapping[str, Any], carried: Iterable[str] = ()) -> ReportPage:
    """The scorecard of a report object (the API's: findings carry ``review``/``stale_review``)."""
    typed = report_from_json(data)
    assert isinstance(typed, Report), "a report page is drawn for an audited report"
    base = report_view(typed)
    kept = set(carried)
    groups = {c.id: Group(c.title or c.id, format_score(c.score), text_or_dash(c.weight)) for c in typed.categories}
    raw = [f for f in data.get("findings") or () if isinstance(f, Mapping)]
    rows = [finding_row(f, entry, f.rule_id in kept) for f, entry in zip(typed.findings, raw, strict=True)]
    for finding, row in zip(typed.findings, rows, strict=True):
        key = finding.category
        groups.setdefault(key, Group(key or "其他", "—", "—")).rows.append(row)
    return ReportPage(
        r=base,
        groups=[g for g in groups.values() if g.rows],
        queue=[row.view for row in rows if row.view.status == Status.needs_review and not row.review],
        stale=[
            StaleLine(
                row.view.rule_id,
                row.stale_label,
                str(row.stale.get("comment") or ""),
                str(row.stale.get("reviewer") or ""),
            )
            for row in rows
            if row.stale
        ],
        decided=sum(1 for row in rows if row.review),
    )


# ------------------------------------------------------------------ pass rates and versions


def rate_rows(rates: Iterable[Mapping[str, Any]], titles: Mapping[str, str]) -> list[RateRow]:
    """Per-rule pass rates (``store.pass_rates``: counts per status from the summary columns),
    the most-missed requirement first, exactly as ``auditor check``'s index shows them."""
    stats = []
    for rate in rates:
        counts = rate.get("counts") or {}
        rule_id = str(rate.get("rule_id"))
        stats.append(
            access.RuleStat(rule_id, titles.get(rule_id, ""), {s: int(counts.get(s.value, 0)) for s in Status})
        )
    return [rate_row(s) for s in access.most_missed_first(stats)]


@dataclass(frozen=True)
class Change:
    rule_id: str
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class Revision:
    id: int
    version: int
    fixed: list[Change]
    broken: list[Change]
    changed: list[Change]
    kept: list[str]
    stale: list[str]


def revision(diff: Mapping[str, Any], titles: Mapping[str, str]) -> Revision:
    """A version's changes (``store.revision``) with rule titles and Chinese status labels."""

    def changes(key: str) -> list[Change]:
        return [
            Change(
                str(e.get("rule_id")),
                titles.get(str(e.get("rule_id")), ""),
                status_label(e.get("before")) if e.get("before") else "（无此项）",
                status_label(e.get("after")) if e.get("after") else "（无此项）",
            )
            for e in diff.get(key) or ()
        ]

    return Revision(
        id=int(diff.get("id") or 0),
        version=int(diff.get("version") or 1),
        fixed=changes("fixed"),
        broken=changes("broken"),
        changed=changes("changed"),
        kept=[str(k) for k in diff.get("kept") or ()],
        stale=[str(s) for s in diff.get("stale") or ()],
    )


@dataclass(frozen=True)
class Pending:
    id: int
    source: str
    state: str
    state_label: str
    note: str


def pending(row: Line) -> Pending:
    note = row.error or "" if row.state == "error" else ""
    if row.state == "done":
        note = f"{row.unit or ''} · 得分 {format_score(row.score)}"
    return Pending(row.id, row.source, row.state, STATE_LABELS.get(row.state, row.state), note)


@dataclass(frozen=True)
class VersionLine:
    id: int
    version: int
    source: str
    uploaded: str
    score: str
    reviewed_score: str
    unreviewed: int
    stale: int


def version_line(row: Line) -> VersionLine:
    uploaded = getattr(row, "uploaded_at", None)
    return VersionLine(
        row.id,
        row.version,
        row.source,
        uploaded.strftime("%Y-%m-%d %H:%M") if uploaded is not None else "—",
        format_score(row.score),
        format_score(row.reviewed_score),
        row.unreviewed,
        row.stale,
    )
