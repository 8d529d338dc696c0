"""HTML export of a workshop's minutes: a standalone printable page, or a staff-page fragment.

Rendered with the report's Jinja environment (:mod:`exports.html`: no Flask, autoescape
on, ``_()`` through the caller's ``translate``, locale-aware ``date``/``number`` filters)
and styled by the report's stylesheet plus ``minutes.css``.
"""

from __future__ import annotations

from markupsafe import Markup

from diagnostic.reporting.minutes import Minutes

from ._common import Translate, clean_text, translator
from .html import REPORT_CSS, TEMPLATES, _environment, logo_uri

MINUTES_CSS: str = REPORT_CSS + (TEMPLATES / "minutes.css").read_text(encoding="utf-8")
"""The minutes' stylesheet (scoped under ``.report-root``) for embedding pages."""


def render_minutes_fragment(minutes: Minutes, translate: Translate | None = None, *,
                            lang: str = "fr") -> str:
    """The minutes body (an ``<article class="report-root minutes-root">``), escaped HTML."""
    template = _environment(translator(translate), lang).get_template("_minutes_body.html")
    return clean_text(template.render(minutes=minutes, lang=lang,
                                      logo_uri=logo_uri(minutes.identity)))


def render_minutes_html(minutes: Minutes, translate: Translate | None = None, *,
                        lang: str = "fr") -> bytes:
    """A standalone, printable HTML5 page of the minutes (inline CSS, no external resource)."""
    template = _environment(translator(translate), lang).get_template("minutes.html")
    html = template.render(minutes=minutes, lang=lang, css=Markup(MINUTES_CSS),
                           logo_uri=logo_uri(minutes.identity))
    return clean_text(html).encode("utf-8")
