"""Terminal layout for the text report: paragraphs wrapped to a width in cells, and rule lines.

The same output as rich 15 printing a ``Text`` (``Console.print``), a ``Rule`` and a
``Padding`` of texts, for a fraction of the cost (rich splits every line into graphemes and
builds segments, styles and copies per line): words are ``\\s*\\S+\\s*``; a word that does not
fit on the line starts the next one; a word wider than the line is folded by cells; a tab
moves to the next multiple of 8 cells; the whitespace that overflows a line is cut. A CJK
character takes two cells (rich's own width table; a string is measured in C by two regexes made
from it, per character only when it holds a zero-width or astral character). With ``color``
each styled run is written as ``ESC[<codes>m…ESC[0m``, line by line, as rich does.

For CJK, ASCII letters, digits, spaces and Chinese and ASCII punctuation the output equals
rich's (tests/report/test_terminal.py checks it against rich). For combining marks, emoji
with zero-width joiners or variation selectors and other zero-width characters rich measures
graphemes; here each character is measured alone, so the lines may break elsewhere than
rich's, but no line is wider than the width and no character is lost. Control characters
never reach this module (``terminal_safe`` shows them as escapes).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Final

#: (text, style): a piece of a paragraph and its style, "" for none.
Run = tuple[str, str]

TAB_SIZE: Final = 8
RULE_STYLE: Final = "bright_green"  # rich's "rule.line"

#: SGR codes of the styles the text report uses, as rich writes them for the standard colours.
SGR: Final = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "bold red": "1;31",
    "bold magenta": "1;35",
    RULE_STYLE: "92",
}

_WORD: Final = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE: Final = re.compile(r"\s+$")


@functools.cache
def char_width(char: str) -> int:
    """Cells taken by one character: 0, 1 or 2 (rich's table)."""
    from rich.cells import get_character_cell_size

    return get_character_cell_size(char)


@functools.cache
def _classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(runs of 2-cell characters of the Basic Multilingual Plane, a character that is not 1 or 2
    cells or lies beyond that plane), made from the table of :func:`char_width` at first use.
    Every other character takes one cell."""
    from rich._unicode_data import load

    def ranges(cells: int) -> str:
        return "".join(
            f"\\u{start:04x}-\\u{min(end, 0xFFFF):04x}"
            for start, end, width in load("auto").widths
            if width == cells and start <= 0xFFFF
        )

    return re.compile(f"[{ranges(2)}]+"), re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{ranges(0)}\\U00010000-\\U0010ffff]")


def cell_len(text: str) -> int:
    """Cells taken by ``text``, each character measured alone (in C when no character is 0 cells
    wide or beyond the Basic Multilingual Plane: one cell each, plus one for each wide one)."""
    if text.isascii() and text.isprintable():
        return len(text)
    wide, odd = _classes()
    if odd.search(text):
        return sum(map(char_width, text))
    return 2 * len(text) - len(wide.sub("", text))


def _fitting(text: str, width: int) -> int:
    """How many characters of ``text`` from its start fit in ``width`` cells (rich's ``chop_cells``:
    the zero-width characters that follow the last one that fits are counted in)."""
    if text.isascii() and text.isprintable():
        return min(len(text), width)
    if _classes()[1].search(text):
        return bisect.bisect_right(list(itertools.accumulate(map(char_width, text))), width)
    stop, room = 0, width  # every character takes 1 or 2 cells: room // 2 more always fit
    while stop < len(text) and room > 1:
        step = min(room // 2, len(text) - stop)
        room -= cell_len(text[stop : stop + step])
        stop += step
    return stop + 1 if room == 1 and stop < len(text) and char_width(text[stop]) == 1 else stop


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells; half of a wide character becomes a space."""
    if cell_len(text) <= width:
        return text
    stop = _fitting(text, width)
    return text if stop == len(text) else text[:stop] + " " * (width - cell_len(text[:stop]))


def paragraph(runs: Sequence[Run], width: int, *, color: bool = False, indent: int = 0) -> str:
    """The lines of one paragraph (a rich ``Text`` made of ``runs``), each ending in a newline,
    wrapped to ``width - indent`` cells and indented by ``indent`` spaces. Without ``color`` a
    line may keep trailing whitespace (rich cuts it at the width; the caller strips it)."""
    room = width - indent
    margin = " " * indent
    if not color:
        plain = "".join([text for text, _ in runs])
        if "\t" in plain:
            plain = "".join(text for text, _ in _expand_tabs([(plain, "")]))
        if len(plain) * 2 <= room and "\n" not in plain:
            return margin + plain + "\n"
        return "".join(margin + piece + "\n" for line in plain.split("\n") for _, piece in _pieces(line, room))
    spans = _spans(runs)
    if len(spans) == 1 and spans[0][1] and "\n" not in spans[0][0] and len(spans[0][0]) * 2 <= room:
        text, style = spans[0]
        return f"{margin}\x1b[{SGR[style]}m{text}\x1b[0m\n"
    out: list[str] = []
    start = 0
    for line in "".join([text for text, _ in spans]).split("\n"):
        for offset, piece in _pieces(line, room):
            out.append(margin + _styled(spans, start + offset, _cut(piece, room)) + "\n")
        start += len(line) + 1
    return "".join(out)


def rule(title: str, style: str, width: int, *, color: bool = False, character: str = "═") -> str:
    """A line of ``character`` across ``width`` cells with ``title`` centred in it (rich's ``Rule``)."""
    parts = _expand_tabs([(title.replace("\n", " "), style)])
    title = "".join(text for text, _ in parts)
    room = max(0, width - 4)
    if not title or not room:
        line = character * width
        return (_styled([(line, RULE_STYLE)], 0, line) if color else line) + "\n"
    if cell_len(title) > room:
        title = fit(title, room - 1) + "…"
    side = (width - cell_len(title)) // 2
    left = character * (side - 1) + " "
    right = " " + character * max(0, width - side - 1 - cell_len(title))
    line = fit(left + title + right, width)
    if not color:
        return line + "\n"
    return _styled([(left, RULE_STYLE), *_recut(parts, len(title)), (right, RULE_STYLE)], 0, line) + "\n"


def _recut(runs: Sequence[Run], length: int) -> list[Run]:
    """``runs`` cut to ``length`` characters, or followed by unstyled ones up to it (styles by position)."""
    out: list[Run] = []
    for text, style in runs:
        if length <= 0:
            break
        out.append((text[:length], style))
        length -= len(text)
    return [*out, (" " * length, "")] if length > 0 else out


def _spans(runs: Sequence[Run]) -> list[Run]:
    """The runs without empty ones and with their tabs expanded."""
    kept = [(text, style) for text, style in runs if text]
    return _expand_tabs(kept) if any("\t" in text for text, _ in kept) else kept


def _expand_tabs(runs: Sequence[Run]) -> list[Run]:
    """Each tab as spaces up to the next multiple of ``TAB_SIZE`` cells of its line, in its run's
    style; a run is split after each of its tabs (rich styles each piece on its own)."""
    column = 0
    expanded: list[Run] = []
    for text, style in runs:
        piece = ""
        for char in text:
            if char == "\t":
                spaces = TAB_SIZE - column % TAB_SIZE
                expanded.append((piece + " " * spaces, style))
                piece, column = "", column + spaces
            else:
                piece += char
                column = 0 if char == "\n" else column + char_width(char)
        if piece:
            expanded.append((piece, style))
    return expanded


def _pieces(line: str, width: int) -> Iterator[tuple[int, str]]:
    """(offset, text) of each screen line ``line`` (no newline in it) is wrapped into."""
    if len(line) * 2 <= width or cell_len(line) <= width:
        yield 0, line
        return
    begin = 0
    for end in [*_breaks(line, width), len(line)]:
        yield begin, line[begin:end]
        begin = end


def _cut(piece: str, width: int) -> str:
    """A wrapped line without the whitespace that overflows ``width`` (as rich cuts it)."""
    if len(piece) > width and (space := _TRAILING_SPACE.search(piece)):
        piece = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
    return fit(piece, width) if len(piece) * 2 > width else piece


def _breaks(line: str, width: int) -> Iterator[int]:
    """Where rich's ``divide_line`` breaks ``line`` (no newline in it) at ``width`` cells."""
    used = 0
    for word in _WORD.finditer(line):
        start, text = word.start(), word.group()
        stripped = text.rstrip()
        size = cell_len(stripped)
        if width - used >= size:
            used += size + cell_len(text[len(stripped) :])
        elif size > width:
            chunks = _chop(text, width)
            for chunk in chunks[:-1]:
                if start:
                    yield start
                start += len(chunk)
            if start:
                yield start
            used = cell_len(chunks[-1])
        elif used and start:
            yield start
            used = cell_len(text)


def _chop(word: str, width: int) -> list[str]:
    """``word`` cut into chunks of at most ``width`` cells (a zero-width character stays with the one before)."""
    chunks = []
    begin = 0
    while begin < len(word):
        stop = begin + max(_fitting(word[begin:], width), 1)
        chunks.append(word[begin:stop])
        begin = stop
    return chunks


def _styled(spans: Sequence[Run], begin: int, piece: str) -> str:
    """``piece`` (the text at ``begin`` of the paragraph, possibly cut) with the styles of its runs."""
    out = []
    end = begin + len(piece)
    position = 0
    for text, style in spans:
        stop = position + len(text)
        if stop > begin and position < end:
            part = piece[max(position, begin) - begin : min(stop, end) - begin]
            out.append(f"\x1b[{SGR[style]}m{part}\x1b[0m" if style and part else part)
        position = stop
        if position >= end:
            break
    return "".join(out)
