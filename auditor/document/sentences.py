"""Sentence splitting for Chinese report text.

A sentence ends at 。！？；(folded to 。!?;) or a line break, but never inside 《…》
titles or quotation marks, so 《关于…的通知；…》 stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PROTECTED = re.compile(r"《[^《》\n]{0,120}》|\"[^\"\n]{0,120}\"|「[^「」\n]{0,120}」|'[^'\n]{0,60}'")
#: the characters a protected span starts with: a region without any has none (most regions)
_PROTECTED_START = re.compile(r"[《\"「']")
#: a sentence: a run of end marks alone, or text from a character that is not trimmed (space,
#: line break, |) to the next end marks (included) or line break (excluded); the search for
#: the next match skips the trimmed characters between sentences
_SENTENCE = re.compile(r"[。!?;]+|[^ \n|。!?;][^。!?;\n]*[。!?;]*")
_TRIMMED = " \n|"
_END_MARK = re.compile(r"[。!?;]")
_SPAN = re.Match.span


def split_sentences(text: str, regions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside each region; trimmed of spaces, never empty. No sentence,
    title or quotation crosses a line break, so regions with only line breaks between them may be
    given joined, as one (``understand`` does: one scan instead of one per paragraph)."""
    out: list[tuple[int, int]] = []
    append = out.append
    for start, end in regions:
        has_marks = _PROTECTED_START.search(text, start, end) is not None
        protected = [m.span() for m in _PROTECTED.finditer(text, start, end)] if has_marks else []
        if (
            text.find("|", start, end) == -1
            and text.find(" \n", start, end) == -1
            and not any(_END_MARK.search(text, a + 1, b - 1) for a, b in protected)
        ):
            # most runs: no sentence but the last ends in a trimmed character (a | or a space before a
            # line break or the run's end), and no end mark lies inside 《…》 or quotes: every match
            # is a sentence as it is, listed without a Python step each
            first = len(out)
            out += map(_SPAN, _SENTENCE.finditer(text, start, end))
            if len(out) > first and text[end - 1] == " ":  # (a run ending at a heading after a space)
                s, e = out[-1]
                while text[e - 1] in _TRIMMED:
                    e -= 1
                out[-1] = (s, e)
            continue
        pi = 0
        joined = -1  # start of a sentence whose end mark was inside a title or quotation
        for m in _SENTENCE.finditer(text, start, end):
            s, e = m.span()
            if joined >= 0:
                s, joined = joined, -1
            last = text[e - 1]
            if last in _TRIMMED:  # ended at a line break or the region's end: trim the tail
                while text[e - 1] in _TRIMMED:
                    e -= 1
            elif protected and last in "。!?;":
                while pi < len(protected) and protected[pi][1] <= e - 1:
                    pi += 1
                if pi < len(protected) and protected[pi][0] < e - 1:
                    joined = s  # an end mark inside 《…》 or quotes: the sentence goes on
                    continue
            append((s, e))
        # (a sentence joined at an end mark inside 《…》 always ends in its region: the closing
        # mark is in the region, after the end mark, and starts or continues a match)
    return out
