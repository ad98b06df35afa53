"""Which PDFs PDFium may see: a plain text PDF, checked first with pdfminer under the caps (and
its pages' decoded content, which :mod:`pdfium_pages` reads a dropped character from).

PDFium (:mod:`pdfium_pages`) runs in the auditing process (``--jobs 1`` audits in process), so
a file that made it abort or run out of memory would end the whole batch. It only ever sees a
file whose structure pdfminer parsed without repair and every stream PDFium decodes to read
text was decoded here first, under the caps of :mod:`pdflimits`:

* a cross-reference table pdfminer could use as it is (no rebuilt xref), no encryption, no
  optional content, at most :data:`~pdflimits.MAX_PAGES` pages;
* per page: content streams of at most :data:`MAX_CONTENT_BYTES` once decoded (a dense page
  has ~50 kB; PDFium keeps every glyph of a page), without inline images (PDFium inflates
  those while parsing), strings of over 32,000 bytes (PDFium cuts them) or ``/ActualText``
  (PDFium reads the replacement text, pdfminer the glyphs); the streams of its
  fonts, colour spaces and graphics states (font files, CMaps, ICC profiles) decoded here; no
  form XObjects (drawn again and again, their content would escape the per-page bound),
  patterns, shadings or Type 3 fonts (glyphs that are content streams). Images are not
  decoded by PDFium to read text, so not here either.

Anything else (or any error here) leaves the file to pdfplumber, which reads it as before and
refuses what it must with the usual located messages.

The objects checked are pdfminer's; a file in the plain form a generator such as reportlab writes
has them read by :mod:`pdfobjects` (a strict reader, about ten times faster than pdfminer's
parser), every other file, and every such file not let through at once, by pdfminer's parser.
"""

from __future__ import annotations

import io
import re
from itertools import islice
from typing import Any, NamedTuple

from auditor.errors import ReadError
from auditor.readers.pdflimits import MAX_PAGES, Budget, bounded_pdfminer

MAX_CONTENT_BYTES = 1024 * 1024
_MAX_NODES = 100_000  # dictionaries, arrays and streams visited in one file's resources
_MAX_DEPTH = 12
_SUBSET = re.compile(r"^[A-Z]{6}\+")  # a subset font's tag (AAAAAA+), which PDFium's font names leave out
_INLINE_IMAGE = re.compile(rb"(?:^|[\s\])>])BI[\s/]")
_DELIMITERS = bytes.maketrans(b"()<>", b"((((")  # a string's delimiters, all made "("
_MAX_STRING = 32_000  # PDFium keeps only the first 32,767 bytes of a string
_CONTENT_KINDS = frozenset({"Form", "PS"})  # XObject subtypes that hold content to interpret
_RULED_OUT = frozenset({"Pattern", "Shading", "Properties"})  # marked-content properties may hold ActualText


class PlainPage(NamedTuple):
    """A page of a plain PDF: its decoded content, whether PDFium maps every character code of
    every font in its resources to Unicode but codes 1–31 of a standard font (:mod:`pdffonts`),
    and the descent pdfminer gives each font by its ``/BaseFont`` name without a subset's tag, as
    PDFium names it (``None`` for a name two fonts of different descents share)."""

    content: bytes
    mapped: bool
    descents: dict[str, float | None]


def plain_contents(data: bytes) -> list[PlainPage] | None:
    """Each page of a plain text PDF PDFium may read (its decoded content), or ``None``.

    A file in the plain form :mod:`pdfobjects` reads is checked on its objects (about ten times
    faster than pdfminer's parser gives them); any other file, and any such file the check does not
    accept at once, is checked as before on pdfminer's objects, which decide. A cap passed on the
    first way refuses the file: the same objects would pass it on the second."""
    from auditor.readers.pdfobjects import StrictDocument

    try:
        with bounded_pdfminer(Budget()):
            contents = _contents(StrictDocument(data))
    except ReadError:
        return None
    except Exception:  # not in the plain form, or not plain: pdfminer decides
        contents = None
    if contents is not None:
        return contents
    try:
        with bounded_pdfminer(Budget()):
            return _contents(_pdfminer_document(data))
    except Exception:  # a sloppy or hostile file: pdfplumber will read or refuse it
        return None


_TEXT_SHOWN = re.compile(rb"Tj|TJ|['\"]")  # the operators that show text (and any string's quote, to be safe)


