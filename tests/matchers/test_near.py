"""``type: near``: children within N characters, one sentence or one paragraph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from auditor.document import understand
from auditor.matchers.base import Context, Hit
from auditor.matchers.near import NearSpec
from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import evaluate, phrases, spec

MEETING = phrases("专题会议")
LAW = phrases("法治建设")


def near(within, *children, **kw) -> dict:
    return {"type": "near", "within": within, "of": list(children or (MEETING, LAW)), **kw}


SAME_SENTENCE = "召开专题会议研究法治建设。"
NEXT_SENTENCE = "召开专题会议。研究部署法治建设工作。"
FAR_IN_SENTENCE = "召开专题会议,会上研究了安全生产、环境保护、乡村振兴、招商引资等多项工作和法治建设。"
NEXT_LINE = "召开专题会议。\n部署法治建设。"


@pytest.mark.parametrize(
    ("text", "sentence", "paragraph", "ten", "forty"),
    [
        (SAME_SENTENCE, "met", "met", "met", "met"),
        (NEXT_SENTENCE, "gap", "met", "met", "met"),
        (FAR_IN_SENTENCE, "met", "met", "gap", "met"),
        (NEXT_LINE, "gap", "gap", "met", "met"),
    ],
)
def test_units(text: str, sentence: str, paragraph: str, ten: str, forty: str) -> None:
    assert [evaluate(near(w), text).status for w in ("sentence", "paragraph", 10, 40)] == [
        sentence,
        paragraph,
        ten,
        forty,
    ]


def test_default_is_the_same_sentence() -> None:
    assert evaluate({"type": "near", "of": [MEETING, LAW]}, NEXT_SENTENCE).status == "gap"


def test_missing_child_is_named() -> None:
    out = evaluate(near("sentence"), "召开专题会议研究安全生产。")
    assert out.status == "gap"
    assert out.missing == ("短语：法治建设",)


def test_places_are_the_evidence() -> None:
    out = evaluate(near("sentence"), "召开专题会议研究法治建设。全年开展普法。再次召开专题会议部署法治建设。")
    assert out.status == "met"
    assert len(out.hits) == 2
    assert all(h.label == "sentence" for h in out.hits)


def test_window_hit_spans_both_children() -> None:
    out = evaluate(near(10), "召开专题会议研究法治建设。")
    (hit,) = out.hits
    assert (hit.start, hit.end) == (2, 12)


def test_min_hits_counts_places() -> None:
    text = "召开专题会议研究法治建设。全年开展普法。"
    assert evaluate(near("sentence", min_hits=2), text).status == "gap"
    assert evaluate(near("sentence", min_hits=2), text + "再次召开专题会议部署法治建设。").status == "met"


def test_grey_hits_do_not_count() -> None:
    grey = {"type": "fuzzy", "phrases": ["法治建设"], "threshold": 100, "review_threshold": 50}
    assert evaluate(near("sentence", MEETING, grey), "召开专题会议研究法治工作建设。").status == "gap"


def test_negated_child_breaks_proximity() -> None:
    assert evaluate(near("sentence"), "未召开专题会议研究法治建设。").status == "gap"


def test_needs_two_children() -> None:
    with pytest.raises(ValidationError):
        spec({"type": "near", "of": [MEETING]})
    with pytest.raises(ValidationError):
        spec({"type": "near", "within": "page", "of": [MEETING, LAW]})


# ------------------------------------------------ places: the same as intersecting every group's units

ROOT = Path(__file__).resolve().parents[2]
DOCS = [understand(p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("fixtures/seeds/*.txt"))]


def _every_unit(groups: list[list[Hit]], unit: Callable[[int], tuple[int, int] | None]) -> list[tuple[int, int]]:
    keyed = [{u for u in (unit(h.start) for h in g) if u is not None} for g in groups]
    return sorted(set.intersection(*keyed))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(range(len(DOCS))),
    st.lists(st.lists(st.floats(0, 1), min_size=1, max_size=40), min_size=2, max_size=3),
    st.sampled_from(["sentence", "paragraph"]),
)
def test_places_are_the_units_every_group_has_a_hit_in(doc_no: int, where: list[list[float]], within: str) -> None:
    """Only the hits starting inside the smallest group's units are looked at; the places are
    those of intersecting every group's units (hits anywhere, in any order, also in gaps)."""
    doc = DOCS[doc_no]
    groups = [[Hit(int(f * len(doc.text)), int(f * len(doc.text)) + 2) for f in g] for g in where]
    node = NearSpec.model_validate(near(within))
    ctx = Context(doc, PhraseIndex.build(()).for_text(doc.text))
    unit = doc.sentence_at if within == "sentence" else doc.paragraph_at
    assert [(h.start, h.end) for h in node._places(ctx, groups)] == _every_unit(groups, unit)
