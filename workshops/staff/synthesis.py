"""The staff synthesis: review duplicate suggestions, then edit the merged items.

Two pages per contribution kind: the duplicate suggestions across workshops (merge the
pair, or reject it for good) and the synthesis editor (the report's items in report
order: edit, rank, mark priorities, assign stakes, merge a selection, detach a source,
undo a group; the synthesis audit log below). Each action posts to one route that calls
one service of :mod:`diagnostic.synthesis.editing`, commits, flashes and comes back to
the same kind and page; a domain error shows the page again with its French message,
nothing changed.
"""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic.errors import DomainError, NotFound, ValidationError
from diagnostic.models import ContributionKind, Diagnostic, SynthesisItem
from diagnostic.reporting.common import short
from diagnostic.synthesis import duplicates, editing

from ..audit_log import synthesis_audit_lines
from ..auth import staff_required
from ..extensions import db
from ..forms import attach_errors
from ..i18n import error_message, field_errors
from .blueprint import bp
from .restitution_rows import restitution_comments_by_item
from .synthesis_forms import ActionForm, MergeForm, PairForm, SynthesisItemForm
from .synthesis_pages import (
    AUDIT_LIMIT,
    PER_PAGE,
    EditorRow,
    page_of,
    paginate,
    parse_kind,
    parse_page,
    suggestion_rows,
)

REPORT_LISTS = {
    ContributionKind.INITIATIVE: "initiatives",
    ContributionKind.NEED: "needs",
    ContributionKind.RECOMMENDATION: "recommendations",
}
PAGES = {"suggestions": "staff.synthesis_suggestions", "editor": "staff.synthesis"}


def _where() -> tuple[ContributionKind, int]:
    """The kind and page number the request is about (from the query string)."""
    return parse_kind(request.args.get("kind")), parse_page(request.args.get("page"))


def _same_workshop() -> bool:
    """Whether the suggestions include pairs of one workshop (``?same=1``)."""
    return request.args.get("same") == "1"


def _unit_arg() -> int:
    """The contribution the "similar items" page is about (``?unit=``), or a 404."""
    value = request.args.get("unit") or ""
    if not value.isdigit():
        abort(404)
    return int(value)


def _back(diagnostic: Diagnostic, origin: str, kind: ContributionKind, number: int,
          anchor: str | None = None):
    """Redirect to the page (suggestions, editor, similar items) an action came from."""
    if origin == "similar":
        return redirect(url_for("staff.synthesis_similar", diagnostic_id=diagnostic.id,
                                contribution_id=_unit_arg()))
    extra = {"same": "1"} if origin == "suggestions" and _same_workshop() else {}
    return redirect(url_for(PAGES[origin], diagnostic_id=diagnostic.id, kind=kind.value,
                            page=number, _anchor=anchor, **extra))


