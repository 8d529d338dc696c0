"""Live fixtures shared by the workshop tests: phones and boards over Socket.IO."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from diagnostic.models import Contribution, Role
from workshops.extensions import socketio

NS = "/live"


@pytest.fixture
def phone(app, db):
    """A phone: its own HTTP client joins ``workshop`` through the pages, then opens a socket."""

    def factory(workshop, name: str = "Sam", auth: dict | None = None):
        http = app.test_client()
        response = http.post(f"/j/{workshop.join_code}", data={"display_name": name})
        assert response.status_code == 302, response.get_data(as_text=True)
        socket = socketio.test_client(
            app, namespace=NS, flask_test_client=http,
            auth=auth if auth is not None else {"workshop_id": workshop.id},
        )
        return socket

    return factory


@pytest.fixture
def board(app, make_user):
    """A projector: a logged-in facilitator's socket in the board role."""

    def factory(workshop):
        http = app.test_client()
        user = make_user(role=Role.FACILITATOR)
        http.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
        return socketio.test_client(
            app, namespace=NS, flask_test_client=http,
            auth={"workshop_id": workshop.id, "role": "board"},
        )

    return factory


def stored(db) -> int:
    """Number of contributions in the database."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Contribution))


def events(socket, name: str) -> list:
    """The first argument of each ``name`` event the socket received since last asked."""
    return [e["args"][0] for e in socket.get_received(NS) if e["name"] == name]
