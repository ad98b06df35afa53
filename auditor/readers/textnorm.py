"""The clean-up every extracted text goes through: line ends, BOM, emptiness and the size cap."""

from __future__ import annotations

import re

from auditor.errors import ReadError

# Every separator str.splitlines() honours becomes "\n", so that splitting on "\n" and
# splitlines() agree and line numbers in findings are unambiguous.
#: the characters every line break starts with: a text without any (found by str's own search,
#: ≈ 10x faster than the pattern, which is tried at every character) is left as it is
_BREAK_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAKS = re.compile(f"\r\n|[{_BREAK_CHARS}]")

SIZE_HINT = "可用 --max-chars 调高上限"

#: a page number printed alone on its line (3, 12) at a page break: the last line of a page before the
#: form feed, or the first after it (`pdftotext -layout` text). Once the form feed is a line end it reads
#: as a figure, a cell of the table the page break cuts (- 3 - and 第 3 页 are known by their marks)
_BARE_PAGE_NUMBER = re.compile(
    r"(?m)^[ \t]*\d{1,4}[ \t]*\n(?=(?:[ \t]*\n)*[ \t]*\x0c)|(?<=\x0c)((?:[ \t]*\n)*)[ \t]*\d{1,4}[ \t]*(?=\n|\Z)"
)


def normalize_newlines(text: str) -> str:
    """Turn CRLF, lone CR and the other Unicode line separators into ``"\\n"``."""
    return _LINE_BREAKS.sub("\n", text) if any(ch in text for ch in _BREAK_CHARS) else text


def size_cap_error(max_chars: int) -> ReadError:
    """The error for a text longer than ``max_chars`` characters."""
    return ReadError(f"提取的文字超过字数上限（{max_chars} 字）", hint=SIZE_HINT)


def check_size(length: int, max_chars: int) -> None:
    """Raise the size-cap error once an extraction has grown past ``max_chars``."""
    if length > max_chars:
        raise size_cap_error(max_chars)


def removed_by_finish(text: str) -> list[int]:
    """The offsets of ``text`` that :func:`finish_text` deletes (a leading BOM, the CR of each CRLF)."""
    removed = [0] if text.startswith("\ufeff") else []
    i = text.find("\r\n")
    while i != -1:
        removed.append(i)
        i = text.find("\r\n", i + 2)
    return removed


def blank_page_numbers(text: str) -> str:
    """``text`` with each page number printed alone next to a form feed made spaces (the same length: every
    offset stays)."""
    if "\x0c" not in text:
        return text
    return _BARE_PAGE_NUMBER.sub(lambda m: "".join(ch if ch in "\n\x0c" else " " for ch in m.group()), text)


def finish_text(text: str, max_chars: int) -> str:
    """Normalize line ends (a page number alone at a form feed blanked first), drop a leading BOM, refuse
    blank or oversized text."""
    text = normalize_newlines(blank_page_numbers(text.removeprefix("\ufeff")))
    if not text or text.isspace():  # (no stripped copy of the whole text)
        raise ReadError("没有文字（只有空白）", hint="请确认是否选对了文件")
    check_size(len(text), max_chars)
    return text
