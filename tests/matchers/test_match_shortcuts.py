"""Shortcuts of rule matching, each against the plain computation it replaces."""

from __future__ import annotations

import functools
import re

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from auditor.document import Document, understand
from auditor.document.tables import read_cell
from auditor.matchers.anchors import anchors
from auditor.matchers.base import _NEG_CUES, Context, Hit, Lean, Outcome, Scope, is_negated, negation_patterns_match
from auditor.matchers.compose import _hits
from auditor.matchers.fuzzy import NEAR_SHARE, best_alignment, bigrams, candidate_sentences, closest_text
from auditor.matchers.guards import guard
from auditor.matchers.pattern import _is_plain, _literal_alternatives, pattern_spans, scan_plan
from auditor.matchers.phrase_index import PhraseIndex
from auditor.matchers.section import _non_space
from auditor.matchers.table import row_hit
from auditor.vocabulary import Role, Status
from tests.helpers import ROOT, seed_text, spec

_WORDS = st.text(alphabet="法治督察未不", min_size=1, max_size=3)
#: a text, the phrases a checklist indexes, the phrases a rule asks about
_PHRASE_QUERY = (
    st.text(alphabet="法治督察未不。", max_size=60),
    st.frozensets(_WORDS, max_size=5),
    st.frozensets(_WORDS, min_size=1, max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(*_PHRASE_QUERY)
def test_any_phrase_occurs_as_each_phrase_looked_up(text: str, indexed: frozenset[str], asked: frozenset[str]) -> None:
    """``occurs_any`` answers as ``any(occurs(...))``, whether the phrases asked about are
    indexed, partly indexed or not at all, and again from the memo of unindexed phrases."""
    index = PhraseIndex.build(indexed).for_text(text)
    expected = any(index.occurs(p, text) for p in asked)
    assert index.occurs_any(asked, text) == expected
    assert index.occurs_any(asked, text) == expected
    assert PhraseIndex.build(indexed).occurs_any(asked, text) == any(p in text for p in asked)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="没有未开展不是无法非治述，。", max_size=50), st.data())
