"""A report's evidence quoted in one call (``Document.quotes``, ``NormText.spans_to_source``) equals
quoting each span alone: ``Document.evidence`` and the sentence around it, by their definitions."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import Document, understand
from auditor.document.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted(ROOT.glob("fixtures/seeds/*.txt"))[0]

# pieces that make normalisation drop and keep spaces, fold widths, and split sentences and lines
_PIECES = [
    "一、总体情况",
    "依法行政。",
    "全面  推进",
    "ＡＢＣ",
    " ",
    "\n",
    "\r\n",
    "；",
    "（一）",
    "2023年",
    "法治 政府",
    "。\n",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40).map("".join)


def _context_by_definition(doc: Document, start: int, end: int, room: int) -> str:
    """The sentence around a span from the source text, at most ``room`` characters (the engine's
    ``_context`` before quotes were taken in one call)."""
    sentence = doc.sentence_at(start)
    s, e = (min(start, sentence[0]), max(end, sentence[1])) if sentence else (start, end)
    if e - s > room:
        half = max(0, (room - (end - start)) // 2)
        s, e = max(s, start - half), min(e, end + half)
    s, e = doc.norm.span_to_source(s, e)
    text = doc.source[s:e]
    return " ".join(text.split()) if "\n" in text else text


@st.composite
def _text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(_TEXTS)
    size = len(normalize(text).text)
    points = st.integers(0, size)
    spans = draw(st.lists(st.tuples(points, points), max_size=12))
    return text, [(min(a, b), max(a, b)) for a, b in spans]


@settings(max_examples=300, deadline=None)
@given(_text_and_spans(), st.sampled_from([4, 20, 160]))
def test_quotes_are_each_span_quoted_alone(case: tuple[str, list[tuple[int, int]]], room: int) -> None:
    text, spans = case
    doc = understand(text)
    spans = [(s, e) for s, e in spans if s < e]
    alone = [(doc.evidence(s, e), _context_by_definition(doc, s, e, room)) for s, e in spans]
    assert doc.quotes(spans, room) == alone


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.lists(st.tuples(st.integers(-2, 200), st.integers(-2, 200)), max_size=12))
def test_spans_are_mapped_to_the_source_as_one_by_one(text: str, spans: list[tuple[int, int]]) -> None:
    """Empty spans, reversed ones and ends past the text included, against the definition: the source
    span from the first character's source offset to just after the last one's (``to_source``)."""
    norm = normalize(text)
    spans = [(s, e) for s, e in spans if 0 <= s <= len(norm.text)]

    def by_definition(start: int, end: int) -> tuple[int, int]:
        first = norm.to_source(start)
        return (first, first) if end <= start else (first, norm.to_source(end - 1) + 1)

    expected = [by_definition(s, e) for s, e in spans]
    assert norm.spans_to_source(spans) == expected
    assert [norm.span_to_source(s, e) for s, e in spans] == expected


def test_a_report_quoted_in_one_call_as_span_by_span() -> None:
    doc = understand(SEED.read_text(encoding="utf-8"))
    spans = [(s[0], min(s[1], s[0] + 12)) for s in doc.sentences[::3]] + [(doc.sentences[0][0], doc.sentences[2][1])]
    assert len(spans) > 10
    quoted = doc.quotes(spans, 160)
    assert quoted == [(doc.evidence(s, e), _context_by_definition(doc, s, e, 160)) for s, e in spans]
    assert any(ev.section for ev, _ in quoted) and all(ev.line >= 1 for ev, _ in quoted)
