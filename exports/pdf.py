"""PDF export of the report and of a workshop's minutes, printed by WeasyPrint.

The PDF is the standalone HTML page (:mod:`exports.html`, :mod:`exports.minutes_html`)
plus ``templates/exports/print.css`` (a cover, a table of contents with page numbers,
running headers, A4 pages with a landscape annex, headings kept with what follows, tables
that fit the text width). It is a tagged PDF/UA-1 document (language, title).

WeasyPrint may only load ``data:`` URIs: the :class:`DataOnlyFetcher` refuses
``file://``, ``http(s)://`` and every other scheme, so no local file nor network
resource can ever be pulled into a document, whatever a template or a contribution
contains.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetchingError

from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.report import Report

from ._common import Translate
from .html import TEMPLATES, render_report_html
from .minutes_html import render_minutes_html
from .print_edition import print_edition

PRINT_CSS: str = (TEMPLATES / "print.css").read_text(encoding="utf-8")
"""Print rules added to the HTML page's own stylesheet (A4, footer, page breaks)."""

ALLOWED_SCHEMES = frozenset({"data"})
PDF_VARIANT = "pdf/ua-1"
"""Every PDF is tagged for accessibility (PDF/UA-1), as a public document must be."""


class FetchRefused(URLFetchingError):
    """A resource outside ``data:`` URIs was requested and refused."""


class DataOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and refuses everything else."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=ALLOWED_SCHEMES, allow_redirects=False)

    def fetch(self, url, headers=None):
        """Decode a ``data:`` URI; raise :class:`FetchRefused` for any other URL."""
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme not in ALLOWED_SCHEMES:
            raise FetchRefused(f"resource refused (only data: URIs are allowed): {url[:80]}")
        return super().fetch(url, headers)


def html_to_pdf(html: bytes) -> bytes:
    """Print an HTML page to PDF with :data:`PRINT_CSS`, fetching only ``data:`` URIs."""
    # PDF/UA-1: a tagged PDF (structure tree, /MarkInfo /Marked), its language from
    # <html lang>, its title from <title> shown by viewers (DisplayDocTitle).
    return layout(html).write_pdf(pdf_variant=PDF_VARIANT)


def layout(html: bytes) -> Document:
    """The laid-out pages of an HTML page printed with :data:`PRINT_CSS`.

    The tests measure this very layout (the boxes of each page) before writing it.
    """
    return print_document(html).render(pdf_variant=PDF_VARIANT)


def print_document(html: bytes) -> HTML:
    """The WeasyPrint document of an HTML page with :data:`PRINT_CSS`, fetching only ``data:``.

    The print rules go in the page itself, after its own stylesheet: WeasyPrint gives
    ``stylesheets=`` a user origin, which loses to every author rule whatever its
    specificity.
    """
    text = html.decode("utf-8")
    head_end = text.find("</head>")
    style = f"<style>\n{PRINT_CSS}\n</style>\n"
    text = text[:head_end] + style + text[head_end:] if head_end >= 0 else style + text
    return HTML(string=text, base_url=None, url_fetcher=DataOnlyFetcher(), media_type="print")


def render_report_pdf(report: Report, translate: Translate | None = None, *,
                      lang: str = "fr") -> bytes:
    """The report as PDF bytes (A4), printed from :func:`exports.html.render_report_html`.

    A large diagnostic is printed as its print edition (:mod:`exports.print_edition`).
    """
    return html_to_pdf(render_report_html(report, translate, lang=lang,
                                          lists=print_edition(report)))


def render_minutes_pdf(minutes: Minutes, translate: Translate | None = None, *,
                       lang: str = "fr") -> bytes:
    """A workshop's minutes as PDF bytes (A4), printed from their standalone HTML page."""
    return html_to_pdf(render_minutes_html(minutes, translate, lang=lang))
