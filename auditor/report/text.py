"""Text: a terminal report ordered for action, laid out by :mod:`auditor.report.terminal`.

Per report: the summary first (unit, title, year, level, score, grade, the count per status
and the score of each category), then the items to fix — every gap, 待复核 and error item
with its message, evidence (line numbers), near miss, remediation and references — and last
the passed and not-applicable rules, collapsed into one line per category. Colours only when
asked for (a TTY); report text is only ever text, never markup, so brackets in a report
cannot restyle the output.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple, Protocol, assert_never

from auditor import printable
from auditor.findings import Evidence, Finding, NearMiss, Review
from auditor.report import access
from auditor.report.labels import format_score, level_label, severity_label, text_or_dash
from auditor.report.location import quote_place
from auditor.report.reviewed import review_label, reviewed_line
from auditor.report.sanitize import shorten, terminal_safe
from auditor.report.terminal import Run, paragraph, rule
from auditor.report.yoy import TITLE as YOY_TITLE
from auditor.report.yoy import block_lines
from auditor.result import AnyReport, Batch, ErrorReport, Report
from auditor.vocabulary import Status

PLAIN_WIDTH: Final = 110
DETAILED: Final = (Status.gap, Status.needs_review, Status.error)
EVIDENCE_LIMIT: Final = 160
OTHER_CATEGORY: Final = "其他"
_SETTLED: Final = {Status.met: "已通过", Status.not_applicable: "不适用"}
_CONTROLS: Final = dict.fromkeys(map(ord, "\a\b\v\f\r"))  # what rich dropped from text not made terminal-safe


class Printer(Protocol):
    """Prints one paragraph made of ``runs``, its lines indented by ``indent`` cells."""

    def __call__(self, *runs: Run, indent: int = 0) -> None: ...

    def item(self, item: _Item, /) -> None:
        """Prints one item to fix: its paragraphs indented by two cells, a blank line after."""


def status_style(status: Status) -> str:
    match status:
        case Status.met:
            return "green"
        case Status.gap:
            return "bold red"
        case Status.needs_review:
            return "yellow"
        case Status.not_applicable:
            return "dim"
        case Status.error:
            return "bold magenta"
        case _:
            assert_never(status)


def terminal_width() -> int:
    """The width of the terminal the text report is printed on, in cells (100 when unknown)."""
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def render_text(batch: Batch, *, color: bool = False, width: int | None = None) -> str:
    """The whole batch as terminal text (ANSI colours only if ``color``)."""
    blocks = [report_text(report, color=color, width=width) for report in batch.reports]
    return "".join(blocks) + batch_end(batch, [tally(r) for r in batch.reports], color=color, width=width)


@dataclass(frozen=True)
class Tally:
    """What the footer reads of one report: its checklist (None: it could not be audited) and score."""

    checklist: str | None
    title: str
    score: float | None


@dataclass(frozen=True)
class RenderedText:
    """A run's whole text report, already rendered (each report in the worker that audited it): its
    UTF-8 bytes in pieces, read once, in order, as the report is written."""

    pieces: Iterable[bytes]
    sources: Sequence[str]  # the input files: an output never overwrites an input


def tally(report: AnyReport) -> Tally:
    if isinstance(report, ErrorReport):
        return Tally(None, "", None)
    return Tally(report.checklist.id, report.checklist.title or "报告", report.score)


def report_text(report: AnyReport, *, color: bool = False, width: int | None = None) -> str:
    """One report's part of :func:`render_text` (each part ends with a line break, so the parts
    of a batch can be rendered apart, e.g. in the worker that audited the report, and joined)."""
    head, tail = report_parts(report, color=color, width=width)
    comparison = report.comparison if isinstance(report, Report) else None
    return head + comparison_text(comparison, color=color, width=width) + tail


def report_parts(report: AnyReport, *, color: bool = False, width: int | None = None) -> tuple[str, str]:
    """:func:`report_text` without the 与上年度对比 block, cut where the block goes: (head, tail),
    and ``report_text`` is ``head + comparison_text(report.comparison) + tail`` (so a report paired
    later gets its block without being rendered again)."""
    head: list[str] = []
    tail: list[str] = []
    head.append(_trimmed(rule(terminal_safe(access.unit(report)), "bold", width or PLAIN_WIDTH, color=color)))
    _print_head(_printer(head, width or PLAIN_WIDTH, color), report)
    _print_tail(_printer(tail, width or PLAIN_WIDTH, color), report)
    return "".join(head), "".join(tail)


def comparison_text(comparison: object, *, color: bool = False, width: int | None = None) -> str:
    """The 与上年度对比 block of a report's ``comparison`` entry ("" when None: not paired)."""
    lines = block_lines(comparison)
    if not lines:
        return ""
    out: list[str] = []
    put = _printer(out, width or PLAIN_WIDTH, color)
    put(_text(YOY_TITLE, "bold"))
    for line in lines:
        put(_text(f"  {line}"))
    return "".join(out)


