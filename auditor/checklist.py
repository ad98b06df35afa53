"""The rule-file format: a checklist header, its categories and scoring, and rules.

A checklist is one YAML file, or a folder of them where exactly one file carries the
``checklist:`` header and the others add ``rules:``. Every model forbids unknown keys,
so a typo in a rule file is an error, not a silently ignored option.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor.errors import Location
from auditor.matchers.base import Scope
from auditor.matchers.phrase_index import PhraseIndex
from auditor.matchers.registry import MatchSpec
from auditor.matchers.values import ValueSpec
from auditor.vocabulary import ExampleKind, Level, Severity

if TYPE_CHECKING:
    from auditor.matchers.pattern import RegexSpec

RULE_ID = r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*$"


class Weighted(Protocol):
    """A rule's place in the scoring: its id, category and relative weight."""

    @property
    def rule_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def weight(self) -> float: ...


class RuleShare(NamedTuple):
    rule_id: str
    category: str
    weight: float


def rule_points(items: Sequence[Weighted], categories: Sequence[Category]) -> dict[str, float]:
    """Each rule's nominal share of 100 points: its category's weight split by rule weight."""
    out: dict[str, float] = {}
    for cat in categories:
        members = [i for i in items if i.category == cat.id]
        total = sum(i.weight for i in members)
        for i in members:
            out[i.rule_id] = cat.weight * i.weight / total if total else 0.0
    return out


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Category(_Model):
    id: str = Field(..., pattern=RULE_ID)
    title: str
    weight: float = Field(..., ge=0, description="share of the total score (points)")


class Grade(_Model):
    name: str
    min: float = Field(..., ge=0, le=100)


class Cap(_Model):
    rules: list[str] = Field(..., min_length=1, description="rule ids")
    status: list[Literal["gap", "needs_review", "error"]] = Field(default_factory=lambda: ["gap"])  # type: ignore[arg-type]
    max_grade: str = Field(..., description="the best grade a report can get when one of these rules has the status")


class Credit(_Model):
    met: float = 1.0
    needs_review: float = Field(0.5, ge=0, le=1)
    gap: float = 0.0


class Scoring(_Model):
    credit: Credit = Field(default_factory=Credit)
    grades: list[Grade] = Field(..., min_length=1, description="bands, best first")
    caps: list[Cap] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Scoring:
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("等级应从高到低排列（min 递减）")
        names = {g.name for g in self.grades}
        for cap in self.caps:
            if cap.max_grade not in names:
                raise ValueError(f"封顶等级 {cap.max_grade} 不在已声明的等级中")
        return self


class YearRange(_Model):
    min: int | None = None
    max: int | None = None


class Applies(_Model):
    """When a rule applies; otherwise it is ``not_applicable``."""

    year: YearRange | None = Field(None, description="report year range; unknown year → not applicable")
    levels: list[Level] | None = Field(None, description="report levels the rule applies to")
    when: MatchSpec | None = Field(None, description="a match expression that must be met")


class Example(_Model):
    text: str = Field(..., min_length=1)
    year: int | None = None
    level: Level | None = None
    published: date | None = None
    values: dict[str, float] | None = Field(None, description="values the rule must extract from this text")
    note: str | None = None


ExampleItem = str | Example


class ExampleFile(_Model):
    """A whole report file (any readable format) the rule must judge as ``expect``."""

    path: str = Field(..., description="relative to the rule file, inside the rule pack's folder")
    expect: ExampleKind
    values: dict[str, float] | None = None
    year: int | None = None
    level: Level | None = None
    published: date | None = None

    def located(self, rule_file: str | Path, pack: str | Path) -> Path | None:
        """The file this names (symbolic links followed), or None when that is outside the
        rule pack's folder ``pack``: a rule file never makes `rules test` read (and quote)
        ``../../…`` or ``/etc/shadow``."""
        try:
            path = (Path(rule_file).parent / self.path).resolve()
            return path if path.is_relative_to(Path(pack).resolve()) else None
        except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
            return None


