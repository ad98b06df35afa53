"""``type: near`` — proximity: every child matches within N characters, or in one sentence/paragraph."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import chain
from typing import TYPE_CHECKING, Literal, cast

from pydantic import Field

from auditor.matchers.base import Context, Hit, Outcome, Spec, remember
from auditor.matchers.pattern import RegexSpec
from auditor.vocabulary import Status

if TYPE_CHECKING:
    MatchSpec = Spec  # any match expression: the union is in matchers/registry.py, which binds the name


class NearSpec(Spec):
    type: Literal["near"]
    of: list[MatchSpec] = Field(..., min_length=2)
    within: int | Literal["sentence", "paragraph"] = Field(
        "sentence", description="a number of characters, or the same sentence / paragraph"
    )
    min_hits: int = Field(1, ge=1, description="how many distinct places (sentences, windows) are needed")
    min_sentences: int = Field(
        0, ge=0, description="with within: paragraph, only paragraphs of at least this many sentences count"
    )

    def children(self) -> list[Spec]:
        return list(self.of)

    def evaluate(self, ctx: Context) -> Outcome:
        if ctx.lean is not None and all(isinstance(c, RegexSpec) and len(c.patterns) == 1 for c in self.of):
            met = self._met_lean(ctx)
            if met is not None:
                ctx.lean.trimmed = True
                return met
        outs = [c.evaluate(ctx.within(c.scope)) for c in self.of]
        groups = [[h for h in o.hits if not h.review] for o in outs]
        seen = tuple(chain.from_iterable(o.candidates for o in outs))
        if not all(groups):
            return Outcome(
                Status.gap,
                missing=tuple(c.display_name() for c, g in zip(self.of, groups, strict=True) if not g),
                candidates=seen,
            )
        places = self._places(ctx, groups)
        status: Status = Status.met if len(places) >= self.min_hits else Status.gap
        values: dict[str, float] = {}
        for o in outs:
            for k, v in o.values.items():
                values.setdefault(k, v)
        return Outcome(status, tuple(places) if places else (), values, candidates=seen)

    def _met_lean(self, ctx: Context) -> Outcome | None:
        """The outcome of ``evaluate`` when it is ``met``, without the candidates; None when it
        is not met (then it is evaluated in full). Every child is a regex of one pattern: the
        child with the fewest spans (for ``within: N``, the first child) is evaluated, and the
        others' hits are filtered only where they could count (``RegexSpec.kept_among``): in
        its hits' sentences or paragraphs, or within reach of its hits. The rest of a broad
        child's hits (often dozens) would only have become candidates."""
        ctxs = [ctx.within(c.scope) for c in self.of]
        specs = [cast(RegexSpec, c) for c in self.of]
        spans = [c.spans(cc) for c, cc in zip(specs, ctxs, strict=True)]
        # variants of a rule (same patterns, same filters) share the answer
        children = tuple(c.filtered_key(cc) for c, cc in zip(specs, ctxs, strict=True))
        key = ("near lean", self.within, self.min_hits, self.min_sentences, children)
        return remember(ctx.cache, key, self._lean_places, ctx, ctxs, specs, spans)

    def _lean_places(
        self, ctx: Context, ctxs: list[Context], specs: list[RegexSpec], spans: list[list[tuple[int, int]]]
    ) -> Outcome | None:
        if isinstance(self.within, int):
            anchors = specs[0].evaluate(ctxs[0]).hits  # windows are measured from the first child's hits
            if not anchors:
                return None
            reach = self.within
            groups = [list(anchors)] + [
                c.kept_among(cc, _reachable(ss, anchors, reach))
                for c, cc, ss in zip(specs[1:], ctxs[1:], spans[1:], strict=True)
            ]
            places = self._windows(groups, reach) if all(groups) else []
        else:
            unit = ctx.doc.sentence_at if self.within == "sentence" else ctx.doc.paragraph_at
            rare = min(range(len(specs)), key=lambda i: len(spans[i]))
            hits = specs[rare].evaluate(ctxs[rare]).hits
            common = {u for u in map(unit, (h.start for h in hits)) if u is not None}
            for i, (c, cc, ss) in enumerate(zip(specs, ctxs, spans, strict=True)):
                if i != rare and common:
                    kept = c.kept_among(cc, _starting_in(ss, common))
                    common = {u for u in map(unit, (h.start for h in kept)) if u in common}
            places = self._in_units(ctx, common)
        if len(places) < self.min_hits:
            return None
        return Outcome(Status.met, tuple(places))

    def _places(self, ctx: Context, groups: list[list[Hit]]) -> list[Hit]:
        if isinstance(self.within, int):
            return self._windows(groups, self.within)
        unit = ctx.doc.sentence_at if self.within == "sentence" else ctx.doc.paragraph_at
        # the units of the smallest group, kept when every other group has a hit in them too
        smallest = min(groups, key=len)
        common = {u for u in map(unit, (h.start for h in smallest)) if u is not None}
        for g in groups:
            if g is not smallest and common:
                common = _units_with_a_hit(common, sorted(h.start for h in g), unit)
        return self._in_units(ctx, common)

    def _in_units(self, ctx: Context, common: set[tuple[int, int]]) -> list[Hit]:
        """The places: the common units (with ``min_sentences``, those long enough), in order."""
        if self.min_sentences:
            starts = ctx.doc.sentence_starts
            common = {
                (s, e)
                for s, e in common
                if bisect.bisect_left(starts, e) - bisect.bisect_left(starts, s) >= self.min_sentences
            }
        return [Hit(s, e, label=str(self.within)) for s, e in sorted(common)]

    @staticmethod
    def _windows(groups: list[list[Hit]], distance: int) -> list[Hit]:
        out: list[Hit] = []
        for anchor in groups[0]:
            span = [anchor.start, anchor.end]
            ok = True
            for g in groups[1:]:
                close = [h for h in g if h.start - anchor.end <= distance and anchor.start - h.end <= distance]
                if not close:
                    ok = False
                    break
                h = min(close, key=lambda h: abs(h.start - anchor.start))
                span = [min(span[0], h.start), max(span[1], h.end)]
            if ok and (not out or span[0] >= out[-1].end):
                out.append(Hit(span[0], span[1], label="near"))
        return out

    def describe(self) -> str:
        where = {"sentence": "同一句内", "paragraph": "同一段内"}.get(str(self.within), f"{self.within}字以内")
        if self.min_sentences:
            where += f"（段落至少{self.min_sentences}句）"
        return f"{where}同时出现（" + "；".join(c.describe() for c in self.of) + "）"