def test_negation_cue_found_as_in_the_window(text: str, data: st.DataObject) -> None:
    """The cue character is searched in place of slicing the window and testing each cue."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    window = text[max(0, start - 14) : end + 14]
    plain = any(c in window for c in _NEG_CUES) and negation_patterns_match(text, start, end)
    assert is_negated(text, start, end) == plain


@settings(max_examples=300, deadline=None)
@given(*_PHRASE_QUERY)
def test_starts_of_any_phrase_as_each_phrase_found(text: str, indexed: frozenset[str], asked: frozenset[str]) -> None:
    """``starts`` gives the distinct starts of every phrase, ascending, as finding each does."""
    for index in (PhraseIndex.build(indexed).for_text(text), PhraseIndex.build(indexed)):
        expected = sorted({i for p in asked for i in index.find(p, text)})
        assert index.starts(asked, text) == expected
        assert index.starts(asked, text) == expected


_ROLES = st.lists(st.sampled_from(list(Role)), max_size=3, unique=True)


@functools.cache
def _seed_doc(prefix: str) -> Document:
    return understand(seed_text(prefix))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["001", "002", "003"]),
    st.none() | _ROLES,
    st.none() | _ROLES,
    st.lists(st.integers(0, 20_000), max_size=40),
)
def test_scope_test_answers_as_in_scope(
    prefix: str, roles: list[Role] | None, exclude: list[Role] | None, positions: list[int]
) -> None:
    """``scope_test`` (one bisect over the admitted parts) answers as ``in_scope`` (the part's
    role, then the scope's roles) at every position, part bounds and ends included, in a
    fresh report cache and from the memo."""
    doc = _seed_doc(prefix)
    ctx = Context(doc, PhraseIndex.build([])).within(Scope.model_construct(roles=roles, exclude_roles=exclude))
    bounds = [b for p in doc.parts for b in (p.start - 1, p.start, p.end - 1, p.end)]
    for pos in [p % (len(doc.text) + 1) for p in positions] + [b for b in bounds if b >= 0]:
        for test in (ctx.scope_test(), ctx.scope_test()):
            assert test(pos) == ctx.in_scope(pos)


def test_scope_test_with_headings_is_in_scope() -> None:
    """A scope with headings keeps the heading test (no shortcut for it)."""
    doc = _seed_doc("001")
    ctx = Context(doc, PhraseIndex.build([])).within(Scope.model_construct(headings=["法治"]))
    assert ctx.scope_test() == ctx.in_scope


def test_cells_read_once_per_report_keep_each_value_name() -> None:
    """Two values reading the same table cell in one report (one shared cache) get the value
    ``read_cell`` reads and the row as evidence, each labelled with its own name."""
    text = (ROOT / "fixtures" / "gov-info-disclosure" / "county-anlan-2023.txt").read_text(encoding="utf-8")
    doc = understand(text)
    cell = {"table": "application", "row": "予以公开"}
    anchor = {"type": "regex", "patterns": ["予以公开"]}
    first = spec({"type": "value", "name": "granted", "cell": cell, "anchor": anchor})
    second = spec({"type": "value", "name": "opened", "cell": cell, "anchor": anchor})
    table = next(t for t in doc.tables if t.kind == "application")
    read = read_cell(table, "予以公开", "总计")
    assert read.value is not None
    ctx = Context(doc, PhraseIndex.build([]))
    for s in (first, second, first):
        value, hit = s.extract(ctx)
        assert value == read.value
        assert hit == row_hit(read.rows, s.name)
        assert s.evaluate(ctx).values == {s.name: read.value}


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="法治宣传普法以案释", max_size=80),
    st.lists(st.text(alphabet="法治宣传普法以案释", min_size=1, max_size=4), min_size=2, max_size=6),
    st.booleans(),
)
def test_alternation_of_literals_spans_as_finditer(text: str, literals: list[str], indexed: bool) -> None:
    """A pattern whose alternatives are all plain phrases gets the spans of ``finditer`` (the
    first alternative that starts at the leftmost position, then onward from its end) without
    a regex, whether its phrases are indexed or not (overlapping, nested and repeated ones too)."""
    pattern = "|".join(literals)
    expected = [m.span() for m in regex.finditer(pattern, text)]
    index = PhraseIndex.build(literals if indexed else ()).for_text(text)
    assert _literal_alternatives(pattern) == tuple(literals)
    assert pattern_spans(pattern, text, index, {}) == expected
    assert pattern_spans(pattern, text, None, {}) == expected


_REGEX_LEAVES = [
    {"type": "regex", "patterns": ["法治"]},
    {"type": "regex", "patterns": ["法治(督察)?", "督察"]},
    {"type": "regex", "patterns": ["治督|法治督察", "察"], "exclude": ["未法"], "scope": {"roles": ["measures"]}},
    {"type": "regex", "patterns": ["法[治督]"], "negation": False, "min_hits": 2},
]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="法治督察未没有。\n", max_size=80), st.sampled_from(range(len(_REGEX_LEAVES))))
def test_lean_regex_outcome_is_the_full_one_without_accepted_candidates(text: str, leaf: int) -> None:
    """``filter_hits`` with ``Context.lean`` lists only the rejected candidates (the only ones a near
    miss reads); hits, status and the rejected candidates equal the full evaluation's, and a
    pattern's spans taken in their own order (``ordered``) are filtered as sorted ones."""
    doc = understand("一、工作情况\n" + text + "\n二、存在的不足\n" + text[::-1] + "。")
    node = spec(_REGEX_LEAVES[leaf])
    index = PhraseIndex.build(node.literals()).for_text(doc.text)
    full = node.evaluate(Context(doc, index).within(node.scope))
    lean = node.evaluate(Context(doc, index, lean=Lean()).within(node.scope))
    assert (lean.status, lean.hits) == (full.status, full.hits)
    assert lean.candidates == tuple(c for c in full.candidates if c.verdict.rejection is not None)
    ctx = Context(doc, index).within(node.scope)
    for p in node.patterns:
        raw = [Hit(s, e) for s, e in pattern_spans(p, doc.text, index, {})]
        assert node.filter_hits(ctx, raw, ordered=True) == node.filter_hits(ctx, list(reversed(raw)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="法治督察未没有。\n", max_size=40), st.sampled_from(range(len(_REGEX_LEAVES))), st.booleans())
def test_regex_outcome_as_its_spans_filtered(text: str, leaf: int, lean: bool) -> None:
    """A regex leaf that finds no span answers without filtering (half the asks of a report):
    its outcome is what filtering its spans gives, found or not, lean or full."""
    doc = understand("一、工作情况\n" + text + "。")
    node = spec(_REGEX_LEAVES[leaf])
    index = PhraseIndex.build(node.literals()).for_text(doc.text)
    ctx = Context(doc, index, lean=Lean() if lean else None).within(node.scope)
    spans = node.spans(ctx)
    expected = node.outcome(*node.filter_hits(ctx, [Hit(s, e) for s, e in spans]))
    assert node.evaluate(ctx) == expected
    assert (expected.status == Status.gap and expected == Outcome(Status.gap)) or spans


_HITS = st.lists(st.builds(Hit, st.integers(0, 9), st.integers(0, 9), st.sampled_from([100.0, 80.0])), max_size=5)


@given(st.lists(st.tuples(st.sampled_from(list(Status)), _HITS), max_size=4), st.booleans())
def test_composite_hits_as_the_sorted_distinct_union(outcomes: list[tuple[Status, list[Hit]]], only_met: bool) -> None:
    """``compose._hits`` (one ordered outcome's hits taken as they are) equals the sorted set of
    the hits of the outcomes it reads."""
    outs = [Outcome(status, tuple(hits)) for status, hits in outcomes]
    read = [h for o in outs if not only_met or o.status in (Status.met, Status.needs_review) for h in o.hits]
    expected = sorted(set(read), key=lambda h: (h.start, h.end))
    got = _hits(outs, only_met)
    assert [(h.start, h.end) for h in got] == [(h.start, h.end) for h in expected]
    assert set(got) == set(expected) and len(got) == len(expected)


@given(st.text(alphabet=st.sampled_from("法治 \t\n\r\x0b\x0c\x1c\x85\xa0\u2000\u2028\u3000\ufeff。a"), max_size=40))
def test_non_space_counts_as_the_substitution(text: str) -> None:
    """A section's size: ``str.split``'s white space is ``\\s``'s (checked for every code point too)."""
    assert _non_space(text) == len(re.sub(r"\s", "", text))


def test_split_and_regex_know_the_same_white_space() -> None:
    assert all((re.fullmatch(r"\s", chr(i)) is not None) == (chr(i).split() == []) for i in range(0x110000))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="行政执法公示开制度。，\n", max_size=80),
    st.lists(st.text(alphabet="行政执法公示开制度", min_size=1, max_size=8), min_size=1, max_size=4),
    st.frozensets(st.text(alphabet="行政执法公示", min_size=1, max_size=2), max_size=6),
    st.sampled_from([0.34, 0.5, 0.9]),
)
def test_candidate_sentences_hold_their_share_of_bigrams(
    text: str, phrases: list[str], indexed: frozenset[str], share: float
) -> None:
    """A near miss's candidate sentences are those holding (whole) at least the share of the
    phrase's bigrams: the bigrams' sentences found once per report (from the phrase index when it
    holds the bigram) give the same sentences as testing every sentence for every bigram, for
    every phrase of a report, whichever asked first."""
    doc = understand(text)
    ctx = Context(doc, PhraseIndex.build(indexed).for_text(doc.text))
    for phrase in phrases:
        grams = bigrams(phrase)
        need = max(1, int(len(grams) * share))
        expected = [(s, e) for s, e in doc.sentences if sum(g in doc.text[s:e] for g in grams) >= need]
        assert candidate_sentences(ctx, phrase, share) == expected


