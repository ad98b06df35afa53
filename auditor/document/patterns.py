"""The patterns of report text that several modules recognise, kept in one place: a numbered
heading's start, a sign-off date, an issuing body's name, the publication and written dates
of a crawled page.

Module-level compiled regexes (no state); the section tree's heading grammar (four levels,
inline headings, lost numbers) is code in :mod:`auditor.document.sections`.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------ white space

#: ``\s`` spelt out (the characters of ``str.isspace``), for a character class that a search scans
#: with: re tests a spelt-out class by a table look-up, ``\s`` by a category call per character,
#: so ``[。;!?:\s]`` scans a report ≈ 1.4× slower than the same class with WHITE
WHITE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# ------------------------------------------------------------------ headings

#: two CJK characters in a row: words, which a heading's title holds (a table's rule line |---| holds none)
TWO_CJK = re.compile(r"[\u3400-\u9fff]{2}")

#: the start of a numbered heading line, as sections.py numbers its levels: 一、 第一、 第一部分 (一) 1.
HEADING_START = re.compile(
    r"^\s*(第?[一二三四五六七八九十]{1,3}[、.]|第[一二三四五六七八九十]{1,3}部分|\([一二三四五六七八九十]{1,3}\)"
    r"|\d{1,2}[、.](?![0-9%]))"
)

#: any numbered heading at a line start, as a fixed-layout page shows it (PDF/OFD paragraphs):
#: 一、 （一） 1. 一是 第一章 附件
NUMBERED_HEADING = re.compile(
    r"""^\s*(?:
        [一二三四五六七八九十百]+[、.．]
      | [（(]\s*[一二三四五六七八九十百\d]+\s*[)）]
      | \d{1,2}\s*[、.．](?!\d)
      | [一二三四五六七八九十]是
      | 第[一二三四五六七八九十百\d]+[章节条部分]
      | 附件
    )""",
    re.VERBOSE,
)

# ------------------------------------------------------------------ dates

#: a date as a sign-off writes it: 2024年3月1日, 二〇二四年三月一日, 2024年元月5日 (groups: year, month, day)
DATE = (
    r"(20\d\d|二[〇○零0O][一二三四五六七八九〇○零0]{2})\s*年\s*([0-9一二三四五六七八九十]{1,3}|元)\s*月"
    r"\s*([0-9一二三四五六七八九十]{1,3})\s*日"
)
#: a sign-off date written in figures alone on its line: 2024.3.1, 2024-03-01, 2024/3/1 (groups: year,
#: month, day; full-width digits and stops are folded before)
NUMERIC_DATE_LINE = re.compile(r"^\s*(20\d\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
#: a township office of a department, which reports on its own (青山司法所, 城关派出所)
STATION = r"(?:司法|派出|财政|国土资源|自然资源|市场监管|林业)所"
#: an issuer's name as a sign-off writes it
ISSUER = (
    r"[\u3400-\u9fff()\s]{2,40}(?:人民政府|政府|办事处|委员会|党委|党工委|局|厅|办公室|中心|街道|镇|乡|林场|农场|牧场|"
    rf"{STATION})"
)
ISSUER_LINE = re.compile(rf"^\s*{ISSUER}\s*$")
#: the date line of a sign-off; the issuer may stand before the date on it (青山镇人民政府 2026年3月20日),
#: a short note after it (2026年3月20日（此件公开发布）)
DATE_LINE = re.compile(rf"^\s*(?:{ISSUER}\s+)?{DATE}\s*(?:\([^()]{{1,12}}\)\s*)?$|{NUMERIC_DATE_LINE.pattern}")
INLINE_DATE = re.compile(rf"{DATE}\s*$")
#: a line of the 附注 or 版记 after an official document's sign-off: (此件公开发布), (联系人：…),
#: 抄送：…, 某某办公室 2024年3月26日印发 (the day it was printed, not the day it was signed)
COLOPHON = re.compile(
    rf"^\s*(?:[(（]\s*(?:此件|本件|联系人|联系电话)|(?:抄送|抄报|分送)\s*[:：]|[^。]{{0,40}}?{DATE}\s*印发\s*$)"
)
CN_DATE = re.compile(DATE)
PUBLISHED = re.compile(
    r"(发布时间|发布日期|公开日期|公布时间|公布日期|发稿时间|发稿日期|发文日期|^时间|\s时间|^日期|\s日期"
    r"|来源[^\n]{0,20}时间)\s*[\]】]?\s*[:：]?\s*[\[【]?\s*"
    r"(20\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
WRITTEN = re.compile(r"成文日期\s*[\]】]?\s*[:：]?\s*(20\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")

#: a title naming the 第一责任人 part (党政主要负责人履行推进法治建设第一责任人职责情况, 主要负责同志履职情况)
FIRST_RESPONSIBLE_TITLE = re.compile(r"第一责任人|主要负责(人|同志).{0,12}(履行|职责|履职)|履行.{0,12}第一责任")

# ------------------------------------------------------------------ issuers

UNIT_SUFFIX = re.compile(
    rf"(人民政府|政府|办事处|党工委|党委|委员会|管委会|司法局|局|厅|办公室|中心|街道|镇|乡|林场|农场|牧场|{STATION}"
    r"|(?<![党县市区镇乡旗州盟])委)$"
)
#: the issuer a title opens on (group 1), after the year when the title opens on that (2023年青溪县人民政府…)
ISSUER_PREFIX = re.compile(
    r"^(?:(?:20\d\d|二[〇○零0O][一二三四五六七八九〇○零0]{2})\s*年度?\s*)?(.{2,40}?)(关于|(?:20\d\d|二[〇○零0O][一二三四五六七八九〇○零0]{2})\s*年|法治政府|法治建设|依法行政|政府信息公开|政务公开)"
)

#: what parts a page's <title> or a file's name: the title, then the site's name
#: (…年度报告-江北区人民政府, 标题_网站名)
NAME_PIECES = re.compile(r"\s*[-_|–—]+\s*")

#: a year as reports write it: 2024, or 二〇二四 as sign-offs and some plans write it (its zero also typed
#: ○, 零, 0 or O; full-width digits are folded before); group 1: the year as written
YEAR_WRITTEN = r"(20\d\d|二[〇○零0O][一二三四五六七八九〇○零0]{2})"
