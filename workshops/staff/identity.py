"""The report's identity on the settings page ("Publication du rapport") and its logo.

The form posts a logo (multipart): it may be larger than ``MAX_CONTENT_LENGTH``, so the
route accepts bodies up to the larger of ``IMPORT_MAX_BYTES`` and
``REPORT_LOGO_MAX_BYTES`` (plus the multipart envelope) and the service refuses a logo
past ``REPORT_LOGO_MAX_BYTES`` with a French message on the form. As for the archive
import, the global CSRF check would read the body under the smaller limit first: the
view is exempt from it and the form, a FlaskForm, checks its token itself.

The current logo is served to staff only, with its stored type, ``nosniff`` and a policy
under which an SVG can run nothing and fetch nothing.
"""

from __future__ import annotations

import re

from flask import abort, current_app, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from diagnostic.errors import DomainError, ValidationError
from diagnostic.frame import identity
from diagnostic.models import Diagnostic

from ..auth import staff_required
from ..extensions import csrf, db
from ..forms import ReportIdentityForm, attach_errors, identity_form
from ..i18n import gettext
from ..transport.limits import LARGER_BODIES
from .blueprint import bp
from .settings import _refused, render_page

UPLOAD_OVERHEAD = 64 * 1024
IDENTITY_RULE = "/diagnostics/<int:diagnostic_id>/identity"
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def upload_limit(config) -> int:
    """The largest body the identity form accepts (a too large logo still arrives, to be
    refused with a message)."""
    return max(config["IMPORT_MAX_BYTES"], config["REPORT_LOGO_MAX_BYTES"]) + UPLOAD_OVERHEAD


@bp.record_once
def _accept_logo_uploads(state) -> None:
    """Let the transport's body check (transport/limits.py) pass a logo upload."""
    path = re.compile(re.escape(state.url_prefix or "") + r"/diagnostics/\d+/identity")
    state.app.extensions.setdefault(LARGER_BODIES, {})[path] = upload_limit(state.app.config)


def _too_large_message() -> str:
    return gettext(identity.TOO_LARGE,
                   kilobytes=current_app.config["REPORT_LOGO_MAX_BYTES"] // 1024)


def _page(diagnostic: Diagnostic, form: ReportIdentityForm, status: int):
    return render_page(diagnostic, "settings", status, ("identity", form))


@bp.post(IDENTITY_RULE)
@csrf.exempt  # the form checks its own token, once the larger body limit below is set
@staff_required
def update_identity(diagnostic_id: int):
    """Set the report's identity (authority, subtitle, logo, status, dates, file names)."""
    request.max_content_length = upload_limit(current_app.config)
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    try:
        form = ReportIdentityForm(prefix="identity")
    except RequestEntityTooLarge:
        form = identity_form(diagnostic)
        form.logo.errors = [_too_large_message()]
        return _page(diagnostic, form, 413)
    if not form.validate_on_submit():
        token = getattr(form, "csrf_token", None)  # absent when CSRF is off (tests)
        if token is not None and token.errors:  # said above the form, as the error page would
            from ..error_pages import EXPIRED_FORM

            form.form_errors.append(gettext(EXPIRED_FORM[1]))
        return _page(diagnostic, form, 400)
    upload = form.logo.data
    logo = None
    if upload is not None and getattr(upload, "filename", None):
        limit = current_app.config["REPORT_LOGO_MAX_BYTES"]
        logo = upload.stream.read(limit + 1)  # one byte past the limit is enough to refuse
    try:
        identity.set_identity(
            db.session, diagnostic,
            authority=form.authority.data or "", subtitle=form.subtitle.data or "",
            status=form.status.data, validated_on=form.validated_on.data,
            version_date=form.version_date.data, download_stem=form.download_stem.data,
            logo=logo, remove_logo=bool(form.remove_logo.data),
            max_logo_bytes=current_app.config["REPORT_LOGO_MAX_BYTES"],
        )
    except ValidationError as exc:
        db.session.rollback()
        errors = {name: gettext(message) for name, message in exc.errors.items()}
        if isinstance(exc, identity.LogoRefused):
            errors["logo"] = gettext(exc.errors["logo"], **exc.params)
        attach_errors(form, errors)
        return _page(diagnostic, form, 400)
    except DomainError as exc:  # an archived diagnostic: read-only
        return _refused(diagnostic, "settings", exc)
    db.session.commit()
    flash(_("Publication du rapport enregistrée."), "success")
    return redirect(url_for("staff.settings", diagnostic_id=diagnostic.id,
                            _anchor="publication"))


@bp.get("/diagnostics/<int:diagnostic_id>/logo")
@staff_required
def report_logo(diagnostic_id: int):
    """The current logo, as stored, unable to run or fetch anything."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    if not diagnostic.report_logo or diagnostic.report_logo_type not in (identity.PNG,
                                                                          identity.SVG):
        abort(404)
    response = make_response(diagnostic.report_logo)
    response.headers["Content-Type"] = diagnostic.report_logo_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    response.headers["Cache-Control"] = "private, no-cache"
    return response
