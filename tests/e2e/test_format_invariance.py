"""The five seeds converted to .docx, .pdf (CJK text layer, lines wrapped by the page), .html
(UTF-8 and GBK, with site navigation and scripts), .md (as plain lines and as real Markdown),
GB18030 and BOM+CRLF text: every verdict equals the verdict on the plain UTF-8 text."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from auditor.loader import load_bundled
from auditor.pipeline import Options, audit_source
from tests.readers import builders

SEEDS = builders.seed_paths()


@cache
def _checklists() -> tuple[object, ...]:
    return tuple(load_bundled())


def verdicts(path: Path) -> dict[str, str]:
    report = audit_source(str(path), Options(), _checklists())  # type: ignore[arg-type]
    assert report.error is None, report.error
    return {f.rule_id: f.status for f in report.findings}


def _docx(text: str, out: Path) -> None:
    builders.build_docx(builders.paragraphs(text), out, table=(0, 0))


def _pdf(text: str, out: Path) -> None:
    builders.build_pdf(builders.paragraphs(builders.encodable(text, "gb18030")), out)


PAGE = """<!DOCTYPE html>
<html><head>{meta}<title>法治政府建设年度报告_门户网站</title>
<style>.nav {{ color: red }}</style>
<script>var menu = "网站首页 政务公开 互动交流"; document.title = menu;</script>
</head><body>
<div class="top"><nav class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hdjl">互动交流</a></li></ul></nav></div>
<header><div class="logo">人民政府门户网站</div></header>
<div class="main"><div class="position">当前位置：首页 &gt; 专题专栏</div>
<div id="zoom">
{body}
</div>
<div class="share">【分享到微信】【加入收藏夹】</div></div>
<footer><p>主办单位：人民政府办公室 网站标识码：3202820001 ICP备05000000号</p></footer>
<script>console.log("统计代码")</script>
</body></html>"""


def _html(encoding: str) -> Callable[[str, Path], None]:
    """The seed's own lines as the article of a government page with navigation, scripts, footer."""

    def build(text: str, out: Path) -> None:
        paras = builders.paragraphs(builders.encodable(text, encoding))
        body = "\n".join(f'<p style="text-indent:2em">\u3000\u3000{html.escape(p)}</p>' for p in paras)
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
        out.write_bytes(PAGE.format(meta=meta, body=body).encode(encoding))

    return build


def _encoded(encoding: str, crlf: bool = False) -> Callable[[str, Path], None]:
    def build(text: str, out: Path) -> None:
        body = text.replace("\n", "\r\n") if crlf else text
        out.write_bytes(builders.encodable(body, encoding.replace("-sig", "")).encode(encoding))

    return build


def _md(text: str, out: Path) -> None:
    out.write_text(text, encoding="utf-8")


def _md_marked(text: str, out: Path) -> None:
    """The seed as an author writes Markdown: ## headings, ### sub-headings, **一是**, blank lines."""
    out.write_text(builders.as_markdown(text), encoding="utf-8")


FORMATS: dict[str, tuple[str, Callable[[str, Path], None]]] = {
    "docx": (".docx", _docx),
    "pdf": (".pdf", _pdf),
    "html-utf8": (".html", _html("utf-8")),
    "html-gbk": (".htm", _html("gbk")),
    "md": (".md", _md),
    "md-marked": (".md", _md_marked),
    "gb18030": (".txt", _encoded("gb18030")),
    "bom-crlf": (".txt", _encoded("utf-8-sig", crlf=True)),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_same_verdicts_in_every_format(seed: Path, fmt: str, tmp_path: Path) -> None:
    suffix, build = FORMATS[fmt]
    out = tmp_path / f"{seed.stem}{suffix}"
    build(builders.seed_text(seed), out)
    base = verdicts(seed)
    got = verdicts(out)
    diff = {k: (base[k], got[k]) for k in base if base[k] != got[k]}
    assert not diff, f"(plain, {fmt}): {diff}"
