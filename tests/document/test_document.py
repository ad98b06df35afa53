"""Document understanding: sentences, headings, roles, page chrome, metadata."""

from __future__ import annotations

from datetime import date

import pytest

from auditor.document import Document, understand
from auditor.document.metadata import county_level_cities, level_of_unit
from auditor.document.normalize import normalize
from tests.helpers import REPORT, ROOT, SEED_FILES, seed_text


def sentences(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in doc.sentences]


def headings(doc: Document) -> list[tuple[int, str, str]]:
    return [(s.heading.level, s.heading.marker, s.heading.title) for s in doc.sections]


def role_of(doc: Document, needle: str) -> str | None:
    return doc.role_at(doc.text.index(needle))


def parts(doc: Document) -> list[tuple[str, str]]:
    return [(p.role, doc.text[p.start : p.end]) for p in doc.parts]


# ------------------------------------------------------------------ sentences


def test_sentences_split_on_chinese_punctuation_and_lines() -> None:
    doc = understand("全年开展执法检查12次。办理案件20件！是否到位？继续加强；\n下一行没有句号\n最后一句。")
    assert sentences(doc) == [
        "全年开展执法检查12次。",
        "办理案件20件!",
        "是否到位?",
        "继续加强;",
        "下一行没有句号",
        "最后一句。",
    ]


def test_sentences_do_not_split_inside_book_titles_or_quotes() -> None:
    doc = understand(
        "我镇印发了《关于加强法治建设的通知；实施方案》。"
        "会议强调“要做到应审尽审。决不放过！”随后部署工作。"
        "制定「三张清单；一套机制」制度。"
    )
    assert sentences(doc) == [
        "我镇印发了《关于加强法治建设的通知;实施方案》。",
        '会议强调"要做到应审尽审。决不放过!"随后部署工作。',
        "制定「三张清单;一套机制」制度。",
    ]


def test_sentences_are_trimmed_and_never_empty() -> None:
    doc = understand("  第一句。  。。\n\n  第二句  \n")
    assert sentences(doc) == ["第一句。。。", "第二句"]
    for s, e in doc.sentences:
        assert e > s
        assert doc.text[s] not in " \n" and doc.text[e - 1] not in " \n"


def test_sentence_and_paragraph_lookup() -> None:
    doc = understand("第一句。第二句。\n第二段。")
    pos = doc.text.index("第二句")
    assert doc.text[slice(*doc.sentence_at(pos))] == "第二句。"
    assert doc.text[slice(*doc.paragraph_at(pos))] == "第一句。第二句。"
    assert doc.text[slice(*doc.paragraph_at(doc.text.index("第二段")))] == "第二段。"


# ------------------------------------------------------------------ headings

MULTI_LINE = """2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:
一、主要举措和成效
（一）依法行政工作
全年开展执法检查12次，办理案件20件。
1、加强学习。组织学法6次，参加人员100人次。
2. 规范执法。全年执法检查36次，增长1.5%，办理案件56件。
(二)普法宣传工作
一是加强培训，全年培训5次。二是加强考核，考核3次。
是加强宣传，发放资料500份。
是否开展了专项检查，需要进一步核实。
二、存在的问题和不足
执法人员不足，普法形式单一，群众参与度不高。
三、下一年度工作安排
继续加强执法队伍建设，全面落实行政执法三项制度。
"""


def test_headings_at_each_level_on_many_lines() -> None:
    doc = understand(MULTI_LINE, year=2023)
    assert headings(doc) == [
        (1, "一、", "主要举措和成效"),
        (2, "(一)", "依法行政工作"),
        (3, "1、", "加强学习"),
        (3, "2.", "规范执法"),
        (2, "(二)", "普法宣传工作"),
        (4, "一是", "加强培训,全年培训5次"),
        (4, "二是", "加强考核,考核3次"),
        (4, "", "加强宣传,发放资料500份"),  # a lost number: 是… at the start of a line
        (1, "二、", "存在的问题和不足"),
        (1, "三、", "下一年度工作安排"),
    ]


