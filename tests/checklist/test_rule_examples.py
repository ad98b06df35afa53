"""Every example of every bundled rule is a pytest case of its own: ``pytest -k FR-01`` runs the
examples of FR-01 (``auditor rules test`` runs the same examples through the same code)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.checklist import Checklist, Rule
from auditor.loader import load_bundled
from auditor.selftest import KIND_STATUS, run_example, run_example_file


def _cases() -> list[Any]:
    cases = []
    for checklist in load_bundled():
        for rule in checklist.rules:
            for kind in KIND_STATUS:
                for i, item in enumerate(getattr(rule.examples, kind)):
                    cases.append(pytest.param(checklist, rule, kind, i, item, id=f"{rule.id}-{kind}-{i}"))
            for i, spec in enumerate(rule.examples.files):
                cases.append(pytest.param(checklist, rule, "file", i, spec, id=f"{rule.id}-file-{i}"))
    return cases


CASES = _cases()


def test_there_are_examples_to_run() -> None:
    assert len(CASES) > 100
    assert {p.values[1].id for p in CASES} == {r.id for c in load_bundled() for r in c.rules}


@pytest.mark.parametrize(("checklist", "rule", "kind", "index", "item"), CASES)
def test_rule_example(checklist: Checklist, rule: Rule, kind: str, index: int, item: Any) -> None:
    if kind == "file":
        result = run_example_file(checklist, rule, index, item)
    else:
        result = run_example(checklist, rule, kind, index, item)
    assert result.ok, f"{result.location}: {rule.id} {kind} example {index}: {result.problem}"
