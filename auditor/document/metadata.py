"""Report metadata: title, issuing unit, report year, level, publication and sign-off dates.

Read from the normalised text and its layout. The publication date comes from
发布时间/发布日期/公开日期/时间: lines, which usually sit in the page chrome, so it is
read before chrome is set aside; the sign-off date is the 落款 date at the end, or a
成文日期 field.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources

from auditor.document.layout import CHROME_TOKENS, Layout, is_body_like, is_chrome_line
from auditor.document.layout import is_chrome_line as _layout_is_chrome
from auditor.document.numbers import cn_to_int, year_value
from auditor.document.patterns import (
    CN_DATE,
    INLINE_DATE,
    ISSUER_PREFIX,
    NUMERIC_DATE_LINE,
    PUBLISHED,
    STATION,
    UNIT_SUFFIX,
    WRITTEN,
    YEAR_WRITTEN,
)
from auditor.document.provenance import NONE, FieldSource
from auditor.document.sections import Part

#: …年度报告(2021年度); …工作总结及2024年工作计划 (a summary title that goes on to next year's plans)
_TITLE = re.compile(
    r"(报告|总结|情况)(?:[及和暨与][^。,，]{0,24}?(?:计划|安排|打算|思路|要点))?\s*(\([^()]{1,20}\))?\s*$"
)
_TITLE_WORD = re.compile(r"报告|总结|情况")  # (what _TITLE needs anywhere in a line)
_TITLE_HINT = re.compile(r"法治政府|法治建设|依法行政|年度报告|工作报告|关于")
_ABOUT_LINE = re.compile(r"^关于.{4,60}(报告|情况)$")
#: a year as reports write it: 2023 or 二〇二三 (a sign-off's numerals; full-width digits are folded before)
_Y = YEAR_WRITTEN
_YEAR = re.compile(_Y + r"\s*年")
YEAR_MENTION = _YEAR  # a year mentioned in a text (2023年, 二〇二三年; group 1: the year as written)
_REPORT_YEAR_SENTENCE = re.compile(r"现将" + _Y + r"\s*年")

_SELF_REF = re.compile(r"[我本全](镇|乡|街道|县|区|旗|市|州|省|局|委|办|厅|中心)")
_SELF_LEVEL = {
    "镇": "township",
    "乡": "township",
    "街道": "township",
    "县": "county",
    "区": "county",
    "旗": "county",
    "市": "city",
    "州": "city",
    "省": "province",
    "局": "department",
    "委": "department",
    "办": "department",
    "厅": "department",
    "中心": "department",
}
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    unit: str | None
    year: int | None
    level: str
    published: date | None
    signed: date | None
    #: field -> where it came from (see provenance.py); empty when built by hand
    sources: dict[str, FieldSource] = field(default_factory=dict, compare=False, hash=False)

    def source(self, name: str) -> FieldSource:
        return self.sources.get(name, NONE)


#: labels of a crawler's page dump (标题: …, 发布机构: …): never part of a title or a unit
FIELD_LABEL = re.compile(
    r"^\s*(标题|题目|文章标题|发布时间|发布日期|成文日期|文号|发文字号|发布机构|发文机关|栏目|原文链接|本地目录|"
    r"来源|信息来源|浏览次数|字号|索引号|主题分类)\s*[:：]\s*"
)
_UNIT_FIELD = re.compile(r"^\s*(发布机构|发文机关|来源|信息来源)\s*[:：]\s*(\S.*?)\s*$")


#: a page's share buttons, glued to the title when a crawler flattened the page (微信 微博 QQ空间 某某镇…)
_SHARE_BUTTONS = re.compile(r"^(?:分享到[:：]?|QQ空间|QQ好友|微信|微博|朋友圈|打印本页|关闭窗口|收藏)+\s*")


def _clean(line: str) -> str:
    return _SHARE_BUTTONS.sub("", FIELD_LABEL.sub("", re.sub(r"[|\[\]【】]+", " ", line)).strip())


_NAME_PUNCT = re.compile(r"[《》()（）,，。:：;；“”\"'!?？！<>\d]")
_NAME_END = re.compile(
    r"(人民政府|政府|办事处|党工委|党委|[县市区镇乡旗]委|委员会|管委会|管理委员会|管理局|局|厅|办公室|办|中心|署|"
    rf"街道|镇|乡|县|区|市|旗|州|盟|省|自治区|林场|农场|牧场|{STATION}|"
    r"(?<=[\u4e00-\u9fff][\u4e00-\u9fff])(?<![党县市区镇乡旗州盟])委)$"  # a commission's short name: 县卫健委, 市发改委
)
_JOINT = re.compile(r"[、\s]+")  # 中共某县委、某县人民政府: joint issuers


def is_unit_name(name: str | None) -> bool:
    """The name of a body or a place (…人民政府, …管理局, …街道), or joint issuers each of which is
    one; never a sentence fragment."""
    if not name or not 2 <= len(name) <= 40 or _NAME_PUNCT.search(name):
        return False
    parts = [p for p in _JOINT.split(name.strip()) if p]
    return bool(parts) and all(len(p) >= 2 and _NAME_END.search(p) for p in parts)


_BODY_SUFFIX = re.compile(r"(人民政府|政府|办事处|委员会|党委|党工委|管委会|局|厅|办公室)$")
#: two issuers glued before a title: a site's name or a party committee, then the government
#: reporting (宜兴市人民政府张渚镇人民政府关于…, 中共某县委某县人民政府关于…): the first is cut. A body
#: after a government is no second issuer but the government's own (临江市人民政府国有资产监督管理委员会,
#: 东湖区人民政府金沙街道办事处: their full names), so nothing is cut there.
_DOUBLE_ISSUER = re.compile(
    r"^(.+?(?:人民政府|政府|办事处|委员会|党委|党工委))(?=.+(?:人民政府|政府)(关于|20\d\d))"
    r"|^(中共.+?(?:委员会|党委|党工委|[县市区镇乡旗]委(?!员)))(?=.+(?:办事处|管委会|管理委员会)(关于|20\d\d))"
)


def _title_candidates(layout: Layout) -> list[tuple[str, int]]:
    lines = layout.lines
    out: list[tuple[str, int]] = []
    for i in range(min(layout.body_start, 60)):
        if not _TITLE_WORD.search(lines[i].text):
            continue  # a title ends in 报告/总结/情况, which cleaning (blanks and a label cut) never makes
        t = _clean(lines[i].text).split("  ")[0].strip()
        if _layout_is_chrome(lines[i].text) and not _ABOUT_LINE.match(t):
            continue
        if not (6 <= len(t) <= 90 and _TITLE.search(t) and _TITLE_HINT.search(t) and "。" not in t):
            continue
        if _ABOUT_LINE.match(t) or issuer_of_title(t) is None:
            issuer = _previous_issuer(layout, i)
            if issuer:
                t = issuer + t
        out.append((_DOUBLE_ISSUER.sub("", t, count=1) if _DOUBLE_ISSUER.match(t) else t, i))
    return out


def find_title(layout: Layout) -> tuple[str | None, int | None]:
    """The report title and its line.

    A title whose issuer is a body (…人民政府关于…, split over an issuer line and a
    ``关于…报告`` line or not) wins over a web headline naming only a place (河堰镇关于…).
    """
    candidates = _title_candidates(layout)
    for title, i in candidates:
        issuer = issuer_of_title(title)
        if issuer and _BODY_SUFFIX.search(issuer):
            return title, i
    return candidates[0] if candidates else (None, None)


def _previous_issuer(layout: Layout, i: int) -> str | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        t = _clean(layout.lines[j].text)
        if not t:
            continue
        if is_chrome_line(layout.lines[j].text):
            return None
        if UNIT_SUFFIX.search(t) and is_unit_name(t):
            return t
        if t.endswith("关于") and is_unit_name(t[:-2]):  # 松山区人民政府关于 / 2023年度…报告
            return t
        return None
    return None


@functools.lru_cache(maxsize=4096)  # pairing asks again for each report of a batch (pure: a title's issuer)
def issuer_of_title(title: str | None) -> str | None:
    if not title:
        return None
    m = ISSUER_PREFIX.match(title)
    name = m.group(1).strip() if m else None
    return _reporting_body([name]) if name and is_unit_name(name) else None


#: a party body (中共某县委, 某镇党委, 中共某某街道工作委员会) and a government body (人民政府, 街道办事处,
#: 行政公署, 管委会): in a joint sign-off or title of both, the government is the one reporting
_PARTY = re.compile(r"^中共|(?:党委|党工委|[县市区镇乡旗州盟]委)$")
_GOVERNMENT_BODY = re.compile(r"(?:人民政府|政府|办事处|行政公署|管委会|管理委员会)$")
#: a party committee glued to the government after it (中共安澜县委员会安澜县人民政府: the space folded)
_GLUED_PARTY = re.compile(
    r"^(中共.+?(?:委员会|党委|党工委|[县市区镇乡旗]委(?!员)))(?=.{2,}(?:人民政府|政府|办事处|行政公署|管委会|管理委员会)$)"
)


def _reporting_body(names: Sequence[str]) -> str:
    """The unit of issuers named together (lines of a sign-off, or one joint name): the government
    of a party committee and a government issuing jointly; else the first name as given."""
    parts = [q for name in names for p in _JOINT.split(name.strip()) if p for q in _GLUED_PARTY.split(p, 1) if q]
    party = [p for p in parts if _PARTY.search(p)]
    government = [p for p in parts if not _PARTY.search(p) and _GOVERNMENT_BODY.search(p)]
    if party and government:
        return government[0]
    return names[0]


def signoff_unit(layout: Layout) -> str | None:
    """The unit of the sign-off: its issuer line, or of the issuer lines signing jointly the
    government (中共某某街道工作委员会 / 某某街道办事处 → 某某街道办事处)."""
    names: list[str] = []
    for i in layout.signoff:
        t = _clean(layout.lines[i].text)
        dated = INLINE_DATE.search(t)
        name = t[: dated.start()].strip() if dated else t  # (青山镇人民政府 2026年3月20日: one line)
        if name and not CN_DATE.search(name) and UNIT_SUFFIX.search(name) and is_unit_name(name):
            names.append(name)
        elif names:
            break  # (the issuers of one sign-off are written one under the other)
        if dated and names:
            break
    return _reporting_body(names) if names else None


def page_header_unit(layout: Layout) -> str | None:
    """发布机构: / 来源: fields of a page dump (front or back matter, short lines only)."""
    for i, line in enumerate(layout.lines):
        if layout.body_start <= i < layout.body_end and i not in layout.chrome:
            continue
        m = _UNIT_FIELD.match(line.text)
        if m and is_unit_name(m.group(2)):
            return m.group(2)
    return None


def _to_date(y: str, m: str, d: str) -> date | None:
    year = int(y) if y.isdigit() else cn_to_int(y)
    month = int(m) if m.isdigit() else 1 if m == "元" else cn_to_int(m)  # 元月: January
    day = int(d) if d.isdigit() else cn_to_int(d)
    try:
        return date(year, month, day) if year and month and day else None
    except ValueError:
        return None


#: a heading over a list of other pages (相关文章, 最新发布, 热点推荐, 上一篇 …): the dates under it are theirs
_LISTING_HEADING = re.compile(
    r"^[\s\W_]*(?:相关(?:文章|链接|阅读|新闻|文件|信息|推荐|报道|政策|解读|内容|稿件)?|"
    r"最新(?:发布|文章|信息|动态|公开|更新|政策|文件|消息)?|热点(?:新闻|文章|推荐|信息|关注|专题)?|"
    r"热门(?:文章|推荐|信息|新闻)?|(?:推荐|延伸)(?:阅读|文章|信息)?|往期(?:回顾|推荐)?|精彩推荐|今日推荐|"
    r"猜你喜欢|其[他它](?:文章|新闻|信息)|(?:点击|阅读|新闻)排行榜?|上一篇|下一篇)[\s\W_]*(?:更多)?[\s\W_]*$"
)
#: a page's field and its value (来源：县司法局, 浏览次数：12): what an article's own info line holds
_FIELD_PAIR = re.compile(
    r"(?:来源|信息来源|发布机构|发文机关|作者|编辑|责任编辑|审核|浏览次数|点击数|阅读次数|访问量|访问次数|字号|字体|"
    r"索引号|文号|发文字号|主题分类|分类|栏目|发布时间|发布日期|公开日期|成文日期|发文日期|时间|日期)"
    r"\s*[\]】]?\s*[:：]\s*[^\s:：|]*"
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{6,}")
_BREADCRUMB_MARK = re.compile(r"[>›»＞]")
#: how a document's name ends (通知, 说明, 报告 …): a line naming one just before a date line is dated by it
_DOCUMENT_NAME = re.compile(
    r"(报告|说明|通知|公告|通告|意见|办法|决定|方案|公示|通报|总结|情况|函|批复|规定|细则|答复|解读|要点|"
    r"计划|规划|决议|纪要|简报|目录|指南|清单|公报)$"
)


_NOT_WORD = re.compile(r"[\s\W_]+")


def _squash(text: str) -> str:
    return _NOT_WORD.sub("", text)


def _names_other_document(text: str, title: str | None) -> bool:
    """``text`` (what a dated line holds besides its date) names a page other than the report:
    a run of words that is no field of the article's info line, no body's name (来源 without its
    label), no breadcrumb, no page chrome and not the report's own title."""
    rest = CHROME_TOKENS.sub(" ", _FIELD_PAIR.sub(" ", text))
    for piece in re.split(r"[\s|]+", rest):
        piece = piece.strip("[]【】()（）<>《》:：,，.。·•-—")
        if not _CJK_RUN.search(piece) or _BREADCRUMB_MARK.search(piece) or is_unit_name(piece):
            continue
        if not _same_document(piece, title):
            return True
    return False