def test_section_tree_and_labels() -> None:
    doc = understand(MULTI_LINE, year=2023)
    by_title = {s.heading.title: s for s in doc.sections}
    top = by_title["主要举措和成效"]
    assert top.parent is None
    sub = by_title["依法行政工作"]
    assert doc.sections[sub.parent].heading.title == "主要举措和成效"
    item = by_title["加强学习"]
    assert doc.sections[item.parent].heading.title == "依法行政工作"
    assert sub.label == "(一)依法行政工作"
    assert top.end == by_title["存在的问题和不足"].start
    inner = doc.section_at(doc.text.index("组织学法6次"))
    assert inner is not None and inner.label == "1、加强学习"
    assert doc.section_at(0) is None  # the opening paragraph is under no heading


def test_more_heading_markers() -> None:
    doc = understand(
        "2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:\n"
        "第一部分 主要工作\n"
        "全年开展执法检查12次,办理案件20件,培训执法人员100人次,发放资料5000份。\n"
        "(1)加强学习\n"
        "全年组织学法6次,参加人员100人次,考试合格率100%。\n"
        "①规范执法\n"
        "全年开展执法检查12次,办理案件20件,培训执法人员100人次,发放资料5000份。\n"
        "第二部分 存在问题\n"
        "执法力量不足,普法形式单一。\n",
        year=2023,
    )
    assert headings(doc) == [
        (1, "第一部分", "主要工作"),
        (3, "(1)", "加强学习"),
        (3, "①", "规范执法"),
        (1, "第二部分", "存在问题"),
    ]


def test_standalone_unnumbered_heading() -> None:
    text = (
        "2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:\n"
        "一、加强组织领导\n"
        "全年召开专题会议3次研究法治建设,主要负责人带头学法,全年组织学法6次。\n"
        "有序推进法治政府建设\n"
        "全年开展执法检查12次,办理行政处罚案件56件,发放宣传资料5000余份。\n"
        "全年开展执法检查12次。\n"
    )
    doc = understand(text, year=2023)
    assert (1, "", "有序推进法治政府建设") in headings(doc)
    # a short line followed by a short line is not a heading
    assert all(t != "全年开展执法检查12次。" for _, _, t in headings(doc))


def test_decimals_and_shi_fou_are_not_headings() -> None:
    doc = understand(MULTI_LINE, year=2023)
    titles = [t for _, _, t in headings(doc)]
    assert not any(t.startswith("5%") for t in titles)
    assert not any("需要进一步核实" in t for t in titles)


ONE_LINE = (
    "现将2023年法治政府建设情况报告如下: 一、主要举措和成效 (一)依法行政工作。全年开展执法检查12次,"
    "办理案件20件。1、加强学习。组织学法6次,参加人员100人次。一是加强培训,全年培训5次。二是加强考核,考核3次。"
    " 二、存在的问题和不足。执法人员不足,普法形式单一。 三、2024年工作安排。继续加强执法队伍建设。"
)


def test_headings_on_one_line() -> None:
    doc = understand(ONE_LINE, year=2023)
    assert headings(doc) == [
        (1, "一、", "主要举措和成效"),
        (2, "(一)", "依法行政工作"),
        (3, "1、", "加强学习"),
        (4, "一是", "加强培训,全年培训5次"),
        (4, "二是", "加强考核,考核3次"),
        (1, "二、", "存在的问题和不足"),
        (1, "三、", "2024年工作安排"),
    ]
    assert role_of(doc, "执法人员不足") == "shortcomings"
    assert role_of(doc, "继续加强执法队伍建设") == "next_year"
    assert role_of(doc, "组织学法6次") == "measures"
    assert role_of(doc, "现将2023年") == "intro"


