"""The export formats by name: MIME type, file extension and the renderer behind each.

One registry for every caller (CLI, staff downloads, export jobs): :data:`FORMATS` for
the report, :data:`MINUTES_FORMATS` for a workshop's minutes. Renderers are imported
lazily by :func:`render` / :func:`render_minutes`, so listing the formats loads neither
WeasyPrint nor python-docx, and a format whose module is missing fails only when used.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from diagnostic.reporting.minutes import Minutes
from diagnostic.reporting.report import Report

from ._common import Translate


@dataclass(frozen=True)
class Format:
    """An export format: ``module.function`` renders it."""

    name: str
    mimetype: str
    extension: str
    module: str
    function: str

    def renderer(self):
        """The rendering function (imports its module now)."""
        return getattr(import_module(self.module), self.function)


def _formats(*items: Format) -> dict[str, Format]:
    return {item.name: item for item in items}


FORMATS: dict[str, Format] = _formats(
    Format("pdf", "application/pdf", "pdf", "exports.pdf", "render_report_pdf"),
    Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "docx", "exports.docx", "render_report_docx"),
    Format("odt", "application/vnd.oasis.opendocument.text", "odt", "exports.odt",
           "render_report_odt"),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "xlsx", "exports.xlsx", "render_report_xlsx"),
    Format("csv", "text/csv; charset=utf-8", "csv", "exports.csv", "render_contributions_csv"),
    Format("json", "application/json", "json", "exports.json", "render_report_json"),
    Format("html", "text/html; charset=utf-8", "html", "exports.html", "render_report_html"),
)
"""Formats of the diagnostic report."""

MINUTES_FORMATS: dict[str, Format] = _formats(
    Format("pdf", "application/pdf", "pdf", "exports.pdf", "render_minutes_pdf"),
    Format("docx", FORMATS["docx"].mimetype, "docx", "exports.docx", "render_minutes_docx"),
    Format("odt", FORMATS["odt"].mimetype, "odt", "exports.odt", "render_minutes_odt"),
    Format("html", "text/html; charset=utf-8", "html", "exports.minutes_html",
           "render_minutes_html"),
)
"""Formats of a workshop's minutes."""


def render(fmt: str, report: Report, *, translate: Translate | None = None, lang: str = "fr",
           archive: dict[str, Any] | None = None) -> bytes:
    """``report`` as bytes in format ``fmt`` (a key of :data:`FORMATS`).

    ``archive`` (see :mod:`diagnostic.archive`) is only written by the JSON format; the
    JSON report itself is composed already translated, so it takes no ``translate``.
    CSV has no dates nor numbers to localise, so it takes no ``lang``.
    """
    renderer = FORMATS[fmt].renderer()
    if fmt == "json":
        return renderer(report, archive=archive)
    if fmt == "csv":
        return renderer(report, translate)
    return renderer(report, translate, lang=lang)


def render_minutes(fmt: str, minutes: Minutes, *, translate: Translate | None = None,
                   lang: str = "fr") -> bytes:
    """A workshop's ``minutes`` as bytes in format ``fmt`` (a key of :data:`MINUTES_FORMATS`)."""
    return MINUTES_FORMATS[fmt].renderer()(minutes, translate, lang=lang)
