"""TCP_NODELAY on the server's connections (workshops.transport.nodelay)."""

from __future__ import annotations

import socket

import pytest

from workshops.transport.nodelay import no_delay, server_options


@pytest.fixture
def accepted():
    """A TCP connection accepted from a listener that leaves Nagle's algorithm on."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    conn, _ = listener.accept()
    assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    yield conn
    for sock in (conn, client, listener):
        sock.close()


def nodelay(sock) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_no_delay_turns_nagle_off_and_leaves_other_sockets_alone(accepted):
    no_delay(accepted)
    assert nodelay(accepted) == 1
    left, right = socket.socketpair()  # AF_UNIX: no such option, nothing raised
    no_delay(left)
    accepted.close()
    no_delay(accepted)  # a socket closed under the handler: nothing raised either
    left.close(), right.close()


def test_the_gevent_handler_sets_no_delay_on_each_connection(accepted):
    handler_class = server_options("gevent")["handler_class"]
    handler_class(accepted, ("127.0.0.1", 1), server=None)
    assert nodelay(accepted) == 1


def test_the_threading_handler_sets_no_delay_on_each_connection(accepted):
    handler_class = server_options("threading")["request_handler"]
    handler = handler_class.__new__(handler_class)  # not run: only its per-connection setup
    handler.request = accepted
    handler.setup()
    assert nodelay(accepted) == 1


def test_other_modes_get_no_options():
    assert server_options("eventlet") == {}
