"""The affinity board: the units of one kind as cards, in one column per stake.

A card is a synthesis unit standing alone or a group of units (a
:class:`~diagnostic.models.SynthesisItem`), named by its representative: the member with
the lowest id, as in the report (:mod:`diagnostic.reporting.report_items`). A card's
column is its group's stake, else (a recommendation) the stake chosen in its workshop,
else the first column, "no stake". :func:`build_board` reads them; :func:`filter_board`
keeps the cards of a workshop or with given words (pure: the page and its script filter
alike, see ``static/js/affinity-board.js``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    Diagnostic,
    SynthesisItem,
    Workshop,
)
from .editing import STAKED


@dataclass(frozen=True)
class Member:
    """One unit of a card: a published contribution and the workshop it comes from."""

    id: int
    text: str
    workshop_id: int
    workshop_title: str


@dataclass(frozen=True)
class Card:
    """A unit or a group of units; ``id`` is its representative's (the actions' handle)."""

    id: int
    group_id: int | None
    title: str
    stake_id: int | None
    members: tuple[Member, ...]

    @property
    def workshop_ids(self) -> list[int]:
        """The workshops the card's units come from, without repeats."""
        return list(dict.fromkeys(m.workshop_id for m in self.members))

    @property
    def workshop_titles(self) -> list[str]:
        """Their titles, in the same order."""
        return list(dict.fromkeys(m.workshop_title for m in self.members))

    @property
    def member_ids(self) -> list[int]:
        """The ids of the card's units."""
        return [m.id for m in self.members]

    @property
    def search_text(self) -> str:
        """What a keyword is looked for in (folded: lower case, no accents)."""
        return fold(" ".join(dict.fromkeys([self.title, *(m.text for m in self.members)])))


@dataclass(frozen=True)
class Column:
    """A stake (``stake_id`` None: the "no stake" column) and its cards."""

    stake_id: int | None
    title: str
    cards: list[Card] = field(default_factory=list)


@dataclass(frozen=True)
class Board:
    """The columns of one kind's board, and the diagnostic's workshops (for the filter)."""

    kind: ContributionKind
    columns: list[Column]
    workshops: list[tuple[int, str]]

    @property
    def cards(self) -> list[Card]:
        """Every card, column after column."""
        return [card for column in self.columns for card in column.cards]


def fold(text: str) -> str:
    """``text`` lower-cased, without accents and with single spaces (for matching)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def build_board(session: Session, diagnostic: Diagnostic, kind: ContributionKind,
                no_stake: str) -> Board:
    """The board of ``kind`` (a need or recommendation kind); ``no_stake`` titles the
    first column."""
    if kind not in STAKED:
        raise ValueError(f"no affinity board for {kind}")
    workshops = {w.id: w.title for w in diagnostic.workshops}
    rows = session.scalars(
        select(Contribution)
        .join(Workshop, Workshop.id == Contribution.workshop_id)
        .where(Workshop.diagnostic_id == diagnostic.id, Contribution.kind == kind,
               Contribution.status == ContributionStatus.PUBLISHED,
               Contribution.merged_into_id.is_(None))
        .order_by(Contribution.id)
    )
    groups = {g.id: g for g in session.scalars(
        select(SynthesisItem).where(SynthesisItem.diagnostic_id == diagnostic.id,
                                    SynthesisItem.kind == kind))}
    units: dict[tuple[str, int], list[Contribution]] = {}
    for c in rows:  # by id: each unit's list starts with its representative
        key = ("g", c.synthesis_item_id) if c.synthesis_item_id in groups else ("c", c.id)
        units.setdefault(key, []).append(c)
    stakes = {s.id for s in diagnostic.stakes}
    columns = [Column(None, no_stake)] + [Column(s.id, s.title) for s in diagnostic.stakes]
    by_stake = {column.stake_id: column for column in columns}
    for members in units.values():
        first = members[0]
        group = groups.get(first.synthesis_item_id)
        stake_id = (group.stake_id if group is not None and group.stake_id else None) \
            or first.stake_id
        card = Card(
            id=first.id, group_id=group.id if group is not None else None,
            title=(group.title if group is not None and group.title else first.description),
            stake_id=stake_id if stake_id in stakes else None,
            members=tuple(Member(c.id, c.description, c.workshop_id,
                                 workshops.get(c.workshop_id, "")) for c in members),
        )
        by_stake[card.stake_id].cards.append(card)
    return Board(kind=kind, columns=columns, workshops=list(workshops.items()))


def filter_board(board: Board, workshop_id: int | None = None, keyword: str = "") -> Board:
    """The board with only the cards that have a unit of ``workshop_id`` and every word of
    ``keyword`` (accents and case aside); the columns stay, even empty."""
    words = fold(keyword).split()

    def kept(card: Card) -> bool:
        if workshop_id is not None and workshop_id not in card.workshop_ids:
            return False
        text = card.search_text
        return all(word in text for word in words)

    return replace(board, columns=[replace(column, cards=[c for c in column.cards if kept(c)])
                                   for column in board.columns])