def _same_document(name: str, title: str | None) -> bool:
    """``name`` is, or may be, the report's ``title`` as a page writes it: within it or holding it,
    its issuer written or not (河堰镇关于… for 河堰镇人民政府关于…); or a report's title when the
    title found names no issuer and no year (法治政府建设年度报告, a site's page title), which
    tells no report from another."""
    if not title or (issuer_of_title(title) is None and title_year(title) is None):
        return bool(_TITLE.search(name) and _TITLE_HINT.search(name))
    a, b = _squash(name), _squash(title)
    if a in b or b in a:
        return True
    ta, tb = _squash(_after_issuer(name)), _squash(_after_issuer(title))
    return len(ta) >= 6 and (ta in tb or tb in ta)


def _after_issuer(title: str) -> str:
    m = ISSUER_PREFIX.match(title)
    return title[m.start(2) :] if m else title


def own_dated_lines(lines: Sequence[str], label: re.Pattern[str], title: str | None, title_at: int | None) -> list[int]:
    """The lines a ``label`` match (发布时间：…) dates the report itself by, nearest the title first
    (its info line sits just below it, or above it). Never a line of a list of other pages, which
    dates that page: one under a 相关文章/最新发布/热点 heading (up to the title or a line of prose),
    one naming another document before its date, one just after another document's name."""
    out: list[int] = []
    listing = False
    previous = ""
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if i == title_at:
            listing = False
        elif len(text) <= 20 and _LISTING_HEADING.match(text):
            listing = True
        elif listing and is_body_like(text):
            listing = False
        m = label.search(text) if ("时间" in text or "日期" in text or label is not PUBLISHED) else None
        if m is not None and (
            i == title_at or not (listing or _dates_another_page(text[: m.start()], previous, title))
        ):
            out.append(i)
        previous = text
    if title_at is None:
        return out
    return sorted(out, key=lambda i: (abs(i - title_at), i < title_at))


