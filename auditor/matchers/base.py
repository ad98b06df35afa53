"""What every match expression shares: hits, outcomes, scope, the evaluation context.

A match expression is a small pydantic model (data from the rule file) with an
``evaluate(ctx) -> Outcome`` method (behaviour). Leaves find *hits* (spans of the
normalised text); composites combine the children's outcomes. Statuses follow the
checklist contract: ``met``, ``gap``, ``needs_review``, ``not_applicable``.
"""

from __future__ import annotations

import bisect
import functools
import re
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator

from auditor.matchers.anchors import alternatives, anchors
from auditor.matchers.regex_bound import MAX_STEPS, step_bound
from auditor.matchers.regex_size import MAX_UNROLLED, unrolled_size
from auditor.vocabulary import Role, Status, Verdict

if TYPE_CHECKING:
    from auditor.document import Document
    from auditor.matchers.phrase_index import PhraseIndex

T = TypeVar("T")
#: an authoring mistake found by ``rules lint``: (severity "error" | "warning", message, hint)
AuthoringIssue = tuple[str, str, str | None]
Ts = TypeVarTuple("Ts")
REGEX_TIMEOUT = 2.0  # seconds of rule-regex matching one rule may spend on a short report; over it: `error`
REGEX_PER_CHAR = 1e-6  # plus this per character of the report (the bundled rules need at most 0.1 µs a char)


def regex_budget(chars: int) -> float:
    """The regex time (seconds) one rule may spend on a report of ``chars`` characters: a fixed
    allowance plus a share that grows with the text, so a long legitimate report never times out
    while a catastrophic pattern still stops within seconds on an ordinary one."""
    return REGEX_TIMEOUT + chars * REGEX_PER_CHAR


# Hits, candidates and outcomes are values: never changed after they are built (``replace`` makes
# a new one). They are not ``frozen``: a frozen ``__init__`` sets every field through
# ``object.__setattr__`` (≈ 1 µs per object), and a report's rules build hundreds of them.
# ``unsafe_hash`` keeps the hash a frozen one would have (hits are deduplicated in sets).


@dataclass(unsafe_hash=True, slots=True)
class Hit:
    """A matched span of the normalised text."""

    start: int
    end: int
    score: float = 100.0
    label: str | None = None
    review: bool = False  # a grey-zone fuzzy hit: evidence, but only enough for needs_review


@dataclass(unsafe_hash=True, slots=True)
class Candidate:
    """A scored candidate considered by a matcher (for `rules explain` and near misses)."""

    start: int
    end: int
    score: float
    verdict: Verdict


@dataclass(slots=True)
class Outcome:
    status: Status
    hits: tuple[Hit, ...] = ()
    values: Mapping[str, float] = field(default_factory=dict)
    found: tuple[str, ...] = ()  # labels of the children/items that matched
    missing: tuple[str, ...] = ()  # labels of those that did not
    message: str | None = None  # a message chosen by the expression (e.g. a `cases` branch)
    candidates: tuple[Candidate, ...] = ()

    @property
    def met(self) -> bool:
        return self.status == "met"


