"""Sentence splitting for Chinese report text.

A sentence ends at 。！？；(folded to 。!?;) or a line break, but never inside 《…》
titles or quotation marks, so 《关于…的通知；…》 stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ENDS = re.compile(r"[。!?;]+|\n")
_PROTECTED = re.compile(r"《[^《》\n]{0,120}》|\"[^\"\n]{0,120}\"|「[^「」\n]{0,120}」|'[^'\n]{0,60}'")


def _protected_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(text, start, end)]


def split_sentences(text: str, regions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside each region; trimmed of spaces, never empty."""
    out: list[tuple[int, int]] = []
    for start, end in regions:
        protected = _protected_spans(text, start, end)
        pi = 0
        cursor = start
        for m in _ENDS.finditer(text, start, end):
            while pi < len(protected) and protected[pi][1] <= m.start():
                pi += 1
            if pi < len(protected) and protected[pi][0] < m.start() < protected[pi][1] and m.group() != "\n":
                continue
            _append(text, out, cursor, m.end() if m.group() != "\n" else m.start())
            cursor = m.end()
        _append(text, out, cursor, end)
    return out


def _append(text: str, out: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start] in " \n|":
        start += 1
    while end > start and text[end - 1] in " \n|":
        end -= 1
    if end > start:
        out.append((start, end))
