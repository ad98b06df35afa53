"""Guards: a literal every match of a pattern holds within a bounded reach of its start.

``(常务会议?|专题会议?)[^。;]{0,25}(研究|听取)[^。;]{0,20}法治`` is tried at each occurrence of
its anchors (``anchors``), but a match from ``p`` must end with 法治, which starts at most
4 + 25 + 2 + 20 characters after ``p``: where ``text.find("法治", p, p + 53)`` finds nothing,
no match starts at ``p`` and the attempt (≈ 0.5–2 µs of backtracking) is skipped for one
``str.find`` in a window (≈ 0.1 µs). Skipping a start where no match begins changes nothing:
the anchored matches are exactly those of ``finditer`` either way.

A guard is a ``(literal, reach)``: every match starting at ``p`` holds the literal inside
``text[p : p + reach]``. It is read from the pattern's top-level sequence (Python's
``re._parser``, as ``regex_bound`` does), where every item before the literal has a bounded
width: a run of literal characters, or one inside a group or a lookahead
(``(?=[^。;]{0,30}依法行政)``), or the literal every branch of an alternation holds
(``(专题会议?|推进会议?|领导小组会议)``: 会, within the widest branch) unless the alternation may
start the match (its branches' starts are the anchors: 法 of ``法治政府建设|依法行政`` would prune
nothing). An alternation whose branches share no literal has none (one literal per branch was
measured to cost more than it saves), nor has a literal that may start only a few characters
after the start (``法治(政府)?建设``: the anchors already end there). Anything unparsed,
case-insensitive, or holding a brace that is no counted repetition (`regex`'s fuzzy
``{e<=1}``) gets no guard.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from auditor.matchers.anchors import anchors, split_alternatives
from auditor.matchers.regex_bound import read_as_regex
from auditor.matchers.reparse import MAXREPEAT, PARSER

#: a literal that may start at most this far from the match's start saves nothing: an attempt
#: that does not find it fails within a few characters anyway (measured on the corpus)
MIN_OFFSET = 8


@functools.lru_cache(maxsize=4096)
def guard(pattern: str) -> tuple[str, int] | None:
    """``(literal, reach)``: every match starting at ``p`` holds ``literal`` inside
    ``text[p : p + reach]`` — or None when no such literal may start ``MIN_OFFSET`` or more
    characters after the start."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    found = _sequence(parsed.state, list(parsed), True)
    return found if found is not None and found[1] - len(found[0]) >= MIN_OFFSET else None


#: the guarded branches of a top-level alternation: each one's anchors and guard
Guarded = tuple[tuple[frozenset[str], tuple[str, int]], ...]


@functools.lru_cache(maxsize=4096)
def branch_guards(pattern: str) -> tuple[frozenset[str], Guarded] | None:
    """Of a top-level alternation some of whose branches have a guard: the anchors of the
    branches without one (tried wherever one occurs), and each guarded branch's anchors and
    guard. A match of the alternation is a match of one branch, which starts with one of that
    branch's anchors: a start where no branch both has an anchor and holds its guard is no
    match's. None for any other pattern, or when the branches cannot be read on their own."""
    branches = split_alternatives(pattern)
    if branches is None or len(branches) < 2:
        return None
    parsed = _parsed(pattern)
    if parsed is None or parsed.state.flags & re.VERBOSE:
        return None  # a verbose pattern's flag stands in its first branch only: the others would read differently
    free: set[str] = set()
    guarded: list[tuple[frozenset[str], tuple[str, int]]] = []
    for branch in branches:
        starts = anchors(branch)
        if starts is None:
            return None
        held = guard(branch)
        if held is None:
            free |= starts
        else:
            guarded.append((starts, held))
    return (frozenset(free), tuple(guarded)) if guarded else None


def _parsed(pattern: str) -> Any:
    """The pattern as Python's parser reads it and `regex` reads it alike (``read_as_regex``); None
    also when it is case-insensitive."""
    parsed = read_as_regex(pattern)
    if parsed is None or parsed.state.flags & (re.IGNORECASE | re.LOCALE):
        return None
    return parsed


def _sequence(state: Any, items: list[Any], leading: bool) -> tuple[str, int] | None:
    """The guard of a sequence: the best (``_rank``; the last of equals) of its literals whose
    items before all have a bounded width. ``leading``: the sequence may start at the match's start."""
    best: tuple[str, int] | None = None
    i = 0
    while i < len(items):
        least, offset = PARSER.SubPattern(state, items[:i]).getwidth()
        if offset >= MAXREPEAT:
            break  # an unbounded item before: no reach
        j = i
        while j < len(items) and str(items[j][0]) == "LITERAL":
            j += 1
        if j > i:
            literal = "".join(chr(av) for _, av in items[i:j])
            found: tuple[str, int] | None = (literal, offset + len(literal))
            i = j
        else:
            found = _item(state, items[i], offset, leading and least == 0)
            i += 1
        if found is not None and (best is None or _rank(found) >= _rank(best)):
            best = found
    return best


def _rank(found: tuple[str, int]) -> tuple[bool, int]:
    """A literal that may start far enough from the start first, then the longest."""
    literal, reach = found
    return reach - len(literal) >= MIN_OFFSET, len(literal)


def _item(state: Any, item: Any, offset: int, leading: bool) -> tuple[str, int] | None:
    """The guard of one item that starts at most ``offset`` after the match's start (``leading``:
    it may start the match)."""
    op, av = str(item[0]), item[1]
    if op == "SUBPATTERN" and not av[1] and not av[2]:  # a group without flags of its own
        inner = _sequence(state, list(av[3]), leading)
    elif op == "ASSERT" and av[0] == 1:  # a lookahead: what it holds starts where it stands
        inner = _sequence(state, list(av[1]), leading)
    elif op == "BRANCH" and not leading:  # one that may start the match: its literals are near the anchors
        inner = _common(state, av[1])
    else:
        return None
    return None if inner is None else (inner[0], offset + inner[1])


def _common(state: Any, branches: list[Any]) -> tuple[str, int] | None:
    """The guard of an alternation: the longest run of literal characters that stands in every
    branch's own sequence (``(专题会议?|推进会议?|领导小组会议)``: 会), with the widest branch's
    width as its reach — whichever branch matches, its text holds the literal. None when the
    branches share no literal or one may be unboundedly wide."""
    width = 0
    shared: set[str] | None = None
    for branch in branches:
        width = max(width, branch.getwidth()[1])
        held = _substrings(list(branch))
        shared = held if shared is None else shared & held
        if not shared:
            return None
    if width >= MAXREPEAT or not shared:
        return None
    return max(sorted(shared), key=len), width


def _substrings(items: list[Any]) -> set[str]:
    """Every substring of the runs of literal characters among ``items`` (a branch's top level)."""
    out: set[str] = set()
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if str(op) == "LITERAL":
            run.append(chr(av))
            continue
        word = "".join(run)
        out.update(word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1))
        run = []
    return out
