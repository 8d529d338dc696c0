"""The public restitution page of a diagnostic: ``/restitution/<token>``, no login.

It shows the draft report (without any personal data: :func:`impersonal_report`), the
minutes of every closed workshop, and under each need and recommendation (and the report
as a whole) the approved comments and a form. It works without JavaScript: plain POST
forms, then a redirect (PRG). An unknown or unpublished token is a 404. In "participant"
mode only a browser holding the token of a participant of one of the diagnostic's
workshops (the join session) may comment. Comments are limited per address.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from markupsafe import Markup

from diagnostic.errors import N_, DomainError, Forbidden, NotFound, ValidationError
from diagnostic.models import CommentStatus, IdentificationMode, Restitution
from diagnostic.reporting.impersonal import impersonal_report
from diagnostic.reporting.report_build import compose_report
from diagnostic.restitution import comments, publishing

from . import limits
from .extensions import db, only_reading
from .i18n import error_message, field_errors
from .i18n import gettext as _
from .live.binding import PARTICIPANTS_KEY
from .staff.restitution_rows import comment_rows, grouped, item_title

bp = Blueprint("restitution", __name__)

RULE = "RESTITUTION_COMMENTS_PER_ADDRESS"
HEADING_RE = re.compile(r"<(/?)h([1-6])(?=[\s>])")
THANKS = N_("Merci, votre commentaire sera publié après modération.")


@dataclass
class Failed:
    """A refused comment: which form (target id, None: the report), what was typed, why."""

    target: int | None
    text: str
    author_name: str
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""


def demoted(html: str, by: int = 2) -> Markup:
    """A document fragment with its headings ``by`` levels lower (h1 → h3, at most h6), so
    it sits under the page's own h1 and h2 (the fragment is escaped HTML already)."""
    def lower(match: re.Match) -> str:
        return f"<{match.group(1)}h{min(6, int(match.group(2)) + by)}"

    return Markup(HEADING_RE.sub(lower, html))


def _published(token: str) -> Restitution:
    restitution = publishing.by_token(db.session, token)
    if restitution is None:
        abort(404)
    return restitution


def _participant(restitution: Restitution):
    tokens = session.get(PARTICIPANTS_KEY)
    return comments.participant_among(db.session, restitution.diagnostic_id,
                                      tokens if isinstance(tokens, dict) else None)


def _page(restitution: Restitution, failed: Failed | None = None, status: int = 200):
    """The page: report, minutes, items with their approved comments and forms."""
    from exports.html import REPORT_CSS, render_report_fragment
    from exports.minutes_html import MINUTES_CSS, render_minutes_fragment

    diagnostic = restitution.diagnostic
    lang = get_locale().language
    report = impersonal_report(compose_report(db.session, diagnostic, translate=_))
    rows = comment_rows(report, comments.comments_of(db.session, diagnostic.id,
                                                     CommentStatus.APPROVED),
                        diagnostic.time_zone)
    minutes = [(m.workshop, demoted(render_minutes_fragment(m, translate=_, lang=lang), 3))
               for m in report.minutes if m.workshop.is_closed]
    participant_mode = restitution.identification == IdentificationMode.PARTICIPANT
    may_comment = not participant_mode or _participant(restitution) is not None
    return render_template(
        "restitution/page.html", diagnostic=diagnostic, restitution=restitution,
        report=report, fragment=demoted(render_report_fragment(report, translate=_, lang=lang)),
        report_css=Markup(MINUTES_CSS if minutes else REPORT_CSS), minutes=minutes,
        comments=grouped(rows), is_open=publishing.is_open(restitution),
        participant_mode=participant_mode, may_comment=may_comment, failed=failed,
        item_title=item_title, new_client_id=lambda: uuid.uuid4().hex,
        sent=request.args.get("sent"),
    ), status


@bp.get("/restitution/<token>")
def page(token: str):
    """The participant page of a published restitution."""
    only_reading()
    return _page(_published(token))


def _target(value: str | None) -> int | None:
    """The posted item id ("" or absent: the whole report); a malformed one is a 404."""
    if not value:
        return None
    if not value.isdigit() or len(value) > 10:
        abort(404)
    return int(value)


@bp.post("/restitution/<token>/comments")
def comment(token: str):
    """Store a comment (pending moderation), then back to the page (PRG)."""
    restitution = _published(token)
    form = request.form
    target = _target(form.get("target"))
    failed = Failed(target, form.get("text", ""), form.get("author_name", ""))
    address = limits.client_address()
    try:
        limits.require(RULE, address)
        found, created = comments.submit_comment(
            db.session, restitution, text=form.get("text"), client_id=form.get("client_id"),
            target_id=target, participant=_participant(restitution),
            author_name=form.get("author_name"))
        if created:
            limits.count(RULE, address)
        db.session.commit()
    except limits.Limited as limited:
        db.session.rollback()
        failed.message = _("Trop de commentaires envoyés depuis cette connexion : "
                           "réessayez dans quelques minutes.")
        page_, status = _page(restitution, failed, 429)
        return page_, status, {"Retry-After": str(limited.retry_after)}
    except ValidationError as error:
        db.session.rollback()
        failed.errors = field_errors(error)
        failed.message = error_message(error)
        return _page(restitution, failed, 400)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:  # closed, or not a participant
        db.session.rollback()
        failed.message = error_message(error)
        return _page(restitution, failed, 403 if isinstance(error, Forbidden) else 409)
    flash(_(THANKS), "success")
    anchor = f"item-{target}" if target is not None else "report-comments"
    sent = str(target) if target is not None else "report"
    return redirect(url_for("restitution.page", token=restitution.token, sent=sent,
                            _anchor=anchor))
