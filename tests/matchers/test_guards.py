"""Fewer starts tried, the same spans: a guard (``guards.guard``) is a literal every match holds
within a bounded reach of its start, so an anchored start without it is skipped; a full scan of
a pattern led by a repeated class (``anchors.run_led``) tries only where a run of it begins.
Either way the spans are exactly those of ``finditer``."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.matchers.anchors import anchors, run_led
from auditor.matchers.guards import MIN_OFFSET, branch_guards, guard
from auditor.matchers.pattern import find_spans
from auditor.matchers.phrase_index import PhraseIndex

GUARDED = {
    "(常务会议?|专题会议?)[^。;]{0,25}(研究|听取)[^。;]{0,20}法治": ("法治", 53),
    "(研究|听取|部署)[^。;]{0,20}法治[^。;]{0,20}(常务会|专题会)": ("法治", 24),
    "(受理|办理)[^。;,]{0,10}(行政)?复议": ("复议", 16),
    "(常务会议?|党组会议?)(?=[^。;]{0,30}依法行政)": ("依法行政", 38),  # inside a lookahead
    "(?<!不)(贯彻|落实)[^。;]{0,20}(法治政府建设实施纲要)": ("法治政府建设实施纲要", 32),  # inside a group
    "(党组|党委)[^。;,]{0,6}(专题)?研究[^。;,]{0,15}(法治|依法行政)": ("研究", 12),
    # the literal every branch of an alternation holds, within the widest branch
    "法治(政府)?建设(工作)?[^。;,]{0,4}(专题会议?|工作会议?)": ("会", 16),
    "(ab|cd)[^。]{0,20}(公开发布|公开征求|依法公开)": ("公开", 26),
}
UNGUARDED = [
    "法治(政府)?建设(工作)?[^。;,]{0,4}(专题会议|工作)",  # 建设 at most 4 after the start: the anchors end there
    "(ab|cd)[^。]{0,20}(公开|征求)",  # branches sharing no literal
    "(ab|cd)[^。]{0,20}(公开|征求+公开)",  # a branch of unbounded width
    "专题研究[^。;,]{0,15}法治|召开[^。;]{0,30}会议",  # an alternation whose branches share no literal
    "专题研究[^。;,]{0,15}法治|法治[^。;]{0,30}召开",  # one that starts the match: 法治 starts a branch
    "(?:党组|党委)?(专题研究法治|研究[^。]{0,9}法治)",  # alike, after an optional item
    r"\d+[^。]{0,20}万元",  # an unbounded item before the literal
    "(?i)(ab|cd)[^。]{0,20}xyz",  # case-insensitive: not a plain find
    "(ab|cd)[^。]{0,20}(?:xyz){e<=1}",  # regex's fuzzy matching, which re reads as literal braces
    "(ab|cd)[^。]{0,20}(?!xyz)",  # a negative lookahead holds nothing
    "(ab|cd)[^。]{0,20}(?i:xyz)",  # a group with flags of its own
    "(",  # not a pattern
]


@pytest.mark.parametrize(("pattern", "expected"), GUARDED.items())
def test_the_literal_every_match_holds_and_its_reach(pattern: str, expected: tuple[str, int]) -> None:
    assert guard(pattern) == expected


@pytest.mark.parametrize("pattern", UNGUARDED)
def test_no_guard_without_a_proof_or_a_gain(pattern: str) -> None:
    assert guard(pattern) is None


_ALPHABET = "法治研究会。x"
_words = st.text(alphabet="法治研究会x", min_size=1, max_size=3)


@st.composite
def _items(draw: st.DrawFn) -> str:
    word = draw(_words)
    k = draw(st.integers(0, 12))
    return draw(
        st.sampled_from(
            [
                word,
                f"[^。]{{0,{k}}}",
                f".{{{k // 3},{k}}}",
                f"(?:{word}|{draw(_words)})",
                f"(?:{draw(_words)}{word}|{word}x?{draw(_words)})",  # branches sharing a literal
                f"({word})?",
                f"(?={word})",
                f"(?=[^。]{{0,{k}}}{word})",
                f"(?!{word})",
                f"(?<!{word[0]})",
                f"{word[0]}*",
            ]
        )
    )


@st.composite
def _patterns(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["法治", "(研究|会议)", "(?:法|治)"]))
    gap = draw(st.sampled_from(["", f"[^。]{{0,{draw(st.integers(6, 14))}}}"]))  # a literal far enough to guard
    return head + gap + "".join(draw(st.lists(_items(), min_size=1, max_size=5)))


@settings(max_examples=400, deadline=None)
@given(_patterns(), st.text(alphabet=_ALPHABET, max_size=60))
def test_every_match_holds_the_guard(pattern: str, text: str) -> None:
    held = guard(pattern)
    if held is None:
        return
    literal, reach = held
    assert reach - len(literal) >= MIN_OFFSET
    compiled = regex.compile(pattern)
    for p in range(len(text) + 1):
        if compiled.match(text, p) is not None:
            assert text.find(literal, p, p + reach) >= 0, (pattern, text, p)


@settings(max_examples=300, deadline=None)
@given(_patterns(), st.text(alphabet=_ALPHABET, max_size=80))
def test_guarded_spans_are_finditers(pattern: str, text: str) -> None:
    expected = [m.span() for m in regex.finditer(pattern, text) if m.end() > m.start()]
    assert find_spans(pattern, text) == expected


# ---------------------------------------------------------------- run-led full scans

RUN_LED = [
    r"\d+(?:\.\d+)?\s*(?:余|多)?(?:万|亿)?\s*(?:人次|件|%)",
    r"[一二三十]{2,}(?:余|多)?(?:件|人)",
    r"\d+?件",
    r"[^。]+x",
]
NOT_RUN_LED = [
    r"\d*件",
    r"\d++件",
    r"\d{2,5}件",
    r"\d+件|x",
    r"(?:\d+|x)件",
    r"\p{Han}+x",
    r"[[:digit:]]+x",
    r"法治\d+",
]


@pytest.mark.parametrize("pattern", RUN_LED)
def test_a_pattern_led_by_a_repeated_class_starts_at_runs(pattern: str) -> None:
    assert run_led(pattern).endswith(pattern) and run_led(pattern) != pattern


@pytest.mark.parametrize("pattern", NOT_RUN_LED)
def test_other_patterns_are_scanned_as_they_are(pattern: str) -> None:
    assert run_led(pattern) == pattern


_RUN_TEXT = "12.3 余多万件人%一二三十x。 "


@st.composite
def _run_led_patterns(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from([r"\d", r"\s", "[一二三十]", "[^。]", r"\D", "[0-9.]"]))
    repeat = draw(st.sampled_from(["+", "+?", "{1,}", "{2,}", "{3,}?"]))
    rest = draw(
        st.lists(
            st.sampled_from(
                [
                    r"(?:\.\d+)?",
                    r"\s*",
                    "(?:余|多)?",
                    "(?:万|亿)?",
                    "(?:件|人|%)",
                    "件",
                    r"\d",
                    "(?=x)",
                    "(?<=\\d)",
                    "[一二]*",
                    "。",
                ]
            ),
            max_size=5,
        )
    )
    return head + repeat + "".join(rest)


@settings(max_examples=400, deadline=None)
@given(_run_led_patterns(), st.text(alphabet=_RUN_TEXT, max_size=50), st.integers(0, 10), st.integers(0, 60))
def test_run_led_spans_are_finditers(pattern: str, text: str, pos: int, endpos: int) -> None:
    led = run_led(pattern)
    assert led != pattern
    assert [m.span() for m in regex.finditer(led, text)] == [m.span() for m in regex.finditer(pattern, text)]
    compiled, original = regex.compile(led), regex.compile(pattern)
    assert [m.span() for m in compiled.finditer(text, pos, endpos)] == [
        m.span() for m in original.finditer(text, pos, endpos)
    ]


# ---------------------------------------------------------------- alternations: one guard per branch


def test_each_branch_of_an_alternation_with_its_anchors_and_guard() -> None:
    pattern = "专题研究[^。;,]{0,15}法治|法治[^。;]{0,30}召开[^。;]{0,10}(班子会议?|专题会议?)|集体学法"
    assert branch_guards(pattern) == (
        frozenset({"集体学法"}),
        ((frozenset({"专题研究"}), ("法治", 21)), (frozenset({"法治"}), ("召开", 34))),
    )


@pytest.mark.parametrize(
    "pattern",
    [
        "集体学法|会前学法",  # no branch has a guard
        "专题研究[^。;,]{0,15}法治",  # no alternation
        "(?i)ab[^x]{0,20}cd|ef",  # case-insensitive
        "(?x)ab[^x]{0,20}cd|ef [^x]{0,20} g h",  # verbose: the second branch alone would read "g h" with its space
        "[^x]ab[^x]{0,20}cd|ef",  # a branch without anchors
    ],
)
def test_no_branch_guards(pattern: str) -> None:
    assert branch_guards(pattern) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(_patterns(), min_size=2, max_size=3), st.text(alphabet=_ALPHABET, max_size=80))
def test_branch_guarded_spans_are_finditers(branches: list[str], text: str) -> None:
    pattern = "|".join(branches)
    index = PhraseIndex.build(anchors(pattern) or ()).for_text(text)
    expected = [m.span() for m in regex.finditer(pattern, text) if m.end() > m.start()]
    assert find_spans(pattern, text, index) == expected
