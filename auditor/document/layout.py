"""Page layout: where the report body is, and which lines are web-page chrome.

Works on the normalised text, line by line. Everything before the body (site name,
menus, breadcrumbs, index tables such as 索引号/发布机构, the title block) is *front
matter*; everything after the sign-off or the first footer block (扫一扫, 网站标识码,
版权所有 …) is *back matter*; inside the body, individual chrome lines (【打印本页】,
字号, 关闭窗口 …) are masked. Front and back matter stay available for metadata (the
publication date often sits there) but never count as report text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from auditor.document.patterns import (
    COLOPHON,
    DATE_LINE,
    FIRST_RESPONSIBLE_TITLE,
    HEADING_START,
    INLINE_DATE,
    ISSUER_LINE,
    TWO_CJK,
)

CHROME_TOKENS = re.compile(
    r"当前(的)?位置|网站首页|字号|打印本页|关闭窗口|【打印】|【关闭】|扫一扫|分享到|收藏本页|浏览次数|"
    r"访问量|阅读次数|点击数|信息来源|来源[:：]|发布时间|发布日期|公开日期|成文日期|生成日期|索引号|"
    r"发布机构|发文机关|发文字号|主题分类|体裁分类|组配分类|有效性|公开方式|公开范围|公开时限|"
    r"网站标识码|版权所有|主办单位|承办单位|主办[:：]|承办[:：]|ICP备|公网安备|技术支持|联系我们|"
    r"网站地图|无障碍|上一篇|下一篇|相关链接|责任编辑|附件下载|视力保护色|【大】|【中】|【小】"
)
FOOTER_TOKENS = re.compile(
    r"扫一扫|网站标识码|版权所有|主办单位|承办单位|ICP备|公网安备|技术支持|联系我们|网站地图|相关链接|"
    r"上一篇|下一篇|打印本页|关闭窗口|【打印】|【关闭】|分享到"
)
_SENTENCE_PUNCT = re.compile(r"[。;!?]")


class Line(NamedTuple):  # a named tuple: a report has hundreds, built fast
    start: int  # offsets in the normalised text
    end: int  # excluding the newline
    text: str


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    body_start: int  # index of the first body line
    body_end: int  # index one past the last body line
    chrome: frozenset[int]  # indexes of masked chrome lines inside the body
    signoff: tuple[int, ...]  # indexes of sign-off lines (issuer / date) at the end of the body

    def is_body(self, i: int) -> bool:
        return self.body_start <= i < self.body_end and i not in self.chrome


@cache
def _inline_title() -> re.Pattern[str]:
    """A report title inside a page-long line (compiled on first use: only one-line reports need
    it, and its CJK classes take milliseconds to compile at every start)."""
    return re.compile(
        r"(?<!报)(?:(?!报告)[^\s,。;:>|\]]){0,40}?(20\d\d)\s*年度?[^\s,。;:>|]{0,30}?(报告|总结)"
        r"(?=[^\u3400-\u9fff]|[\u3400-\u9fff]{0,2}20\d\d|$|[\u3400-\u9fff])"
    )


LONG_LINE = 300


def _head_cuts(text: str) -> list[int]:
    """Cut points in the page chrome glued before the first sentence of a one-line report."""
    stop = text.find("。")
    head = text[: stop if stop != -1 else min(len(text), 600)]
    tokens = [m.start() for m in CHROME_TOKENS.finditer(head)]
    titles = _inline_titles(head)
    if not tokens and not (titles and titles[0].start() < 120):
        return []
    cuts = set(tokens)
    for m in titles:
        cuts.update((m.start(), m.end()))
    cuts.update(m.start() for m in re.finditer(r"(?<=[\]】|:])\s*(?=20\d\d\s*年)", head))
    return sorted(c for c in cuts if 0 < c < len(head))


def _inline_titles(head: str) -> list[re.Match[str]]:
    """The report titles in the head of a page-long line (not a 现将…报告如下 sentence). Every title
    ends in 报告 or 总结: a head with neither has none, and the pattern (slow: it tries up to 40
    characters before a year at every start) is not run over it."""
    if "报告" not in head and "总结" not in head:
        return []
    return [m for m in _inline_title().finditer(head) if "现将" not in m.group(0)]


def _tail_cuts(text: str) -> list[int]:
    """Cut points in the sign-off and footer glued after the last sentence."""
    last = text.rfind("。")
    if last == -1 or len(text) - last > 1500:
        return []
    cuts = []
    foot = FOOTER_TOKENS.search(text, last)
    end = foot.start() if foot else len(text)
    if foot:
        cuts.append(foot.start())
        cuts.extend(m.start() for m in CHROME_TOKENS.finditer(text, foot.end()))
    date = INLINE_DATE.search(text, last + 1, end)
    if date:
        cuts.append(date.start())
        issuer = re.search(
            r"[\u3400-\u9fff()]{2,40}(人民政府|政府|办事处|委员会|党委|党工委|局|厅|办公室|中心|街道|镇|乡)\s*$",
            text[last + 1 : date.start()],
        )
        if issuer:
            cuts.append(last + 1 + issuer.start())
        cuts.append(last + 1)
    elif foot:
        cuts.append(last + 1)
    return sorted(c for c in set(cuts) if 0 < c < len(text))


def split_lines(text: str) -> tuple[Line, ...]:
    """Lines of the text; a very long line (a report pasted on one line) is cut where
    page chrome, the title or the sign-off are glued to the report text."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        if len(raw) <= LONG_LINE:
            out.append(Line(pos, pos + len(raw), raw))
            pos += len(raw) + 1
            continue
        bounds = [0, *sorted(set(_head_cuts(raw) + _tail_cuts(raw))), len(raw)]
        for a, b in itertools.pairwise(bounds):
            if b > a or len(bounds) == 2:
                out.append(Line(pos + a, pos + b, raw[a:b]))
        pos += len(raw) + 1
    return tuple(out)


