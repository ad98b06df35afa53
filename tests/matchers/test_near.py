"""``type: near``: children within N characters, one sentence or one paragraph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from auditor.document import understand
from auditor.matchers.base import Context, Hit, Lean
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


_PIECES = [
    "法律顾问",
    "审查合同",
    "合同",
    "未",
    "没有",
    "不",
    "。",
    ",",
    "\n",
    "规范性文件",
    "备案",
    "一村一法律顾问",
    "研究",
]
_LEAN_CHILDREN = [
    {"type": "regex", "patterns": ["法律顾问|公职律师"], "exclude": ["一村一法律顾问"]},
    {"type": "regex", "patterns": ["合同|审查|备案|研究"]},
    {"type": "regex", "patterns": ["规范性文件"], "negation": False},
    {"type": "regex", "patterns": ["审查[^。]{0,3}合同"], "scope": {"exclude_roles": ["shortcomings"]}},
    {"type": "regex", "patterns": ["合同", "备案"]},  # two patterns: no lean path
    {"type": "regex", "patterns": ["顾问"]},  # inside another child's hits: reached from before its start
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=60),
    st.lists(st.sampled_from(range(len(_LEAN_CHILDREN))), min_size=2, max_size=3),
    st.sampled_from(["sentence", "paragraph", 0, 1, 3, 12]),
    st.integers(1, 3),
    st.integers(0, 2),
)
def test_lean_near_is_the_full_outcome_without_candidates(
    pieces: list[str], children: list[int], within: str | int, min_hits: int, min_sentences: int
) -> None:
    """With ``Context.lean`` a near of one-pattern regexes filters the broad children's hits only
    where they could count: its outcome equals the full one in everything but the candidates:
    never the accepted ones (a near miss reads only rejected ones), and all of them it may leave
    out only when it is met (a gap is evaluated in full), and does whenever every child has one
    pattern."""
    text = "一、工作情况\n" + "".join(pieces) + "\n二、存在的不足\n" + "".join(reversed(pieces)) + "。"
    doc = understand(text)
    kw = {"min_sentences": min_sentences} if within == "paragraph" else {}
    node = spec(near(within, *(_LEAN_CHILDREN[i] for i in children), min_hits=min_hits, **kw))
    index = PhraseIndex.build(node.literals()).for_text(doc.text)
    full = node.evaluate(Context(doc, index))
    lean = node.evaluate(Context(doc, index, lean=Lean()))
    assert (lean.status, lean.hits, lean.values, lean.found, lean.missing, lean.message) == (
        full.status,
        full.hits,
        full.values,
        full.found,
        full.missing,
        full.message,
    )
    rejected = tuple(c for c in full.candidates if c.verdict.rejection is not None)
    assert lean.candidates == rejected or lean.status == "met"
    if full.status == "met" and all(len(_LEAN_CHILDREN[i]["patterns"]) == 1 for i in children):
        assert lean.candidates == ()  # the lean path found the places itself


@pytest.mark.parametrize(
    ("within", "children"),
    [(0, (5, 0)), (1, (0, 5)), ("sentence", (1, 0)), ("paragraph", (0, 1, 3))],
)
def test_lean_near_finds_the_places_itself(within: str | int, children: tuple[int, ...]) -> None:
    """The lean path finds the places (no candidates) also for a hit that starts before the
    anchor it is close to (顾问 inside 法律顾问) and for the broad child's hits in the units."""
    doc = understand("一、工作情况\n聘请法律顾问审查合同。")
    node = spec(near(within, *(_LEAN_CHILDREN[i] for i in children)))
    index = PhraseIndex.build(node.literals()).for_text(doc.text)
    full = node.evaluate(Context(doc, index))
    lean = node.evaluate(Context(doc, index, lean=Lean()))
    assert full.status == lean.status == "met"
    assert lean.hits == full.hits
    assert full.candidates
    assert lean.candidates == ()
