"""The synthesis audit log in words: one sentence per staff action on the synthesis.

The actions of :mod:`diagnostic.synthesis.editing` are recorded as
:class:`~diagnostic.models.SynthesisAuditEntry` rows whose states describe a synthesis
item (``title``, ``summary``, ``position``, ``priority``, ``stake_id``, ``kind``, and the
ids of its ``members``), not a contribution: the same action names as the workshop log
("merge", "split", "edit", "reject") mean other things here ("move" is the affinity
board's drop on a stake), so they have their own table,
:data:`SYNTHESIS_SENTENCES` (and :data:`SYNTHESIS_DETAILS`), put together by
:func:`diagnostic.audit_text.describe` like the workshop's. Contributions are named by
their name or text (:attr:`~.audit_values.Context.contributions`), « Locaux partagés ».
"""

from __future__ import annotations

from typing import Any

from .audit_sentences import Details, Sentence
from .audit_values import (
    DETAIL_TEXT,
    SHOWN_IN_A_LIST,
    Context,
    Entry,
    field_label,
    listing,
    quote,
    unit,
    units,
)
from .errors import N_
from .models import ContributionKind

EDITABLE = ("title", "summary", "position", "priority", "stake_id")
BLANK: dict[str, Any] = {"title": "", "summary": "", "position": None, "priority": False,
                         "stake_id": None}
"""An item's settings before its first edit (the contribution's own texts, automatic rank)."""
UNSTAKED = N_("Élément %(item)s retiré de son enjeu par %(who)s")

MERGED = {
    ContributionKind.INITIATIVE.value: N_("Initiatives %(units)s regroupées par %(who)s"),
    ContributionKind.NEED.value: N_("Besoins %(units)s regroupés par %(who)s"),
    ContributionKind.RECOMMENDATION.value: N_("Préconisations %(units)s regroupées par %(who)s"),
}


def _members(state: dict | None) -> list[int]:
    return list((state or {}).get("members") or [])


def _item(state: dict | None, ctx: Context) -> str:
    """An item as the report titles it: its title, else its first contribution's."""
    state = state or {}
    if state.get("title"):
        return quote(state["title"])
    members = _members(state)
    return unit(min(members), ctx) if members else "—"


def _all_members(ids: list[int], ctx: Context) -> list[str]:
    """The full list of contributions, when a sentence had to shorten it."""
    if len(ids) <= SHOWN_IN_A_LIST + 1:
        return []
    return [ctx._("Contributions : %(value)s", value=listing(units(ids, ctx), ctx))]


def _merge(e: Entry, ctx: Context, who: str) -> str:
    members = _members(e.after)
    message = MERGED.get(e.new("kind"), N_("Contributions %(units)s regroupées par %(who)s"))
    return ctx._(message, units=listing(units(members, ctx), ctx, SHOWN_IN_A_LIST), who=who)


def _merge_details(e: Entry, ctx: Context) -> list[str]:
    lines = []
    named = {ctx.contributions.get(i) for i in _members(e.after)}
    if e.new("title") and e.new("title") not in named:  # not just a member's name
        lines.append(ctx._("Titre de l'élément : %(value)s", value=quote(e.new("title"),
                                                                        DETAIL_TEXT)))
    return lines + _all_members(_members(e.after), ctx)


def _split(e: Entry, ctx: Context, who: str) -> str:
    removed = unit(e.new("removed"), ctx)
    remaining = _members(e.after)
    if not remaining:
        return ctx._("Contribution %(unit)s détachée de son élément de synthèse par %(who)s",
                     unit=removed, who=who)
    return ctx._("Contribution %(unit)s détachée de %(others)s par %(who)s", unit=removed,
                 others=listing(units(remaining, ctx), ctx, SHOWN_IN_A_LIST), who=who)


def _split_details(e: Entry, ctx: Context) -> list[str]:
    if not _members(e.after):
        return _settings(e.before, ctx)  # the item is gone with its texts
    return _all_members(_members(e.after), ctx)


def _dissolve(e: Entry, ctx: Context, who: str) -> str:
    members = _members(e.before)
    if len(members) < 2:
        return ctx._("Réglages de synthèse de %(unit)s effacés par %(who)s",
                     unit=listing(units(members, ctx), ctx), who=who)
    return ctx._("Regroupement de %(units)s défait par %(who)s",
                 units=listing(units(members, ctx), ctx, SHOWN_IN_A_LIST), who=who)


