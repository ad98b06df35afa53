"""The statistics tables of a 政府信息公开工作年度报告, read from the report text as it comes.

Readers render a real table (HTML ``<table>``, .docx, PDF) one row per line with `` | ``
between cells, a blank cell staying blank; copy-pasted and dumped pages give column-aligned
layout text, one cell per line, or whole tables flattened onto one line where the digits of
neighbouring cells run together (``予以公开7000007``). This module finds the national tables
in any of those shapes by their row labels (the 2019 layout and the 2021 format,
国办公开办函〔2021〕30号, share them; 2019 has a single 其他处理 row) and reads each row into
cells by column. A run of digits is split only when exactly one split agrees with the row's
own 总计; otherwise the row is kept with a ``problem`` (the rules say needs_review and quote it).

Everything here is pure: text in, :class:`Table` out; offsets are those of the text given.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from auditor.document.reviewgroups import review_by_group

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
REVIEW_COLUMNS = tuple(
    f"{group}/{result}"
    for group in ("行政复议", "未经复议直接起诉", "复议后起诉")
    for result in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
)
MAX_GAP = 400  # characters of junk (wrapped labels, group labels, page breaks) between two rows
MIN_ROWS = 5  # template rows needed before a run of labels counts as the application table
MAX_SPLITS = 50  # consistent splits collected before saying "several"
MAX_CANDIDATES = 20_000  # splits examined before giving up on a row (a long run has very many)
_MAX_CELL_DIGITS = 6


class Cell(NamedTuple):  # named tuples: a table has ≈ 200 cells and 30 rows, built fast (a frozen
    # dataclass sets each field through object.__setattr__: 0.42 µs a Cell, 1.56 µs a Row)
    value: float | None  # None: the cell is blank (never read as 0)
    start: int
    end: int


class Row(NamedTuple):
    key: str  # template key, e.g. "granted"
    label: str  # the national wording of the row
    group: str | None  # the key of the group row this row belongs to (不予公开, 无法提供…)
    start: int  # the row as written: from its label to its last cell
    end: int
    cells: tuple[Cell | None, ...]  # by column; None: not read (absent, or the row is unreadable)
    problem: str | None = None  # why the row could not be read (Chinese, for needs_review)
    shape: str = "cells"  # "cells" (separated), "pipes" (rendered table), "digits" (a digit run split),
    # "groups" (the review table one group a row: reviewgroups.py)


@dataclass(frozen=True)
class Table:
    """A table as read; its rows and cells are looked up by label through indexes built on first use
    (a report's rules read ≈ 40 cells of the same table: each a dictionary look-up after the first)."""

    kind: str  # "application" | "review"
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    start: int
    end: int

    def find_row(self, label: str) -> Row | None:
        """The row named ``label`` (its key, its national wording or a distinctive part of it)."""
        found = self._found
        if label not in found:
            found[label] = self._find_row(_wanted(label))
        return found[label]

    def _find_row(self, want: str) -> Row | None:
        row = self._exact.get(want)
        if row is not None:
            return row
        hits = [row for row, squashed in zip(self.rows, self._squashed, strict=True) if want and want in squashed]
        return hits[0] if len(hits) == 1 else None

    def column_index(self, column: str) -> int | None:
        return _column_index(self.columns, column)

    def children(self, group: str) -> tuple[Row, ...]:
        return self._groups.get(group, ())

    @property
    def problems(self) -> list[Row]:
        return [row for row in self.rows if row.problem]

    # the indexes and memos of the look-ups (per table, so per report; not fields: equality and
    # the repr stay those of the rows read)

    @cached_property
    def _squashed(self) -> tuple[str, ...]:
        return tuple(_squash(row.label) for row in self.rows)

    @cached_property
    def _exact(self) -> dict[str, Row]:
        """A row by key or whole squashed label; the first row in order, as a scan would find it."""
        exact: dict[str, Row] = {}
        for row, squashed in zip(self.rows, self._squashed, strict=True):
            exact.setdefault(row.key, row)
            exact.setdefault(squashed, row)
        return exact

    @cached_property
    def _groups(self) -> dict[str, tuple[Row, ...]]:
        groups: dict[str, list[Row]] = {}
        for row in self.rows:
            if row.group is not None:
                groups.setdefault(row.group, []).append(row)
        return {group: tuple(rows) for group, rows in groups.items()}

    @cached_property
    def _found(self) -> dict[str, Row | None]:
        return {}

    @cached_property
    def _reads(self) -> dict[tuple[str, str], Read]:
        return {}


class Read(NamedTuple):
    """One cell as a rule sees it: a value, blank, not found, or unreadable (with the rows)."""

    value: float | None
    rows: tuple[Row, ...]
    problem: str | None = None


def read_cell(table: Table, row_label: str, column: str) -> Read:
    """A cell by row and column label; a group row without figures of its own (2021's
    (六)其他处理 over its three sub-rows) reads as the sum of its sub-rows. Read once per
    table and labels (the rules of a report ask for the same cells again)."""
    reads = table._reads
    key = (row_label, column)
    read = reads.get(key)
    if read is None:
        read = reads[key] = _read_cell(table, row_label, column)
    return read


def _read_cell(table: Table, row_label: str, column: str) -> Read:
    row = table.find_row(row_label)
    col = table.column_index(column)
    if col is None:
        return Read(None, ())
    if row is None:
        group = _group_key(row_label)  # a group label dropped by the layout: its items still add up
        return _sum_of(table, group, column) if group and table.children(group) else Read(None, ())
    if row.problem:
        return Read(None, (row,), row.problem)
    cell = row.cells[col] if col < len(row.cells) else None
    if cell is not None or any(c is not None for c in row.cells) or row.key not in _GROUP_KEYS:
        return Read(cell.value if cell else None, (row,))
    if not table.children(row.key):
        return Read(None, (row,))
    return _sum_of(table, row.key, column)


def _group_key(label: str) -> str | None:
    want = _squash(label)
    return next((t.key for t in _APPLICATION if t.key in _GROUP_KEYS and _squash(t.label) == want), None)


def _sum_of(table: Table, group: str, column: str) -> Read:
    """A group's items added up; only when every item of the national format is there."""
    parts = table.children(group)
    if len(parts) < sum(1 for t in _APPLICATION if t.group == group):
        return Read(None, parts)
    reads = [read_cell(table, part.key, column) for part in parts]
    bad = next((r for r in reads if r.problem), None)
    if bad is not None:
        return Read(None, bad.rows, bad.problem)
    rows = tuple(r for read in reads for r in read.rows)
    if any(r.value is None for r in reads):
        return Read(None, rows)
    return Read(sum(r.value for r in reads if r.value is not None), rows)


# ---------------------------------------------------------------- the national templates

# A row's number (1. / (一) / 一、) is found looking back from its label: every label pattern starts
# with a literal, so the regex engine skips ahead instead of trying an optional prefix everywhere.
_PREFIX_BEFORE = re.compile(r"(?:[1-9][.、]|\(\s*[一二三四五六七八]\s*\)|[一二三四五六七][、.])[ \t]*$")


@dataclass(frozen=True)
class _RowTemplate:
    key: str
    label: str
    group: str | None
    pattern: re.Pattern[str]


def _spaced(core: str) -> str:
    """A literal that may be broken by spaces or line ends (layout text, wrapped cells)."""
    return r"\s*".join(re.escape(ch) for ch in core)


def _row(key: str, label: str, core: str | None = None, group: str | None = None) -> _RowTemplate:
    return _RowTemplate(key, label, group, re.compile(core if core is not None else _spaced(label)))


def _label_spans(template: _RowTemplate, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where the row's label is, its number (if any) included."""
    spans = []
    for m in template.pattern.finditer(text, start, end):
        before = _PREFIX_BEFORE.search(text, max(start, m.start() - 8), m.start())
        spans.append((before.start() if before else m.start(), m.end()))
    return spans


_APPLICATION = (
    _row("new_apps", "本年新收政府信息公开申请数量", _spaced("本年新收")),
    _row("carried_in", "上年结转政府信息公开申请数量", _spaced("上年结转")),
    _row("granted", "予以公开"),
    _row(
        "partial",
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        # the note holds no figure: a label wrapped in layout text has the row's figures between its lines
        _spaced("部分公开") + r"(?:\s*\([^)\d|]{0,40}\))?",
    ),
    _row("deny", "不予公开", r"\(\s*三\s*\)\s*不\s*予\s*公\s*开"),
    _row("deny_secret", "属于国家秘密", _spaced("国家秘密"), "deny"),
    _row("deny_law", "其他法律行政法规禁止公开", _spaced("其他法律"), "deny"),
    _row("deny_safety", "危及“三安全一稳定”", _spaced("三安全一稳定") + '"?', "deny"),
    _row("deny_third", "保护第三方合法权益", _spaced("第三方合法权益"), "deny"),
    _row("deny_internal", "属于三类内部事务信息", _spaced("内部事务") + r"(?:\s*信\s*息)?", "deny"),
    _row("deny_process", "属于四类过程性信息", _spaced("过程性信息"), "deny"),
    _row("deny_case", "属于行政执法案卷", _spaced("行政执法案卷"), "deny"),
    _row("deny_query", "属于行政查询事项", _spaced("行政查询事项"), "deny"),
    _row("none", "无法提供", r"\(\s*四\s*\)\s*无\s*法\s*提\s*供"),
    _row("none_held", "本机关不掌握相关政府信息", _spaced("不掌握") + r"(?:\s*相\s*关\s*政\s*府\s*信\s*息)?", "none"),
    _row("none_create", "没有现成信息需要另行制作", _spaced("另行制作"), "none"),
    _row("none_unclear", "补正后申请内容仍不明确", _spaced("补正后") + r"(?:[^\d|\n]{0,10}?明\s*确)?", "none"),
    _row("np", "不予处理", r"\(\s*五\s*\)\s*不\s*予\s*处\s*理"),
    _row("np_petition", "信访举报投诉类申请", _spaced("信访举报投诉") + r"(?:\s*类\s*申\s*请)?", "np"),
    _row("np_repeat", "重复申请", None, "np"),
    _row("np_publication", "要求提供公开出版物", _spaced("公开出版物"), "np"),
    _row("np_massive", "无正当理由大量反复申请", _spaced("大量反复") + r"(?:\s*申\s*请)?", "np"),
    _row(
        "np_confirm", "要求行政机关确认或重新出具已获取信息", _spaced("确认或重") + r"(?:[^\d|\n]{0,12}?信\s*息)?", "np"
    ),
    _row("other", "其他处理", r"\(\s*六\s*\)\s*其\s*他\s*处\s*理"),
    _row(
        "other_overdue",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _spaced("逾期不补正") + r"(?:[^\d|\n]{0,24}?申\s*请)?",
        "other",
    ),
    _row(
        "other_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _spaced("缴纳费用") + r"(?:[^\d|\n]{0,24}?申\s*请)?",
        "other",
    ),
    _row("other_misc", "其他", r"3[.、]\s*其\s*他(?!\s*(?:处|法))", "other"),
    _row("total", "总计", r"总\s*计"),
    _row("carry_over", "结转下年度继续办理", _spaced("结转下年度") + r"(?:\s*继\s*续\s*办\s*理)?"),
)
_GROUP_KEYS = frozenset({"deny", "none", "np", "other"})
_ORDER = {t.key: i for i, t in enumerate(_APPLICATION)}  # the rows' national order
#: a cell holding only 无, standing alone between pipes, spaces or line ends: nil, as a dash is (a
#: provincial department writing every 0 as 无: "无 | 无 | 无"); never the 无 of words (无正当理由, 无。)
_NIL_WORD = re.compile(r"(?<![^\s|])无(?![^\s|])")
#: a figure, a dash for nil (not a dash joining words), or a 无 cell
_FIGURE_AHEAD = f"(?=\\d|[-—–－](?![\u4e00-\u9fff])|{_NIL_WORD.pattern})"
_REVIEW_ANCHOR = re.compile(rf"行\s*政\s*复\s*议[^\d。]{{0,400}}?(?:审\s*结|总\s*计)[^\d。]{{0,160}}?{_FIGURE_AHEAD}")
# Without its header (a page's header rows "结果维持 | 结果纠正 | …" can be dropped as menu-like
# chrome): the part heading, then a row of exactly 15 separate figures.
_REVIEW_HEADING = re.compile(rf"行\s*政\s*复\s*议[^\d。\n]{{0,20}}诉\s*讼[^\d。]{{0,400}}?{_FIGURE_AHEAD}")
# Without the part heading or the group header (行政复议 | 行政诉讼: dropped as menu-like chrome, or a
# sentence with a year between the heading and the table): the column header row, then exactly 15 figures.
_REVIEW_HEADER = re.compile(rf"结\s*果\s*维\s*持[^\d。]{{0,400}}?总\s*计[^\d。]{{0,160}}?{_FIGURE_AHEAD}")
_PAGE_NUMBER = re.compile(r"(?m)^[ \t]*(?:[-—][ \t]*\d{1,3}[ \t]*[-—]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)[ \t]*$")
#: a figure; large ones may carry thousands separators (1,234: provincial departments, street offices)
_NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d.])")
#: a cell holding only a dash: nil, as statistics tables write 0 (一、本年新收 45 3 — — 2 — 50)
_DASH = "-—–－"
_NUMBER_OR_DASH = re.compile(rf"{_NUMBER.pattern}|(?<!\S)[{re.escape(_DASH)}]{{1,2}}(?!\S)")
#: a year in words next to a table ("2024年，我镇未发生…"): never a cell's count
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?=\s*年)")
_ITEM_NUMBER = re.compile(r"\d(?=[.、]\s*[\u4e00-\u9fff\"])")  # the "2" of "…00000002.其他法律…"
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: a line opening on an Arabic number and words: the next part's heading under a table (5、存在的主要问题…)
_NUMBERED_LINE = re.compile(r"\n[ \t]*\d{1,2}[.、][ \t]*[\u4e00-\u9fff]")


