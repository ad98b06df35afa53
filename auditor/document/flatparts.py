"""The six numbered parts of a 政府信息公开工作年度报告 on a page flattened onto one line.

On a dumped page the part headings run into the text before them (``…432.52元三、收到和处理
政府信息公开申请情况（本列…``, ``…0 0 0 四、政府信息公开行政复议…``), where the general
inline-heading rule (after a sentence end) does not look. A level-1 marker ``三、`` anywhere
in a line starts a part heading when the words after it resemble the national title of that
part (国办公开办函〔2021〕30号) — table rows such as ``三、本年度办理结果`` or
``四、结转下年度继续办理`` carry the same markers but not the titles. Resemblance is a
character-bigram overlap, so wording variants and typos (``行政法复议``) still open the part;
whether a rule accepts the title is the rule's business (its heading regex, or a fuzzy
``like`` list that says needs_review).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NATIONAL_PARTS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
)
_ORDINALS = "一二三四五六"
#: a numeral 一–六 not after another numeral or 第, then 、 (the look-behind follows the numeral, so
#: re scans for the numeral's class instead of trying the look-behind at every character)
_MARKER = re.compile(r"([一二三四五六])(?<![一二三四五六七八九十第].)、")
_TITLE_STOP = re.compile(r"[。;!?:\n(]|\d")
MIN_SHARE = 0.6  # share of the national title's bigrams found in the words after the marker
MIN_LINE = 800  # characters: a page flattened onto one line, not a paragraph that lists the parts


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def find_part_headings(text: str, lines: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, str]]:
    """(marker start, title start, title end, marker) of national part headings inside long lines."""
    out: list[tuple[int, int, int, str]] = []
    for start, end in lines:
        if end - start < MIN_LINE:  # an ordinary paragraph: the line-start and inline rules see its headings
            continue
        for m in _MARKER.finditer(text, start, end):
            national = NATIONAL_PARTS[_ORDINALS.index(m.group(1))]
            window = text[m.end() : min(end, m.end() + len(national) + 6)]
            stop = _TITLE_STOP.search(window)
            title = window[: stop.start()] if stop else window
            grams = _bigrams(national)
            if len(title) >= 2 and len(grams & _bigrams(title)) >= MIN_SHARE * len(grams):
                title_end = m.end() + _title_length(title, national)
                out.append((m.start(), m.end(), title_end, m.group()))
    return out


def _title_length(title: str, national: str) -> int:
    """Where the title ends: after the last of its characters that the national title shares."""
    if national in title:
        return title.index(national) + len(national)
    last = 0
    for i, ch in enumerate(title):
        if ch in national:
            last = i + 1
    return last or len(title)
