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
