"""PDF files with a text layer: PDFium for plain pages, pdfplumber (with line geometry) for the
rest and for any file PDFium may not see, pypdf as the fallback.

A file that :mod:`pdfplain` finds plain is read with PDFium (:mod:`pdfium_pages`), about ten
times faster than pdfplumber's Python interpreter, to the same lines; the pages PDFium hands back
(drawings and possible ruled tables, forms, rotated text, unmapped characters) and every other
file are read with pdfplumber as before. Scanned PDFs (no text layer), encrypted PDFs and
truncated or corrupt files are refused with a :class:`ReadError`; the page lines are cleaned
and joined by :mod:`layout`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from auditor.errors import ReadError
from auditor.readers.model import RawText
from auditor.readers.paragraphs import LayoutLine, pages_to_located
from auditor.readers.pdflimits import Budget, bounded_pdfminer, check_page_count, too_big
from auditor.readers.pdftables import page_tables, with_tables
from auditor.readers.source import Source
from auditor.readers.textnorm import check_size

Pages = list[list[LayoutLine]]

_EOF_MARKER = b"%%EOF"
_TAIL_BYTES = 4096
_MIN_CHARS_PER_PAGE = 10
_CID = re.compile(r"\(cid:\d+\)")
_NO_TEXT_HINT = "请先做文字识别（OCR），或改交 DOCX/TXT 版本"
_CORRUPT_HINT = "请重新下载或导出 PDF，或改交 DOCX/TXT 版本"


class _EncryptedError(Exception):
    """The PDF needs a password."""


def read_pdf(source: Source, max_chars: int) -> RawText:
    """Extract the text of a PDF; ``pages`` is its page count."""
    if _EOF_MARKER not in source.tail(_TAIL_BYTES):
        raise ReadError("PDF 文件不完整或已损坏（缺少文件结束标记）", hint=_CORRUPT_HINT)
    with _quiet("pdfminer", "pypdf", "pdfplumber"), bounded_pdfminer() as budget:
        pages, count = _extract(source, max_chars, budget)
    _require_text_layer(pages, count)
    text, places = pages_to_located(pages)
    return RawText(text, None, count, places, unread_pages(pages))


MIN_PAGE_CHARS = 20  # a page with fewer characters of text holds none worth reading (a page number)


def unread_pages(pages: Pages) -> tuple[int, ...]:
    """The pages (1-based) without text between pages with text: scanned pages in the middle of a
    report, whose content is lost. (A last page without text is most often the sign-off and seal,
    scanned; a first, a cover: neither holds what the rules look for.)"""
    chars = [sum(len(line.text.strip()) for line in page) for page in pages]
    texted = [i for i, n in enumerate(chars) if n >= MIN_PAGE_CHARS]
    if len(texted) < 2:
        return ()
    return tuple(i + 1 for i in range(texted[0] + 1, texted[-1]) if chars[i] < MIN_PAGE_CHARS)


def _extract(source: Source, max_chars: int, budget: Budget) -> tuple[Pages, int]:
    try:
        known = _with_pdfium(source)
        if known is None:
            blank = _textless(source)
            if blank is not None:  # no page can show text: refused below without pdfplumber's interpreter
                return [[] for _ in range(blank)], blank
        return _with_pdfplumber(source, max_chars, known)
    except ReadError:
        raise
    except _EncryptedError:
        raise _encrypted() from None
    except Exception as exc:
        if budget.refused is not None:  # a stream over the caps (wrapped by pdfplumber)
            raise budget.refused from exc
        if _is_password_error(exc):
            raise _encrypted() from exc
        try:
            return _with_pypdf(source, max_chars)
        except ReadError:
            raise
        except _EncryptedError:
            raise _encrypted() from None
        except Exception as fallback_exc:
            if type(fallback_exc).__name__ == "LimitReachedError":  # pypdf's own caps
                raise too_big("中有数据流解压后过大") from fallback_exc
            raise ReadError("PDF 文件已损坏或无法读取", hint=_CORRUPT_HINT) from fallback_exc


def _encrypted() -> ReadError:
    return ReadError("PDF 文件已加密", hint="请提供无密码的版本，或改交 DOCX/TXT 版本")


def _is_password_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        names = [type(seen).__name__, *(type(arg).__name__ for arg in seen.args)]
        if any("Password" in name or "Encrypt" in name for name in names):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _with_pdfium(source: Source) -> list[list[LayoutLine] | None] | None:
    """The lines of each page read by PDFium (``None`` for a page it leaves to pdfplumber), or
    ``None`` if PDFium may not read the file."""
    from auditor.readers.pdfium_pages import pdfium_pages
    from auditor.readers.pdfplain import plain_contents

    data = source.read_bytes()
    contents = plain_contents(data)
    if contents is None:
        return None
    try:
        return pdfium_pages(data, contents)
    except Exception:  # PDFium's trouble never decides a file's fate: pdfplumber reads it as before
        return None


def _textless(source: Source) -> int | None:
    from auditor.readers.pdfplain import textless_pages

    return textless_pages(source.read_bytes())


def _with_pdfplumber(
    source: Source, max_chars: int, known: list[list[LayoutLine] | None] | None = None
) -> tuple[Pages, int]:
    """Every page's lines: those in ``known`` as they are, the others read with pdfplumber."""
    if known is not None and all(page is not None for page in known):
        read = [page for page in known if page is not None]
        check_size(sum(len(line.text) + 1 for page in read for line in page), max_chars)
        return read, len(read)
    import pdfplumber

    from auditor.readers.pdfchars import fast_chars

    pages: Pages = []
    total = 0
    # any binary stream will do (pdfplumber's annotation names two concrete classes)
    with source.open() as stream, pdfplumber.open(cast(Any, stream)) as pdf:
        check_page_count(len(pdf.pages))
        for index, page in enumerate(pdf.pages):
            lines = known[index] if known is not None and len(known) == len(pdf.pages) else None
            if lines is None:
                page = fast_chars(page)
                lines = with_tables(page.extract_text_lines(strip=True, return_chars=False), page_tables(page))
                page.close()
            total += sum(len(line.text) + 1 for line in lines)
            check_size(total, max_chars)
            pages.append(lines)
        return pages, len(pdf.pages)


def _with_pypdf(source: Source, max_chars: int) -> tuple[Pages, int]:
    from pypdf import PdfReader

    with source.open() as stream:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _EncryptedError
        pages: Pages = []
        total = 0
        check_page_count(len(reader.pages))
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            check_size(total, max_chars)
            pages.append([LayoutLine(line) for line in text.splitlines()])
        return pages, len(pages)


def _require_text_layer(pages: Pages, count: int) -> None:
    raw = "".join("".join(line.text.split()) for page in pages for line in page)
    readable = _CID.sub("", raw)
    needed = _MIN_CHARS_PER_PAGE * max(1, count)
    if len(raw) >= needed and 2 * len(readable) < len(raw):
        raise ReadError("PDF 中的文字无法解码（所用字体没有 Unicode 映射）", hint=_NO_TEXT_HINT)
    if len(readable) < needed:
        raise ReadError("PDF 没有文字层（可能是扫描图片）", hint=_NO_TEXT_HINT)


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Silence the parsers' warnings about sloppy PDFs while we read one."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
