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

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

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
_MARGIN = 1e-6  # below an alignment that would matter by more than float rounding


class _Unit(NamedTuple):
    start: int
    end: int
    kind: str | None
    folded: str
    grams: frozenset[str]


_GROUPS = {"measures": 0, "plans": 1, "shortcomings": 1}  # the kinds a verdict reads together: done, again


@dataclass(frozen=True)
class _Best:
    score: float
    unit: _Unit | None
    shared: tuple[str, ...]
    also: _Unit | None = None  # the unit of the second-best clause, when it is another sentence


_NONE = _Best(0.0, None, ())


def located(doc: Document, start: int, end: int) -> Located:
    span = doc.evidence(start, end)
    return Located(span.text, span.start, span.end, span.line, span.section)


def _units(doc: Document, regions: Regions) -> list[_Unit]:
    """Every sentence of the body, and every run of ``WINDOW`` sentences of one paragraph and kind.
    Each sentence is folded once: a run's folded text is its sentences' joined where the text
    between them folds apart (:func:`textsim.apart`), and its bigrams theirs and the one across."""
    out = []
    b0, b1 = doc.body
    text = doc.text
    sentences = [(s, e, regions.kind_at(s), doc.paragraph_at(s)) for s, e in doc.sentences if b0 <= s < b1]
    folded = [textsim.fold(text[s:e]) for s, e, _, _ in sentences]
    grams: dict[int, frozenset[str]] = {}  # of the sentences, made once

    def grams_of(k: int) -> frozenset[str]:
        if k not in grams:
            grams[k] = textsim.bigrams(folded[k])
        return grams[k]

    for i, (s, e, kind, para) in enumerate(sentences):
        if len(folded[i]) >= 4:
            out.append(_Unit(s, e, kind, folded[i], grams_of(i)))
        for w in range(2, WINDOW + 1):
            if i + w > len(sentences):
                break
            last = sentences[i + w - 1]
            if last[2] != kind or last[3] != para:
                break
            ks = range(i, i + w)
            if all(textsim.apart(text, sentences[k][1], sentences[k + 1][0]) for k in ks[:-1]):
                f = "".join(folded[k] for k in ks)
                if len(f) >= 4:
                    cuts = itertools.accumulate(len(folded[k]) for k in ks[:-1])
                    across = [f[c - 1 : c + 1] for c in cuts if 0 < c < len(f)]  # the bigrams across sentences
                    out.append(_Unit(s, last[1], kind, f, frozenset().union(*map(grams_of, ks), across)))
            else:
                f = textsim.fold(text[s : last[1]])
                if len(f) >= 4:
                    out.append(_Unit(s, last[1], kind, f, textsim.bigrams(f)))
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
    what each unit that shares a bigram has of them."""

    key: str  # folded
    written: str  # plain
    total: float
    shared: dict[int, float]  # unit -> the weights of the bigrams it shares with the clause, in the order first met


def _tally(key: str, written: str, grams: frozenset[str], index: _Index) -> _Tally:
    weights = {b: index.idf[b] for b in grams}
    acc: dict[int, float] = {}
    for b, w in weights.items():
        for i in index.postings.get(b, ()):
            acc[i] = acc.get(i, 0.0) + w
    return _Tally(key, written, sum(weights.values()), acc)


def _bests(tally: _Tally, index: _Index) -> tuple[_Best, _Best]:
    """For each group of kinds (``_GROUPS``: measures; plans and shortcomings), the unit most like
    the clause: the weighted share of the clause's bigrams it has (content-word overlap), raised
    towards rapidfuzz's partial alignment once that share is at least ``ALIGN_FROM``; of equal
    scores the first in the text, then the first met. The units are tried by share, largest
    first: once even a perfect alignment could not reach a group's best, none after can."""
    key, total = tally.key, tally.total
    if total <= 0 or not key:
        return _NONE, _NONE
    align = len(key) >= 6
    best: list[tuple[float, _Unit, int] | None] = [None, None]  # score, unit, index
    closed = [False, False]
    for i, shared in sorted(tally.shared.items(), key=itemgetter(1), reverse=True):
        u = index.units[i]
        g = _GROUPS.get(u.kind or "", -1)
        if g < 0 or closed[g]:
            continue
        score = shared / total
        now = best[g]
        if now is not None and max(score, (score + 1.0) / 2 if align and score >= ALIGN_FROM else score) < now[0]:
            closed[g] = True  # the shares only fall from here
            if closed[1 - g]:
                break
            continue
        if score >= ALIGN_FROM and align:
            # the alignment matters from where it would raise the score (or reach the best): below
            # that, rapidfuzz may give up early and say 0, which leaves the score as it would be
            floor = score if now is None or score >= now[0] else 2 * now[0] - score
            ratio = fuzz.partial_ratio(key, u.folded, score_cutoff=max(0.0, floor * 100 - _MARGIN))
            score = max(score, (score + ratio / 100.0) / 2)
        if now is None or score > now[0] or (score == now[0] and _before(u, i, now[1], now[2], tally)):
            best[g] = (score, u, i)
    return tuple(_NONE if b is None else _Best(b[0], b[1], ()) for b in best)  # type: ignore[return-value]