def find_tables(text: str, start: int = 0, end: int | None = None) -> tuple[Table, ...]:
    """The national statistics tables found in ``text[start:end]``."""
    end = len(text) if end is None else end
    found: list[Table] = []
    app = _application_table(text, start, end)
    if app is not None:
        found.append(app)
    review = _review_table(text, app.end if app is not None else start, end)
    if review is not None:
        found.append(review)
    return tuple(found)


# ---------------------------------------------------------------- the application table


def _application_table(text: str, start: int, end: int) -> Table | None:
    matches = [_label_spans(t, text, start, end) for t in _APPLICATION]
    best: list[tuple[int, tuple[int, int]]] = []
    walked: set[tuple[int, tuple[int, int]]] = set()  # the rows of every run walked so far
    for first in range(3):
        later = sorted(s for spans in matches[first + 1 :] for s, _ in spans)  # starts of the rows below
        for span in matches[first]:
            if (first, span) in walked:
                continue  # a walk from a row of a run is that run's rest (see _walk): shorter than it
            k = bisect.bisect_left(later, span[1])
            if k == len(later) or later[k] > span[1] + MAX_GAP:
                continue  # no row of the table follows: a phrase in running text
            run = _walk(matches, first, span)
            walked.update(run)
            if len(run) > len(best):
                best = run
    if sum(1 for index, _ in best if _APPLICATION[index].key not in _GROUP_KEYS) < MIN_ROWS:
        return None
    best.sort(key=lambda item: item[1][0])
    regions = [  # where each row's figures are looked for: from its label to the next label
        (e, best[k + 1][1][0] if k + 1 < len(best) else _last_row_end(text, e, end))
        for k, (_, (_, e)) in enumerate(best)
    ]
    for k in range(len(best) - 1):
        moved = _wrapped_figures(best, k, text)
        if moved is not None:  # the figures printed between the two lines of a row's label
            regions[k] = moved[0]
            regions[k + 1] = (moved[1][0], max(moved[1][1], regions[k + 1][1]))
    rows: list[Row] = []
    for (index, (s, e)), (begin, stop) in zip(best, regions, strict=True):
        rows.append(_read_row(_APPLICATION[index], text, s, e, stop, APPLICANTS, _row_sum_ok, begin))
    rows.sort(key=lambda r: _ORDER[r.key])
    return Table(
        "application",
        "收到和处理政府信息公开申请情况",
        APPLICANTS,
        tuple(rows),
        min(r.start for r in rows),
        max(r.end for r in rows),
    )


