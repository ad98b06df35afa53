"""Walk a rule's match expression as a tree of (path, spec), for lint and explain."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.checklist import Rule
from auditor.matchers.base import Spec
from auditor.matchers.compose import Case

Path_ = tuple[str | int, ...]


def walk(spec: Spec, path: Path_ = ("match",), depth: int = 0) -> Iterator[tuple[Path_, Spec, int]]:
    """Every node under ``spec`` with its YAML path (relative to the rule) and depth."""
    yield path, spec, depth
    for name in type(spec).model_fields:
        value = getattr(spec, name)
        if isinstance(value, Spec):
            yield from walk(value, (*path, name), depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Spec):
                    yield from walk(item, (*path, name, i), depth + 1)
                elif isinstance(item, Case):
                    yield from walk(item.when, (*path, name, i, "when"), depth + 1)


def rule_specs(rule: Rule) -> Iterator[tuple[Path_, Spec, int]]:
    yield from walk(rule.match)
    for i, v in enumerate(rule.values):
        yield from walk(v, ("values", i))
    if rule.applies is not None and rule.applies.when is not None:
        yield from walk(rule.applies.when, ("applies", "when"))
