"""Last year's plans split into items.

Inside each plans span the items are its numbered sub-sections at the shallowest level
found there (一是… / （一）… / 1.…); a span without any is split into its sentences. An
opening sentence that only announces the list (``2024年，我镇将重点做好以下工作：``, also
when the first item follows its colon), fragments too short to say anything and the sign-off
(issuer and date, when the plans are the report's last part) are not items.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from auditor.document import Document

MIN_ITEM_CHARS = 8
_ANNOUNCES = re.compile(r"(以下|如下|几个方面|几方面)[^。]{0,12}[:：]?$|[:：]$")
_LEAD = re.compile(r"[^。:]{0,40}(以下|如下|几个方面|几方面)[^。:]{0,12}:")
_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
#: 一是 … 十是 counting a sentence's plans: after a comma, a colon or 将/要 (not 是 inside a word: 统一是)
_ENUMERATOR = re.compile(r"(?:(?<=[，,：:；;将要])|(?<=^))(?:[一二三四五六七八九十]|十[一二三四五六七八九])是")


@dataclass(frozen=True)
class Item:
    start: int  # normalised offsets in Document.text
    end: int
    title: str  # the heading title, or "" for a sentence item
    key_end: int  # end of the item's key: its title and first sentence


def content_chars(text: str) -> int:
    return len(_CONTENT.findall(text))


def _key_end(doc: Document, start: int, end: int, body_from: int) -> int:
    """The end of the item's first sentence after ``body_from`` (or the item's end)."""
    for s, e in doc.sentences[_first_sentence(doc, body_from) :]:
        if s >= end:
            break
        if e > body_from and content_chars(doc.text[max(s, body_from) : e]) >= 2:
            return min(e, end)
    return end


def _first_sentence(doc: Document, pos: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(doc.sentence_starts, pos) - 1)


def _signoff_start(doc: Document) -> int:
    """Where the report's sign-off (issuer, date) starts: no plan reaches into it."""
    lines = doc.layout.lines
    return min((lines[i].start for i in doc.layout.signoff), default=len(doc.text))


def split_items(doc: Document, spans: tuple[tuple[int, int], ...]) -> list[Item]:
    items: list[Item] = []
    stop = _signoff_start(doc)
    for a, b in ((a, min(b, stop)) for a, b in spans if a < stop):
        inner = [s for s in doc.sections if a <= s.heading.start < b and not (s.heading.start <= a and s.end >= b)]
        if inner:
            top = min(s.heading.level for s in inner)
            for sec in inner:
                if sec.heading.level != top:
                    continue
                end = min(sec.end, b)
                if content_chars(doc.text[sec.heading.start : end]) < MIN_ITEM_CHARS:
                    continue
                h = sec.heading
                items.append(Item(h.start, end, h.title.strip(), _key_end(doc, h.start, end, h.title_end)))
            continue
        titles = [
            (h.heading.start, h.heading.title_end)
            for h in doc.sections
            if a <= h.heading.title_end and h.heading.start < b
        ]
        for s, e in doc.sentences[_first_sentence(doc, a) :]:
            if s >= b:
                break
            s, e = max(s, a), min(e, b)
            if any(x <= s < y for x, y in titles):
                continue
            lead = _LEAD.match(doc.text, s, e)
            if lead:  # "…将重点做好以下工作：深入开展…": the item starts after the colon
                s = lead.end()
            for ps, pe in _enumerated(doc.text, s, e):
                piece = doc.text[ps:pe].strip()
                if content_chars(piece) < MIN_ITEM_CHARS or _ANNOUNCES.search(piece.rstrip("。;；，,")):
                    continue
                items.append(Item(ps, pe, "", pe))
    return items


def _enumerated(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's plans when it counts two or more (…将一是加强法治宣传，二是完善执法制度，三是…):
    each from its 一是/二是… to the next. What comes before the first is a piece of its own after
    a comma or semicolon (a plan, or an announcement the caller drops) and not after 将/要, which
    only announce. Else the sentence, whole."""
    marks = [m.start() for m in _ENUMERATOR.finditer(text, start, end)]
    if len(marks) < 2:
        return [(start, end)]
    lead = marks[0] > start and text[marks[0] - 1] in "，,；;"
    return list(itertools.pairwise([start, *marks, end] if lead else [*marks, end]))
