"""Every human output of a batch with broken files is Chinese: no ASCII-only English sentence.

The batch holds an empty file, binary data named .docx, a truncated .docx, an unreadable PDF,
a report saved with the wrong extension, a web page named .doc, two good reports, one report
that fails mid-audit and one rule that fails on every report (fault injection into the real
CLI, as in ``test_fault_isolation``). It is written as text, HTML, PDF, card, card PDF,
Markdown and XLSX; the text of each file (and the terminal's stderr) is searched for a run of
three or more English words. Rule ids, file names, ``auditor 0.1.0`` and checklist ids are
single tokens, so they never form such a run; the JSON keeps its English ``error_code``.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "fixtures" / "seeds" / "000_3b88b001ffea4908.txt"
ENGLISH = re.compile(r"\b[A-Za-z][A-Za-z'’]*(?:[ \t,;:]+[A-Za-z][A-Za-z'’]*){2,}")
# paths, file names and ids (FR-01, fazhi-annual-report, binary.docx, /tmp/x) are not words
NOT_WORDS = re.compile(r"\S*[/\\]\S*|[\w.-]+\.[A-Za-z0-9]{1,5}\b|\w+(?:[-_]\w+)+")
FAULTS = """
import auditor.engine as e, auditor.pipeline as p
_evaluate = e._evaluate
def failing_rule(rule, *args, **kw):
    if rule.id == "FR-01":
        raise KeyError("no such key in the rule's table")
    return _evaluate(rule, *args, **kw)
e._evaluate = failing_rule
_audit, _many = p.audit, p.audit_many
def audit(doc, checklist):
    if "白鹤街道" in doc.text[:300]:
        raise IndexError("list index out of range")
    return _audit(doc, checklist)
def audit_many(docs, checklist):
    if any("白鹤街道" in d.text[:300] for d in docs):
        raise IndexError("list index out of range")
    return _many(docs, checklist)
p.audit, p.audit_many = audit, audit_many
"""
FORMATS = ("text", "html", "pdf", "card", "card-pdf", "markdown", "xlsx")


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, object]]:
    pytest.importorskip("weasyprint")
    folder = tmp_path_factory.mktemp("reports")
    (folder / "空文件.txt").write_bytes(b"")
    (folder / "binary.docx").write_bytes(bytes(range(256)) * 20)
    whole = _docx(SEED.read_text(encoding="utf-8"))
    (folder / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    (folder / "unreadable.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nstream\n\x00\x01garbage")
    shutil.copy(SEED, folder / "wrong-extension.pdf")
    (folder / "page.doc").write_text("<html><body><p>Home | About us | Contact</p></body></html>", encoding="utf-8")
    shutil.copy(SEED, folder / "good.txt")
    shutil.copy(REPO / "examples" / "白鹤街道-2022.txt", folder / "fails-mid-audit.txt")
    shutil.copy(REPO / "examples" / "双塔镇-2022.txt", folder / "双塔镇.txt")
    with zipfile.ZipFile(folder / "archive.zip", "w") as z:  # skipped, with a reason
        z.writestr("a.txt", "x")
    out = folder.parent / (folder.name + "-out")
    args = ["check", str(folder), "--no-config", "--jobs", "1", "--output", str(out)]
    for fmt in FORMATS:
        args += ["--format", fmt]
    code = FAULTS + "\nimport sys\nfrom auditor.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
    )
    assert proc.returncode == 3, proc.stderr  # a bug (injected) wins over 2 (unreadable files)
    as_json = subprocess.run(
        [sys.executable, "-c", code, "check", str(folder), "--no-config", "--jobs", "1", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    return out, proc.stderr, json.loads(as_json.stdout)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(path: Path) -> str:
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        return "\n".join(parser.parts)
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if path.suffix == ".xlsx":
        import openpyxl

        cells: list[str] = []
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                cells += [str(c.value) for c in row if c.value is not None]
                cells += [c.comment.text for c in row if c.comment is not None]
        return "\n".join(cells)
    return path.read_text(encoding="utf-8")


def _english(text: str) -> list[str]:
    return [m.group() for m in ENGLISH.finditer(NOT_WORDS.sub("▢", text))]


def test_the_detector_finds_english(tmp_path: Path) -> None:
    assert _english("! 无法审核：empty file") == []  # two words: too short to be sure
    assert _english("! 无法审核：list index out of range") == ["list index out of range"]
    assert _english("来源：reports/my report.docx · 由 auditor 0.1.0 生成 · FR-01 · fazhi-annual-report") == []
    assert _english("无法审核：cannot read file, not UTF-8") == ["cannot read file, not"]


def test_every_human_output_is_chinese(batch: tuple[Path, str, dict[str, object]]) -> None:
    out, _, _ = batch
    names = sorted(p.name for p in out.iterdir())
    for suffix in (".card.html", ".card.pdf", "index.html", "index.pdf", "report.md", "report.txt", "summary.xlsx"):
        assert any(n.endswith(suffix) for n in names), (suffix, names)
    found = {p.name: _english(_text(p)) for p in sorted(out.iterdir())}
    assert {name: runs for name, runs in found.items() if runs} == {}


def test_the_terminal_is_chinese(batch: tuple[Path, str, dict[str, object]]) -> None:
    _, stderr, _ = batch
    assert _english(stderr) == []


def test_json_keeps_stable_english_codes(batch: tuple[Path, str, dict[str, object]]) -> None:
    _, _, result = batch
    reports = result["reports"]
    assert isinstance(reports, list)
    codes = {Path(r["source"]).name: r.get("error_code") for r in reports}
    assert codes["空文件.txt"] == "unreadable" and codes["truncated.docx"] == "unreadable"
    assert codes["fails-mid-audit.txt"] == "internal"
    good = next(r for r in reports if Path(r["source"]).name == "good.txt")
    (failed,) = [f for f in good["findings"] if f["rule_id"] == "FR-01"]
    assert failed["status"] == "error" and failed["error_code"] == "internal"
