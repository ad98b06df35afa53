"""Which checklist a report is audited with, and the unit's level as that checklist reads it.

Each checklist declares ``signals`` (title, headings, body phrases) as data. A report is
scored against every bundled checklist: a title signal weighs ``TITLE_POINTS`` (the
opening lines stand in for a missing title), each heading or body signal found adds one.
The best checklist is chosen when it reaches its ``min_score`` and beats the others;
otherwise the report is *unrecognised* and not scored. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from auditor.checklist import Checklist, LevelRule, Signals
from auditor.document import Document
from auditor.document.provenance import FieldSource

TITLE_POINTS = 4
OPENING_CHARS = 200  # without a title, the opening of the body is read as one


@dataclass(frozen=True)
class Fit:
    checklist: Checklist
    score: float
    title: str | None  # the title signal found (the words)
    headings: tuple[str, ...]
    body: tuple[str, ...]

    @property
    def confident(self) -> bool:
        signals = self.checklist.header.signals
        return signals is not None and self.score >= signals.min_score

    def reason(self) -> str:
        parts = []
        if self.title:
            parts.append(f"标题含“{self.title}”")
        if self.headings:
            parts.append("小标题含“" + "”“".join(self.headings) + "”")
        if self.body:
            parts.append("正文含“" + "”“".join(self.body) + "”")
        found = "，".join(parts) if parts else "未见该类报告的特征"
        return f"{self.checklist.header.title}：{found}（得分 {self.score:g}）"


@dataclass(frozen=True)
class Choice:
    checklist: Checklist | None  # None: the report fits no checklist with confidence
    reason: str


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _first(patterns: Sequence[str], text: str) -> str | None:
    for p in patterns:
        m = _compiled(p).search(text)
        if m:
            return m.group(0)
    return None


def _signals(c: Checklist) -> Signals:
    if c.header.signals is not None:
        return c.header.signals
    return Signals(title=_select_patterns(c), min_score=TITLE_POINTS)


def _select_patterns(c: Checklist) -> list[str]:
    """The regexes of an older ``select`` (a regex spec on the title)."""
    select = c.header.select
    patterns = getattr(select, "patterns", None)
    return [str(p) for p in patterns] if patterns else []


def fit(c: Checklist, doc: Document) -> Fit:
    """How well a report matches one checklist's signals."""
    signals = _signals(c)
    title = doc.metadata.title
    b0, b1 = doc.body
    head = title if title else doc.text[b0 : b1][:OPENING_CHARS]
    found_title = _first(signals.title, head)
    headings = tuple(dict.fromkeys(
        h for p in signals.headings if (h := _first([p], "\n".join(s.heading.title for s in doc.sections)))
    ))
    body_text = doc.text[b0:b1]
    body = tuple(dict.fromkeys(h for p in signals.body if (h := _first([p], body_text))))
    score = (TITLE_POINTS if found_title else 0) + len(headings) + len(body)
    return Fit(c, score, found_title, headings, body)


def choose(checklists: Sequence[Checklist], doc: Document) -> Choice:
    """The checklist for a report: the only one given, or the one whose signals fit best."""
    if len(checklists) == 1:
        return Choice(checklists[0], f"指定的核查清单：{checklists[0].header.title}")
    fits = sorted((fit(c, doc) for c in checklists), key=lambda f: -f.score)
    best = fits[0]
    runner_up = fits[1].score if len(fits) > 1 else 0.0
    titled = [f for f in fits if f.title]
    if len(titled) == 1 and titled[0].confident:
        best, runner_up = titled[0], max((f.score for f in fits if f is not titled[0]), default=0.0)
        return Choice(best.checklist, "；".join(f.reason() for f in fits))
    if best.confident and best.score > runner_up:
        return Choice(best.checklist, "；".join(f.reason() for f in fits))
    return Choice(None, "；".join(f.reason() for f in fits))


def unrecognized_message(checklists: Sequence[Checklist], reason: str) -> str:
    tried = "、".join(f"“{c.header.title}”（{c.id}）" for c in checklists)
    return (f"未能确认报告类型：与已有核查清单{tried}均不够吻合，未评分。依据：{reason}。"
            "如确为其中一类报告，请用 --checklist 指定。")


def level_by_rules(rules: Sequence[LevelRule], names: Sequence[tuple[str | None, FieldSource]]
                   ) -> tuple[str, FieldSource] | None:
    """The level of the first unit name (the title's issuer first) that a rule or the built-in
    reading of place names settles; None when the built-in reading settles it first."""
    from auditor.document.metadata import level_of_unit

    for name, source in names:
        if not name:
            continue
        for rule in rules:
            if _compiled(rule.match).search(name):
                return rule.level, FieldSource(source.source, source.stated and rule.sure, name)
        if level_of_unit(name):
            return None
    return None


def with_level_rules(doc: Document, checklist: Checklist) -> Document:
    """The document with its level read by the checklist's ``levels`` table (when one matches)."""
    from auditor.document.metadata import issuer_of_title

    rules = checklist.header.levels
    meta = doc.metadata
    if not rules or meta.source("level").source in ("option", "config"):
        return doc
    names = [(issuer_of_title(meta.title), meta.source("title")), (meta.unit, meta.source("unit"))]
    found = level_by_rules(rules, names)
    if found is None:
        return doc
    level, source = found
    return replace(doc, metadata=replace(meta, level=level, sources={**meta.sources, "level": source}))
