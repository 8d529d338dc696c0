"""The contribute page's three forms, rendered once per workshop, language and choices.

Every phone that joins a workshop gets the same three forms (initiative, need,
recommendation): the same fields, the same taxonomy options, the same labels. Only the
CSRF token and the three client-generated ids differ from one phone to the next. The
forms are the larger part of the page, and a room of 500 joining within ten seconds
renders the page 500 times, so the rendering is kept, with marks where the token and
the ids go, and each request fills in its own.

The key holds everything the forms show (workshop, open or closed, language, URL prefix,
active kind, labels and every option list, published needs included), so a change of any
of them renders anew: nothing is ever stale. A form shown again with a refused entry is
never cached.

The join page's name form (``join_form``) is kept the same way: a fresh form differs from
one phone to the next by its CSRF token only.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms import SelectChoice

from diagnostic.models import Workshop

TEMPLATE = "participant/_forms.html"
JOIN_TEMPLATE = "participant/_name_form.html"
MAX_ENTRIES = 64
# Random marks (per process): no text a person types can collide with them.
_NONCE = secrets.token_hex(12)
CSRF_MARK = f"csrf-{_NONCE}"

_cache: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def _client_mark(kind: str) -> str:
    """The mark standing for the client id of ``kind``'s form."""
    return f"client-{kind}-{_NONCE}"


def contribute_forms(
    workshop: Workshop,
    *,
    kinds: list[str],
    kind_labels: dict[str, str],
    choices: dict[str, list[tuple[str, str]]],
    active_kind: str,
    values: dict[str, Any],
    errors: dict[str, str],
    client_ids: dict[str, str],
) -> Markup:
    """The forms' HTML for this request (its CSRF token and client ids)."""
    context = {"workshop": workshop, "kinds": kinds, "kind_labels": kind_labels,
               "choices": choices, "active_kind": active_kind, "values": values,
               "errors": errors}
    if values or errors:  # a refused entry shown again: this request's own rendering
        return Markup(render_template(TEMPLATE, csrf=generate_csrf(), client_ids=client_ids,
                                      **context))
    key = (workshop.id, workshop.join_code, workshop.is_open, str(get_locale()),
           request.script_root, active_kind, tuple(kinds), tuple(sorted(kind_labels.items())),
           tuple((name, tuple(options)) for name, options in sorted(choices.items())))
    html = _kept(key, lambda: render_template(
        TEMPLATE, csrf=CSRF_MARK, client_ids={kind: _client_mark(kind) for kind in kinds},
        **context))
    html = html.replace(CSRF_MARK, generate_csrf())
    for kind in kinds:
        html = html.replace(_client_mark(kind), client_ids[kind])
    return Markup(html)


def join_form(workshop: Workshop, form: FlaskForm | None, choices: list[SelectChoice],
              fresh: Callable[[], FlaskForm]) -> Markup:
    """The join page's name form for this request with the actor type ``choices``:
    ``form`` (a ParticipantForm) as submitted, or a fresh one (None) from the kept
    rendering; ``fresh()`` builds one to render when it is not kept yet."""
    if form is not None and form.is_submitted():  # what was typed, and the errors
        form.actor_type_id.choices = choices
        return Markup(render_template(JOIN_TEMPLATE, form=form, workshop=workshop))

    def render() -> str:
        shown = form or fresh()
        shown.actor_type_id.choices = choices
        return render_template(JOIN_TEMPLATE, form=shown, workshop=workshop)

    protected = current_app.config.get("WTF_CSRF_ENABLED", True)  # as FlaskForm's meta
    key = ("join", workshop.join_code, workshop.anonymous, str(get_locale()),
           request.script_root, tuple((str(c.value), str(c.label)) for c in choices),
           protected)
    if not protected:
        return Markup(_kept(key, render))
    token = generate_csrf()  # the form's own value
    html = _kept(key, lambda: render().replace(token, CSRF_MARK))
    return Markup(html.replace(CSRF_MARK, token))


def _kept(key: tuple, render: Callable[[], str]) -> str:
    """The rendering kept under ``key``, or ``render()`` kept now (the last MAX_ENTRIES)."""
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
            return html
    html = render()
    with _lock:
        _cache[key] = html
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return html
