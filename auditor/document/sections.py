"""Headings, the section tree, and each part's role.

Headings are found at every level — ``一、`` / ``第一部分`` (1), ``(一)`` (2),
``1、`` ``1.`` ``(1)`` (3), ``一是`` and a lost-number ``是…`` (4, items) — at the start
of a line or inline after a sentence end (reports pasted on one line), plus short
stand-alone lines that lost their number (``有序推进法治政府建设``).

Roles: every top-level section gets one of ``measures``, ``shortcomings``,
``first_responsible``, ``next_year``, ``other`` from its title; sub-sections inherit it
unless their own title says otherwise; text before the first heading is ``intro``.
A sentence that opens a shortcomings part (``…还存在一些问题和不足``) or a plans part
(``下一步，我镇将…``) switches the role until the next heading of level 1–2, so a part
without a heading is still found, on one line or many.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from auditor.document.flatparts import MIN_LINE as FLAT_LINE
from auditor.document.numbers import PART_NUMERALS, year_value
from auditor.document.patterns import FIRST_RESPONSIBLE_TITLE, TWO_CJK, WHITE, YEAR_WRITTEN
from auditor.vocabulary import Role

ROLES = tuple(role.value for role in Role)

_CN = PART_NUMERALS
_TAG = r"(?:\[[^\]\n]{0,40}\])?"  # e.g. "[bookmark: _GoBack]" left by converters
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"{_TAG}(第[{_CN}]{{1,3}}部分[、,:]?|[{_CN}]{{1,3}}[、.](?![{_CN}]))")),
    (2, re.compile(rf"{_TAG}(\([{_CN}]{{1,3}}\)[、.]?)")),
    (3, re.compile(rf"{_TAG}(\d{{1,2}}[、.](?![0-9%])|\(\d{{1,2}}\)|[①②③④⑤⑥⑦⑧⑨⑩])")),
    (4, re.compile(rf"{_TAG}([{_CN}]{{1,3}}是(?=[\u3400-\u9fff\"]))")),
)
#: the marker patterns that can match at a character (each starts with _TAG, "[", or its own first
#: characters: 第 and the Chinese numbers for level 1, "(" for 2, digits, "(" and ①… for 3, the
#: Chinese numbers for 4); any other decimal digit (\d) starts only level 3
_MARKERS_AT: dict[str, tuple[tuple[int, re.Pattern[str]], ...]] = {
    "[": _MARKERS,
    "第": _MARKERS[:1],
    "(": _MARKERS[1:3],
    **dict.fromkeys(_CN, (_MARKERS[0], _MARKERS[3])),
    **dict.fromkeys("①②③④⑤⑥⑦⑧⑨⑩", _MARKERS[2:3]),
}
_LOST_ITEM = re.compile(r"是(?=[\u3400-\u9fff\"])(?!否|指|由|在|为|以|从|对|把|将|要|全|非)")
_HEADING_FIRST = "一二三四五六七八九十第([①②③④⑤⑥⑦⑧⑨⑩0123456789是"  # first characters of a heading
_CAN_START = frozenset(_HEADING_FIRST)
#: a marker of any level follows (what _heading_at needs before it looks for a title)
_MARKER_AHEAD = "(?=" + "|".join(pattern.pattern for _, pattern in _MARKERS) + ")"
#: An inline heading starts after a sentence end and any spaces, or after spaces that follow
#: text (a CJK character or a closing mark, _follows_text): one pattern led by a character
#: class, which re skips to quickly, instead of one that looks behind every character.
_INLINE_START = re.compile(rf"[。;!?:{WHITE}][{WHITE}]*(?=[{re.escape(_HEADING_FIRST)}]){_MARKER_AHEAD}")
_LEAD = re.compile(r"\s*")
_WHITE_CHARS = frozenset(chr(c) for c in range(0x3001) if chr(c).isspace())  # what \s matches (patterns.WHITE)
#: Where a heading's title ends (only the start of the match is used). Every alternative starts by
#: matching the character it ends at, its look-behind after it, so re tests one character per
#: alternative at each position instead of entering the look-arounds.
_TITLE_END = re.compile(
    rf"[。;!?\n]|[{WHITE}]+(?=\(?[一二三四五六七八九十\d]{{1,3}}(?:[、.)]|是))|[一二三四五六七八九十](?=是[\u3400-\u9fff])"
    r"| (?<=[\u3400-\u9fff] )(?=[\u3400-\u9fff])"  # kept by normalize only where a heading ends
    r"|\((?<=[\u3400-\u9fff]\()(?=[一二三四五六七八九十]{1,3}\)[\u3400-\u9fff])"  # 工作开展情况(一)党政… on one line
)
_PUNCT_INSIDE = re.compile(r"[。;!?,:]")
#: what stands between a table row's cells in the text the readers give (readers.tablerows.SEPARATOR)
TABLE_CELLS = " | "


class Heading(NamedTuple):  # named tuples: a report has hundreds of these small records, built fast
    level: int  # 1..4; 0 for 第一部分 … in a report whose parts have 一、 headings inside
    marker: str  # "一、", "(一)", "1.", "一是", "" for a lost number
    title: str
    start: int  # where the marker starts
    title_end: int  # where the title ends (body text follows)


class Section(NamedTuple):
    heading: Heading
    end: int
    role: str
    parent: int | None  # index of the parent section

    @property
    def start(self) -> int:
        return self.heading.start

    @property
    def label(self) -> str:
        return f"{self.heading.marker}{self.heading.title}"


class Part(NamedTuple):
    """A maximal run of body text with one role."""

    start: int
    end: int
    role: str
    section: int | None  # the section that opened it (None for intro / sentence cues)


# --------------------------------------------------------------------------- headings


def _title_at(text: str, pos: int, limit: int) -> int:
    m = _TITLE_END.search(text, pos, limit)
    end = m.start() if m else limit
    if end - pos > 60:
        comma = text.rfind(",", pos, pos + 60)
        end = comma if comma > pos else pos + 60
    return end


def _heading_at(text: str, pos: int, limit: int, line_start: bool) -> Heading | None:
    first = text[pos : pos + 1]
    if first and first not in _CAN_START and not first.isdecimal():
        return None  # every marker (and a converter's [tag]) starts with one of these (\d: any decimal digit)
    markers = _MARKERS_AT.get(first) or (_MARKERS[2:3] if first.isdecimal() else ())
    for level, pattern in markers:
        m = pattern.match(text, pos, limit)
        if m is None:
            continue
        if level == 3 and not line_start and text[pos - 1 : pos] not in ("。", ";", ""):
            continue
        marker = m.group(1)
        end = _title_at(text, m.end(), min(limit, m.end() + 40) if level == 4 else limit)
        title = text[m.end() : end].strip()
        if title:
            return Heading(level, marker, title, m.start(1), end)
    if line_start and _LOST_ITEM.match(text, pos, limit):
        end = _title_at(text, pos + 1, min(limit, pos + 41))
        return Heading(4, "", text[pos + 1 : end].strip(), pos, end)
    return None


#: a colon that opens a list (…但仍存在不足:一是网站专栏信息): prose, the first line of a wrapped paragraph
_LIST_AFTER_COLON = re.compile(r":\s*(一是|首先|第一|\(一\)|1[、.])")


#: a part numbered with a space where 、 belongs, the space gone in normalising (六其他需要报告的事项)
_BARE_NUMBER = re.compile(rf"\s*([{_CN}])[\u3400-\u9fff]{{4}}")


def _standalone_heading(text: str, start: int, end: int, numbered_l1: bool) -> Heading | None:
    line = text[start:end].strip()
    if TABLE_CELLS in line:  # a table's row as the readers write it (收到行政复议申请(件) | 1024 | +12%)
        return None
    if TWO_CJK.search(line) is None:  # no words: a rule line of a text table (|---|---|, +-----+)
        return None
    if len(line) > 30 or _PUNCT_INSIDE.search(line):  # a longer title with commas must name a part
        if not (4 <= len(line) <= 40 and _titled_line(line)) or _LIST_AFTER_COLON.search(line):
            return None
    elif len(line) < 4:
        return None
    if re.search(r"\d{4}\s*年\s*\d{1,2}\s*月|^[\u3400-\u9fff]{2,30}(人民政府|办事处|委员会|局)$", line):
        return None
    offset = text.index(line[0], start)
    return Heading(1 if numbered_l1 else 2, "", line, offset, offset + len(line))


def find_headings(text: str, lines: Sequence[tuple[int, int]]) -> list[Heading]:
    """Headings in the body lines ``(start, end)`` of the normalised text."""
    found: list[Heading] = []
    candidates: list[tuple[int, int]] = []
    flattened: list[tuple[int, int]] = []  # lines long enough to be a flattened page (see flatparts)
    lead_of = _LEAD.match
    above: Heading | None = None  # the last heading that starts a line: inline ones number under it
    restarted = False  # an inline list restarted its numbering under ``above``
    for start, end in lines:
        if end - start >= FLAT_LINE:
            flattened.append((start, end))
        if text[start] in _WHITE_CHARS:  # (most lines start with their text: no match object for them)
            spaces = lead_of(text, start, end)  # always a match (\s*), at worst empty
            lead = spaces.end() if spaces else start
            if lead >= end:
                continue
        else:
            lead = start
        first = text[lead]
        h = _heading_at(text, lead, end, line_start=True) if first in _CAN_START or first.isdecimal() else None
        if h:
            found.append(h)
            found.extend(_run_on(text, h, end))
            if h.level < 4:
                above, restarted = h, False
        elif end - lead <= 40:
            candidates.append((lead, end))
        for p in _inline_starts(text, (h.title_end if h else lead) + 1, end):
            if p > lead:
                inline = _heading_at(text, p, end, line_start=False)
                if (inline and inline.level < 4) or (inline and text[p - 1 : p] in "。;"):
                    if above is not None and inline.level < above.level:
                        above, restarted = None, False  # a higher part starts: the list is over
                    demoted = _under(inline, above, restarted)
                    restarted = restarted or demoted is not inline
                    found.append(demoted)
                    inline = demoted
                    found.extend(_run_on(text, inline, end))
    numbered_l1 = any(h.level == 1 for h in found)
    line_starts = [a for a, _ in lines]
    last = -1  # the number of the last unnumbered heading that opened on a bare numeral (一总体情况), or -1
    for start, end in candidates:
        k = bisect.bisect_right(line_starts, start)
        bare = _BARE_NUMBER.match(text, start, end)
        number = _CN.index(bare.group(1)) if bare else -1
        # a short paragraph under it is no heading's, unless the line goes on with a run of bare-numbered
        # parts (五存在的主要问题…, then 六其他需要报告的事项 over one short sentence)
        short = k < len(lines) and lines[k][1] - lines[k][0] < 20 and not (number > 0 and number == last + 1)
        if k >= len(lines) or short or _continues_sentence(text, lines, k - 2):
            continue
        h = _standalone_heading(text, start, end, numbered_l1)
        if h:
            found.append(h)
            last = number
    if flattened:
        found.extend(_flat_part_headings(text, flattened, found))
    found.sort(key=_START)
    return _parts_above_numbers(_dedupe(found))


def _under(inline: Heading, above: Heading | None, restarted: bool) -> Heading:
    """An inline heading numbered like the line heading above it, whose numbering it restarts or
    repeats (（一）总体情况 ⏎ 2022年，我局……。（一）主动公开。……（二）依申请公开。): a list inside that
    part, one level below it, not parts of their own that would end it after a sentence. Once the
    list restarted (``restarted``), its next items go below too."""
    if above is None or inline.level != above.level or inline.level != 2:
        return inline  # (一、 restarts inline in a flattened page's tables: 三、…申请情况 一、本年新收…)
    mine, theirs = _number(inline.marker), _number(above.marker)
    if mine is None or theirs is None:
        return inline
    return inline._replace(level=inline.level + 1) if restarted or mine <= theirs else inline


def _number(marker: str) -> int | None:
    digits = [ch for ch in marker if ch in _CN]
    return _CN.index(digits[0]) + 1 if len(digits) == 1 else None


def _parts_above_numbers(headings: list[Heading]) -> list[Heading]:
    """A report divided into 第一部分 … whose parts are numbered 一、二、 inside: the parts are the
    top level (0), so 一、 nests in its part instead of closing it."""
    parts = [h.level == 1 and h.marker.startswith("第") for h in headings]
    if not any(parts) or all(p for p, h in zip(parts, headings, strict=True) if h.level == 1):
        return headings
    return [h._replace(level=0) if p else h for p, h in zip(parts, headings, strict=True)]


_START = operator.attrgetter("start")


def _inline_starts(text: str, pos: int, end: int) -> list[int]:
    """Where a marker starts in ``text[pos:end]`` right after a sentence end (。;!?: and any
    spaces; the end may be just before ``pos``) or after spaces that follow text (spaces that
    start before ``pos`` follow nothing)."""
    if _INLINE_START.search(text, pos - 1, end) is None:
        return []  # most lines: one search, no iterator and no loop
    out = []
    for m in _INLINE_START.finditer(text, pos - 1, end):
        i = m.start()
        if text[i] in "。;!?:" or (i >= pos and _follows_text(text[i - 1])):
            out.append(m.end())
    return out


def _follows_text(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch in "\"')%。,"


def _run_on(text: str, h: Heading, limit: int) -> list[Heading]:
    """A sub-heading glued to the end of a heading's title: 工作开展情况(一)党政主要负责人…"""
    if h.level != 1 or text[h.title_end : h.title_end + 1] != "(":
        return []
    sub = _heading_at(text, h.title_end, limit, line_start=False)
    return [sub] if sub is not None and sub.level == 2 else []


