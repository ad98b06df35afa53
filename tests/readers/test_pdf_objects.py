"""The strict object reader of the plain check (readers/pdfobjects.py) against pdfminer's parser,
which reads every file it does not: the same objects where it reads a file, the same verdict of
the check on both ways, and every form outside the plain one left to pdfminer."""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.readers import pdfplain
from auditor.readers.pdflimits import Budget, bounded_pdfminer
from auditor.readers.pdfobjects import NotStrict, StrictDocument
from tests.hostile.builders import pdf_bytes

from .builders import build_pdf, paragraphs, seed_paths, seed_text

_TEXT = b"BT /F1 12 Tf 72 720 Td (Hello world, a plain page) Tj ET\n"


def _same(a: Any, b: Any) -> bool:
    """pdfminer's objects equal: names interned, references by number, streams by their bytes."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream
    from pdfminer.psparser import PSLiteral

    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, PSLiteral):
        return a is b
    if isinstance(a, PDFObjRef):
        return bool(a.objid == b.objid)
    if isinstance(a, PDFStream):
        return _same(a.attrs, b.attrs) and (a.rawdata, a.objid, a.genno) == (b.rawdata, b.objid, b.genno)
    return bool(a == b)


def _pdfminer_contents(data: bytes) -> list[bytes] | None:
    try:
        with bounded_pdfminer(Budget()):
            return pdfplain._contents(pdfplain._pdfminer_document(data))
    except Exception:
        return None


def _assert_read_as_pdfminer_reads(data: bytes) -> bool:
    """Every object the strict reader reads equals pdfminer's, and the check lets the file through
    as it does on pdfminer's objects, with the same contents; whether the file is in the plain form."""
    from pdfminer.pdfdocument import PDFDocument, PDFXRefFallback
    from pdfminer.pdfparser import PDFParser

    strict = None
    with bounded_pdfminer(Budget()):
        with contextlib.suppress(NotStrict):
            strict = StrictDocument(data)
        if strict is not None:
            document = PDFDocument(PDFParser(io.BytesIO(data)))
            assert not any(isinstance(xref, PDFXRefFallback) for xref in document.xrefs)
            assert _same(strict.catalog, document.catalog)
            for objid in sorted(strict.offsets):
                try:
                    value = strict.getobj(objid)
                except NotStrict:
                    continue
                assert _same(value, document.getobj(objid)), objid
    assert pdfplain.plain_contents(data) == _pdfminer_contents(data)
    return strict is not None


def _objects(
    extra: bytes = b"", *, font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
) -> list[bytes]:
    content = zlib.compress(_TEXT)
    return [
        b"<< /Type /Catalog /Pages 2 0 R" + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 6 0 R /Filter /FlateDecode >>\nstream\n" + content + b"\nendstream",
        font,
        b"%d" % len(content),
    ]


_CID_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [<< /Type /Font"
    b" /Subtype /CIDFontType2 /W [1 [500 600] 3 [ 700 -1 +2 ] 9 10 300] /DW 1000 /Note (a\\(b\\) (c) \\\\)"
    b" /Id <0aFF> /N null /T true /F false /R -.5 /S +3 /X 1. % a comment\n >>] >>"
)


@cache
def _reportlab_pdf() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        build_pdf(paragraphs(seed_text(seed_paths()[0]))[:12], path)
        return path.read_bytes()


def _seeds() -> list[bytes]:
    return [_reportlab_pdf(), pdf_bytes(_objects()), pdf_bytes(_objects(font=_CID_FONT))]


def test_plain_files_are_read_strictly_as_pdfminer_reads_them() -> None:
    for data in _seeds():
        assert _assert_read_as_pdfminer_reads(data)
        assert pdfplain.plain_contents(data)


def test_a_reportlab_report_is_read_without_pdfminers_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _reportlab_pdf()
    expected = _pdfminer_contents(data)
    monkeypatch.setattr(pdfplain, "_pdfminer_document", None)  # would fail if called
    assert expected and pdfplain.plain_contents(data) == expected


def test_a_cap_passed_on_the_strict_way_refuses_the_file() -> None:
    bomb = zlib.compress(b"\0" * 80_000_000)
    objects = _objects(font=b"<< /Type /Font /Subtype /TrueType /BaseFont /X /FontDescriptor 7 0 R >>")
    objects += [
        b"<< /Type /FontDescriptor /FontFile2 8 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
    ]
    data = pdf_bytes(objects)
    StrictDocument(data)  # in the plain form
    assert pdfplain.plain_contents(data) is None


def _edited(pattern: bytes, replacement: bytes, *, extra: bytes = b"") -> bytes:
    """A file of :func:`_objects` with one edit inside its objects (offsets right)."""
    objects = _objects(extra, font=_CID_FONT)
    edited = [re.sub(pattern, replacement, body, count=1) for body in objects]
    assert edited != objects
    return pdf_bytes(edited)


def _incremental() -> bytes:
    base = pdf_bytes(_objects())
    start = int(base.rsplit(b"startxref\n", 1)[1].split()[0])
    update = b"5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>\nendobj\n"
    xref = len(base) + len(update)
    return (
        base
        + update
        + b"xref\n0 1\n0000000000 65535 f \n5 1\n%010d 00000 n \n" % len(base)
        + b"trailer\n<< /Size 7 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (start, xref)
    )


