"""Flask-Babel set-up: French by default, English on request, and label helpers."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_translations

from diagnostic.errors import DomainError
from diagnostic.taxonomy import KIND_PLURALS, VOCABULARY_LABELS, enum_label

from .extensions import babel

TRANSLATIONS_KEY = "diagnostic_translations"


def select_locale() -> str:
    """The language chosen with the switcher (``?lang=`` or the session), else French.

    The browser's Accept-Language is deliberately ignored: the tool is French first and a
    projected board must not change language with the laptop it runs on.
    """
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def translations():
    """This request's catalog, looked up once per request and kept in Flask's ``g``.

    Flask-Babel resolves the locale and its catalog at every ``gettext`` call, and a join
    makes dozens of them (docs/PERFORMANCE.md, "Transport optimisations: where they
    live"). Outside a request (CLI commands) every call asks Flask-Babel. A language
    forced inside a request (``flask_babel.force_locale``) is not seen here: such code
    translates with Flask-Babel's own ``gettext``, as ``diagnostic export`` does.
    """
    if not has_request_context():
        return get_translations()
    cached = g.get(TRANSLATIONS_KEY)
    if cached is None:
        cached = get_translations()
        setattr(g, TRANSLATIONS_KEY, cached)
    return cached


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext`` on the request's cached catalog."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def label(value: object) -> str:
    """The translated interface label of an enum member (kind, status, stage...)."""
    text = enum_label(value) or VOCABULARY_LABELS.get(value) or KIND_PLURALS.get(value)
    return gettext(text) if text else str(value)


def plural_label(kind: object) -> str:
    """The translated plural heading of a contribution kind."""
    return gettext(KIND_PLURALS[kind])


def error_message(error: DomainError) -> str:
    """The translated message of a domain error."""
    return gettext(error.message, **error.params)


def field_errors(error: DomainError) -> dict[str, str]:
    """Translated per-field messages of a ValidationError (empty for other errors)."""
    return {field: gettext(msg) for field, msg in getattr(error, "errors", {}).items()}


def init_app(app: Flask) -> None:
    """Install Babel and the template helpers."""
    from . import time_zone
    from .paths import data_folder

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=time_zone.select_time_zone,
        default_translation_directories=str(data_folder("translations")),
    )
    time_zone.init_app(app)
    from flask_babel import get_locale

    app.jinja_env.globals.update(label=label, plural_label=plural_label, get_locale=get_locale)
    # The templates' _() / gettext() / ngettext() on the request's cached catalog too.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