def _dates_another_page(before: str, previous: str, title: str | None) -> bool:
    """A date line holding ``before`` ahead of its label (after a line ``previous``) dates a page
    other than the report: it names another document, or only its label and the line before names one."""
    if _names_other_document(before, title):
        return True
    return (
        title is not None
        and not _squash(before)
        and bool(_DOCUMENT_NAME.search(_squash(previous)))
        and _names_other_document(previous, title)
    )


def published_date(text: str, layout: Layout, title: str | None = None, title_at: int | None = None) -> date | None:
    """The 发布时间/发布日期/公开日期/时间: date of front matter, back matter or a short line that
    dates the report itself (:func:`own_dated_lines`: nearest its title, never another page's)."""
    if "时间" not in text and "日期" not in text:
        return None  # every label PUBLISHED knows ends in one of these (and every line is a piece of the text)
    candidates = [
        "" if (layout.body_start <= i < layout.body_end and len(line.text) > 80) else line.text
        for i, line in enumerate(layout.lines)
    ]
    if not any(("时间" in line or "日期" in line) and PUBLISHED.search(line) for line in candidates):
        return None  # no line is dated by a label: none is the report's (own_dated_lines picks among these)
    for i in own_dated_lines(candidates, PUBLISHED, title, title_at):
        m = PUBLISHED.search(candidates[i])
        if m:
            found = _to_date(m.group(2), m.group(3), m.group(4))
            if found is not None:
                return found
    return None


