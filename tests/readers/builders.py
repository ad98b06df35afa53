"""Build every input format at test time from the seed reports in fixtures/seeds/."""

from __future__ import annotations

import hashlib
import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from auditor.errors import ReadError
from auditor.readers import Extracted, read_document

SEEDS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
PDF_HEADER = "法治政府建设年度报告（内部资料）"
CJK_FONT = "STSong-Light"

NAV_TEXT = "网站首页 政务公开 互动交流 办事服务"
SCRIPT_TEXT = "脚本里的文字不应出现"
STYLE_TEXT = "样式规则不应出现"
FOOTER_TEXT = "版权所有：某某市人民政府 网站标识码 3202820001"
DATE_LINE = "发布时间：2024-03-04 信息来源：市司法局"
HTML_TITLE = "张渚镇人民政府2023年法治政府建设情况报告"


@dataclass(frozen=True)
class Seed:
    """One seed report: its file stem, text and non-empty stripped lines."""

    name: str
    text: str
    paras: list[str]


def seed_paths() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


_MD_H1 = re.compile(r"^([一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分)")
_MD_H2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_MD_ITEM = re.compile(r"^([一二三四五六七八九十]{1,2}是)")


def as_markdown(text: str) -> str:
    """A report's lines as Markdown: level-1 headings ``##``, level-2 ``###``, ``**一是**`` items,
    a blank line between paragraphs (pure; the words are untouched)."""
    out = []
    for line in paragraphs(text):
        if _MD_H1.match(line) and len(line) <= 60:
            line = "## " + line
        elif _MD_H2.match(line) and len(line) <= 60:
            line = "### " + line
        else:
            line = _MD_ITEM.sub(r"**\1**", line)
        out.append(line)
    return "\n\n".join(out) + "\n"


def squash(text: str) -> str:
    """The text without any whitespace, for layout-insensitive comparisons."""
    return "".join(text.split())


def encodable(text: str, encoding: str) -> str:
    """Replace characters the encoding lacks (only odd spaces in the seeds) by a space."""
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            ch = " "
        out.append(ch)
    return "".join(out)


# --- docx -------------------------------------------------------------------------------------


