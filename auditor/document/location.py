"""Where a piece of the extracted text is in the author's own file (pure).

A reader writes text and, as it goes, notes where each stretch came from: the PDF/OFD page,
the .docx paragraph (or table, row and column), the web page's nearest heading, the
Markdown source line. :class:`SourceMap` keeps those notes as a sorted list of
``(start offset, Location)``: the place of any offset of the extracted text is the last note
at or before it (one bisect). Evidence offsets are offsets of the extracted text (the
normalisation map of :mod:`auditor.document.normalize` has already been undone by
``Document.evidence``), so a lookup needs nothing else. For plain text the file's line is the
extracted text's line (``by_line``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_INT_KEYS = ("page", "paragraph", "table", "row", "column", "line")


@dataclass(frozen=True)
class Location:
    """A place in the author's file; only the fields that apply are set."""

    page: int | None = None  # PDF/OFD page, 1-based, as a viewer counts them
    paragraph: int | None = None  # .docx body paragraph (outside tables), 1-based, empty ones included
    table: int | None = None  # .docx table, 1-based in document order
    row: int | None = None
    column: int | None = None
    heading: str | None = None  # web page: the nearest heading (h1–h6) before the text
    line: int | None = None  # .txt/.md: the line of the file

    def to_dict(self) -> dict[str, int | str]:
        """The fields that are set, in field order (the JSON ``location`` object; a frozen
        dataclass's ``__dict__`` holds its fields in field order)."""
        return {name: value for name, value in self.__dict__.items() if value is not None}

    @classmethod
    def from_dict(cls, data: object) -> Location | None:
        """A location read back from JSON (unknown keys and ill-typed values are left out)."""
        if not isinstance(data, Mapping):
            return None
        kept: dict[str, Any] = {
            k: data[k] for k in _INT_KEYS if isinstance(data.get(k), int) and not isinstance(data.get(k), bool)
        }
        if isinstance(data.get("heading"), str):
            kept["heading"] = data["heading"]
        return cls(**kept) if kept else None


Mark = tuple[int, Location | None]


@dataclass(frozen=True)
class SourceMap:
    """Offsets of an extracted text → places in the source file.

    ``places[k]`` holds from ``starts[k]`` up to the next start; ``None`` marks text that is
    in no place of the author's (a title put back in front of a web page's article)."""

    starts: tuple[int, ...] = ()
    places: tuple[Location | None, ...] = ()
    by_line: bool = False
    #: for ``by_line``: the place of each line looked up so far (one Location per line, not per
    #: piece of evidence: a frozen dataclass of seven fields costs ≈ 2 µs to build)
    _line_places: dict[int, Location] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, marks: Iterable[Mark]) -> SourceMap:
        """A map from marks in any order; a mark repeating the place before it is dropped."""
        starts: list[int] = []
        places: list[Location | None] = []
        for start, place in sorted(marks, key=lambda m: m[0]):
            if starts and starts[-1] == start:
                places[-1] = place  # the later mark at one offset wins
            elif not places or (places[-1] is not place and places[-1] != place):  # one object: no field compared
                starts.append(start)
                places.append(place)
        return cls(tuple(starts), tuple(places))

    @classmethod
    def lines(cls) -> SourceMap:
        """Plain text: the file's lines are the extracted text's lines."""
        return cls(by_line=True)

    def at(self, offset: int, line: int | None = None) -> Location | None:
        """The place of ``offset`` (``line``: its line in the extracted text, for ``by_line``)."""
        if self.by_line:
            if not line:
                return None
            place = self._line_places.get(line)
            if place is None:
                place = self._line_places[line] = Location(line=line)
            return place
        k = bisect.bisect_right(self.starts, offset) - 1
        return self.places[k] if k >= 0 else None

    def shifted(self, removed: Sequence[int]) -> SourceMap:
        """The map after the characters at the sorted offsets ``removed`` were deleted from the text."""
        if not removed or self.by_line:
            return self
        return SourceMap.of(
            (s - bisect.bisect_left(removed, s), p) for s, p in zip(self.starts, self.places, strict=True)
        )


def line_marks(line_places: Iterable[tuple[str, Sequence[Mark]]]) -> tuple[str, list[Mark]]:
    """Lines joined by ``"\\n"``, with each line's marks (offsets within the line) made absolute."""
    texts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    for text, inner in line_places:
        marks.extend((offset + at, place) for at, place in inner)
        texts.append(text)
        offset += len(text) + 1
    return "\n".join(texts), marks