def _flat_part_headings(text: str, lines: Sequence[tuple[int, int]], found: list[Heading]) -> list[Heading]:
    """National part headings run into the text of a flattened page (see :mod:`flatparts`)."""
    from auditor.document.flatparts import find_part_headings

    starts = {h.start for h in found}
    return [
        Heading(1, marker, text[title_start:title_end], start, title_end)
        for start, title_start, title_end, marker in find_part_headings(text, lines)
        if start not in starts
    ]


def _continues_sentence(text: str, lines: Sequence[tuple[int, int]], k: int) -> bool:
    """Line ``k`` is a long line that stops mid-sentence (a wrapped paragraph, as in layout
    text): the line after it carries on that sentence and is no heading."""
    if k < 0:
        return False
    line = text[lines[k][0] : lines[k][1]].rstrip()
    return len(line) >= 20 and line[-1] not in "。;!?:\"')" and not line[-1].isdigit()


def _dedupe(headings: list[Heading]) -> list[Heading]:
    out: list[Heading] = []
    for h in headings:
        if out and h.start < out[-1].title_end:
            continue
        out.append(h)
    return out


# --------------------------------------------------------------------------- roles
# (the patterns led by ^ are tried with ``match``: ``search`` would try them, in vain, at every
# later character of a sentence too)

