"""``type: regex`` — regular expressions on the normalised text.

Patterns run on the `regex` engine under the rule's time budget (``Budget``: one per rule
and report, for all its searches), so a pathological pattern in a rule file cannot hang an
audit: it turns that rule into an ``error``.
Write patterns against normalised text: half-width punctuation ``(`` ``,`` ``:``,
``-`` for every dash, ``"`` for Chinese quotes; ``。`` stays.

How spans are found (same spans as ``finditer``, cheaper): a pattern is tried only where one
of its anchors (the literals it must start with, found in the report's single Aho-Corasick
pass) occurs, and a plain phrase needs no regex at all. A pattern that shares alternatives
with other patterns of the checklist is matched one alternative at a time, each alternative's
spans remembered for the report, and the results merged exactly as one ``finditer`` of the
whole alternation would (``_merged``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from auditor.document.normalize import fold
from auditor.matchers.anchors import (
    anchors,
    candidate_starts,
    run_led,
    scanned_parts,
    split_alternatives,
    units,
)
from auditor.matchers.base import (
    AuthoringIssue,
    Budget,
    Context,
    Hit,
    Leaf,
    Outcome,
    RegexTimeout,
    compile_regex,
    remember,
    remember_timed,
)
from auditor.matchers.guards import branch_guards, guard
from auditor.vocabulary import Status

if TYPE_CHECKING:
    from auditor.matchers.phrase_index import PhraseIndex

_PLAIN = re.compile(r"[\u3400-\u9fff]{3,}")
_META = re.compile(r"[\\.^$*+?{}\[\]()|]")


MAX_ANCHORED = 40  # above this many candidate starts, a full finditer scan is faster


@functools.lru_cache(maxsize=4096)
def _is_plain(pattern: str) -> bool:
    return not _META.search(pattern)


@functools.lru_cache(maxsize=4096)
def _plain_alternatives(patterns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(alt for p in patterns for alt in split_alternatives(p) or [p] if _PLAIN.fullmatch(alt))


@dataclass(frozen=True, slots=True)
class ScanPlan:
    """What finding one pattern's spans needs to know about it, read once per process (each of
    these was a look-up of its own on every report)."""

    pattern: str
    plain: bool  # no regex syntax: its occurrences are its spans
    anchors: frozenset[str] | None  # the literals every match starts with (``anchors``)
    literals: tuple[str, ...] | None  # an alternation of plain phrases (``_literal_alternatives``)
    guard: tuple[str, int] | None  # a literal every match holds within reach (``guards.guard``)


@functools.lru_cache(maxsize=4096)
def scan_plan(pattern: str) -> ScanPlan:
    plain = _is_plain(pattern)
    return ScanPlan(
        pattern,
        plain,
        anchors(pattern),
        _literal_alternatives(pattern),
        None if plain else guard(pattern),
    )


def _scan(pattern: str, text: str, index: PhraseIndex | None, budget: Budget) -> list[tuple[int, int]]:
    """Spans of ``finditer(pattern)`` (empty ones included), tried only where the pattern can start.

    With ``index`` (the report's Aho-Corasick pass, which includes every pattern's anchors)
    the candidate starts are looked up instead of searched for.
    """
    return _planned_scan(scan_plan(pattern), text, index, budget)


def _planned_scan(plan: ScanPlan, text: str, index: PhraseIndex | None, budget: Budget) -> list[tuple[int, int]]:
    pattern = plan.pattern
    if plan.plain:  # a plain phrase: its leftmost non-overlapping occurrences
        out: list[tuple[int, int]] = []
        last = 0
        for pos in index.find(pattern, text) if index is not None else candidate_starts(text, frozenset((pattern,))):
            if pos >= last:
                last = pos + len(pattern)
                out.append((pos, last))
        return out
    literals = plan.anchors
    positions: list[int] | None = None
    if literals is not None:
        if index is not None:
            positions = _starts(plan, literals, text, index)
            if len(positions) > MAX_ANCHORED:
                positions = None
        elif sum(text.count(lit) for lit in literals) <= MAX_ANCHORED:
            positions = _guarded(plan.guard, candidate_starts(text, literals), text)
        if not positions and positions is not None:
            return []  # none of its starts occurs: not even compiled
    if positions is None:  # no anchors, or frequent ones: one scan is cheaper
        try:
            return budget.spans(compile_regex(run_led(pattern)), text)
        except RegexTimeout as exc:
            raise RegexTimeout(pattern) from exc  # the rule's own pattern in the message
    compiled = compile_regex(pattern)
    return budget.anchored(compiled, text, positions)  # never empty: every match starts with a literal


def _starts(plan: ScanPlan, literals: frozenset[str], text: str, index: PhraseIndex) -> list[int]:
    """Where a match of ``pattern`` may start (ascending): where one of its anchors occurs and,
    for a pattern with a guard, its literal within reach. An alternation with too many starts
    to try (``MAX_ANCHORED``) keeps, of its guarded branches, only the starts holding the branch's
    guard: a frequent anchor whose guard is rare still leaves few starts (with few starts to
    try, a look-up per branch costs more than it saves)."""
    if len(literals) == 1:
        (literal,) = literals
        positions = index.find(literal, text)  # ascending already
    else:
        positions = index.starts(literals, text)
    if len(positions) <= MAX_ANCHORED:
        return _guarded(plan.guard, positions, text)
    branches = branch_guards(plan.pattern)
    if branches is None:
        return _guarded(plan.guard, positions, text)
    free, guarded = branches
    found = set(index.starts(free, text)) if free else set()
    find = text.find
    for branch_anchors, (literal, reach) in guarded:
        found.update(p for p in index.starts(branch_anchors, text) if find(literal, p, p + reach) >= 0)
    return sorted(found)


def _guarded(held: tuple[str, int] | None, positions: list[int], text: str) -> list[int]:
    """The ``positions`` holding ``held``, the literal every match holds within reach (all without a guard)."""
    if held is None:
        return positions
    literal, reach = held
    find = text.find
    return [p for p in positions if find(literal, p, p + reach) >= 0]


def find_spans(
    pattern: str, text: str, index: PhraseIndex | None = None, budget: Budget | None = None
) -> list[tuple[int, int]]:
    """Spans of ``finditer(pattern)``, empty matches left out."""
    return [(s, e) for s, e in _scan(pattern, text, index, budget or Budget()) if e > s]


def _spans(
    pattern: str, text: str, index: PhraseIndex | None, cache: dict[Any, Any], split: bool, budget: Budget
) -> tuple[list[tuple[int, int]], bool]:
    """``finditer`` spans of ``pattern`` without empty matches, and whether there were none
    (only then can they take part in a merge), remembered per report and shared by every
    pattern that contains ``pattern`` as an alternative."""
    key = ("spans", pattern)
    found: tuple[list[tuple[int, int]], bool] | None = cache.get(key)  # most asks: one look-up
    if found is not None:
        return found
    return remember_timed(cache, key, budget, _build_spans, pattern, text, index, cache, split, budget)


def _build_spans(
    pattern: str, text: str, index: PhraseIndex | None, cache: dict[Any, Any], split: bool, budget: Budget
) -> tuple[list[tuple[int, int]], bool]:
    plan = scan_plan(pattern)
    if index is not None and _absent(plan, text, index):
        return [], True
    literals = plan.literals
    if literals is not None:
        return _first_literals(literals, text, index), True
    parts = units(pattern) if split else None
    merged = _merged(parts, text, index, cache, budget) if parts is not None and len(parts) > 1 else None
    if merged is not None:
        return merged, True
    scanned = _planned_scan(plan, text, index, budget)
    spans = [(s, e) for s, e in scanned if e > s]
    return spans, len(spans) == len(scanned)


@functools.lru_cache(maxsize=4096)
def _literal_alternatives(pattern: str) -> tuple[str, ...] | None:
    """The alternatives of ``pattern`` when there are several and each is a plain phrase (no
    regex syntax, not empty), else None."""
    parts = units(pattern)
    if parts is None or len(parts) < 2 or not all(alt and _is_plain(alt) for alt, _ in parts):
        return None
    return tuple(alt for alt, _ in parts)


def _first_literals(literals: tuple[str, ...], text: str, index: PhraseIndex | None) -> list[tuple[int, int]]:
    """The spans of ``finditer("|".join(literals))`` without a regex: from each position the
    alternation matches the first literal (in order) that starts there, and the search goes
    on after that match; the literals' starts come from the report's phrase index."""
    first_end: dict[int, int] = {}  # start → end of the first literal found there
    for lit in literals:
        for pos in index.find(lit, text) if index is not None else candidate_starts(text, frozenset((lit,))):
            if pos not in first_end:
                first_end[pos] = pos + len(lit)
    out: list[tuple[int, int]] = []
    last = 0
    for pos in sorted(first_end):
        if pos >= last:
            last = first_end[pos]
            out.append((pos, last))
    return out


def _absent(plan: ScanPlan, text: str, index: PhraseIndex) -> bool:
    """None of the pattern's anchors occurs (the index says so): neither it nor its alternatives can match."""
    return plan.anchors is not None and not index.occurs_any(plan.anchors, text)


