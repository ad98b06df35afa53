"""``auditor check``: the comparison with last year's report, added to each report of the run
whose previous report is known (in the same batch, or in ``--previous DIR``).

The reports in DIR are audited like this run's (same checklist choice and configuration): the
comparison needs both texts (follow-through and copying read them), so a JSON result saved
there would not spare reading the files, and auditing them keeps the score and rule deltas
consistent with this run's checklist and configuration. Only paired reports are read again and
compared (:mod:`auditor.compare`); a pair that fails costs only its own comparison.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import Location, UsageError
from auditor.pipeline import Options, Workers
from auditor.report.encode import Ahead

_SHOWN = 3  # candidates named in the warning about several reports of last year


@dataclass(frozen=True)
class Previous:
    """The audited reports of ``--previous DIR`` and the file each was read from."""

    reports: list[dict[str, Any]]  # each as far as pairing and comparing read it (its comparison view)
    paths: dict[str, str]  # shown source -> path


def require_folder(folder: str) -> None:
    if not Path(folder).is_dir():
        raise UsageError("--previous 须为文件夹", location=Location(folder), hint="给出存放上一年度报告的文件夹")


def audit_previous(folder: str, options: Options, checklists: Sequence[Any], jobs: int | Workers) -> Previous:
    """The reports of ``folder`` audited, each kept as its comparison view (made where it was audited:
    last year's report is only paired and compared, never written)."""
    import orjson

    from auditor.pipeline import run_with
    from auditor.printable import display_path
    from auditor.readers import collect_inputs
    from auditor.report.encode import comparison_view

    require_folder(folder)
    sources, _ = collect_inputs([folder])
    reports = [orjson.loads(view) for _, view in run_with(sources, options, checklists, jobs, comparison_view)]
    return Previous(reports, {display_path(s): s for s in sources})


#: a report as a comparison is given it: its JSON or its comparison view (``encode.comparison_view``: all
#: that comparing reads), or their bytes (decoded where it is compared)
Reported = Mapping[str, Any] | bytes


class _Deferred:
    """A report for a comparison, read when it is sent to the worker that compares it (pickled: the pool
    sends a few tasks at a time) or when compared here, not when the pairs are planned: a batch of many
    pairs never holds every paired report's JSON at once (≈ 55 kB each; 900 pairs held ≈ 100 MB more).
    Unpickled, it is what ``read`` returned."""

    def __init__(self, read: Callable[[], Reported]) -> None:
        self.read = read

    def __reduce__(self) -> tuple[Callable[[Reported], Reported], tuple[Reported]]:
        return _as_is, (self.read(),)


def _as_is(report: Reported) -> Reported:
    return report


@dataclass(frozen=True)
class _Pair:
    """What one comparison needs besides the options and checklists (sent to a worker process)."""

    this: Reported | _Deferred
    this_path: str
    last: Reported | _Deferred
    last_path: str
    origin: str
    inferred: Sequence[str]
    #: made in the worker from the report as given (its bytes or JSON) and its comparison (e.g. the report's
    #: JSON bytes with the comparison added)
    then: Callable[[Reported, dict[str, Any]], Any] | None = None


#: (``comparison``, ``then`` of the report with it added, or None without ``then``)
Compared = tuple[dict[str, Any], Any]


def _given_report(report: Reported | _Deferred) -> Reported:
    return report.read() if isinstance(report, _Deferred) else report  # a _Deferred: compared in this process


def _json_of(report: Reported) -> dict[str, Any]:
    import orjson

    data: dict[str, Any] = orjson.loads(report) if isinstance(report, bytes) else dict(report)
    return data


def _compared(pair: _Pair, options: Options, checklists: Sequence[Any]) -> Compared | str:
    """The ``comparison`` entry of ``pair.this`` (:func:`auditor.compare.paired.compare_pair`), both
    files read again, and ``pair.then`` of the report with it; or why it failed (one failed comparison
    costs only itself, one that never ends too: it has the time limit of a report, :mod:`auditor.deadline`)."""
    from auditor.compare import paired
    from auditor.deadline import ReportTimeout, report_deadline
    from auditor.pipeline import read_understood

    try:
        given = _given_report(pair.this)
        this, last = _json_of(given), _json_of(_given_report(pair.last))
        with report_deadline(options.report_timeout, kill=options.in_worker):
            last_doc = read_understood(pair.last_path, options)[1]
            this_doc = read_understood(pair.this_path, options)[1]
            share = paired.copy_share(options.config)
            comparison = paired.compare_pair(
                this, this_doc, last, last_doc, pair.origin, pair.inferred, checklists, share
            )
        return comparison, None if pair.then is None else pair.then(given, comparison)
    except (ReportTimeout, Exception) as exc:
        return paired.failure(exc)


def _crashed(pair: _Pair) -> str:
    return "内部错误 BrokenProcessPool"


def _given(report: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: report


def comparisons(
    views: Sequence[Mapping[str, Any]],
    full: Callable[[int], Reported],
    paths: Mapping[str, str],
    previous: Previous | None,
    options: Options,
    checklists: Sequence[Any],
    *,
    batch: bool = True,
    workers: Workers | None = None,
    then: Callable[[Reported, dict[str, Any]], Any] | None = None,
    ahead: Sequence[Ahead | None] = (),
) -> Iterator[tuple[int, dict[str, Any], Any]]:
    """(i, ``comparison``, made) of each report of the run whose previous report is known, in this batch
    (``batch``) or in ``previous``, in the order of i. ``views`` are the reports as far as pairing
    reads them (the JSON, or the brief of an encoded report), ``full(i)`` the i-th as comparing reads it
    (:data:`Reported`: only paired reports are decoded, where they are compared); ``made`` is
    ``then(full(i), comparison)``, made there too (e.g. the report's JSON bytes with its comparison; else None).
    A report with several candidates for last year is left alone, said so on stderr. Each pair
    reads and understands both reports again: given the run's
    ``workers`` (warm from auditing the batch), several pairs are compared there, handed out now
    and read as they are iterated (a caller writes the reports before the first paired one
    meanwhile). A pair whose comparison was made where both were audited (``ahead``, by index: the
    brief's :class:`~auditor.report.encode.Ahead`) on the same grounds is not compared again. A
    comparison that failed is said so on stderr when reached and left out."""
    from auditor.compare.pairing import pair, renamings
    from auditor.printable import one_line

    candidates: list[tuple[Callable[[], Reported], Mapping[str, Any], str, str]] = []
    if batch:
        candidates += [
            (functools.partial(full, i), r, paths.get(str(r.get("source")), ""), "batch") for i, r in enumerate(views)
        ]
    if previous is not None:
        candidates += [
            (_given(r), r, previous.paths.get(str(r.get("source")), ""), "previous") for r in previous.reports
        ]
    pairs, ambiguous = pair(views, [c[1] for c in candidates])
    shown = [one_line(str(c[1].get("source"))) for c in candidates] if ambiguous else []
    for a in ambiguous:  # each name made once; at most _SHOWN listed (a batch of many reports of one unit)
        names = "、".join([shown[i] for i in a.last[:_SHOWN]])
        if len(a.last) > _SHOWN:
            names += f" 等 {len(a.last)} 份"
        sys.stderr.write(
            f"auditor: 警告：{one_line(str(views[a.this].get('source')))}：上年度报告有多份（{names}），未作年度对比\n"
        )
    for hint in renamings(views, [c[1] for c in candidates], pairs, ambiguous):
        this_view, last_view = views[hint.this], candidates[hint.last][1]
        this_source, last_source = (one_line(str(view.get("source"))) for view in (this_view, last_view))
        units = " / ".join(one_line(str((view.get("metadata") or {}).get("unit"))) for view in (last_view, this_view))
        sys.stderr.write(
            f"auditor: 提示：{this_source}：未找到同名单位的上年度报告；{last_source} 的单位名称相近（{units}），"
            f"如为同一单位更名（如机构改革），可用 auditor compare {last_source} {this_source} 对比\n"
        )
    tasks = []
    made: list[Ahead | None] = []  # each pair's comparison made ahead, if any
    for p in pairs:
        load_last, last_view, last_path, origin = candidates[p.last]
        done = ahead[p.this] if p.this < len(ahead) else None
        grounds = (last_view.get("source"), p.inferred)
        if done is not None and origin == "batch" and (done.last, done.inferred) == grounds:
            made.append(done)
            continue
        made.append(None)
        this_path = paths.get(str(views[p.this].get("source")), "")
        tasks.append(
            _Pair(
                _Deferred(functools.partial(full, p.this)),
                this_path,
                _Deferred(load_last),
                last_path,
                origin,
                p.inferred,
                then,
            )
        )
    compared: Iterable[Compared | str]
    if workers is not None and workers.jobs > 1 and len(tasks) > 1:
        compared = workers.map(_compared, tasks, _crashed)
    else:
        compared = (_compared(task, options, checklists) for task in tasks)
    outcomes = _merged(made, [p.this for p in pairs], full, then, iter(compared))
    return _found([views[p.this] for p in pairs], [p.this for p in pairs], outcomes)


def _merged(
    made: Sequence[Ahead | None],
    indices: Sequence[int],
    full: Callable[[int], Reported],
    then: Callable[[Reported, dict[str, Any]], Any] | None,
    compared: Iterator[Compared | str],
) -> Iterator[Compared | str]:
    """Each pair's outcome in order: made ahead (with ``then`` of the report made here), else compared now."""
    from auditor.compare.paired import failure

    for done, i in zip(made, indices, strict=True):
        if done is None:
            yield next(compared)
        elif isinstance(done.outcome, str):
            yield done.outcome
        else:
            try:
                yield done.outcome, None if then is None else then(full(i), done.outcome)
            except Exception as exc:
                yield failure(exc)


def _found(
    views: Sequence[Mapping[str, Any]], indices: Sequence[int], outcomes: Iterable[Compared | str]
) -> Iterator[tuple[int, dict[str, Any], Any]]:
    """(index, comparison, made) of each pair in order; a failed one said so on stderr and left out."""
    from auditor.printable import one_line

    for view, i, outcome in zip(views, indices, outcomes, strict=True):
        if isinstance(outcome, str):
            source = str(view.get("source"))
            sys.stderr.write(
                f"auditor: 警告：{one_line(source)}：未能与上年度报告对比（{one_line(outcome)}），其他结果不受影响\n"
            )
        else:
            yield i, *outcome