def test_one_line_heading_title_ends_at_the_space() -> None:
    """On one line, the space after a numbered heading is its lost line break: kept, it ends the title."""
    doc = understand(
        "现将2023年法治政府建设情况报告如下: 一、主要举措和成效 全年开展执法检查12次,办理案件20件。"
        " 二、存在的问题和不足 执法人员不足,普法形式单一。",
        year=2023,
    )
    assert [t for _, _, t in headings(doc)] == ["主要举措和成效", "存在的问题和不足"]
    assert role_of(doc, "执法人员不足") == "shortcomings"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("双  塔  镇人民政府", False),  # a spaced title: joined
        ("一、主要 举措\n", False),  # a stray space inside a short heading, no prose after it
        ("二、 依法决策 严格执行重大行政决策程序。", True),  # the space after the marker is dropped, not the other
        ("。三、强化监督问责 全面落实行政执法责任制,开展评议。", True),
        ("1、加强组织领导 成立领导小组,主要负责人任组长。", True),
    ],
)
def test_space_after_a_heading_is_kept_only_before_prose(text: str, kept: bool) -> None:
    from auditor.document.normalize import normalize

    assert (" " in normalize(text).text.strip()) == kept


# ------------------------------------------------------------------ roles


def test_roles_from_headings() -> None:
    doc = understand(REPORT)
    assert role_of(doc, "2023年,我镇认真贯彻") == "intro"
    assert role_of(doc, "全面落实行政执法公示制度") == "measures"
    assert role_of(doc, "亲自部署") == "first_responsible"
    assert role_of(doc, "编制所限") == "shortcomings"
    assert role_of(doc, "全面推行年终述法制度") == "next_year"
    assert doc.role_at(0) is None  # the title is front matter, outside the body


def test_other_role_and_sub_sections_inherit() -> None:
    text = (
        "2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:\n"
        "一、主要举措和成效\n(一)严格执法\n全年开展执法检查12次,办理案件20件。\n"
        "二、存在的问题\n(一)执法力量不足\n专职执法人员仅有6名。\n"
        "三、下一年度工作安排\n(一)加强队伍建设\n培训执法人员100人次。\n"
        "四、其他需要报告的情况\n我镇被评为省级民主法治示范镇。\n"
    )
    doc = understand(text, year=2023)
    assert role_of(doc, "全年开展执法检查") == "measures"
    assert role_of(doc, "专职执法人员仅有6名") == "shortcomings"
    assert role_of(doc, "培训执法人员100人次") == "next_year"
    assert role_of(doc, "省级民主法治示范镇") == "other"
    roles = {s.heading.title: s.role for s in doc.sections}
    assert roles["执法力量不足"] == "shortcomings"
    assert roles["加强队伍建设"] == "next_year"


def test_shortcomings_heading_that_mentions_rectification() -> None:
    doc = understand(seed_text("001"))
    (heading,) = [s for s in doc.sections if s.label.startswith("二、")]
    assert heading.label == "二、2022年推进法治政府建设存在的不足、原因及问题整改"
    assert heading.role == "shortcomings"


def test_rectifying_problems_under_measures_stays_measures() -> None:
    doc = understand(
        "2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:\n"
        "一、主要举措和成效\n(一)严格规范执法\n全年开展执法检查12次,办理案件20件。\n"
        "(二)全面整改督察反馈存在的问题\n针对督察反馈的问题,全年整改到位15项,行政机关负责人出庭应诉率100%。\n"
        "二、下一年度工作安排\n继续加强执法队伍建设。\n",
        year=2023,
    )
    assert role_of(doc, "全年整改到位15项") == "measures"


def test_title_with_a_later_year_is_next_year() -> None:
    doc = understand(
        "2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:\n"
        "一、主要举措和成效\n全年开展执法检查12次,办理案件20件。\n"
        "二、2024年重点任务\n继续加强执法队伍建设。\n",
        year=2023,
    )
    assert role_of(doc, "继续加强执法队伍建设") == "next_year"


def test_sentence_cues_open_shortcomings_and_plans_parts() -> None:
    text = (
        "一、主要举措和成效\n"
        "全年开展执法检查12次，办理案件20件，组织学法6次，参加人员100人次。\n"
        "在肯定成绩的同时，我镇法治政府建设中还存在一些问题和不足。一是监督机制不够完善，执法监督力量薄弱；"
        "二是群众参与决策的渠道不多。\n"
        "下一步，我镇将继续深化法治政府建设，加强执法队伍培训。\n"
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
        "镇党委书记主持召开专题会议3次研究法治建设。\n"
        "三、其他需要报告的情况\n"
        "我镇被评为省级民主法治示范镇。"
    )
    doc = understand(text, year=2023)
    assert role_of(doc, "组织学法6次") == "measures"
    assert role_of(doc, "在肯定成绩的同时") == "shortcomings"
    assert role_of(doc, "群众参与决策的渠道不多") == "shortcomings"
    assert role_of(doc, "下一步,我镇将") == "next_year"  # folded from 下一步，我镇将
    assert role_of(doc, "加强执法队伍培训") == "next_year"
    # the cue-opened part ends at the next level-1 heading
    assert role_of(doc, "主持召开专题会议3次") == "first_responsible"
    assert role_of(doc, "省级民主法治示范镇") == "other"


