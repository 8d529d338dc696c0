"""Under gevent, a frame for an idle WebSocket is written at once, and framed once per room.

python-engineio gives every connection a send queue and a writer greenlet: sending a
packet puts it in the queue and wakes the writer, which frames the packet and writes it.
For a room event that is done once per client, and the last phone of a room hears of a
new contribution only when every client's turn is done. Two changes, set on this app's
Engine.IO server only:

- **Framed once**: a room event is one encoded Engine.IO packet shared by every client
  (python-socketio encodes it once), so its WebSocket frame (a server's frames are not
  masked, RFC 6455 section 5.2) is built once and reused for every client.
- **Written at once when the connection is idle**: when a packet is queued for an
  upgraded WebSocket whose queue is empty and whose writer is not in the middle of a
  write, the frame is written to the socket right away, with a send that never waits
  (the socket in non-blocking mode for that one call). Nothing can be ahead of it, so the
  order of the connection's packets is kept. What the socket does not take at once (a
  phone on a slow network with a full buffer) goes to the queue as raw bytes, and
  everything after it queues behind it: that phone's writer finishes the frame, then goes
  on as before, while the rest of the room is written without waiting for it. The writer
  then waits for its queue without python-engineio's idle timeout (which would otherwise
  close a connection whose packets all went out directly), and still ends with the
  connection.

The gain is measured in docs/PERFORMANCE.md ("Direct room writes and uvloop").

python-engineio has no documented hook for its writer: this replaces the ``queue`` and
``websocket`` entries of its private ``_async`` driver table and reads its ``Socket``
(``queue``, ``upgraded``, ``closed``) and simple-websocket's connection (``sock``,
``connected``). :func:`self_check` verifies each of them and the library versions at
start-up; when one is missing, the server keeps python-engineio's own writer.
``tests/workshops/transport/test_direct_writes.py`` runs the path on real engine.io
sockets, ``tests/e2e/test_production_server.py`` through ``diagnostic-server``.

Connections with a WebSocket extension (``LIVE_WEBSOCKET_COMPRESSION=1`` and a client
offering permessage-deflate) frame each message their own way and keep the library's
path; so does long-polling.
"""

from __future__ import annotations

import struct
from typing import Any

import engineio.async_drivers.gevent as gevent_driver
import engineio.socket
import gevent.socket
import simple_websocket
from gevent.queue import JoinableQueue

from .compression import EXTENSIONS_HEADER
from .selfcheck import ENGINEIO, GEVENT, SIMPLE_WEBSOCKET, Check

FEATURE = "direct room writes"
FALLBACK = "python-engineio's own writer"

# A room event is framed once while its writes are under way. A frame is kept only up to
# CACHED_FRAME_BYTES: a large message (a big workshop's state) goes to one client anyway.
CACHED_FRAMES = 32
CACHED_FRAME_BYTES = 64 * 1024


def server_frame(message: str | bytes) -> bytes:
    """One final, unmasked WebSocket frame: text for ``str``, binary for ``bytes``.

    RFC 6455 section 5.2: FIN and the opcode, then the shortest length encoding.
    """
    opcode, payload = (0x1, message.encode()) if isinstance(message, str) else (0x2, message)
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + bytes(payload)


class _Frames:
    """WebSocket frames of recent messages, keyed by the message object itself."""

    def __init__(self, size: int = CACHED_FRAMES) -> None:
        self._size = size
        self._frames: dict[int, tuple[Any, bytes]] = {}

    def frame(self, message: str | bytes) -> bytes:
        """The server frame of ``message`` (text for ``str``, binary for ``bytes``)."""
        key = id(message)
        cached = self._frames.get(key)
        if cached is not None and cached[0] is message:  # held, so its id is not reused
            return cached[1]
        frame = server_frame(message)
        if len(frame) <= CACHED_FRAME_BYTES:
            self._frames[key] = (message, frame)
            if len(self._frames) > self._size:
                del self._frames[next(iter(self._frames))]
        return frame


FRAMES = _Frames()


class _Rest(bytes):
    """The end of a frame the socket took only in part: written as it is, not framed."""


class _RestPacket:
    """A queue item for the writer: ``encode()`` is what python-engineio's writer sends."""

    __slots__ = ("rest",)

    def __init__(self, rest: bytes) -> None:
        self.rest = _Rest(rest)

    def encode(self, b64: bool = False) -> bytes:
        return self.rest


class DirectWriteQueue(JoinableQueue):
    """An Engine.IO connection's send queue that writes a packet at once when it can."""

    sink: DirectWebSocket | None = None

    def get(self, block=True, timeout=None):
        # python-engineio's writer gives up, and closes the WebSocket, when its queue stays
        # empty for ping_interval + ping_timeout; once packets are written directly, an
        # empty queue says nothing about the connection. The writer still ends with it:
        # closing the socket (a ping timeout included) queues its end marker.
        sink = self.sink
        if block and sink is not None and sink.eio_socket.upgraded:
            timeout = None
        return super().get(block, timeout)

    def put(self, item, block=True, timeout=None):
        sink = self.sink
        if sink is not None and item is not None and not self.qsize():
            rest = sink.write_now(item)
            if rest is not None:
                if rest:
                    super().put(_RestPacket(rest))
                return
        super().put(item, block, timeout)