def is_chrome_line(text: str) -> bool:
    """A line of page furniture: short and carrying chrome words, a menu, or a table row."""
    t = text.strip()
    if not t:
        return False
    if "。" in t and CHROME_TOKENS.search(t) is None:
        return False  # a line of prose without chrome words: no menu or breadcrumb holds a 。
    if t.strip("|[] ") == "":
        return True
    tokens = CHROME_TOKENS.findall(t)
    if len(t) > LONG_LINE and len(tokens) * 100 < len(t) and _SENTENCE_PUNCT.search(t):
        return False  # a page-long line of prose (a one-line report) with a few page words inside is body
    if tokens and (len(t) <= 80 or t.count("|") >= 2 or len(tokens) >= 3):
        return not _SENTENCE_PUNCT.search(t) or len(tokens) >= 2
    return _is_menu(t) or _is_breadcrumb(t)


_DIGIT = re.compile(r"\d")
_NIL = re.compile(r"[-—–－]{1,2}|无")  # a cell's dash or 无: nil, as statistics tables write 0


def _is_menu(t: str) -> bool:
    parts = t.split()
    if len(parts) < 3 or _DIGIT.search(t):
        return False  # a table row ("(七)总计 24 2 0 26") is not a menu
    if _nil_row(parts):
        return False  # nor is a row of dashes (or 无) for nil ("— | — | —": a table of no cases)
    return all(len(p) <= 8 for p in parts) and not _SENTENCE_PUNCT.search(t)


def _nil_row(parts: list[str]) -> bool:
    """Half the cells or more are a nil dash or 无 (``parts``: the line split on white space)."""
    cells = [p for p in parts if p != "|"]
    return bool(cells) and sum(1 for p in cells if _NIL.fullmatch(p)) * 2 >= len(cells)


def _is_breadcrumb(t: str) -> bool:
    return (t.count(">") >= 2 or ">>" in t or "›" in t) and len(t) <= 120 and "。" not in t


def is_body_like(text: str, chrome: bool | None = None) -> bool:
    """A line that reads as report prose or a numbered heading (``chrome``: whether
    :func:`is_chrome_line` holds for it, when already known)."""
    t = text.strip()
    if HEADING_START.match(t):
        return True
    if len(t) < 20 or (is_chrome_line(t) if chrome is None else chrome):
        return False
    return "。" in t or t.count(",") + t.count("、") >= 2