def test_sentence_cues_on_one_line() -> None:
    text = (
        "2023年,我镇全年开展执法检查12次,办理案件20件。在肯定成绩的同时,我镇还存在一些问题和不足。"
        "一是执法力量薄弱;二是普法形式单一。下一步,我镇将加强执法队伍建设。"
    )
    doc = understand(text, year=2023)
    assert role_of(doc, "全年开展执法检查") == "measures"
    assert role_of(doc, "执法力量薄弱") == "shortcomings"
    assert role_of(doc, "加强执法队伍建设") == "next_year"


def test_solving_problems_is_not_a_shortcomings_cue() -> None:
    doc = understand(
        "一、主要举措和成效\n全年开展执法检查12次,办理案件20件。"
        "针对存在的问题,我镇及时整改到位。全年化解矛盾纠纷595起。\n",
        year=2023,
    )
    assert role_of(doc, "针对存在的问题") == "measures"
    assert role_of(doc, "全年化解矛盾纠纷") == "measures"


# ------------------------------------------------------------------ page chrome

PAGE = """市司法局
网站首页 政府信息公开 互动交流 办事服务
当前位置:首页>专题专栏>法治政府建设
索引号 | 11320282/2024-00012 | 发布机构 | 张渚镇 |
张渚镇人民政府2023年法治政府建设情况报告
来源:市司法局 时间:2024-03-04 15:28:11 浏览次数: 字号:[大 中 小]

2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:
一、主要举措和成效
全年开展执法检查12次,办理行政处罚案件56件,发放宣传资料5000余份。
字号:[大 中 小] 浏览次数:123
二、存在的问题
执法人员数量不足,普法形式单一,群众参与度不高。

【打印本页】 【关闭窗口】
扫一扫在手机打开当前页
网站标识码:3202820001 版权所有:宜兴市人民政府 苏ICP备12345678号
"""


def test_chrome_is_not_report_text() -> None:
    doc = understand(PAGE)
    for chrome in [
        "网站首页",
        "当前位置",
        "索引号",
        "发布机构",
        "浏览次数",
        "字号",
        "打印本页",
        "关闭窗口",
        "扫一扫",
        "网站标识码",
        "版权所有",
        "ICP备",
    ]:
        assert chrome in doc.norm.text
        assert chrome not in doc.text, chrome
    for body in ["2023年,我镇认真贯彻落实", "全年开展执法检查12次", "执法人员数量不足,普法形式单一"]:
        assert body in doc.text
    assert len(doc.text) == len(doc.norm.text)  # chrome is blanked, offsets are kept
    assert doc.metadata.published == date(2024, 3, 4)  # read from the chrome before it is set aside
    assert doc.role_at(doc.norm.text.index("网站首页")) is None


def test_print_line_inside_the_body_is_masked_not_the_end() -> None:
    doc = understand(
        "2023年,我镇认真贯彻落实上级关于法治政府建设的部署要求,现将有关情况报告如下:\n"
        "一、主要举措和成效\n全年开展执法检查12次,办理行政处罚案件56件,发放宣传资料5000余份。\n"
        "【打印本页】 【关闭窗口】\n"
        "二、存在的问题\n执法人员数量不足,普法形式单一,群众参与度不高。\n"
    )
    assert "打印本页" not in doc.text
    assert "执法人员数量不足" in doc.text


def test_body_chars_excludes_chrome_and_spaces() -> None:
    doc = understand(PAGE)
    b0, b1 = doc.body
    body = doc.text[b0:b1]
    assert doc.body_chars() == len(body.replace("\n", "").replace(" ", ""))
    assert doc.body_chars() < len(PAGE.replace("\n", "").replace(" ", "")) - 100


