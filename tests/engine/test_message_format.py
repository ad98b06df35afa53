"""Message templates and quoted contexts: the fast paths equal the computation they stand for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import Document, understand
from auditor.engine import CONTEXT_CHARS, _context, _format
from auditor.matchers.base import Outcome
from auditor.vocabulary import Status

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["Y", "Y+1", "missing", "found", "rate", "count", "deadline", "unknown_1"]


def formatted(template: str, outcome: Outcome, base: dict[str, Any]) -> str:
    """The definition: every {name} replaced by the outcome's value (a whole number without
    ".0"), else {missing}/{found} joined with 、 (— when empty), else ``base``; else left as is."""
    fields = {**base, "missing": "、".join(outcome.missing) or "—", "found": "、".join(outcome.found) or "—"}
    fields.update({k: (int(v) if float(v).is_integer() else v) for k, v in outcome.values.items()})
    return re.sub(r"\{([A-Za-z_+0-9]+)\}", lambda m: str(fields.get(m.group(1), m.group(0))), template)


_TEXT = st.text(alphabet="年{}报告 a_+1", max_size=6)
_PIECE = st.one_of(_TEXT, st.sampled_from(NAMES).map(lambda n: "{" + n + "}"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECE, max_size=8).map("".join),
    st.dictionaries(st.sampled_from(["rate", "count", "Y", "missing"]), st.floats(-1e6, 1e6, allow_nan=False)),
    st.lists(st.sampled_from(["公众参与", "专家论证", "{x}"]), max_size=3).map(tuple),
    st.lists(st.sampled_from(["合法性审查", "集体讨论"]), max_size=3).map(tuple),
    st.dictionaries(st.sampled_from(["Y", "Y+1", "deadline", "found"]), st.sampled_from([2023, "Y", "3月31日"])),
)
def test_format_fills_placeholders_by_definition(
    template: str, values: dict[str, float], missing: tuple[str, ...], found: tuple[str, ...], base: dict[str, Any]
) -> None:
    outcome = Outcome(Status.gap, values=values, missing=missing, found=found)
    assert _format(template, outcome, base) == formatted(template, outcome, base)


def context_by_definition(doc: Document, start: int, end: int) -> str:
    """The sentence around the match in the source text, cut to CONTEXT_CHARS around the match."""
    sentence = doc.sentence_at(start)
    s, e = (min(start, sentence[0]), max(end, sentence[1])) if sentence else (start, end)
    if e - s > CONTEXT_CHARS:
        room = max(0, (CONTEXT_CHARS - (end - start)) // 2)
        s, e = max(s, start - room), min(e, end + room)
    s, e = doc.norm.span_to_source(s, e)
    return " ".join(doc.source[s:e].split()) if "\n" in doc.source[s:e] else doc.source[s:e]


DOC = understand((ROOT / "fixtures/seeds").glob("*.txt").__next__().read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.integers(0, len(DOC.text) - 1), st.integers(0, 400)),
            # a span inside a sentence, where the context is remembered
            st.tuples(st.sampled_from(DOC.sentences), st.integers(0, 200), st.integers(0, 40)).map(
                lambda t: (min(t[0][0] + t[1], t[0][1] - 1), t[2])
            ),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_contexts_shared_per_sentence_equal_their_definition(spans: list[tuple[int, int]]) -> None:
    """Contexts are remembered per sentence and report: whatever spans came before, each equals its definition."""
    cache: dict[Any, Any] = {}
    for start, length in spans:
        end = min(len(DOC.text), start + length)
        assert _context(DOC, start, end, cache) == context_by_definition(DOC, start, end)
