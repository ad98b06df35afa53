"""How deep a web page's tags may nest before the HTML tree builder sees them.

The tree builder looks through the open elements at every block tag, so a page of 100,000
nested ``<div>`` takes minutes; real pages nest a few dozen deep. :func:`limit_nesting` drops
the tags nested deeper than :data:`MAX_DEPTH` (their text kept), tracking the open elements
approximately (void elements and tags whose end tag may be left out do not count) in one linear
pass over the page's tokens. A page that cannot nest that deep is returned unchanged without
that pass: :func:`_within` proves it at C speed from the sequence of its tag names.
"""

from __future__ import annotations

import re
from itertools import filterfalse

MAX_DEPTH = 512  # open elements kept by limit_nesting
# Tokens as the HTML tokenizer sees them: comments and raw-text elements whole, then tags. In a tag
# (HTML's tokenizer states, whitespace being tab, LF, FF, CR and space only) a name runs to
# whitespace, "/" or ">"; then come whitespace, "/" and attributes: a name (its first character
# may be "=", a quote or anything but whitespace, "/" and ">"; then anything but those and "=")
# and, after "=", a value: quoted (a quote opens one only there; unclosed, it runs to the end) or
# unquoted (to whitespace or ">"). Every match consumes what it scanned, unterminated ones to the
# end (where the tokenizer drops the tag), so the pass is linear. ``tag`` is the name, after "/"
# in an end tag.
_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(?P<raw>script|style|textarea|title|xmp)\b.*?(?:</(?P=raw)\s*>|\Z)"
    r"|<(?P<tag>/?[A-Za-z][^\t\n\f\r />]*+)"
    r"(?:[\t\n\f\r /]++|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]++)?)?)*+>?",
    re.DOTALL | re.IGNORECASE,
)
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
        "keygen",
        "image",
        "isindex",
    }
)
_OPTIONAL_END = frozenset(  # closed implicitly by the parser, so they do not nest
    {
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rp",
        "rtc",
        "colgroup",
        "caption",
        "html",
        "head",
        "body",
    }
)
_UNCOUNTED = frozenset(name for tag in _VOID | _OPTIONAL_END for name in (tag, "/" + tag))
# Two tokens of the skeleton (" name /name "): an element opened and closed with no counted tag inside
_LEAF = re.compile(r" ([^ /][^ ]*) /\1(?= )")
_MAX_PASSES = 32  # leaf layers peeled before the exact pass decides (real pages need a few)


def limit_nesting(markup: str, max_depth: int = MAX_DEPTH) -> str:
    """``markup`` with the tags nested deeper than ``max_depth`` removed (their text kept).

    A page within the limit is returned unchanged, and in one beyond it the end tags that close
    nothing are dropped as well."""
    if markup.count("<") - markup.count("</") <= max_depth:
        return markup  # fewer tags can open (each starts at a "<" not followed by "/") than may nest
    if _within(markup, max_depth):
        return markup
    return _limited(markup, max_depth)


def _within(markup: str, max_depth: int) -> bool:
    """True if :func:`_limited` would keep every tag of ``markup`` (False: it may not).

    The counted tags' names (lower case, "/" before an end tag's) are written as a skeleton,
    one space between. An element opened and closed with no counted tag between (a leaf) changes
    no other element's depth, so removing every leaf lowers the deepest nesting by at most one;
    after ``k`` such passes the page nests at most ``k`` deeper than the tags left can open."""
    names = filter(None, _TAG.split(markup)[2::3])  # split gives the text, then the groups raw and tag
    skeleton = " " + " ".join(filterfalse(_UNCOUNTED.__contains__, map(str.lower, names))) + " "
    for peeled in range(_MAX_PASSES + 1):
        opened = skeleton.count(" ") - 1 - skeleton.count(" /")
        if opened + peeled <= max_depth:
            return True
        if peeled == _MAX_PASSES:
            break
        skeleton, leaves = _LEAF.subn("", skeleton)
        if leaves * 8 < opened:  # (a hostile page peels slowly: the exact pass is cheaper)
            break
    return False


def _limited(markup: str, max_depth: int) -> str:
    """:func:`limit_nesting` by tracking the open elements (the pass it skips on a page that cannot nest too deep)."""
    stack: list[str] = []
    counts: dict[str, int] = {}
    pieces: list[str] = []
    kept = 0  # markup[:kept] is already in pieces
    too_deep = False
    for match in _TAG.finditer(markup):
        tag = match.group("tag")
        if not tag:
            continue
        closing = tag[0] == "/"
        name = (tag[1:] if closing else tag).lower()
        if name in _VOID or name in _OPTIONAL_END:
            continue
        if closing and counts.get(name):
            while stack:  # close it and everything opened inside it, as the parser would
                top = stack.pop()
                counts[top] -= 1
                if top == name:
                    break
            continue
        if not closing and len(stack) < max_depth:
            stack.append(name)
            counts[name] = counts.get(name, 0) + 1
            continue
        too_deep = too_deep or not closing
        pieces.append(markup[kept : match.start()])  # too deep, or closing nothing: dropped
        kept = match.end()
    if not too_deep:
        return markup
    pieces.append(markup[kept:])
    return "".join(pieces)
