"""``type: fuzzy``: approximate phrases with a needs_review grey zone."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from auditor.document import understand
from auditor.matchers.fuzzy import bigrams, candidate_sentences
from tests.helpers import context, evaluate, spec


def fuzzy(*ps: str, **kw) -> dict:
    return {"type": "fuzzy", "phrases": list(ps), **kw}


GREY = fuzzy("行政执法公示", threshold=90, review_threshold=70)


def test_exact_phrase_is_a_full_hit() -> None:
    out = evaluate(GREY, "全面落实行政执法公示制度。")
    assert out.status == "met"
    (hit,) = out.hits
    assert hit.score == 100 and not hit.review
    assert (hit.start, hit.end) == (4, 10)


def test_grey_zone_is_needs_review() -> None:
    out = evaluate(GREY, "全面落实行政执法公开制度。")
    assert out.status == "needs_review"
    (hit,) = out.hits
    assert 70 <= hit.score < 90 and hit.review
    assert [c.verdict for c in out.candidates] == ["review"]


def test_below_the_grey_zone_is_a_gap_with_a_candidate() -> None:
    out = evaluate(GREY, "全面落实执法信息公示制度。")
    assert out.status == "gap"
    assert out.hits == ()
    (cand,) = out.candidates
    assert cand.verdict == "below threshold" and cand.score < 70


def test_without_review_threshold_there_is_no_grey_zone() -> None:
    out = evaluate(fuzzy("行政执法公示", threshold=90), "全面落实行政执法公开制度。")
    assert out.status == "gap"
    assert [c.verdict for c in out.candidates] == ["below threshold"]


def test_unrelated_sentences_are_not_candidates() -> None:
    out = evaluate(GREY, "今年天气很好。全镇开展植树活动。")
    assert out.status == "gap"
    assert out.candidates == ()


def test_candidate_windows_are_sentences_sharing_half_the_bigrams() -> None:
    text = "全面落实行政执法公开制度。今年天气很好。执法公示栏已更新。"
    doc = understand(text, year=2023)
    s = spec(GREY)
    ctx = context(doc, s)
    windows = [doc.text[a:b] for a, b in candidate_sentences(ctx, "行政执法公示")]
    assert windows == ["全面落实行政执法公开制度。", "执法公示栏已更新。"]
    assert bigrams("行政执法") == {"行政", "政执", "执法"}
    assert bigrams("法") == {"法"}


def test_width_variants_are_folded() -> None:
    assert evaluate(fuzzy("１２３４５热线", threshold=90), "开通12345热线。").status == "met"


def test_negated_fuzzy_hit_is_ignored() -> None:
    out = evaluate(GREY, "尚未落实行政执法公示制度。")
    assert out.status == "gap"
    assert "negated" in [c.verdict for c in out.candidates]


def test_scope_applies_to_fuzzy_hits() -> None:
    text = "一、主要举措和成效\n全年开展执法检查12次,办理案件20件。\n二、下一年度工作安排\n全面落实行政执法公示制度。\n"
    assert evaluate(GREY, text).status == "met"
    scoped = fuzzy("行政执法公示", threshold=90, scope={"exclude_roles": ["next_year"]})
    out = evaluate(scoped, text)
    assert out.status == "gap"
    assert [c.verdict for c in out.candidates] == ["out of scope"]


def test_review_threshold_must_not_exceed_threshold() -> None:
    with pytest.raises(ValidationError):
        spec(fuzzy("x", threshold=80, review_threshold=90))
    with pytest.raises(ValidationError):
        spec(fuzzy("x", threshold=120))