def textless_pages(data: bytes) -> int | None:
    """The page count of a PDF none of whose pages can show text, else ``None``: no page's content
    holds a text-showing operator (``Tj``, ``TJ``, ``'``, ``"``) and no page draws anything but
    images (a form could hold text). Text drawn as outlines (转曲) is such a file: pdfplumber would
    interpret every path of it (seconds a page) to find no character. Checked with pdfminer's
    parser under the caps; any doubt (an error, a cap, encryption) is ``None``."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import PDFStream, resolve1

    try:
        with bounded_pdfminer(Budget()):
            document = _pdfminer_document(data)
            if document.encryption is not None:
                return None
            pages = list(islice(PDFPage.create_pages(document), MAX_PAGES + 1))
            if not pages or len(pages) > MAX_PAGES:
                return None
            for page in pages:
                resources = resolve1(page.resources)
                drawn = _values(resources.get("XObject")) if isinstance(resources, dict) else []
                if not all(isinstance(item, PDFStream) and _name(item.get("Subtype")) == "Image" for item in drawn):
                    return None
                if any(_TEXT_SHOWN.search(resolve1(stream).get_data()) for stream in page.contents):
                    return None
            return len(pages)
    except Exception:  # the reader's usual way decides
        return None


def _pdfminer_document(data: bytes) -> Any:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    return PDFDocument(PDFParser(io.BytesIO(data)))


def _contents(document: Any) -> list[PlainPage] | None:
    """Each page if ``document`` (pdfminer's or a :class:`~pdfobjects.StrictDocument`)
    is plain."""
    from pdfminer.pdfdocument import PDFXRefFallback
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    from auditor.readers.pdffonts import mapped_font, pdfminer_descent

    if document.encryption is not None or any(isinstance(xref, PDFXRefFallback) for xref in document.xrefs):
        return None
    if "OCProperties" in document.catalog:
        return None
    pages = list(islice(PDFPage.create_pages(document), MAX_PAGES + 1))
    if not pages or len(pages) > MAX_PAGES:
        return None
    walk = _Walk()
    contents = []
    mapped: dict[int, tuple[Any, bool, float]] = {}  # by id() of the font, kept alive with it
    for page in pages:
        streams, size = [], 0
        for stream in page.contents:
            content = resolve1(stream).get_data()
            streams.append(content)
            size += len(content)
            if (
                size > MAX_CONTENT_BYTES
                or (b"BI" in content and _INLINE_IMAGE.search(content))
                or _long_string(content)
            ):
                return None
            if b"ActualText" in content:  # PDFium puts the replacement text in, pdfminer the glyphs
                return None
        resources = resolve1(page.resources)
        if not walk.resources(resources):
            return None
        fonts = _values(resources.get("Font")) if isinstance(resources, dict) else []
        descents: dict[str, float | None] = {}
        for font in fonts:
            if id(font) not in mapped:  # pages share their fonts (one object each)
                mapped[id(font)] = (font, mapped_font(font), pdfminer_descent(font))
            name, descent = _SUBSET.sub("", _name(font.get("BaseFont")) or ""), mapped[id(font)][2]
            descents[name] = descent if descents.get(name, descent) == descent else None
        # streams are parts of one content, split between tokens
        contents.append(PlainPage(b"\n".join(streams), all(mapped[id(font)][1] for font in fonts), descents))
    return contents


def _long_string(content: bytes) -> bool:
    """Whether ``content`` may hold a string PDFium would cut (a long run without a delimiter)."""
    return max(map(len, content.translate(_DELIMITERS).split(b"(")), default=0) >= _MAX_STRING


class _Walk:
    """Decodes the streams of a file's resources, each once; ``False`` on anything not plain."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.nodes = 0

    def resources(self, resources: Any) -> bool:
        from pdfminer.pdftypes import PDFStream, resolve1

        if not isinstance(resources, dict):
            return resources is None
        if any(resolve1(resources.get(key)) for key in _RULED_OUT):
            return False
        for font in _values(resources.get("Font")):
            if not isinstance(font, dict) or _name(font.get("Subtype")) == "Type3":
                return False
        for xobject in _values(resources.get("XObject")):
            if not isinstance(xobject, PDFStream) or _name(xobject.get("Subtype")) != "Image":
                return False
        return all(self.decode(resources.get(key), 0) for key in ("Font", "ColorSpace", "ExtGState"))

    def decode(self, value: Any, depth: int) -> bool:
        """Decode every stream under ``value`` (references followed once each)."""
        from pdfminer.pdftypes import PDFObjRef, PDFStream

        nodes = (PDFObjRef, PDFStream, dict, list)  # what may hold a stream (numbers, names and strings do not)
        if isinstance(value, PDFObjRef):
            if value.objid in self.seen:
                return True
            self.seen.add(value.objid)
            value = value.resolve()
        if not isinstance(value, dict | list | PDFStream):
            return True
        self.nodes += 1
        if depth > _MAX_DEPTH or self.nodes > _MAX_NODES:
            return False
        if isinstance(value, PDFStream):
            if _name(value.get("Subtype")) in _CONTENT_KINDS or "PatternType" in value or "ShadingType" in value:
                return False
            value.get_data()
            value = value.attrs
        items = value.values() if isinstance(value, dict) else value
        return all(self.decode(item, depth + 1) for item in items if isinstance(item, nodes))


def _values(value: Any) -> list[Any]:
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    return [resolve1(item) for item in value.values()] if isinstance(value, dict) else []


def _name(value: Any) -> str | None:
    from pdfminer.pdftypes import resolve1

    name = getattr(resolve1(value), "name", None)
    return name if isinstance(name, str) else None
