"""``type: phrases`` — any of a list of exact phrases, normalised for width and spaces."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from auditor.document.normalize import normalize_phrase
from auditor.matchers.base import AuthoringIssue, Context, Hit, Leaf, Outcome


class PhrasesSpec(Leaf):
    type: Literal["phrases"]
    phrases: list[str] = Field(..., min_length=1, description="any of these phrases (exact, after normalisation)")

    @field_validator("phrases")
    @classmethod
    def _non_empty(cls, v: list[str]) -> list[str]:
        if any(not normalize_phrase(p) for p in v):
            raise ValueError("短语规范化后为空")
        return v

    def normalised(self) -> list[str]:
        return [normalize_phrase(p) for p in self.phrases]

    def evaluate(self, ctx: Context) -> Outcome:
        text = ctx.doc.text
        raw = [Hit(start, start + len(p), label=p) for p in self.normalised() for start in ctx.index.find(p, text)]
        return self.outcome(*self.filter_hits(ctx, raw))

    def describe(self) -> str:
        return "短语：" + "、".join(self.phrases)

    def literals(self) -> list[str]:
        return self.normalised()

    def indexed_phrases(self) -> list[str]:
        return self.literals()

    def exclude_targets(self) -> list[str] | None:
        return list(self.phrases)

    def lint(self) -> list[AuthoringIssue]:
        return phrase_issues(self.phrases)


def phrase_issues(phrases: list[str]) -> list[AuthoringIssue]:
    """A phrase that normalisation changes still matches, but as its normalised form."""
    out: list[AuthoringIssue] = []
    for p in phrases:
        n = normalize_phrase(p)
        if n != p:
            out.append(
                (
                    "warning",
                    f"phrase {p!r} is matched as {n!r} after normalisation",
                    "write it normalised to avoid surprises",
                )
            )
    return out