class Scope(BaseModel):
    """Where a matcher looks. Unset fields are inherited from the enclosing expression."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    roles: list[Role] | None = Field(None, description="only text in parts with these roles")
    exclude_roles: list[Role] | None = Field(None, description="never text in parts with these roles")
    headings: list[str] | None = Field(
        None, description="only text under a section whose heading (or an ancestor's) matches one of these regexes"
    )

    @field_validator("headings")
    @classmethod
    def _compile(cls, v: list[str] | None) -> list[str] | None:
        for p in v or []:
            compile_regex(p)
        return v

    def merged(self, inner: Scope | None) -> Scope:
        if inner is None:
            return self
        if self.roles is None and self.exclude_roles is None and self.headings is None:
            return inner
        return _merged_scope(self.key(), inner.key())

    def key(self) -> ScopeKey:
        """A hashable form, for results remembered per scope."""
        return self.hashable

    @functools.cached_property
    def hashable(self) -> ScopeKey:
        """``key()``, made once per scope (a scope is frozen; rules ask for it on every report)."""
        return (
            None if self.roles is None else tuple(self.roles),
            None if self.exclude_roles is None else tuple(self.exclude_roles),
            None if self.headings is None else tuple(self.headings),
        )

    def describe(self) -> str:
        parts = []
        if self.roles:
            parts.append("仅限" + "、".join(Role(r).label for r in self.roles))
        if self.exclude_roles:
            parts.append("不含" + "、".join(Role(r).label for r in self.exclude_roles))
        if self.headings:
            parts.append("标题匹配 " + " / ".join(self.headings))
        return "；".join(parts) or "全文"


ScopeKey = tuple[tuple[Role, ...] | None, tuple[Role, ...] | None, tuple[str, ...] | None]


@functools.lru_cache(maxsize=1024)
def _merged_scope(outer: ScopeKey, inner: ScopeKey) -> Scope:
    """An inner scope's set fields over the outer's (rules merge the same few pairs again and again)."""
    roles = inner[0] if inner[0] is not None else outer[0]
    exclude_roles = inner[1] if inner[1] is not None else outer[1]
    headings = inner[2] if inner[2] is not None else outer[2]
    return Scope.model_construct(
        roles=None if roles is None else list(roles),
        exclude_roles=None if exclude_roles is None else list(exclude_roles),
        headings=None if headings is None else list(headings),
    )


@functools.cache
def anywhere() -> Scope:
    """The scope that restricts nothing."""
    return Scope.model_construct()


def remember(cache: dict[Any, Any], key: Hashable, build: Callable[[*Ts], T], *args: *Ts) -> T:
    """``cache[key]``, built by ``build(*args)`` the first time: results a report's rules share
    (the per-report cache of ``engine.audit``; a stored None counts as built). The arguments
    are passed rather than closed over: this runs hundreds of times per report."""
    if key not in cache:
        cache[key] = build(*args)
    found: T = cache[key]
    return found


@functools.lru_cache(maxsize=4096)
def compile_regex(pattern: str) -> regex.Pattern[str]:
    """Compile a rule regex (the `regex` engine: supports timeouts); ValueError on bad syntax
    or on a pattern that would take too much memory to compile (``regex_size``)."""
    size = unrolled_size(pattern)
    if size > MAX_UNROLLED:
        raise ValueError(
            f"正则表达式 {pattern[:60]!r} 过大：计数重复展开后约 {size:,} 项（上限 {MAX_UNROLLED:,}）；"
            f"请用 * 或 + 代替过大或嵌套的 {{m,n}}"
        )
    try:
        return regex.compile(pattern, regex.V0)
    except regex.error as exc:
        raise ValueError(f"正则表达式 {pattern!r} 有误：{exc}") from exc


class RegexTimeout(TimeoutError):
    """A rule's regexes used up the rule's time budget on this report."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"regex {pattern!r} exceeded its time budget")
        self.pattern = pattern


@dataclass(slots=True)
class Budget:
    """The regex time (seconds) one rule may still spend on one report.

    Every regex a rule file supplies (patterns, excludes, scope and section headings,
    metadata matches, generic phrases) runs through one of these, so the rule's whole
    expression shares one budget however many hits, sections or patterns it has; work
    remembered from another rule costs nothing. ``RegexTimeout`` once it is used up.
    """

    left: float = REGEX_TIMEOUT

    def search(
        self, compiled: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
    ) -> regex.Match[str] | None:
        start = self._start(compiled)
        try:
            if untimed(compiled, _window(text, pos, endpos)):
                return compiled.search(text, pos, endpos)
            return compiled.search(text, pos, endpos, timeout=self.left)
        except TimeoutError as exc:
            raise self._spent(compiled) from exc
        finally:
            self.left -= time.monotonic() - start

    def anchored(self, compiled: regex.Pattern[str], text: str, positions: Sequence[int]) -> list[tuple[int, int]]:
        """The leftmost non-overlapping spans of ``compiled`` matched at ascending ``positions``
        (a position inside an earlier span is skipped), all the matches under the budget: each
        gets the time left, read once per match (no time-out when ``untimed``)."""
        start = self._start(compiled)
        left = self.left
        out: list[tuple[int, int]] = []
        last = 0
        timed = not untimed(compiled, len(positions))
        try:
            for pos in positions:
                if pos < last:
                    continue
                if timed:
                    if left <= 0:
                        raise RegexTimeout(compiled.pattern)
                    m = compiled.match(text, pos, timeout=left)
                    left = self.left - (time.monotonic() - start)
                else:
                    m = compiled.match(text, pos)
                if m is not None:
                    out.append(m.span())
                    last = m.end()
        except TimeoutError as exc:
            raise self._spent(compiled) from exc
        finally:
            self.left -= time.monotonic() - start
        return out

    def spans(
        self, compiled: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
    ) -> list[tuple[int, int]]:
        """The spans of ``finditer`` (empty ones included), the whole scan under the budget."""
        start = self._start(compiled)
        try:
            if untimed(compiled, _window(text, pos, endpos)):
                return [m.span() for m in compiled.finditer(text, pos, endpos)]
            return [m.span() for m in compiled.finditer(text, pos, endpos, timeout=self.left)]
        except TimeoutError as exc:
            raise self._spent(compiled) from exc
        finally:
            self.left -= time.monotonic() - start

    def _start(self, compiled: regex.Pattern[str]) -> float:
        if self.left <= 0:
            raise RegexTimeout(compiled.pattern)
        return time.monotonic()

    def _spent(self, compiled: regex.Pattern[str]) -> RegexTimeout:
        self.left = 0.0
        return RegexTimeout(compiled.pattern)


