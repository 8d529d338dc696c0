"""What the synthesis pages show: pages of suggestions and items, the readable audit log.

Plain helpers for :mod:`.synthesis` (no routes): they turn the domain's values
(:class:`diagnostic.synthesis.similarity.Suggestion`, the report's items, the synthesis audit
entries) into rows the templates print, translated with Flask-Babel.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from flask import abort
from flask_babel import gettext as _

from diagnostic.errors import N_
from diagnostic.models import ContributionKind, SynthesisAuditEntry, SynthesisItem
from diagnostic.reporting.common import short

PER_PAGE = 50
AUDIT_LIMIT = 50

ACTIONS = {
    "merge": N_("Regroupement"),
    "split": N_("Détachement"),
    "dissolve": N_("Regroupement défait"),
    "edit": N_("Modification"),
    "reject": N_("Pas un doublon"),
}


def parse_kind(value: str | None) -> ContributionKind:
    """The ``kind`` query argument (initiatives by default); an unknown kind is a 404."""
    try:
        return ContributionKind(value or ContributionKind.INITIATIVE.value)
    except ValueError:
        abort(404)


def parse_page(value: str | None) -> int:
    """The ``page`` query argument (1 by default); anything but a positive integer is a 404."""
    text = value or "1"
    if not text.isdigit() or int(text) < 1:
        abort(404)
    return int(text)


@dataclass
class Page:
    """One page of a list: ``number`` is clamped to the last page."""

    items: list
    number: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        """Whether a previous page exists."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a next page exists."""
        return self.number < self.pages


def paginate(items: list, number: int, per_page: int = PER_PAGE) -> Page:
    """The ``number``-th slice of ``items`` (the last one when ``number`` is too far)."""
    pages = max(1, ceil(len(items) / per_page))
    number = min(number, pages)
    start = (number - 1) * per_page
    return Page(items[start:start + per_page], number, pages, len(items))


@dataclass
class Side:
    """One contribution of a suggested pair, as shown side by side."""

    id: int
    title: str
    description: str
    commune: str | None
    workshop_title: str
    group_size: int


@dataclass
class SuggestionRow:
    """A suggested pair with its score (a percentage) and the reasons, in words."""

    first: Side
    second: Side
    score: int
    reasons: list[str]


def suggestion_rows(suggestions: list, candidates: list, workshop_titles: dict[int, str],
                    describe) -> list[SuggestionRow]:
    """The rows of a page of suggestions; ``candidates`` are the units they come from."""
    by_id = {c.id: c for c in candidates}
    group_sizes = Counter(c.group for c in candidates if c.group is not None)

    def side(contribution_id: int) -> Side:
        c = by_id[contribution_id]
        return Side(
            id=c.id, title=c.name or short(c.text), description=c.text,
            commune=c.commune, workshop_title=workshop_titles.get(c.workshop_id, ""),
            group_size=group_sizes[c.group] if c.group is not None else 0,
        )

    return [
        SuggestionRow(side(s.first_id), side(s.second_id), round(s.score),
                      [describe(reason, _) for reason in s.reasons])
        for s in suggestions
    ]


@dataclass
class EditorRow:
    """A synthesis item of the report with what its editing needs."""

    item: Any
    group: SynthesisItem | None
    form: Any
    own_title: str
    own_text: str
    units: set[int] = field(default_factory=set)
    """Ids of the item's sources that can be detached (the top-level members)."""

    @property
    def titled(self) -> bool:
        """The item has a title of its own (a name, or one staff wrote), not its text's start."""
        return bool(getattr(self.item, "name", "") or (self.group and self.group.title))

    @property
    def is_group(self) -> bool:
        """Several synthesis units are merged here (split and dissolve apply)."""
        return len(self.units) > 1


def _numbers(ids: list[int]) -> str:
    return ", ".join(_("n° %(id)s", id=i) for i in ids) or "—"


SHOWN = ("title", "summary", "priority", "position", "stake_id", "members", "removed", "pair")
EDITABLE = ("title", "summary", "position", "priority", "stake_id")


def _state_lines(state: dict, stakes: dict[int, str], keys: list[str]) -> list[str]:
    """The ``keys`` of an item's audited state, in words."""
    lines = []
    for key in keys:
        value = state.get(key)
        if key == "title":
            lines.append(_("Titre : %(value)s", value=f"« {value} »" if value else "—"))
        elif key == "summary":
            lines.append(_("Texte : %(value)s", value=short(value, 80) if value else "—"))
        elif key == "position":
            lines.append(_("Rang : %(value)s", value=value if value is not None else "—"))
        elif key == "priority":
            lines.append(_("Priorité : %(value)s", value=_("oui") if value else _("non")))
        elif key == "stake_id":
            lines.append(_("Enjeu : %(value)s", value=stakes.get(value, "—")
                           if value is not None else _("Enjeu choisi en atelier")))
        elif key in ("members", "pair"):
            lines.append(_("Contributions : %(value)s", value=_numbers(value or [])))
        elif key == "removed":
            lines.append(_("Détachée : %(value)s", value=_numbers([value])))
    return lines


def _side(state: dict | None, stakes: dict[int, str]) -> list[str]:
    """One side of a non-edit action: the set fields, or the groups a merge folded."""
    if state is None:
        return []
    if "items" in state:
        return [
            _("Groupe n° %(id)s : %(members)s", id=group.get("id"),
              members=_numbers(group.get("members") or []))
            for group in state["items"]
        ] or [_("Contributions isolées")]
    keys = [k for k in SHOWN
            if k in state and (k == "members" or state[k] not in (None, "", False))]
    return _state_lines(state, stakes, keys)


def describe_states(action: str, before: dict | None, after: dict | None,
                    stakes: dict[int, str]) -> tuple[list[str], list[str]]:
    """The before / after columns of an audit entry, as lines of text.

    An edit shows only the fields it changed; a merge lists the groups it folded.
    """
    if action == "edit":
        old = before or {}
        changed = [k for k in EDITABLE if old.get(k) != (after or {}).get(k)
                   and (before is not None or (after or {}).get(k) not in (None, "", False))]
        return (_state_lines(before, stakes, changed) if before else [],
                _state_lines(after or {}, stakes, changed))
    return _side(before, stakes), _side(after, stakes)


@dataclass
class AuditRow:
    """One synthesis action, readable."""

    entry: SynthesisAuditEntry
    action: str
    item: str
    before: list[str]
    after: list[str]


def audit_rows(entries: list[SynthesisAuditEntry], stakes: dict[int, str]) -> list[AuditRow]:
    """The audit entries in words: action, item and before / after."""
    rows = []
    for entry in entries:
        state = entry.after or entry.before or {}
        item_id = entry.item_id or state.get("id")
        title = state.get("title") or ""
        item = _("Groupe n° %(id)s", id=item_id) if item_id else ""
        if item and title:
            item = f"{item} « {short(title, 60)} »"
        before, after = describe_states(entry.action, entry.before, entry.after, stakes)
        action = _(ACTIONS[entry.action]) if entry.action in ACTIONS \
            else entry.action.replace("_", " ").capitalize()  # an action added later
        rows.append(AuditRow(entry, action, item, before, after))
    return rows
