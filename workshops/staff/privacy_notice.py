"""The privacy notice on the settings page ("Protection des données") and its retention.

Saving stores a new version of the notice only when a text or the retention period
changed (see :func:`diagnostic.privacy.notice.set_notice`); the page lists every version,
when and by whom it was saved.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic.errors import DomainError, ValidationError
from diagnostic.models import Diagnostic
from diagnostic.privacy.notice import set_notice

from ..auth import staff_required
from ..extensions import db
from ..forms import attach_errors
from ..i18n import field_errors
from ..privacy_forms import PrivacyNoticeForm
from .blueprint import bp
from .settings import _refused, render_page


@bp.post("/diagnostics/<int:diagnostic_id>/privacy-notice")
@staff_required
def update_privacy_notice(diagnostic_id: int):
    """Save the notice (a new version when it changed) and the retention period."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = PrivacyNoticeForm(prefix="privacy")
    if form.validate_on_submit():
        try:
            saved = set_notice(db.session, diagnostic, current_user._get_current_object(),
                               **form.service_fields())
        except ValidationError as exc:
            db.session.rollback()
            attach_errors(form, field_errors(exc))
        except DomainError as exc:  # an archived diagnostic: read-only
            return _refused(diagnostic, "settings", exc)
        else:
            db.session.commit()
            flash(_("Notice d'information enregistrée (version %(version)d).",
                    version=saved.notice.version) if saved.created
                  else _("Aucun changement : la notice en vigueur reste la même."),
                  "success" if saved.created else "info")
            return redirect(url_for("staff.settings", diagnostic_id=diagnostic.id,
                                    _anchor="privacy"))
    return render_page(diagnostic, "settings", 400, ("privacy", form))
