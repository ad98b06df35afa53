"""A rule regex runs without the engine's time-out only when its work per start is proven
bounded (``regex_bound.step_bound``): every repetition counted, no backreference, nothing the
parser does not know. The budget's answers are the engine's answers either way, and the time
of an untimed call is still taken from the rule's budget."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.matchers.base import Budget, RegexTimeout, untimed
from auditor.matchers.regex_bound import MAX_STEPS, step_bound

BOUNDED = [
    "法治[^。]{0,6}(情况|工作)",
    "(?<!不)开展",
    "(常务会议?|专题会议?)[^。;]{0,25}(研究|审议)",
    "a?b?c{2}",
    "(?:a|b){0,10}",
    "x{,3}",
]
UNBOUNDED = [
    "(.|.)+[A-Z]",  # exponential
    "a*",
    "a+b",
    "a{2,}",
    r"(a)\1",  # backreference
    "(?:ab){e<=1}",  # regex-only fuzzy matching: `re` reads the braces as literals
    r"\p{Han}{0,3}",  # regex-only escape
    "[[:alpha:]]{0,3}",  # POSIX class in regex, a nested-set warning in re
    "(?>ab)c",  # atomic group
    "a?+",  # possessive
    "(?(1)a|b)",  # conditional
    r"\{0,3\}",  # escaped braces: refused too (conservative)
    "(?:.?.?.?.?){0,5}[A-Z]",  # bounded, but too many ways
    "(?:(?:(?:述){0,1}){0,3}){2,5}",  # nested counted repetitions: too many ways as well
    "(",  # not a pattern
]


@pytest.mark.parametrize("pattern", BOUNDED)
def test_counted_repetitions_have_a_bound(pattern: str) -> None:
    bound = step_bound(pattern)
    assert bound is not None and 0 < bound <= MAX_STEPS


@pytest.mark.parametrize("pattern", UNBOUNDED)
def test_anything_else_has_none(pattern: str) -> None:
    assert step_bound(pattern) is None


def test_the_bound_grows_with_the_ways() -> None:
    """Each extra optional repetition of a two-way group doubles what can be tried."""
    bounds = [step_bound(f"(?:.|.){{0,{k}}}[A-Z]") or 0 for k in range(1, 12)]
    assert all(b2 > 1.8 * b1 > 0 for b1, b2 in pairwise(bounds))


def test_a_call_at_the_limit_is_short() -> None:
    """The exponential family at the largest size still proven: one start fails fast enough to
    need no time-out; one size more is refused."""
    k = max(k for k in range(1, 30) if (b := step_bound(f"(?:.|.){{0,{k}}}[A-Z]")) is not None and b <= MAX_STEPS)
    compiled = regex.compile(f"(?:.|.){{0,{k}}}[A-Z]", regex.V0)
    assert untimed(compiled, 1) and not untimed(regex.compile(f"(?:.|.){{0,{k + 1}}}[A-Z]", regex.V0), 1)
    started = time.process_time()
    assert compiled.match("法" * 200) is None
    assert time.process_time() - started < 0.5


_ATOMS = ["述", "法", "a", "[^。]", "[法治]", ".", r"\d", "(?<!不)", "(?=法)"]


def _bounded_patterns() -> st.SearchStrategy[str]:
    def node(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        group = st.lists(children, min_size=1, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")")
        seq = st.lists(children, min_size=2, max_size=3).map("".join)
        counted = st.tuples(children, st.integers(0, 2), st.integers(0, 3)).map(
            lambda t: f"(?:{t[0]}){{{t[1]},{t[1] + t[2]}}}"
        )
        return group | seq | counted | children.map(lambda x: f"(?:{x})?")

    return st.recursive(st.sampled_from(_ATOMS), node, max_leaves=6)


_TEXT = st.text(alphabet="述法治a1。不", max_size=40)


@settings(max_examples=200, deadline=None)
@given(_bounded_patterns(), _TEXT)
def test_budget_answers_are_the_engines(pattern: str, text: str) -> None:
    """Timed or not, the budget finds what the engine finds. (Every repetition here is counted,
    yet nested or chained ones may allow more ways than ``MAX_STEPS``: such a pattern has no bound
    and keeps its time-out, e.g. ``(?:(?:(?:述){0,1}){0,3}){2,5}``; both paths are checked.)"""
    compiled = regex.compile(pattern, regex.V0)
    budget = Budget()
    assert budget.spans(compiled, text) == [m.span() for m in compiled.finditer(text)]
    found = budget.search(compiled, text, 1)
    expected = compiled.search(text, 1)
    assert (found and found.span()) == (expected and expected.span())
    positions = list(range(0, len(text), 3))
    want, last = [], 0
    for pos in positions:
        if pos >= last and (m := compiled.match(text, pos)) is not None:
            want.append(m.span())
            last = m.end()
    assert budget.anchored(compiled, text, positions) == want


@settings(max_examples=100, deadline=None)
@given(_bounded_patterns(), st.sampled_from(["*", "+", "{2,}"]))
def test_one_unbounded_repetition_anywhere_loses_the_bound(pattern: str, loop: str) -> None:
    assert step_bound(f"(?:{pattern})(?:述){loop}") is None
    assert step_bound(f"(?:(?:{pattern}){loop})?") is None


def test_an_untimed_call_still_spends_the_budget() -> None:
    compiled = regex.compile("法治[^。]{0,6}(情况|工作)", regex.V0)
    assert untimed(compiled, 40)
    budget = Budget(left=1.0)
    budget.anchored(compiled, "法治工作情况" * 10, list(range(0, 60, 6)))
    assert budget.left < 1.0
    with pytest.raises(RegexTimeout):
        Budget(left=0.0).anchored(compiled, "法治工作", [0])