def untimed(compiled: regex.Pattern[str], starts: int) -> bool:
    """Whether a call that tries ``starts`` start positions of ``compiled`` is proven short
    (``regex_bound``): it then runs without the engine's time-out, which costs more than the
    match itself; its time is still taken from the budget."""
    bound = step_bound(compiled.pattern)
    return bound is not None and bound * starts <= MAX_STEPS


def _window(text: str, pos: int, endpos: int | None) -> int:
    """How many start positions a search of ``text[pos:endpos]`` may try."""
    return max(0, min(len(text), len(text) if endpos is None else endpos) - max(0, pos)) + 1


def remember_timed(cache: dict[Any, Any], key: Hashable, budget: Budget, build: Callable[[*Ts], T], *args: *Ts) -> T:
    """``remember`` for results that run rule regexes under ``budget``. When building one
    used up a budget, a later rule with no more time left gives up at once instead of
    spending its own budget on the same hopeless search."""
    if key in cache:
        found: T = cache[key]
        return found
    failed = ("timed out", key)
    if failed in cache and budget.left <= cache[failed][0]:
        raise RegexTimeout(cache[failed][1])
    given = budget.left
    try:
        cache[key] = build(*args)
    except RegexTimeout as exc:
        cache[failed] = (given, exc.pattern)
        raise
    built: T = cache[key]
    return built


def headings_matching(pattern: str, ctx: Context) -> frozenset[int]:
    """Indexes of the sections whose heading title ``pattern`` finds, remembered per report.

    A title matches an alternation when one of its alternatives matches, so a pattern that
    shares alternatives with others (``index.split``) is searched one alternative at a time.
    """
    return remember_timed(ctx.cache, ("heading", pattern), ctx.budget, _headings_matching, pattern, ctx)


def _headings_matching(pattern: str, ctx: Context) -> frozenset[int]:
    alts = alternatives(pattern) if pattern in ctx.index.split else None
    if alts is not None and len(alts) > 1:
        return frozenset().union(*(headings_matching(a, ctx) for a in alts))
    compiled = compile_regex(pattern)
    search = ctx.budget.search
    sections = ctx.doc.sections
    # every match starts with one of these (after a leading ^): a title without any cannot match
    starts = anchors(pattern[1:] if pattern.startswith("^") else pattern)
    if starts is None:
        return frozenset(i for i, s in enumerate(sections) if search(compiled, s.heading.title))
    return frozenset(i for i in _titles_with(starts, ctx) if search(compiled, sections[i].heading.title))


def _titles_with(literals: frozenset[str], ctx: Context) -> list[int]:
    """Indexes (ascending) of the sections whose heading title contains one of ``literals``:
    found in the report's titles joined once, instead of testing every title for every literal."""
    joined, offsets = remember(ctx.cache, "heading titles", _joined_titles, ctx.doc)
    sections = ctx.doc.sections
    found: set[int] = set()
    for lit in literals:
        i = joined.find(lit)
        while i != -1:
            k = bisect.bisect_right(offsets, i) - 1
            if lit in sections[k].heading.title:  # not an occurrence across two titles
                found.add(k)
            i = joined.find(lit, i + 1)
    return sorted(found)


def _joined_titles(doc: Document) -> tuple[str, list[int]]:
    """Every section's heading title, joined by newlines, and where each one starts."""
    offsets, pos = [], 0
    for s in doc.sections:
        offsets.append(pos)
        pos += len(s.heading.title) + 1
    return "\n".join(s.heading.title for s in doc.sections), offsets


@dataclass(slots=True)
class Lean:
    """One rule's evaluation with fewer candidates (``Context.lean``): never the accepted ones
    (a near miss reads only rejected candidates), and none at all of some `met` outcomes; the
    engine evaluates the rule again in full when its near miss needs them and some were left out."""

    trimmed: bool = False  # some `met` outcome left its candidates out


