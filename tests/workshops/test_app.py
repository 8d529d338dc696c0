"""Application set-up: configuration safety, CLI commands, migrations match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from diagnostic.models import Base, Diagnostic, Role, User
from workshops import create_app
from workshops.config import DEFAULT_SECRET_KEY

STRONG_SECRET = "kX3v9QpL2mZr7TfB1yHc8NwD4sJg6UaE0oVi5Rt"


def test_production_refuses_the_default_secret(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": DEFAULT_SECRET_KEY,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": STRONG_SECRET,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] == STRONG_SECRET


@pytest.mark.parametrize("secret, reason", [
    ("x", "1 bytes long, fewer than 32"),  # the probe's finding
    ("", "unset"),
    ("a-long-random-value", "19 bytes long"),
    ("ab" * 40, "2 distinct characters"),
    ("123456789" * 4, "9 distinct characters, fewer than 10"),
])
def test_production_refuses_a_weak_secret(tmp_path, secret, reason):
    with pytest.raises(RuntimeError, match=reason):
        create_app({"ENV_NAME": "production", "SECRET_KEY": secret,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})


def test_a_weak_secret_is_refused_by_the_server_at_start_up(tmp_path):
    """``diagnostic serve`` in production with SECRET_KEY=x exits with a clear error."""
    import subprocess

    from tests.live_server import LiveServer

    server = LiveServer(tmp_path, init_db=False, DIAGNOSTIC_ENV="production", SECRET_KEY="x")
    result = subprocess.run(server.command, env=server.env, cwd=server.cwd,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Refusing to start in production: SECRET_KEY is 1 bytes long" in result.stderr
    assert "secrets.token_urlsafe(48)" in result.stderr


def test_development_accepts_any_secret(tmp_path):
    app = create_app({"ENV_NAME": "development", "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] == "x"


def test_postgres_urls_use_psycopg3(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgres://u@localhost/db"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/db"


def test_create_user_command(app, db, runner):
    result = runner.invoke(
        args=["create-user", "--email", "Alex@Example.org", "--role", "facilitator"],
        env={"DIAGNOSTIC_USER_PASSWORD": "longenough"},
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "alex@example.org" and user.role == Role.FACILITATOR
    assert user.check_password("longenough")
    again = runner.invoke(
        args=["create-user", "--email", "alex@example.org"],
        env={"DIAGNOSTIC_USER_PASSWORD": "longenough"},
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(
        args=["create-user", "--email", "b@example.org"], env={"DIAGNOSTIC_USER_PASSWORD": "short"}
    )
    assert short.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def demo_count(db) -> int:
    """Demo diagnostics stored (committed: the CLI runs in its own session)."""
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(Diagnostic).where(Diagnostic.is_demo.is_(True)))


def test_load_demo_stores_the_demo_once(app, db, runner):
    first = runner.invoke(args=["load-demo"])
    assert first.exit_code == 0, first.output
    assert "Loaded demo diagnostic #" in first.output
    assert demo_count(db) == 1
    demo = db.session.scalar(select(Diagnostic))
    assert len(demo.workshops) == 8 and all(w.contributions for w in demo.workshops)
    again = runner.invoke(args=["load-demo"])
    assert again.exit_code != 0 and "déjà chargé" in again.output
    assert demo_count(db) == 1


def test_bootstrap_creates_one_staff_account_and_prints_it(app, db, runner):
    first = runner.invoke(args=["bootstrap"])
    assert first.exit_code == 0, first.output
    assert "Staff login: staff@example.org" in first.output
    assert demo_count(db) == 1
    second = runner.invoke(args=["bootstrap"])
    assert second.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    password = first.output.split("Staff login: staff@example.org / ")[1].split()[0]
    assert db.session.scalar(select(User)).check_password(password)
    assert password in second.output


def test_migrations_build_the_schema_of_the_models(app, db, runner):
    """``init-db`` (Alembic) must create exactly what the models declare, on either database."""
    Base.metadata.drop_all(db.engine)
    try:
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
    finally:
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_behind_a_proxy_join_links_use_the_public_host(app_config, app, make_user,
                                                       make_workshop):
    workshop = make_workshop()
    user = make_user()
    proxied = create_app({**app_config, "PROXY_FIX_HOPS": 1})
    client = proxied.test_client()
    forwarded = {"X-Forwarded-Host": "atelier.example.fr", "X-Forwarded-Proto": "https"}
    try:
        client.post("/auth/login", headers=forwarded,
                    data={"email": user.email, "password": "correct horse battery"})
        page = client.get(f"/staff/workshops/{workshop.id}", headers=forwarded)
    finally:
        with proxied.app_context():  # this second app's connections must not leak
            from workshops.extensions import db

            db.engine.dispose()
    assert f"https://atelier.example.fr/j/{workshop.join_code}" in page.get_data(as_text=True)
    direct = app.test_client()  # without the setting, forwarded headers are not trusted
    direct.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    page = direct.get(f"/staff/workshops/{workshop.id}", headers=forwarded)
    assert "atelier.example.fr" not in page.get_data(as_text=True)


def test_the_contact_consent_migration_leaves_existing_participants_not_agreed(app, db):
    """Participants who joined before the consent existed never gave it."""
    from flask_migrate import downgrade, upgrade

    Base.metadata.drop_all(db.engine)
    try:
        upgrade(revision="7d3f9a2c4e10")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO diagnostic (id, title, territory, period, description, is_demo,"
                " created_at) VALUES (1, 'D', 'T', '2011', '', false, CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO sector (id, diagnostic_id, position, name, communes)"
                " VALUES (1, 1, 0, 'Nord', '')"))
            connection.execute(text(
                "INSERT INTO workshop (id, diagnostic_id, kind, sector_id, title, place,"
                " join_code, status, phase, moderation, dot_budget, dot_max_per_item,"
                " last_seq, created_at) VALUES (1, 1, 'territorial', 1, 'A', '', 'ABC123',"
                " 'open', 'welcome', 'post', 5, 2, 0, CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO participant (workshop_id, display_name, organisation,"
                " agreed_to_be_named, token, created_at)"
                " VALUES (1, 'Sam', '', true, 'tok', CURRENT_TIMESTAMP)"))
        upgrade(revision="c4e8a1f2b7d3")
        with db.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT agreed_to_be_named, agreed_to_publish_contact, contact_consent_at"
                " FROM participant")).one()
        assert (bool(row[0]), bool(row[1]), row[2]) == (True, False, None)
        downgrade(revision="7d3f9a2c4e10")
        with db.engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("participant")}
        assert "agreed_to_publish_contact" not in columns
    finally:
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        Base.metadata.create_all(db.engine)
