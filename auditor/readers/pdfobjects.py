"""The objects of a well-formed PDF, read strictly and ten times faster than pdfminer's parser, for
:mod:`pdfplain`'s check: a stand-in for pdfminer's ``PDFDocument`` that gives pdfminer's own
objects (dicts, lists, ``PSLiteral`` names, ``PDFObjRef`` references, ``PDFStream`` streams), so
that pdfminer's page tree and stream decoders and the check's walk run on them unchanged.

It reads only the plainest form of a file — the form a generator such as reportlab writes — and
raises :class:`NotStrict` on anything else, leaving the file to pdfminer's own parser (which
decides as before):

* one classic cross-reference table at the ``startxref`` offset of the file's last lines, a
  single subsection from object 0, entries of exactly 20 bytes; a trailer dictionary followed by
  ``startxref``, without ``/Prev``, ``/XRefStm`` or ``/Encrypt``, whose ``/Root`` is a dictionary;
* each object read at its offset as ``N G obj``, one value, an optional stream, ``endobj``;
  no nesting deeper than :data:`_MAX_NESTING`;
* tokens in their unambiguous forms only: white space of space, tab, CR, LF; comments; integers
  and reals without exponents; names of printable ASCII without ``#`` escapes; literal strings
  whose only escapes are ``\\\\``, ``\\(`` and ``\\)``, without a CR; hex strings of whole pairs;
  ``true``, ``false``, ``null``, ``N G R``; every token ends at white space or a delimiter;
* a stream whose ``/Length`` (direct or an object) is an integer, its data started by CR LF or
  LF after ``stream`` and followed by ``endstream`` at once (after one end of line at most);
* a reference to an object that is in the table (a free or missing one is not strict).

Within that form pdfminer reads the same values (property-tested on mutated files:
``tests/readers/test_pdf_objects.py``).
"""

from __future__ import annotations

import re
from typing import Any

