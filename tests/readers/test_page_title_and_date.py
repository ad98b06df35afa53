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