class Examples(_Model):
    met: list[ExampleItem] = Field(..., min_length=1)
    gap: list[ExampleItem] = Field(default_factory=list)
    review: list[ExampleItem] = Field(default_factory=list)
    not_applicable: list[ExampleItem] = Field(default_factory=list)
    files: list[ExampleFile] = Field(default_factory=list, description="whole reports the rule must judge as stated")

    @model_validator(mode="after")
    def _has_negative(self) -> Examples:
        if not (self.gap or self.not_applicable):
            raise ValueError("除 met 外，至少还要给一个 gap（或 not_applicable）示例")
        return self


_CJK_BREAK = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s+(?=[\u2e80-\u9fff\uff00-\uffef])")


def join_cjk_lines(text: str) -> str:
    """YAML folds line breaks into spaces; between Chinese characters they are noise."""
    return _CJK_BREAK.sub("", text.strip())


class Rule(_Model):
    id: str = Field(..., pattern=RULE_ID)
    title: str = Field(..., description="the requirement, phrased as the met state (Chinese)")
    category: str
    severity: Severity = Severity.should
    weight: float = Field(1.0, ge=0, description="relative weight inside its category; 0 = informational")
    blocking: bool = Field(False, description="a gap fails the run (exit 1)")
    description: str | None = Field(None, description="what the rule checks and why, for supervisors")
    gap_message: str = Field(..., description="what is missing; may use {missing}, {found}, {Y}, {Y+1} and values")
    review_message: str | None = None
    met_message: str | None = None
    na_message: str | None = None
    gap_title: str | None = Field(
        None,
        description="the problem found, shown instead of the title when the verdict "
        "is gap (for a rule titled as a prohibition: 引用了已废止的《信访条例》)",
    )
    remediation: str = Field(..., description="what to add, for the report's author")
    references: list[str] = Field(..., min_length=1, description="the legal basis")
    tags: list[str] = Field(default_factory=list)
    applies: Applies | None = None
    scope: Scope | None = Field(None, description="default scope of the match expression")
    match: MatchSpec
    values: list[ValueSpec] = Field(default_factory=list, description="values extracted for the output only")
    concepts: list[str] = Field(
        default_factory=list,
        description="regexes of the rule's key concept in any wording (学法, 述职, 原因|因|由于 …): where one occurs "
        "(not negated) in the rule's scope but the match finds nothing, the verdict is needs_review, not gap",
    )
    concept_scope: Scope | None = Field(
        None, description="where the concept terms count (default: the scope of the match expression)"
    )
    examples: Examples

    @field_validator("concepts")
    @classmethod
    def _check_concepts(cls, v: list[str]) -> list[str]:
        from auditor.matchers.base import compile_regex

        for p in v:
            if compile_regex(p).search(""):
                raise ValueError(f"关键概念的正则 {p!r} 能匹配空字符串")
        return v

    @model_validator(mode="after")
    def _concepts_need_presence(self) -> Rule:
        if self.concepts and getattr(self.match, "type", None) == "absent":
            raise ValueError("concepts 只用于“应当写明”的规则（absent 规则的缺失是发现了问题，不是漏写）")
        return self

    @field_validator(
        "title", "description", "gap_message", "review_message", "met_message", "na_message", "remediation"
    )
    @classmethod
    def _join(cls, v: str | None) -> str | None:
        return join_cjk_lines(v) if v is not None else None


@functools.lru_cache(maxsize=512)
def concept_spec(concepts: tuple[str, ...]) -> RegexSpec:
    """A rule's concept terms as one regex leaf (scope inherited; negated mentions ignored)."""
    from auditor.matchers.pattern import RegexSpec

    return RegexSpec.model_construct(type="regex", patterns=list(concepts))


