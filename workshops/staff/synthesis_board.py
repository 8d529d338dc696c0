"""The affinity board: the needs (or recommendations) of a diagnostic as cards in stake
columns, where staff group duplicates and sort them under the stakes.

A card dropped on another card posts to :func:`group_board_cards`, on a column to
:func:`move_board_card` (``static/js/affinity-board.js``, with the mouse or the keyboard);
each card's "Actions" forms post the same without JavaScript. Each route calls one
service of :mod:`diagnostic.synthesis.editing` (audited), commits once, and answers JSON
(``{"ok": true, "message": ...}``) to a script that asks for it, or comes back to the
board; a refused action changes nothing and says why (JSON ``{"ok": false, "error":
...}`` with its status, or the board again with the message). The filters (a workshop,
words) are a GET form the script also applies live.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from diagnostic.errors import DomainError, NotFound, ValidationError
from diagnostic.models import ContributionKind, Diagnostic
from diagnostic.synthesis import editing
from diagnostic.synthesis.board import build_board, filter_board

from ..audit_log import synthesis_audit_lines
from ..auth import staff_required
from ..error_pages import wants_json
from ..extensions import db
from ..i18n import error_message
from .blueprint import bp
from .synthesis_forms import BoardGroupForm, BoardMoveForm
from .synthesis_pages import AUDIT_LIMIT

KINDS = editing.STAKED
MAX_KEYWORD = 200


def _kind() -> ContributionKind:
    """The ``kind`` query argument (needs by default); initiatives have no board (404)."""
    try:
        kind = ContributionKind(request.args.get("kind") or ContributionKind.NEED.value)
    except ValueError:
        abort(404)
    if kind not in KINDS:
        abort(404)
    return kind


def _filters() -> dict[str, str]:
    """The board's filters from the query string, as given (unknown ones dropped)."""
    workshop = request.args.get("workshop", "")
    keyword = " ".join(request.args.get("q", "").split())[:MAX_KEYWORD]
    return {"workshop": workshop if workshop.isdigit() else "", "q": keyword}


def _board_url(diagnostic: Diagnostic, kind: ContributionKind, anchor: str | None = None,
               endpoint: str = "staff.synthesis_board") -> str:
    """A URL of the board (or one of its actions) keeping the kind and the filters."""
    filters = {k: v for k, v in _filters().items() if v}
    return url_for(endpoint, diagnostic_id=diagnostic.id, kind=kind.value, _anchor=anchor,
                   **filters)


def render_board(diagnostic: Diagnostic, kind: ContributionKind, status: int = 200):
    """The board of ``kind`` with the filters of the query string, and the latest log."""
    boards = {k: build_board(db.session, diagnostic, k, _("Sans enjeu")) for k in KINDS}
    filters = _filters()
    workshop_id = int(filters["workshop"]) if filters["workshop"] else None
    board = filter_board(boards[kind], workshop_id, filters["q"])
    return render_template(
        "staff/synthesis_board.html", diagnostic=diagnostic, kind=kind, kinds=list(KINDS),
        counts={k: len(b.cards) for k, b in boards.items()}, board=board,
        total=len(boards[kind].cards), filters=filters, filtered=any(filters.values()),
        group_url=_board_url(diagnostic, kind, endpoint="staff.group_board_cards"),
        move_url=_board_url(diagnostic, kind, endpoint="staff.move_board_card"),
        audit=synthesis_audit_lines(db.session, diagnostic,
                                    editing.audit_log(db.session, diagnostic, AUDIT_LIMIT)),
        active="synthesis",
    ), status


def _done(diagnostic: Diagnostic, kind: ContributionKind, contribution_id: int,
          message: str):
    """A saved action: JSON for the script, else back to the board at the card."""
    if wants_json():
        return jsonify(ok=True, message=message, contribution_id=contribution_id)
    flash(message, "success")
    return redirect(_board_url(diagnostic, kind, f"unit-{contribution_id}"))


def _refused(diagnostic: Diagnostic, kind: ContributionKind, error: DomainError):
    """A refused action: nothing changed, its French message as JSON or on the board."""
    db.session.rollback()
    message = error_message(error)
    status = 404 if isinstance(error, NotFound) else 400 if isinstance(
        error, ValidationError) else 409
    if wants_json():
        return jsonify(ok=False, error=message), status
    flash(message, "error")
    return render_board(diagnostic, kind, status)


@bp.get("/diagnostics/<int:diagnostic_id>/synthesis/board")
@staff_required
def synthesis_board(diagnostic_id: int):
    """The affinity board of the needs (or recommendations) of a diagnostic."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    return render_board(diagnostic, _kind())


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/board/group")
@staff_required
def group_board_cards(diagnostic_id: int):
    """A card dropped on another: their contributions (and groups) become one item."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind = _kind()
    form = BoardGroupForm()
    if not form.validate_on_submit():
        abort(400)
    source = form.contribution_id.data
    try:
        editing.merge(db.session, diagnostic, current_user, [source, form.target_id.data])
    except DomainError as exc:
        return _refused(diagnostic, kind, exc)
    db.session.commit()
    return _done(diagnostic, kind, source,
                 _("Cartes regroupées : elles forment un seul élément de la synthèse."))


@bp.post("/diagnostics/<int:diagnostic_id>/synthesis/board/move")
@staff_required
def move_board_card(diagnostic_id: int):
    """A card dropped on a column: its item goes under that stake (or none)."""
    diagnostic = db.get_or_404(Diagnostic, diagnostic_id)
    kind = _kind()
    form = BoardMoveForm()
    if not form.validate_on_submit():
        abort(400)
    source, stake_id = form.contribution_id.data, form.stake_id.data
    try:
        editing.move(db.session, diagnostic, current_user, source, stake_id)
    except DomainError as exc:
        return _refused(diagnostic, kind, exc)
    db.session.commit()
    title = next((s.title for s in diagnostic.stakes if s.id == stake_id), _("Sans enjeu"))
    return _done(diagnostic, kind, source,
                 _("Carte déplacée dans la colonne « %(column)s ».", column=title))
