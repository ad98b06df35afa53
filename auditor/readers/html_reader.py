"""Web pages saved from government sites: decode, find the article body, keep paragraphs.

Decoding honours a BOM, then the declared ``<meta charset>`` (gb2312/gbk read as GB18030),
then falls back to detection. The page is parsed with selectolax (lexbor); scripts, styles,
navigation, page headers/footers and similar chrome are skipped; the first common article
container (#zoom, .TRS_Editor, .article, #content, ...) holding a substantial share of the
text is preferred over the whole body. Block elements end paragraphs; whitespace inside a
paragraph collapses to one space (and disappears at a source line break between Chinese
characters). A publication-date line (发布时间：...) and the title found outside the chosen
container are put back in front of it, since the auditor reads them. Tags nested deeper than
:data:`auditor.readers.nesting.MAX_DEPTH` are dropped before parsing (:func:`limit_nesting`):
the tree builder's time grows with the square of the nesting.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice
from typing import Any, NamedTuple

from auditor.document.location import Location, Mark, SourceMap
from auditor.document.metadata import own_dated_lines
from auditor.document.patterns import NAME_PIECES
from auditor.errors import ReadError
from auditor.readers.encoding import decode_bytes, few_damaged
from auditor.readers.model import RawText
from auditor.readers.nesting import limit_nesting
from auditor.readers.source import Source
from auditor.readers.tablerows import MIN_COLUMNS, is_data_table, row_line

_SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "template",
        "nav",
        "footer",
        "select",
        "button",
        "object",
        "embed",
        "svg",
        "canvas",
        "map",
        "head",
        "title",
        "textarea",
    }
)
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELLS = frozenset({"td", "th"})
# what the walk does more with than read its text (a <header> is a block, skipped or not)
_NOT_INLINE = _BLOCKS | _CELLS | _SKIPPED | {"br"}
_MAX_INLINE = 64  # nodes under an element read as inline text without the walk
_CONTAINERS = (
    "#zoom",
    ".TRS_Editor",
    "#UCAP-CONTENT",
    ".article-content",
    "#article",
    ".article",
    "#content",
    ".content",
    "article",
    ".main-content",
    "#main-content",
    "main",
)
_TITLES = ("h1", ".article-title", "#title", ".title", ".detail-title", ".tit", ".art-title", ".article_title", "h2")
# a label with a colon, or a label right before its date: a 集约化 page's metadata table renders
# its cells side by side (发布机构 XX县人民政府办公室 成文日期 2023-03-10 / 文号 发布日期 2023-03-28)
_LABEL_END = r"\s*(?:[:：]|(?=(?:19|20)\d\d\s*[-年/.]\s*\d))"
_PUBLISHED_LABELS = r"发布时间|发布日期|公开日期|公布时间|公布日期|发稿时间|发稿日期|(?<!\S)日期"
_DATE_LINE = re.compile(rf"(?:{_PUBLISHED_LABELS}|成文日期|时间)" + _LABEL_END)
_PUBLISHED_LINE = re.compile(rf"(?:{_PUBLISHED_LABELS})" + _LABEL_END)  # preferred to a 成文日期 row
_REPORT_END = re.compile(r"(报告|总结|情况)\s*([(（][^()（）]{1,20}[)）])?$")
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    # a page cannot declare UTF-16 in its own ASCII-compatible bytes: browsers read UTF-8
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[^\\S\n\x00]*\n\\s*(?=[{_CJK}])")
_SPACES = re.compile(r"[^\S\x00]+")
_BREAK = "\x00"
_MIN_CONTAINER_CHARS = 200
_MAX_CANDIDATES = 30  # elements examined per selector (bounds the work on odd pages)
_MAX_TITLE_RAW = 2000  # a title candidate holding more text (the whole page?) is not rendered
MAX_TAGS = 2_000_000  # a saved report page has ~20,000


def read_html(source: Source, max_chars: int) -> RawText:
    """Extract the article text of a saved web page."""
    from selectolax.lexbor import LexborHTMLParser

    markup, encoding = decode_html(source.read_bytes())
    check_tag_count(markup)
    tree = LexborHTMLParser(limit_nesting(markup))
    body = tree.body if tree.body is not None else tree.root
    page = _walk(body, _inside_article(body)) if body is not None else _Flow([], {})
    page_lines = _paragraphs("".join(page.pieces))
    chosen = _choose_container(tree, page, page_lines)
    if chosen is None:
        return RawText("\n".join(page_lines), encoding, locations=_headings(body, page_lines, 0))
    container, lines = chosen
    chrome = _chrome_lines(tree, lines, page_lines)
    skip = sum(len(line) + 1 for line in chrome)
    return RawText("\n".join([*chrome, *lines]), encoding, locations=_headings(container, lines, skip))


_HEADINGS = "h1, h2, h3, h4, h5, h6"
_LOOKAHEAD = 3  # headings that render to no line of their own (inside a table, say) are passed over
_MAX_HEADINGS = 2_000  # a page with more gets no heading locations (a report has a few dozen)
_MAX_HEADING_NODES = 200  # a heading holding more (a page wrapped in <h1>) is not one a reader sees


def _headings(root: Any, lines: list[str], offset: int) -> SourceMap:
    """Where each line is: under the nearest heading (h1–h6) of the page before it. ``lines``
    (written from ``offset`` on) are ``render(root)``; a heading is found as the line it renders to.
    Only small headings are rendered, so the work stays linear whatever the page nests."""
    if root is None:
        return SourceMap()
    nodes = root.css(_HEADINGS)
    if len(nodes) > _MAX_HEADINGS:
        return SourceMap()
    titles = [title for node in nodes if _small(node) and (title := " ".join(render(node, True)))]
    squashed = [_squash(title) for title in titles]
    marks: list[Mark] = [(0, None)]
    k = 0
    for line in lines:
        if k == len(squashed):
            break  # every heading is placed
        ahead = squashed[k : k + _LOOKAHEAD]
        if (text := _squash(line)) in ahead:
            k += ahead.index(text)
            marks.append((offset, Location(heading=titles[k])))
            k += 1
        offset += len(line) + 1
    return SourceMap.of(marks)


def _small(node: Any) -> bool:
    return sum(1 for _ in islice(node.traverse(include_text=True), _MAX_HEADING_NODES + 1)) <= _MAX_HEADING_NODES


def check_tag_count(markup: str) -> None:
    """Refuse a page with more tags than a parsed tree can hold in reasonable memory (an
    element costs the parser ~180 bytes; a 20 MB page of ``<br>`` has five million)."""
    tags = markup.count("<")
    if tags > MAX_TAGS:
        raise ReadError(
            f"文件过大或被恶意构造：网页含有 {tags} 个标记，超过 {MAX_TAGS} 个的上限",
            hint="请提供报告正文（PDF、DOCX 或 TXT），或另存一份只含正文的网页",
        )


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page: BOM, then valid UTF-8 (pages saved by a browser keep a stale
    ``charset=gb2312`` after being re-encoded), then the declared charset (with a few bad bytes
    at most), then detection."""
    declared = _declared_codec(data[:8192])
    if declared is None or data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data)
    for codec in ("utf-8", declared):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    damaged = data.decode(declared, errors="replace")
    if few_damaged(damaged[:100_000]):
        return damaged, declared
    return decode_bytes(data)  # the declared charset is wrong (a GBK page saying utf-8): as if it said none