@dataclass(slots=True)
class Context:
    """Everything a matcher may read while evaluating one rule on one document."""

    doc: Document
    index: PhraseIndex
    scope: Scope = field(default_factory=lambda: anywhere())
    values: dict[str, float] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)  # one per rule evaluation, shared by its whole expression
    #: metadata fields (year, level, …) the verdict read: the engine never lets a gap rest on an inferred one
    reads: set[str] = field(default_factory=set)
    #: set when nobody reads the accepted candidates, nor any candidate of a `met` outcome
    #: (``engine.audit``): an expression may then leave them out to save work (the latter it says here)
    lean: Lean | None = None
    #: a scope that leaves out next year's plans leaves out the sentences about an earlier year too
    #: (``Document.earlier_years``); False when the engine asks whether they alone hold what a rule seeks
    past_aside: bool = True

    def within(self, scope: Scope | None) -> Context:
        if scope is None:
            return self
        return Context(
            self.doc,
            self.index,
            self.scope.merged(scope),
            self.values,
            self.cache,
            self.params,
            self.budget,
            self.reads,
            self.lean,
            self.past_aside,
        )

    @property
    def year(self) -> int | None:
        self.reads.add("year")
        return self.doc.metadata.year

    def metadata(self, name: str) -> object:
        """A metadata field, recorded as read."""
        self.reads.add(name)
        value: object = getattr(self.doc.metadata, name)
        return value

    def in_scope(self, pos: int) -> bool:
        role = self.doc.role_at(pos)
        if role is None:
            return False
        s = self.scope
        if (
            self.past_aside
            and s.exclude_roles
            and "next_year" in s.exclude_roles
            and _in_spans(self.doc.earlier_years, pos)
        ):
            return False
        if s.roles is not None and role not in s.roles:
            return False
        if s.exclude_roles and role in s.exclude_roles:
            return False
        if s.headings:
            return self._under_heading(pos, s.headings)
        return True

    def scope_test(self) -> Callable[[int], bool]:
        """``in_scope`` as one function for many positions: without headings, one bisect over
        the report's parts whose role the scope admits (remembered per report and roles)."""
        s = self.scope
        if s.headings:
            return self.in_scope
        key = s.key()
        test: Callable[[int], bool] | None = self.cache.get(("scope test", key))
        if test is None:
            roles = (key[0], key[1] or ())
            test = _part_test(*remember(self.cache, ("parts in scope", roles), _parts_in_scope, self.doc, *roles))
            earlier = self.doc.earlier_years if "next_year" in roles[1] and self.past_aside else ()
            if earlier:
                test = _outside(test, earlier)
            self.cache[("scope test", key)] = test
        return test

    def _under_heading(self, pos: int, patterns: Sequence[str]) -> bool:
        k = self.doc.section_index_at(pos)
        if k is None:
            return False
        matching = (
            headings_matching(patterns[0], self)
            if len(patterns) == 1
            else remember(self.cache, ("headings", tuple(patterns)), _any_heading, patterns, self)
        )
        sections = self.doc.sections
        while k is not None:
            if k in matching:
                return True
            k = sections[k].parent
        return False


