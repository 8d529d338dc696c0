"""The facilitator console of a workshop: phases, timer, moderation, merge, scribe entry.

``GET /facilitate/<id>`` for staff and the workshop's facilitators (403 otherwise).
The page is driven by ``static/js/console.js`` over the ``/live`` socket in the
facilitator role (events in ``workshops/live/namespace.py``).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from diagnostic.frame.archiving import is_read_only
from diagnostic.live import lifecycle
from diagnostic.live.serialize import serialize_workshop
from diagnostic.models import (
    ContributionKind,
    Horizon,
    Phase,
    Stage,
    Urgency,
    Vocabulary,
    Workshop,
    WorkshopStatus,
)
from diagnostic.taxonomy import PHASE_PROMPTS

from .extensions import db
from .i18n import label
from .lifecycle_pages import done_message, status_change
from .live.binding import ROLE_FACILITATOR
from .live.pages import live_labels, live_module_links, per_catalog
from .live.rooms import NAMESPACE

bp = Blueprint("facilitate", __name__, url_prefix="/facilitate")


def _choices(workshop: Workshop) -> dict[str, list[tuple[str, str]]]:
    """Options of the scribe form's selects (the diagnostic's taxonomies and stakes)."""
    diagnostic = workshop.diagnostic

    def terms(vocabulary: Vocabulary) -> list[tuple[str, str]]:
        return [(str(t.id), t.label) for t in diagnostic.terms_of(vocabulary)]

    return {
        "ess_family_id": terms(Vocabulary.ESS_FAMILY),
        "activity_sector_id": terms(Vocabulary.ACTIVITY_SECTOR),
        "actor_type_id": terms(Vocabulary.ACTOR_TYPE),
        "need_category_id": terms(Vocabulary.NEED_CATEGORY),
        "responsible_party_id": terms(Vocabulary.RESPONSIBLE_PARTY),
        "stake_id": [(str(s.id), s.title) for s in diagnostic.stakes],
        "stage": [(m.value, label(m)) for m in Stage],
        "urgency": [(m.value, label(m)) for m in Urgency],
        "horizon": [(m.value, label(m)) for m in Horizon],
    }


def _minutes_url(workshop: Workshop) -> str | None:
    """The staff minutes page of the workshop, when that page is installed."""
    try:
        return url_for("staff.minutes", workshop_id=workshop.id)
    except BuildError:
        return None


def _strings() -> dict[str, object]:
    """Messages console.js shows, translated by the server."""
    return {
        "connected": _("Connecté·e au serveur"),
        "workshop_status": {status.value: label(status) for status in WorkshopStatus},
        "lifecycle_done": {action: done_message(action) for action in lifecycle.ACTIONS},
        "offline": _("Connexion perdue, reconnexion en cours…"),
        "author_prefix": _("par"),
        "scribe_prefix": _("saisie par l'animation pour"),
        "scribe_anonymous": _("saisie par l'animation"),
        "paper_entry": _("saisie papier"),
        "timeout": _("Le serveur ne répond pas. Vérifiez la connexion et réessayez."),
        "done": _("C'est fait."),
        "no_timer": _("Pas de minuteur"),
        "status": {"published": _("Publiée"), "pending": _("En attente"), "hidden": _("Masquée"),
                   "refused": _("Non retenue")},
        "item_number": _("n° %(id)s"),
        "merged_into": _("Fusionnée dans n° %(id)s"),
        "merged_sources": _("Regroupe :"),
        "supports": _("Soutiens : %(n)s · gommettes : %(d)s"),
        "actions": {
            "approve": _("Valider"), "reject": _("Refuser"), "hide": _("Masquer"),
            "restore": _("Rétablir"), "edit": _("Reformuler"), "split": _("Scinder"),
            "merge": _("Fusionner dans…"), "unmerge": _("Défusionner"),
            "save": _("Enregistrer"), "cancel": _("Annuler"),
            "reject_confirm": _("Refuser la contribution"),
        },
        "edit_name": _("Nom"),
        "edit_description": _("Description"),
        "split_first": _("Partie 1 (reste dans cette contribution)"),
        "split_second": _("Partie 2 (nouvelle contribution)"),
        "merge_target": _("Fusionner dans la contribution"),
        "merge_none": _("Aucune autre contribution du même type."),
        "pending_empty": _("Aucune contribution en attente."),
        "reject_reason": _("Motif, dit à son auteur·e (facultatif)"),
        "refusal_reason": _("Motif : %(reason)s"),
        # An item's action named for the item ("Masquer « Épicerie solidaire »").
        "action_named": _("%(action)s « %(title)s »"),
        # The inline editors' character counters (the same words as templates/_counter.html).
        "counter": {
            "template": _("%(count)s / %(max)s caractères", count="{count}", max="{max}"),
            "over": _("%(excess)s de trop", excess="{excess}"),
            "near": _("Plus que %(remaining)s caractères", remaining="{remaining}"),
        },
    }


@bp.get("/<int:workshop_id>")
@login_required
def console(workshop_id: int):
    """The console: phase buttons, timer, settings, pending queue, items, scribe form."""
    workshop = db.get_or_404(Workshop, workshop_id)
    if not workshop.can_facilitate(current_user):
        abort(403)
    config = {
        "namespace": NAMESPACE,
        "reorder_wait_ms": current_app.config["LIVE_CLIENT_REORDER_WAIT_MS"],
        "workshop_id": workshop.id,
        "role": ROLE_FACILITATOR,
        "workshop": serialize_workshop(workshop, _),
        "labels": live_labels(),
        "strings": _strings(),
        # Archived: the items are listed without their moderation actions.
        "read_only": is_read_only(workshop),
        **phase_texts(),
    }
    return render_template(
        "facilitate/console.html", workshop=workshop, config=config,
        phases=[(p.value, label(p)) for p in Phase if p != Phase.CLOSED],  # "Clore l'atelier"
        kinds=[k.value for k in ContributionKind],
        choices=_choices(workshop), minutes_url=_minutes_url(workshop),
    )


@bp.post("/<int:workshop_id>/<any(open, close, reopen):action>")
@login_required
def change_status(workshop_id: int, action: str):
    """The console's HTTP fallback to open, close (confirmed) or reopen its workshop: the
    same service as the socket events (``open_workshop``, ``close_workshop``…)."""
    workshop = db.get_or_404(Workshop, workshop_id)
    if not workshop.can_facilitate(current_user):
        abort(403)
    return status_change(workshop, action,
                         url_for("facilitate.console", workshop_id=workshop.id))


@bp.app_template_global()
def phase_info(workshop: Workshop) -> dict:
    """The workshop as the phase panel of the phone and board templates shows it."""
    return serialize_workshop(workshop, _)


bp.add_app_template_global(live_module_links)


@bp.app_template_global()
@per_catalog
def phase_texts() -> dict[str, dict[str, str]]:
    """Every phase's label and prompt in the page's language (``phases``, ``prompts``): the
    live scripts show these rather than the room event's, which has one language for all;
    ``statuses``: what replaces the phase in preparation and once closed."""
    return {
        "phases": {phase.value: label(phase) for phase in Phase},
        "prompts": {phase.value: _(PHASE_PROMPTS[phase]) for phase in Phase},
        # What phones and the board show instead of a phase when the workshop is not open.
        "statuses": {
            "draft": {"caption": _("État de l'atelier :"), "label": _("En préparation"),
                      "prompt": _("L'atelier n'a pas encore commencé : l'animation "
                                  "l'ouvrira bientôt.")},
            "closed": {"caption": _("État de l'atelier :"), "label": _("Atelier clos"),
                       "prompt": _(PHASE_PROMPTS[Phase.CLOSED])},
        },
    }
