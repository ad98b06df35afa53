"""Report shapes probed in a fourth round (法治政府建设年度报告 for 2025 published in 2026, kept as probes in
/tmp/fazhi4 by the tester): each part written the way a real unit writes it must not be charged as missing
(gap) — and the same report with the part truly left out still is a gap.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.document import understand

from .conftest import assert_statuses, audit_text, replaced_once

TITLE = "青山镇人民政府关于2025年度法治政府建设工作情况的报告\n\n县人民政府：\n"
PREFACE = "2025年，青山镇坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：\n"
MEASURES = """一、2025年法治政府建设主要举措和成效
（一）健全依法决策机制。全年作出重大行政决策3项，均履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序。聘请常年法律顾问1名，审查合同协议42份。
（二）规范性文件管理。全年制定行政规范性文件2件，均经合法性审核，并按规定报送备案。
（三）严格规范公正文明执法。全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，办理行政处罚案件57件。
（四）依法化解社会矛盾纠纷。全年发生行政复议案件4件，行政诉讼案件2件，行政机关负责人出庭应诉率100%。
（五）深入推进普法宣传。深入实施“八五”普法规划，开展法治宣传活动45场次，发放宣传资料1.2万份。
"""
LEADERS = """二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长认真履行推进法治建设第一责任人职责，对法治建设重要工作亲自部署、重大问题亲自过问。全年召开党委会专题研究法治政府建设工作5次，组织集体学法12次。年终述职中将述法作为重要内容。
"""
SHORTCOMINGS = """三、存在的不足和原因
一是法治队伍力量薄弱，镇司法所仅有工作人员2名，难以满足合法性审查需要；二是部分执法人员法治意识不强，执法文书制作不规范、案卷归档不及时等问题仍有发生；三是普法宣传形式较为单一，针对外出务工人员、青少年的普法不够。究其原因，主要是受编制所限，法律专业人才引进难，执法人员培训投入不足。
"""
PLANS = """四、2026年工作安排
2026年，我镇将重点做好以下工作：一是加强法治队伍建设；二是深化行政执法规范化建设。
"""
SIGNOFF = "\n青山镇人民政府\n2026年3月20日\n"
REPORT = TITLE + PREFACE + MEASURES + LEADERS + SHORTCOMINGS + PLANS + SIGNOFF


def _with(old: str, new: str) -> str:
    return replaced_once(REPORT, old, new)


# ------------------------------------------------------------ 1. the sign-off date in figures

CASES = {
    # 1. a sign-off dated in figures alone: the date signed, so the deadline is judged on it
    **{
        f"signed {written}": (_with("2026年3月20日", written), {"DL-01": "needs_review"})
        for written in ("2026.3.20", "2026-03-20", "２０２６．３．２０")
    },
    **{
        f"signed late {written}": (_with("2026年3月20日", written), {"DL-01": "gap"})
        for written in ("2026.4.15", "2026-04-15")
    },
    # 2. the leader named in one sentence, the duty's acts in the next (subject left out), under a heading that
    # does not say 第一责任人: words we do not know, not the part's absence
    "leaders without 第一责任人": (
        _with(
            LEADERS,
            "二、领导干部带头推进法治建设情况\n镇党委书记、镇长切实扛起法治建设政治责任，把法治建设与经济社会发展同部署、同推进、同考核。"
            "全年主持召开党委会、政府常务会议专题研究法治政府建设工作5次，对行政争议化解等重点环节亲自协调、亲自督办，组织集体学法十二次。\n",
        ),
        {"STR-03": "needs_review", "FR-01": "met", "FR-02": "met", "FR-03": "met"},
    ),
    "no leaders at all": (_with(LEADERS, ""), {"STR-03": "gap"}),
    # the principal leader of a 开发区, a 街道 or a 司法所 is its 主任 or 所长 (it was a gap without 第一责任人)
    **{
        f"leader {who}": (
            _with(
                LEADERS,
                f"二、加强党对法治政府建设的领导\n{who}带头抓法治建设，对法治建设重要工作亲自部署、重大问题亲自过问。"
                f"{who}主持召开会议专题研究法治政府建设3次，组织集体学法6次。\n",
            ),
            {"STR-03": "met"},
        )
        for who in ("管委会主任", "街道办事处主任", "司法所所长")
    },
    **{
        f"no leader: {who}": (
            _with(
                LEADERS,
                f"二、加强党对法治政府建设的领导\n{who}亲自部署法治建设工作。{who}主持召开会议专题研究法治政府建设3次。\n",
            ),
            {"STR-03": "gap"},
        )
        for who in ("管委会副主任", "村委会主任", "党政办主任")
    },
    # 3. 述法 as the duty's 述职评议 (法治建设述职评议, 第一责任人职责述职评议): it was needs_review
    **{
        f"述法: {words}": (_with("年终述职中将述法作为重要内容。", words), {"FR-04": "met"})
        for words in (
            "镇党委书记在全县法治建设述职评议会上作述职发言。",
            "镇党政主要负责人参加全县党政主要负责人履行推进法治建设第一责任人职责述职评议。",
        )
    },
    "述职 on other work is no 述法": (
        _with("年终述职中将述法作为重要内容。", "镇长在年终述职中报告全年经济工作完成情况。"),
        {"FR-04": "needs_review"},
    ),
    "no 述法": (_with("年终述职中将述法作为重要内容。", ""), {"FR-04": "gap"}),
    # 5. the meeting and the study in words the rules did not know: review items, they were gaps
    "依法治镇委员会会议": (
        _with(
            "全年召开党委会专题研究法治政府建设工作5次，组织集体学法12次。",
            "召开全面依法治镇委员会会议2次，研究部署法治建设重点任务。",
        ),
        {"FR-02": "needs_review"},
    ),
    "中心组学习习近平法治思想": (
        _with("组织集体学法12次。", "党委理论学习中心组专题学习习近平法治思想4次。"),
        {"FR-03": "needs_review", "FR-02": "met"},
    ),
    "no meeting, no study": (
        _with("全年召开党委会专题研究法治政府建设工作5次，组织集体学法12次。", ""),
        {"FR-02": "gap", "FR-03": "gap"},
    ),
    # … while the preface's creed (深入学习贯彻…习近平法治思想) is no study of the leaders: still a gap
    "no study, the creed in the preface": (
        replaced_once(
            _with("组织集体学法12次。", ""),
            "坚持以习近平法治思想为指导，",
            "深入学习贯彻党的二十大精神和习近平法治思想，",
        ),
        {"FR-03": "gap"},
    ),
    # 4. no 复议 nor lawsuit, said of both at once (均为零): IND-06 was needs_review beside IND-01's not_applicable
    "复议、诉讼均为零": (
        _with(
            "全年发生行政复议案件4件，行政诉讼案件2件，行政机关负责人出庭应诉率100%。",
            "全年行政复议、行政诉讼案件均为零。",
        ),
        {"IND-06": "not_applicable", "IND-01": "not_applicable"},
    ),
    "no word of 复议": (
        _with("全年发生行政复议案件4件，行政诉讼案件2件，", "全年发生行政诉讼案件2件，"),
        {"IND-06": "gap", "IND-01": "met"},
    ),
    "deputies only": (
        _with(
            LEADERS,
            "二、领导干部带头推进法治建设情况\n分管副镇长切实扛起法治建设责任。全年主持召开专题会议研究法治政府建设工作5次，对重点环节亲自协调。\n",
        ),
        {"STR-03": "gap"},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_probed_report(name: str) -> None:
    assert_statuses(*CASES[name])


def test_the_base_report_is_clean() -> None:
    _, statuses, _ = audit_text(REPORT)
    assert {r: s for r, s in statuses.items() if s in ("gap", "needs_review")} == {"DL-01": "needs_review"}


# ------------------------------------------------------------ 3. the 第一责任人 part sent as an attachment

ATTACHED = (
    "附件：青山镇党政主要负责人2025年度履行推进法治建设第一责任人职责情况\n"
    "镇党委书记、镇长认真履行第一责任人职责，亲自部署、亲自过问法治建设重要工作。"
    "全年主持召开专题会议研究法治建设3次，带头开展集体学法6次，年终进行述职述法。\n"
)
WITHOUT_LEADERS = _with(LEADERS, "").replace("三、存在", "二、存在").replace("四、2026", "三、2026")


@pytest.mark.parametrize("head", ["附件：", "附件\n", "附件1：", "附件1\n\n"])
def test_the_first_responsible_part_attached_after_the_signoff_is_read(head: str) -> None:
    """附件：党政主要负责人…第一责任人职责情况 after the sign-off: the report's own part, as some units send it
    (its text was dropped as an attachment's: STR-03 and FR-01…04 were gaps); the sign-off stays the sign-off."""
    text = WITHOUT_LEADERS + "\n" + ATTACHED.replace("附件：", head)
    _, statuses, _ = audit_text(text)
    assert {r: statuses[r] for r in ("STR-03", "FR-01", "FR-02", "FR-03", "FR-04")} == dict.fromkeys(
        ("STR-03", "FR-01", "FR-02", "FR-03", "FR-04"), "met"
    )
    assert statuses["YR-02"] == "met" and statuses["STR-04"] == "met"
    meta = understand(text).metadata
    assert meta.unit == "青山镇人民政府" and str(meta.signed) == "2026-03-20"


def test_the_part_attached_ends_at_the_next_attachment() -> None:
    """附件2 after it (a list of decisions) is still no report text: its 2024年 does not become the plans' year."""
    text = (
        WITHOUT_LEADERS
        + "\n"
        + ATTACHED.replace("附件：", "附件1：")
        + "附件2：2025年度重大行政决策事项目录\n1. 青山镇2024年国土空间规划调整（已完成）\n"
    )
    _, statuses, _ = audit_text(text)
    assert statuses["STR-03"] == "met"
    assert "2024年国土" not in " ".join(e.context for f in audit_text(text)[0].findings for e in f.evidence)


def test_another_attachment_is_still_no_part_of_the_report() -> None:
    """An attachment on something else, even one mentioning the duty in its rows, is not the report's part: a gap."""
    text = (
        WITHOUT_LEADERS
        + "\n附件：2025年度法治政府建设工作台账\n1. 镇党委书记履行第一责任人职责，亲自部署法治建设工作（已完成）\n"
    )
    assert audit_text(text)[1]["STR-03"] == "gap"


# ------------------------------------------------------------ 4. a table of contents at the top

HEADS = (
    "一、2025年法治政府建设主要举措和成效",
    "二、党政主要负责人履行推进法治建设第一责任人职责情况",
    "三、存在的不足和原因",
    "四、2026年工作安排",
)
CONTENTS = {
    "dot leaders": "目  录\n" + "".join(f"{h}……………………{i + 1}\n" for i, h in enumerate(HEADS)),
    "dots without 目录": "".join(f"{h}.........{i + 1}\n" for i, h in enumerate(HEADS)),
    "tab and page": "目录\n" + "".join(f"{h}\t{i + 1}\n" for i, h in enumerate(HEADS)),
    "bare titles": "目录\n" + "".join(f"{h}\n" for h in HEADS),
    "tab and page without 目录": "".join(f"{h}\t{i + 1}\n" for i, h in enumerate(HEADS)),
}


def _contents_first(contents: str, text: str = REPORT) -> str:
    return replaced_once(text, TITLE, TITLE.replace("\n\n", "\n" + contents + "\n"))


@pytest.mark.parametrize("shape", list(CONTENTS))
def test_a_contents_entry_is_not_the_part_it_names(shape: str) -> None:
    """目录 listing every part at the top: an entry was read as the part (an empty shortcomings part was
    met, 第一责任人 met from its entry alone); only the body's parts count — a part left out is a gap."""
    contents = CONTENTS[shape]
    assert_statuses(_contents_first(contents), {"STR-02A": "met", "STR-02B": "met", "STR-03": "met", "STR-04": "met"})
    assert_statuses(_contents_first(contents, _with(SHORTCOMINGS, "")), {"STR-02A": "gap", "STR-02B": "gap"})
    assert_statuses(_contents_first(contents, _with(LEADERS, "")), {"STR-03": "gap"})
    assert_statuses(_contents_first(contents, _with(PLANS, "")), {"STR-04": "gap"})


@pytest.mark.parametrize("shape", list(CONTENTS))
def test_contents_right_before_the_first_part(shape: str) -> None:
    """No addressee nor preface between the contents and the body: the body's first part is still a part."""
    text = TITLE.split("\n")[0] + "\n" + CONTENTS[shape] + MEASURES + LEADERS + SHORTCOMINGS + PLANS + SIGNOFF
    doc = understand(text)
    assert [s.role for s in doc.sections if s.parent is None] == [
        "measures",
        "first_responsible",
        "shortcomings",
        "next_year",
    ]


# ------------------------------------------------------------ 5. the causes in a part of their own

PROBLEMS_ONLY = (
    "三、存在的不足\n一是法治队伍力量薄弱，镇司法所仅有工作人员2名，难以满足合法性审查需要；二是部分执法人员法治意识不强，"
    "执法文书制作不规范问题仍有发生；三是普法宣传形式较为单一，针对外出务工人员、青少年的普法不够。\n"
)
CAUSES = "主观上，对法治建设重视程度不够；客观上，受编制所限，法律专业人才引进难，执法人员培训投入不足。\n"


@pytest.mark.parametrize("heading", ["四、原因分析", "四、存在问题的原因", "四、产生问题的主要原因", "四、原因"])
def test_the_causes_in_a_part_after_the_problems(heading: str) -> None:
    """三、存在的不足 (the problems) then 四、原因分析 (their causes): STR-02B was a gap (只列了问题)."""
    text = _with(SHORTCOMINGS, PROBLEMS_ONLY + heading + "\n" + CAUSES).replace(
        "四、2026年工作安排", "五、2026年工作安排"
    )
    assert_statuses(text, {"STR-02A": "met", "STR-02B": "met", "STR-04": "met", "YR-02": "met"})


def test_problems_without_causes_are_still_a_gap() -> None:
    assert_statuses(_with(SHORTCOMINGS, PROBLEMS_ONLY), {"STR-02A": "met", "STR-02B": "gap"})


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _word_contents_report(path: Path, text: str) -> None:
    """``text`` as a Word file whose contents is Word's own field: TOC, each entry a hyperlink to its
    heading with a tab and a PAGEREF page number, no 目录 title."""
    docx = pytest.importorskip("docx")
    from lxml import etree

    doc = docx.Document()
    lines = [line for line in text.split("\n") if line.strip()]
    doc.add_paragraph(lines[0])
    for i, head in enumerate(HEADS):
        p = doc.add_paragraph()
        p._p.append(
            etree.fromstring(
                f'<w:hyperlink {_W} w:anchor="_Toc{i}"><w:r><w:t>{head}</w:t></w:r><w:r><w:tab/></w:r>'
                f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f"<w:r><w:instrText> PAGEREF _Toc{i} \\h </w:instrText></w:r>"
                f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{i + 1}</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>'
            )
        )
    for line in lines[1:]:
        doc.add_paragraph(line)
    doc.save(str(path))


def test_words_own_contents_field_is_no_part(tmp_path: Path) -> None:
    """A .docx whose contents is Word's field (entries: title, tab, page; no 目录 line): the shortcomings
    entry was read as the part (met); only the body's part counts."""
    from auditor.readers.dispatch import read_document

    for name, text, want in (
        ("full.docx", REPORT, "met"),
        ("without.docx", _with(SHORTCOMINGS, ""), "gap"),
    ):
        _word_contents_report(tmp_path / name, text)
        read = read_document(str(tmp_path / name)).text
        assert "存在的不足和原因\t3" in read or "存在的不足和原因 3" in read
        assert_statuses(read, {"STR-02A": want, "STR-03": "met", "STR-04": "met"})


# ------------------------------------------------------------ 6. problems and plans under one heading

COMBINED = (
    "三、存在的问题及下一步工作打算\n一是法治队伍力量薄弱，难以满足合法性审查需要；二是执法文书不规范问题仍有发生。"
    "究其原因，主要是受编制所限。\n下一步，我镇将重点做好以下工作：一是加强法治队伍建设，配齐配强法制审核人员；"
    "二是深化行政执法规范化建设，开展执法案卷评查；三是创新普法方式，提升群众法治意识。\n"
)


def test_the_plans_items_run_on_after_the_plans_cue_are_plans() -> None:
    """三、存在的问题及下一步工作打算 with 下一步，…：一是…；二是…；三是…: the second and third plan items were
    read as problems (QUA-02 met on the plans' words); they are the plans', the problems alone are measured."""
    text = _with(SHORTCOMINGS + PLANS, COMBINED)
    doc = understand(text)
    plans = "".join(doc.text[p.start : p.end] for p in doc.parts if p.role == "next_year")
    assert "二是深化行政执法规范化建设" in plans and "三是创新普法方式" in plans
    assert_statuses(text, {"STR-02A": "met", "STR-02B": "met", "STR-04": "met", "QUA-02": "gap"})


def test_problems_run_on_in_one_paragraph_stay_problems() -> None:
    """The problems' own items (一是…；二是…) after the part's heading are still the shortcomings."""
    doc = understand(_with(SHORTCOMINGS + PLANS, COMBINED))
    problems = "".join(doc.text[p.start : p.end] for p in doc.parts if p.role == "shortcomings")
    assert "二是执法文书不规范问题仍有发生" in problems and "配齐配强" not in problems


def test_items_going_on_with_a_list_begun_before_a_plans_sentence_stay_problems() -> None:
    """A sentence of plans dropped inside the problems' list (一是…；2026年，我镇将…。二是…；三是…) opens
    the plans there, but the items going on with the list begun before it are still problems (they
    went to the plans, and QUA-02 found too few problems: a gap)."""
    problems = (
        "三、存在的不足和原因\n一是法治队伍力量薄弱，镇司法所仅有工作人员2名，难以满足合法性审查需要；"
        "2026年，我镇将在今后的工作中采取更加切实可行的措施，不断推动法治政府建设。"
        "二是部分执法人员法治意识不强，执法文书制作不规范、案卷归档不及时等问题仍有发生；"
        "三是普法宣传形式较为单一，针对外出务工人员、青少年的普法不够，全镇12个村中仍有5个村未建成法治文化阵地。"
        "究其原因，主要是受编制所限，法律专业人才引进难，执法人员培训投入不足。\n"
    )
    text = _with(SHORTCOMINGS, problems)
    doc = understand(text)
    found = "".join(doc.text[p.start : p.end] for p in doc.parts if p.role == "shortcomings")
    assert "二是部分执法人员法治意识不强" in found and "三是普法宣传形式较为单一" in found
    assert_statuses(text, {"QUA-02": "met", "STR-02A": "met", "STR-02B": "met"})


def test_heading_lines_ending_on_figures_are_no_contents() -> None:
    """Rows of figures numbered like headings (一、本年新收申请数量 23), never repeated further on, are no
    contents: they stay the report's text."""
    from auditor.document.layout import contents_lines, split_lines

    rows = "一、本年新收政府信息公开申请数量 23\n二、上年结转政府信息公开申请数量 2\n三、本年度办理结果 25\n"
    lines = split_lines(understand(REPORT.replace(PLANS, PLANS + rows)).text)
    assert not any("申请数量" in lines[i].text for i in contents_lines(lines))


# ------------------------------------------------------------ 7. the plans headed 下阶段工作重点 and the like

PLAN_HEADINGS = (
    "下阶段工作重点",
    "下一阶段工作重点",
    "今后努力方向",
    "今后工作方向",
    "2026年工作谋划",
    "新的一年工作重点",
)


@pytest.mark.parametrize("heading", PLAN_HEADINGS)
def test_the_plans_headed_as_a_next_stage(heading: str) -> None:
    """四、下阶段工作重点 (…努力方向, 2026年工作谋划) named no role: STR-04 was a gap and the plans read as
    this year's work."""
    text = _with("四、2026年工作安排\n2026年，我镇将", f"四、{heading}\n我镇将")
    assert_statuses(text, {"STR-04": "met"})
    doc = understand(text)
    assert any(p.role == "next_year" and "加强法治队伍建设" in doc.text[p.start : p.end] for p in doc.parts)


@pytest.mark.parametrize("heading", ["（一）加强组织领导，强化统筹谋划", "（一）坚持正确政治方向"])
def test_a_measure_heading_on_planning_stays_a_measure(heading: str) -> None:
    """A measure headed 强化统筹谋划 or 正确政治方向 is no plan: its figures count for the year."""
    text = _with("（四）依法化解社会矛盾纠纷。", heading + "\n")
    assert_statuses(text, {"IND-06": "met", "IND-01": "met", "STR-04": "met"})


def test_the_part_attached_second_is_read_too() -> None:
    """附件1 a list of decisions, 附件2 the 第一责任人 part: the second is read, the first is not."""
    text = (
        WITHOUT_LEADERS
        + "\n附件1：2025年度重大行政决策事项目录\n1. 青山镇2024年国土空间规划调整（已完成）\n"
        + ATTACHED.replace("附件：", "附件2：")
    )
    _, statuses, _ = audit_text(text)
    assert {r: statuses[r] for r in ("STR-03", "FR-01", "FR-04")} == dict.fromkeys(("STR-03", "FR-01", "FR-04"), "met")
    doc = understand(text)
    assert all("国土空间规划" not in doc.text[p.start : p.end] for p in doc.parts)
    assert str(doc.metadata.signed) == "2026-03-20"