@settings(max_examples=400, deadline=None)
@given(
    st.lists(  # sentences that repeat (equal alignments: the first one wins) among random ones
        st.sampled_from(["一、主要举措\n", "二、存在的不足\n", "行政执法公示制度。", "执法公开。", "公示制度，"])
        | st.text(alphabet="行政执法公示开制度。，\n", max_size=12),
        max_size=12,
    ).map("".join),
    st.lists(
        st.tuples(
            st.lists(  # rules sharing phrases (each sentence aligned once, remembered) and others
                st.sampled_from(["行政执法", "执法公示制度", "公示制度", "政务公开"])
                | st.text(alphabet="行政执法公示开制度", min_size=3, max_size=9),
                min_size=1,
                max_size=4,
            ),
            st.integers(1, 5),
            st.sampled_from([0.0, 40.0, 50.0, 60.0, 200 / 3, 75.0, 100.0]),
            st.none() | _ROLES,
        ),
        max_size=4,
    ),
    st.frozensets(st.text(alphabet="行政执法公示", min_size=1, max_size=2), max_size=6),
)
# an alignment remembered below a later floor; a bound remembered above a later floor (66.7 each time)
@example("执法公开。", [(["行政执法"], 1, 0.0, None), (["行政执法"], 1, 75.0, None)], frozenset())
@example("执法公开。", [(["行政执法"], 1, 75.0, None), (["行政执法"], 1, 200 / 3, None)], frozenset())
def test_closest_text_is_the_first_best_alignment_in_scope(
    text: str, asks: list[tuple[list[str], int, float, list[Role] | None]], indexed: frozenset[str]
) -> None:
    """A near miss's closest text: of the sentences in scope holding their share of a phrase's
    bigrams, the first best alignment (phrase order, then sentence order) at least ``min_length``
    long, or None when it scores below ``floor`` — for every rule of a report asking, in any order,
    with any floor and scope, whatever the others asked first (the alignments they remembered, or
    the bounds of those they left out, serve the next ones)."""
    doc = understand(text)
    index = PhraseIndex.build(indexed).for_text(doc.text)
    cache: dict[object, object] = {}
    for phrases, min_length, floor, roles in asks:
        ctx = Context(doc, index, scope=Scope(roles=roles), cache=cache)
        expected = None
        for phrase in phrases:
            grams = bigrams(phrase)
            need = max(1, int(len(grams) * NEAR_SHARE))
            for s, e in doc.sentences:
                if sum(g in doc.text[s:e] for g in grams) >= need and ctx.in_scope(s):
                    found = best_alignment(phrase, doc.text, s, e)
                    if found[2] - found[1] >= min_length and (expected is None or found[0] > expected[0]):
                        expected = found
        if expected is not None and expected[0] < floor:
            expected = None
        assert closest_text(ctx, phrases, min_length, floor) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | _ROLES, st.none() | _ROLES), min_size=1, max_size=4), st.data())