def _declared_codec(head: bytes) -> str | None:
    match = _CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _CODEC_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


class _Flow(NamedTuple):
    """A walk's text pieces (paragraph breaks as ``_BREAK``) and, for each block element met,
    its span of pieces (by ``mem_id``): a block's own rendering is that span (see :func:`_lines_of`)."""

    pieces: list[str]
    spans: dict[int, tuple[int, int]]


def render(root: Any, in_article: bool | None = None) -> list[str]:
    """The paragraphs under ``root``: block elements break lines, spaces collapse."""
    if in_article is None:  # (a caller already inside the walk knows it)
        in_article = _inside_article(root)
    return _paragraphs("".join(_walk(root, in_article).pieces))


def _walk(root: Any, in_article: bool) -> _Flow:
    """The pieces of text under ``root`` and the spans of its block elements.

    Walked with a stack of child iterators, so memory grows with the nesting, not the page; an
    element's children are read in one loop until one has children of its own to walk."""
    pieces: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    append = pieces.append
    stack: list[tuple[Any, str, bool, int, int]] = [(iter((root,)), "", in_article, 0, 0)]
    while stack:
        children, closing, in_article, start, node_id = stack[-1]
        for node in children:
            tag = node.tag
            if tag == "-text":
                append((node.text_content or "").replace(_BREAK, ""))
            elif tag == "br":
                append(_BREAK)
            elif _skipped(tag, in_article):
                continue
            elif tag == "table" and (rows := _data_rows(node, in_article)) is not None:
                pieces.extend(piece for row in rows for piece in (_BREAK, row_line(row), _BREAK))
            elif (text := _inline_text(node)) is not None:  # (what the walk below gives it)
                if tag in _BLOCKS:
                    spans[node.mem_id] = (len(pieces), len(pieces) + 3)
                    pieces += (_BREAK, text, _BREAK)
                else:
                    if tag in _CELLS:
                        append(" ")
                    append(text)
            else:
                block = tag in _BLOCKS
                if block:  # its span opens at its break and closes after the one at its end
                    append(_BREAK)
                    inside = in_article or tag == "article"
                    opened = (node.iter(include_text=True), _BREAK, inside, len(pieces) - 1, node.mem_id)
                else:
                    if tag in _CELLS:
                        append(" ")
                    opened = (node.iter(include_text=True), "", in_article or tag == "article", 0, 0)
                stack.append(opened)
                break
        else:
            stack.pop()
            if closing:
                append(closing)
                spans[node_id] = (start, len(pieces))
    return _Flow(pieces, spans)


