"""Anchored regex scanning finds exactly what a full ``finditer`` scan finds."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import understand
from auditor.loader import load_bundled
from auditor.matchers.anchors import alternatives, anchors, units
from auditor.matchers.base import Context, compile_regex, headings_matching
from auditor.matchers.pattern import RegexSpec, find_spans, pattern_spans
from auditor.matchers.phrase_index import PhraseIndex
from auditor.spectree import rule_specs

ROOT = Path(__file__).resolve().parents[2]


def _full(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in compile_regex(pattern).finditer(text) if m.end() > m.start()]


def _bundled_patterns() -> list[str]:
    found: set[str] = set()
    for checklist in load_bundled():
        for rule in checklist.rules:
            for _, spec, _ in rule_specs(rule):
                if isinstance(spec, RegexSpec):
                    found.update(spec.patterns)
    return sorted(found)


PATTERNS = _bundled_patterns()
TEXTS = [understand(p.read_text(encoding="utf-8")).text for p in sorted(ROOT.glob("fixtures/*/*.txt"))]


def test_most_bundled_patterns_are_anchored() -> None:
    assert sum(anchors(p) is not None for p in PATTERNS) >= 0.7 * len(PATTERNS)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_same_spans_on_real_reports(pattern: str) -> None:
    for text in TEXTS:
        assert find_spans(pattern, text) == _full(pattern, text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?<!工作)信访条例", {"信访条例"}),
        ("行政复议[^。]{0,12}(案件|申请)|复议案件", {"行政复议", "复议案件"}),
        ("(常务会议?|专题会)(?=法治)", {"常务会", "专题会"}),
        ("亲自(安排)?部署", {"亲自安排", "亲自部署"}),  # a literal extended by the group after it
        ("法治(政府)?建设(工作)?", {"法治政府", "法治建设"}),
        ("法治[政建]设", {"法治政设", "法治建设"}),
        ("会+议", {"会"}),
        ("法治(?=建设)", {"法治"}),
        ("法治(a|b){2}", {"法治"}),
        ("法治(?:[a-z]|b)", {"法治"}),
        ("(?<=^|[\\s|])(?:予以公开|(七)总计)[ |:]*(?=\\d)", {"予以公开", "七"}),
        ("会议?", {"会"}),
        (r"\d+次", None),
        ("[七六]五普法", {"七五普法", "六五普法"}),
        ("(收到|受理)?行政复议(案件)?", {"收到", "受理", "行政复议"}),
        ("[法治]?政府", {"法", "治", "政府"}),
        ("(?:会|议)+纪要", {"会", "议"}),
        ("[a-c]x", None),
        ("(述法)?", None),
        ("(会议){2}", None),
        ("(?i)xx", None),
        ("法治|", None),
        ("×{2,}|某某", {"×", "某某"}),  # a literal repeated at least once still starts the match
        ("\\*{1,3}(?=[次个])", {"*"}),  # an escaped punctuation character is that character
        ("\\(此处[^)]{0,20}\\)", {"(此处"}),
        ("a\\.b", {"a.b"}),
        ("会{0,2}议", None),
        ("\\s*法治", None),
    ],
)
def test_anchor_extraction(pattern: str, expected: set[str] | None) -> None:
    got = anchors(pattern)
    assert (set(got) if got is not None else None) == expected


ALPHABET = "法治述法论信访工作条例会议常务专题亲自部署。,;\n次1 *×()."


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=ALPHABET, max_size=80),
    st.sampled_from(
        [
            *PATTERNS[:40],
            "(?<!工作)信访条例",
            "会议?|述法(?!律)",
            "(常务|专题)?会议",
            "[常专]?会议?",
            "(?:会|议)+法",
            "[法治]+政府?",
            "(述|讲)*法(?!律)",
            "[述讲]法|(?:信访)?工作",
            "\\*{1,3}(?=[次会])|×{2,}",
            "\\(会[^)\\n]{0,6}\\)|法\\.治",
            "会{2}议?|(工作){1,2}",
        ]
    ),
)
def test_same_spans_on_random_text(text: str, pattern: str) -> None:
    assert find_spans(pattern, text) == _full(pattern, text)


# ------------------------------------------------ patterns matched one alternative at a time


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?:述法|讲法)|法治", ("述法", "讲法", "法治")),
        ("(?:(?:a|b)|c)|d", ("a", "b", "c", "d")),
        ("(?i)ab|cd", ("(?i)ab", "(?i)cd")),
        ("(a)|b", ("(a)", "b")),
        ("(?:a|b)+|c", ("(?:a|b)+", "c")),
        ("(?:a)(?:b)|c", ("(?:a)(?:b)", "c")),
        ("(会)议\\1|x", None),  # a back-reference: group numbers must stay
        ("a|(?i)b", None),  # flags in the middle apply to the whole pattern
        ("a|(b", None),
    ],
)
def test_alternatives(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert alternatives(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?:述法|讲法)|法治", (("(?:述法|讲法)", "述法|讲法"), ("法治", None))),
        ("(?i)(?:a|b)|c", (("(?i)(?:a|b)", "(?i)a|b"), ("(?i)c", None))),
        ("(?:a)(?:b)|c", (("(?:a)(?:b)", None), ("c", None))),
        ("(会)议\\1|x", None),
    ],
)
def test_units(pattern: str, expected: tuple[tuple[str, str | None], ...] | None) -> None:
    assert units(pattern) == expected


def _shared(pattern: str, text: str, index: PhraseIndex | None = None) -> list[tuple[int, int]]:
    return pattern_spans(pattern, text, index, {})


OVERLAPPING = [
    "法治|法治政府|政府",
    "政府|法治政府",
    "会议?|议",
    "述法(?!律)|法律|法",
    "(?:法治|法)治|治政",
    "(?:法治政府[^。]{0,6}建设)|建设|政府建",
    "常务会议?|会议|专题会",
    "x*法|治",
    "(?<=法)治|法治",
    "(?:(?:法|治)政|政府)|(?:治政|政府建)|设",
    "(?:x*)|法",
    "(?:法治|(?:法|政)府)|建(?:设|府)",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_alternatives_merged_like_one_scan_on_real_reports(pattern: str) -> None:
    checklist = load_bundled()[0]
    variant = f"(?:{pattern})|法治督察[^。;]{{0,6}}(情况|工作|制度)"  # a rule variant: one more alternative
    for text in TEXTS:
        index = checklist.index.for_text(text)
        assert _shared(pattern, text, index) == _full(pattern, text)
        assert _shared(variant, text) == _full(variant, text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET + "政府建设督察x", max_size=80), st.sampled_from([*OVERLAPPING, *PATTERNS[:40]]))
def test_alternatives_merged_like_one_scan_on_random_text(text: str, pattern: str) -> None:
    assert _shared(pattern, text) == _full(pattern, text)
    # the same cache serving two patterns that share alternatives changes nothing
    cache: dict[object, object] = {}
    for p in (pattern, f"(?:{pattern})|督察"):
        assert pattern_spans(p, text, None, cache) == _full(p, text)


DOCS = [understand(p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("fixtures/*/*.txt"))]


def _heading_patterns() -> list[str]:
    found: set[str] = set(PATTERNS)
    for checklist in load_bundled():
        for rule in checklist.rules:
            for _, spec, _ in rule_specs(rule):
                heading = getattr(spec, "heading", None)
                found.update([heading] if isinstance(heading, str) else [])
                scope = getattr(spec, "scope", None)
                found.update(getattr(scope, "headings", None) or [])
    return sorted(found)


def test_headings_found_as_by_searching_every_title() -> None:
    """Titles without any of a pattern's anchors are skipped unsearched: nothing changes."""
    patterns = _heading_patterns()
    assert len(patterns) > len(PATTERNS)  # the section headings of the rules are included
    for doc in DOCS:
        ctx = Context(doc, PhraseIndex.build(()).for_text(doc.text))
        titles = [s.heading.title for s in doc.sections]
        for pattern in patterns:
            compiled = compile_regex(pattern)
            expected = frozenset(i for i, t in enumerate(titles) if compiled.search(t))
            assert headings_matching(pattern, ctx) == expected, pattern


