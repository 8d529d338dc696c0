"""Going back where the user came from, without ever being an open redirect.

A ``next`` parameter or form field is attacker-controlled: ``/\\t/evil.example`` passes a
naive "starts with one slash" check, then the browser (or Werkzeug) drops the tab and
follows ``//evil.example``; a CR or LF would even break the response header. So a
target is kept only if it is a plain same-site path as the browser will read it:
no ASCII control character or backslash anywhere, no scheme or host, one leading slash.
Anything else falls back to a known page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, url_for


def safe_target(target: object) -> str | None:
    """``target`` when it is a same-site path (with its query and fragment), else None."""
    if not isinstance(target, str) or not target or len(target) > 2048:
        return None
    # Browsers drop tabs and newlines anywhere and trim control characters,
    # and read a backslash as a slash: refuse them all rather than guess the result.
    if any(ord(char) < 0x20 or ord(char) == 0x7F or char == "\\" for char in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return target


def redirect_back(target: object, fallback: str = "main.index"):
    """A redirect to ``target`` when it is safe, else to the ``fallback`` endpoint."""
    return redirect(safe_target(target) or url_for(fallback))
