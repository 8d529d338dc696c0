"""The running application: ``create_app`` wires config, extensions, blueprints and live.

Importing the package imports nothing but ``os`` and ``pathlib``: Flask, the settings (read
from the environment once, in ``config``) and everything else load inside ``create_app``, so
that ``diagnostic-server`` (workshops/server.py) can monkey-patch the standard library and
choose its async mode before any of them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application; ``test_config`` overrides the environment's settings."""
    from flask import Flask

    from .config import Config
    from .paths import data_folder, default_instance_path

    app = Flask(
        __name__,
        instance_path=os.environ.get("DIAGNOSTIC_INSTANCE_PATH") or str(default_instance_path()),
        template_folder=str(data_folder("templates")),
        static_folder=str(data_folder("static")),
    )
    app.config.from_object(Config)
    if test_config:
        app.config.from_mapping(test_config)
    _finish_config(app)

    from . import (
        auth,
        board,
        error_pages,
        facilitate,
        i18n,
        limits,
        live,
        main,
        open_data,
        participant,
        participant_privacy,  # noqa: F401 - adds the privacy pages to participant.bp
        restitution_pages,
        security_headers,
        staff,
        static_files,
        withdraw_pages,
    )
    from .extensions import csrf, db, migrate, tune_pool, tune_sqlite

    db.init_app(app)

    @app.teardown_request
    def end_unit_of_work(_error: BaseException | None) -> None:
        """A request or socket event commits once; what it left uncommitted is undone."""
        db.session.rollback()

    tune_sqlite(app)
    tune_pool(app)
    migrate.init_app(app, db, directory=str(data_folder("migrations")), render_as_batch=True)
    csrf.init_app(app)
    i18n.init_app(app)
    _check_catalogs(app)
    limits.init_app(app)
    error_pages.init_app(app)
    auth.init_app(app)
    security_headers.init_app(app)
    for module in (main, staff, participant, withdraw_pages, restitution_pages, board,
                   facilitate, open_data):
        app.register_blueprint(module.bp)
    static_files.init_app(app)  # right around Flask: the live transport wraps it
    live.init_app(app)

    from .commands import register_commands

    register_commands(app)
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost, so the Socket.IO middleware sees the public host and scheme too.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _finish_config(app: Flask) -> None:
    """Resolve the database URL and refuse an unsafe production configuration."""
    from .config import DEFAULT_SECRET_KEY, normalise_database_url

    url = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "diagnostic.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if not url.startswith("sqlite"):  # pool checks: workshops/pool_ping.py
        options.setdefault("pool_size", app.config["DATABASE_POOL_SIZE"])
        options.setdefault("max_overflow", app.config["DATABASE_MAX_OVERFLOW"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["ENV_NAME"] == "production":
        problem = weak_secret_key(app.config["SECRET_KEY"], DEFAULT_SECRET_KEY)
        if problem:
            raise RuntimeError(
                f"Refusing to start in production: SECRET_KEY {problem}. Generate one with: "
                'python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )


def weak_secret_key(secret: str | bytes | None, default: str) -> str | None:
    """Why ``secret`` is too weak to sign production sessions (None: it will do).

    At least SECRET_KEY_MIN_BYTES bytes and SECRET_KEY_MIN_DISTINCT distinct characters:
    a short or repetitive value ("x", "aaaa…", "changeme") can be guessed or brute-forced
    offline from any signed cookie.
    """
    from .config import SECRET_KEY_MIN_BYTES, SECRET_KEY_MIN_DISTINCT

    if not secret or secret == default:
        return "is unset or the development default"
    raw = secret if isinstance(secret, bytes) else secret.encode("utf-8")
    if len(raw) < SECRET_KEY_MIN_BYTES:
        return f"is {len(raw)} bytes long, fewer than {SECRET_KEY_MIN_BYTES}"
    if len(set(raw)) < SECRET_KEY_MIN_DISTINCT:
        return (f"has {len(set(raw))} distinct characters, fewer than "
                f"{SECRET_KEY_MIN_DISTINCT}")
    return None


def _check_catalogs(app: Flask) -> None:
    """Say loudly when a language has no compiled catalog: its pages would be in French."""
    babel = app.extensions["babel"]
    for lang in app.config["LANGUAGES"]:
        name = Path(lang, "LC_MESSAGES", f"{babel.default_domain}.mo")
        if lang != app.config["BABEL_DEFAULT_LOCALE"] and not any(
            (Path(folder) / name).is_file() for folder in babel.translation_directories
        ):
            app.logger.error(
                "No compiled %r catalog in %s: its pages will be in French. Run `make "
                "translations` (a checkout) or rebuild the package.",
                lang, " or ".join(babel.translation_directories),
            )
