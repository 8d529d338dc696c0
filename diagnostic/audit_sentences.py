"""One sentence per audit action: :data:`SENTENCES` maps an action to its function.

Each function takes the :class:`~.audit_values.Entry`, the
:class:`~.audit_values.Context` and who acted (a name), and returns the translated
sentence. Actions other branches record (the workshop's life, refusal with a reason,
accounts) have theirs too, under the names they are likely to use. :data:`DETAILS` maps
the few actions whose texts are worth a "Détails" disclosure to their lines.
"""

from __future__ import annotations

from collections.abc import Callable

from .audit_values import (
    DETAIL_TEXT,
    Context,
    Entry,
    duration,
    field_label,
    moment_of,
    names,
    quote,
    value_text,
)
from .errors import N_
from .models import ContributionKind, Phase
from .taxonomy import ENUM_LABELS

Sentence = Callable[[Entry, Context, str], str]
"""A sentence: the entry, its context and who acted (a name) give the translated text."""
Details = Callable[[Entry, Context], list[str]]
"""The lines of an entry's "Détails" disclosure (none: no disclosure)."""


def _set_phase(e: Entry, ctx: Context, who: str) -> str:
    phase = e.new("phase")
    try:
        name = ctx._(ENUM_LABELS[Phase(phase)])
    except ValueError:
        name = str(phase)
    if phase == Phase.CLOSED.value and e.old("status") != e.new("status"):
        return ctx._("Passage en phase %(phase)s par %(who)s : l'atelier est clos",
                     phase=name, who=who)
    return ctx._("Passage en phase %(phase)s par %(who)s", phase=name, who=who)


def _set_timer(e: Entry, ctx: Context, who: str) -> str:
    ends = moment_of(e.new("phase_ends_at"))
    if ends is None:
        return ctx._("Minuterie arrêtée par %(who)s", who=who)
    if e.created_at is not None:
        start = e.created_at if e.created_at.tzinfo else e.created_at.replace(tzinfo=ends.tzinfo)
        return ctx._("Minuterie de %(duration)s lancée par %(who)s (fin prévue à %(time)s)",
                     duration=duration((ends - start).total_seconds(), ctx), who=who,
                     time=ctx.time(ends))
    return ctx._("Minuterie lancée par %(who)s (fin prévue à %(time)s)",
                 who=who, time=ctx.time(ends))


def _set_moderation(e: Entry, ctx: Context, who: str) -> str:
    return ctx._("Mode de modération : %(mode)s, choisi par %(who)s",
                 mode=value_text("moderation", e.new("moderation"), ctx), who=who)


def _set_vote_settings(e: Entry, ctx: Context, who: str) -> str:
    return ctx._("Gommettes : %(budget)s par personne, %(per_item)s au plus par contribution "
                 "(réglage de %(who)s)",
                 budget=e.new("dot_budget"), per_item=e.new("dot_max_per_item"), who=who)


def _set_facilitators(e: Entry, ctx: Context, who: str) -> str:
    ids = e.new("facilitators") or []
    if not ids:
        return ctx._("Plus aucun·e animateur·rice pour cet atelier (choix de %(who)s)", who=who)
    return ctx._("Animation confiée à %(names)s par %(who)s", names=names(ids, ctx), who=who)


def _status(message: str) -> Sentence:
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, id=e.contribution_id or "?", who=who)
    return sentence


def _refuse(e: Entry, ctx: Context, who: str) -> str:
    reason = e.new("refusal_reason")
    if reason:
        return ctx._("Contribution n° %(id)s refusée par %(who)s (motif : %(reason)s)",
                     id=e.contribution_id or "?", who=who, reason=quote(reason, 120))
    return ctx._("Contribution n° %(id)s refusée par %(who)s", id=e.contribution_id or "?",
                 who=who)


def _edit(e: Entry, ctx: Context, who: str) -> str:
    fields = [field_label(key, ctx).lower() if ctx.lang.startswith("fr") else field_label(key, ctx)
              for key in (e.after or {})]
    return ctx._("Contribution n° %(id)s reformulée par %(who)s (%(fields)s)",
                 id=e.contribution_id or "?", who=who, fields=", ".join(fields) or "—")


def _split(e: Entry, ctx: Context, who: str) -> str:
    return ctx._("Contribution n° %(id)s scindée en deux par %(who)s : la seconde partie "
                 "devient la n° %(new_id)s", id=e.contribution_id or "?", who=who,
                 new_id=e.new("new_id", "?"))


def _merge(e: Entry, ctx: Context, who: str) -> str:
    return ctx._("Contribution n° %(id)s fusionnée dans la n° %(target)s par %(who)s",
                 id=e.contribution_id or "?", target=e.new("merged_into_id", "?"), who=who)


def _unmerge(e: Entry, ctx: Context, who: str) -> str:
    return ctx._("Contribution n° %(id)s séparée de la n° %(target)s par %(who)s",
                 id=e.contribution_id or "?", target=e.old("merged_into_id", "?"), who=who)


