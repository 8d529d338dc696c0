"""The project's commands of the ``diagnostic`` console script (``register_commands``)."""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from diagnostic import queries
from diagnostic.errors import DomainError
from diagnostic.models import Diagnostic, Role, User

from .extensions import db, socketio
from .paths import data_folder
from .transport.nodelay import server_options

CREDENTIALS_FILE = "staff-credentials.txt"


def create_user(email: str, name: str, password: str, role: Role) -> User:
    """Create an account (e-mail unique, case-insensitive); raises ClickException on misuse.

    With a password set directly (the first staff account, scripts); in the interface,
    staff create accounts on the Comptes page and hand over an invitation link instead.
    """
    from diagnostic.account_admin import MIN_PASSWORD_LENGTH, normalise_email

    email = normalise_email(email)
    if "@" not in email:
        raise click.ClickException("A valid e-mail address is required.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if queries.user_by_email(db.session, email):
        raise click.ClickException(f"An account already exists for {email}.")
    user = User(email=email, name=name.strip() or email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def register_commands(app: Flask) -> None:
    """Attach the project's commands to ``app.cli``."""
    from .cli_cluster import register_cluster_command
    from .cli_export import register_export_commands
    from .cli_participant import register_participant_commands
    from .cli_purge import register_purge_command

    register_cluster_command(app)
    register_export_commands(app)
    register_participant_commands(app)
    register_purge_command(app)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database schema (Alembic migrations)."""
        from flask_migrate import upgrade

        upgrade(directory=str(data_folder("migrations")))
        click.echo(f"Database ready: {_safe_url()}")

    @app.cli.command("create-user")
    @click.option("--email", prompt=True, help="Login e-mail address.")
    @click.option("--name", default="", help="Display name (defaults to the e-mail).")
    @click.option(
        "--role", type=click.Choice([r.value for r in Role]), default=Role.STAFF.value,
        show_default=True,
    )
    @click.option(
        "--password", envvar="DIAGNOSTIC_USER_PASSWORD", prompt=True, hide_input=True,
        confirmation_prompt=True, help="Prompted, or taken from DIAGNOSTIC_USER_PASSWORD.",
    )
    def create_user_command(email: str, name: str, role: str, password: str) -> None:
        """Create a staff or facilitator account."""
        user = create_user(email, name, password, Role(role))
        click.echo(f"Created {user.role.value} account {user.email}.")

    @app.cli.command("unlock-user")
    @click.argument("email")
    def unlock_user_command(email: str) -> None:
        """Unlock an account that too many failed logins locked."""
        from diagnostic import accounts

        user = queries.user_by_email(db.session, email)
        if user is None:
            raise click.ClickException(f"No account for {email.strip().lower()}.")
        if accounts.unlock(db.session, user):
            db.session.commit()
            click.echo(f"Unlocked {user.email}.")
        else:
            click.echo(f"{user.email} was not locked.")

    @app.cli.command("load-demo")
    def load_demo_command() -> None:
        """Load the Grand Toulouse 2011 demo diagnostic (clearly marked as demo data)."""
        from diagnostic.demo.loader import load_demo

        try:
            diagnostic = load_demo(db.session)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        except BaseException:
            db.session.rollback()
            raise
        click.echo(f"Loaded demo diagnostic #{diagnostic.id}: {diagnostic.title}")

    @app.cli.command("bootstrap")
    def bootstrap() -> None:
        """First-run set-up: demo data when the database is empty, a staff account if none."""
        from diagnostic.demo.loader import load_demo

        if db.session.scalar(select(func.count()).select_from(Diagnostic)) == 0:
            diagnostic = load_demo(db.session)
            db.session.commit()
            click.echo(f"Loaded the demo diagnostic: {diagnostic.title}")
        Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
        credentials = Path(current_app.instance_path) / CREDENTIALS_FILE
        if db.session.scalar(select(func.count()).select_from(User)) == 0:
            email = os.environ.get("DIAGNOSTIC_ADMIN_EMAIL", "staff@example.org")
            password = os.environ.get("DIAGNOSTIC_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            create_user(email, "Chargé·e d'étude", password, Role.STAFF)
            credentials.write_text(f"{email}\n{password}\n", encoding="utf-8")
            credentials.chmod(0o600)
        if credentials.exists():
            email, password = credentials.read_text(encoding="utf-8").split()[:2]
            click.echo(f"Staff login: {email} / {password}  (saved in {credentials})")

    @app.cli.command("serve")
    @click.option("--host", envvar="HOST", default="127.0.0.1", show_default=True)
    @click.option("--port", envvar="PORT", default=5000, type=int, show_default=True)
    def serve(host: str, port: int) -> None:
        """Serve the app with real WebSockets (threading, or gevent under diagnostic-server).

        Threading runs through ``socketio.run`` (Werkzeug); gevent through gevent's own
        WSGI server, as ``socketio.run`` would start it, but with our connection handler
        (``workshops.transport.nodelay``).
        """
        click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
        # Flask ignores app.run() under its CLI; socketio.run relies on it to serve.
        os.environ.pop("FLASK_RUN_FROM_CLI", None)
        # Everything loaded so far lives as long as the process: keep it out of the
        # garbage collector's full passes, which otherwise pause every connection at once
        # (docs/PERFORMANCE.md).
        gc.collect()
        gc.freeze()
        app = current_app._get_current_object()
        access_log = os.environ.get("DIAGNOSTIC_ACCESS_LOG") == "1"
        options = server_options(socketio.server.eio.async_mode,
                                 app.config["HTTP_READ_TIMEOUT"] or None)
        if "handler_class" in options:  # gevent: our own pywsgi server (see nodelay)
            from gevent import pywsgi

            log = "default" if access_log else None
            pywsgi.WSGIServer((host, port), app, log=log, **options).serve_forever()
            return
        socketio.run(
            app,
            host=host,
            port=port,
            allow_unsafe_werkzeug=True,
            use_reloader=False,
            log_output=access_log,
            **options,
        )


def _safe_url() -> str:
    """The database URL without its password, for messages."""
    return db.engine.url.render_as_string(hide_password=True)
