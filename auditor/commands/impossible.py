"""Regexes that can never match anything, found by reading their syntax tree.

A rule regex is matched against report text; some patterns parse fine yet cannot match
any text at all, so the rule silently says "gap" for every report:

* an end anchor followed by text that must be consumed (``普法$^``, ``完成$。``: ``$`` is only
  followed by a line break or the end), or a start anchor preceded by consumed text;
* a lookahead whose required characters contradict what follows (``(?=甲)乙``), a negative
  lookahead that forbids exactly what follows (``(?!甲)甲``); the same for lookbehinds.

The analysis is conservative: it reports a pattern only when it is certain, and says
nothing about syntax it does not model (the ``regex`` module's extensions included).
"""

from __future__ import annotations

import re._constants as C  # the standard library's regex opcodes
import re._parser as P
from typing import Any

Chars = frozenset[str] | None  # the characters a position may hold; None: unknown / too many
_ANY: Chars = None
_MAX_CLASS = 512


def never_matches(pattern: str) -> str | None:
    """Why ``pattern`` can match no text at all, or None when it may (or when unsure)."""
    try:
        tree = P.parse(pattern)
    except Exception:  # not Python `re` syntax (e.g. the `regex` module's \p{Han}): no opinion
        return None
    return _seq_reason(list(tree))


def _seq_reason(seq: list[Any]) -> str | None:
    for i, (op, av) in enumerate(seq):
        before, after = seq[:i], seq[i + 1 :]
        inner = _inner_reason(op, av)
        if inner:
            return inner
        if op is C.AT and av in (C.AT_END, C.AT_END_STRING) and _min_width(after) > 0:
            first = _first(after)
            if av is C.AT_END_STRING or (first is not None and "\n" not in first):
                return "the end anchor ($ or \\Z) is followed by text that must still be matched"
        if op is C.AT and av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING) and _min_width(before) > 0:
            last = _last(before)
            if av is C.AT_BEGINNING_STRING or (last is not None and "\n" not in last):
                return "the start anchor (^ or \\A) is preceded by text that must already be matched"
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, sub = av
            reason = _assert_reason(op is C.ASSERT, direction, list(sub), before, after)
            if reason:
                return reason
    return None


def _inner_reason(op: Any, av: Any) -> str | None:
    if op is C.SUBPATTERN:
        return _seq_reason(list(av[-1]))
    if op is C.BRANCH:
        reasons = [_seq_reason(list(alt)) for alt in av[1]]
        return reasons[0] if all(reasons) else None  # impossible only if every alternative is
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] > 0:
        return _seq_reason(list(av[2]))
    return None


def _assert_reason(positive: bool, direction: int, sub: list[Any], before: list[Any], after: list[Any]) -> str | None:
    neighbour = after if direction == 1 else before
    if _min_width(sub) == 0 or _min_width(neighbour) == 0:
        return None
    if positive:
        need = _first(sub) if direction == 1 else _last(sub)
        have = _first(neighbour) if direction == 1 else _last(neighbour)
        if need is not None and have is not None and not need & have:
            kind = "lookahead" if direction == 1 else "lookbehind"
            return f"the {kind} requires a character that the pattern next to it can never have"
        return None
    forbidden = _literal_prefix(sub)
    present = _literal_prefix(neighbour) if direction == 1 else _literal_suffix(neighbour)
    if forbidden and len(forbidden) == _min_width(sub) == _max_width(sub):
        clash = present.startswith(forbidden) if direction == 1 else present.endswith(forbidden)
        if clash:
            kind = "negative lookahead" if direction == 1 else "negative lookbehind"
            return f"the {kind} forbids exactly the text the pattern next to it requires ({forbidden!r})"
    return None


# ---------------------------------------------------------------- widths and character sets


def _widths(seq: list[Any]) -> tuple[int, int]:
    lo, hi = P.SubPattern(P.State(), seq).getwidth() if seq else (0, 0)
    return int(lo), int(hi)


def _min_width(seq: list[Any]) -> int:
    return _widths(seq)[0]


def _max_width(seq: list[Any]) -> int:
    return _widths(seq)[1]


def _first(seq: list[Any]) -> Chars:
    """The characters the first consumed character of ``seq`` may be."""
    return _edge(seq, last=False)


def _last(seq: list[Any]) -> Chars:
    """The characters the last consumed character of ``seq`` may be."""
    return _edge(seq, last=True)


def _edge(seq: list[Any], last: bool) -> Chars:
    out: set[str] = set()
    for op, av in reversed(seq) if last else seq:
        chars, width = _item_edge(op, av, last)
        if chars is None:
            return None
        out |= chars
        if width > 0:
            return frozenset(out)
    return None  # may consume nothing: whatever comes next decides


def _item_edge(op: Any, av: Any, last: bool) -> tuple[Chars, int]:
    """The characters at one edge of a single item, and the item's minimum width."""
    if op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
        return frozenset(), 0
    if op is C.SUBPATTERN:
        sub = list(av[-1])
        return _edge(sub, last), _min_width(sub)
    if op is C.BRANCH:
        alts = [list(a) for a in av[1]]
        sets = [_edge(a, last) for a in alts]
        if any(s is None for s in sets) or any(_min_width(a) == 0 for a in alts):
            return None, 0
        return frozenset().union(*[s for s in sets if s is not None]), 1
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        sub = list(av[2])
        return (None, 0) if av[0] == 0 else (_edge(sub, last), _min_width(sub))
    return _one_char(op, av), 1


def _one_char(op: Any, av: Any) -> Chars:
    if op is C.LITERAL:
        return frozenset(chr(av))
    if op is C.IN:
        chars: set[str] = set()
        for item_op, item_av in av:
            if item_op is C.LITERAL:
                chars.add(chr(item_av))
            elif item_op is C.RANGE and item_av[1] - item_av[0] < _MAX_CLASS:
                chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
            else:
                return _ANY  # negation, categories, big ranges
        return frozenset(chars)
    return _ANY


def _literal_prefix(seq: list[Any]) -> str:
    out = []
    for op, av in seq:
        if op is not C.LITERAL:
            break
        out.append(chr(av))
    return "".join(out)


def _literal_suffix(seq: list[Any]) -> str:
    out = []
    for op, av in reversed(seq):
        if op is not C.LITERAL:
            break
        out.append(chr(av))
    return "".join(reversed(out))
