"""Supports (+1) and dot voting: the rules of diagnostic.live.supports on the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnostic.errors import DomainError, NotFound, WorkshopNotOpen
from diagnostic.live import lifecycle, participation, supports
from diagnostic.models import ContributionStatus, Phase, Support, Vote


@pytest.fixture
def room(db, make_workshop, make_participant, initiative_data):
    """An open workshop, an author with two items, and a voter."""
    workshop = make_workshop()
    author = make_participant(workshop, "Autrice")
    voter = make_participant(workshop, "Votant")
    first, _ = participation.submit_contribution(db.session, author, initiative_data(workshop))
    second, _ = participation.submit_contribution(db.session, author,
                                             initiative_data(workshop, name="Régie"))
    return workshop, author, voter, first, second


def in_vote(db, workshop, budget: int = 5, per_item: int = 3):
    """Move the workshop to the vote phase with this budget."""
    workshop.phase = Phase.VOTE
    workshop.dot_budget = budget
    workshop.dot_max_per_item = per_item
    db.session.commit()


def count(db, model) -> int:
    """Rows of ``model`` in the database."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_participant_supports_an_item_once(db, room):
    _, _, voter, first, _ = room
    assert supports.support_contribution(db.session, voter, first.id)[1] is True
    assert supports.support_contribution(db.session, voter, first.id)[1] is False
    assert count(db, Support) == 1
    assert supports.participant_votes(db.session, voter)["supported"] == [first.id]


def test_withdrawing_a_support_removes_it(db, room):
    _, _, voter, first, _ = room
    supports.support_contribution(db.session, voter, first.id)
    assert supports.withdraw_support(db.session, voter, first.id)[1] is True
    assert supports.withdraw_support(db.session, voter, first.id)[1] is False
    assert count(db, Support) == 0


def test_supporting_ones_own_item_is_refused(db, room):
    _, author, _, first, _ = room
    with pytest.raises(DomainError, match="propre contribution"):
        supports.support_contribution(db.session, author, first.id)
    assert count(db, Support) == 0


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.CLOSED])
def test_supports_close_with_collection(db, room, phase):
    workshop, _, voter, first, _ = room
    workshop.phase = phase
    db.session.commit()
    with pytest.raises(DomainError, match="soutiens"):
        supports.support_contribution(db.session, voter, first.id)
    assert count(db, Support) == 0


def test_no_support_in_a_closed_workshop(db, room):
    workshop, _, voter, first, _ = room
    lifecycle.close_workshop(db.session, workshop, None)
    with pytest.raises(WorkshopNotOpen):
        supports.support_contribution(db.session, voter, first.id)


def test_hidden_merged_or_foreign_items_cannot_be_supported(
    db, room, make_workshop, make_participant, initiative_data
):
    _, _, voter, first, second = room
    other = make_workshop(title="Atelier Sud")
    stranger, _ = participation.submit_contribution(
        db.session, make_participant(other), initiative_data(other))
    first.status = ContributionStatus.HIDDEN
    second.merged_into_id = stranger.id
    db.session.commit()
    for target in (first.id, second.id, stranger.id, 999_999, "1", None, True):
        with pytest.raises(NotFound):
            supports.support_contribution(db.session, voter, target)
    assert count(db, Support) == 0


def test_dots_are_set_changed_and_removed(db, room):
    workshop, _, voter, first, second = room
    in_vote(db, workshop)
    assert supports.set_dots(db.session, voter, first.id, 2)[1:] == (3, True)
    assert supports.set_dots(db.session, voter, second.id, 3)[1:] == (0, True)
    assert supports.set_dots(db.session, voter, first.id, 2)[1:] == (0, False)
    assert supports.set_dots(db.session, voter, first.id, 0)[1:] == (2, True)
    summary = supports.participant_votes(db.session, voter)
    assert summary["votes"] == {str(second.id): 3}
    assert summary["dots_left"] == 2 and summary["dot_budget"] == 5
    assert count(db, Vote) == 1


def test_the_budget_cannot_be_exceeded_and_nothing_is_stored(db, room):
    workshop, _, voter, first, second = room
    in_vote(db, workshop, budget=4, per_item=3)
    supports.set_dots(db.session, voter, first.id, 3)
    with pytest.raises(DomainError, match="il vous en reste 1") as refused:
        supports.set_dots(db.session, voter, second.id, 2)
    assert refused.value.params == {"budget": 4, "left": 1}
    assert count(db, Vote) == 1
    assert supports.participant_votes(db.session, voter)["votes"] == {str(first.id): 3}
    # Moving dots from one item to another within the budget is fine.
    supports.set_dots(db.session, voter, first.id, 1)
    assert supports.set_dots(db.session, voter, second.id, 3)[1] == 0


@pytest.mark.parametrize("dots", [4, -1, "2", 1.5, None, True])
def test_dots_per_item_are_bounded(db, room, dots):
    workshop, _, voter, first, _ = room
    in_vote(db, workshop, budget=10, per_item=3)
    with pytest.raises(DomainError):
        supports.set_dots(db.session, voter, first.id, dots)
    assert count(db, Vote) == 0


@pytest.mark.parametrize("phase", [Phase.WELCOME, Phase.INITIATIVES, Phase.CLOSED])
def test_voting_outside_the_vote_phase_is_refused(db, room, phase):
    workshop, _, voter, first, _ = room
    workshop.phase = phase
    db.session.commit()
    with pytest.raises(DomainError, match="vote n'est pas ouvert"):
        supports.set_dots(db.session, voter, first.id, 1)
    assert count(db, Vote) == 0


def test_voting_on_another_workshops_item_is_refused(
    db, room, make_workshop, make_participant, initiative_data
):
    workshop, _, voter, _, _ = room
    in_vote(db, workshop)
    other = make_workshop(title="Atelier Sud")
    stranger, _ = participation.submit_contribution(
        db.session, make_participant(other), initiative_data(other))
    with pytest.raises(NotFound):
        supports.set_dots(db.session, voter, stranger.id, 1)
    assert count(db, Vote) == 0


def test_dots_on_a_hidden_item_no_longer_use_the_budget(db, room):
    workshop, _, voter, first, second = room
    in_vote(db, workshop, budget=3)
    supports.set_dots(db.session, voter, first.id, 3)
    first.status = ContributionStatus.HIDDEN
    db.session.commit()
    assert supports.participant_votes(db.session, voter)["dots_left"] == 3
    assert supports.set_dots(db.session, voter, second.id, 3)[1] == 0


def test_top_voted_ranks_by_dots_then_supports(db, room, make_participant, initiative_data):
    workshop, author, voter, first, second = room
    third, _ = participation.submit_contribution(db.session, author,
                                            initiative_data(workshop, name="Tiers-lieu"))
    supports.support_contribution(db.session, voter, third.id)
    in_vote(db, workshop)
    other = make_participant(workshop, "Autre")
    supports.set_dots(db.session, voter, second.id, 2)
    supports.set_dots(db.session, other, second.id, 1)
    supports.set_dots(db.session, other, first.id, 1)
    ranking = supports.top_voted(db.session, workshop)
    assert [(r.contribution.id, r.dots, r.supports) for r in ranking] == [
        (second.id, 3, 0), (first.id, 1, 0), (third.id, 0, 1),
    ]
    assert len(supports.top_voted(db.session, workshop, limit=1)) == 1
