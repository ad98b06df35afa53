"""Bounds on what pdfminer (under pdfplumber) may spend on one PDF, so that a 20 MB file can
neither take gigabytes of memory nor hours.

* **Streams.** pdfminer decodes a stream in one call and without a limit: ``zlib.decompress``
  for FlateDecode (a 2 MB stream can inflate to 2 GB), a byte-by-byte (quadratic) retry for a
  damaged one, a list of ints for RunLengthDecode, an unbounded LZW table walk. Here they
  inflate in chunks and stop at :data:`MAX_STREAM_BYTES` per stream and :data:`MAX_PDF_BYTES`
  per file. ASCII85 (reportlab's content streams) is decoded by :mod:`ascii85`, to the same
  bytes 2.4 times faster.
* **Layout objects.** Every glyph, path and image becomes a Python object of ~2.5 KB, kept
  for a whole page; a small content stream (or a form drawn again and again) can make
  millions. At most :data:`MAX_PAGE_OBJECTS` per page and :data:`MAX_PDF_OBJECTS` per file.
* **Pages.** At most :data:`MAX_PAGES` (:func:`check_page_count`).
* **References.** A chain of references that comes back on itself resolves to nothing
  (:func:`_acyclic`); pdfminer followed it for ever.

:func:`bounded_pdfminer` swaps pdfminer's decoders and reference resolution and wraps its layout
device's methods for the ``with`` block only (one report is read at a time per process); past a cap it raises a
:class:`ReadError`, also kept in :attr:`Budget.refused` since pdfplumber wraps exceptions.
pypdf, the fallback, has stream limits of its own.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from auditor.errors import ReadError
from auditor.readers.ascii85 import ascii85decode

MAX_STREAM_BYTES = 64 * 1024 * 1024  # an embedded CJK font is up to ~20 MB; a page's text far less
MAX_PDF_BYTES = 256 * 1024 * 1024  # decoded streams stay cached while the file is read
MAX_PAGE_OBJECTS = 100_000  # glyphs, paths and images on one page (a dense page has ~5,000)
MAX_PDF_OBJECTS = 1_500_000
MAX_PAGES = 5_000  # a 20 MB file can hold 200,000 empty pages, each costing milliseconds
_CHUNK = 1024 * 1024
_HINT = "请重新导出 PDF，或改交 DOCX/TXT 版本"


def too_big(detail: str) -> ReadError:
    """The error for a PDF past one of the caps."""
    return ReadError(f"文件过大或被恶意构造：PDF {detail}", hint=_HINT)


def check_page_count(count: int) -> None:
    """Refuse a PDF with more pages than any report has."""
    if count > MAX_PAGES:
        raise too_big(f"有 {count} 页，超过 {MAX_PAGES} 页的上限")


@dataclass
class Budget:
    """What one PDF has cost so far (decoded bytes, layout objects), checked against the caps."""

    stream_cap: int = MAX_STREAM_BYTES
    total_cap: int = MAX_PDF_BYTES
    total: int = 0
    page_cap: int = MAX_PAGE_OBJECTS
    objects_cap: int = MAX_PDF_OBJECTS
    page_objects: int = 0
    objects: int = 0
    #: the error raised once a cap was passed (pdfplumber wraps it in an exception of its own)
    refused: ReadError | None = None

    def count_object(self) -> None:
        self.page_objects += 1
        self.objects += 1
        if self.page_objects > self.page_cap:
            self.refused = too_big(f"有一页含有超过 {self.page_cap} 个文字或图形对象")
        elif self.objects > self.objects_cap:
            self.refused = too_big(f"含有超过 {self.objects_cap} 个文字或图形对象")
        if self.refused is not None:
            raise self.refused

    def new_page(self) -> None:
        self.page_objects = 0

    def charge(self, stream_size: int, added: int) -> None:
        self.total += added
        if stream_size > self.stream_cap:
            self.refused = too_big(f"中有数据流解压后超过 {self.stream_cap} 字节")
        elif self.total > self.total_cap:
            self.refused = too_big(f"的数据流解压后合计超过 {self.total_cap} 字节")
        if self.refused is not None:
            raise self.refused

    def inflate(self, data: bytes, *, complete: bool = True) -> bytes:
        """``zlib.decompress(data)``, inflated in chunks under the caps; ``complete=False``
        accepts a stream that stops before its end."""
        inflater = zlib.decompressobj()
        pieces: list[bytes] = []
        size = 0
        pending = data
        while True:
            piece = inflater.decompress(pending, _CHUNK)
            size += len(piece)
            self.charge(size, len(piece))
            pieces.append(piece)
            pending = inflater.unconsumed_tail
            if inflater.eof or (not pending and not piece):
                break
        if complete and not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return b"".join(pieces)

    def inflate_damaged(self, data: bytes) -> bytes:
        """pdfminer's retry for a stream with a bad checksum: all but the checksum (4 bytes)."""
        return self.inflate(data[:-4] if len(data) > 4 else data, complete=False)

    def lzw(self, data: bytes) -> bytes:
        from pdfminer.lzw import LZWDecoder

        pieces: list[bytes] = []
        size = 0
        for piece in LZWDecoder(io.BytesIO(data)).run():
            size += len(piece)
            self.charge(size, len(piece))
            pieces.append(piece)
        return b"".join(pieces)

    def run_length(self, data: bytes) -> bytes:
        """RunLengthDecode (PDF 1.7, 7.4.5) into a bytearray, counted as it grows."""
        out = bytearray()
        index, charged = 0, 0
        while index < len(data):
            length = data[index]
            if length == 128:
                break
            if length < 128:
                out += data[index + 1 : index + length + 2]
                index += length + 2
            else:
                out += data[index + 1 : index + 2] * (257 - length)
                index += 2
            if len(out) - charged >= _CHUNK:
                self.charge(len(out), len(out) - charged)
                charged = len(out)
        self.charge(len(out), len(out) - charged)
        return bytes(out)


