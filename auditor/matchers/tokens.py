"""``type: tokens`` — spaCy token patterns on ``spacy.blank("zh")`` (offline, lazy).

Each pattern is a spaCy Matcher pattern (a list of token dicts such as
``{"TEXT": "亲"}``, ``{"LIKE_NUM": true}``, ``{"TEXT": {"IN": ["次", "件"]}}``). The
blank Chinese pipeline splits into characters, so patterns are character-level.
spaCy is imported only when a rule uses this type.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from auditor.matchers.base import Context, Hit, Leaf, Outcome, remember


class TokensSpec(Leaf):
    type: Literal["tokens"]
    patterns: list[list[dict[str, Any]]] = Field(..., min_length=1, description="spaCy Matcher patterns")

    @field_validator("patterns")
    @classmethod
    def _validate(cls, v: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        from auditor.nlp import validate_token_patterns

        validate_token_patterns(v)
        return v

    def evaluate(self, ctx: Context) -> Outcome:
        from auditor.nlp import match_tokens, tokenize

        tokens = remember(ctx.cache, ("tokens", "body"), tokenize, ctx.doc.text)
        raw = [Hit(s, e, label="tokens") for s, e in match_tokens(tokens, self.patterns)]
        return self.outcome(*self.filter_hits(ctx, raw))

    def describe(self) -> str:
        return f"词元模式 {len(self.patterns)} 条"
