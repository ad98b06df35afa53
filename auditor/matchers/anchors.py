"""Literal anchors: run a regex only where it can start.

Most rule patterns are alternations whose every branch begins with literal Chinese text
(``行政复议[^。]{0,12}(案件|申请)|复议案件``). Such a pattern can only match where one of
those leading literals occurs, so instead of scanning the whole report with the regex
engine we find the literals with ``str.find`` and try the pattern only there. The hits are
exactly those of ``finditer`` (leftmost, non-overlapping); patterns without a literal
start on every branch fall back to a full scan.
"""

from __future__ import annotations

import functools
import re

from auditor.matchers.reparse import MAXREPEAT, parse

_META = set("\\.^$*+?{}[]()|")
MAX_TAILS = 16  # a literal is extended by what follows it only into this many anchors
_QUANT = set("?*{")


def _class_end(s: str, i: int) -> int:
    """Index just past the character class opening at ``s[i] == "["``."""
    j = i + 1
    if j < len(s) and s[j] == "^":
        j += 1
    if j < len(s) and s[j] == "]":
        j += 1
    while j < len(s) and s[j] != "]":
        j += 2 if s[j] == "\\" else 1
    return j + 1


@functools.lru_cache(maxsize=4096)
def split_alternatives(pattern: str) -> tuple[str, ...] | None:
    """Top-level alternatives of a regex, or None if the parentheses do not balance."""
    out, cur, depth, i = [], [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":  # a character class: copy it whole
            j = _class_end(pattern, i)
            cur.append(pattern[i:j])
            i = j
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return tuple(out) if depth == 0 else None


def _group_end(s: str, start: int) -> int:
    """Index just past the group opening at ``start`` (``s[start] == "("``)."""
    depth, i = 0, start
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(s, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _prefixes(branch: str, depth: int = 0) -> set[str] | None:
    """Literals one of which every match of ``branch`` starts with; None if unknown."""
    i = 0
    while branch.startswith(("(?<!", "(?<=", "(?=", "(?!"), i):  # zero-width: skip
        end = _group_end(branch, i)
        if end < 0:
            return None
        i = end
    rest = branch[i:]
    run: list[str] = []
    k = 0
    while k < len(rest):
        if rest[k] == "\\" and k + 1 < len(rest) and _escaped_literal(rest[k + 1]):
            run.append(rest[k + 1])  # \* \( \. …: the character itself
            k += 2
        elif rest[k] in _META:
            break
        else:
            run.append(rest[k])
            k += 1
    after = rest[k] if k < len(rest) else ""
    if run and after in _QUANT and not (after == "{" and _at_least_once(rest, k)):
        run.pop()  # the last literal is optional
    if run:
        literal = "".join(run)
        # a group or class right after the literal (法治(政府)?建设 → 法治政府, 法治建设): longer, rarer anchors
        tail = _prefixes(rest[k:], depth + 1) if after in ("(", "[") else None
        if tail and len(tail) <= MAX_TAILS:
            return {literal + t for t in tail}
        return {literal}
    if depth >= 3:
        return None
    if rest.startswith("[") and not rest.startswith("[^"):  # a small class of plain characters: one of them
        end = _class_end(rest, 0)
        chars = rest[1 : end - 1]
        if not chars or len(chars) > 10 or any(c in _META or c == "-" for c in chars):
            return None
        if end < len(rest) and rest[end] in _QUANT | {"+"}:
            return _repeated(set(chars), rest, end, depth)
        tail = _prefixes(rest[end:], depth + 1) if end < len(rest) else None
        found = {c + t for c in chars for t in tail} if tail and len(tail) * len(chars) <= 64 else set(chars)
        return found
    if rest.startswith("(") and (rest.startswith("(?:") or not rest.startswith("(?")):
        end = _group_end(rest, 0)
        if end < 0:
            return None
        inner = split_alternatives(rest[3 if rest.startswith("(?:") else 1 : end - 1])
        if not inner:
            return None
        found = set()
        for alt in inner:
            sub = _prefixes(alt, depth + 1)
            if not sub:
                return None
            found |= sub
        if end < len(rest) and rest[end] in _QUANT | {"+"}:
            return _repeated(found, rest, end, depth)
        return found
    return None


def _escaped_literal(ch: str) -> bool:
    """Whether ``\\ch`` stands for ``ch`` itself: an escaped ASCII punctuation character (escapes
    of letters and digits are classes, anchors or references)."""
    return ch.isascii() and not ch.isalnum() and ch not in "\n\t "


_COUNT = re.compile(r"\{(\d+)(?:,\d*)?\}")


def _at_least_once(rest: str, k: int) -> bool:
    """Whether the brace at ``rest[k]`` repeats what comes before it at least once (``{2,}``, ``{1,3}``)."""
    m = _COUNT.match(rest, k)
    return m is not None and int(m.group(1)) >= 1


def _repeated(first: set[str], rest: str, end: int, depth: int) -> set[str] | None:
    """Prefixes when a quantifier follows the element ending at ``end``: ``+`` keeps the
    element's own; ``?`` and ``*`` (it may be absent) add those of what follows; ``{`` gives up."""
    if rest[end] == "+":
        return first
    if rest[end] == "{":
        return None
    after = end + 1
    if after < len(rest) and rest[after] in "?+":  # lazy or possessive
        after += 1
    following = _prefixes(rest[after:], depth + 1) if after < len(rest) else None
    return first | following if following else None


_FLAGS = re.compile(r"\(\?[a-zA-Z]+\)")
# group numbers or global flags that would change meaning once the alternatives stand alone
_UNSPLITTABLE = re.compile(r"\\[1-9]|\\g<|\\k<|\(\?P=|\(\?\(|\(\?R\)|\(\?[0-9+&-]|\(\?[a-zA-Z]+\)")


@functools.lru_cache(maxsize=4096)
def units(pattern: str) -> tuple[tuple[str, str | None], ...] | None:
    """The top-level alternatives of ``pattern`` as ``(alternative, inner)``, each carrying
    the pattern's leading inline flags; ``inner`` is the body of an alternative that is one
    whole non-capturing group (``(?:a|b)`` → ``a|b``), which can be split in turn. None when
    the alternatives cannot stand alone (back-references, flags inside, unbalanced)."""
    flags = _FLAGS.match(pattern)
    prefix = flags.group(0) if flags else ""
    body = pattern[len(prefix) :]
    if _UNSPLITTABLE.search(body):
        return None
    branches = split_alternatives(body)
    if branches is None:
        return None
    return tuple(
        (prefix + b, prefix + b[3:-1] if b.startswith("(?:") and _group_end(b, 0) == len(b) else None) for b in branches
    )


@functools.lru_cache(maxsize=4096)
def alternatives(pattern: str) -> tuple[str, ...] | None:
    """The alternatives of ``pattern`` with whole-group alternatives flattened, at every
    depth (``(?:a|b)|c`` → a, b, c); None as for :func:`units`."""
    parts = units(pattern)
    if parts is None:
        return None
    out: list[str] = []
    for alternative, inner in parts:
        flattened = (alternative,) if inner is None else alternatives(inner)
        if flattened is None:
            return None
        out.extend(flattened)
    return tuple(out)


def scanned_parts(pattern: str) -> tuple[str, ...]:
    """Every regex that matching ``pattern`` one alternative at a time may scan on its own:
    the pattern, its flattened alternatives and the bodies of its whole-group alternatives."""
    out = [pattern]
    for alternative, inner in units(pattern) or ():
        out.extend(scanned_parts(inner) if inner is not None else (alternative,))
    return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=4096)
def anchors(pattern: str) -> frozenset[str] | None:
    """The literals every match of ``pattern`` starts with, or None when there are none."""
    branches = split_alternatives(pattern)
    if not branches:
        return None
    found: set[str] = set()
    for b in branches:
        p = _prefixes(b)
        if not p:
            return None
        found |= p
    return frozenset(found)


def candidate_starts(text: str, literals: frozenset[str]) -> list[int]:
    """Every position where one of the literals occurs, ascending."""
    out: set[int] = set()
    for lit in literals:
        i = text.find(lit)
        while i != -1:
            out.add(i)
            i = text.find(lit, i + 1)
    return sorted(out)


_CLASS_ESCAPES = ("\\d", "\\D", "\\w", "\\W", "\\s", "\\S")
_AT_LEAST = re.compile(r"\+\??|\{[1-9][0-9]*,\}\??")  # + and {m,} (m >= 1), greedy or lazy; not possessive


@functools.lru_cache(maxsize=4096)
def run_led(pattern: str) -> str:
    """``pattern`` tried only where a run of the class it starts with begins, for a full scan.

    A pattern whose first item repeats one character class ``X`` at least once without a
    bound (``\\d+…``, ``[一二三]{2,}…``) matches from a position ``p`` inside a run of ``X``
    (``text[p-1]`` in ``X``) only if it also matches from ``p-1``: the repeat takes that one
    character more, and the rest of the pattern goes on from the same position. So the
    leftmost match of a search never starts inside a run, except where the search itself
    starts (``\\G``: after the previous match of ``finditer``), and ``(?:\\G|(?<!X))X+…``
    finds exactly the spans ``X+…`` does, while the engine gives up at once inside a run.
    Any other pattern is returned unchanged."""
    if pattern.startswith(_CLASS_ESCAPES):
        cls = pattern[:2]
    elif pattern.startswith("[") and not pattern.startswith("[["):
        cls = pattern[: _class_end(pattern, 0)]
    else:
        return pattern
    if _AT_LEAST.match(pattern, len(cls)) is None or not _repeats_one_class(pattern):
        return pattern
    return f"(?:\\G|(?<!{cls})){pattern}"


def _repeats_one_class(pattern: str) -> bool:
    """Python's parser reads ``pattern`` as a sequence whose first item repeats one character
    (class) at least once without a bound (not an alternation, not possessive)."""
    tree = parse(pattern)
    if tree is None:
        return False
    items = list(tree)
    if not items or str(items[0][0]) not in ("MAX_REPEAT", "MIN_REPEAT"):
        return False
    low, high, sub = items[0][1]
    body = list(sub)
    return (
        low >= 1
        and high == MAXREPEAT
        and len(body) == 1
        and str(body[0][0]) in ("IN", "CATEGORY", "LITERAL", "NOT_LITERAL")
    )
