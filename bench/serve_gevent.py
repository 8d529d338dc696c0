"""``diagnostic serve`` with gevent's monkey patching applied first (the ``gevent-patched`` mode).

Flask-SocketIO's deployment notes recommend patching the standard library when running on
gevent, so that blocking calls (sockets, locks, sleeps) yield to other greenlets; the plain
``diagnostic serve`` does not patch. Usage: ``python bench/serve_gevent.py`` with the same
environment as ``diagnostic serve`` and ``SOCKETIO_ASYNC_MODE=gevent``.
"""

from gevent import monkey

monkey.patch_all()

from workshops.cli import main  # noqa: E402  (must come after the patching)

if __name__ == "__main__":
    main(["serve"])