@contextmanager
def bounded_pdfminer(budget: Budget | None = None) -> Iterator[Budget]:
    """Within the block, pdfminer works under ``budget`` (a fresh one by default)."""
    import pdfminer.pdftypes as pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer

    budget = budget or Budget()
    shim = SimpleNamespace(decompress=budget.inflate, decompressobj=zlib.decompressobj, error=zlib.error)
    decoders: dict[str, Any] = {
        "ascii85decode": ascii85decode,
        "zlib": shim,
        "decompress_corrupted": budget.inflate_damaged,
        "lzwdecode": budget.lzw,
        "rldecode": budget.run_length,
    }
    device: dict[str, Any] = {
        name: _counted(getattr(PDFLayoutAnalyzer, name), budget.count_object)
        for name in ("render_char", "paint_path", "render_image")
    }
    device["begin_page"] = _counted(PDFLayoutAnalyzer.begin_page, budget.new_page)
    references = {"resolve": _acyclic(pdftypes.PDFObjRef.resolve)}
    swaps: list[tuple[Any, dict[str, Any]]] = [
        (pdftypes, decoders),
        (PDFLayoutAnalyzer, device),
        (pdftypes.PDFObjRef, references),
    ]
    originals = [(owner, {name: getattr(owner, name) for name in values}) for owner, values in swaps]
    for owner, values in swaps:
        for name, value in values.items():
            setattr(owner, name, value)
    try:
        yield budget
    finally:
        for owner, values in originals:
            for name, value in values.items():
                setattr(owner, name, value)


def _counted(method: Callable[..., Any], count: Callable[[], None]) -> Callable[..., Any]:
    @functools.wraps(method)
    def counted(*args: Any, **kwargs: Any) -> Any:
        count()
        return method(*args, **kwargs)

    return counted


def _acyclic(resolve: Callable[..., Any]) -> Callable[..., Any]:
    """pdfminer's ``PDFObjRef.resolve`` followed to the end of a chain of references, ``default``
    for a chain that comes back on itself (``5 0 obj 5 0 R endobj``): pdfminer's ``resolve1``
    follows one reference at a time and loops for ever on it. A chain that ends gives its end, as
    ``resolve1`` did."""

    @functools.wraps(resolve)
    def acyclic(self: Any, default: Any = None) -> Any:
        value = resolve(self, default)
        seen = {self.objid}
        while type(value) is type(self):
            if value.objid in seen:
                return default
            seen.add(value.objid)
            value = resolve(value, default)
        return value

    return acyclic
