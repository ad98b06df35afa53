"""pdfplumber's character objects built without its per-attribute detour, to the same result.

``Page.process_object`` turns each pdfminer object into a dict: for every attribute it calls a
closure and ``resolve_all`` (which rebuilds every tuple, such as a character's matrix, one
generator step per number) and decodes the colour space's name one character at a time. On a
text PDF that is about 40 % of reading the file (the rest is pdfminer's interpreter). For a
character (``LTChar``, nearly every object of a report) :func:`char_object` builds the same
dict, key for key and in the same order, resolving only what is not a plain value; every other
object goes through pdfplumber's own code. ``tests/readers/test_pdf_chars.py`` checks that
every page's objects are equal both ways on generated PDFs, with and without ruled tables.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from unicodedata import normalize

from pdfminer.layout import LTChar
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

_PLAIN = frozenset({float, int, bool, str, type(None)})


def _value(value: Any) -> Any:
    """What ``resolve_all`` returns, without its work for plain values and tuples of them."""
    kind = type(value)
    if kind in _PLAIN or (kind is tuple and all(type(x) in _PLAIN for x in value)):
        return value
    return resolve_all(value)


@lru_cache(maxsize=64)
def _decoded_name(name: str) -> Any:
    """A colour space name as pdfplumber decodes it (pure; a report has a handful of names)."""
    return resolve_and_decode(name)


def _colour_space(name: Any) -> Any:
    return _decoded_name(name) if type(name) is str else resolve_and_decode(name)


def char_object(page: Page, obj: LTChar) -> dict[str, Any]:
    """``page.process_object(obj)`` for a character: the same keys, values and order."""
    attr = {k: v if type(v) in _PLAIN else _value(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
    attr["object_type"] = "char"
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = _colour_space(getattr(obj, cs).name)
    text = obj.get_text()
    form = page.pdf.unicode_norm
    attr["text"] = normalize(form, text) if form is not None else text
    gs = obj.graphicstate
    attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
    attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
    if isinstance(attr["fontname"], bytes):
        attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def fast_chars(page: Page) -> Page:
    """Make this page (only) build its character objects with :func:`char_object`."""
    generic = page.process_object

    def process_object(obj: Any) -> dict[str, Any]:
        return char_object(page, obj) if type(obj) is LTChar else generic(obj)

    page.process_object = process_object  # type: ignore[method-assign]
    return page
