"""``type: year``: a part names the right year (the next-year plans name Y+1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document import Document, understand
from auditor.matchers.base import Context
from auditor.matchers.facts import _YEAR_MENTION, YearSpec
from auditor.matchers.phrase_index import PhraseIndex
from tests.helpers import evaluate

ROOT = Path(__file__).resolve().parents[2]

NEXT = {"type": "year", "role": "next_year"}
HEAD = "一、主要举措和成效\n全年开展执法检查12次,办理案件20件。\n"


@pytest.mark.parametrize(
    ("part", "status", "year"),
    [
        ("二、2024年工作安排\n继续加强。\n", "met", 2024.0),
        ("二、2023年工作安排\n继续加强。\n", "gap", 2023.0),  # a copy-paste from last year
        ("二、2025年工作安排\n继续加强。\n", "gap", 2025.0),
        ("二、下一年度工作安排\n继续加强执法队伍建设。\n", "met", None),
        ("二、下一年度工作安排\n2024年,我镇将继续加强执法队伍建设。\n", "met", 2024.0),
        ("二、下一年度工作安排\n2022年,我镇将继续加强执法队伍建设。\n", "gap", 2022.0),
    ],
)
def test_next_year_part_names_y_plus_one(part: str, status: str, year: float | None) -> None:
    out = evaluate(NEXT, HEAD + part, year=2023)
    assert out.status == status
    assert out.values == ({} if year is None else {"year": year})


def test_relative_mention_is_evidence() -> None:
    out = evaluate(NEXT, HEAD + "二、下一年度工作安排\n继续加强执法队伍建设。\n", year=2023)
    (hit,) = out.hits
    assert hit.label == "relative"


def test_cue_opened_plans_part() -> None:
    text = "2023年,我镇全年开展执法检查12次,办理案件20件。下一步,我镇将在2024年继续加强执法队伍建设。"
    assert evaluate(NEXT, text, year=2023).status == "met"


def test_only_the_opening_sentences_are_read() -> None:
    part = "二、下一年度工作安排\n继续加强执法队伍建设。全面落实三项制度。深化普法。巩固2023年成果。\n"
    assert evaluate(NEXT, HEAD + part, year=2023).status == "met"
    assert evaluate({**NEXT, "sentences": 5}, HEAD + part, year=2023).status == "gap"


def test_no_part_or_no_year_is_not_applicable() -> None:
    assert evaluate(NEXT, HEAD, year=2023).status == "not_applicable"
    assert evaluate(NEXT, HEAD + "二、下一年度工作安排\n继续加强。\n", year=None).status == "not_applicable"


def test_offset_for_other_parts() -> None:
    data = {"type": "year", "role": "measures", "offset": 0}
    assert evaluate(data, "一、2023年主要举措和成效\n全年开展执法检查12次。\n", year=2023).status == "met"
    assert evaluate(data, "一、2022年主要举措和成效\n全年开展执法检查12次。\n", year=2023).status == "gap"


def test_wrong_year_after_a_sub_heading() -> None:
    part = "二、下一年度工作安排\n(一)加强队伍建设\n2022年,我镇将继续加强执法队伍建设。\n"
    out = evaluate(NEXT, HEAD + part, year=2023)
    assert out.status == "gap"
    assert out.values == {"year": 2022.0}


def _opening(doc: Document, role: str, sentences: int) -> list[tuple[int, int]]:
    """The first sentences whose start lies in a part of ``role``, read one sentence at a time."""
    out: list[tuple[int, int]] = []
    for s in doc.sentences:
        if doc.role_at(s[0]) == role:
            out.append(s)
            if len(out) > sentences:
                break
    return out


@pytest.mark.parametrize("path", sorted(ROOT.glob("fixtures/*/*.txt")), ids=lambda p: p.name)
def test_opening_sentences_found_by_position(path: Path) -> None:
    """Every role's opening sentences, looked up by position in its parts, are those a walk
    over all sentences finds: the verdict and evidence of every year rule are unchanged."""
    doc = understand(path.read_text(encoding="utf-8"))
    for role in ("intro", "measures", "shortcomings", "first_responsible", "next_year", "other"):
        for n in (1, 2, 5):
            spec = YearSpec(type="year", role=role, sentences=n, offset=0)
            got = spec.evaluate(Context(doc, PhraseIndex.build(()).for_text(doc.text)))
            opening = _opening(doc, role, n)
            if not opening or doc.metadata.year is None:
                continue
            mention = next((m for s, e in opening for m in _YEAR_MENTION.finditer(doc.text, s, e)), None)
            if mention is not None:
                assert [(h.start, h.end) for h in got.hits] == [mention.span()], (role, n)
            else:
                assert all(opening[0][0] <= h.start < opening[-1][1] for h in got.hits), (role, n)


@pytest.mark.parametrize(
    ("opening", "status", "year"),
    [
        # the plan year in Chinese numerals, before the years of a cited plan period and a target
        ("二〇二四年,县政府将对标《法治政府建设实施纲要(2021—2025年)》确定的到2025年目标任务。", "met", 2024.0),
        ("二○二四年,县政府将重点做好以下工作。", "met", 2024.0),
        ("二零二四年,县政府将重点做好以下工作。", "met", 2024.0),
        ("二〇二三年,县政府将重点做好以下工作。", "gap", 2023.0),  # a copy-paste, in numerals too
        ("县政府将对标到2025年基本建成法治政府的目标,重点做好以下工作。", "met", None),  # a target
        ("县政府将在2024年3月底前完成规范性文件清理。", "met", None),  # a date (a deadline)
        ("2023年,我们将对照《法治平潭建设规划(2021—2025年)》继续深化。", "gap", 2023.0),
    ],
)
def test_plan_year_as_written(opening: str, status: str, year: float | None) -> None:
    out = evaluate({**NEXT, "skip_cited": True}, HEAD + "二、下一步工作打算\n" + opening + "\n", year=2023)
    assert out.status == status
    assert out.values == ({} if year is None else {"year": year})