def _walk(matches: list[list[tuple[int, int]]], first: int, span: tuple[int, int]) -> list[tuple[int, tuple[int, int]]]:
    """The template rows found in order after ``span``, each within MAX_GAP of the previous.
    Group labels (（三）不予公开…) are looked for but do not move the position: layout text
    centres them vertically, so they come out anywhere among their rows.

    A walk from a row ``(i, s)`` of this run, i among the first three (not group rows), gives the
    rows of this run after it: the state on leaving it (the position, ``s``'s end) is the same,
    and the rows before it end before ``s`` starts, so they cannot overlap what follows."""
    run = [(first, span)]
    pos = span[1]
    taken = [span]  # the spans of the run, sorted; they do not overlap (and none is empty), so
    # the one that starts last before a span ends is the only one that may overlap it
    for index in range(first + 1, len(_APPLICATION)):
        found = matches[index]
        k = bisect.bisect_left(found, (pos, -1))
        nxt = found[k] if k < len(found) and found[k][0] <= pos + MAX_GAP else None
        if nxt is None:
            continue
        before = bisect.bisect_left(taken, (nxt[1], -1))  # the spans that start before nxt ends
        if before and taken[before - 1][1] > nxt[0]:
            continue  # it overlaps a row of the run (or is one)
        run.append((index, nxt))
        taken.insert(before, nxt)
        if _APPLICATION[index].key not in _GROUP_KEYS:
            pos = nxt[1]
    return run