def _date_on(line: str) -> re.Match[str] | None:
    """The date a sign-off line holds (2026年3月20日, 二〇二六年三月二十日; 2026.3.20 alone on it): groups year,
    month, day."""
    return CN_DATE.search(line) or NUMERIC_DATE_LINE.match(line)


def signed_date(layout: Layout, text: str) -> date | None:
    """The sign-off date, else a 成文日期 field (``text``: the text the layout's lines are pieces of)."""
    for i in reversed(layout.signoff):
        m = _date_on(layout.lines[i].text)
        if m:
            return _to_date(*m.groups())
    if "成文日期" not in text:
        return None  # (WRITTEN starts with it)
    for line in layout.lines:
        w = WRITTEN.search(line.text)
        if w:
            return _to_date(*w.groups())
    return None


@cache
def county_level_cities() -> frozenset[str]:
    data = resources.files("auditor").joinpath("data/county_level_cities.txt")
    try:
        lines = data.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return frozenset()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


@cache
def _city_name_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(c) for c in county_level_cities()}))


def _ends_in_county_level_city(place: str) -> bool:
    """``any(place.endswith(c) for c in county_level_cities())``, by one look-up per name length
    (a few) instead of one ``endswith`` per city (hundreds)."""
    cities = county_level_cities()
    return any(place[-n:] in cities for n in _city_name_lengths() if n <= len(place))


