"""Follow-through: was each of last year's plan items carried out this year?

Each item is cut into clauses (at ，；：。), and each clause, in folded text (``textsim``), is
compared with every sentence (and pair of sentences) of this year's report: the weighted share
of its bigrams found there (content-word overlap), raised towards rapidfuzz's partial alignment
of the two. An item's score in a part is the mean of its two best clauses there, so one phrase
in common is not enough, and an item whose title is a slogan is found by what it names.

- ``done``: the item's score in the measures part is at least ``DONE``;
- ``open``: not done, but its score in this year's plans or shortcomings is at least ``OPEN``
  (planned again, or named as a shortcoming);
- ``needs_review``: its score in the measures part is close (``REVIEW`` … ``DONE``): never
  called missing on a guess;
- ``missing``: nothing close anywhere.

The evidence is the sentence(s) that matched the two best clauses, quoted and located.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from auditor.compare import textsim
from auditor.compare.items import Item
from auditor.compare.model import FollowThrough, ItemVerdict, Located
from auditor.compare.regions import Regions
from auditor.document import Document

MENTIONED = 0.45  # an item is mentioned in a part from this score on (calibrated on fixtures/yoy: docs/comparison.md)
DONE = MENTIONED
OPEN = MENTIONED
REVIEW = 0.4  # the measures part's grey zone: below DONE, from here on, a person decides
MIN_CLAUSE = 5  # folded characters
MAX_CLAUSES = 24
WINDOW = 2  # sentences a unit of this year's text may span
ALIGN_FROM = 0.2


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    kind: str | None
    folded: str
    grams: frozenset[str]
    text: str  # as written (its plain form is made for the unit quoted only)


@dataclass(frozen=True)
class _Best:
    score: float
    unit: _Unit | None
    shared: tuple[str, ...]
    also: _Unit | None = None  # the unit of the second-best clause, when it is another sentence


def located(doc: Document, start: int, end: int) -> Located:
    span = doc.evidence(start, end)
    return Located(span.text, span.start, span.end, span.line, span.section)


def _units(doc: Document, regions: Regions) -> list[_Unit]:
    """Every sentence of the body, and every run of ``WINDOW`` sentences of one paragraph and kind."""
    out = []
    b0, b1 = doc.body
    sentences = [(s, e, regions.kind_at(s), doc.paragraph_at(s)) for s, e in doc.sentences if b0 <= s < b1]
    for i, (s, _, kind, para) in enumerate(sentences):
        for w in range(1, WINDOW + 1):
            if i + w > len(sentences):
                break
            last = sentences[i + w - 1]
            if w > 1 and (last[2] != kind or last[3] != para):
                break
            text = doc.text[s : last[1]]
            f = textsim.fold(text)
            if len(f) >= 4:
                out.append(_Unit(s, last[1], kind, f, textsim.bigrams(f), text))
    return out


@dataclass(frozen=True)
class _Index:
    """This year's units and, for each bigram of the clauses, the units that have it (so a clause
    is scored against the units it shares a bigram with, in one pass over their postings); a
    clause bigram's weight is its rarity among the units and the clauses (``n`` in all). Only the
    clauses' bigrams are indexed and weighed: a clause is scored through those alone."""

    units: list[_Unit]
    postings: dict[str, list[int]]  # clause bigram -> the units that have it, in order
    n: int
    idf: dict[str, float]  # the weight of each clause bigram

    def weight(self, bigram: str) -> float:
        return self.idf[bigram]


def _index(units: list[_Unit], extra: list[frozenset[str]]) -> _Index:
    """``extra``: the bigrams of each clause, counted with the units (a bigram every clause has weighs little)."""
    wanted = frozenset().union(*extra)
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        for b in u.grams & wanted:
            postings[b].append(i)
    counts = {b: len(p) for b, p in postings.items()}  # each unit has a bigram once
    for grams in extra:
        for b in grams:
            counts[b] = counts.get(b, 0) + 1
    n = len(units) + len(extra)
    return _Index(units, dict(postings), n, {b: textsim.rarity(c, n) for b, c in counts.items()})


@dataclass(frozen=True)
class _Tally:
    """A clause against this year's units, of every kind: the clause's bigram weights in all and
    what each unit that shares a bigram has of them (made once, read for each group of kinds)."""

    key: str  # folded
    written: str  # plain
    total: float
    shared: dict[int, float]  # unit -> the weights of the bigrams it shares with the clause


def _tally(clause: tuple[str, str], index: _Index) -> _Tally:
    key, written = clause
    weights = {b: index.weight(b) for b in textsim.bigrams(key)}
    acc: dict[int, float] = {}
    for b, w in weights.items():
        for i in index.postings.get(b, ()):
            acc[i] = acc.get(i, 0.0) + w
    return _Tally(key, written, sum(weights.values()), acc)


