"""Shared fixtures: the app on SQLite (or PostgreSQL), clients and callable factories."""

from __future__ import annotations

import itertools
import os
import sys
import uuid

import pytest
from flask.testing import FlaskClient

from diagnostic.frame import planning
from diagnostic.live import lifecycle, participation
from diagnostic.models import Base, Role, User, Vocabulary, WorkshopKind
from workshops import create_app
from workshops.extensions import db as _db

PASSWORD = "correct horse battery"
STAKES = [
    "Favoriser le développement et la pérennité de cette économie et de ses emplois",
    "Mieux répondre aux attentes et aux besoins des structures de l'ESS",
]


class FrozenTime:
    """Stands for the ``time`` module where only ``time()`` is read."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def frozen_rate_limit_clock(monkeypatch) -> FrozenTime:
    """The limiter's clock, frozen: every hit of a test falls in one window.

    The sliding-window counter weighs the previous window's hits by how much of it is left,
    so a test that crosses a window boundary (a minute, on the wall clock) would see one
    more or one fewer try than its rule says. Counting in tests is exact only without that
    clock; a test that needs time to pass advances ``now``.
    """
    import limits.storage.memory

    from workshops import limits as project_limits

    clock = FrozenTime(1_800_000_000.0)  # any instant: frozen, it never crosses a boundary
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(project_limits, "time", clock)
    return clock


def database_url(tmp_path) -> str:
    """PostgreSQL when DIAGNOSTIC_TEST_DATABASE_URL is set, else a fresh SQLite file."""
    return os.environ.get("DIAGNOSTIC_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Settings of the test app; tests may tweak them before ``app`` is created."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "SOCKETIO_MESSAGE_QUEUE": None,
    }


@pytest.fixture
def app(app_config, tmp_path):
    """A fresh application with an empty schema."""
    os.environ["DIAGNOSTIC_INSTANCE_PATH"] = str(tmp_path / "instance")
    application = create_app(app_config)
    with application.app_context():
        Base.metadata.drop_all(_db.engine)
        Base.metadata.create_all(_db.engine)
        yield application
        _db.session.remove()
        Base.metadata.drop_all(_db.engine)
        _db.engine.dispose()
    index = sys.modules.get("diagnostic.synthesis.index")
    if index is not None:  # the next test's ids start again: no pairs carried over
        index.forget()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle (use ``db.session``)."""
    return _db


class IsolatedClient(FlaskClient):
    """Each request in its own app context (own ``g`` and db session), as in production.

    The ``app`` fixture keeps an app context pushed for the factories; requests would
    otherwise reuse it, and Flask-Login's user or Flask-Babel's locale would leak from one
    request to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_user(db):
    """Create an account: ``make_user(role=Role.FACILITATOR, email=...)``."""

    def factory(role: Role = Role.STAFF, email: str | None = None, password: str = PASSWORD):
        user = User(email=email or f"user{next(_counter)}@example.org", name="Camille", role=role)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(client):
    """Log ``user`` in through the real login form."""

    def do_login(user, password: str = PASSWORD):
        response = client.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data
        return response

    return do_login


def logged_in_client(app, db, user) -> FlaskClient:
    """A client logged in as ``user`` without the login form: a real login session's token
    in its cookie (for tests that turn CSRF on, which the plain form would then need)."""
    from diagnostic import accounts

    app.test_client_class = IsolatedClient
    client = app.test_client()
    token = accounts.open_session(db.session, user)  # the id the cookie carries: a login's
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


@pytest.fixture
def make_diagnostic(db):
    """A diagnostic with two stakes, two sectors, one theme and the default taxonomies."""
    from diagnostic.models import Sector, Theme

    def factory(title: str = "Diagnostic ESS", **kwargs):
        diagnostic = planning.create_diagnostic(
            db.session, title=title, territory=kwargs.pop("territory", "Grand Toulouse"),
            period="2011", stakes=kwargs.pop("stakes", STAKES), **kwargs,
        )
        diagnostic.sectors.extend([Sector(name="Nord", position=0), Sector(name="Sud", position=1)])
        diagnostic.themes.append(Theme(name="Entrepreneuriat solidaire", position=0))
        db.session.commit()
        return diagnostic

    return factory


@pytest.fixture
def make_workshop(db, make_diagnostic):
    """An open territorial workshop (``status="draft"``/``"closed"`` to change)."""

    def factory(diagnostic=None, status: str = "open", **kwargs):
        diagnostic = diagnostic or make_diagnostic()
        fields = {"kind": WorkshopKind.TERRITORIAL, "title": "Atelier Nord",
                  "sector_id": diagnostic.sectors[0].id}
        fields.update(kwargs)
        workshop = planning.create_workshop(db.session, diagnostic, **fields)
        if status in ("open", "closed"):
            lifecycle.open_workshop(db.session, workshop, None)
        if status == "closed":
            lifecycle.close_workshop(db.session, workshop, None)
        db.session.commit()
        return workshop

    return factory


@pytest.fixture
def make_participant(db, make_workshop):
    """A participant joined to ``workshop`` (a new open workshop by default)."""

    def factory(workshop=None, display_name: str = "Dominique", **kwargs):
        workshop = workshop or make_workshop()
        participant = participation.join_workshop(db.session, workshop,
                                                  display_name=display_name, **kwargs)
        db.session.commit()
        return participant

    return factory


def new_client_id() -> str:
    """A client-generated contribution id, as the browser makes them."""
    return uuid.uuid4().hex


@pytest.fixture
def initiative_data():
    """A valid initiative payload for ``workshop``'s diagnostic."""

    def factory(workshop, **overrides):
        family = workshop.diagnostic.terms_of(Vocabulary.ESS_FAMILY)[1]
        data = {
            "kind": "initiative", "client_id": new_client_id(), "name": "Coopérative Ozon",
            "description": "Une coopérative d'activité et d'emploi.",
            "ess_family_id": family.id, "commune": "Toulouse", "jobs_fte": "4,5",
            "stage": "established",
        }
        data.update(overrides)
        return data

    return factory