_MAX_NESTING = 64
_WS = rb"[ \t\r\n]"
_SPACE = rb"(?:[ \t\r\n]|%[^\r\n]*+)*+"  # white space and comments (possessive: a comment runs to its line's end)
_END = rb"(?=[ \t\r\n/\[\]()<>%]|\Z)"  # where a number, name or keyword token ends
_NAME_CHARS = rb"[!\"$&'*+,\-.0-9:;=?@A-Z\\^_`a-z|~]"  # printable ASCII but delimiters and #
_TOKEN = re.compile(
    _SPACE
    + rb"(?:(?P<ref>\d+[ \t\r\n]+\d+[ \t\r\n]+R)"
    + _END
    + rb"|(?P<real>[+-]?(?:\d+\.\d*|\.\d+))"
    + _END
    + rb"|(?P<int>[+-]?\d+)"
    + _END
    + rb"|/(?P<name>"
    + _NAME_CHARS
    + rb"*)"
    + _END
    + rb"|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|<(?P<hex>(?:[0-9A-Fa-f]{2})*)>(?=[ \t\r\n/\[\]()<%]|\Z)"  # not before ">": pdfminer reads "<a>>>" apart
    rb"|(?P<word>true|false|null)" + _END + rb"|(?P<string>\())"
)
_INTEGERS = re.compile(rb"((?:[ \t\r\n]*+[+-]?\d++(?=[ \t\r\n\]]))*+)[ \t\r\n]*+\]")  # a whole array of integers
_STRING_PIECE = re.compile(rb"[^()\\\r]*")
_HEADER = re.compile(rb"(\d+)" + _WS + rb"+(\d+)" + _WS + rb"+obj(?=[ \t\r\n/\[<(%])")
_STREAM = re.compile(_WS + rb"*stream(?:\r\n|\n)")
_ENDSTREAM = re.compile(rb"(?:\r\n|\r|\n)?endstream(?=[ \t\r\n%])")
_ENDOBJ = re.compile(_SPACE + rb"endobj(?=[ \t\r\n%]|\Z)")
_TAIL = re.compile(rb"[\r\n]startxref(?:\r\n|\r|\n)(\d+)(?:\r\n|\r|\n)%%EOF(?:\r\n|\r|\n)?\Z")
_XREF = re.compile(rb"xref(?:\r\n|\r|\n)0 (\d+)(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_ENTRY_BYTES = 20
_TRAILER = re.compile(_WS + rb"*trailer(?=[ \t\r\n])")
_STARTXREF = re.compile(_SPACE + rb"startxref[\r\n]")  # pdfminer's trailer is the object before it
_WORDS = {b"true": True, b"false": False, b"null": None}


class NotStrict(Exception):
    """The file is not in the plain form read here: pdfminer's parser must read it."""


class StrictDocument:
    """What :mod:`pdfplain` and pdfminer's ``PDFPage.create_pages`` use of a ``PDFDocument``:
    ``catalog``, ``encryption``, ``xrefs``, ``getobj`` and ``get_page_labels``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.encryption = None
        self.xrefs: list[Any] = []  # pdfminer scans them for pages when the tree has none: none here
        self.offsets: dict[int, tuple[int, int]] = {}
        self.objects: dict[int, Any] = {}
        self.reading: set[int] = set()
        tail = _TAIL.search(data, max(0, len(data) - 64))
        if tail is None:
            raise NotStrict("end of file")
        trailer = self._xref(int(tail.group(1)))
        if not isinstance(trailer, dict) or {"Prev", "XRefStm", "Encrypt"} & trailer.keys():
            raise NotStrict("trailer")
        if "Info" in trailer:
            _resolved(trailer["Info"])  # pdfminer reads it
        catalog = _resolved(trailer.get("Root"))
        if not isinstance(catalog, dict):
            raise NotStrict("catalog")
        self.catalog: dict[str, Any] = catalog

    def _xref(self, start: int) -> Any:
        """Reads the table at ``start`` into :attr:`offsets`; its trailer."""
        head = _XREF.match(self.data, start)
        if head is None:
            raise NotStrict("xref table")
        pos, count = head.end(), int(head.group(1))
        if pos + count * _ENTRY_BYTES > len(self.data):
            raise NotStrict("xref table")
        for objid in range(count):
            entry = _ENTRY.match(self.data, pos)
            if entry is None:
                raise NotStrict("xref entry")
            pos = entry.end()
            if entry.group(3) == b"n":
                self.offsets[objid] = (int(entry.group(1)), int(entry.group(2)))
        trailer = _TRAILER.match(self.data, pos)
        if trailer is None:
            raise NotStrict("trailer")
        value, pos = self._value(trailer.end())
        if _STARTXREF.match(self.data, pos) is None:
            raise NotStrict("trailer")
        return value

    def get_page_labels(self) -> Any:
        from pdfminer.pdfdocument import PDFNoPageLabels

        if "PageLabels" in self.catalog:
            raise NotStrict("page labels")
        raise PDFNoPageLabels

    def getobj(self, objid: int) -> Any:
        """Object ``objid``, read once."""
        if objid in self.objects:
            return self.objects[objid]
        if objid not in self.offsets or objid in self.reading:
            raise NotStrict(f"object {objid}")
        self.reading.add(objid)  # a stream's /Length may refer to the stream itself
        offset, genno = self.offsets[objid]
        head = _HEADER.match(self.data, offset)
        if head is None or int(head.group(1)) != objid:
            raise NotStrict(f"object {objid}")
        value, pos = self._value(head.end())
        stream = _STREAM.match(self.data, pos)
        if stream is not None and isinstance(value, dict):
            value, pos = self._stream(value, stream.end())
            value.set_objid(objid, genno)
        if _ENDOBJ.match(self.data, pos) is None:
            raise NotStrict(f"object {objid}")
        self.objects[objid] = value
        return value

    def _stream(self, attrs: dict[str, Any], start: int) -> tuple[Any, int]:
        from pdfminer.pdftypes import PDFStream

        length = _resolved(attrs.get("Length"))
        if type(length) is not int or length < 0:
            raise NotStrict("stream length")
        end = _ENDSTREAM.match(self.data, start + length)
        if end is None:
            raise NotStrict("stream end")
        return PDFStream(attrs, self.data[start : start + length]), end.end()

    def _value(self, pos: int) -> tuple[Any, int]:
        """The object that starts at ``pos`` (after white space), and where it ends."""
        from pdfminer.psparser import LIT, PSLiteral

        data = self.data
        open_: list[list[Any]] = []
        kinds: list[bytes] = []
        while True:
            token = _TOKEN.match(data, pos)
            if token is None:
                raise NotStrict(f"token at {pos}")
            pos = token.end()
            kind = token.lastgroup
            text = token.group(kind or 0)
            value: Any
            if kind == "int":
                value = int(text)
            elif kind == "name":
                value = LIT(text.decode("ascii"))
            elif kind == "ref":
                value = self.ref(int(text.split(None, 1)[0]))
            elif kind == "real":
                value = float(text)
            elif kind == "open":
                integers = _INTEGERS.match(data, pos) if text == b"[" else None
                if integers is not None:  # a font's widths: hundreds of them
                    value, pos = [int(number) for number in integers.group(1).split()], integers.end()
                elif len(open_) == _MAX_NESTING:
                    raise NotStrict("nesting")
                else:
                    open_.append([])
                    kinds.append(text)
                    continue
            elif kind == "close":
                if not kinds or kinds.pop() != (b"<<" if text == b">>" else b"["):
                    raise NotStrict(f"unbalanced at {pos}")
                items = open_.pop()
                if text == b"]":
                    value = items
                else:
                    keys = items[::2]
                    if len(items) % 2 or not all(isinstance(key, PSLiteral) for key in keys):
                        raise NotStrict(f"dictionary at {pos}")
                    value = {key.name: item for key, item in zip(keys, items[1::2], strict=True) if item is not None}
            elif kind == "hex":
                value = bytes.fromhex(text.decode("ascii"))
            elif kind == "word":
                value = _WORDS[text]
            else:
                value, pos = self._string(pos)
            if not open_:
                return value, pos
            open_[-1].append(value)

    def _string(self, pos: int) -> tuple[bytes, int]:
        """A literal string's bytes from after its ``(``, and where it ends."""
        data = self.data
        pieces: list[bytes] = []
        depth = 1
        while True:
            piece = _STRING_PIECE.match(data, pos)
            assert piece is not None  # it matches the empty string
            pieces.append(piece.group())
            pos = piece.end()
            char = data[pos : pos + 1]
            if char == b"\\":
                escaped = data[pos + 1 : pos + 2]
                if escaped not in (b"\\", b"(", b")"):
                    raise NotStrict(f"string escape at {pos}")
                pieces.append(escaped)
                pos += 2
                continue
            if char == b"(":
                depth += 1
            elif char == b")":
                depth -= 1
                if not depth:
                    return b"".join(pieces), pos + 1
            else:  # CR or the end of the file
                raise NotStrict(f"string at {pos}")
            pieces.append(char)
            pos += 1

    def ref(self, objid: int) -> Any:
        from pdfminer.pdftypes import PDFObjRef

        return PDFObjRef(self, objid)  # type: ignore[arg-type]  # duck-typed document


def _resolved(value: Any) -> Any:
    from pdfminer.pdftypes import resolve1

    return resolve1(value)