_NOT_STRICT: dict[str, Callable[[], bytes]] = {
    "an incremental update": _incremental,
    "a name with a # escape": lambda: _edited(rb"/BaseFont /Foo", rb"/BaseFont /F#6Fo"),
    "a string with an octal escape": lambda: _edited(rb"\(c\)", rb"(\\061)"),
    "a string with a CR": lambda: _edited(rb"\(c\)", b"(c\rd)"),
    "a hex string right before >": lambda: _edited(rb"<0a> >>", b"<0a>>>", extra=b" /Id <0a>"),
    "a comment hiding the end of a dictionary": lambda: _edited(
        rb"/Kids \[3 0 R\] /Count 1", b"/Kids [3 0 R] % /Count 1 >>"
    ),
    "a token after the trailer": lambda: pdf_bytes(_objects()).replace(b">>\nstartxref", b">> 7\nstartxref"),
    "a stream shorter than its length": lambda: _edited(rb"^(\d+)$", rb"999"),
    "a reference to a missing object": lambda: _edited(rb"/Contents 4 0 R", rb"/Contents 40 0 R"),
    "a length that is not an integer": lambda: _edited(rb"^(\d+)$", rb"\1.0"),
    "a form feed between tokens": lambda: _edited(rb"/Type /Page ", b"/Type\f/Page "),
    "a nesting too deep": lambda: _edited(rb"/DW 1000", b"/DW " + b"[" * 70 + b"]" * 70),
    "keywords inside a dictionary": lambda: _edited(rb"/DW 1000", b"/DW 1000 {}"),
    "an object at a wrong offset": lambda: pdf_bytes(_objects()).replace(
        b"\n0000000009 00000 n", b"\n0000000010 00000 n"
    ),
    "no table at the start of the cross-references": lambda: pdf_bytes(_objects()).replace(
        b"xref\n0 7", b"7 0 obj\n0 7"
    ),
    "a lone CR after stream": lambda: _edited(rb"stream\n", b"stream\r"),
}


@pytest.mark.parametrize("form", sorted(_NOT_STRICT))
def test_other_forms_are_left_to_pdfminer(form: str) -> None:
    data = _NOT_STRICT[form]()
    with bounded_pdfminer(Budget()), pytest.raises(NotStrict):
        pdfplain._contents(StrictDocument(data))
    assert pdfplain.plain_contents(data) == _pdfminer_contents(data)


_SNIPPETS = [
    *(b" 1 0 R", b" 9 0 R", b"<>", b"<a>", b"(x)", b"(a\\\\b)", b"(\\061)", b"%c\n", b"%", b"/N#41", b"/", b"\\"),
    *(b" null", b" true", b" 1.5", b" -.5", b" +", b" .", b"1.2.3", b"stream\n", b" endobj", b"<<", b">>", b"[", b"]"),
    *(
        b"{",
        b" 0",
        b"R",
        b" obj",
        b"\r",
        b"\n",
        b"\x00",
        b"\f",
        b" /Length 5",
        b" /Filter /ASCII85Decode",
        b" /Type /Pages",
    ),
    *(b" /Kids [3 0 R]", b" /Kids 3 0 R", b" /Resources 1 0 R", b" /MediaBox [0 0 1]", b" /MediaBox [/a 0 1 2]"),
    *(b" /OCProperties << >>", b" /PageLabels << >>", b" /Prev 9", b" /Info 3 0 R", b"endstream", b" /Subtype /Type3"),
    *(b" /Pattern << /P 1 0 R >>", b" /XObject << /X 4 0 R >>", b"[1 2 3]", b"[1 2 3 0 R]", b"[ 1 -2 +3 ]", b"[1 2.0]"),
]
_BYTES = b" \t\r\n\f\x00/()<>[]{}%#\\0123456789.+-Rnfobjeadstrmxl"
_OBJECT = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj\n", re.S)


def _rebuilt(data: bytes, edit: Any) -> bytes:
    """``data`` with ``edit`` applied to the body of its objects (numbered 1…n in order), offsets
    and the table written again; ``data`` itself if it is not such a file."""
    found = list(_OBJECT.finditer(data))
    if [int(match.group(1)) for match in found] != list(range(1, len(found) + 1)) or b"trailer" not in data:
        return data
    tail = data[data.rindex(b"trailer") :]
    if b"startxref" not in tail:
        return data
    out = bytearray(data[: found[0].start()])
    offsets = []
    for number, body in enumerate(edit([match.group(2) for match in found]), 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    return bytes(out + tail[: tail.index(b"startxref")] + b"startxref\n%d\n%%%%EOF\n" % xref)


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(_seeds()))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "cut", "snippet", "splice", "share"]))
        if kind == "flip":  # offsets stay right
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.sampled_from(_BYTES))]) + data[at + 1 :]
        elif kind == "cut":
            data = data[: draw(st.integers(1, len(data)))]
        else:
            seed = draw(st.randoms(use_true_random=False))

            def edit(bodies: list[bytes], kind: str = kind, seed: Any = seed) -> list[bytes]:
                index = seed.randrange(len(bodies))
                body = bodies[index]
                at = seed.randrange(len(body) + 1)
                if kind == "snippet":
                    piece = seed.choice(_SNIPPETS)
                elif kind == "splice":  # a piece of another object
                    other = seed.choice(bodies)
                    start = seed.randrange(len(other) + 1)
                    piece = other[start : start + seed.randint(1, 40)]
                else:  # references moved to other objects: fonts and streams shared or lost
                    body, at, piece = re.sub(rb"\d+ 0 R", lambda m: b"%d 0 R" % seed.randint(0, 9), body), 0, b""
                return [*bodies[:index], body[:at] + piece + body[at + seed.randint(0, 3) :], *bodies[index + 1 :]]

            data = _rebuilt(data, edit)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutated())
def test_mutated_files_are_read_as_pdfminer_reads_them(data: bytes) -> None:
    _assert_read_as_pdfminer_reads(data)
