"""``type: cases``: a decision table; the first met case decides."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import evaluate, phrases, spec

COURT = {
    "type": "cases",
    "cases": [
        {
            "when": phrases("没有发生行政诉讼", "无行政诉讼案件", negation=False),
            "status": "not_applicable",
            "message": "全年无行政诉讼。",
        },
        {"when": phrases("出庭应诉"), "status": "met"},
        {"when": phrases("应诉"), "status": "needs_review", "message": "只提到应诉。"},
    ],
    "otherwise": "gap",
    "otherwise_message": "未写明出庭应诉情况({missing})。",
}


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("全年没有发生行政诉讼案件。", "not_applicable", "全年无行政诉讼。"),
        ("行政机关负责人出庭应诉率100%。", "met", None),
        ("积极做好应诉工作。", "needs_review", "只提到应诉。"),
        ("全年开展普法活动30余场次。", "gap", "未写明出庭应诉情况({missing})。"),
    ],
)
def test_first_met_case_decides(text: str, status: str, message: str | None) -> None:
    out = evaluate(COURT, text)
    assert out.status == status
    assert out.message == message


def test_order_matters() -> None:
    # both the first and the second case are met: the first wins
    out = evaluate(COURT, "全年没有发生行政诉讼案件,负责人出庭应诉制度健全。")
    assert out.status == "not_applicable"


def test_a_case_needs_met_not_needs_review() -> None:
    data = {
        "type": "cases",
        "cases": [
            {
                "when": {"type": "fuzzy", "phrases": ["出庭应诉"], "threshold": 100, "review_threshold": 50},
                "status": "met",
            }
        ],
        "otherwise": "not_applicable",
    }
    assert evaluate(data, "负责人出庭应答。").status == "not_applicable"


def test_values_are_collected_from_every_case_tried() -> None:
    data = {
        "type": "cases",
        "cases": [
            {
                "when": {
                    "type": "value",
                    "name": "rate",
                    "kind": "percent",
                    "anchor": phrases("出庭应诉率"),
                    "op": ">=",
                    "than": 90,
                },
                "status": "met",
            },
        ],
        "otherwise": "gap",
    }
    out = evaluate(data, "负责人出庭应诉率85%。")
    assert out.status == "gap"
    assert out.values == {"rate": 85.0}


def test_error_is_not_an_allowed_case_status() -> None:
    with pytest.raises(ValidationError):
        spec({"type": "cases", "cases": [{"when": phrases("x"), "status": "error"}]})
    with pytest.raises(ValidationError):
        spec({"type": "cases", "cases": []})
