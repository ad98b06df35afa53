"""The floor of issues 7 and 19: the least work any auditor of these files must do.

One process reads every file under the given paths, decodes it (UTF-8; GB18030 only when
that fails, which costs nothing for UTF-8 files; no charset detection), runs ONE
Aho-Corasick pass with every literal phrase of the bundled checklists (every checklist
folder given with ``--rules``; default: all of ``auditor/checklists``) and writes one JSON line per report
(``{"source": ..., "chars": ..., "hits": {phrase: count}}``) to the output file.

Literal phrases are the ``phrases:`` lists of the checklist plus, for every ``regex:``
pattern (and section ``heading:``), character classes removed, the pure-CJK runs of at least 2 characters of each
``|``-separated piece.

    python benchmarks/floor.py CORPUS_DIR --output hits.jsonl [--rules DIR ...]

For .docx and .pdf inputs the floor is given the text they were written from (the
``floorview/`` folder of ``benchmarks/shapes.py``): it does not pay for extraction.

``--lean`` is the leaner floor issue 19 was judged against outside the project: UTF-8 only
(undecodable bytes replaced, no GB18030 retry), the default checklist's phrases only (unless
``--rules`` is given) and no output per report (the hits are counted, one summary line at the end).

    python benchmarks/floor.py CORPUS_DIR --lean --output summary.txt

``--extract`` (with ``--lean``) reads the files themselves, .docx and .pdf included, and pays the
cheapest extraction of their text: a .docx's ``word/document.xml`` unzipped and its ``<w:t>`` runs
joined (a line end per paragraph), a PDF's pages loaded by PDFium and their text taken in one call
each (``get_text_range``, its line ends removed as CJK text joins: no layout, no tables, no checks).
It is the least any auditor of a .docx or .pdf must do; the plain lean floor is handed their text
for free.

    python benchmarks/floor.py SHAPES_DIR --lean --extract --output summary.txt
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available, as the auditor uses
CHECKLISTS = Path(__file__).resolve().parent.parent / "auditor" / "checklists"
CHECKLIST = CHECKLISTS / "fazhi"
CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
CHAR_CLASS = re.compile(r"\[(?:\\.|[^\]])*\]")
DOCX_RUN = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|</w:p>")


def _walk(node: Any) -> Iterator[tuple[str, str]]:
    """(kind, value) for every regex pattern, heading and phrase in a YAML tree."""
    if isinstance(node, list):
        for x in node:
            yield from _walk(x)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "examples":
                continue
            if key in ("patterns", "phrases") and isinstance(value, list):
                yield from ((key, v) for v in value if isinstance(v, str))
            elif key == "heading" and isinstance(value, str):
                yield "patterns", value
            else:
                yield from _walk(value)


def literal_phrases(*rules_dirs: Path) -> list[str]:
    phrases: set[str] = set()
    for f in sorted(f for d in rules_dirs or (CHECKLIST,) for f in d.glob("*.y*ml")):
        for kind, value in _walk(yaml.load(f.read_text(encoding="utf-8"), Loader=_LOADER)):
            if kind == "phrases":
                phrases.add(value)
            else:
                for piece in CHAR_CLASS.sub("", value).split("|"):
                    phrases.update(CJK_RUN.findall(piece))
    return sorted(phrases)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def files(paths: list[str]) -> Iterator[Path]:
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        else:
            yield p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--output", required=True)
    ap.add_argument("--rules", type=Path, action="append", help="a checklist folder (repeatable)")
    ap.add_argument("--lean", action="store_true", help="UTF-8 only, the default checklist, no output per report")
    ap.add_argument("--extract", action="store_true", help="with --lean: .docx/.pdf text extracted")
    args = ap.parse_args(argv)
    default = [CHECKLIST] if args.lean else sorted(p for p in CHECKLISTS.iterdir() if p.is_dir())
    automaton = phrase_automaton(*(args.rules or default))
    if args.lean:
        return _lean(automaton, args.paths, Path(args.output), extract=args.extract)
    n = 0
    with Path(args.output).open("w", encoding="utf-8") as out:
        for path in files(args.paths):
            text = decode(path.read_bytes())
            hits = Counter(phrase for _, (_, phrase) in automaton.iter(text))
            out.write(json.dumps({"source": str(path), "chars": len(text), "hits": hits}, ensure_ascii=False) + "\n")
            n += 1
    print(f"floor: {n} reports, {len(automaton)} phrases", file=sys.stderr)
    return 0


def phrase_automaton(*rules_dirs: Path) -> Any:
    """One Aho-Corasick automaton of the literal phrases of the checklist folders (default: the default checklist)."""
    automaton = ahocorasick.Automaton()
    for i, phrase in enumerate(literal_phrases(*rules_dirs)):
        automaton.add_word(phrase, (i, phrase))
    automaton.make_automaton()
    return automaton


def lean_hits(automaton: Any, path: Path, extract: bool = False) -> int:
    """The lean floor's work on one file: read, decode as UTF-8 (undecodable bytes replaced), one pass.

    With ``extract``, a .docx or .pdf is read for its text first (``extracted``).
    """
    if extract and path.suffix in (".docx", ".pdf"):
        text = extracted(path)
    else:
        text = path.read_bytes().decode("utf-8", errors="replace")
    return sum(1 for _ in automaton.iter(text))


def extracted(path: Path) -> str:
    """The cheapest text of a .docx (its runs, a line end per paragraph) or a PDF (each page's text in one call)."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        return html.unescape("".join(m.group(1) if m.group(1) is not None else "\n" for m in DOCX_RUN.finditer(xml)))
    pdf = _pdfium().PdfDocument(str(path))
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", ""))  # CJK lines join without a space
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        pdf.close()


@cache
def _pdfium() -> Any:
    """pypdfium2 (the PDF library the auditor reads with), told once to use no system fonts as the
    auditor does: for a font the file does not embed PDFium would otherwise load a 20 MB CJK font for
    every document (≈ 45 ms a PDF here instead of ≈ 5)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    raw.FPDF_SetSystemFontInfo(None)
    return pdfium


def _lean(automaton: Any, paths: list[str], output: Path, extract: bool = False) -> int:
    n = hits = 0
    for path in files(paths):
        hits += lean_hits(automaton, path, extract)
        n += 1
    output.write_text(f"{n} reports, {hits} hits\n", encoding="utf-8")
    label = "lean floor, .docx/.pdf extracted" if extract else "lean floor"
    print(f"{label}: {n} reports, {len(automaton)} phrases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
