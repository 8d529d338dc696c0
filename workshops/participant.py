"""Participant pages (no account): join by code, choose a name, contribute, see the feed.

Status codes when a workshop cannot be joined: 404 for an unknown code, 409 (Conflict)
for a workshop that exists but is not open (draft or closed); the page always says why.
The contribute page works without JavaScript (forms POST here, same validation as the
socket); ``static/js/participant.js`` upgrades it to the live socket.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from wtforms import SelectChoice

from diagnostic.errors import (
    DomainError,
    Forbidden,
    NotFound,
    ValidationError,
    WorkshopNotOpen,
)
from diagnostic.live import participation, queries
from diagnostic.live.serialize import serialize_contribution
from diagnostic.models import (
    ContributionKind,
    Horizon,
    Participant,
    Stage,
    Urgency,
    Vocabulary,
    Workshop,
)
from diagnostic.privacy.notice import current_notice

from . import participant_limits
from .contribute_forms import contribute_forms, join_form
from .extensions import db, only_reading
from .i18n import error_message, field_errors, label
from .i18n import gettext as _
from .limits import Limited
from .live.acks import Refusal
from .live.binding import PARTICIPANTS_KEY, participant_token
from .live.pages import live_labels, moderation_note, participant_strings, vote_strings
from .live.rooms import NAMESPACE
from .live.state import serialize_mine
from .live.submission import submit
from .participant_forms import JoinCodeForm, ParticipantForm

bp = Blueprint("participant", __name__)

def status_of(error: DomainError) -> int:
    """404 unknown code or item, 403 someone else's item, 409 workshop not open, else 400."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, WorkshopNotOpen):
        return 409
    return 400


def _remember(workshop_id: int, token: str) -> None:
    """Keep the participant's token in this browser's session, per workshop."""
    tokens = dict(session.get(PARTICIPANTS_KEY) or {})
    tokens[str(workshop_id)] = token
    session[PARTICIPANTS_KEY] = tokens
    session.permanent = True  # a phone put to sleep for the lunch break stays joined


def _current_participant(workshop: Workshop) -> Participant | None:
    """The participant this browser joined ``workshop`` as, if any."""
    participant = participation.participant_by_token(db.session, participant_token(workshop.id))
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


def _joined(code: str) -> tuple[Workshop | None, Participant | None]:
    """The workshop of ``code`` (counted as a try if unknown; raises ``Limited``) and the
    participant this browser joined it as, if any, in one query."""
    tokens = session.get(PARTICIPANTS_KEY)
    return participant_limits.workshop_and_participant(
        code, tokens if isinstance(tokens, dict) else None)


def _join_error(error: DomainError, code: str = ""):
    """The join-by-code page again, with the reason and the right status."""
    form = JoinCodeForm(formdata=None, data={"code": code})
    return render_template("participant/join.html", form=form, error=error_message(error)), (
        status_of(error)
    )


def _too_many_codes(limited: Limited, code: str = ""):
    """The join-by-code page, refused: this address tried too many unknown codes (429)."""
    form = JoinCodeForm(formdata=None, data={"code": code})
    message = _("Trop de codes inconnus essayés depuis cette connexion : "
                "réessayez dans quelques minutes.")
    page = render_template("participant/join.html", form=form, error=message)
    return page, 429, {"Retry-After": str(limited.retry_after)}


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Type the code shown in the room; go to that workshop's direct link."""
    form = JoinCodeForm()
    if form.validate_on_submit():
        try:
            workshop = participation.ensure_joinable(
                participant_limits.workshop_by_code(form.code.data), form.code.data)
        except Limited as limited:
            return _too_many_codes(limited, form.code.data)
        except DomainError as error:
            return _join_error(error, form.code.data)
        return redirect(url_for("participant.join_code", code=workshop.join_code))
    status = 400 if form.is_submitted() else 200
    return render_template("participant/join.html", form=form, error=None), status


