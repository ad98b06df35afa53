"""The only module that imports spaCy: a blank Chinese pipeline and token matching."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def blank_zh() -> Any:
    import spacy

    return spacy.blank("zh")


def validate_token_patterns(patterns: list[list[dict[str, Any]]]) -> None:
    """Raise ValueError when spaCy would reject a pattern."""
    from spacy.matcher import Matcher

    matcher = Matcher(blank_zh().vocab, validate=True)
    for i, pattern in enumerate(patterns):
        if not pattern:
            raise ValueError(f"token pattern {i} is empty")
        try:
            matcher.add(f"P{i}", [pattern])
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError subclasses
            raise ValueError(f"token pattern {i} is invalid: {str(exc).splitlines()[0]}") from exc


def tokenize(text: str) -> Any:
    """The spaCy Doc of a text (callers keep it per report: it is the costly part)."""
    return blank_zh().make_doc(text)


def match_tokens(doc: Any, patterns: list[list[dict[str, Any]]]) -> list[tuple[int, int]]:
    """Character spans of every match of ``patterns`` in a Doc made by :func:`tokenize`."""
    from spacy.matcher import Matcher

    nlp = blank_zh()
    matcher = Matcher(nlp.vocab)
    for i, pattern in enumerate(patterns):
        matcher.add(f"P{i}", [pattern])
    spans = []
    for _, start, end in matcher(doc):
        span = doc[start:end]
        spans.append((span.start_char, span.end_char))
    return spans
