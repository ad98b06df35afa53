"""``type: at_least``: n of the children, a count value, review_at, missing labels."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import evaluate, phrases, spec

PROCEDURES = ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定"]
SPEC = {
    "type": "at_least",
    "n": 3,
    "review_at": 2,
    "value": "count",
    "of": [phrases(p, label=p) for p in PROCEDURES],
}


@pytest.mark.parametrize(
    ("text", "status", "count", "missing"),
    [
        ("重大决策经公众参与、专家论证、风险评估、合法性审查、集体讨论决定。", "met", 5, ()),
        ("重大决策经公众参与、专家论证、合法性审查。", "met", 3, ("风险评估", "集体讨论决定")),
        ("重大决策经公众参与、专家论证。", "needs_review", 2, ("风险评估", "合法性审查", "集体讨论决定")),
        ("重大决策经公众参与。", "gap", 1, ("专家论证", "风险评估", "合法性审查", "集体讨论决定")),
        ("全年开展普法活动30余场次。", "gap", 0, tuple(PROCEDURES)),
    ],
)
def test_counts_met_children(text: str, status: str, count: int, missing: tuple[str, ...]) -> None:
    out = evaluate(SPEC, text)
    assert out.status == status
    assert out.values == {"count": float(count)}  # exported even when 0
    assert out.missing == missing
    assert len(out.found) == count


def test_without_review_at_two_of_three_is_a_gap() -> None:
    data = {k: v for k, v in SPEC.items() if k != "review_at"}
    assert evaluate(data, "重大决策经公众参与、专家论证。").status == "gap"


def test_grey_children_can_reach_needs_review() -> None:
    grey = {
        "type": "fuzzy",
        "phrases": ["社会稳定风险评估"],
        "threshold": 95,
        "review_threshold": 60,
        "label": "风险评估",
    }
    data = {"type": "at_least", "n": 3, "value": "count", "of": [phrases("公众参与"), phrases("专家论证"), grey]}
    out = evaluate(data, "重大决策经公众参与、专家论证、社会风险评估。")
    assert out.status == "needs_review"
    assert out.values == {"count": 2.0}


def test_negated_and_out_of_scope_children_do_not_count() -> None:
    text = (
        "一、主要举措和成效\n重大决策经公众参与、专家论证,但尚未开展风险评估。\n"
        "二、下一年度工作安排\n全面落实合法性审查、集体讨论决定制度。\n"
    )
    data = {**SPEC, "scope": {"exclude_roles": ["next_year"]}}
    out = evaluate(data, text)
    assert out.values == {"count": 2.0}
    assert out.status == "needs_review"


def test_labels_default_to_descriptions() -> None:
    data = {"type": "at_least", "n": 2, "of": [phrases("公众参与"), phrases("专家论证")]}
    out = evaluate(data, "重大决策经公众参与。")
    assert out.missing == ("短语：专家论证",)


def test_unreachable_n_and_bad_review_at_are_rejected() -> None:
    with pytest.raises(ValidationError, match="永远达不到"):
        spec({"type": "at_least", "n": 3, "of": [phrases("a"), phrases("b")]})
    with pytest.raises(ValidationError, match="review_at 应小于 n"):
        spec({"type": "at_least", "n": 2, "review_at": 2, "of": [phrases("a"), phrases("b")]})
    with pytest.raises(ValidationError):
        spec({"type": "at_least", "n": 0, "of": [phrases("a")]})
