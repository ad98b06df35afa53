"""The issue 19 corpus: every shape of report the project reads, generated reproducibly.

N unique reports (``make_shapes``, seeded) drawn in a fixed cycle of 40 slots, so the shares
are exact for any N that is a multiple of 40 (and within one report otherwise):

====================  =====  =========================================================
shape                 share  made from
====================  =====  =========================================================
seed                  25 %   a seed variant (``corpus.unique_report``: new place, years, counts)
plain                 10 %   a seed variant without headings: each top heading becomes the
                             run-in title of the next paragraph, sub-headings lose their numbers
oneline               10 %   a seed or unseen variant as a crawler page dump: ``标题:`` … fields,
                             the body flattened onto one line, ``来源:`` / attachment lines
deptcity              15 %   a variant of a department, county, city or township report
                             (``fixtures/unseen``)
short                 10 %   a short department report (mostly 司法局, 市场监管局, 生态环境局):
                             the title, each numbered part cut to its first 1–3 paragraphs
gia-text              10 %   a 政府信息公开 report as text: the fixtures (cell-per-line pastes,
                             ``pdftotext -layout`` tables, flattened pages) and the field reports
gia-html               5 %   a 政府信息公开 web page whose statistics are real ``<table>`` rows
docx                 7.5 %   a seed or unseen variant written as .docx (python-docx)
pdf                  7.5 %   a seed or unseen variant written as a text PDF (reportlab, CJK font)
====================  =====  =========================================================

With ``--paired F`` a share F of the reports (at most the seed and plain ones, 35 %) also get
last year's report of the same unit beside them (``sNNNNN-seed-prev.txt``: every year one earlier,
other counts, its own id), so that ``auditor check`` pairs and compares them: a season's batch of
two years. The other inputs are the same with or without it.

About 5 % of the .txt files are GB18030. Every variant carries one unique sentence with a
random id, so no two inputs are equal. Beside each input the floor gets its *view*
(``floorview/``): the same bytes for .txt and .html, and the text the .docx/.pdf was written
from (UTF-8) for those two, i.e. the floor does not pay for docx/pdf extraction.

    python benchmarks/shapes.py --n 400 --out DIR     # writes DIR/shapes, DIR/floorview
    python benchmarks/shapes.py --n 400 --paired 0.3  # and last year's report of 120 of them
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import corpus

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
UNSEEN = FIXTURES / "unseen"
GIA = FIXTURES / "gov-info-disclosure"
FIELD = FIXTURES / "field"

CYCLE = (
    ("seed", 10),
    ("plain", 4),
    ("oneline", 4),
    ("deptcity", 6),
    ("short", 4),
    ("gia-text", 4),
    ("gia-html", 2),
    ("docx", 3),
    ("pdf", 3),
)
SLOTS = [shape for shape, k in CYCLE for _ in range(k)]
_H1 = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分[、，:：]?)\s*")
_H2 = re.compile(r"^[\s\u3000]*[（(][一二三四五六七八九十]{1,3}[）)]\s*")
_TABLE_ROW = re.compile(r"^\s*(\S.*?\S)\s{2,}(\d+(?:\s+\d+)*)\s*$")
_TITLE = re.compile(r"^[^>|：:]{2,50}(?:20\d\d|关于)[^>|：:]{0,40}报告$")
UNIQUE = "本报告登记编号为{rid}，相关材料已归档备查。"
#: the shapes whose units are unique in the corpus (a random place name), so a last year's report pairs
PAIRED_SHAPES = ("seed", "plain")
_RID = re.compile(r"\b(BM|DC|GX|GH)\d{5}-[0-9a-f]{8}")


@dataclass(frozen=True)
class Item:
    path: Path
    shape: str
    floor: Path  # what the floor reads for this input


def _texts(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


@dataclass(frozen=True)
class Sources:
    seeds: list[corpus.Seed]
    unseen: list[str]
    gia: list[str]

    @classmethod
    def load(cls) -> Sources:
        gia = _texts(GIA) + [p.read_text(encoding="utf-8") for p in sorted(FIELD.glob("xxgk_*.txt"))]
        return cls(corpus.load_seeds(), _texts(UNSEEN), gia)


def _vary(text: str, donors: list[str], rid: str, rng: random.Random, *, counts: bool = True) -> str:
    """A unique variant of a report that is not a seed: three sentences from donors of the same
    family, shifted counts and years (unless ``counts`` is off), one sentence with a random id."""
    text = corpus._swap_sentences(text, donors, rng) if donors else text
    if counts:
        text = corpus._shift_counts(text, rng)
    if counts:
        text = corpus._shift_years(text, rng.choice((-1, 0, 0, 1)))
    spans = [m.end() for m in corpus.SENTENCE.finditer(text)]
    at = spans[len(spans) // 3] if spans else len(text)
    return text[:at] + UNIQUE.format(rid=rid) + text[at:]


def plain(text: str) -> str:
    """No headings: a top heading opens the next paragraph as a run-in title; sub-headings lose numbers."""
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        m = _H1.match(line)
        if m and len(line.strip()) <= 60 and not re.search(r"[。；]", line):
            pending = line[m.end() :].strip().rstrip("：:") + "："
            continue
        line = _H2.sub("", line)
        if pending and line.strip():
            line, pending = pending + line.strip(), ""
        out.append(line)
    return "\n".join(out)


def _title_and_body(text: str) -> tuple[str, list[str]]:
    lines = [ln.strip(" |") for ln in text.split("\n") if ln.strip(" |")]
    title_at = next((i for i, ln in enumerate(lines) if _TITLE.match(ln)), 0)
    return lines[title_at], lines[title_at + 1 :]


def page_dump(text: str, rng: random.Random) -> str:
    """A crawler's page dump, as the field reports are: fields, the body on one line, trailing lines."""
    title, body = _title_and_body(text)
    unit = re.split(r"关于|\d{4}", title)[0] or "某某县人民政府"
    day = f"20{rng.randint(19, 25)}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} 09:{rng.randint(10, 59)}"
    fields = [
        f"标题: {title}",
        f"发布时间: {day}",
        "文号: ",
        f"发布机构: {unit}",
        "栏目: 法治政府建设",
        f"原文链接: https://www.example.gov.cn/zwgk/{rng.getrandbits(24):06x}.htm",
        "==================== 正文 ====================",
    ]
    crumbs = f"当前位置： 首页政务公开法治政府建设 {title} 时间：{day} 微信 微博 QQ空间 "
    return "\n".join([*fields, crumbs + " ".join(body) + f" 来源：{unit} 附件下载", ""])


