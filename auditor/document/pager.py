"""A web article split over pages (第1页 2 3 下一页) of which the file holds only some.

Old government sites cut a long report into pages; saving one saves page 1 and its pager. What the
rules do not find may then be on the pages that were not saved, so no rule may call it missing
(see ``engine``): :func:`pages_of_article` says how many pages the article has when the text
holds a pager line and fewer pages than that.
"""

from __future__ import annotations

import re

#: a line made of pager words and page numbers only: 第1页 2 3 下一页, 共3页 首页 上一页 [1] 2 下一页 尾页
_PAGER_LINE = re.compile(
    r"(?:共\s*\d{1,3}\s*页|(?:当前)?第\s*\d{1,3}\s*页|首页|上一页|下一页|尾页|末页|跳转|到第|页|"
    r"[\[【(]?\s*\d{1,3}\s*[\]】)]?|[<>«»‹›,,|]|\s)+"
)
_NUMBER = re.compile(r"\d{1,3}")
_TOTAL = re.compile(r"共\s*(\d{1,3})\s*页")
_MAX_LINE = 80  # a pager line is short; a longer line with 下一页 is text
_NEXT = "下一页"


def pages_of_article(text: str) -> int:
    """How many pages the article is split over when ``text`` holds one page's pager but not every
    page (the pager lines of a file with all pages saved, one after another, are as many as its
    pages); 0 when the text is whole, or has no pager. Cheap without 下一页 in ``text``."""
    if _NEXT not in text:
        return 0
    pagers = [line for line in _lines_with(text, ("上一页", _NEXT)) if _is_pager(line)]
    if not pagers:
        return 0
    total = max(_pages_named(line) for line in pagers)
    return total if total > 1 and len(pagers) < total else 0


def _lines_with(text: str, words: tuple[str, ...]) -> list[str]:
    """The lines of ``text`` holding one of ``words``, each once, in order."""
    found: dict[int, str] = {}
    for word in words:
        i = text.find(word)
        while i != -1:
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = len(text) if end == -1 else end
            found[start] = text[start:end].strip()
            i = text.find(word, end)
    return [found[k] for k in sorted(found)]


def _is_pager(line: str) -> bool:
    return len(line) <= _MAX_LINE and _PAGER_LINE.fullmatch(line) is not None and _NUMBER.search(line) is not None


def _pages_named(line: str) -> int:
    """The page count a pager line states (共3页), else the highest page number it names."""
    total = _TOTAL.search(line)
    if total is not None:
        return int(total.group(1))
    return max(int(n) for n in _NUMBER.findall(line))
