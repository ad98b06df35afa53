"""Comparisons made ahead: a report compared with last year's report of its unit where both were audited.

Comparing a pair reads and understands both files again, and sends both reports to a worker and the
report with its comparison back (≈ 4 ms of a pair's ≈ 10 ms: docs/performance.md, items 62 and 65),
because the batch's pairs are known only once every report has been audited. Yet the two reports of a
pair most often sit side by side in the input order (their file names differ by the year alone), so one
worker's chunk holds both: there they are paired as the whole batch pairs them (:func:`pairing.pair`)
and, when their file names agree but for figures and years (:func:`named_alike`: reports of one unit under
unrelated names are more often ambiguous in the batch, and a comparison made for nothing costs as much as
one saved), compared with the documents their audit read (as they were understood, before the checklist's level
rules), from what comparing reads of each (``comparison_view``). The run uses such a comparison only
when its own pairing of the whole batch chooses the same report of last year on the same grounds (a
third report of the unit elsewhere makes both ambiguous): the outcome is then the one comparing them
again would give, failures included (each under the time limit of a report).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from auditor.compare.paired import compare_pair, copy_share, failure
from auditor.compare.pairing import pair
from auditor.deadline import ReportTimeout, report_deadline
from auditor.document import Document
from auditor.report.encode import Ahead, comparison_view, pairing_view
from auditor.result import AnyReport, Report


def compared_ahead(
    reports: Sequence[AnyReport],
    docs: Mapping[int, Document],
    checklists: Sequence[Any],
    config: Any,
    seconds: float,
    kill: bool,
) -> dict[int, Ahead]:
    """The comparison (:class:`Ahead`) of each report of ``reports`` (a chunk) paired with another of them,
    by index; ``docs[k]`` is the k-th report's document as understood (only audited reports have one)."""
    import orjson

    audited = [k for k, report in enumerate(reports) if k in docs and isinstance(report, Report)]
    if len(audited) < 2:
        return {}
    views = [pairing_view(reports[k]) for k in audited]
    pairs, _ = pair(views, views)
    share = copy_share(config)
    out: dict[int, Ahead] = {}
    for p in pairs:
        this, last = audited[p.this], audited[p.last]
        if not named_alike(reports[this].source, reports[last].source):
            continue
        outcome: dict[str, Any] | str
        try:
            with report_deadline(seconds, kill=kill):
                outcome = compare_pair(
                    orjson.loads(comparison_view(reports[this])),
                    docs[this],
                    orjson.loads(comparison_view(reports[last])),
                    docs[last],
                    "batch",
                    p.inferred,
                    checklists,
                    share,
                )
        except (ReportTimeout, Exception) as exc:
            outcome = failure(exc)
        out[this] = Ahead(reports[last].source, p.inferred, outcome)
    return out


#: what a year adds to a file's name (2023, 二〇二三, 年度): left out when two names are compared
_YEARISH = re.compile(r"[0-9０-９〇○零一二三四五六七八九]+|年度?")


def named_alike(this: str, last: str) -> bool:
    """Whether two files' names, their figures and years aside, agree (one holds the other): as a unit's
    reports of two years are named (张渚镇2023年法治政府建设报告 / 张渚镇2022年…, or one name in two
    folders). Reports of one unit under unrelated names (a batch of many units, a resubmission) are not
    compared ahead: the batch may well find last year's report ambiguous there, and the comparison wasted."""
    a, b = (_YEARISH.sub("", PurePath(name).stem) for name in (this, last))
    return bool(a and b) and (a in b or b in a)
