"""Two tools of the staff synthesis: the "similar items" of a unit, and the thesaurus.

* ``/synthesis/similar/<id>``: the ten nearest units of the same kind from any
  workshop, whatever the suggestion threshold, with their scores and reasons, to find
  what the threshold missed; each can be grouped with it or set aside (the merge and
  reject routes of :mod:`.synthesis`, coming back here).
* ``/synthesis/thesaurus``: the diagnostic's thesaurus as text, one concept per line;
  saving checks every line (French messages by line, nothing stored on an error), and
  the default can be restored. Each save is in the synthesis audit log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic.errors import DomainError
from diagnostic.models import ContributionKind, Diagnostic
from diagnostic.synthesis import duplicates, thesaurus, vocabulary

from ..auth import staff_required
from ..extensions import db
from ..i18n import error_message
from .blueprint import bp
from .synthesis_forms import ActionForm, ThesaurusForm
from .synthesis_pages import similar_rows


def render_similar(diagnostic: Diagnostic, contribution_id: int, status: int = 200):
    """The page of a unit's nearest units (404 when it is not a unit of the diagnostic)."""
    from diagnostic.synthesis.similarity import describe

    try:
        unit, found = duplicates.similar(db.session, diagnostic, contribution_id)
    except DomainError:
        abort(404)
    refused = duplicates.refused_pairs(db.session, diagnostic)
    units = [unit, *(c for c, _score, _reasons in found)]
    titles = {w.id: w.title for w in diagnostic.workshops}
    sizes = duplicates.group_sizes(db.session, units)
    head, rows = similar_rows(unit, found, titles, describe, sizes, refused)
    return render_template(
        "staff/synthesis_similar.html", diagnostic=diagnostic,
        kind=ContributionKind(unit.kind), unit=head, rows=rows, action_form=ActionForm(),
        active="synthesis",
    ), status


@bp.get("/diagnostics/<int:diagnostic_id>/synthesis/similar/<int:contribution_id>")
@staff_required
def synthesis_similar(diagnostic_id: int, contribution_id: int):
    """The ten nearest units of one unit, from any workshop, with scores and reasons."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    return render_similar(diagnostic, contribution_id)


def _render_thesaurus(diagnostic: Diagnostic, form: ThesaurusForm, errors: list[str],
                      status: int = 200):
    current = thesaurus.of_text(diagnostic.thesaurus)
    return render_template(
        "staff/synthesis_thesaurus.html", diagnostic=diagnostic, form=form, errors=errors,
        concepts=current.size, is_default=diagnostic.thesaurus is None,
        active="synthesis",
    ), status


@bp.route("/diagnostics/<int:diagnostic_id>/synthesis/thesaurus", methods=["GET", "POST"])
@staff_required
def synthesis_thesaurus(diagnostic_id: int):
    """Read and edit the thesaurus the duplicate suggestions use."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = ThesaurusForm(data={"text": vocabulary.current_text(diagnostic)}
                         if request.method == "GET" else None)
    if request.method == "GET":
        return _render_thesaurus(diagnostic, form, [])
    if not form.validate_on_submit():
        return _render_thesaurus(diagnostic, form, [], 400)
    try:
        vocabulary.save_thesaurus(db.session, diagnostic, current_user, form.text.data or "")
    except thesaurus.ThesaurusError as exc:
        db.session.rollback()
        lines = [_(message, **params) for message, params in exc.lines]
        flash(_(exc.errors["thesaurus"]), "error")
        return _render_thesaurus(diagnostic, form, lines, 400)
    except DomainError as exc:
        db.session.rollback()
        flash(error_message(exc), "error")
        return _render_thesaurus(diagnostic, form, [], 409)
    db.session.commit()
    flash(_("Thésaurus enregistré : les suggestions en tiennent compte."), "success")
    return redirect(url_for("staff.synthesis_thesaurus", diagnostic_id=diagnostic.id))


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/thesaurus/default")
@staff_required
def reset_synthesis_thesaurus(diagnostic_id: int):
    """Go back to the default thesaurus."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        vocabulary.save_thesaurus(db.session, diagnostic, current_user, None)
    except DomainError as exc:
        db.session.rollback()
        flash(error_message(exc), "error")
        return redirect(url_for("staff.synthesis_thesaurus", diagnostic_id=diagnostic.id))
    db.session.commit()
    flash(_("Thésaurus par défaut rétabli."), "success")
    return redirect(url_for("staff.synthesis_thesaurus", diagnostic_id=diagnostic.id))
