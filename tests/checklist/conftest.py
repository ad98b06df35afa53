"""Shared helpers: audit a text with the bundled default checklist."""

from __future__ import annotations

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