def _data_rows(table: Any, in_article: bool) -> list[list[str]] | None:
    """The rows of a statistics table (cells' text, blank cells kept), else None.

    Cells covered by a rowspan/colspan are not repeated: a row is written as the page has
    it, so a row-group label (三、本年度办理结果, rowspan) appears once, on its first row."""
    if len(table.css("table")) > 1:  # nested tables (css() includes the node itself): a layout table
        return None
    rows = [cells for tr in table.css("tr") if (cells := [cell for cell in tr.iter() if cell.tag in _CELLS])]
    if max(map(len, rows), default=0) < MIN_COLUMNS:
        return None  # (what is_data_table says of such rows, known before their cells are rendered)
    texts = [[_cell_text(cell, in_article) for cell in row] for row in rows]
    return texts if is_data_table(texts) else None


def _cell_text(cell: Any, in_article: bool) -> str:
    """``" ".join(render(cell, in_article))`` of a table cell; a cell of text and inline elements
    alone (a figure, a link: most cells) is read without the walk."""
    child = cell.child
    if child is not None and child.next is None and child.tag == "-text":  # (the commonest: a figure)
        text: str | None = (child.text_content or "").replace(_BREAK, "")
    else:
        text = _inline_text(cell)
    if text is None:
        return " ".join(render(cell, in_article))
    return " ".join(_paragraphs(" " + text))


def _inline_text(node: Any) -> str | None:
    """The text under ``node`` if it holds text and inline elements alone, else None (also past
    :data:`_MAX_INLINE` nodes, so that a page is not read again and again by nested attempts).

    The walk gives such an element's text nodes one after another, with nothing between."""
    texts = []
    nodes = node.traverse(include_text=True)
    next(nodes)  # the node itself
    for count, child in enumerate(nodes):
        if count == _MAX_INLINE:
            return None
        tag = child.tag
        if tag == "-text":
            texts.append(child.text_content or "")
        elif tag in _NOT_INLINE or (tag.startswith("-") and tag != "-comment"):
            return None
    return "".join(texts).replace(_BREAK, "")


def _skipped(tag: str, in_article: bool) -> bool:
    """Chrome and non-content elements; a <header> counts as chrome outside an <article>."""
    return tag in _SKIPPED or tag.startswith("-") or (tag == "header" and not in_article)