_R_SHORT = re.compile(
    r"(存在|面临)的?(主要|突出|一些|几个|几点|若干)?(问题|不足|困难|短板|差距)|问题(和|与|及)(不足|原因|差距|建议)|"
    r"(^|中的?|当前的?|目前的?|主要)(困难|短板)(和|与|及|、)?(问题|弱项|不足)$|"
    r"不足(之处)?(和|与|及)(原因|问题|改进)|^(主要)?(问题|不足|困难|短板|差距)|薄弱环节|短板(和|与)不足|"
    r"(的|几点|若干|一些)(不足|差距|短板)(之处)?((和|与|及|、)(不足|差距|短板|问题|原因))?$|"
    r"(需要|有待|仍需|亟待)(改进|加强|提升)的?(方面|地方|之处)$|"
    # the causes in a part of their own, after the problems' (四、原因分析, 存在问题的原因)
    r"^(主要)?原因(分析)?$|^(产生|存在)?(上述)?(问题|不足)的?(主要)?原因(分析)?$"
)
_R_FIXING = re.compile(r"(整改|解决|化解|排查|梳理|回应)[^,]{0,8}存在的?(问题|不足)")
_R_PLAN_WORDS = r"(安排|打算|计划|思路|设想|展望)"
#: next year's plans as titles say it: 下一步/下阶段/今后 … 工作重点, 努力方向
_R_NEXT_STRONG = re.compile(
    rf"下一年度?|下一步|下步|下一?阶段|明年|新的一年|今后.{{0,6}}({_R_PLAN_WORDS}|重点|方向|任务)|努力方向$|{_R_PLAN_WORDS}$"
)
_R_YEAR = re.compile(r"(20\d\d)\s*年")
_R_TASK = re.compile(r"任务|目标|重点|举措|要求|工作思路|要点|谋划")
_R_OTHER = re.compile(r"^其[他它](需要|应当|需)?(报告|说明)")


