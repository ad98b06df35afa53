"""Document understanding: from extracted text to a structured, normalised report.

``understand(text)`` is pure: normalise (keeping offsets), find the body and the page
chrome, split sentences, find headings and sections and their roles, read metadata.
Matchers work on :attr:`Document.text` (normalised, with everything that is not report
text blanked out) and turn their spans back into source offsets with
:meth:`Document.evidence`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import NamedTuple

from auditor.document import layout as _layout
from auditor.document import metadata as _meta
from auditor.document.normalize import NormText, normalize
from auditor.document.pager import pages_of_article
from auditor.document.provenance import given
from auditor.document.sections import (
    Part,
    Section,
    build_parts,
    build_sections,
    earlier_year_sentences,
    find_headings,
)
from auditor.document.sentences import split_sentences
from auditor.document.tables import Table, find_tables

__all__ = ["Document", "Metadata", "Part", "Section", "understand"]

Metadata = _meta.Metadata


class Span(NamedTuple):  # a named tuple: one per piece of evidence, built fast
    """A located piece of the source text."""

    text: str
    start: int
    end: int
    line: int
    section: str | None


@dataclass(frozen=True)
class Document:
    source: str  # the extracted text; evidence offsets point here
    norm: NormText
    text: str  # normalised text, non-report text (front/back matter, chrome) replaced by "\n"
    layout: _layout.Layout
    body: tuple[int, int]  # normalised span of the body
    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    sections: tuple[Section, ...]
    parts: tuple[Part, ...]
    metadata: _meta.Metadata
    #: pages (1-based) of the file that hold no readable text between pages that do (a scanned page
    #: in a PDF): what the rules did not find may be there, so no rule says gap (see engine)
    unread: tuple[int, ...] = ()
    #: the pages of a web article split over pages (第1页 2 3 下一页) when the file holds fewer of them,
    #: else 0: what the rules did not find may be on a page not saved, so no rule says gap (see engine)
    split_pages: int = 0

    # ----------------------------------------------------------------- lookups
    @cached_property
    def _part_starts(self) -> list[int]:
        return [p.start for p in self.parts]

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s[0] for s in self.sentences]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p[0] for p in self.paragraphs]

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _source_line_starts(self) -> list[int]:
        starts = [0]
        find = self.source.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """The statistics tables of the body (read on first use: only table rules need them)."""
        return find_tables(self.text, *self.body)

    @cached_property
    def earlier_years(self) -> tuple[tuple[int, int], ...]:
        """The sentences led by a year before the report's (2022年，我县…): what was done in an earlier
        year, no evidence of the year reported on. None when the report does not state its year (the
        year is then a guess, and no sentence is set aside on a guess)."""
        year = self.metadata.year
        if year is None or not self.metadata.source("year").sure:
            return ()
        return earlier_year_sentences(self.text, self.sentences, year)

    def role_at(self, pos: int) -> str | None:
        """The role of the part containing ``pos``; None outside the body."""
        k = bisect.bisect_right(self._part_starts, pos) - 1
        if k < 0 or pos >= self.parts[k].end:
            return None
        return self.parts[k].role

    def section_at(self, pos: int) -> Section | None:
        """The innermost section containing ``pos``."""
        k = self.section_index_at(pos)
        return self.sections[k] if k is not None else None

    def section_index_at(self, pos: int) -> int | None:
        """The index (in ``sections``) of the innermost section containing ``pos``."""
        k = bisect.bisect_right(self._section_starts, pos) - 1
        while k >= 0:
            s = self.sections[k]
            if s.heading.start <= pos < s.end:  # (not the start property: one call fewer per lookup)
                return k
            k = s.parent if s.parent is not None else -1
        return None

    def sentence_at(self, pos: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self.sentence_starts, pos) - 1
        if k >= 0 and pos < self.sentences[k][1]:
            return self.sentences[k]
        return None

    def paragraph_at(self, pos: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self._paragraph_starts, pos) - 1
        if k >= 0 and pos < self.paragraphs[k][1]:
            return self.paragraphs[k]
        return None

    def line_of(self, source_pos: int) -> int:
        return bisect.bisect_right(self._source_line_starts, source_pos)

    def evidence(self, start: int, end: int) -> Span:
        """A normalised span as quoted, located evidence in the source text."""
        return self._located(start, *self.norm.span_to_source(start, end))

    def _located(self, start: int, s: int, e: int) -> Span:
        """The source text ``s:e`` of the normalised span that starts at ``start``, with its line and
        innermost section."""
        section = self.section_at(start)
        return Span(self.source[s:e], s, e, self.line_of(s), section.label if section else None)

    def quotes(self, spans: Sequence[tuple[int, int]], room: int) -> list[tuple[Span, str]]:
        """``evidence`` of each normalised span, with its context: the sentence around it from the
        source text (at most ``room`` characters, centred on the span when the sentence is longer;
        white space folded when it crosses a line). Every span is mapped to the source in one call."""
        windows = []
        for start, end in spans:
            sentence = self.sentence_at(start)
            s, e = (sentence[0], max(end, sentence[1])) if sentence else (start, end)
            if e - s > room:
                half = max(0, (room - (end - start)) // 2)
                s, e = max(s, start - half), min(e, end + half)
            windows.append((s, e))
        mapped = self.norm.spans_to_source([*spans, *windows])
        out = []
        for (start, _), (s, e), (cs, ce) in zip(spans, mapped[: len(spans)], mapped[len(spans) :], strict=True):
            context = self.source[cs:ce]
            if "\n" in context:
                context = " ".join(context.split())
            out.append((self._located(start, s, e), context))
        return out

    def body_chars(self) -> int:
        """Report-text size: non-space characters of the body (chrome excluded)."""
        b0, b1 = self.body
        chunk = self.text[b0:b1]
        return len(chunk) - chunk.count(" ") - chunk.count("\n")


def _body_regions(lay: _layout.Layout) -> list[tuple[int, int]]:
    """The (start, end) of each non-empty body line that is no chrome."""
    if not lay.chrome:
        return [(ln.start, ln.end) for ln in lay.lines[lay.body_start : lay.body_end] if ln.end > ln.start]
    return [(ln.start, ln.end) for i, ln in enumerate(lay.lines) if lay.is_body(i) and ln.end > ln.start]


def _masked(text: str, lay: _layout.Layout) -> str:
    """The text with every character outside the body regions (:func:`_body_regions`) a line break.
    The lines cover every character but the line breaks between them, so only the front matter, the
    back matter and the chrome lines inside the body change: a few pieces, not one per line."""
    lines = lay.lines
    if lay.body_end <= lay.body_start:
        return "\n" * len(text)
    start, end = lines[lay.body_start].start, lines[lay.body_end - 1].end
    out = ["\n" * start]
    cursor = start
    for i in sorted(lay.chrome):
        out.append(text[cursor : lines[i].start])
        out.append("\n" * (lines[i].end - lines[i].start))
        cursor = lines[i].end
    out.append(text[cursor:end])
    out.append("\n" * (len(text) - end))
    return "".join(out)


def _paragraphs(
    regions: list[tuple[int, int]], sections: list[Section]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The paragraphs (each body region cut where a section starts inside it), and the runs to split
    into sentences: the paragraphs joined across the line breaks between them. In the masked text
    only line breaks lie between two regions (:func:`_masked`), and no sentence, title or quotation
    crosses a line break, so a run splits into its paragraphs' sentences by one scan instead of one
    per paragraph; a run ends only where one paragraph ends just where the next starts (a section
    starting inside a line, or a cut long line)."""
    cuts = sorted({s.start for s in sections})
    out: list[tuple[int, int]] = []
    runs: list[tuple[int, int]] = []
    run_start = last_end = -1
    for start, end in regions:
        if start != last_end:
            if last_end < 0:
                run_start = start
        else:  # a region right after the last one (pieces of a cut long line)
            runs.append((run_start, last_end))
            run_start = start
        i = bisect.bisect_right(cuts, start)
        cur = start
        while i < len(cuts) and cuts[i] < end:
            if cuts[i] > cur:
                out.append((cur, cuts[i]))
                runs.append((run_start, cuts[i]))
                run_start = cuts[i]
            cur = cuts[i]
            i += 1
        out.append((cur, end))
        last_end = end
    if out:
        runs.append((run_start, last_end))
    return out, runs


