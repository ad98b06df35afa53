"""Reformatting a report must not change its verdicts: the variants used by the tests."""

from __future__ import annotations

import re

_TO_FULL = str.maketrans(
    {
        ",": "，",
        ";": "；",
        ":": "：",
        "(": "（",
        ")": "）",
        "?": "？",
        "!": "！",
        **{str(d): chr(0xFF10 + d) for d in range(10)},
    }
)
_TO_HALF = str.maketrans(
    {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "？": "?", "！": "!", "。": ".", "“": '"', "”": '"'}
)

CHROME_HEAD = (
    "首页 | 政务公开 | 政府信息公开 | 互动交流 | 办事服务\n"
    "您当前的位置：首页 > 政府信息公开 > 法定主动公开内容 > 法治政府建设\n"
    "【字体：大 中 小】 【打印本页】 【关闭窗口】\n"
    "浏览次数：1024\n\n"
)
CHROME_FOOT = (
    "\n\n【打印本页】 【关闭窗口】\n"
    "扫一扫在手机打开当前页\n"
    "相关链接：国务院 | 省政府 | 市政府\n"
    "主办单位：某某市人民政府办公室  承办单位：某某市大数据中心\n"
    "网站标识码：3205000001  苏ICP备05000000号-1  苏公网安备 32050002000001号\n"
    "联系我们 | 网站地图 | 无障碍浏览\n"
)


def one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()


def one_line_tight(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def full_width(text: str) -> str:
    return text.translate(_TO_FULL)


def half_width(text: str) -> str:
    # 。 → . would turn 53.8% into 53.8% (unchanged) and keep numbers intact
    return text.translate(_TO_HALF)


def indented(text: str) -> str:
    return "\n".join(("\u3000\u3000" + line if line.strip() else line) for line in text.splitlines())


def crlf(text: str) -> str:
    return "\ufeff" + text.replace("\n", "\r\n")


def wrapped_in_chrome(text: str) -> str:
    return CHROME_HEAD + text + CHROME_FOOT


_H1 = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分[、，:：]?)\s*")
_H2 = re.compile(r"^[\s\u3000]*[（(][一二三四五六七八九十]{1,3}[）)]\s*")


def unnumbered(text: str) -> str:
    """Headings without their numbers: 一、主要举措 → 主要举措, （一）加强领导 → 加强领导."""
    return "\n".join(_H2.sub("", _H1.sub("", line)) for line in text.split("\n"))


def run_in_titles(text: str) -> str:
    """Plain paragraphs: each top-level heading loses its number and opens the next paragraph
    as a run-in title (一、存在的不足和原因 ⏎ 一是… → 存在的不足和原因：一是…)."""
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        m = _H1.match(line)
        if m and len(line.strip()) <= 60 and not re.search(r"[。；]", line):
            pending = line[m.end() :].strip().rstrip("：:") + "："
            continue
        if pending and line.strip():
            line, pending = pending + line.strip(), ""
        out.append(line)
    if pending:
        out.append(pending)
    return "\n".join(out)


VARIANTS = {
    "one_line": one_line,
    "one_line_tight": one_line_tight,
    "full_width": full_width,
    "half_width": half_width,
    "indented": indented,
    "crlf_bom": crlf,
    "chrome": wrapped_in_chrome,
    "unnumbered": unnumbered,
    "run_in_titles": run_in_titles,
}
