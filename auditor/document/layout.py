"""Page layout: where the report body is, and which lines are web-page chrome.

Works on the normalised text, line by line. Everything before the body (site name,
menus, breadcrumbs, index tables such as 索引号/发布机构, the title block) is *front
matter*; everything after the sign-off or the first footer block (扫一扫, 网站标识码,
版权所有 …) is *back matter*; inside the body, individual chrome lines (【打印本页】,
字号, 关闭窗口 …) are masked. Front and back matter stay available for metadata (the
publication date often sits there) but never count as report text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_HEADING_START = re.compile(r"^\s*(第?[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))")
_DATE_LINE = re.compile(
    r"^\s*(20\d\d|二[〇○零0O]{1}[一二三四五六七八九〇○零0]{2})\s*年\s*[0-9一二三四五六七八九十]{1,3}\s*月"
    r"\s*[0-9一二三四五六七八九十]{1,3}\s*日\s*$"
)
_ISSUER_LINE = re.compile(
    r"^\s*[\u3400-\u9fff()\s]{2,40}(人民政府|政府|办事处|委员会|党委|党工委|局|厅|办公室|中心|街道|镇|乡)\s*$"
)


@dataclass(frozen=True)
class Line:
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


def split_lines(text: str) -> tuple[Line, ...]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return tuple(out)


def is_chrome_line(text: str) -> bool:
    """A line of page furniture: short and carrying chrome words, a menu, or a table row."""
    t = text.strip()
    if not t:
        return False
    if t.strip("|[] ") == "":
        return True
    tokens = CHROME_TOKENS.findall(t)
    if tokens and (len(t) <= 80 or t.count("|") >= 2 or len(tokens) >= 3):
        return not _SENTENCE_PUNCT.search(t) or len(tokens) >= 2
    return _is_menu(t) or _is_breadcrumb(t)


def _is_menu(t: str) -> bool:
    parts = t.split()
    return len(parts) >= 3 and all(len(p) <= 8 for p in parts) and not _SENTENCE_PUNCT.search(t)


def _is_breadcrumb(t: str) -> bool:
    return (t.count(">") >= 2 or ">>" in t or "›" in t) and len(t) <= 120 and "。" not in t


def is_body_like(text: str) -> bool:
    """A line that reads as report prose or a numbered heading."""
    t = text.strip()
    if _HEADING_START.match(t):
        return True
    if len(t) < 20 or is_chrome_line(t):
        return False
    return "。" in t or t.count(",") + t.count("、") >= 2


def is_signoff_line(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 40 and bool(_DATE_LINE.match(t) or _ISSUER_LINE.match(t))


def _find_body_start(lines: tuple[Line, ...]) -> int:
    for i, line in enumerate(lines):
        if is_body_like(line.text):
            return i
    return 0


def _find_body_end(lines: tuple[Line, ...], start: int) -> tuple[int, tuple[int, ...]]:
    """One past the last body line, and the sign-off lines (issuer/date) just before it."""
    last_prose = start
    end = len(lines)
    for i in range(start, len(lines)):
        t = lines[i].text
        if FOOTER_TOKENS.search(t) and is_chrome_line(t):
            end = i
            break
        if is_body_like(t):
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
        if _DATE_LINE.match(t) is None and signoff and not is_body_like(t):
            break
        i += 1
    if signoff and _DATE_LINE.match(lines[signoff[-1]].text.strip()):
        end = signoff[-1] + 1
    return end, tuple(signoff)


def analyse(text: str) -> Layout:
    """Find the body and the chrome lines of a normalised report text."""
    lines = split_lines(text)
    start = _find_body_start(lines)
    end, signoff = _find_body_end(lines, start)
    chrome = frozenset(i for i in range(start, end) if is_chrome_line(lines[i].text))
    return Layout(lines, start, max(end, start), chrome, signoff)
