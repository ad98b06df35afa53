"""``type: absent``: a prohibition, met when the child finds nothing."""

from __future__ import annotations

from tests.helpers import evaluate, phrases, regex

OLD_BODY = {"type": "absent", "of": phrases("法制办", exclude=["原法制办"])}


def test_met_when_nothing_found() -> None:
    out = evaluate(OLD_BODY, "全年开展普法活动30余场次。")
    assert out.status == "met"
    assert out.hits == ()


def test_gap_quotes_the_offending_text() -> None:
    out = evaluate(OLD_BODY, "在市法制办的指导下开展工作。")
    assert out.status == "gap"
    assert [h.label for h in out.hits] == ["法制办"]


def test_look_alike_is_fine() -> None:
    assert evaluate(OLD_BODY, "原法制办人员已划转至司法局。").status == "met"


def test_grey_zone_stays_needs_review() -> None:
    data = {
        "type": "absent",
        "of": {"type": "fuzzy", "phrases": ["行政执法公示"], "threshold": 95, "review_threshold": 70},
    }
    assert evaluate(data, "全面落实行政执法公开制度。").status == "needs_review"
    assert evaluate(data, "全面落实行政执法公示制度。").status == "gap"


def test_placeholder_residue() -> None:
    data = {"type": "absent", "of": regex(r"XX|××|某某|\*次|【\s*】", negation=False)}
    assert evaluate(data, "全年开展普法活动XX场次。").status == "gap"
    assert evaluate(data, "全年开展普法活动30场次。").status == "met"
    assert evaluate(data, "全年开展普法活动*次。").status == "gap"


def test_scope_of_the_child_is_applied() -> None:
    text = "一、主要举措和成效\n全年开展普法活动30场次。\n二、下一年度工作安排\n配合市法制办开展工作。\n"
    data = {"type": "absent", "of": {**phrases("法制办"), "scope": {"exclude_roles": ["next_year"]}}}
    assert evaluate(data, text).status == "met"
