"""Pre-moderation's answer to an author: a refusal with its reason, stored, audited, told
to the author only; what the author may see of their own unpublished items."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from diagnostic.errors import DomainError, ValidationError
from diagnostic.live import moderation
from diagnostic.live import queries as live_queries
from diagnostic.live.events import staged, take_staged
from diagnostic.live.participation import submit_contribution
from diagnostic.models import AuditEntry, ContributionStatus, ModerationMode, Role

MOMENT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def pre_workshop(db, make_workshop):
    workshop = make_workshop()
    workshop.moderation = ModerationMode.PRE
    db.session.commit()
    return workshop


@pytest.fixture
def author_item(db, make_participant, initiative_data):
    """``author_item(workshop)``: (participant, their pending item), staged news dropped."""
    def factory(workshop, name="Dominique", **fields):
        participant = make_participant(workshop, display_name=name)
        item, _ = submit_contribution(db.session, participant,
                                      initiative_data(workshop, **fields))
        db.session.commit()
        take_staged(db.session)
        return participant, item
    return factory


def audit(db, action):
    return [e for e in db.session.query(AuditEntry).filter_by(action=action)]


def test_a_refusal_stores_its_reason_and_time_and_is_audited(db, pre_workshop, author_item,
                                                            make_user):
    staff = make_user(role=Role.STAFF)
    _participant, item = author_item(pre_workshop)
    moderation.reject(db.session, pre_workshop, staff, item.id,
                      "  Hors sujet : parlez du territoire.  ", now=MOMENT)
    db.session.commit()
    db.session.expire_all()
    assert item.status == ContributionStatus.HIDDEN
    assert item.refusal_reason == "Hors sujet : parlez du territoire."
    assert item.refused_at.replace(tzinfo=UTC) == MOMENT
    [entry] = audit(db, "reject")
    assert entry.before == {"status": "pending"}
    assert entry.after == {"status": "hidden",
                           "refusal_reason": "Hors sujet : parlez du territoire."}
    assert entry.user_id == staff.id and entry.contribution_id == item.id


def test_a_refusal_is_told_to_its_author_and_the_consoles_never_the_room(
    db, pre_workshop, author_item
):
    participant, item = author_item(pre_workshop)
    moderation.reject(db.session, pre_workshop, None, item.id, "Doublon")
    messages = list(staged(db.session))
    assert {(m.audience, m.name) for m in messages} == {
        ("facilitators", "contribution_updated"), ("author", "my_contribution")}
    [told] = [m for m in messages if m.audience == "author"]
    assert told.participant_id == participant.id
    assert told.payload["refused"] is True and told.payload["refusal_reason"] == "Doublon"
    assert told.payload["description"] == item.description


@pytest.mark.parametrize("reason, message", [
    ("x" * (moderation.MAX_REFUSAL_REASON + 1), "Ce texte est trop long."),
    ("Motif\x07", None),
    (["liste"], "Valeur invalide."),
])
def test_a_bad_reason_is_refused_with_nothing_changed(db, pre_workshop, author_item, reason,
                                                      message):
    _participant, item = author_item(pre_workshop)
    with pytest.raises(ValidationError) as raised:
        moderation.reject(db.session, pre_workshop, None, item.id, reason)
    assert "reason" in raised.value.errors
    if message:
        assert raised.value.errors["reason"] == message
    db.session.rollback()
    assert item.status == ContributionStatus.PENDING and item.refused_at is None
    assert audit(db, "reject") == []


def test_without_a_reason_the_refusal_still_counts(db, pre_workshop, author_item):
    participant, item = author_item(pre_workshop)
    moderation.reject(db.session, pre_workshop, None, item.id, "   ")
    assert item.is_refused and item.refusal_reason is None
    assert audit(db, "reject")[0].after == {"status": "hidden"}


def test_only_a_pending_item_can_be_refused(db, make_workshop, author_item):
    workshop = make_workshop()  # post-moderation: published at once
    _participant, item = author_item(workshop)
    with pytest.raises(DomainError):
        moderation.reject(db.session, workshop, None, item.id, "Non")


def test_the_author_sees_their_pending_and_refused_items_no_one_else_does(
    db, pre_workshop, author_item
):
    author, pending = author_item(pre_workshop, name="Autrice", description="En attente")
    _a, refused = author_item(pre_workshop, name="Autrice 2")
    refused.participant = author
    other, others = author_item(pre_workshop, name="Témoin")
    moderation.reject(db.session, pre_workshop, None, refused.id, "Non")
    db.session.commit()
    assert live_queries.own_unpublished(db.session, author) == [pending, refused]
    assert live_queries.own_unpublished(db.session, other) == [others]
    moderation.approve(db.session, pre_workshop, None, pending.id)
    db.session.commit()
    assert live_queries.own_unpublished(db.session, author) == [refused]


def test_restoring_a_refused_item_withdraws_the_refusal(db, pre_workshop, author_item):
    author, item = author_item(pre_workshop)
    moderation.reject(db.session, pre_workshop, None, item.id, "Trop vague")
    db.session.commit()
    take_staged(db.session)
    moderation.restore(db.session, pre_workshop, None, item.id)
    assert item.is_published and not item.is_refused and item.refusal_reason is None
    [entry] = audit(db, "restore")
    assert entry.before == {"status": "hidden", "refusal_reason": "Trop vague"}
    assert entry.after == {"status": "published", "refusal_reason": None}
    assert live_queries.own_unpublished(db.session, author) == []
    # The room (and so the author) sees it as a published item.
    assert [m.audience for m in staged(db.session)] == ["room"]


def test_hiding_a_published_item_tells_its_author_nothing(db, make_workshop, author_item):
    workshop = make_workshop()
    author, item = author_item(workshop)
    moderation.hide(db.session, workshop, None, item.id)
    assert "author" not in {m.audience for m in staged(db.session)}
    assert live_queries.own_unpublished(db.session, author) == []