#: the words every role of a title needs (a shortcomings noun, 第一责任 or 主要负责, 其他, a plans
#: word, or a year): a title without one names no role, whatever else it says
_TITLE_WORDS = (  # fmt: skip
    r"问题|不足|困难|短板|差距|薄弱|改进|方面$|地方$|之处$|原因|第一责任|主要负责|其他|"
    r"下一|下步|下阶段|明年|新的一年|今后|努力方向|安排|打算|计划|思路|设想|展望|20\d\d\s*年"
)
_NAMES_ROLE = re.compile(_TITLE_WORDS)


def role_of_title(title: str, year: int | None, top_level: bool) -> str | None:
    """The role a heading title announces, or None when it announces none."""
    if not _NAMES_ROLE.search(title):
        return None
    if _R_OTHER.match(title):
        return "other"
    if _R_SHORT.search(title) and not _R_FIXING.search(title):
        return "shortcomings"
    if FIRST_RESPONSIBLE_TITLE.search(title):
        return "first_responsible"
    years = [int(y) for y in _R_YEAR.findall(title)]
    later = year is not None and any(y > year for y in years)
    if _R_NEXT_STRONG.search(title) and (top_level or later or "下一" in title or "明年" in title):
        return "next_year"
    if later and _R_TASK.search(title):
        return "next_year"
    if top_level and re.search(_R_PLAN_WORDS, title) and years:
        return "next_year"
    return None


