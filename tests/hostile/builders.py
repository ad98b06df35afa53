"""Hostile inputs built at test time (zip bombs, PDF stream bombs, deep HTML, YAML alias bombs)
and a runner that reads one input in a child process under a memory limit and a time bound."""

from __future__ import annotations

import json
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

GIB = 1024**3

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
    '.wordprocessingml.document.main+xml"/>{overrides}</Types>'
)
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_PAGE_TEXT = "法治政府建设年度报告。本年度我局认真贯彻落实各项部署，依法行政水平不断提高。"


@dataclass(frozen=True)
class Outcome:
    """What reading one input in a limited child process gave."""

    returncode: int
    seconds: float
    result: dict[str, object]  # {"text": n} or {"error": message}; {} when the child died


def read_limited(path: Path, *, memory: int = GIB, timeout: float = 60) -> Outcome:
    """``read_document(path)`` in a child process with ``RLIMIT_AS = memory``."""
    code = (
        "import json, sys\n"
        "from auditor.errors import ReadError\n"
        "from auditor.readers import read_document\n"
        "try:\n"
        "    print(json.dumps({'text': len(read_document(sys.argv[1]).text)}))\n"
        "except ReadError as exc:\n"
        "    print(json.dumps({'error': str(exc)}))\n"
    )
    return run_limited([sys.executable, "-c", code, str(path)], memory=memory, timeout=timeout)


def run_limited(command: list[str], *, memory: int = GIB, timeout: float = 60, cwd: Path | None = None) -> Outcome:
    """Run ``command`` under a memory limit; its last stdout line is parsed as JSON if it can be."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, timeout=timeout, preexec_fn=limit, cwd=cwd, check=False)
    seconds = time.monotonic() - start
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else {}
    except ValueError:
        result = {"stdout": lines[-1]}
    if done.stderr:
        result = {**result, "stderr": done.stderr.decode("utf-8", "replace")[-2000:]}
    return Outcome(done.returncode, seconds, result)


# ------------------------------------------------------------------------------ docx


def _paragraphs_xml(count: int) -> bytes:
    return f"<w:p><w:r><w:t>{_PAGE_TEXT}</w:t></w:r></w:p>".encode() * count


def write_docx(path: Path, body: bytes, *, headers: Sequence[bytes] = (), text: bool = True) -> None:
    """A WordprocessingML package whose body is ``body`` (raw XML children of w:body) and with
    one header part per item of ``headers``, each related from the main document; ``text``:
    three paragraphs of report text come first."""
    overrides = "".join(
        f'<Override PartName="/word/header{i}.xml" ContentType="{_HEADER_TYPE}"/>' for i in range(len(headers))
    )
    rels = "".join(
        f'<Relationship Id="rIdH{i}" Type="{_R}/header" Target="header{i}.xml"/>' for i in range(len(headers))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_R}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">{rels}</Relationships>',
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            member.write(_paragraphs_xml(3 if text else 0))
            member.write(body)
            member.write(b"</w:body></w:document>")
        for i, header in enumerate(headers):
            with archive.open(f"word/header{i}.xml", "w", force_zip64=True) as member:
                member.write(f'<w:hdr xmlns:w="{_W}">'.encode())
                member.write(header)
                member.write(b"</w:hdr>")


def dense_xml(megabytes: int) -> bytes:
    """Empty paragraphs: 6 bytes each in the archive, ~150 bytes each once parsed."""
    return b"<w:p/>" * (megabytes * 1024 * 1024 // 6)


def lie_about_size(path: Path, member: str, declared: int) -> None:
    """Rewrite the sizes a zip declares for ``member`` (local and central headers)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    data[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = _central_entry(data, name)
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def _central_entry(data: bytearray, name: bytes) -> int:
    start = 0
    while True:
        found = data.index(b"PK\x01\x02", start)
        length = int.from_bytes(data[found + 28 : found + 30], "little")
        if data[found + 46 : found + 46 + length] == name:
            return found
        start = found + 4


# ------------------------------------------------------------------------------ pdf


def write_pdf(path: Path, content: bytes, *, filters: str = "/FlateDecode") -> None:
    """A one-page PDF whose content stream is ``content`` (already encoded for ``filters``)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(pdf_bytes(objects))


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1, the first the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflate_bomb(megabytes: int) -> bytes:
    """A little text, then ``megabytes`` MB of spaces, deflated (about 1000:1)."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    parts = [packer.compress(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n")]
    parts += [packer.compress(chunk) for _ in range(megabytes)]
    return b"".join([*parts, packer.flush()])


def glyph_flood(count: int) -> bytes:
    """A content stream showing ``count`` glyphs (each a layout object of ~2.5 KB)."""
    return zlib.compress(b"BT /F1 1 Tf 10 10 Td " + b"(a) Tj " * count + b"ET\n", 9)


# ------------------------------------------------------------------------------ yaml


def billion_laughs(levels: int = 8) -> str:
    """A YAML document whose aliases expand to 9**levels nodes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append(f"checklist: {{id: lol, title: *{previous}}}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ ole


def compound_file(streams: Sequence[tuple[str, bytes]]) -> bytes:
    """An OLE compound file (MS-CFB version 3: 512-byte sectors, one FAT sector, one directory
    sector) holding ``streams``, each padded to 4096 bytes or more (none in the mini stream)."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF

    def entry(name: str, kind: int, right: int = none, child: int = none, start: int = end, size: int = 0) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        head = raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1 if name else 0, none, right, child)
        return head + b"\0" * 36 + struct.pack("<IQ", start, size)

    fat, bodies, directory = [fat_sector, end], [], entry("Root Entry", 5, child=1)
    for i, (name, body) in enumerate(streams, 1):
        body = body.ljust(max(4096, -(-len(body) // 512) * 512), b"\0")
        start, count = len(fat), len(body) // 512
        fat += [*range(start + 1, start + count), end]
        bodies.append(body)
        directory += entry(name, 2, right=i + 1 if i < len(streams) else none, start=start, size=len(body))
    assert len(fat) <= 128 and len(directory) <= 512
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<109I", 0, *[free] * 108)
    return (
        header + struct.pack("<128I", *fat, *[free] * (128 - len(fat))) + directory.ljust(512, b"\0") + b"".join(bodies)
    )


def encrypted_ooxml() -> bytes:
    """What Word saves for a .docx with an opening password: a compound file, the package encrypted."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    return compound_file([("EncryptionInfo", info), ("EncryptedPackage", struct.pack("<Q", 20000) + bytes(4096))])


def word97(flags: int) -> bytes:
    """A Word 97–2003 compound file whose FIB (at the start of its WordDocument stream) has ``flags``."""
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0, 0, flags)
    return compound_file([("WordDocument", fib), ("1Table", b"\0" * 64)])