def _before(u: _Unit, i: int, v: _Unit, j: int, tally: _Tally) -> bool:
    """Of two units as like a clause, ``u`` (unit i) comes first: earlier in the text, or at the same
    start (a sentence and the run it opens) met first among the clause's postings."""
    if u.start != v.start:
        return u.start < v.start
    met = list(tally.shared)
    return met.index(i) < met.index(j)


_CLAUSE = re.compile(r"[,;:。!?、]")
_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}是|\(?[一二三四五六七八九十\d]{1,3}\)?[、.]?)")


def clauses(text: str) -> list[tuple[str, str]]:
    """An item's clauses (its number left out), folded and as written; the short ones say too
    little to count."""
    pairs = ((textsim.fold(c), textsim.plain(c)) for c in _CLAUSE.split(_MARKER.sub("", text)))
    return [p for p in pairs if len(p[0]) >= MIN_CLAUSE][:MAX_CLAUSES]


def _score(bests: list[_Best], tallies: list[_Tally], words: _Words) -> _Best:
    """The mean of the two best clause matches (one phrase in common is not enough), with the
    sentence that matched the best clause as evidence, and the words the two have in common."""
    scored = sorted(zip(bests, tallies), key=lambda bt: bt[0].score, reverse=True)
    if not scored:
        return _NONE
    shared = tuple(dict.fromkeys(w for b, t in scored[:2] if b.unit is not None for w in words(t.written, b.unit)))
    first, second = scored[0][0].unit, scored[1][0].unit if len(scored) > 1 else None
    if first is not None and second is not None and (second.start < first.end and first.start < second.end):
        second = None  # the same sentence (or overlapping windows): quoted once
    return _Best(textsim.top([b.score for b, _ in scored], 2), first, shared, second)


class _Words:
    """The words a clause as written and a unit have in common (the unit's plain bigrams made once)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.plain: dict[tuple[int, int], frozenset[str]] = {}

    def __call__(self, written: str, unit: _Unit) -> list[str]:
        span = (unit.start, unit.end)
        if span not in self.plain:
            self.plain[span] = textsim.bigrams(textsim.plain(self.text[unit.start : unit.end]))
        return textsim.shared_words(written, self.plain[span])


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
    grams = [[textsim.bigrams(k) for k, _ in ks] for ks in keyed]
    index = _index(units, [g for gs in grams for g in gs])
    words = _Words(this.text)
    verdicts = []
    for item, clauses_of, grams_of in zip(items, keyed, grams, strict=True):
        tallies = [_tally(k, w, g, index) for (k, w), g in zip(clauses_of, grams_of, strict=True)]
        bests = [_bests(t, index) for t in tallies]  # both groups of kinds at once
        plan = located(last, item.start, item.end)
        done = _score([b[0] for b in bests], tallies, words)
        again = _score([b[1] for b in bests], tallies, words)
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
