"""Open zip-based formats (docx, OFD) with zip-bomb care.

Two lines of defence, so that one report stays well under 1 GiB of memory whatever its
archive says about itself:

* :func:`open_zip` refuses archives whose *declared* sizes are unreasonable (member count,
  total expanded size, compression ratio of big members);
* :func:`read_member` inflates a member in a stream and stops at a cap, whatever its header
  claims, and :func:`check_markup` refuses XML with more elements than a report ever has
  before it is parsed (a parsed element costs about 150 bytes, a ``<a/>`` in the archive 4).
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from auditor.errors import ReadError

MAX_MEMBERS = 10_000
MAX_EXPANDED_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 128 * 1024 * 1024  # inflated bytes read from one member
MAX_XML_TAGS = 2_000_000  # elements in one XML part (a 300-page report has ~200,000)
_BIG_MEMBER = 16 * 1024 * 1024
_MAX_RATIO = 400
_CHUNK = 1024 * 1024
_CORRUPT_HINT = "请用 Word/WPS 打开后重新保存，或重新下载该文件"
_BOMB_HINT = "请正常另存一份文档后再审核，或改交 PDF/TXT 版本"


def open_zip(stream: BinaryIO, what: str) -> zipfile.ZipFile:
    """A checked :class:`zipfile.ZipFile` over ``stream``; ``what`` names the format in errors."""
    try:
        archive = zipfile.ZipFile(stream)
    except Exception as exc:
        raise ReadError(f"{what} 文件已损坏（zip 压缩包损坏或不完整）", hint=_CORRUPT_HINT) from exc
    try:
        check_expansion(archive, what)
    except ReadError:
        archive.close()
        raise
    return archive


def check_expansion(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse archives that say they would expand to an unreasonable size (zip bombs)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _bomb(what, f"包含 {len(members)} 个成员")
    total = sum(info.file_size for info in members)
    if total > MAX_EXPANDED_BYTES:
        raise _bomb(what, f"解压后共 {total} 字节")
    for info in members:
        if info.file_size > _BIG_MEMBER and info.file_size > _MAX_RATIO * max(1, info.compress_size):
            raise _bomb(what, f"中的 {info.filename} 压缩比超过 {_MAX_RATIO} 倍")


def read_member(archive: zipfile.ZipFile, name: str, what: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """The bytes of one member, inflated in a stream and refused past ``limit`` bytes (the
    header's size is not trusted)."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _bomb(what, f"中的 {name} 解压后超过 {limit} 字节")
                chunks.append(chunk)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"{what} 文件已损坏（无法读取其中的 {name}）", hint=_CORRUPT_HINT) from exc
    return b"".join(chunks)


def check_markup(data: bytes, name: str, what: str, limit: int = MAX_XML_TAGS) -> None:
    """Refuse an XML part with more than ``limit`` tags before it is parsed."""
    tags = data.count(b"<")
    if tags > limit:
        raise _bomb(what, f"中的 {name} 含有 {tags} 个 XML 标记，超过 {limit} 个的上限", "")


def _bomb(what: str, detail: str, suspicion: str = "（疑似 zip 炸弹）") -> ReadError:
    return ReadError(f"文件过大或被恶意构造：{what} 文件{detail}{suspicion}", hint=_BOMB_HINT)