@pytest.mark.parametrize(
    ("prefix", "chrome"),
    [
        ("000", "网站首页"),
        ("002", "索引号"),
        ("002", "扫一扫"),
        ("002", "无障碍"),
        ("003", "索引号"),
        ("003", "打印本页"),
        ("003", "发布时间"),
    ],
)
def test_seed_chrome_is_excluded(prefix: str, chrome: str) -> None:
    doc = understand(seed_text(prefix))
    assert chrome in doc.norm.text
    assert chrome not in doc.text


# ------------------------------------------------------------------ evidence mapping


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_evidence_points_into_the_source(path) -> None:
    source = path.read_text(encoding="utf-8")
    doc = understand(source)
    for s, e in doc.sentences[::7]:
        span = doc.evidence(s, e)
        assert span.text == source[span.start : span.end]
        assert span.line == source.count("\n", 0, span.start) + 1
        assert normalize(span.text).text == doc.text[s:e]


def test_evidence_section_is_the_innermost_heading() -> None:
    doc = understand(MULTI_LINE, year=2023)
    pos = doc.text.index("组织学法6次")
    span = doc.evidence(pos, pos + 6)
    assert span.text == "组织学法6次"
    assert span.section == "1、加强学习"
    assert span.line == 5


# ------------------------------------------------------------------ seeds: structure


def test_seed_003_is_one_line_with_inline_headings() -> None:
    source = seed_text("003")
    doc = understand(source)
    top = [s.label for s in doc.sections if s.parent is None]
    assert top == [
        "一、2022年度推进法治政府建设的主要举措和成效",
        "二、2022年度推进法治政府建设存在的不足和原因",
        "三、2022年度党政主要负责人履行推进法治政府建设第一责任人职责,加强法治政府建设的相关情况",
        "四、2023年度推进法治政府建设的主要安排",
    ]
    assert [s.role for s in doc.sections if s.parent is None] == [
        "measures",
        "shortcomings",
        "first_responsible",
        "next_year",
    ]
    lines = {source.count("\n", 0, doc.norm.to_source(s.start)) for s in doc.sections}
    assert len(lines) == 1  # every heading is on the same source line


def test_seed_000_structure() -> None:
    doc = understand(seed_text("000"))
    top = [(s.label, s.role) for s in doc.sections if s.parent is None]
    assert top == [
        ("一、党政主要负责人严格履行推进法治建设第一责任人职责", "first_responsible"),
        ("有序推进法治政府建设", "measures"),  # lost its number (二、)
        ("三、深入推进法治社会建设", "measures"),
        ("四、2024年度推进工作的主要安排", "next_year"),
    ]
    assert role_of(doc, "在肯定成绩的同时") == "shortcomings"
    assert role_of(doc, "中心组集体学法6次") == "first_responsible"


def test_seed_004_structure() -> None:
    doc = understand(seed_text("004"))
    top = [(s.label, s.role) for s in doc.sections if s.parent is None]
    assert top == [
        ("一、2021年法治政府建设工作开展情况", "measures"),
        ("二、法治政府建设工作存在的不足及原因", "shortcomings"),
        ("三、2022年依法行政工作的总体要求和主要任务", "next_year"),
    ]


# ------------------------------------------------------------------ metadata

BODY = (
    "2023年,我单位认真贯彻落实法治政府建设各项要求,全年开展普法活动30余场次,发放宣传资料5000余份,组织学法6次。\n"
    "一、主要举措和成效\n全年办理行政复议案件5件,行政机关负责人出庭应诉率达100%,开展执法检查12次。\n"
    "二、下一年度工作安排\n继续加强执法队伍建设,全面落实行政执法三项制度。\n"
)