def _wrapped_figures(
    rows: list[tuple[int, tuple[int, int]]], k: int, text: str
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """pdftotext -layout prints the figures of a two-line label between its two lines; when the
    label of a group row sits on that figure line ("（六）其他处理  2 0 0 0 0 0 2" between
    "1.申请人无正当理由逾期不补正、行政机关不" and "再处理其政府信息公开申请"), the figures are
    the wrapped row's, not the group's: a figure line between two lines of one label belongs to
    that label. Rows ``k`` and ``k + 1`` (in text order): the new regions of the two, or None."""
    (i, (s, e)), (j, (s2, e2)) = rows[k], rows[k + 1]
    first, second = _APPLICATION[i], _APPLICATION[j]
    if first.key not in _GROUP_KEYS and second.key in _GROUP_KEYS:  # the group label after the row's
        line = _line(text, s2)  # first line, on the figure line
        if line[0] <= e or not _has_figures_after(text, e2, line[1]) or _has_figures_after(text, e, line[0]):
            return None
        if not _wrapped_around(first, text, line):
            return None
        return (e2, line[1]), (line[1], line[1])
    if first.key in _GROUP_KEYS and second.key not in _GROUP_KEYS:  # the group label on the figure line,
        line = _line(text, s)  # the row's label around it
        if s2 <= line[1] or not _has_figures_after(text, e, line[1]):
            return None
        if not _wrapped_around(second, text, line):
            return None
        return (e, e), (e, line[1])
    return None


def _line(text: str, pos: int) -> tuple[int, int]:
    """The start and end of the line holding ``pos``."""
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def _has_figures_after(text: str, start: int, stop: int) -> bool:
    return _NUMBER.search(text, start, stop) is not None


def _wrapped_around(template: _RowTemplate, text: str, line: tuple[int, int]) -> bool:
    """The non-blank lines just before and after ``line`` are the two halves of the template's
    label (its number dropped), and hold no figure."""
    before, after = _previous_line(text, line[0]), _next_line(text, line[1])
    if before is None or after is None:
        return False
    head = _wanted(text[before[0] : before[1]].strip())
    tail = _squash(text[after[0] : after[1]])
    return len(head) >= 2 and len(tail) >= 2 and head + tail in _squash(template.label)


def _previous_line(text: str, start: int) -> tuple[int, int] | None:
    """The first non-blank line before the line starting at ``start``."""
    end = start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        if text[begin:end].strip():
            return begin, end
        end = begin - 1
    return None


def _next_line(text: str, end: int) -> tuple[int, int] | None:
    """The first non-blank line after the line ending at ``end``."""
    pos = end + 1
    while pos < len(text):
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        if text[pos:stop].strip():
            return pos, stop
        pos = stop + 1
    return None


def _last_row_end(text: str, pos: int, end: int) -> int:
    """The end of the last row: its figures, up to the next words. A row left blank ends where
    the next line of words starts (a heading, a paragraph): the reader never runs on into the
    text below, and a year there ("2024年，我镇…") is no figure of the row."""
    limit = min(end, pos + 200)
    seen_digit = False
    line_start = False  # the label's own line: words after it (（件）) are still the row's
    for i in range(pos, limit):
        ch = text[i]
        if ch == "\n":
            if _NUMBERED_LINE.match(text, i):
                return i  # the next part's heading (4、政府信息公开行政复议…): its number is no figure
            line_start = True
            continue
        if ch.isdigit():
            if not seen_digit and _YEAR.match(text, i):
                return i
            seen_digit = True
        elif _CJK.match(ch) and ch != "件" and (seen_digit or line_start) and not _nil_cell_at(text, i):
            return i
        if not ch.isspace():
            line_start = False
    return limit


_NIL = "无"  # a rendered cell holding only 无: nil, as a dash is ("2 | 无 | 无 | 2")


def _nil_cell_at(text: str, i: int) -> bool:
    """``text[i]`` is a 无 that fills a rendered cell on its own (a pipe before it, a pipe or the
    line's end after it)."""
    if text[i] != _NIL:
        return False
    before = text[max(0, i - 4) : i].rstrip(" \t")
    after = text[i + 1 : i + 5].lstrip(" \t")
    return before.endswith("|") and (after == "" or after[0] in "|\n")


def _row_sum_ok(values: Sequence[int]) -> bool:
    return sum(values[:-1]) == values[-1]


def _groups_ok(values: Sequence[int]) -> bool:
    return all(sum(values[g : g + 4]) == values[g + 4] for g in range(0, len(values), 5))


def _read_row(
    template: _RowTemplate,
    text: str,
    s: int,
    e: int,
    stop: int,
    columns: Sequence[str],
    consistent: Callable[[Sequence[int]], bool],
    begin: int | None = None,
) -> Row:
    """The row labelled at ``text[s:e]``, its figures looked for in ``text[begin:stop]`` (``begin``:
    the label's end, unless the figures sit elsewhere; see _wrapped_figures)."""
    begin = e if begin is None else begin
    cells, problem, shape, last = _cells(text[begin:stop], begin, len(columns), consistent)
    if template.key in _GROUP_KEYS and problem is None and all(c is None or c.value is None for c in cells):
        cells, last = (None,) * len(columns), e
    row_end = last if last > e else e
    return Row(template.key, template.label, template.group, s, row_end, cells, problem, shape)


def _cells(
    region: str,
    offset: int,
    n: int,
    consistent: Callable[[Sequence[int]], bool],
    nil_words: bool = False,
) -> tuple[tuple[Cell | None, ...], str | None, str, int]:
    """The cells of one row from the text after its label: (cells, problem, shape, end offset).
    ``nil_words``: a 无 standing alone is a nil cell in layout text too (the review table's block
    holds figures only; an application row's region may hold words)."""
    first_line = region.split("\n", 1)[0]
    if "|" in first_line:
        return _pipe_cells(first_line, offset, n)
    clean = region
    if nil_words and _NIL in clean:  # 无 → a dash of the same length: offsets stay those of the text
        clean = _NIL_WORD.sub(_DASH[1], clean)
    if "页" in clean or "-" in clean or "—" in clean:  # every page number holds one (most rows: none)
        clean = _PAGE_NUMBER.sub(lambda m: " " * len(m.group()), clean)
    if "." in clean or "、" in clean:  # an item number is followed by one
        clean = _ITEM_NUMBER.sub(" ", clean)
    numbers = _NUMBER_OR_DASH if any(d in clean for d in _DASH) else _NUMBER
    if "年" in clean:  # a year in words is no figure of the row
        clean = _YEAR.sub(lambda m: " " * len(m.group()), clean)
    tokens = [
        ("0" if m.group()[0] in _DASH else m.group(), offset + m.start(), offset + m.end())
        for m in numbers.finditer(clean)
    ]
    empty: tuple[Cell | None, ...] = (None,) * n
    if not tokens:
        return empty, None, "cells", offset
    last = tokens[-1][2]
    if len(tokens) == n:
        return tuple([Cell(_num(t), a, b) for t, a, b in tokens]), None, "cells", last
    if len(tokens) == 1 and len(tokens[0][0]) < n:  # one figure: the row's 总计 ("（七）总计：26件"; too
        t, a, b = tokens[0]  # few digits for n cells, so no split of it is looked for)
        return (None,) * (n - 1) + (Cell(_num(t), a, b),), None, "cells", last
    if len(tokens) < n and all("." not in t and "," not in t for t, _, _ in tokens):  # (1,234 is one figure)
        found = split_runs([t for t, _, _ in tokens], n, consistent)
        if found is None:
            return empty, "数字连在一起且位数很多，可能的拆分太多，无法确定各格数字", "digits", last
        if len(found) == 1:
            return _spread(found[0], tokens), None, "digits", last
        if len(found) > 1:
            return empty, f"数字连在一起，有{len(found)}种拆分都与本行总计一致，无法确定各格数字", "digits", last
    if len(tokens) in _FEW_COLUMNS and _total_last([_num(t) for t, _, _ in tokens]):  # 自然人, 法人或其他组织, 总计
        t, a, b = tokens[-1]
        return (None,) * (n - 1) + (Cell(_num(t), a, b),), None, "cells", last
    if len(tokens) < n:
        return empty, "数字连在一起，没有一种拆分与本行总计一致（本行各格之和与总计不符，或列数不同）", "digits", last
    if len(tokens) > n:
        return empty, f"本行读出{len(tokens)}个数字，多于表格的{n}列", "cells", last
    return empty, f"本行读出{len(tokens)}个数字，少于表格的{n}列，且无法拆分出与总计一致的各格数字", "cells", last


def _pipe_cells(line: str, offset: int, n: int) -> tuple[tuple[Cell | None, ...], str | None, str, int]:
    pieces: list[tuple[str, int, int]] = []
    pos = 0
    for raw in line.split("|"):
        pieces.append((raw, offset + pos, offset + pos + len(raw)))
        pos += len(raw) + 1
    pieces = pieces if _is_figure_cell(pieces[0][0]) else pieces[1:]  # (the label's cell, or the text before it)
    while len(pieces) > n and not _NUMBER.search(pieces[0][0]):  # label cells (merged, blank, a sub-label)
        pieces.pop(0)
    while pieces and not pieces[-1][0].strip() and len(pieces) > n:
        pieces.pop()
    cells: list[Cell | None] = []
    for raw, a, b in pieces:
        m = _figure_of_cell(raw)
        if m is None and _is_nil_cell(raw):
            cells.append(Cell(0.0, a + raw.index(raw.strip()[0]), a + len(raw.rstrip())))
            continue
        cells.append(Cell(_num(m.group()), a + m.start(), a + m.end()) if m else Cell(None, a, b))
    last = max((c.end for c in cells if c is not None and c.value is not None), default=offset)
    if len(cells) == n:
        return tuple(cells), None, "pipes", last
    values = [c.value for c in cells if c is not None]
    if len(cells) == 1 or (len(cells) in _FEW_COLUMNS and None not in values and _total_last(values)):
        return (None,) * (n - 1) + (cells[-1],), None, "pipes", last
    return (None,) * n, f"本行有{len(cells)}格，与表格的{n}列不符", "pipes", last


# one figure grouped by thousands with spaces (GB/T 15835's 千分空: "2 890", "12 345"), a rendered cell
# holding nothing else; in layout text such a gap parts two cells, so only a cell's whole content counts
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+")


def _figure_of_cell(raw: str) -> re.Match[str] | None:
    """The figure of a rendered cell: its whole content when that is one figure grouped by spaces,
    else its first number."""
    inner = len(raw) - len(raw.lstrip()), len(raw.rstrip())
    return _SPACED_THOUSANDS.fullmatch(raw, *inner) or _NUMBER.search(raw)


def _is_figure_cell(raw: str) -> bool:
    """A cell with a figure, or a nil one (a row of a table of no cases: — | — | —)."""
    return any(ch.isdigit() for ch in raw) or _is_nil_cell(raw)


def _is_nil_cell(raw: str) -> bool:
    """A cell holding only a dash or 无: nil, as statistics tables write 0."""
    return raw.strip() != "" and (raw.strip(_DASH + " ") == "" or raw.strip() == _NIL)


_FEW_COLUMNS = (2, 3)  # local variants: (申请人, 总计) or (自然人, 法人或其他组织, 总计); a 7-column row with
# a blank cell lost in text is not one of them (its last figure may be 其他, not 总计)


def _total_last(values: Sequence[float | None]) -> bool:
    """A row of fewer columns than the national table whose last figure adds up the others."""
    return all(v is not None for v in values) and sum(v for v in values[:-1] if v is not None) == values[-1]


def _num(token: str) -> float:
    return float(re.sub(r"[,\s]", "", token) if not token.isdigit() else token)


def _spread(values: Sequence[int], tokens: Sequence[tuple[str, int, int]]) -> tuple[Cell | None, ...]:
    """Cells for a split: each value located inside the token it came from."""
    cells: list[Cell | None] = []
    k = 0
    for token, a, _ in tokens:
        pos = 0
        while pos < len(token):
            width = len(str(values[k]))
            cells.append(Cell(float(values[k]), a + pos, a + pos + width))
            pos += width
            k += 1
    return tuple(cells)


def split_runs(
    tokens: Sequence[str], n: int, consistent: Callable[[Sequence[int]], bool], limit: int = MAX_SPLITS
) -> list[list[int]] | None:
    """Every way to cut the digit strings ``tokens`` into exactly ``n`` numbers (no leading
    zeros) that ``consistent`` accepts; at most ``limit`` + 1 of them (enough to say "several").
    None when there are too many ways to look at (MAX_CANDIDATES): the row is not read.

    The ways are tried depth first, narrowest number first, by one recursive function that
    appends to ``out`` (no generator per level: a split of 7 numbers passed up 8 of them)."""
    out: list[list[int]] = []
    rest = [0] * (len(tokens) + 1)  # rest[i]: the digits of tokens[i:]
    for i in range(len(tokens) - 1, -1, -1):
        rest[i] = rest[i + 1] + len(tokens[i])
    if not n <= rest[0] <= n * _MAX_CELL_DIGITS:
        return out  # too few or too many digits for n numbers (as for a row's one figure: 总计 26件)
    acc: list[int] = []
    examined = 0

    def go(i: int, pos: int) -> bool:
        """Extend ``acc`` from ``tokens[i][pos:]``; True when the search must stop."""
        nonlocal examined
        while i < len(tokens) and pos == len(tokens[i]):
            i, pos = i + 1, 0
        if i == len(tokens):
            if len(acc) != n:
                return False
            if examined >= MAX_CANDIDATES:
                raise _TooManySplits
            examined += 1
            candidate = list(acc)
            if consistent(candidate):
                out.append(candidate)
                return len(out) > limit
            return False
        token = tokens[i]
        left = len(token) - pos + rest[i + 1]
        cells_left = n - len(acc)
        if cells_left <= 0 or left < cells_left or left > cells_left * _MAX_CELL_DIGITS:
            return False
        widest = 1 if token[pos] == "0" else min(_MAX_CELL_DIGITS, len(token) - pos)
        for w in range(1, widest + 1):
            acc.append(int(token[pos : pos + w]))
            stop = go(i, pos + w)
            acc.pop()
            if stop:
                return True
        return False

    try:
        go(0, 0)
    except _TooManySplits:
        return None
    return out


class _TooManySplits(Exception):
    """More than MAX_CANDIDATES splits looked at (raised out of the recursion of split_runs)."""


# ---------------------------------------------------------------- the review/litigation table


#: the review table's figures (a dash: nil; a cell may carry its unit: 2件 | 1件 | 0件)
_REVIEW_BLOCK = re.compile(rf"(?:[\d \t\n|{re.escape(_DASH)}]|(?<=\d)件|{_NIL_WORD.pattern})+")


def _review_table(text: str, start: int, end: int) -> Table | None:
    by_group = review_by_group(text, start, end)
    if by_group is not None:
        begin, found = by_group
        read = tuple(Cell(f.value, f.start, f.end) for f in found)
        row = Row("cases", "行政复议、行政诉讼案件数", None, found[0].start, found[-1].end, read, None, "groups")
        return Table("review", "政府信息公开行政复议、行政诉讼情况", REVIEW_COLUMNS, (row,), begin, row.end)
    n = len(REVIEW_COLUMNS)
    for pattern, strict in ((_REVIEW_ANCHOR, False), (_REVIEW_HEADING, True), (_REVIEW_HEADER, True)):
        for anchor in pattern.finditer(text, start, end):
            block = _REVIEW_BLOCK.match(text, anchor.end(), end)
            if block is None:
                continue
            heading = _NUMBERED_LINE.search(text, block.start(), min(end, block.end() + 8))
            raw = text[block.start() : heading.start() if heading else block.end()].rstrip()
            figures = len(_NUMBER_OR_DASH.findall(raw)) + (len(_NIL_WORD.findall(raw)) if _NIL in raw else 0)
            if sum(ch.isdigit() for ch in raw) < 5 and figures < 5:
                continue  # (a dash or 无 for nil counts: a table of no cases may be all dashes)
            if strict and figures != n:
                continue
            cells, problem, shape, last = _cells(raw, anchor.end(), n, _groups_ok, nil_words=True)
            if problem is None and sum(1 for c in cells if c is not None) < n:
                problem = "行政复议、行政诉讼情况表只读出部分数字，无法确定各格所属的组"
                cells = (None,) * n
            row = Row(
                "cases", "行政复议、行政诉讼案件数", None, anchor.end(), max(last, anchor.end()), cells, problem, shape
            )
            return Table(
                "review", "政府信息公开行政复议、行政诉讼情况", REVIEW_COLUMNS, (row,), anchor.start(), row.end
            )
    return None


_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,2}[、.]|[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]|\d{1,2}[.、])\s*"
)


