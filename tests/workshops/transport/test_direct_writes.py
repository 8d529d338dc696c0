"""The gevent direct-write path (workshops.transport.direct_writes) on real engine.io sockets.

Each connection is a real ``engineio.socket.Socket`` of a gevent ``engineio.Server`` with
the path installed, upgraded to a real simple-websocket WebSocket over a gevent socket
pair; the phone's end is read with wsproto's client, so every frame is checked as a
WebSocket client would parse it. Nothing runs until the test yields to gevent (reading
a phone's end does), which lets a test tell a frame written at once from one left to
the connection's writer greenlet.
"""

from __future__ import annotations

import select
import socket as stdlib_socket

import engineio
import gevent
import gevent.socket
import pytest
from engineio import packet
from engineio.socket import Socket
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, BytesMessage, Request, TextMessage
from wsproto.extensions import PerMessageDeflate

from workshops.transport import direct_writes


@pytest.fixture
def server():
    eio = engineio.Server(async_mode="gevent")
    assert direct_writes.install(eio).passed
    return eio


class Phone:
    """One WebSocket connection: the server's engine.io socket and the phone's end."""

    count = 0

    def __init__(self, server, *, small_buffers: bool = False, deflate: bool = False,
                 polling_first: bool = False) -> None:
        Phone.count += 1
        self.eio = Socket(server, f"sid-{Phone.count}")
        server_end, self.end = gevent.socket.socketpair()
        if small_buffers:  # the kernel's smallest: a phone on a slow network, quickly
            server_end.setsockopt(stdlib_socket.SOL_SOCKET, stdlib_socket.SO_SNDBUF, 1)
            self.end.setsockopt(stdlib_socket.SOL_SOCKET, stdlib_socket.SO_RCVBUF, 1)
        self.ws = WSConnection(ConnectionType.CLIENT)
        request = self.ws.send(Request(host="test", target="/socket.io/",
                                       extensions=[PerMessageDeflate()] if deflate else []))
        environ = {"gunicorn.socket": server_end}
        for line in request.decode().split("\r\n")[1:]:
            if ": " in line:
                name, value = line.split(": ", 1)
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        if polling_first:  # an engine.io session that started with long-polling
            self.eio.connected = True
        self.messages: list[str] = []
        self._parts: list[str] = []  # wsproto hands a long message over in parts
        self.accepted = None

        def serve():
            try:
                self.eio._upgrade_websocket(environ, lambda *args: None)
            except StopIteration:  # simple-websocket's way out in gunicorn mode
                pass

        self.greenlet = gevent.spawn(serve)
        while self.accepted is None:
            self._read_some()

    @property
    def wrapper(self) -> direct_writes.DirectWebSocket:
        return self.eio.queue.sink

    def _read_some(self) -> None:
        data = self.end.recv(65536)
        assert data, "connection closed"
        self.ws.receive_data(data)
        for event in self.ws.events():
            if isinstance(event, AcceptConnection):
                self.accepted = event
            elif isinstance(event, TextMessage):
                self._parts.append(event.data)
                if event.message_finished:
                    self.messages.append("".join(self._parts))
                    self._parts = []

    def read(self, count: int, timeout: float = 10) -> list[str]:
        """The next ``count`` messages (reading yields to the server's greenlets)."""
        with gevent.Timeout(timeout):
            while len(self.messages) < count:
                self._read_some()
        taken, self.messages = self.messages[:count], self.messages[count:]
        return taken

    def readable_now(self) -> bool:
        """Whether bytes already wait at the phone's end (without yielding to gevent)."""
        return bool(select.select([self.end.fileno()], [], [], 0)[0])

    def send_text(self, text: str) -> None:
        self.end.sendall(self.ws.send(TextMessage(data=text)))

    def close(self) -> None:
        self.eio.close(wait=False, abort=True)
        self.end.close()
        self.greenlet.kill()


def message(text: str) -> packet.Packet:
    return packet.Packet(packet.MESSAGE, data=text)


def test_a_room_frame_is_built_once_and_written_before_the_sender_yields(server, monkeypatch):
    phones = [Phone(server) for _ in range(3)]
    built = []
    real = direct_writes.server_frame

    def counting(message):
        built.append(1)
        return real(message)

    monkeypatch.setattr(direct_writes, "server_frame", counting)
    try:
        room_event = message('2/live,["contribution_added",{"id":1}]')
        for phone in phones:  # what python-socketio does for a room: one packet for all
            phone.eio.send(room_event)
        for phone in phones:  # no greenlet has run: the frame is on the wire already
            assert phone.eio.queue.qsize() == 0
            assert phone.readable_now()
        assert len(built) == 1
        for phone in phones:
            assert phone.read(1) == ['42/live,["contribution_added",{"id":1}]']
    finally:
        for phone in phones:
            phone.close()


