"""Withdrawing one's own contribution without JavaScript: the link, the confirmation, the POST."""

from __future__ import annotations

import html
import re

import pytest

from diagnostic.live import lifecycle, participation
from diagnostic.models import Contribution
from tests.conftest import IsolatedClient
from tests.workshops.conftest import NS, events
from workshops.extensions import socketio

TEXT = "Une coopérative d'activité et d'emploi."


@pytest.fixture
def app_config(app_config):
    """CSRF on, as in production: the confirmation form carries its token."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def joined(app, workshop, name):
    """A browser that joined ``workshop`` through the (protected) name form."""
    app.test_client_class = IsolatedClient  # its own ``g``: CSRF tokens are cached there
    http = app.test_client()
    page = http.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    http.post(f"/j/{workshop.join_code}", data={"display_name": name, "csrf_token": token(page)})
    return http


def token(page: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def room(app, db, make_workshop, initiative_data):
    """An open workshop, the author's browser and their item, another participant's item."""
    workshop = make_workshop()
    author, other = joined(app, workshop, "Autrice"), joined(app, workshop, "Voisin")
    participants = db.session.query(participation.Participant).order_by("id").all()
    mine, _ = participation.submit_contribution(db.session, participants[0],
                                                initiative_data(workshop))
    theirs, _ = participation.submit_contribution(db.session, participants[1], initiative_data(
        workshop, name="Régie", description="Une régie de quartier"))
    db.session.commit()
    return workshop, author, other, mine.id, theirs.id


def url(workshop, cid):
    return f"/j/{workshop.join_code}/withdraw/{cid}"


def test_own_items_only_get_a_withdraw_link(room):
    workshop, author, _, mine, theirs = room
    page = author.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert f'href="{url(workshop, mine)}"' in page
    assert url(workshop, theirs) not in page
    assert "Retirer ma contribution « Coopérative Ozon »" in page
    assert 'id="withdraw-dialog"' in page


def test_no_link_once_the_workshop_is_closed(db, room):
    workshop, author, _, mine, _ = room
    lifecycle.close_workshop(db.session, workshop, None)
    db.session.commit()
    page = author.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    assert url(workshop, mine) not in page
    assert author.get(url(workshop, mine)).status_code == 409


def test_confirm_then_withdraw(app, db, room, make_user):
    workshop, author, _, mine, _ = room
    projector = board_socket(app, workshop, make_user)
    confirm = author.get(url(workshop, mine))
    page = html.unescape(confirm.get_data(as_text=True))
    assert confirm.status_code == 200
    assert "Retirer cette contribution ?" in page and TEXT in page
    assert author.post(url(workshop, mine)).status_code == 400  # no CSRF token: refused
    projector.get_received(NS)
    response = author.post(url(workshop, mine), data={"csrf_token": token(page)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.join_code}/contribute")
    db.session.expire_all()
    row = db.session.get(Contribution, mine)
    assert row.withdrawn_at is not None and row.description == ""
    [gone] = events(projector, "contribution_updated")
    assert gone["id"] == mine and gone["withdrawn"] is True
    after = html.unescape(author.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True))
    assert "Votre contribution a été retirée" in after and TEXT not in after
    assert author.get(url(workshop, mine)).status_code == 410
    # A second POST (a double tap) is fine: nothing changes.
    again = author.post(url(workshop, mine), data={"csrf_token": token(page)})
    assert again.status_code == 302


def test_someone_elses_item_is_refused(db, room):
    workshop, _, other, mine, _ = room
    assert other.get(url(workshop, mine)).status_code == 403
    page = other.get(f"/j/{workshop.join_code}/contribute").get_data(as_text=True)
    response = other.post(url(workshop, mine), data={"csrf_token": token(page)})
    assert response.status_code == 403
    assert "Vous ne pouvez retirer que vos propres contributions." in response.get_data(
        as_text=True)
    assert other.get(url(workshop, 99_999)).status_code == 404
    db.session.expire_all()
    assert db.session.get(Contribution, mine).withdrawn_at is None


def test_a_browser_that_did_not_join_is_sent_to_the_join_page(app, room):
    workshop, _, _, mine, _ = room
    response = app.test_client().get(url(workshop, mine))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/j/{workshop.join_code}")


def test_a_resent_form_after_withdrawal_is_not_stored_again(app, db, room, initiative_data):
    workshop, author, _, mine, _ = room
    client_id = db.session.get(Contribution, mine).client_id
    page = author.get(url(workshop, mine)).get_data(as_text=True)
    author.post(url(workshop, mine), data={"csrf_token": token(page)})
    data = {**initiative_data(workshop, client_id=client_id), "csrf_token": token(page)}
    response = author.post(f"/j/{workshop.join_code}/contribute", data=data,
                           follow_redirects=True)
    assert "avait déjà été reçue, puis retirée" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Contribution).count() == 2


def board_socket(app, workshop, make_user):
    from diagnostic.models import Role
    from tests.conftest import logged_in_client
    from workshops.extensions import db

    http = logged_in_client(app, db, make_user(role=Role.FACILITATOR))
    return socketio.test_client(app, namespace=NS, flask_test_client=http,
                                auth={"workshop_id": workshop.id, "role": "board"})
