"""A proof that a rule regex cannot backtrack for long: the bound on its work per start position.

A pattern whose every repetition is bounded (``{m,n}``, ``?``; no ``*``, ``+`` or ``{m,}``), with
no backreference, conditional, atomic group or possessive repeat, can try only finitely many
ways to match from one position: a sequence multiplies its items' ways, an alternation adds its
branches', ``x{m,n}`` tries at most ``sum(ways(x)**k for k in m..n)``, a single character one
(a lookaround is counted as a factor, which over-counts). Each way visits at most every item of
the pattern once its counted repetitions are unrolled (``unrolled_size``). Their product bounds
the engine's steps from one start, so a call that tries ``n`` start positions does at most
``n * step_bound(pattern)`` steps: when that is small the call needs no time-out (the `regex`
engine's ``timeout=`` costs ≈ 2 µs per call, reading the clock, more than most anchored matches).

The pattern is read with Python's own parser (``re._parser``), which knows the syntax the
rule files use; anything it does not parse, or parses into something not listed here (and
`regex`-only syntax such as fuzzy ``{e<=1}`` that it would read as literal braces), gets no
bound: its calls keep the time-out.
"""

from __future__ import annotations

import functools
from typing import Any

from auditor.matchers.regex_size import unrolled_size
from auditor.matchers.reparse import MAXREPEAT, parse

#: bounded steps a call may do without a time-out: the worst patterns measured take 2–4 ns per
#: bounded step (``(?:.|.){0,15}[A-Z]``: bound 2.0 M, 3.8 ms), so a call stays under ≈ 0.05 s
MAX_STEPS = 10_000_000
_MAX_WAYS = MAX_STEPS  # more ways than this from one position: no bound is claimed

_BRACES = (ord("{"), ord("}"))


@functools.lru_cache(maxsize=4096)
def step_bound(pattern: str) -> int | None:
    """An upper bound on the steps of matching ``pattern`` from one start position, or None
    when none up to ``MAX_STEPS`` is proven."""
    tree = read_as_regex(pattern)
    if tree is None:
        return None
    parsed = list(tree)
    ways = _ways(parsed)
    steps = None if ways is None else ways * max(1, unrolled_size(pattern))
    return steps if steps is not None and steps <= MAX_STEPS else None


def read_as_regex(pattern: str) -> Any:
    """``pattern`` as Python's parser reads it (:func:`reparse.parse`), or None when it cannot, or
    when the `regex` module the rules run on may read it otherwise: a POSIX-like class (``[[``),
    or a brace that is no counted repetition (fuzzy matching, ``{e<=1}``)."""
    if "[[" in pattern:
        return None
    tree = parse(pattern)
    return None if tree is None or _mentions(list(tree), _BRACES) else tree


def _mentions(items: list[Any], codes: tuple[int, ...]) -> bool:
    for op, av in items:
        name = str(op)
        if name == "LITERAL" and av in codes:
            return True
        if name == "IN" and any(str(o) == "LITERAL" and a in codes for o, a in av):
            return True
        for sub in _subpatterns(name, av):
            if _mentions(sub, codes):
                return True
    return False


def _subpatterns(name: str, av: Any) -> list[list[Any]]:
    if name == "SUBPATTERN":
        return [list(av[3])]
    if name == "BRANCH":
        return [list(b) for b in av[1]]
    if name in ("MAX_REPEAT", "MIN_REPEAT", "ASSERT", "ASSERT_NOT"):
        return [list(av[2] if name.endswith("REPEAT") else av[1])]
    return []


_ONE_CHAR = {"LITERAL", "NOT_LITERAL", "ANY", "IN", "RANGE", "CATEGORY", "AT"}


def _ways(items: list[Any]) -> int | None:
    """The ways a sequence can match from one position (None: unbounded or too many)."""
    total = 1
    for op, av in items:
        name = str(op)
        if name in _ONE_CHAR:
            continue
        if name == "SUBPATTERN":
            ways = _ways(list(av[3]))
        elif name == "BRANCH":
            branches = [_ways(list(b)) for b in av[1]]
            ways = None if None in branches else sum(b for b in branches if b is not None)
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            ways = _repeat_ways(av)
        elif name in ("ASSERT", "ASSERT_NOT"):
            ways = _ways(list(av[1]))
        else:  # backreferences, conditionals, atomic groups, possessive repeats, anything new
            return None
        if ways is None:
            return None
        total *= max(1, ways)
        if total > _MAX_WAYS:
            return None
    return total


def _repeat_ways(av: Any) -> int | None:
    low, high, sub = av
    if high >= MAXREPEAT or high > _MAX_WAYS:
        return None
    inner = _ways(list(sub))
    if inner is None:
        return None
    ways = 0
    for k in range(low, high + 1):
        ways += inner**k
        if ways > _MAX_WAYS:
            return None
    return ways
