"""PDF: the HTML scorecards, cards and index rendered with WeasyPrint (a main dependency).

WeasyPrint needs the Pango libraries of the system. When it, or one of those libraries, is
missing, each PDF fails alone with a Chinese message naming what to install (the Debian
package); every other output is still written (``writer._write_plan``).

The page is the same HTML; one small print stylesheet is added so that the
checklist/tool footer repeats at the bottom of every PDF page (a CSS running
element, which browsers do not support; they show it once per section instead).
Nothing outside the document is ever fetched except ``data:`` URLs.
"""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any, Final

from auditor.errors import UsageError

# Passed as a *user* stylesheet, hence !important to win over the page's own rules.
PDF_CSS: Final = """
.running-footer {
  display: block !important;
  position: running(footer) !important;
  font-size: 8pt;
  color: #5f6b7a;
}
.section-footer { display: none !important; }
@page { @bottom-left { content: element(footer); } }
"""


#: the shared libraries WeasyPrint loads, by the name it asks for, and their Debian packages
DEBIAN_PACKAGES: Final = {
    "gobject": "libglib2.0-0",
    "pangoft2": "libpangoft2-1.0-0",
    "pango": "libpango-1.0-0",
    "harfbuzz-subset": "libharfbuzz-subset0",
    "harfbuzz": "libharfbuzz0b",
    "fontconfig": "libfontconfig1",
}
ALL_PACKAGES: Final = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
_LIBRARY: Final = re.compile(r"library '([^']+)'")


def missing_library_error(exc: BaseException) -> UsageError:
    """The error shown when WeasyPrint or a system library it needs cannot be loaded."""
    if isinstance(exc, ImportError):
        return UsageError(
            "无法生成 PDF：未安装 WeasyPrint，其他格式照常写出",
            hint="pip install weasyprint（或重新 pip install auditor）",
        )
    found = _LIBRARY.search(str(exc))
    name = found.group(1).lower().removeprefix("lib") if found else ""
    package = next((pkg for key, pkg in DEBIAN_PACKAGES.items() if name.startswith(key)), None)
    what = f"系统库 {found.group(1)}" if found else "WeasyPrint 所需的系统库（Pango）"
    install = package or ALL_PACKAGES
    return UsageError(
        f"无法生成 PDF：缺少{what}，其他格式照常写出",
        hint=f"Debian/Ubuntu 上安装：sudo apt-get install {install}",
    )


def _weasyprint() -> Any:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its own English notice
            import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are missing
        raise missing_library_error(exc) from exc
    return weasyprint


def _no_external_fetcher(weasyprint: Any) -> Any:
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    if fetcher_class is not None:  # current WeasyPrint: a fetcher class
        return fetcher_class(allowed_protocols=("data",))

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"external resources are disabled: {url}")

    return fetch


def html_to_pdf(html: str) -> bytes:
    """Render one HTML document (as produced by ``htmlpage``) to PDF bytes."""
    weasyprint = _weasyprint()
    fetcher = _no_external_fetcher(weasyprint)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, media_type="print")
    pdf: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=PDF_CSS, url_fetcher=fetcher)])
    return pdf
