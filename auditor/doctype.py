"""Which checklist a report is audited with, and the unit's level as that checklist reads it.

Each checklist declares ``signals`` (title, headings, body phrases) as data. A report is
scored against every bundled checklist: a title signal weighs ``TITLE_POINTS`` (the
opening lines stand in for a missing title, at ``OPENING_POINTS``), each heading or body
signal found adds one. A ``not_title`` signal (the title, or without one a line before the
body or the file's name, names another kind of document: a notice, a plan, one leader's
述法报告) rules the checklist out. The best checklist is chosen when it reaches its ``min_score`` with at least
``MIN_FEATURES`` headings/phrases, its title signal or a heading among them (the body's words
alone are spoken by plans and notices too), and beats the others; otherwise the report (or a
page repeating itself) is *unrecognised* and not scored. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from auditor.checklist import Checklist, LevelRule, Signals
from auditor.document import Document
from auditor.document.patterns import NAME_PIECES
from auditor.document.provenance import FieldSource

TITLE_POINTS = 4
OPENING_POINTS = 2  # without a title, the opening of the body stands in for one, at half weight
OPENING_CHARS = 200
LEAD_LINES = 8  # without a title, the lines before the body (at most this many) may name another kind of document
MIN_FEATURES = 2  # besides the title, at least this many distinct headings or body phrases
REPEAT_SHARE = 0.3  # a text whose distinct sentences are fewer than this share is not a report …
MIN_DISTINCT = 20  # … unless it has a title and this many distinct sentences (a report pasted ten times)
MIN_PROSE = 12  # sentences shorter than this (table cells, headings) are not counted for repetition


@dataclass(frozen=True)
class Fit:
    checklist: Checklist
    score: float
    title: str | None  # the title signal found (the words)
    headings: tuple[str, ...]
    body: tuple[str, ...]
    opening: bool = False  # no title: the title signal was read in the opening of the body
    other: str | None = None  # the line that names another kind of document (``not_title``)

    @property
    def confident(self) -> bool:
        return (
            self.other is None
            and bool(self.title or self.headings)  # the body's words alone: a plan or a notice speaks them too
            and self.score >= _signals(self.checklist).min_score
            and len(self.headings) + len(self.body) >= MIN_FEATURES
        )

    def reason(self) -> str:
        if self.other is not None:
            return f"{self.checklist.header.title}：“{self.other}”是另一类文件，不按本类报告核查"
        parts = []
        if self.title:
            parts.append(f"{'开头（无标题）' if self.opening else '标题'}含“{self.title}”")
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


@lru_cache(maxsize=256)
def _is_literal(pattern: str) -> bool:
    """A pattern without a special character matches itself only (most body signals)."""
    return re.escape(pattern) == pattern


def _first(patterns: Sequence[str], text: str) -> str | None:
    for p in patterns:
        if _is_literal(p):  # str's search: ≈ 2× faster than re's over a body without it
            if p in text:
                return p
            continue
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


def lead_lines(doc: Document, file_name: str | None = None) -> list[str]:
    """What names a document's kind: its title; without one, the short lines before its body (a
    notice's or a plan's heading, which is never taken for a report's title), field labels cut,
    and the file's name (临河县2024年政务公开工作要点.docx: a plan whose text has no title)."""
    if doc.metadata.title:
        return [doc.metadata.title]
    from pathlib import PurePath

    from auditor.document.metadata import FIELD_LABEL

    lines = doc.layout.lines[: max(doc.layout.body_start, 1)][:LEAD_LINES]
    cut = [FIELD_LABEL.sub("", line.text).strip() for line in lines]
    if file_name and file_name != "-":  # the name, and its pieces (a crawler's 标题_网站名)
        stem = PurePath(file_name.replace("\\", "/")).stem.strip()
        cut += [stem, *NAME_PIECES.split(stem)]
    return [t for t in cut if 4 <= len(t) <= 90 and "。" not in t]


def _other_kind(patterns: Sequence[str], lines: Sequence[str]) -> str | None:
    """The first of ``lines`` a ``not_title`` pattern is found in."""
    return next((line for line in lines if _first(patterns, line)), None) if patterns else None