def _scribe(e: Entry, ctx: Context, who: str) -> str:
    kind = e.new("kind")
    try:
        kind_label = ctx._(ENUM_LABELS[ContributionKind(kind)]).lower()
    except ValueError:
        kind_label = str(kind)
    if e.new("on_behalf_of"):
        return ctx._("Contribution n° %(id)s (%(kind)s) saisie par %(who)s pour %(name)s",
                     id=e.contribution_id or "?", kind=kind_label, who=who,
                     name=e.new("on_behalf_of"))
    return ctx._("Contribution n° %(id)s (%(kind)s) saisie par %(who)s pour une personne "
                 "sans téléphone", id=e.contribution_id or "?", kind=kind_label, who=who)


def _paper_import(e: Entry, ctx: Context, who: str) -> str:
    if e.new("skipped"):
        return ctx._("Import papier par %(who)s (contributions ajoutées : %(count)s ; lignes "
                     "ignorées, déjà importées ou répétées : %(skipped)s)",
                     count=e.new("created", 0), who=who, skipped=e.new("skipped"))
    return ctx._("Import papier par %(who)s (contributions ajoutées : %(count)s)",
                 count=e.new("created", 0), who=who)


def _participant_erased(e: Entry, ctx: Context, who: str) -> str:
    # The entry holds the participant's number only: never what was erased.
    if e.new("reason") == "retention":
        return ctx._("Données personnelles de la personne participante n° %(id)s effacées : "
                     "fin de leur durée de conservation", id=e.new("participant", "?"))
    if not e.who:  # erased from the command line
        return ctx._("Données personnelles de la personne participante n° %(id)s effacées à "
                     "sa demande (ligne de commande)", id=e.new("participant", "?"))
    return ctx._("Données personnelles de la personne participante n° %(id)s effacées à sa "
                 "demande par %(who)s", id=e.new("participant", "?"), who=who)


def _plain(message: str) -> Sentence:
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, who=who)
    return sentence


SENTENCES: dict[str, Sentence] = {
    # facilitation (diagnostic/live/facilitation.py)
    "set_phase": _set_phase,
    "set_timer": _set_timer,
    "set_moderation": _set_moderation,
    "set_vote_settings": _set_vote_settings,
    "set_facilitators": _set_facilitators,
    # moderation (diagnostic/live/moderation.py)
    "approve": _status(N_("Contribution n° %(id)s validée par %(who)s")),
    "reject": _refuse,
    "hide": _status(N_("Contribution n° %(id)s masquée par %(who)s")),
    "restore": _status(N_("Contribution n° %(id)s rétablie par %(who)s")),
    "edit": _edit,
    "split": _split,
    "merge": _merge,
    "unmerge": _unmerge,
    "scribe": _scribe,
    # paper-form import (diagnostic/paper/importer.py)
    "paper_import": _paper_import,
    # personal data (diagnostic/privacy/erasure.py)
    "participant_erased": _participant_erased,
    # a participant withdrew their own item (diagnostic/live/withdrawal.py): no text kept
    "contribution_withdrawn": _status(N_("Contribution n° %(id)s retirée par son auteur·e")),
    # the workshop's life
    "open_workshop": _plain(N_("Atelier ouvert par %(who)s")),
    "close_workshop": _plain(N_("Atelier clos par %(who)s")),
    "reopen_workshop": _plain(N_("Atelier rouvert par %(who)s")),
    "duplicate_workshop": _plain(N_("Atelier dupliqué par %(who)s")),
    "archive_workshop": _plain(N_("Atelier archivé par %(who)s")),
    "restore_workshop": _plain(N_("Atelier restauré (sorti des archives) par %(who)s")),
}


def _edit_details(e: Entry, ctx: Context) -> list[str]:
    return [
        ctx._("%(field)s : %(before)s → %(after)s", field=field_label(k, ctx),
              before=value_text(k, e.old(k), ctx, DETAIL_TEXT),
              after=value_text(k, v, ctx, DETAIL_TEXT))
        for k, v in (e.after or {}).items()
    ]


def _split_details(e: Entry, ctx: Context) -> list[str]:
    first, second = e.new("description"), e.new("new_description")
    return [ctx._("Première partie : %(text)s", text=quote(first, DETAIL_TEXT)),
            ctx._("Seconde partie : %(text)s", text=quote(second, DETAIL_TEXT))]


def _scribe_details(e: Entry, ctx: Context) -> list[str]:
    if not e.new("description"):
        return []
    return [ctx._("Texte : %(value)s", value=quote(e.new("description"), DETAIL_TEXT))]


def _paper_import_details(e: Entry, ctx: Context) -> list[str]:
    if not e.new("filename"):
        return []
    return [ctx._("Fichier : %(value)s", value=quote(e.new("filename"), DETAIL_TEXT))]


DETAILS: dict[str, Details] = {
    "edit": _edit_details,
    "split": _split_details,
    "scribe": _scribe_details,
    "paper_import": _paper_import_details,
}
