"""A real server process for tests: ``diagnostic-server`` exactly as ``make run`` starts it, or
another console script of the virtualenv (``diagnostic serve``, the threading server)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bench.server import ServerProcess


class LiveServer(ServerProcess):
    """A server subprocess that can be stopped and started again; ``command`` is the console
    script and its arguments (default ``diagnostic-server``, as ``make run`` starts it)."""

    def __init__(self, tmp: Path, database_url: str | None = None, init_db: bool = True,
                 command: tuple[str, ...] = ("diagnostic-server",), **extra_env: str) -> None:
        super().__init__(tmp, command, {
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'e2e.db'}",
            "SECRET_KEY": "e2e-secret-long-enough-for-production-0123456789",
            # Plain HTTP on 127.0.0.1: production's Secure cookies would never come back.
            "SESSION_COOKIE_SECURE": "0",
            **extra_env,
        })
        if init_db:
            self.init_db()


# A server entry run by the virtualenv's python with some library versions reported as
# others, so the transport's start-up self-check sees an unsupported release.
_FAKE_VERSIONS = """{prelude}
from workshops.transport import selfcheck
real, fake = selfcheck.installed_version, {versions!r}
selfcheck.installed_version = lambda name: fake.get(name) or real(name)
{run}
"""
_ENTRIES = {
    # diagnostic-server patches the standard library before anything else is imported.
    "diagnostic-server": ("import workshops.server as entry", "entry.main()"),
    "diagnostic serve": ("", "from workshops.cli import main\nmain(['serve'])"),
}


def with_versions(entry: str, **versions: str) -> tuple[str, ...]:
    """The ``command`` of ``entry`` (``diagnostic-server`` or ``diagnostic serve``) as if
    ``versions`` (distribution name → version) were installed."""
    prelude, run = _ENTRIES[entry]
    script = _FAKE_VERSIONS.format(prelude=prelude, versions=versions, run=run)
    return ("python", "-c", script)


def join_over_http(server: LiveServer, code: str, name: str = "Dominique"):
    """Join a workshop through its real pages; returns the requests session (cookie)."""
    import requests

    http = requests.Session()
    page = http.get(f"{server.url}/j/{code}", timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    response = http.post(
        f"{server.url}/j/{code}",
        data={"csrf_token": token.group(1), "display_name": name},
        timeout=10,
    )
    assert response.url.endswith("/contribute"), response.text[:500]
    return http


def cookie_header(http) -> str:
    """The Cookie header a browser would send with the Socket.IO handshake."""
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def receive_event(client, name: str, timeout: float = 10):
    """The next ``name`` event of a python-socketio SimpleClient, skipping the others
    (presence, my_votes…); raises socketio.exceptions.TimeoutError when none comes.

    Room events that arrive together in one ``events_batch`` frame are taken one by one.
    """
    import socketio

    unpacked = client.__dict__.setdefault("_batched_events", [])
    deadline = time.monotonic() + timeout
    while True:
        while unpacked:
            event = unpacked.pop(0)
            if event["name"] == name:
                return event["payload"]
        left = deadline - time.monotonic()
        if left <= 0:
            raise socketio.exceptions.TimeoutError()
        event, *args = client.receive(timeout=left)
        if event == "events_batch":
            unpacked.extend(args[0]["events"])
        elif event == name:
            return args[0] if args else None
