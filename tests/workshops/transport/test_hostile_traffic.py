"""Hostile traffic against the real servers: oversized long-polling POSTs, bodies and
headers that never arrive. Each attack must be answered or cut off, and every descriptor
it took released (the process's /proc/<pid>/fd count returns to its baseline).

Both servers we ship run here: ``diagnostic serve`` (threading, Werkzeug) and
``diagnostic-server`` (gevent's pywsgi), with a read timeout of one second injected
through HTTP_READ_TIMEOUT. Nothing asserts a duration: the waits are generous deadlines
for an outcome.
"""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.request

import pytest

from tests.live_server import LiveServer

pytestmark = pytest.mark.e2e

MODES = {
    "threading": ("diagnostic", "serve"),
    "gevent": ("diagnostic-server",),
}
PATIENCE = 30  # seconds: far beyond the injected one-second timeout


@pytest.fixture(scope="module", params=sorted(MODES))
def server(request, tmp_path_factory):
    mode = request.param
    server = LiveServer(tmp_path_factory.mktemp(mode), command=MODES[mode],
                        SOCKETIO_ASYNC_MODE=mode, HTTP_READ_TIMEOUT="1",
                        DIAGNOSTIC_ENV="production",
                        SECRET_KEY="a-test-secret-of-sufficient-length-0123456789")
    server.start()
    yield server
    server.stop()


def open_fds(server: LiveServer) -> int:
    """The number of descriptors the server process holds."""
    return len(os.listdir(f"/proc/{server.process.pid}/fd"))


def baseline(server: LiveServer) -> int:
    """The descriptor count of the idle server, after warm-up requests (a page and an
    Engine.IO handshake: the first one creates a selector that lives with the process)."""
    urllib.request.urlopen(server.url + "/join", timeout=10).read()
    polling_sid(server)
    time.sleep(0.5)
    return open_fds(server)


def back_to(server: LiveServer, count: int) -> bool:
    """True once the server holds no more descriptors than ``count`` (within PATIENCE)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if open_fds(server) <= count:
            return True
        time.sleep(0.2)
    return False


def polling_sid(server: LiveServer) -> str:
    """An Engine.IO session opened by a long-polling handshake, as any client may."""
    body = urllib.request.urlopen(
        f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=10).read().decode()
    return json.loads(body[1:])["sid"]


def raw(server: LiveServer) -> socket.socket:
    """A raw TCP connection to the server; its reads give up after PATIENCE."""
    return socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE)


def answer_or_close(sock: socket.socket) -> bytes:
    """What the server sends before it closes the connection (b"" if it only closes);
    fails if it does neither within PATIENCE."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"the server neither answered nor closed: {received[:200]!r}")
    return received


def announce_oversized_poll(server: LiveServer) -> socket.socket:
    """A socket that sent a session's long-polling POST headers announcing 2 MB, no body."""
    sid = polling_sid(server)
    sock = raw(server)
    sock.sendall(
        f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nContent-Type: text/plain;charset=UTF-8\r\n"
        f"Content-Length: 2000000\r\n\r\n".encode())
    return sock


def test_an_oversized_polling_post_is_refused_at_once_and_released(server):
    count = baseline(server)
    for _ in range(5):
        sock = announce_oversized_poll(server)
        answer = answer_or_close(sock)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert back_to(server, count), f"{open_fds(server)} descriptors open, {count} before"


def test_an_oversized_polling_post_that_hangs_up_is_released(server):
    count = baseline(server)
    for _ in range(5):
        announce_oversized_poll(server).close()  # the probe's attack: announce, then close
    assert back_to(server, count), f"{open_fds(server)} descriptors open, {count} before"


def test_a_page_post_larger_than_max_content_length_is_refused(server):
    count = baseline(server)
    sock = raw(server)
    sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 50000000\r\n\r\n")
    answer = answer_or_close(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert back_to(server, count)


def test_a_body_that_never_arrives_is_timed_out(server):
    count = baseline(server)
    sockets = []
    for _ in range(5):
        sock = raw(server)
        sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000\r\n\r\nemail=a")
        sockets.append(sock)
    for sock in sockets:  # the server cuts each one off (an error answer, then close)
        answer_or_close(sock)
    for sock in sockets:
        sock.close()
    assert back_to(server, count), f"{open_fds(server)} descriptors open, {count} before"


def test_headers_that_never_end_are_timed_out(server):
    count = baseline(server)
    sockets = []
    for _ in range(5):
        sock = raw(server)
        sock.sendall(b"GET /join HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line
        sockets.append(sock)
    silent = raw(server)  # connects and never says a word
    sockets.append(silent)
    for sock in sockets:  # each one is closed by the server (answer_or_close returns)
        answer_or_close(sock)
    for sock in sockets:
        sock.close()
    assert back_to(server, count), f"{open_fds(server)} descriptors open, {count} before"


def test_an_idle_websocket_outlives_the_read_timeout(server):
    """The read timeout is for requests: an open WebSocket stays open while silent."""
    import engineio

    client = engineio.Client()
    client.connect(server.url, transports=["websocket"], engineio_path="socket.io")
    try:
        time.sleep(3)  # three read timeouts of silence, well before Engine.IO's first ping
        assert client.state == "connected"
        client.send("40/live,")  # the socket still carries frames both ways
        time.sleep(0.5)
        assert client.state == "connected"
    finally:
        client.disconnect()
