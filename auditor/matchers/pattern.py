"""``type: regex`` — regular expressions on the normalised text.

Patterns run on the `regex` engine with a time budget per search, so a pathological
pattern in a rule file cannot hang an audit: it turns that rule into an ``error``.
Write patterns against normalised text: half-width punctuation ``(`` ``,`` ``:``,
``-`` for every dash, ``"`` for Chinese quotes; ``。`` stays.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from auditor.matchers.anchors import anchors, candidate_starts, split_alternatives
from auditor.matchers.base import REGEX_TIMEOUT, Context, Hit, Leaf, Outcome, compile_regex

if TYPE_CHECKING:
    from auditor.matchers.phrase_index import PhraseIndex

_PLAIN = re.compile(r"[\u3400-\u9fff]{3,}")


MAX_ANCHORED = 40  # above this many candidate starts, a full finditer scan is faster


def find_spans(pattern: str, text: str, index: PhraseIndex | None = None) -> list[tuple[int, int]]:
    """Spans of ``finditer(pattern)`` (non-empty), tried only where the pattern can start.

    With ``index`` (the report's Aho-Corasick pass, which includes every pattern's anchors)
    the candidate starts are looked up instead of searched for.
    """
    compiled = compile_regex(pattern)
    literals = anchors(pattern)
    positions: list[int] | None = None
    if literals is not None:
        if index is not None:
            found = {i for lit in literals for i in index.find(lit, text)}
            positions = sorted(found) if len(found) <= MAX_ANCHORED else None
        elif sum(text.count(lit) for lit in literals) <= MAX_ANCHORED:
            positions = candidate_starts(text, literals)
    if positions is None:  # no anchors, or frequent ones: one scan is cheaper
        return [m.span() for m in compiled.finditer(text, timeout=REGEX_TIMEOUT) if m.end() > m.start()]
    out: list[tuple[int, int]] = []
    last = 0
    deadline = time.monotonic() + REGEX_TIMEOUT  # one budget for the whole scan, as with finditer
    for pos in positions:
        if pos < last:
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"regex {pattern!r} exceeded its time budget")
        m = compiled.match(text, pos, timeout=remaining)
        if m is not None and m.end() > m.start():
            out.append(m.span())
            last = m.end()
    return out


class RegexSpec(Leaf):
    type: Literal["regex"]
    patterns: list[str] = Field(..., min_length=1, description="any of these regular expressions")

    @field_validator("patterns")
    @classmethod
    def _compile(cls, v: list[str]) -> list[str]:
        for p in v:
            if compile_regex(p).search(""):
                raise ValueError(f"regex {p!r} matches the empty string")
        return v

    def evaluate(self, ctx: Context) -> Outcome:
        text = ctx.doc.text
        raw: list[Hit] = []
        for p in self.patterns:
            key = ("regex", p)
            if key not in ctx.cache:
                ctx.cache[key] = find_spans(p, text, ctx.index)
            raw.extend(Hit(s, e, label=p) for s, e in ctx.cache[key])
        return self.outcome(*self.filter_hits(ctx, raw))

    def describe(self) -> str:
        return "正则：" + " | ".join(self.patterns)

    def literals(self) -> list[str]:
        """Alternatives that are plain Chinese phrases (e.g. 出庭应诉 in ``出庭应诉|出庭率``), for near misses."""
        return [alt for p in self.patterns for alt in split_alternatives(p) or [p] if _PLAIN.fullmatch(alt)]

