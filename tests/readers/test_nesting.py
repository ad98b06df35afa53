"""The nesting limiter: a page proved unable to nest too deep is left alone exactly when the
tag-by-tag pass would leave it alone, and the pass itself is the one it always was.

The oracle below is the limiter as it was before the skeleton proof (commit feb2038): its loop,
written out here so that any change of the shipped code is measured against it on generated markup,
and its own reading of a tag, written as HTML's tokenizer states (an independent implementation of
what the shipped pattern does in one regular expression; before, a quote opened a quoted value
anywhere in a tag, where HTML opens one only after "=")."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from auditor.readers import nesting
from auditor.readers.nesting import MAX_DEPTH, _limited, _within, limit_nesting

_ORACLE_SKIPPED = re.compile(  # comments and raw-text elements: no tag inside
    r"<!--.*?(?:-->|\Z)|<(?P<raw>script|style|textarea|title|xmp)\b.*?(?:</(?P=raw)\s*>|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_WS = "\t\n\f\r "


def _tag_end(markup: str, k: int) -> int:
    """Where a tag whose name ends at ``k`` ends (past its ">", or the end of the markup: a tag cut off by
    the end is dropped), read through HTML's tokenizer states from "before attribute name"."""
    state = "before name"
    while k < len(markup):
        c = markup[k]
        k += 1
        if c == ">":
            return k
        if state in ("before name", "after name"):
            if c == "/":  # "self-closing start tag": anything but ">" is read again before a name
                state = "before name"
            elif c not in _WS:
                state = "before value" if state == "after name" and c == "=" else "name"
        elif state == "name":
            state = {"=": "before value", "/": "before name"}.get(c, "after name" if c in _WS else "name")
        elif state == "before value":
            if c in "\"'":
                close = markup.find(c, k)
                if close < 0:
                    return len(markup)
                k, state = close + 1, "before name"
            elif c not in _WS:
                state = "unquoted"
        elif state == "unquoted" and c in _WS:
            state = "before name"
    return len(markup)


def _oracle_tags(markup: str) -> Iterator[tuple[int, int, bool, str]]:
    """(start, end, closing, name) of each tag, in order."""
    i = markup.find("<")
    while i >= 0:
        skipped = _ORACLE_SKIPPED.match(markup, i)
        if skipped:
            i = markup.find("<", skipped.end())
            continue
        j = i + 2 if markup.startswith("</", i) else i + 1
        if j < len(markup) and markup[j].isascii() and markup[j].isalpha():
            k = j
            while k < len(markup) and markup[k] not in _WS + "/>":
                k += 1
            end = _tag_end(markup, k)
            yield i, end, j == i + 2, markup[j:k].lower()
            i = markup.find("<", end)
        else:
            i = markup.find("<", i + 1)


def _oracle(markup: str, max_depth: int) -> str:
    stack: list[str] = []
    counts: dict[str, int] = {}
    pieces: list[str] = []
    kept = 0
    too_deep = False
    for start, end, closing, name in _oracle_tags(markup):
        if name in nesting._VOID or name in nesting._OPTIONAL_END:
            continue
        if closing and counts.get(name):
            while stack:
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
        pieces.append(markup[kept:start])
        kept = end
    if not too_deep:
        return markup
    pieces.append(markup[kept:])
    return "".join(pieces)


# counted names (some upper case, one that only starts like a void one), void and optional-end
# ones, raw-text elements, and an attribute list that holds ">" inside quotes
_NAMES = ["div", "DIV", "Span", "a", "b", "table", "font", "brx", "section", "ul"]
_UNCOUNTED = ["br", "IMG", "p", "li", "td", "tr", "hr", "option"]
_ATTRS = ["", ' class="x"', " title='a>b'", ' onclick="if(a>b){f()}"', " data-x='<div>'", ' title="unclosed']
_TEXT = ["法治", " ", "\n", "<", ">", "<!-- <div> -->", "<!--", "-->", "</", "<div", "'", '"', "&lt;div&gt;"]
_RAW = ["<script>var s = '<div><div>';</script>", "<SCRIPT>x</div></script >", "<style>a > b {}</style>", "<title>t"]


