"""All the contributions of a diagnostic, filtered by workshop and kind, paginated."""

from __future__ import annotations

from flask import render_template, request

from diagnostic import queries
from diagnostic.models import Diagnostic

from ..auth import staff_required
from ..extensions import db
from ..forms import ContributionFilterForm
from .blueprint import bp


@bp.get("/diagnostics/<int:diagnostic_id>/contributions")
@staff_required
def contributions(diagnostic_id: int):
    """The contributions table; unknown filter values give 400 and the filter's message."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    form = ContributionFilterForm(diagnostic, formdata=request.args)
    if not form.validate():
        return render_template(
            "staff/contributions.html", diagnostic=diagnostic, form=form, page=None,
            filters={}, active="contributions",
        ), 400
    page = queries.contributions_page(
        db.session, diagnostic, workshop_id=form.workshop_id, kind=form.selected_kind,
        page=form.page_number,
    )
    filters = {name: form[name].data for name in ("workshop", "kind") if form[name].data}
    return render_template(
        "staff/contributions.html", diagnostic=diagnostic, form=form, page=page,
        filters=filters, active="contributions",
    )
