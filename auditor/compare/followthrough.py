"""Follow-through: was each of last year's plan items carried out this year?

Each item is cut into clauses (at ，；：。), and each clause, in folded text (``textsim``), is
compared with every sentence (and pair of sentences) of this year's report: the weighted share
of its bigrams found there (content-word overlap), raised towards rapidfuzz's partial alignment
of the two. An item's score in a part is the mean of its two best clauses there, so one phrase
in common is not enough, and an item whose title is a slogan is found by what it names.

- ``done``: the item's score in the measures part is at least ``DONE`` (``needs_review`` when
  the matching sentence says it was held back: 暂缓, 尚未, 不再 …);
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
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
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
REVIEW = 0.3  # the measures part's grey zone: below DONE, from here on, a person decides
#: words saying a thing was not (fully) done: the matching sentence then only says it was mentioned
_HELD_BACK = re.compile(r"暂缓|推迟|延期|尚未|仍未|未能|没有完成|未完成|未按期|不再|取消|搁置|停止实施")
MIN_CLAUSE = 5  # folded characters
MAX_CLAUSES = 24
WINDOW = 2  # sentences a unit of this year's text may span (``_units`` joins two)
ALIGN_FROM = 0.2
_MARGIN = 1e-6  # below an alignment that would matter by more than float rounding


class _Unit(NamedTuple):
    start: int
    end: int
    kind: str | None
    folded: str
    grams: frozenset[str]  # those of the clauses' bigrams it has


_GROUPS = {"measures": 0, "plans": 1, "shortcomings": 1}  # the kinds a verdict reads together: done, again


class _Best(NamedTuple):  # named tuples: one made per clause, made fast
    score: float
    unit: _Unit | None
    shared: tuple[str, ...]
    also: _Unit | None = None  # the unit of the second-best clause, when it is another sentence


_NONE = _Best(0.0, None, ())


def located(doc: Document, start: int, end: int) -> Located:
    span = doc.evidence(start, end)
    return Located(span.text, span.start, span.end, span.line, span.section)


def _units(doc: Document, regions: Regions, among: frozenset[str]) -> list[_Unit]:
    """Every sentence of the body, and every run of ``WINDOW`` (two) sentences of one paragraph and
    kind, with their bigrams ``among`` (the clauses'). The sentences are folded once, together: a
    run's folded text is its two sentences' joined where the text between folds apart
    (:func:`textsim.apart`), its bigrams theirs and the one across; the other runs are folded
    whole, together too."""
    out = []
    b0, b1 = doc.body
    text = doc.text
    sentences = [(s, e, regions.kind_at(s), doc.paragraph_at(s)) for s, e in doc.sentences if b0 <= s < b1]
    folded = textsim.fold_all([text[s:e] for s, e, _, _ in sentences])
    grams = [textsim.bigrams_among(f, among) for f in folded]
    runs = [  # each sentence that opens a run: whether the run folds apart
        (i, textsim.apart(text, sentences[i][1], sentences[i + 1][0]))
        for i in range(len(sentences) - 1)
        if sentences[i + 1][2:] == sentences[i][2:]
    ]
    whole = iter(textsim.fold_all([text[sentences[i][0] : sentences[i + 1][1]] for i, apart in runs if not apart]))
    opened = dict(runs)
    for i, (s, e, kind, _) in enumerate(sentences):
        f = folded[i]
        if len(f) >= 4:
            out.append(_Unit(s, e, kind, f, grams[i]))
        if i not in opened:
            continue
        e2 = sentences[i + 1][1]
        if opened[i]:
            f2 = folded[i + 1]
            run = f + f2
            if len(run) >= 4:
                across = (f[-1] + f2[0],) if f and f2 and f[-1] + f2[0] in among else ()
                out.append(_Unit(s, e2, kind, run, grams[i].union(grams[i + 1], across)))
        else:
            run = next(whole)
            if len(run) >= 4:
                out.append(_Unit(s, e2, kind, run, textsim.bigrams_among(run, among)))
    return out


class _Postings(dict[int, dict[str, list[int]]]):
    """Per group of kinds: clause bigram -> the units of the group that have it, in order. A group's
    are made on first use (the plans and shortcomings are read only for an item not done)."""

    def __init__(self, units: list[_Unit]) -> None:
        super().__init__()
        self.units = units

    def __missing__(self, group: int) -> dict[str, list[int]]:
        of_group: defaultdict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(self.units):
            if _GROUPS.get(u.kind or "", -1) == group:
                for b in u.grams:
                    of_group[b].append(i)
        made = self[group] = dict(of_group)
        return made


@dataclass(frozen=True)
class _Index:
    """This year's units and, for each bigram of the clauses, the units of each group of kinds that
    have it (so a clause is scored against the units it shares a bigram with, in one pass over
    their postings); a clause bigram's weight is its rarity among the units and the clauses (``n``
    in all). Only the clauses' bigrams are indexed and weighed: a clause is scored through those alone."""

    units: list[_Unit]
    postings: _Postings
    n: int
    idf: dict[str, float]  # the weight of each clause bigram

    def weight(self, bigram: str) -> float:
        return self.idf[bigram]


