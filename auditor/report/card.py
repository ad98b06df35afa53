"""The one-page card: what a supervisor hands over to the audited unit.

Unit, year, level, score, grade and category bars; then every open item (缺失, 待复核,
出错): one line for the requirement and what was found, one for the remediation's first
instruction (two while there are at most ``ROOMY`` items); passed and not-applicable rules only
counted; the audit date, the auditing body and a signature / 整改期限 block from ``[card]``
in ``auditor.toml``. Built from the typed result (:mod:`auditor.result`); a JSON report
dict is read through :func:`auditor.result.report_from_json` first.

Print CSS (``@page`` A4, Noto CJK fonts) keeps a report with up to 15 open items on one
A4 page; longer lists flow onto further pages (rows never split, the header repeats).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any, Final

from auditor.config import CardSettings
from auditor.report import access
from auditor.report.labels import level_label
from auditor.result import AnyReport, Report, report_from_json
from auditor.vocabulary import Severity, Status

LINE_WIDTH: Final = 52.0  # full-width characters on one line of the item column (A4, 8.2pt)
HEADLINE_WIDTH: Final = 20.0
REMEDIATION_WIDTH: Final = LINE_WIDTH - 3  # after 整改：
ROOMY: Final = 10  # up to this many open items, a remediation may take two lines
_EXAMPLE: Final = re.compile(r"[，,；;]?\s*(?:例如|如：|比如)|[。；;]")
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
    """As the scorecard's colours (svgchart.score_color), with a darker amber that prints legibly."""
    if score is None:
        return "#9e9e9e"
    if score >= 85:
        return "#2e7d32"
    return "#b26a00" if score >= 60 else "#c62828"


def _width(ch: str) -> float:
    """How wide a character prints, in full-width (CJK) characters."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.6


def text_width(text: str) -> float:
    return sum(_width(ch) for ch in text)


def _short(text: str, width: float) -> str:
    """One line no wider than ``width`` full-width characters (an ellipsis when cut),
    control characters gone."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if text_width(flat) <= width:
        return flat
    out, used = [], 1.0  # room for the ellipsis
    for ch in flat:
        used += _width(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def _date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def short_remediation(text: str) -> str:
    """The remediation's first instruction: up to its first full stop or example (例如…)."""
    cut = _EXAMPLE.search(text)
    head = text[: cut.start()] if cut and cut.start() >= 8 else text
    return head.strip().rstrip("，,：:") + ("。" if head != text else "")


def _items(report: Report) -> list[CardItem]:
    """Open findings: gaps first (blocking, then by severity), then 待复核, then 出错."""
    order = {s: i for i, s in enumerate(OPEN)}
    chosen = [f for f in report.findings if f.status in order]
    chosen.sort(key=lambda f: (order[f.status], not f.blocking, _SEVERITY_ORDER.get(f.severity, 3)))
    fix_width = REMEDIATION_WIDTH * (2 if len(chosen) <= ROOMY else 1)
    items = []
    for n, f in enumerate(chosen, 1):
        headline = _short(f.headline or f.title, HEADLINE_WIDTH - (3 if f.blocking else 0))
        room = LINE_WIDTH - text_width(headline) - (4 if f.blocking else 1)
        items.append(
            CardItem(
                number=n,
                rule_id=f.rule_id,
                status=f.status.value,
                label=f.status.label,
                mark=f.status.mark,
                headline=headline,
                message=_short(f.message, max(room, 12.0)),
                remediation=_short(short_remediation(f.remediation), fix_width),
                blocking=f.blocking,
            )
        )
    return items


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
        unit=unit + access.source_note(report, "unit"),
        title=meta.title or "",
        year=(str(meta.year) if meta.year else "—") + access.source_note(report, "year"),
        level=level_label(meta.level) + access.source_note(report, "level"),
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
