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
    (b"\x89PNG\r\n\x1a\n", BinaryKind("PNG image", "image")),
    (b"\xff\xd8\xff", BinaryKind("JPEG image", "image")),
    (b"GIF87a", BinaryKind("GIF image", "image")),
    (b"GIF89a", BinaryKind("GIF image", "image")),
    (b"II*\x00", BinaryKind("TIFF image", "image")),
    (b"MM\x00*", BinaryKind("TIFF image", "image")),
    (b"\x00\x00\x01\x00", BinaryKind("icon image", "image")),
    (b"Rar!\x1a\x07", BinaryKind("RAR archive", "archive")),
    (b"7z\xbc\xaf\x27\x1c", BinaryKind("7-Zip archive", "archive")),
    (b"\x1f\x8b", BinaryKind("gzip archive", "archive")),
    (b"BZh", BinaryKind("bzip2 archive", "archive")),
    (b"\xfd7zXZ\x00", BinaryKind("xz archive", "archive")),
    (b"\x28\xb5\x2f\xfd", BinaryKind("zstd archive", "archive")),
    (b"PK\x05\x06", BinaryKind("empty zip archive", "archive")),
    (b"\x7fELF", BinaryKind("ELF executable", "executable")),
    (b"\xfe\xed\xfa\xce", BinaryKind("Mach-O executable", "executable")),
    (b"\xfe\xed\xfa\xcf", BinaryKind("Mach-O executable", "executable")),
    (b"\xcf\xfa\xed\xfe", BinaryKind("Mach-O executable", "executable")),
    (b"\xca\xfe\xba\xbe", BinaryKind("Mach-O or Java class file", "executable")),
    (b"\x00asm", BinaryKind("WebAssembly module", "executable")),
    (b"SQLite format 3\x00", BinaryKind("SQLite database", "database")),
    (b"ID3", BinaryKind("MP3 audio", "audio or video")),
    (b"OggS", BinaryKind("Ogg media", "audio or video")),
    (b"fLaC", BinaryKind("FLAC audio", "audio or video")),
    (b"%!PS", BinaryKind("PostScript document", "PostScript")),
)


def binary_kind(head: bytes) -> BinaryKind | None:
    """The non-report binary type whose signature starts ``head``, if any."""
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    return _container_kind(head)


def _container_kind(head: bytes) -> BinaryKind | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return BinaryKind("WebP image", "image")
    if head[:4] == b"RIFF":
        return BinaryKind("RIFF media", "audio or video")
    if head[4:8] == b"ftyp":
        return BinaryKind("MP4/HEIF media", "image or video")
    if head[:2] == b"MZ" and b"\x00" in head[2:64]:
        return BinaryKind("Windows executable", "executable")
    if head[:2] == b"BM" and len(head) > 14 and b"\x00" in head[2:14]:
        return BinaryKind("BMP image", "image")
    if head[257:262] == b"ustar":
        return BinaryKind("tar archive", "archive")
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
