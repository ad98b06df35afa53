"""Recognize well-known binary file types by their leading bytes (no extension trusted)."""

from __future__ import annotations

from typing import NamedTuple

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"


class BinaryKind(NamedTuple):
    """A non-report binary type: a short description and a broad category."""

    description: str
    category: str


_PREFIXES: tuple[tuple[bytes, BinaryKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", BinaryKind("PNG 图片", "图片")),
    (b"\xff\xd8\xff", BinaryKind("JPEG 图片", "图片")),
    (b"GIF87a", BinaryKind("GIF 图片", "图片")),
    (b"GIF89a", BinaryKind("GIF 图片", "图片")),
    (b"II*\x00", BinaryKind("TIFF 图片", "图片")),
    (b"MM\x00*", BinaryKind("TIFF 图片", "图片")),
    (b"\x00\x00\x01\x00", BinaryKind("图标图片", "图片")),
    (b"Rar!\x1a\x07", BinaryKind("RAR 压缩包", "压缩包")),
    (b"7z\xbc\xaf\x27\x1c", BinaryKind("7-Zip 压缩包", "压缩包")),
    (b"\x1f\x8b", BinaryKind("gzip 压缩包", "压缩包")),
    (b"BZh", BinaryKind("bzip2 压缩包", "压缩包")),
    (b"\xfd7zXZ\x00", BinaryKind("xz 压缩包", "压缩包")),
    (b"\x28\xb5\x2f\xfd", BinaryKind("zstd 压缩包", "压缩包")),
    (b"PK\x05\x06", BinaryKind("空的 zip 压缩包", "压缩包")),
    (b"\x7fELF", BinaryKind("ELF 可执行程序", "可执行程序")),
    (b"\xfe\xed\xfa\xce", BinaryKind("Mach-O 可执行程序", "可执行程序")),
    (b"\xfe\xed\xfa\xcf", BinaryKind("Mach-O 可执行程序", "可执行程序")),
    (b"\xcf\xfa\xed\xfe", BinaryKind("Mach-O 可执行程序", "可执行程序")),
    (b"\xca\xfe\xba\xbe", BinaryKind("Mach-O 可执行程序或 Java 类文件", "可执行程序")),
    (b"\x00asm", BinaryKind("WebAssembly 模块", "可执行程序")),
    (b"SQLite format 3\x00", BinaryKind("SQLite 数据库", "数据库文件")),
    (b"ID3", BinaryKind("MP3 音频", "音频或视频")),
    (b"OggS", BinaryKind("Ogg 音视频", "音频或视频")),
    (b"fLaC", BinaryKind("FLAC 音频", "音频或视频")),
    (b"%!PS", BinaryKind("PostScript 文档", "PostScript 文档")),
)


#: every signature of _PREFIXES, for one startswith test (a text file starts with none)
_ANY_PREFIX = tuple(prefix for prefix, _ in _PREFIXES)


def binary_kind(head: bytes) -> BinaryKind | None:
    """The non-report binary type whose signature starts ``head``, if any."""
    if head.startswith(_ANY_PREFIX):
        for prefix, kind in _PREFIXES:
            if head.startswith(prefix):
                return kind
    return _container_kind(head)


def _container_kind(head: bytes) -> BinaryKind | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return BinaryKind("WebP 图片", "图片")
    if head[:4] == b"RIFF":
        return BinaryKind("RIFF 音视频", "音频或视频")
    if head[4:8] == b"ftyp":
        return BinaryKind("MP4/HEIF 图片或视频", "图片或视频")
    if head[:2] == b"MZ" and b"\x00" in head[2:64]:
        return BinaryKind("Windows 可执行程序", "可执行程序")
    if head[:2] == b"BM" and len(head) > 14 and b"\x00" in head[2:14]:
        return BinaryKind("BMP 图片", "图片")
    if head[257:262] == b"ustar":
        return BinaryKind("tar 压缩包", "压缩包")
    return None


def is_pdf(head: bytes) -> bool:
    """PDF files may carry a little junk before ``%PDF-``."""
    return PDF_MAGIC in head[:1024]


_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


def control_byte_share(head: bytes) -> float:
    """The share of ASCII control bytes (never part of GBK/Big5/UTF-8 text) in ``head``."""
    if not head:
        return 0.0
    return (len(head) - len(head.translate(None, _CONTROL))) / len(head)