class DirectWebSocket(gevent_driver.WebSocketWSGI):
    """python-engineio's gevent WebSocket wrapper, writing frames built once."""

    def __init__(self, handler, server) -> None:
        super().__init__(handler, server)
        self.eio_socket = getattr(handler, "__self__", None)
        self.direct = False
        self._writing = False

    def __call__(self, environ, start_response):
        queue = getattr(self.eio_socket, "queue", None)
        self.direct = isinstance(queue, DirectWriteQueue) and EXTENSIONS_HEADER not in environ
        if self.direct:
            queue.sink = self
        try:
            return super().__call__(environ, start_response)
        finally:
            if self.direct and queue.sink is self:
                queue.sink = None

    def _socket(self) -> gevent.socket.socket | None:
        """The gevent socket under simple-websocket's connection (None: library path)."""
        sock = getattr(getattr(self, "ws", None), "sock", None)
        return sock if isinstance(sock, gevent.socket.socket) else None

    def write_now(self, pkt) -> bytes | None:
        """Write ``pkt``'s frame if nothing is being written; what the socket did not take.

        ``None`` when it was not written at all (the packet is then queued as usual).
        """
        sock = self._socket()
        socket = self.eio_socket
        if (self._writing or sock is None or not self.ws.connected or not socket.upgraded
                or socket.closed):
            return None
        frame = FRAMES.frame(pkt.encode())
        try:  # gevent's timeout of 0 for this send: never wait for buffer room
            sent = sock.send(frame, 0, 0.0)
        except BlockingIOError:
            sent = 0
        except OSError:
            return None  # the writer meets the error and closes the connection
        return frame[sent:]

    def send(self, message):
        sock = self._socket() if self.direct else None
        if sock is None:
            return super().send(message)
        if not self.ws.connected:
            raise OSError("WebSocket closed")
        data = message if type(message) is _Rest else FRAMES.frame(message)
        self._writing = True  # a write that waits for the socket blocks direct writes
        try:
            sock.sendall(data)
        finally:
            self._writing = False


def self_check(eio_server) -> Check:
    """Whether this gevent Engine.IO server and its libraries have what the path needs."""
    check = Check(FEATURE, FALLBACK)
    for library in (ENGINEIO, SIMPLE_WEBSOCKET, GEVENT):
        check.version(library)
    if not check.require(gevent_driver.SimpleWebSocketWSGI is not None,
                         "gevent-websocket is installed and serves python-engineio's "
                         "WebSockets"):
        return check
    drivers = check.attribute(eio_server, "_async", library=ENGINEIO)
    if drivers is not None:
        check.require(isinstance(drivers, dict)
                      and drivers.get("websocket") is gevent_driver.WebSocketWSGI
                      and drivers.get("queue") is JoinableQueue,
                      "python-engineio's gevent driver table has another websocket or "
                      "queue class")
    wrapper = gevent_driver.WebSocketWSGI
    check.attribute(wrapper, "__init__", parameters=("self", "handler", "server"),
                    library=ENGINEIO)
    check.attribute(wrapper, "__call__", parameters=("self", "environ", "start_response"),
                    library=ENGINEIO)
    check.attribute(wrapper, "send", parameters=("self", "message"), library=ENGINEIO)
    check.instance_attributes(wrapper, ("ws",), methods=("__call__",), library=ENGINEIO)
    # write_now's send with a timeout of its own (a timeout of 0: EAGAIN is raised).
    check.attribute(gevent.socket.socket, "send", parameters=("self", "data", "flags",
                                                              "timeout"), library=GEVENT)
    socket_class = engineio.socket.Socket
    # The wrapper's handler is this bound method: its __self__ is the connection.
    check.attribute(socket_class, "_websocket_handler", parameters=("self", "ws"),
                    library=ENGINEIO)
    check.attribute(socket_class, "poll", parameters=("self",), library=ENGINEIO)
    check.instance_attributes(socket_class, ("queue", "upgraded", "closed"),
                              library=ENGINEIO)
    check.instance_attributes(simple_websocket.Server, ("sock", "connected"),
                              library=SIMPLE_WEBSOCKET)
    return check


def install(eio_server) -> Check:
    """Use the direct path on this gevent Engine.IO server if its self-check passes."""
    check = self_check(eio_server)
    if check.passed:
        eio_server._async = {**eio_server._async, "queue": DirectWriteQueue,
                             "websocket": DirectWebSocket}
    return check
