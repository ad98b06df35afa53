"""Legacy Word .doc, Kingsoft .wps and RTF files: converted to .docx by LibreOffice, then read.

The input is copied into a private temporary folder first (LibreOffice never touches the
original), converted with ``soffice --headless --convert-to docx`` under a timeout and with a
throw-away user profile, and the result is read by :mod:`docx_reader`. Junk behind an OLE
signature is refused before converting, and a conversion that is mojibake after it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from auditor.errors import ReadError
from auditor.readers.compound import is_encrypted
from auditor.readers.docx_reader import read_docx
from auditor.readers.encoding import common_share
from auditor.readers.magic import RTF_MAGIC
from auditor.readers.model import RawText
from auditor.readers.plaintext import refuse_binary_text
from auditor.readers.source import Source, open_source

CONVERT_TIMEOUT_SECONDS = 120
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # its name in the compound file's directory
_DAMAGED_HINT = "请用 Word/WPS 打开后另存为 .docx，或改交 PDF/TXT 版本"
_ENCRYPTED_HINT = "请在 Word/WPS 中取消打开密码后另存为 .docx，或改交 PDF/TXT 版本"
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
_SAMPLE = 200_000
_MIN_FOREIGN = 20
_MIN_COMMON_SHARE = 0.3  # real reports: over 0.9 (traditional-script ones less); junk: under 0.2
INSTALL_HINT = "请安装 LibreOffice（Debian：apt-get install libreoffice-writer），或将文件另存为 .docx"


def find_converter() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(source: Source, max_chars: int, kind: str) -> RawText:
    """Convert a .doc/.wps/.rtf input with LibreOffice and extract the resulting .docx."""
    converter = find_converter()
    if converter is None:
        raise ReadError(
            f"无法读取 .{kind} 文件：未安装转换程序 LibreOffice（soffice）",
            hint=INSTALL_HINT,
        )
    data = source.read_bytes()
    is_rtf = data.startswith(RTF_MAGIC)
    if not is_rtf:
        check_compound_file(data, kind)
    with tempfile.TemporaryDirectory(prefix="auditor-convert-") as folder:
        work = Path(folder)
        original = work / f"input{'.rtf' if is_rtf else '.doc'}"
        original.write_bytes(data)
        converted = _convert(converter, original, work, kind)
        raw = read_docx(open_source(str(converted), max_chars, None), max_chars)
    check_converted(raw.text, kind)
    return raw  # paragraphs numbered as in the converted .docx, which keeps the document's paragraphs


def check_compound_file(data: bytes, kind: str) -> None:
    """Refuse junk behind an OLE signature before LibreOffice sees it (it would import the
    bytes as plain text and hand back pages of mojibake): the compound-file header must be
    sane (MS-CFB 2.2), the document not protected by a password (LibreOffice fails on it as on a
    damaged file) and a .doc must hold a ``WordDocument`` stream."""
    header_ok = (
        len(data) >= 512
        and data[0x1C:0x1E] == b"\xfe\xff"  # byte order
        and (data[0x1A:0x1C], data[0x1E:0x20]) in ((b"\x03\x00", b"\x09\x00"), (b"\x04\x00", b"\x0c\x00"))
        and data[0x20:0x22] == b"\x06\x00"  # mini sector shift
    )
    if not header_ok:
        raise ReadError(f".{kind} 文件已损坏（文件头之后不是有效的 Office 复合文档）", hint=_DAMAGED_HINT)
    if is_encrypted(data):
        raise ReadError("文档设有打开密码（已加密），无法读取", hint=_ENCRYPTED_HINT)
    if kind == "doc" and _WORD_STREAM not in data:
        raise ReadError(".doc 文件不是 Word 文档（其中没有 Word 正文数据）", hint=_DAMAGED_HINT)


def check_converted(text: str, kind: str) -> None:
    """Refuse a conversion that is mojibake (junk imported as text): a report's non-ASCII
    characters are mostly common Chinese characters (over 90 % in real reports, junk under 20 %)."""
    refuse_binary_text(text, f".{kind}")
    foreign = _NON_ASCII.findall(text[:_SAMPLE])
    if len(foreign) >= _MIN_FOREIGN and common_share("".join(foreign)) < _MIN_COMMON_SHARE:
        raise ReadError(f".{kind} 文件转换后是乱码（文件已损坏，或不是 Word 文档）", hint=_DAMAGED_HINT)


def _convert(converter: str, original: Path, work: Path, kind: str) -> Path:
    outdir = work / "out"
    command = [
        converter,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "docx",
        "--outdir",
        str(outdir),
        str(original),
    ]
    _run(command, kind)
    converted = outdir / f"{original.stem}.docx"
    if not converted.is_file():
        raise ReadError(
            f"LibreOffice 无法转换该 .{kind} 文件（文件已损坏，或不是 Word 文档）",
            hint="请用 Word/WPS 打开后另存为 .docx",
        )
    return converted


def _run(command: list[str], kind: str) -> None:
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ReadError(f"无法运行 LibreOffice（{exc}）", hint=INSTALL_HINT) from exc
    try:
        process.wait(timeout=CONVERT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ReadError(
            f"LibreOffice 转换该 .{kind} 文件超过 {CONVERT_TIMEOUT_SECONDS} 秒",
            hint="请将文件另存为 .docx",
        ) from None
    finally:
        if process.poll() is None:  # timed out or interrupted: end the whole process group
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
