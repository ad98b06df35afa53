"""``type: date``: publication / sign-off dates against deadlines with {Y+1} templates."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from auditor.matchers.facts import resolve_date
from tests.helpers import evaluate, spec

BODY = "我镇全年开展普法活动30余场次,发放宣传资料5000余份。"
DEADLINE = {"type": "date", "field": "published", "on_or_before": "{Y+1}-03-31"}


def test_resolve_templates() -> None:
    assert resolve_date("{Y+1}-03-31", 2023) == date(2024, 3, 31)
    assert resolve_date("{Y}-12-31", 2023) == date(2023, 12, 31)
    assert resolve_date("{Y-1}-01-01", 2023) == date(2022, 1, 1)
    assert resolve_date("2024-01-01", None) == date(2024, 1, 1)
    assert resolve_date("{Y+1}-03-31", None) is None


@pytest.mark.parametrize(
    ("published", "on_or_before", "before", "after", "on_or_after"),
    [
        (date(2024, 3, 30), "met", "met", "gap", "gap"),
        (date(2024, 3, 31), "met", "gap", "gap", "met"),
        (date(2024, 4, 1), "gap", "gap", "met", "met"),
    ],
)
def test_comparisons(published: date, on_or_before: str, before: str, after: str, on_or_after: str) -> None:
    def run(**cond: str) -> str:
        return evaluate({"type": "date", "field": "published", **cond}, BODY, year=2023, published=published).status

    assert run(on_or_before="{Y+1}-03-31") == on_or_before
    assert run(before="{Y+1}-03-31") == before
    assert run(after="{Y+1}-03-31") == after
    assert run(on_or_after="{Y+1}-03-31") == on_or_after


def test_published_from_the_page() -> None:
    assert evaluate(DEADLINE, "发布时间:2024-03-04\n" + BODY, year=2023).status == "met"
    assert evaluate(DEADLINE, "发布日期:2024年4月15日\n" + BODY, year=2023).status == "gap"


def test_signed_from_the_signoff() -> None:
    data = {"type": "date", "field": "signed", "on_or_before": "{Y+1}-03-31"}
    assert evaluate(data, BODY + "\n张渚镇人民政府\n二〇二四年三月一日\n", year=2023).status == "met"
    assert evaluate(data, BODY + "\n张渚镇人民政府\n二〇二四年四月二日\n", year=2023).status == "gap"


def test_missing_date_is_a_gap_naming_the_field() -> None:
    out = evaluate(DEADLINE, BODY, year=2023)
    assert out.status == "gap"
    assert out.missing == ("published",)


def test_unknown_year_cannot_meet_a_template() -> None:
    assert evaluate(DEADLINE, BODY, year=None, published=date(2024, 3, 1)).status == "gap"
    fixed = {"type": "date", "field": "published", "on_or_before": "2024-03-31"}
    assert evaluate(fixed, BODY, year=None, published=date(2024, 3, 1)).status == "met"


def test_no_condition_means_the_date_is_given() -> None:
    assert evaluate({"type": "date", "field": "published"}, BODY, published=date(2024, 3, 1)).status == "met"


@pytest.mark.parametrize("bad", ["{Y+1}-02-30", "2024/03/31", "{Z}-01-01", "{Y+x}-01-01"])
def test_bad_templates_are_rejected(bad: str) -> None:
    with pytest.raises(ValidationError):
        spec({"type": "date", "field": "published", "on_or_before": bad})


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError):
        spec({"type": "date", "field": "written"})
