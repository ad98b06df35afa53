"""A saved government page's title and publication date, as sites lay them out (html_reader).

Found in the field: a title in ``<h2 class="art-title">`` outside the article's container, a page
whose only title is its ``<title>`` (…年度报告-江北区人民政府), a 信息公开 metadata table whose
成文日期 row comes before 发布时间, and a government's report signed by its office. Each time the
title was missed, the unit was read from the sign-off (the office: a department) and a deadline
rule charged a district government with a department's deadline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.document import understand
from auditor.document.metadata import Metadata
from auditor.readers.dispatch import read_document

TITLE = "江州市江北区人民政府2024年政府信息公开工作年度报告"
BODY = (
    "<p>一、总体情况</p><p>2024年，区政府认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息1523条。</p>"
    "<p>五、存在的主要问题及改进情况</p><p>政策解读质量有待提高。下一步，我们将加强解读。</p>"
    "<p>江北区人民政府办公室</p><p>2025年3月18日</p>"
)


def _page(tmp_path: Path, head: str, before: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(
        f"<html><head><meta charset='utf-8'>{head}</head><body><nav>首页 | 政务公开 | 年度报告</nav>"
        f"{before}<div id='zoom'>{BODY}</div><footer>主办：江州市江北区人民政府</footer></body></html>",
        encoding="utf-8",
    )
    return path


def _meta(path: Path) -> Metadata:
    return understand(read_document(str(path)).text).metadata


@pytest.mark.parametrize(
    "head,before",
    [
        (f"<title>{TITLE}-江北区人民政府</title>", f"<h2 class='art-title'>{TITLE}</h2>"),
        (f"<title>{TITLE}-江北区人民政府</title>", f"<div class='art-title'>{TITLE}</div>"),
        (f"<title>{TITLE}_江州市人民政府门户网站</title>", ""),  # the <title> is all there is
    ],
)
def test_the_title_outside_the_article_is_read_and_the_government_is_the_unit(
    tmp_path: Path, head: str, before: str
) -> None:
    meta = _meta(_page(tmp_path, head, before))
    assert meta.title == TITLE
    assert meta.unit == "江州市江北区人民政府"  # not its office, which signed
    assert meta.level == "county" and meta.source("level").sure


def test_the_publication_date_is_read_past_a_written_date_row(tmp_path: Path) -> None:
    table = (
        "<table class='xxgk'><tr><td>成文日期：2025-03-10</td><td>索引号：11320100/2025-00012</td></tr>"
        "<tr><td>发布时间：2025-03-20</td><td>发布机构：江北区人民政府办公室</td></tr></table>"
    )
    meta = _meta(_page(tmp_path, f"<title>{TITLE}-江北区人民政府</title>", f"<h1>{TITLE}</h1>{table}"))
    assert meta.published == date(2025, 3, 20)


@pytest.mark.parametrize(
    "title",
    ["临河县人民政府政府信息公开工作年度报告（2021年度）", "临河县人民政府2021年度政府信息公开工作年度报告"],
)
def test_a_government_report_signed_by_its_office_is_the_governments(title: str) -> None:
    text = (
        f"{title}\n发布日期：2022-03-22 来源：县政府办公室\n"
        "一、总体情况\n2021年，全县认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息2100条。\n"
        "五、存在的主要问题及改进情况\n政策解读形式较为单一。下一步，我们将丰富解读形式。\n"
        "临河县人民政府办公室\n2022年3月21日\n"
    )
    meta = understand(text).metadata
    assert meta.title is not None and meta.title.startswith("临河县人民政府")
    assert (meta.year, meta.unit, meta.level) == (2021, "临河县人民政府", "county")
    assert meta.source("level").sure and meta.source("year").sure


# ------------------------------------------------------------------ the dates of other pages

FAZHI_TITLE = "遂昌县人民政府关于2023年度法治政府建设情况的报告"
FAZHI_BODY = (
    "<p>2023年，县政府坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下：</p>"
    "<p>一、主要举措和成效</p><p>（一）规范行政决策。公布重大行政决策事项目录3项，全部经过合法性审查和集体讨论决定。"
    "县政府法律顾问审查合同74份。</p>"
    "<p>二、党政主要负责人履行推进法治建设第一责任人职责情况</p><p>县委书记、县长认真履行第一责任人职责，"
    "县政府常务会议专题研究法治政府建设2次。</p>"
    "<p>三、存在的不足和原因</p><p>一是山区县法治人才短缺；二是行政执法数字化水平有待提升。</p>"
    "<p>四、下一步工作打算</p><p>2024年，县政府将加强法治人才队伍建设。</p>"
    "<p>遂昌县人民政府</p><p>2024年3月25日</p>"
)
#: a sidebar of other pages, each item its own title and date (the tester's page: 相关文章 before the article)
RELATED_ITEMS = (
    "<li><a href='#'>遂昌县人民政府关于2023年度部门预算公开的说明</a> 发布时间：2024-05-10</li>"
    "<li><a href='#'>遂昌县2024年政府信息公开工作年度报告</a> 发布时间：2025-01-20</li>"
)
SIDEBARS = {
    "related, one line an item": f"<div class='side'><h3>相关文章</h3><ul>{RELATED_ITEMS}</ul></div>",
    "latest, title and date blocks": (
        "<div class='side'><h3>最新发布</h3><ul><li><p><a href='#'>遂昌县人民政府关于印发2024年重点工作的通知</a></p>"
        "<p>发布日期：2024-05-10</p></li></ul></div>"
    ),
    "hot, no heading word of ours": (
        "<div class='hot'><div class='hd'>热点推荐 更多>></div><ul>"
        "<li><a href='#'>县政府召开常务会议研究部署安全生产工作的情况通报</a><span>发布时间：2024-05-10</span></li>"
        "</ul></div>"
    ),
}
OWN_INFO = {
    "info div": "<div class='meta'>发布时间：2024-03-28　来源：县司法局</div>",
    "info list": (
        "<div class='info'><ul><li>发布日期：2024-03-28</li><li>来源：县司法局</li><li>浏览次数：35</li></ul></div>"
    ),
    "source first": "<div class='meta'>来源：遂昌县司法局 发布时间：2024-03-28 【字体：大 中 小】</div>",
}


def _fazhi_page(tmp_path: Path, sidebar: str, info: str, sidebar_first: bool) -> Path:
    article = f"<div class='main'><h1>{FAZHI_TITLE}</h1>{info}<div class='content'>{FAZHI_BODY}</div></div>"
    parts = (sidebar, article) if sidebar_first else (article, sidebar)
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head><meta charset='utf-8'><title>{FAZHI_TITLE}-遂昌县人民政府</title></head><body>"
        f"<div class='nav'>首页 | 政务公开 | 政务服务</div>{''.join(parts)}"
        "<div class='foot'>主办：遂昌县人民政府办公室 浙ICP备05012345号</div></body></html>",
        encoding="utf-8",
    )
    return path


def _dl01(path: Path) -> str:
    from auditor.engine import audit
    from auditor.loader import load_checklist

    doc = understand(read_document(str(path)).text)
    (finding,) = [f for f in audit(doc, load_checklist("fazhi")).findings if f.rule_id == "DL-01"]
    return str(finding.status)


@pytest.mark.parametrize("sidebar_first", [True, False])
@pytest.mark.parametrize("info", OWN_INFO.values(), ids=OWN_INFO.keys())
@pytest.mark.parametrize("sidebar", SIDEBARS.values(), ids=SIDEBARS.keys())
def test_the_articles_own_date_wins_over_a_list_of_other_pages(
    tmp_path: Path, sidebar: str, info: str, sidebar_first: bool
) -> None:
    path = _fazhi_page(tmp_path, sidebar, info, sidebar_first)
    meta = _meta(path)
    assert meta.published == date(2024, 3, 28) and meta.source("published").stated
    assert _dl01(path) == "met"  # on time: no charge of a late publication on another page's date


@pytest.mark.parametrize("sidebar_first", [True, False])
@pytest.mark.parametrize("sidebar", SIDEBARS.values(), ids=SIDEBARS.keys())
def test_a_list_of_other_pages_never_dates_an_article_without_a_date(
    tmp_path: Path, sidebar: str, sidebar_first: bool
) -> None:
    path = _fazhi_page(tmp_path, sidebar, "<div class='meta'>来源：县司法局</div>", sidebar_first)
    assert _meta(path).published is None
    assert _dl01(path) == "needs_review"  # the sign-off date alone, as for any page without a date
