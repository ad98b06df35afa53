"""The repetition test stops reading once enough distinct sentences are seen, and still says
what the plain definition says.

``doctype.repetition`` counts the prose sentences (12 characters or more, stripped) and their
distinct texts; a text repeats itself when fewer than REPEAT_SHARE of them are distinct. It
stops as soon as the distinct ones reach REPEAT_SHARE of the sentence spans that could be
prose. Below, pages pasted from a few sentences, each repeated a generated number of times, with
and without a title, must get the plain definition's answer (and message).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.doctype import MIN_DISTINCT, MIN_PROSE, REPEAT_SHARE, repetition
from auditor.document import Document, understand
from tests.helpers import SEED_FILES


def _plain(doc: Document) -> str | None:
    sentences = [t for a, b in doc.sentences if len(t := doc.text[a:b].strip()) >= MIN_PROSE]
    if len(sentences) < 10:
        return None
    distinct = len(set(sentences))
    if distinct >= REPEAT_SHARE * len(sentences) or (doc.metadata.title and distinct >= MIN_DISTINCT):
        return None
    return f"正文{len(sentences)}句中只有{distinct}句互不相同，不像一份报告"


_SENTENCES = [s + "。" for s in SEED_FILES[0].read_text(encoding="utf-8").split("。") if s.strip()][:60]
_SHORT = ["是。", "一、总体情况\n", "合计 12 3\n"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_SENTENCES + _SHORT), st.integers(1, 30)), min_size=1, max_size=40),
    st.booleans(),
)
def test_repetition_equals_the_plain_definition(pieces: list[tuple[str, int]], titled: bool) -> None:
    body = "".join(sentence * times for sentence, times in pieces)
    doc = understand(("某镇人民政府关于2023年法治政府建设情况的报告\n" if titled else "") + body)
    assert repetition(doc) == _plain(doc)


def test_a_page_of_few_sentences_repeats_itself() -> None:
    doc = understand("".join(s * 20 for s in _SENTENCES[:3]))
    assert repetition(doc) is not None and "互不相同" in str(repetition(doc))
