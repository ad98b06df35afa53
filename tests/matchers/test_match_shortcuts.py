"""Shortcuts of rule matching, each against the plain computation it replaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.matchers.base import _NEG_CUES, is_negated, negation_patterns_match
from auditor.matchers.phrase_index import PhraseIndex

_WORDS = st.text(alphabet="法治督察未不", min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="法治督察未不。", max_size=60),
    st.frozensets(_WORDS, max_size=5),
    st.frozensets(_WORDS, min_size=1, max_size=5),
)
def test_any_phrase_occurs_as_each_phrase_looked_up(text: str, indexed: frozenset[str], asked: frozenset[str]) -> None:
    """``occurs_any`` answers as ``any(occurs(...))``, whether the phrases asked about are
    indexed, partly indexed or not at all, and again from the memo of unindexed phrases."""
    index = PhraseIndex.build(indexed).for_text(text)
    expected = any(index.occurs(p, text) for p in asked)
    assert index.occurs_any(asked, text) == expected
    assert index.occurs_any(asked, text) == expected
    assert PhraseIndex.build(indexed).occurs_any(asked, text) == any(p in text for p in asked)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="没有未开展不是无法非治述，。", max_size=50), st.data())
def test_negation_cue_found_as_in_the_window(text: str, data: st.DataObject) -> None:
    """The cue character is searched in place of slicing the window and testing each cue."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    window = text[max(0, start - 14) : end + 14]
    plain = any(c in window for c in _NEG_CUES) and negation_patterns_match(text, start, end)
    assert is_negated(text, start, end) == plain


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="法治督察未不。", max_size=60),
    st.frozensets(_WORDS, max_size=5),
    st.frozensets(_WORDS, min_size=1, max_size=5),
)
def test_starts_of_any_phrase_as_each_phrase_found(text: str, indexed: frozenset[str], asked: frozenset[str]) -> None:
    """``starts`` gives the distinct starts of every phrase, ascending, as finding each does."""
    for index in (PhraseIndex.build(indexed).for_text(text), PhraseIndex.build(indexed)):
        expected = sorted({i for p in asked for i in index.find(p, text)})
        assert index.starts(asked, text) == expected
        assert index.starts(asked, text) == expected
