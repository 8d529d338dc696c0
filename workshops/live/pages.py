"""What the live pages give their scripts: labels and messages in the page's language.

The phone (``participant.py``), the board (``board.py``) and the console (``facilitate.py``)
embed these in their page configuration; room events carry the French source labels and
each script shows the page's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request, url_for
from markupsafe import Markup, escape

from diagnostic.models import ContributionKind, Horizon, ModerationMode, Stage, Urgency

from ..i18n import gettext as _
from ..i18n import label, translations

T = TypeVar("T")


def per_catalog(build: Callable[[], T]) -> Callable[[], T]:
    """``build()`` once per catalog (language) in this process: it depends on nothing else.

    Every phone's page embeds these dicts; the result is shared, so callers must not
    change it. The catalog object itself is the key (Flask-Babel keeps one per language
    and process), so a catalog loaded again is translated again.
    """
    built: dict[Any, T] = {}

    @wraps(build)
    def cached() -> T:
        catalog = translations()
        try:
            return built[catalog]
        except KeyError:
            if len(built) > 8:  # catalogs of apps created since (tests)
                built.clear()
            built[catalog] = value = build()
            return value

    return cached


@per_catalog
def live_labels() -> dict[str, dict[str, str]]:
    """Interface labels the scripts need, translated in the page's language."""
    return {
        "kind": {k.value: label(k) for k in ContributionKind},
        "stage": {m.value: label(m) for m in Stage},
        "urgency": {m.value: label(m) for m in Urgency},
        "horizon": {m.value: label(m) for m in Horizon},
    }


def moderation_note(mode: ModerationMode) -> str:
    """What the phone says becomes of a contribution sent now, under this moderation."""
    if mode == ModerationMode.PRE:
        return _("Vos contributions sont relues par l'équipe d'animation avant "
                 "d'apparaître pour toute la salle.")
    return _("Vos contributions apparaissent aussitôt pour toute la salle.")


@per_catalog
def participant_strings() -> dict[str, str]:
    """Messages the participant script shows, translated by the server."""
    return {
        # Whether a contribution appears at once is said by moderation_note(), which
        # follows the workshop's setting.
        "connected": _("En direct"),
        "offline": _("Connexion perdue, reconnexion en cours…"),
        "sending": _("Envoi…"),
        "sent": _("Merci ! Votre contribution a été ajoutée."),
        "sent_pending": _("Envoyée — en attente de validation."),
        "moderation_post": moderation_note(ModerationMode.POST),
        "moderation_pre": moderation_note(ModerationMode.PRE),
        "badge_pending": _("En attente de validation"),
        "badge_refused": _("Non retenue"),
        "refused_notice": _("Votre contribution « %(title)s » n'a pas été retenue.",
                            title="{title}"),
        "refusal_reason": _("Motif : %(reason)s", reason="{reason}"),
        "timeout": _("Le serveur ne répond pas. Vérifiez la connexion et réessayez."),
        "too_big": _("Contribution trop volumineuse : raccourcissez les textes."),
        "queued": _("Enregistrée sur ce téléphone : elle partira dès le retour de la connexion."),
        "pending_one": _("1 contribution en attente d'envoi."),
        "pending_other": _("{n} contributions en attente d'envoi."),
        "closed": _("L'atelier est clos : il ne reçoit plus de contributions."),
        "author_prefix": _("par"),
        "scribe_prefix": _("saisie par l'animation pour"),
        "scribe_anonymous": _("saisie par l'animation"),
        "paper_entry": _("saisie papier"),
        # Withdrawing one's own item (static/js/withdraw.js)
        "withdraw": _("Retirer"),
        "withdraw_named": _("Retirer ma contribution « %(title)s »", title="{title}"),
        "withdraw_question": _("Retirer cette contribution ?"),
        "withdrawn": _("Votre contribution a été retirée : elle n'apparaît plus nulle part."),
    }


@per_catalog
def vote_strings() -> dict[str, str]:
    """Messages of ``static/js/votes.js`` (phones and board), translated by the server."""
    return {
        "support": _("+1"),
        # Each item's buttons are named for their item ({title}: its name or the start of
        # its text) with the counts they show; the visible "+1" starts the name.
        "support_named": _("+1 pour « {title} » — {supports}"),
        "own_named": _("+1 impossible sur votre contribution « {title} » — {supports}"),
        "supports_zero": _("aucun soutien"),
        "supports_one": _("1 soutien"),
        "supports_other": _("{n} soutiens"),
        "dots_one": _("1 gommette"),
        "dots_other": _("{n} gommettes"),
        "my_dots": _("Vos gommettes"),
        "my_dots_named": _("Vos gommettes pour « {title} »"),
        "add_dot_named": _("Ajouter une gommette à « {title} » ({mine} sur {max})"),
        "remove_dot_named": _("Retirer une gommette de « {title} » ({mine} sur {max})"),
        "dots_left": _(
            "Il vous reste {left} gommette(s) sur {budget} (au plus {max} par contribution)."
        ),
        "vote_intro": _("Vote par gommettes : répartissez vos gommettes sur les contributions."),
        "timeout": _("Le serveur ne répond pas. Vérifiez la connexion et réessayez."),
        "ranking": _("Classement du vote"),
    }


_module_links: dict[tuple, Markup] = {}


def live_module_links(entry: str, modules: list[str]) -> Markup:
    """The ``modulepreload`` links of a live page's modules and its entry ``<script>``
    (``_live.html``), built once per URL prefix: each phone's page names some twenty."""
    key = (request.script_root, entry, tuple(modules))
    links = _module_links.get(key)
    if links is None:
        def module(path: str) -> str:
            return str(escape(url_for("static", filename=path)))

        lines = [f'<link rel="modulepreload" href="{module("vendor/socket.io.esm.min.js")}">']
        lines += [f'<link rel="modulepreload" href="{module(f"js/{name}.js")}">'
                  for name in modules]
        lines.append(f'<script type="module" src="{module(f"js/{entry}.js")}"></script>')
        links = Markup("\n".join(lines))
        if len(_module_links) > 64:
            _module_links.clear()
        _module_links[key] = links
    return links
