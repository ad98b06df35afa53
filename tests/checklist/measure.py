"""Per-rule agreement with the labelled material in fixtures/ (seeds, unseen-style reports,
edited reports): how often each verdict matches the reading, and how well `gap` — the
charge of an omission — is given: precision (of the tool's gaps, how many the reading
confirms) and recall (of the reading's gaps, how many the tool finds).

``python -m tests.checklist.measure --write`` rewrites the measured block of
docs/rules/fazhi.md; tests/checklist/test_measured.py keeps it current.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import yaml

from .conftest import ROOT, SEEDS, audit_text

MARK = "<!-- measured by `python -m tests.checklist.measure --write`; do not edit by hand -->"
PAGE = ROOT / "docs" / "rules" / "fazhi.md"


def labelled() -> list[tuple[str, str, dict[str, str]]]:
    """(case name, report text, rule id → status the reading gives)."""
    from .test_edits import CASES, apply_edits

    out: list[tuple[str, str, dict[str, str]]] = []
    for folder in (SEEDS, ROOT / "fixtures" / "unseen", ROOT / "fixtures" / "field"):
        for path in sorted(folder.glob("*.expected.yaml")):
            exp: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
            text = (path.parent / exp["source"]).read_text(encoding="utf-8")
            out.append((path.name.split(".")[0], text, {k: v["status"] for k, v in exp["findings"].items()}))
    for case in CASES:
        text = apply_edits((SEEDS / case["base"]).read_text(encoding="utf-8"), case["edits"])
        out.append((case["id"], text, dict(case["expect"])))
    return out


def measure() -> dict[str, Counter[str]]:
    """rule id → counts: n, agree, tool_gap, read_gap, both_gap, false_gap (gap where the reading says met)."""
    per: dict[str, Counter[str]] = {}
    for _, text, expect in labelled():
        _, statuses, _ = audit_text(text)
        for rid, want in expect.items():
            got = statuses[rid]
            c = per.setdefault(rid, Counter())
            c["n"] += 1
            c["agree"] += got == want
            c["tool_gap"] += got == "gap"
            c["read_gap"] += want == "gap"
            c["both_gap"] += got == want == "gap"
            c["false_gap"] += got == "gap" and want == "met"
    return per


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "—"


def table(per: dict[str, Counter[str]], order: list[str]) -> str:
    lines = [
        "## 实测：与人工阅读结论的一致程度",
        "",
        "在 `fixtures/` 中全部有人工结论的材料上测得（真实报告（5 份种子报告、1 份原样抓取的报告）、"
        "10 份仿真报告、40 多个编辑过的报告；"
        "只统计人工写明结论的规则）。“缺失”的精确率：工具判为缺失的，人工也认为缺失的比例；"
        "召回率：人工认为缺失的，工具也判为缺失的比例；误判缺失：人工认为达标而工具判为缺失（最不应出现）。"
        "这些材料在编写规则时都已参考过，数字偏乐观；对未见过的报告，准确率须另行抽样核对。",
        "",
        "| 规则 | 结论数 | 一致 | 一致率 | “缺失”精确率 | “缺失”召回率 | 误判缺失 |",
        "|---|---|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for rid in order:
        c = per.get(rid)
        if not c:
            continue
        total.update(c)
        lines.append(
            f"| {rid} | {c['n']} | {c['agree']} | {_pct(c['agree'], c['n'])} | "
            f"{_pct(c['both_gap'], c['tool_gap'])} | {_pct(c['both_gap'], c['read_gap'])} | {c['false_gap']} |"
        )
    lines.append(
        f"| 合计 | {total['n']} | {total['agree']} | {_pct(total['agree'], total['n'])} | "
        f"{_pct(total['both_gap'], total['tool_gap'])} | {_pct(total['both_gap'], total['read_gap'])} | "
        f"{total['false_gap']} |"
    )
    return "\n".join(lines) + "\n"


def measured_block() -> str:
    from .conftest import fazhi

    return MARK + "\n\n" + table(measure(), [r.id for r in fazhi().rules])


def generated_part(page: str) -> str:
    """The page without its measured block."""
    return page.split("\n" + MARK, 1)[0].rstrip("\n") + "\n"


def write() -> None:
    from auditor.docs import rules_markdown

    from .conftest import fazhi

    PAGE.write_text(rules_markdown(fazhi()) + "\n" + measured_block(), encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write()
    else:
        sys.stdout.write(measured_block())
