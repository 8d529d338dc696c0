"""The workshop audit log in words: one sentence per entry, values as people read them.

:func:`describe` turns an :class:`~diagnostic.models.AuditEntry`'s parts (action, before,
after, author, contribution) into a translated sentence such as « Passage en phase
Besoins par Claire Martin » or « Contribution n° 12 masquée par Claire Martin », and
:func:`details` into the few lines worth a "Détails" disclosure (the texts of an edit).
Both are pure: the caller passes ``translate`` (gettext's signature, French without it),
the diagnostic's time zone and lookups from ids to names. Every action a service records
has its sentence in :data:`SENTENCES`; an action added later without one still reads as a
sentence (:func:`_generic`), never as a Python value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, format_time

from .errors import N_
from .models import (
    ContributionKind,
    ContributionStatus,
    Horizon,
    ModerationMode,
    Phase,
    Stage,
    Urgency,
    WorkshopStatus,
)
from .taxonomy import ENUM_LABELS
from .time_zones import local

Translate = Callable[..., str]

UNKNOWN_AUTHOR = N_("l'animation")
"""Who acted when the entry has no account (deleted, or not restored from an archive)."""

MODES = {
    ModerationMode.PRE.value: N_("a priori (validation avant publication)"),
    ModerationMode.POST.value: N_("a posteriori (publication immédiate)"),
}

FIELD_LABELS = {
    "description": N_("Description"),
    "name": N_("Nom"),
    "ess_family_id": N_("Famille de l'ESS"),
    "activity_sector_id": N_("Secteur d'activité / filière"),
    "commune": N_("Commune"),
    "jobs_fte": N_("Emplois (ETP)"),
    "stage": N_("Stade de développement"),
    "contact": N_("Contact"),
    "website": N_("Site web"),
    "actor_type_id": N_("Type d'acteur"),
    "need_category_id": N_("Catégorie de besoin"),
    "urgency": N_("Urgence"),
    "stake_id": N_("Enjeu"),
    "responsible_party_id": N_("Qui devrait agir ?"),
    "horizon": N_("Horizon"),
    "phase": N_("Phase"),
    "status": N_("Statut"),
    "moderation": N_("Mode de modération"),
    "reason": N_("Motif"),
}
TERM_FIELDS = {"ess_family_id", "activity_sector_id", "actor_type_id", "need_category_id",
               "responsible_party_id"}
ENUMS: dict[str, tuple[type, ...]] = {
    "phase": (Phase,), "kind": (ContributionKind,), "stage": (Stage,), "urgency": (Urgency,),
    "horizon": (Horizon,), "status": (WorkshopStatus, ContributionStatus),
}
LONG_TEXT = 60
DETAIL_TEXT = 400


@dataclass
class Context:
    """What a sentence needs besides the entry: language, zone, and names by id."""

    translate: Translate = lambda message, **params: message % params if params else message
    time_zone: str | None = None
    lang: str = "fr"
    users: Mapping[int, str] = field(default_factory=dict)
    """Account names by id (the facilitators an entry lists)."""
    terms: Mapping[int, str] = field(default_factory=dict)
    """Taxonomy term labels by id (the fields of an edited contribution)."""
    stakes: Mapping[int, str] = field(default_factory=dict)
    """Stake titles by id."""

    def _(self, message: str, **params: Any) -> str:
        return self.translate(message, **params)

    @property
    def locale(self) -> Locale:
        try:
            return Locale.parse(self.lang.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            return Locale("fr")

    def time(self, value: Any) -> str | None:
        """An ISO moment as a local time of day ("17:28"), None when it is not one."""
        moment = _moment(value)
        if moment is None:
            return None
        return format_time(local(moment, self.time_zone), "HH:mm", locale=self.locale)

    def moment(self, value: Any) -> str | None:
        """An ISO moment as a local date and time, None when it is not one."""
        moment = _moment(value)
        if moment is None:
            return None
        return format_datetime(local(moment, self.time_zone), "short", locale=self.locale)


@dataclass(frozen=True)
class Entry:
    """The parts of an audit entry a sentence is made of."""

    action: str
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    who: str | None = None
    """The author's name, None when the account is gone."""
    contribution_id: int | None = None
    created_at: datetime | None = None

    @classmethod
    def of(cls, entry: Any) -> Entry:
        """The parts of an :class:`~diagnostic.models.AuditEntry`."""
        return cls(entry.action, entry.before, entry.after,
                   entry.user.name if entry.user is not None else None,
                   entry.contribution_id, entry.created_at)

    def new(self, key: str, default: Any = None) -> Any:
        """A value after the action."""
        return (self.after or {}).get(key, default)

    def old(self, key: str, default: Any = None) -> Any:
        """A value before the action."""
        return (self.before or {}).get(key, default)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _quote(text: Any, limit: int = LONG_TEXT) -> str:
    line = " ".join(str(text).split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return f"« {line} »"


def duration(seconds: float, ctx: Context) -> str:
    """A duration as people say it: "10 min", "1 h 30", "45 s"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return ctx._("%(count)s s", count=seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return ctx._("%(count)s min", count=minutes)
    hours, rest = divmod(minutes, 60)
    return ctx._("%(hours)s h %(minutes)02d", hours=hours, minutes=rest) if rest \
        else ctx._("%(count)s h", count=hours)


def value_text(key: str, value: Any, ctx: Context, limit: int = LONG_TEXT) -> str:
    """A stored value in words: labels for enums and ids, local times, "oui"/"non", "—"."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return ctx._("oui") if value else ctx._("non")
    if key in TERM_FIELDS and isinstance(value, int):
        return ctx.terms.get(value) or ctx._("n° %(id)s", id=value)
    if key == "stake_id" and isinstance(value, int):
        return ctx.stakes.get(value) or ctx._("n° %(id)s", id=value)
    if key == "moderation" and value in MODES:
        return ctx._(MODES[value])
    if key in ("facilitators", "users") and isinstance(value, list):
        return _names(value, ctx)
    if isinstance(value, list):
        return ", ".join(value_text(key, item, ctx) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_field(k, ctx)} : {value_text(k, v, ctx)}" for k, v in value.items())
    if isinstance(value, str):
        for enum in ENUMS.get(key, ()):
            try:
                member = enum(value)
            except ValueError:
                continue
            if member in ENUM_LABELS:
                return ctx._(ENUM_LABELS[member])
        moment = ctx.moment(value)
        if moment is not None:
            return moment
        return _quote(value, limit)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if ctx.lang.startswith("fr") else f"{value:g}"
    return str(value)


def _field(key: str, ctx: Context) -> str:
    label = FIELD_LABELS.get(key)
    if label:
        return ctx._(label)
    return key.removesuffix("_id").replace("_", " ")


def _names(ids: list[Any], ctx: Context) -> str:
    return ", ".join(
        ctx.users.get(i) or ctx._("compte n° %(id)s", id=i) if isinstance(i, int) else str(i)
        for i in ids
    )


# -- one function per action -------------------------------------------------------------

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
    ends = _moment(e.new("phase_ends_at"))
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
    return ctx._("Animation confiée à %(names)s par %(who)s", names=_names(ids, ctx), who=who)


def _status(message: str) -> Callable[[Entry, Context, str], str]:
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, id=e.contribution_id or "?", who=who)
    return sentence