@lru_cache(maxsize=1024)  # a pure function of the name: asked by understand, again by recognise
def level_of_unit(unit: str | None) -> str | None:
    """township/county/city/province/department from the issuing body's name."""
    if not unit:
        return None
    name = re.sub(r"^中共", "", unit.split()[-1] if unit.split() else unit)
    party = re.match(r"(.+?(镇|乡|街道|县|区|旗|市|州|盟|省|自治区))(党|(?<=街道)工作)?委员会$", name)
    if party:  # 中共张渚镇委员会: the place's party committee, not a department
        return _level_of_place(party.group(1))
    if re.search(r"(局|厅|委员会|办公室|中心|署|(?<![党县市区镇乡])委|(?<!街道)办)$", name) and not re.search(
        r"(人民政府|党委|党工委|县委|市委|区委|镇委|乡委|办事处|行政公署)$", name
    ):
        return "department"
    place = re.sub(r"(人民政府|政府|行政公署|党委|党工委|委员会|办事处|县委|市委|区委)$", "", name)
    place = ({"县委": "县", "市委": "市", "区委": "区"}.get(name[-2:], "") and name[:-1]) or place
    return _level_of_place(place)


def _level_of_place(place: str) -> str | None:
    if re.search(r"(省|自治区)$", place):
        return "province"
    if re.search(r"(镇|乡|街道|苏木)$", place):
        return "township"
    if place.endswith("地区"):  # 某某地区(行政公署): a prefecture
        return "city"
    if re.search(r"(县|区|旗)$", place):
        return "county"
    if place.endswith("市"):
        last = re.findall(r"[\u3400-\u9fff]{2,}?市", place)
        city = last[-1] if last else place
        if city in county_level_cities() or _ends_in_county_level_city(place):
            return "county"
        if any(place.endswith(m) or place == m for m in _MUNICIPALITIES):
            return "province"
        return "city"
    if re.search(r"(州|盟|地区)$", place):
        return "city"
    if re.search(r"(省|自治区)$", place):
        return "province"
    return None


def level_from_self_reference(body: str) -> str | None:
    counts = Counter(_SELF_LEVEL[m.group(1)] for m in _SELF_REF.finditer(body))
    return counts.most_common(1)[0][0] if counts else None


#: a place word (镇, 乡, 街道) before a Chinese character: where a township's name ends
_PLACE_WORD = re.compile(r"(?:镇|乡|街道)(?=[\u4e00-\u9fa5])")
_PLACE_NOISE = re.compile(
    r"[我本全各该每个和与及在的对为从向了]|^(乡|村|城|集|市|小|中心|重点|特色|民主|法治|平安|文明|美丽|和谐|省级|市级)"
)


_HAN = re.compile(r"[\u4e00-\u9fa5]+")


def place_names(body: str) -> list[str]:
    """The township names of the body as ``[\u4e00-\u9fa5]{2,3}(?:镇|乡|街道)(?=[\u4e00-\u9fa5])``
    finds them, left to right without overlap, but found from their place words (a search led by
    a character class tries each of the body's characters; the place words are few): a name
    starts two or three characters before one, three tried first, and the leftmost start wins."""
    words = {m.start(): m.end() for m in _PLACE_WORD.finditer(body)}
    out: list[str] = []
    cursor = 0
    for start in sorted({w - k for w in words for k in (3, 2) if w - k >= 0}):
        if start < cursor:
            continue
        for k in (3, 2):
            end = words.get(start + k)
            if end is not None and _HAN.fullmatch(body, start, start + k):
                out.append(body[start:end])
                cursor = end
                break
    return out


def unit_from_body(body: str) -> str | None:
    """Fallback when there is no title and no sign-off: the township named most often (周铁镇)."""
    counts = Counter(name for name in place_names(body) if not _PLACE_NOISE.search(name))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


#: the first sentence opens with the year: 2021年，我镇…
_OPENING_YEAR = re.compile(r"^\s*" + _Y + r"\s*年度?\s*[,，]")
_STATS_PERIOD = re.compile(r"统计期限自\s*" + _Y + r"\s*年")
#: the first heading names the year of the measures: 一、2023年度主要举措和成效
_MEASURES_HEADING = r"\s*一\s*[、.．]\s*" + _Y + r"\s*年度?[^\n。]{0,30}?(举措|成效|情况|做法)"
_MEASURES_HEADING_FIRST = re.compile(_MEASURES_HEADING)  # at the start of the text
_MEASURES_HEADING_LINE = re.compile("\n" + _MEASURES_HEADING)  # at the start of a later line