def is_signoff_line(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 40 and bool(DATE_LINE.match(t) or ISSUER_LINE.match(t))


def _find_body_end(
    lines: tuple[Line, ...], start: int, body_like: list[bool], chrome: list[bool]
) -> tuple[int, tuple[int, ...]]:
    """One past the last body line, and the sign-off lines (issuer/date) just before it."""
    last_prose = start
    end = len(lines)
    last_body = max((i for i, b in enumerate(body_like) if b), default=-1)
    for i in range(start, len(lines)):
        if i > last_body and chrome[i] and FOOTER_TOKENS.search(lines[i].text):
            end = i
            break
        if body_like[i]:
            last_prose = i
    signoff: list[int] = []
    i = last_prose + 1
    while i < end:
        t = lines[i].text.strip()
        if not t:
            i += 1
            continue
        if is_signoff_line(t):
            signoff.append(i)
            i += 1
            continue
        if DATE_LINE.match(t) is None and signoff and not body_like[i]:
            break
        i += 1
    if signoff and DATE_LINE.match(lines[signoff[-1]].text.strip()):
        end = signoff[-1] + 1
    return end, tuple(signoff)


def _drop_colophon(lines: tuple[Line, ...], body_like: list[bool]) -> None:
    """The 版记 read as prose (抄送：…。, …印发) after the last lines that read as the report: not
    report text, so the sign-off before it is found as a sign-off (in place)."""
    for i in range(len(lines) - 1, -1, -1):
        if not body_like[i]:
            continue
        if not (COLOPHON.match(lines[i].text) or _CC.match(_previous_text(lines, i))):
            return  # (a line after 抄送：… is its continuation, wrapped)
        body_like[i] = False


_CC = re.compile(r"^\s*(?:抄送|抄报|分送)\s*[:：]")
#: the head of an attachment: 附件, 附件1, 附件：2023年度法治政府建设工作台账
_ATTACHMENT = re.compile(r"^\s*附\s*件\s*[0-9一二三四五六七八九十]{0,2}\s*(?:[:：]|$)")
_SIGNOFF_REACH = 3  # non-empty lines between a sign-off's date and the 附件 after it, at most


def _drop_attachments(lines: tuple[Line, ...], body_like: list[bool]) -> range | None:
    """An attachment after the sign-off (附件1 / 2023年度重大行政决策事项目录 / a table, its cells one per
    line in a Word file) is no report text, as a 版记 is none: the sign-off before it is then found as
    the sign-off, its issuer the unit and its date the date signed (in place). An attachment longer
    than what comes before it is the report itself, sent under a cover note (关于报送…的函 / 附件 /
    the report): it stays. An attachment that is the report's own 第一责任人 part (附件：党政主要负责人
    履行推进法治建设第一责任人职责情况), as some units send it, is report text all the same: its lines
    (up to the next attachment) are returned, to be read after the sign-off."""
    for i, line in enumerate(lines):
        if line.text.lstrip().startswith("附") and _ATTACHMENT.match(line.text) and _signed_just_before(lines, i):
            if lines[-1].end - line.start < line.start:
                for k in range(i, len(lines)):
                    body_like[k] = False
                return _own_part_attached(lines, i)
            return None
    return None


def _own_part_attached(lines: tuple[Line, ...], i: int) -> range | None:
    """The lines of the first attachment from line ``i`` on (附件1, 附件2 …) whose head (the 附件 line, or
    the first line after a bare 附件) names the 第一责任人 part; up to the next attachment."""
    heads = [k for k in range(i, len(lines)) if _ATTACHMENT.match(lines[k].text)] + [len(lines)]
    for start, stop in itertools.pairwise(heads):
        head = [j for j in range(start, min(stop, start + 4)) if lines[j].text.strip()][:2]
        if any(FIRST_RESPONSIBLE_TITLE.search(lines[j].text) for j in head if len(lines[j].text.strip()) <= 60):
            return range(start, stop)
    return None


def _signed_just_before(lines: tuple[Line, ...], i: int) -> bool:
    """A sign-off date (2024年3月15日, 二〇二四年三月十五日) is among the few non-empty lines before line ``i``."""
    seen = 0
    for j in range(i - 1, -1, -1):
        t = lines[j].text.strip()
        if not t:
            continue
        if DATE_LINE.match(t):
            return True
        seen += 1
        if seen >= _SIGNOFF_REACH:
            return False
    return False


def _previous_text(lines: tuple[Line, ...], i: int) -> str:
    return next((lines[j].text for j in range(i - 1, max(-1, i - 3), -1) if lines[j].text.strip()), "")


def _table_header_rows(lines: tuple[Line, ...], chrome: list[bool]) -> list[int]:
    """The chrome lines that are a table's header row: cells without chrome words (案件类别 | 收案数 |
    负责人出庭应诉率), read as a menu, over a row of as many cells that holds figures."""
    out = []
    for i, line in enumerate(lines):
        if not chrome[i] or "|" not in line.text or CHROME_TOKENS.search(line.text):
            continue
        after = next((x.text for x in lines[i + 1 : i + 3] if x.text.strip()), "")
        if after.count("|") == line.text.count("|") and (_DIGIT.search(after) or _nil_row(after.split())):
            out.append(i)
    return out


#: a table of contents' own title: 目录, 目  录
_CONTENTS_TITLE = re.compile(r"^\s*目\s*录\s*$")
#: a contents entry's dot leaders and page number (一、主要举措和成效……………1, 三、存在的问题.......3)
#: (a run of dots after a title may be folded to 。…… by normalising)
_LEADERS_PAGE = re.compile(r"(?:[.…·．_。]{3,}|…{2,})\s*\d{1,3}\s*$")
#: a page number after a title, as a Word contents field writes it (一、主要举措和成效\t1)
_SPACE_PAGE = re.compile(r"\s+\d{1,3}\s*$")


def _entry_like(t: str) -> bool:
    """Whether the stripped line ``t`` may be a contents entry: a numbered heading, short, no sentence."""
    return HEADING_START.match(t) is not None and len(t) <= 60 and "。" not in t


def contents_lines(lines: tuple[Line, ...]) -> set[int]:
    """The lines of a table of contents (目录 and its entries, which name every part of the report): page
    furniture, no part of the report — an entry is not the part it names. An entry with dot leaders and a
    page number is one anywhere, and so are two or more heading lines in a row ending on a page number;
    after a 目录 line, so is every short heading line (with a page number or none) up to the first other
    line, or up to a title the contents already named (the body's first part)."""
    out: set[int] = set()
    named: set[str] | None = None  # the titles of the contents being read, None outside one
    for i, line in enumerate(lines):
        t = line.text.strip()
        if not t:
            continue
        if _CONTENTS_TITLE.match(t):
            out.add(i)
            named = set()
            continue
        leaders = _LEADERS_PAGE.search(t) if t[-1].isdigit() else None  # (a long line's end only is read)
        if leaders and "。" not in t[: leaders.start()]:
            out.add(i)
            if named is not None:
                named.add(t[: leaders.start()].rstrip())
            continue
        if named is not None and _entry_like(t):
            title = _SPACE_PAGE.sub("", t)
            if title not in named:
                named.add(title)
                out.add(i)
                continue
        named = None
    return out | _paged_runs(lines)


def _paged_runs(lines: tuple[Line, ...]) -> set[int]:
    """Two or more heading lines in a row each ending on a page number, two of whose titles stand again
    as lines of their own further on (一、主要举措和成效\t1 … 一、主要举措和成效): a Word contents field
    without its 目录 title, each entry of it (also one whose part the body left out). A statistics
    table's rows (一、本年新收政府信息公开申请数量 23) are never repeated so."""
    runs: list[list[tuple[int, str]]] = []  # each run's lines: (index, title without its page number)
    run: list[tuple[int, str]] = []
    for i, line in enumerate((*lines, Line(0, 0, ""))):  # (an empty line at the end closes the last run)
        t = line.text.strip()
        page = _SPACE_PAGE.search(t) if t[-1:].isdigit() else None
        if page and _entry_like(t):
            run.append((i, t[: page.start()]))
            continue
        if t or i == len(lines):
            if len(run) >= 2:
                runs.append(run)
            run = []
    if not runs:  # (most reports: no line is read twice)
        return set()
    last = {line.text.strip(): i for i, line in enumerate(lines)}
    return {i for run in runs if sum(last.get(title, -1) > i for i, title in run) >= 2 for i, _ in run}


#: a heading in words alone on its line, numbered in no way HEADING_START knows (总体情况, 【总体情况】,
#: 壹、总体情况, Ⅰ.总体情况, 第一章总体情况): no figure, no sentence, no title's or issuer's ending
_WORDS_ONLY = re.compile(r"[【\[]?[^\d\s。;!?,:|<>《》()]{2,20}[】\]]?")
_NOT_A_HEADING = re.compile(r"报告|总结|年报|年度|(人民政府|政府|办事处|委员会|局|厅|办公室|中心)$")


def _heading_above(lines: tuple[Line, ...], start: int, chrome: list[bool]) -> int:
    """``start``, or the line just above it when that line is the first part's heading in words
    alone (总体情况): the body opens there, not at the paragraph under it. Never the text's first
    line (the title's)."""
    j = start - 1
    while j >= 0 and not lines[j].text.strip():
        j -= 1
    if j <= 0 or chrome[j] or not any(lines[k].text.strip() for k in range(j)):
        return start
    t = lines[j].text.strip()
    if _WORDS_ONLY.fullmatch(t) and TWO_CJK.search(t) and not _NOT_A_HEADING.search(t):
        return j
    return start


def analyse(text: str) -> Layout:
    """Find the body and the chrome lines of a normalised report text."""
    lines = split_lines(text)
    # an empty line (every other one in many reports) is neither chrome nor body-like
    chrome = [bool(line.text) and is_chrome_line(line.text) for line in lines]
    for i in contents_lines(lines):
        chrome[i] = True
    for i in _table_header_rows(lines, chrome):
        chrome[i] = False
    body_like = [bool(line.text) and is_body_like(line.text, c) for line, c in zip(lines, chrome, strict=True)]
    _drop_colophon(lines, body_like)
    attached = _drop_attachments(lines, body_like)
    start = body_like.index(True) if True in body_like else 0  # the first line that reads as the report
    start = _heading_above(lines, start, chrome)
    end, signoff = _find_body_end(lines, start, body_like, chrome)
    masked = {i for i in range(start, end) if chrome[i]}
    if attached is not None and start < end <= attached.start:
        # the report's own part sent as an attachment: the body runs on through it, past the sign-off
        # (its lines, masked, stay the sign-off)
        masked.update(i for i in range(end, attached.start))
        masked.update(i for i in attached if chrome[i])
        end = attached.stop
    return Layout(lines, start, max(end, start), frozenset(masked), signoff)