def _refuse(e: Entry, ctx: Context, who: str) -> str:
    reason = e.new("reason") or e.new("refusal_reason")
    if reason:
        return ctx._("Contribution n° %(id)s refusée par %(who)s (motif : %(reason)s)",
                     id=e.contribution_id or "?", who=who, reason=_quote(reason, 120))
    return ctx._("Contribution n° %(id)s refusée par %(who)s", id=e.contribution_id or "?",
                 who=who)


def _edit(e: Entry, ctx: Context, who: str) -> str:
    fields = [_field(key, ctx).lower() if ctx.lang.startswith("fr") else _field(key, ctx)
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


def _target(e: Entry, ctx: Context) -> str:
    """The account an account action is about: its name, e-mail or id."""
    for state in (e.after or {}, e.before or {}):
        for key in ("name", "email"):
            if state.get(key):
                return str(state[key])
        if isinstance(state.get("user_id"), int):
            return _names([state["user_id"]], ctx)
    return ctx._("un compte")


def _account(message: str) -> Callable[[Entry, Context, str], str]:
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, name=_target(e, ctx), who=who)
    return sentence


def _plain(message: str) -> Callable[[Entry, Context, str], str]:
    def sentence(e: Entry, ctx: Context, who: str) -> str:
        return ctx._(message, who=who)
    return sentence


