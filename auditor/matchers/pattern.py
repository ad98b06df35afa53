"""``type: regex`` — regular expressions on the normalised text.

Patterns run on the `regex` engine with a time budget per search, so a pathological
pattern in a rule file cannot hang an audit: it turns that rule into an ``error``.
Write patterns against normalised text: half-width punctuation ``(`` ``,`` ``:``,
``-`` for every dash, ``"`` for Chinese quotes; ``。`` stays.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from auditor.matchers.base import REGEX_TIMEOUT, Context, Hit, Leaf, Outcome, compile_regex

_LITERAL_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


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
        raw = []
        for p in self.patterns:
            key = ("regex", p)
            if key not in ctx.cache:
                ctx.cache[key] = [
                    m.span() for m in compile_regex(p).finditer(text, timeout=REGEX_TIMEOUT) if m.end() > m.start()
                ]
            raw.extend(Hit(s, e, label=p) for s, e in ctx.cache[key])
        return self.outcome(*self.filter_hits(ctx, raw))

    def describe(self) -> str:
        return "正则：" + " | ".join(self.patterns)

    def literals(self) -> list[str]:
        """The longest Chinese run of each alternative, as a stand-in phrase for near misses."""
        out = []
        for p in self.patterns:
            for alt in p.split("|"):
                runs = _LITERAL_RUN.findall(alt)
                if runs:
                    out.append(max(runs, key=len))
        return out