def _merged(
    parts: tuple[tuple[str, str | None], ...],
    text: str,
    index: PhraseIndex | None,
    cache: dict[Any, Any],
    budget: Budget,
) -> list[tuple[int, int]] | None:
    """The spans ``finditer("|".join(alternatives))`` finds, built from each alternative's own.

    From a position ``pos`` the whole pattern matches at the leftmost start where some
    alternative matches, with the first such alternative. An alternative's own ``finditer``
    searched onward from the end of each of its matches, so its first span ending after
    ``pos`` is its leftmost match from ``pos`` — unless ``pos`` falls inside that span;
    then it is searched again from ``pos``. An alternative that is a whole group
    (``(?:a|b)``) is itself split. None when an empty match makes this inexact.
    """
    lists: list[list[tuple[int, int]]] = []
    found: list[str] = []
    for alternative, inner in parts:
        if index is not None and _absent(scan_plan(inner or alternative), text, index):
            continue  # as _build_spans would find: no spans, exactly
        spans, exact = _spans(inner or alternative, text, index, cache, inner is not None, budget)
        if not exact:
            return None
        if spans:  # an alternative that matches nowhere cannot take part
            lists.append(spans)
            found.append(alternative)
    if len(lists) <= 1:
        return list(lists[0]) if lists else []
    # patterns that differ only in alternatives found nowhere merge alike
    return remember_timed(cache, ("merged", tuple(found)), budget, _merge, lists, found, text, budget)


