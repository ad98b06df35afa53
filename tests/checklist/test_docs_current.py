"""The rules reference pages in docs/rules/ are generated from the rule files and kept current
(apart from the measured block at the end of fazhi.md, see test_measured.py), and the JSON
Schema for editors matches the rule-file models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.commands.rules import schema_dict
from auditor.docs import rules_markdown
from auditor.loader import bundled_names, load_checklist

from .measure import MARK, generated_part

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", bundled_names())
def test_reference_page_is_current(name: str) -> None:
    checklist = load_checklist(name)
    page = ROOT / "docs" / "rules" / f"{checklist.id}.md"
    assert page.exists(), f"run: auditor rules docs --checklist {name} -o {page.relative_to(ROOT)}"
    assert generated_part(page.read_text(encoding="utf-8")) == rules_markdown(checklist), (
        f"stale: run auditor rules docs --checklist {name} -o {page.relative_to(ROOT)}"
        + (
            " (for fazhi: python -m tests.checklist.measure --write, which keeps the measured block)"
            if MARK in page.read_text(encoding="utf-8")
            else ""
        )
    )


def test_every_contract_rule_is_documented() -> None:
    page = (ROOT / "docs" / "rules" / "fazhi.md").read_text(encoding="utf-8")
    for rule in load_checklist("fazhi").rules:
        assert f"### {rule.id} " in page


def test_schema_file_is_current() -> None:
    path = ROOT / "schema" / "checklist.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == schema_dict(), (
        "stale: run auditor rules schema -o schema/checklist.schema.json"
    )