def understand(
    source: str,
    *,
    year: int | None = None,
    level: str | None = None,
    published: date | None = None,
    from_config: frozenset[str] = frozenset(),
    file_name: str | None = None,
    unread: tuple[int, ...] = (),
) -> Document:
    """Analyse an extracted report text; ``year``/``level``/``published`` override the document
    (recorded as given by the command line, or by the configuration for the fields in ``from_config``).
    ``file_name``: the input's name, which stands in for a missing title (and the year it names
    for a missing year), marked inferred. ``unread``: the file's pages without readable text
    (``Extracted.unread``)."""
    norm = normalize(source)
    lay = _layout.analyse(norm.text)
    regions = _body_regions(lay)
    text = _masked(norm.text, lay)
    body = (regions[0][0], regions[-1][1]) if regions else (0, 0)
    meta = _meta.extract(norm.text, lay, text[body[0] : body[1]])
    if file_name is not None:
        meta = _meta.with_file_name(meta, file_name)
    overrides = [k for k, v in (("year", year), ("level", level), ("published", published)) if v is not None]
    if overrides:
        given_by = {k: given("config" if k in from_config else "option") for k in overrides}
        meta = replace(
            meta,
            year=year if year is not None else meta.year,
            level=level if level is not None else meta.level,
            published=published if published is not None else meta.published,
            sources={**meta.sources, **given_by},
        )
    headings = find_headings(text, regions)
    sections = build_sections(headings, body[1], meta.year, regions)
    paragraphs, runs = _paragraphs(regions, sections)
    sentences = split_sentences(text, runs)
    parts = build_parts(sections, sentences, text, body, meta.year)
    if meta.source("year").source == "body" and not meta.source("year").stated:
        # a guess from the body: the year the measures part talks about most is the better one
        found = _meta.year_of_measures(text, parts)
        if found is not None and found[0] != meta.year:
            meta = replace(meta, year=found[0], sources={**meta.sources, "year": found[1]})
            sections = build_sections(headings, body[1], meta.year, regions)
            paragraphs, runs = _paragraphs(regions, sections)
            sentences = split_sentences(text, runs)
            parts = build_parts(sections, sentences, text, body, meta.year)
    return Document(
        source=source,
        norm=norm,
        text=text,
        layout=lay,
        body=body,
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
        sections=tuple(sections),
        parts=tuple(parts),
        metadata=meta,
        unread=unread,
        split_pages=pages_of_article(norm.text),
    )
