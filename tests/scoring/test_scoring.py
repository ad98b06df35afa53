"""Weighted scoring: categories, credit per status, NA, errors, grades and caps."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from auditor.checklist import Cap, Category, Credit, Grade, Scoring
from auditor.loader import load_checklist
from auditor.scoring import Scored, grade_for, rule_points, score

CATEGORIES = [
    Category(id="STR", title="法定内容", weight=40),
    Category(id="FR", title="第一责任人", weight=10),
    Category(id="IND", title="关键指标", weight=25),
    Category(id="CUR", title="时效", weight=15),
    Category(id="DL", title="公开", weight=10),
]
GRADES = [
    Grade(name="优秀", min=90),
    Grade(name="良好", min=75),
    Grade(name="合格", min=60),
    Grade(name="不合格", min=0),
]
CAP = Cap(rules=["STR-01", "STR-02"], status=["gap"], max_grade="合格")
ORDER = [g.name for g in GRADES]


def scoring(review: float = 0.5, caps: list[Cap] | None = None) -> Scoring:
    return Scoring(credit=Credit(needs_review=review), grades=GRADES, caps=caps if caps is not None else [CAP])


SCORED_STATUS = st.sampled_from(["met", "gap", "needs_review", "not_applicable"])


_CATS = st.sampled_from([c.id for c in CATEGORIES])
_WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 3.0])


def _as_findings(rows: list[tuple[str, float, str]]) -> list[Scored]:
    """The first two rows are the capped rules STR-01 and STR-02 (category STR)."""
    out = []
    for i, (cat, weight, status) in enumerate(rows):
        rule_id = "STR-01" if i == 0 else ("STR-02" if i == 1 else f"R-{i:02d}")
        out.append(Scored(rule_id, "STR" if rule_id.startswith("STR") else cat, weight, status))
    return out


def findings(statuses: st.SearchStrategy[str] = SCORED_STATUS) -> st.SearchStrategy[list[Scored]]:
    return st.lists(st.tuples(_CATS, _WEIGHTS, statuses), min_size=1, max_size=14).map(_as_findings)


def total(items: list[Scored], s: Scoring | None = None) -> float | None:
    return score(items, CATEGORIES, s or scoring()).score


# ------------------------------------------------------------------ properties


@settings(max_examples=60, deadline=None)
@given(findings(), st.floats(0, 1))
def test_score_is_between_0_and_100(items: list[Scored], review: float) -> None:
    result = score(items, CATEGORIES, scoring(review))
    if result.score is not None:
        assert 0 <= result.score <= 100
        assert result.grade in ORDER
    for c in result.categories:
        assert c.score is None or 0 <= c.score <= 100


@settings(max_examples=100, deadline=None)
@given(findings(statuses=st.just("met")))
def test_all_met_is_100(items: list[Scored]) -> None:
    assume(any(i.weight > 0 for i in items))
    result = score(items, CATEGORIES, scoring())
    assert result.score == 100.0
    assert result.grade == "优秀"
    assert result.capped_by == ()


@settings(max_examples=60, deadline=None)
@given(findings(), st.lists(st.tuples(st.sampled_from([c.id for c in CATEGORIES]), st.floats(0, 5)), max_size=5))
def test_not_applicable_leaves_the_denominator(items: list[Scored], extra: list[tuple[str, float]]) -> None:
    # adding NA findings (to any category, with any weight) never changes the score
    na = [Scored(f"NA-{k}", cat, w, "not_applicable") for k, (cat, w) in enumerate(extra)]
    assert total(items + na) == total(items)


@settings(max_examples=100, deadline=None)
@given(findings(), st.integers(0, 13))
def test_an_error_makes_the_score_none(items: list[Scored], k: int) -> None:
    k %= len(items)
    items[k] = Scored(items[k].rule_id, items[k].category, items[k].weight, "error")
    result = score(items, CATEGORIES, scoring())
    assert result.score is None and result.grade is None
    errored = next(c for c in result.categories if c.id == items[k].category)
    assert errored.score is None


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1))
def test_needs_review_earns_the_configured_credit(review: float) -> None:
    items = [Scored("A", "FR", 1.0, "needs_review"), Scored("B", "FR", 1.0, "met")]
    result = score(items, CATEGORIES, scoring(review))
    assert result.score == pytest.approx(round(100 * (1 + review) / 2, 1))
    (fr,) = [c for c in result.categories if c.id == "FR"]
    assert fr.score == pytest.approx(100 * (1 + review) / 2)


@settings(max_examples=80, deadline=None)
@given(findings(), st.integers(0, 13), st.floats(0, 1))
def test_monotonic(items: list[Scored], k: int, review: float) -> None:
    """Turning a gap (or needs_review) into met never lowers the score; gap into review neither."""
    worse = [i for i, item in enumerate(items) if item.status in ("gap", "needs_review")]
    assume(worse)
    k = worse[k % len(worse)]
    before = items[k]
    s = scoring(review)
    better = list(items)
    better[k] = Scored(before.rule_id, before.category, before.weight, "met")
    base = total(items, s)
    assume(base is not None)  # something is scored
    assert total(better, s) >= base
    if before.status == "gap":
        review_items = list(items)
        review_items[k] = Scored(before.rule_id, before.category, before.weight, "needs_review")
        assert total(review_items, s) >= base
    # and the grade never gets worse
    g0 = score(items, CATEGORIES, s).grade
    g1 = score(better, CATEGORIES, s).grade
    assert ORDER.index(g1) <= ORDER.index(g0)


@settings(max_examples=60, deadline=None)
@given(findings(), SCORED_STATUS, st.sampled_from([c.id for c in CATEGORIES]))
def test_weight_zero_rules_never_change_the_score(items: list[Scored], status: str, cat: str) -> None:
    assert total([*items, Scored("ZERO", cat, 0.0, status)]) == total(items)


@settings(max_examples=60, deadline=None)
@given(findings(statuses=st.sampled_from(["met", "gap", "needs_review", "not_applicable", "error"])))
def test_a_category_scores_its_own_findings_only(items: list[Scored]) -> None:
    """Each category's score is the score of its findings alone (the findings are grouped in one pass);
    a finding of a category the checklist does not list changes nothing."""
    whole = score([*items, Scored("X-01", "NOPE", 1.0, "error")], CATEGORIES, scoring()).categories
    for c, got in zip(CATEGORIES, whole, strict=True):
        alone = score([i for i in items if i.category == c.id], CATEGORIES, scoring()).categories
        assert got == next(a for a in alone if a.id == c.id)


def test_a_category_all_not_applicable_is_excluded() -> None:
    items = [
        Scored("STR-01", "STR", 1.0, "met"),
        Scored("D1", "DL", 1.0, "not_applicable"),
        Scored("D2", "DL", 1.0, "not_applicable"),
    ]
    result = score(items, CATEGORIES, scoring())
    assert result.score == 100.0
    dl = next(c for c in result.categories if c.id == "DL")
    assert dl.score is None
    # a category with no findings at all has no score either
    assert next(c for c in result.categories if c.id == "IND").score is None


def test_category_weights() -> None:
    items = [Scored("STR-01", "STR", 1.0, "met"), Scored("F", "FR", 1.0, "gap")]
    # (40 * 100 + 10 * 0) / 50
    assert total(items) == 80.0
    items = [Scored("STR-01", "STR", 3.0, "met"), Scored("STR-02", "STR", 1.0, "gap")]
    assert total(items) == 75.0


def test_nothing_scorable_has_no_score() -> None:
    result = score([Scored("A", "FR", 1.0, "not_applicable")], CATEGORIES, scoring())
    assert result.score is None and result.grade is None


# ------------------------------------------------------------------ grades and caps


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (100, "优秀"),
        (90, "优秀"),
        (89.9, "良好"),
        (75, "良好"),
        (74.9, "合格"),
        (60, "合格"),
        (59.9, "不合格"),
        (0, "不合格"),
    ],
)
def test_grade_bands(value: float, grade: str) -> None:
    assert grade_for(value, scoring()) == grade


def test_grade_bands_from_the_default_checklist() -> None:
    s = load_checklist("fazhi").scoring
    assert [(g.name, g.min) for g in s.grades] == [("优秀", 90), ("良好", 75), ("合格", 60), ("不合格", 0)]
    assert s.credit.needs_review == 0.5
    (cap,) = s.caps
    assert cap.rules == ["STR-01", "STR-02A", "STR-02B", "STR-03", "STR-04"]
    assert cap.max_grade == "合格"


def test_cap_lowers_the_grade_when_a_capped_rule_has_a_gap() -> None:
    items = [Scored("STR-01", "STR", 1.0, "gap")] + [Scored(f"S{i}", "STR", 1.0, "met") for i in range(20)]
    result = score(items, CATEGORIES, scoring())
    assert result.score is not None and result.score >= 90
    assert result.grade == "合格"
    assert result.capped_by == ("STR-01",)


def test_cap_ignores_other_statuses() -> None:
    items = [Scored("STR-01", "STR", 1.0, "needs_review")] + [Scored(f"S{i}", "STR", 1.0, "met") for i in range(20)]
    result = score(items, CATEGORIES, scoring())
    assert result.grade == "优秀"
    assert result.capped_by == ()
    review_cap = Cap(rules=["STR-01"], status=["needs_review"], max_grade="良好")
    result = score(items, CATEGORIES, scoring(caps=[review_cap]))
    assert result.grade == "良好"
    assert result.capped_by == ("STR-01",)


@settings(max_examples=60, deadline=None)
@given(findings())
def test_caps_never_raise_the_grade(items: list[Scored]) -> None:
    uncapped = score(items, CATEGORIES, scoring(caps=[]))
    capped = score(items, CATEGORIES, scoring())
    assert capped.score == uncapped.score
    if uncapped.grade is None:
        return
    assert ORDER.index(capped.grade) >= ORDER.index(uncapped.grade)
    statuses = {i.rule_id: i.status for i in items}
    hit = [r for r in CAP.rules if statuses.get(r) == "gap"]
    if not hit:
        assert capped.grade == uncapped.grade
        assert capped.capped_by == ()
    else:
        assert ORDER.index(capped.grade) >= ORDER.index("合格")
        assert set(capped.capped_by) <= set(hit)


def test_rule_points_share_the_category_weight() -> None:
    items = [
        Scored("A", "STR", 1.0, "met"),
        Scored("B", "STR", 3.0, "met"),
        Scored("C", "STR", 0.0, "met"),
        Scored("D", "DL", 1.0, "met"),
    ]
    points = rule_points(items, CATEGORIES)
    assert points == {"A": 10.0, "B": 30.0, "C": 0.0, "D": 10.0}


def test_default_checklist_points_add_up() -> None:
    c = load_checklist("fazhi")
    points = rule_points([Scored(r.id, r.category, r.weight, "met") for r in c.rules], c.categories)
    assert sum(points.values()) == pytest.approx(sum(cat.weight for cat in c.categories))
    assert points["STR-05"] == 0.0  # informational
