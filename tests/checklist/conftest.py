"""Shared helpers: audit a text with the bundled default checklist."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from auditor.checklist import Checklist
from auditor.document import understand
from auditor.engine import ReportAudit, audit
from auditor.loader import load_checklist

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"


@cache
def fazhi() -> Checklist:
    return load_checklist("fazhi")


def audit_text(text: str) -> tuple[ReportAudit, dict[str, str], dict[str, dict[str, float]]]:
    result = audit(understand(text), fazhi())
    statuses = {f.rule_id: f.status for f in result.findings}
    values = {f.rule_id: f.values for f in result.findings}
    return result, statuses, values


def replaced_once(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which it holds exactly once) replaced: a probed report's one-change variant."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def assert_statuses(text: str, want: Mapping[str, str]) -> None:
    """The statuses the default checklist gives ``text`` for the rules of ``want`` are those of ``want``."""
    _, statuses, _ = audit_text(text)
    assert {rule: statuses[rule] for rule in want} == want
