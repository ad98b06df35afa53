"""Follow-through against the readings of fixtures/yoy/pairs.yaml (the issue's bar: >= 85%)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.compare.followthrough import follow_through
from auditor.compare.items import split_items
from auditor.compare.model import FollowThrough
from auditor.compare.regions import Regions, regions
from auditor.compare.textsim import synonym_groups
from auditor.document import Document, understand

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


def test_plans_counted_inside_one_sentence_are_followed_one_by_one() -> None:
    """一是…，二是…，三是… in one sentence: before, one item, read as done when any part was done (the
    platform, put off, was hidden in it)."""
    last = understand(
        "某镇2022年法治政府建设情况报告\n全年办理行政处罚案件12件，组织集体学法4次。\n"
        "存在的问题：普法形式单一。\n"
        "下一步，我镇将一是深化领导干部集体学法制度，二是建设智慧普法平台并开通普法微信公众号，"
        "三是全面落实行政执法公示和执法全过程记录制度。\n"
    )
    this = understand(
        "某镇2023年法治政府建设情况报告\n全年深化领导干部集体学法制度，组织集体学法6次。"
        "全面落实行政执法公示和执法全过程记录制度，执法案卷全部实现全过程记录。"
        "智慧普法平台建设因经费原因暂缓，普法微信公众号尚未开通。\n"
    )
    items = split_items(last, regions(last, None).plans)
    assert [last.text[i.start : i.start + 3] for i in items] == ["一是深", "二是建", "三是全"]
    ft = follow_through(last, items, this, regions(this, None))
    assert ft.items[0].status == "done" and ft.items[2].status == "done"
    assert ft.items[1].status != "done"


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
    together (each counts a bigram once); the postings hold, for each clause bigram, the units of
    each group of kinds that have it in order (a unit keeps only the clauses' bigrams)."""
    import math

    from auditor.compare.followthrough import _index, _Unit

    among = frozenset().union(*clauses)
    kinds = ["measures", "plans", None]
    index = _index([_Unit(i, i + 1, kinds[i % 3], "", g & among) for i, g in enumerate(units)], clauses)
    n = len(units) + len(clauses)
    expected = {b: math.log((n + 1) / (sum(b in g for g in units + clauses) + 0.5)) for g in clauses for b in g}
    assert index.idf == expected
    assert all(index.weight(b) == w for b, w in expected.items())
    for group in (0, 1):  # measures; plans (a unit of no kind is counted, never matched)
        assert index.postings[group] == {
            b: found
            for g in clauses
            for b in g
            if (found := [i for i, u in enumerate(units) if b in u and i % 3 == group])
        }


# --- the shortcuts of the matcher against their definitions --------------------------------------------

_SYNONYMS = [w for g in synonym_groups()[:6] for w in g]
_MARKS = ["三", "十", "次", "件", "1", "5", ".", ",", "。", ";", "!", " ", "\n", "|", "、", "#"]
_WORDS = ["法治", "政府", "2023年", "Ab", "开展普法宣传活动", "执法案件"]
_HEADINGS = ["一、主要举措\n", "二、存在的问题\n", "三、下一年度工作安排\n"]
_PIECES = st.sampled_from(_SYNONYMS + _MARKS + _WORDS + _HEADINGS)
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.data())
def test_text_folds_apart_where_apart_says_it_does(text: str, data: st.DataObject) -> None:
    from auditor.compare.textsim import apart, fold

    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(end, len(text)))
    if apart(text, end, start):
        a = data.draw(st.integers(0, end))
        b = data.draw(st.integers(start, len(text)))
        assert fold(text[a:b]) == fold(text[a:end]) + fold(text[start:b])


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXTS, max_size=8))
def test_folding_texts_together_is_folding_each(texts: list[str]) -> None:
    from auditor.compare.textsim import fold, fold_all, plain, plain_all

    assert fold_all(texts) == [fold(t) for t in texts]
    assert plain_all(texts) == [plain(t) for t in texts]


_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=6).map(
    lambda spans: [(a, a + n) for a, n in spans]
)


@settings(max_examples=300, deadline=None)
@given(_SPANS, _SPANS, _SPANS, st.integers(-2, 80))
def test_the_kind_at_a_position_is_that_of_the_first_kind_with_a_span_over_it(
    plans: list[tuple[int, int]], measures: list[tuple[int, int]], short: list[tuple[int, int]], pos: int
) -> None:
    from auditor.compare.regions import Regions, merge

    r = Regions(merge(plans), merge(measures), merge(short))
    named = (("plans", r.plans), ("measures", r.measures), ("shortcomings", r.shortcomings))
    expected = next((name for name, spans in named if any(a <= pos < b for a, b in spans)), None)
    assert r.kind_at(pos) == expected


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from("0123.,一十万两零三次人元余多是年a。"), max_size=30))
def test_figures_are_masked_as_the_two_kinds_of_figure_find_them(text: str) -> None:
    """The figure pattern that opens with one class finds what its definition, an alternation, finds."""
    from auditor.compare.textsim import mask_figures

    numeral = "[零〇一二三四五六七八九十百千万两]+(?=[次件人个项场期批家名条份万亿元%]|余|多)"
    assert mask_figures(text) == re.sub(rf"[0-9]+(?:[.,][0-9]+)*|{numeral}", "#", text)


