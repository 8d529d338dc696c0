"""Configuration from environment variables, with documented defaults (see README)."""

from __future__ import annotations

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-change-me"
# Production refuses a SECRET_KEY shorter than this (bytes) or with fewer distinct
# characters: secrets.token_urlsafe(48) gives 64 characters from 64 possible ones.
SECRET_KEY_MIN_BYTES = 32
SECRET_KEY_MIN_DISTINCT = 10


def _flag(name: str) -> bool | None:
    """An on/off environment variable: True for "1", False for "0", None when unset."""
    value = os.environ.get(name, "").strip()
    return None if value == "" else value not in ("0", "false", "False", "no", "off")


def resolve_cookie_security(config: dict) -> None:
    """Fill the unset ``*_COOKIE_SECURE`` flags: on in production, as the session's for
    the remember-me cookie."""
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = config.get("ENV_NAME") == "production"
    if config.get("REMEMBER_COOKIE_SECURE") is None:
        config["REMEMBER_COOKIE_SECURE"] = bool(config["SESSION_COOKIE_SECURE"])


class Config:
    """Settings read once at start-up; ``create_app(test_config)`` may override any of them."""

    # development (default) or production; production refuses the default secret.
    ENV_NAME = os.environ.get("DIAGNOSTIC_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # Empty means SQLite in the instance folder (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")
    # Connections kept open per server process (PostgreSQL). Under gevent every request
    # and socket event waiting on the database holds one: too small a pool makes a join
    # storm queue for connections and open/close them all the time. processes × (size +
    # overflow) must stay below the server's max_connections (100 by default).
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "20") or 20)
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "10") or 10)
    # A pooled connection idle for longer than this is checked before use (PostgreSQL;
    # 0: at every checkout, like pool_pre_ping). See workshops/pool_ping.py.
    # Redis connections per pool and process (presence, rate limits), and how long a socket
    # event waits for one when all are busy (workshops/redis_pool.py): waits, not errors.
    REDIS_MAX_CONNECTIONS = int(os.environ.get("REDIS_MAX_CONNECTIONS", "50") or 50)
    REDIS_POOL_TIMEOUT = float(os.environ.get("REDIS_POOL_TIMEOUT", "20") or 20)
    DATABASE_PING_AFTER_IDLE_SECONDS = float(
        os.environ.get("DATABASE_PING_AFTER_IDLE_SECONDS", "10") or 10)
    # Redis URL shared by several server processes so rooms span all of them.
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # The Redis channel of the queue (default: per database number, room_manager.channel_for).
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or None
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "threading")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    WTF_CSRF_TIME_LIMIT = None  # a workshop lasts hours; the token lives with the session
    # Largest request body accepted by a page (bytes); larger announced bodies get 413
    # before anything reads them (workshops/transport/limits.py).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", "1048576") or 0) or None
    # Seconds a connection may stay silent while the server waits for a request's headers
    # or body (0: never time out); WebSockets are exempt once open. Behind nginx, its
    # client_header_timeout / client_body_timeout apply first (deploy/nginx.conf).
    HTTP_READ_TIMEOUT = float(os.environ.get("HTTP_READ_TIMEOUT", "30") or 0)
    # Archive imports (the staff page and `diagnostic import`, workshops/archive_import.py):
    # the largest file read (the staff upload may exceed MAX_CONTENT_LENGTH up to this),
    # how deep its arrays and objects may nest (an export nests 9 levels), and how many
    # problems a refusal lists (the others are counted).
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", "") or 10 * 1024 * 1024)
    IMPORT_MAX_DEPTH = int(os.environ.get("IMPORT_MAX_DEPTH", "") or 32)
    IMPORT_MAX_ERRORS = int(os.environ.get("IMPORT_MAX_ERRORS", "") or 50)
    # Largest paper-form spreadsheet a workshop's staff may upload (bytes; diagnostic/paper).
    PAPER_MAX_BYTES = int(os.environ.get("PAPER_MAX_BYTES", "") or 2 * 1024 * 1024)
    # Largest logo file of a report's cover (bytes; PNG or SVG, diagnostic/frame/identity.py).
    # Its upload may exceed MAX_CONTENT_LENGTH: a file too large is refused with a French
    # message on the settings page, not a bare 413 (up to IMPORT_MAX_BYTES, never read).
    REPORT_LOGO_MAX_BYTES = int(os.environ.get("REPORT_LOGO_MAX_BYTES", "") or 1024 * 1024)
    # Largest Socket.IO message accepted; bigger ones are refused by the live namespace.
    # A long-polling POST or WebSocket message past eight times this (plus 4 KiB) is
    # refused by the transport: 413, or the WebSocket closed.
    LIVE_MAX_PAYLOAD_BYTES = int(os.environ.get("LIVE_MAX_PAYLOAD_BYTES", "16384") or 16384)
    # Accept the permessage-deflate WebSocket extension browsers offer ("1"). Off by
    # default: it costs a compressor per connection and a compression per frame and
    # client (see workshops/transport/compression.py).
    LIVE_WEBSOCKET_COMPRESSION = os.environ.get("LIVE_WEBSOCKET_COMPRESSION", "") == "1"
    # Per-participant rate limits of the live namespace, "N/seconds": a burst of N, then N
    # more every that many seconds ("off" disables). See workshops/live/ratelimit.py.
    LIVE_RATE_SUBMIT = os.environ.get("LIVE_RATE_SUBMIT", "10/20")
    LIVE_RATE_SUPPORT = os.environ.get("LIVE_RATE_SUPPORT", "30/6")
    LIVE_RATE_SYNC = os.environ.get("LIVE_RATE_SYNC", "5/10")
    # Deliveries per workshop room and server process, "N/seconds" (a burst of N, N more
    # every that many seconds; a frame to n clients costs n): past it, room events travel
    # together as one events_batch. Unset: "3000/0.5" ("off" in tests); "off" sends every
    # event alone. See workshops/live/broadcast.py.
    LIVE_BROADCAST_BUDGET = os.environ.get("LIVE_BROADCAST_BUDGET") or None
    # Room events written from a task of the room's own, with whatever came meanwhile
    # ("1"/"0"). Unset: on under gevent (diagnostic-server), off otherwise and in tests.
    LIVE_BROADCAST_COALESCE = (None if not os.environ.get("LIVE_BROADCAST_COALESCE")
                               else os.environ["LIVE_BROADCAST_COALESCE"] == "1")
    # Seconds a server process holds a room event that came before a smaller number, waiting
    # for it, before reading it from the event log. Unset: 0.5 ("off" in tests); "off" or 0
    # writes events as they come. See workshops/live/reorder.py.
    LIVE_REORDER_WAIT = os.environ.get("LIVE_REORDER_WAIT") or None
    # Milliseconds a page waits for a missing event number before asking for the whole
    # state (static/js/sequence.js).
    LIVE_CLIENT_REORDER_WAIT_MS = int(os.environ.get("LIVE_CLIENT_REORDER_WAIT_MS") or 1500)
    # Rate limits and quotas (workshops/limits.py): where the counters live. Empty: the
    # Redis of SOCKETIO_MESSAGE_QUEUE when set (shared by every process), else memory://.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_STRATEGY = "sliding-window-counter"
    RATELIMIT_HEADERS_ENABLED = True
    # -- Limits on anonymous participants and on exports (limits notation, "off" disables;
    # see the README's limits table). A town hall's Wi-Fi puts a whole room behind ONE
    # address: the per-address defaults let 500 people join and contribute within minutes.
    # Unknown join codes typed from one address (successful lookups are not counted);
    # once spent, every code is refused from that address until the window slides.
    JOIN_CODE_TRIES_PER_ADDRESS = os.environ.get(
        "JOIN_CODE_TRIES_PER_ADDRESS", "30/minute;200/hour")
    # Participants created from one address in one workshop.
    JOIN_RATE_PER_ADDRESS = os.environ.get("JOIN_RATE_PER_ADDRESS", "600/10minutes;2000/day")
    # Contributions posted through the no-JavaScript form from one address (on top of the
    # per-participant LIVE_RATE_SUBMIT, which both the form and the socket spend).
    HTTP_CONTRIBUTIONS_PER_ADDRESS = os.environ.get(
        "HTTP_CONTRIBUTIONS_PER_ADDRESS", "120/minute;2000/hour")
    # Comments posted on a restitution page from one address (a resend is never counted).
    RESTITUTION_COMMENTS_PER_ADDRESS = os.environ.get(
        "RESTITUTION_COMMENTS_PER_ADDRESS", "60/minute;600/hour")
    # Socket.IO connections to /live opened from one address (a reconnect storm after a
    # Wi-Fi outage in a room of 500 must get through).
    LIVE_CONNECTIONS_PER_ADDRESS = os.environ.get("LIVE_CONNECTIONS_PER_ADDRESS", "1500/minute")
    # Export jobs (child processes): running at once per account, running at once in the
    # instance folder (all server processes sharing it), and started per account.
    EXPORT_JOBS_PER_ACCOUNT = int(os.environ.get("EXPORT_JOBS_PER_ACCOUNT", "2") or 2)
    EXPORT_JOBS_RUNNING = int(os.environ.get("EXPORT_JOBS_RUNNING", "4") or 4)
    EXPORT_RATE_PER_ACCOUNT = os.environ.get("EXPORT_RATE_PER_ACCOUNT", "20/hour")
    # Strict-Transport-Security max-age (seconds; 0: never sent), sent on HTTPS requests
    # (as ProxyFix reports them behind a proxy), or on every response with HSTS_ALWAYS=1.
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", "31536000") or 0)
    HSTS_ALWAYS = os.environ.get("HSTS_ALWAYS", "") == "1"
    # --- Accounts: login throttling, lockout, session cookies (docs/SECURITY.md) ---
    # Cookies only over HTTPS: unset means on in production (DIAGNOSTIC_ENV=production),
    # off elsewhere. "0" in production is for a plain-HTTP intranet only: the session
    # and remember-me cookies then cross the network in clear and can be stolen.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_SECURE = _flag("REMEMBER_COOKIE_SECURE")  # unset: as the session's
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A participant's session is permanent (participant.py: a phone put to sleep stays
    # joined) and lasts PERMANENT_SESSION_LIFETIME (Flask's 31 days) from its last change:
    # the join, the CSRF token, a language switch. It is not signed and set again on every
    # response (Flask's default), which cost each page of a join's storm its cookie's
    # signing for nothing: a workshop lasts hours, not a month. Staff sessions are not
    # permanent (browser-session cookies; "Rester connecté·e" is Flask-Login's own cookie).
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # How long "Rester connecté·e" lasts, and the longest any login is honoured server-side.
    REMEMBER_COOKIE_DURATION = timedelta(days=float(os.environ.get("REMEMBER_COOKIE_DAYS") or 14))
    # Failed logins allowed per client address and per e-mail address (limits notation,
    # "off" disables; workshops/limits.py). Past them: a 429 page, even for the right password.
    LOGIN_RATE_PER_ADDRESS = os.environ.get("LOGIN_RATE_PER_ADDRESS", "30/10minutes")
    LOGIN_RATE_PER_ACCOUNT = os.environ.get("LOGIN_RATE_PER_ACCOUNT", "10/minute")
    # Consecutive failed logins that lock an account until a staff member unlocks it
    # (Comptes page or `diagnostic unlock-user EMAIL`); 0 disables the lockout.
    LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES") or 20)
    # Unknown, used or expired one-time account links (invitations, resets) opened per
    # client address before a 429 page: their tokens cannot be guessed at speed.
    ACCOUNT_LINK_RATE_PER_ADDRESS = os.environ.get("ACCOUNT_LINK_RATE_PER_ADDRESS",
                                                   "20/10minutes")
    # How long an invitation or password reset link works (days).
    ACCOUNT_LINK_DAYS = float(os.environ.get("ACCOUNT_LINK_DAYS") or 7)
    # --- end of accounts ---
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust
    # (0: none), so join links and QR codes carry the public scheme and host.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0") or 0)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` / ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