def _index_of(patterns: list[str], text: str, split: bool) -> PhraseIndex:
    """A report's index as the loader builds it: every anchor of every pattern and alternative."""
    found = {lit for p in patterns for part in (alternatives(p) or ()) + (p,) for lit in anchors(part) or ()}
    return PhraseIndex.build(found, split=patterns if split else ()).for_text(text)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=ALPHABET + "政府建设督察x", max_size=80),
    st.sampled_from([*OVERLAPPING, *PATTERNS[:40]]),
    st.booleans(),
)
def test_patterns_whose_anchors_are_absent_skipped_exactly(text: str, pattern: str, split: bool) -> None:
    """With the report's index, a pattern (or alternative) none of whose anchors occurs is not
    scanned at all; the spans stay those of one ``finditer``, split or not."""
    variant = f"(?:{pattern})|督察"
    index = _index_of([pattern, variant], text, split)
    cache: dict[object, object] = {}
    for p in (pattern, variant):
        assert pattern_spans(p, text, index, cache) == _full(p, text)


def test_a_pattern_without_its_anchors_is_not_looked_at() -> None:
    """Neither the pattern nor any of its alternatives is scanned (only its empty spans are remembered)."""
    text = "本年度召开常务会议三次。"
    pattern = "述法[^。]{0,4}(工作|制度)|(?:讲法|学法)"
    cache: dict[object, object] = {}
    assert pattern_spans(pattern, text, _index_of([pattern], text, split=True), cache) == []
    assert cache == {("spans", pattern): ([], True)}