SENTENCES: dict[str, Callable[[Entry, Context, str], str]] = {
    # facilitation (diagnostic/live/facilitation.py)
    "set_phase": _set_phase,
    "set_timer": _set_timer,
    "set_moderation": _set_moderation,
    "set_vote_settings": _set_vote_settings,
    "set_facilitators": _set_facilitators,
    # moderation (diagnostic/live/moderation.py)
    "approve": _status(N_("Contribution n° %(id)s validée par %(who)s")),
    "reject": _refuse,
    "refuse_contribution": _refuse,
    "hide": _status(N_("Contribution n° %(id)s masquée par %(who)s")),
    "restore": _status(N_("Contribution n° %(id)s rétablie par %(who)s")),
    "edit": _edit,
    "split": _split,
    "merge": _merge,
    "unmerge": _unmerge,
    "scribe": _scribe,
    # the workshop's life
    "open_workshop": _plain(N_("Atelier ouvert par %(who)s")),
    "close_workshop": _plain(N_("Atelier clos par %(who)s")),
    "reopen_workshop": _plain(N_("Atelier rouvert par %(who)s")),
    "duplicate_workshop": _plain(N_("Atelier dupliqué par %(who)s")),
    "archive_workshop": _plain(N_("Atelier archivé par %(who)s")),
    "unarchive_workshop": _plain(N_("Atelier sorti des archives par %(who)s")),
    "update_workshop": _plain(N_("Réglages de l'atelier modifiés par %(who)s")),
    # accounts
    "create_account": _account(N_("Compte de %(name)s créé par %(who)s")),
    "invite_account": _account(N_("%(name)s invité·e par %(who)s")),
    "deactivate_account": _account(N_("Compte de %(name)s désactivé par %(who)s")),
    "reactivate_account": _account(N_("Compte de %(name)s réactivé par %(who)s")),
    "reset_password": _account(N_("Mot de passe de %(name)s réinitialisé par %(who)s")),
    "change_password": _plain(N_("Mot de passe changé par %(who)s")),
}
# The names other branches may use for the same actions.
SENTENCES.update({
    "open": SENTENCES["open_workshop"], "close": SENTENCES["close_workshop"],
    "reopen": SENTENCES["reopen_workshop"], "duplicate": SENTENCES["duplicate_workshop"],
    "archive": SENTENCES["archive_workshop"], "create_user": SENTENCES["create_account"],
    "invite_facilitator": SENTENCES["invite_account"],
    "deactivate_user": SENTENCES["deactivate_account"],
    "reactivate_user": SENTENCES["reactivate_account"],
})


def _generic(e: Entry, ctx: Context, who: str) -> str:
    """An action without a sentence of its own: its name in words and what changed."""
    action = " ".join(e.action.replace("_", " ").split()) or "?"
    keys = list(dict.fromkeys([*(e.before or {}), *(e.after or {})]))
    changes = "; ".join(
        ctx._("%(field)s : %(before)s → %(after)s", field=_field(k, ctx),
              before=value_text(k, e.old(k), ctx), after=value_text(k, e.new(k), ctx))
        if e.before and k in e.before else
        f"{_field(k, ctx)} : {value_text(k, e.new(k), ctx)}"
        for k in keys
    )
    if e.contribution_id is not None:
        text = ctx._("Action « %(action)s » sur la contribution n° %(id)s par %(who)s",
                     action=action, id=e.contribution_id, who=who)
    else:
        text = ctx._("Action « %(action)s » par %(who)s", action=action, who=who)
    return f"{text} ({changes})" if changes else text


def describe(entry: Entry | Any, ctx: Context | None = None) -> str:
    """The sentence of an audit entry (an :class:`Entry` or an ``AuditEntry`` row)."""
    ctx = ctx or Context()
    e = entry if isinstance(entry, Entry) else Entry.of(entry)
    who = e.who or ctx._(UNKNOWN_AUTHOR)
    sentence = SENTENCES.get(e.action, _generic)
    try:
        return sentence(e, ctx, who)
    except (AttributeError, KeyError, TypeError, ValueError):  # a malformed entry
        return _generic(e, ctx, who)


def details(entry: Entry | Any, ctx: Context | None = None) -> list[str]:
    """The lines a "Détails" disclosure shows: the texts an edit, split or entry changed."""
    ctx = ctx or Context()
    e = entry if isinstance(entry, Entry) else Entry.of(entry)
    if e.action == "edit":
        return [
            ctx._("%(field)s : %(before)s → %(after)s", field=_field(k, ctx),
                  before=value_text(k, e.old(k), ctx, DETAIL_TEXT),
                  after=value_text(k, v, ctx, DETAIL_TEXT))
            for k, v in (e.after or {}).items()
        ]
    if e.action == "split":
        first, second = e.new("description"), e.new("new_description")
        return [ctx._("Première partie : %(text)s", text=_quote(first, DETAIL_TEXT)),
                ctx._("Seconde partie : %(text)s", text=_quote(second, DETAIL_TEXT))]
    if e.action == "scribe" and e.new("description"):
        return [ctx._("Texte : %(value)s", value=_quote(e.new("description"), DETAIL_TEXT))]
    return []