def build_sections(
    headings: Sequence[Heading], body_end: int, year: int | None, lines: Sequence[tuple[int, int]] = ()
) -> list[Section]:
    """Nest headings into sections and give each a role.

    An item (level 4: 一是…) ends with its paragraph at the latest, so a paragraph that
    follows the last item is not counted as part of it.
    """
    sections: list[Section] = []
    stack: list[int] = []
    ends: list[int] = [body_end] * len(headings)
    parents: list[int | None] = []
    for i, h in enumerate(headings):  # a heading ends where the next one of its level or higher starts
        while stack and headings[stack[-1]].level >= h.level:
            ends[stack.pop()] = h.start
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    line_starts = [a for a, _ in lines]
    for i, h in enumerate(headings):
        if h.level == 4 and lines:
            k = bisect.bisect_right(line_starts, h.start) - 1
            if k >= 0:
                ends[i] = min(ends[i], lines[k][1])
    for i, h in enumerate(headings):
        parent = parents[i]
        own = role_of_title(h.title, year, top_level=parent is None)
        if own is None and h.level == 4:
            own = None
        inherited = sections[parent].role if parent is not None else "measures"
        if own is None and parent is None:
            inherited = _unnumbered_inherits(sections, h)
        if own == "first_responsible" and inherited in ("shortcomings", "next_year"):
            own = None
        sections.append(Section(h, ends[i], own or inherited, parent))
    return sections


def _unnumbered_inherits(sections: Sequence[Section], h: Heading) -> str:
    """The role of a top-level heading that names none: ``measures``, except that an unnumbered
    heading (a sub-heading whose number was left out) stays in a shortcomings or plans part."""
    if h.marker == "":
        previous = next((s for s in reversed(sections) if s.parent is None), None)
        if previous is not None and previous.role in ("shortcomings", "next_year"):
            return previous.role
    return "measures"


# --------------------------------------------------------------------------- parts