class Signals(_Model):
    """What a report of this type looks like, for choosing a checklist automatically."""

    title: list[str] = Field(
        default_factory=list,
        description="regexes: the title (or, without one, the opening) names this report type; weighs most",
    )
    headings: list[str] = Field(
        default_factory=list, description="regexes: headings typical of this report type; each one found adds a point"
    )
    body: list[str] = Field(
        default_factory=list, description="regexes: phrases typical of the body; each one found adds a point"
    )
    not_title: list[str] = Field(
        default_factory=list,
        description="regexes: the title (or, without one, a line before the body) names another kind of "
        "document (a notice, a plan, one leader's 述法报告 …): never recognised as this type, whatever else fits",
    )
    min_score: float = Field(4, ge=1, description="below this the report is not recognised as this type")

    @field_validator("title", "headings", "body", "not_title")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        for p in v:
            re.compile(p)
        return v


class LevelRule(_Model):
    """A unit name (regex, searched in the issuer of the title, the sign-off or 发布机构) → a level."""

    match: str
    level: Level
    sure: bool = Field(
        True,
        description="false: the name does not settle the level (a rule depending on the level "
        "then never reports a gap, only needs_review)",
    )
    title_only: bool = Field(
        False,
        description="true: only the issuer named in the title is read by this rule; a sign-off or 发布机构 "
        "with such a name may stand for another body (a government's report signed by its office)",
    )

    @field_validator("match")
    @classmethod
    def _regex(cls, v: str) -> str:
        re.compile(v)
        return v


Role = Literal["intro", "measures", "shortcomings", "first_responsible", "next_year", "other"]


class RolePick(_Model):
    """A part of a report for ``auditor compare``: the parts with these roles, the sections whose
    heading title matches one of these regexes (wherever they are), and the text from a sentence
    of a shortcomings (or plans) part matching one of ``sentences`` to the end of its top-level section
    (``…改进情况``: 下一步，将抓好以下工作：…)."""

    roles: list[Role] = Field(default_factory=list, description="roles of the parts (see docs/architecture.md)")
    headings: list[str] = Field(default_factory=list, description="regexes searched in section heading titles")
    sentences: list[str] = Field(
        default_factory=list,
        description="regexes: a sentence of a shortcomings (or plans) part "
        "that opens this part (it runs to the end of its top-level section)",
    )

    @field_validator("headings", "sentences")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"正则表达式 {p!r} 有误：{exc}") from exc
        return v


class ComparisonSpec(_Model):
    """Where a report of this type writes its plans and its measures (year-over-year comparison)."""

    plans: RolePick = Field(
        default_factory=lambda: RolePick(roles=["next_year"]),
        description="the plans for the next year (last year's are followed through)",
    )
    measures: RolePick = Field(
        default_factory=lambda: RolePick(roles=["measures", "first_responsible", "intro", "other"]),
        description="what was done in the year (where last year's plans are looked for)",
    )


