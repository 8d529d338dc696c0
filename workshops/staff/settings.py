"""A diagnostic's frame: stakes, territorial sectors, themes (settings page) and taxonomies.

The four kinds of item share one set of routes (add, edit, move, delete); ``COLLECTIONS``
says which model, form, services and page each uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from diagnostic.errors import DomainError, ValidationError
from diagnostic.frame import editing
from diagnostic.models import Diagnostic, Sector, Stake, Term, Theme, Vocabulary
from diagnostic.privacy.notice import current_notice, dpo_missing, notice_history

from ..auth import staff_required
from ..extensions import db
from ..forms import (
    MoveForm,
    SectorForm,
    StakeForm,
    TermForm,
    ThemeForm,
    attach_errors,
    identity_form,
)
from ..i18n import error_message, field_errors
from ..privacy_forms import notice_form
from .blueprint import bp


@dataclass(frozen=True)
class Collection:
    """How one kind of frame item is stored, edited and shown."""

    model: type
    form: type[FlaskForm]
    fields: tuple[str, ...]
    page: str
    add: Callable
    update: Callable
    delete: Callable


COLLECTIONS: dict[str, Collection] = {
    "stakes": Collection(Stake, StakeForm, ("title",), "settings",
                         editing.add_stake, editing.update_stake, editing.delete_stake),
    "sectors": Collection(Sector, SectorForm, ("name", "communes"), "settings",
                          editing.add_sector, editing.update_sector, editing.delete_sector),
    "themes": Collection(Theme, ThemeForm, ("name", "description"), "settings",
                         editing.add_theme, editing.update_theme, editing.delete_theme),
    "terms": Collection(Term, TermForm, ("label",), "taxonomies",
                        editing.add_term, editing.rename_term, editing.delete_term),
}
SETTINGS = ("stakes", "sectors", "themes")


def _page_forms(diagnostic: Diagnostic, page: str) -> dict[str, FlaskForm]:
    """One unbound form per item of the page, plus one "new" form per list."""
    forms: dict[str, FlaskForm] = {}
    if page == "settings":
        forms["identity"] = identity_form(diagnostic)
        forms["privacy"] = notice_form(current_notice(db.session, diagnostic))
        for name in SETTINGS:
            spec = COLLECTIONS[name]
            forms[f"new-{name}"] = spec.form(formdata=None, prefix=f"new-{name}")
            for item in getattr(diagnostic, name):
                forms[f"{name}-{item.id}"] = spec.form(
                    formdata=None, obj=item, prefix=f"{name}-{item.id}"
                )
    else:
        for vocabulary in Vocabulary:
            forms[f"new-{vocabulary.value}"] = TermForm(formdata=None, prefix=f"new-{vocabulary}")
        for term in diagnostic.terms:
            forms[f"terms-{term.id}"] = TermForm(formdata=None, obj=term, prefix=f"terms-{term.id}")
    return forms


def render_page(diagnostic: Diagnostic, page: str, status: int = 200,
                submitted: tuple[str, FlaskForm] | None = None):
    """The settings or taxonomies page; ``submitted`` replaces one form to show its errors."""
    forms = _page_forms(diagnostic, page)
    if submitted:
        forms[submitted[0]] = submitted[1]
    extra = {}
    if page == "settings":
        from diagnostic.frame.identity import file_stem, report_filename, today_in

        notice = current_notice(db.session, diagnostic)
        extra = {"stem": file_stem(diagnostic), "today": today_in(diagnostic),
                 "example_name": report_filename(diagnostic, "pdf"),
                 "notice": notice, "dpo_missing": dpo_missing(notice),
                 "notice_history": notice_history(db.session, diagnostic)}
    return render_template(
        f"staff/{page}.html", diagnostic=diagnostic, forms=forms, active=page,
        vocabularies=list(Vocabulary), **extra,
    ), status


def _back(diagnostic: Diagnostic, page: str, anchor: str):
    """Redirect to the page holding the list just changed."""
    return redirect(url_for(f"staff.{page}", diagnostic_id=diagnostic.id, _anchor=anchor))


def _refused(diagnostic: Diagnostic, page: str, error: DomainError):
    """A refused change (an item in use, an archived diagnostic): its French message on
    the page, nothing changed."""
    db.session.rollback()
    flash(error_message(error), "error")
    return render_page(diagnostic, page, 409)


def _anchor(item: object) -> str:
    """The id of the section listing ``item``."""
    return item.vocabulary.value if isinstance(item, Term) else f"{item.__tablename__}s"


@bp.get("/diagnostics/<int:diagnostic_id>/settings")
@staff_required
def settings(diagnostic_id: int):
    """Stakes, territorial sectors and themes of a diagnostic."""
    return render_page(db.get_or_404(Diagnostic, diagnostic_id), "settings")


@bp.get("/diagnostics/<int:diagnostic_id>/taxonomies")
@staff_required
def taxonomies(diagnostic_id: int):
    """The editable vocabularies of a diagnostic (ESS families, need categories...)."""
    return render_page(db.get_or_404(Diagnostic, diagnostic_id), "taxonomies")


@bp.post("/diagnostics/<int:diagnostic_id>/<any(stakes, sectors, themes):name>")
@bp.post("/diagnostics/<int:diagnostic_id>/terms/<vocabulary>", defaults={"name": "terms"})
@staff_required
def add_item(diagnostic_id: int, name: str, vocabulary: str | None = None):
    """Append a stake, sector, theme or taxonomy term."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    spec = COLLECTIONS[name]
    if vocabulary is not None and vocabulary not in {v.value for v in Vocabulary}:
        abort(404)
    prefix = f"new-{vocabulary or name}"
    form = spec.form(prefix=prefix)
    if form.validate_on_submit():
        values = {field: form[field].data or "" for field in spec.fields}
        extra = (vocabulary,) if vocabulary else ()
        try:
            item = spec.add(db.session, diagnostic, *extra, **values)
        except ValidationError as exc:
            attach_errors(form, field_errors(exc))
        except DomainError as exc:  # an archived diagnostic: read-only
            return _refused(diagnostic, spec.page, exc)
        else:
            db.session.commit()
            flash(_("Élément ajouté."), "success")
            return _back(diagnostic, spec.page, _anchor(item))
    return render_page(diagnostic, spec.page, 400, (prefix, form))


