"""Rules made ready once per checklist (``engine.RulePlan``): what a plan holds is the rule's,
what depends on the report is still worked out per report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.document import understand
from auditor.engine import GUARDED, RulePlan, _evaluated, audit, plans
from auditor.loader import load_checklist
from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import REPORT, make_rule

CHECKLISTS = ("fazhi", "gov-info-disclosure")


@pytest.mark.parametrize("name", CHECKLISTS)
def test_plans_are_made_once_per_checklist_in_rule_order(name: str) -> None:
    checklist = load_checklist(name)
    made = plans(checklist)
    assert plans(checklist) is made
    assert [p.rule for p in made] == list(checklist.rules)
    changed = replace(checklist, rules=checklist.rules[:3])  # as a configuration makes its own checklist
    assert [p.id for p in plans(changed)] == [r.id for r in checklist.rules[:3]]
    assert plans(checklist) is made


@pytest.mark.parametrize("name", CHECKLISTS)
def test_a_plan_holds_what_the_finding_takes_from_the_rule(name: str) -> None:
    checklist = load_checklist(name)
    for plan in plans(checklist):
        rule = plan.rule
        assert plan.searched == checklist.searched[rule.id] == rule.match.describe()
        assert plan.points == round(checklist.points.get(rule.id, 0.0), 4)
        assert plan.remediation == (None if "{" in rule.remediation else rule.remediation)
        assert plan.gap_headline == (rule.gap_title or rule.title)
        literals = rule.match.distinct_literals
        assert plan.near.phrases == tuple(p for p in literals if len(p) >= 3)
        assert plan.near.shortest == min((len(p) for p in literals), default=1)
        applies = rule.applies
        assert set(plan.gated) == {
            n for n in GUARDED if applies is not None and getattr(applies, "levels" if n == "level" else n)
        }


def test_placeholders_are_filled_for_each_report() -> None:
    """The remediation's and message's {Y+1} are the report's: one plan, two reports of different years."""
    rule = make_rule({"type": "phrases", "phrases": ["行政复议应诉"]}, gap_message="{Y}年未写明：{missing}")
    plan = RulePlan.of(rule, 5.0)
    assert plan.remediation is None
    index = PhraseIndex.build(rule.match.literals())
    got = {}
    for year in (2022, 2023):
        doc = understand(REPORT, year=year)
        finding, _ = _evaluated(plan, doc, index.for_text(doc.text), {}, {}, True)
        got[year] = (finding.status, finding.remediation, finding.message)
    assert got[2022] == ("gap", "在2023年3月31日前补充。", "2022年未写明：—")
    assert got[2023] == ("gap", "在2024年3月31日前补充。", "2023年未写明：—")


def test_a_rule_disabled_by_configuration_is_not_applicable_and_searches_nothing() -> None:
    checklist = load_checklist("fazhi")
    rule_id = checklist.rules[0].id
    disabled = replace(checklist, disabled={rule_id: "本地不要求"})
    finding = audit(understand(REPORT, year=2023), disabled).findings[0]
    assert finding.rule_id == rule_id and finding.status == "not_applicable"
    assert finding.message == "已按配置停用：本地不要求" and finding.searched == ""
    assert finding.evidence == () and finding.near_miss is None
    others = audit(understand(REPORT, year=2023), checklist).findings[1:]
    assert [f.to_dict() for f in audit(understand(REPORT, year=2023), disabled).findings[1:]] == [
        f.to_dict() for f in others
    ]