def build_docx(paras: list[str], path: Path, table: tuple[int, int] = (3, 7)) -> None:
    """Paragraphs in order; ``paras[table[0]:table[1]]`` go into a 2-column table, row by row."""
    from docx import Document

    document = Document()
    start, end = table
    for text in paras[:start]:
        document.add_paragraph(text)
    cells = paras[start:end]
    grid = document.add_table(rows=(len(cells) + 1) // 2, cols=2)
    for index, text in enumerate(cells):
        grid.cell(index // 2, index % 2).text = text
    for text in paras[end:]:
        document.add_paragraph(text)
    document.sections[0].header.paragraphs[0].text = "页眉文字只在正文为空时使用"
    document.save(str(path))


# --- pdf --------------------------------------------------------------------------------------


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wrap(text: str, width: float, first_indent: float, size: float) -> list[tuple[str, float]]:
    from reportlab.pdfbase import pdfmetrics

    lines: list[tuple[str, float]] = []
    current = ""
    for ch in text:
        indent = first_indent if not lines else 0.0
        if current and pdfmetrics.stringWidth(current + ch, CJK_FONT, size) > width - indent:
            lines.append((current, indent))
            current = ch
        else:
            current += ch
    if current:
        lines.append((current, first_indent if not lines else 0.0))
    return lines


def build_pdf(
    paras: list[str],
    path: Path,
    *,
    header: str | None = PDF_HEADER,
    numbering: str = "- {n} -",
    indent: bool = True,
    encrypt: str | None = None,
    font_size: float = 12,
    placed: list[tuple[int, str]] | None = None,
) -> int:
    """A text PDF: wrapped lines, a running header and page numbers; returns the page count.
    ``placed`` (if given) receives (page, text) of every body line drawn, in order."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    width, height = A4
    left, right = 72.0, width - 72.0
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    page = 1
    y = height - 90

    def chrome() -> None:
        if header:
            pdf.setFont(CJK_FONT, 9)
            pdf.drawString(left, height - 50, header)
        pdf.setFont(CJK_FONT, 9)
        pdf.drawCentredString(width / 2, 40, numbering.format(n=page))
        pdf.setFont(CJK_FONT, font_size)

    chrome()
    for text in paras:
        for line, offset in _wrap(text, right - left, 2 * font_size if indent else 0, font_size):
            if y < 80:
                pdf.showPage()
                page += 1
                y = height - 90
                chrome()
            pdf.drawString(left + offset, y, line)
            if placed is not None:
                placed.append((page, line))
            y -= font_size * 1.6
    pdf.save()
    return page


def build_image_only_pdf(path: Path) -> None:
    """A PDF whose page holds only drawings (like a scan): no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for row in range(40):
        pdf.rect(72, 100 + row * 15, 400, 8, fill=1)
    pdf.showPage()
    pdf.save()


# --- html -------------------------------------------------------------------------------------


def build_html(paras: list[str], encoding: str, *, declare: bool = True) -> bytes:
    """A government-style article page: chrome around a #zoom article container."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if declare else ""
    body = "\n".join(
        f'<p style="text-indent:2em">&nbsp;&nbsp;\u3000\u3000{html.escape(_source_wrap(p))}</p>' for p in paras
    )
    page = f"""<!DOCTYPE html>
<html><head>{meta}
<title>{HTML_TITLE}_宜兴市人民政府</title>
<style>.nav {{ color: red }} /* {STYLE_TEXT} */</style>
<script>var msg = "{SCRIPT_TEXT}"; document.title = msg;</script>
</head>
<body>
<div class="top"><nav class="nav"><ul><li><a href="/">{NAV_TEXT}</a></li></ul></nav></div>
<header><div class="logo">宜兴市人民政府门户网站</div></header>
<div class="main">
  <div class="position">当前位置：首页 &gt; 专题专栏</div>
  <h1 class="title">{HTML_TITLE}</h1>
  <div class="info"><span>{DATE_LINE}</span> <span>浏览次数：</span></div>
  <div id="zoom">
{body}
  </div>
  <div class="share">【分享到微信】【加入收藏夹】</div>
</div>
<footer><p>{FOOTER_TEXT}</p><noscript>请启用脚本</noscript></footer>
<script>console.log("{SCRIPT_TEXT}")</script>
</body></html>"""
    return encodable(page, encoding).encode(encoding)


def _source_wrap(text: str) -> str:
    """Break long paragraphs across source lines, as CMS output does (between CJK chars)."""
    if len(text) > 60 and "\u4e00" <= text[40] <= "\u9fff" and "\u4e00" <= text[39] <= "\u9fff":
        return text[:40] + "\n      " + text[40:]
    return text


# --- ofd --------------------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"


def build_ofd(paras: list[str], path: Path, *, header: str = PDF_HEADER) -> int:
    """A minimal OFD: one TextObject per wrapped line, a running header and page numbers."""
    size, left, chars_per_line, top, bottom, step = 4.0, 25.0, 40, 30.0, 270.0, 6.5
    pages: list[list[tuple[float, float, str]]] = [[]]
    y = top
    for text in paras:
        chunks = [text[: chars_per_line - 2]] + [
            text[i : i + chars_per_line] for i in range(chars_per_line - 2, len(text), chars_per_line)
        ]
        for index, chunk in enumerate(c for c in chunks if c):
            if y > bottom:
                pages.append([])
                y = top
            pages[-1].append((left + (2 * size if index == 0 else 0.0), y, chunk))
            y += step
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", _ofd_root())
        archive.writestr("Doc_0/Document.xml", _ofd_document(len(pages)))
        for number, lines in enumerate(pages):
            chrome = [(left, 15.0, header), (100.0, 285.0, f"- {number + 1} -")]
            archive.writestr(f"Doc_0/Pages/Page_{number}/Content.xml", _ofd_page(chrome + lines, size))
    return len(pages)


def _ofd_root() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" '
        'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>'
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )


def _ofd_document(count: int) -> str:
    pages = "".join(f'<ofd:Page ID="{n + 10}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(count))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
        "<ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea>"
        "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
        f"<ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
    )


def _ofd_page(lines: list[tuple[float, float, str]], size: float) -> str:
    objects = "".join(
        f'<ofd:TextObject ID="{i + 100}" Boundary="{x} {y} {len(t) * size} {size + 1}" Font="1" '
        f'Size="{size}"><ofd:TextCode X="0" Y="{size}" DeltaX="g {max(0, len(t) - 1)} {size}">'
        f"{escape(t)}</ofd:TextCode></ofd:TextObject>"
        for i, (x, y, t) in enumerate(lines)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
        f'<ofd:Layer ID="2">{objects}</ofd:Layer></ofd:Content></ofd:Page>'
    )


# --- reading with the input-untouched check --------------------------------------------------


def _digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def read_checked(path: Path, **options: Any) -> Extracted:
    """read_document(path), asserting the file's bytes are the same afterwards."""
    before = _digest(path)
    try:
        return read_document(str(path), **options)
    finally:
        assert _digest(path) == before, f"{path} was modified by reading it"


def read_error(path: Path, **options: Any) -> str:
    """The message of the ReadError that reading ``path`` must raise (nothing else may escape)."""
    try:
        result = read_checked(path, **options)
    except ReadError as exc:
        assert exc.message, "ReadError without a message"
        return str(exc)
    raise AssertionError(f"no ReadError for {path}; got {result!r:.200}")
