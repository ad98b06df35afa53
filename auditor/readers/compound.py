"""Whether an OLE compound file (MS-CFB) holds a document protected by a password.

Two shapes: an encrypted Office Open XML document (a .docx saved with a password is a compound
file holding an ``EncryptedPackage`` stream, MS-OFFCRYPTO 2.3.4.1), and an encrypted or
obfuscated Word 97–2003 document (the ``fEncrypted`` or ``fObfuscated`` flag of the FIB at the
start of its ``WordDocument`` stream, MS-DOC 2.5.2). LibreOffice cannot convert either without the
password: it fails as it fails on a damaged file. Pure; the walk is bounded (a file's directory
chain may loop).
"""

from __future__ import annotations

from collections.abc import Callable

_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument"
_FIB_FLAGS = 0x0A  # the FIB's flags word, in the WordDocument stream
_ENCRYPTED_FLAGS = 0x0100 | 0x8000  # fEncrypted, fObfuscated
_ENTRY = 128  # bytes of one directory entry
_MAX_DIRECTORY_SECTORS = 4096
_LAST = 0xFFFFFFFA  # sector numbers from here up end a chain (or mark special sectors)


def is_encrypted(data: bytes) -> bool:
    """Whether the compound file ``data`` (its header already found sane) needs a password."""
    if _ENCRYPTED_PACKAGE in data:
        return True
    start = _stream_start(data, _WORD_STREAM)
    if start is None:
        return False
    flags = data[start + _FIB_FLAGS : start + _FIB_FLAGS + 2]
    return len(flags) == 2 and bool(int.from_bytes(flags, "little") & _ENCRYPTED_FLAGS)


def _stream_start(data: bytes, name: str) -> int | None:
    """The offset of the first sector of the stream named ``name`` (a stream of 4096 bytes or
    more, in the regular sectors), or None."""
    shift = int.from_bytes(data[0x1E:0x20], "little")
    if shift not in (9, 12):
        return None
    size = 1 << shift
    fat = _fat(data, size)
    sector = int.from_bytes(data[0x30:0x34], "little")
    for _ in range(_MAX_DIRECTORY_SECTORS):
        if sector >= _LAST:
            return None
        offset = (sector + 1) * size
        for entry in range(offset, min(offset + size, len(data)) - _ENTRY + 1, _ENTRY):
            length = int.from_bytes(data[entry + 64 : entry + 66], "little")
            if 2 <= length <= 64 and data[entry : entry + length - 2].decode("utf-16-le", "replace") == name:
                first = int.from_bytes(data[entry + 116 : entry + 120], "little")
                return None if first >= _LAST else (first + 1) * size
        sector = fat(sector)
    return None


def _fat(data: bytes, size: int) -> Callable[[int], int]:
    """The next sector of a chain, by the FAT sectors the header lists (the first 109)."""
    fat_sectors = [int.from_bytes(data[0x4C + 4 * i : 0x50 + 4 * i], "little") for i in range(109)]
    per_sector = size // 4

    def following(sector: int) -> int:
        index, slot = divmod(sector, per_sector)
        if index >= len(fat_sectors) or fat_sectors[index] >= _LAST:
            return _LAST
        at = (fat_sectors[index] + 1) * size + 4 * slot
        word = data[at : at + 4]
        return int.from_bytes(word, "little") if len(word) == 4 else _LAST

    return following
