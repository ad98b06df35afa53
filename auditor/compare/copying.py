"""Copying: the passages of this year's report text copied from last year's.

Both texts are *compacted*: the report text only (page chrome and statistics tables left out),
content characters only, every figure (years included) masked as ``#``. A run of ``SHINGLE``
characters of this year's text that occurs in last year's is copied; copied runs separated by
at most ``GAP`` characters (a few words changed) join into one passage while their source in
last year's text runs on in step; passages shorter than ``MIN_PASSAGE`` (common phrases) or
less alike than ``MIN_SIMILARITY`` (rapidfuzz's ratio against the aligned source) are dropped.
Boilerplate (``data/compare_boilerplate.yaml``) and headings of levels 1–2 (the national
template's) are never counted as copied, but stay in the denominator: the share is copied
characters over all content characters of this year's report text. Linear in the texts' length.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz

from auditor.compare.model import Copied, Passage
from auditor.compare.regions import merge
from auditor.document import Document

SHINGLE = 8
GAP = 8
MIN_PASSAGE = 20
DRIFT = 12  # characters the source may shift inside one passage (words changed)
MIN_SIMILARITY = 0.6
DEFAULT_SHARE = 0.3

_UNIT = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[\u3400-\u9fffA-Za-z]")
_RUN = re.compile(r"([\u3400-\u9fffA-Za-z]+)|[0-9]+(?:[.,][0-9]+)*")  # a run of letters (each a unit) or a figure
#: compiled with ``regex``: the same spans, the positions where no figure starts skipped ≈ 4× faster than ``re``
_FIGURES = regex.compile(r"[0-9]+(?:[.,][0-9]+)*")
_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z#]+")  # runs of content characters once figures are "#"


@functools.cache
def boilerplate() -> regex.Pattern[str]:
    """The boilerplate bank as one pattern, compiled with ``regex``: it finds the same spans as
    ``re`` and skips the positions where no phrase can start ≈ 7× faster (0.75 → 0.1 ms a report)."""
    from auditor.compare.data import bundled

    return regex.compile("|".join(f"(?:{p})" for p in bundled("compare_boilerplate.yaml")["patterns"]))


@dataclass(frozen=True)
class Compact:
    chars: str  # content characters, figures as "#"
    pos: list[int]  # each character's start in Document.text
    common: list[tuple[int, int]]  # index ranges of chars in boilerplate or a template heading: never copied
    text: str  # Document.text
    body_end: int

    def end(self, i: int) -> int:
        """The end in Document.text of the i-th character (a figure may be longer than one)."""
        unit = _UNIT.match(self.text, self.pos[i], self.body_end)
        assert unit is not None
        return unit.end()


def _common(doc: Document) -> list[tuple[int, int]]:
    """Text every report has: the boilerplate bank and the headings of levels 1–2."""
    b0, b1 = doc.body
    out = [m.span() for m in boilerplate().finditer(doc.text, b0, b1)]
    out += [(h.heading.start, h.heading.title_end) for h in doc.sections if h.heading.level <= 2]
    return sorted(out)


def table_rows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    r"""The lines of ``text[start:end]`` that hold a ``|`` (table rows written " | "), each from
    its start to its end, as ``[^\n]*\|[^\n]*`` finds them; linear in the length (that regex
    is quadratic on a long line without ``|``, such as a page dump's one-line body)."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        if "|" in line:
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _excluded(doc: Document) -> list[tuple[int, int]]:
    """Not report prose: the statistics tables."""
    out = table_rows(doc.text, *doc.body)
    out += [(t.start, t.end) for t in doc.tables]
    return sorted(out)


def _chars(text: str) -> str:
    """The content characters of ``text`` as ``_UNIT`` finds them, one per match: each figure as
    "#" (a "#" of the text is not content; it becomes a space first, which keeps figures apart)."""
    return "".join(_CONTENT.findall(_FIGURES.sub("#", text.replace("#", " "))))


def _byte_flags(data: bytes, table: bytes) -> int:
    """``data`` with each byte mapped by ``table`` (to 0 or 1), as one integer (big-endian: a shift by 8
    moves each byte's flag to the next byte)."""
    return int.from_bytes(data.translate(table), "big")


def _table(test: Callable[[int], bool]) -> bytes:
    return bytes(1 if test(b) else 0 for b in range(256))


# flags of one byte of a character's UTF-16 code unit (its high or its low byte)
_CJK_HIGH = _table(lambda b: 0x34 <= b <= 0x9F)  # U+3400–U+9FFF: the high byte alone tells
_ZERO = _table(lambda b: b == 0)  # U+0000–U+00FF
_LETTER = _table(lambda b: chr(b) in string.ascii_letters)
_DIGIT = _table(lambda b: chr(b) in string.digits)
_MARK = _table(lambda b: chr(b) in ".,")


def _starts(text: str, start: int, end: int) -> list[int]:
    """The start of each ``_UNIT`` match in ``text[start:end]``, from flags computed for all the
    characters at once (in C): each character of UTF-16 code unit is flagged by its bytes, a letter as a
    unit, a digit as a figure's start unless a digit, or a "." or "," after a digit, comes before it
    (the figure it would continue). Characters beyond the BMP (two code units): one match per run."""
    piece = text[start:end]
    data = piece.encode("utf-16-le", "surrogatepass")
    if len(data) != 2 * len(piece):
        return _starts_by_runs(text, start, end)
    high, low = data[1::2], data[::2]
    narrow = _byte_flags(high, _ZERO)
    digits = _byte_flags(low, _DIGIT) & narrow
    marks = _byte_flags(low, _MARK) & narrow
    units = _byte_flags(high, _CJK_HIGH) | (_byte_flags(low, _LETTER) & narrow)
    units |= digits & ~(digits >> 8) & ~((marks >> 8) & (digits >> 16))
    return list(itertools.compress(range(start, end), units.to_bytes(len(piece), "big")))


def _starts_by_runs(text: str, start: int, end: int) -> list[int]:
    """:func:`_starts` one match per run of letters."""
    out: list[int] = []
    for m in _RUN.finditer(text, start, end):
        if m.lastindex:  # letters: each is a unit
            out.extend(range(m.start(), m.end()))
        else:
            out.append(m.start())
    return out


def compact(doc: Document, common: bool = True) -> Compact:
    """The content units of the body (``_UNIT``) that do not start in a table, in bulk: their
    starts, their characters, and the ranges of them that start in common text (none unless
    ``common``: only this year's are read)."""
    b0, b1 = doc.body
    starts = _starts(doc.text, b0, b1)
    chars = _chars(doc.text[b0:b1])
    assert len(chars) == len(starts)
    kept: list[tuple[int, int]] = []  # index ranges of the units outside the tables
    i = 0
    for x, y in merge(_excluded(doc)):
        j, k = bisect.bisect_left(starts, x, i), bisect.bisect_left(starts, y, i)
        kept.append((i, j))
        i = max(i, k)
    kept.append((i, len(starts)))
    whole = kept == [(0, len(starts))]
    pos = starts if whole else list(itertools.chain.from_iterable(starts[a:b] for a, b in kept))
    ranges = []
    for x, y in merge(_common(doc)) if common else ():
        lo, hi = bisect.bisect_left(pos, x), bisect.bisect_left(pos, y)
        if hi > lo:
            ranges.append((lo, hi))
    return Compact("".join(chars[a:b] for a, b in kept), pos, ranges, doc.text, b1)


Copy = tuple[int, int, int]  # characters [a, b) of this year's text whose origin is each one's index + offset


def copies(last: str, this: str, common: list[tuple[int, int]]) -> list[Copy]:
    """Each character of ``this`` outside the index ranges ``common`` takes its origin in ``last``
    from the first shingle of ``SHINGLE`` characters over it that ``last`` has (at its first
    place there); none when no shingle over it is in ``last``. Shingles found one place further
    each in ``last`` (in step) give their characters one offset: the characters given an origin
    are returned as stretches of one offset, in order.

    A stretch is found whole from its first shingle (:func:`_in_step`): the shingles after it are
    in step as long as ``this`` and ``last`` run on alike there and each of last's shingles is at its
    first place; only the shingles that start no stretch nor continue one are looked up."""
    n = len(this) - SHINGLE + 1
    if n <= 0:
        return []
    starts = range(len(last) - SHINGLE, -1, -1)
    index = dict(zip([last[i : i + SHINGLE] for i in starts], starts, strict=True))  # the first place written last
    first = bytearray(len(starts))  # 1 where last's shingle is at its first place
    for place in index.values():
        first[place] = 1
    out: list[Copy] = []
    covered = 0  # the characters before this one were reached by an earlier shingle
    i = 0
    while i < n:
        p = index.get(this[i : i + SHINGLE])
        if p is None:
            i += 1
            continue
        j = i + 1 + _in_step(last, this, i, p, first, n)
        b = j - 1 + SHINGLE
        out.append((max(i, covered), b, p - i))
        covered = b
        i = j
    return _outside(out, common)


def _in_step(last: str, this: str, i: int, p: int, first: bytearray, n: int) -> int:
    """How many shingles after ``this``'s i-th (found at ``p``, its first place in ``last``) are in step:
    found one place further each. Shingle i + k is, while ``this`` and ``last`` run on alike from i and p
    for ``SHINGLE`` + k characters and ``last``'s shingle at p + k is at its first place (``first``)."""
    limit = min(n - i, len(first) - p) - 1  # the shingles after i that both texts have
    alike = _common_length(this, i, last, p, limit + SHINGLE) - SHINGLE
    end = first.find(0, p + 1, p + 1 + alike)
    return alike if end < 0 else end - p - 1


def _common_length(a: str, i: int, b: str, j: int, most: int) -> int:
    """The length of the common prefix of ``a[i:]`` and ``b[j:]``, at most ``most``: galloping, then
    halving, with comparisons of slices (in C) instead of a step per character."""
    low, high = 0, 1  # a[i : i + low] == b[j : j + low]; high: untried
    while high <= most and a[i : i + high] == b[j : j + high]:
        low, high = high, high * 2
    high = min(high, most + 1)  # a[i : i + high] differs (or is beyond most)
    while high - low > 1:
        mid = (low + high) // 2
        if a[i : i + mid] == b[j : j + mid]:
            low = mid
        else:
            high = mid
    return low


def _outside(stretches: list[Copy], cut: list[tuple[int, int]]) -> list[Copy]:
    """The stretches with the sorted, disjoint ranges ``cut`` taken out."""
    if not cut:
        return stretches
    out: list[Copy] = []
    k = 0
    for a, b, offset in stretches:
        while k < len(cut) and cut[k][1] <= a:
            k += 1
        q = k
        while a < b:
            if q < len(cut) and cut[q][0] < b:
                x, y = cut[q]
                if a < x:
                    out.append((a, x, offset))
                a = max(a, y)
                q += 1
            else:
                out.append((a, b, offset))
                break
    return out


def _runs(stretches: list[Copy]) -> list[tuple[int, int, int, int]]:
    """Copied characters joined into passages: a gap of at most ``GAP`` characters (a few words
    changed) is bridged while the source in last year's text goes on in step (within ``DRIFT``).
    Each passage as (start, end) in this year's text and the origins of its first and last character."""
    runs: list[list[int]] = []
    anchor = 0  # source minus position of the current run's last copied character
    for a, b, offset in stretches:
        if runs and runs[-1][1] >= a - GAP and abs(offset - anchor) <= DRIFT:
            runs[-1][1] = b
            runs[-1][3] = b - 1 + offset
        else:
            runs.append([a, b, a + offset, b - 1 + offset])
        anchor = offset
    return [(s, e, ls, le) for s, e, ls, le in runs if e - s >= MIN_PASSAGE]


def copied(last: Document, this: Document, threshold: float = DEFAULT_SHARE) -> Copied:
    from auditor.compare.followthrough import located

    a, b = compact(last, common=False), compact(this)
    passages = []
    copied_chars = 0
    for s, e, ls, le in _runs(copies(a.chars, b.chars, b.common)):
        le += 1
        similarity = fuzz.ratio(b.chars[s:e], a.chars[ls:le]) / 100.0 if le > ls else 0.0
        if similarity < MIN_SIMILARITY:
            continue
        copied_chars += e - s
        passages.append(
            Passage(
                located(this, b.pos[s], b.end(e - 1)), located(last, a.pos[ls], a.end(le - 1)), round(similarity, 2)
            )
        )
    total = len(b.chars)
    return Copied(copied_chars / total if total else 0.0, threshold, total, copied_chars, passages)
