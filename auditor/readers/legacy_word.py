"""Legacy Word .doc, Kingsoft .wps and RTF files: converted to .docx by LibreOffice, then read.

The input is copied into a private temporary folder first (LibreOffice never touches the
original), converted with ``soffice --headless --convert-to docx`` under a timeout and with a
throw-away user profile, and the result is read by :mod:`docx_reader`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from auditor.errors import ReadError
from auditor.readers.docx_reader import read_docx
from auditor.readers.magic import RTF_MAGIC
from auditor.readers.model import RawText
from auditor.readers.source import Source, open_source

CONVERT_TIMEOUT_SECONDS = 120
INSTALL_HINT = (
    "install LibreOffice (Debian: apt-get install libreoffice-writer) or save the file as .docx"
)


def find_converter() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(source: Source, max_chars: int, kind: str) -> RawText:
    """Convert a .doc/.wps/.rtf input with LibreOffice and extract the resulting .docx."""
    converter = find_converter()
    if converter is None:
        raise ReadError(
            f"cannot read .{kind} files: the converter LibreOffice (soffice) is not installed",
            hint=INSTALL_HINT,
        )
    with tempfile.TemporaryDirectory(prefix="auditor-convert-") as folder:
        work = Path(folder)
        suffix = ".rtf" if source.head.startswith(RTF_MAGIC) else ".doc"
        original = work / f"input{suffix}"
        original.write_bytes(source.read_bytes())
        converted = _convert(converter, original, work, kind)
        text = read_docx(open_source(str(converted), max_chars, None), max_chars).text
    return RawText(text)


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
            f"LibreOffice could not convert the .{kind} file (corrupt, or not a Word document?)",
            hint="open and re-save it as .docx",
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
        raise ReadError(f"cannot run LibreOffice ({exc})", hint=INSTALL_HINT) from exc
    try:
        process.wait(timeout=CONVERT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ReadError(
            f"LibreOffice took over {CONVERT_TIMEOUT_SECONDS} s to convert the .{kind} file",
            hint="save the file as .docx",
        ) from None
    finally:
        if process.poll() is None:  # timed out or interrupted: end the whole process group
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
