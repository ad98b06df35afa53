"""terminal: our paragraph and rule layout equals rich's (the oracle) on report-like text, and
stays sane (nothing lost, no line too wide) on the characters where rich's rules are exotic."""

from __future__ import annotations

import bisect
import io
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len as rich_cell_len
from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.text import Text

from auditor.report.terminal import RULE_STYLE, SGR, Run, _fitting, cell_len, char_width, fit, paragraph, rule

CJK = "法治政府建设年度报告信息公开工作依申请行政复议诉讼规范性文件备案审查领导干部学法用法"
PUNCTUATION = "，。；：、！？（）「」《》【】“”—…·,.;:!?()[]-/%'\""
ALPHABET = CJK + "abcdefgXYZ" + "0123456789" + "   " + PUNCTUATION
EXOTIC = "e\u0301\u0300\u200b\u200d\ufe0f\u2060👨‍👩‍👧❤️🇨🇳\u3000\xa0\u2028"

texts = st.text(alphabet=ALPHABET + "\n\t", max_size=400)
widths = st.integers(min_value=20, max_value=200)
styles = st.sampled_from(["", *SGR])
runs = st.lists(st.tuples(st.text(alphabet=ALPHABET + "\n\t", max_size=120), styles), min_size=1, max_size=6)


def _console(width: int, color: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    return console, buffer


def _rich(renderable: object, width: int, color: bool) -> str:
    console, buffer = _console(width, color)
    console.print(renderable)
    return _stripped(buffer.getvalue())


def _stripped(output: str) -> str:
    """What render_text keeps of the output: every line without its trailing whitespace."""
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


def _text(parts: list[Run]) -> Text:
    text = Text()
    for part, style in parts:
        text.append(part, style)
    return text


@settings(max_examples=300, deadline=None)
@given(texts, widths, st.sampled_from([0, 2]))
def test_plain_paragraph_is_riches(value: str, width: int, indent: int) -> None:
    shown = Padding(Text(value), (0, 0, 0, indent)) if indent else Text(value)
    assert _stripped(paragraph([(value, "")], width, indent=indent)) == _rich(shown, width, color=False)


@settings(max_examples=300, deadline=None)
@given(runs, widths, st.sampled_from([0, 2]))
def test_coloured_paragraph_is_riches(parts: list[Run], width: int, indent: int) -> None:
    shown = Padding(_text(parts), (0, 0, 0, indent)) if indent else _text(parts)
    ours = paragraph(parts, width, color=True, indent=indent)
    assert _stripped(ours) == _rich(shown, width, color=True)
    assert _stripped(paragraph(parts, width, indent=indent)) == _rich(shown, width, color=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "\t", max_size=250), widths, st.booleans())
def test_rule_is_riches(title: str, width: int, color: bool) -> None:
    expected = _rich(Rule(Text(title, style="bold"), characters="═"), width, color)
    assert _stripped(rule(title, "bold", width, color=color)) == expected


def test_a_long_title_is_cut_with_an_ellipsis() -> None:
    line = rule("很长的单位名称" * 10, "bold", 40).rstrip("\n")
    assert line.startswith("═ 很长的单位名称") and line.endswith("… ═")
    assert cell_len(line) == 40


@given(st.text(alphabet=ALPHABET + EXOTIC, max_size=200))
def test_cells_are_riches_per_character(value: str) -> None:
    assert cell_len(value) == sum(rich_cell_len(c) for c in value)
    assert all(char_width(c) == rich_cell_len(c) for c in value)


# report-like text with tabs, zero-width characters and emoji, or any code point at all
any_text = st.text(
    st.one_of(st.sampled_from(ALPHABET + EXOTIC + "\t"), st.characters(blacklist_categories=())), max_size=200
)


def test_cells_of_every_character_of_the_basic_plane_are_riches() -> None:
    """cell_len measures runs of the BMP with two regexes built from rich's table: every character agrees."""
    assert [cell_len(chr(c)) for c in range(0x10000)] == [get_character_cell_size(chr(c)) for c in range(0x10000)]


@settings(max_examples=500)
@given(any_text)
def test_cells_of_any_text_are_riches_per_character(value: str) -> None:
    assert cell_len(value) == sum(map(get_character_cell_size, value))


@settings(max_examples=500)
@given(any_text, st.integers(min_value=0, max_value=120))
def test_the_fitting_prefix_is_the_longest_one_within_the_width(value: str, width: int) -> None:
    """As rich's chop_cells: every character whose cells up to it (itself included) are within the width."""
    ends = list(itertools.accumulate(map(get_character_cell_size, value)))
    assert _fitting(value, width) == bisect.bisect_right(ends, width)


@given(st.text(alphabet=ALPHABET, max_size=100), st.integers(min_value=0, max_value=120))
def test_fit_cuts_to_the_width(value: str, width: int) -> None:
    cut = fit(value, width)
    assert cell_len(cut) <= width
    assert cut == value or cell_len(cut) == width  # half of a wide character becomes a space


@pytest.mark.parametrize("style", list(SGR))
def test_style_codes_are_riches(style: str) -> None:
    assert SGR[style] == Style.parse(style)._make_ansi_codes(ColorSystem.STANDARD)


def test_rule_style_is_riches() -> None:
    from rich.default_styles import DEFAULT_STYLES

    assert DEFAULT_STYLES["rule.line"] == Style.parse(RULE_STYLE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + EXOTIC + "\n", max_size=300), st.integers(min_value=4, max_value=200), st.booleans())
def test_exotic_text_is_kept_and_fits(value: str, width: int, color: bool) -> None:
    shown = paragraph([(value, "italic" if color else "")], width, color=color)
    plain = shown.replace("\x1b[3m", "").replace("\x1b[0m", "")
    assert "".join(plain.split()) == "".join(value.split())  # nothing lost but whitespace
    assert all(cell_len(line.rstrip()) <= width for line in plain.split("\n"))


def test_words_go_to_the_next_line_and_long_words_are_folded() -> None:
    assert paragraph([("aaaa bbbb cccc", "")], 10) == "aaaa bbbb \ncccc\n"
    assert paragraph([("甲" * 12, "")], 10) == "甲甲甲甲甲\n甲甲甲甲甲\n甲甲\n"
    assert paragraph([("x\ty", "")], 20) == "x       y\n"
