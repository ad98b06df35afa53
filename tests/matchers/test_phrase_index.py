"""The phrase index's one automaton pass, against finding each phrase with ``str.find``."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import seed_text

#: CJK, a character beyond the BMP and lone surrogates (text decoded with ``surrogateescape``)
_CHARS = "法治政府督察建设\n 😀\udc80\ud800"


def _found(phrase: str, text: str) -> list[int]:
    out, i = [], text.find(phrase)
    while i != -1:
        out.append(i)
        i = text.find(phrase, i + 1)
    return out


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=_CHARS, max_size=80),
    st.frozensets(st.text(alphabet="法治政府督察😀 ", min_size=1, max_size=4), max_size=8),
)
def test_every_occurrence_found_as_by_str_find(text: str, phrases: frozenset[str]) -> None:
    """Each phrase's starts, overlapping ones too, ascending; no entry for a phrase absent."""
    index = PhraseIndex.build(phrases).for_text(text)
    for p in phrases:
        assert index.find(p, text) == _found(p, text)
        assert index.occurs(p, text) == (p in text)
    assert set(index._hits or {}) == {p for p in phrases if p in text}


def test_a_report_indexed_as_each_phrase_found() -> None:
    text = seed_text("001")
    phrases = ["法治", "法治政府", "政府", "建设", "依法行政", "行政", "督察", "年度报告"]
    index = PhraseIndex.build(phrases).for_text(text)
    for p in phrases:
        assert index.find(p, text) == _found(p, text)
    assert index.find("法治", text)  # the report names it: the test is not vacuous


def test_pickled_without_its_automaton() -> None:
    """A checklist is cached and sent to workers pickled: its index goes without the automaton,
    which is built again on first use and finds the same."""
    index = PhraseIndex.build(["法治", "政府"])
    before = index.for_text("法治政府法治").find("法治", "")
    copy = pickle.loads(pickle.dumps(index))
    assert copy.for_text("法治政府法治").find("法治", "") == before == [0, 4]
    assert pickle.loads(pickle.dumps(index.for_text("法治"))).find("法治", "") == [0]


def test_no_phrases_no_hits() -> None:
    assert PhraseIndex.build([]).for_text("法治").find("法治", "法治") == [0]  # not indexed: str.find