def _merge(
    lists: list[list[tuple[int, int]]], found: list[str], text: str, budget: Budget
) -> list[tuple[int, int]] | None:
    union = sorted(span for spans in lists for span in spans)
    if all(a[1] <= b[0] for a, b in pairwise(union)):
        return union  # no two matches overlap: nothing to arbitrate
    heads = [0] * len(lists)
    sizes = [len(spans) for spans in lists]
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        best: tuple[int, int] | None = None
        for i, spans in enumerate(lists):
            k, size = heads[i], sizes[i]
            while k < size and spans[k][1] <= pos:
                k += 1
            heads[i] = k
            if k == size:
                continue
            span = spans[k]
            if span[0] < pos:  # pos is inside this match: search again from pos
                m = budget.search(compile_regex(found[i]), text, pos)
                if m is None:
                    continue
                if m.end() == m.start():
                    return None
                span = m.span()
            if best is None or span[0] < best[0]:
                best = span
        if best is None:
            return out
        out.append(best)
        pos = best[1]


def compile_for_scan(pattern: str, index: PhraseIndex) -> None:
    """Compile what ``pattern_spans`` may run for ``pattern`` (done before workers fork)."""
    for part in scanned_parts(pattern) if pattern in index.split else (pattern,):
        if not _is_plain(part):  # plain phrases are never compiled
            compile_regex(part)
            compile_regex(run_led(part))


def pattern_spans(
    pattern: str, text: str, index: PhraseIndex | None, cache: dict[Any, Any], budget: Budget | None = None
) -> list[tuple[int, int]]:
    """``find_spans`` remembered per report. A pattern that shares alternatives with others
    (a rule and its variants, common wordings; ``index.split``, all when there is no index)
    is matched one alternative at a time, so the shared alternatives are matched once."""
    split = index is None or pattern in index.split
    return _spans(pattern, text, index, cache, split, budget or Budget())[0]