def test_titles_with_an_anchor_found_across_the_joined_titles() -> None:
    """Candidate sections come from the titles joined once: exactly the titles containing an
    anchor, never a section for an occurrence that spans two titles."""
    from auditor.matchers.base import _titles_with

    for doc in DOCS:
        ctx = Context(doc, PhraseIndex.build(()).for_text(doc.text))
        titles = [s.heading.title for s in doc.sections]
        pieces = {t[i : i + n] for t in titles for n in (1, 2, 3) for i in range(0, len(t), 3)}
        tails = {a[-2:] + "\n" + b[:2] for a, b in pairwise(titles) if a and b}
        for lits in [frozenset([p]) for p in pieces | tails] + [frozenset(list(pieces)[:5])]:
            assert _titles_with(lits, ctx) == [i for i, t in enumerate(titles) if any(lit in t for lit in lits)]


EXCLUDES = ["论述法|述法(?!律)", "(合法性)?(审核|审查)[^。]{0,4}制度", "(?<=会议)[^。]{0,3}法治", "(述法)?工作"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=ALPHABET + "合法性审核查度", max_size=80),
    st.integers(0, 80),
    st.integers(1, 6),
    st.sampled_from(EXCLUDES),
)
def test_an_exclude_whose_anchors_are_not_near_the_hit_is_not_run(text: str, at: int, n: int, exclude: str) -> None:
    """A hit is inside an excluded context exactly when an exclude's match around it overlaps it,
    whether or not the exclude's anchors let the search be skipped."""
    from auditor.matchers.base import Budget, Hit, _inside_excluded

    start = min(at, len(text))
    hit = Hit(start, min(len(text), start + n))
    lo, hi = max(0, hit.start - 24), min(len(text), hit.end + 24)
    compiled = compile_regex(exclude)
    expected = any(m.start() < hit.end and hit.start < m.end() for m in compiled.finditer(text, lo, hi))
    assert _inside_excluded(text, hit, [compiled], Budget()) == expected
