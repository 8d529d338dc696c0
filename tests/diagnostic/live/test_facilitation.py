"""Facilitation services: phases, timer, moderation mode, dot-vote settings, facilitators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from diagnostic.errors import DomainError, ValidationError
from diagnostic.live import facilitation
from diagnostic.live.participation import submit_contribution
from diagnostic.models import (
    AuditEntry,
    ModerationMode,
    Role,
    Vote,
)


def audit(db, action):
    """The audit entries of one action, oldest first."""
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


def test_timer_sets_the_end_and_zero_clears_it(db, make_workshop, staff):
    workshop = make_workshop()
    noon = datetime(2011, 4, 12, 12, 0, tzinfo=UTC)
    facilitation.set_timer(db.session, workshop, staff, 600, now=lambda: noon)
    assert workshop.phase_ends_at == noon + timedelta(seconds=600)
    facilitation.set_timer(db.session, workshop, staff, 0)
    assert workshop.phase_ends_at is None
    facilitation.set_timer(db.session, workshop, staff, 60)
    facilitation.set_timer(db.session, workshop, staff, None)
    assert workshop.phase_ends_at is None
    assert len(audit(db, "set_timer")) == 4


@pytest.mark.parametrize("seconds", [-1, 7201, "300", 2.5, True, [60]])
def test_timer_bounds(db, make_workshop, staff, seconds):
    workshop = make_workshop()
    with pytest.raises(ValidationError):
        facilitation.set_timer(db.session, workshop, staff, seconds)
    assert workshop.phase_ends_at is None


def test_timer_accepts_the_maximum(db, make_workshop, staff):
    workshop = make_workshop()
    facilitation.set_timer(db.session, workshop, staff, 7200)
    assert workshop.phase_ends_at is not None


def test_moderation_mode(db, make_workshop, staff):
    workshop = make_workshop()
    facilitation.set_moderation(db.session, workshop, staff, "pre")
    assert workshop.moderation == ModerationMode.PRE
    assert audit(db, "set_moderation")[0].before == {"moderation": "post"}
    with pytest.raises(ValidationError):
        facilitation.set_moderation(db.session, workshop, staff, "never")
    assert workshop.moderation == ModerationMode.PRE


@pytest.mark.parametrize(("budget", "per_item", "field"), [
    (0, 1, "dot_budget"), (21, 3, "dot_budget"), ("5", 3, "dot_budget"),
    (5, 0, "dot_max_per_item"), (5, 6, "dot_max_per_item"), (5, None, "dot_max_per_item"),
])
def test_vote_settings_bounds(db, make_workshop, staff, budget, per_item, field):
    workshop = make_workshop()
    with pytest.raises(ValidationError) as error:
        facilitation.set_vote_settings(db.session, workshop, staff, budget, per_item)
    assert field in error.value.errors
    assert (workshop.dot_budget, workshop.dot_max_per_item) == (5, 3)


def test_vote_settings_cannot_go_below_what_was_spent(
    db, make_workshop, make_participant, initiative_data, staff
):
    workshop = make_workshop()
    participant = make_participant(workshop)
    item, _ = submit_contribution(db.session, participant, initiative_data(workshop))
    db.session.add(Vote(contribution_id=item.id, participant_id=participant.id, dots=3))
    db.session.commit()
    with pytest.raises(DomainError):
        facilitation.set_vote_settings(db.session, workshop, staff, 2, 2)
    assert (workshop.dot_budget, workshop.dot_max_per_item) == (5, 3)
    facilitation.set_vote_settings(db.session, workshop, staff, 10, 3)
    assert (workshop.dot_budget, workshop.dot_max_per_item) == (10, 3)
    assert audit(db, "set_vote_settings")[0].after == {"dot_budget": 10, "dot_max_per_item": 3}


def test_set_facilitators_only_takes_facilitator_accounts(db, make_workshop, make_user, staff):
    workshop = make_workshop()
    animator = make_user(role=Role.FACILITATOR)
    facilitation.set_facilitators(db.session, workshop, staff, [animator.id])
    assert workshop.facilitators == [animator] and workshop.can_facilitate(animator)
    with pytest.raises(ValidationError):
        facilitation.set_facilitators(db.session, workshop, staff, [staff.id])
    db.session.refresh(workshop)
    assert workshop.facilitators == [animator]
    assert audit(db, "set_facilitators")[0].after == {"facilitators": [animator.id]}