class ChecklistHeader(_Model):
    id: str = Field(..., pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    version: str
    description: str | None = None
    extends: str | None = Field(None, description="id or path of a checklist whose rules this one inherits")
    select: MatchSpec | None = Field(
        None,
        description="auto-selection (older form): a report whose title meets this "
        "uses this checklist; `signals` is preferred",
    )
    signals: Signals | None = Field(None, description="auto-selection: what a report of this type looks like")
    levels: list[LevelRule] = Field(
        default_factory=list,
        description="unit name → level, first match wins (before the built-in reading of place names)",
    )
    categories: list[Category] = Field(default_factory=list)
    compare: ComparisonSpec | None = Field(
        None,
        description="auditor compare: which parts hold the plans and the measures "
        "(default: plans in next_year, measures in measures/first_responsible/intro/other)",
    )
    scoring: Scoring | None = None
    disable: list[str] = Field(default_factory=list, description="inherited rule ids to drop (with extends)")
    params: dict[str, str] = Field(
        default_factory=dict,
        description="named values rules can use as {name} in date templates (e.g. publish_deadline: '{Y+1}-03-31'); "
        "a configuration file may override them",
    )


class RuleOverride(_Model):
    """Changes to one rule: from a rule file's ``overrides:`` (with ``extends``) or a
    configuration file's ``[rules.ID]`` (which may also set parameters by dotted path)."""

    id: str
    weight: float | None = Field(None, ge=0)
    severity: Severity | None = None
    blocking: bool | None = None
    applies: Applies | None = None
    gap_message: str | None = None
    remediation: str | None = None
    params: dict[str, Any] = Field(
        default_factory=dict,
        exclude=True,
        description="any other setting by its dotted path (match.min_chars) -> value",
    )

    def then(self, later: RuleOverride) -> RuleOverride:
        """This override followed by a later one (a configuration file over the one it extends)."""
        changes = later.model_dump(exclude_none=True, exclude={"id", "params"})
        return self.model_copy(update={**changes, "params": {**self.params, **later.params}})

    def apply(self, rule: Rule) -> Rule:
        """The rule with these changes, validated like any rule. Raises ``KeyError``/``IndexError``
        for a parameter path the rule does not have, ``ValidationError`` for an invalid result."""
        data = rule.model_dump(by_alias=True, exclude_none=True)
        data.update(self.model_dump(by_alias=True, exclude_none=True, exclude={"id", "params"}))
        for dotted, value in self.params.items():
            _set_path(data, dotted, value)
        return Rule.model_validate(data)


def _set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``match.of.0.min`` inside a rule's data; a missing key or index raises."""
    parts = dotted.split(".")
    cur: Any = data
    for part in parts[:-1]:
        cur = cur[int(part)] if isinstance(cur, list) else cur[part]
    last = parts[-1]
    if isinstance(cur, list):
        cur[int(last)] = value
    elif last in cur or isinstance(cur, dict):
        cur[last] = value


class ChecklistFile(_Model):
    """One YAML rule file."""

    checklist: ChecklistHeader | None = None
    rules: list[Rule] = Field(default_factory=list)
    overrides: list[RuleOverride] = Field(default_factory=list, description="changes to inherited rules (with extends)")


@dataclass(frozen=True)
class RuleSource:
    """Where a rule and its examples are written."""

    location: Location
    examples: dict[tuple[str, int], Location] = field(default_factory=dict)
    paths: dict[tuple[str | int, ...], Location] = field(default_factory=dict)  # YAML path inside the rule -> where
    pack: str | None = None  # the rule pack's folder: example files are read only from inside it

    def locate(self, path: tuple[str | int, ...]) -> Location:
        """The nearest located YAML node for a path inside the rule."""
        while path and path not in self.paths:
            path = path[:-1]
        return self.paths.get(path, self.location)


@dataclass(frozen=True)
class Checklist:
    """A loaded, validated checklist, ready to audit with."""

    header: ChecklistHeader
    rules: tuple[Rule, ...]
    sources: dict[str, RuleSource]
    index: PhraseIndex
    path: str
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> reason (from configuration)
    files: tuple[str, ...] = ()  # every rule file it was built from (for the cache)

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def categories(self) -> list[Category]:
        return self.header.categories

    @property
    def scoring(self) -> Scoring:
        assert self.header.scoring is not None
        return self.header.scoring

    @functools.cached_property
    def points(self) -> dict[str, float]:
        """Each rule's nominal share of 100 points (static: weights and categories only)."""
        return rule_points([RuleShare(r.id, r.category, r.weight) for r in self.rules], self.categories)

    @functools.cached_property
    def searched(self) -> dict[str, str]:
        """What each rule searches, in words (for findings); built once per checklist."""
        return {r.id: r.match.describe() for r in self.rules}

    @functools.cached_property
    def derived(self) -> dict[str, Any]:
        """What higher layers derive from this checklist once and keep with it (the engine's rule plans)."""
        return {}

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