def _dissolve_details(e: Entry, ctx: Context) -> list[str]:
    return _settings(e.before, ctx) + _all_members(_members(e.before), ctx)


def _reject(e: Entry, ctx: Context, who: str) -> str:
    first, second = (list(e.new("pair") or []) + [None, None])[:2]
    return ctx._("Suggestion de doublon écartée par %(who)s : %(first)s et %(second)s",
                 who=who, first=unit(first, ctx), second=unit(second, ctx))


def _value(key: str, value: Any, ctx: Context) -> str:
    """A setting of a synthesis item in words."""
    if key in ("title", "summary"):
        return quote(value, DETAIL_TEXT) if value else "—"
    if key == "position":
        return str(value) if value is not None else ctx._("ordre automatique")
    if key == "priority":
        return ctx._("oui") if value else ctx._("non")
    if key == "stake_id":
        if value is None:
            return ctx._("Enjeu choisi en atelier")
        return ctx.stakes.get(value) or ctx._("n° %(id)s", id=value)
    return str(value)


def _settings(state: dict | None, ctx: Context) -> list[str]:
    """The settings of an item that differ from a fresh one, one line each."""
    state = state or {}
    return [ctx._("%(field)s : %(value)s", field=field_label(k, ctx),
                  value=_value(k, state.get(k), ctx))
            for k in EDITABLE if state.get(k, BLANK[k]) != BLANK[k]]


def _edit_states(e: Entry) -> tuple[dict, dict, list[str]]:
    """The settings before (blank for a new item) and after, and the keys that changed."""
    after = dict(e.after or {})
    before = dict(e.before) if e.before is not None else {**after, **BLANK}
    changed = [k for k in EDITABLE if before.get(k, BLANK[k]) != after.get(k, BLANK[k])]
    return before, after, changed


def _edit(e: Entry, ctx: Context, who: str) -> str:
    before, after, changed = _edit_states(e)
    item = _item(before, ctx)
    if not changed:
        return ctx._("Élément %(item)s enregistré sans changement par %(who)s",
                     item=item, who=who)
    if len(changed) > 1:
        fields = [field_label(k, ctx) for k in changed]
        if ctx.lang.startswith("fr"):
            fields = [f.lower() for f in fields]
        return ctx._("Élément %(item)s modifié par %(who)s (%(fields)s)", item=item, who=who,
                     fields=", ".join(fields))
    key = changed[0]
    new = after.get(key)
    if key == "title":
        if new:
            return ctx._("Élément %(item)s renommé en %(title)s par %(who)s", item=item,
                         title=quote(new), who=who)
        return ctx._("Titre de l'élément %(item)s retiré par %(who)s", item=item, who=who)
    if key == "summary":
        return ctx._("Texte de synthèse de l'élément %(item)s modifié par %(who)s",
                     item=item, who=who)
    if key == "position":
        if new is None:
            return ctx._("Élément %(item)s rendu à l'ordre automatique par %(who)s",
                         item=item, who=who)
        return ctx._("Élément %(item)s placé au rang %(rank)s par %(who)s", item=item,
                     rank=new, who=who)
    if key == "priority":
        if new:
            return ctx._("Élément %(item)s marqué prioritaire par %(who)s", item=item, who=who)
        return ctx._("Élément %(item)s n'est plus prioritaire (choix de %(who)s)",
                     item=item, who=who)
    if new is None and after.get("kind") == ContributionKind.NEED.value:
        return ctx._(UNSTAKED, item=item, who=who)  # a need has no stake from its workshop
    if new is None:
        return ctx._("Élément %(item)s rendu à l'enjeu choisi en atelier par %(who)s",
                     item=item, who=who)
    return ctx._("Élément %(item)s rattaché à l'enjeu %(stake)s par %(who)s", item=item,
                 stake=quote(_value(key, new, ctx)), who=who)


