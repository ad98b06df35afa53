"""Run every rule's own examples (``met``/``gap``/``review``/``not_applicable``).

Used by ``auditor rules test`` and by the test suite. A failure says where the example
is written (file:line), what was expected, what came out, and why (the rule's message,
its evidence or its best near-miss score).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.checklist import Checklist, Example, ExampleItem, Rule
from auditor.document import understand
from auditor.engine import evaluate_rule
from auditor.errors import Location

KIND_STATUS = {"met": "met", "gap": "gap", "review": "needs_review", "not_applicable": "not_applicable"}


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    kind: str
    index: int
    location: Location
    text: str
    expected: str
    actual: str
    problem: str | None  # None when the example passes

    @property
    def ok(self) -> bool:
        return self.problem is None


def _as_example(item: ExampleItem) -> Example:
    return item if isinstance(item, Example) else Example(text=item)


def run_example(checklist: Checklist, rule: Rule, kind: str, index: int, item: ExampleItem) -> ExampleResult:
    ex = _as_example(item)
    doc = understand(ex.text, year=ex.year, level=ex.level, published=ex.published)
    finding, _ = evaluate_rule(rule, doc, checklist.index.for_text(doc.text), 1.0, checklist.header.params)
    expected = KIND_STATUS[kind]
    problem = None
    if finding.status != expected:
        why = finding.message
        if finding.near_miss:
            why += f"; best near miss {finding.near_miss.score:g} on {finding.near_miss.text!r}"
        elif finding.evidence:
            why += f"; evidence {finding.evidence[0].text!r}"
        problem = f"expected {expected}, got {finding.status} ({why})"
    elif ex.values:
        for name, want in ex.values.items():
            got = finding.values.get(name)
            if got is None or abs(got - want) > 1e-6:
                problem = f"expected value {name}={want:g}, got {got if got is not None else 'none'}"
                break
    source = checklist.sources.get(rule.id)
    loc = source.examples.get((kind, index), source.location) if source else Location(checklist.path)
    return ExampleResult(rule.id, kind, index, loc, ex.text, expected, finding.status, problem)


def run_examples(checklist: Checklist, rule_ids: set[str] | None = None) -> Iterator[ExampleResult]:
    for rule in checklist.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for kind in KIND_STATUS:
            for i, item in enumerate(getattr(rule.examples, kind)):
                yield run_example(checklist, rule, kind, i, item)
