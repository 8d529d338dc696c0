"""Mutations of a diagnostic's frame: its fields, stakes, sectors, themes and taxonomy terms.

Every function takes the SQLAlchemy session first, validates, raises a
:class:`~diagnostic.errors.DomainError` subclass with nothing changed, and flushes:
the caller (a staff view, a CLI command) commits. Renaming is always allowed; deleting
an item still referred to is refused.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import N_, DomainError, ValidationError
from ..models import (
    Contribution,
    Diagnostic,
    Participant,
    Sector,
    Stake,
    Term,
    Theme,
    Vocabulary,
    Workshop,
)
from ..time_zones import INVALID_ZONE, is_valid_zone
from ..validation import CONTROL_MESSAGE, CONTROL_RE
from .archiving import require_not_archived

Item = Stake | Sector | Theme | Term


class InUse(DomainError):
    """The item is still referred to (by a workshop, a contribution...): it stays."""


def _text(errors: dict[str, str], field: str, value: str | None, max_length: int,
          required: bool = True) -> str:
    """Stripped ``value``; records a French error for ``field`` when missing or too long."""
    text = (value or "").strip()
    if CONTROL_RE.search(text):
        errors[field] = CONTROL_MESSAGE
    elif required and not text:
        errors[field] = N_("Ce champ est obligatoire.")
    elif len(text) > max_length:
        errors[field] = N_("Ce texte est trop long.")
    return text


def _count(session: Session, model: type, *conditions) -> int:
    """How many rows of ``model`` match ``conditions``."""
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def _refuse_if_used(used: int, message: str, name: str) -> None:
    """Raise :class:`InUse` with ``message`` when ``used`` is not zero."""
    if used:
        raise InUse(message, name=name, count=used)


def _check(errors: dict[str, str]) -> None:
    """Raise the collected field errors, if any."""
    if errors:
        raise ValidationError(errors)


def _unique(errors: dict[str, str], field: str, name: str, siblings: list, attr: str,
            item: object | None = None) -> None:
    """Refuse a name already used by another sibling (case-insensitive)."""
    if field in errors:
        return
    taken = {getattr(s, attr).casefold() for s in siblings if s is not item}
    if name.casefold() in taken:
        errors[field] = N_("Ce nom est déjà utilisé.")


def update_diagnostic(session: Session, diagnostic: Diagnostic, *, title: str, territory: str,
                      period: str = "", description: str = "",
                      time_zone: str | None = None) -> Diagnostic:
    """Change a diagnostic's title, territory, period, description and time zone.

    ``time_zone`` (an IANA name, e.g. "Indian/Reunion") is left as it is when None.
    """
    require_not_archived(diagnostic)
    errors: dict[str, str] = {}
    if time_zone is not None and not is_valid_zone(time_zone):
        errors["time_zone"] = INVALID_ZONE
    fields = {
        "title": _text(errors, "title", title, 200),
        "territory": _text(errors, "territory", territory, 200),
        "period": _text(errors, "period", period, 100, required=False),
        "description": _text(errors, "description", description, 10000, required=False),
    }
    _check(errors)
    if time_zone is not None:
        fields["time_zone"] = time_zone
    for name, value in fields.items():
        setattr(diagnostic, name, value)
    session.flush()
    return diagnostic


def siblings_of(item: Item) -> list:
    """The ordered list ``item`` belongs to (its diagnostic's stakes, sectors...)."""
    diagnostic = item.diagnostic
    if isinstance(item, Stake):
        return diagnostic.stakes
    if isinstance(item, Sector):
        return diagnostic.sectors
    if isinstance(item, Theme):
        return diagnostic.themes
    return diagnostic.terms_of(item.vocabulary)


def _reload_list(session: Session, item: Item) -> None:
    """Reload the diagnostic's list holding ``item``, so it shows the new order.

    Only that relationship is expired: expiring the whole diagnostic would cascade to a
    row just deleted (flushed, not yet committed) and fail when it is read.
    """
    name = {Stake: "stakes", Sector: "sectors", Theme: "themes", Term: "terms"}[type(item)]
    session.expire(item.diagnostic, [name])


def _next_position(items: list) -> int:
    """The position after the last item."""
    return max((i.position for i in items), default=-1) + 1


def move_item(session: Session, item: Item, step: int) -> None:
    """Move a stake, sector, theme or term ``step`` places (-1 up, +1 down) in its list."""
    require_not_archived(item.diagnostic)
    items = sorted(siblings_of(item), key=lambda i: (i.position, i.id))
    index = items.index(item)
    target = min(max(index + step, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    for position, each in enumerate(items):
        each.position = position
    session.flush()
    _reload_list(session, item)


def add_stake(session: Session, diagnostic: Diagnostic, *, title: str,
              description: str = "") -> Stake:
    """Append a stake (*enjeu*) at the end of the diagnostic's ordered list."""
    require_not_archived(diagnostic)
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, 300)
    description = _text(errors, "description", description, 5000, required=False)
    _check(errors)
    stake = Stake(title=title, description=description,
                  position=_next_position(diagnostic.stakes))
    diagnostic.stakes.append(stake)
    session.flush()
    return stake


def update_stake(session: Session, stake: Stake, *, title: str, description: str = "") -> Stake:
    """Reword a stake; its recommendations follow."""
    require_not_archived(stake.diagnostic)
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, 300)
    description = _text(errors, "description", description, 5000, required=False)
    _check(errors)
    stake.title, stake.description = title, description
    session.flush()
    return stake


def delete_stake(session: Session, stake: Stake) -> None:
    """Delete a stake no recommendation refers to."""
    require_not_archived(stake.diagnostic)
    _refuse_if_used(
        _count(session, Contribution, Contribution.stake_id == stake.id),
        N_("L'enjeu « %(name)s » est cité par %(count)s préconisation(s) : "
           "il ne peut pas être supprimé, mais vous pouvez le renommer."),
        stake.title,
    )
    _delete(session, stake)


def add_sector(session: Session, diagnostic: Diagnostic, *, name: str,
               communes: str = "") -> Sector:
    """Add a territorial sector (name and the communes it covers)."""
    require_not_archived(diagnostic)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 200)
    communes = _text(errors, "communes", communes, 5000, required=False)
    _unique(errors, "name", name, diagnostic.sectors, "name")
    _check(errors)
    sector = Sector(name=name, communes=communes, position=_next_position(diagnostic.sectors))
    diagnostic.sectors.append(sector)
    session.flush()
    return sector


