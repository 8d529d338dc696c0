"""The workshop state machine: draft → open (phases) → closed → reopened; each transition
audited and announced with status and phase together, each refusal changing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from diagnostic.errors import DomainError, Forbidden, ValidationError
from diagnostic.live import facilitation, lifecycle
from diagnostic.live.events import staged
from diagnostic.models import AuditEntry, Phase, Role, WorkshopEvent, WorkshopStatus


def audit(db, action=None):
    """The audit entries (of one action), oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def recorded(db, workshop):
    """(name, status, phase) of the workshop's recorded room events, once what was
    staged is committed (room events are numbered and recorded at the commit)."""
    db.session.commit()
    return [(e.name, e.payload.get("status"), e.payload.get("phase"))
            for e in db.session.scalars(select(WorkshopEvent).where(
                WorkshopEvent.workshop_id == workshop.id).order_by(WorkshopEvent.seq))]


def state(workshop):
    return workshop.status, workshop.phase, workshop.phase_ends_at


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.STAFF)


def test_open_a_draft_in_its_prepared_phase(db, make_workshop, staff):
    workshop = make_workshop(status="draft")
    lifecycle.open_workshop(db.session, workshop, staff)
    assert state(workshop) == (WorkshopStatus.OPEN, Phase.WELCOME, None)
    [entry] = audit(db, "open_workshop")
    assert entry.user_id == staff.id
    assert entry.before == {"status": "draft", "phase": "welcome", "phase_ends_at": None}
    assert entry.after == {"status": "open", "phase": "welcome", "phase_ends_at": None}
    [message] = staged(db.session)
    assert message.name == "workshop_status" and message.audience == "room"
    assert (message.payload["status"], message.payload["phase"]) == ("open", "welcome")
    assert message.payload["workshop_id"] == workshop.id
    assert recorded(db, workshop) == [("workshop_status", "open", "welcome")]


def test_phases_in_any_order_while_open_audited_and_announced(db, make_workshop, staff):
    workshop = make_workshop()
    facilitation.set_timer(db.session, workshop, staff, 300)
    lifecycle.set_phase(db.session, workshop, staff, "needs")
    assert workshop.phase_ends_at is None  # a new phase clears the timer
    lifecycle.set_phase(db.session, workshop, staff, Phase.INITIATIVES)
    assert state(workshop) == (WorkshopStatus.OPEN, Phase.INITIATIVES, None)
    [first, second] = audit(db, "set_phase")
    assert first.before["phase"] == "welcome" and first.before["phase_ends_at"] is not None
    assert first.after == {"status": "open", "phase": "needs", "phase_ends_at": None}
    assert second.user_id == staff.id and second.workshop_id == workshop.id
    assert [m.payload["phase"] for m in staged(db.session)
            if m.name == "workshop_updated"][-2:] == ["needs", "initiatives"]


def test_close_ends_the_phase_and_the_timer(db, make_workshop, staff):
    workshop = make_workshop()
    lifecycle.set_phase(db.session, workshop, staff, "vote")
    facilitation.set_timer(db.session, workshop, staff, 300)
    db.session.commit()
    lifecycle.close_workshop(db.session, workshop, staff)
    assert state(workshop) == (WorkshopStatus.CLOSED, Phase.CLOSED, None)
    [entry] = audit(db, "close_workshop")
    assert entry.before["status"] == "open" and entry.before["phase"] == "vote"
    assert entry.after == {"status": "closed", "phase": "closed", "phase_ends_at": None}
    assert recorded(db, workshop)[-1] == ("workshop_status", "closed", "closed")