def _units_with_a_hit(
    units: set[tuple[int, int]], starts: list[int], unit: Callable[[int], tuple[int, int] | None]
) -> set[tuple[int, int]]:
    """The units (sentences or paragraphs) in which a hit starting at one of ``starts`` (ascending)
    lies: a hit's unit contains its start, so only the hits starting inside each unit are looked at."""
    kept = set()
    for s, e in units:
        k = bisect.bisect_left(starts, s)
        while k < len(starts) and starts[k] < e:
            if unit(starts[k]) == (s, e):
                kept.add((s, e))
                break
            k += 1
    return kept


def _starting_in(spans: list[tuple[int, int]], units: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (ascending) that start inside one of ``units``."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(units):
        k = bisect.bisect_left(spans, (s, -1))
        while k < len(spans) and spans[k][0] < e:
            out.append(spans[k])
            k += 1
    return out


def _reachable(spans: list[tuple[int, int]], anchors: tuple[Hit, ...], distance: int) -> list[tuple[int, int]]:
    """The spans (ascending, not overlapping: their ends ascend too) that ``_windows`` could
    find close to one of ``anchors``: starting at most ``distance`` after its end and ending
    at most ``distance`` before its start."""
    picked: set[tuple[int, int]] = set()
    for a in anchors:
        k = bisect.bisect_left(spans, (a.start - distance, -1))
        while k > 0 and spans[k - 1][1] >= a.start - distance:
            k -= 1
        while k < len(spans) and spans[k][0] <= a.end + distance:
            if spans[k][1] >= a.start - distance:
                picked.add(spans[k])
            k += 1
    return sorted(picked)
