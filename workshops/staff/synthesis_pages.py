"""What the synthesis pages show: pages of suggestions and items.

Plain helpers for :mod:`.synthesis` (no routes): they turn the domain's values
(:class:`diagnostic.synthesis.similarity.Suggestion`, the report's items) into rows the
templates print, translated with Flask-Babel. The synthesis audit log in words:
:func:`workshops.audit_log.synthesis_audit_lines`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from flask import abort
from flask_babel import gettext as _

from diagnostic.models import ContributionKind, SynthesisItem
from diagnostic.reporting.common import short

PER_PAGE = 50
AUDIT_LIMIT = 50


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


def page_of(total: int, number: int, per_page: int = PER_PAGE) -> Page:
    """The ``number``-th page of ``total`` items (the last one when too far), its items
    left for the caller to fetch."""
    pages = max(1, ceil(total / per_page))
    return Page([], min(number, pages), pages, total)


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
                    describe, group_sizes: dict[int, int]) -> list[SuggestionRow]:
    """The rows of a page of suggestions; ``candidates`` are the units they come from,
    ``group_sizes`` the members of their synthesis groups."""
    by_id = {c.id: c for c in candidates}
    return [
        SuggestionRow(side_of(by_id[s.first_id], workshop_titles, group_sizes),
                      side_of(by_id[s.second_id], workshop_titles, group_sizes),
                      round(s.score), [describe(reason, _) for reason in s.reasons])
        for s in suggestions
    ]


def side_of(candidate, workshop_titles: dict[int, str], group_sizes: dict[int, int]) -> Side:
    """A unit (a suggestion :class:`~diagnostic.synthesis.similarity.Candidate`) as shown."""
    c = candidate
    return Side(id=c.id, title=c.name or short(c.text), description=c.text,
                commune=c.commune, workshop_title=workshop_titles.get(c.workshop_id, ""),
                group_size=group_sizes.get(c.group, 0) if c.group is not None else 0)


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


@dataclass
class SimilarRow:
    """One of the nearest units of a unit, with its score, reasons and what staff did."""

    side: Side
    score: int
    reasons: list[str]
    grouped: bool
    """Already in the same synthesis group as the unit."""
    refused: bool
    """Staff rejected the pair or split it apart."""


def similar_rows(unit, found: list, workshop_titles: dict[int, str], describe,
                 group_sizes: dict[int, int], refused: set[tuple[int, int]]
                 ) -> tuple[Side, list[SimilarRow]]:
    """The unit and its nearest units as the "similar items" page shows them."""
    rows = [
        SimilarRow(side_of(c, workshop_titles, group_sizes), round(score),
                   [describe(reason, _) for reason in reasons],
                   grouped=c.group is not None and c.group == unit.group,
                   refused=(min(c.id, unit.id), max(c.id, unit.id)) in refused)
        for c, score, reasons in found
    ]
    return side_of(unit, workshop_titles, group_sizes), rows
