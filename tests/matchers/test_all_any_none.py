"""``type: all / any / none``: composition of children's statuses, hits and values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import evaluate, phrases, spec

A = phrases("行政执法公示", label="公示")
B = phrases("执法全过程记录", label="全过程记录")
GREY = {
    "type": "fuzzy",
    "phrases": ["重大执法决定法制审核"],
    "threshold": 95,
    "review_threshold": 60,
    "label": "法制审核",
}

BOTH = "全面落实行政执法公示、执法全过程记录制度。"
ONE = "全面落实行政执法公示制度。"
NONE = "全年开展普法活动30余场次。"
FUZZY_ONLY = "落实重大执法决定审核制度。"


@pytest.mark.parametrize(("text", "status"), [(BOTH, "met"), (ONE, "gap"), (NONE, "gap")])
def test_all(text: str, status: str) -> None:
    assert evaluate({"type": "all", "of": [A, B]}, text).status == status


def test_all_with_a_grey_child_is_needs_review() -> None:
    out = evaluate({"type": "all", "of": [A, GREY]}, ONE + FUZZY_ONLY)
    assert out.status == "needs_review"
    assert out.found == ("公示",)
    assert out.missing == ("法制审核",)


def test_all_reports_found_and_missing_labels() -> None:
    out = evaluate({"type": "all", "of": [A, B]}, ONE)
    assert out.found == ("公示",)
    assert out.missing == ("全过程记录",)


@pytest.mark.parametrize(("text", "status"), [(BOTH, "met"), (ONE, "met"), (NONE, "gap"), (FUZZY_ONLY, "needs_review")])
def test_any(text: str, status: str) -> None:
    assert evaluate({"type": "any", "of": [A, B, GREY]}, text).status == status


def test_any_hits_are_those_of_met_children() -> None:
    out = evaluate({"type": "any", "of": [A, B]}, BOTH)
    assert [h.label for h in out.hits] == ["行政执法公示", "执法全过程记录"]
    assert out.found == ("公示", "全过程记录")


@pytest.mark.parametrize(("text", "status"), [(BOTH, "gap"), (ONE, "gap"), (NONE, "met"), (FUZZY_ONLY, "needs_review")])
def test_none(text: str, status: str) -> None:
    assert evaluate({"type": "none", "of": [A, GREY]}, text).status == status


def test_children_inherit_scope_and_may_narrow_it() -> None:
    text = "一、主要举措和成效\n全面落实行政执法公示制度。\n二、下一年度工作安排\n全面落实执法全过程记录制度。\n"
    outer = {"type": "all", "of": [A, B], "scope": {"exclude_roles": ["next_year"]}}
    assert evaluate(outer, text).status == "gap"
    inner = {
        "type": "all",
        "of": [A, {**B, "scope": {"roles": ["next_year"]}}],
        "scope": {"exclude_roles": ["next_year"]},
    }
    # the child's roles replace nothing of exclude_roles: both are applied
    assert evaluate(inner, text).status == "gap"
    widened = {
        "type": "all",
        "of": [A, {**B, "scope": {"exclude_roles": []}}],
        "scope": {"exclude_roles": ["next_year"]},
    }
    assert evaluate(widened, text).status == "met"


def test_values_merge_first_wins() -> None:
    v1 = {"type": "value", "name": "count", "kind": "count", "anchor": phrases("集体学法")}
    v2 = {"type": "value", "name": "count", "kind": "count", "anchor": phrases("专题讲座")}
    out = evaluate({"type": "all", "of": [v1, v2]}, "集体学法6次,专题讲座3次。")
    assert out.status == "met"
    assert out.values == {"count": 6.0}


def test_empty_groups_are_rejected() -> None:
    for kind in ("all", "any", "none"):
        with pytest.raises(ValidationError):
            spec({"type": kind, "of": []})
