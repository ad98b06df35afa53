"""``type: tokens``: spaCy Matcher patterns on the blank Chinese pipeline (character tokens)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.helpers import evaluate, spec

STUDY = {
    "type": "tokens",
    "patterns": [[{"TEXT": "学"}, {"TEXT": "法"}, {"LIKE_NUM": True, "OP": "+"}, {"TEXT": {"IN": ["次", "场"]}}]],
}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("集体学法6次。", "met"),
        ("集体学法12次。", "met"),  # digits are one token each: OP "+"
        ("集体学法六次。", "met"),  # LIKE_NUM knows Chinese digits
        ("集体学法３场。", "met"),  # full-width digits folded first
        ("集体学法多次。", "gap"),
        ("集体学法6人。", "gap"),
    ],
)
def test_character_level_patterns(text: str, status: str) -> None:
    assert evaluate(STUDY, text).status == status


def test_hit_spans_are_characters() -> None:
    out = evaluate(STUDY, "中心组集体学法12次。")
    (hit,) = out.hits
    assert (hit.start, hit.end) == (5, 10)


def test_one_token_per_character() -> None:
    data = {"type": "tokens", "patterns": [[{"TEXT": "述法"}]]}
    assert evaluate(data, "开展年终述法。").status == "gap"  # no multi-character tokens
    data = {"type": "tokens", "patterns": [[{"TEXT": "述"}, {"TEXT": "法"}]]}
    assert evaluate(data, "开展年终述法。").status == "met"


def test_negation_and_scope_apply() -> None:
    data = {"type": "tokens", "patterns": [[{"TEXT": "述"}, {"TEXT": "法"}]]}
    assert evaluate(data, "我镇尚未开展述法工作。").status == "gap"
    text = "一、主要举措和成效\n全年开展执法检查12次。\n二、下一年度工作安排\n全面推行述法制度。\n"
    scoped = {**data, "scope": {"exclude_roles": ["next_year"]}}
    assert evaluate(data, text).status == "met"
    assert evaluate(scoped, text).status == "gap"


@pytest.mark.parametrize(
    "patterns",
    [[[]], [[{"NOT_AN_ATTR": "x"}]], [[{"TEXT": "a", "OP": "??"}]]],
)
def test_invalid_patterns_are_rejected(patterns) -> None:
    with pytest.raises(ValidationError):
        spec({"type": "tokens", "patterns": patterns})