def batch_end(batch: Batch, tallies: Sequence[Tally], *, color: bool = False, width: int | None = None) -> str:
    """What follows the reports: the skipped files and the footer (``tallies``: one per report)."""
    out: list[str] = []
    put = _printer(out, width or PLAIN_WIDTH, color)
    _print_skipped(put, batch)
    _print_footer(put, batch, tallies)
    return "".join(out)


@dataclass(frozen=True)
class _Page:
    """A :class:`Printer` into ``out``."""

    out: list[str]
    width: int
    color: bool

    def __call__(self, *runs: Run, indent: int = 0) -> None:
        self.out.append(_laid_out(runs, self.width, self.color, indent))

    def item(self, item: _Item, /) -> None:
        self.out.append(_item_text(item, self.width, self.color))


def _printer(out: list[str], width: int, color: bool) -> Printer:
    return _Page(out, width, color)


@functools.lru_cache(maxsize=4096)
def _laid_out(runs: tuple[Run, ...], width: int, color: bool, indent: int) -> str:
    """A paragraph's lines, trimmed (a paragraph ends with a line break, so trimming each one is
    trimming their join). A memo of the layout: the texts of a rule (its headline, remediation and
    references) come back in every report of its checklist and are laid out once per process."""
    return _trimmed(paragraph(runs, width, color=color, indent=indent))