def client_reading(frame: bytes) -> list:
    """What a WebSocket client (wsproto's) makes of ``frame`` after an in-memory handshake."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="test", target="/")))
    assert [type(event) for event in server.events()] == [Request]
    client.receive_data(server.send(AcceptConnection()))
    assert [type(event) for event in client.events()] == [AcceptConnection]
    client.receive_data(frame)
    return [(type(event), event.data, event.message_finished) for event in client.events()]


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 200_000])
def test_frames_are_read_back_whole_by_a_websocket_client(size):
    text = ("é" + "x" * size)[:max(size - 1, 0)]  # multi-byte UTF-8 included
    assert client_reading(direct_writes.server_frame(text)) == [(TextMessage, text, True)]
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    assert client_reading(direct_writes.server_frame(data)) == [(BytesMessage, data, True)]


def test_the_frame_cache_holds_few_and_small_frames(monkeypatch):
    frames = direct_writes._Frames(size=2)
    first, second, third = "a" * 10, "b" * 10, "c" * 10
    for text in (first, second, third):
        frames.frame(text)
    assert [held for held, _ in frames._frames.values()] == [second, third]
    monkeypatch.setattr(direct_writes, "CACHED_FRAME_BYTES", 100)
    large = "x" * 200
    assert frames.frame(large)[4:] == large.encode()  # framed (4-byte header)...
    assert all(held is not large for held, _ in frames._frames.values())  # ...not kept


def test_a_phone_that_stops_reading_holds_up_nobody_and_later_gets_all_in_order(server):
    slow, other = Phone(server, small_buffers=True), Phone(server)
    try:
        texts = [f"{number:04d} " + "x" * 1000 for number in range(50)]
        for text in texts:
            room_event = message(text)
            slow.eio.send(room_event)
            other.eio.send(room_event)
        # The slow phone's buffer is full: the rest of its frames wait in its queue.
        assert slow.eio.queue.qsize() > 0
        # The other phone got every frame at once, none through its queue.
        assert other.eio.queue.qsize() == 0 and other.readable_now()
        assert other.read(50) == ["4" + text for text in texts]
        # The slow phone gets everything once it reads, whole frames, in order.
        assert slow.read(50) == ["4" + text for text in texts]
        gevent.sleep(0.01)  # its writer finishes and waits for the next packet
        assert slow.eio.queue.qsize() == 0 and not slow.wrapper._writing
        slow.eio.send(message("after"))  # written at once again
        assert slow.eio.queue.qsize() == 0 and slow.readable_now()
        assert slow.read(1) == ["4after"]
    finally:
        slow.close()
        other.close()


def test_packets_sent_while_a_frame_is_half_written_queue_behind_it(server):
    slow = Phone(server, small_buffers=True)
    try:
        big = message("y" * 200_000)  # far more than the socket takes at once
        slow.eio.send(big)
        assert slow.eio.queue.qsize() == 1  # the rest of the frame, as raw bytes
        gevent.sleep(0)  # the writer starts on it and waits for room in the buffer
        assert slow.wrapper._writing
        slow._read_some()  # room in the buffer again, before the writer can use it
        slow.eio.send(message("next"))  # not written in the middle of the big frame
        assert slow.eio.queue.qsize() == 1
        assert slow.read(2) == ["4" + "y" * 200_000, "4next"]
    finally:
        slow.close()


def test_a_connection_written_to_directly_outlives_the_writers_idle_timeout():
    # python-engineio's writer closes the WebSocket when its queue stays empty for
    # ping_interval + ping_timeout (0.3 s here): with every packet written directly, its
    # queue is always empty, and the phone must stay connected all the same.
    eio = engineio.Server(async_mode="gevent", ping_interval=0.1, ping_timeout=0.2)
    assert direct_writes.install(eio).passed
    phone = Phone(eio)
    phone.eio.last_ping = None  # no ping outstanding (the harness runs no ping task)
    try:
        for number in range(8):  # 0.8 s of direct writes only
            phone.eio.send(message(f"m{number}"))
            assert phone.eio.queue.qsize() == 0
            assert phone.read(1) == [f"4m{number}"]
            gevent.sleep(0.1)
        assert phone.wrapper.ws.connected and not phone.greenlet.dead
        phone.eio.close(wait=False, abort=True)  # the end marker still ends the writer
        gevent.sleep(0.05)
        assert phone.eio.queue.qsize() == 0
    finally:
        phone.close()


def test_a_compressed_connection_keeps_the_library_path(server):
    phone = Phone(server, deflate=True)
    try:
        assert phone.accepted.extensions  # permessage-deflate was agreed
        assert phone.eio.queue.sink is None  # no direct writes on this connection
        phone.eio.send(message("compressed"))
        assert phone.eio.queue.qsize() == 1  # left to the writer, which compresses it
        assert phone.read(1) == ["4compressed"]
    finally:
        phone.close()


def test_an_upgrade_from_polling_holds_packets_until_it_completes(server):
    phone = Phone(server, polling_first=True)
    try:
        phone.eio.send(message("during the upgrade"))
        assert phone.eio.queue.qsize() == 1 and not phone.readable_now()
        phone.send_text("2probe")
        assert phone.read(1) == ["3probe"]
        phone.send_text("5")  # upgrade: the queued packets go out first, then direct writes
        assert phone.read(2) == ["4during the upgrade", "6"]
        phone.eio.send(message("after"))
        assert phone.eio.queue.qsize() == 0
        assert phone.read(1) == ["4after"]
    finally:
        phone.close()


def test_a_closed_connection_is_not_written_to(server):
    phone = Phone(server)
    try:
        wrapper = phone.wrapper
        phone.end.close()
        gevent.sleep(0.05)  # the server's reader sees the close
        assert not wrapper.ws.connected
        assert wrapper.write_now(message("too late")) is None  # left to the queue
    finally:
        phone.greenlet.kill()


def test_other_async_modes_keep_python_engineio_as_it_is():
    eio = engineio.Server(async_mode="threading")
    drivers = eio._async
    assert not direct_writes.install(eio).passed  # not gevent's driver table
    assert eio._async is drivers


def test_the_app_installs_the_path_under_gevent_only(tmp_path, monkeypatch):
    from workshops import create_app
    from workshops.extensions import socketio

    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    create_app({"TESTING": True, "SOCKETIO_ASYNC_MODE": "gevent"})
    assert socketio.server.eio._async["websocket"] is direct_writes.DirectWebSocket
    assert socketio.server.eio.create_queue().__class__ is direct_writes.DirectWriteQueue
    create_app({"TESTING": True, "SOCKETIO_ASYNC_MODE": "threading"})
    assert socketio.server.eio._async["websocket"] is not direct_writes.DirectWebSocket
