"""Hand-built audit result dicts (the JSON contract) for the output-format tests.

The default batch has four report entries and one skipped file:

* 张渚镇 (township): met, gap, needs_review and not_applicable findings, graded and
  capped by a blocking rule;
* 宜兴市 (county): HTML/JS, rich markup, Markdown pipes, a spreadsheet formula,
  control characters and U+2028 injected into its text;
* 丁蜀镇 (township): one rule errored, so no score and no grade;
* broken.pdf: could not be audited (``error``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from auditor.result import batch_from_json, dumps

INJECTION = "<script>window.__pwned=1</script><img src=x onerror=alert(1)>"

CHECKLIST = {"id": "fazhi-annual-report", "version": "2026.1", "title": "法治政府建设年度报告"}

CATEGORIES = [
    {"id": "STR", "title": "法定内容", "weight": 40},
    {"id": "PUB", "title": "公开与时限", "weight": 20},
    {"id": "DAT", "title": "数据与指标", "weight": 40},
]

REF_DUCHA = "《法治政府建设与责任落实督察工作规定》第二十五条"
REF_GANGYAO = "《法治政府建设实施纲要（2021—2025年）》"

RULES: dict[str, dict[str, Any]] = {
    "STR-01": {
        "title": "上一年度推进法治政府建设的主要举措和成效",
        "category": "STR",
        "severity": "must",
        "weight": 8.0,
    },
    "STR-02": {
        "title": "上一年度推进法治政府建设存在的不足和原因",
        "category": "STR",
        "severity": "must",
        "weight": 8.0,
    },
    "STR-02B": {
        "title": "党政主要负责人履行推进法治建设第一责任人职责情况",
        "category": "STR",
        "severity": "must",
        "weight": 8.0,
        "blocking": True,
    },
    "STR-03": {"title": "下一年度推进法治政府建设的主要安排", "category": "STR", "severity": "must", "weight": 8.0},
    "PUB-01": {
        "title": "每年3月1日前通过报刊、网站等向社会公开",
        "category": "PUB",
        "severity": "should",
        "weight": 10.0,
    },
    "PUB-02": {"title": "报告标题规范，写明年度和单位", "category": "PUB", "severity": "hint", "weight": 10.0},
    "DAT-01": {"title": "行政复议纠错和行政诉讼败诉情况", "category": "DAT", "severity": "should", "weight": 10.0},
    "DAT-02": {"title": "行政机关负责人出庭应诉情况", "category": "DAT", "severity": "should", "weight": 10.0},
    "DAT-03": {"title": "规范性文件备案审查情况", "category": "DAT", "severity": "should", "weight": 10.0},
}

REMEDIATION = {
    "STR-02": "补充一节“存在的不足和原因”，逐条写明问题及其原因，不得只写成绩。",
    "STR-02B": "单列一节，写明党政主要负责人履行第一责任人职责的具体做法，如专题学法、听取汇报、研究部署等。",
    "PUB-01": "在3月1日前通过本级政府门户网站公开报告，并在报告或网页上注明发布日期。",
    "DAT-02": "写明本年度行政机关负责人出庭应诉的案件数和出庭率。",
    "DAT-03": "写明规范性文件报备数量、及时率和审查纠错情况。",
    "DAT-01": "写明行政复议纠错率和行政诉讼败诉率。",
    "STR-03": "补充下一年度的工作安排。",
}


def finding(rule_id: str, status: str, message: str, **extra: Any) -> dict[str, Any]:
    rule = RULES[rule_id]
    return {
        "rule_id": rule_id,
        "status": status,
        "title": rule["title"],
        "message": message,
        "category": rule["category"],
        "severity": rule["severity"],
        "weight": rule["weight"],
        "blocking": rule.get("blocking", False),
        "remediation": REMEDIATION.get(rule_id, "按要求补充相关内容。"),
        "references": [REF_DUCHA] if rule["category"] == "STR" else [REF_GANGYAO],
        "values": extra.pop("values", {}),
        "evidence": extra.pop("evidence", []),
        "near_miss": extra.pop("near_miss", None),
        "searched": extra.pop("searched", f"标题或正文中与“{rule['title']}”相关的表述"),
        **extra,
    }


def evidence(text: str, line: int, start: int, section: str = "") -> dict[str, Any]:
    return {"text": text, "start": start, "end": start + len(text), "line": line, "section": section}


def summary(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(("met", "gap", "needs_review", "not_applicable", "error"), 0)
    for item in findings:
        counts[item["status"]] += 1
    return counts


def report(source: str, metadata: dict[str, Any], findings: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "source": source,
        "checklist": dict(CHECKLIST),
        "read": {"format": source.rsplit(".", 1)[-1], "encoding": "utf-8", "pages": None},
        "metadata": metadata,
        "score": extra.pop("score", None),
        "grade": extra.pop("grade", None),
        **extra,
        "categories": extra.pop("categories", [dict(c, score=None) for c in CATEGORIES]),
        "summary": summary(findings),
        "findings": findings,
    }


def zhangzhu() -> dict[str, Any]:
    findings = [
        finding(
            "STR-01",
            "met",
            "找到“主要举措和成效”一节，列出6项举措。",
            values={"count": 6},
            evidence=[evidence("一、2023年推进法治政府建设的主要举措和成效", 7, 120, "一、主要举措和成效")],
        ),
        finding("STR-02", "gap", "未找到“存在的不足和原因”相关内容。"),
        finding(
            "STR-02B",
            "gap",
            "未找到党政主要负责人履行第一责任人职责的表述。",
            near_miss={
                "text": "镇党委书记带头讲法治课",
                "score": 71.0,
                "start": 812,
                "end": 823,
                "line": 23,
                "reason": "最接近的表述，但未达到匹配要求",
            },
        ),
        finding(
            "STR-03",
            "met",
            "找到下一年度工作安排。",
            evidence=[evidence("三、2024年推进法治政府建设的主要安排", 41, 2050, "三、下一步工作安排")],
        ),
        finding(
            "PUB-01",
            "needs_review",
            "报告中未写明发布日期，请人工核对网站公开时间。",
            near_miss={"text": "2024年3月", "score": 64.0, "start": 3001, "end": 3008, "line": 58},
        ),
        finding(
            "PUB-02",
            "met",
            "标题写明了年度和单位。",
            evidence=[evidence("张渚镇人民政府2023年法治政府建设情况报告", 1, 0)],
        ),
        finding(
            "DAT-01",
            "met",
            "行政复议纠错率为0%。",
            values={"rate": 0.0},
            evidence=[evidence("全年行政复议案件0件，行政诉讼案件2件，无败诉。", 30, 1500, "一、主要举措和成效")],
        ),
        finding(
            "DAT-02",
            "met",
            "行政机关负责人出庭应诉率100%。",
            values={"rate": 100.0, "count": 2},
            evidence=[evidence("行政机关负责人出庭应诉2件，出庭率100%。", 31, 1530, "一、主要举措和成效")],
        ),
        finding("DAT-03", "not_applicable", "乡镇无规范性文件制定权，本项不适用。"),
    ]
    categories = [
        {"id": "STR", "title": "法定内容", "score": 50.0, "weight": 40},
        {"id": "PUB", "title": "公开与时限", "score": 50.0, "weight": 20},
        {"id": "DAT", "title": "数据与指标", "score": 100.0, "weight": 40},
    ]
    metadata = {
        "title": "张渚镇人民政府2023年法治政府建设情况报告",
        "unit": "张渚镇人民政府",
        "year": 2023,
        "level": "township",
        "published": "2024-03-04",
        "signed": None,
    }
    return report(
        "reports/张渚镇.txt",
        metadata,
        findings,
        score=71.3,
        grade="合格",
        grade_capped_by=["STR-02B"],
        categories=categories,
    )


def yixing() -> dict[str, Any]:
    evil_quote = f"市政府常务会议专题学法4次{INJECTION}"
    findings = [
        finding("STR-01", "met", "找到主要举措。", evidence=[evidence(evil_quote, 12, 300, f"一、举措{INJECTION}")]),
        finding("STR-02", "met", "找到不足和原因。", evidence=[evidence("二、存在的不足和原因", 50, 2400)]),
        finding("STR-02B", "met", "找到第一责任人职责。", evidence=[evidence("市长带头履行第一责任人职责", 15, 420)]),
        finding("STR-03", "met", "找到下一年度安排。", evidence=[evidence("三、2024年工作安排", 60, 3000)]),
        finding("PUB-01", "met", "2024年2月20日发布。", evidence=[evidence("2024年2月20日", 80, 4100)]),
        finding(
            "PUB-02",
            "needs_review",
            f"标题含异常字符 | [bold red]x[/] 及 {INJECTION}\u2028第二行\x1b[31m",
            near_miss={"text": f"=SUM(1,2){INJECTION}", "score": 80.0, "start": 0, "end": 40, "line": 1},
        ),
        finding(
            "DAT-01",
            "met",
            "纠错率3.2%。",
            values={"rate": 3.2},
            evidence=[evidence("行政复议纠错率3.2%|败诉率1.1%", 70, 3500)],
        ),
        finding("DAT-02", "gap", "未找到负责人出庭应诉率。", searched=r"出庭应诉(率|\d+件)|负责人出庭"),
        finding(
            "DAT-03",
            "met",
            "备案审查规范性文件12件。",
            evidence=[evidence("报备规范性文件12件\x0c，及时率100%", 72, 3600)],
        ),
    ]
    categories = [
        {"id": "STR", "title": "法定内容", "score": 100.0, "weight": 40},
        {"id": "PUB", "title": f"公开与时限{INJECTION}", "score": 75.0, "weight": 20},
        {"id": "DAT", "title": "数据与指标", "score": 66.7, "weight": 40},
    ]
    metadata = {
        "title": f"=SUM(1,2)宜兴市2023年法治政府建设年度报告{INJECTION}",
        "unit": "宜兴市人民政府",
        "year": 2023,
        "level": "county",
        "published": "2024-02-20",
        "signed": "宜兴市人民政府",
    }
    return report(
        "reports/2024/宜兴市人民政府.docx", metadata, findings, score=86.7, grade="良好", categories=categories
    )


def dingshu() -> dict[str, Any]:
    findings = [
        finding("STR-01", "met", "找到主要举措。", evidence=[evidence("一、主要举措和成效", 5, 80)]),
        finding("STR-02", "gap", "未找到不足和原因。"),
        finding("STR-02B", "met", "找到第一责任人职责。", evidence=[evidence("党委书记履行第一责任人职责", 9, 200)]),
        finding("STR-03", "gap", "未找到下一年度安排。"),
        finding("PUB-01", "met", "2024年1月30日发布。", evidence=[evidence("2024年1月30日", 99, 5000)]),
        finding("PUB-02", "met", "标题规范。", evidence=[evidence("丁蜀镇2023年度法治政府建设工作报告", 1, 0)]),
        finding("DAT-01", "error", "规则执行出错：正则表达式超时。"),
        finding(
            "DAT-02",
            "needs_review",
            "仅找到“出庭应诉”字样，未见数字。",
            evidence=[{**evidence("积极推动行政机关负责人出庭应诉", 33, 1700), "location": {"page": 3}}],
        ),
        finding("DAT-03", "not_applicable", "乡镇无规范性文件制定权，本项不适用。"),
    ]
    categories = [
        {"id": "STR", "title": "法定内容", "score": 50.0, "weight": 40},
        {"id": "PUB", "title": "公开与时限", "score": 100.0, "weight": 20},
        {"id": "DAT", "title": "数据与指标", "score": None, "weight": 40},
    ]
    metadata = {
        "title": "丁蜀镇2023年度法治政府建设工作报告",
        "unit": "丁蜀镇人民政府",
        "year": 2023,
        "level": "township",
        "published": "2024-01-30",
        "signed": None,
    }
    return report("reports/丁蜀镇.pdf", metadata, findings, categories=categories)


def broken() -> dict[str, Any]:
    return {
        "source": "reports/broken.pdf",
        "error": "PDF 文件已加密",
        "error_code": "unreadable",
        "checklist": dict(CHECKLIST),
        "read": None,
        "metadata": None,
        "score": None,
        "grade": None,
        "categories": [],
        "findings": [],
    }


def build_result(*reports: dict[str, Any]) -> dict[str, Any]:
    """The batch as the tool writes it: the hand-built entries pass through the typed result
    (so every key of the JSON contract is there, in contract order)."""
    built = {
        "tool": {"name": "auditor", "version": "0.1.0"},
        "reports": list(reports) if reports else [zhangzhu(), yixing(), dingshu(), broken()],
        "skipped": [{"source": "reports/logo.png", "reason": "不是报告文件（图片）"}],
    }
    contract: dict[str, Any] = orjson.loads(dumps(batch_from_json(built)))
    return contract


@pytest.fixture
def result() -> dict[str, Any]:
    """The default batch (see module docstring)."""
    return build_result()


@pytest.fixture
def make_result() -> Callable[..., dict[str, Any]]:
    """Build a result from report dicts (defaults to the standard batch)."""
    return build_result


@pytest.fixture
def single_result() -> dict[str, Any]:
    """Only the 张渚镇 report."""
    return build_result(zhangzhu())


@pytest.fixture
def reports_factory() -> dict[str, Callable[[], dict[str, Any]]]:
    return {"zhangzhu": zhangzhu, "yixing": yixing, "dingshu": dingshu, "broken": broken}


@pytest.fixture
def deep_copy() -> Callable[[Any], Any]:
    return copy.deepcopy


@pytest.fixture(scope="session")
def batch_result() -> dict[str, Any]:
    """The default batch, shared by slow module-scoped fixtures (do not mutate)."""
    return build_result()
