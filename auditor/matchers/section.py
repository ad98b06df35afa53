"""``type: section`` — a part of the report with a given role (or heading) exists.

Options make it a quality check too: ``min_chars`` (report characters in the part),
``min_items`` (distinct points: enumerated items 一是/(一)/1., else substantive
sentences) and ``generic`` (regexes of empty phrases such as 有待加强 — sentences made
only of these do not count as items). Values ``chars`` and ``items`` are exported.
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from pydantic import Field, field_validator

from auditor.document.numbers import PART_NUMERALS
from auditor.document.sections import ROLES
from auditor.matchers.base import (
    Context,
    Hit,
    Outcome,
    Spec,
    compile_regex,
    headings_matching,
    remember,
)
from auditor.vocabulary import Role, Status

_ITEM = re.compile(
    r"(?<![统唯第同万专划均逐])[一二三四五六七八九十]{1,3}是(?=[\u3400-\u9fff])|"
    r"(?:^|(?<=[。;:\n\s]))(?:\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])"
)
_CLAUSE_BREAK = re.compile(r"[,，;；:：。!?！？]")
#: a clause states a fact (a figure, or a thing not done: 未在7个工作日内公开, 没有…), not a judgement
#: (还存在提升空间): only such a clause makes an item with an empty phrase a point of its own
_FACT = re.compile(r"\d|未|没有")
_CONCRETE_CLAUSE = 10  # characters of a clause free of empty phrases that name a problem of its own
_DEFAULT_GENERIC = (
    r"有待(进一步)?(加强|提高|提升|完善|改进)|还(存在|有)(一定|较大)?差距|不够(到位|完善|健全|深入|规范|有力)|"
    r"仍需(加强|提升|提高|努力)|需要进一步(加强|提高|提升)"
)


def _non_space(text: str) -> int:
    """How many characters of ``text`` are not white space (``len(re.sub(r"\\s", "", text))``:
    ``str.split`` and ``\\s`` know the same white space), without a substitution pass."""
    return len("".join(text.split()))


class SectionSpec(Spec):
    type: Literal["section"]
    role: Literal["intro", "measures", "shortcomings", "first_responsible", "next_year", "other"] | None = None
    heading: str | None = Field(None, description="regex on section heading titles (instead of / besides role)")
    min_chars: int = Field(0, ge=0)
    min_items: int = Field(0, ge=0)
    generic: list[str] = Field(default_factory=lambda: [_DEFAULT_GENERIC])
    value_prefix: str | None = Field(None, description="export `<prefix>chars` and `<prefix>items` values")
    like: list[str] = Field(
        default_factory=list,
        description="titles a top-level heading may resemble (typos, "
        "other wording): when nothing else is found, such a heading gives needs_review",
    )
    like_threshold: float = Field(80, ge=0, le=100, description="RapidFuzz score from which a heading resembles")
    number: int | None = Field(
        None,
        ge=1,
        le=10,
        description="the part's number (5 for 五、/(五)/第五部分): when role, heading and like find nothing, a heading "
        "with this number beside one numbered one less or one more, whose title has no figure and is not found by "
        "`number_not`, gives needs_review (the part is there, headed in words not known); alone (no role or "
        "heading), such headings are the parts",
    )
    number_not: str | None = Field(
        None,
        description="regex on titles: headings with the number that are something else (another part, a table row)",
    )

    @field_validator("heading", "number_not")
    @classmethod
    def _compile(cls, v: str | None) -> str | None:
        if v is not None:
            compile_regex(v)
        return v

    @field_validator("generic")
    @classmethod
    def _compile_generic(cls, v: list[str]) -> list[str]:
        for p in v:
            compile_regex(p)
        return v

    @field_validator("role")
    @classmethod
    def _role(cls, v: str | None) -> str | None:
        assert v is None or v in ROLES
        return v

    def _spans(self, ctx: Context) -> list[tuple[int, int, str | None]]:
        """The parts with the role and the sections whose heading matches, remembered per report
        (rules and their grey zones ask for the same parts again)."""
        key = ("section parts", self.role, self.heading, self._numbered_alone())
        return remember(ctx.cache, key, self._find_spans, ctx)

    def _numbered_alone(self) -> tuple[int, str | None] | None:
        """The number (and its exclusions) when it names the parts itself (no role, no heading)."""
        return (self.number, self.number_not) if self.role is None and self.heading is None and self.number else None

    def _find_spans(self, ctx: Context) -> list[tuple[int, int, str | None]]:
        doc = ctx.doc
        spans: list[tuple[int, int, str | None]] = []
        if self.role is not None:
            for p in doc.parts:
                if p.role == self.role:
                    label = doc.sections[p.section].label if p.section is not None else None
                    spans.append((p.start, p.end, label))
        if self.heading is not None:
            for i in sorted(headings_matching(self.heading, ctx)):
                s = doc.sections[i]
                spans.append((s.start, s.end, s.label))
        if self._numbered_alone() is not None:
            for i in _numbered_parts(ctx, self.number or 0, self.number_not):
                s = doc.sections[i]
                spans.append((s.start, s.end, s.label))
        return sorted(set(spans))

    def evaluate(self, ctx: Context) -> Outcome:
        spans = self._spans(ctx)
        if not spans:
            return self._resembling(ctx) or self._numbered(ctx) or Outcome(Status.gap)
        # the same parts measured the same way (variants of a rule) give the same outcome
        key = ("section", tuple(spans), self.min_chars, self.min_items, tuple(self.generic), self.value_prefix)
        return remember(ctx.cache, key, self._measure, ctx, spans)

    def _measure(self, ctx: Context, spans: list[tuple[int, int, str | None]]) -> Outcome:
        text = ctx.doc.text
        chars = sum(_non_space(text[s:e]) for s, e, _ in spans)
        items = self._items(ctx, spans)
        values: dict[str, float] = {}
        if self.value_prefix is not None:
            values = {f"{self.value_prefix}chars": float(chars), f"{self.value_prefix}items": float(items)}
        tops = {s.start for s in ctx.doc.sections if s.parent is None}  # a part's own heading is the best evidence
        first = next((span for span in spans if span[0] in tops), spans[0])
        sentence = ctx.doc.sentence_at(first[0])
        hit = Hit(first[0], sentence[1] if sentence else min(first[1], first[0] + 60), label=first[2])
        status: Status = Status.met if chars >= self.min_chars and items >= self.min_items else Status.gap
        return Outcome(status, (hit,), values)

    def _resembling(self, ctx: Context) -> Outcome | None:
        """A top-level heading whose title resembles one of ``like`` (grey zone: needs_review)."""
        if not self.like:
            return None
        from rapidfuzz import fuzz

        for s in ctx.doc.sections:
            if s.parent is not None or s.heading.level > 1:
                continue
            title = s.heading.title[:40]
            score = max(fuzz.partial_ratio(phrase, title) for phrase in self.like)
            if score >= self.like_threshold:
                return Outcome(Status.needs_review, (Hit(s.start, s.heading.title_end, score, s.label, review=True),))
        return None

    def _numbered(self, ctx: Context) -> Outcome | None:
        """A heading with the part's number, in words the rule does not know (needs_review)."""
        if self.number is None or self._numbered_alone() is not None:
            return None
        found = _numbered_parts(ctx, self.number, self.number_not)
        if not found:
            return None
        s = ctx.doc.sections[found[0]]
        message = f"第{_CN[self.number - 1]}部分的标题“{s.label}”措辞与国家格式不同，未能确认即该部分，请人工复核。"
        return Outcome(
            Status.needs_review, (Hit(s.start, s.heading.title_end, 50.0, s.label, review=True),), message=message
        )

    def _items(self, ctx: Context, spans: list[tuple[int, int, str | None]]) -> int:
        """Distinct, non-generic points: enumerated items, else substantive sentences."""
        if self.min_items == 0:
            return 0
        text = ctx.doc.text
        generic = [compile_regex(p) for p in self.generic]
        search = ctx.budget.search

        def is_generic(words: str) -> bool:
            return any(search(g, words) for g in generic)

        def substantive(piece: str) -> bool:
            """Not made only of empty phrases: long, free of them, or with a concrete clause besides
            ("一是及时性有待提高，部分行政处罚信息未在7个工作日内公开；" names the problem)."""
            piece = piece.strip()
            if len(piece) < 12:
                return False
            if len(piece) >= 40 or not is_generic(piece):
                return True
            own = piece.split("。", 1)[0]  # the item's own sentence (the last item may run on: 下一步将…)
            return any(
                len(c) >= _CONCRETE_CLAUSE and _FACT.search(c) is not None and not is_generic(c)
                for c in _CLAUSE_BREAK.split(own)
            )

        items: list[str] = []
        for s, e, _ in spans:
            marks = [m.start() for m in _ITEM.finditer(text, s, e)]
            if not marks:
                continue
            items.extend(text[a:b] for a, b in zip(marks, [*marks[1:], e], strict=True))
        if items:
            return sum(1 for piece in items if substantive(piece))
        merged: list[list[int]] = []  # disjoint covering intervals (a role part and a heading may overlap)
        for s, e, _ in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        starts, every = ctx.doc.sentence_starts, ctx.doc.sentences
        sentences = [  # those starting inside the parts, looked up by position
            text[a:b]
            for s, e in merged
            for a, b in every[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
        ]
        return max(0, sum(1 for piece in sentences if substantive(piece)) - 1)  # minus the opening sentence

    def heading_patterns(self) -> list[str]:
        return [self.heading] if self.heading is not None else []

    def produces(self) -> list[str]:
        return [f"{self.value_prefix}chars", f"{self.value_prefix}items"] if self.value_prefix is not None else []

    def describe(self) -> str:
        what = []
        if self.role:
            what.append(Role(self.role).label)
        if self.heading:
            what.append(f"标题匹配 {self.heading}")
        if self.like:
            what.append(f"（近似标题待复核：{'、'.join(self.like)}）")
        if self.number:
            what.append(f"（编号为{_CN[self.number - 1]}的部分标题措辞不同的待复核）")
        extra = []
        if self.min_chars:
            extra.append(f"≥{self.min_chars}字")
        if self.min_items:
            extra.append(f"≥{self.min_items}个具体问题/要点")
        return "存在" + "或".join(what) + (f"（{'，'.join(extra)}）" if extra else "")


_CN = PART_NUMERALS
_ORDINAL = re.compile(rf"^\s*(?:\(\s*([{_CN}])\s*\)|([{_CN}])\s*[、.]|第([{_CN}])部分)")


def _ordinal(marker: str) -> tuple[int, int] | None:
    """The number of a part's marker (一、 (一) 第一部分) and its style (which of the three)."""
    m = _ORDINAL.match(marker)
    if m is None:
        return None
    style = next(k for k in (1, 2, 3) if m.group(k))
    return _CN.index(m.group(style)) + 1, style


def _numbered_parts(ctx: Context, number: int, exclude: str | None) -> list[int]:
    """Indexes of the headings numbered ``number`` that head a part: no figure in the title (a table
    row has its figures), not found by ``exclude``, and a heading of the same style numbered one
    less or one more in the report (a numbering of parts, not a stray one)."""
    return remember(ctx.cache, ("numbered parts", number, exclude), _find_numbered, ctx, number, exclude)


def _find_numbered(ctx: Context, number: int, exclude: str | None) -> list[int]:
    sections = ctx.doc.sections
    numbers = [_ordinal(s.heading.marker) for s in sections]
    styles = {(n, style) for n, style in filter(None, numbers)}
    skip = compile_regex(exclude) if exclude else None
    found = []
    for i, (s, got) in enumerate(zip(sections, numbers, strict=True)):
        if got is None or got[0] != number or s.heading.level >= 4:
            continue
        title = s.heading.title
        if any(ch.isdigit() for ch in title) or (skip is not None and ctx.budget.search(skip, title)):
            continue
        if (number - 1, got[1]) in styles or (number + 1, got[1]) in styles:
            found.append(i)
    return found
