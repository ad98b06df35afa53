"""Numbers as reports write them: 12, 1,560, 53.8%, 百分之九十五, 百分之九十八点五, 二十余次,
十余次, 百分之百, 九成五 (95%), 十二万元 and 1.2万元 (yuan), 提高10个百分点 (a change, not a level),
近百分之百 (only "near": a value that cannot decide a threshold on its own).

:func:`find_numbers` returns every number in a span with the unit that follows it, so
value extraction can pick "the first count after 集体学法" or "the rate after 出庭应诉率".
Full-width digits are already folded by normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM_CHARS = "零〇○一二三四五六七八九两十百千万亿"

UNITS = (
    "人次|件次|余人|万元|亿元|千元|个工作日|学时|课时|小时|平方米|公里|"
    "次|件|项|个|名|人|场|期|份|条|家|户|起|宗|批|篇|部|本|所|处|册|张|台|套|天|日|元|万|亿|亩|"
    "封|卷|单|票|例|轮|堂|节|支|队|组|村|社区|份次|%"
)
_WORDISH_UNITS = (None, "", "个", "项", "村", "家", "名", "批")
_NUMBER = re.compile(
    rf"(?P<near>近|接近|将近|约|大约|几乎|基本)?"
    rf"(?:(?P<pct>百分之(?P<pctnum>[{CN_NUM_CHARS}\d.点]+))|"
    rf"(?P<cheng>(?<![{CN_NUM_CHARS}\d])[一二三四五六七八九十]成[一二三四五六七八九]?)(?![立员本果效绩为功熟就交长型都品年不了])|"
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?(?P<mag>[万亿])?|[{CN_NUM_CHARS}]+)"
    rf"(?P<approx>余|多|来)?\s*(?P<unit>个百分点|百分点|{UNITS})?)"
)
MAGNITUDE = {"万": 10_000.0, "亿": 100_000_000.0, "千": 1000.0}
POINTS = "百分点"  # the unit of a change of a rate (提高10个百分点), never a rate itself


#: the numerals of a part's number (一、 (二) 第三部分 … 十、), in order
PART_NUMERALS = "一二三四五六七八九十"


def cn_to_int(s: str) -> int | None:
    """Parse a Chinese numeral (一百二十三, 两万, 十五, 二〇二三); None if not a numeral."""
    if not s or any(c not in _DIGITS and c not in _UNITS and c not in _BIG for c in s):
        return None
    if all(c in _DIGITS for c in s) and len(s) > 1:  # digit-by-digit, e.g. 二〇二三
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in "零〇○":  # an inner zero (一百零一) only marks a skipped place
            continue
        if c in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[c]
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        else:
            section += digit or 0
            if section == 0:
                return None
            total += section * _BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(s: str) -> float | None:
    s = s.replace(",", "")
    if "点" in s:  # 九十五点五
        whole, _, frac = s.partition("点")
        head = parse_number(whole)
        digits = "".join(str(_DIGITS[c]) for c in frac if c in _DIGITS)
        return None if head is None or not digits else float(f"{int(head)}.{digits}")
    if s and s[0].isdigit():
        try:
            return float(s)
        except ValueError:
            return None
    if s == "百":
        return 100.0
    n = cn_to_int(s)
    return None if n is None else float(n)


@dataclass(frozen=True)
class Number:
    value: float
    start: int
    end: int
    unit: str  # "" when none; "%" for percentages; "百分点" for a change of a rate
    approx: bool  # 余/多/来: "at least"
    near: bool = False  # 近/约/接近…: only about this much

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Number]:
    """All numbers in ``text[start:end]`` with the unit that immediately follows."""
    out: list[Number] = []
    for m in _NUMBER.finditer(text, start, len(text) if end is None else end):
        near = bool(m.group("near"))
        if m.group("pct") or m.group("cheng"):
            value = parse_number(m.group("pctnum")) if m.group("pct") else _cheng(m.group("cheng"))
            if value is not None:
                out.append(Number(value, m.start(), m.end(), "%", False, near))
            continue
        raw = m.group("num")
        if raw is None:
            continue
        lone_word = not raw[0].isdigit() and len(raw) == 1 and raw not in "十百千" and not m.group("approx")
        followed = text[m.end() : m.end() + 1]
        if lone_word and (raw == "一" or m.group("unit") in _WORDISH_UNITS or (followed and followed in "性数事")):
            continue  # a lone 一/三 is mostly a word (一是, 三项制度, 一次性), not a figure
        value = parse_number(raw[:-1] if m.group("mag") else raw)
        if value is None:
            continue
        unit = m.group("unit") or ""
        if m.group("mag"):
            value *= MAGNITUDE[m.group("mag")]
        if unit.endswith(POINTS):
            unit = POINTS
        elif (unit[:1] in MAGNITUDE and len(unit) > 1) or unit in ("万", "亿"):
            value *= MAGNITUDE[unit[0]]  # 1.2万元 → 12000 元, 五十余万元 → 500000 元
            unit = unit[1:]
        out.append(Number(value, m.start("num"), m.end(), unit, bool(m.group("approx")), near))
    return out


def _cheng(s: str) -> float | None:
    """九成五 → 95, 八成 → 80, 十成 → 100 (a share written in tenths)."""
    tens, _, rest = s.partition("成")
    head = cn_to_int(tens)
    tail = cn_to_int(rest) if rest else 0
    return None if head is None or tail is None else float(head * 10 + tail)


def year_value(written: str) -> int:
    """2023 from "2023" or "二〇二三" (what ``patterns.YEAR_WRITTEN`` matches: its zero may also be typed 0 or O)."""
    if written.isascii() and written.isdigit():
        return int(written)
    return cn_to_int(written.replace("0", "〇").replace("O", "〇")) or 0