def _trimmed(text: str) -> str:
    """The lines without trailing whitespace, each ending with a line break."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _text(value: str, style: str = "") -> Run:
    return printable.terminal_text(value), style


def _print_head(put: Printer, report: AnyReport) -> None:
    """What comes before the 与上年度对比 block: the source, the header, the reviewed score (an
    error report: all of it)."""
    note = f"，{access.read_note(report)}" if access.read_note(report) else ""
    put(_text(f"来源：{printable.one_line(report.source)}{note}"))
    if isinstance(report, ErrorReport):
        put(_text(f"! 无法审核：{report.error}", status_style(Status.error)))
        put()
        return
    put(*_header(report))
    if reviewed_line(report):  # what a person adds
        put(_text(reviewed_line(report), "bold"))


def _print_tail(put: Printer, report: AnyReport) -> None:
    """What follows the 与上年度对比 block: the items to fix, the settled rules."""
    if isinstance(report, ErrorReport):
        return
    to_fix = [f for f in report.findings if f.status in DETAILED]
    put(_text(f"需要处理的事项（{len(to_fix)} 项）" if to_fix else "需要处理的事项：无", "bold"))
    for finding in to_fix:
        put.item(_Item.of(finding))
    settled = _settled(report)
    if settled:
        put(_text("已通过与不适用", "bold"))
        for line in settled:
            put(_text(f"  {line}"))
    put()


def _header(report: Report) -> list[Run]:
    meta = report.metadata
    header: list[Run] = []
    if meta.title:
        header.append(_text(f"{meta.title}\n", "bold"))
    note = functools.partial(access.source_note, report)
    if note("unit"):
        header.append(_text(f"单位：{access.unit(report)}{note('unit')}\n"))
    header.append(
        _text(f"年度：{text_or_dash(meta.year)}{note('year')}  层级：{level_label(meta.level)}{note('level')}")
    )
    header.append(_text(f"  发布日期：{text_or_dash(meta.published)}{note('published')}"))
    header.append(_text(f"  核查清单：{access.checklist_line(report)}\n"))
    header.append(_plain(f"得分：{format_score(report.score)}  ", "bold"))
    header.append(_plain(f"等级：{text_or_dash(report.grade)}", "bold"))
    if report.grade_capped_by:
        header.append(_plain(f"（等级受 {'、'.join(report.grade_capped_by)} 限制）"))
    header.append(("\n", ""))
    for state, count in access.counts(report).items():
        header.append((f"{state.mark} {state.label} {count}  ", status_style(state)))
    if report.categories:
        scores = " · ".join(f"{c.title or c.id} {format_score(c.score)}" for c in report.categories)
        header.append(_text(f"\n分类得分：{scores}"))
    return header


def _plain(value: str, style: str = "") -> Run:
    """Text that was never made terminal-safe, as rich showed it (a few controls dropped)."""
    return value.translate(_CONTROLS), style


def _settled(report: Report) -> list[str]:
    """One line per category: the rules met (已通过 N 项：…) and those that do not apply (with why)."""
    titles = {c.id: c.title or c.id for c in report.categories}
    groups: dict[str, dict[Status, list[str]]] = {}
    for finding in report.findings:
        if finding.status in (Status.met, Status.not_applicable):
            by_status = groups.setdefault(finding.category, {})
            why = (
                f"（{finding.message.rstrip('。')}）"
                if finding.status is Status.not_applicable and finding.message
                else ""
            )
            by_status.setdefault(finding.status, []).append(finding.rule_id + why)
    order = [c.id for c in report.categories if c.id in groups] + [k for k in groups if k not in titles]
    lines = []
    for key in order:
        parts = [
            f"{_SETTLED[state]} {len(ids)} 项：{'、'.join(ids)}"
            for state in (Status.met, Status.not_applicable)
            if (ids := groups[key].get(state))
        ]
        lines.append(f"{titles.get(key) or key or OTHER_CATEGORY}：{'；'.join(parts)}")
    return lines


class _Item(NamedTuple):
    """What the text shows of one item to fix: the key of its laid-out text (the items of a rule
    without evidence, and so their texts, are the same in many reports of its checklist)."""

    status: Status
    rule_id: str
    headline: str
    severity: str
    review: Review | None
    message: str
    evidence: tuple[Evidence, ...]
    near_miss: NearMiss | None
    remediation: str
    references: tuple[str, ...]

    @classmethod
    def of(cls, f: Finding) -> _Item:
        return cls(
            f.status,
            f.rule_id,
            access.headline(f),
            f.severity,
            f.review,
            f.message,
            f.evidence,
            access.near_miss(f),
            f.remediation,
            f.references,
        )


def _item_text(item: _Item, width: int, color: bool) -> str:
    """One item to fix laid out: its paragraphs indented by two cells, a blank line after."""
    if item.evidence or item.near_miss is not None:
        return _laid_out_item(item, width, color)  # its report's own: not remembered (see _shared_item_text)
    return _shared_item_text(item, width, color)


@functools.lru_cache(maxsize=2048)
def _shared_item_text(item: _Item, width: int, color: bool) -> str:
    """:func:`_item_text` of an item without evidence or a near miss, remembered: such an item of a rule
    is the same in many reports of its checklist. An item that quotes its report is that report's own:
    remembered, it would only push the others out, and its evidence and locations, kept alive until then,
    would be walked by every garbage collection of the worker (docs/performance.md, item 53)."""
    return _laid_out_item(item, width, color)


def _laid_out_item(item: _Item, width: int, color: bool) -> str:
    return "".join(_laid_out((part,), width, color, 2) for part in _details(item)) + "\n"


def _details(finding: _Item) -> list[Run]:
    """The paragraphs of one item to fix (printed indented by two cells, a blank line after)."""
    state = finding.status
    head = _text(
        f"{state.mark} {finding.rule_id} {finding.headline}（{state.label}，{severity_label(finding.severity)}）",
        status_style(state),
    )
    lines = [head]
    if finding.review is not None:
        lines.append(_text(f"  {review_label(finding.review)}", "cyan"))
    if finding.message:
        lines.append(_text(f"  核查结果：{finding.message}"))
    lines += [_quote("证据", ev) for ev in finding.evidence]
    near = finding.near_miss
    if near:
        lines.append(_quote(f"近似内容（相似度 {format_score(near.score)}）", near))
        if near.reason:
            lines.append(_text(f"  说明：{near.reason}", "dim"))
    if state in (Status.gap, Status.needs_review) and finding.remediation:
        lines.append(_text(f"  整改建议：{finding.remediation}", "cyan"))
    if state is Status.gap and finding.references:
        lines.append(_text("  依据：" + "；".join(finding.references), "dim"))
    return lines


def _quote(label: str, evidence: Evidence | NearMiss) -> Run:
    where = quote_place(evidence)
    before, match, after = access.context_parts(evidence)
    shown = f"{before}【{match}】{after}" if before or after else match
    return _text(f"  {label}{where}：「{shorten(shown, EVIDENCE_LIMIT)}」", "italic")


def _print_skipped(put: Printer, batch: Batch) -> None:
    if not batch.skipped:
        return
    put(_text("未处理的文件", "bold"))
    for entry in batch.skipped:
        put(_text(f"  – {printable.one_line(entry.source)}：{entry.reason}"))
    put()


def _print_footer(put: Printer, batch: Batch, tallies: Sequence[Tally]) -> None:
    failed = sum(t.checklist is None for t in tallies)
    line = f"共 {len(tallies)} 份报告，已审核 {len(tallies) - failed} 份"
    if failed:
        line += f"，无法审核 {failed} 份"
    groups: dict[str, list[Tally]] = {}  # audited reports by checklist, in order of first appearance
    for t in tallies:
        if t.checklist is not None:
            groups.setdefault(t.checklist, []).append(t)
    if len(groups) > 1 or (groups and len(tallies) > 1):
        for group in groups.values():  # one summary per checklist: report types are never averaged together
            scores = [t.score for t in group if t.score is not None]
            mean = format_score(sum(scores) / len(scores)) if scores else "—"
            put(_text(f"{group[0].title}：{len(group)} 份，平均分 {mean}"))
    put(_text(f"{line}。由 {batch.tool.line} 生成。", "dim"))