_CUE_SHORT = re.compile(
    r"^.{0,40}?(存在|还有|仍有|面临|也有|不足之处)(着)?(一些|以下|一定的?|不少|诸多|某些|若干)?"
    r"(亟待解决|亟需解决|急需解决|有待解决|需要解决|不容忽视|值得重视|需要改进)?(主要|突出|薄弱)?(的)?"
    r"(问题|不足|短板|差距|薄弱环节|困难)"
)
#: the words _CUE_SHORT needs within its first 40 characters (they end by the 44th): looked for
#: first, by a scan that skips to them, instead of the lazy match tried at each of 41 places
_CUE_SHORT_WORD = re.compile(r"存在|还有|仍有|面临|也有|不足之处")
#: a sentence about fixing problems (解决, but not 亟待解决的问题: problems still to be solved)
_CUE_SHORT_NOT = re.compile(r"(?<![待需要])解决|整改|化解|排查|梳理|针对|研判|回应|查找|聚焦|着力|反映")
#: who will do next year's work, as the opening of a plans paragraph names it: 我们, 我镇, 本局, 全县,
#: 区政府, 县委、县政府, 越秀区, 市场监管局 … (a few characters ending in a body or a place)
_PLANNER = (
    r"(我们|(我|本|全|该)(镇|乡|街道|县|区|市|州|旗|盟|局|委|办|单位|厅|部门|系统|中心)?|"
    r"[\u3400-\u9fff、]{0,10}?(政府|党委|党工委|党组|管委会|办事处|局|委|办|厅|中心|街道|镇|乡|县|区|市|州|旗|盟))"
)
_PLAN_VERB = r"(将|要|会|继续|计划|拟|仍将)"
_ENTERING = "进入|迈入|步入|面向"  # 进入2024年，…将…: a plans paragraph entering the next year
_CUE_NEXT = re.compile(
    r"^(下一步|下步|下一阶段|今后(一个时期|一段时间)?|明年)[,,]?|"
    rf"^(({_ENTERING})\s*)?(?P<year>{YEAR_WRITTEN[1:-1]})\s*年(度)?[,,]?\s*{_PLANNER}{_PLAN_VERB}|"
    rf"^(新的一年|来年)(里|中)?[,,]?\s*{_PLANNER}{_PLAN_VERB}"
)


def sentence_role_cue(sentence: str, year: int | None, line_start: bool = False) -> str | None:
    """The role a sentence opens: 'shortcomings', 'next_year', … or None."""
    if (
        len(sentence) <= 120
        and _CUE_SHORT_WORD.search(sentence, 0, 44)
        and _CUE_SHORT.match(sentence)
        and not _CUE_SHORT_NOT.search(sentence)
    ):
        return "shortcomings"
    m = _CUE_NEXT.match(sentence)
    if m:
        y = m.group("year")
        if y is None or (year is not None and year_value(y) > year):
            return "next_year"
    return opening_phrase_role(sentence, year, line_start)


# --------------------------------------------------------------------------- opening phrases
# A report written in plain paragraphs opens each part with a phrase instead of a numbered
# heading: "存在的问题：…", "但与…目标任务相比，仍存在一定差距，比如：…", "2022年，我们将继续…",
# "今后，我们将…", "党政主要负责人履行推进法治建设第一责任人职责情况：…", "其他需要报告的情况：…".
# A run-in title (the clause before "：", or a whole short sentence opening a line) is read
# like a heading; one with commas or longer than 30 characters only where it opens a line.

_OPEN_GAP = re.compile(
    r"^.{0,60}?(相比|相较|对照|比较)[^:。]{0,12}?(仍|还|尚)?(存在|有)(着)?(一定的?|不少|较大的?|一些)?(差距|不足|短板|问题)"
)
_OPEN_GAP_WORD = re.compile(r"相比|相较|对照|比较")  # what _OPEN_GAP needs in its first 62 characters
_OPEN_NEXT = re.compile(rf"^{YEAR_WRITTEN}\s*年(度)?[,]?\s*{_PLANNER}{_PLAN_VERB}")
_SENTENCE_END = re.compile(r"[。;!?]")
_CITES = re.compile(r"^(贯彻|根据|按照|依据|对照|学习)|(规定|条例|办法|意见|纲要|精神|通知)$")


def _titled_line(line: str) -> bool:
    """A short line with commas but no sentence end that names a part (2022年党政主要负责人履行…职责,加强…情况)."""
    return not _SENTENCE_END.search(line) and role_of_title(line, None, top_level=True) is not None