@pytest.mark.parametrize(
    ("prefix", "title", "unit", "year", "level", "published", "signed"),
    [
        ("000", "张渚镇人民政府2023年法治政府建设情况报告", "张渚镇人民政府", 2023, "township", date(2024, 3, 4), None),
        (
            "001",
            "民权县双塔镇人民政府关于2022年度法治政府建设情况的报告",
            "双塔镇人民政府",
            2022,
            "township",
            None,
            date(2023, 2, 23),
        ),
        (
            "002",
            "重庆市开州区河堰镇人民政府关于2023年度法治政府建设情况的报告",
            "重庆市开州区河堰镇人民政府",
            2023,
            "township",
            date(2024, 2, 29),
            date(2024, 2, 29),
        ),
        ("003", "白鹤街道2022年度法治政府建设报告", "白鹤街道", 2022, "township", date(2023, 3, 14), None),
        ("004", None, "周铁镇", 2021, "township", None, None),
    ],
)
def test_seed_metadata(prefix, title, unit, year, level, published, signed) -> None:
    m = understand(seed_text(prefix)).metadata
    assert (m.title, m.unit, m.year, m.level, m.published, m.signed) == (title, unit, year, level, published, signed)


def test_title_split_over_an_issuer_line_and_an_about_line() -> None:
    text = (
        "河堰镇关于2023年度法治政府建设情况的报告\n\n"
        "重庆市开州区河堰镇人民政府\n\n"
        "关于2023年度法治政府建设情况的报告\n\n" + BODY
    )
    m = understand(text).metadata
    assert m.title == "重庆市开州区河堰镇人民政府关于2023年度法治政府建设情况的报告"
    assert m.unit == "重庆市开州区河堰镇人民政府"
    assert m.year == 2023


def test_unit_from_the_signoff_wins_over_the_title() -> None:
    text = "民权县双塔镇人民政府关于2023年度法治政府建设情况的报告\n" + BODY + "\n双塔镇人民政府\n2024年2月23日\n"
    m = understand(text).metadata
    assert m.unit == "双塔镇人民政府"
    assert m.signed == date(2024, 2, 23)


@pytest.mark.parametrize(
    ("signoff", "signed"),
    [
        ("张渚镇人民政府\n二〇二四年三月一日", date(2024, 3, 1)),
        ("张渚镇人民政府\n二〇二四年三月二十一日", date(2024, 3, 21)),
        ("张渚镇人民政府\n二○二四年十二月三十日", date(2024, 12, 30)),
        ("张渚镇人民政府\n2024年3月1日", date(2024, 3, 1)),
        ("张渚镇人民政府\n2024 年 3 月 1 日", date(2024, 3, 1)),
    ],
)
def test_signed_from_the_signoff_date(signoff: str, signed: date) -> None:
    m = understand(BODY + signoff + "\n").metadata
    assert m.signed == signed
    assert m.unit == "张渚镇人民政府"
    assert m.level == "township"


def test_signed_from_written_date_field_only() -> None:
    assert understand("成文日期:2024-02-20\n" + BODY).metadata.signed == date(2024, 2, 20)
    assert understand("[ 成文日期 ] 2024-02-20\n" + BODY).metadata.signed == date(2024, 2, 20)
    # no other header date counts as signed
    assert understand("生成日期 | 2024-02-20 |\n" + BODY).metadata.signed is None


@pytest.mark.parametrize(
    "line",
    [
        "发布时间:2024-03-04",
        "发布时间：2024-03-04 14:40",
        "发布日期:2024年3月4日",
        "[ 发布日期 ] 2024-03-04",
        "【发布日期】2024-03-04",
        "时间:2024-03-04 15:28",
        "公开日期：2024/03/04",
        "来源:市司法局 时间:2024-03-04 15:28:11 浏览次数:",
    ],
)
def test_published_date_lines(line: str) -> None:
    assert understand(line + "\n" + BODY).metadata.published == date(2024, 3, 4)


def test_published_date_in_the_footer_and_overrides() -> None:
    text = BODY + "扫一扫在手机打开当前页\n发布日期:2024-03-04\n"
    assert understand(text).metadata.published == date(2024, 3, 4)
    m = understand(text, year=2020, level="county", published=date(2024, 1, 2)).metadata
    assert (m.year, m.level, m.published) == (2020, "county", date(2024, 1, 2))


def test_no_dates_at_all() -> None:
    m = understand(BODY).metadata
    assert m.published is None and m.signed is None


