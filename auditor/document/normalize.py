"""Width/space normalisation that keeps a map back to the original offsets.

The auditor matches on a *normalised* view of the extracted text: full-width ASCII
forms folded to half-width (（一） → (一), １２ → 12, ％ → %), every kind of space
folded to " ", dashes and quotes unified, and whitespace inside Chinese text removed
(``双  塔  镇`` → ``双塔镇``, indentation dropped). Evidence must still point into the
original text, so :class:`NormText` keeps, for each kept run of characters, where it
came from; :meth:`NormText.to_source` maps any normalised offset back.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from auditor.document.numbers import PART_NUMERALS

_FOLD: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,
        0x2007: 0x20,
        0x202F: 0x20,
        0x200B: 0x20,  # zero-width space: removed below like any space
        0xFEFF: 0x20,  # BOM / zero-width no-break space
        0x0009: 0x20,
        0x000B: 0x20,
        0x000C: 0x20,
        0x2010: 0x2D,
        0x2011: 0x2D,
        0x2012: 0x2D,
        0x2013: 0x2D,
        0x2014: 0x2D,
        0x2015: 0x2D,
        0x2212: 0x2D,
        0x201C: 0x22,  # “
        0x201D: 0x22,  # ”
        0x2018: 0x27,  # ‘
        0x2019: 0x27,  # ’
        0x3002: 0x3002,
        0xFF61: 0x3002,  # halfwidth ideographic full stop
        0x2236: 0x3A,  # ratio sign used as a colon
    }
)
_FOLD.update({c: 0x20 for c in range(0x2000, 0x200B)})

#: a "." that may be a Chinese full stop (not before a digit); it is one after a CJK character
#: or a closing mark (_full_stop), unless it follows a part's number (一. 总体情况). Found from the
#: ".", which re scans for quickly: a pattern that starts by looking behind tries every character of
#: the text.
_PERIOD = re.compile(r"\.(?![0-9])")


#: the characters that fold to another one
_FOLD_CHARS = {chr(k): chr(v) for k, v in _FOLD.items() if v is not None and k != v}
_TO_FOLD = re.compile("[" + re.escape("".join(_FOLD_CHARS)) + "]")


def fold(text: str) -> str:
    """Fold widths, spaces, dashes and quotes; same length as the input."""
    # each folding character present is replaced throughout by str.replace (in C): a report
    # holds a dozen distinct ones, and this beats both str.translate's per-character lookups
    # and a substitution callback per run (no target of the table is itself folded, so the
    # order of the replacements does not matter). One search finds each distinct character,
    # resumed after the one just replaced: cheaper than listing every occurrence (each ，).
    search = _TO_FOLD.search
    found = search(text)
    while found is not None:
        ch = found.group()
        text = text.replace(ch, _FOLD_CHARS[ch])
        found = search(text, found.start() + 1)
    if "." in text:
        text = _PERIOD.sub(_full_stop, text)
    return text


def _full_stop(m: re.Match[str]) -> str:
    before = m.string[m.start() - 1] if m.start() else ""
    if not before or not ("\u3400" <= before <= "\u9fff" or before in "\u300b\u3011\"')%"):
        return "."
    return "." if _numbers_a_heading(m.string, m.start()) else "。"


def _numbers_a_heading(text: str, dot: int) -> bool:
    """The "." at ``dot`` follows a part's number (一. 总体情况, 十二．其他), one to three Chinese numerals
    opening a line or following a sentence's end: a heading's marker, as 一、 is, not a full stop."""
    k = dot
    while k > 0 and dot - k < 3 and text[k - 1] in PART_NUMERALS:
        k -= 1
    if k == dot or (k > 0 and text[k - 1] in PART_NUMERALS):
        return False
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    return k == 0 or text[k - 1] in "\n。;!?"


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


@dataclass(frozen=True)
class NormText:
    """A normalised string plus the offset map back to its source string."""

    text: str
    source: str
    _norm_starts: tuple[int, ...]
    _src_starts: tuple[int, ...]

    def to_source(self, pos: int) -> int:
        """Map a normalised offset (0..len) to the source offset of the same character."""
        if pos >= len(self.text):
            return self.to_source(len(self.text) - 1) + 1 if self.text else len(self.source)
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        return self._src_starts[i] + (pos - self._norm_starts[i])

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised half-open span to a source span covering the same characters."""
        return self.spans_to_source(((start, end),))[0]

    def spans_to_source(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """``span_to_source`` of each span, in one call (a report's quotes map dozens of spans)."""
        starts, src, size = self._norm_starts, self._src_starts, len(self.text)
        bisect_right = bisect.bisect_right
        out = []
        for start, end in spans:
            if end <= start:
                s = self.to_source(start)
                out.append((s, s))
                continue
            i = bisect_right(starts, start) - 1
            if i < 0 or end > size:  # outside the mapped text: to_source's own rules
                out.append((self.to_source(start), self.to_source(end - 1) + 1))
                continue
            # both ends in one step: the last character's segment, searched from the first's
            j = bisect_right(starts, end - 1, i) - 1
            out.append((src[i] + (start - starts[i]), src[j] + (end - starts[j])))
        return out


#: a numbered heading (一、… / (一)… / 1、…) and its title, just before a space
_HEADING_BEFORE = re.compile(
    r"(?:^|[\n。;!?:])[ ]*"
    r"(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}、)[^\n。;,:!?()]{4,30}$"
)
_PROSE_AFTER = re.compile(r"[^\n]{0,200}?[。,;]|[^\n]{30}")


def _ends_heading(folded: str, start: int, end: int) -> bool:
    """A space that separates a numbered heading from the prose after it on the same line
    (``二、存在的问题和不足 执法人员不足,…`` in a report pasted on one line): the heading's
    line break, lost in extraction. It is kept (one space between Chinese characters, which
    normalisation otherwise never leaves) so that the heading's title ends there."""
    return bool(_HEADING_BEFORE.search(folded, max(0, start - 40), start)) and bool(_PROSE_AFTER.match(folded, end))


def _drop_run(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start > 0 else "\n"
    after = folded[end] if end < len(folded) else "\n"
    if before == "\n" or after == "\n":
        return True
    return _is_wide(before) and _is_wide(after)


#: the space runs that normalisation may change: a run of two or more, or a single space at a line's
#: start or end (or the text's) or between two wide characters (_drop_run). Any other single space is
#: kept as it is (_drop_run is false for it), so it needs no piece of its own: the pieces, joined,
#: and the offset map they give are the same. (Led by the space: re skips to it; an alternation of
#: whole runs is 20× slower.)
_CHANGING = re.compile(r" (?: +|(?<![^\n] )|(?![^\n])|(?<=[\u2e80-\U0010ffff] )(?=[\u2e80-\U0010ffff]))")


def _space_runs(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the runs of spaces that normalisation may change (see _CHANGING), in order."""
    return (m.span() for m in _CHANGING.finditer(text)) if " " in text else iter(())


def normalize(source: str) -> NormText:
    """Normalise ``source`` (already decoded, ``\\n`` line ends) for matching."""
    # same length as the source, so offsets stay valid: CRLF → " \n", a lone CR → "\n"
    src = source.replace("\r\n", " \n").replace("\r", "\n") if "\r" in source else source
    folded = fold(src)
    pieces: list[str] = []
    norm_starts: list[int] = []
    src_starts: list[int] = []
    kept = 0
    cursor = 0
    for start, end in _space_runs(folded):
        drop = _drop_run(folded, start, end) and not (start > 0 and _ends_heading(folded, start, end))
        keep_until = start if drop else start + 1
        if keep_until > cursor:
            norm_starts.append(kept)
            src_starts.append(cursor)
            pieces.append(folded[cursor:keep_until])
            kept += keep_until - cursor
        cursor = end
    if cursor < len(folded) or not norm_starts:
        norm_starts.append(kept)
        src_starts.append(cursor)
        pieces.append(folded[cursor:])
    return NormText("".join(pieces), source, tuple(norm_starts), tuple(src_starts))


def normalize_phrase(phrase: str) -> str:
    """Normalise a rule phrase exactly as report text is normalised."""
    return normalize(phrase).text.strip()
