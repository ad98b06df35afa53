"""The words of the domain, each defined once: an enum per vocabulary with its Chinese label.

Every module that speaks of a finding status, a part's role, an administrative level, a
rule's severity or a candidate's verdict uses these enums. They are ``StrEnum``: a member
equals its value (``Status.met == "met"``), so the JSON contract and the rule files keep
the plain strings, and orjson writes a member as its value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Status(StrEnum):
    """What a rule concluded about one report."""

    met = "met"
    gap = "gap"
    needs_review = "needs_review"
    not_applicable = "not_applicable"
    error = "error"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def mark(self) -> str:
        """One character for tables and terminals."""
        return _STATUS_MARKS[self]


_STATUS_LABELS: Final = {
    Status.met: "达标",
    Status.gap: "缺失",
    Status.needs_review: "待复核",
    Status.not_applicable: "不适用",
    Status.error: "出错",
}
_STATUS_MARKS: Final = {
    Status.met: "✔",
    Status.gap: "✘",
    Status.needs_review: "?",
    Status.not_applicable: "–",
    Status.error: "!",
}

#: every status name (plain strings: JSON keys), in the order reports list them
STATUSES: Final = tuple(s.value for s in Status)


class ExampleKind(StrEnum):
    """The keys of a rule's ``examples:`` in rule files; ``review`` is the short spelling of
    :attr:`Status.needs_review` that rule authors write."""

    met = "met"
    gap = "gap"
    review = "review"
    not_applicable = "not_applicable"

    @property
    def status(self) -> Status:
        return Status.needs_review if self is ExampleKind.review else Status(self.value)

    @property
    def label(self) -> str:
        """``达标示例`` …"""
        return self.status.label + "示例"


class Role(StrEnum):
    """What a part of a report is for (from its heading or its opening sentence)."""

    intro = "intro"
    measures = "measures"
    shortcomings = "shortcomings"
    first_responsible = "first_responsible"
    next_year = "next_year"
    other = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS: Final = {
    Role.intro: "导语",
    Role.measures: "主要举措和成效部分",
    Role.shortcomings: "存在不足部分",
    Role.first_responsible: "第一责任人履职部分",
    Role.next_year: "下一年度安排部分",
    Role.other: "其他情况部分",
}


class Level(StrEnum):
    """The administrative level of the issuing body."""

    township = "township"
    county = "county"
    city = "city"
    province = "province"
    department = "department"
    unknown = "unknown"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS: Final = {
    Level.township: "乡镇/街道",
    Level.county: "县(区)",
    Level.city: "市",
    Level.province: "省",
    Level.department: "部门",
    Level.unknown: "未知",
}

#: every level name, for messages and validation
LEVELS: Final = tuple(level.value for level in Level)


class Severity(StrEnum):
    """How binding a rule is."""

    must = "must"
    should = "should"
    hint = "hint"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]

    @property
    def long_label(self) -> str:
        """The label with its meaning, for rule documentation."""
        return "必须（法定要求）" if self is Severity.must else self.label


_SEVERITY_LABELS: Final = {Severity.must: "必须", Severity.should: "应当", Severity.hint: "提示"}


class Verdict(StrEnum):
    """What a matcher made of one candidate span (``rules explain``, near misses)."""

    hit = "hit"
    review = "review"
    below_threshold = "below threshold"
    negated = "negated"
    excluded = "excluded"
    out_of_scope = "out of scope"

    @property
    def label(self) -> str:
        """Short, for ``rules explain``."""
        return _VERDICT_LABELS[self]

    @property
    def rejection(self) -> str | None:
        """Why a candidate with this verdict is no evidence (a near miss's reason), or None for a hit."""
        return _VERDICT_REJECTIONS.get(self)


_VERDICT_LABELS: Final = {
    Verdict.hit: "命中",
    Verdict.review: "待复核区间",
    Verdict.below_threshold: "低于阈值",
    Verdict.negated: "否定表述",
    Verdict.excluded: "形近词/排除上下文",
    Verdict.out_of_scope: "不在检查范围",
}
_VERDICT_REJECTIONS: Final = {
    Verdict.negated: "否定表述（如“未开展”），不计为证据",
    Verdict.excluded: "属于形近词或排除的上下文（如“论述法治”“原法制办”），不计为证据",
    Verdict.out_of_scope: "位于不计入的部分（如下一年度安排、存在的不足），不计为证据",
    Verdict.below_threshold: "相似度低于阈值",
    Verdict.review: "相似度处于待复核区间",
}


class Decision(StrEnum):
    """What a reviewer decided about one finding."""

    confirmed = "confirmed"  # the tool's verdict stands
    dismissed = "dismissed"  # the charge or the doubt is withdrawn: the thing is there
    changed = "changed"  # the reviewer sets another status

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self]


_DECISION_LABELS: Final = {
    Decision.confirmed: "确认",
    Decision.dismissed: "撤销",
    Decision.changed: "改判",
}
