"""HTML export: a standalone printable page, or a fragment for a staff page.

A plain :class:`jinja2.Environment` (no Flask) renders ``templates/exports/``; autoescape
is on, so user text is never interpreted as HTML. Interface strings are French msgids
wrapped in ``_()`` and translated with the caller's ``translate`` through Jinja's i18n
extension. Control characters and lone surrogates are removed from the output (user
text is the only possible source of them).
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape
from markupsafe import Markup

from diagnostic.reporting.common import Identity
from diagnostic.reporting.report import Initiative, Item, Need, Report
from diagnostic.time_zones import local, zone_caption

from ._common import Translate, clean_text, translator
from .charts import own_title, ranked_needs, report_charts
from .print_edition import Lists, full_lists

_HERE = Path(__file__).resolve().parent
# An installed package carries its own templates (setup.py copies them); a checkout keeps
# them in the top-level templates/ folder.
TEMPLATES = _HERE / "templates" if (_HERE / "templates").is_dir() \
    else _HERE.parent / "templates" / "exports"
REPORT_CSS: str = (TEMPLATES / "report.css").read_text(encoding="utf-8")
"""The report's stylesheet (selectors scoped under ``.report-root``) for embedding pages."""


def _finalize(value: object) -> object:
    """Print None as nothing (the whole output is cleaned of control characters later)."""
    return "" if value is None else value


@lru_cache(maxsize=16)
def _environment(translate: Translate, lang: str) -> Environment:
    """A Jinja environment bound to one translation and locale (cached, read-only)."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("fr")
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        finalize=_finalize,
        # Each export job is a fresh process: reuse the compiled templates across them
        # (Jinja's own cache, in the system's temporary folder, keyed by template source).
        bytecode_cache=FileSystemBytecodeCache(),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translate(message),
        lambda singular, plural, n: translate(singular if n == 1 else plural),
        newstyle=True,
    )
    env.filters["date"] = lambda d: format_date(d, "long", locale=locale) if d else ""
    env.filters["datetime"] = lambda moment, zone=None: _format_moment(moment, locale, zone)
    env.globals["zone_caption"] = lambda moment, zone: zone_caption(moment, zone, translate)
    env.globals["joined"] = joined
    env.globals["abbreviation"] = abbreviation
    # Cached: a big report formats the same few numbers thousands of times.
    env.filters["number"] = lru_cache(maxsize=4096)(lambda n: format_decimal(n, locale=locale))
    return env


def _format_moment(moment: datetime, locale: Locale, zone: str | None = None) -> str:
    """Date and time of ``moment`` in ``zone`` (the diagnostic's), e.g. "12 avril 2011 14:05".

    Without a zone the moment is printed as it is (the report gives moments in its zone).
    """
    if zone:
        moment = local(moment, zone)
    day = format_date(moment, "long", locale=locale)
    return f"{day} {format_time(moment, 'HH:mm', locale=locale)}"


def item_kind(item: Item) -> str:
    """"initiative", "need" or "recommendation": the kind of a synthesis item."""
    if isinstance(item, Initiative):
        return "initiative"
    if isinstance(item, Need):
        return "need"
    return "recommendation"


def joined(separator: str, *values: object) -> str:
    """The non-empty ``values`` joined by ``separator`` (faster than Jinja's select|join)."""
    return separator.join(str(v) for v in values if v is not None and v != "")


LOGO_TYPES = frozenset({"image/png", "image/svg+xml"})


def logo_uri(identity: Identity) -> str:
    """The authority's logo as a ``data:`` URI ("" without a PNG or SVG logo).

    A ``data:`` URI is the only resource the PDF printer fetches, and the only image
    source a downloaded HTML page may use (its Content-Security-Policy).
    """
    if not identity.logo or identity.logo_type not in LOGO_TYPES:
        return ""
    return f"data:{identity.logo_type};base64,{base64.b64encode(identity.logo).decode('ascii')}"


def version_date(identity: Identity, generated_at: datetime, zone: str | None) -> date:
    """The version's date: the identity's, else the day of generation in the diagnostic's zone."""
    if identity.version_date:
        return identity.version_date
    return local(generated_at, zone).date()


_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")


def abbreviation(label: str, length: int = 4) -> str:
    """A short column header for a printed table ("Initiatives" → "Init.", "Besoins" → "Bes.").

    Labels of at most ``length + 2`` characters are kept whole; otherwise the first
    ``length`` letters, cut before a trailing vowel, and a full stop. The full label goes
    in the table's legend.
    """
    word = label.strip()
    if len(word) <= length + 2:
        return word
    head = word[:length]
    while len(head) > 2 and head[-1].lower() in _VOWELS:
        head = head[:-1]
    return head.rstrip(" ·-") + "."


def _context(report: Report, translate: Translate, lang: str, lists: Lists | None = None
             ) -> dict:
    """What the report templates need besides the report: charts, lookups by id.

    ``lists`` are the item lists to print (see :mod:`exports.print_edition`); by default
    every item of the report.
    """
    lists = lists or full_lists(report)
    identity = report.context.identity
    return {
        "report": report,
        "identity": identity,
        "logo_uri": logo_uri(identity),
        "version_date": version_date(identity, report.generated_at, report.time_zone),
        "lang": lang,
        "lists": lists,
        "omitted": lists.omitted,
        "charts": report_charts(report, translate, lang=lang),
        "ranked_needs": ranked_needs(report.needs),
        "need_ids": {need.id for need in lists.needs},
        "item_kind": item_kind,
        "own_title": own_title,
    }


def render_report_fragment(report: Report, translate: Translate | None = None, *,
                           lang: str = "fr") -> str:
    """The report body (an ``<article class="report-root">``) to embed in a page.

    The string is safe, escaped HTML: wrap it in ``markupsafe.Markup`` to embed it in a
    Jinja page. Style it with :data:`REPORT_CSS`; ``lang`` sets the language of dates and
    numbers.
    """
    translate = translator(translate)
    template = _environment(translate, lang).get_template("_report_body.html")
    return clean_text(template.render(_context(report, translate, lang)))


def render_report_html(report: Report, translate: Translate | None = None, *,
                       lang: str = "fr", lists: Lists | None = None) -> bytes:
    """A standalone, printable HTML5 page of the report (inline CSS, no external resource).

    ``lists`` restricts the item lists (the PDF's print edition); by default all items.
    """
    translate = translator(translate)
    template = _environment(translate, lang).get_template("report.html")
    html = template.render(_context(report, translate, lang, lists), css=Markup(REPORT_CSS))
    return clean_text(html).encode("utf-8")


