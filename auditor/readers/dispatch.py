"""``read_document``: open an input, detect its format, run that format's reader, clean up.

Every failure a user can cause surfaces as :class:`auditor.errors.ReadError`; anything else
a third-party parser throws on a malformed file is wrapped into one as well.
"""

from __future__ import annotations

from collections.abc import Callable

from auditor.errors import ReadError
from auditor.readers.detect import DOCX_SUFFIXES, HTML_SUFFIXES, MARKDOWN_SUFFIXES, Format, detect_format
from auditor.readers.model import Extracted, RawText
from auditor.readers.source import Source, open_source
from auditor.readers.textnorm import finish_text, removed_by_finish

DEFAULT_MAX_CHARS = 20_000_000
_MAX_DETAIL = 160
_RESAVE_HINT = "文件可能已损坏，请重新保存或重新下载后再试"

Reader = Callable[[Source, int], RawText]


def read_document(path: str, *, max_chars: int = DEFAULT_MAX_CHARS, stdin_bytes: bytes | None = None) -> Extracted:
    """The plain text of the report at ``path`` (``"-"``: the bytes in ``stdin_bytes``).

    Raises :class:`ReadError` (and nothing else) for every input that cannot be read.
    """
    try:
        return _read(path, max_chars, stdin_bytes)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError("文件过大或被恶意构造：读取时内存不足", hint=_RESAVE_HINT) from exc
    except RecursionError as exc:
        raise ReadError("文件结构嵌套过深，无法读取（文件已损坏或被恶意构造）", hint=_RESAVE_HINT) from exc
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"[:_MAX_DETAIL]
        raise ReadError(f"无法读取文件（{detail}）", hint=_RESAVE_HINT) from exc


def _read(path: str, max_chars: int, stdin_bytes: bytes | None) -> Extracted:
    source = open_source(path, max_chars, stdin_bytes)
    kind = detect_format(source)
    raw = _reader(kind)(source, max_chars)
    locations = raw.locations.shifted(removed_by_finish(raw.text)) if raw.locations is not None else None
    text = finish_text(raw.text, max_chars)
    return Extracted(
        text, kind, raw.encoding, raw.pages, mismatch_note(kind, source.suffix), locations, tuple(raw.unread)
    )


FORMAT_NAMES = {
    "txt": "纯文本",
    "md": "Markdown",
    "docx": "Word（.docx）",
    "doc": "Word 97-2003（.doc）",
    "wps": "WPS 文字",
    "pdf": "PDF",
    "html": "网页",
    "ofd": "OFD",
}
# what each extension promises, built from the suffix sets the format detector uses
_TEXT, _WORD = frozenset({"txt", "md"}), frozenset({"doc", "wps"})
_EXPECTED: dict[str, frozenset[str]] = {
    **dict.fromkeys((".txt", ".text", *MARKDOWN_SUFFIXES), _TEXT),
    **dict.fromkeys(DOCX_SUFFIXES, frozenset({"docx"})),
    **dict.fromkeys((".doc", ".dot", ".wps", ".wpt", ".rtf"), _WORD),
    **dict.fromkeys(HTML_SUFFIXES, frozenset({"html"})),
    ".pdf": frozenset({"pdf"}),
    ".ofd": frozenset({"ofd"}),
}


def mismatch_note(kind: str, suffix: str) -> str | None:
    """``按网页格式读取（扩展名为 .doc）`` when the content is not what the extension says (the file
    is read by its content); None when they agree or the extension says nothing."""
    expected = _EXPECTED.get(suffix)
    if expected is None or kind in expected:
        return None
    return f"按{FORMAT_NAMES.get(kind, kind)}格式读取（扩展名为 {suffix}）"


def _reader(kind: Format) -> Reader:
    """The reader for ``kind``; heavy modules are imported only when needed."""
    if kind == "md":
        from auditor.readers.markdown_reader import read_markdown

        return read_markdown
    if kind == "txt":
        from auditor.readers.plaintext import read_plaintext

        return read_plaintext
    if kind == "html":
        from auditor.readers.html_reader import read_html

        return read_html
    if kind == "docx":
        from auditor.readers.docx_reader import read_docx

        return read_docx
    if kind == "pdf":
        from auditor.readers.pdf_reader import read_pdf

        return read_pdf
    if kind == "ofd":
        from auditor.readers.ofd_reader import read_ofd

        return read_ofd
    from auditor.readers.legacy_word import read_legacy_word

    return lambda source, max_chars: read_legacy_word(source, max_chars, kind)
