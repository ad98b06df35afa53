"""Documents that speak of the same things as a report without being one (`signals.not_title`).

A folder a supervisor audits may hold a notice, a plan, a circular on last year's assessment or
one leader's 述法报告 beside the reports. Each uses the report's vocabulary, so its body alone
would fit a checklist; scored, it would charge its unit with a dozen gaps. Each is built here
from a real report's body under the heading such a document has, and must be left unrecognised
with the reason; real reports whose titles name a plan as well stay recognised.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from auditor.checklist import Checklist
from auditor.doctype import choose, lead_lines
from auditor.document import understand
from auditor.pipeline import Options, load_for
from tests.helpers import ROOT, SEED_FILES, run_cli

GIA = sorted((ROOT / "fixtures" / "gov-info-disclosure").glob("*.txt"))


@cache
def bundled() -> tuple[Checklist, ...]:
    return tuple(load_for(Options()))


@cache
def _body(path: str) -> str:
    """A real report without its title (the lines before its first heading-numbered part kept)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    title = understand(text).metadata.title
    assert title
    return "\n".join(line for line in text.splitlines() if line.strip() and line.strip() not in title)


FAZHI = str(SEED_FILES[0].relative_to(ROOT))
XXGK = str(GIA[0].relative_to(ROOT))

#: heading lines of documents that are not annual reports, and the report whose body they carry
OTHER_KINDS = [
    ("安澜县人民政府办公室关于印发《安澜县2024年法治政府建设工作要点》的通知\n澜政办发〔2024〕12号", FAZHI),
    ("安澜县2024年法治政府建设工作要点\n发布时间：2024-03-06", FAZHI),
    ("安澜市法治政府建设实施方案（2021—2025年）", FAZHI),
    ("关于2023年度履行推进法治建设第一责任人职责情况的述法报告\n安澜县县长 张某某", FAZHI),
    ("安澜县司法局局长2023年度述法报告", FAZHI),
    ("2024年安澜县人民政府工作报告\n——2024年1月10日在安澜县第十八届人民代表大会第四次会议上", FAZHI),
    ("关于2023年度全县法治政府建设考核结果的通报\n澜法办〔2024〕5号", FAZHI),
    ("安澜县卫生健康局关于2024年法治政府建设工作计划的报告", FAZHI),
    # next year's plan under a title that ends on what it plans (it was audited as last year's report)
    ("青山镇关于2026年法治政府建设工作的安排", FAZHI),
    ("青山镇2026年法治政府建设工作打算", FAZHI),
    ("青山镇2026年法治政府建设重点任务", FAZHI),
    ("青山镇2026年法治政府建设工作思路", FAZHI),
    ("标题：关于报送2023年度法治政府建设情况报告的通知", FAZHI),
    ("临河县2024年政务公开工作要点", XXGK),
    ("关于做好2023年政府信息公开工作年度报告编制发布工作的通知", XXGK),
]


@pytest.mark.parametrize("head,path", OTHER_KINDS, ids=[h.split("\n")[0][:24] for h, _ in OTHER_KINDS])
def test_another_kind_of_document_is_not_recognised_and_says_why(head: str, path: str) -> None:
    doc = understand(head + "\n" + _body(path))
    choice = choose(bundled(), doc)
    assert choice.checklist is None, choice.reason
    assert "是另一类文件" in choice.reason
    assert any(line in choice.reason for line in lead_lines(doc))


@pytest.mark.parametrize(
    "title,path,cid",
    [
        ("平潭综合实验区社会事业局关于2022年法治工作情况暨2023年工作要点的报告", FAZHI, "fazhi"),
        ("青石镇2023年度法治政府建设工作总结及2024年工作计划", FAZHI, "fazhi"),
        ("关于2023年法治政府建设情况和2024年工作安排的报告", FAZHI, "fazhi"),
        ("青山镇2025年法治政府建设工作总结和2026年工作打算", FAZHI, "fazhi"),
        ("青山镇2025年法治政府建设情况及2026年重点任务", FAZHI, "fazhi"),
        ("安澜县人民政府关于2023年度法治政府建设情况暨主要负责人述法的报告", FAZHI, "fazhi"),
        ("安澜县法治政府建设工作报告", FAZHI, "fazhi"),
        ("安澜县人民政府办公室2023年政府信息公开工作年度报告", XXGK, "gov-info-disclosure"),
        ("2023年度政府信息公开工作年度报告（2024年1月）", XXGK, "gov-info-disclosure"),
    ],
)
def test_a_report_whose_title_also_names_a_plan_is_still_recognised(title: str, path: str, cid: str) -> None:
    choice = choose(bundled(), understand(title + "\n" + _body(path)))
    assert choice.checklist is not None and choice.checklist.id == cid, choice.reason


def test_a_notice_in_a_folder_costs_only_itself(tmp_path: Path) -> None:
    (tmp_path / "a-notice.txt").write_text(OTHER_KINDS[0][0] + "\n" + _body(FAZHI), encoding="utf-8")
    (tmp_path / "b-report.txt").write_text((ROOT / FAZHI).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli(["check", str(tmp_path), "-f", "json", "--no-compare"])
    reports = {Path(r["source"]).name: r for r in json.loads(out)["reports"]}
    notice, report = reports["a-notice.txt"], reports["b-report.txt"]
    assert notice["error_code"] == "unrecognized" and not notice.get("findings") and notice.get("score") is None
    assert "另一类文件" in notice["error"] and "--checklist" in notice["error"]
    assert report["checklist"]["id"] == "fazhi" and report["findings"]
    assert code != 0  # a document that could not be audited is said so in the exit code


def test_the_checklist_given_by_the_user_is_used_whatever_the_title() -> None:
    fazhi = next(c for c in bundled() if c.id == "fazhi")
    choice = choose([fazhi], understand(OTHER_KINDS[1][0] + "\n" + _body(FAZHI)))
    assert choice.checklist is fazhi


def test_the_bodys_words_alone_make_no_report_type() -> None:
    """Without a title, an opening naming the type or a heading of the type, a text that uses
    the report's words (a plan, a speech, minutes) is not recognised, however many it uses."""
    words = "落实第一责任人职责,加强合法性审查,深化普法宣传,发挥法律顾问作用,规范行政执法,推进负责人出庭应诉。"
    opening = "会议听取了各单位的工作汇报,研究部署了下一阶段的重点任务,并就有关事项作出安排。" * 4
    doc = understand(opening + "\n" + words * 3)
    choice = choose(bundled(), doc)
    assert choice.checklist is None, choice.reason
    titled = understand("某县2023年法治政府建设情况报告\n" + opening + "\n" + words * 3)
    assert choose(bundled(), titled).checklist is not None


@pytest.mark.parametrize(
    "name,recognised",
    [
        ("临河县2024年政务公开工作要点.txt", False),
        ("临河县2024年政务公开工作要点_临河县人民政府.txt", False),
        ("关于印发2024年政务公开工作要点的通知.txt", False),
        ("附件1.txt", True),
        ("report-2023.txt", True),
    ],
)
def test_a_text_without_a_title_is_named_by_its_file(tmp_path: Path, name: str, recognised: bool) -> None:
    body = _body(XXGK)
    assert understand(body).metadata.title is None
    (tmp_path / name).write_text(body, encoding="utf-8")
    _, out, _ = run_cli(["check", str(tmp_path / name), "-f", "json", "--no-compare"])
    (report,) = json.loads(out)["reports"]
    assert ("findings" in report and bool(report["findings"])) is recognised, report.get("error")
