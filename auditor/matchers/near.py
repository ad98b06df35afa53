"""``type: near`` — proximity: every child matches within N characters, or in one sentence/paragraph."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import chain
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from auditor.matchers.base import Context, Hit, Outcome, Spec
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
        if self.min_sentences:
            starts = ctx.doc.sentence_starts
            common = {
                (s, e)
                for s, e in common
                if bisect.bisect_left(starts, e) - bisect.bisect_left(starts, s) >= self.min_sentences
            }
        return [Hit(s, e, label=self.within) for s, e in sorted(common)]

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
