"""Exports of stored results through the CLI's own formatters (the one adapter to ``report/``).

A season (or one report) becomes a typed :class:`auditor.result.Batch` of its stored reports,
each finding carrying the decision that applies to it (``Finding.review``), with the reviewed
score (``Report.reviewed``, 复核后得分) and the comparison with last year's report when known
(``Report.comparison``), as ``auditor check --decisions --previous`` writes them. That batch
goes through :func:`auditor.report.formats.render` and the scorecard pages, so an export is
byte for byte what the command line would write for the same results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from auditor.checklist import Checklist
from auditor.findings import Review
from auditor.result import Batch, Report, ToolInfo
from auditor.review import apply_reviews, with_reviews

MEDIA_TYPES: Final = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "yaml": "application/yaml; charset=utf-8",
}
TABLE_FORMATS: Final = ("xlsx", "csv", "json")
#: the scorecard's own policy (an inline stylesheet, nothing else) for an exported HTML page
SCORECARD_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)


def tool() -> ToolInfo:
    from auditor import __version__

    return ToolInfo("auditor", __version__)


def reviewed_report(
    report: Report,
    reviews: Mapping[str, Review],
    checklist: Checklist | None = None,
    comparison: Mapping[str, Any] | None = None,
) -> Report:
    """``report`` as ``auditor check --decisions --previous`` writes it: each finding's
    applicable decision attached (stale ones are not), ``reviewed`` (复核后得分, when there are
    decisions and the checklist is known) and ``comparison`` (when known)."""
    from dataclasses import replace

    from auditor.decisions import reviewed_summary

    applied = apply_reviews(report, reviews)
    summary = reviewed_summary(report, applied, checklist) if reviews and checklist is not None else report.reviewed
    return replace(
        report,
        findings=with_reviews(report.findings, applied.reviews),
        reviewed=summary,
        comparison=comparison if comparison is not None else report.comparison,
    )


def batch(reports: Sequence[Report]) -> Batch:
    return Batch(tool(), tuple(reports), ())


def table(data: Batch, fmt: str) -> bytes:
    """The batch as xlsx, csv or json (``auditor check --format …`` output)."""
    from auditor.report.formats import Format, render

    if fmt not in TABLE_FORMATS:
        raise ValueError(fmt)
    out = render(data, Format(fmt))
    return out.encode("utf-8") if isinstance(out, str) else out


def scorecards_html(data: Batch) -> str:
    """Every report's printable scorecard in one HTML document (a page break between them)."""
    from auditor.report.htmlpage import render_scorecards

    return render_scorecards(data, data.audited, index_href=None)


def scorecards_pdf(data: Batch) -> bytes:
    """The same scorecards as PDF (WeasyPrint; :class:`auditor.errors.UsageError` without it)."""
    from auditor.report.pdf import html_to_pdf

    return html_to_pdf(scorecards_html(data))


def decisions_file(decisions: Mapping[str, Any], fmt: str) -> bytes:
    """The decisions (``store.decisions``) as the JSON or YAML file ``auditor check --decisions`` reads."""
    if fmt == "json":
        import orjson

        return orjson.dumps(decisions, option=orjson.OPT_INDENT_2)
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(dict(decisions), allow_unicode=True, sort_keys=False).encode("utf-8")
    raise ValueError(fmt)


def filename(stem: str, fmt: str) -> str:
    """``Content-Disposition`` value for a download (ASCII fallback plus the UTF-8 name)."""
    from urllib.parse import quote

    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in stem) or "export"
    return f"attachment; filename=\"{safe}.{fmt}\"; filename*=UTF-8''{quote(stem)}.{fmt}"