def _best(tally: _Tally, index: _Index, kinds: tuple[str, ...]) -> _Best:
    """The unit of these kinds most like the clause: the weighted share of the clause's bigrams it
    has (content-word overlap), raised towards rapidfuzz's partial alignment once that share is
    at least ``ALIGN_FROM``."""
    key, total = tally.key, tally.total
    if total <= 0 or not key:
        return _Best(0.0, None, ())
    best = _Best(0.0, None, ())
    for i, shared in tally.shared.items():
        u = index.units[i]
        if u.kind not in kinds:
            continue
        score = shared / total
        if score >= ALIGN_FROM and len(key) >= 6:
            score = max(score, (score + fuzz.partial_ratio(key, u.folded) / 100.0) / 2)
        if score > best.score or (score == best.score and best.unit is not None and u.start < best.unit.start):
            best = _Best(score, u, ())
    if best.unit is not None:
        words = textsim.shared_words(tally.written, textsim.bigrams(textsim.plain(best.unit.text)))
        best = _Best(best.score, best.unit, tuple(words))
    return best


_CLAUSE = re.compile(r"[,;:。!?、]")
_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}是|\(?[一二三四五六七八九十\d]{1,3}\)?[、.]?)")


def clauses(text: str) -> list[tuple[str, str]]:
    """An item's clauses (its number left out), folded and as written; the short ones say too
    little to count."""
    pairs = ((textsim.fold(c), textsim.plain(c)) for c in _CLAUSE.split(_MARKER.sub("", text)))
    return [p for p in pairs if len(p[0]) >= MIN_CLAUSE][:MAX_CLAUSES]


def _score(keys: list[_Tally], index: _Index, kinds: tuple[str, ...]) -> _Best:
    """The mean of the two best clause matches (one phrase in common is not enough), with the
    sentence that matched the best clause as evidence."""
    scored = sorted((_best(k, index, kinds) for k in keys), key=lambda b: b.score, reverse=True)
    if not scored:
        return _Best(0.0, None, ())
    shared = tuple(dict.fromkeys(w for b in scored[:2] for w in b.shared))
    first, second = scored[0].unit, scored[1].unit if len(scored) > 1 else None
    if first is not None and second is not None and (second.start < first.end and first.start < second.end):
        second = None  # the same sentence (or overlapping windows): quoted once
    return _Best(textsim.top([b.score for b in scored], 2), first, shared, second)


def _evidence(doc: Document, best: _Best) -> list[Located]:
    units = sorted((u for u in (best.unit, best.also) if u is not None), key=lambda u: u.start)
    return [located(doc, u.start, u.end) for u in units]


def _lines(evidence: list[Located]) -> str:
    return "、".join(dict.fromkeys(f"第 {e.line} 行" for e in evidence))


def _words(shared: tuple[str, ...]) -> str:
    return "、".join(shared[:4]) if shared else "（无明显共同词语）"


def follow_through(last: Document, items: list[Item], this: Document, regions: Regions) -> FollowThrough:
    if not items:
        return FollowThrough(False, [], "上一年度报告中未找到下一年度工作安排，无从核对落实情况")
    units = _units(this, regions)
    keyed = [clauses(last.text[it.start : it.end]) for it in items]
    index = _index(units, [textsim.bigrams(k) for ks in keyed for k, _ in ks])
    verdicts = []
    for item, clauses_of in zip(items, keyed, strict=True):
        keys = [_tally(k, index) for k in clauses_of]  # once for both groups of kinds
        plan = located(last, item.start, item.end)
        done = _score(keys, index, ("measures",))
        again = _score(keys, index, ("plans", "shortcomings"))
        if done.score >= DONE and done.unit is not None:
            ev = _evidence(this, done)
            reason = (
                f"本年度报告的工作举措中有相应内容（相似度 {done.score:.2f}，共同词语：{_words(done.shared)}），"
                f"见{_lines(ev)}"
            )
            verdicts.append(ItemVerdict(plan, "done", ev, reason, round(done.score, 2)))
        elif again.score >= OPEN and again.unit is not None:
            ev = _evidence(this, again)
            where = "再次列为下一年度安排" if again.unit.kind == "plans" else "列为存在的问题或不足"
            reason = (
                f"本年度报告未写明已落实，仅{where}（相似度 {again.score:.2f}，共同词语：{_words(again.shared)}），"
                f"见{_lines(ev)}"
            )
            verdicts.append(ItemVerdict(plan, "open", ev, reason, round(again.score, 2)))
        elif done.score >= REVIEW and done.unit is not None:
            ev = _evidence(this, done)
            reason = (
                f"本年度工作举措中有相近表述，但不足以认定已落实（相似度 {done.score:.2f}，"
                f"共同词语：{_words(done.shared)}），请人工核对{_lines(ev)}"
            )
            verdicts.append(ItemVerdict(plan, "needs_review", ev, reason, round(done.score, 2)))
        else:
            near = done if done.score >= again.score else again
            hint = ""
            if near.unit is not None:
                hint = (
                    f"；最接近的是第 {located(this, near.unit.start, near.unit.end).line} 行（相似度 {near.score:.2f}）"
                )
            verdicts.append(
                ItemVerdict(
                    plan,
                    "missing",
                    [],
                    f"本年度报告中未找到该项安排的落实、再次安排或问题说明{hint}",
                    round(near.score, 2),
                )
            )
    return FollowThrough(True, verdicts, "")