@bp.post("/<any(stakes, sectors, themes, terms):name>/<int:item_id>")
@staff_required
def edit_item(name: str, item_id: int):
    """Rename a stake, sector, theme or term (always allowed)."""
    spec = COLLECTIONS[name]
    item = db.get_or_404(spec.model, item_id)
    prefix = f"{name}-{item.id}"
    form = spec.form(prefix=prefix)
    if form.validate_on_submit():
        try:
            spec.update(db.session, item, **{f: form[f].data or "" for f in spec.fields})
        except ValidationError as exc:
            attach_errors(form, field_errors(exc))
        except DomainError as exc:  # an archived diagnostic: read-only
            return _refused(item.diagnostic, spec.page, exc)
        else:
            db.session.commit()
            flash(_("Modification enregistrée."), "success")
            return _back(item.diagnostic, spec.page, _anchor(item))
    return render_page(item.diagnostic, spec.page, 400, (prefix, form))


@bp.post("/<any(stakes, sectors, themes, terms):name>/<int:item_id>/move")
@staff_required
def move_item(name: str, item_id: int):
    """Move an item one place up or down in its list."""
    spec = COLLECTIONS[name]
    item = db.get_or_404(spec.model, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Déplacement invalide."), "error")
        return render_page(item.diagnostic, spec.page, 400)
    try:
        editing.move_item(db.session, item, form.step)
    except DomainError as exc:  # an archived diagnostic: read-only
        return _refused(item.diagnostic, spec.page, exc)
    db.session.commit()
    return _back(item.diagnostic, spec.page, _anchor(item))


@bp.post("/<any(stakes, sectors, themes, terms):name>/<int:item_id>/delete")
@staff_required
def delete_item(name: str, item_id: int):
    """Delete an item, unless a workshop, contribution or participant still uses it."""
    spec = COLLECTIONS[name]
    item = db.get_or_404(spec.model, item_id)
    diagnostic, anchor = item.diagnostic, _anchor(item)
    try:
        spec.delete(db.session, item)
    except DomainError as exc:
        return _refused(diagnostic, spec.page, exc)
    db.session.commit()
    flash(_("Élément supprimé."), "success")
    return _back(diagnostic, spec.page, anchor)
