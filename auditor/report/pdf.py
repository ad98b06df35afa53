"""PDF: the HTML scorecards and index rendered with WeasyPrint (optional extra ``pdf``).

The page is the same HTML; one small print stylesheet is added so that the
checklist/tool footer repeats at the bottom of every PDF page (a CSS running
element, which browsers do not support; they show it once per section instead).
Nothing outside the document is ever fetched except ``data:`` URLs.
"""

from __future__ import annotations

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


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are missing
        raise UsageError("PDF output needs WeasyPrint", hint="pip install 'auditor[pdf]'") from exc
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