@st.composite
def _tree(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested elements (a real page's shape, so that the skeleton proof has leaves to peel) with
    stray and unclosed tags, comments and raw text among them."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind <= 3 and depth < 12:
            name, attrs = draw(st.sampled_from(_NAMES)), draw(st.sampled_from(_ATTRS))
            end = draw(st.sampled_from([f"</{name}>", f"</{name.upper()}>", f"</{name} >", ""]))
            parts.append(f"<{name}{attrs}>{draw(_tree(depth + 1))}{end}")
        elif kind == 4:
            parts.append(f"<{draw(st.sampled_from(_UNCOUNTED))}{draw(st.sampled_from(_ATTRS))}>")
        elif kind == 5:
            parts.append(f"</{draw(st.sampled_from(_NAMES + _UNCOUNTED))}>")  # stray or closing an outer one
        elif kind == 6:
            parts.append(draw(st.sampled_from(_RAW)))
        else:
            parts.append(draw(st.sampled_from(_TEXT)))
    return "".join(parts)


_SOUP = st.lists(
    st.one_of(
        st.sampled_from(_NAMES + _UNCOUNTED).map(lambda t: f"<{t}>"),
        st.sampled_from(_NAMES + _UNCOUNTED).map(lambda t: f"</{t}>"),
        st.sampled_from(_TEXT + _RAW + [f"<a{a}>" for a in _ATTRS]),
    ),
    max_size=120,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_tree(), _SOUP.map("".join)), st.integers(1, 12))
@example("<div>" * 4 + "</div>" * 4 + "<div><span></span></div>", 3)  # within the limit, after one peel
@example("<div><a></a>" * 3 + "</div>" * 3, 3)  # one element too deep once the leaves are gone
@example("<div><script>'</div>'</script>" * 4, 3)  # an end tag in raw text closes nothing
@example("<div title='>'><b>" * 3 + "</b></div>" * 3, 4)
@example('<div title="unclosed></div><div class="x"><div class="x"></div></div>', 1)  # the value runs to the next quote
@example('<div><div "x>y">z</div></div>', 1)  # a quote before "=" is part of an attribute's name: ">" ends the tag
@example('<div><div a=b"c>d</div></div>', 1)  # and of an unquoted value
def test_limit_nesting_equals_the_tag_by_tag_pass(markup: str, depth: int) -> None:
    assert _limited(markup, depth) == _oracle(markup, depth)
    limited = limit_nesting(markup, depth)
    assert limited == _oracle(markup, depth)
    if _within(markup, depth):  # the proof never lets through a page the pass would change
        assert _oracle(markup, depth) is markup


def _page(links: int, layers: int) -> str:
    """A saved page's shape: layout divs, menus of links, a table of links, unclosed tags."""
    menu = "<ul>" + "<li><a href='/c/'><span>栏目</span></a><i></i>" * links + "</ul>"
    table = "<table>" + "<tr><td><a href='x'>链接</a></td><td><font>2024</font></td>" * links + "</table>"
    body = "<div class='wrap'>" * layers + menu + table + "<p>正文<b>加粗</b>" * 50 + "</div>" * layers
    return f"<html><head><script>if (a < b) document.write('<div>');</script></head><body><font>{body}"


def test_a_heavy_page_is_proved_within_the_limit_without_the_tag_by_tag_pass() -> None:
    page = _page(links=2000, layers=40)
    assert page.count("<") - page.count("</") > MAX_DEPTH  # the cheap count cannot tell
    assert _within(page, MAX_DEPTH)
    assert limit_nesting(page) is page


def test_a_deep_page_is_left_to_the_tag_by_tag_pass() -> None:
    deep = _page(links=10, layers=MAX_DEPTH + 1)
    assert not _within(deep, MAX_DEPTH)
    limited = limit_nesting(deep)
    assert limited != deep and limited == _oracle(deep, MAX_DEPTH)


def test_the_proof_gives_up_early_on_a_hostile_page() -> None:
    """100,000 nested <div>: one peel removes one leaf, so the proof stops after it and the
    pass decides; both stay linear."""
    markup = "<body>" + "<div>" * 100_000 + "正文" + "</div>" * 100_000
    start = time.process_time()
    assert not _within(markup, MAX_DEPTH)
    limited = limit_nesting(markup)
    assert time.process_time() - start < 5
    assert limited == "<body>" + "<div>" * MAX_DEPTH + "正文" + "</div>" * MAX_DEPTH