_SQUASHED = re.compile(r"[\s\"“”'‘’()（）]")


@lru_cache(maxsize=4096)  # labels come from the national template and the rules: few, asked per report and cell
def _squash(text: str) -> str:
    return _SQUASHED.sub("", text)


@lru_cache(maxsize=1024)  # the columns are the national ones (two tuples), the labels the rules'
def _column_index(columns: tuple[str, ...], column: str) -> int | None:
    want = _squash(column)
    for i, name in enumerate(columns):
        if want == _squash(name):
            return i
    hits = [i for i, name in enumerate(columns) if want and _squash(name).endswith(want)]
    return hits[0] if len(hits) == 1 else None


@lru_cache(maxsize=4096)
def _wanted(label: str) -> str:
    """A row label as ``find_row`` compares it: without its number (（三）, 1.), squashed."""
    return _squash(_NUMBERING.sub("", label))


def render(table: Table, text: str) -> list[str]:
    """The table as read, one line per row (for `auditor text --tables`)."""
    out = [f"【{table.title}】（{table.kind}） 列：{' | '.join(table.columns)}"]
    for row in table.rows:
        if row.problem:
            raw = " ".join(text[row.start : row.end].split())
            out.append(f"  {row.label}：无法读出（{row.problem}）；原文：{raw}")
            continue
        cells = " | ".join("—" if c is None else ("空" if c.value is None else f"{c.value:g}") for c in row.cells)
        how = {"digits": "（数字连写，按总计拆分）", "pipes": "", "cells": "", "groups": "（每组一行）"}[row.shape]
        out.append(f"  {row.label}：{cells}{how}")
    return out