def _document(body: str) -> tuple[Document, Regions]:
    d = understand("某镇2023年法治政府建设情况报告\n一、主要举措\n" + body)
    return d, regions(d, spec("fazhi"))


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXTS, max_size=5))
def test_the_clauses_of_items_together_are_those_of_each(texts: list[str]) -> None:
    """Each item's clauses, folded and made plain with those of the other items, are its own: cut at
    the clause marks (its number left out), the short ones left out, at most ``MAX_CLAUSES``."""
    from auditor.compare.followthrough import _CLAUSE, _MARKER, MAX_CLAUSES, MIN_CLAUSE, clauses
    from auditor.compare.textsim import fold, plain

    expected = [
        [(fold(c), plain(c)) for c in _CLAUSE.split(_MARKER.sub("", t)) if len(fold(c)) >= MIN_CLAUSE][:MAX_CLAUSES]
        for t in texts
    ]
    assert clauses(texts) == expected


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.lists(_TEXTS, max_size=6))
def test_units_are_each_sentence_and_each_two_of_one_paragraph_and_kind(body: str, clause_texts: list[str]) -> None:
    """Each sentence of the body, then the run of it and the next one of its paragraph and kind,
    folded from the text itself, with its bigrams among the clauses'."""
    from auditor.compare.followthrough import _units
    from auditor.compare.textsim import bigrams, fold

    d, r = _document(body)
    among = frozenset().union(*(bigrams(fold(c)) for c in clause_texts))
    b0, b1 = d.body
    sentences = [(s, e, r.kind_at(s), d.paragraph_at(s)) for s, e in d.sentences if b0 <= s < b1]
    expected = []
    for i, (s, _, kind, para) in enumerate(sentences):
        for w in (1, 2):
            if i + w > len(sentences) or (w == 2 and sentences[i + 1][2:] != (kind, para)):
                break
            end = sentences[i + w - 1][1]
            f = fold(d.text[s:end])
            if len(f) >= 4:
                expected.append((s, end, kind, f, bigrams(f) & among))
    assert [tuple(u) for u in _units(d, r, among)] == expected


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.lists(st.lists(_TEXTS, min_size=1, max_size=5), min_size=1, max_size=3))
def test_an_items_score_is_that_of_every_clause_against_every_unit(body: str, items: list[list[str]]) -> None:
    """Matching by share with cut-offs, and clauses by their ceilings, gives the mean of the two best
    clauses, their units and shared words as matching every clause against every unit does."""
    from rapidfuzz import fuzz

    from auditor.compare import followthrough as ft
    from auditor.compare.textsim import bigrams, fold, plain, shared_words, top

    d, r = _document(body)
    keyed = [[(fold(c), plain(c)) for c in texts if fold(c)] for texts in items]
    grams = [[bigrams(k) for k, _ in ks] for ks in keyed]
    extra = [g for gs in grams for g in gs]
    index = ft._index(ft._units(d, r, frozenset().union(*extra)), extra)
    for ks, gs in zip(keyed, grams, strict=True):
        weighed = [ft._clause(k, w, g, index) for (k, w), g in zip(ks, gs, strict=True)]
        for group in (0, 1):
            bests = []
            for c in weighed:
                acc: dict[int, float] = {}
                for b, w in c.weights.items():
                    for i in index.postings[group].get(b, ()):
                        acc[i] = acc.get(i, 0.0) + w
                best: tuple[float, ft._Unit | None] = (0.0, None)
                for i, shared in acc.items() if c.total > 0 and c.key else ():
                    u = index.units[i]
                    score = shared / c.total
                    if score >= ft.ALIGN_FROM and len(c.key) >= 6:
                        score = max(score, (score + fuzz.partial_ratio(c.key, u.folded) / 100.0) / 2)
                    if score > best[0] or (score == best[0] and best[1] is not None and u.start < best[1].start):
                        best = (score, u)
                bests.append((best, c.written))
            got = ft._score(weighed, index, group, ft._Words(d.text))
            ranked = sorted(bests, key=lambda bw: bw[0][0], reverse=True)
            assert got.score == top([b[0] for b, _ in ranked], 2)
            assert got.unit == (ranked[0][0][1] if ranked else None)
            words = [
                w
                for (_, u), written in ranked[:2]
                if u is not None
                for w in shared_words(written, bigrams(plain(d.text[u.start : u.end])))
            ]
            assert got.shared == tuple(dict.fromkeys(words))


@settings(max_examples=300, deadline=None)
@given(st.text("法治政府建设普法", max_size=30), st.text("法治政府建设普法执", max_size=80), st.floats(0, 100))
def test_rapidfuzz_with_a_cut_off_gives_the_alignment_or_says_it_is_below(key: str, text: str, cutoff: float) -> None:
    from rapidfuzz import fuzz

    exact = fuzz.partial_ratio(key, text)
    cut = fuzz.partial_ratio(key, text, score_cutoff=cutoff)
    assert cut == exact if exact >= cutoff + 1e-9 else cut in (0.0, exact)
