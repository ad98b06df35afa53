"""Composition: ``all``, ``any``, ``none``, ``at_least``, ``absent`` and ``cases``.

``at_least`` counts how many children are met (the count can be exported as a value,
and the labels of the missing ones go into the gap message). ``absent`` is for
prohibitions: met when its child finds nothing, a gap quoting what it found.
``cases`` is a decision table: the first case whose ``when`` is met decides the status.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from auditor.matchers.base import Candidate, Context, Hit, Outcome, Spec
from auditor.vocabulary import Status

if TYPE_CHECKING:
    MatchSpec = Spec  # any match expression: the union is in matchers/registry.py, which binds the name


def _merge_values(outcomes: list[Outcome]) -> dict[str, float]:
    values: dict[str, float] = {}
    for o in outcomes:
        for k, v in o.values.items():
            values.setdefault(k, v)
    return values


def _hits(outcomes: list[Outcome], only_met: bool = True) -> tuple[Hit, ...]:
    """The distinct hits of the (met or needs_review) outcomes, by start and end."""
    given = [o.hits for o in outcomes if o.hits and (not only_met or o.status in (Status.met, Status.needs_review))]
    if len(given) == 1 and _ascending(given[0]):
        return given[0]  # one outcome's hits, in order and distinct already (most often)
    return tuple(sorted({h for hits in given for h in hits}, key=_position))


def _position(h: Hit) -> tuple[int, int]:
    return h.start, h.end


def _ascending(hits: tuple[Hit, ...]) -> bool:
    """Strictly ascending by (start, end): then no two hits are equal either."""
    return all((a.start, a.end) < (b.start, b.end) for a, b in pairwise(hits))


def _candidates(outcomes: list[Outcome]) -> tuple[Candidate, ...]:
    return tuple(c for o in outcomes for c in o.candidates)


def _evaluate_all(children: list[MatchSpec], ctx: Context) -> list[Outcome]:
    return [c.evaluate(ctx.within(c.scope)) for c in children]


def _labels(children: list[MatchSpec], outcomes: list[Outcome], status: str) -> tuple[str, ...]:
    return tuple(c.display_name() for c, o in zip(children, outcomes, strict=True) if o.status == status)


class _Group(Spec):
    of: list[MatchSpec] = Field(..., min_length=1)

    def children(self) -> list[Spec]:
        return list(self.of)

    def _describe(self, word: str) -> str:
        return f"{word}（" + "；".join(c.describe() for c in self.of) + "）"


class AllSpec(_Group):
    type: Literal["all"]

    def evaluate(self, ctx: Context) -> Outcome:
        outs = _evaluate_all(self.of, ctx)
        statuses = {o.status for o in outs}
        status: Status = (
            Status.met
            if statuses == {Status.met}
            else (Status.needs_review if statuses <= {Status.met, Status.needs_review} else Status.gap)
        )
        return Outcome(
            status,
            _hits(outs),
            _merge_values(outs),
            _labels(self.of, outs, Status.met),
            tuple(c.display_name() for c, o in zip(self.of, outs, strict=True) if not o.met),
            candidates=_candidates(outs),
        )

    def describe(self) -> str:
        return self._describe("全部满足")


class AnySpec(_Group):
    type: Literal["any"]

    def evaluate(self, ctx: Context) -> Outcome:
        outs = _evaluate_all(self.of, ctx)
        statuses = {o.status for o in outs}
        status: Status = (
            Status.met
            if Status.met in statuses
            else (Status.needs_review if Status.needs_review in statuses else Status.gap)
        )
        return Outcome(
            status,
            _hits(outs),
            _merge_values(outs),
            _labels(self.of, outs, Status.met),
            _labels(self.of, outs, Status.gap),
            candidates=_candidates(outs),
        )

    def describe(self) -> str:
        return self._describe("任一满足")


class NoneSpec(_Group):
    type: Literal["none"]

    def evaluate(self, ctx: Context) -> Outcome:
        outs = _evaluate_all(self.of, ctx)
        statuses = {o.status for o in outs}
        status: Status = (
            Status.gap
            if Status.met in statuses
            else (Status.needs_review if Status.needs_review in statuses else Status.met)
        )
        return Outcome(
            status, _hits(outs), _merge_values(outs), _labels(self.of, outs, Status.met), candidates=_candidates(outs)
        )

    def describe(self) -> str:
        return self._describe("均不出现")


class AtLeastSpec(_Group):
    type: Literal["at_least"]
    n: int = Field(..., ge=1, description="how many children must be met")
    review_at: int | None = Field(None, ge=1, description="from this many met children: needs_review")
    value: str | None = Field(None, description="export the number of met children under this value name")

    @model_validator(mode="after")
    def _reachable(self) -> AtLeastSpec:
        if self.n > len(self.of):
            raise ValueError(f"n={self.n} 永远达不到：只有 {len(self.of)} 个子条件")
        if self.review_at is not None and self.review_at >= self.n:
            raise ValueError("review_at 应小于 n")
        return self

    def evaluate(self, ctx: Context) -> Outcome:
        outs = _evaluate_all(self.of, ctx)
        count = sum(1 for o in outs if o.met)
        reviewable = count + sum(1 for o in outs if o.status == Status.needs_review)
        if count >= self.n:
            status: Status = Status.met
        elif (self.review_at is not None and count >= self.review_at) or reviewable >= self.n:
            status = Status.needs_review
        else:
            status = Status.gap
        values = _merge_values(outs)
        if self.value:
            values[self.value] = float(count)
        return Outcome(
            status,
            _hits(outs),
            values,
            _labels(self.of, outs, Status.met),
            tuple(c.display_name() for c, o in zip(self.of, outs, strict=True) if not o.met),
            candidates=_candidates(outs),
        )

    def produces(self) -> list[str]:
        return [self.value] if self.value else []

    def describe(self) -> str:
        return self._describe(f"至少{self.n}项")


class AbsentSpec(Spec):
    type: Literal["absent"]
    of: MatchSpec = Field(..., description="what must not appear")

    def children(self) -> list[Spec]:
        return [self.of]

    def evaluate(self, ctx: Context) -> Outcome:
        inner = self.of.evaluate(ctx.within(self.of.scope))
        flip: dict[str, Status] = {
            Status.met: Status.gap,
            Status.gap: Status.met,
            Status.needs_review: Status.needs_review,
        }
        status = flip.get(inner.status, inner.status)
        return Outcome(status, inner.hits if status != Status.met else (), inner.values, candidates=inner.candidates)

    def describe(self) -> str:
        return f"不得出现（{self.of.describe()}）"


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    when: MatchSpec
    status: Literal["met", "gap", "needs_review", "not_applicable"]
    message: str | None = Field(None, description="message for this outcome (Chinese)")


class CasesSpec(Spec):
    type: Literal["cases"]
    cases: list[Case] = Field(..., min_length=1)
    otherwise: Literal["met", "gap", "needs_review", "not_applicable"] = "gap"
    otherwise_message: str | None = None

    def children(self) -> list[Spec]:
        return [c.when for c in self.cases]

    def evaluate(self, ctx: Context) -> Outcome:
        values: dict[str, float] = {}
        missing: list[str] = []
        seen: list[Candidate] = []
        for case in self.cases:
            out = case.when.evaluate(ctx.within(case.when.scope))
            for k, v in out.values.items():
                values.setdefault(k, v)
            seen.extend(out.candidates)
            if out.met:
                return Outcome(Status(case.status), out.hits, values, out.found, out.missing, case.message, tuple(seen))
            missing.extend(out.missing)
        return Outcome(Status(self.otherwise), (), values, (), tuple(missing), self.otherwise_message, tuple(seen))

    def describe(self) -> str:
        return "依次判断（" + "；".join(f"{c.when.describe()} → {c.status}" for c in self.cases) + "）"
