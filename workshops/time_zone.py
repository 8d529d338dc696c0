"""Pages show times in the time zone of the diagnostic they belong to.

Flask-Babel formats every ``datetimeformat`` / ``timeformat`` in the zone its
``timezone_selector`` names. The selector reads the zone chosen for this request
(:func:`use_time_zone_of`), and a ``before_render_template`` hook chooses it from the
template's ``diagnostic`` or ``workshop``: every page of a diagnostic passes one of them,
so no view has to remember. A page outside any diagnostic keeps BABEL_DEFAULT_TIMEZONE.

For code that formats explicitly (a time in a JSON payload, a page showing two
diagnostics), :func:`local_datetime` — the ``local_datetime`` template filter — formats a
moment in a given diagnostic's zone whatever the request's.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, before_render_template, current_app, g, has_request_context
from flask_babel import format_datetime, get_locale, gettext, refresh

from diagnostic.time_zones import local, zone_caption

KEY = "diagnostic_time_zone"


def _zone_name(owner: object) -> str | None:
    """The zone of a diagnostic, or of the diagnostic of a workshop."""
    zone = getattr(owner, "time_zone", None)
    if zone is None:
        zone = getattr(getattr(owner, "diagnostic", None), "time_zone", None)
    return zone


def use_time_zone_of(owner: object) -> None:
    """Format this request's times in the zone of ``owner`` (a diagnostic or a workshop)."""
    zone = _zone_name(owner)
    if zone and has_request_context() and g.get(KEY) != zone:
        setattr(g, KEY, zone)
        refresh()  # Flask-Babel caches the zone per request: drop it


def select_time_zone() -> str:
    """Flask-Babel's timezone selector: the request's diagnostic zone, else the default."""
    return g.get(KEY) or current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local_datetime(moment: datetime | None, owner: object = None, format: str = "short") -> str:
    """``moment`` formatted in the zone of ``owner`` (or of the request), "" for None."""
    if moment is None:
        return ""
    zone = _zone_name(owner) if owner is not None else None
    if zone is None:
        return format_datetime(moment, format)
    from babel.dates import format_datetime as babel_format

    return babel_format(local(moment, zone), format, locale=get_locale())


def time_zone_caption(moment: datetime, owner: object = None) -> str:
    """The zone of a shown time in words: "heure de Paris, UTC+1"."""
    zone = _zone_name(owner) if owner is not None else None
    return zone_caption(moment, zone or select_time_zone(), gettext)


def _choose_zone(sender, template, context, **extra) -> None:
    owner = context.get("diagnostic") or context.get("workshop")
    if owner is not None:
        use_time_zone_of(owner)


def init_app(app: Flask) -> None:
    """Install the render hook and the template helpers (the selector: :mod:`.i18n`)."""
    before_render_template.connect(_choose_zone, app)
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.globals["time_zone_caption"] = time_zone_caption
