"""Security headers on every response of the app (an ``after_request`` hook).

- ``Content-Security-Policy``: scripts, styles, images, fonts and connections from the
  app's own origin only (and its WebSocket, for Socket.IO); no inline script or style,
  except a ``<style>`` element carrying the request's nonce (``csp_nonce()`` in templates:
  the staff report and minutes pages embed the report's stylesheet that way); no plugin,
  no ``<base>`` elsewhere, forms post to the app only, and no page may be framed.
- ``X-Frame-Options: DENY`` for browsers without ``frame-ancestors``,
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (join links carry
  the workshop's code: it must not leak to another site through the Referer header).
- ``Strict-Transport-Security`` when the request came over HTTPS (through ProxyFix behind
  a proxy) or ``HSTS_ALWAYS`` is set; ``HSTS_MAX_AGE`` seconds (0: never sent).

A download (``Content-Disposition: attachment``, e.g. the standalone HTML report) gets a
policy of its own: the file is meant to be opened from disk, where no header follows it;
if a browser displays it from the app anyway, it is sandboxed (no script, no request, no
form, a unique origin) and only its own inline stylesheet and ``data:`` images apply.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request

NONCE_KEY = "csp_nonce"
DOWNLOAD_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                   "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox")


def csp_nonce() -> str:
    """This request's nonce for an inline ``<style>`` element (made on first use)."""
    nonce = g.get(NONCE_KEY)
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy() -> str:
    """The policy of a page of the app (the request's nonce if a template used one)."""
    return page_policy(request.is_secure, request.host, g.get(NONCE_KEY))


def page_policy(secure: bool, host: str, nonce: str | None = None) -> str:
    """The policy of a page served to ``host`` (``secure``: over HTTPS)."""
    websocket = f"{'wss' if secure else 'ws'}://{host}"
    style = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src 'self' {websocket}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def add_security_headers(response: Response) -> Response:
    """The headers above, on ``response`` (a header the view set itself is kept)."""
    headers = response.headers
    attachment = "attachment" in (headers.get("Content-Disposition") or "")
    headers.setdefault("Content-Security-Policy",
                       DOWNLOAD_POLICY if attachment else content_security_policy())
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    max_age = current_app.config["HSTS_MAX_AGE"]
    if max_age and (request.is_secure or current_app.config["HSTS_ALWAYS"]):
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response


def static_headers(app: Flask, environ: dict) -> list[tuple[str, str]]:
    """The same headers for a static file answered outside Flask (``static_files``), from
    its WSGI environment (after ProxyFix, like ``request``)."""
    secure = environ.get("wsgi.url_scheme") == "https"
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
    headers = [("Content-Security-Policy", page_policy(secure, host)),
               ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "same-origin")]
    max_age = app.config["HSTS_MAX_AGE"]
    if max_age and (secure or app.config["HSTS_ALWAYS"]):
        headers.append(("Strict-Transport-Security", f"max-age={max_age}"))
    return headers


def init_app(app: Flask) -> None:
    """Send the headers on every response; templates get ``csp_nonce()``."""
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
