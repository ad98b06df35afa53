"""Decide the format of an input from its content (magic bytes); the extension is a hint only."""

from __future__ import annotations

import re
import zipfile
from typing import Literal

from auditor.errors import ReadError
from auditor.readers.magic import (
    OLE_MAGIC,
    RTF_MAGIC,
    ZIP_MAGIC,
    binary_kind,
    control_byte_share,
    is_pdf,
)
from auditor.readers.source import Source

Format = Literal["txt", "md", "docx", "doc", "wps", "pdf", "html", "ofd"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
DOCX_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".dotm"})
_OLE_NON_WORD = {
    ".xls": "旧版 Excel 工作簿",
    ".et": "WPS 表格",
    ".ppt": "旧版 PowerPoint 演示文稿",
    ".dps": "WPS 演示文稿",
    ".msg": "Outlook 邮件",
}
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|link|style|script|div|table|p|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)
_MHTML = re.compile(rb"^\s*(?:from:|mime-version:|content-type:\s*multipart/related)", re.I)
_UNSUPPORTED_HINT = "请提交 .docx、.pdf、.html、.ofd 或 .txt 格式的报告"
_BINARY_THRESHOLD = 0.01


def detect_format(source: Source) -> Format:
    """The format to read ``source`` as, or a :class:`ReadError` for non-reports and garbage."""
    head = source.head
    if is_pdf(head):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_format(source)
    if head.startswith(OLE_MAGIC):
        return _ole_format(source.suffix)
    if head.startswith(RTF_MAGIC):
        return "wps" if source.suffix == ".wps" else "doc"
    _refuse_binary(head, source.suffix)
    return _text_format(head, source.suffix)


def unsupported(description: str) -> ReadError:
    """The error for an input that is a known, non-report format."""
    return ReadError(f"不是支持的报告格式（{description}）", hint=_UNSUPPORTED_HINT)


def _refuse_binary(head: bytes, suffix: str) -> None:
    kind = binary_kind(head)
    if kind is not None:
        raise unsupported(kind.description)
    if _MHTML.match(head):
        raise unsupported("MHTML 网页存档")
    if control_byte_share(_without_utf16(head)) > _BINARY_THRESHOLD:
        raise ReadError("内容是二进制数据，不是文本", hint=_binary_hint(suffix))


def _without_utf16(head: bytes) -> bytes:
    """UTF-16/32 text is full of NUL bytes: judge it after decoding, not here."""
    from auditor.readers.encoding import decode_utf16_without_bom

    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] == b"\x00\x00\xfe\xff":
        return b""
    if head.find(b"\x00", 0, 4096) == -1:
        return head  # no NUL in its first 4096 bytes: not UTF-16 (decode_utf16_without_bom's first test)
    if decode_utf16_without_bom(head[: len(head) - len(head) % 2]) is not None:
        return b""
    return head


def _binary_hint(suffix: str) -> str:
    if suffix:
        return f"文件扩展名是 {suffix}，但内容不是可读的文档"
    return "输入内容不是可读的文档"


def _text_format(head: bytes, suffix: str) -> Format:
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in HTML_SUFFIXES or _looks_like_html(head):
        return "html"
    return "txt"


def _looks_like_html(head: bytes) -> bool:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return bool(_HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")[:4096]))


def _ole_format(suffix: str) -> Format:
    if suffix in _OLE_NON_WORD:
        raise unsupported(_OLE_NON_WORD[suffix])
    return "wps" if suffix in (".wps", ".wpt") else "doc"


def _zip_format(source: Source) -> Format:
    names = _zip_names(source)
    lowered = {name.lower() for name in names}
    if any(name.startswith("word/") for name in lowered):
        return "docx"
    if "ofd.xml" in lowered:
        return "ofd"
    raise unsupported(_zip_description(lowered))


def _zip_names(source: Source) -> list[str]:
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            return archive.namelist()
    except ReadError:
        raise
    except Exception as exc:
        raise _corrupt_zip(source.suffix) from exc


def _corrupt_zip(suffix: str) -> ReadError:
    if suffix in DOCX_SUFFIXES:
        what = f"{suffix} 文件"
    elif suffix == ".ofd":
        what = "OFD 文件"
    else:
        what = "zip 压缩包"
    return ReadError(
        f"{what}已损坏（zip 压缩包损坏或不完整）",
        hint="请打开后重新保存，或重新下载该文件",
    )


def _zip_description(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "Excel 工作簿"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿"
    if "mimetype" in names or "content.xml" in names:
        return "OpenDocument 文档"
    return "zip 压缩包"
