"""text: the terminal report, plain or coloured."""

from __future__ import annotations

from typing import Any

from auditor.report import Format, render
from auditor.report.text import render_text
from auditor.result import batch_from_json


def test_plain_text_has_the_verdicts(result: dict[str, Any]) -> None:
    text = render(result, Format.text)
    assert isinstance(text, str)
    assert "\x1b" not in text
    for unit in ("张渚镇人民政府", "宜兴市人民政府", "丁蜀镇人民政府"):
        assert unit in text
    assert "得分：71.3" in text and "等级：合格" in text
    assert "层级：乡镇/街道" in text and "年度：2023" in text
    for label in ("✔ 达标", "✘ 缺失", "? 待复核", "– 不适用", "! 出错"):
        assert label in text
    assert "整改建议：补充一节" in text
    assert "第23行" in text and "说明：最接近的表述，但未达到匹配要求" in text
    assert "无法审核：PDF 文件已加密" in text
    assert "reports/logo.png" in text
    assert not any(line.endswith(" ") for line in text.splitlines())


def test_report_text_is_not_rich_markup(result: dict[str, Any]) -> None:
    text = render_text(batch_from_json(result))
    assert "[bold red]x[/]" in text


def test_colour_only_when_asked(result: dict[str, Any]) -> None:
    coloured = render_text(batch_from_json(result), color=True, width=120)
    assert "\x1b[" in coloured
    assert "第二行\x1b[31m" not in coloured  # the report's own escape code is stripped
    assert "张渚镇人民政府" in coloured


def test_each_report_reads_summary_then_items_to_fix_then_passed_rules(result: dict[str, Any]) -> None:
    text = render(result, Format.text)
    assert isinstance(text, str)
    zhangzhu = text.split("宜兴市人民政府")[0]
    order = [
        zhangzhu.index("得分：71.3"),
        zhangzhu.index("分类得分：法定内容 50.0 · 公开与时限 50.0 · 数据与指标 100.0"),
        zhangzhu.index("需要处理的事项（3 项）"),
        zhangzhu.index("✘ STR-02 "),
        zhangzhu.index("? PUB-01 "),
        zhangzhu.index("已通过与不适用"),
        zhangzhu.index("法定内容：已通过 2 项：STR-01、STR-03"),
    ]
    assert order == sorted(order)
    assert (
        "数据与指标：已通过 2 项：DAT-01、DAT-02；不适用 1 项：DAT-03（乡镇无规范性文件制定权，本项不适用）" in zhangzhu
    )
    assert "公开与时限：已通过 1 项：PUB-02" in zhangzhu
    # a met rule is counted on its category's line, never listed as a row of its own
    assert "✔ STR-01" not in zhangzhu and "✔ 达标 5" in zhangzhu
    # 待复核 items carry their remediation too
    review = zhangzhu.split("? PUB-01 ")[1].split("已通过与不适用")[0]
    assert "整改建议：在3月1日前通过本级政府门户网站公开报告" in review


def test_a_report_with_nothing_to_fix_says_so(make_result: Any, reports_factory: dict[str, Any]) -> None:
    report = reports_factory["yixing"]()
    for finding in report["findings"]:
        finding["status"] = "met"
    text = render(make_result(report), Format.text)
    assert isinstance(text, str)
    assert "需要处理的事项：无" in text
    assert "法定内容：已通过 4 项：STR-01、STR-02、STR-02B、STR-03" in text


def test_parts_rendered_apart_join_into_the_whole(result: dict[str, Any]) -> None:
    """The workers render each report's part; joined with the end they are the whole report."""
    from auditor.report.text import batch_end, report_text, tally

    batch = batch_from_json(result)
    assert batch.failed and batch.skipped  # an error entry and a skipped file are part of it
    for color, width in ((False, None), (True, 57), (False, 200)):
        parts = "".join(report_text(r, color=color, width=width) for r in batch.reports)
        end = batch_end(batch, [tally(r) for r in batch.reports], color=color, width=width)
        assert parts + end == render_text(batch, color=color, width=width)
        assert all(report_text(r, color=color, width=width).endswith("\n") for r in batch.reports)


def test_layouts_from_the_memos_are_fresh_layouts(result: dict[str, Any]) -> None:
    """Paragraphs and items to fix are laid out once per process: a report rendered from the memos
    reads as one rendered afresh, and an item whose shown text changes is laid out again."""
    from dataclasses import replace

    from auditor.report import text as text_module
    from auditor.report.text import DETAILED, report_text

    reports = batch_from_json(result).reports
    for color, width in ((False, None), (True, 57)):
        [report_text(r, color=color, width=width) for r in reports]
        warm = [report_text(r, color=color, width=width) for r in reports]
        text_module._laid_out.cache_clear()
        text_module._shared_item_text.cache_clear()
        assert warm == [report_text(r, color=color, width=width) for r in reports]
    report = next(r for r in reports if any(f.status in DETAILED and f.message for f in r.findings))
    index, finding = next((i, f) for i, f in enumerate(report.findings) if f.status in DETAILED and f.message)
    changed = replace(
        report,
        findings=(*report.findings[:index], replace(finding, message="另一条核查结果"), *report.findings[index + 1 :]),
    )
    assert "核查结果：另一条核查结果" in report_text(changed)
    assert "核查结果：另一条核查结果" not in report_text(report)


def test_the_memos_keep_no_report_alive(result: dict[str, Any]) -> None:
    """Items that quote their report are laid out, not remembered: rendering reports leaves none of
    their evidence or near misses alive (a worker renders thousands; what a memo keeps alive, every
    garbage collection of the process walks)."""
    import gc

    from auditor.findings import Evidence, NearMiss
    from auditor.report.text import report_text

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, Evidence | NearMiss) for o in gc.get_objects())

    before = alive()
    reports = batch_from_json(result).reports
    quoted = sum(len(f.evidence) + (f.near_miss is not None) for r in reports for f in r.findings)
    assert quoted, "the fixture's reports quote their text"
    for color, width in ((False, None), (True, 57)):
        assert all(report_text(r, color=color, width=width) for r in reports)
    del reports
    assert alive() == before
