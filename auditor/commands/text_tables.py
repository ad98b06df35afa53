"""``auditor text FILE --tables``: the statistics tables as the rules read them."""

from __future__ import annotations

from auditor.document import Document, understand
from auditor.document.tables import Table


def tables_report(text: str) -> str:
    """Each table found in the extracted ``text``, row by row, with the line it is on."""
    doc = understand(text)
    if not doc.tables:
        return "未识别出政府信息公开统计表（申请情况表、行政复议行政诉讼情况表）。\n"
    out: list[str] = []
    for table in doc.tables:
        out.extend(_table_lines(doc, table))
        out.append("")
    return "\n".join(out)


def _table_lines(doc: Document, table: Table) -> list[str]:
    line = doc.evidence(table.start, table.end).line
    out = [f"【{table.title}】第{line}行起；列：{' | '.join(table.columns)}"]
    for row in table.rows:
        where = f"第{doc.evidence(row.start, row.end).line}行"
        if row.problem:
            raw = " ".join(doc.evidence(row.start, row.end).text.split())
            out.append(f"  {row.label}（{where}）：无法读出——{row.problem}；原文：{raw}")
            continue
        if all(c is None for c in row.cells):
            out.append(f"  {row.label}（{where}）：（分组标题，无数字）")
            continue
        cells = " | ".join("—" if c is None else ("空" if c.value is None else f"{c.value:g}") for c in row.cells)
        how = "；数字连写，按本行总计唯一拆分" if row.shape == "digits" else ""
        out.append(f"  {row.label}（{where}{how}）：{cells}")
    return out