def opening_phrase_role(sentence: str, year: int | None, line_start: bool = False) -> str | None:
    """The role an opening phrase announces (see above), or None. A whole short sentence
    counts as a run-in title only when it opens a line (加强党对…落实第一责任人责任。)."""
    s = sentence.strip()
    if line_start and len(s) <= 31 and s.endswith("。"):
        s = s[:-1]
        if _CITES.search(s):  # 贯彻…第一责任人职责规定。 cites a document, it is no title
            return None
    if _OPEN_GAP_WORD.search(s, 0, 62) and _OPEN_GAP.match(s) and not _CUE_SHORT_NOT.search(s[:40]):
        return "shortcomings"
    m = _OPEN_NEXT.match(s)
    if m and (year is None or year_value(m.group(1)) > year):
        return "next_year"
    colon = s.find(":", 0, 46)
    title = s[:colon] if colon >= 2 else s if line_start and len(s) <= 30 and "," not in s else ""
    if not title or _SENTENCE_END.search(title) or not (line_start or (len(title) <= 30 and "," not in title)):
        return None
    role = role_of_title(title, year, top_level=True)
    named = _R_SHORT.search(title)
    if role == "shortcomings" and (
        _R_FIXING.search(title) or (named and _CUE_SHORT_NOT.search(title, 0, named.start()))
    ):
        return None  # 针对存在的问题… fixes problems, it does not list them
    return role


#: A word every cue above needs (sentence_role_cue, opening_phrase_role and the role_of_title of
#: a run-in title, see _TITLE_WORDS). It starts within a sentence's first 60 characters
#: (_OPEN_GAP's window; a run-in title ends before its 46th), so a sentence without one in its
#: first CUE_WINDOW characters opens no part: build_parts skips it without trying each cue.
_CUE_WORDS = re.compile(rf"存在|还有|仍有|面临|也有|相比|相较|对照|比较|今后|新的一年|来年|{_TITLE_WORDS}")
CUE_WINDOW = 64
#: a sentence led by a year (2024年，县政府将…, 进入二〇二四年，…; _CUE_NEXT, _OPEN_NEXT): matched at its start
#: only, which costs a quarter of searching the window for it among the words above
_YEAR_LEAD = re.compile(rf"(?:{_ENTERING})?\s*(?:20\d\d|二[〇○零0O])")


#: a sentence led by a year and a comma (2022年，我县…; 2022年度，…): what it says belongs to that year
_YEAR_LED = re.compile(rf"{YEAR_WRITTEN}\s*年度?\s*,")


def earlier_year_sentences(text: str, sentences: Sequence[tuple[int, int]], year: int) -> tuple[tuple[int, int], ...]:
    """The sentences led by a year before ``year`` (a preface's 2022年，我县…收到行政复议申请31件): what the
    report says of an earlier year, no evidence of what was done in ``year`` (2022年以来 is no such lead:
    it runs on into ``year``)."""
    led = _YEAR_LED.match
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        if text[start : start + 1] in ("2", "二"):
            m = led(text, start, end)
            if m is not None and year_value(m.group(1)) < year:
                out.append((start, end))
    return tuple(out)