def test_reopen_goes_back_to_the_phase_it_was_closed_in(db, make_workshop, staff):
    workshop = make_workshop()
    lifecycle.set_phase(db.session, workshop, staff, "recommendations")
    lifecycle.close_workshop(db.session, workshop, staff)
    lifecycle.reopen_workshop(db.session, workshop, staff)
    assert state(workshop) == (WorkshopStatus.OPEN, Phase.RECOMMENDATIONS, None)
    [entry] = audit(db, "reopen_workshop")
    assert entry.before["status"] == "closed" and entry.after["phase"] == "recommendations"
    assert recorded(db, workshop)[-1] == ("workshop_status", "open", "recommendations")


def test_reopen_without_a_recorded_closing_starts_at_welcome(db, make_workshop, staff):
    workshop = make_workshop()
    for entry in audit(db):
        db.session.delete(entry)
    workshop.status, workshop.phase = WorkshopStatus.CLOSED, Phase.CLOSED  # an old closing
    lifecycle.reopen_workshop(db.session, workshop, None)
    assert state(workshop) == (WorkshopStatus.OPEN, Phase.WELCOME, None)


def test_an_assigned_facilitator_may_reopen_a_stranger_may_not(db, make_workshop, make_user):
    workshop = make_workshop(status="closed")
    stranger, animator = make_user(role=Role.FACILITATOR), make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(animator)
    db.session.commit()
    with pytest.raises(Forbidden):
        lifecycle.reopen_workshop(db.session, workshop, stranger)
    assert workshop.status == WorkshopStatus.CLOSED and audit(db, "reopen_workshop") == []
    lifecycle.reopen_workshop(db.session, workshop, animator)
    assert workshop.status == WorkshopStatus.OPEN
    assert audit(db, "reopen_workshop")[0].user_id == animator.id


REFUSED = [
    ("draft", lambda s, w, u: lifecycle.set_phase(s, w, u, "needs"), "en préparation"),
    ("closed", lambda s, w, u: lifecycle.set_phase(s, w, u, "needs"), "clos"),
    ("open", lambda s, w, u: lifecycle.set_phase(s, w, u, "closed"), "Clore l'atelier"),
    ("draft", lambda s, w, u: facilitation.set_timer(s, w, u, 60), "en préparation"),
    ("closed", lambda s, w, u: facilitation.set_timer(s, w, u, 60), "clos"),
    ("open", lifecycle.open_workshop, "déjà ouvert"),
    ("closed", lifecycle.open_workshop, "rouvrez-le"),
    ("draft", lifecycle.close_workshop, "en préparation"),
    ("closed", lifecycle.close_workshop, "déjà clos"),
    ("draft", lifecycle.reopen_workshop, "Seul un atelier clos"),
    ("open", lifecycle.reopen_workshop, "Seul un atelier clos"),
]


@pytest.mark.parametrize(("status", "change", "says"), REFUSED,
                         ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(REFUSED)])
def test_refusals_change_nothing(db, make_workshop, staff, status, change, says):
    workshop = make_workshop(status=status)
    before, entries = state(workshop), len(audit(db))
    events = recorded(db, workshop)
    with pytest.raises(DomainError) as error:
        change(db.session, workshop, staff)
    assert says in str(error.value)
    assert state(workshop) == before
    assert staged(db.session) == []
    assert len(audit(db)) == entries and recorded(db, workshop) == events


def test_unknown_phase_and_action(db, make_workshop, staff):
    workshop = make_workshop()
    with pytest.raises(ValidationError) as error:
        lifecycle.set_phase(db.session, workshop, staff, "lunch")
    assert "phase" in error.value.errors
    with pytest.raises(ValidationError):
        lifecycle.change_status(db.session, workshop, staff, "archive")
    assert workshop.phase == Phase.WELCOME and audit(db, "set_phase") == []


@pytest.mark.parametrize(("status", "phase", "expected"), [
    ("closed", "initiatives", Phase.CLOSED),
    ("open", "closed", Phase.WELCOME),
    ("draft", "closed", Phase.WELCOME),
    ("open", "vote", Phase.VOTE),
])
def test_consistent_phase(status, phase, expected):
    assert lifecycle.consistent_phase(status, phase) == expected
