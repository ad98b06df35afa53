"""Follow-through against the readings of fixtures/yoy/pairs.yaml (the issue's bar: >= 85%)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.compare.followthrough import follow_through
from auditor.compare.items import split_items
from auditor.compare.model import FollowThrough
from auditor.compare.regions import regions
from auditor.document import understand

from .conftest import YOY, doc, pairs, spec


def _run(pair: dict[str, object]) -> FollowThrough:
    s = spec(str(pair.get("checklist", "fazhi")))
    last, this = doc(str(pair["last"])), doc(str(pair["this"]))
    return follow_through(last, split_items(last, regions(last, s).plans), this, regions(this, s))


def test_item_verdicts_agree_with_the_reading_for_85_percent_of_items() -> None:
    agree = total = 0
    disagreements = []
    for pair in pairs():
        ft = _run(pair)
        expected = pair["items"]
        assert len(ft.items) == len(expected), pair["name"]
        for got, want in zip(ft.items, expected, strict=True):
            assert got.plan.text.lstrip().startswith(want["plan"]), (pair["name"], got.plan.text[:30])
            total += 1
            if got.status == want["status"]:
                agree += 1
            else:
                disagreements.append((pair["name"], want["plan"], want["status"], got.status))
    assert total >= 20
    assert agree / total >= 0.85, disagreements


def test_every_verdict_is_explained_and_its_evidence_located_in_this_years_text() -> None:
    for pair in pairs():
        ft = _run(pair)
        this_source = (YOY / str(pair["this"])).read_text(encoding="utf-8")
        last_source = (YOY / str(pair["last"])).read_text(encoding="utf-8")
        for it in ft.items:
            assert it.reason
            assert last_source[it.plan.start : it.plan.end] == it.plan.text
            assert last_source.count("\n", 0, it.plan.start) + 1 == it.plan.line
            if it.status in ("done", "open", "needs_review"):
                assert it.evidence, it
                for e in it.evidence:
                    assert this_source[e.start : e.end] == e.text
                    assert f"第 {e.line} 行" in it.reason
            else:
                assert it.evidence == []


def test_a_plan_written_in_other_words_is_found_through_the_synonym_bank() -> None:
    last = understand(
        "某镇2022年法治政府建设情况报告\n一、主要举措\n办理案件3件。\n二、2023年工作安排\n"
        "一是加强法治宣传教育，组织法治宣传进村入户活动，全年不少于十场。\n"
    )
    this = understand(
        "某镇2023年法治政府建设情况报告\n一、主要举措\n全年组织普法进村入户活动12场，发放资料800份。\n"
        "二、存在的不足\n执法人员不足。\n"
    )
    ft = follow_through(last, split_items(last, regions(last, None).plans), this, regions(this, None))
    assert [i.status for i in ft.items] == ["done"]


def test_a_plan_nowhere_in_this_years_report_is_missing_and_a_repeated_one_open() -> None:
    last = understand(
        "某镇2022年法治政府建设情况报告\n一、主要举措\n办理案件3件。\n二、2023年工作安排\n"
        "一是建设智慧普法平台，开通普法微信公众号。\n二是开展行政规范性文件清理，公布清理结果。\n"
    )
    this = understand(
        "某镇2023年法治政府建设情况报告\n一、主要举措\n全年办理行政复议案件4件，负责人出庭应诉率100%。\n"
        "二、2024年工作安排\n一是开展行政规范性文件清理，并公布清理结果。\n"
    )
    ft = follow_through(last, split_items(last, regions(last, None).plans), this, regions(this, None))
    assert [i.status for i in ft.items] == ["missing", "open"]


def test_no_next_year_part_last_year_makes_follow_through_not_applicable() -> None:
    text = (YOY / "zhangzhu-2022.txt").read_text(encoding="utf-8").split("四、2023年工作打算")[0]
    last = understand(text)
    this = doc("zhangzhu-2023.txt")
    ft = follow_through(last, split_items(last, regions(last, None).plans), this, regions(this, None))
    assert not ft.applicable and ft.items == [] and "下一年度" in ft.reason


def test_plans_written_as_a_plain_paragraph_are_followed_sentence_by_sentence() -> None:
    last = understand(
        "某镇2022年法治政府建设情况报告\n全年办理行政处罚案件12件，组织集体学法4次。\n"
        "存在的问题：普法形式单一。\n"
        "下一步，我镇将全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。"
        "同时建设智慧普法平台，开通普法微信公众号。\n"
    )
    this = understand(
        "某镇2023年法治政府建设情况报告\n全年全面推行行政执法三项制度，执法案卷全部实现全过程记录，"
        "重大执法决定均经法制审核。\n"
    )
    items = split_items(last, regions(last, None).plans)
    ft = follow_through(last, items, this, regions(this, None))
    assert [i.status for i in ft.items] == ["done", "missing"]


def test_field_report_against_a_seed_gives_located_verdicts() -> None:
    from .conftest import ROOT

    last = understand(
        (ROOT / "fixtures" / "field" / "fazhi_pingtan-shehuishiyeju_2022.txt").read_text(encoding="utf-8")
    )
    this = doc("zhangzhu-2023.txt")
    ft = follow_through(last, split_items(last, regions(last, None).plans), this, regions(this, None))
    assert ft.applicable and ft.items
    for it in ft.items:
        assert last.source[it.plan.start : it.plan.end] == it.plan.text
        assert all(this.source[e.start : e.end] == e.text for e in it.evidence)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.frozensets(st.sampled_from(["法治", "治政", "政府", "建设", "工作", "普法"]), min_size=1), max_size=8),
    st.lists(st.frozensets(st.sampled_from(["法治", "普法", "执法", "复议"])), max_size=6),
)
def test_a_bigram_weighs_its_rarity_among_the_units_and_the_clauses(
    units: list[frozenset[str]], clauses: list[frozenset[str]]
) -> None:
    """The weight of a clause's bigram is the inverse document frequency over the units and clauses
    together (each counts a bigram once); the postings hold, for each clause bigram, the units
    that have it in order (a unit's other bigrams are never looked up)."""
    import math

    from auditor.compare.followthrough import _index, _Unit

    index = _index([_Unit(i, i + 1, "measures", "", g) for i, g in enumerate(units)], clauses)
    n = len(units) + len(clauses)
    expected = {b: math.log((n + 1) / (sum(b in g for g in units + clauses) + 0.5)) for g in clauses for b in g}
    assert index.idf == expected
    assert all(index.weight(b) == w for b, w in expected.items())
    assert index.postings == {
        b: found for g in clauses for b in g if (found := [i for i, u in enumerate(units) if b in u])
    }
