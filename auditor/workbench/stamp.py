"""What audits the workbench's reports today, as a short digest kept with each stored result.

A result is *outdated* when the workbench now running would audit the same bytes with other code or
other rules: the tool was upgraded, or a checklist (a bundled one, or one a configuration file changes)
differs from the one the stored result came from. The digest covers the auditor's own files (its code,
bundled checklists and data; not the workbench's pages), every loaded checklist as validated (header,
rules and the rules a configuration disabled), the Python version and its Unicode data, and the versions
of the libraries that decide what a file reads as or what a rule finds (:data:`READING`), so nothing that
can change a verdict escapes it. The same bytes audited under the same digest give the same result;
under another, perhaps not, and the workbench says so and offers to audit again (docs/workbench.md,
"Results of an earlier version").
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from auditor import __version__
from auditor.checklist import Checklist

PACKAGE = Path(__file__).resolve().parent.parent
#: the package's parts that never change a verdict: the workbench itself and compiled caches
_LEFT_OUT = {"workbench", "__pycache__"}
LENGTH = 16  # hex characters kept (64 bits): a digest, not a secret
#: the libraries whose version can change what a report reads as (formats, encodings, PDF text) or what a
#: rule finds (patterns, phrases, fuzzy scores, sentences); the workbench's own (web, storage) are left out
READING = (
    "ahocorasick-rs",
    "charset-normalizer",
    "markdown-it-py",
    "pdfplumber",
    "pypdf",
    "pypdfium2",
    "python-docx",
    "rapidfuzz",
    "regex",
    "selectolax",
    "spacy",
)


def reading_versions() -> dict[str, str]:
    """The installed version of each library of :data:`READING` (``-`` for one not installed)."""
    out = {}
    for name in READING:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def _package_files(root: Path) -> list[Path]:
    return sorted(
        f
        for f in root.rglob("*")
        if f.is_file() and not _LEFT_OUT.intersection(f.relative_to(root).parts) and f.suffix != ".pyc"
    )


def tool_stamp(checklists: Sequence[Checklist], root: Path = PACKAGE, versions: Mapping[str, str] | None = None) -> str:
    """The digest of the tool and checklists that audit now (computed once when the workbench starts);
    ``versions``: the libraries' (default: :func:`reading_versions`)."""
    h = hashlib.sha256(f"auditor {__version__}\n".encode())
    h.update(f"python {sys.version_info[:3]} unicode {unicodedata.unidata_version}\n".encode())
    for name, version in sorted((reading_versions() if versions is None else versions).items()):
        h.update(f"{name} {version}\n".encode())
    for f in _package_files(root):
        h.update(f"{f.relative_to(root).as_posix()}\n".encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    for c in sorted(checklists, key=lambda c: c.id):
        h.update(f"checklist {c.id}\n".encode())
        h.update(c.header.model_dump_json().encode())
        for rule in c.rules:
            h.update(rule.model_dump_json().encode())
        h.update(repr(sorted(c.disabled.items())).encode())
    return h.hexdigest()[:LENGTH]