def render_suggestions(diagnostic: Diagnostic, kind: ContributionKind, number: int,
                       status: int = 200):
    """The suggestions page: the pairs of one kind, best first, one page of them.

    The pairs come from this process's index, brought up to date with what changed
    (:func:`diagnostic.synthesis.duplicates.suggestions`); the tabs count the units of
    each kind.
    """
    from diagnostic.synthesis.similarity import describe

    same = _same_workshop()
    total, start, found = duplicates.suggestion_page(
        db.session, diagnostic, kind, same_workshop=same, start=(number - 1) * PER_PAGE,
        limit=PER_PAGE)
    page = page_of(total, start // PER_PAGE + 1)
    page.items = found
    shown = {i for s in page.items for i in (s.first_id, s.second_id)}
    units = duplicates.candidates(db.session, diagnostic, kind, ids=shown)
    titles = {w.id: w.title for w in diagnostic.workshops}
    return render_template(
        "staff/synthesis_suggestions.html", diagnostic=diagnostic, kind=kind,
        kinds=list(ContributionKind), counts=duplicates.unit_counts(db.session, diagnostic),
        page=page, rows=suggestion_rows(page.items, units, titles, describe,
                                        duplicates.group_sizes(db.session, units)),
        same_workshop=same, same_arg={"same": "1"} if same else {},
        merge_args={"from": "suggestions", **({"same": "1"} if same else {})},
        active="synthesis",
    ), status


def _item_form(diagnostic: Diagnostic, kind: ContributionKind, item,
               group: SynthesisItem | None) -> SynthesisItemForm:
    """The edit form of a report item, filled with its group's stored settings."""
    data = {"title": "", "summary": "", "position": "", "priority": False, "stake_id": None}
    if group is not None:
        data = {"title": group.title, "summary": group.summary,
                "position": "" if group.position is None else str(group.position),
                "priority": group.priority, "stake_id": group.stake_id}
    return SynthesisItemForm(diagnostic, kind, formdata=None, prefix=f"edit-{item.id}",
                             data=data)


def render_editor(diagnostic: Diagnostic, kind: ContributionKind, number: int,
                  status: int = 200, submitted: tuple[int, SynthesisItemForm] | None = None):
    """The synthesis editor: one page of the report's items of ``kind``, and the audit log.

    ``submitted`` (contribution id, form) shows a refused edit with its errors.
    """
    from diagnostic.reporting.report_build import compose_report

    report = compose_report(db.session, diagnostic, translate=gettext, with_minutes=False)
    page = paginate(getattr(report, REPORT_LISTS[kind]), number)
    units = {c.id: c for c in duplicates.candidates(db.session, diagnostic, kind)}
    members: dict[int, set[int]] = defaultdict(set)
    for unit in units.values():
        if unit.group is not None:
            members[unit.group].add(unit.id)
    rows = []
    for item in page.items:
        # The report loaded the groups: get() finds them in the session, no query.
        group = db.session.get(SynthesisItem, item.synthesis_id) if item.synthesis_id else None
        own = units.get(item.id)
        form = (submitted[1] if submitted and submitted[0] == item.id
                else _item_form(diagnostic, kind, item, group))
        own_title = (own.name or short(own.text)) if own else item.title
        own_text = own.text if own else item.description
        # Empty fields fall back to the contribution's own texts: the placeholders say so.
        form.title.render_kw = {**form.title.render_kw, "placeholder": own_title}
        form.summary.render_kw = {**form.summary.render_kw, "placeholder": own_text}
        rows.append(EditorRow(
            item=item, group=group, form=form, own_title=own_title, own_text=own_text,
            units=members.get(item.synthesis_id, set()) if item.synthesis_id else set(),
        ))
    counts = {k: len(getattr(report, name)) for k, name in REPORT_LISTS.items()}
    return render_template(
        "staff/synthesis.html", diagnostic=diagnostic, kind=kind, kinds=list(ContributionKind),
        counts=counts, page=page, rows=rows, action_form=ActionForm(),
        stake_titles={s.id: s.title for s in diagnostic.stakes},
        audit=synthesis_audit_lines(db.session, diagnostic,
                                    editing.audit_log(db.session, diagnostic, AUDIT_LIMIT)),
        active="synthesis", item_comments=restitution_comments_by_item(diagnostic, kind, report),
    ), status


def _render(origin: str, diagnostic: Diagnostic, kind: ContributionKind, number: int,
            status: int):
    """Show the page an action came from again (after a refused action)."""
    if origin == "similar":
        from .synthesis_tools import render_similar
        return render_similar(diagnostic, _unit_arg(), status)
    render = render_suggestions if origin == "suggestions" else render_editor
    return render(diagnostic, kind, number, status)


def _refused(origin: str, diagnostic: Diagnostic, kind: ContributionKind, number: int,
             error: DomainError):
    """A refused action: its French message on the same page, nothing changed."""
    db.session.rollback()
    flash(error_message(error), "error")
    status = 404 if isinstance(error, NotFound) else 400 if isinstance(
        error, ValidationError) else 409
    return _render(origin, diagnostic, kind, number, status)


def _origin() -> str:
    """Which page posted the action: ``?from=suggestions``, ``?from=similar`` or the
    editor."""
    origin = request.args.get("from")
    return origin if origin in ("suggestions", "similar") else "editor"


@bp.get("/diagnostics/<int:diagnostic_id>/synthesis/suggestions")
@staff_required
def synthesis_suggestions(diagnostic_id: int):
    """Likely duplicates across workshops, for one kind, with their score and reasons."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    return render_suggestions(diagnostic, *_where())


@bp.get("/diagnostics/<int:diagnostic_id>/synthesis")
@staff_required
def synthesis(diagnostic_id: int):
    """The synthesis editor for one kind, in report order, with the audit log."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    return render_editor(diagnostic, *_where())


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/merge")
@staff_required
def merge_synthesis(diagnostic_id: int):
    """Merge the posted contributions (a suggested pair or the editor's selection)."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind, number = _where()
    origin = _origin()
    form = MergeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        editing.merge(db.session, diagnostic, current_user,
                                form.contribution_ids.data or [])
    except DomainError as exc:
        return _refused(origin, diagnostic, kind, number, exc)
    db.session.commit()
    flash(_("Contributions regroupées : elles forment un seul élément de la synthèse."),
          "success")
    return _back(diagnostic, origin, kind, number)


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/reject")
@staff_required
def reject_suggestion(diagnostic_id: int):
    """Record that a suggested pair is not a duplicate: never proposed again."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind, number = _where()
    form = PairForm()
    if not form.validate_on_submit():
        abort(400)
    origin = "similar" if _origin() == "similar" else "suggestions"
    try:
        editing.reject_pair(db.session, diagnostic, current_user,
                                      form.first_id.data, form.second_id.data)
    except DomainError as exc:
        return _refused(origin, diagnostic, kind, number, exc)
    db.session.commit()
    flash(_("Suggestion écartée : ces deux contributions ne seront plus proposées."), "success")
    return _back(diagnostic, origin, kind, number)


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/items/<int:contribution_id>")
@staff_required
def edit_synthesis_item(diagnostic_id: int, contribution_id: int):
    """Save the title, summary, rank, priority and stake of a synthesis item."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind, number = _where()
    form = SynthesisItemForm(diagnostic, kind, prefix=f"edit-{contribution_id}")
    if not form.validate_on_submit():
        abort(400)
    try:
        editing.update_item(db.session, diagnostic, current_user, contribution_id,
                                      form.service_data())
    except ValidationError as exc:
        db.session.rollback()
        attach_errors(form, field_errors(exc))
        flash(_("Rien n'a été enregistré : corrigez les champs signalés."), "error")
        return render_editor(diagnostic, kind, number, 400, (contribution_id, form))
    except DomainError as exc:
        return _refused("editor", diagnostic, kind, number, exc)
    db.session.commit()
    flash(_("Synthèse enregistrée."), "success")
    return _back(diagnostic, "editor", kind, number, f"item-{contribution_id}")


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/units/<int:contribution_id>/split")
@staff_required
def split_synthesis_unit(diagnostic_id: int, contribution_id: int):
    """Detach one contribution from its group: it stands alone again."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind, number = _where()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.split(db.session, diagnostic, current_user, contribution_id)
    except DomainError as exc:
        return _refused("editor", diagnostic, kind, number, exc)
    db.session.commit()
    flash(_("Contribution détachée : elle forme de nouveau un élément à part."), "success")
    return _back(diagnostic, "editor", kind, number)


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/groups/<int:item_id>/dissolve")
@staff_required
def dissolve_synthesis_group(diagnostic_id: int, item_id: int):
    """Undo a group: each of its contributions stands alone again."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind, number = _where()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        editing.dissolve(db.session, diagnostic, current_user, item_id)
    except DomainError as exc:
        return _refused("editor", diagnostic, kind, number, exc)
    db.session.commit()
    flash(_("Regroupement défait : chaque contribution est de nouveau seule."), "success")
    return _back(diagnostic, "editor", kind, number)
