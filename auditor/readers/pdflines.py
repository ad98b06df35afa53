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

A page is read a run of characters at a time (:func:`_runs`: characters that follow one another on
one top, none starting left of the one before it or more than 3 right of its end, as a line of a
text object's characters does), not a character at a time, where that gives the same lines; else,
and for any row whose runs share a stretch of x, character by character (:func:`char_lines`).

``tests/readers/test_pdf_lines.py`` checks this against pdfplumber on random characters, and the
runs against the characters on random pages and on PDFs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import chain
from operator import gt, itemgetter
from typing import NamedTuple, TypeVar

from auditor.readers.paragraphs import LayoutLine

T = TypeVar("T")
TOLERANCE = 3.0
#: pdfplumber expands these ligatures in a line's text (``pdfplumber.utils.text.LIGATURES``)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURES = str.maketrans(LIGATURES)
_LIGATURE = re.compile(f"[{''.join(LIGATURES)}]")
_BLANK = re.compile(r"\s")  # a character str.isspace() takes as blank


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
    runs = _runs(chars)
    if runs is None:
        return char_lines(chars)
    lines: list[LayoutLine] = []
    for row in _clusters(runs, [run.top for run in runs]):
        if len(row) == 1:  # one word, or a blank
            if not row[0].blank:
                lines.append(_run_line(row))
            continue
        row.sort(key=_FIRST_X0)
        if all(map(gt, map(_FIRST_X0, row[1:]), map(_LAST_X0, row))):
            lines.extend(_run_lines(row))
        else:  # runs that share a stretch of x: their characters interleave
            row.sort(key=_START)
            lines.extend(_row_lines([char for run in row for char in chars[run.start : run.end]]))
    return lines


def char_lines(chars: Sequence[Positioned]) -> list[LayoutLine]:
    """:func:`page_lines` a character at a time, whatever the characters."""
    return [line for row in _clusters(chars, list(map(_TOP, chars))) for line in _row_lines(row)]


def _row_lines(row: list[Positioned]) -> list[LayoutLine]:
    """The lines of a row of characters (content order): sorted by x0, split into words, the words
    grouped again by their tops."""
    row.sort(key=_X0)
    words = _words(row)
    groups = _clusters(words, [min(map(_TOP, word)) for word in words], keep_order=True) if len(words) != 1 else [words]
    lines: list[LayoutLine] = []
    for group in groups:
        placed = group[0] if len(group) == 1 else list(chain.from_iterable(group))
        lines.append(_line(" ".join(["".join(map(_TEXT, word)) for word in group]), placed))
    return lines


def _line(text: str, placed: Sequence[Positioned]) -> LayoutLine:
    return LayoutLine(_unligated(text), min(map(_X0, placed)), max(map(_X1, placed)))


def _unligated(text: str) -> str:
    """``text`` with each ligature (ﬁ …) written as its letters."""
    return text.translate(_LIGATURES) if _LIGATURE.search(text) else text


class _Run(NamedTuple):
    """Characters ``start:end`` of a page (content order): a blank one, or non-blank ones of one top,
    each starting neither left of the one before it nor more than the tolerance right of its end
    (no word splits inside), every coordinate finite."""

    start: int
    end: int
    top: float
    first_x0: float
    last_x0: float
    last_x1: float  # of the last character
    x1: float  # the largest (the first such character's)
    text: str
    blank: bool


_START, _FIRST_X0, _LAST_X0 = itemgetter(0), itemgetter(3), itemgetter(4)


def _runs(chars: Sequence[Positioned]) -> list[_Run] | None:
    """The page's characters as runs (one pass), ``None`` if one's text is not one character or a
    coordinate is not finite.

    Why the lines are the same: a run's characters have its top, so the rows of runs are the rows
    of characters. When no run of a row starts at or before the last x0 of the run before it in x0
    order (:func:`page_lines` checks it), the row's characters sorted by x0 are its runs so sorted
    and joined (the x0 of a run never decrease, finite values sort in a total order, the sort is
    stable). Inside a run :func:`_words` splits nowhere; between runs :func:`_run_lines` applies its
    rule to the runs' ends. A line's leftmost x0 is then its first character's, its largest x1 the
    first largest of its runs'. A finite first and last x0 bound a run's others, its largest x1 its
    others but the last (each at least the next x0 less the tolerance), checked with the last."""
    text = "".join(map(_TEXT, chars))
    if len(text) != len(chars):
        return None
    blanks = [blank.start() for blank in _BLANK.finditer(text)]  # str.isspace() of each character
    bounds = [*blanks, *(at + 1 for at in blanks), len(chars)]
    left = right = top = math.nan
    for at, (_, x0, x1, high) in enumerate(chars):  # a blank character's neighbours are bounds anyway
        if not (x0 >= left and x0 <= right + TOLERANCE and high == top):
            bounds.append(at)
            top = high
        left, right = x0, x1
    lone = set(blanks)
    runs: list[_Run] = []
    start = 0
    for end in sorted(set(bounds)):
        if end == start:
            continue
        first, last = chars[start], chars[end - 1]
        x1 = last[2] if end - start == 1 else max(map(_X1, chars[start:end]))
        blank = start in lone
        if not math.isfinite(first[1] + first[3] + (0.0 if blank else last[1] + last[2] + last[3] + x1)):
            return None
        runs.append(_Run(start, end, first[3], first[1], last[1], last[2], x1, text[start:end], blank))
        start = end
    return runs


def _run_lines(row: list[_Run]) -> list[LayoutLine]:
    """The lines of a row of runs sorted by first x0, apart (:func:`_runs`): :func:`_row_lines`
    with the words split between runs only, by the same rule."""
    words: list[list[_Run]] = []
    word: list[_Run] = []
    before: _Run | None = None  # the last run that is not blank
    for run in row:
        if run.blank:
            if word:
                words.append(word)
            word = []
            continue
        if (
            word
            and before is not None
            and (
                run.first_x0 < before.last_x0
                or run.first_x0 > before.last_x1 + TOLERANCE
                or abs(run.top - before.top) > TOLERANCE
            )
        ):
            words.append(word)
            word = [run]
        else:
            word.append(run)
        before = run
    if word:
        words.append(word)
    groups = (
        _clusters(words, [min(run.top for run in word) for word in words], keep_order=True)
        if len(words) != 1
        else [words]
    )
    return [_run_line(group[0] if len(group) == 1 else list(chain.from_iterable(group)), group) for group in groups]


def _run_line(placed: list[_Run], words: list[list[_Run]] | None = None) -> LayoutLine:
    """:func:`_line` of the runs ``placed`` (sorted by x0, apart), made of ``words`` (one if not given)."""
    text = (
        "".join([run.text for run in placed])
        if words is None
        else " ".join(["".join([run.text for run in word]) for word in words])
    )
    return LayoutLine(_unligated(text), placed[0].first_x0, max([run.x1 for run in placed]))


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
