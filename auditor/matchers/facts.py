"""Checks on metadata: ``date`` (publication/sign-off deadlines), ``year`` (a part names
the right year, e.g. the next-year plans name Y+1) and ``metadata`` (level, year, title).

Dates may use the report year: ``"{Y+1}-03-31"`` is 31 March of the year after Y.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from auditor.document.metadata import YEAR_MENTION, plain_years
from auditor.document.numbers import year_value
from auditor.matchers.base import Context, Hit, Outcome, Spec, compile_regex
from auditor.vocabulary import Status

_TEMPLATE = re.compile(r"\{Y([+-]\d+)?\}")


_PARAM = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def resolve_date(template: str, year: int | None, params: Mapping[str, str] | None = None) -> date | None:
    """``{Y+1}-03-31`` (or ``{publish_deadline}``, a checklist parameter) → date; None when Y is needed but unknown."""
    for _ in range(3):
        template = _PARAM.sub(lambda m: (params or {}).get(m.group(1), m.group(0)), template)
    if "{" in template and year is None:
        return None
    text = _TEMPLATE.sub(lambda m: str(year + int(m.group(1) or 0)), template) if year is not None else template
    return date.fromisoformat(text)


def _check_template(v: str | None) -> str | None:
    if v is not None and not _PARAM.search(v):
        resolve_date(v, 2000)
    return v


class DateSpec(Spec):
    type: Literal["date"]
    field: Literal["published", "signed"]
    on_or_before: str | None = None
    before: str | None = None
    on_or_after: str | None = None
    after: str | None = None

    @field_validator("on_or_before", "before", "on_or_after", "after")
    @classmethod
    def _templates(cls, v: str | None) -> str | None:
        return _check_template(v)

    def evaluate(self, ctx: Context) -> Outcome:
        value = ctx.metadata(self.field)
        if not isinstance(value, date):
            return Outcome(Status.gap, missing=(self.field,))
        year = ctx.year
        checks: list[tuple[str | None, Callable[[date, date], bool]]] = [
            (self.on_or_before, operator.le),
            (self.before, operator.lt),
            (self.on_or_after, operator.ge),
            (self.after, operator.gt),
        ]
        for template, ok in checks:
            if template is None:
                continue
            limit = resolve_date(template, year, ctx.params)
            if limit is None or not ok(value, limit):
                return Outcome(Status.gap)
        return Outcome(Status.met)

    def parameters(self) -> list[str]:
        templates = (self.on_or_before, self.before, self.on_or_after, self.after)
        return [name for t in templates for name in re.findall(r"\{([a-z][a-z0-9_]*)\}", t or "")]

    def describe(self) -> str:
        label = {"published": "发布日期", "signed": "落款/成文日期"}[self.field]
        conds = [
            f"{w}{v}"
            for w, v in (
                ("不晚于", self.on_or_before),
                ("早于", self.before),
                ("不早于", self.on_or_after),
                ("晚于", self.after),
            )
            if v
        ]
        return f"{label}" + ("、".join(conds) if conds else "已注明")


_YEAR_MENTION = YEAR_MENTION  # 2024年 or 二〇二四年 (group 1: the year as written)
_RELATIVE = re.compile(r"下一年度?|明年|下一步|下步|来年|新的一年")


class YearSpec(Spec):
    type: Literal["year"]
    role: Literal["intro", "measures", "shortcomings", "first_responsible", "next_year", "other"]
    offset: int = Field(1, description="the year the part must name, relative to Y")
    sentences: int = Field(2, ge=1, description="how many opening sentences of the part to read (besides its heading)")
    skip_cited: bool = Field(
        False,
        description="ignore years inside a cited title (《…（2021—2025年）》), year ranges (2021—2025年), "
        "targets (到2025年) and dates (2024年3月): they name a document, a period or a deadline, "
        "not the year of the part",
    )

    def evaluate(self, ctx: Context) -> Outcome:
        doc = ctx.doc
        parts = [p for p in doc.parts if p.role == self.role]
        if not parts or ctx.year is None:
            return Outcome(Status.not_applicable)
        want = ctx.year + self.offset
        text = doc.text
        opening: list[tuple[int, int]] = []  # the first sentences of the part (its heading included)
        starts = doc.sentence_starts
        for p in parts:  # parts are consecutive: a sentence starting inside one has its role
            k = bisect.bisect_left(starts, p.start)
            while k < len(starts) and starts[k] < p.end and len(opening) <= self.sentences:
                if doc.role_at(starts[k]) == self.role:
                    opening.append(doc.sentences[k])
                k += 1
        years = plain_years if self.skip_cited else lambda t, s, e: list(_YEAR_MENTION.finditer(t, s, e))
        first = next((m for s, e in opening for m in years(text, s, e)), None)
        if first is not None:
            named = year_value(first.group(1))
            status: Status = Status.met if named == want else Status.gap
            return Outcome(status, (Hit(first.start(), first.end(), label=str(named)),), {"year": float(named)})
        rel = next((m for s, e in opening for m in [_RELATIVE.search(text, s, e)] if m), None)
        if rel is not None:
            return Outcome(Status.met, (Hit(rel.start(), rel.end(), label="relative"),))
        return Outcome(Status.met)

    def produces(self) -> list[str]:
        return ["year"]

    def describe(self) -> str:
        return f"该部分开头点明的年份应为 Y{self.offset:+d}"


class MetadataSpec(Spec):
    type: Literal["metadata"]
    field: Literal["level", "year", "title", "unit"]
    is_in: list[str] | None = Field(None, alias="in", description="allowed values (level, unit)")
    min: int | None = None
    max: int | None = None
    matches: str | None = Field(None, description="regex on the field (title, unit)")

    model_config = Spec.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _something(self) -> MetadataSpec:
        if self.is_in is None and self.min is None and self.max is None and self.matches is None:
            raise ValueError("in、min、max、matches 至少要给一个")
        if self.matches:
            compile_regex(self.matches)
        return self

    def evaluate(self, ctx: Context) -> Outcome:
        value = ctx.metadata(self.field)
        if value is None:
            return Outcome(Status.gap, missing=(self.field,))
        ok = True
        if self.is_in is not None:
            ok &= str(value) in self.is_in
        if self.min is not None:
            ok &= isinstance(value, int) and value >= self.min
        if self.max is not None:
            ok &= isinstance(value, int) and value <= self.max
        if self.matches is not None:
            ok &= ctx.budget.search(compile_regex(self.matches), str(value)) is not None
        status: Status = Status.met if ok else Status.gap
        return Outcome(status)

    def describe(self) -> str:
        return f"元数据 {self.field} 满足条件"
