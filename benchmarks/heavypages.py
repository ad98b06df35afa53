"""Heavy saved government web pages: a seed report inside the chrome a real site puts around it.

A report of ≈ 10 kB is a small part of a saved page: ``<script>`` and ``<style>`` blocks, two
navigation menus of 400 links each (one in ``<nav>``, one in layout ``<div>``/``<ul>`` markup the
reader walks), a breadcrumb, nested layout ``<div>``s, sidebar and related-links tables, share
buttons, a footer; old templates write some tags in upper case, comments and attributes holding
``>`` inside quotes. Each page is ≈ 110–120 kB with ≈ 15,000–17,000 tags, the report's paragraphs
in an ``#zoom`` container (``<p><span style=…>``). The pages are separate from the corpus of
``benchmarks/shapes.py`` (whose files and shares are unchanged) and named ``s00000-heavy-html.html``
so the benchmarks' ``--by-shape`` reads them as the shape ``heavy-html``.

    python benchmarks/heavypages.py --n 20 --out DIR      # writes DIR/s00000-heavy-html.html …
"""

from __future__ import annotations

import argparse
import html
import random
from pathlib import Path

import corpus
from shapes import _title_and_body

DEFAULT_OUT = corpus.DEFAULT_OUT / "heavy"
_COLUMNS = (
    "政务公开",
    "政府信息公开",
    "法治政府",
    "政策文件",
    "新闻动态",
    "办事服务",
    "互动交流",
    "数据发布",
    "专题专栏",
)
_WORDS = ("通知公告", "部门动态", "基层动态", "政策解读", "规划计划", "财政资金", "人事信息", "应急管理", "营商环境")
_SCRIPT = """
var _hmt = _hmt || [];
(function() {{
  var hm = document.createElement("script"); hm.src = "https://example.invalid/hm.js?{key}";
  var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s);
}})();
function setFont(size) {{
  var z = document.getElementById("zoom"); if (z && size > 12 && size < 30) {{ z.style.fontSize = size + "px"; }}
}}
function openMenu(i) {{
  for (var k = 0; k < {n}; k++) {{
    var m = document.getElementById("menu" + k); if (m) m.className = k == i ? "on" : "";
  }}
}}
document.write("<div class='tips'>" + (new Date()).getFullYear() + "</div>");
"""
_STYLE = """
body {{ margin: 0; font-family: "Microsoft YaHei", SimSun; color: #333; }}
.wrap {{ width: 1200px; margin: 0 auto; }} .nav li {{ float: left; width: {w}px; }} .nav li a:hover {{ color: #c00; }}
#zoom p {{ text-indent: 2em; line-height: 2; font-size: 16px; }} .footer {{ background: #f5f5f5; }}
.side table td {{ border-bottom: 1px dashed #ddd; }} .share > a {{ display: inline-block; }}
"""


def _link(rng: random.Random, k: int, upper: bool = False) -> str:
    col = rng.randrange(1000, 99999)
    text = rng.choice(_WORDS)
    if upper:
        return f'<A HREF="/c{col}/">{text}</A>'
    return f'<a href="/c{col}/">{text}</a>'


def _menu(rng: random.Random, links: int, per_group: int) -> str:
    groups = []
    for g in range(0, links, per_group):
        items = "".join(
            f"<li><i class='dot'></i><span>{_link(rng, g + k)}</span><em></em></li>" for k in range(per_group)
        )
        groups.append(
            f"<li class='item' id='menu{g}'><span>{rng.choice(_COLUMNS)}</span><ul class='sub'>{items}</ul></li>"
        )
    return "<ul class='menu'>" + "".join(groups) + "</ul>"


def _links_table(rng: random.Random, rows: int, upper: bool) -> str:
    if upper:
        body = "".join(
            f"<TR><TD WIDTH='70%'>{_link(rng, r, True)}</TD>"
            f"<TD><FONT COLOR='#999'>2024-0{1 + r % 9}-1{r % 10}</FONT></TD></TR>"
            for r in range(rows)
        )
        return f"<TABLE WIDTH='100%' CELLSPACING='0' CELLPADDING='0'><TBODY>{body}</TBODY></TABLE>"
    body = "".join(
        f"<tr><td class='dot'><img src='/images/dot.gif'></td><td>{_link(rng, r)}</td>"
        f"<td><span>2024-0{1 + r % 9}-2{r % 10}</span></td></tr>"
        for r in range(rows)
    )
    return f"<table width='100%'><tbody>{body}</tbody></table>"


def _runs(line: str, rng: random.Random) -> str:
    """A paragraph as a page pasted from a word processor has it: runs of 6–30 characters in <span>s."""
    runs, at = [], 0
    while at < len(line):
        end = at + rng.randrange(6, 30)
        runs.append(f"<span style='font-family:仿宋'>{html.escape(line[at:end])}</span>")
        at = end
    return "".join(runs)


def _report(text: str, rng: random.Random) -> tuple[str, str]:
    title, body = _title_and_body(text)
    paras = "".join(f"<p class='MsoNormal'>{_runs(line, rng)}</p>\n" for line in body)
    return title, paras