def build_parts(
    sections: Sequence[Section],
    sentences: Sequence[tuple[int, int]],
    text: str,
    body: tuple[int, int],
    year: int | None,
) -> list[Part]:
    """Split the body into role runs: section roles, overridden by sentence cues."""
    bounds: list[tuple[int, str, int | None]] = []
    structural = [(i, s) for i, s in enumerate(sections) if s.heading.level < 4 or s.parent is not None]
    first = structural[0][1].start if structural else body[1]
    bounds.append((body[0], "intro" if structural else "measures", None))
    for i, s in structural:
        bounds.append((s.start, s.role, i))
    bounds.sort(key=lambda b: b[0])
    starts = [b[0] for b in bounds]
    cues: list[tuple[int, str, int | None]] = []
    plain = not any(s.heading.level == 1 and s.heading.marker for s in sections)
    cue_words, year_lead = _CUE_WORDS.search, _YEAR_LEAD.match
    for start, end in sentences:
        if (
            cue_words(text, start, min(end, start + CUE_WINDOW)) is None
            and not text[start].isspace()
            and year_lead(text, start) is None
        ):
            continue  # no cue can open this sentence (see _CUE_WORDS)
        role = sentence_role_cue(text[start:end], year, text[max(0, start - 1) : start] in ("", "\n"))
        if role is None:
            continue
        k = bisect.bisect_right(starts, start) - 1
        current = bounds[k][1]
        if role == current or current == "next_year" or (role == "shortcomings" and current == "other"):
            continue
        if start < first and structural:
            continue
        cues.append((start, role, None))
        stop = _next_major_heading(sections, start, plain)
        if stop is not None:
            cues.append((stop, "", None))
    # an item run on inside a paragraph (…：一是…；二是…；三是…) that names no role of its own is the
    # paragraph's: after a cue that opened the plans in it and the list begun again (一是), the items go
    # on in the plans; an item going on with a list begun before the cue (一是… 2023年，将… 三是…) does not.
    # Each such item maps to where its list began (the 一是 before it; -1: none)
    run_on = {
        i: text.rfind("一是", 0, s.start)
        for i, s in structural
        if s.heading.marker.endswith("是")
        and text[s.start - 1 : s.start] not in ("", "\n")
        and role_of_title(s.heading.title, year, top_level=False) is None
    }
    return _merge(bounds, cues, body, run_on)


def _next_major_heading(sections: Sequence[Section], pos: int, plain: bool = False) -> int | None:
    """Where a cue-opened part ends: the next heading of level 1–2; in a report without
    numbered top-level headings (plain paragraphs), the next one that names a role."""
    for s in sections:
        if s.start > pos and s.heading.level <= 2:
            if plain and role_of_title(s.heading.title, None, top_level=True) is None:
                continue
            return s.start
    return None


#: no item run on in a paragraph (see :func:`build_parts`)
_NO_ITEMS: Mapping[int, int] = MappingProxyType({})


def _merge(
    bounds: list[tuple[int, str, int | None]],
    cues: list[tuple[int, str, int | None]],
    body: tuple[int, int],
    run_on: Mapping[int, int],
) -> list[Part]:
    # without sentence cues (most reports) each bound is a point as it is: no override is ever set
    points = _points(bounds, cues, run_on) if cues else bounds
    parts: list[Part] = []
    for i, (pos, role, sec) in enumerate(points):
        end = points[i + 1][0] if i + 1 < len(points) else body[1]
        if end <= pos:
            continue
        if parts and parts[-1].role == role and parts[-1].section == sec:
            parts[-1] = Part(parts[-1].start, end, role, sec)
        else:
            parts.append(Part(pos, end, role, sec))
    return parts


def _points(
    bounds: list[tuple[int, str, int | None]],
    cues: list[tuple[int, str, int | None]],
    run_on: Mapping[int, int] = _NO_ITEMS,
) -> list[tuple[int, str, int | None]]:
    """Each bound and cue in order, with the role in force from there and the section that gives it
    (a section of ``run_on``, an item run on in a paragraph, keeps the role a cue set when its list
    began after the cue: ``run_on`` gives where each item's list began)."""
    tagged = [(p, 0, i, r, s) for i, (p, r, s) in enumerate(bounds)] + [
        (p, 1, i, r, s) for i, (p, r, s) in enumerate(cues)
    ]
    # (position, kind, index) is unique: sorting never compares the rest
    events = [(p, k, r, s) for p, k, _, r, s in sorted(tagged)]
    base: tuple[str, int | None] = ("measures", None)
    override: str | None = None
    points: list[tuple[int, str, int | None]] = []
    cue_at = 0  # where the cue in force was
    for pos, kind, role, sec in events:
        if kind == 0:
            base = (role, sec)
            began = run_on.get(sec, -1) if sec is not None else -1  # where a run-on item's list began
            if override and not _overridable(role) and began < cue_at:
                override = None
        else:
            override = role or None
            cue_at = pos
        current = override or base[0]
        points.append((pos, current, sec if not override else None))
    return points


def _overridable(role: str) -> bool:
    """A sub-heading inside a cue-opened part keeps the part's role unless it names its own."""
    return role in ("measures", "intro", "first_responsible")
