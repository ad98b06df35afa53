"""A comparison as JSON, plain text, Markdown or a standalone HTML page (Chinese, for people)."""

from __future__ import annotations

import html
import json

from auditor.compare.model import Comparison, Located, to_dict

ITEM_LABELS = {"done": "已落实", "open": "未落实（再次安排或列为不足）", "missing": "未提及", "needs_review": "待复核"}
RULE_LABELS = {
    "met": "达标",
    "gap": "缺失",
    "needs_review": "待复核",
    "not_applicable": "不适用",
    "error": "错误",
    None: "—",
}
QUOTE = 80


def _short(text: str, n: int = QUOTE) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


def _where(loc: Located) -> str:
    return f"第 {loc.line} 行"


def render_json(c: Comparison) -> str:
    return json.dumps(to_dict(c), ensure_ascii=False, indent=2) + "\n"


def _summary(c: Comparison) -> list[str]:
    ft, cp = c.follow_through, c.copied
    lines = [
        f"上一年度：{c.last.source}（{c.last.unit or '单位未知'}，{c.last.year or '年度未知'}）",
        f"本年度：{c.this.source}（{c.this.unit or '单位未知'}，{c.this.year or '年度未知'}）",
    ]
    lines += [f"注意：{n}" for n in c.notes]
    if ft.applicable:
        lines.append(
            f"上年度安排落实情况：共 {len(ft.items)} 项，已落实 {ft.count('done')} 项，未落实 {ft.count('open')} 项，"
            f"未提及 {ft.count('missing')} 项，待复核 {ft.count('needs_review')} 项"
        )
    else:
        lines.append(f"上年度安排落实情况：不适用（{ft.reason}）")
    flag = f"，超过 {cp.threshold:.0%}，疑似照抄上年度报告" if cp.flagged else ""
    lines.append(f"与上年度报告重复的文字：{cp.share:.1%}（{cp.copied_chars}/{cp.chars} 字{flag}）")
    lines.append(
        f"得分：{_num(c.last.score)} → {_num(c.this.score)}；等级：{c.last.grade or '—'} → {c.this.grade or '—'}"
    )
    return lines


def render_text(c: Comparison) -> str:
    out = ["年度对比", *_summary(c), "", "上年度安排逐项核对："]
    for i, it in enumerate(c.follow_through.items, 1):
        out.append(f"  {i}. [{ITEM_LABELS[it.status]}] {_short(it.plan.text)}（上年度{_where(it.plan)}）")
        out.append(f"     {it.reason}")
        out += [f"     证据：{_where(e)}「{_short(e.text)}」" for e in it.evidence]
    out += ["", "重复段落："]
    for p in c.copied.passages:
        out.append(
            f"  本年度{_where(p.this)} ← 上年度{_where(p.last)}，相似度 {p.similarity:.2f}：「{_short(p.this.text)}」"
        )
    changed = [r for r in c.rules if r.last != r.this]
    out += ["", "分类得分："]
    out += [f"  {d.title}：{_num(d.last)} → {_num(d.this)}" for d in c.categories]
    out += ["", f"结论变化的规则（{len(changed)} 条）："]
    out += [
        f"  {r.rule_id} {r.title}：{RULE_LABELS.get(r.last, r.last)} → {RULE_LABELS.get(r.this, r.this)}"
        for r in changed
    ]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(c: Comparison) -> str:
    out = [
        "# 年度对比",
        "",
        *[f"- {_md(x)}" for x in _summary(c)],
        "",
        "## 上年度安排逐项核对",
        "",
        "| # | 上年度安排 | 结论 | 依据 | 证据 |",
        "|---|---|---|---|---|",
    ]
    for i, it in enumerate(c.follow_through.items, 1):
        ev = "<br>".join(f"{_where(e)}：{_md(_short(e.text))}" for e in it.evidence) or "—"
        out.append(
            f"| {i} | {_md(_short(it.plan.text))}（{_where(it.plan)}） | {ITEM_LABELS[it.status]} "
            f"| {_md(it.reason)} | {ev} |"
        )
    out += ["", "## 重复段落", "", "| 本年度 | 上年度 | 相似度 | 文字 |", "|---|---|---|---|"]
    out += [
        f"| {_where(p.this)} | {_where(p.last)} | {p.similarity:.2f} | {_md(_short(p.this.text))} |"
        for p in c.copied.passages
    ]
    out += ["", "## 规则结论变化", "", "| 规则 | 上年度 | 本年度 |", "|---|---|---|"]
    out += [
        f"| {r.rule_id} {_md(r.title)} | {RULE_LABELS.get(r.last, r.last)} | {RULE_LABELS.get(r.this, r.this)} |"
        for r in c.rules
        if r.last != r.this
    ]
    return "\n".join(out) + "\n"


def render_html(c: Comparison) -> str:
    e = html.escape
    rows = "".join(
        f"<tr class='{it.status}'><td>{i}</td><td>{e(_short(it.plan.text, 160))}"
        f"<br><small>{_where(it.plan)}</small></td>"
        f"<td>{ITEM_LABELS[it.status]}</td><td>{e(it.reason)}</td>"
        f"<td>{'<br>'.join(f'{_where(x)}：{e(_short(x.text, 160))}' for x in it.evidence) or '—'}</td></tr>"
        for i, it in enumerate(c.follow_through.items, 1)
    )
    passages = "".join(
        f"<tr><td>{_where(p.this)}</td><td>{_where(p.last)}</td><td>{p.similarity:.2f}</td>"
        f"<td>{e(_short(p.this.text, 200))}</td></tr>"
        for p in c.copied.passages
    )
    rules = "".join(
        f"<tr><td>{e(r.rule_id)} {e(r.title)}</td><td>{RULE_LABELS.get(r.last, r.last)}</td>"
        f"<td>{RULE_LABELS.get(r.this, r.this)}</td></tr>"
        for r in c.rules
        if r.last != r.this
    )
    summary = "".join(f"<li>{e(x)}</li>" for x in _summary(c))
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>年度对比</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:1em auto}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}.done{{background:#e8f5e9}}.open{{background:#fff8e1}}
.missing{{background:#ffebee}}.needs_review{{background:#e3f2fd}}</style></head><body>
<h1>年度对比</h1><ul>{summary}</ul>
<h2>上年度安排逐项核对</h2><table><tr><th>#</th><th>上年度安排</th><th>结论</th><th>依据</th><th>证据</th></tr>{rows}</table>
<h2>重复段落</h2><table><tr><th>本年度</th><th>上年度</th><th>相似度</th><th>文字</th></tr>{passages}</table>
<h2>规则结论变化</h2><table><tr><th>规则</th><th>上年度</th><th>本年度</th></tr>{rules}</table>
</body></html>
"""


RENDERERS = {"json": render_json, "text": render_text, "markdown": render_markdown, "html": render_html}