def _edit_details(e: Entry, ctx: Context) -> list[str]:
    """Before → after of each changed setting, unless the sentence already says it all."""
    before, after, changed = _edit_states(e)
    if not changed or (len(changed) == 1 and changed != ["summary"]):
        return []
    return [ctx._("%(field)s : %(before)s → %(after)s", field=field_label(k, ctx),
                  before=_value(k, before.get(k, BLANK[k]), ctx),
                  after=_value(k, after.get(k, BLANK[k]), ctx))
            for k in changed]


def _move(e: Entry, ctx: Context, who: str) -> str:
    """A card dropped on a stake's column of the affinity board (or on "no stake")."""
    item = _item(e.before or e.after, ctx)
    stake = e.new("stake_id")
    if stake is None:
        return ctx._(UNSTAKED, item=item, who=who)
    return ctx._("Élément %(item)s placé sous l'enjeu %(stake)s par %(who)s", item=item,
                 stake=quote(_value("stake_id", stake, ctx)), who=who)


def _move_details(e: Entry, ctx: Context) -> list[str]:
    """The stake the item left, when it had one of its own."""
    before = e.old("stake_id") if e.before is not None else None
    if before is None:
        return []
    return [ctx._("Enjeu précédent : %(stake)s", stake=quote(_value("stake_id", before, ctx)))]


def _thesaurus(e: Entry, ctx: Context, who: str) -> str:
    added, removed = e.new("added_count") or 0, e.new("removed_count") or 0
    if e.new("default"):
        return ctx._("Thésaurus par défaut rétabli par %(who)s", who=who)
    return ctx._("Thésaurus modifié par %(who)s (concepts ajoutés : %(added)d, "
                 "retirés : %(removed)d)", who=who, added=added, removed=removed)


def _thesaurus_details(e: Entry, ctx: Context) -> list[str]:
    return ([ctx._("Ajouté : %(value)s", value=line) for line in e.new("added") or []][:20]
            + [ctx._("Retiré : %(value)s", value=line)
               for line in e.new("removed") or []][:20])


def _open_data(e: Entry, ctx: Context, who: str) -> str:
    """diagnostic/opendata/publication.py: the directory published or withdrawn."""
    if e.action == "open_data_published":
        return ctx._("Répertoire des initiatives publié en données ouvertes par %(who)s",
                     who=who)
    return ctx._("Répertoire des initiatives retiré des données ouvertes par %(who)s", who=who)


def _said(message: str) -> Sentence:
    """A sentence naming only who acted."""
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, who=who)
    return sentence


def _comment(message: str) -> Sentence:
    """A restitution comment moderated: its number and who did it."""
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, id=e.new("comment", "?"), who=who)
    return sentence


SYNTHESIS_SENTENCES: dict[str, Sentence] = {
    # diagnostic/synthesis/editing.py
    "merge": _merge,
    "split": _split,
    "dissolve": _dissolve,
    "reject": _reject,
    "edit": _edit,
    "move": _move,
    # diagnostic/synthesis/vocabulary.py
    "thesaurus": _thesaurus,
    # diagnostic/opendata/publication.py
    "open_data_published": _open_data,
    "open_data_unpublished": _open_data,
    # diagnostic/restitution (publishing, comments)
    "restitution_publish": _said(N_("Page de restitution publiée par %(who)s")),
    "restitution_unpublish": _said(N_("Page de restitution retirée par %(who)s")),
    "restitution_new_link": _said(N_("Nouveau lien de la page de restitution créé par "
                                     "%(who)s")),
    "restitution_settings": _said(N_("Réglages de la restitution modifiés par %(who)s")),
    "report_validated": _said(N_("Rapport marqué comme validé par %(who)s")),
    "comment_approved": _comment(N_("Commentaire de restitution n° %(id)s publié par "
                                    "%(who)s")),
    "comment_rejected": _comment(N_("Commentaire de restitution n° %(id)s refusé par "
                                    "%(who)s")),
    "comment_pending": _comment(N_("Commentaire de restitution n° %(id)s remis en attente "
                                   "par %(who)s")),
}

SYNTHESIS_DETAILS: dict[str, Details] = {
    "merge": _merge_details,
    "split": _split_details,
    "dissolve": _dissolve_details,
    "edit": _edit_details,
    "move": _move_details,
    "thesaurus": _thesaurus_details,
}
