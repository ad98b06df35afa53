"""Deltas: the score, each category and each rule's status, last year against this year.

Read from the two report dicts of the JSON contract (``score``, ``categories``,
``findings[].rule_id/status``), so it works for any checklist.
"""

from __future__ import annotations

from typing import Any

from auditor.compare.model import CategoryDelta, RuleDelta


def category_deltas(last: dict[str, Any], this: dict[str, Any]) -> list[CategoryDelta]:
    a = {c["id"]: c for c in last.get("categories") or []}
    b = {c["id"]: c for c in this.get("categories") or []}
    order = list(b) + [k for k in a if k not in b]
    return [
        CategoryDelta(
            k, (b.get(k) or a[k]).get("title", k), (a.get(k) or {}).get("score"), (b.get(k) or {}).get("score")
        )
        for k in order
    ]


def rule_deltas(last: dict[str, Any], this: dict[str, Any]) -> list[RuleDelta]:
    a = {f["rule_id"]: f for f in last.get("findings") or []}
    b = {f["rule_id"]: f for f in this.get("findings") or []}
    order = list(b) + [k for k in a if k not in b]
    return [
        RuleDelta(
            k, (b.get(k) or a[k]).get("title", ""), (a.get(k) or {}).get("status"), (b.get(k) or {}).get("status")
        )
        for k in order
    ]