def test_scope_tests_of_one_report_are_each_scopes_own(
    scopes: list[tuple[list[Role] | None, list[Role] | None]], data: st.DataObject
) -> None:
    """The rules of one report share a cache: the scope test remembered there for one scope is
    never another scope's (each answers as its own ``in_scope``, asked in any order), and a
    scope's key is its fields' values, however the scope was made."""
    doc = _seed_doc("001")
    cache: dict[object, object] = {}
    base = Context(doc, PhraseIndex.build([]), cache=cache)
    ctxs = [base.within(Scope.model_construct(roles=r, exclude_roles=x)) for r, x in scopes]
    for (roles, exclude), ctx in zip(scopes, ctxs, strict=True):
        expected = (None if roles is None else tuple(roles), None if exclude is None else tuple(exclude), None)
        assert ctx.scope.key() == expected
        assert Scope(roles=roles, exclude_roles=exclude).key() == expected
    positions = data.draw(st.lists(st.integers(0, len(doc.text)), min_size=1, max_size=30))
    for ctx in data.draw(st.permutations(ctxs + ctxs)):
        test = ctx.scope_test()
        assert all(test(pos) == ctx.in_scope(pos) for pos in positions)


def _bundled_patterns() -> list[str]:
    from auditor.loader import load_bundled

    out: list[str] = []
    for checklist in load_bundled():
        for rule in checklist.rules:
            stack = [rule.match, *rule.values]
            while stack:
                node = stack.pop()
                out.extend(node.indexed_patterns())
                stack.extend(node.children())
    return sorted(set(out))


def test_scan_plan_answers_as_each_reader_of_the_pattern() -> None:
    """A pattern's scan plan (read once per process) holds what ``anchors``, ``guard``,
    ``_is_plain`` and ``_literal_alternatives`` say of it, for every pattern of the bundled
    checklists and a few shapes they do not have."""
    patterns = [*_bundled_patterns(), "法治", "法治|督察", "(法治|督察)x", r"\d+件", "[^。]{0,9}法治"]
    assert len(patterns) > 100
    for p in patterns:
        plan = scan_plan(p)
        plain = _is_plain(p)
        expected = (p, plain, anchors(p), _literal_alternatives(p), None if plain else guard(p))
        assert (plan.pattern, plan.plain, plan.anchors, plan.literals, plan.guard) == expected, p


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="法治督察未不。x1", max_size=80),
    st.sampled_from(["法治", "法治|督察", "(法治|督察)x", r"\d+", "督察[^。]{0,9}x"]),
)
def test_spans_through_the_plan_as_finditer(text: str, pattern: str) -> None:
    """With or without the report's phrase index (holding the pattern's anchors), the spans
    found through the pattern's plan are ``finditer``'s non-empty ones."""
    expected = [m.span() for m in regex.finditer(pattern, text) if m.end() > m.start()]
    literals = anchors(pattern) or frozenset()
    index = PhraseIndex.build(literals).for_text(text)
    assert pattern_spans(pattern, text, None, {}) == expected
    assert pattern_spans(pattern, text, index, {}) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="法治督察未没有。\n", max_size=60), st.booleans())
def test_regex_outcomes_shared_in_a_report_as_each_alone(text: str, lean: bool) -> None:
    """A regex leaf's outcome is remembered per report under its patterns, filters and scope
    (``filtered_key``): leaves evaluated one after another with the report's one cache each
    answer as they do with a cache of their own, whatever spans they share or not."""
    doc = understand("一、工作情况\n" + text + "\n二、存在的不足\n" + text[::-1] + "。")
    nodes = [spec(leaf) for leaf in _REGEX_LEAVES] + [spec({"type": "regex", "patterns": ["法治|督察"]})]
    literals = [lit for node in nodes for lit in node.literals()]
    index = PhraseIndex.build(literals).for_text(doc.text)
    shared: dict[object, object] = {}
    for node in nodes:
        alone = node.evaluate(Context(doc, index, lean=Lean() if lean else None).within(node.scope))
        together = node.evaluate(Context(doc, index, cache=shared, lean=Lean() if lean else None).within(node.scope))
        assert together == alone
