"""Which spans of a report hold its plans, its measures and its shortcomings.

A checklist declares them (``compare:`` in its header) as roles of parts and regexes on
section headings; a section picked by a heading counts whatever role its part has. Spans are
normalised offsets into :attr:`Document.text`, sorted and disjoint.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from auditor.checklist import ComparisonSpec
from auditor.document import Document

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Regions:
    plans: Spans
    measures: Spans
    shortcomings: Spans

    @cached_property
    def _starts(self) -> tuple[tuple[str, Spans, list[int]], ...]:
        named = (("plans", self.plans), ("measures", self.measures), ("shortcomings", self.shortcomings))
        return tuple((name, spans, [a for a, _ in spans]) for name, spans in named)

    def kind_at(self, pos: int) -> str | None:
        """'plans', 'measures', 'shortcomings' or None for a position (the spans of a kind are sorted
        and disjoint, :func:`merge`'s: one halving search per kind)."""
        for name, spans, starts in self._starts:
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos < spans[k][1]:
                return name
        return None


def merge(spans: list[tuple[int, int]]) -> Spans:
    out: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def subtract(spans: Spans, cut: Spans) -> Spans:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        pieces = [(a, b)]
        for c, d in cut:
            pieces = [p for x, y in pieces for p in ((x, min(y, c)), (max(x, d), y)) if p[1] > p[0]]
        out.extend(pieces)
    return merge(out)


def picked(doc: Document, roles: Sequence[str], headings: Sequence[str] = (), sentences: Sequence[str] = ()) -> Spans:
    """The spans of the parts with these roles and of the sections these headings name (the
    fields of a :class:`~auditor.checklist.RolePick`, taken as they are: no model is built)."""
    spans = [(p.start, p.end) for p in doc.parts if p.role in roles]
    patterns = [re.compile(h) for h in headings]
    spans += [(s.heading.start, s.end) for s in doc.sections if any(p.search(s.heading.title) for p in patterns)]
    if sentences:
        opens = [re.compile(p) for p in sentences]
        for a, b in doc.sentences:
            if doc.role_at(a) in ("shortcomings", "next_year") and any(p.search(doc.text, a, b) for p in opens):
                spans.append((a, _top_end(doc, a)))
    return merge(spans)


def _top_end(doc: Document, pos: int) -> int:
    """The end of the top-level section containing ``pos`` (the body's end outside any)."""
    k = doc.section_index_at(pos)
    while k is not None and doc.sections[k].parent is not None:
        k = doc.sections[k].parent
    return doc.sections[k].end if k is not None else doc.body[1]


def _planned(doc: Document, spec: ComparisonSpec) -> Spans:
    """What the declaration picks as plans, before the measures' headings are taken out of them."""
    return picked(doc, spec.plans.roles, spec.plans.headings, spec.plans.sentences)


def _headed(doc: Document, spec: ComparisonSpec) -> Spans:
    """The parts under the measures' headings: measures, wherever they are."""
    return picked(doc, (), spec.measures.headings)


def regions(doc: Document, spec: ComparisonSpec | None) -> Regions:
    spec = spec or ComparisonSpec()
    planned, headed = _planned(doc, spec), _headed(doc, spec)
    measures = merge([*subtract(picked(doc, spec.measures.roles), planned), *headed])
    plans = subtract(planned, headed)
    short = subtract(picked(doc, ("shortcomings",)), merge([*plans, *measures]))
    return Regions(plans, measures, short)


def plans(doc: Document, spec: ComparisonSpec | None) -> Spans:
    """``regions(doc, spec).plans`` alone (last year's report is read for its plans only)."""
    spec = spec or ComparisonSpec()
    return subtract(_planned(doc, spec), _headed(doc, spec))
