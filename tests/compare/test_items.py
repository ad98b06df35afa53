"""Last year's plans split into items: numbered items, sentences of a plain paragraph."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.compare.items import split_items
from auditor.compare.regions import regions
from auditor.document import understand

from .conftest import ROOT, doc, spec

PLAIN = """某镇人民政府2022年法治政府建设情况报告
一、主要举措和成效
全年办理行政处罚案件12件，组织集体学法4次。
二、存在的不足
执法人员数量不足，普法形式单一。
三、2023年工作安排
2023年，我镇将重点做好以下工作：深入开展八五普法，组织送法进村活动。全面落实行政执法三项制度，开展案卷评查。加强执法人员培训，每年轮训一次。
"""


def test_numbered_items_of_the_fazhi_plans_part() -> None:
    d = doc("zhangzhu-2022.txt")
    items = split_items(d, regions(d, spec("fazhi")).plans)
    assert [d.text[i.start : i.start + 2] for i in items] == [
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "六是",
        "七是",
        "八是",
        "九是",
        "十是",
    ]
    assert items[0].title == "深化领导干部学法用法"


def test_gov_info_plans_are_the_improvement_measures_only() -> None:
    d = doc("anlan-2023.txt")
    items = split_items(d, regions(d, spec("gov-info-disclosure")).plans)
    texts = [d.text[i.start : i.end] for i in items]
    assert len(texts) == 3 and texts[0].startswith("一是丰富解读形式")
    assert not any("政策解读形式较为单一" in t for t in texts)  # the problems are not plans


def test_a_plain_paragraph_is_split_into_sentences_without_its_announcement() -> None:
    d = understand(PLAIN)
    items = split_items(d, regions(d, None).plans)
    texts = [d.text[i.start : i.end] for i in items]
    assert texts == [
        "深入开展八五普法,组织送法进村活动。",
        "全面落实行政执法三项制度,开展案卷评查。",
        "加强执法人员培训,每年轮训一次。",
    ]


def test_a_report_without_plans_has_no_items() -> None:
    d = understand(PLAIN.split("三、")[0])
    assert split_items(d, regions(d, None).plans) == []


_CHARS = st.sampled_from(
    [
        *"一二三是、。，；：\n（）1.年将我镇工作安排下一步加强推进落实法治",
        "2023年",
        "下一步，我镇将",
        "三、2024年工作安排\n",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHARS, max_size=120).map("".join))
def test_items_lie_inside_the_plans_in_order_and_never_overlap(tail: str) -> None:
    text = (ROOT / "fixtures" / "yoy" / "zhangzhu-2022.txt").read_text(encoding="utf-8").split("四、")[0] + tail
    d = understand(text)
    plans = regions(d, None).plans
    items = split_items(d, plans)
    for a, b in itertools.pairwise(items):
        assert a.end <= b.start
    for it in items:
        assert any(s <= it.start and it.end <= e for s, e in plans)
        assert it.start < it.key_end <= it.end


def test_gov_info_plans_opened_by_a_sentence_in_part_five_pdftotext_layout() -> None:
    text = (ROOT / "fixtures" / "field" / "xxgk_hongze_2023_pdftotext.txt").read_text(encoding="utf-8")
    d = understand(text)
    items = split_items(d, regions(d, spec("gov-info-disclosure")).plans)
    texts = [d.text[i.start : i.end] for i in items]
    assert len(texts) == 3
    assert "依申请公开工作" in texts[0] and texts[2].startswith("三是继续加强业务指导培训")
    assert not any("还有待提" in t for t in texts)  # the problems before 下一步 are not plans


def test_plans_alone_are_the_plans_of_the_regions() -> None:
    """Last year's report is read for its plans alone: the same spans as its regions' plans, for every
    report of fixtures/yoy, with each checklist's compare declaration and the default one."""
    from auditor.compare.regions import plans

    names = sorted(p.name for p in (ROOT / "fixtures" / "yoy").glob("*.txt"))
    assert names
    for name in names:
        d = doc(name)
        for s in (spec("fazhi"), spec("gov-info-disclosure"), None):
            assert plans(d, s) == regions(d, s).plans
    assert plans(understand(PLAIN), None) == regions(understand(PLAIN), None).plans != ()
    # a measures heading inside the plans part: its section is no plan
    headed = "（一）整改落实情况\n已整改问题3个。\n（二）重点工作\n"
    d = understand(PLAIN.replace("2023年，我镇将", headed + "2023年，我镇将"))
    at = d.text.index("整改落实情况")
    s = spec("gov-info-disclosure")
    assert plans(d, s) == regions(d, s).plans
    assert any(a <= at < b for a, b in plans(d, None)) and not any(a <= at < b for a, b in plans(d, s))