def _inside_article(node: Any) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "article":
            return True
        parent = parent.parent
    return False


def _paragraphs(flow: str) -> list[str]:
    if "\n" in flow:  # (the break pattern looks behind at every character: a cell's text has no line break)
        flow = _CJK_BREAK.sub("", flow)
    flow = _SPACES.sub(" ", flow)
    return [stripped for line in flow.split(_BREAK) if (stripped := line.strip())]


def _squash(text: str) -> str:
    return "".join(text.split())


def _size(lines: list[str]) -> int:
    """The characters of ``lines`` that are not whitespace."""
    return sum(map(len, "".join(lines).split()))


def _raw_size(node: Any) -> int:
    """A cheap size estimate (the parser's own text, scripts included) for ranking."""
    return len("".join((node.text(deep=True) or "").split()))


def _choose_container(tree: Any, page: _Flow, page_lines: list[str]) -> tuple[Any, list[str]] | None:
    """The first known article container holding a substantial share of the page text, and its lines."""
    page_size = _size(page_lines)
    for selector in _CONTAINERS:
        nodes = tree.css(selector)[:_MAX_CANDIDATES]
        if not nodes:
            continue
        node = max(nodes, key=_raw_size)  # max() keeps the first of equals
        lines = _lines_of(node, page)
        size = _size(lines)
        if size * 2 >= page_size or (size >= _MIN_CONTAINER_CHARS and size * 10 >= page_size):
            return node, lines
    return None


def _lines_of(node: Any, page: _Flow) -> list[str]:
    """``render(node)``, read from the page's walk when the walk rendered ``node`` as a block.

    A block's pieces start and end with a break, which neither a joined line break nor a run of
    spaces crosses, so its paragraphs are the same alone as within the page. A node the walk did
    not reach as a block (inside chrome or a statistics table, or an inline element) is rendered."""
    span = page.spans.get(node.mem_id)
    if span is None:
        return render(node)
    return _paragraphs("".join(page.pieces[span[0] : span[1]]))


def _chrome_lines(tree: Any, lines: list[str], page_lines: list[str]) -> list[str]:
    """The title and publication-date lines missing from the chosen container."""
    found: list[str] = []
    title = _title(tree)
    if title is not None and _squash(title) not in _squash("".join(lines)):
        found.append(title)
    if not own_dated_lines(lines, _DATE_LINE, title, _line_of(title, lines)):
        # the article's own date line nearest its title, never one of a list of other pages (相关文章 …)
        dated = [page_lines[i] for i in own_dated_lines(page_lines, _DATE_LINE, title, _line_of(title, page_lines))]
        date = next((line for line in dated if _PUBLISHED_LINE.search(line)), dated[0] if dated else None)
        if date is not None:
            found.append(date)
    return found


def _line_of(title: str | None, lines: list[str]) -> int | None:
    """The line that is ``title`` (spaces aside), if one is."""
    if title is None:
        return None
    squashed = _squash(title)
    return next((i for i, line in enumerate(lines) if _squash(line) == squashed), None)


def _title(tree: Any) -> str | None:
    """The article title: the h1/.title element quoted in <title>, else the first h1."""
    head_title = tree.css_first("title")
    page_title = head_title.text(strip=True) if head_title is not None else ""
    candidates = [
        (selector, text)
        for selector in _TITLES
        for node in tree.css(selector)[:_MAX_CANDIDATES]
        if _raw_size(node) <= _MAX_TITLE_RAW and 4 <= len(text := " ".join(render(node))) <= 120
    ]
    quoted = [text for _, text in candidates if text in page_title]
    headings = [text for selector, text in candidates if selector == "h1"]
    return next(iter(quoted or headings or _report_title_of(page_title)), None)


def _report_title_of(page_title: str) -> list[str]:
    """The piece of a page's <title> that names a report (the site's name cut off), if one does."""
    pieces = [p for p in NAME_PIECES.split(page_title) if 6 <= len(p) <= 120 and _REPORT_END.search(p)]
    return pieces[:1]
