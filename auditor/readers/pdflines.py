"""A page's visual lines from its positioned characters, as pdfplumber's
``page.extract_text_lines(strip=True)`` builds them from upright text with its default
tolerances (3 points), in a few plain loops instead of its word and text maps.

* characters are grouped into lines by ``top``: the sorted distinct tops are chained into one
  line while each is within 3 of the previous one;
* a line's characters are ordered by ``x0`` (ties keep their order) and split into words at a
  blank character, where a character starts left of the previous one, more than 3 right of its
  end, or more than 3 above or below it;
* the words are grouped again by their tops (the top of a word is that of its highest
  character), which can only split a line further, and joined with one space;
* a line is its words' text, ``x0`` the leftmost and ``x1`` the rightmost end of its characters.

``tests/readers/test_pdf_lines.py`` checks this against pdfplumber on random characters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import attrgetter
from typing import NamedTuple, TypeVar

from auditor.readers.paragraphs import LayoutLine

T = TypeVar("T")
TOLERANCE = 3.0
#: pdfplumber expands these ligatures in a line's text (``pdfplumber.utils.text.LIGATURES``)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURES = str.maketrans(LIGATURES)


class Char(NamedTuple):
    """One upright character: its text and box (``top`` measured down from the top of the page)."""

    text: str
    x0: float
    x1: float
    top: float


_TEXT, _X0, _TOP = attrgetter("text"), attrgetter("x0"), attrgetter("top")


def page_lines(chars: Sequence[Char]) -> list[LayoutLine]:
    """The visual lines of a page (top to bottom) from its characters in content order."""
    lines: list[LayoutLine] = []
    for row in _clusters(chars, [c.top for c in chars]):
        row.sort(key=_X0)
        words = _words(row)
        for group in _clusters(words, [min(map(_TOP, word)) for word in words], keep_order=True):
            text = " ".join("".join(map(_TEXT, word)) for word in group).translate(_LIGATURES)
            lines.append(
                LayoutLine(text, min(c.x0 for word in group for c in word), max(c.x1 for word in group for c in word))
            )
    return lines


def _clusters(items: Sequence[T], keys: Sequence[float], *, keep_order: bool = False) -> list[list[T]]:
    """Items grouped by key: distinct keys chained while within the tolerance of the previous one.
    Groups come in key order (items keep their order inside a group), or with ``keep_order``
    as runs of consecutive items of the same group."""
    index: dict[float, int] = {}
    group, last = -1, -math.inf
    for key in sorted(set(keys)):
        group += key > last + TOLERANCE
        index[key], last = group, key
    groups: list[list[T]] = []
    current = -1
    of_item = [index[key] for key in keys]
    order = range(len(items)) if keep_order else sorted(range(len(items)), key=of_item.__getitem__)
    for i in order:
        if of_item[i] != current or not groups:
            groups.append([])
            current = of_item[i]
        groups[-1].append(items[i])
    return groups


def _words(row: Sequence[Char]) -> list[list[Char]]:
    words: list[list[Char]] = []
    word: list[Char] = []
    for char in row:
        if char.text.isspace():
            if word:
                words.append(word)
            word = []
        elif word and (
            char.x0 < word[-1].x0 or char.x0 > word[-1].x1 + TOLERANCE or abs(char.top - word[-1].top) > TOLERANCE
        ):
            words.append(word)
            word = [char]
        else:
            word.append(char)
    if word:
        words.append(word)
    return words
