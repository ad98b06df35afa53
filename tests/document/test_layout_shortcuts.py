"""The layout's shortcut never changes which lines are page chrome.

A line holding a 。 but no chrome word is prose: ``is_chrome_line`` answers False for it
before the menu and breadcrumb tests, which cannot hold for it (a menu has no sentence mark,
a breadcrumb no 。, and a line of only ``|[] `` holds no 。).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.layout import CHROME_TOKENS, _is_breadcrumb, _is_menu, is_chrome_line

_PIECES = st.sampled_from(
    ["。", " ", "  ", "|", "[", "]", ">", ">>", "›", "首页", "新闻", "1", "法治政府建设", "工作", ",", ";", "\t", "打印本页"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_a_line_with_a_full_stop_and_no_chrome_word_is_no_menu_nor_breadcrumb(line: str) -> None:
    t = line.strip()
    if "。" in t and CHROME_TOKENS.search(t) is None:
        assert t.strip("|[] ") != ""
        assert not _is_menu(t)
        assert not _is_breadcrumb(t)
        assert not is_chrome_line(line)