def fit(c: Checklist, doc: Document, lead: Sequence[str] | None = None) -> Fit:
    """How well a report matches one checklist's signals (``lead``: :func:`lead_lines`, read once)."""
    signals = _signals(c)
    title = doc.metadata.title
    other = _other_kind(signals.not_title, lead_lines(doc) if lead is None else lead)
    b0, b1 = doc.body
    head = title if title else doc.text[b0:b1][:OPENING_CHARS]
    found_title = _first(signals.title, head)
    heading_text = "\n".join(s.heading.title for s in doc.sections)
    headings = tuple(dict.fromkeys(h for p in signals.headings if (h := _first([p], heading_text))))
    body_text = doc.text[b0:b1]
    body = tuple(dict.fromkeys(h for p in signals.body if (h := _first([p], body_text))))
    score = (0 if not found_title else TITLE_POINTS if title else OPENING_POINTS) + len(headings) + len(body)
    return Fit(c, score, found_title, headings, body, opening=not title, other=other)


def choose(checklists: Sequence[Checklist], doc: Document, file_name: str | None = None) -> Choice:
    """The checklist for a report: the only one given, or the one whose signals fit best (the
    report's ``file_name`` read too when the text has no title, see :func:`lead_lines`)."""
    if len(checklists) == 1:
        return Choice(checklists[0], f"指定的核查清单：{checklists[0].header.title}")
    repeated = repetition(doc)
    if repeated is not None:
        return Choice(None, repeated)
    lead = lead_lines(doc, file_name)
    fits = sorted((fit(c, doc, lead) for c in checklists), key=lambda f: -f.score)
    reason = "；".join(f.reason() for f in fits)
    titled = [f for f in fits if f.title and f.other is None]
    if len(titled) == 1 and titled[0].confident:  # only one report type is named by the title
        return Choice(titled[0].checklist, reason)
    fits = [f for f in fits if f.other is None] or fits
    best, runner_up = fits[0], (fits[1].score if len(fits) > 1 else 0.0)
    if best.confident and best.score > runner_up:
        return Choice(best.checklist, reason)
    return Choice(None, reason)


def repetition(doc: Document) -> str | None:
    """Why a text is not a report because it repeats itself (a page of the same sentence), or None."""
    text = doc.text
    # at most this many prose sentences (a span is never shorter than its stripped text): once
    # that many distinct ones are seen the text does not repeat itself, and the rest is not read
    enough = REPEAT_SHARE * sum(1 for a, b in doc.sentences if b - a >= MIN_PROSE)
    count = 0
    seen: set[str] = set()
    for a, b in doc.sentences:
        if b - a >= MIN_PROSE and len(t := text[a:b].strip()) >= MIN_PROSE:  # not table cells
            count += 1
            seen.add(t)
            if len(seen) >= enough:
                return None
    distinct = len(seen)
    if count < 10 or distinct >= REPEAT_SHARE * count or (doc.metadata.title and distinct >= MIN_DISTINCT):
        return None  # a titled report pasted twice (or ten times) is still that report
    return f"正文{count}句中只有{distinct}句互不相同，不像一份报告"


def unrecognized_message(checklists: Sequence[Checklist], reason: str) -> str:
    tried = "、".join(f"“{c.header.title}”（{c.id}）" for c in checklists)
    return (
        f"未能确认报告类型：与已有核查清单{tried}均不够吻合，未评分。依据：{reason}。"
        "如确为其中一类报告，请用 --checklist 指定。"
    )


def level_by_rules(
    rules: Sequence[LevelRule], issuer: str | None, title: FieldSource, unit: str | None, unit_source: FieldSource
) -> tuple[str, FieldSource] | None:
    """The level of the first unit name (the title's ``issuer``, then the ``unit``) that a rule or
    the built-in reading of place names settles; None when the built-in reading settles it first.
    A ``title_only`` rule reads the title's issuer only."""
    from auditor.document.metadata import level_of_unit

    for name, source, in_title in ((issuer, title, True), (unit, unit_source, False)):
        if not name:
            continue
        for rule in rules:
            if (in_title or not rule.title_only) and _compiled(rule.match).search(name):
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
    found = level_by_rules(rules, issuer_of_title(meta.title), meta.source("title"), meta.unit, meta.source("unit"))
    if found is None:
        return doc
    level, source = found
    return replace(doc, metadata=replace(meta, level=level, sources={**meta.sources, "level": source}))


def recognise(doc: Document, checklists: Sequence[Checklist], file_name: str | None = None) -> tuple[Document, Choice]:
    """A read report → (the document as its checklist reads it, the choice): the chosen checklist's
    ``levels`` table settles the level. (A file name like a report's title stands in for a missing
    title already in ``understand``; another one may still name another kind of document.)"""
    choice = choose(checklists, doc, file_name)
    if choice.checklist is not None:
        doc = with_level_rules(doc, choice.checklist)
    return doc, choice
