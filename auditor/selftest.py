"""Run every rule's own examples (``met``/``gap``/``review``/``not_applicable``).

Used by ``auditor rules test`` and by the test suite. A failure says where the example
is written (file:line), what was expected, what came out, and why (the rule's message,
its evidence or its best near-miss score).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from auditor.checklist import Checklist, Example, ExampleFile, ExampleItem, Rule
from auditor.document import understand
from auditor.engine import evaluate_rule
from auditor.errors import Location
from auditor.vocabulary import ExampleKind

KIND_STATUS = {kind.value: kind.status for kind in ExampleKind}


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


def _judge(checklist: Checklist, rule: Rule, kind: str, ex: Example) -> tuple[str, str | None]:
    """(actual status, problem or None) for one example text."""
    doc = understand(ex.text, year=ex.year, level=ex.level, published=ex.published)
    finding, _ = evaluate_rule(rule, doc, checklist.index.for_text(doc.text), 1.0, checklist.header.params)
    expected = KIND_STATUS[kind]
    if finding.status != expected:
        why = finding.message
        if finding.near_miss:
            why += f"; best near miss {finding.near_miss.score:g} on {finding.near_miss.text!r}"
        elif finding.evidence:
            why += f"; evidence {finding.evidence[0].text!r}"
        return finding.status, f"expected {expected}, got {finding.status} ({why})"
    for name, want in (ex.values or {}).items():
        got = finding.values.get(name)
        if got is None or abs(got - want) > 1e-6:
            return finding.status, f"expected value {name}={want:g}, got {got if got is not None else 'none'}"
    return finding.status, None


def run_example(checklist: Checklist, rule: Rule, kind: str, index: int, item: ExampleItem) -> ExampleResult:
    ex = _as_example(item)
    actual, problem = _judge(checklist, rule, kind, ex)
    source = checklist.sources.get(rule.id)
    loc = source.examples.get((kind, index), source.location) if source else Location(checklist.path)
    return ExampleResult(rule.id, kind, index, loc, ex.text, KIND_STATUS[kind], actual, problem)


def run_example_file(checklist: Checklist, rule: Rule, index: int, spec: ExampleFile) -> ExampleResult:
    """A whole report file named under `examples.files`, read like any input."""
    from auditor.errors import ReadError
    from auditor.readers import read_document

    source = checklist.sources.get(rule.id)
    loc = source.locate(("examples", "files", index)) if source else Location(checklist.path)
    rule_file = source.location.path if source else str(Path(checklist.path) / "rule.yaml")
    pack = (source.pack if source else None) or str(Path(rule_file).parent)
    path = spec.located(rule_file, pack)
    if path is None:  # the loader refuses these; a configuration override or a moved link may not
        return ExampleResult(
            rule.id,
            "file",
            index,
            loc,
            spec.path,
            KIND_STATUS[spec.expect],
            "error",
            f"示例文件 {spec.path!r} 不在规则包的文件夹 {pack} 之内，未读取",
        )
    try:
        text = read_document(str(path)).text
    except ReadError as exc:
        return ExampleResult(
            rule.id,
            "file",
            index,
            loc,
            str(path),
            KIND_STATUS[spec.expect],
            "error",
            f"cannot read example file {path}: {exc}",
        )
    ex = Example(text=text, year=spec.year, level=spec.level, published=spec.published, values=spec.values)
    actual, problem = _judge(checklist, rule, spec.expect, ex)
    return ExampleResult(rule.id, "file", index, loc, str(path), KIND_STATUS[spec.expect], actual, problem)


def run_examples(checklist: Checklist, rule_ids: set[str] | None = None) -> Iterator[ExampleResult]:
    for rule in checklist.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for kind in KIND_STATUS:
            for i, item in enumerate(getattr(rule.examples, kind)):
                yield run_example(checklist, rule, kind, i, item)
        for i, spec in enumerate(rule.examples.files):
            yield run_example_file(checklist, rule, i, spec)