def test_report_year_from_the_title_then_the_body() -> None:
    assert understand("张渚镇人民政府2022年法治政府建设情况报告\n" + BODY).metadata.year == 2022
    assert understand("现将2021年度法治政府建设情况报告如下:" + BODY).metadata.year == 2021
    assert understand("全年开展普法活动30余场次,发放宣传资料5000余份。").metadata.year is None


@pytest.mark.parametrize(
    ("unit", "level"),
    [
        ("张渚镇人民政府", "township"),
        ("某乡人民政府", "township"),
        ("白鹤街道办事处", "township"),
        ("白鹤街道", "township"),
        ("民权县人民政府", "county"),
        ("海淀区人民政府", "county"),
        ("苏州市吴中区人民政府", "county"),
        ("江阴市人民政府", "county"),  # 县级市
        ("宜兴市人民政府", "county"),
        ("中共宜兴市委", "county"),
        ("无锡市人民政府", "city"),  # 地级市
        ("延边朝鲜族自治州人民政府", "city"),
        ("阿拉善盟", "city"),
        ("北京市人民政府", "province"),  # 直辖市
        ("重庆市人民政府", "province"),
        ("浙江省人民政府", "province"),
        ("宜兴市司法局", "department"),
        ("江苏省司法厅", "department"),
        ("宜兴市发展和改革委员会", "department"),
        ("某县行政审批服务中心", "department"),
        ("宜兴市人民政府办公室", "department"),
        ("安澜地区行政公署", "city"),  # a prefecture's government (署 is no department here)
        ("锡林郭勒盟行政公署", "city"),
        ("喀什地区", "city"),
        ("某某地区林业局", "department"),
    ],
)
def test_level_of_unit(unit: str, level: str) -> None:
    assert level_of_unit(unit) == level


def test_every_bundled_county_level_city_is_county() -> None:
    cities = county_level_cities()
    assert len(cities) > 300
    assert "宜兴市" in cities and "无锡市" not in cities
    assert all(level_of_unit(c + "人民政府") == "county" for c in cities)
    assert all(level_of_unit(c + "司法局") == "department" for c in cities)


def test_autonomous_region_is_a_province() -> None:
    assert level_of_unit("广西壮族自治区人民政府") == "province"


def test_township_party_committee_is_a_township() -> None:
    assert level_of_unit("中共张渚镇委员会") == "township"


def test_level_from_the_signoff_of_a_county_level_city() -> None:
    m = understand(BODY + "宜兴市人民政府\n2024年3月1日\n").metadata
    assert (m.unit, m.level) == ("宜兴市人民政府", "county")
    m = understand(BODY + "宜兴市司法局\n2024年3月1日\n").metadata
    assert (m.unit, m.level) == ("宜兴市司法局", "department")


def test_level_from_self_reference_when_no_unit() -> None:
    assert understand("全年我镇开展普法活动30余场次,我镇发放宣传资料5000余份。").metadata.level == "township"
    assert understand("全年我区开展普法活动30余场次,我区发放宣传资料5000余份。").metadata.level == "county"
    assert understand("全年开展普法活动30余场次,发放宣传资料5000余份。").metadata.level == "unknown"


def test_a_one_line_report_with_page_words_inside_is_still_body() -> None:
    """A page dump whose whole report is one line may carry page words (来源:, 浏览次数, 字号) in it —
    a second copy's header, a footer glued on: the line is still the report, not page chrome."""
    from auditor.engine import audit
    from auditor.loader import load_bundled

    text = (ROOT / "examples" / "张渚镇-2023.txt").read_text(encoding="utf-8")
    one_line = "".join(text.splitlines())
    cut = len(one_line) // 2
    glued = one_line[:cut] + " 来源:市司法局 时间:2024-03-04 15:28:11 浏览次数: 字号:[ ] " + one_line[cut:]
    fazhi = load_bundled()[0]
    verdicts = [{f.rule_id: f.status for f in audit(understand(t), fazhi).findings} for t in (one_line, glued)]
    assert understand(glued).body_chars() > len(one_line) * 0.9
    assert verdicts[0] == verdicts[1]