def short_report(text: str, rng: random.Random) -> str:
    """A short department report: title, each part cut to its first 1–3 paragraphs."""
    title, body = _title_and_body(text)
    parts: list[list[str]] = [[]]
    for line in body:
        if _H1.match(line) and len(line) <= 60:
            parts.append([line])
        else:
            parts[-1].append(line)
    out = [title]
    for part in parts:
        out += part[: 1 + rng.randint(1, 3)] if part and _H1.match(part[0]) else part[:2]
    return "\n".join(out) + "\n"


def gia_html(text: str, rid: str) -> bytes:
    """A 政府信息公开 page: text lines as <p>, runs of 'label  n  n …' rows as one <table>."""
    title, body = _title_and_body(text)
    parts: list[str] = []
    rows: list[str] = []

    def flush() -> None:
        if rows:
            parts.append("<table border='1' cellspacing='0'>" + "".join(rows) + "</table>")
            rows.clear()

    for line in body:
        m = _TABLE_ROW.match(line)
        if m:
            cells = [m.group(1), *m.group(2).split()]
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            continue
        flush()
        parts.append(f"<p>{html.escape(line)}</p>")
    flush()
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
        f"<div class='nav'>首页 &gt; 政务公开 &gt; 政府信息公开年报</div><div id='zoom'><h1>{html.escape(title)}</h1>"
        f"{''.join(parts)}<p>{UNIQUE.format(rid=rid)}</p></div><div class='foot'>主办单位：某某县人民政府办公室</div>"
        "</body></html>"
    )
    return page.encode("utf-8")


def write_docx(paras: list[str], path: Path) -> None:
    from docx import Document

    document = Document()
    for text in paras:
        document.add_paragraph(text)
    document.save(str(path))


