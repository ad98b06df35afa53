"""Where each metadata field came from, and whether the report states it or we inferred it.

A field is *stated* when the report (or the user) says it in so many words: a year in the
title or in 现将2019年…报告如下, a unit in the title or the sign-off, a level given by
``--level``. It is *inferred* when we reasoned our way to it: a year from the month of the
sign-off date, a level from 我镇 in the body. Rules whose verdict depends on an inferred
field never return a plain ``gap`` (see ``engine``): a supervisor must not act on a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: where a field may come from (JSON ``metadata_sources[field].source``)
SOURCES = ("title", "signoff", "page_header", "body", "file_name", "option", "config", "none")
FIELDS = ("title", "unit", "year", "level", "published", "signed")

#: how a supervisor reads a source, in a sentence such as 年度：2019（据落款日期推断）
SOURCE_LABELS = {
    "title": "标题",
    "signoff": "落款日期",
    "page_header": "网页发布信息",
    "body": "正文",
    "file_name": "文件名",
    "option": "命令行参数",
    "config": "配置文件",
    "none": "无",
}


@dataclass(frozen=True)
class FieldSource:
    source: str  # one of SOURCES
    stated: bool
    evidence: str = ""  # the words it was read from (or how it was reasoned)
    conflict: str | None = None  # another source that says something else

    @property
    def sure(self) -> bool:
        """Stated and not contradicted: a verdict may rest on it."""
        return self.stated and self.conflict is None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"source": self.source, "stated": self.stated, "evidence": self.evidence}
        if self.conflict:
            out["conflict"] = self.conflict
        return out

    to_json = to_dict

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FieldSource:
        return cls(
            str(data.get("source") or "none"),
            bool(data.get("stated")),
            str(data.get("evidence") or ""),
            data.get("conflict"),
        )

    def note(self) -> str:
        """``据落款日期推断`` / ``据标题`` / ``来源不一致：…`` (Chinese, for scorecards)."""
        label = SOURCE_LABELS.get(self.source, self.source)
        if self.conflict:
            return f"据{label}，但{self.conflict}"
        if self.source == "none":
            return "未能识别"
        return f"据{label}" if self.stated else f"据{label}推断"


NONE = FieldSource("none", False)


def given(source: str) -> FieldSource:
    """A value the user gave (``--year``, a configuration file)."""
    return FieldSource(source, True, "命令行参数" if source == "option" else "配置文件")


FIELD_LABELS = {
    "title": "标题",
    "unit": "单位",
    "year": "报告年度",
    "level": "层级",
    "published": "发布日期",
    "signed": "落款日期",
}
_OVERRIDE_HINT = {"year": "--year", "level": "--level", "published": "--published"}


def caveat(name: str, value: object, source: FieldSource) -> str:
    """Why a verdict resting on ``name`` is only a review item (Chinese, appended to a message)."""
    label = FIELD_LABELS.get(name, name)
    if value == "unknown":
        value = None
    shown = "未能识别" if value is None else (f"{value}年" if name == "year" else str(value))
    if value is None:
        how = f"{label}未能识别"
    elif source.conflict:
        how = f"{label}（{shown}）{source.note()}"
    else:
        how = (
            f"{label}（{shown}）系{source.note()}（{source.evidence}），报告未写明"
            if source.evidence
            else f"{label}（{shown}）系{source.note()}，报告未写明"
        )
    hint = _OVERRIDE_HINT.get(name)
    tail = f"如确认无误，可用 {hint} 指定后重新核查。" if hint else ""
    return f"注意：{how}；本项结论取决于{label}，故不作缺失认定，请人工复核。{tail}"
