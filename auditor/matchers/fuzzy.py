"""``type: fuzzy`` — approximate phrases (RapidFuzz), scored on candidate sentences only.

A sentence is a candidate when it shares at least half of the phrase's character
bigrams; ``partial_ratio_alignment`` then gives the score and the aligned span. A score
≥ ``threshold`` is a hit; between ``review_threshold`` and ``threshold`` it is a grey-zone
hit that yields ``needs_review``.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

from pydantic import Field, model_validator

from auditor.document.normalize import normalize_phrase
from auditor.matchers.base import AuthoringIssue, Candidate, Context, Hit, Leaf, Outcome, remember
from auditor.matchers.phrases import phrase_issues
from auditor.vocabulary import Verdict

#: a near miss's candidate sentences share at least this part of a phrase's bigrams
NEAR_SHARE = 0.34


def bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def candidate_sentences(ctx: Context, phrase: str, min_share: float = 0.5) -> list[tuple[int, int]]:
    """Sentences sharing at least ``min_share`` of the phrase's character bigrams.

    Each bigram's occurrences are found with ``str.find`` and mapped to their sentence, so
    the cost follows the occurrences, not the number of sentences. Remembered per report.
    """
    return remember(ctx.cache, ("candidate sentences", phrase, min_share), _candidate_sentences, ctx, phrase, min_share)


def _candidate_sentences(ctx: Context, phrase: str, min_share: float) -> list[tuple[int, int]]:
    sentences = ctx.doc.sentences
    return [sentences[k] for k in _indexes(_candidate_mask(ctx, _held(ctx), phrase, min_share))]


def _held(ctx: Context) -> dict[str, int]:
    """Which sentences hold a bigram (a bit set per bigram), remembered per report: phrases share bigrams."""
    held: dict[str, int] = remember(ctx.cache, "bigram sentences", dict)
    return held


def _candidate_mask(ctx: Context, held: dict[str, int], phrase: str, min_share: float) -> int:
    """The candidate sentences of ``phrase`` as a bit set (bit k: sentence k)."""
    grams, need = _grams(phrase, min_share)
    if need == 1:  # (most phrases) a sentence holding any of the bigrams
        found = 0
        for g in grams:
            mask = held.get(g)
            found |= _holding(ctx, g, held) if mask is None else mask
        return found
    # at_least[j]: the sentences holding at least j of the bigrams seen so far (-1: every sentence)
    at_least = [-1] + [0] * need
    for g in grams:
        mask = held.get(g)
        if mask is None:
            mask = _holding(ctx, g, held)
        for j in range(need, 0, -1):
            at_least[j] |= at_least[j - 1] & mask
    return at_least[need]


def _indexes(mask: int) -> Iterator[int]:
    """The bits set in ``mask``, ascending."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


@functools.lru_cache(maxsize=4096)
def _grams(phrase: str, min_share: float) -> tuple[tuple[str, ...], int]:
    """The phrase's bigrams, and how many of them a candidate sentence must hold (once per phrase)."""
    grams = bigrams(phrase)
    return tuple(grams), max(1, int(len(grams) * min_share))


def _holding(ctx: Context, gram: str, held: dict[str, int]) -> int:
    """The sentences that hold ``gram`` whole, as a bit set (its occurrences from the report's
    phrase index when it holds the bigram, else searched), remembered in ``held``.

    Most bigrams a near miss asks about are absent, and most of those hold a character the text
    lacks: a search for each character (≈ 5× faster than one for the bigram) settles them first."""
    text = ctx.doc.text
    index = ctx.index
    if gram not in index.phrases:
        for c in gram:
            if c not in text:
                held[gram] = 0
                return 0
    sentences = ctx.doc.sentences
    starts = ctx.doc.sentence_starts
    bisect_right = bisect.bisect_right
    size = len(gram)
    mask = 0
    for i in index.find(gram, text):
        k = bisect_right(starts, i) - 1
        if k >= 0 and i + size <= sentences[k][1]:
            mask |= 1 << k
    held[gram] = mask
    return mask


def best_alignment(phrase: str, text: str, start: int, end: int) -> tuple[float, int, int]:
    return _aligned(phrase, text, start, end, 0.0) or (0.0, start, start)


