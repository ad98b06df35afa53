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
import re
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import NamedTuple, TypeVar

from auditor.readers.paragraphs import LayoutLine

T = TypeVar("T")
TOLERANCE = 3.0
#: pdfplumber expands these ligatures in a line's text (``pdfplumber.utils.text.LIGATURES``)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURES = str.maketrans(LIGATURES)
_LIGATURE = re.compile(f"[{''.join(LIGATURES)}]")


class Char(NamedTuple):
    """One upright character: its text and box (``top`` measured down from the top of the page)."""

    text: str
    x0: float
    x1: float
    top: float


#: a character as :func:`page_lines` takes it: (text, x0, x1, top), a :class:`Char` or a plain tuple
Positioned = tuple[str, float, float, float]
_TEXT, _X0, _X1, _TOP = (itemgetter(field) for field in range(4))


def page_lines(chars: Sequence[Positioned]) -> list[LayoutLine]:
    """The visual lines of a page (top to bottom) from its characters in content order."""
    lines: list[LayoutLine] = []
    for row in _clusters(chars, list(map(_TOP, chars))):
        row.sort(key=_X0)
        words = _words(row)
        groups = (
            _clusters(words, [min(map(_TOP, word)) for word in words], keep_order=True) if len(words) != 1 else [words]
        )
        for group in groups:
            placed = group[0] if len(group) == 1 else list(chain.from_iterable(group))
            text = " ".join(["".join(map(_TEXT, word)) for word in group])
            if _LIGATURE.search(text):
                text = text.translate(_LIGATURES)
            lines.append(LayoutLine(text, min(map(_X0, placed)), max(map(_X1, placed))))
    return lines


def _clusters(items: Sequence[T], keys: Sequence[float], *, keep_order: bool = False) -> list[list[T]]:
    """Items grouped by key: distinct keys chained while within the tolerance of the previous one.
    Groups come in key order (items keep their order inside a group), or with ``keep_order``
    as runs of consecutive items of the same group."""
    index: dict[float, int] = {}
    group, last = -1, -math.inf
    distinct = sorted(set(keys))
    for key in distinct:
        group += key > last + TOLERANCE
        index[key], last = group, key
    if distinct and index[distinct[0]] == group:  # one group (a row of one line): the items as they are
        return [list(items)]
    of_item = list(map(index.__getitem__, keys))  # from -1 (a first key of -inf or nan) up
    if not keep_order:
        groups: list[list[T]] = [[] for _ in range(group + 2)]
        for number, item in zip(of_item, items, strict=True):
            groups[number + 1].append(item)
        return [items_of_group for items_of_group in groups if items_of_group]
    runs: list[list[T]] = []
    current = -1
    for number, item in zip(of_item, items, strict=True):
        if not runs or number != current:
            runs.append([])
            current = number
        runs[-1].append(item)
    return runs


def _words(row: Sequence[Positioned]) -> list[list[Positioned]]:
    """The row's words (characters sorted by x0): split at a blank character and where a character
    starts left of the previous one, more than 3 right of its end, or more than 3 above or below it."""
    words: list[list[Positioned]] = []
    word: list[Positioned] = []
    x0 = x1 = top = 0.0  # of the word's last character
    for char in row:
        text, left, right, high = char
        if text.isspace():
            if word:
                words.append(word)
            word = []
            continue
        if word and (left < x0 or left > x1 + TOLERANCE or abs(high - top) > TOLERANCE):
            words.append(word)
            word = [char]
        else:
            word.append(char)
        x0, x1, top = left, right, high
    if word:
        words.append(word)
    return words
