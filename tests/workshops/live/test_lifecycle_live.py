"""Opening, closing and reopening a workshop from the console: socket events with acks, and
the HTTP fallback sharing the same service; phones and boards get status and phase together."""

from __future__ import annotations

import pytest

from diagnostic.models import AuditEntry, Phase, Role, Workshop, WorkshopStatus
from tests.conftest import PASSWORD
from tests.workshops.conftest import NS, events
from tests.workshops.live.test_facilitate_live import ask, console  # noqa: F401 (fixture)


def reload(db, workshop) -> Workshop:
    db.session.expire_all()
    return db.session.get(Workshop, workshop.id)


def actions(db) -> list[str]:
    return [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]


def test_a_facilitator_opens_closes_and_reopens_over_the_socket(console, board,  # noqa: F811
                                                                make_workshop, make_user, db):
    workshop = make_workshop(status="draft")
    animator = make_user(role=Role.FACILITATOR)
    workshop.facilitators.append(animator)
    db.session.commit()
    facilitator, projector = console(workshop, animator), board(workshop)
    projector.get_received(NS)

    refused = ask(facilitator, "set_phase", {"phase": "needs"})
    assert refused["ok"] is False and "en préparation" in refused["error"]
    assert reload(db, workshop).phase == Phase.WELCOME

    opened = ask(facilitator, "open_workshop", {})
    assert opened["ok"] is True
    assert (opened["workshop"]["status"], opened["workshop"]["phase"]) == ("open", "welcome")
    [told] = events(projector, "workshop_status")
    assert (told["status"], told["phase"]) == ("open", "welcome")
    assert ask(facilitator, "open_workshop", {})["ok"] is False  # already open

    assert ask(facilitator, "set_phase", {"phase": "vote"})["ok"] is True
    closed = ask(facilitator, "close_workshop", {})
    assert (closed["workshop"]["status"], closed["workshop"]["phase"]) == ("closed", "closed")
    [told] = events(projector, "workshop_status")
    assert (told["status"], told["phase"], told["phase_ends_at"]) == ("closed", "closed", None)

    refused = ask(facilitator, "set_phase", {"phase": "initiatives"})
    assert refused == {"ok": False, "fields": {},
                       "error": "L'atelier est clos : rouvrez-le avant de changer de phase "
                                "ou de lancer le minuteur."}
    assert ask(facilitator, "set_timer", {"seconds": 60})["ok"] is False
    assert events(projector, "workshop_updated") == []

    reopened = ask(facilitator, "reopen_workshop", {})
    assert (reopened["workshop"]["status"], reopened["workshop"]["phase"]) == ("open", "vote")
    assert actions(db) == ["open_workshop", "set_phase", "close_workshop", "reopen_workshop"]
    assert {e.user_id for e in db.session.query(AuditEntry)} == {animator.id}


@pytest.mark.parametrize("event", ["open_workshop", "close_workshop", "reopen_workshop"])
def test_phones_and_boards_cannot_change_the_status(phone, board, make_workshop, db, event):
    workshop = make_workshop()
    for socket in (phone(workshop), board(workshop)):
        ack = ask(socket, event, {})
        assert ack == {"ok": False, "error": "Seule l'animation de l'atelier peut faire cela.",
                       "fields": {}}
    assert reload(db, workshop).status == WorkshopStatus.OPEN and actions(db) == [
        "open_workshop"]


@pytest.fixture
def animator(app, db, make_user):
    """An HTTP client logged in as a facilitator (``.user``)."""
    user = make_user(role=Role.FACILITATOR)
    http = app.test_client()
    http.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    http.user = user
    return http


def test_http_fallback_opens_closes_after_confirmation_and_reopens(animator, make_workshop, db):
    workshop = make_workshop(status="draft")
    workshop.facilitators.append(animator.user)
    db.session.commit()
    url = f"/facilitate/{workshop.id}"
    page = animator.get(url).text
    assert 'id="workshop-status" class="badge draft">En préparation' in page
    assert 'data-phase="needs" aria-pressed="false" disabled' in page
    assert 'data-phase="closed"' not in page  # closing is its own, confirmed, button

    response = animator.post(f"{url}/open")
    assert response.status_code == 302 and response.location == url
    assert reload(db, workshop).status == WorkshopStatus.OPEN
    page = animator.get(url).text
    assert "L&#39;atelier est ouvert" in page  # the flash
    assert 'data-phase="needs" aria-pressed="false">' in page

    confirmation = animator.post(f"{url}/close")
    assert confirmation.status_code == 200 and "Clore l'atelier" in confirmation.text
    assert "ne pourront plus contribuer, soutenir ni voter" in confirmation.text
    assert reload(db, workshop).status == WorkshopStatus.OPEN
    assert animator.post(f"{url}/close", data={"confirm": "1"}).status_code == 302
    assert (reload(db, workshop).status, reload(db, workshop).phase) == (
        WorkshopStatus.CLOSED, Phase.CLOSED)
    refused = animator.post(f"{url}/close", data={"confirm": "1"})
    assert refused.status_code == 409 and "déjà clos" in refused.text

    assert animator.post(f"{url}/reopen").status_code == 302
    assert reload(db, workshop).status == WorkshopStatus.OPEN
    assert actions(db) == ["open_workshop", "close_workshop", "reopen_workshop"]


def test_http_fallback_refuses_a_facilitator_of_another_workshop(animator, make_workshop, db):
    workshop = make_workshop()
    assert animator.post(f"/facilitate/{workshop.id}/close",
                         data={"confirm": "1"}).status_code == 403
    assert reload(db, workshop).status == WorkshopStatus.OPEN
