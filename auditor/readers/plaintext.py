"""Plain text and Markdown files: decode the bytes, refuse binary content, keep the text as is."""

from __future__ import annotations

import re

from auditor.document.location import SourceMap
from auditor.errors import ReadError
from auditor.readers.encoding import decode_bytes
from auditor.readers.model import RawText
from auditor.readers.source import Source

_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
_SAMPLE_CHARS = 200_000
_MAX_CONTROL_SHARE = 0.01


def read_plaintext(source: Source, max_chars: int) -> RawText:
    """Decode a .txt/.md file (any common Chinese or Unicode encoding)."""
    text, encoding = decode_bytes(source.read_bytes())
    refuse_binary_text(text, source.suffix)
    return RawText(text, encoding, locations=SourceMap.lines())


def refuse_binary_text(text: str, suffix: str) -> None:
    """Raise if decoded ``text`` is mostly control characters (binary data that decoded)."""
    sample = text[:_SAMPLE_CHARS]
    if sample and len(_CONTROL_CHARS.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE:
        named = f"文件扩展名是 {suffix}，但" if suffix else ""
        raise ReadError("内容是二进制数据，不是文本", hint=f"{named}其中没有可读的文字")
