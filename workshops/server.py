"""``diagnostic-server``: the production server, gevent with the standard library patched.

The same server as ``diagnostic serve`` (Flask-SocketIO's ``socketio.run``), but first
``gevent.monkey.patch_all()``, so that sockets, locks, sleeps, the Redis message queue and
psycopg yield to other greenlets instead of blocking the process, then
``SOCKETIO_ASYNC_MODE=gevent`` unless the environment sets another mode. One OS thread
serves every connection (see docs/PERFORMANCE.md). ``diagnostic serve`` stays on threading,
the laptop default.

The patching must come before anything else is imported: ``import workshops`` loads only
``os`` and ``pathlib``, and the settings are read from the environment when
``workshops.config`` is first imported, which happens below, after the default mode is set.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402  (everything after the patching)

os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")


def main() -> None:
    """Serve the app (``HOST`` / ``PORT`` as for ``diagnostic serve``)."""
    from workshops.cli import main as cli

    cli(["serve"])


if __name__ == "__main__":
    main()