def _in_spans(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` is inside one of ``spans`` (ascending, never overlapping)."""
    k = bisect.bisect_right(spans, (pos, _MAX_POS)) - 1
    return k >= 0 and pos < spans[k][1]


_MAX_POS = 1 << 62


def _outside(test: Callable[[int], bool], spans: Sequence[tuple[int, int]]) -> Callable[[int], bool]:
    """``test``, false inside ``spans`` too: a scope that leaves out next year's plans asks what was done in
    the year reported on, and a sentence about an earlier year (``Document.earlier_years``) says
    nothing of that either."""

    def within(pos: int) -> bool:
        return test(pos) and not _in_spans(spans, pos)

    return within


def _part_test(starts: list[int], limits: list[int]) -> Callable[[int], bool]:
    """Whether a position is in scope: in a part ``k`` (the last starting at or before it) below ``limits[k]``."""
    bisect_right = bisect.bisect_right

    def test(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < limits[k]

    return test


def _parts_in_scope(
    doc: Document, roles: tuple[Role, ...] | None, exclude_roles: tuple[Role, ...]
) -> tuple[list[int], list[int]]:
    """Each part's start, and the end below which a position in it is in scope (-1 when the
    part's role is not admitted): ``in_scope`` without headings is ``pos < limits[k]`` for the
    part ``k`` starting last at or before ``pos``."""
    starts = [p.start for p in doc.parts]
    limits = [p.end if (roles is None or p.role in roles) and p.role not in exclude_roles else -1 for p in doc.parts]
    return starts, limits


def _any_heading(patterns: Sequence[str], ctx: Context) -> frozenset[int]:
    return frozenset().union(*(headings_matching(p, ctx) for p in patterns))


class Spec(BaseModel):
    """Base of every match expression."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    scope: Scope | None = Field(None, description="where to look (inherited by children)")
    label: str | None = Field(None, description="a short name used in messages (e.g. 公众参与)")

    def evaluate(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def literals(self) -> list[str]:
        """Literal phrases this expression looks for (for near misses, indexes and lint)."""
        return [lit for child in self.children() for lit in child.literals()]

    def children(self) -> list[Spec]:
        return []

    def display_name(self) -> str:
        return self.shown

    # Derived from the frozen fields once per expression (a rule's expressions are evaluated on
    # every report; their words and phrases never change).

    @functools.cached_property
    def shown(self) -> str:
        """The name messages use for this expression: its label, else its description."""
        return self.label or self.describe()

    @functools.cached_property
    def distinct_literals(self) -> tuple[str, ...]:
        """``literals()`` without repeats, in order (for near misses)."""
        return tuple(dict.fromkeys(self.literals()))

    # What a match type declares about itself. The phrase index (``loader.build_index``), the
    # regex warm-up of forked workers (``pipeline``), reference checks (``loader``) and
    # ``rules lint`` read these instead of testing for types, so a new match type is one
    # module that overrides what applies, plus its line in ``matchers/registry.py``.

    def indexed_phrases(self) -> list[str]:
        """Phrases the per-report Aho-Corasick pass must find for this node."""
        return []

    def indexed_patterns(self) -> list[str]:
        """Regexes tried only where one of their literal anchors occurs (anchors go into the index)."""
        return []

    def heading_patterns(self) -> list[str]:
        """Regexes matched against section heading titles."""
        return []

    def produces(self) -> list[str]:
        """Names of the values this node adds to a finding (usable as ``{name}`` in messages)."""
        return []

    def parameters(self) -> list[str]:
        """Checklist ``params`` this node refers to as ``{name}``."""
        return []

    def exclude_targets(self) -> list[str] | None:
        """The literal texts an ``exclude`` filters (lint: an exclude must not match inside all
        of them); None when the node has no such literal targets."""
        return None

    def lint(self) -> list[AuthoringIssue]:
        """Authoring mistakes particular to this match type: (severity, message, hint)."""
        return []


# ------------------------------------------------------------------ leaf filtering

# a negated negation (不是没有开展, 并非未开展, 不是不重视) affirms: _NOT_DENIED keeps it from counting
_NOT_DENIED = r"(?<!不是)(?<!并非)(?<!不)(?<!非)(?<!无)"
_NEG_BEFORE = re.compile(
    _NOT_DENIED
    + r"(没有|尚未|未能|并未|从未|暂未|未曾|不曾|从不|均未|仍未|还未|"
    + r"未(?!成年|来|知|婚|满|经|按|雨|尽|列|达|到|足))[^,。;:!?\n]{0,8}$"
)
_NEG_BARE_NONE = re.compile(r"(?<![一-龥]无)无(?!法|论|缝|私|偿|疑|人|障碍|线|纸|差别|违)$")
_NEG_AFTER = re.compile(
    r"^[^,。;:!?\n]{0,6}"
    + _NOT_DENIED
    + r"(尚未|未能|没有|未)(开展|建立|落实|实行|实施|推行|进行|执行|召开|完成|设立|聘请)"
)
_NEG_INSIDE = re.compile(
    r"没有|尚未|未能|并未|从未|暂未|未(?=开展|建立|落实|出庭|实行|实施|推行|进行|执行|召开|设立|聘请)"
)
_CLAUSE = re.compile(r"[,。;:!?\n]")


_NEG_CUES = "未没不无"  # every negation pattern below contains one of these
_NEG_CUE = re.compile(f"[{_NEG_CUES}]")


def is_negated(text: str, start: int, end: int) -> bool:
    """未/没有/尚未 … before the phrase in the same clause, or 尚未开展 right after it."""
    return _NEG_CUE.search(text, max(0, start - 14), end + 14) is not None and negation_patterns_match(text, start, end)


def negation_patterns_match(text: str, start: int, end: int) -> bool:
    """The negation patterns themselves (``is_negated`` first looks for a cue character)."""
    before = text[max(0, start - 14) : start]
    cut = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    before = before[cut:]
    if _NEG_BEFORE.search(before) or _NEG_BARE_NONE.search(before[-2:] if len(before) >= 2 else before):
        return True
    if _NEG_INSIDE.search(text, start, end):
        return True
    return bool(_NEG_AFTER.match(text[end : end + 14]))


class Leaf(Spec):
    """Options shared by the leaf matchers."""

    negation: bool = Field(True, description="ignore hits in negated statements (未开展…)")
    exclude: list[str] = Field(
        default_factory=list,
        description="regexes of look-alike contexts: a hit inside one of their matches is ignored (e.g. 论述法)",
    )
    min_hits: int = Field(1, ge=1, description="how many distinct hits are needed for `met`")

    @field_validator("exclude")
    @classmethod
    def _check_exclude(cls, v: list[str]) -> list[str]:
        for p in v:
            compile_regex(p)
        return v

    def filter_hits(self, ctx: Context, raw: Iterable[Hit], ordered: bool = False) -> tuple[list[Hit], list[Candidate]]:
        """Keep hits that are in scope, not inside an excluded context, not negated.

        ``ordered``: ``raw`` is already in ``_order`` (one pattern's spans: ascending, never
        overlapping). With ``ctx.lean`` only the rejected candidates are listed: the engine reads
        no others (a near miss is the best rejected one), so a kept hit costs no ``Candidate``."""
        text = ctx.doc.text
        excludes = _compiled(tuple(self.exclude)) if self.exclude else ()
        in_scope = ctx.scope_test()
        cache = ctx.cache  # is_negated remembered per report: many rules look at the same spans
        negation = self.negation
        every = ctx.lean is None
        kept: list[Hit] = []
        seen: list[Candidate] = []
        kept_end = 0  # where the last kept hit ends: a later hit starting before it overlaps it
        for h in raw if ordered else sorted(raw, key=_order):
            start = h.start
            if not in_scope(start):
                verdict = _OUT_OF_SCOPE
            elif excludes and _inside_excluded(text, h, excludes, ctx.budget):
                verdict = _EXCLUDED
            elif negation and _negated(cache, text, start, h.end):
                verdict = _NEGATED
            elif start < kept_end:
                continue
            else:
                kept.append(h)
                kept_end = h.end
                if every:
                    seen.append(Candidate(start, kept_end, h.score, _REVIEW if h.review else _HIT))
                continue
            seen.append(Candidate(start, h.end, h.score, verdict))
        return kept, seen

    def outcome(self, hits: list[Hit], seen: list[Candidate]) -> Outcome:
        full = [h for h in hits if not h.review]
        if len(full) >= self.min_hits:
            status: Status = Status.met
        elif hits:
            status = Status.needs_review
        else:
            status = Status.gap
        return Outcome(status, tuple(hits), candidates=tuple(seen))


_REVIEW, _HIT, _OUT_OF_SCOPE, _EXCLUDED, _NEGATED = (
    Verdict.review,
    Verdict.hit,
    Verdict.out_of_scope,
    Verdict.excluded,
    Verdict.negated,
)


def _order(h: Hit) -> tuple[int, int]:
    """Hits by start, the longest first."""
    return h.start, -h.end


@functools.lru_cache(maxsize=1024)
def _compiled(patterns: tuple[str, ...]) -> tuple[regex.Pattern[str], ...]:
    return tuple(compile_regex(p) for p in patterns)


def _negated(cache: dict[Any, Any], text: str, start: int, end: int) -> bool:
    """is_negated, remembered in the report's ``cache``."""
    key = ("neg", start, end)
    found: bool | None = cache.get(key)
    if found is None:
        found = cache[key] = is_negated(text, start, end)
    return found


def _inside_excluded(text: str, hit: Hit, excludes: Sequence[regex.Pattern[str]], budget: Budget) -> bool:
    lo = max(0, hit.start - 24)
    hi = min(len(text), hit.end + 24)
    window = text[lo:hi]
    for pattern in excludes:
        starts = anchors(pattern.pattern)  # a match in the window starts with one of these, inside it
        if starts is not None and not any(lit in window for lit in starts):
            continue
        for start, end in budget.spans(pattern, text, lo, hi):
            if start < hit.end and hit.start < end:
                return True
    return False
