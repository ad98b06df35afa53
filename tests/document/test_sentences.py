"""Sentence splitting by one pattern per sentence equals the plain definition.

``split_sentences`` matches whole sentences with one regex and joins a sentence whose end mark
lies inside 《…》 or quotation marks with what follows. The plain definition below (the loop it
replaced) walks every end mark (。!?; run or line break), skips the marks inside a protected span
and trims spaces, line breaks and | from each piece; on text made of exactly those characters
the two must give the same spans.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.sentences import _PROTECTED, split_sentences

_ENDS = re.compile(r"[。!?;]+|\n")


def _plain(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []

    def append(start: int, end: int) -> None:
        while start < end and text[start] in " \n|":
            start += 1
        while end > start and text[end - 1] in " \n|":
            end -= 1
        if end > start:
            out.append((start, end))

    for start, end in regions:
        protected = [m.span() for m in _PROTECTED.finditer(text, start, end)]
        cursor = start
        for m in _ENDS.finditer(text, start, end):
            if m.group() != "\n" and any(a < m.start() < b for a, b in protected):
                continue
            append(cursor, m.end() if m.group() != "\n" else m.start())
            cursor = m.end()
        append(cursor, end)
    return out


_PIECES = st.sampled_from(
    ["。", "!", "?", ";", "\n", " ", "|", "《", "》", '"', "'", "「", "」", "甲", "乙丙", "法治", "1", "a", ","]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.lists(st.integers(0, 80), max_size=6))
def test_split_sentences_equals_the_plain_definition(text: str, cuts: list[int]) -> None:
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    regions = list(itertools.pairwise(bounds))
    assert split_sentences(text, regions) == _plain(text, regions)


def test_an_end_mark_inside_a_title_does_not_end_the_sentence() -> None:
    text = "印发《关于加强执法;规范监督的通知》。 | 下一步\n"
    assert [text[a:b] for a, b in split_sentences(text, [(0, len(text))])] == [
        "印发《关于加强执法;规范监督的通知》。",
        "下一步",
    ]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(["\n", "\n\n", "。", "《", "》", "甲乙", " ", "|", '"', ";"]), max_size=40).map("".join),
    st.lists(st.integers(0, 80), max_size=10),
)
def test_regions_across_line_breaks_split_as_one_run(text: str, cuts: list[int]) -> None:
    """Regions with only line breaks between them, given joined as one run (as ``understand`` gives
    them, round 11), split into the sentences of each region split alone, and of the plain definition."""
    bounds = sorted({min(c, len(text)) for c in cuts})
    regions = list(zip(bounds[::2], bounds[1::2], strict=False))  # gaps between them, some of line breaks only
    runs: list[tuple[int, int]] = []
    for start, end in regions:
        if runs and runs[-1][1] < start and text[runs[-1][1] : start].strip("\n") == "":
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    alone = [span for region in regions for span in split_sentences(text, [region])]
    assert split_sentences(text, runs) == alone == _plain(text, regions)


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["。", "《", "》", "甲乙", " ", "|", '"', ";", "!"]), max_size=8).map("".join)),
    st.lists(st.booleans()),
)
def test_lines_split_alone_or_as_one_run_alike(lines: list[str], kept: list[bool]) -> None:
    text = "\n".join(lines)
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    regions = [
        (a, a + len(line)) for i, (a, line) in enumerate(zip(starts, lines, strict=True)) if kept[i : i + 1] != [False]
    ]
    alone = [span for region in regions for span in split_sentences(text, [region])]
    assert split_sentences(text, regions) == alone == _plain(text, regions)