def _index(units: list[_Unit], extra: list[frozenset[str]]) -> _Index:
    """``extra``: the bigrams of each clause, counted with the units (a bigram every clause has weighs
    little); the units have only bigrams of the clauses. Counted in C (``Counter``): each unit and
    clause has a bigram once. A weight depends on the count alone: one logarithm per count (a few
    dozen), not per bigram (hundreds)."""
    counts = Counter(itertools.chain.from_iterable(u.grams for u in units))
    counts.update(itertools.chain.from_iterable(extra))
    n = len(units) + len(extra)
    weight = {c: textsim.rarity(c, n) for c in set(counts.values())}
    idf = dict(zip(counts, map(weight.__getitem__, counts.values()), strict=True))
    return _Index(units, _Postings(units), n, idf)


class _Clause(NamedTuple):
    key: str  # folded
    written: str  # plain
    weights: dict[str, float]  # of its bigrams, in their order
    total: float


def _clause(key: str, written: str, grams: frozenset[str], index: _Index) -> _Clause:
    weights = {b: index.idf[b] for b in grams}
    return _Clause(key, written, weights, sum(weights.values()))


class _Tally(NamedTuple):
    """A clause against this year's units of a group of kinds: what each unit that shares a
    bigram with the clause has of its weights."""

    key: str  # folded
    written: str  # plain
    total: float  # the clause's weights in all
    shared: dict[int, float]  # unit -> the weights of the bigrams it shares, in the order met


def _tally(clause: _Clause, index: _Index, group: int) -> _Tally:
    """A plain dict and its bound ``get``: a ``defaultdict``'s ``+=`` costs ≈ 35 % more a step."""
    acc: dict[int, float] = {}
    get = acc.get
    postings = index.postings[group]
    for b, w in clause.weights.items():
        for i in postings.get(b, ()):
            acc[i] = get(i, 0.0) + w
    return _Tally(clause.key, clause.written, clause.total, acc)


def _reach(share: float, align: bool) -> float:
    """The highest score a unit with this share of a clause may have (a perfect alignment)."""
    return max(share, (share + 1.0) / 2) if align and share >= ALIGN_FROM else share


def _ceiling(tally: _Tally) -> float:
    """No unit scores above this against the clause (the score of none: 0)."""
    if tally.total <= 0 or not tally.key or not tally.shared:
        return 0.0
    return _reach(max(tally.shared.values()) / tally.total, len(tally.key) >= 6)


def _best(tally: _Tally, index: _Index) -> _Best:
    """The unit most like the clause (of those of the tally's group of kinds): the weighted share of the
    clause's bigrams it has (content-word overlap), raised towards rapidfuzz's partial alignment
    once that share is at least ``ALIGN_FROM``; of equal scores the first in the text, then the
    first met. The units are tried by share, largest first, until even a perfect alignment could
    not reach the best."""
    key, total = tally.key, tally.total
    if total <= 0 or not key:
        return _NONE
    align = len(key) >= 6
    best: tuple[float, _Unit, int] | None = None  # score, unit, index
    for i, shared in sorted(tally.shared.items(), key=itemgetter(1), reverse=True):
        score = shared / total
        if best is not None and _reach(score, align) < best[0]:
            break  # the shares only fall from here
        u = index.units[i]
        if score >= ALIGN_FROM and align:
            # the alignment matters from where it would raise the score (or reach the best): below
            # that, rapidfuzz may give up early and say 0, which leaves the score as it would be
            floor = score if best is None or score >= best[0] else 2 * best[0] - score
            ratio = fuzz.partial_ratio(key, u.folded, score_cutoff=max(0.0, floor * 100 - _MARGIN))
            score = max(score, (score + ratio / 100.0) / 2)
        if best is None or score > best[0] or (score == best[0] and _before(u, i, best[1], best[2], tally)):
            best = (score, u, i)
    return _NONE if best is None else _Best(best[0], best[1], ())