@bp.route("/j/<code>", methods=["GET", "POST"])
def join_code(code: str):
    """The direct link of a workshop (QR code target): choose a display name and join."""
    if request.method != "POST":
        only_reading()
    try:
        known, joined = _joined(code)
    except Limited as limited:
        return _too_many_codes(limited, code)
    if known is not None and joined is not None:
        return redirect(url_for("participant.contribute", code=known.join_code))
    try:
        workshop = participation.ensure_joinable(known, code)
    except DomainError as error:
        return _join_error(error, code)
    if request.method != "POST":  # a fresh form, kept rendered (join_form): none to build
        return _name_page(workshop), 200
    form = _participant_form(workshop)
    # The actor types are the select's options, read when the form is shown (_name_page):
    # its choice is checked by join_workshop (validate_choice=False), so a join that
    # succeeds does not read them.
    if form.validate_on_submit():
        workshop_id, join_code = workshop.id, workshop.join_code  # the commit expires them
        try:
            participant_limits.require_join(workshop_id)
            named = {} if workshop.anonymous else {
                "display_name": form.display_name.data or "",
                "organisation": form.organisation.data or "",
                "agreed_to_be_named": form.agreed_to_be_named.data,
            }
            participant = participation.join_workshop(
                db.session,
                workshop,
                actor_type_id=form.actor_type_id.data,
                agreed_to_publish_contact=form.agreed_to_publish_contact.data,
                agreed_to_be_contacted=form.agreed_to_be_contacted.data,
                restitution_contact=form.restitution_contact.data or "",
                **named,
            )
        except Limited as limited:  # the form keeps what was typed
            message = _("Trop d'inscriptions depuis cette connexion : "
                        "réessayez dans quelques minutes.")
            page = _name_page(workshop, form, message)
            return page, 429, {"Retry-After": str(limited.retry_after)}
        except ValidationError as error:
            for name, message in field_errors(error).items():
                getattr(form, name).errors = [message]
        except DomainError as error:
            return _join_error(error, code)
        else:
            participant_limits.count_join(workshop_id)
            token = participant.token  # read before the commit expires it (no reload)
            db.session.commit()
            _remember(workshop_id, token)
            return redirect(url_for("participant.contribute", code=join_code))
    status = 400 if form.is_submitted() else 200
    return _name_page(workshop, form), status


def _participant_form(workshop: Workshop) -> ParticipantForm:
    """The join form of ``workshop`` (no name nor organisation in an anonymous one)."""
    form = ParticipantForm()
    if workshop.anonymous:
        form.anonymise()
    return form


def _name_page(workshop: Workshop, form: ParticipantForm | None = None,
               error: str | None = None) -> str:
    """The join form of ``workshop`` (None: a fresh one), after the summary of its privacy
    notice."""
    actor_types = queries.term_choices(
        db.session, workshop.diagnostic_id, Vocabulary.ACTOR_TYPE)[Vocabulary.ACTOR_TYPE]
    choices = [SelectChoice("", _("— Choisir —"))] + [
        SelectChoice(term_id, term_label) for term_id, term_label in actor_types
    ]
    return render_template("participant/name.html", workshop=workshop, error=error,
                           form_html=join_form(workshop, form, choices,
                                               lambda: _participant_form(workshop)),
                           notice=current_notice(db.session, workshop.diagnostic))


@bp.route("/j/<code>/contribute", methods=["GET", "POST"])
def contribute(code: str):
    """The participant's page: a form per kind and the live feed (POST = no-JS fallback)."""
    if request.method != "POST":
        only_reading()
    try:  # an unknown code is a failed try here too: this page must not be an oracle
        workshop, participant = _joined(code)
    except Limited as limited:
        return _too_many_codes(limited, code)
    if workshop is None:
        abort(404)
    if participant is None:
        return redirect(url_for("participant.join_code", code=workshop.join_code))
    if request.method == "GET":
        return _contribute_page(workshop, participant)
    data: dict[str, Any] = request.form.to_dict()
    data["answered_need_ids"] = request.form.getlist("answered_need_ids")
    try:
        participant_limits.require_http_contribution(participant, data)
        contribution, created = submit(participant, data)
        published, withdrawn = contribution.is_published, contribution.withdrawn_at is not None
        if created:
            participant_limits.count_http_contribution()
        db.session.commit()  # the room hears of it now (live.rooms)
    except Limited as limited:  # this address posts too much: the same, per address
        db.session.rollback()
        message = _("Trop de contributions envoyées depuis cette connexion : "
                    "réessayez dans quelques minutes.")
        return (_refused_page(workshop, data, message), 429,
                {"Retry-After": str(limited.retry_after)})
    except Refusal as refusal:  # too fast: nothing stored, the form keeps what was typed
        db.session.rollback()
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else {}
        return _refused_page(workshop, data, refusal.message), 429, headers
    except ValidationError as error:
        db.session.rollback()
        return _refused_page(workshop, data, error_message(error), field_errors(error)), 400
    except DomainError as error:
        db.session.rollback()
        return (_contribute_page(workshop, _current_participant(workshop),
                                 error=error_message(error)), status_of(error))
    if withdrawn:  # a resend of an item withdrawn since
        flash(_("Cette contribution avait déjà été reçue, puis retirée."), "info")
    elif not published:
        flash(_("Merci ! Votre contribution attend la validation de l'animation."), "info")
    elif created:
        flash(_("Merci ! Votre contribution a été ajoutée."), "success")
    else:
        flash(_("Cette contribution avait déjà été reçue."), "info")
    return redirect(url_for("participant.contribute", code=workshop.join_code))


