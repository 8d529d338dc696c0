"""Error pages in the interface's language, styled like the rest, the status kept.

Werkzeug's own pages are bare English HTML; a participant on a phone or a facilitator in
front of a room must read what happened and where to go. A refusal by a rate limit has its
own page (``limits.too_many_requests``); every other HTTP error comes here, and an
unexpected exception becomes the 500 page after the unit of work is rolled back. A
script that asks for JSON (``Accept: application/json``, the affinity board's) gets the
same message as ``{"ok": false, "error": ...}`` with the status.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from diagnostic.errors import N_

from .extensions import db
from .i18n import gettext as _

PAGES = {
    400: (N_("Requête invalide"),
          N_("La demande n'a pas pu être comprise. Revenez à la page précédente et réessayez.")),
    403: (N_("Accès refusé"), N_("Vous n'avez pas accès à cette page.")),
    404: (N_("Page introuvable"),
          N_("Cette page n'existe pas ou plus. Vérifiez l'adresse, ou repartez de l'accueil.")),
    405: (N_("Action impossible"), N_("Cette action n'est pas possible à cette adresse.")),
    409: (N_("Action impossible pour l'instant"),
          N_("L'état de la page a changé entre-temps. Rechargez-la et recommencez.")),
    413: (N_("Envoi trop volumineux"), N_("Ce que vous avez envoyé dépasse la taille acceptée.")),
    500: (N_("Erreur inattendue"),
          N_("Une erreur s'est produite de notre côté. Réessayez dans un instant ; si elle "
             "persiste, prévenez l'équipe qui administre l'outil.")),
}
EXPIRED_FORM = (N_("Formulaire expiré"),
                N_("Ce formulaire a expiré ou vient d'une autre page. Rechargez la page et "
                   "recommencez : rien n'a été enregistré."))


def wants_json() -> bool:
    """Whether the request prefers JSON to a page (a script's ``fetch``)."""
    return request.accept_mimetypes.best == "application/json"


def error_page(error: HTTPException):
    """The page of an HTTP error (a generic one for a status without its own text)."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()  # the page reads the session (the logged-in user)
    title, message = (EXPIRED_FORM if isinstance(error, CSRFError)
                      else PAGES.get(code) or PAGES[500 if code >= 500 else 400])
    response = error.get_response()  # keeps the status and headers such as Allow
    if wants_json():
        body = jsonify(ok=False, error=_(message))
        response.set_data(body.get_data())
        response.mimetype = "application/json"
        return response
    page = render_template("errors/error.html", title=_(title), message=_(message), code=code)
    response.set_data(page)
    response.mimetype = "text/html"
    return response


def init_app(app: Flask) -> None:
    """Render every HTTP error, and unexpected exceptions (500), with :func:`error_page`."""
    app.register_error_handler(HTTPException, error_page)
    app.register_error_handler(InternalServerError, error_page)
