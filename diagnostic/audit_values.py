"""The parts of the audit log's sentences: an entry, its context, values in words.

:class:`Entry` holds what a sentence is made of, :class:`Context` what it needs besides
(``translate``, the diagnostic's zone, names by id); :func:`value_text` renders a stored
value as people read it. The sentences themselves: :mod:`.audit_sentences`, put
together by :mod:`.audit_text`.
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
    "title": N_("Titre"),
    "summary": N_("Texte de synthèse"),
    "position": N_("Rang"),
    "priority": N_("Priorité"),
    "members": N_("Contributions"),
    "kind": N_("Type de contribution"),
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
    contributions: Mapping[int, str] = field(default_factory=dict)
    """Contribution labels by id (their name or text: the units a synthesis entry lists)."""

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
        moment = moment_of(value)
        if moment is None:
            return None
        return format_time(local(moment, self.time_zone), "HH:mm", locale=self.locale)

    def moment(self, value: Any) -> str | None:
        """An ISO moment as a local date and time, None when it is not one."""
        moment = moment_of(value)
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
    item_id: int | None = None
    """The synthesis item a :class:`~diagnostic.models.SynthesisAuditEntry` is about."""

    @classmethod
    def of(cls, entry: Any) -> Entry:
        """The parts of an :class:`~diagnostic.models.AuditEntry` or a ``SynthesisAuditEntry``."""
        return cls(entry.action, entry.before, entry.after,
                   entry.user.name if entry.user is not None else None,
                   getattr(entry, "contribution_id", None), entry.created_at,
                   getattr(entry, "item_id", None))

    def new(self, key: str, default: Any = None) -> Any:
        """A value after the action."""
        return (self.after or {}).get(key, default)

    def old(self, key: str, default: Any = None) -> Any:
        """A value before the action."""
        return (self.before or {}).get(key, default)


def moment_of(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def quote(text: Any, limit: int = LONG_TEXT) -> str:
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
        return names(value, ctx)
    if key in ("members", "pair", "removed") and isinstance(value, list | int) \
            and not isinstance(value, bool):
        return listing(units(value if isinstance(value, list) else [value], ctx), ctx)
    if isinstance(value, list):
        return ", ".join(value_text(key, item, ctx) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k, ctx)} : {value_text(k, v, ctx)}"
                         for k, v in value.items())
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
        return quote(value, limit)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if ctx.lang.startswith("fr") else f"{value:g}"
    return str(value)


def field_label(key: str, ctx: Context) -> str:
    label = FIELD_LABELS.get(key)
    if label:
        return ctx._(label)
    return key.removesuffix("_id").replace("_", " ")


def names(ids: list[Any], ctx: Context) -> str:
    return ", ".join(
        ctx.users.get(i) or ctx._("compte n° %(id)s", id=i) if isinstance(i, int) else str(i)
        for i in ids
    )


def unit(contribution_id: Any, ctx: Context, limit: int = LONG_TEXT) -> str:
    """A contribution as a synthesis sentence names it: « its name or text », or "n° 12"."""
    label = ctx.contributions.get(contribution_id) if isinstance(contribution_id, int) else None
    return quote(label, limit) if label else ctx._("n° %(id)s", id=contribution_id)


def units(ids: list[Any], ctx: Context, limit: int = LONG_TEXT) -> list[str]:
    return [unit(i, ctx, limit) for i in ids]


SHOWN_IN_A_LIST = 3


def listing(parts: list[str], ctx: Context, most: int | None = None) -> str:
    """« A », « B » et « C »; beyond ``most`` parts, "… et 4 autres"."""
    if not parts:
        return "—"
    if most is not None and len(parts) > most + 1:
        return ctx._("%(first)s et %(count)s autres", first=", ".join(parts[:most]),
                     count=len(parts) - most)
    if len(parts) == 1:
        return parts[0]
    return ctx._("%(first)s et %(last)s", first=", ".join(parts[:-1]), last=parts[-1])
