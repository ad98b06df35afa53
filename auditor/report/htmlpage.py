"""HTML pages: the printable scorecard of each report and the batch index.

Jinja2 with autoescape on: report-derived text is never marked safe. Each page
carries a strict Content-Security-Policy; the index's only script (column
sorting, ``templates/sort.js``) is allowed by its SHA-256 hash, so an injected
script could not run even if escaping ever failed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from auditor.report.htmlview import index_view, report_view
from auditor.report.sanitize import terminal_safe
from auditor.result import Batch, Report

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

TEMPLATES: Final = Path(__file__).parent / "templates"
BASE_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _drop_control_characters(value: object) -> object:
    """Jinja ``finalize``: report text loses control characters (then gets escaped)."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return terminal_safe(value)
    return value


@cache
def environment(*first: Path) -> Environment:
    """The scorecard's templates, after those in ``first`` (the workbench's own pages reuse the
    scorecard's macros): autoescaped, report text without control characters."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in (*first, TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_drop_control_characters,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["mark_all"] = mark_all
    return env


def mark_all(text: str, marks: tuple[str, ...]) -> Markup:
    """Escape ``text`` and wrap each occurrence of ``marks`` in <mark> (every piece escaped)."""
    import re

    from markupsafe import Markup, escape

    text = str(_drop_control_characters(text))
    wanted = [m for m in dict.fromkeys(marks) if m]
    if not wanted:
        return escape(text)
    pattern = re.compile("|".join(re.escape(m) for m in sorted(wanted, key=len, reverse=True)))
    out = Markup("")
    cursor = 0
    for m in pattern.finditer(text):
        out += escape(text[cursor : m.start()]) + Markup("<mark>") + escape(m.group()) + Markup("</mark>")
        cursor = m.end()
    return out + escape(text[cursor:])


@cache
def sort_script() -> str:
    """The index page's own inline script, exactly as embedded."""
    return (TEMPLATES / "sort.js").read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    """The CSP source expression allowing one inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str | None) -> str:
    allowed = script_hash(script) if script else "'none'"
    return f"{BASE_POLICY}; script-src {allowed}"


def _common(batch: Batch) -> dict[str, str]:
    return {"tool": batch.tool.line}


def render_scorecards(batch: Batch, reports: Sequence[Report], *, index_href: str | None) -> str:
    """One HTML document holding the scorecards of ``reports`` (a page break between them)."""
    template = environment().get_template("scorecard.html")
    views = [report_view(r) for r in reports]
    page_title = views[0].unit if len(views) == 1 else "核查评分卡"
    return template.render(
        reports=views,
        page_title=page_title,
        index_href=index_href,
        csp=content_security_policy(None),
        **_common(batch),
    )


def render_index(batch: Batch, hrefs: Mapping[int, str], *, with_script: bool = True) -> str:
    """The batch overview; ``hrefs`` maps report positions to scorecard links."""
    from markupsafe import Markup

    script = sort_script() if with_script else None
    view = index_view(batch, hrefs)
    return (
        environment()
        .get_template("index.html")
        .render(
            view=view,
            page_title=f"{view.title} · 核查汇总",
            script=Markup(script) if script else None,  # our own file, not report text
            csp=content_security_policy(script),
            **_common(batch),
        )
    )