class RegexSpec(Leaf):
    type: Literal["regex"]
    patterns: list[str] = Field(..., min_length=1, description="any of these regular expressions")

    @field_validator("patterns")
    @classmethod
    def _compile(cls, v: list[str]) -> list[str]:
        for p in v:
            if compile_regex(p).search(""):
                raise ValueError(f"正则表达式 {p!r} 能匹配空字符串")
        return v

    def spans(self, ctx: Context) -> list[tuple[int, int]]:
        """The spans of every pattern (each pattern's ascending and not overlapping), before filtering."""
        text = ctx.doc.text
        if len(self.patterns) == 1:  # most expressions: the remembered list itself (never changed)
            return pattern_spans(self.patterns[0], text, ctx.index, ctx.cache, ctx.budget)
        spans: list[tuple[int, int]] = []
        for p in self.patterns:
            spans.extend(pattern_spans(p, text, ctx.index, ctx.cache, ctx.budget))
        return spans

    def kept_among(self, ctx: Context, wanted: list[tuple[int, int]]) -> list[Hit]:
        """The hits ``evaluate`` keeps among ``wanted`` (some of ``spans``, ascending), for an
        expression of one pattern: its spans do not overlap, so whether one is kept does not
        depend on the others (``filter_hits`` drops a hit for its own scope, exclude or
        negation, or for overlapping a kept one)."""
        assert len(self.patterns) == 1, "the spans of several patterns may overlap"
        return self.filter_hits(ctx, [Hit(s, e) for s, e in wanted], ordered=True)[0]

    def evaluate(self, ctx: Context) -> Outcome:
        spans = self.spans(ctx)
        if not spans:  # (half the asks) what filtering no span gives, without building a key to remember it by
            return Outcome(Status.gap)
        return remember(ctx.cache, self.filtered_key(ctx), self._filtered, ctx, spans)

    def filtered_key(self, ctx: Context) -> tuple[Any, ...]:
        """What the outcome depends on besides the report: rules that look for the same patterns
        under the same filters and scope (variants of a rule) share it. The patterns stand for
        their spans, which are the report's (remembered per report and pattern): a key of the
        spans themselves cost a tuple of every span, and its hash, on every evaluation."""
        lean = ctx.lean is not None  # a lean outcome lists fewer candidates (``filter_hits``)
        return (self.filters, ctx.scope.key(), lean)

    @functools.cached_property
    def filters(self) -> tuple[Any, ...]:
        """The patterns and the filters of ``filter_hits`` (once per expression: part of every outcome's key)."""
        return ("filtered", tuple(self.patterns), tuple(self.exclude), self.negation, self.min_hits)

    def _filtered(self, ctx: Context, spans: list[tuple[int, int]]) -> Outcome:
        # one pattern's spans are ascending and never overlap: already in the order filter_hits wants
        ordered = len(self.patterns) == 1
        return self.outcome(*self.filter_hits(ctx, [Hit(s, e) for s, e in spans], ordered))

    def describe(self) -> str:
        return "正则：" + " | ".join(self.patterns)

    def literals(self) -> list[str]:
        """Alternatives that are plain Chinese phrases (e.g. 出庭应诉 in ``出庭应诉|出庭率``), for near misses."""
        return list(_plain_alternatives(tuple(self.patterns)))

    def indexed_patterns(self) -> list[str]:
        return list(self.patterns)

    def exclude_targets(self) -> list[str] | None:
        # the plain alternatives, when every alternative is one (else a hit may be text no exclude touches)
        plain = self.literals()
        return plain if len(plain) == sum(len(split_alternatives(p) or [p]) for p in self.patterns) else []

    def lint(self) -> list[AuthoringIssue]:
        out: list[AuthoringIssue] = []
        for p in self.patterns:
            if _B_NEAR_CJK.search(p):
                out.append(
                    (
                        "error",
                        f"regex {p!r} uses \\b next to Chinese: there is no word boundary between Chinese characters",
                        "remove \\b; use a lookaround such as (?<![论陈]) to exclude look-alikes",
                    )
                )
            stripped = re.sub(r"\\.", "", p)
            changed = [ch for ch in dict.fromkeys(stripped) if fold(ch) != ch and ch not in "\n\t"]
            if changed:
                shown = "".join(changed)
                out.append(
                    (
                        "error",
                        f"regex {p!r} contains {shown!r}, which normalisation replaces, so it can never match",
                        "write patterns against normalised text: half-width ( ) , : ; digits, '-' for "
                        "dashes, '\"' for “”",
                    )
                )
        return out


_CJK = "\u3400-\u9fff"
_B_NEAR_CJK = re.compile(rf"\\b[{_CJK}]|[{_CJK}][)?*+]*\\b")