def update_sector(session: Session, sector: Sector, *, name: str, communes: str = "") -> Sector:
    """Rename a sector or change its communes."""
    require_not_archived(sector.diagnostic)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 200)
    communes = _text(errors, "communes", communes, 5000, required=False)
    _unique(errors, "name", name, sector.diagnostic.sectors, "name", sector)
    _check(errors)
    sector.name, sector.communes = name, communes
    session.flush()
    return sector


def delete_sector(session: Session, sector: Sector) -> None:
    """Delete a sector no workshop is about."""
    require_not_archived(sector.diagnostic)
    _refuse_if_used(
        _count(session, Workshop, Workshop.sector_id == sector.id),
        N_("Le secteur « %(name)s » est le sujet de %(count)s atelier(s) : "
           "il ne peut pas être supprimé, mais vous pouvez le renommer."),
        sector.name,
    )
    _delete(session, sector)


def add_theme(session: Session, diagnostic: Diagnostic, *, name: str,
              description: str = "") -> Theme:
    """Add a theme for thematic workshops."""
    require_not_archived(diagnostic)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 200)
    description = _text(errors, "description", description, 5000, required=False)
    _unique(errors, "name", name, diagnostic.themes, "name")
    _check(errors)
    theme = Theme(name=name, description=description, position=_next_position(diagnostic.themes))
    diagnostic.themes.append(theme)
    session.flush()
    return theme


def update_theme(session: Session, theme: Theme, *, name: str, description: str = "") -> Theme:
    """Rename a theme or change its description."""
    require_not_archived(theme.diagnostic)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, 200)
    description = _text(errors, "description", description, 5000, required=False)
    _unique(errors, "name", name, theme.diagnostic.themes, "name", theme)
    _check(errors)
    theme.name, theme.description = name, description
    session.flush()
    return theme


def delete_theme(session: Session, theme: Theme) -> None:
    """Delete a theme no workshop is about."""
    require_not_archived(theme.diagnostic)
    _refuse_if_used(
        _count(session, Workshop, Workshop.theme_id == theme.id),
        N_("Le thème « %(name)s » est le sujet de %(count)s atelier(s) : "
           "il ne peut pas être supprimé, mais vous pouvez le renommer."),
        theme.name,
    )
    _delete(session, theme)


def add_term(session: Session, diagnostic: Diagnostic, vocabulary: Vocabulary | str, *,
             label: str) -> Term:
    """Add a term at the end of one of the diagnostic's taxonomies."""
    require_not_archived(diagnostic)
    try:
        vocabulary = Vocabulary(vocabulary)
    except ValueError:
        raise ValidationError({"vocabulary": N_("Taxonomie inconnue.")}) from None
    errors: dict[str, str] = {}
    label = _text(errors, "label", label, 200)
    siblings = diagnostic.terms_of(vocabulary)
    _unique(errors, "label", label, siblings, "label")
    _check(errors)
    term = Term(vocabulary=vocabulary, label=label, position=_next_position(siblings))
    diagnostic.terms.append(term)
    session.flush()
    return term


def rename_term(session: Session, term: Term, *, label: str) -> Term:
    """Rename a taxonomy term; the contributions citing it follow."""
    require_not_archived(term.diagnostic)
    errors: dict[str, str] = {}
    label = _text(errors, "label", label, 200)
    _unique(errors, "label", label, term.diagnostic.terms_of(term.vocabulary), "label", term)
    _check(errors)
    term.label = label
    session.flush()
    return term


def term_usage(session: Session, term: Term) -> int:
    """How many contributions and participants cite ``term``."""
    cited = or_(*(column == term.id for column in (
        Contribution.ess_family_id, Contribution.activity_sector_id, Contribution.actor_type_id,
        Contribution.need_category_id, Contribution.responsible_party_id,
    )))
    return (_count(session, Contribution, cited)
            + _count(session, Participant, Participant.actor_type_id == term.id))


def delete_term(session: Session, term: Term) -> None:
    """Delete a term no contribution nor participant cites."""
    require_not_archived(term.diagnostic)
    _refuse_if_used(
        term_usage(session, term),
        N_("Le terme « %(name)s » est utilisé par %(count)s contribution(s) ou "
           "participant·e(s) : il ne peut pas être supprimé, mais vous pouvez le renommer."),
        term.label,
    )
    _delete(session, term)


def _delete(session: Session, item: Item) -> None:
    """Delete ``item`` and renumber the positions of the remaining siblings."""
    remaining = [i for i in siblings_of(item) if i is not item]
    session.delete(item)
    for position, each in enumerate(sorted(remaining, key=lambda i: (i.position, i.id))):
        each.position = position
    session.flush()
    _reload_list(session, item)
