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

import functools
import re
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz

from auditor.compare.model import Copied, Passage
from auditor.document import Document

SHINGLE = 8
GAP = 8
MIN_PASSAGE = 20
DRIFT = 12  # characters the source may shift inside one passage (words changed)
MIN_SIMILARITY = 0.6
DEFAULT_SHARE = 0.3

_UNIT = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[\u3400-\u9fffA-Za-z]")


@functools.cache
def boilerplate() -> re.Pattern[str]:
    import yaml

    raw = resources.files("auditor").joinpath("data/compare_boilerplate.yaml").read_text(encoding="utf-8")
    return re.compile("|".join(f"(?:{p})" for p in yaml.safe_load(raw)["patterns"]))


@dataclass(frozen=True)
class Compact:
    chars: str  # content characters, figures as "#"
    pos: tuple[int, ...]  # each character's start in Document.text
    ends: tuple[int, ...]  # each character's end in Document.text
    common: tuple[bool, ...]  # boilerplate or a template heading: never counted as copied


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


def compact(doc: Document) -> Compact:
    b0, b1 = doc.body
    cut, common = _excluded(doc), _common(doc)
    chars: list[str] = []
    pos: list[int] = []
    ends: list[int] = []
    flags: list[bool] = []
    k = c = 0
    for m in _UNIT.finditer(doc.text, b0, b1):
        s = m.start()
        while k < len(cut) and cut[k][1] <= s:
            k += 1
        if k < len(cut) and cut[k][0] <= s:
            continue
        while c < len(common) and common[c][1] <= s:
            c += 1
        g = m.group()
        chars.append("#" if g[0].isdigit() else g)
        pos.append(s)
        ends.append(m.end())
        flags.append(c < len(common) and common[c][0] <= s)
    return Compact("".join(chars), tuple(pos), tuple(ends), tuple(flags))


def _runs(origin: list[int | None]) -> list[tuple[int, int]]:
    """Copied characters joined into passages: a gap of at most ``GAP`` characters (a few words
    changed) is bridged while the source in last year's text goes on in step (within ``DRIFT``)."""
    runs: list[tuple[int, int]] = []
    anchor = 0  # source minus position of the current run's last copied character
    for i, o in enumerate(origin):
        if o is None:
            continue
        if runs and runs[-1][1] >= i - GAP and abs((o - i) - anchor) <= DRIFT:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
        anchor = o - i
    return [r for r in runs if r[1] - r[0] >= MIN_PASSAGE]


def copied(last: Document, this: Document, threshold: float = DEFAULT_SHARE) -> Copied:
    from auditor.compare.followthrough import located

    a, b = compact(last), compact(this)
    index: dict[str, int] = {}
    for i in range(len(a.chars) - SHINGLE + 1):
        index.setdefault(a.chars[i : i + SHINGLE], i)
    origin: list[int | None] = [None] * len(b.chars)
    for i in range(len(b.chars) - SHINGLE + 1):
        j = index.get(b.chars[i : i + SHINGLE])
        if j is not None:
            for d in range(SHINGLE):
                if origin[i + d] is None and not b.common[i + d]:
                    origin[i + d] = j + d
    passages = []
    copied_chars = 0
    for s, e in _runs(origin):
        ls, le = origin[s], origin[e - 1]
        assert ls is not None and le is not None
        le += 1
        similarity = fuzz.ratio(b.chars[s:e], a.chars[ls:le]) / 100.0 if le > ls else 0.0
        if similarity < MIN_SIMILARITY:
            continue
        copied_chars += e - s
        passages.append(
            Passage(
                located(this, b.pos[s], b.ends[e - 1]), located(last, a.pos[ls], a.ends[le - 1]), round(similarity, 2)
            )
        )
    total = len(b.chars)
    return Copied(copied_chars / total if total else 0.0, threshold, total, copied_chars, passages)
