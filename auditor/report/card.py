"""The one-page card: what a supervisor hands over to the audited unit.

Unit, year, level, score, grade and category bars; then every open item (缺失, 待复核,
出错) in one or two lines with its short remediation; passed and not-applicable rules only
counted; the audit date, the auditing body and a signature / 整改期限 block from ``[card]``
in ``auditor.toml``. Built from the typed result (:mod:`auditor.result`); a JSON report
dict is read through :func:`auditor.result.report_from_json` first.

Print CSS (``@page`` A4, Noto CJK fonts) keeps a report with up to 15 open items on one
A4 page; longer lists flow onto further pages (rows never split, the header repeats).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any, Final

from auditor.config import CardSettings
from auditor.result import AnyReport, Report, report_from_json
from auditor.vocabulary import Level, Severity, Status

MESSAGE_LIMIT: Final = 64  # characters: about one line of the card's item column at 8.5pt
REMEDIATION_LIMIT: Final = 64
OPEN: Final = (Status.gap, Status.needs_review, Status.error)
_SEVERITY_ORDER: Final = {Severity.must.value: 0, Severity.should.value: 1, Severity.hint.value: 2}


@dataclass(frozen=True)
class CardBar:
    title: str
    score: str
    percent: float  # 0..100, the bar's width
    color: str


@dataclass(frozen=True)
class CardItem:
    number: int
    rule_id: str
    status: str
    label: str
    mark: str
    headline: str
    message: str
    remediation: str
    blocking: bool


@dataclass(frozen=True)
class CardView:
    unit: str
    title: str
    year: str
    level: str
    source: str  # the input file's name, so the reader can find it
    checklist_title: str
    score: str
    score_color: str
    grade: str
    capped_by: str
    bars: list[CardBar]
    items: list[CardItem]
    passed: int
    not_applicable: int
    total: int
    audited: str
    issuer: str
    deadline: str
    tool: str


def typed(entry: AnyReport | Mapping[str, Any]) -> AnyReport:
    """A report entry as the typed model (a JSON dict is read through ``report_from_json``)."""
    return report_from_json(entry) if isinstance(entry, Mapping) else entry


def _score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def _color(score: float | None) -> str:
    if score is None:
        return "#9e9e9e"
    if score >= 85:
        return "#2e7d32"
    return "#b26a00" if score >= 60 else "#c62828"


def _short(text: str, limit: int) -> str:
    """One line, at most ``limit`` characters (an ellipsis when cut), control characters gone."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _field_note(report: Report, name: str) -> str:
    """``（据落款日期推断）`` for a field the report does not state itself."""
    from auditor.document.provenance import SOURCE_LABELS

    src = report.metadata_sources.get(name)
    if src is None or src.source in ("", "none"):
        return ""
    label = SOURCE_LABELS.get(src.source, src.source)
    if src.conflict:
        return f"（据{label}，与其他来源不一致）"
    if src.source in ("option", "config"):
        return f"（{label}指定）"
    return "" if src.stated else f"（据{label}推断）"


def _level(value: str | None) -> str:
    try:
        return Level(value or "unknown").label
    except ValueError:
        return value or Level.unknown.label


def _items(report: Report) -> list[CardItem]:
    """Open findings: gaps first (blocking, then by severity), then 待复核, then 出错."""
    order = {s: i for i, s in enumerate(OPEN)}
    chosen = [f for f in report.findings if f.status in order]
    chosen.sort(key=lambda f: (order[f.status], not f.blocking, _SEVERITY_ORDER.get(f.severity, 3)))
    return [
        CardItem(
            number=n,
            rule_id=f.rule_id,
            status=f.status.value,
            label=f.status.label,
            mark=f.status.mark,
            headline=_short(f.headline or f.title, 40),
            message=_short(f.message, MESSAGE_LIMIT),
            remediation=_short(f.remediation, REMEDIATION_LIMIT),
            blocking=f.blocking,
        )
        for n, f in enumerate(chosen, 1)
    ]


def card_view(
    entry: Report | Mapping[str, Any], settings: CardSettings, audited: date, tool: str = "auditor"
) -> CardView:
    """The card of one audited report (pure: the audit date and settings are given)."""
    report = typed(entry)
    if not isinstance(report, Report):
        raise ValueError("a report that could not be audited has no card")
    meta = report.metadata
    tally = report.summary
    deadline = ""
    if settings.deadline_days:
        deadline = f"{_date(audited + timedelta(days=settings.deadline_days))}前（{settings.deadline_days}日内）"
    name = PurePath(report.source.replace("\\", "/")).name or report.source
    unit = meta.unit or PurePath(name).stem or "（未知单位）"
    return CardView(
        unit=unit + _field_note(report, "unit"),
        title=meta.title or "",
        year=(str(meta.year) if meta.year else "—") + _field_note(report, "year"),
        level=_level(meta.level) + _field_note(report, "level"),
        source=name,
        checklist_title=report.checklist.title or "年度报告",
        score=_score_text(report.score),
        score_color=_color(report.score),
        grade=report.grade or "—",
        capped_by="、".join(report.grade_capped_by),
        bars=[
            CardBar(c.title or c.id, _score_text(c.score), max(0.0, min(100.0, c.score or 0.0)), _color(c.score))
            for c in report.categories
        ],
        items=_items(report),
        passed=tally[Status.met.value],
        not_applicable=tally[Status.not_applicable.value],
        total=len(report.findings),
        audited=_date(audited),
        issuer=settings.issuer or "",
        deadline=deadline,
        tool=tool,
    )


def render_card(
    entry: Report | Mapping[str, Any], settings: CardSettings, audited: date, *, tool: str = "auditor"
) -> str:
    """The card as one HTML document (printable; ``html_to_pdf`` makes the PDF)."""
    from auditor.report.htmlpage import content_security_policy, environment

    view = card_view(entry, settings, audited, tool)
    return (
        environment()
        .get_template("card.html")
        .render(card=view, page_title=f"{view.unit} · 核查结果告知单", csp=content_security_policy(None), tool=tool)
    )