def heavy_page(text: str, rng: random.Random) -> bytes:
    """``text`` (a report, title first) inside a saved government page of ≈ 115 kB."""
    title, paras = _report(text, rng)
    t = html.escape(title)
    head = (
        "<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta http-equiv='X-UA-Compatible' content='IE=edge'><meta name='viewport' content='width=device-width'>"
        f"<meta name='ArticleTitle' content='{t}'><meta name='PubDate' content='2024-03-2{rng.randrange(10)} 10:00'>"
        f"<title>{t}_{rng.choice(_COLUMNS)}_某某市人民政府</title>"
        "<link rel='stylesheet' href='/css/common.css'><link rel='stylesheet' href='/css/article.css'>"
        f"<style>{_STYLE.format(w=rng.randrange(80, 120))}</style>"
        f"<script type='text/javascript'>{_SCRIPT.format(key=rng.getrandbits(64), n=rng.randrange(8, 12))}</script>"
        "<script src='/js/jquery.min.js'></script></head>\n"
    )
    top = (
        "<body><!-- 头部 开始 --><div class='top'><div class='wrap'><div class='top-left'>"
        "<a href='/'>首页</a> | <a href='javascript:void(0)' onclick=\"if(a>b){addFav()}\">加入收藏</a> | "
        "<a href='/wza/'>无障碍</a></div><div class='top-right'><form action='/search' method='get'>"
        "<input type='text' name='q' placeholder='请输入关键词'><button type='submit'>搜索</button></form>"
        "</div></div></div>\n<div class='header'><div class='wrap'><div class='logo'><img src='/images/logo.png' "
        "alt='某某市人民政府'></div></div></div><!-- 头部 结束 -->\n"
    )
    nav = f"<nav class='nav'><div class='wrap'>{_menu(rng, 400, 20)}</nav>\n"
    menu = f"<div class='nav2'><div class='wrap'><div class='menu-box'>{_menu(rng, 400, 25)}</div></div></div>\n"
    crumbs = (
        "<div class='wrap'><div class='position'>当前位置：<a href='/'>首页</a> &gt; "
        f"<a href='/col/'>{rng.choice(_COLUMNS)}</a> &gt; <span>{rng.choice(_WORDS)}</span></div>\n"
    )
    side = (
        "<div class='main'><div class='side'><div class='box'><div class='box-title'><h3>相关栏目</h3></div>"
        f"<div class='box-body'>{_links_table(rng, 60, upper=False)}</div></div>"
        "<div class='box'><div class='box-title'><H3>热点专题</H3></div>"
        f"<div class='box-body'>{_links_table(rng, 50, upper=True)}</div></div></div>\n"
    )
    source = rng.choice(("某某市司法局", "某某市人民政府办公室", "某某市政务服务中心"))
    article = (
        "<div class='content-box'><div class='article'><div class='article-head'>"
        f"<h1 class='title'>{t}</h1><div class='info'><span>发布时间：2024-03-2{rng.randrange(10)}</span>"
        f"<span>来源：{source}</span><span>字号：<a href='javascript:setFont(18)'>大</a> "
        "<a href='javascript:setFont(16)'>中</a> <a href='javascript:setFont(14)'>小</a></span></div></div>"
        f"<div id='zoom' class='TRS_Editor'><div class='view'>\n{paras}</div></div>"
        "<div class='share'><span>分享到：</span><a class='wx' href='#'></a><a class='wb' href='#'></a>"
        "<a class='qq' href='#'></a><button onclick='window.print()'>打印</button>"
        "<button onclick='window.close()'>关闭</button></div>"
        f"<div class='related'><div class='box-title'><h3>相关文章</h3></div>{_links_table(rng, 40, upper=False)}</div>"
        "</div></div></div></div>\n"
    )
    links = "".join(f"<li>{_link(rng, k)}</li>" for k in range(40))
    footer = (
        f"<div class='links'><div class='wrap'><select onchange='go(this)'><option>部门网站</option>"
        f"{''.join(f'<option value={k}>某某局{k}</option>' for k in range(30))}</select><ul>{links}</ul></div></div>"
        "<footer class='footer'><div class='wrap'><p>主办单位：某某市人民政府办公室 承办单位：某某市大数据中心</p>"
        "<p>网站标识码：1234000001 <a href='https://beian.invalid/'>某ICP备12345678号</a></p></div></footer>\n"
        f"<script>{_SCRIPT.format(key=rng.getrandbits(64), n=3)}</script></body></html>\n"
    )
    return (head + top + nav + menu + crumbs + side + article + footer).encode("utf-8")


def make_heavy(out: Path, n: int, seed: int = 42) -> list[Path]:
    """Write ``n`` heavy pages, each around a unique seed variant, into ``out`` (created)."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seeds = corpus.load_seeds()
    paths = []
    for i in range(n):
        path = out / f"s{i:05d}-heavy-html.html"
        path.write_bytes(heavy_page(corpus.unique_report(seeds, i, rng), rng))
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    paths = make_heavy(args.out, args.n)
    sizes = [p.stat().st_size for p in paths]
    tags = [p.read_text(encoding="utf-8").count("<") for p in paths]
    print(
        f"{len(paths)} pages in {args.out}: {sum(sizes) / len(sizes) / 1000:.1f} kB, {sum(tags) // len(tags)} tags each"
    )


if __name__ == "__main__":
    main()