def write_pdf(paras: list[str], path: Path) -> None:
    """Wrapped lines of a CJK font, page numbers in the footer (as ``tests/readers/builders.py``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font, size = "STSong-Light", 12.0
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    per_line = int((width - 144) // size)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    page, y = 1, height - 90

    def footer() -> None:
        pdf.setFont(font, 9)
        pdf.drawCentredString(width / 2, 40, f"- {page} -")
        pdf.setFont(font, size)

    footer()
    for text in paras:
        chunks = [text[i : i + per_line] for i in range(0, len(text), per_line)] or [""]
        for k, line in enumerate(chunks):
            if y < 80:
                pdf.showPage()
                page += 1
                y = height - 90
                footer()
            pdf.drawString(72 + (2 * size if k == 0 else 0), y, line)
            y -= size * 1.6
    pdf.save()


def _seed_variant(src: Sources, i: int, rng: random.Random) -> str:
    return corpus.unique_report(src.seeds, i, rng)


def _unseen_variant(src: Sources, i: int, rng: random.Random) -> str:
    base = src.unseen[i % len(src.unseen)]
    donors = [t for t in src.unseen if t is not base]
    return _vary(base, donors, f"DC{i:05d}-{rng.getrandbits(32):08x}", rng)


def _gia_variant(src: Sources, i: int, rng: random.Random) -> str:
    # counts and years are left alone (the tables must still add up, the statistics period stay
    # whole); no sentence swaps either: the random id alone makes the copy unique
    return _vary(src.gia[i % len(src.gia)], [], f"GX{i:05d}-{rng.getrandbits(32):08x}", rng, counts=False)


def last_year(text: str, rng: random.Random) -> str:
    """The same unit's report of the year before: every year one earlier, other counts, its own id."""
    text = corpus._shift_counts(corpus._shift_years(text, -1), rng)
    return _RID.sub(lambda m: f"{m.group(1)}P{rng.getrandbits(16):04x}-{rng.getrandbits(32):08x}", text)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def make_shapes(
    out: Path, n: int, seed: int = 19, gbk_share: float = 0.05, only: tuple[str, ...] = (), paired: float = 0.0
) -> list[Item]:
    """Write n inputs into ``out/shapes`` and the floor's view into ``out/floorview`` (both emptied);
    ``only``: these shapes alone (in their cycle order), e.g. ``("short",)`` for many small reports;
    ``paired``: the share of the n that also get last year's report (:func:`last_year`; the first ones of
    :data:`PAIRED_SHAPES`, from a random generator of their own: the n inputs do not change)."""
    inputs, view = out / "shapes", out / "floorview"
    for folder in (inputs, view):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    rng = random.Random(seed)
    src = Sources.load()
    items: list[Item] = []
    made: Counter[str] = Counter()
    slots = [s for s in SLOTS if s in only] if only else SLOTS
    pairs, earlier = round(paired * n), random.Random(seed + 1)
    for i in range(n):
        shape = slots[i % len(slots)]
        k = made[shape]  # the k-th report of this shape
        made[shape] += 1
        stem = f"s{i:05d}-{shape}"
        suffix, data, floor_text = ".txt", b"", ""
        if shape == "seed":
            text = _seed_variant(src, k, rng)
        elif shape == "plain":
            text = plain(_seed_variant(src, k, rng))
        elif shape == "oneline":
            text = page_dump(_seed_variant(src, k, rng) if k % 2 else _unseen_variant(src, k, rng), rng)
        elif shape == "deptcity":
            text = _unseen_variant(src, k, rng)
        elif shape == "short":
            # department reports: 司法局, 市场监管局, 生态环境局 (u05–u07), else any unseen one
            base = _unseen_variant(src, (4, 5, 6)[k % 3] if k % 4 else k, rng)
            text = short_report(base, rng)
        elif shape == "gia-text":
            text = _gia_variant(src, k, rng)
        elif shape == "gia-html":
            rid = f"GH{k:05d}-{rng.getrandbits(32):08x}"
            suffix, data = ".html", gia_html(_gia_variant(src, k, rng), rid)
        else:  # docx, pdf
            base = _seed_variant(src, k, rng) if k % 2 else _unseen_variant(src, k, rng)
            paras = [ln.strip() for ln in base.split("\n") if ln.strip()]
            suffix, floor_text = f".{shape}", "\n".join(paras) + "\n"
            (write_docx if shape == "docx" else write_pdf)(paras, inputs / f"{stem}{suffix}")
        path = inputs / f"{stem}{suffix}"
        if suffix == ".txt":
            encoding = "gb18030" if rng.random() < gbk_share else "utf-8"
            data = text.encode(encoding, errors="replace")
        if data:
            _write(path, data)
            floor = view / path.name
            os.link(path, floor)  # the same bytes, without a copy
        else:
            floor = view / f"{stem}.txt"
            floor.write_text(floor_text, encoding="utf-8")
        items.append(Item(path, shape, floor))
        if pairs and shape in PAIRED_SHAPES:
            pairs -= 1
            prev = inputs / f"{stem}-prev.txt"
            _write(prev, last_year(text, earlier).encode("utf-8"))
            os.link(prev, view / prev.name)
            items.append(Item(prev, f"{shape}-prev", view / prev.name))
    return items


def summary(items: list[Item]) -> dict[str, object]:
    """Count, share and mean size (bytes of the input, characters the floor reads) per shape."""
    by: Counter[str] = Counter(i.shape for i in items)
    sizes: dict[str, list[int]] = {}
    for it in items:
        sizes.setdefault(it.shape, []).append(it.path.stat().st_size)
    return {
        s: {
            "reports": by[s],
            "share": round(by[s] / len(items), 3),
            "mean_kB": round(sum(sizes[s]) / len(sizes[s]) / 1000, 1),
        }
        for s in [s for s, _ in CYCLE] + [f"{s}-prev" for s in PAIRED_SHAPES]
        if by[s]
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--out", type=Path, default=corpus.DEFAULT_OUT)
    ap.add_argument("--paired", type=float, default=0.0, help="share of reports with last year's beside them")
    args = ap.parse_args()
    items = make_shapes(args.out, args.n, paired=args.paired)
    print(json.dumps(summary(items), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