def _before(u: _Unit, i: int, v: _Unit, j: int, tally: _Tally) -> bool:
    """Of two units as like a clause, ``u`` (unit i) comes first: earlier in the text, or at the same
    start (a sentence and the run it opens) met first among the clause's postings."""
    if u.start != v.start:
        return u.start < v.start
    met = list(tally.shared)
    return met.index(i) < met.index(j)


_CLAUSE = re.compile(r"[,;:。!?、]")
_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}是|\(?[一二三四五六七八九十\d]{1,3}\)?[、.]?)")


def clauses(texts: list[str]) -> list[list[tuple[str, str]]]:
    """Each item's clauses (its number left out), folded and as written; the short ones say too
    little to count. The clauses of all items are folded together, and made plain together."""
    split = [_CLAUSE.split(_MARKER.sub("", text)) for text in texts]
    every = [c for cs in split for c in cs]
    pairs = iter(zip(textsim.fold_all(every), textsim.plain_all(every), strict=True))
    return [[p for p in itertools.islice(pairs, len(cs)) if len(p[0]) >= MIN_CLAUSE][:MAX_CLAUSES] for cs in split]


def _score(clauses_of: list[_Clause], index: _Index, group: int, words: _Words) -> _Best:
    """The mean of the two best clause matches in the group of kinds (one phrase in common is not
    enough), with the sentence that matched the best clause as evidence, and the words the two
    have in common. Clauses are matched in the order of their ceilings, highest first, until none
    left could reach the two best (of equal scores, the first clause ranks first)."""
    if not clauses_of:
        return _NONE
    tallies = [_tally(c, index, group) for c in clauses_of]
    ceilings = list(map(_ceiling, tallies))
    scored: list[tuple[_Best, int]] = []  # the clauses matched, best first
    for k in sorted(range(len(tallies)), key=ceilings.__getitem__, reverse=True):
        if len(scored) >= 2 and ceilings[k] < scored[1][0].score:
            break
        scored.append((_best(tallies[k], index), k))
        scored.sort(key=lambda bk: (-bk[0].score, bk[1]))
    top = scored[:2]
    shared = tuple(dict.fromkeys(w for b, k in top if b.unit is not None for w in words(tallies[k].written, b.unit)))
    first, second = top[0][0].unit, top[1][0].unit if len(top) > 1 else None
    if first is not None and second is not None and (second.start < first.end and first.start < second.end):
        second = None  # the same sentence (or overlapping windows): quoted once
    return _Best(textsim.top([b.score for b, _ in top], 2), first, shared, second)


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
    keyed = clauses([last.text[it.start : it.end] for it in items])
    grams = [[textsim.bigrams(k) for k, _ in ks] for ks in keyed]
    extra = [g for gs in grams for g in gs]
    index = _index(_units(this, regions, frozenset().union(*extra)), extra)
    words = _Words(this.text)
    verdicts = []
    for item, clauses_of, grams_of in zip(items, keyed, grams, strict=True):
        weighed = [_clause(k, w, g, index) for (k, w), g in zip(clauses_of, grams_of, strict=True)]
        plan = located(last, item.start, item.end)
        done = _score(weighed, index, _GROUPS["measures"], words)
        # the plans and shortcomings are read only for an item not done
        again = (
            None if done.score >= DONE and done.unit is not None else _score(weighed, index, _GROUPS["plans"], words)
        )
        if again is None:
            ev = _evidence(this, done)
            reason = (
                f"本年度报告的工作举措中有相应内容（相似度 {done.score:.2f}，共同词语：{_words(done.shared)}），"
                f"见{_lines(ev)}"
            )
            held = next((m.group() for e in ev if (m := _HELD_BACK.search(e.text))), None)
            if held is None:
                verdicts.append(ItemVerdict(plan, "done", ev, reason, round(done.score, 2)))
            else:  # 平台建设暂缓 / 尚未上线 / 不再单独委托: mentioned, but said to be held back
                reason += f"，但该处写明“{held}”，是否已落实请人工核对"
                verdicts.append(ItemVerdict(plan, "needs_review", ev, reason, round(done.score, 2)))
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


def unaccused(ft: FollowThrough, doubt: str) -> FollowThrough:
    """``ft`` with every ``missing`` a ``needs_review`` that says why: when the pair itself is in
    doubt (an inferred year or unit, years not consecutive, units or report types that differ), a
    plan not found in this report may have been reported elsewhere, so it is not called missing."""
    if not doubt or not any(i.status == "missing" for i in ft.items):
        return ft
    items = [
        replace(i, status="needs_review", reason=f"{i.reason}。但{doubt}，不作未提及认定，请人工核对")
        if i.status == "missing"
        else i
        for i in ft.items
    ]
    return replace(ft, items=items)