def _aligned(phrase: str, text: str, start: int, end: int, cutoff: float) -> tuple[float, int, int] | None:
    """(score, start, end) of ``phrase``'s best alignment in ``text[start:end]``; None below ``cutoff``."""
    al = _aligner()(phrase, text[start:end], score_cutoff=cutoff)
    return None if al is None else (al.score, start + al.dest_start, start + al.dest_end)


@functools.cache
def _aligner() -> Callable[..., Any]:
    """RapidFuzz's ``partial_ratio_alignment``, imported on first use (a function-level import
    costs ≈ 2 µs a call, and near misses align a few dozen sentences per report)."""
    from rapidfuzz import fuzz

    aligner: Callable[..., Any] = fuzz.partial_ratio_alignment
    return aligner


class FuzzySpec(Leaf):
    type: Literal["fuzzy"]
    phrases: list[str] = Field(..., min_length=1)
    threshold: float = Field(85, ge=0, le=100, description="score (0–100) for a hit")
    review_threshold: float | None = Field(
        None, ge=0, le=100, description="score from which a weaker match yields needs_review"
    )

    @model_validator(mode="after")
    def _order(self) -> FuzzySpec:
        if self.review_threshold is not None and self.review_threshold > self.threshold:
            raise ValueError("review_threshold 不能大于 threshold")
        return self

    def literals(self) -> list[str]:
        return [normalize_phrase(p) for p in self.phrases]

    def evaluate(self, ctx: Context) -> Outcome:
        floor = self.review_threshold if self.review_threshold is not None else self.threshold
        raw: list[Hit] = []
        below: list[Candidate] = []
        for phrase in self.literals():
            for start, end in candidate_sentences(ctx, phrase):
                score, s, e = best_alignment(phrase, ctx.doc.text, start, end)
                if score >= floor:
                    raw.append(Hit(s, e, score, phrase, review=score < self.threshold))
                else:
                    below.append(Candidate(s, e, score, Verdict.below_threshold))
        hits, seen = self.filter_hits(ctx, raw)
        result = self.outcome(hits, seen + below)
        return result

    def exclude_targets(self) -> list[str] | None:
        return list(self.phrases)

    def lint(self) -> list[AuthoringIssue]:
        return phrase_issues(self.phrases)

    def describe(self) -> str:
        grey = f"，{self.review_threshold:g}–{self.threshold:g} 待复核" if self.review_threshold is not None else ""
        return f"近似短语（≥{self.threshold:g}{grey}）：" + "、".join(self.phrases)


def closest_text(
    ctx: Context, phrases: Sequence[str], min_length: int = 1, floor: float = 0.0
) -> tuple[float, int, int] | None:
    """(score, start, end) of the text in scope that aligns best with one of ``phrases`` (the first
    best, in phrase and sentence order), for a near miss: alignments shorter than ``min_length`` or
    scoring below ``floor`` left out (None when none is left).

    Only the best alignment is wanted, so RapidFuzz is asked for none scoring below the floor or
    the best so far (``score_cutoff``: a tie does not replace the first best anyway). Alignments
    are remembered per report, phrase and sentence, whichever rule asks; one RapidFuzz left out is
    remembered as the score it stays below (a bound, never an alignment), and aligned again only
    for a lower cut-off."""
    best: tuple[float, int, int] | None = None
    cutoff = float(floor)
    in_scope = ctx.scope_test()
    text = ctx.doc.text
    sentences = ctx.doc.sentences
    aligned: dict[tuple[str, int], tuple[float, int, int] | float] = remember(ctx.cache, "alignments", dict)
    held = _held(ctx)
    for phrase in phrases:
        for k in _indexes(_candidate_mask(ctx, held, phrase, NEAR_SHARE)):
            start, end = sentences[k]
            if not in_scope(start):
                continue
            found = aligned.get((phrase, start))
            if found is None or (not isinstance(found, tuple) and found > cutoff):
                found = aligned[phrase, start] = _aligned(phrase, text, start, end, cutoff) or cutoff
            if (
                isinstance(found, tuple)
                and found[2] - found[1] >= min_length
                and (found[0] >= cutoff if best is None else found[0] > cutoff)
            ):
                best = found
                cutoff = found[0]
    return best