def _measures_heading(head: str) -> re.Match[str] | None:
    """The first match of ``(?:^|\n)`` + _MEASURES_HEADING: the one at the start, else the first after
    a line break (the joint pattern, led by a group, is tried at every character: ≈ 10× slower)."""
    return _MEASURES_HEADING_FIRST.match(head) or _MEASURES_HEADING_LINE.search(head)


#: what makes a year in a text not the year a report is about: the years of a cited document's title
#: (《法治政府建设实施纲要（2021—2025年）》), the ends of a range (2021-2025年, 2021年至2025年), a target
#: (到2025年), a date (2024年3月)
_CITED = re.compile(r"《[^《》]*》")
_RANGE_OR_TARGET_BEFORE = re.compile(r"(?:[-—–~～至]|到了?)\s*$")
_RANGE_AFTER = re.compile(r"\s*(?:年度?)?\s*[-—–~～至到]\s*(?:20\d\d|二[〇○零0O])")
_DATE_AFTER = re.compile(r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
#: a year whose words (to the next 暨/和/及 or comma) are plans: 2024年工作安排, 2024年工作要点
_PLAN_AFTER = re.compile(r"[^暨和及与,，、]{0,12}?(计划|安排|打算|思路|要点|规划|工作重点)")


def plain_years(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The years (``_YEAR`` matches) of ``text[start:end]`` that may be a report's own: none of a
    cited title, of a range, a target or a date."""
    stop = len(text) if end is None else end
    cited = [m.span() for m in _CITED.finditer(text, start, stop)] if text.find("《", start, stop) != -1 else []
    out = []
    for m in _YEAR.finditer(text, start, stop):
        a, b = m.span()
        if any(x <= a < y for x, y in cited):
            continue
        if _RANGE_OR_TARGET_BEFORE.search(text, max(start, a - 3), a) or _DATE_AFTER.match(text, b, stop):
            continue
        if _RANGE_AFTER.match(text, m.end(1), stop):
            continue
        out.append(m)
    return out


def title_year(title: str | None) -> int | None:
    """The year a title reports on: its first plain year (:func:`plain_years`) that does not name
    next year's plans (关于2023年…情况和2024年工作安排的报告, 2024年工作思路暨2023年…总结); the
    first plain year when all do."""
    years = plain_years(title or "")
    if not years:
        return None
    for m in years:
        if not _PLAN_AFTER.match(title or "", m.end()):
            return year_value(m.group(1))
    return year_value(years[0].group(1))


def _date_year(d: date) -> int | None:
    """The year a report dated ``d`` reports on: October–December of N → N, January–June → N−1
    (July–September says nothing reliable)."""
    if d.month >= 10:
        return d.year
    if d.month <= 6:
        return d.year - 1
    return None


def _year_in_text(body: str) -> tuple[int, str, bool] | None:
    """A year the opening says in words, and whether it names the report year outright
    (现将2019年…报告如下, 统计期限自2019年1月1日…) rather than opening on it (一、2019年度…, 2019年，…)."""
    head = body[:2000]
    for find, outright in (
        (_REPORT_YEAR_SENTENCE.search, True),
        (_STATS_PERIOD.search, True),
        (_measures_heading, False),
        (_OPENING_YEAR.search, False),
    ):
        m = find(head)
        if m:
            if find == _OPENING_YEAR.search:
                m = _turned_to(head, m)
            return year_value(m.group(1)), _sentence_around(head, m.start(), m.end()), outright
    return None


#: a later sentence of the opening led by a year (…8次。2023年，县政府…)
_LATER_OPENING_YEAR = re.compile(r"(?<=[。\n])\s*" + _Y + r"\s*年度?\s*[,，]")


def _turned_to(head: str, opening: re.Match[str]) -> re.Match[str]:
    """The year the opening turns to after recalling the one before it (2022年，我县被确定为…。2023年，
    县政府…: 2023), else the year it opens on."""
    later = _LATER_OPENING_YEAR.search(head, opening.end(), _OPENING_WINDOW)
    if later is not None and year_value(later.group(1)) == year_value(opening.group(1)) + 1:
        return later
    return opening


_OPENING_WINDOW = 600  # the opening paragraphs, where a preface recalls last year before its own


def _recalls_before(body: str, in_text: tuple[int, str, bool], year: int) -> bool:
    """The opening only recalls an earlier year before turning to ``year`` (2022年，我县被确定为…。
    2023年，县政府…): it opens a sentence on the earlier year, and a later one on ``year`` itself."""
    if in_text[2] or in_text[0] >= year:
        return False
    return any(m.group(1) == str(year) for m in _LATER_OPENING_YEAR.finditer(body, 0, _OPENING_WINDOW))


def _sentence_around(text: str, start: int, end: int) -> str:
    a = max(text.rfind(c, 0, start) for c in "。\n") + 1
    b = min((i for i in (text.find(c, end) for c in "。\n") if i != -1), default=len(text))
    return text[a:b].strip()[:80]


def _year_of_body(body: str) -> tuple[int, str] | None:
    """The first plain year (:func:`plain_years`) of the opening lines, else the one the body names most often."""
    first = plain_years(body, 0, 300)
    if first:
        m = first[0]
        return year_value(m.group(1)), _sentence_around(body, m.start(), m.end())
    counts = Counter(year_value(m.group(1)) for m in plain_years(body))
    if not counts:
        return None
    year, n = counts.most_common(1)[0]
    return year, f"正文中出现最多的年份（{year}年，{n}次）"


_PRESENT_ROLES = ("intro", "measures", "first_responsible")


def year_of_measures(text: str, parts: Sequence[Part]) -> tuple[int, FieldSource] | None:
    """The year named most often where the report tells what was done (intro, measures,
    first-responsible parts), with 今年 counting for none; None when no year is named there."""
    counts: Counter[int] = Counter()
    for part in parts:
        if part.role in _PRESENT_ROLES:
            counts.update(year_value(m.group(1)) for m in plain_years(text, part.start, part.end))
    if not counts:
        return None
    year, n = counts.most_common(1)[0]
    return year, FieldSource("body", False, f"主要举措等部分中出现最多的年份（{year}年，{n}次）")


def _too_early(year: int, dates: Sequence[tuple[date | None, str]]) -> str | None:
    """Why a report on ``year`` cannot carry one of these dates (a year's report is written once
    the year is over, from October at the earliest), or None."""
    for when, label in dates:
        if when is not None and year > (when.year if when.month >= 10 else when.year - 1):
            return f"{label}为{when.year}年{when.month}月{when.day}日，早于{year}年度结束"
    return None


def infer_year(
    title: str | None, title_source: FieldSource, body: str, signed: date | None, published: date | None
) -> tuple[int | None, FieldSource]:
    """The report year, in the order a person reads it: the title, the opening sentence,
    the sign-off or publication date, the years the body talks about."""
    year = title_year(title)
    in_text = _year_in_text(body)
    if year is not None:
        conflict = None
        if in_text and in_text[0] != year and not _recalls_before(body, in_text, year):
            conflict = f"正文写明“{in_text[1]}”（{in_text[0]}年）"
        conflict = conflict or _too_early(year, ((signed, "落款日期"), (published, "发布日期")))
        return year, FieldSource(title_source.source, True, title or "", conflict)
    dated = [
        (y, FieldSource(source, False, f"{label}{when.year}年{when.month}月{when.day}日"))
        for when, source, label in ((signed, "signoff", "落款日期"), (published, "page_header", "发布日期"))
        if when is not None and (y := _date_year(when)) is not None
    ]
    if in_text:  # a date disagreeing with a year the text only opens on makes it contested
        other = (
            None
            if in_text[2]
            else next((f"{src.evidence}（按日期应为{y}年报告）" for y, src in dated if y != in_text[0]), None)
        )
        return in_text[0], FieldSource("body", True, in_text[1], other)
    if dated:
        return dated[0]
    found = _year_of_body(body)
    if found:
        return found[0], FieldSource("body", False, found[1])
    return None, NONE


_OFFICE = re.compile(r"办公(室|厅)$")


def _office_of(signoff: str, issuer: str) -> bool:
    """``signoff`` is the office of the body ``issuer`` (临河县人民政府办公室 of 临河县人民政府, 江北区人民政府办公室
    of 江州市江北区人民政府)."""
    if not _OFFICE.search(signoff) or _OFFICE.search(issuer):
        return False
    body, named = unit_key(_OFFICE.sub("", signoff)), unit_key(issuer)
    return bool(body) and (named.endswith(body) or body.endswith(named))


def _level_source(name: str, unit_source: FieldSource) -> FieldSource:
    return FieldSource(unit_source.source, unit_source.stated, name)


def extract(text: str, layout: Layout, body: str) -> Metadata:
    title, line = find_title(layout)
    title_src = NONE
    if title is not None and line is not None:
        origin = "page_header" if FIELD_LABEL.match(layout.lines[line].text) else "title"
        title_src = FieldSource(origin, True, title)
    issuer = issuer_of_title(title)
    signoff = signoff_unit(layout)
    if issuer and signoff and _office_of(signoff, issuer):
        signoff = None  # the government's report, signed by its office: the unit is the government
    unit, unit_src = None, NONE
    for name, origin in (
        (signoff, "signoff"),
        (issuer, title_src.source),
        (page_header_unit(layout), "page_header"),
    ):
        if name:
            unit, unit_src = name, FieldSource(origin, True, name)
            break
    else:
        unit = unit_from_body(body)
        if unit:
            unit_src = FieldSource("body", False, f"正文中最常出现的地名：{unit}")
    # the title names the reporting body; a sign-off by its 办公室 must not make a government a department
    level, level_src = "unknown", NONE
    for name, src in ((issuer, title_src), (unit, unit_src)):
        found = level_of_unit(name)
        if found and name:
            level, level_src = found, _level_source(name, src)
            break
    else:
        found = level_from_self_reference(body)
        if found:
            level, level_src = found, FieldSource("body", False, "正文中的自称（如“我镇”“我局”）")
    published = published_date(text, layout, title, line)
    signed = signed_date(layout, text)
    year, year_src = infer_year(title, title_src, body, signed, published)
    sources = {
        "title": title_src,
        "unit": unit_src,
        "year": year_src,
        "level": level_src,
        "published": FieldSource("page_header", True, published.isoformat()) if published else NONE,
        "signed": _signed_source(layout) if signed else NONE,
    }
    return Metadata(title=title, unit=unit, year=year, level=level, published=published, signed=signed, sources=sources)


def _signed_source(layout: Layout) -> FieldSource:
    for i in reversed(layout.signoff):
        if _date_on(layout.lines[i].text):
            return FieldSource("signoff", True, layout.lines[i].text.strip())
    return FieldSource("page_header", True, "成文日期字段")


_FILE_TITLE = re.compile(r"(报告|总结)$")
_FILE_YEAR = re.compile(r"(20\d\d)\s*年")


def title_from_file_name(source: str) -> str | None:
    """A file named like a report (XX镇2019年法治政府建设情况报告.docx) stands in for a missing title."""
    from pathlib import PurePath

    stem = PurePath(source.replace("\\", "/")).stem.strip()
    if FIELD_LABEL.match(stem) or not _FILE_TITLE.search(stem) or not 6 <= len(stem) <= 90:
        return None
    return stem


def with_file_name(meta: Metadata, source: str) -> Metadata:
    """Title (and, when the text gives none, unit and year) from the file name, marked inferred.
    Applied before the parts are built (they depend on the year), so a document is read once."""
    title = title_from_file_name(source) if meta.title is None else None
    if title is None:
        return meta
    evidence = FieldSource("file_name", False, title)
    year = _FILE_YEAR.search(title)
    sources = dict(meta.sources)
    if meta.year is None and year:
        meta = replace(meta, year=int(year.group(1)))
        sources["year"] = evidence
    sources["title"] = evidence
    unit = meta.unit
    issuer = issuer_of_title(title)
    if unit is None and issuer:
        unit, sources["unit"] = issuer, FieldSource("file_name", False, issuer)
    return replace(meta, title=title, unit=unit, sources=sources)


_GOVERNMENT = re.compile(r"(人民政府|政府)$")
#: a body named under its government (临江市人民政府国有资产监督管理委员会, 东湖区人民政府金沙街道办事处),
#: not the government's office (宜兴市人民政府办公室, another unit's name as written everywhere)
_UNDER_GOVERNMENT = re.compile(r"^(.{2,}?[省市县区旗州盟])人民政府(?=.{2,}$)(?!办公[室厅]$)")


@functools.lru_cache(maxsize=4096)  # pairing keys each report of a batch three times or more (pure)
def unit_key(name: str) -> str:
    """A unit name as compared across reports and years: width and spaces folded, a trailing
    人民政府/政府 left out (张渚镇人民政府 and 张渚镇 are one unit; 宜兴市人民政府办公室 is another),
    and the 人民政府 a body's full name sets it under (临江市人民政府国有资产监督管理委员会 and
    临江市国有资产监督管理委员会 are one unit)."""
    import unicodedata

    folded = "".join(unicodedata.normalize("NFKC", name).split())
    return _GOVERNMENT.sub("", _UNDER_GOVERNMENT.sub(r"\1", folded))
