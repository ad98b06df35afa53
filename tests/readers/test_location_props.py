"""Properties of the offset → location map (document/location.py) and of the readers that write it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.location import Location, SourceMap, line_marks
from auditor.readers.paragraphs import LayoutLine, pages_to_located
from auditor.readers.textnorm import finish_text, removed_by_finish

places = st.builds(
    Location,
    page=st.none() | st.integers(1, 50),
    paragraph=st.none() | st.integers(1, 500),
    heading=st.none() | st.text(max_size=8),
)
marks = st.lists(st.tuples(st.integers(0, 300), st.none() | places), max_size=40)


def _naive(marks: list[tuple[int, Location | None]], offset: int) -> Location | None:
    """The last mark at or before ``offset`` (of several at one offset, the last given)."""
    found: Location | None = None
    best = -1
    for start, place in marks:
        if best <= start <= offset:
            best, found = start, place
    return found


@given(marks, st.lists(st.integers(0, 320), max_size=30))
def test_lookup_is_the_last_mark_at_or_before(
    given_marks: list[tuple[int, Location | None]], offsets: list[int]
) -> None:
    smap = SourceMap.of(given_marks)
    assert list(smap.starts) == sorted(smap.starts)
    assert len(smap.starts) <= len(given_marks)  # compact: no more entries than marks
    for offset in offsets:
        assert smap.at(offset) == _naive(given_marks, offset)


@given(st.lists(st.integers(0, 3), max_size=12), st.lists(places, min_size=1, max_size=3), st.integers(0, 40))
def test_marks_sharing_one_place_object_give_the_same_map(picks: list[int], pool: list[Location], gap: int) -> None:
    """A reader may note one Location object for many marks (paragraphs: one per page): the map is
    that of a copy per mark."""
    shared = [(gap * number, pool[pick % len(pool)]) for number, pick in enumerate(picks)]
    copied = [(start, Location(**place.to_dict())) for start, place in shared]  # type: ignore[arg-type]
    assert SourceMap.of(shared) == SourceMap.of(copied)


@given(st.lists(st.text(alphabet="ab 说\r\u2028", max_size=12), min_size=1, max_size=15), st.booleans())
def test_marks_survive_the_line_end_clean_up(lines: list[str], bom: bool) -> None:
    """Each line's mark still points at that line's first character after CRLF → LF and BOM removal."""
    raw_lines = [f"{i}{line}" for i, line in enumerate(lines)]  # a line starts with its number
    text, given_marks = line_marks((line, [(0, Location(paragraph=i + 1))]) for i, line in enumerate(raw_lines))
    text = text.replace("\n", "\r\n")
    given_marks = [(at + i, place) for i, (at, place) in enumerate(given_marks)]  # each earlier "\r" adds one
    if bom:
        text = "\ufeff" + text
        given_marks = [(at + 1, place) for at, place in given_marks]
    smap = SourceMap.of(given_marks).shifted(removed_by_finish(text))
    finished = finish_text(text + "x", 10_000)
    for start, place in zip(smap.starts, smap.places, strict=True):
        assert place is not None and finished[start:].startswith(str(place.paragraph - 1))


@settings(max_examples=60, deadline=None)  # up to ~1,500 draws an example: slow under load, not a bug
@given(st.lists(st.lists(st.integers(0, 30), min_size=0, max_size=8), min_size=1, max_size=6), st.data())
def test_every_character_of_a_pdf_text_has_its_page(shape: list[list[int]], data: st.DataObject) -> None:
    """Pages written in page-specific letters: joined into paragraphs (no geometry: the punctuation
    rule glues lines), every letter of the text is on the page the map says."""
    pages = []
    for number, lengths in enumerate(shape, 1):
        letters = [chr(0x4E00 + 40 * number + k) for k in range(30)]
        lines = []
        for length in lengths:
            body = "".join(data.draw(st.sampled_from(letters)) for _ in range(length + 1))
            lines.append(LayoutLine(body + data.draw(st.sampled_from(["", "。", " "]))))
        pages.append(lines)
    text, smap = pages_to_located(pages)
    for offset, ch in enumerate(text):
        if "\u4e00" <= ch <= "\u9fff":
            place = smap.at(offset)
            assert place is not None and place.page == (ord(ch) - 0x4E00) // 40, (offset, ch)