def _refused_page(workshop: Workshop, data: dict[str, Any], error: str,
                  errors: dict[str, str] | None = None):
    """The contribute page again with the refused form as it was typed."""
    kind = data.get("kind") if data.get("kind") in set(ContributionKind) else None
    return _contribute_page(workshop, _current_participant(workshop), kind=kind, values=data,
                            errors=errors or {}, error=error)


def _contribute_page(
    workshop: Workshop,
    participant: Participant | None,
    *,
    kind: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str | None = None,
):
    """Render the contribute page of ``participant`` (None: they are gone, e.g. erased);
    ``kind``/``values``/``errors`` redisplay a refused form."""
    # The feed, the published needs and the participant's own unpublished items: one query.
    published, own = queries.room_and_own(db.session, workshop, participant)
    rows = queries.unmerged(published)
    items = [serialize_contribution(c, _) for c in rows]
    terms, stakes = queries.term_and_stake_choices(db.session, workshop.diagnostic_id)

    def options(rows: list[tuple[int, str]]) -> list[tuple[str, str]]:
        return [(str(value), text) for value, text in rows]

    choices = {
        "ess_family_id": options(terms[Vocabulary.ESS_FAMILY]),
        "activity_sector_id": options(terms[Vocabulary.ACTIVITY_SECTOR]),
        "actor_type_id": options(terms[Vocabulary.ACTOR_TYPE]),
        "need_category_id": options(terms[Vocabulary.NEED_CATEGORY]),
        "responsible_party_id": options(terms[Vocabulary.RESPONSIBLE_PARTY]),
        "stake_id": options(stakes),
        "stage": [(m.value, label(m)) for m in Stage],
        "urgency": [(m.value, label(m)) for m in Urgency],
        "horizon": [(m.value, label(m)) for m in Horizon],
        "answered_need_ids": [
            (str(n.id), _shorten(n.description))
            for n in published if n.kind == ContributionKind.NEED  # queries.published_needs
        ],
    }
    config = {
        "namespace": NAMESPACE,
        "reorder_wait_ms": current_app.config["LIVE_CLIENT_REORDER_WAIT_MS"],
        "workshop_id": workshop.id,
        "role": "participant",
        "status": workshop.status.value,
        "max_payload_bytes": current_app.config["LIVE_MAX_PAYLOAD_BYTES"],
        "labels": live_labels(),
        "strings": participant_strings(),
        "votes": vote_strings(),
    }
    kinds = [k.value for k in ContributionKind]
    forms = contribute_forms(
        workshop,
        kinds=kinds,
        kind_labels=config["labels"]["kind"],
        choices=choices,
        active_kind=kind or ContributionKind.INITIATIVE.value,
        values=values or {},
        errors=errors or {},
        client_ids={k: uuid.uuid4().hex for k in kinds},
    )
    mine = serialize_mine(own)["contributions"]  # state.my_contributions
    # Their own items get a "Retirer" link while the workshop is open (withdraw_pages).
    own_ids = {c.id for c in rows if participant is not None and c.participant_id == participant.id}
    return render_template(
        "participant/contribute.html",
        workshop=workshop,
        moderation_note=moderation_note(workshop.moderation),
        mine=list(reversed(mine)),
        items=list(reversed(items)),
        forms=forms,
        error=error,
        config=config,
        participant=participant,
        own_ids=own_ids,
        withdraw_url=(lambda cid: url_for("withdraw.withdraw_page", code=workshop.join_code,
                                          contribution_id=cid)) if workshop.is_open else None,
    )


def _shorten(text: str, length: int = 90) -> str:
    """A one-line excerpt of a need's description for the multi-select."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
