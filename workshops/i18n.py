"""Flask-Babel set-up: French by default, English on request, and label helpers."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import gettext

from diagnostic.errors import DomainError
from diagnostic.taxonomy import ENUM_LABELS, KIND_PLURALS, VOCABULARY_LABELS

from .extensions import babel


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


def label(value: object) -> str:
    """The translated interface label of an enum member (kind, status, stage...)."""
    text = ENUM_LABELS.get(value) or VOCABULARY_LABELS.get(value) or KIND_PLURALS.get(value)
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
    from . import ROOT

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )
    from flask_babel import get_locale

    app.jinja_env.globals.update(label=label, plural_label=plural_label, get_locale=get_locale)
