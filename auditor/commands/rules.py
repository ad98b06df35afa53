"""``auditor rules list|test|schema|docs``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from auditor.checklist import ChecklistFile
from auditor.config import Config
from auditor.errors import ExitCode
from auditor.selection import checklist_for, checklists_for


def list_rules(rules: list[str], checklist: str | None) -> None:
    """The rules as a report would be audited here (auditor.toml applied, level profiles aside)."""
    from auditor.config import effective, load_config

    config = load_config(None)
    c = effective(checklist_for(rules, checklist, config), config, None)
    print(f"{c.id} {c.header.version}  {c.header.title}  ({len(c.rules)} rules)")
    for r in c.rules:
        flag = " blocking" if r.blocking else ""
        off = f"  [disabled: {c.disabled[r.id]}]" if r.id in c.disabled else ""
        print(f"{r.id:<10} {r.category:<5} {r.severity:<6} w={r.weight:<4g}{flag}  {r.title}{off}")


def test_rules(paths: list[str], rule_ids: set[str]) -> int:
    """Run the examples of each checklist; print failures as file:line; 'N passed, M failed'."""
    from auditor.selftest import run_examples

    checklists = checklists_for(paths, None, Config())
    passed = failed = 0
    for c in checklists:
        for res in run_examples(c, rule_ids or None):
            if res.ok:
                passed += 1
                continue
            failed += 1
            snippet = res.text.strip().replace("\n", " ⏎ ")
            snippet = snippet if len(snippet) <= 60 else snippet[:57] + "…"
            print(f"{res.location}: {res.rule_id} {res.kind}[{res.index}] FAILED: {res.problem}\n    text: {snippet}")
    print(f"{passed} passed, {failed} failed")
    return int(ExitCode.GATE_FAILED) if failed else 0


def schema_dict() -> dict[str, object]:
    s = ChecklistFile.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["title"] = "auditor checklist / rule file"
    return s


def schema(output: str | None) -> None:
    text = json.dumps(schema_dict(), ensure_ascii=False, indent=2) + "\n"
    if output:
        from auditor.report.atomic import write_atomic

        Path(output).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(Path(output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def docs(rules: list[str], checklist: str | None, output: str | None) -> None:
    from auditor.docs import rules_markdown

    text = rules_markdown(checklist_for(rules, checklist, Config()))
    if output:
        from auditor.report.atomic import write_atomic

        Path(output).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(Path(output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
